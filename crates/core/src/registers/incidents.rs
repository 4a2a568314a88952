//! The incident register: what happened, how bad, where it stands, who had to be told, and a
//! timestamped timeline. Time to contain and time to close are derived.

use chrono::{DateTime, NaiveDateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::changes::{moment_text, parse_moment};
use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryAction, HistoryEntry};
use crate::list::Filter;
use crate::record::{self, Editable};
use crate::refs::NamedRef;
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::validate::{Referenced, Validator};

string_enum!(
    Severity {
        Sev1 = "sev1" / "SEV1",
        Sev2 = "sev2" / "SEV2",
        Sev3 = "sev3" / "SEV3",
        Sev4 = "sev4" / "SEV4",
    }
);

string_enum!(
    IncidentStatus {
        Open = "open" / "Open",
        Contained = "contained" / "Contained",
        Eradicated = "eradicated" / "Eradicated",
        Recovered = "recovered" / "Recovered",
        /// Needs a root cause and lessons learned.
        Closed = "closed" / "Closed",
    }
);

impl IncidentStatus {
    fn rank(self) -> u8 {
        match self {
            IncidentStatus::Open => 0,
            IncidentStatus::Contained => 1,
            IncidentStatus::Eradicated => 2,
            IncidentStatus::Recovered => 3,
            IncidentStatus::Closed => 4,
        }
    }
}

/// Whether someone must be told, by when, and when they were.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Notification {
    pub required: bool,
    /// 'YYYY-MM-DD HH:MM' or a date; empty if none.
    pub deadline: String,
    pub done_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct NotificationState {
    pub required: bool,
    pub deadline: Option<String>,
    pub done_at: Option<String>,
    /// Required, not done, and the deadline has passed.
    pub overdue: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TimelineEntry {
    pub id: i64,
    pub at: String,
    pub what: String,
    pub who: String,
    /// Set when the entry was withdrawn: it stays, struck through, with when and why.
    pub withdrawn: Option<crate::occurrences::Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Incident {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub summary: String,
    pub detected_at: String,
    pub reported_by: Option<PersonRef>,
    pub severity: Severity,
    pub status: IncidentStatus,
    pub contained_at: Option<String>,
    pub closed_at: Option<String>,
    /// Minutes from detection to containment / closure.
    pub minutes_to_contain: Option<i64>,
    pub minutes_to_close: Option<i64>,
    pub affected_systems: Vec<NamedRef>,
    pub affected_data: String,
    pub personal_data: bool,
    pub root_cause: String,
    pub lessons_learned: String,
    pub customers: NotificationState,
    pub regulator: NotificationState,
    pub insurer: NotificationState,
    pub risks: Vec<NamedRef>,
    pub controls: Vec<NamedRef>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IncidentInput {
    pub reference: String,
    pub title: String,
    pub summary: String,
    pub detected_at: String,
    pub reported_by_id: Option<i64>,
    pub severity: Severity,
    pub status: IncidentStatus,
    /// Filled in with the time of the change when the status first reaches contained (or later)
    /// and this is left empty.
    pub contained_at: String,
    pub closed_at: String,
    pub system_ids: Vec<i64>,
    pub affected_data: String,
    pub personal_data: bool,
    pub root_cause: String,
    pub lessons_learned: String,
    pub customers: Notification,
    pub regulator: Notification,
    pub insurer: Notification,
    pub risk_ids: Vec<i64>,
    pub control_ids: Vec<i64>,
}

impl Default for IncidentInput {
    fn default() -> Self {
        Self {
            reference: String::new(),
            title: String::new(),
            summary: String::new(),
            detected_at: String::new(),
            reported_by_id: None,
            severity: Severity::Sev3,
            status: IncidentStatus::Open,
            contained_at: String::new(),
            closed_at: String::new(),
            system_ids: Vec::new(),
            affected_data: String::new(),
            personal_data: false,
            root_cause: String::new(),
            lessons_learned: String::new(),
            customers: Notification::default(),
            regulator: Notification::default(),
            insurer: Notification::default(),
            risk_ids: Vec::new(),
            control_ids: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct IncidentQuery {
    pub search: String,
    pub severity: Option<Severity>,
    pub status: Option<IncidentStatus>,
    /// Detected on or after this date (YYYY-MM-DD), e.g. the observation window's start.
    pub since: String,
    pub include_archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct IncidentDetail {
    pub incident: Incident,
    pub timeline: Vec<TimelineEntry>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TimelineInput {
    pub at: String,
    pub what: String,
    pub who: String,
}

const SELECT: &str = "
    SELECT i.id, i.reference, i.title, i.summary, i.detected_at, i.reported_by_id, p.name, i.severity, i.status,
           i.contained_at, i.closed_at, i.affected_data, i.personal_data, i.root_cause, i.lessons_learned,
           i.customers_required, i.customers_deadline, i.customers_done_at,
           i.regulator_required, i.regulator_deadline, i.regulator_done_at,
           i.insurer_required, i.insurer_deadline, i.insurer_done_at,
           i.archived_at, i.created_at, i.updated_at
    FROM incidents i LEFT JOIN people p ON p.id = i.reported_by_id";

fn minutes(from: &str, to: Option<&str>) -> Option<i64> {
    Some((parse_moment(to?)? - parse_moment(from)?).num_minutes())
}

fn from_row(r: &Row<'_>, now: NaiveDateTime) -> rusqlite::Result<Incident> {
    let id: i64 = r.get(0)?;
    let bad = |what: &str, v: &str| {
        rusqlite::Error::FromSqlConversionFailure(
            0,
            rusqlite::types::Type::Text,
            format!("incident {id} holds {what} {v:?}, which we never write").into(),
        )
    };
    let sev: String = r.get(7)?;
    let st: String = r.get(8)?;
    let detected_at: String = r.get(4)?;
    let contained_at: Option<String> = r.get(9)?;
    let closed_at: Option<String> = r.get(10)?;
    let notification = |i: usize| -> rusqlite::Result<NotificationState> {
        let required: bool = r.get(i)?;
        let deadline: Option<String> = r.get(i + 1)?;
        let done_at: Option<String> = r.get(i + 2)?;
        let overdue =
            required && done_at.is_none() && deadline.as_deref().and_then(parse_moment).is_some_and(|d| d < now);
        Ok(NotificationState { required, deadline, done_at, overdue })
    };
    Ok(Incident {
        id,
        reference: r.get(1)?,
        title: r.get(2)?,
        summary: r.get(3)?,
        minutes_to_contain: minutes(&detected_at, contained_at.as_deref()),
        minutes_to_close: minutes(&detected_at, closed_at.as_deref()),
        detected_at,
        reported_by: r
            .get::<_, Option<i64>>(5)?
            .zip(r.get::<_, Option<String>>(6)?)
            .map(|(id, name)| PersonRef { id, name }),
        severity: Severity::parse(&sev).ok_or_else(|| bad("severity", &sev))?,
        status: IncidentStatus::parse(&st).ok_or_else(|| bad("status", &st))?,
        contained_at,
        closed_at,
        affected_systems: Vec::new(),
        affected_data: r.get(11)?,
        personal_data: r.get(12)?,
        root_cause: r.get(13)?,
        lessons_learned: r.get(14)?,
        customers: notification(15)?,
        regulator: notification(18)?,
        insurer: notification(21)?,
        risks: Vec::new(),
        controls: Vec::new(),
        archived: r.get::<_, Option<String>>(24)?.is_some(),
        created_at: r.get(25)?,
        updated_at: r.get(26)?,
    })
}

fn links(conn: &Connection, sql: &str, id: i64) -> Result<Vec<NamedRef>> {
    Ok(conn
        .prepare_cached(sql)?
        .query_map([id], |r| Ok(NamedRef { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn complete(conn: &Connection, mut i: Incident) -> Result<Incident> {
    i.affected_systems = links(
        conn,
        "SELECT s.id, s.name FROM incident_systems x JOIN systems s ON s.id = x.system_id WHERE x.incident_id = ?1
         ORDER BY s.name COLLATE NOCASE",
        i.id,
    )?;
    i.risks = links(
        conn,
        "SELECT r.id, r.reference || ' ' || r.title FROM incident_risks x JOIN risks r ON r.id = x.risk_id
         WHERE x.incident_id = ?1 ORDER BY r.reference",
        i.id,
    )?;
    i.controls = links(
        conn,
        "SELECT c.id, c.reference || ' ' || c.title FROM incident_controls x JOIN controls c ON c.id = x.control_id
         WHERE x.incident_id = ?1 ORDER BY c.reference",
        i.id,
    )?;
    Ok(i)
}

/// Incidents, most recently detected first. `now` decides overdue notifications.
pub fn list(conn: &Connection, q: &IncidentQuery, now: NaiveDateTime) -> Result<Vec<Incident>> {
    let mut f = Filter::new();
    f.archived(q.include_archived, "i")
        .search(&q.search, &["i.reference", "i.title", "i.summary"])
        .eq("i.severity", q.severity.map(|s| s.as_str().to_owned()))
        .eq("i.status", q.status.map(|s| s.as_str().to_owned()));
    if !q.since.trim().is_empty() {
        let p = f.arg(q.since.trim().to_owned());
        f.clause(format!("substr(i.detected_at, 1, 10) >= {p}"));
    }
    let rows = f.all(conn, SELECT, "i.detected_at DESC, i.id DESC", |r| from_row(r, now))?;
    rows.into_iter().map(|i| complete(conn, i)).collect()
}

pub fn get(conn: &Connection, id: i64, now: NaiveDateTime) -> Result<Incident> {
    let i = conn
        .prepare_cached(&format!("{SELECT} WHERE i.id = ?1"))?
        .query_row([id], |r| from_row(r, now))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No incident with id {id}.")))?;
    complete(conn, i)
}

fn timeline(conn: &Connection, id: i64) -> Result<Vec<TimelineEntry>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, at, what, who, withdrawn_at, withdrawn_reason FROM incident_timeline
             WHERE incident_id = ?1 ORDER BY at, id",
        )?
        .query_map([id], |r| {
            let withdrawn = r
                .get::<_, Option<String>>(4)?
                .map(|at| Ok::<_, rusqlite::Error>(crate::occurrences::Withdrawal { at, reason: r.get(5)? }))
                .transpose()?;
            Ok(TimelineEntry { id: r.get(0)?, at: r.get(1)?, what: r.get(2)?, who: r.get(3)?, withdrawn })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

pub fn detail(conn: &Connection, id: i64, now: NaiveDateTime) -> Result<IncidentDetail> {
    Ok(IncidentDetail {
        incident: get(conn, id, now)?,
        timeline: timeline(conn, id)?,
        history: history::list(conn, Register::Incidents, id)?,
    })
}

pub struct Valid {
    reference: String,
    title: String,
    summary: String,
    detected_at: NaiveDateTime,
    reported_by_id: Option<i64>,
    severity: Severity,
    status: IncidentStatus,
    contained_at: Option<NaiveDateTime>,
    closed_at: Option<NaiveDateTime>,
    system_ids: Vec<i64>,
    affected_data: String,
    personal_data: bool,
    root_cause: String,
    lessons_learned: String,
    notifications: [(bool, Option<NaiveDateTime>, Option<NaiveDateTime>); 3],
    risk_ids: Vec<i64>,
    control_ids: Vec<i64>,
}

fn moment(
    v: &mut Validator,
    field: &str,
    label: &str,
    text: &str,
    now: NaiveDateTime,
    past_only: bool,
) -> Option<NaiveDateTime> {
    if text.trim().is_empty() {
        return None;
    }
    match parse_moment(text) {
        None => {
            v.add(field, format!("{label} must be a date, or a date and time, written as YYYY-MM-DD HH:MM."));
            None
        }
        Some(m) if past_only && m > now => {
            v.add(field, format!("{label} cannot be in the future."));
            None
        }
        Some(m) => Some(m),
    }
}

fn ids(conn: &Connection, v: &mut Validator, field: &str, table: &str, what: &str, input: &[i64]) -> Result<Vec<i64>> {
    let mut out = input.to_vec();
    out.sort_unstable();
    out.dedup();
    for id in &out {
        let exists: bool = conn
            .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"))?
            .query_row([id], |r| r.get(0))?;
        if !exists {
            v.add(field, format!("One of the chosen {what} does not exist."));
        }
    }
    Ok(out)
}

fn validate(conn: &Connection, input: &IncidentInput, this: Option<&Incident>, now: NaiveDateTime) -> Result<Valid> {
    let mut v = Validator::new();
    let reference = v.numbered_reference(
        conn,
        Referenced::Incidents,
        &input.reference,
        32,
        this.map(|i| (i.id, i.reference.as_str())),
    )?;
    let title = v.required("title", "Title", &input.title, 300);
    let summary = v.optional("summary", "Summary", &input.summary, 20_000);
    if input.detected_at.trim().is_empty() {
        v.add("detected_at", "Say when the incident was detected.");
    }
    let detected_at = moment(&mut v, "detected_at", "Detected at", &input.detected_at, now, true);
    v.active_person(
        conn,
        "reported_by_id",
        input.reported_by_id,
        this.and_then(|i| i.reported_by.as_ref().map(|p| p.id)),
        "person",
    )?;
    // Reaching a stage stamps it with now unless a time was given.
    let reached = |s: IncidentStatus| input.status.rank() >= s.rank();
    let mut contained_at = moment(&mut v, "contained_at", "Contained at", &input.contained_at, now, true);
    if contained_at.is_none() && input.contained_at.trim().is_empty() && reached(IncidentStatus::Contained) {
        contained_at = Some(now);
    }
    let mut closed_at = moment(&mut v, "closed_at", "Closed at", &input.closed_at, now, true);
    if closed_at.is_none() && input.closed_at.trim().is_empty() && reached(IncidentStatus::Closed) {
        closed_at = Some(now);
    }
    if !reached(IncidentStatus::Closed) {
        closed_at = None;
    }
    if let (Some(d), Some(c)) = (detected_at, contained_at) {
        if c < d {
            v.add("contained_at", "Containment cannot come before detection.");
        }
    }
    if let (Some(d), Some(c)) = (detected_at, closed_at) {
        if c < d {
            v.add("closed_at", "An incident cannot close before it was detected.");
        }
    }
    let root_cause = v.optional("root_cause", "Root cause", &input.root_cause, 20_000);
    let lessons_learned = v.optional("lessons_learned", "Lessons learned", &input.lessons_learned, 20_000);
    if input.status == IncidentStatus::Closed {
        if root_cause.is_empty() {
            v.add("root_cause", "Write the root cause before closing the incident.");
        }
        if lessons_learned.is_empty() {
            v.add("lessons_learned", "Write the lessons learned before closing the incident.");
        }
    }
    let affected_data = v.optional("affected_data", "Affected data", &input.affected_data, 5_000);
    let mut notifications = [(false, None, None); 3];
    for (i, (key, label, n)) in [
        ("customers", "customers", &input.customers),
        ("regulator", "the regulator", &input.regulator),
        ("insurer", "the insurer", &input.insurer),
    ]
    .into_iter()
    .enumerate()
    {
        let deadline = moment(&mut v, &format!("{key}.deadline"), "The deadline", &n.deadline, now, false);
        let done = moment(&mut v, &format!("{key}.done_at"), "Done at", &n.done_at, now, true);
        if !n.required && (deadline.is_some() || done.is_some()) {
            v.add(&format!("{key}.required"), format!("Tick that notifying {label} is required, or clear its dates."));
        }
        notifications[i] = (n.required, deadline, done);
    }
    let system_ids = ids(conn, &mut v, "system_ids", "systems", "systems", &input.system_ids)?;
    let risk_ids = ids(conn, &mut v, "risk_ids", "risks", "risks", &input.risk_ids)?;
    let control_ids = ids(conn, &mut v, "control_ids", "controls", "controls", &input.control_ids)?;
    v.finish()?;
    let detected_at = detected_at.ok_or_else(|| Error::internal("validated detection time missing"))?;
    Ok(Valid {
        reference,
        title,
        summary,
        detected_at,
        reported_by_id: input.reported_by_id,
        severity: input.severity,
        status: input.status,
        contained_at,
        closed_at,
        system_ids,
        affected_data,
        personal_data: input.personal_data,
        root_cause,
        lessons_learned,
        notifications,
        risk_ids,
        control_ids,
    })
}

fn note_text(n: &(bool, Option<NaiveDateTime>, Option<NaiveDateTime>)) -> String {
    if !n.0 {
        return "not required".into();
    }
    format!(
        "required{}{}",
        n.1.map(|d| format!(", by {}", moment_text(d))).unwrap_or_default(),
        n.2.map(|d| format!(", done {}", moment_text(d))).unwrap_or_default()
    )
}

fn state_text(s: &NotificationState) -> String {
    note_text(&(s.required, s.deadline.as_deref().and_then(parse_moment), s.done_at.as_deref().and_then(parse_moment)))
}

fn diff(conn: &Connection, old: Option<&Incident>, new: &Valid) -> Result<Diff> {
    let join = |v: &[NamedRef]| record::joined(v.iter().map(|x| x.name.clone()));
    let names = |sql: &str, ids: &[i64]| record::names_of(conn, sql, ids);
    let reporter = crate::people::name_of(conn, new.reported_by_id)?;
    let yes = |b: bool| Some(if b { "yes" } else { "no" }.to_owned());
    let mut d = Diff::new();
    d.field("reference", old.map(|i| i.reference.clone()), Some(new.reference.clone()))
        .field("title", old.map(|i| i.title.clone()), Some(new.title.clone()))
        .field("summary", old.map(|i| i.summary.clone()), Some(new.summary.clone()))
        .field("detected_at", old.map(|i| i.detected_at.clone()), Some(moment_text(new.detected_at)))
        .field("reported_by", old.and_then(|i| i.reported_by.as_ref().map(|p| p.name.clone())), reporter)
        .field("severity", old.map(|i| i.severity.label().into()), Some(new.severity.label().into()))
        .field("status", old.map(|i| i.status.label().into()), Some(new.status.label().into()))
        .field("contained_at", old.and_then(|i| i.contained_at.clone()), new.contained_at.map(moment_text))
        .field("closed_at", old.and_then(|i| i.closed_at.clone()), new.closed_at.map(moment_text))
        .field(
            "affected_systems",
            old.map(|i| join(&i.affected_systems)),
            Some(names("SELECT name FROM systems WHERE id = ?1", &new.system_ids)?),
        )
        .field("affected_data", old.map(|i| i.affected_data.clone()), Some(new.affected_data.clone()))
        .field("personal_data", old.and_then(|i| yes(i.personal_data)), yes(new.personal_data))
        .field("root_cause", old.map(|i| i.root_cause.clone()), Some(new.root_cause.clone()))
        .field("lessons_learned", old.map(|i| i.lessons_learned.clone()), Some(new.lessons_learned.clone()))
        .field("notify_customers", old.map(|i| state_text(&i.customers)), Some(note_text(&new.notifications[0])))
        .field("notify_regulator", old.map(|i| state_text(&i.regulator)), Some(note_text(&new.notifications[1])))
        .field("notify_insurer", old.map(|i| state_text(&i.insurer)), Some(note_text(&new.notifications[2])))
        .field(
            "risks",
            old.map(|i| join(&i.risks)),
            Some(names("SELECT reference || ' ' || title FROM risks WHERE id = ?1", &new.risk_ids)?),
        )
        .field(
            "controls",
            old.map(|i| join(&i.controls)),
            Some(names("SELECT reference || ' ' || title FROM controls WHERE id = ?1", &new.control_ids)?),
        );
    Ok(d)
}

record_kind!(Incident in Incidents, load(conn, id, now) { get(conn, id, now.naive_utc()) }, editable(IncidentInput), archive = set_archived);

impl Editable for Incident {
    type Input = IncidentInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] = &[
        "reference",
        "title",
        "summary",
        "detected_at",
        "reported_by_id",
        "severity",
        "status",
        "contained_at",
        "closed_at",
        "affected_data",
        "personal_data",
        "root_cause",
        "lessons_learned",
        "customers_required",
        "customers_deadline",
        "customers_done_at",
        "regulator_required",
        "regulator_deadline",
        "regulator_done_at",
        "insurer_required",
        "insurer_deadline",
        "insurer_done_at",
    ];

    fn validate(conn: &Connection, now: DateTime<Utc>, input: &IncidentInput, old: Option<&Self>) -> Result<Valid> {
        let Some(old) = old else { return validate(conn, input, None, now.naive_utc()) };
        // Keep the recorded stage times when the form leaves them as they were.
        let mut input = input.clone();
        if input.contained_at.trim().is_empty() {
            input.contained_at = old.contained_at.clone().unwrap_or_default();
        }
        if input.closed_at.trim().is_empty() && input.status == IncidentStatus::Closed {
            input.closed_at = old.closed_at.clone().unwrap_or_default();
        }
        validate(conn, &input, Some(old), now.naive_utc())
    }

    fn diff(conn: &Connection, old: Option<&Self>, valid: &Valid) -> Result<Diff> {
        diff(conn, old, valid)
    }

    fn values(v: &Valid) -> Vec<Value> {
        let m = |d: Option<NaiveDateTime>| -> Value { d.map(moment_text).into() };
        let n = &v.notifications;
        vec![
            v.reference.clone().into(),
            v.title.clone().into(),
            v.summary.clone().into(),
            moment_text(v.detected_at).into(),
            v.reported_by_id.into(),
            v.severity.as_str().to_owned().into(),
            v.status.as_str().to_owned().into(),
            m(v.contained_at),
            m(v.closed_at),
            v.affected_data.clone().into(),
            v.personal_data.into(),
            v.root_cause.clone().into(),
            v.lessons_learned.clone().into(),
            n[0].0.into(),
            m(n[0].1),
            m(n[0].2),
            n[1].0.into(),
            m(n[1].1),
            m(n[1].2),
            n[2].0.into(),
            m(n[2].1),
            m(n[2].2),
        ]
    }

    fn write_children(tx: &Transaction<'_>, id: i64, v: &Valid) -> Result<()> {
        for (table, column, ids) in [
            ("incident_systems", "system_id", &v.system_ids),
            ("incident_risks", "risk_id", &v.risk_ids),
            ("incident_controls", "control_id", &v.control_ids),
        ] {
            tx.execute(&format!("DELETE FROM {table} WHERE incident_id = ?1"), [id])?;
            for x in ids {
                tx.prepare_cached(&format!("INSERT INTO {table} (incident_id, {column}) VALUES (?1, ?2)"))?
                    .execute([id, *x])?;
            }
        }
        Ok(())
    }
}

/// An incident's timeline entries as dated records: corrected (see [`correct_timeline`]) and
/// withdrawn (see [`crate::occurrences::withdraw`]) like the others, the incident's history
/// keeping what each said before. "When" is a moment, and "who" is text among its own.
pub(crate) const TIMELINE: crate::occurrences::OccurrenceKind = crate::occurrences::OccurrenceKind {
    what: "a timeline entry",
    what_plural: "timeline entries",
    history_field: "timeline",
    parent: Register::Incidents,
    by_field: "",
    evidence_of: None,
    table: "incident_timeline",
    parent_column: "incident_id",
    text_columns: &["what", "who"],
    describe: timeline_in_words,
    date_column: "at",
    date_label: "When",
    person_word: "by",
    withdrawable: true,
};

fn timeline_in_words(texts: &[String]) -> String {
    match texts {
        [what, who] if !who.is_empty() => format!("{what} ({who})"),
        [what, ..] => what.clone(),
        [] => String::new(),
    }
}

/// A timeline entry's values, checked: when (not in the future), what happened, who.
fn timeline_values(
    v: &mut Validator,
    input: &TimelineInput,
    now: DateTime<Utc>,
) -> (Option<NaiveDateTime>, String, String) {
    if input.at.trim().is_empty() {
        v.add("at", "Say when it happened.");
    }
    let at = moment(v, "at", "When", &input.at, now.naive_utc(), true);
    let what = v.required("what", "What happened", &input.what, 5_000);
    let who = v.optional("who", "Who", &input.who, 200);
    (at, what, who)
}

/// Adds a timeline entry (what happened, when, who).
pub fn add_timeline(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &TimelineInput) -> Result<TimelineEntry> {
    get(tx, id, now.naive_utc())?;
    let mut v = Validator::new();
    let (at, what, who) = timeline_values(&mut v, input, now);
    v.finish()?;
    let at = at.ok_or_else(|| Error::internal("validated time missing"))?;
    tx.execute(
        "INSERT INTO incident_timeline (incident_id, at, what, who, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, moment_text(at), what, who, stamp(now)],
    )?;
    let entry_id = tx.last_insert_rowid();
    let mut d = Diff::new();
    d.field("timeline", None, Some(format!("{}: {what}", moment_text(at))));
    history::record(tx, now, Register::Incidents, id, HistoryAction::Update, d.into_changes())?;
    crate::occurrences::written(timeline(tx, id)?, |e| e.id == entry_id, "entry")
}

/// Corrects timeline entry `entry` (when, what, who), checked as a new entry is; the
/// incident's history keeps the entry before and after. A withdrawn entry, or one of an
/// archived incident, is not corrected. Returns whether anything changed.
pub fn correct_timeline(tx: &Transaction<'_>, now: DateTime<Utc>, entry: i64, input: &TimelineInput) -> Result<bool> {
    let before = crate::occurrences::stored(tx, &TIMELINE, entry)?;
    let mut v = Validator::new();
    let (at, what, who) = timeline_values(&mut v, input, now);
    if before.withdrawn {
        v.add("at", "This timeline entry was withdrawn; add it again instead.");
    } else if before.parent_archived {
        v.add("at", "This incident is archived; restore it before correcting its timeline.");
    }
    v.finish()?;
    let at = at.ok_or_else(|| Error::internal("validated time missing"))?;
    tx.execute(
        "UPDATE incident_timeline SET at = ?2, what = ?3, who = ?4 WHERE id = ?1",
        params![entry, moment_text(at), what, who],
    )?;
    crate::occurrences::noted(tx, now, &TIMELINE, entry, before)
}

/// The incidents CSV columns (documented in docs/csv.md). The timeline is kept in the app
/// and the archive.
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "reference",
        "title",
        "summary",
        "severity",
        "status",
        "detected_at",
        "reported_by_email",
        "contained_at",
        "closed_at",
        "affected_systems",
        "affected_data",
        "personal_data",
        "root_cause",
        "lessons_learned",
        "customers_required",
        "customers_deadline",
        "customers_notified_at",
        "regulator_required",
        "regulator_deadline",
        "regulator_notified_at",
        "insurer_required",
        "insurer_deadline",
        "insurer_notified_at",
        "risks",
        "controls",
    ],
    required: &["title", "severity", "detected_at"],
    aliases: &[],
    example: &[
        "",
        "Phishing email led to a stolen password",
        "A staff member entered their password on a fake login page; the session was revoked within the hour.",
        "sev3",
        "closed",
        "2026-08-12 09:40",
        "ana@example.com",
        "2026-08-12 10:25",
        "2026-08-14 16:00",
        "GitHub",
        "No customer data was reached",
        "no",
        "No phishing-resistant second factor on the mail account",
        "Move everyone to security keys",
        "no",
        "",
        "",
        "no",
        "",
        "",
        "no",
        "",
        "",
        "",
        "AC-01",
    ],
};

/// Incidents in CSV, matched on reference (see [`crate::csv_import`]).
pub struct IncidentsCsv;

impl crate::csv_import::CsvRegister for IncidentsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["reference"];
    const FIND: &'static str = "SELECT id FROM incidents WHERE reference = ?1";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM incidents WHERE archived_at IS NULL ORDER BY detected_at, reference COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        let i = get(conn, id, NaiveDateTime::MIN)?;
        let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
        let refs = |sql: &str| -> Result<String> {
            let list = conn
                .prepare_cached(sql)?
                .query_map([id], |r| r.get::<_, String>(0))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(list.join("; "))
        };
        let mut cells = vec![
            i.reference,
            i.title,
            i.summary,
            i.severity.as_str().into(),
            i.status.as_str().into(),
            i.detected_at,
            crate::people::email_of(conn, i.reported_by.as_ref().map(|p| p.id))?,
            i.contained_at.unwrap_or_default(),
            i.closed_at.unwrap_or_default(),
            i.affected_systems.iter().map(|s| s.name.as_str()).collect::<Vec<_>>().join("; "),
            i.affected_data,
            yes(i.personal_data),
            i.root_cause,
            i.lessons_learned,
        ];
        for n in [i.customers, i.regulator, i.insurer] {
            cells.extend([yes(n.required), n.deadline.unwrap_or_default(), n.done_at.unwrap_or_default()]);
        }
        cells.push(refs(
            "SELECT r.reference FROM incident_risks x JOIN risks r ON r.id = x.risk_id WHERE x.incident_id = ?1
             ORDER BY r.reference COLLATE NOCASE",
        )?);
        cells.push(refs(
            "SELECT c.reference FROM incident_controls x JOIN controls c ON c.id = x.control_id WHERE x.incident_id = ?1
             ORDER BY c.reference COLLATE NOCASE",
        )?);
        Ok(cells)
    }

    fn apply(
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        c: &mut crate::csv_import::Cells<'_>,
        existing: Option<i64>,
    ) -> Result<crate::csv_import::Applied> {
        let system_ids = c.names(tx, "affected_systems", "SELECT id FROM systems WHERE name = ?1", |name| {
            format!("No system is named {name}; add it under Systems first.")
        })?;
        let risk_ids = c.names(tx, "risks", "SELECT id FROM risks WHERE reference = ?1 COLLATE NOCASE", |r| {
            format!("No risk has the reference {r}.")
        })?;
        let control_ids =
            c.names(tx, "controls", "SELECT id FROM controls WHERE reference = ?1 COLLATE NOCASE", |r| {
                format!("No control has the reference {r}.")
            })?;
        let mut notification = |who: &str| Notification {
            required: c.flag(&format!("{who}_required"), false),
            deadline: c.text(&format!("{who}_deadline")),
            done_at: c.text(&format!("{who}_notified_at")),
        };
        let (customers, regulator, insurer) =
            (notification("customers"), notification("regulator"), notification("insurer"));
        let input = IncidentInput {
            reference: c.text("reference"),
            title: c.text("title"),
            summary: c.text("summary"),
            detected_at: c.text("detected_at"),
            reported_by_id: c.person(tx, "reported_by_email")?,
            severity: c.required_choice("severity").unwrap_or(Severity::Sev3),
            status: c.choice("status", IncidentStatus::Open),
            contained_at: c.text("contained_at"),
            closed_at: c.text("closed_at"),
            system_ids,
            affected_data: c.text("affected_data"),
            personal_data: c.flag("personal_data", false),
            root_cause: c.text("root_cause"),
            lessons_learned: c.text("lessons_learned"),
            customers,
            regulator,
            insurer,
            risk_ids,
            control_ids,
        };
        record::save_row::<Incident>(tx, now, existing, &input, &c.errors)
    }

    fn column_of(field: &str) -> Option<&'static str> {
        let column = match field {
            "reported_by_id" => "reported_by_email",
            "system_ids" => "affected_systems",
            "risk_ids" => "risks",
            "control_ids" => "controls",
            other => {
                let other = other.replace("_done_at", "_notified_at");
                return Self::COLUMNS.all.iter().copied().find(|c| *c == other);
            }
        };
        Some(column)
    }
}
