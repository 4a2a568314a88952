//! The people directory. Every owner, reviewer, approver and trainee elsewhere is a person.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, ErrorCode as SqliteCode, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::history::{self, Diff};
use crate::list::{direction, Filter, Page};
use crate::record::{self, Editable};
use crate::refs::Register;
use crate::validate::{is_email, parse_date, Validator};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Person {
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

pub struct Valid {
    name: String,
    email: String,
    role: String,
    start_date: Option<NaiveDate>,
    end_date: Option<NaiveDate>,
}

record_kind!(Person in People, load(conn, id, now) { get(conn, id) }, editable(PersonInput), archive = set_archived);

impl Editable for Person {
    type Input = PersonInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] = &["name", "email", "role", "start_date", "end_date"];

    fn validate(conn: &Connection, _now: DateTime<Utc>, input: &PersonInput, old: Option<&Self>) -> Result<Valid> {
        let this_id = old.map(|p| p.id);
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

    fn diff(_conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let mut d = Diff::new();
        d.field("name", old.map(|p| p.name.clone()), Some(new.name.clone()))
            .field("email", old.map(|p| p.email.clone()), Some(new.email.clone()))
            .field("role", old.map(|p| p.role.clone()), Some(new.role.clone()))
            .field("start_date", old.and_then(|p| date(p.start_date)), date(new.start_date))
            .field("end_date", old.and_then(|p| date(p.end_date)), date(new.end_date));
        Ok(d)
    }

    fn values(v: &Valid) -> Vec<Value> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).into();
        vec![v.name.clone().into(), v.email.clone().into(), v.role.clone().into(), date(v.start_date), date(v.end_date)]
    }

    fn write_error(e: rusqlite::Error) -> Error {
        unique_email(e)
    }
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
    example: &["Ana Silva", "ana@example.com", "Head of Engineering", "2024-03-04", ""],
};

fn csv_cells(p: Person) -> Vec<String> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    vec![p.name, p.email, p.role, date(p.start_date), date(p.end_date)]
}

/// The name of a person, for history entries; none for nobody.
pub fn name_of(conn: &Connection, id: Option<i64>) -> Result<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(conn.prepare_cached("SELECT name FROM people WHERE id = ?1")?.query_row([id], |r| r.get(0)).optional()?)
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
    const FIND: &'static str = "SELECT id FROM people WHERE email = ?1 COLLATE NOCASE";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM people WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE, email COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        Ok(csv_cells(get(conn, id)?))
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let input = PersonInput {
            name: c.text("name"),
            email: c.text("email"),
            role: c.text("role"),
            start_date: c.text("start_date"),
            end_date: c.text("end_date"),
        };
        record::save_row::<Person>(tx, now, existing, &input, &c.errors)
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
