//! Occurrences: the dated records that show a control operated, as they stood at the end of
//! the as-of day. A control's own activities are occurrences of it; the registers' records
//! are occurrences of the controls linked to their kind ([`OccurrenceSource`]). Each carries
//! the number of evidence items (files or references) that count for it on the day: recorded
//! by then, not withdrawn by then, effective by then and not expired before it happened.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::error::Result;
use crate::past::Past;
use crate::refs::{RecordRef, Register};

pub use crate::refs::OccurrenceSource;

/// One dated occurrence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occ {
    pub on: NaiveDate,
    /// What happened, in a few words ("Access review of GitHub").
    pub what: String,
    pub record: RecordRef,
    /// The system, vendor or data type it is about, where it is about one.
    pub subject: Option<i64>,
    /// Evidence items that count for it on the day.
    pub evidence: u32,
}

/// The evidence that counts, on the day, for the row `x` of a table whose evidence column is
/// `column` and whose date is `x.{date}`.
fn evidence_sql(column: &str, date: &str) -> String {
    format!(
        "(SELECT count(*) FROM evidence e WHERE e.{column} = x.id AND e.created_at <= ?1
            AND (e.removed_at IS NULL OR e.removed_at > ?1) AND e.effective_date <= ?2
            AND (e.expires_on IS NULL OR e.expires_on >= x.{date}))"
    )
}

fn parse(s: &str) -> Option<NaiveDate> {
    crate::validate::parse_date(s.get(..10).unwrap_or(s))
}

/// The occurrences `from` (a table `x` with `performed_on`, and what it joins) holds on the
/// day: their date, then `what` (what, kind id, reference, title, subject), then the evidence
/// that counts for each (in its `evidence_column`). A withdrawn record was a mistake and counts
/// on no day, whenever it was withdrawn.
fn performed(what: &str, from: &str, evidence_column: &str) -> String {
    format!(
        "SELECT x.performed_on, {what}, {}
         FROM {from}
         WHERE x.created_at <= ?1 AND x.performed_on <= ?2 AND x.withdrawn_at IS NULL ORDER BY x.performed_on, x.id",
        evidence_sql(evidence_column, "performed_on")
    )
}

/// Reads rows (date, what, kind id, reference, title, subject, evidence) into occurrences.
fn read(conn: &Connection, past: &Past, kind: Option<Register>, sql: &str) -> Result<Vec<Occ>> {
    type Row = (String, String, i64, String, String, Option<i64>, u32);
    let rows: Vec<Row> = crate::store::tuples(conn, sql, params![past.end(), past.day.to_string()])?;
    let mut out = Vec::new();
    for (on, what, id, reference, title, subject, evidence) in rows {
        let Some(on) = parse(&on) else { continue };
        let record = match kind {
            Some(k) => RecordRef::new(k, id, reference, title),
            None => RecordRef::workspace(&title),
        };
        out.push(Occ { on, what, record, subject, evidence });
    }
    Ok(out)
}

/// Every control's own activities on the day, by control id.
pub fn activities(conn: &Connection, past: &Past) -> Result<HashMap<i64, Vec<Occ>>> {
    let sql = performed(
        "'Activity of ' || c.reference, c.id, c.reference, c.title, x.control_id",
        "control_activities x JOIN controls c ON c.id = x.control_id",
        "activity_id",
    );
    let mut out: HashMap<i64, Vec<Occ>> = HashMap::new();
    for o in read(conn, past, Some(Register::Controls), &sql)? {
        out.entry(o.subject.unwrap_or_default()).or_default().push(o);
    }
    Ok(out)
}

/// The dated occurrences of one source on the day (populations have none: see the checks).
pub fn of_source(conn: &Connection, past: &Past, source: OccurrenceSource) -> Result<Vec<Occ>> {
    use OccurrenceSource::*;
    let sql = match source {
        AccessReviews => performed(
            "'Access review of ' || s.name, x.id, '', 'Access review of ' || s.name, x.system_id",
            "access_reviews x JOIN systems s ON s.id = x.system_id",
            "access_review_id",
        ),
        LogReviews => performed(
            "'Log review of ' || s.name, s.id, '', s.name, x.system_id",
            "log_reviews x JOIN systems s ON s.id = x.system_id",
            "log_review_id",
        ),
        Disposals => performed(
            "'Disposal of ' || d.name, d.id, '', d.name, x.data_type_id",
            "disposals x JOIN data_types d ON d.id = x.data_type_id",
            "disposal_id",
        ),
        VendorAssessments => performed(
            "'Assessment of ' || v.name, v.id, '', v.name, x.vendor_id",
            "vendor_assessments x JOIN vendors v ON v.id = x.vendor_id",
            "vendor_assessment_id",
        ),
        Training => "SELECT x.completed_on, c.name || ': ' || p.name, p.id, '', p.name, x.person_id, 1
             FROM training_completions x JOIN courses c ON c.id = x.course_id JOIN people p ON p.id = x.person_id
             WHERE x.created_at <= ?1 AND x.completed_on <= ?2 AND x.withdrawn_at IS NULL
             ORDER BY x.completed_on, x.id"
            .to_owned(),
        Exercises => "SELECT x.held_on, 'Exercise ' || x.reference, x.id, x.reference, x.title, NULL, 1
             FROM exercises x
             WHERE x.status = 'completed' AND x.completed_at <= ?1 AND x.held_on <= ?2
             ORDER BY x.held_on, x.id"
            .to_owned(),
        RiskAssessments => "SELECT x.performed_on, 'Risk assessment', x.id, '', 'Risk assessments', NULL, 1
             FROM risk_assessments x WHERE x.created_at <= ?1 AND x.performed_on <= ?2 ORDER BY x.performed_on, x.id"
            .to_owned(),
        PolicyApprovals => "SELECT x.approved_on, 'Approval of ' || p.title || ' ' || x.version, p.id, '', p.title,
                    x.policy_id, 1
             FROM policy_approvals x JOIN policies p ON p.id = x.policy_id
             WHERE x.created_at <= ?1 AND x.approved_on <= ?2 ORDER BY x.approved_on, x.id"
            .to_owned(),
        Changes | Leavers | NewHires | Incidents => return Ok(Vec::new()),
    };
    let kind = match source {
        AccessReviews => Some(Register::AccessReviews),
        LogReviews => Some(Register::Systems),
        Disposals => Some(Register::Retention),
        VendorAssessments => Some(Register::Vendors),
        Training => Some(Register::People),
        Exercises => Some(Register::Exercises),
        PolicyApprovals => Some(Register::Policies),
        _ => None,
    };
    let mut out = read(conn, past, kind, &sql)?;
    let archivable = match source {
        AccessReviews => Some(Register::AccessReviews),
        Exercises => Some(Register::Exercises),
        _ => None,
    };
    if let Some(register) = archivable {
        // A review or an exercise archived on the day did not count on the day.
        let archived_now: std::collections::HashSet<i64> = conn
            .prepare_cached(&format!("SELECT id FROM {} WHERE archived_at IS NOT NULL", register.table()))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let then = past.archived(conn, register)?;
        out.retain(|o| {
            let id = o.record.id.unwrap_or_default();
            !then.get(&id).copied().unwrap_or(archived_now.contains(&id))
        });
    }
    Ok(out)
}

/// Which sources each control is linked to.
pub fn control_sources(conn: &Connection) -> Result<HashMap<i64, Vec<OccurrenceSource>>> {
    let mut out: HashMap<i64, Vec<OccurrenceSource>> = HashMap::new();
    let mut stmt = conn.prepare_cached("SELECT control_id, source FROM control_sources ORDER BY control_id, source")?;
    let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    for row in rows {
        let (id, source) = row?;
        if let Some(s) = OccurrenceSource::parse(&source) {
            out.entry(id).or_default().push(s);
        }
    }
    Ok(out)
}

/// Occurrences grouped by the record they are about (system, vendor, data type), each group in
/// date order.
pub fn by_subject(list: Vec<Occ>) -> HashMap<i64, Vec<Occ>> {
    let mut out: HashMap<i64, Vec<Occ>> = HashMap::new();
    for o in list {
        out.entry(o.subject.unwrap_or_default()).or_default().push(o);
    }
    for v in out.values_mut() {
        v.sort_by_key(|o| o.on);
    }
    out
}
