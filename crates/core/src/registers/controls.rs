//! Controls: what the company does to meet the criteria, who owns it, how often it runs,
//! and the dated activities that prove it ran. Next due is derived, never typed.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::csv_import::{Applied, Cells};
use crate::error::{Error, ErrorCode, Result};
use crate::history::{self, Diff, HistoryEntry};
use crate::list::{direction, Filter, Page};
use crate::occurrences::{record_with_evidence, written, EvidenceFile, OccurrenceKind};
use crate::record::{self, Editable};
use crate::refs::{OccurrenceSource, Register};
use crate::starter::controls::STARTER_CONTROLS;
use crate::validate::{parse_date, Validator};

string_enum!(
    ControlStatus default NotStarted {
        NotStarted = "not_started" / "Not started",
        InProgress = "in_progress" / "In progress",
        Implemented = "implemented" / "Implemented",
        /// Needs a written justification.
        NotApplicable = "not_applicable" / "Not applicable",
    }
);

pub use crate::refs::Cadence;

pub use crate::refs::PersonRef;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Control {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub owner: Option<PersonRef>,
    pub status: ControlStatus,
    pub na_justification: String,
    pub cadence: Cadence,
    /// Mapped criterion IDs in library order.
    pub criteria: Vec<String>,
    /// The registers whose records count as its occurrences.
    pub sources: Vec<OccurrenceSource>,
    pub last_performed: Option<NaiveDate>,
    /// Derived from the cadence and the last activity.
    pub next_due: Option<NaiveDate>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ControlInput {
    pub reference: String,
    pub title: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub status: ControlStatus,
    pub na_justification: String,
    pub cadence: Cadence,
    pub criteria: Vec<String>,
    /// The registers whose records count as its occurrences; none leaves them as they are.
    #[serde(default)]
    pub sources: Option<Vec<OccurrenceSource>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ControlSort {
    #[default]
    Reference,
    Title,
    Status,
    Cadence,
    Owner,
    LastPerformed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ControlQuery {
    /// Matches reference, title or description, case-insensitively.
    pub search: String,
    pub status: Option<ControlStatus>,
    pub cadence: Option<Cadence>,
    pub owner_id: Option<i64>,
    /// Only controls mapped to this criterion.
    pub criterion: Option<String>,
    pub include_archived: bool,
    /// Only controls a readiness check finds failing (or falling due) on the list's date.
    #[serde(default)]
    #[ts(optional)]
    pub attention: Option<crate::refs::AttentionFilter>,
    pub sort: ControlSort,
    pub descending: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for ControlQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            status: None,
            cadence: None,
            owner_id: None,
            criterion: None,
            include_archived: false,
            attention: None,
            sort: ControlSort::Reference,
            descending: false,
            offset: 0,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Activity {
    pub id: i64,
    pub performed_on: NaiveDate,
    pub performed_by: Option<PersonRef>,
    pub notes: String,
    pub created_at: String,
    /// Set when it was withdrawn: it is kept, struck through, and counts nowhere.
    pub withdrawn: Option<crate::occurrences::Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityInput {
    pub performed_on: String,
    pub performed_by: Option<i64>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ControlDetail {
    pub control: Control,
    /// Newest first.
    pub activities: Vec<Activity>,
    /// Files attached to the activities, newest effective date first.
    pub evidence: Vec<crate::evidence::Evidence>,
    pub history: Vec<HistoryEntry>,
    /// How an auditor tests it and what to keep, for a control of the starter library.
    pub guide: Option<crate::starter::controls::ControlGuide>,
}

/// The columns of a control, `last_performed` among them: the latest of its own activities and
/// of the records of the registers it draws on (an access review for "Quarterly access
/// reviews"), as the readiness checks count them.
static SELECT: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    let mut latest = vec![
        "SELECT max(a.performed_on) AS d FROM control_activities a WHERE a.control_id = c.id AND a.withdrawn_at IS NULL"
            .to_owned(),
    ];
    for source in OccurrenceSource::ALL {
        if let Some((table, date, counts)) = source.stored() {
            latest.push(format!(
                "SELECT (SELECT max(x.{date}) FROM {table} x WHERE {counts}) FROM control_sources s
                 WHERE s.control_id = c.id AND s.source = '{}'",
                source.as_str()
            ));
        }
    }
    format!(
        "SELECT c.id, c.reference, c.title, c.description, c.owner_id, p.name, c.status, c.na_justification,
           c.cadence, c.archived_at, c.created_at, c.updated_at,
           (SELECT group_concat(cc.criterion_id, ' ') FROM
               (SELECT cc.criterion_id FROM control_criteria cc JOIN criteria k ON k.id = cc.criterion_id
                WHERE cc.control_id = c.id ORDER BY k.sort_order) cc) AS criteria,
           (SELECT max(d) FROM ({})) AS last_performed,
           (SELECT group_concat(s.source, ' ') FROM (SELECT source FROM control_sources
                WHERE control_id = c.id ORDER BY source) s) AS sources
         FROM controls c LEFT JOIN people p ON p.id = c.owner_id",
        latest.join(" UNION ALL ")
    )
});

fn from_row(r: &Row<'_>) -> rusqlite::Result<Control> {
    let owner = match (r.get::<_, Option<i64>>(4)?, r.get::<_, Option<String>>(5)?) {
        (Some(id), Some(name)) => Some(PersonRef { id, name }),
        _ => None,
    };
    let cadence = Cadence::parse(&r.get::<_, String>(8)?).unwrap_or_default();
    let last_performed = r.get::<_, Option<String>>(13)?.as_deref().and_then(parse_date);
    Ok(Control {
        id: r.get(0)?,
        reference: r.get(1)?,
        title: r.get(2)?,
        description: r.get(3)?,
        owner,
        status: ControlStatus::parse(&r.get::<_, String>(6)?).unwrap_or_default(),
        na_justification: r.get(7)?,
        cadence,
        archived: r.get::<_, Option<String>>(9)?.is_some(),
        created_at: r.get(10)?,
        updated_at: r.get(11)?,
        criteria: r
            .get::<_, Option<String>>(12)?
            .map(|s| s.split(' ').map(str::to_owned).collect())
            .unwrap_or_default(),
        sources: r
            .get::<_, Option<String>>(14)?
            .unwrap_or_default()
            .split(' ')
            .filter_map(OccurrenceSource::parse)
            .collect(),
        last_performed,
        next_due: last_performed.and_then(|d| cadence.next_due(d)),
    })
}

/// One page of controls matching the query, with the total count. The query's `attention` is
/// judged by the readiness checks, above this module: `attention::list_controls`
/// applies it; here it is left out.
pub fn list(conn: &Connection, q: &ControlQuery) -> Result<Page<Control>> {
    list_among(conn, q, None)
}

/// [`list`], keeping only the controls `only` names (when given).
pub fn list_among(conn: &Connection, q: &ControlQuery, only: Option<&[i64]>) -> Result<Page<Control>> {
    let mut f = Filter::new();
    if let Some(ids) = only {
        let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(", ");
        f.clause(format!("c.id IN ({list})"));
    }
    f.archived(q.include_archived, "c")
        .search(&q.search, &["c.reference", "c.title", "c.description"])
        .eq("c.status", q.status.map(|s| s.as_str().to_owned()))
        .eq("c.cadence", q.cadence.map(|c| c.as_str().to_owned()))
        .eq("c.owner_id", q.owner_id);
    if let Some(criterion) = q.criterion.as_deref().filter(|c| !c.is_empty()) {
        let p = f.arg(criterion.to_owned());
        f.clause(format!(
            "EXISTS (SELECT 1 FROM control_criteria x WHERE x.control_id = c.id AND x.criterion_id = {p})"
        ));
    }
    let dir = direction(q.descending);
    let order = match q.sort {
        ControlSort::Reference => format!("c.reference COLLATE NOCASE {dir}"),
        ControlSort::Title => format!("c.title COLLATE NOCASE {dir}, c.reference"),
        ControlSort::Status => format!("c.status {dir}, c.reference"),
        ControlSort::Cadence => format!("c.cadence {dir}, c.reference"),
        ControlSort::Owner => format!("p.name IS NULL, p.name COLLATE NOCASE {dir}, c.reference"),
        ControlSort::LastPerformed => format!("last_performed IS NULL, last_performed {dir}, c.reference"),
    };
    f.page(conn, "FROM controls c", &SELECT, &order, (q.offset, q.limit), from_row)
}

pub fn get(conn: &Connection, id: i64) -> Result<Control> {
    conn.prepare_cached(&format!("{} WHERE c.id = ?1", *SELECT))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No control with id {id}.")))
}

pub fn find_by_reference(conn: &Connection, reference: &str) -> Result<Option<Control>> {
    Ok(conn
        .prepare_cached(&format!("{} WHERE c.reference = ?1", *SELECT))?
        .query_row([reference.trim()], from_row)
        .optional()?)
}

pub fn detail(conn: &Connection, id: i64) -> Result<ControlDetail> {
    let control = get(conn, id)?;
    let sql = "SELECT a.id, a.performed_on, a.performed_by, p.name, a.notes, a.created_at, a.withdrawn_at,
        a.withdrawn_reason FROM control_activities a
        LEFT JOIN people p ON p.id = a.performed_by WHERE a.control_id = ?1 ORDER BY a.performed_on DESC, a.id DESC";
    let activities = crate::occurrences::dated_rows(conn, sql, id, "activity")?
        .into_iter()
        .map(|r| Activity {
            id: r.id,
            performed_on: r.performed_on,
            performed_by: r.performed_by,
            notes: r.text,
            created_at: r.created_at,
            withdrawn: r.withdrawn,
        })
        .collect();
    let history = history::list(conn, Register::Controls, id)?;
    let evidence = crate::evidence::for_control(conn, id)?;
    let guide = crate::starter::controls::guide(&control.reference);
    Ok(ControlDetail { control, activities, evidence, history, guide })
}

/// Validated, normalised control values.
pub struct Valid {
    pub reference: String,
    pub title: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub status: ControlStatus,
    pub na_justification: String,
    pub cadence: Cadence,
    pub criteria: Vec<String>,
    pub sources: Option<Vec<OccurrenceSource>>,
}

fn is_reference(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphanumeric())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && s.len() <= 32
}

fn write_criteria(tx: &Transaction<'_>, id: i64, criteria: &[String]) -> Result<()> {
    tx.execute("DELETE FROM control_criteria WHERE control_id = ?1", [id])?;
    let mut stmt = tx.prepare_cached("INSERT INTO control_criteria (control_id, criterion_id) VALUES (?1, ?2)")?;
    for c in criteria {
        stmt.execute(params![id, c])?;
    }
    Ok(())
}

record_kind!(Control in Controls, load(conn, id, now) { get(conn, id) }, editable(ControlInput), archive = set_archived);

impl Editable for Control {
    type Input = ControlInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] =
        &["reference", "title", "description", "owner_id", "status", "na_justification", "cadence"];

    fn validate(conn: &Connection, _now: DateTime<Utc>, input: &ControlInput, old: Option<&Self>) -> Result<Valid> {
        let this_id = old.map(|c| c.id);
        let mut v = Validator::new();
        let reference = v.required("reference", "Reference", &input.reference, 32);
        if !reference.is_empty() && !v.has("reference") && !is_reference(&reference) {
            v.add("reference", "Reference may hold letters, digits, '-', '_' and '.', e.g. AC-03.");
        }
        if !v.has("reference") {
            let clash: Option<(i64, String)> = conn
                .prepare_cached("SELECT id, title FROM controls WHERE reference = ?1")?
                .query_row([&reference], |r| Ok((r.get(0)?, r.get(1)?)))
                .optional()?;
            if let Some((_, title)) = clash.filter(|(id, _)| Some(*id) != this_id) {
                v.add("reference", format!("{reference} is already used by “{title}”."));
            }
        }
        let title = v.required("title", "Title", &input.title, 200);
        let description = v.optional("description", "Description", &input.description, 20_000);
        let na_justification = v.optional("na_justification", "Justification", &input.na_justification, 5_000);
        if input.status == ControlStatus::NotApplicable && na_justification.is_empty() {
            v.add("na_justification", "Say why the control does not apply; the auditor will ask.");
        }
        let previous = old.and_then(|c| c.owner.as_ref().map(|o| o.id));
        v.active_person(conn, "owner_id", input.owner_id, previous, "owner")?;
        let mut criteria: Vec<String> = Vec::new();
        let mut unknown = Vec::new();
        for raw in &input.criteria {
            let id = raw.trim().to_ascii_uppercase();
            if id.is_empty() || criteria.contains(&id) {
                continue;
            }
            let exists: bool = conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM criteria WHERE id = ?1)")?
                .query_row([&id], |r| r.get(0))?;
            if exists {
                criteria.push(id);
            } else {
                unknown.push(raw.trim().to_owned());
            }
        }
        if !unknown.is_empty() {
            v.add("criteria", format!("Unknown criteria: {}. Use IDs such as CC6.1.", unknown.join(", ")));
        }
        v.finish()?;
        Ok(Valid {
            reference,
            title,
            description,
            owner_id: input.owner_id,
            status: input.status,
            na_justification,
            cadence: input.cadence,
            criteria,
            // A new control from the starter library comes with its sources.
            sources: match (&input.sources, old) {
                (Some(s), _) => Some(s.clone()),
                (None, None) => Some(crate::starter::controls::sources_of(&input.reference)),
                (None, Some(_)) => None,
            },
        })
    }

    fn diff(conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let mut d = Diff::new();
        d.field("reference", old.map(|c| c.reference.clone()), Some(new.reference.clone()))
            .field("title", old.map(|c| c.title.clone()), Some(new.title.clone()))
            .field("description", old.map(|c| c.description.clone()), Some(new.description.clone()))
            .person("owner", old.and_then(|c| c.owner.as_ref()), crate::people::name_of(conn, new.owner_id)?)
            .field("status", old.map(|c| c.status.as_str().to_owned()), Some(new.status.as_str().to_owned()))
            .field("na_justification", old.map(|c| c.na_justification.clone()), Some(new.na_justification.clone()))
            .field("cadence", old.map(|c| c.cadence.as_str().to_owned()), Some(new.cadence.as_str().to_owned()));
        let mut old_criteria = old.map(|c| c.criteria.clone()).unwrap_or_default();
        let mut new_criteria = new.criteria.clone();
        old_criteria.sort();
        new_criteria.sort();
        d.field("criteria", Some(old_criteria.join(" ")), Some(new_criteria.join(" ")));
        if let Some(sources) = &new.sources {
            let text = |s: &[OccurrenceSource]| {
                let mut keys: Vec<&str> = s.iter().map(|x| x.as_str()).collect();
                keys.sort_unstable();
                keys.dedup();
                keys.join(" ")
            };
            d.field("occurrence_sources", old.map(|c| text(&c.sources)), Some(text(sources)));
        }
        Ok(d)
    }

    fn values(v: &Valid) -> Vec<Value> {
        vec![
            v.reference.clone().into(),
            v.title.clone().into(),
            v.description.clone().into(),
            v.owner_id.into(),
            v.status.as_str().to_owned().into(),
            v.na_justification.clone().into(),
            v.cadence.as_str().to_owned().into(),
        ]
    }

    fn write_children(tx: &Transaction<'_>, id: i64, valid: &Valid) -> Result<()> {
        write_criteria(tx, id, &valid.criteria)?;
        if let Some(sources) = &valid.sources {
            tx.execute("DELETE FROM control_sources WHERE control_id = ?1", [id])?;
            for s in sources {
                tx.prepare_cached("INSERT OR IGNORE INTO control_sources (control_id, source) VALUES (?1, ?2)")?
                    .execute(params![id, s.as_str()])?;
            }
        }
        Ok(())
    }
}

/// Deletes a draft: a control not started, with no activities. Anything else is archived.
pub fn delete_draft(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let control = get(tx, id)?;
    let activities: i64 = tx
        .prepare_cached("SELECT count(*) FROM control_activities WHERE control_id = ?1")?
        .query_row([id], |r| r.get(0))?;
    if control.status != ControlStatus::NotStarted || activities > 0 {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!(
                "{} has started or has recorded activities; archive it instead so the record is kept.",
                control.reference
            ),
        ));
    }
    tx.execute("DELETE FROM controls WHERE id = ?1", [id])?;
    tx.execute("DELETE FROM history WHERE entity = 'control' AND entity_id = ?1", [id])?;
    Ok(())
}

pub fn add_activity(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    control_id: i64,
    input: &ActivityInput,
) -> Result<Activity> {
    add_activity_with_file(tx, now, &crate::attachments::Attachments::default(), control_id, input, None)
}

/// A file to attach while recording an activity.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ActivityFile {
    pub file_name: String,
    /// Optional expiry of the evidence (YYYY-MM-DD).
    pub expires_on: String,
}

pub(crate) const ACTIVITY: OccurrenceKind = OccurrenceKind {
    what: "an activity",
    what_plural: "activities",
    history_field: "activity",
    parent: Register::Controls,
    by_field: "performed_by",
    evidence_of: Some(crate::evidence::EvidenceTarget::Activity),
    table: "control_activities",
    parent_column: "control_id",
    text_columns: &["notes"],
    describe: crate::occurrences::in_words,
    date_column: "performed_on",
    date_label: "Performed on",
    person_word: "by",
    withdrawable: true,
};

/// Records an activity and, in the same transaction, attaches its evidence file: effective
/// on the date the activity was performed, added by the person who performed it.
pub fn add_activity_with_file(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    attachments: &crate::attachments::Attachments,
    control_id: i64,
    input: &ActivityInput,
    file: Option<(&ActivityFile, crate::evidence::Content<'_>)>,
) -> Result<Activity> {
    let control = get(tx, control_id)?;
    let occurrence = ACTIVITY.on(control_id, control.archived, &input.performed_on, input.performed_by);
    let id = record_with_evidence(
        tx,
        now,
        attachments,
        &occurrence,
        |v| Ok(v.optional("notes", "Notes", &input.notes, 20_000)),
        |on, notes| {
            tx.execute(
                "INSERT INTO control_activities (control_id, performed_on, performed_by, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![control_id, on.to_string(), input.performed_by, notes, stamp(now)],
            )?;
            Ok((tx.last_insert_rowid(), format!("performed on {on}")))
        },
        file.map(|(meta, content)| EvidenceFile {
            expires_on: &meta.expires_on,
            ..EvidenceFile::from(crate::evidence::Upload { name: &meta.file_name, content })
        }),
    )?;
    written(detail(tx, control_id)?.activities, |a| a.id == id, "activity")
}

/// Corrects activity `id` (its date, who performed it and its notes), with the values before
/// in the control's history. Returns whether anything changed.
pub fn correct_activity(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &ActivityInput) -> Result<bool> {
    crate::occurrences::correct(tx, now, &ACTIVITY, id, (&input.performed_on, input.performed_by), |v| {
        Ok(vec![v.optional("notes", "Notes", &input.notes, 20_000).into()])
    })
}

/// What the starter library holds, for the "add starter controls" offer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct StarterSummary {
    pub total: u32,
    /// How many of them the workspace does not have yet (matched on reference).
    pub missing: u32,
}

pub fn starter_summary(conn: &Connection) -> Result<StarterSummary> {
    let mut missing = 0;
    for s in STARTER_CONTROLS {
        if find_by_reference(conn, s.reference)?.is_none() {
            missing += 1;
        }
    }
    Ok(StarterSummary { total: STARTER_CONTROLS.len() as u32, missing })
}

/// Adds every starter control whose reference the workspace does not have yet.
/// Returns how many were added.
pub fn install_starter(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<u32> {
    let mut added = 0;
    for s in STARTER_CONTROLS {
        if find_by_reference(tx, s.reference)?.is_some() {
            continue;
        }
        // The role that usually owns it, when the workspace has mapped that role to someone.
        let owner = match crate::starter::controls::guide(s.reference) {
            Some(g) => crate::roles::active_holder(tx, &g.role, now.date_naive())?,
            None => None,
        };
        let input = ControlInput {
            reference: s.reference.to_owned(),
            title: s.title.to_owned(),
            description: s.description.to_owned(),
            owner_id: owner.map(|p| p.id),
            status: ControlStatus::NotStarted,
            na_justification: String::new(),
            cadence: s.cadence,
            criteria: s.criteria.iter().map(|c| (*c).to_owned()).collect(),
            sources: None,
        };
        create(tx, now, &input)?;
        added += 1;
    }
    Ok(added)
}

/// The controls CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &["reference", "title", "description", "owner_email", "status", "cadence", "criteria", "na_justification"],
    required: &["reference", "title"],
    aliases: &[],
    example: &[
        "AC-01",
        "Quarterly access review",
        "Each quarter the system owners review who can reach every in-scope system and remove access that is no longer needed.",
        "ana@example.com",
        "implemented",
        "quarterly",
        "CC6.2; CC6.3",
        "",
    ],
};

/// A control as CSV cells, in [`CSV_COLUMNS`] order.
fn csv_cells(conn: &Connection, c: Control) -> Result<Vec<String>> {
    Ok(vec![
        c.reference,
        c.title,
        c.description,
        crate::people::email_of(conn, c.owner.as_ref().map(|o| o.id))?,
        c.status.as_str().to_owned(),
        c.cadence.as_str().to_owned(),
        c.criteria.join(" "),
        c.na_justification,
    ])
}

/// Controls in CSV, matched on reference (see [`crate::csv_import`]).
pub struct ControlsCsv;

impl crate::csv_import::CsvRegister for ControlsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["reference"];
    const FIND: &'static str = "SELECT id FROM controls WHERE reference = ?1";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM controls WHERE archived_at IS NULL ORDER BY reference COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        csv_cells(conn, get(conn, id)?)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let input = ControlInput {
            reference: c.text("reference"),
            title: c.text("title"),
            description: c.text("description"),
            owner_id: c.person(tx, "owner_email")?,
            status: c.choice("status", ControlStatus::NotStarted),
            na_justification: c.text("na_justification"),
            cadence: c.choice("cadence", Cadence::Annual),
            criteria: crate::csvio::split_list(c.row.get("criteria")),
            sources: None,
        };
        record::save_row::<Control>(tx, now, existing, &input, &c.errors)
    }
}

/// The control activities CSV columns (documented in docs/csv.md).
pub const ACTIVITY_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "control",
        "performed_on",
        "performed_by_email",
        "notes",
        "evidence_files",
        "evidence_reference",
        "evidence_note",
    ],
    required: &["control", "performed_on"],
    aliases: &[("reference", "control")],
    example: &[
        "AC-01",
        "2026-10-02",
        "ana@example.com",
        "Q3 review of GitHub and the cloud console",
        "",
        "TICKET-812",
        "Ticket recording the Q3 review and the accounts removed",
    ],
};

/// Control activities (dated occurrences with their evidence) in CSV: each row adds one;
/// a row naming one already recorded (control, date and person) must match it.
pub struct ActivitiesCsv;

impl crate::csv_import::DatedCsv for ActivitiesCsv {
    crate::dated_csv! {
        columns: ACTIVITY_COLUMNS, table: "control_activities", target: Activity, what: "This activity",
        parent: "control" = "controls"."reference" via "control_id",
        missing: "No control has the reference {}; add it under Controls first.",
        by: "performed_by_email" = "performed_by", cells: "r.notes",
        live: "r.withdrawn_at IS NULL"
    }

    fn record(r: crate::csv_import::DatedRow<'_, '_, '_>) -> Result<Option<(i64, NaiveDate)>> {
        let input = ActivityInput {
            performed_on: r.cells.text("performed_on"),
            performed_by: r.by,
            notes: r.cells.text("notes"),
        };
        let a = add_activity_with_file(
            r.tx,
            r.now,
            &crate::attachments::Attachments::default(),
            r.parent_id,
            &input,
            None,
        )?;
        Ok(Some((a.id, a.performed_on)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).expect("test date")
    }

    #[test]
    fn next_due_follows_calendar_months() {
        assert_eq!(Cadence::Monthly.next_due(d("2026-01-31")), Some(d("2026-02-28")));
        assert_eq!(Cadence::Monthly.next_due(d("2028-01-31")), Some(d("2028-02-29")), "leap year");
        assert_eq!(Cadence::Quarterly.next_due(d("2026-11-30")), Some(d("2027-02-28")));
        assert_eq!(Cadence::Quarterly.next_due(d("2026-03-31")), Some(d("2026-06-30")));
        assert_eq!(Cadence::Annual.next_due(d("2024-02-29")), Some(d("2025-02-28")));
        assert_eq!(Cadence::Annual.next_due(d("2026-12-31")), Some(d("2027-12-31")));
        assert_eq!(Cadence::Continuous.next_due(d("2026-01-01")), None);
        assert_eq!(Cadence::PerEvent.next_due(d("2026-01-01")), None);
    }

    #[test]
    fn reference_shape() {
        for ok in ["AC-03", "GOV-01", "x", "A.1_b"] {
            assert!(is_reference(ok), "{ok}");
        }
        for bad in ["-AC", "AC 03", "AC/03", "", &"A".repeat(33)] {
            assert!(!is_reference(bad), "{bad:?}");
        }
    }
}
