//! Check 6: Logging and monitoring on every critical system and every system that holds
//! customer data: logs forwarded, alerting, and log reviews with evidence (Type II: every
//! month of the window; Type I: within the set number of days).

use super::access_reviews::{judge_periodic, Periodic};
use super::*;
use occurrences::{of_source, OccurrenceSource};

pub(super) const CHECK: CheckDef = CheckDef {
    id: 6,
    key: "logging",
    title: "Logging and monitoring",
    criteria: &["CC7.1", "CC7.2", "CC7.3", "CC4.1"],
    run,
};

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    let sensitive: Vec<&Sys> = systems.iter().filter(|s| s.sensitive()).collect();
    if systems.is_empty() {
        no_systems(c);
    } else if sensitive.is_empty() {
        c.not_applicable = Some("No in-scope system is critical or holds customer data.".into());
    }
    let reviews = occurrences::by_subject(of_source(conn, &ctx.past, OccurrenceSource::LogReviews)?);
    for s in &sensitive {
        if !s.logs {
            c.fail(
                sys_ref(s),
                format!("{} does not forward its logs centrally.", s.name),
                None,
                "Forward its logs to the central log store.",
            );
        }
        if !s.alerting {
            c.fail(
                sys_ref(s),
                format!("{} has no alerting.", s.name),
                None,
                "Set up alerts on security events and say who receives them.",
            );
        }
        let mine: Vec<&occurrences::Occ> = reviews.get(&s.id).map(|v| v.iter().collect()).unwrap_or_default();
        judge_periodic(
            ctx,
            c,
            Periodic {
                record: sys_ref(s),
                what: format!("system:{}", s.id),
                name: &s.name,
                occurrences: &mine,
                type1_days: ctx.s.log_review_days,
                months: 1,
                noun: "log review",
                fix: "Review its logs and record the review with evidence.",
            },
        );
    }
    c.ok_reason =
        "Systems that are critical or hold customer data forward logs, alert, and had their logs reviewed with evidence."
            .into();
    Ok(())
}
