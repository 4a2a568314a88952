//! Change management: what changed in which system, who wrote it, who approved it (never the
//! author), how it was tested, when it went live and how to roll it back. Emergency changes
//! may ship first but need an approval within a set number of business days (one by default;
//! the setting the readiness check uses too).

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryEntry};
use crate::list::{Filter, Page};
use crate::record::{self, Editable};
use crate::refs::NamedRef;
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::validate::{parse_date, Referenced, Validator};

/// The last moment an emergency change deployed at `deployed` may be approved: the end of the
/// `business_days`-th business day after the day it was deployed.
pub fn emergency_deadline(deployed: NaiveDateTime, business_days: u32) -> NaiveDateTime {
    let day = crate::clock::add_business_days(deployed.date(), business_days);
    day.and_hms_opt(23, 59, 59).unwrap_or(deployed)
}

fn business_days_text(n: u32) -> String {
    if n == 1 {
        "one business day".into()
    } else {
        format!("{n} business days")
    }
}

/// Reads "YYYY-MM-DD HH:MM", "YYYY-MM-DDTHH:MM[:SS][Z]" or a date alone (midnight).
pub fn parse_moment(text: &str) -> Option<NaiveDateTime> {
    let t = text.trim().trim_end_matches('Z');
    if let Some(m) = stored_moment(t) {
        return Some(m);
    }
    if let Some(d) = parse_date(t) {
        return Some(d.and_time(NaiveTime::MIN));
    }
    for f in ["%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(m) = NaiveDateTime::parse_from_str(t, f) {
            return Some(m);
        }
    }
    // Fractional seconds or an offset, as tools export them: keep the wall-clock part.
    if t.len() >= 16 {
        if let Ok(m) = NaiveDateTime::parse_from_str(&t[..16].replace('T', " "), "%Y-%m-%d %H:%M") {
            return Some(m);
        }
    }
    None
}

/// A moment written exactly as it is stored (`YYYY-MM-DD HH:MM`), read without chrono's format
/// parser: an import reads two a row. Anything else is left to the general forms.
fn stored_moment(t: &str) -> Option<NaiveDateTime> {
    let b = t.as_bytes();
    let shape = b.len() == 16 && [10, 13].map(|i| b[i]) == [b' ', b':'];
    let digits = |from: usize, to: usize| -> Option<u32> {
        b[from..to].iter().try_fold(0, |n, &c| c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0')))
    };
    if !shape {
        return None;
    }
    // The date part as every date is read; the shape check put a space at byte 10.
    parse_date(&t[..10])?.and_hms_opt(digits(11, 13)?, digits(14, 16)?, 0)
}

/// How a moment is stored and shown.
pub fn moment_text(m: NaiveDateTime) -> String {
    use chrono::{Datelike, Timelike};
    // Written digit by digit, as clock::stamp is: an import writes two a row.
    match m.year() {
        year @ 0..=9999 => {
            let mut s = String::with_capacity(16);
            for (n, width, after) in [(year as u32, 4, '-'), (m.month(), 2, '-'), (m.day(), 2, ' '), (m.hour(), 2, ':')]
            {
                crate::clock::push_digits(&mut s, n, width);
                s.push(after);
            }
            crate::clock::push_digits(&mut s, m.minute(), 2);
            s
        }
        _ => m.format("%Y-%m-%d %H:%M").to_string(),
    }
}

string_enum!(
    ChangeFlagKind {
        NotApproved = "not_approved" / "Not approved",
        ApprovedAfterDeploy = "approved_after_deploy" / "Approved after deployment",
        EmergencyApprovalLate = "emergency_approval_late" / "Emergency approval late",
        EmergencyApprovalDue = "emergency_approval_due" / "Emergency approval due",
        NotTested = "not_tested" / "Not tested",
        NoRollbackPlan = "no_rollback_plan" / "No rollback plan",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChangeFlag {
    pub kind: ChangeFlagKind,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Change {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub system: Option<NamedRef>,
    pub author: Option<PersonRef>,
    pub approver: Option<PersonRef>,
    pub approved_at: Option<String>,
    pub tested: bool,
    pub test_notes: String,
    pub deployed_at: Option<String>,
    pub rollback_plan: String,
    pub emergency: bool,
    pub flags: Vec<ChangeFlag>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeInput {
    /// Empty: the next free CHG-nnnn is assigned.
    pub reference: String,
    pub title: String,
    pub description: String,
    pub system_id: Option<i64>,
    pub author_id: Option<i64>,
    pub approver_id: Option<i64>,
    pub approved_at: String,
    pub tested: bool,
    pub test_notes: String,
    pub deployed_at: String,
    pub rollback_plan: String,
    pub emergency: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ChangeQuery {
    pub search: String,
    pub system_id: Option<i64>,
    pub emergency_only: bool,
    pub flagged_only: bool,
    pub include_archived: bool,
    pub offset: u32,
    pub limit: u32,
}

impl Default for ChangeQuery {
    fn default() -> Self {
        Self {
            search: String::new(),
            system_id: None,
            emergency_only: false,
            flagged_only: false,
            include_archived: false,
            offset: 0,
            limit: 100,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ChangeDetail {
    pub change: Change,
    pub history: Vec<HistoryEntry>,
}

/// What is wrong with a change on `now` (the flags the readiness check will count).
// The facts of one change, as the register and the readiness check both hold them.
#[allow(clippy::too_many_arguments)]
pub fn flags(
    emergency: bool,
    approved: bool,
    approved_at: Option<NaiveDateTime>,
    deployed_at: Option<NaiveDateTime>,
    tested: bool,
    rollback_plan: &str,
    now: NaiveDateTime,
    emergency_days: u32,
) -> Vec<ChangeFlag> {
    let mut out = Vec::new();
    let mut flag = |kind: ChangeFlagKind, message: String| out.push(ChangeFlag { kind, message });
    let within = business_days_text(emergency_days);
    match (emergency, approved, approved_at, deployed_at) {
        (true, _, Some(a), Some(d)) if a > emergency_deadline(d, emergency_days) => flag(
            ChangeFlagKind::EmergencyApprovalLate,
            format!("Approved {} after deployment; emergency changes need approval within {within}.", hours(a - d)),
        ),
        (true, false, _, Some(d)) | (true, true, None, Some(d)) if now > emergency_deadline(d, emergency_days) => flag(
            ChangeFlagKind::EmergencyApprovalLate,
            format!("Deployed {} as an emergency and still not approved.", moment_text(d)),
        ),
        (true, false, _, Some(d)) | (true, true, None, Some(d)) => flag(
            ChangeFlagKind::EmergencyApprovalDue,
            format!("Approve by {} ({within} after deployment).", moment_text(emergency_deadline(d, emergency_days))),
        ),
        (false, false, _, _) => flag(ChangeFlagKind::NotApproved, "No approver recorded.".into()),
        (false, true, Some(a), Some(d)) if a > d => {
            flag(ChangeFlagKind::ApprovedAfterDeploy, "Approved after it was deployed.".into())
        }
        _ => {}
    }
    if deployed_at.is_some() && !tested {
        flag(ChangeFlagKind::NotTested, "Deployed without a recorded test.".into());
    }
    if deployed_at.is_some() && rollback_plan.trim().is_empty() {
        flag(ChangeFlagKind::NoRollbackPlan, "No rollback plan recorded.".into());
    }
    out
}

fn hours(d: Duration) -> String {
    let h = d.num_hours();
    if h >= 48 {
        format!("{} days", h / 24)
    } else {
        format!("{h} hours")
    }
}

/// The names come from subqueries, not joins: SQLite reads them for the rows a page returns,
/// where a join is made for every row a later page skips first (issue 21).
const SELECT: &str = "
    SELECT c.id, c.reference, c.title, c.description,
           c.system_id, (SELECT name FROM systems WHERE id = c.system_id),
           c.author_id, (SELECT name FROM people WHERE id = c.author_id),
           c.approver_id, (SELECT name FROM people WHERE id = c.approver_id),
           c.approved_at, c.tested, c.test_notes, c.deployed_at, c.rollback_plan, c.emergency, c.archived_at,
           c.created_at, c.updated_at
    FROM changes c";

fn from_row(r: &Row<'_>, now: NaiveDateTime, emergency_days: u32) -> rusqlite::Result<Change> {
    let person = |i: usize| -> rusqlite::Result<Option<PersonRef>> {
        Ok(r.get::<_, Option<i64>>(i)?.zip(r.get::<_, Option<String>>(i + 1)?).map(|(id, name)| PersonRef { id, name }))
    };
    let approver = person(8)?;
    let approved_at: Option<String> = r.get(10)?;
    let deployed_at: Option<String> = r.get(13)?;
    let tested: bool = r.get(11)?;
    let rollback_plan: String = r.get(14)?;
    let emergency: bool = r.get(15)?;
    let archived = r.get::<_, Option<String>>(16)?.is_some();
    let flags = if archived {
        Vec::new()
    } else {
        flags(
            emergency,
            approver.is_some(),
            approved_at.as_deref().and_then(parse_moment),
            deployed_at.as_deref().and_then(parse_moment),
            tested,
            &rollback_plan,
            now,
            emergency_days,
        )
    };
    Ok(Change {
        id: r.get(0)?,
        reference: r.get(1)?,
        title: r.get(2)?,
        description: r.get(3)?,
        system: r.get::<_, Option<i64>>(4)?.zip(r.get::<_, Option<String>>(5)?).map(|(id, name)| NamedRef { id, name }),
        author: person(6)?,
        approver,
        approved_at,
        tested,
        test_notes: r.get(12)?,
        deployed_at,
        rollback_plan,
        emergency,
        flags,
        archived,
        created_at: r.get(17)?,
        updated_at: r.get(18)?,
    })
}

/// A page of changes, most recently deployed first. `now` decides open emergency windows.
pub fn list(conn: &Connection, q: &ChangeQuery, now: NaiveDateTime) -> Result<Page<Change>> {
    let mut f = Filter::new();
    f.archived(q.include_archived, "c")
        .search(&q.search, &["c.reference", "c.title", "c.description"])
        .eq("c.system_id", q.system_id);
    if q.emergency_only {
        f.clause("c.emergency = 1");
    }
    let days = emergency_days(conn)?;
    if q.flagged_only {
        f.clause(flagged_sql(days));
    }
    let order = "c.deployed_at IS NULL DESC, c.deployed_at DESC, c.reference DESC";
    f.page(conn, "FROM changes c", SELECT, order, (q.offset, q.limit), |r| from_row(r, now, days))
}

/// Whether a change has any flag (see [`flags`]), in SQL, so that the "flagged" filter pages
/// in the database. An emergency change awaiting approval is flagged whether or not its
/// approval is late yet, so this does not depend on the time of day. Archived changes carry
/// no flags.
fn flagged_sql(emergency_days: u32) -> String {
    // The deadline: the end of the day `emergency_days` business days after deployment.
    let offsets: String =
        (0..7).map(|w| format!(" WHEN '{w}' THEN {}", crate::clock::business_day_offset(w, emergency_days))).collect();
    let deadline = format!(
        "julianday(date(c.deployed_at, '+' || (CASE strftime('%w', c.deployed_at){offsets} END) || ' days')) + 1"
    );
    format!(
        "c.archived_at IS NULL AND (
        (c.deployed_at IS NOT NULL AND (c.tested = 0 OR trim(c.rollback_plan) = ''))
     OR (c.emergency = 0 AND c.approver_id IS NULL)
     OR (c.emergency = 0 AND c.approver_id IS NOT NULL AND c.approved_at IS NOT NULL AND c.deployed_at IS NOT NULL
         AND julianday(c.approved_at) > julianday(c.deployed_at))
     OR (c.emergency = 1 AND c.deployed_at IS NOT NULL
         AND (c.approver_id IS NULL OR c.approved_at IS NULL
              OR julianday(c.approved_at) >= {deadline})))"
    )
}

/// Every change not archived, with its flags on `now` (for the readiness checks).
pub fn all(conn: &Connection, now: NaiveDateTime) -> Result<Vec<Change>> {
    let days = emergency_days(conn)?;
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE c.archived_at IS NULL ORDER BY c.deployed_at"))?;
    let rows = stmt.query_map([], |r| from_row(r, now, days))?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Business days an emergency change has to be approved in (a check setting).
fn emergency_days(conn: &Connection) -> Result<u32> {
    Ok(crate::settings::check_settings(conn)?.emergency_approval_business_days)
}

pub fn get(conn: &Connection, id: i64, now: NaiveDateTime) -> Result<Change> {
    let days = emergency_days(conn)?;
    conn.prepare_cached(&format!("{SELECT} WHERE c.id = ?1"))?
        .query_row([id], |r| from_row(r, now, days))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No change with id {id}.")))
}

pub fn detail(conn: &Connection, id: i64, now: NaiveDateTime) -> Result<ChangeDetail> {
    Ok(ChangeDetail { change: get(conn, id, now)?, history: history::list(conn, Register::Changes, id)? })
}

pub struct Valid {
    reference: String,
    title: String,
    description: String,
    system_id: Option<i64>,
    author_id: Option<i64>,
    approver_id: Option<i64>,
    approved_at: Option<NaiveDateTime>,
    tested: bool,
    test_notes: String,
    deployed_at: Option<NaiveDateTime>,
    rollback_plan: String,
    emergency: bool,
}

fn moment_field(v: &mut Validator, field: &str, label: &str, text: &str, now: NaiveDateTime) -> Option<NaiveDateTime> {
    if text.trim().is_empty() {
        return None;
    }
    match parse_moment(text) {
        None => {
            v.add(field, format!("{label} must be a date, or a date and time, written as YYYY-MM-DD HH:MM."));
            None
        }
        Some(m) if m.date() > now.date() => {
            v.add(field, format!("{label} cannot be in the future."));
            None
        }
        Some(m) => Some(m),
    }
}

record_kind!(Change in Changes, load(conn, id, now) { get(conn, id, now.naive_utc()) }, editable(ChangeInput), archive = set_archived);

impl Editable for Change {
    type Input = ChangeInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] = &[
        "reference",
        "title",
        "description",
        "system_id",
        "author_id",
        "approver_id",
        "approved_at",
        "tested",
        "test_notes",
        "deployed_at",
        "rollback_plan",
        "emergency",
    ];

    fn validate(conn: &Connection, now: DateTime<Utc>, input: &ChangeInput, this: Option<&Self>) -> Result<Valid> {
        let now = now.naive_utc();
        let mut v = Validator::new();
        let reference = v.numbered_reference(
            conn,
            Referenced::Changes,
            &input.reference,
            64,
            this.map(|c| (c.id, c.reference.as_str())),
        )?;
        let title = v.required("title", "Title", &input.title, 300);
        let description = v.optional("description", "Description", &input.description, 20_000);
        if let Some(id) = input.system_id {
            let exists: bool = conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM systems WHERE id = ?1)")?
                .query_row([id], |r| r.get(0))?;
            if !exists {
                v.add("system_id", "That system does not exist.");
            }
        }
        v.active_person(
            conn,
            "author_id",
            input.author_id,
            this.and_then(|c| c.author.as_ref().map(|p| p.id)),
            "author",
        )?;
        v.active_person(
            conn,
            "approver_id",
            input.approver_id,
            this.and_then(|c| c.approver.as_ref().map(|p| p.id)),
            "approver",
        )?;
        if input.approver_id.is_some() && input.approver_id == input.author_id {
            v.add(
                "approver_id",
                "The approver must be someone other than the author: nobody approves their own change.",
            );
        }
        let approved_at = moment_field(&mut v, "approved_at", "Approved at", &input.approved_at, now);
        if approved_at.is_some() && input.approver_id.is_none() {
            v.add("approver_id", "Say who approved it.");
        }
        let deployed_at = moment_field(&mut v, "deployed_at", "Deployed at", &input.deployed_at, now);
        let test_notes = v.optional("test_notes", "How it was tested", &input.test_notes, 5_000);
        if input.tested && test_notes.is_empty() {
            v.add("test_notes", "Say how it was tested (e.g. CI run, staging check).");
        }
        let rollback_plan = v.optional("rollback_plan", "Rollback plan", &input.rollback_plan, 5_000);
        v.finish()?;
        Ok(Valid {
            reference,
            title,
            description,
            system_id: input.system_id,
            author_id: input.author_id,
            approver_id: input.approver_id,
            approved_at,
            tested: input.tested,
            test_notes,
            deployed_at,
            rollback_plan,
            emergency: input.emergency,
        })
    }

    fn diff(conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let yes = |b: bool| Some(if b { "yes" } else { "no" }.to_owned());
        let mut d = Diff::new();
        d.field("reference", old.map(|c| c.reference.clone()), Some(new.reference.clone()))
            .field("title", old.map(|c| c.title.clone()), Some(new.title.clone()))
            .field("description", old.map(|c| c.description.clone()), Some(new.description.clone()))
            .field(
                "system",
                old.and_then(|c| c.system.as_ref().map(|s| s.name.clone())),
                match new.system_id {
                    Some(id) => Some(record::names_of(conn, "SELECT name FROM systems WHERE id = ?1", &[id])?),
                    None => None,
                },
            )
            .person("author", old.and_then(|c| c.author.as_ref()), crate::people::name_of(conn, new.author_id)?)
            .person("approver", old.and_then(|c| c.approver.as_ref()), crate::people::name_of(conn, new.approver_id)?)
            .field("approved_at", old.and_then(|c| c.approved_at.clone()), new.approved_at.map(moment_text))
            .field("tested", old.and_then(|c| yes(c.tested)), yes(new.tested))
            .field("test_notes", old.map(|c| c.test_notes.clone()), Some(new.test_notes.clone()))
            .field("deployed_at", old.and_then(|c| c.deployed_at.clone()), new.deployed_at.map(moment_text))
            .field("rollback_plan", old.map(|c| c.rollback_plan.clone()), Some(new.rollback_plan.clone()))
            .field("emergency", old.and_then(|c| yes(c.emergency)), yes(new.emergency));
        Ok(d)
    }

    fn values(v: &Valid) -> Vec<Value> {
        vec![
            v.reference.clone().into(),
            v.title.clone().into(),
            v.description.clone().into(),
            v.system_id.into(),
            v.author_id.into(),
            v.approver_id.into(),
            v.approved_at.map(moment_text).into(),
            v.tested.into(),
            v.test_notes.clone().into(),
            v.deployed_at.map(moment_text).into(),
            v.rollback_plan.clone().into(),
            v.emergency.into(),
        ]
    }
}

/// The changes CSV columns (documented in docs/csv.md). Aliases let a pull-request export be
/// pasted as is: `merged_at` reads as deployed_at, `reviewer_email` as approver_email.
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "reference",
        "title",
        "description",
        "system",
        "author_email",
        "approver_email",
        "approved_at",
        "tested",
        "test_notes",
        "deployed_at",
        "rollback_plan",
        "emergency",
    ],
    required: &["title"],
    aliases: &[
        ("merged_at", "deployed_at"),
        ("merged", "deployed_at"),
        ("deployed", "deployed_at"),
        ("deployed_on", "deployed_at"),
        ("reviewer_email", "approver_email"),
        ("reviewer", "approver_email"),
        ("approved_on", "approved_at"),
        ("author", "author_email"),
        ("pr", "reference"),
        ("number", "reference"),
        ("id", "reference"),
    ],
    example: &[
        "PR-1042",
        "Rotate the database credentials",
        "Moves the credentials to the secrets manager.",
        "GitHub",
        "ana@example.com",
        "ben@example.com",
        "2026-09-14 10:20",
        "yes",
        "Tested in staging",
        "2026-09-15 09:00",
        "Revert the pull request",
        "no",
    ],
};

/// A change as CSV cells, in [`CSV_COLUMNS`] order.
fn csv_cells(conn: &Connection, c: Change) -> Result<Vec<String>> {
    let yes = |b: bool| if b { "yes" } else { "no" }.to_owned();
    Ok(vec![
        c.reference,
        c.title,
        c.description,
        c.system.map(|s| s.name).unwrap_or_default(),
        crate::people::email_of(conn, c.author.as_ref().map(|p| p.id))?,
        crate::people::email_of(conn, c.approver.as_ref().map(|p| p.id))?,
        c.approved_at.unwrap_or_default(),
        yes(c.tested),
        c.test_notes,
        c.deployed_at.unwrap_or_default(),
        c.rollback_plan,
        yes(c.emergency),
    ])
}

/// Changes in CSV, matched on reference; rows without one get the next CHG-nnnn (see
/// [`crate::csv_import`]). Pull-request exports can be imported as they are (see the aliases).
pub struct ChangesCsv;

impl crate::csv_import::CsvRegister for ChangesCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["reference"];
    const FIND: &'static str = "SELECT id FROM changes WHERE reference = ?1";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM changes WHERE archived_at IS NULL ORDER BY reference COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        csv_cells(conn, get(conn, id, NaiveDateTime::MIN)?)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let input = ChangeInput {
            reference: c.text("reference"),
            title: c.text("title"),
            description: c.text("description"),
            system_id: c.lookup(tx, "system", "SELECT id FROM systems WHERE name = ?1", |s| {
                format!("No system is named {s}.")
            })?,
            author_id: c.person(tx, "author_email")?,
            approver_id: c.person(tx, "approver_email")?,
            approved_at: c.text("approved_at"),
            tested: c.flag("tested", false),
            test_notes: c.text("test_notes"),
            deployed_at: c.text("deployed_at"),
            rollback_plan: c.text("rollback_plan"),
            emergency: c.flag("emergency", false),
        };
        record::save_row::<Change>(tx, now, existing, &input, &c.errors)
    }
}

/// The first day (as a date) of the changes export, for callers that want a date range.
pub fn deployed_on(c: &Change) -> Option<NaiveDate> {
    c.deployed_at.as_deref().and_then(parse_moment).map(|m| m.date())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(s: &str) -> NaiveDateTime {
        parse_moment(s).unwrap()
    }

    #[test]
    fn moments_parse_from_what_tools_export() {
        assert_eq!(moment_text(m("2026-11-20T14:03:11Z")), "2026-11-20 14:03");
        assert_eq!(moment_text(m("2026-11-20 14:03")), "2026-11-20 14:03");
        assert_eq!(moment_text(m("2026-11-20")), "2026-11-20 00:00");
        assert_eq!(moment_text(m("2026-11-20T14:03:11.123+01:00")), "2026-11-20 14:03");
        assert!(parse_moment("yesterday").is_none());
        assert!(parse_moment("2026-02-30 10:00").is_none());
        assert!(parse_moment("2026-11-20 24:00").is_none());
        assert!(parse_moment("2026-11-2x 10:00").is_none());
        assert_eq!(moment_text(m("2026-1-2 9:05")), "2026-01-02 09:05");
        assert_eq!(moment_text(m(" 0999-12-31 23:59 ")), "0999-12-31 23:59");
    }

    #[test]
    fn emergency_window_is_one_business_day() {
        // Deployed on a Friday: the approval is due by the end of the Monday after.
        let deployed = Some(m("2026-11-20 10:00"));
        let now = m("2026-11-26 09:00");
        let kinds = |approved_at: Option<NaiveDateTime>, approved: bool, now: NaiveDateTime| -> Vec<ChangeFlagKind> {
            flags(true, approved, approved_at, deployed, true, "revert", now, 1).into_iter().map(|f| f.kind).collect()
        };
        assert!(kinds(Some(m("2026-11-23 23:59")), true, now).is_empty(), "Monday evening is in time");
        assert_eq!(kinds(Some(m("2026-11-24 00:01")), true, now), [ChangeFlagKind::EmergencyApprovalLate]);
        assert_eq!(kinds(None, false, m("2026-11-23 18:00")), [ChangeFlagKind::EmergencyApprovalDue]);
        assert_eq!(kinds(None, false, m("2026-11-24 00:01")), [ChangeFlagKind::EmergencyApprovalLate]);
        // A normal change approved after it shipped is flagged; one without approver too.
        let normal = |approved_at, approved| -> Vec<ChangeFlagKind> {
            flags(false, approved, approved_at, deployed, false, "", now, 1).into_iter().map(|f| f.kind).collect()
        };
        assert_eq!(
            normal(Some(m("2026-11-20 11:00")), true),
            [ChangeFlagKind::ApprovedAfterDeploy, ChangeFlagKind::NotTested, ChangeFlagKind::NoRollbackPlan]
        );
        assert_eq!(normal(None, false)[0], ChangeFlagKind::NotApproved);
    }

    #[test]
    fn pull_request_headers_are_understood() {
        let csv = "number,title,author,reviewer,merged_at\r\n101,Fix login,a@x.test,b@x.test,2026-11-20T10:00:00Z\r\n";
        let parsed = crate::csvio::parse(csv.as_bytes(), &CSV_COLUMNS).unwrap();
        assert_eq!(parsed.columns, ["reference", "title", "author_email", "approver_email", "deployed_at"]);
        assert_eq!(parsed.rows[0].get("deployed_at"), "2026-11-20T10:00:00Z");
    }
}
