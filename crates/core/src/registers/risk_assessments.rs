//! Risk assessments: a dated review of the whole register that freezes a snapshot of it. An
//! assessment reads the same forever (the database refuses edits to snapshots), and two can
//! be compared: risks added, removed and re-rated.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, ErrorCode, Result};
use crate::heatmap::{self, Heatmap, HeatmapRisk};
use crate::history::{Diff, FieldChange};
use crate::refs::PersonRef;
use crate::risks::{RatingView, RiskCategory, RiskStatus, Treatment};
use crate::scoring::Rating;
use crate::settings::{self, BandThresholds};
use crate::validate::{parse_date, Validator};

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AssessmentInput {
    pub performed_on: String,
    #[ts(type = "number | null")]
    pub performed_by_id: Option<i64>,
    /// Who took part, free text (names or roles).
    pub participants: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AssessmentSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub performed_on: NaiveDate,
    pub performed_by: Option<PersonRef>,
    pub participants: String,
    pub notes: String,
    pub risk_count: u32,
    pub created_at: String,
}

/// One risk as it stood when the assessment was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SnapshotRisk {
    #[ts(type = "number")]
    pub risk_id: i64,
    pub reference: String,
    pub title: String,
    pub category: RiskCategory,
    pub owner: String,
    pub inherent: Rating,
    pub treatment: Option<Treatment>,
    pub residual: Option<Rating>,
    pub status: RiskStatus,
    /// Mitigating control references, space separated.
    pub controls: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Assessment {
    pub summary: AssessmentSummary,
    /// The band thresholds in force that day; the snapshot is rated with them.
    pub thresholds: BandThresholds,
    pub risks: Vec<SnapshotRisk>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SnapshotChange {
    pub before: SnapshotRisk,
    pub after: SnapshotRisk,
    /// What differs, in words ("residual", "owner", ...).
    pub changes: Vec<FieldChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AssessmentComparison {
    pub from: AssessmentSummary,
    pub to: AssessmentSummary,
    pub added: Vec<SnapshotRisk>,
    pub removed: Vec<SnapshotRisk>,
    pub changed: Vec<SnapshotChange>,
    pub unchanged: u32,
}

const SUMMARY: &str = "
    SELECT a.id, a.performed_on, a.performed_by_id, p.name, a.participants, a.notes,
           (SELECT count(*) FROM risk_assessment_items i WHERE i.assessment_id = a.id), a.created_at
    FROM risk_assessments a LEFT JOIN people p ON p.id = a.performed_by_id";

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<AssessmentSummary> {
    let on: String = r.get(1)?;
    Ok(AssessmentSummary {
        id: r.get(0)?,
        performed_on: parse_date(&on).unwrap_or_default(),
        performed_by: r
            .get::<_, Option<i64>>(2)?
            .zip(r.get::<_, Option<String>>(3)?)
            .map(|(id, name)| PersonRef { id, name }),
        participants: r.get(4)?,
        notes: r.get(5)?,
        risk_count: r.get(6)?,
        created_at: r.get(7)?,
    })
}

/// Every assessment, newest first.
pub fn list(conn: &Connection) -> Result<Vec<AssessmentSummary>> {
    let mut stmt = conn.prepare_cached(&format!("{SUMMARY} ORDER BY a.performed_on DESC, a.id DESC"))?;
    let rows = stmt.query_map([], summary_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: i64) -> Result<Assessment> {
    let summary = conn
        .prepare_cached(&format!("{SUMMARY} WHERE a.id = ?1"))?
        .query_row([id], summary_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No risk assessment with id {id}.")))?;
    let thresholds = conn
        .prepare_cached("SELECT medium_from, high_from, critical_from FROM risk_assessments WHERE id = ?1")?
        .query_row([id], |r| {
            Ok(BandThresholds { medium_from: r.get(0)?, high_from: r.get(1)?, critical_from: r.get(2)? })
        })?;
    let mut stmt = conn.prepare_cached(
        "SELECT risk_id, reference, title, category, owner_name, inherent_likelihood, inherent_impact, treatment,
                residual_likelihood, residual_impact, status, controls
         FROM risk_assessment_items WHERE assessment_id = ?1 ORDER BY reference COLLATE NOCASE",
    )?;
    let t = thresholds;
    let risks = stmt
        .query_map([id], |r| {
            Ok(SnapshotRisk {
                risk_id: r.get(0)?,
                reference: r.get(1)?,
                title: r.get(2)?,
                category: RiskCategory::parse(&r.get::<_, String>(3)?).unwrap_or(RiskCategory::Security),
                owner: r.get(4)?,
                inherent: Rating::new(r.get(5)?, r.get(6)?, &t),
                treatment: r.get::<_, Option<String>>(7)?.as_deref().and_then(Treatment::parse),
                residual: match (r.get::<_, Option<u8>>(8)?, r.get::<_, Option<u8>>(9)?) {
                    (Some(l), Some(i)) => Some(Rating::new(l, i, &t)),
                    _ => None,
                },
                status: RiskStatus::parse(&r.get::<_, String>(10)?).unwrap_or(RiskStatus::Open),
                controls: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Assessment { summary, thresholds, risks })
}

/// The heatmap of an assessment's snapshot, with that day's thresholds.
pub fn heatmap(conn: &Connection, id: i64, view: RatingView) -> Result<Heatmap> {
    let a = get(conn, id)?;
    let risks = a
        .risks
        .into_iter()
        .filter(|r| r.status != RiskStatus::Closed)
        .map(|r| HeatmapRisk {
            id: r.risk_id,
            reference: r.reference,
            title: r.title,
            category: r.category,
            owner: (!r.owner.is_empty()).then_some(r.owner),
            inherent: r.inherent,
            residual: r.residual,
        })
        .collect();
    Ok(heatmap::build(risks, view, a.thresholds))
}

/// Records an assessment and freezes the register (every risk not archived) into it.
pub fn create(tx: &Transaction<'_>, now: DateTime<Utc>, input: &AssessmentInput) -> Result<Assessment> {
    let mut v = Validator::new();
    let performed_on = v.required_date("performed_on", "Performed on", &input.performed_on);
    if performed_on.is_some_and(|d| d > now.date_naive()) {
        v.add("performed_on", "An assessment cannot be recorded before it happens.");
    }
    v.active_person(tx, "performed_by_id", input.performed_by_id, None, "person")?;
    let participants = v.optional("participants", "Participants", &input.participants, 2_000);
    let notes = v.optional("notes", "Notes", &input.notes, 20_000);
    v.finish()?;
    let performed_on = performed_on.ok_or_else(|| Error::internal("validated date missing"))?;
    let count: u32 = tx.query_row("SELECT count(*) FROM risks WHERE archived_at IS NULL", [], |r| r.get(0))?;
    if count == 0 {
        return Err(Error::new(
            ErrorCode::Conflict,
            "The register has no risks yet; add risks before recording an assessment.",
        ));
    }
    let t = settings::band_thresholds(tx)?;
    tx.execute(
        "INSERT INTO risk_assessments (performed_on, performed_by_id, participants, notes, medium_from, high_from,
             critical_from, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            performed_on.to_string(),
            input.performed_by_id,
            participants,
            notes,
            t.medium_from,
            t.high_from,
            t.critical_from,
            stamp(now)
        ],
    )?;
    let id = tx.last_insert_rowid();
    tx.execute(
        "INSERT INTO risk_assessment_items (assessment_id, risk_id, reference, title, category, owner_name,
             inherent_likelihood, inherent_impact, treatment, residual_likelihood, residual_impact, status, controls)
         SELECT ?1, r.id, r.reference, r.title, r.category, coalesce(p.name, ''), r.inherent_likelihood,
                r.inherent_impact, r.treatment, r.residual_likelihood, r.residual_impact, r.status,
                coalesce((SELECT group_concat(reference, ' ') FROM
                    (SELECT c.reference FROM risk_controls rc JOIN controls c ON c.id = rc.control_id
                     WHERE rc.risk_id = r.id ORDER BY c.reference COLLATE NOCASE)), '')
         FROM risks r LEFT JOIN people p ON p.id = r.owner_id
         WHERE r.archived_at IS NULL",
        [id],
    )?;
    get(tx, id)
}

fn rating_text(r: Option<Rating>) -> Option<String> {
    r.map(|r| format!("{} x {} = {} ({})", r.likelihood, r.impact, r.score, r.band.label()))
}

/// What changed from assessment `from` to assessment `to`, matched by risk.
pub fn compare(conn: &Connection, from: i64, to: i64) -> Result<AssessmentComparison> {
    let a = get(conn, from)?;
    let b = get(conn, to)?;
    let before: BTreeMap<i64, &SnapshotRisk> = a.risks.iter().map(|r| (r.risk_id, r)).collect();
    let after: BTreeMap<i64, &SnapshotRisk> = b.risks.iter().map(|r| (r.risk_id, r)).collect();
    let added = b.risks.iter().filter(|r| !before.contains_key(&r.risk_id)).cloned().collect();
    let removed = a.risks.iter().filter(|r| !after.contains_key(&r.risk_id)).cloned().collect();
    let mut changed = Vec::new();
    let mut unchanged = 0;
    for new in &b.risks {
        let Some(old) = before.get(&new.risk_id) else { continue };
        let mut d = Diff::new();
        d.field("reference", Some(old.reference.clone()), Some(new.reference.clone()))
            .field("title", Some(old.title.clone()), Some(new.title.clone()))
            .field("category", Some(old.category.label().into()), Some(new.category.label().into()))
            .field("owner", Some(old.owner.clone()), Some(new.owner.clone()))
            .field("inherent", rating_text(Some(old.inherent)), rating_text(Some(new.inherent)))
            .field("treatment", old.treatment.map(|t| t.label().into()), new.treatment.map(|t| t.label().into()))
            .field("residual", rating_text(old.residual), rating_text(new.residual))
            .field("status", Some(old.status.label().into()), Some(new.status.label().into()))
            .field("controls", Some(old.controls.clone()), Some(new.controls.clone()));
        if d.is_empty() {
            unchanged += 1;
        } else {
            changed.push(SnapshotChange { before: (*old).clone(), after: new.clone(), changes: d.into_changes() });
        }
    }
    Ok(AssessmentComparison { from: a.summary, to: b.summary, added, removed, changed, unchanged })
}
