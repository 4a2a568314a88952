//! The people directory. Every owner, reviewer, approver and trainee elsewhere is a person.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, ErrorCode as SqliteCode, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryAction};
use crate::list::{direction, Filter, Page};
use crate::refs::Register;
use crate::validate::{is_email, parse_date, Validator};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Person {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub email: String,
    pub role: String,
    pub start_date: Option<NaiveDate>,
    /// Set for leavers: the last day they worked here.
    pub end_date: Option<NaiveDate>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// What the person form sends; dates as typed so a bad one is reported on its field.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    pub role: String,
    pub start_date: String,
    pub end_date: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PeopleQuery {
    /// Matches name, email or role, case-insensitively; empty matches everyone.
    pub search: String,
    pub include_archived: bool,
}

const COLUMNS: &str = "id, name, email, role, start_date, end_date, archived_at, created_at, updated_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Person> {
    Ok(Person {
        id: r.get(0)?,
        name: r.get(1)?,
        email: r.get(2)?,
        role: r.get(3)?,
        start_date: r.get::<_, Option<String>>(4)?.as_deref().and_then(parse_date),
        end_date: r.get::<_, Option<String>>(5)?.as_deref().and_then(parse_date),
        archived: r.get::<_, Option<String>>(6)?.is_some(),
        created_at: r.get(7)?,
        updated_at: r.get(8)?,
    })
}

/// People sorted by name (then email), filtered by the query (pickers and exports).
pub fn list(conn: &Connection, query: &PeopleQuery) -> Result<Vec<Person>> {
    let mut f = Filter::new();
    f.archived(query.include_archived, "people").search(&query.search, &["name", "email", "role"]);
    f.all(conn, &format!("SELECT {COLUMNS} FROM people"), "name COLLATE NOCASE, email COLLATE NOCASE", from_row)
}

pub fn get(conn: &Connection, id: i64) -> Result<Person> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM people WHERE id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No person with id {id}.")))
}

pub(crate) struct Valid {
    name: String,
    email: String,
    role: String,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
}

pub(crate) fn validate(conn: &Connection, input: &PersonInput, this_id: Option<i64>) -> Result<Valid> {
    let mut v = Validator::new();
    let name = v.required("name", "Name", &input.name, 200);
    let email = v.required("email", "Email", &input.email, 254);
    if !email.is_empty() && !v.has("email") && !is_email(&email) {
        v.add("email", "Email must look like name@example.com.");
    }
    let role = v.optional("role", "Role", &input.role, 200);
    let start_date = v.date("start_date", "Start date", &input.start_date);
    let end_date = v.date("end_date", "End date", &input.end_date);
    if let (Some(start), Some(end)) = (start_date, end_date) {
        if end < start {
            v.add("end_date", "End date cannot be before the start date.");
        }
    }
    if !v.has("email") {
        let clash: Option<(i64, String, bool)> = conn
            .prepare_cached("SELECT id, name, archived_at IS NOT NULL FROM people WHERE email = ?1 COLLATE NOCASE")?
            .query_row([&email], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?;
        if let Some((_, other, archived)) = clash.filter(|(id, _, _)| Some(*id) != this_id) {
            let note = if archived { " (archived)" } else { "" };
            v.add("email", format!("{other}{note} already uses this email."));
        }
    }
    v.finish()?;
    Ok(Valid { name, email, role, start_date, end_date })
}

pub fn create(tx: &Transaction<'_>, now: DateTime<Utc>, input: &PersonInput) -> Result<Person> {
    let valid = validate(tx, input, None)?;
    let id = insert_valid(tx, now, &valid)?;
    get(tx, id)
}

fn insert_valid(tx: &Transaction<'_>, now: DateTime<Utc>, valid: &Valid) -> Result<i64> {
    let at = stamp(now);
    tx.execute(
        "INSERT INTO people (name, email, role, start_date, end_date, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![
            valid.name,
            valid.email,
            valid.role,
            valid.start_date.map(|d| d.to_string()),
            valid.end_date.map(|d| d.to_string()),
            at
        ],
    )
    .map_err(unique_email)?;
    let id = tx.last_insert_rowid();
    history::record(tx, now, Register::People, id, HistoryAction::Create, diff(None, valid).into_changes())?;
    Ok(id)
}

fn diff(old: Option<&Person>, new: &Valid) -> Diff {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let mut d = Diff::new();
    d.field("name", old.map(|p| p.name.clone()), Some(new.name.clone()))
        .field("email", old.map(|p| p.email.clone()), Some(new.email.clone()))
        .field("role", old.map(|p| p.role.clone()), Some(new.role.clone()))
        .field("start_date", old.and_then(|p| date(p.start_date)), date(new.start_date))
        .field("end_date", old.and_then(|p| date(p.end_date)), date(new.end_date));
    d
}

pub fn update(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &PersonInput) -> Result<Person> {
    let old = get(tx, id)?;
    let valid = validate(tx, input, Some(id))?;
    update_valid(tx, now, &old, &valid)?;
    get(tx, id)
}

/// Applies validated values to an existing person. Returns whether anything changed.
fn update_valid(tx: &Transaction<'_>, now: DateTime<Utc>, old: &Person, valid: &Valid) -> Result<bool> {
    let id = old.id;
    let changes = diff(Some(old), valid);
    if changes.is_empty() {
        return Ok(false);
    }
    tx.execute(
        "UPDATE people SET name = ?2, email = ?3, role = ?4, start_date = ?5, end_date = ?6, updated_at = ?7
         WHERE id = ?1",
        params![
            id,
            valid.name,
            valid.email,
            valid.role,
            valid.start_date.map(|d| d.to_string()),
            valid.end_date.map(|d| d.to_string()),
            stamp(now)
        ],
    )
    .map_err(unique_email)?;
    history::record(tx, now, Register::People, id, HistoryAction::Update, changes.into_changes())?;
    Ok(true)
}

/// Archives (hides from pickers and lists) or restores a person. People are never
/// deleted: records an auditor may ask about keep pointing at them.
pub fn set_archived(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, archived: bool) -> Result<Person> {
    let old = get(tx, id)?;
    if old.archived == archived {
        return Ok(old);
    }
    history::set_archived(tx, now, Register::People, id, archived)?;
    get(tx, id)
}

/// A person's change history, newest first.
pub fn history(conn: &Connection, id: i64) -> Result<Vec<history::HistoryEntry>> {
    get(conn, id)?;
    history::list(conn, Register::People, id)
}

/// The unique index is the last word on duplicate emails (validation checks first for a
/// friendly message; this covers a race between two writers).
fn unique_email(err: rusqlite::Error) -> Error {
    match &err {
        rusqlite::Error::SqliteFailure(e, _) if e.code == SqliteCode::ConstraintViolation => {
            Error::field("email", "Another person already uses this email.")
        }
        _ => err.into(),
    }
}

/// The people CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &["name", "email", "role", "start_date", "end_date"],
    required: &["name", "email"],
    aliases: &[],
};

/// Everyone not archived, as CSV sorted by name; re-importing it changes nothing.
pub fn export_csv(conn: &Connection) -> Result<String> {
    let rows = list(conn, &PeopleQuery::default())?.into_iter().map(csv_cells);
    crate::csvio::write(CSV_COLUMNS.all, rows)
}

fn csv_cells(p: Person) -> Vec<String> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![p.name, p.email, p.role, date(p.start_date), date(p.end_date)]
}

/// The email of a person (empty for none), as CSV files name people.
pub fn email_of(conn: &Connection, id: Option<i64>) -> Result<String> {
    let Some(id) = id else { return Ok(String::new()) };
    Ok(conn
        .prepare_cached("SELECT email FROM people WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or_default())
}

/// People in CSV, matched on email, case-insensitively (see [`crate::csv_import`]).
pub struct PeopleCsv;

impl crate::csv_import::CsvRegister for PeopleCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["email"];

    fn find(tx: &Transaction<'_>, row: &crate::csvio::Row) -> Result<Option<i64>> {
        crate::csv_import::find_one(tx, "SELECT id FROM people WHERE email = ?1 COLLATE NOCASE", row.get("email"))
    }

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        Ok(csv_cells(get(conn, id)?))
    }

    fn apply(
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        row: &crate::csvio::Row,
        existing: Option<i64>,
        _errors: &mut Vec<crate::csvio::RowError>,
    ) -> Result<crate::csv_import::Applied> {
        use crate::csv_import::Applied;
        let input = PersonInput {
            name: row.get("name").to_owned(),
            email: row.get("email").to_owned(),
            role: row.get("role").to_owned(),
            start_date: row.get("start_date").to_owned(),
            end_date: row.get("end_date").to_owned(),
        };
        let valid = validate(tx, &input, existing)?;
        match existing {
            None => Ok(Applied::Created(insert_valid(tx, now, &valid)?)),
            Some(id) if update_valid(tx, now, &get(tx, id)?, &valid)? => Ok(Applied::Updated(id)),
            Some(_) => Ok(Applied::Unchanged),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum PeopleSort {
    #[default]
    Name,
    Email,
    Role,
    StartDate,
    EndDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PeoplePageQuery {
    pub search: String,
    pub include_archived: bool,
    /// Only people with an end date (leavers).
    pub leavers_only: bool,
    pub sort: PeopleSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for PeoplePageQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            include_archived: false,
            leavers_only: false,
            sort: PeopleSort::Name,
            descending: false,
            offset: 0,
            limit: 100,
        }
    }
}

/// One sorted page of the directory, with the number of matches.
pub fn page(conn: &Connection, q: &PeoplePageQuery) -> Result<Page<Person>> {
    let mut f = Filter::new();
    f.archived(q.include_archived, "people").search(&q.search, &["name", "email", "role"]);
    if q.leavers_only {
        f.clause("end_date IS NOT NULL");
    }
    let dir = direction(q.descending);
    let order = match q.sort {
        PeopleSort::Name => format!("name COLLATE NOCASE {dir}, email COLLATE NOCASE"),
        PeopleSort::Email => format!("email COLLATE NOCASE {dir}"),
        PeopleSort::Role => format!("role = '', role COLLATE NOCASE {dir}, name COLLATE NOCASE"),
        PeopleSort::StartDate => format!("start_date IS NULL, start_date {dir}, name COLLATE NOCASE"),
        PeopleSort::EndDate => format!("end_date IS NULL, end_date {dir}, name COLLATE NOCASE"),
    };
    let order = format!("{order}, id");
    f.page(conn, "FROM people", &format!("SELECT {COLUMNS} FROM people"), &order, (q.offset, q.limit), from_row)
}

/// Checks a person reference on a form: the person must exist, and must not be archived
/// unless the record already pointed at them (`previous`), so old records stay editable.
pub(crate) fn check_active(
    conn: &Connection,
    v: &mut Validator,
    field: &str,
    id: Option<i64>,
    previous: Option<i64>,
    noun: &str,
) -> Result<()> {
    let Some(id) = id else { return Ok(()) };
    let archived: Option<bool> = conn
        .prepare_cached("SELECT archived_at IS NOT NULL FROM people WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    match archived {
        None => v.add(field, "That person does not exist."),
        Some(true) if previous != Some(id) => {
            v.add(field, format!("That person is archived; choose an active {noun}."))
        }
        _ => {}
    }
    Ok(())
}
