//! The 5 x 5 risk heatmap as data: which risks sit in which likelihood x impact cell, with
//! each cell's band. The app draws it; the PDF report draws the same matrix.

use rusqlite::{params_from_iter, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::risks::{RatingView, RiskCategory, RiskStatus};
use crate::scoring::{impact_label, likelihood_label, Band, Rating, RiskScale};
use crate::settings::{self, BandThresholds};

/// A risk as the heatmap needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HeatmapRisk {
    /// The live risk's id (for a snapshot: the id it had; it may since be archived).
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub category: RiskCategory,
    pub owner: Option<String>,
    pub inherent: Rating,
    pub residual: Option<Rating>,
}

impl HeatmapRisk {
    /// The rating the view places the risk by (residual falls back to inherent).
    pub fn rating(&self, view: RatingView) -> Rating {
        match view {
            RatingView::Inherent => self.inherent,
            RatingView::Residual => self.residual.unwrap_or(self.inherent),
        }
    }

    /// Treatment moved the risk to another cell.
    pub fn moved(&self) -> bool {
        self.residual.is_some_and(|r| (r.likelihood, r.impact) != (self.inherent.likelihood, self.inherent.impact))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HeatmapCell {
    pub likelihood: u8,
    pub impact: u8,
    pub score: u8,
    pub band: Band,
    /// "Likely x Major: 3 risks", the cell's accessible name.
    pub label: String,
    /// Indexes into `Heatmap::risks`, highest inherent score first.
    pub risks: Vec<u32>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Heatmap {
    pub view: RatingView,
    pub scale: RiskScale,
    /// Five rows from likelihood 5 (top) to 1, each with impact 1 to 5 (left to right).
    pub rows: Vec<Vec<HeatmapCell>>,
    pub risks: Vec<HeatmapRisk>,
    /// Risks placed by their inherent rating in the residual view because they have no residual one.
    pub unrated_residual: u32,
}

impl Heatmap {
    pub fn cell(&self, likelihood: u8, impact: u8) -> Option<&HeatmapCell> {
        self.rows.get(usize::from(5u8.checked_sub(likelihood)?))?.get(usize::from(impact.checked_sub(1)?))
    }
}

/// Places `risks` on the grid for `view`. Pure: the live register and assessment snapshots
/// both go through here.
pub fn build(mut risks: Vec<HeatmapRisk>, view: RatingView, t: BandThresholds) -> Heatmap {
    risks.sort_by(|a, b| {
        b.rating(view)
            .score
            .cmp(&a.rating(view).score)
            .then_with(|| a.reference.to_lowercase().cmp(&b.reference.to_lowercase()))
    });
    let mut rows: Vec<Vec<HeatmapCell>> = (1..=5u8)
        .rev()
        .map(|l| {
            (1..=5u8)
                .map(|i| HeatmapCell {
                    likelihood: l,
                    impact: i,
                    score: l * i,
                    band: Band::of(l * i, &t),
                    label: String::new(),
                    risks: Vec::new(),
                })
                .collect()
        })
        .collect();
    for (index, risk) in risks.iter().enumerate() {
        let r = risk.rating(view);
        if let Some(cell) = rows
            .get_mut(usize::from(5 - r.likelihood.clamp(1, 5)))
            .and_then(|row| row.get_mut(usize::from(r.impact.clamp(1, 5) - 1)))
        {
            cell.risks.push(index as u32);
        }
    }
    for cell in rows.iter_mut().flatten() {
        let n = cell.risks.len();
        cell.label = format!(
            "{} x {}: {n} {}",
            likelihood_label(cell.likelihood),
            impact_label(cell.impact),
            if n == 1 { "risk" } else { "risks" }
        );
    }
    let unrated_residual =
        if view == RatingView::Residual { risks.iter().filter(|r| r.residual.is_none()).count() as u32 } else { 0 };
    Heatmap { view, scale: RiskScale::new(t), rows, risks, unrated_residual }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HeatmapQuery {
    pub view: RatingView,
    pub category: Option<RiskCategory>,
    pub owner_id: Option<i64>,
    /// Closed risks are left out unless asked for.
    pub include_closed: bool,
}

/// The heatmap of the live register (risks not archived).
pub fn live(conn: &Connection, q: &HeatmapQuery) -> Result<Heatmap> {
    let t = settings::band_thresholds(conn)?;
    let mut filters = vec!["r.archived_at IS NULL".to_owned()];
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if !q.include_closed {
        filters.push(format!("r.status <> '{}'", RiskStatus::Closed.as_str()));
    }
    if let Some(c) = q.category {
        args.push(c.as_str().to_owned().into());
        filters.push(format!("r.category = ?{}", args.len()));
    }
    if let Some(o) = q.owner_id {
        args.push(o.into());
        filters.push(format!("r.owner_id = ?{}", args.len()));
    }
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT r.id, r.reference, r.title, r.category, p.name, r.inherent_likelihood, r.inherent_impact,
                r.residual_likelihood, r.residual_impact
         FROM risks r LEFT JOIN people p ON p.id = r.owner_id
         WHERE {}",
        filters.join(" AND ")
    ))?;
    let risks = stmt
        .query_map(params_from_iter(args.iter()), |r| {
            let category: String = r.get(3)?;
            Ok(HeatmapRisk {
                id: r.get(0)?,
                reference: r.get(1)?,
                title: r.get(2)?,
                category: RiskCategory::parse(&category).unwrap_or(RiskCategory::Security),
                owner: r.get(4)?,
                inherent: Rating::new(r.get(5)?, r.get(6)?, &t),
                residual: match (r.get::<_, Option<u8>>(7)?, r.get::<_, Option<u8>>(8)?) {
                    (Some(l), Some(i)) => Some(Rating::new(l, i, &t)),
                    _ => None,
                },
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(build(risks, q.view, t))
}

/// The register's heatmap as it stood at the end of `day`: the risks recorded by then, not
/// archived or closed then, placed by the ratings they had then (from their history).
pub fn on_day(conn: &Connection, day: chrono::NaiveDate, view: RatingView) -> Result<Heatmap> {
    use crate::past::Past;
    use crate::refs::Register;
    let past = Past::new(day);
    let t = settings::band_thresholds(conn)?;
    let then = past.then(conn, Register::Risks, &["inherent", "residual", "status", "reference", "title"])?;
    let rating = |text: &str| -> Option<(u8, u8)> {
        let (l, rest) = text.split_once(" x ")?;
        let i = rest.split_whitespace().next()?;
        Some((l.trim().parse().ok()?, i.parse().ok()?))
    };
    type Row = (i64, String, String, String, Option<String>, u8, u8, Option<u8>, Option<u8>, String, bool);
    let rows: Vec<Row> = crate::store::tuples(
        conn,
        "SELECT r.id, r.reference, r.title, r.category, p.name, r.inherent_likelihood, r.inherent_impact,
                r.residual_likelihood, r.residual_impact, r.status, r.archived_at IS NOT NULL
         FROM risks r LEFT JOIN people p ON p.id = r.owner_id WHERE r.created_at <= ?1",
        [past.end()],
    )?;
    let mut risks = Vec::new();
    for (id, reference, title, category, owner, l, i, rl, ri, status, archived) in rows {
        if then.archived(id, archived) {
            continue;
        }
        let (inherent, residual) = ((l, i), rl.zip(ri));
        let field = |f: &str| then.old(id, f);
        let status = field("status").cloned().flatten().unwrap_or(status);
        if RiskStatus::parse_cell(&status) == Some(RiskStatus::Closed) {
            continue;
        }
        let inherent = match field("inherent") {
            Some(old) => old.as_deref().and_then(rating).unwrap_or(inherent),
            None => inherent,
        };
        let residual = match field("residual") {
            Some(old) => old.as_deref().and_then(rating),
            None => residual,
        };
        risks.push(HeatmapRisk {
            id,
            reference: field("reference").cloned().flatten().unwrap_or(reference),
            title: field("title").cloned().flatten().unwrap_or(title),
            category: RiskCategory::parse(&category).unwrap_or(RiskCategory::Security),
            owner,
            inherent: Rating::new(inherent.0, inherent.1, &t),
            residual: residual.map(|(l, i)| Rating::new(l, i, &t)),
        });
    }
    Ok(build(risks, view, t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn risk(reference: &str, inherent: (u8, u8), residual: Option<(u8, u8)>) -> HeatmapRisk {
        let t = BandThresholds::default();
        HeatmapRisk {
            id: 1,
            reference: reference.into(),
            title: reference.into(),
            category: RiskCategory::Security,
            owner: None,
            inherent: Rating::new(inherent.0, inherent.1, &t),
            residual: residual.map(|(l, i)| Rating::new(l, i, &t)),
        }
    }

    #[test]
    fn places_risks_by_the_chosen_view() {
        let risks = vec![risk("A", (4, 4), Some((2, 3))), risk("B", (4, 4), None), risk("C", (1, 5), None)];
        let inherent = build(risks.clone(), RatingView::Inherent, BandThresholds::default());
        assert_eq!(inherent.cell(4, 4).map(|c| c.risks.len()), Some(2));
        assert_eq!(inherent.cell(4, 4).map(|c| c.label.as_str()), Some("Likely x Major: 2 risks"));
        assert_eq!(inherent.cell(4, 4).map(|c| c.band), Some(Band::High));
        assert_eq!(inherent.cell(1, 5).map(|c| c.label.as_str()), Some("Rare x Severe: 1 risk"));
        assert_eq!(inherent.rows[0][0].likelihood, 5, "top row is almost certain");
        assert_eq!(inherent.unrated_residual, 0);

        let residual = build(risks, RatingView::Residual, BandThresholds::default());
        assert_eq!(residual.cell(4, 4).map(|c| c.risks.len()), Some(1));
        let moved = residual.cell(2, 3).map(|c| c.risks.clone()).unwrap_or_default();
        assert_eq!(moved.len(), 1);
        assert_eq!(residual.risks[moved[0] as usize].reference, "A");
        assert!(residual.risks[moved[0] as usize].moved());
        assert_eq!(residual.unrated_residual, 2);
        let total: usize = residual.rows.iter().flatten().map(|c| c.risks.len()).sum();
        assert_eq!(total, 3);
    }
}
