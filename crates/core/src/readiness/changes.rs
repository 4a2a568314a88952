//! Check 8: Change management. The change policy is in force; every change deployed in the
//! judged stretch was approved by someone other than its author before it went live
//! (emergency changes within the set business days after, the same rule the change register
//! shows) and tested; a change without a rollback plan is noted. A stretch without any
//! recorded change is not a silent pass: the auditor will ask for the population.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 8, key: "changes", title: "Change management", criteria: &["CC8.1"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    policies::require_in_force(conn, ctx, c, crate::policies::PolicyType::ChangeManagement)?;
    let from = ctx.from(ctx.s.change_lookback_days);
    let changes = events::changes(conn, ctx, from)?;
    for e in &changes {
        let what = format!("change:{}", e.record.id.unwrap_or_default());
        let period = Period { start: e.on, end: e.on };
        match e.state {
            events::EventState::Missed => c.exception(
                ctx,
                e.record.clone(),
                period,
                &what,
                e.problem.clone(),
                "Record who approved {record} (not its author) and how it was tested; explain any late approval.",
            ),
            events::EventState::Pending => c.warn(
                e.record.clone(),
                e.problem.clone(),
                e.due.unwrap_or(ctx.as_of),
                "Get and record the post-hoc approval.",
            ),
            events::EventState::Met => {}
        }
        for note in &e.notes {
            c.warn(e.record.clone(), format!("{}: {note}", e.record.reference), ctx.as_of, "Record the rollback plan.");
        }
    }
    if changes.is_empty() {
        c.warn(
            RecordRef::workspace("Changes"),
            format!("no change is recorded as deployed from {from} to {}; the auditor will ask for the population of changes", ctx.as_of),
            ctx.as_of,
            "Record the changes deployed in the period (import them from your pull requests), or confirm there were none.",
        );
    }
    c.ok_reason = format!(
        "The change policy is in force and all {} changes deployed since {from} were approved by someone other than their author and tested.",
        changes.len()
    );
    Ok(())
}
