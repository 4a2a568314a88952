//! Remediation actions: who fixes what by when, and what caused it.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryEntry};
use crate::list::{Filter, Page};
use crate::record::{self, Editable};
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
    pub id: i64,
    /// Reference and title, for display.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Action {
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
    pub owner_id: Option<i64>,
    pub due_date: String,
    pub status: ActionStatus,
    pub wont_do_reason: String,
    pub source_control_id: Option<i64>,
    pub source_policy_id: Option<i64>,
    pub source_risk_id: Option<i64>,
    pub source_incident_id: Option<i64>,
    pub source_exercise_id: Option<i64>,
    /// The readiness finding the action answers ([`finding_key`]); kept when an edit leaves
    /// it out.
    #[serde(default)]
    #[ts(optional)]
    pub finding: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActionQuery {
    pub search: String,
    pub status: Option<ActionStatus>,
    /// Only open or in-progress actions.
    pub open_only: bool,
    pub overdue_only: bool,
    pub source_control_id: Option<i64>,
    pub source_policy_id: Option<i64>,
    pub source_risk_id: Option<i64>,
    pub source_incident_id: Option<i64>,
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

pub struct Valid {
    reference: String,
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
    finding: Option<String>,
}

fn label(conn: &Connection, sql: &str, id: Option<i64>) -> Result<Option<String>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(conn.prepare_cached(sql)?.query_row([id], |r| r.get(0)).optional()?),
    }
}

record_kind!(Action in Actions, load(conn, id, now) { get(conn, id, now.date_naive()) }, editable(ActionInput), archive = set_archived);

impl Editable for Action {
    type Input = ActionInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] = &[
        "reference",
        "title",
        "description",
        "owner_id",
        "due_date",
        "status",
        "wont_do_reason",
        "source_control_id",
        "source_policy_id",
        "source_risk_id",
        "source_incident_id",
        "source_exercise_id",
        "finding_key",
    ];

    fn validate(conn: &Connection, _now: DateTime<Utc>, input: &ActionInput, this: Option<&Self>) -> Result<Valid> {
        let mut v = Validator::new();
        let reference = v.numbered_reference(
            conn,
            Referenced::Actions,
            &input.reference,
            32,
            this.map(|a| (a.id, a.reference.as_str())),
        )?;
        let title = v.required("title", "Title", &input.title, 200);
        let description = v.optional("description", "Description", &input.description, 20_000);
        let due_date = v.date("due_date", "Due date", &input.due_date);
        let wont_do_reason = v.optional("wont_do_reason", "Reason", &input.wont_do_reason, 5_000);
        if input.status == ActionStatus::WontDo && wont_do_reason.is_empty() {
            v.add("wont_do_reason", "Say why this will not be done; the auditor will ask.");
        }
        let previous = this.and_then(|a| a.owner.as_ref().map(|o| o.id));
        v.active_person(conn, "owner_id", input.owner_id, previous, "owner")?;
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
            ("source_control_id", "controls", input.source_control_id, "control"),
            ("source_policy_id", "policies", input.source_policy_id, "policy"),
            ("source_risk_id", "risks", input.source_risk_id, "risk"),
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
        v.finish()?;
        let finding = match (&input.finding, this) {
            (Some(key), _) => Some(key.clone()),
            (None, Some(a)) => {
                conn.prepare_cached("SELECT finding_key FROM actions WHERE id = ?1")?.query_row([a.id], |r| r.get(0))?
            }
            (None, None) => None,
        };
        Ok(Valid {
            reference,
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
            finding,
        })
    }

    fn diff(conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let mut d = Diff::new();
        d.field("reference", old.map(|a| a.reference.clone()), Some(new.reference.clone()))
            .field("title", old.map(|a| a.title.clone()), Some(new.title.clone()))
            .field("description", old.map(|a| a.description.clone()), Some(new.description.clone()))
            .person("owner", old.and_then(|a| a.owner.as_ref()), crate::people::name_of(conn, new.owner_id)?)
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
                    label(
                        conn,
                        "SELECT reference || ' ' || title FROM incidents WHERE id = ?1",
                        new.source_incident_id,
                    )?
                } else if new.source_exercise_id.is_some() {
                    label(
                        conn,
                        "SELECT reference || ' ' || title FROM exercises WHERE id = ?1",
                        new.source_exercise_id,
                    )?
                } else {
                    label(conn, "SELECT reference || ' ' || title FROM controls WHERE id = ?1", new.source_control_id)?
                },
            );
        Ok(d)
    }

    fn values(v: &Valid) -> Vec<Value> {
        vec![
            v.reference.clone().into(),
            v.title.clone().into(),
            v.description.clone().into(),
            v.owner_id.into(),
            v.due_date.map(|d| d.to_string()).into(),
            v.status.as_str().to_owned().into(),
            v.wont_do_reason.clone().into(),
            v.source_control_id.into(),
            v.source_policy_id.into(),
            v.source_risk_id.into(),
            v.source_incident_id.into(),
            v.source_exercise_id.into(),
            v.finding.clone().into(),
        ]
    }
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
    example: &[
        "",
        "Turn on MFA for the billing system",
        "The billing system still accepts passwords alone.",
        "ana@example.com",
        "2026-12-31",
        "open",
        "",
        "AC-01",
        "",
        "",
    ],
};

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
    const FIND: &'static str = "SELECT id FROM actions WHERE reference = ?1";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM actions WHERE archived_at IS NULL ORDER BY reference COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        csv_cells(conn, get(conn, id, NaiveDate::MIN)?)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let old = existing.map(|id| get(tx, id, now.date_naive())).transpose()?;
        // Incidents and exercises have no column: an action they raised keeps its source.
        let kept_source =
            |kind: Register| old.as_ref().and_then(|a| a.source.as_ref().filter(|s| s.kind == kind).map(|s| s.id));
        let input = ActionInput {
            reference: c.text("reference"),
            title: c.text("title"),
            description: c.text("description"),
            owner_id: c.person(tx, "owner_email")?,
            due_date: c.text("due_date"),
            status: c.choice("status", ActionStatus::Open),
            wont_do_reason: c.text("wont_do_reason"),
            source_control_id: c.lookup(tx, "source_control", "SELECT id FROM controls WHERE reference = ?1", |r| {
                format!("No control has the reference {r}.")
            })?,
            source_policy_id: c.lookup(tx, "source_policy", "SELECT id FROM policies WHERE title = ?1", |t| {
                format!("No policy has the title {t}.")
            })?,
            source_risk_id: c.lookup(tx, "source_risk", "SELECT id FROM risks WHERE reference = ?1", |r| {
                format!("No risk has the reference {r}.")
            })?,
            source_incident_id: kept_source(Register::Incidents),
            source_exercise_id: kept_source(Register::Exercises),
            finding: None,
        };
        record::save_row::<Action>(tx, now, existing, &input, &c.errors)
    }
}
