//! The auditor's request list: what fieldwork asks the company to provide ("population of
//! new hires in the period", "evidence of quarterly access reviews"), each under the auditor's
//! own id, with the criteria and controls it refers to, a due date, who answers it and where it
//! stands. Imported from the auditor's file (re-importing an updated list updates by id and
//! reports what changed), kept like any register: history, archive, CSV.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::history::Diff;
use crate::record::{self, Editable};
use crate::refs::{NamedRef, PersonRef};
use crate::validate::{parse_date, Validator};

string_enum!(
    /// Where a request stands.
    RequestStatus default Open {
        Open = "open" / "Open",
        Provided = "provided" / "Provided",
        Accepted = "accepted" / "Accepted",
        FollowUp = "follow_up" / "Follow-up",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AuditRequest {
    pub id: i64,
    /// The auditor's id for it ("PBC-014").
    pub reference: String,
    pub description: String,
    /// The criteria it refers to, as the auditor wrote them ("CC6.1 CC6.2").
    pub criteria: String,
    /// The controls it is about.
    pub controls: Vec<NamedRef>,
    pub due_on: Option<NaiveDate>,
    pub owner: Option<PersonRef>,
    pub status: RequestStatus,
    pub notes: String,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AuditRequestInput {
    pub reference: String,
    pub description: String,
    pub criteria: String,
    pub control_ids: Vec<i64>,
    pub due_on: String,
    pub owner_id: Option<i64>,
    pub status: RequestStatus,
    pub notes: String,
}

const SELECT: &str = "
    SELECT r.id, r.reference, r.description, r.criteria, r.due_on, r.owner_id, p.name, r.status, r.notes,
           r.archived_at, r.created_at, r.updated_at
    FROM audit_requests r LEFT JOIN people p ON p.id = r.owner_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<AuditRequest> {
    Ok(AuditRequest {
        id: r.get(0)?,
        reference: r.get(1)?,
        description: r.get(2)?,
        criteria: r.get(3)?,
        controls: Vec::new(),
        due_on: r.get::<_, Option<String>>(4)?.as_deref().and_then(parse_date),
        owner: r.get::<_, Option<i64>>(5)?.zip(r.get::<_, Option<String>>(6)?).map(|(id, name)| PersonRef { id, name }),
        status: RequestStatus::parse(&r.get::<_, String>(7)?).unwrap_or_default(),
        notes: r.get(8)?,
        archived: r.get::<_, Option<String>>(9)?.is_some(),
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
    })
}

fn with_controls(conn: &Connection, mut r: AuditRequest) -> Result<AuditRequest> {
    r.controls = conn
        .prepare_cached(
            "SELECT c.id, c.reference FROM audit_request_controls x JOIN controls c ON c.id = x.control_id
             WHERE x.request_id = ?1 ORDER BY c.reference COLLATE NOCASE",
        )?
        .query_map([r.id], |row| Ok(NamedRef { id: row.get(0)?, name: row.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(r)
}

/// Every request, by reference (archived ones when asked).
pub fn list(conn: &Connection, include_archived: bool) -> Result<Vec<AuditRequest>> {
    let rows = conn
        .prepare_cached(&format!(
            "{SELECT} WHERE (?1 OR r.archived_at IS NULL) ORDER BY r.reference COLLATE NOCASE, r.id"
        ))?
        .query_map([include_archived], from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|r| with_controls(conn, r)).collect()
}

pub fn get(conn: &Connection, id: i64) -> Result<AuditRequest> {
    let r = conn
        .prepare_cached(&format!("{SELECT} WHERE r.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No request with id {id}.")))?;
    with_controls(conn, r)
}

pub struct Valid {
    reference: String,
    description: String,
    criteria: String,
    control_ids: Vec<i64>,
    due_on: Option<NaiveDate>,
    owner_id: Option<i64>,
    status: RequestStatus,
    notes: String,
}

record_kind!(AuditRequest in Requests, load(conn, id, now) { get(conn, id) }, editable(AuditRequestInput), archive = set_archived);

impl Editable for AuditRequest {
    type Input = AuditRequestInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] =
        &["reference", "description", "criteria", "due_on", "owner_id", "status", "notes"];

    fn validate(
        conn: &Connection,
        _now: DateTime<Utc>,
        input: &AuditRequestInput,
        old: Option<&Self>,
    ) -> Result<Valid> {
        let mut v = Validator::new();
        let reference = v.required("reference", "Request id", &input.reference, 64);
        if reference.starts_with(['=', '+', '-', '@']) {
            v.add("reference", "A request id cannot start with =, +, - or @.");
        }
        let description = v.required("description", "What is asked", &input.description, 5_000);
        let criteria = v.optional("criteria", "Criteria", &input.criteria, 500);
        let due_on = v.date("due_on", "Due on", &input.due_on);
        v.active_person(conn, "owner_id", input.owner_id, old.and_then(|o| o.owner.as_ref().map(|p| p.id)), "owner")?;
        let notes = v.optional("notes", "Notes", &input.notes, 20_000);
        for id in &input.control_ids {
            let exists: bool = conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM controls WHERE id = ?1)")?
                .query_row([id], |r| r.get(0))?;
            if !exists {
                v.add("control_ids", "One of the controls does not exist.");
            }
        }
        if !v.has("reference") {
            let clash: Option<i64> = conn
                .prepare_cached("SELECT id FROM audit_requests WHERE reference = ?1")?
                .query_row([&reference], |r| r.get(0))
                .optional()?;
            if clash.is_some_and(|id| Some(id) != old.map(|o| o.id)) {
                v.add("reference", format!("Another request already has the id {reference}."));
            }
        }
        v.finish()?;
        let mut control_ids = input.control_ids.clone();
        control_ids.sort_unstable();
        control_ids.dedup();
        Ok(Valid {
            reference,
            description,
            criteria,
            control_ids,
            due_on,
            owner_id: input.owner_id,
            status: input.status,
            notes,
        })
    }

    fn diff(conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let date = |d: Option<NaiveDate>| d.map(|d| d.to_string());
        let controls = record::names_of(conn, "SELECT reference FROM controls WHERE id = ?1", &new.control_ids)?;
        let mut d = Diff::new();
        d.field("reference", old.map(|r| r.reference.clone()), Some(new.reference.clone()))
            .field("description", old.map(|r| r.description.clone()), Some(new.description.clone()))
            .field("criteria", old.map(|r| r.criteria.clone()), Some(new.criteria.clone()))
            .field("controls", old.map(|r| record::joined(r.controls.iter().map(|c| c.name.clone()))), Some(controls))
            .field("due_on", old.and_then(|r| date(r.due_on)), date(new.due_on))
            .field(
                "owner",
                old.and_then(|r| r.owner.as_ref().map(|p| p.name.clone())),
                crate::people::name_of(conn, new.owner_id)?,
            )
            .field("status", old.map(|r| r.status.label().to_owned()), Some(new.status.label().to_owned()))
            .field("notes", old.map(|r| r.notes.clone()), Some(new.notes.clone()));
        Ok(d)
    }

    fn values(v: &Valid) -> Vec<Value> {
        vec![
            v.reference.clone().into(),
            v.description.clone().into(),
            v.criteria.clone().into(),
            v.due_on.map(|d| d.to_string()).into(),
            v.owner_id.into(),
            v.status.as_str().to_owned().into(),
            v.notes.clone().into(),
        ]
    }

    fn write_children(tx: &Transaction<'_>, id: i64, v: &Valid) -> Result<()> {
        tx.execute("DELETE FROM audit_request_controls WHERE request_id = ?1", [id])?;
        for c in &v.control_ids {
            tx.prepare_cached("INSERT INTO audit_request_controls (request_id, control_id) VALUES (?1, ?2)")?
                .execute([id, *c])?;
        }
        Ok(())
    }
}

/// The request list CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &["request_id", "description", "criteria", "controls", "due_on", "owner_email", "status", "notes"],
    required: &["request_id", "description"],
    aliases: &[
        ("id", "request_id"),
        ("request", "request_id"),
        ("request_no", "request_id"),
        ("reference", "request_id"),
        ("request_description", "description"),
        ("due_date", "due_on"),
        ("due", "due_on"),
        ("tsc", "criteria"),
        ("owner", "owner_email"),
    ],
    example: &[
        "PBC-014",
        "Evidence of the quarterly user access reviews of in-scope systems for the period",
        "CC6.2 CC6.3",
        "AC-01",
        "2026-12-15",
        "ana@example.com",
        "open",
        "",
    ],
};

/// The request list, by id, as CSV; re-importing it changes nothing.
pub fn export_csv(conn: &Connection) -> Result<String> {
    crate::csv_import::export::<RequestsCsv>(conn)
}

/// The auditor's request list in CSV, matched on the request id.
pub struct RequestsCsv;

impl crate::csv_import::CsvRegister for RequestsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["request_id"];
    const FIND: &'static str = "SELECT id FROM audit_requests WHERE reference = ?1";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM audit_requests WHERE archived_at IS NULL ORDER BY reference COLLATE NOCASE, id";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        let r = get(conn, id)?;
        Ok(vec![
            r.reference,
            r.description,
            r.criteria,
            r.controls.iter().map(|c| c.name.as_str()).collect::<Vec<_>>().join("; "),
            r.due_on.map(|d| d.to_string()).unwrap_or_default(),
            crate::people::email_of(conn, r.owner.as_ref().map(|p| p.id))?,
            r.status.as_str().into(),
            r.notes,
        ])
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let items = c
            .text("controls")
            .split([';', ',', ' '])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .collect();
        let control_ids =
            c.ids(tx, "controls", items, "SELECT id FROM controls WHERE reference = ?1 COLLATE NOCASE", |r| {
                format!("No control has the reference {r}.")
            })?;
        let input = AuditRequestInput {
            reference: c.text("request_id"),
            description: c.text("description"),
            criteria: c.text("criteria"),
            control_ids,
            due_on: c.text("due_on"),
            owner_id: c.person(tx, "owner_email")?,
            status: c.choice("status", RequestStatus::Open),
            notes: c.text("notes"),
        };
        record::save_row::<AuditRequest>(tx, now, existing, &input, &c.errors)
    }

    fn column_of(field: &str) -> Option<&'static str> {
        Some(match field {
            "reference" => "request_id",
            "control_ids" => "controls",
            "owner_id" => "owner_email",
            "description" => "description",
            "criteria" => "criteria",
            "due_on" => "due_on",
            "status" => "status",
            "notes" => "notes",
            _ => return None,
        })
    }
}

/// How the request list stands on a day: open, due within a week, overdue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, TS)]
#[ts(export)]
pub struct RequestCounts {
    pub open: u32,
    pub due_this_week: u32,
    pub overdue: u32,
}

/// Counts the requests not yet provided or accepted (open or follow-up) on `today`.
pub fn counts(conn: &Connection, today: NaiveDate) -> Result<RequestCounts> {
    let week = today.checked_add_days(chrono::Days::new(7)).unwrap_or(today);
    Ok(conn.query_row(
        "SELECT count(*), count(*) FILTER (WHERE due_on >= ?1 AND due_on <= ?2), count(*) FILTER (WHERE due_on < ?1)
         FROM audit_requests WHERE archived_at IS NULL AND status IN ('open', 'follow_up')",
        [today.to_string(), week.to_string()],
        |r| Ok(RequestCounts { open: r.get(0)?, due_this_week: r.get(1)?, overdue: r.get(2)? }),
    )?)
}
