//! Check 5: Risk assessment. A risk assessment within the set days; every open risk reviewed
//! within the set days (an assessment reviews every risk it snapshots); every high or critical
//! risk owned and treated; no acceptance past its end date.

use super::*;

pub(super) const CHECK: CheckDef = CheckDef {
    id: 5,
    key: "risk",
    title: "Risk assessment",
    criteria: &["CC3.1", "CC3.2", "CC3.3", "CC3.4", "CC9.1"],
    run,
};

/// Reads the inherent rating as history writes it: "4 x 5 = 20 (Likely x Severe)".
fn rating(text: &str) -> Option<(u8, u8)> {
    let (l, rest) = text.split_once(" x ")?;
    let (i, _) = rest.split_once(' ').unwrap_or((rest, ""));
    Some((l.trim().parse().ok()?, i.trim().parse().ok()?))
}

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::risks::{RiskStatus, Treatment};
    let assessments = occurrences::of_source(conn, &ctx.past, occurrences::OccurrenceSource::RiskAssessments)?;
    let last_assessment = assessments.iter().map(|o| o.on).max();
    match last_assessment {
        None => c.missing(
            "Risk assessments",
            "No risk assessment has been recorded.",
            "Hold a risk assessment and record it (Risks → Assessments).",
        ),
        Some(on) => {
            let due = ctx.plus(on, ctx.s.risk_assessment_days);
            c.dated(
                ctx,
                RecordRef::workspace("Risk assessments"),
                due,
                ctx.s.risk_assessment_days,
                "Yearly risk assessment".into(),
                format!("The yearly risk assessment was due on {due} (last one {on})."),
                format!("the next risk assessment is due on {due}"),
                "Hold this year's risk assessment and record it.",
            );
        }
    }
    // Snapshot membership: an assessment reviews the risks it froze.
    let assessed: std::collections::HashMap<i64, NaiveDate> = conn
        .prepare_cached(
            "SELECT i.risk_id, max(a.performed_on) FROM risk_assessment_items i JOIN risk_assessments a ON a.id = i.assessment_id
             WHERE a.created_at <= ?1 AND a.performed_on <= ?2 GROUP BY i.risk_id",
        )?
        .query_map(params![ctx.past.end(), ctx.as_of.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })?
        .filter_map(|row| row.ok().and_then(|(id, d)| crate::validate::parse_date(&d).map(|d| (id, d))))
        .collect();
    let rows = ctx.past.records(
        conn,
        Register::Risks,
        ["owner", "treatment", "inherent", "status", "last_reviewed_on", "accepted_until", "reference", "title"],
        "SELECT r.id, r.archived_at IS NOT NULL, o.name, r.treatment, r.inherent_likelihood || ' x ' || r.inherent_impact,
                r.status, r.last_reviewed_on, r.accepted_until, r.reference, r.title
         FROM risks r LEFT JOIN people o ON o.id = r.owner_id WHERE r.created_at <= ?1 ORDER BY r.reference",
        [ctx.past.end()],
    )?;
    let t = crate::settings::band_thresholds(conn)?;
    let mut open = 0;
    for (id, v) in rows {
        let status = v[3].as_deref().and_then(RiskStatus::parse_cell).unwrap_or(RiskStatus::Open);
        if status == RiskStatus::Closed {
            continue;
        }
        open += 1;
        let (reference, title) = (v[6].clone().unwrap_or_default(), v[7].clone().unwrap_or_default());
        let r = RecordRef::new(Register::Risks, id, &reference, &title);
        let treatment = v[1].as_deref().and_then(Treatment::parse_cell);
        let reviewed =
            v[4].as_deref().and_then(crate::validate::parse_date).into_iter().chain(assessed.get(&id).copied()).max();
        match reviewed {
            None => c.fail(
                r.clone(),
                format!("{reference} has never been reviewed."),
                None,
                "Review {record} (its rating, treatment and controls) and record the date.",
            ),
            Some(on) => {
                let due = ctx.plus(on, ctx.s.risk_register_review_days);
                c.dated(
                    ctx,
                    r.clone(),
                    due,
                    ctx.s.risk_register_review_days,
                    format!("Review {reference}"),
                    format!("{reference} was last reviewed on {on}; a review was due on {due}."),
                    format!("{reference}'s review is due on {due}"),
                    "Review the risk and record the date.",
                );
            }
        }
        let score = v[2].as_deref().and_then(rating).map_or(0, |(l, i)| l * i);
        if score >= t.high_from {
            if v[0].is_none() {
                c.fail(
                    r.clone(),
                    format!("{reference} is high or critical and has no owner."),
                    None,
                    "Name an owner for the risk.",
                );
            }
            if treatment.is_none() {
                c.fail(
                    r.clone(),
                    format!("{reference} is high or critical and has no treatment decided."),
                    None,
                    "Decide the treatment of {record} (mitigate, accept, transfer, avoid) and record it.",
                );
            }
        }
        if treatment == Some(Treatment::Accept) {
            if let Some(until) = v[5].as_deref().and_then(crate::validate::parse_date) {
                if until < ctx.as_of {
                    c.fail(
                        r.clone(),
                        format!("The acceptance of {reference} ended on {until}."),
                        Some(until),
                        "Decide again: renew the acceptance with a new end date, or treat the risk.",
                    );
                } else {
                    c.plan(until, format!("Acceptance of {reference} ends"), r.clone());
                }
            }
        }
    }
    if open == 0 {
        let fix = "Add your risks (the starter library is a quick start) and rate them.";
        c.missing("Risk register", "The risk register has no open risk.", fix);
    }
    c.ok_reason =
        "A risk assessment within the year, every open risk reviewed on time, high risks owned and treated, no lapsed acceptance."
            .into();
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn ratings_read_back_from_history() {
        assert_eq!(super::rating("4 x 5 = 20 (Likely x Severe)"), Some((4, 5)));
        assert_eq!(super::rating("2 x 3"), Some((2, 3)));
    }
}
