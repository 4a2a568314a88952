//! Check 13: Leavers deprovisioned. Everyone who left in the judged stretch lost access to
//! every in-scope system within the set business days. Findings belong to the system (and so
//! to its owner, who removes the access), one per system: who is still to be removed, who was
//! removed late, who must be removed soon.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 13, key: "leavers", title: "Leavers deprovisioned", criteria: &["CC6.2"], run };

/// Leavers in one state on one system: names, and the span from the first leaving day to the
/// last deadline.
#[derive(Default)]
struct Group<'a> {
    names: Vec<&'a str>,
    first_end: Option<NaiveDate>,
    last_deadline: Option<NaiveDate>,
    first_deadline: Option<NaiveDate>,
}

impl<'a> Group<'a> {
    fn add(&mut self, name: &'a str, end: NaiveDate, deadline: NaiveDate) {
        self.names.push(name);
        self.first_end = Some(self.first_end.map_or(end, |d| d.min(end)));
        self.last_deadline = Some(self.last_deadline.map_or(deadline, |d| d.max(deadline)));
        self.first_deadline = Some(self.first_deadline.map_or(deadline, |d| d.min(deadline)));
    }

    fn who(&self) -> String {
        match self.names.len() {
            1 => self.names[0].to_owned(),
            n if n <= 5 => format!("{} leavers ({})", n, self.names.join(", ")),
            n => format!("{n} leavers ({}, …)", self.names[..5].join(", ")),
        }
    }

    fn period(&self) -> Period {
        Period { start: self.first_end.unwrap_or(NaiveDate::MIN), end: self.last_deadline.unwrap_or(NaiveDate::MIN) }
    }
}

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::leavers::DeprovisionState;
    let from = ctx.from(365);
    let leavers = events::leaver_access(conn, ctx, from)?;
    if leavers.is_empty() || ctx.systems.is_empty() {
        c.not_applicable = Some(
            if leavers.is_empty() { "Nobody left in the period." } else { "No in-scope systems are recorded." }.into(),
        );
    }
    // (overdue, late, pending) per system, in the order of the systems.
    let mut by_system: Vec<(i64, String, [Group<'_>; 3])> =
        ctx.systems.iter().map(|s| (s.id, s.name.clone(), Default::default())).collect();
    for l in &leavers {
        for (i, (_, _, state)) in l.systems.iter().enumerate() {
            let slot = match state {
                DeprovisionState::Overdue => 0,
                DeprovisionState::Late => 1,
                DeprovisionState::Pending => 2,
                DeprovisionState::OnTime | DeprovisionState::NoAccess => continue,
            };
            by_system[i].2[slot].add(&l.person.name, l.end, l.deadline);
        }
    }
    for (sid, sname, groups) in &by_system {
        let record = RecordRef::new(Register::Systems, *sid, "", sname);
        let [overdue, late, pending] = groups;
        let overdue_from = overdue.first_deadline.unwrap_or(ctx.as_of);
        let missed = [
            (
                overdue,
                "overdue",
                format!("access of {} is not recorded as removed (due from {overdue_from}).", overdue.who()),
                "Remove the access to {record} (or confirm there was none) and record it (Leavers).",
            ),
            (
                late,
                "late",
                format!("access of {} was removed after the deadline.", late.who()),
                "Explain the delay in the leaver record; fix the offboarding step that slowed it.",
            ),
        ];
        for (group, key, problem, fix) in missed.into_iter().filter(|m| !m.0.names.is_empty()) {
            let what = format!("{key}:system:{sid}");
            c.exception(ctx, record.clone(), group.period(), &what, format!("{sname}: {problem}"), fix);
        }
        if !pending.names.is_empty() {
            let due = pending.first_deadline.unwrap_or(ctx.as_of);
            c.due_in(
                record,
                pending.period(),
                format!("{sname}: remove the access of {} by {due}", pending.who()),
                "Remove the access to {record} and record it.",
            );
        }
    }
    c.ok_reason = format!(
        "All {} leavers lost their access within {} business day(s).",
        leavers.len(),
        ctx.s.leaver_business_days
    );
    Ok(())
}
