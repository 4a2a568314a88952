//! Remediation actions: who fixes what by when, and what caused it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryAction, HistoryEntry};
use crate::list::{Filter, Page};
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::validate::{parse_date, Referenced, Validator};

string_enum!(
    ActionStatus default Open {
        Open = "open" / "Open",
        InProgress = "in_progress" / "In progress",
        Done = "done" / "Done",
        /// Needs a reason.
        WontDo = "wont_do" / "Won't do",
    }
);

impl ActionStatus {
    pub fn is_closed(self) -> bool {
        matches!(self, ActionStatus::Done | ActionStatus::WontDo)
    }
}

/// The record an action came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SourceRef {
    /// The register: controls, policies, risks, incidents or exercises.
    pub kind: Register,
    #[ts(type = "number")]
    pub id: i64,
    /// Reference and title, for display.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Action {
    #[ts(type = "number")]
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub owner: Option<PersonRef>,
    pub due_date: Option<NaiveDate>,
    pub status: ActionStatus,
    pub wont_do_reason: String,
    pub source: Option<SourceRef>,
    /// Open or in progress, with a due date before the as-of date of the query.
    pub overdue: bool,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionInput {
    /// Empty: the next free ACT-nnnn is assigned.
    pub reference: String,
    pub title: String,
    pub description: String,
    #[ts(type = "number | null")]
    pub owner_id: Option<i64>,
    pub due_date: String,
    pub status: ActionStatus,
    pub wont_do_reason: String,
    #[ts(type = "number | null")]
    pub source_control_id: Option<i64>,
    #[ts(type = "number | null")]
    pub source_policy_id: Option<i64>,
    #[ts(type = "number | null")]
    pub source_risk_id: Option<i64>,
    #[ts(type = "number | null")]
    pub source_incident_id: Option<i64>,
    #[ts(type = "number | null")]
    pub source_exercise_id: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionQuery {
    pub search: String,
    pub status: Option<ActionStatus>,
    /// Only open or in-progress actions.
    pub open_only: bool,
    pub overdue_only: bool,
    #[ts(type = "number | null")]
    pub source_control_id: Option<i64>,
    #[ts(type = "number | null")]
    pub source_policy_id: Option<i64>,
    #[ts(type = "number | null")]
    pub source_risk_id: Option<i64>,
    #[ts(type = "number | null")]
    pub source_incident_id: Option<i64>,
    #[ts(type = "number | null")]
    pub source_exercise_id: Option<i64>,
    pub include_archived: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for ActionQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            status: None,
            open_only: false,
            overdue_only: false,
            source_control_id: None,
            source_policy_id: None,
            source_risk_id: None,
            source_incident_id: None,
            source_exercise_id: None,
            include_archived: false,
            offset: 0,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ActionDetail {
    pub action: Action,
    pub history: Vec<HistoryEntry>,
}

const SELECT: &str = "
    SELECT a.id, a.reference, a.title, a.description, a.owner_id, p.name, a.due_date, a.status, a.wont_do_reason,
           a.source_control_id, c.reference || ' ' || c.title, a.archived_at, a.created_at, a.updated_at,
           a.source_policy_id, pol.title, a.source_risk_id, rk.reference || ' ' || rk.title,
           a.source_incident_id, inc.reference || ' ' || inc.title, a.source_exercise_id, ex.reference || ' ' || ex.title
    FROM actions a
    LEFT JOIN people p ON p.id = a.owner_id
    LEFT JOIN controls c ON c.id = a.source_control_id
    LEFT JOIN policies pol ON pol.id = a.source_policy_id
    LEFT JOIN risks rk ON rk.id = a.source_risk_id
    LEFT JOIN incidents inc ON inc.id = a.source_incident_id
    LEFT JOIN exercises ex ON ex.id = a.source_exercise_id";

fn from_row(r: &Row<'_>, as_of: NaiveDate) -> rusqlite::Result<Action> {
    let owner = match (r.get::<_, Option<i64>>(4)?, r.get::<_, Option<String>>(5)?) {
        (Some(id), Some(name)) => Some(PersonRef { id, name }),
        _ => None,
    };
    let due_date = r.get::<_, Option<String>>(6)?.as_deref().and_then(parse_date);
    let status = ActionStatus::parse(&r.get::<_, String>(7)?).unwrap_or_default();
    let source = match (r.get::<_, Option<i64>>(9)?, r.get::<_, Option<String>>(10)?) {
        (Some(id), Some(label)) => Some(SourceRef { kind: Register::Controls, id, label }),
        _ => match (r.get::<_, Option<i64>>(14)?, r.get::<_, Option<String>>(15)?) {
            (Some(id), Some(label)) => Some(SourceRef { kind: Register::Policies, id, label }),
            _ => match (r.get::<_, Option<i64>>(16)?, r.get::<_, Option<String>>(17)?) {
                (Some(id), Some(label)) => Some(SourceRef { kind: Register::Risks, id, label }),
                _ => match (r.get::<_, Option<i64>>(18)?, r.get::<_, Option<String>>(19)?) {
                    (Some(id), Some(label)) => Some(SourceRef { kind: Register::Incidents, id, label }),
                    _ => match (r.get::<_, Option<i64>>(20)?, r.get::<_, Option<String>>(21)?) {
                        (Some(id), Some(label)) => Some(SourceRef { kind: Register::Exercises, id, label }),
                        _ => None,
                    },
                },
            },
        },
    };
    Ok(Action {
        id: r.get(0)?,
        reference: r.get(1)?,
        title: r.get(2)?,
        description: r.get(3)?,
        owner,
        overdue: !status.is_closed() && due_date.is_some_and(|d| d < as_of),
        due_date,
        status,
        wont_do_reason: r.get(8)?,
        source,
        archived: r.get::<_, Option<String>>(11)?.is_some(),
        created_at: r.get(12)?,
        updated_at: r.get(13)?,
    })
}

/// A page of actions, most urgent first (overdue, then by due date; undated last).
/// `as_of` decides what is overdue.
pub fn list(conn: &Connection, q: &ActionQuery, as_of: NaiveDate) -> Result<Page<Action>> {
    let mut f = Filter::new();
    f.archived(q.include_archived, "a")
        .search(&q.search, &["a.reference", "a.title", "a.description"])
        .eq("a.status", q.status.map(|s| s.as_str().to_owned()))
        .eq("a.source_control_id", q.source_control_id)
        .eq("a.source_policy_id", q.source_policy_id)
        .eq("a.source_risk_id", q.source_risk_id)
        .eq("a.source_incident_id", q.source_incident_id)
        .eq("a.source_exercise_id", q.source_exercise_id);
    if q.open_only || q.overdue_only {
        f.clause("a.status IN ('open', 'in_progress')");
    }
    if q.overdue_only {
        let p = f.arg(as_of.to_string());
        f.clause(format!("a.due_date < {p}"));
    }
    let order = "a.status IN ('done', 'wont_do'), a.due_date IS NULL, a.due_date, a.reference COLLATE NOCASE";
    f.page(conn, "FROM actions a", SELECT, order, (q.offset, q.limit), |r| from_row(r, as_of))
}

pub fn get(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<Action> {
    conn.prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row([id], |r| from_row(r, as_of))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No action with id {id}.")))
}

pub fn detail(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<ActionDetail> {
    Ok(ActionDetail { action: get(conn, id, as_of)?, history: history::list(conn, Register::Actions, id)? })
}

struct Valid {
    reference: Option<String>,
    title: String,
    description: String,
    owner_id: Option<i64>,
    due_date: Option<NaiveDate>,
    status: ActionStatus,
    wont_do_reason: String,
    source_control_id: Option<i64>,
    source_policy_id: Option<i64>,
    source_risk_id: Option<i64>,
    source_incident_id: Option<i64>,
    source_exercise_id: Option<i64>,
}

fn validate(conn: &Connection, input: &ActionInput, this_id: Option<i64>) -> Result<Valid> {
    let mut v = Validator::new();
    let reference = v.reference("reference", "Reference", &input.reference, 32);
    v.unique_reference(conn, Referenced::Actions, &reference, this_id, "action")?;
    let title = v.required("title", "Title", &input.title, 200);
    let description = v.optional("description", "Description", &input.description, 20_000);
    let due_date = v.date("due_date", "Due date", &input.due_date);
    let wont_do_reason = v.optional("wont_do_reason", "Reason", &input.wont_do_reason, 5_000);
    if input.status == ActionStatus::WontDo && wont_do_reason.is_empty() {
        v.add("wont_do_reason", "Say why this will not be done; the auditor will ask.");
    }
    let previous: Option<i64> = match this_id {
        Some(id) => conn
            .prepare_cached("SELECT owner_id FROM actions WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .flatten(),
        None => None,
    };
    crate::people::check_active(conn, &mut v, "owner_id", input.owner_id, previous, "owner")?;
    let sources = [
        input.source_control_id,
        input.source_policy_id,
        input.source_risk_id,
        input.source_incident_id,
        input.source_exercise_id,
    ];
    if sources.iter().filter(|s| s.is_some()).count() > 1 {
        let field = if input.source_risk_id.is_some() { "source_risk_id" } else { "source_policy_id" };
        v.add(field, "An action comes from one record: a control, a policy, a risk, an incident or an exercise.");
    }
    for (field, table, id, what) in [
        ("source_incident_id", "incidents", input.source_incident_id, "incident"),
        ("source_exercise_id", "exercises", input.source_exercise_id, "exercise"),
    ] {
        if let Some(id) = id {
            let exists: bool = conn
                .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"))?
                .query_row([id], |r| r.get(0))?;
            if !exists {
                v.add(field, format!("That {what} does not exist."));
            }
        }
    }
    if let Some(risk) = input.source_risk_id {
        let exists: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM risks WHERE id = ?1)")?
            .query_row([risk], |r| r.get(0))?;
        if !exists {
            v.add("source_risk_id", "That risk does not exist.");
        }
    }
    if let Some(policy) = input.source_policy_id {
        let exists: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM policies WHERE id = ?1)")?
            .query_row([policy], |r| r.get(0))?;
        if !exists {
            v.add("source_policy_id", "That policy does not exist.");
        }
    }
    if let Some(control) = input.source_control_id {
        let exists: bool = conn
            .prepare_cached("SELECT EXISTS (SELECT 1 FROM controls WHERE id = ?1)")?
            .query_row([control], |r| r.get(0))?;
        if !exists {
            v.add("source_control_id", "That control does not exist.");
        }
    }
    v.finish()?;
    Ok(Valid {
        reference: (!reference.is_empty()).then_some(reference),
        title,
        description,
        owner_id: input.owner_id,
        due_date,
        status: input.status,
        wont_do_reason,
        source_control_id: input.source_control_id,
        source_policy_id: input.source_policy_id,
        source_risk_id: input.source_risk_id,
        source_incident_id: input.source_incident_id,
        source_exercise_id: input.source_exercise_id,
    })
}

/// The next free `ACT-nnnn` reference.
fn next_reference(tx: &Transaction<'_>) -> Result<String> {
    let max: Option<i64> = tx.prepare_cached(
        "SELECT max(CAST(substr(reference, 5) AS INTEGER)) FROM actions WHERE reference LIKE 'ACT-%' AND substr(reference, 5) GLOB '[0-9]*'",
    )?
    .query_row([], |r| r.get(0))?;
    Ok(format!("ACT-{:04}", max.unwrap_or(0) + 1))
}

fn label(conn: &Connection, sql: &str, id: Option<i64>) -> Result<Option<String>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(conn.prepare_cached(sql)?.query_row([id], |r| r.get(0)).optional()?),
    }
}

fn diff(conn: &Connection, old: Option<&Action>, new: &Valid, reference: &str) -> Result<Diff> {
    let mut d = Diff::new();
    d.field("reference", old.map(|a| a.reference.clone()), Some(reference.to_owned()))
        .field("title", old.map(|a| a.title.clone()), Some(new.title.clone()))
        .field("description", old.map(|a| a.description.clone()), Some(new.description.clone()))
        .field(
            "owner",
            old.and_then(|a| a.owner.as_ref().map(|o| o.name.clone())),
            label(conn, "SELECT name FROM people WHERE id = ?1", new.owner_id)?,
        )
        .field("due_date", old.and_then(|a| a.due_date.map(|d| d.to_string())), new.due_date.map(|d| d.to_string()))
        .field("status", old.map(|a| a.status.as_str().to_owned()), Some(new.status.as_str().to_owned()))
        .field("wont_do_reason", old.map(|a| a.wont_do_reason.clone()), Some(new.wont_do_reason.clone()))
        .field(
            "source",
            old.and_then(|a| a.source.as_ref().map(|s| s.label.clone())),
            if new.source_policy_id.is_some() {
                label(conn, "SELECT title FROM policies WHERE id = ?1", new.source_policy_id)?
            } else if new.source_risk_id.is_some() {
                label(conn, "SELECT reference || ' ' || title FROM risks WHERE id = ?1", new.source_risk_id)?
            } else if new.source_incident_id.is_some() {
                label(conn, "SELECT reference || ' ' || title FROM incidents WHERE id = ?1", new.source_incident_id)?
            } else if new.source_exercise_id.is_some() {
                label(conn, "SELECT reference || ' ' || title FROM exercises WHERE id = ?1", new.source_exercise_id)?
            } else {
                label(conn, "SELECT reference || ' ' || title FROM controls WHERE id = ?1", new.source_control_id)?
            },
        );
    Ok(d)
}

pub fn create(tx: &Transaction<'_>, now: DateTime<Utc>, input: &ActionInput) -> Result<Action> {
    let valid = validate(tx, input, None)?;
    let reference = match &valid.reference {
        Some(r) => r.clone(),
        None => next_reference(tx)?,
    };
    let changes = diff(tx, None, &valid, &reference)?.into_changes();
    let at = stamp(now);
    tx.execute(
        "INSERT INTO actions (reference, title, description, owner_id, due_date, status, wont_do_reason,
             source_control_id, source_policy_id, source_risk_id, created_at, updated_at, source_incident_id,
             source_exercise_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?10, ?11, ?9, ?9, ?12, ?13)",
        params![
            reference,
            valid.title,
            valid.description,
            valid.owner_id,
            valid.due_date.map(|d| d.to_string()),
            valid.status.as_str(),
            valid.wont_do_reason,
            valid.source_control_id,
            at,
            valid.source_policy_id,
            valid.source_risk_id,
            valid.source_incident_id,
            valid.source_exercise_id
        ],
    )?;
    let id = tx.last_insert_rowid();
    history::record(tx, now, Register::Actions, id, HistoryAction::Create, changes)?;
    get(tx, id, now.date_naive())
}

pub fn update(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &ActionInput) -> Result<Action> {
    let old = get(tx, id, now.date_naive())?;
    let valid = validate(tx, input, Some(id))?;
    let reference = valid.reference.clone().unwrap_or_else(|| old.reference.clone());
    let changes = diff(tx, Some(&old), &valid, &reference)?;
    if changes.is_empty() {
        return Ok(old);
    }
    tx.execute(
        "UPDATE actions SET reference = ?2, title = ?3, description = ?4, owner_id = ?5, due_date = ?6, status = ?7,
             wont_do_reason = ?8, source_control_id = ?9, updated_at = ?10, source_policy_id = ?11,
             source_risk_id = ?12, source_incident_id = ?13, source_exercise_id = ?14
         WHERE id = ?1",
        params![
            id,
            reference,
            valid.title,
            valid.description,
            valid.owner_id,
            valid.due_date.map(|d| d.to_string()),
            valid.status.as_str(),
            valid.wont_do_reason,
            valid.source_control_id,
            stamp(now),
            valid.source_policy_id,
            valid.source_risk_id,
            valid.source_incident_id,
            valid.source_exercise_id
        ],
    )?;
    history::record(tx, now, Register::Actions, id, HistoryAction::Update, changes.into_changes())?;
    get(tx, id, now.date_naive())
}

pub fn set_archived(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, archived: bool) -> Result<Action> {
    let old = get(tx, id, now.date_naive())?;
    if old.archived == archived {
        return Ok(old);
    }
    history::set_archived(tx, now, Register::Actions, id, archived)?;
    get(tx, id, now.date_naive())
}

/// The actions CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "reference",
        "title",
        "description",
        "owner_email",
        "due_date",
        "status",
        "wont_do_reason",
        "source_control",
        "source_policy",
        "source_risk",
    ],
    required: &["title"],
    aliases: &[],
};

/// Every action not archived, as CSV in reference order; re-importing it changes nothing.
pub fn export_csv(conn: &Connection) -> Result<String> {
    let mut stmt =
        conn.prepare(&format!("{SELECT} WHERE a.archived_at IS NULL ORDER BY a.reference COLLATE NOCASE"))?;
    // Overdue is not exported, so the as-of date does not matter here.
    let epoch = NaiveDate::MIN;
    let rows = stmt.query_map([], |r| from_row(r, epoch))?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for a in rows {
        out.push(csv_cells(conn, a)?);
    }
    crate::csvio::write(CSV_COLUMNS.all, out)
}

/// An action as CSV cells, in [`CSV_COLUMNS`] order.
fn csv_cells(conn: &Connection, a: Action) -> Result<Vec<String>> {
    let reference_of = |table: &str, id: i64| -> Result<Option<String>> {
        Ok(conn
            .prepare_cached(&format!("SELECT reference FROM {table} WHERE id = ?1"))?
            .query_row([id], |r| r.get::<_, String>(0))
            .optional()?)
    };
    let (mut source_control, mut source_policy, mut source_risk) = (None, None, None);
    match &a.source {
        Some(s) if s.kind == Register::Controls => source_control = reference_of("controls", s.id)?,
        Some(s) if s.kind == Register::Risks => source_risk = reference_of("risks", s.id)?,
        Some(s) if s.kind == Register::Policies => source_policy = Some(s.label.clone()),
        // Incidents and exercises are kept on re-import (see `ActionsCsv`); they have no column.
        _ => {}
    }
    Ok(vec![
        a.reference,
        a.title,
        a.description,
        crate::people::email_of(conn, a.owner.as_ref().map(|o| o.id))?,
        a.due_date.map(|d| d.to_string()).unwrap_or_default(),
        a.status.as_str().to_owned(),
        a.wont_do_reason,
        source_control.unwrap_or_default(),
        source_policy.unwrap_or_default(),
        source_risk.unwrap_or_default(),
    ])
}

/// Actions in CSV, matched on reference; rows without one are created with the next free
/// ACT-nnnn (see [`crate::csv_import`]).
pub struct ActionsCsv;

impl crate::csv_import::CsvRegister for ActionsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["reference"];

    fn find(tx: &Transaction<'_>, row: &crate::csvio::Row) -> Result<Option<i64>> {
        match row.get("reference") {
            "" => Ok(None),
            reference => crate::validate::id_by_reference(tx, crate::validate::Referenced::Actions, reference),
        }
    }

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        csv_cells(conn, get(conn, id, NaiveDate::MIN)?)
    }

    fn apply(
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        row: &crate::csvio::Row,
        existing: Option<i64>,
        errors: &mut Vec<crate::csvio::RowError>,
    ) -> Result<crate::csv_import::Applied> {
        use crate::csv_import::{field, Applied};
        use crate::csvio::{enum_key, lookup};
        let status = match row.get("status") {
            "" => Some(ActionStatus::Open),
            s => ActionStatus::parse(&enum_key(s)),
        };
        if status.is_none() {
            errors.push(field(row.line, "status", "Status must be one of open, in_progress, done, wont_do."));
        }
        let owner_id = crate::csvio::person_by_email(tx, row, "owner_email", errors)?;
        let source_control_id =
            lookup(tx, "SELECT id FROM controls WHERE reference = ?1", row, "source_control", errors, |r| {
                format!("No control has the reference {r}.")
            })?;
        let source_policy_id =
            lookup(tx, "SELECT id FROM policies WHERE title = ?1", row, "source_policy", errors, |t| {
                format!("No policy has the title {t}.")
            })?;
        let source_risk_id =
            lookup(tx, "SELECT id FROM risks WHERE reference = ?1", row, "source_risk", errors, |r| {
                format!("No risk has the reference {r}.")
            })?;
        let old = match existing {
            Some(id) => Some(get(tx, id, now.date_naive())?),
            None => None,
        };
        // Incidents and exercises have no column: an action they raised keeps its source.
        let kept_source =
            |kind: Register| old.as_ref().and_then(|a| a.source.as_ref().filter(|s| s.kind == kind).map(|s| s.id));
        let input = ActionInput {
            reference: row.get("reference").to_owned(),
            title: row.get("title").to_owned(),
            description: row.get("description").to_owned(),
            owner_id,
            due_date: row.get("due_date").to_owned(),
            status: status.unwrap_or_default(),
            wont_do_reason: row.get("wont_do_reason").to_owned(),
            source_control_id,
            source_policy_id,
            source_risk_id,
            source_incident_id: kept_source(Register::Incidents),
            source_exercise_id: kept_source(Register::Exercises),
        };
        validate(tx, &input, existing)?;
        if !errors.is_empty() {
            return Ok(Applied::Unchanged);
        }
        match old {
            None => Ok(Applied::Created(create(tx, now, &input)?.id)),
            Some(old) => {
                let new = update(tx, now, old.id, &input)?;
                Ok(if new == old { Applied::Unchanged } else { Applied::Updated(old.id) })
            }
        }
    }
}
