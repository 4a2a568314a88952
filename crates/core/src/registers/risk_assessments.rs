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
    pub performed_by_id: Option<i64>,
    /// Who took part, free text (names or roles).
    pub participants: String,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AssessmentSummary {
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
    /// Corrections noted since, oldest first: the snapshot itself never changes.
    pub amendments: Vec<Amendment>,
}

/// A correction to a recorded assessment, kept beside it as written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Amendment {
    pub id: i64,
    pub text: String,
    pub by: Option<PersonRef>,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AmendmentInput {
    pub text: String,
    pub by_id: Option<i64>,
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
    let amendments = conn
        .prepare_cached(
            "SELECT m.id, m.text, m.by_id, p.name, m.created_at FROM risk_assessment_amendments m
             LEFT JOIN people p ON p.id = m.by_id WHERE m.assessment_id = ?1 ORDER BY m.id",
        )?
        .query_map([id], |r| {
            let by = r.get::<_, Option<i64>>(2)?.zip(r.get::<_, Option<String>>(3)?);
            Ok(Amendment {
                id: r.get(0)?,
                text: r.get(1)?,
                by: by.map(|(id, name)| PersonRef { id, name }),
                at: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Assessment { summary, thresholds, risks, amendments })
}

/// Notes a correction to recorded assessment `id` (a wrong rating, a risk left out, a wrong
/// date): kept beside it, with who noted it and when. The snapshot itself is frozen; the
/// database refuses to change it, or an amendment once written.
pub fn amend(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &AmendmentInput) -> Result<Assessment> {
    get(tx, id)?;
    let mut v = Validator::new();
    let text = v.required("text", "Amendment", &input.text, 5_000);
    v.active_person(tx, "by_id", input.by_id, None, "person")?;
    v.finish()?;
    tx.prepare_cached(
        "INSERT INTO risk_assessment_amendments (assessment_id, text, by_id, created_at) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![id, text, input.by_id, stamp(now)])?;
    get(tx, id)
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

/// The risk assessments CSV columns (documented in docs/csv.md): one row per risk of an
/// assessment, the assessment's own fields repeated on each of its rows.
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "performed_on",
        "performed_by_email",
        "participants",
        "notes",
        "medium_from",
        "high_from",
        "critical_from",
        "risk",
        "title",
        "category",
        "owner",
        "inherent_likelihood",
        "inherent_impact",
        "treatment",
        "residual_likelihood",
        "residual_impact",
        "status",
        "controls",
    ],
    required: &["performed_on", "risk", "title", "category", "inherent_likelihood", "inherent_impact", "status"],
    aliases: &[("reference", "risk")],
    example: &[
        "2026-03-02",
        "ana@example.com",
        "Ana Silva, Ben Okafor",
        "Yearly review of the whole register.",
        "5",
        "10",
        "17",
        "RISK-001",
        "Laptop lost with customer data on it",
        "security",
        "Ana Silva",
        "3",
        "4",
        "mitigate",
        "2",
        "2",
        "open",
        "AC-01",
    ],
};

/// A snapshot row's id in the CSV contract: its assessment and its risk in one number.
fn item_id(assessment_id: i64, risk_id: i64) -> i64 {
    (assessment_id << 32) | (risk_id & 0xffff_ffff)
}

/// An assessment already on a day: id, made by this import, who, participants, notes, bands.
type DayAssessment = (i64, bool, Option<i64>, String, String, u8, u8, u8);

/// Where the risks of an assessment brought from a file take their ids when the register no
/// longer holds them (the snapshot keeps them; they only need to differ from live ones).
const GONE_RISK_IDS: i64 = 2_000_000_000;

/// Risk assessments in CSV: the frozen snapshot of each, one row per risk (matched on the
/// assessment's date and the risk's reference). A file may bring an assessment from the past,
/// with its risks as they then stood; it never changes one already recorded.
pub struct AssessmentsCsv;

impl crate::csv_import::CsvRegister for AssessmentsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["performed_on", "risk"];
    const FIND: &'static str = "SELECT (i.assessment_id << 32) | (i.risk_id & 4294967295) FROM risk_assessment_items i
        JOIN risk_assessments a ON a.id = i.assessment_id
        WHERE a.performed_on = ?1 AND i.reference = ?2 COLLATE NOCASE ORDER BY a.id LIMIT 1";
    const EXPORT_IDS: &'static str =
        "SELECT (i.assessment_id << 32) | (i.risk_id & 4294967295) FROM risk_assessment_items i
        JOIN risk_assessments a ON a.id = i.assessment_id ORDER BY a.performed_on, a.id, i.reference COLLATE NOCASE";

    /// The assessments this import makes are listed in a temporary table: only those take
    /// more rows (one recorded before is frozen).
    fn start(tx: &Transaction<'_>) -> Result<()> {
        tx.execute_batch(
            "CREATE TEMP TABLE IF NOT EXISTS csv_new_assessments (id INTEGER PRIMARY KEY);
             DELETE FROM csv_new_assessments;",
        )?;
        Ok(())
    }

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        let (assessment, risk) = (id >> 32, id & 0xffff_ffff);
        crate::csv_import::row_cells(
            conn,
            "SELECT a.performed_on, COALESCE(p.email, ''), a.participants, a.notes, a.medium_from, a.high_from,
                    a.critical_from, i.reference, i.title, i.category, i.owner_name, i.inherent_likelihood,
                    i.inherent_impact, i.treatment, i.residual_likelihood, i.residual_impact, i.status, i.controls
             FROM risk_assessment_items i JOIN risk_assessments a ON a.id = i.assessment_id
             LEFT JOIN people p ON p.id = a.performed_by_id
             WHERE i.assessment_id = ?1 AND i.risk_id = ?2",
            params![assessment, risk],
        )
    }

    fn apply(
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        c: &mut crate::csv_import::Cells<'_>,
        existing: Option<i64>,
    ) -> Result<crate::csv_import::Applied> {
        use crate::csv_import::Applied;
        if let Some(id) = existing {
            return crate::csv_import::unchanged::<Self>(tx, c, id, "This risk's row of the assessment");
        }
        let by = c.person(tx, "performed_by_email")?;
        let defaults = settings::band_thresholds(tx)?;
        let band = |c: &mut crate::csv_import::Cells<'_>, column: &str, default: u8| -> u8 {
            c.number(column).map(|n| u8::try_from(n).unwrap_or(u8::MAX)).unwrap_or(default)
        };
        let bands = (
            band(c, "medium_from", defaults.medium_from),
            band(c, "high_from", defaults.high_from),
            band(c, "critical_from", defaults.critical_from),
        );
        if !(1 < bands.0 && bands.0 < bands.1 && bands.1 < bands.2 && bands.2 <= 25) {
            c.problem("medium_from", "The bands must rise: 1 < medium_from < high_from < critical_from ≤ 25.");
        }
        let score = |c: &mut crate::csv_import::Cells<'_>, column: &str, required: bool| -> Option<u8> {
            match c.number(column) {
                Some(n @ 1..=5) => u8::try_from(n).ok(),
                Some(_) => {
                    c.problem(column, "Write a whole number from 1 to 5.");
                    None
                }
                None if required => {
                    c.problem(column, "Write a whole number from 1 to 5.");
                    None
                }
                None => None,
            }
        };
        let inherent = (score(c, "inherent_likelihood", true), score(c, "inherent_impact", true));
        let residual = (score(c, "residual_likelihood", false), score(c, "residual_impact", false));
        if residual.0.is_some() != residual.1.is_some() {
            c.problem("residual_impact", "Give both residual likelihood and impact, or neither.");
        }
        let category = c.required_choice::<RiskCategory>("category");
        let status = c.required_choice::<RiskStatus>("status");
        let treatment = c.choice_or_none::<Treatment>("treatment");
        let (reference, title) = (c.text("risk"), c.text("title"));
        for (column, value) in [("risk", &reference), ("title", &title)] {
            if value.is_empty() {
                c.problem(column, "This cell is required.");
            }
        }
        let mut v = Validator::new();
        let on = v.required_date("performed_on", "Performed on", &c.text("performed_on"));
        if on.is_some_and(|d| d > now.date_naive()) {
            v.add("performed_on", "An assessment cannot be recorded before it happens.");
        }
        let participants = v.optional("participants", "Participants", &c.text("participants"), 2_000);
        let notes = v.optional("notes", "Notes", &c.text("notes"), 20_000);
        v.finish()?;
        let (Some(on), (Some(il), Some(ii)), Some(category), Some(status)) = (on, inherent, category, status) else {
            return Ok(Applied::Unchanged);
        };
        if !c.errors.is_empty() {
            return Ok(Applied::Unchanged);
        }
        // The assessment of that day: made by an earlier row of this file, or made now.
        let found: Option<DayAssessment> = tx
            .prepare_cached(
                "SELECT id, id IN (SELECT id FROM temp.csv_new_assessments), performed_by_id, participants, notes,
                        medium_from, high_from, critical_from
                 FROM risk_assessments WHERE performed_on = ?1 ORDER BY id DESC LIMIT 1",
            )?
            .query_row([on.to_string()], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?, r.get(7)?))
            })
            .optional()?;
        let assessment = match found {
            Some((_, false, ..)) => {
                c.problem(
                    "performed_on",
                    format!("The assessment of {on} is already recorded and frozen: a file cannot add risks to it."),
                );
                return Ok(Applied::Unchanged);
            }
            Some((id, _, was_by, was_participants, was_notes, m, h, k)) => {
                let differs = [
                    ("performed_by_email", was_by != by),
                    ("participants", was_participants != participants),
                    ("notes", was_notes != notes),
                    ("medium_from", (m, h, k) != bands),
                ];
                if let Some((column, _)) = differs.iter().find(|(_, d)| *d) {
                    c.problem(column, format!("The other rows of the {on} assessment say otherwise: they must agree."));
                    return Ok(Applied::Unchanged);
                }
                id
            }
            None => {
                tx.execute(
                    "INSERT INTO risk_assessments (performed_on, performed_by_id, participants, notes, medium_from,
                         high_from, critical_from, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![on.to_string(), by, participants, notes, bands.0, bands.1, bands.2, stamp(now)],
                )?;
                let id = tx.last_insert_rowid();
                tx.execute("INSERT INTO temp.csv_new_assessments (id) VALUES (?1)", [id])?;
                id
            }
        };
        let live: Option<i64> = tx
            .prepare_cached("SELECT id FROM risks WHERE reference = ?1 COLLATE NOCASE")?
            .query_row([&reference], |r| r.get(0))
            .optional()?;
        let risk_id = match live {
            Some(id) => id,
            None => tx
                .prepare_cached(
                    "SELECT max(?2, COALESCE(max(risk_id) + 1, ?2)) FROM risk_assessment_items
                     WHERE assessment_id = ?1 AND risk_id >= ?2",
                )?
                .query_row(params![assessment, GONE_RISK_IDS], |r| r.get(0))?,
        };
        let taken: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM risk_assessment_items WHERE assessment_id = ?1 AND risk_id = ?2)",
            )?
            .query_row(params![assessment, risk_id], |r| r.get(0))?;
        if taken {
            c.problem("risk", format!("The {on} assessment already lists {reference}."));
            return Ok(Applied::Unchanged);
        }
        tx.execute(
            "INSERT INTO risk_assessment_items (assessment_id, risk_id, reference, title, category, owner_name,
                 inherent_likelihood, inherent_impact, treatment, residual_likelihood, residual_impact, status, controls)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
            params![
                assessment,
                risk_id,
                reference,
                title,
                category.as_str(),
                c.text("owner"),
                il,
                ii,
                treatment.map(|t| t.as_str()),
                residual.0,
                residual.1,
                status.as_str(),
                c.text("controls"),
            ],
        )?;
        Ok(Applied::Created(item_id(assessment, risk_id)))
    }
}
