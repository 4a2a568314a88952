//! Check 6: Logging and monitoring on every critical system and every system that holds
//! customer data: logs forwarded, alerting, and log reviews with evidence (Type II: every
//! month of the window; Type I: within the set number of days).

use super::access_reviews::judge_system;
use super::*;
use occurrences::{of_source, OccurrenceSource};

const FIX: &str = "Review the logs of {record} and record the review with evidence.";

pub(super) const CHECK: CheckDef = CheckDef {
    id: 6,
    key: "logging",
    title: "Logging and monitoring",
    criteria: &["CC7.1", "CC7.2", "CC7.3", "CC4.1"],
    run,
};

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let sensitive = sensitive_systems(ctx, c);
    let reviews = occurrences::by_subject(of_source(conn, &ctx.past, OccurrenceSource::LogReviews)?);
    for s in &sensitive {
        c.require(
            s,
            s.logs,
            "does not forward its logs centrally.",
            "Forward the logs of {record} to the central log store.",
        );
        let alert_fix = "Set up alerts on security events in {record} and say who receives them.";
        c.require(s, s.alerting, "has no alerting.", alert_fix);
        judge_system(ctx, c, s, &reviews, (1, ctx.s.log_review_days), ("log review", FIX));
    }
    c.ok_reason =
        "Systems that are critical or hold customer data forward logs, alert, and had their logs reviewed with evidence."
            .into();
    Ok(())
}
