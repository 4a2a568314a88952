//! Check 13: Leavers deprovisioned. Everyone who left in the judged stretch lost access to
//! every in-scope system within the set business days. A finding belongs to the system (and
//! so to its owner, who removes the access), not to the person who left.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 13, key: "leavers", title: "Leavers deprovisioned", criteria: &["CC6.2"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::leavers::DeprovisionState;
    let from = ctx.from(365);
    let leavers = events::leaver_access(conn, ctx, from)?;
    if leavers.is_empty() || ctx.systems.is_empty() {
        c.not_applicable = Some(
            if leavers.is_empty() { "Nobody left in the period." } else { "No in-scope systems are recorded." }.into(),
        );
    }
    for l in &leavers {
        let (name, end, deadline) = (&l.person.name, l.end, l.deadline);
        let period = Period { start: end, end: deadline };
        for (sid, sname, state) in &l.systems {
            let record = RecordRef::new(Register::Systems, *sid, "", sname);
            let what = format!("leaver:{}:system:{sid}", l.person.id);
            match state {
                DeprovisionState::Overdue => c.exception(
                    ctx,
                    record,
                    period,
                    &what,
                    format!(
                        "{name} left on {end}; their access to {sname} is not recorded as removed (due {deadline})."
                    ),
                    "Remove the access (or confirm there was none) and record it (Leavers).",
                ),
                DeprovisionState::Late => c.exception(
                    ctx,
                    record,
                    period,
                    &what,
                    format!("{name} left on {end}; their access to {sname} was removed after {deadline}."),
                    "Explain the delay in the leaver record; fix the offboarding step that slowed it.",
                ),
                DeprovisionState::Pending => c.due_in(
                    record,
                    period,
                    format!("{name}'s access to {sname} must be removed by {deadline}"),
                    "Remove the access and record it.",
                ),
                DeprovisionState::OnTime | DeprovisionState::NoAccess => {}
            }
        }
    }
    c.ok_reason = format!(
        "All {} leavers lost their access within {} business day(s).",
        leavers.len(),
        ctx.s.leaver_business_days
    );
    Ok(())
}
