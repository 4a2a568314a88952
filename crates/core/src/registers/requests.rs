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

use crate::clock::stamp;
use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::evidence::{self, OwnedEvidence};
use crate::history::Diff;
use crate::record::{self, Editable};
use crate::refs::{NamedRef, PersonRef, Population, Register};
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
            .person("owner", old.and_then(|r| r.owner.as_ref()), crate::people::name_of(conn, new.owner_id)?)
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
    // The headings auditors' request lists use (the file is theirs; the app asks about the rest).
    aliases: &[
        ("id", "request_id"),
        ("#", "request_id"),
        ("no", "request_id"),
        ("no.", "request_id"),
        ("ref", "request_id"),
        ("reference", "request_id"),
        ("request", "request_id"),
        ("request_#", "request_id"),
        ("request_no", "request_id"),
        ("request_no.", "request_id"),
        ("request_number", "request_id"),
        ("request_ref", "request_id"),
        ("pbc", "request_id"),
        ("pbc_#", "request_id"),
        ("pbc_id", "request_id"),
        ("pbc_no", "request_id"),
        ("pbc_ref", "request_id"),
        ("item_#", "request_id"),
        ("item_no", "request_id"),
        ("request_description", "description"),
        ("request_detail", "description"),
        ("request_details", "description"),
        ("details", "description"),
        ("information_requested", "description"),
        ("item_requested", "description"),
        ("requested_item", "description"),
        ("documentation_requested", "description"),
        ("evidence_requested", "description"),
        ("due_date", "due_on"),
        ("due", "due_on"),
        ("date_due", "due_on"),
        ("deadline", "due_on"),
        ("tsc", "criteria"),
        ("tsc_reference", "criteria"),
        ("trust_services_criteria", "criteria"),
        ("criteria_reference", "criteria"),
        ("control", "controls"),
        ("control_id", "controls"),
        ("control_reference", "controls"),
        ("owner", "owner_email"),
        ("assigned_to", "owner_email"),
        ("assignee", "owner_email"),
        ("comments", "notes"),
        ("comment", "notes"),
        ("auditor_comments", "notes"),
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

/// Which requests a list shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RequestQuery {
    /// Words in the request id, what is asked, the criteria or the notes.
    pub search: String,
    pub status: Option<RequestStatus>,
    /// Only the requests not yet answered whose due date has passed.
    pub overdue_only: bool,
    pub include_archived: bool,
}

/// A request as the list shows it on a day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RequestRow {
    pub request: AuditRequest,
    /// Not yet provided or accepted, and due before the day.
    pub overdue: bool,
    /// Not yet provided or accepted, and due within a week of the day.
    pub due_soon: bool,
    /// How many things answer it (controls, evidence, policies, populations).
    pub linked: u32,
}

fn waiting(status: RequestStatus) -> bool {
    matches!(status, RequestStatus::Open | RequestStatus::FollowUp)
}

/// The requests a query selects, by request id, as they stand on `today`.
pub fn rows(conn: &Connection, today: NaiveDate, q: &RequestQuery) -> Result<Vec<RequestRow>> {
    let week = today.checked_add_days(chrono::Days::new(7)).unwrap_or(today);
    let pattern = format!("%{}%", crate::list::escape_like(q.search.trim()));
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT id FROM audit_requests
             WHERE (?1 OR archived_at IS NULL) AND (?2 IS NULL OR status = ?2)
               AND (?3 = '%%' OR reference LIKE ?3 ESCAPE '\\' OR description LIKE ?3 ESCAPE '\\'
                    OR criteria LIKE ?3 ESCAPE '\\' OR notes LIKE ?3 ESCAPE '\\')
             ORDER BY reference COLLATE NOCASE, id",
        )?
        .query_map(rusqlite::params![q.include_archived, q.status.map(|s| s.as_str()), pattern], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(ids.len());
    for id in ids {
        let request = get(conn, id)?;
        let due = request.due_on.filter(|_| waiting(request.status));
        let overdue = due.is_some_and(|d| d < today);
        if q.overdue_only && !overdue {
            continue;
        }
        let linked: u32 = conn.query_row(
            "SELECT (SELECT count(*) FROM audit_request_evidence WHERE request_id = ?1)
                  + (SELECT count(*) FROM audit_request_policies WHERE request_id = ?1)
                  + (SELECT count(*) FROM audit_request_populations WHERE request_id = ?1)",
            [id],
            |r| r.get(0),
        )?;
        out.push(RequestRow {
            overdue,
            due_soon: due.is_some_and(|d| today <= d && d <= week),
            linked: linked + request.controls.len() as u32,
            request,
        });
    }
    Ok(out)
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

/// What can answer a request: a control, evidence on record, a policy, or a population the
/// binder writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[ts(export)]
pub enum RequestLink {
    Control(i64),
    Evidence(i64),
    Policy(i64),
    Population(Population),
}

/// A request with what answers it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RequestDetail {
    pub request: AuditRequest,
    pub evidence: Vec<OwnedEvidence>,
    pub policies: Vec<NamedRef>,
    pub populations: Vec<Population>,
    pub history: Vec<crate::history::HistoryEntry>,
}

/// A request and everything linked to it.
pub fn detail(conn: &Connection, id: i64) -> Result<RequestDetail> {
    let request = get(conn, id)?;
    let ids = |sql: &str| -> Result<Vec<i64>> {
        Ok(conn.prepare_cached(sql)?.query_map([id], |r| r.get(0))?.collect::<rusqlite::Result<Vec<i64>>>()?)
    };
    let evidence = ids("SELECT x.evidence_id FROM audit_request_evidence x JOIN evidence e ON e.id = x.evidence_id
         WHERE x.request_id = ?1 ORDER BY e.effective_date, e.file_name, e.id")?
    .into_iter()
    .map(|e| Ok(OwnedEvidence { evidence: evidence::get(conn, e)?, owner: evidence::owner_of(conn, e)? }))
    .collect::<Result<Vec<_>>>()?;
    let policies = conn
        .prepare_cached(
            "SELECT p.id, p.title FROM audit_request_policies x JOIN policies p ON p.id = x.policy_id
             WHERE x.request_id = ?1 ORDER BY p.title COLLATE NOCASE",
        )?
        .query_map([id], |r| Ok(NamedRef { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut populations = conn
        .prepare_cached("SELECT population FROM audit_request_populations WHERE request_id = ?1")?
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .iter()
        .filter_map(|p| Population::parse(p))
        .collect::<Vec<_>>();
    populations.sort_by_key(|p| Population::ALL.iter().position(|q| q == p));
    let history = crate::history::list(conn, Register::Requests, id)?;
    Ok(RequestDetail { request, evidence, policies, populations, history })
}

/// The link in words, as history and suggestions name it; fails when its target does not exist.
fn describe(conn: &Connection, link: RequestLink) -> Result<(&'static str, String)> {
    let name = |sql: &str, id: i64, what: &str| -> Result<String> {
        conn.prepare_cached(sql)?
            .query_row([id], |r| r.get::<_, String>(0))
            .optional()?
            .ok_or_else(|| Error::not_found(format!("No {what} with id {id}.")))
    };
    Ok(match link {
        RequestLink::Control(id) => ("controls", name("SELECT reference FROM controls WHERE id = ?1", id, "control")?),
        RequestLink::Policy(id) => ("policies", name("SELECT title FROM policies WHERE id = ?1", id, "policy")?),
        RequestLink::Population(p) => ("populations", p.label().to_owned()),
        RequestLink::Evidence(id) => {
            let e = evidence::get(conn, id)?;
            let what = if e.sha256.is_some() { e.file_name.clone() } else { e.reference.clone() };
            ("evidence", format!("{what} ({}, {})", evidence::owner_of(conn, id)?, e.effective_date))
        }
    })
}

fn link_table(link: RequestLink) -> (&'static str, &'static str, Value) {
    match link {
        RequestLink::Control(id) => ("audit_request_controls", "control_id", id.into()),
        RequestLink::Evidence(id) => ("audit_request_evidence", "evidence_id", id.into()),
        RequestLink::Policy(id) => ("audit_request_policies", "policy_id", id.into()),
        RequestLink::Population(p) => ("audit_request_populations", "population", p.as_str().to_owned().into()),
    }
}

/// Links something to a request (nothing happens when it is linked already); the request's
/// history records it. Withdrawn evidence cannot be linked: it no longer counts.
pub fn link(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, link: RequestLink) -> Result<RequestDetail> {
    get(tx, id)?;
    let (field, label) = describe(tx, link)?;
    if let RequestLink::Evidence(e) = link {
        if evidence::get(tx, e)?.removed_at.is_some() {
            return Err(Error::field("evidence", "This evidence was withdrawn, so it cannot answer a request."));
        }
    }
    let (table, column, value) = link_table(link);
    let added = tx.execute(
        &format!("INSERT OR IGNORE INTO {table} (request_id, {column}) VALUES (?1, ?2)"),
        rusqlite::params![id, value],
    )?;
    if added > 0 {
        touch(tx, now, id, Diff::new().field(field, None, Some(label)))?;
    }
    detail(tx, id)
}

/// Removes a link from a request (nothing happens when it is not linked); history records it.
pub fn unlink(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, link: RequestLink) -> Result<RequestDetail> {
    get(tx, id)?;
    let (table, column, value) = link_table(link);
    // Described before it goes: the label needs the target, which stays.
    let described = describe(tx, link);
    let removed = tx.execute(
        &format!("DELETE FROM {table} WHERE request_id = ?1 AND {column} = ?2"),
        rusqlite::params![id, value],
    )?;
    if removed > 0 {
        let (field, label) = described?;
        touch(tx, now, id, Diff::new().field(field, Some(label), None))?;
    }
    detail(tx, id)
}

fn touch(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, diff: &mut Diff) -> Result<()> {
    tx.execute("UPDATE audit_requests SET updated_at = ?1 WHERE id = ?2", rusqlite::params![stamp(now), id])?;
    let changes = std::mem::take(diff).into_changes();
    crate::history::record(tx, now, Register::Requests, id, crate::history::HistoryAction::Update, changes)
}

/// Something that may answer a request, and why it is suggested.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Suggestion {
    pub link: RequestLink,
    /// What it is ("Control AC-01: Quarterly access review").
    pub label: String,
    /// Why it is suggested ("meets CC6.2", "named in the request").
    pub reason: String,
}

/// Words that say nothing about what a request is about.
const STOP_WORDS: &[&str] = &[
    "about",
    "across",
    "after",
    "all",
    "also",
    "and",
    "any",
    "are",
    "been",
    "before",
    "being",
    "both",
    "copy",
    "copies",
    "date",
    "dated",
    "dates",
    "each",
    "evidence",
    "example",
    "for",
    "from",
    "have",
    "including",
    "list",
    "listing",
    "other",
    "over",
    "page",
    "please",
    "period",
    "policy",
    "policies",
    "provide",
    "provided",
    "related",
    "report",
    "sample",
    "samples",
    "screenshot",
    "screenshots",
    "selected",
    "show",
    "showing",
    "such",
    "support",
    "supporting",
    "that",
    "their",
    "them",
    "these",
    "this",
    "those",
    "through",
    "under",
    "upon",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "with",
    "within",
    "window",
    "documentation",
    "document",
    "documents",
    "during",
    "completed",
    "complete",
];

/// The words of a text worth comparing: lowercase, at least four letters, not a stop word,
/// a plural's final "s" dropped.
fn words(text: &str) -> std::collections::BTreeSet<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && w.chars().all(char::is_alphabetic) && !STOP_WORDS.contains(&w.as_str()))
        .map(|w| if w.ends_with('s') && !w.ends_with("ss") { w[..w.len() - 1].to_owned() } else { w })
        .collect()
}

/// What a request's words say about the populations it wants.
const POPULATION_WORDS: &[(Population, &[&str])] = &[
    (Population::NewHires, &["new hire", "newly hired", "onboard", "joiner", "new employee"]),
    (Population::Leavers, &["terminat", "leaver", "offboard", "separated", "separation", "departed"]),
    (Population::Changes, &["change"]),
    (Population::Incidents, &["incident"]),
    (Population::AccessReviews, &["access review", "user access", "access recertification"]),
    (Population::TrainingCompletions, &["training", "awareness"]),
    (
        Population::PolicyApprovals,
        &["policy approval", "policies approv", "policy approv", "approval of polic", "approved polic"],
    ),
    (Population::PolicyAcknowledgements, &["acknowledg", "attestation"]),
    (Population::Vendors, &["vendor", "third part", "third-part", "subservice", "supplier"]),
    (
        Population::Systems,
        &["system inventory", "asset inventory", "inventory of system", "list of systems", "in-scope systems"],
    ),
];

/// The controls, policies, populations and evidence that match a request: the criteria and
/// control references it names, and its words. Evidence is suggested from the range (its
/// controls' evidence, and files whose names share the request's words). What is linked
/// already is left out.
pub fn suggestions(conn: &Connection, id: i64, (from, to): (NaiveDate, NaiveDate)) -> Result<Vec<Suggestion>> {
    let current = detail(conn, id)?;
    let r = &current.request;
    let text = format!("{} {} {}", r.description, r.criteria, r.notes);
    let lower = text.to_lowercase();
    let tokens: std::collections::BTreeSet<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '.' || c == '-'))
        .map(|t| t.trim_matches(['.', '-']).to_uppercase())
        .filter(|t| !t.is_empty())
        .collect();
    let wanted = words(&format!("{} {}", r.description, r.notes));
    let mut out = Vec::new();

    // Controls: named in the request, meeting a criterion it names, or titled in its words.
    let linked_controls: Vec<i64> = r.controls.iter().map(|c| c.id).collect();
    let controls = conn
        .prepare_cached(
            "SELECT c.id, c.reference, c.title, coalesce(group_concat(x.criterion_id, ' '), '')
             FROM controls c LEFT JOIN control_criteria x ON x.control_id = c.id
             WHERE c.archived_at IS NULL GROUP BY c.id ORDER BY c.reference COLLATE NOCASE",
        )?
        .query_map([], |row| {
            Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?, row.get::<_, String>(2)?, row.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut suggested_controls = Vec::new();
    for (cid, reference, title, criteria) in controls {
        if linked_controls.contains(&cid) {
            continue;
        }
        let met: Vec<&str> =
            criteria.split(' ').filter(|c| !c.is_empty() && tokens.contains(&c.to_uppercase())).collect();
        let shared: Vec<String> = words(&title).intersection(&wanted).cloned().collect();
        let reason = if tokens.contains(&reference.to_uppercase()) {
            "named in the request".to_owned()
        } else if !met.is_empty() {
            format!("meets {}", met.join(", "))
        } else if shared.len() >= 2 {
            format!("its title shares the words {}", shared.join(", "))
        } else {
            continue;
        };
        suggested_controls.push(cid);
        out.push(Suggestion {
            link: RequestLink::Control(cid),
            label: format!("Control {reference}: {title}"),
            reason,
        });
    }

    // Policies: named in full, or titled in the request's words.
    let linked_policies: Vec<i64> = current.policies.iter().map(|p| p.id).collect();
    let policies = conn
        .prepare_cached("SELECT id, title FROM policies WHERE archived_at IS NULL ORDER BY title COLLATE NOCASE")?
        .query_map([], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (pid, title) in policies {
        if linked_policies.contains(&pid) {
            continue;
        }
        let shared: Vec<String> = words(&title).intersection(&wanted).cloned().collect();
        let named = lower.contains(&title.to_lowercase());
        if named || shared.len() >= 2 {
            let reason = if named {
                "named in the request".to_owned()
            } else {
                format!("its title shares the words {}", shared.join(", "))
            };
            out.push(Suggestion { link: RequestLink::Policy(pid), label: format!("Policy: {title}"), reason });
        }
    }

    // Populations the request's words ask for.
    for (p, cues) in POPULATION_WORDS {
        if current.populations.contains(p) {
            continue;
        }
        if let Some(cue) = cues.iter().find(|c| lower.contains(*c)) {
            out.push(Suggestion {
                link: RequestLink::Population(*p),
                label: format!("Population: {} ({})", p.label(), p.path()),
                reason: format!("the request mentions “{}”", cue.trim_end_matches(['_'])),
            });
        }
    }

    // Evidence in the range: the latest of each named or suggested control, then files whose
    // names or notes share two of the request's words.
    let linked_evidence: Vec<i64> = current.evidence.iter().map(|e| e.evidence.id).collect();
    let mut seen = linked_evidence.clone();
    for cid in linked_controls.iter().chain(&suggested_controls) {
        let rows = conn
            .prepare_cached(
                "SELECT e.id, c.reference FROM evidence e JOIN control_activities a ON a.id = e.activity_id
                 JOIN controls c ON c.id = a.control_id
                 WHERE a.control_id = ?1 AND a.withdrawn_at IS NULL AND e.removed_at IS NULL
                   AND e.effective_date BETWEEN ?2 AND ?3
                 ORDER BY e.effective_date DESC, e.id DESC LIMIT 4",
            )?
            .query_map(rusqlite::params![cid, from.to_string(), to.to_string()], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        for (eid, reference) in rows {
            if seen.contains(&eid) {
                continue;
            }
            seen.push(eid);
            let (_, label) = describe(conn, RequestLink::Evidence(eid))?;
            out.push(Suggestion {
                link: RequestLink::Evidence(eid),
                label,
                reason: format!("evidence of {reference} in the range"),
            });
        }
    }
    if !wanted.is_empty() {
        let sql = format!(
            "SELECT id, name FROM ({}) ORDER BY effective_date DESC, id DESC",
            evidence::counted_owners_query(
                "e.id AS id, e.file_name || ' ' || e.reference || ' ' || e.description || ' ' || {owner} AS name, e.effective_date AS effective_date",
                "e.removed_at IS NULL AND e.effective_date BETWEEN ?1 AND ?2",
            )
        );
        let rows = conn
            .prepare_cached(&sql)?
            .query_map([from.to_string(), to.to_string()], |row| Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut by_words = 0;
        for (eid, name) in rows {
            if by_words >= 8 || seen.contains(&eid) {
                continue;
            }
            let shared: Vec<String> = words(&name).intersection(&wanted).cloned().collect();
            if shared.len() >= 2 {
                seen.push(eid);
                by_words += 1;
                let (_, label) = describe(conn, RequestLink::Evidence(eid))?;
                out.push(Suggestion {
                    link: RequestLink::Evidence(eid),
                    label,
                    reason: format!("shares the words {}", shared.join(", ")),
                });
            }
        }
    }
    Ok(out)
}
