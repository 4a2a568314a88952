//! Check 5: Risk assessment.

use super::*;

pub(super) const CHECK: CheckDef = CheckDef {
    id: 5,
    key: "risk",
    title: "Risk assessment",
    criteria: &["CC3.1", "CC3.2", "CC3.3", "CC3.4", "CC9.1"],
    run,
};

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let last: Option<String> = conn.query_row(
        "SELECT max(performed_on) FROM risk_assessments WHERE performed_on <= ?1",
        [ctx.as_of.to_string()],
        |r| r.get(0),
    )?;
    match date(last) {
        None => c.fail(
            RecordRef::workspace("Risk assessments"),
            "No risk assessment has been recorded.".into(),
            None,
            "Hold a risk assessment and record it (Risks → Assessments).",
        ),
        Some(on) => {
            let due = ctx.plus(on, ctx.s.risk_assessment_days);
            c.dated(
                ctx,
                RecordRef::workspace("Risk assessments"),
                due,
                "Yearly risk assessment".into(),
                format!("The yearly risk assessment was due on {due} (last one {on})."),
                format!("the next risk assessment is due on {due}"),
                "Hold this year's risk assessment and record it.",
            );
        }
    }
    let reviewed: Option<String> = conn.query_row(
        "SELECT max(last_reviewed_on) FROM risks WHERE archived_at IS NULL AND last_reviewed_on <= ?1",
        [ctx.as_of.to_string()],
        |r| r.get(0),
    )?;
    let count: u32 = conn.query_row("SELECT count(*) FROM risks WHERE archived_at IS NULL", [], |r| r.get(0))?;
    if count == 0 {
        c.fail(
            RecordRef::workspace("Risk register"),
            "The risk register is empty.".into(),
            None,
            "Add your risks (the starter library is a quick start) and rate them.",
        );
    } else {
        match date(reviewed) {
            None => c.fail(
                RecordRef::workspace("Risk register"),
                "No risk in the register has a review date.".into(),
                None,
                "Review the register and record the date on the risks reviewed.",
            ),
            Some(on) => {
                let due = ctx.plus(on, ctx.s.risk_register_review_days);
                c.dated(
                    ctx,
                    RecordRef::workspace("Risk register"),
                    due,
                    "Risk register review".into(),
                    format!("The risk register was last reviewed on {on}; a review was due on {due}."),
                    format!("the register review is due on {due}"),
                    "Review the register and record the review dates.",
                );
            }
        }
    }
    let t = crate::settings::band_thresholds(conn)?;
    let high = conn
        .prepare_cached(
            "SELECT id, reference, title, owner_id IS NULL, treatment IS NULL,
                    coalesce(residual_likelihood, inherent_likelihood) * coalesce(residual_impact, inherent_impact)
             FROM risks WHERE archived_at IS NULL AND status <> 'closed'
               AND inherent_likelihood * inherent_impact >= ?1 ORDER BY reference",
        )?
        .query_map([t.high_from], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, reference, title, no_owner, no_treatment) in high {
        let r = RecordRef::new(Register::Risks, id, &reference, &title);
        if no_owner {
            c.fail(
                r.clone(),
                format!("{reference} is high or critical and has no owner."),
                None,
                "Name an owner for the risk.",
            );
        }
        if no_treatment {
            c.fail(
                r,
                format!("{reference} is high or critical and has no treatment decided."),
                None,
                "Decide the treatment (mitigate, accept, transfer, avoid) and record it.",
            );
        }
    }
    c.ok_reason =
        "A risk assessment within the year, a recent register review, and every high risk owned and treated.".into();
    Ok(())
}
