//! Check 6: Logging and monitoring.

use super::*;

pub(super) const CHECK: CheckDef = CheckDef {
    id: 6,
    key: "logging",
    title: "Logging and monitoring",
    criteria: &["CC7.1", "CC7.2", "CC7.3", "CC4.1"],
    run,
};

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    let critical: Vec<&Sys> = systems.iter().filter(|s| s.criticality == "critical").collect();
    if systems.is_empty() {
        no_systems(c);
    } else if critical.is_empty() {
        c.not_applicable = Some("No in-scope system is marked critical.".into());
    }
    for s in &critical {
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
        let last: Option<String> = conn.query_row(
            "SELECT max(performed_on) FROM log_reviews WHERE system_id = ?1 AND performed_on <= ?2",
            params![s.id, ctx.as_of.to_string()],
            |r| r.get(0),
        )?;
        match date(last) {
            None => c.fail(
                sys_ref(s),
                format!("{} has no recorded log review.", s.name),
                None,
                "Review its logs and record the review with evidence.",
            ),
            Some(on) => {
                let due = ctx.plus(on, ctx.s.log_review_days);
                c.dated(
                    ctx,
                    sys_ref(s),
                    due,
                    format!("Log review of {}", s.name),
                    format!("{}'s log review was due on {due}.", s.name),
                    format!("the next log review of {} is due on {due}", s.name),
                    "Review its logs and record the review.",
                );
            }
        }
    }
    c.ok_reason = "Critical systems forward logs, alert, and had their logs reviewed recently.".into();
    Ok(())
}
