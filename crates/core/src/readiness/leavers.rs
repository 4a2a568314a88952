//! Check 13: Leavers deprovisioned.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 13, key: "leavers", title: "Leavers deprovisioned", criteria: &["CC6.2"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::leavers::{access_state, next_business_day, DeprovisionState};
    let from = ctx
        .type2_window
        .map(|w| w.0)
        .unwrap_or_else(|| ctx.as_of.checked_sub_days(Days::new(365)).unwrap_or(NaiveDate::MIN));
    // Leavers x systems can be large: read each table once and name at most five systems.
    let leavers = conn
        .prepare_cached(
            "SELECT id, name, end_date FROM people WHERE end_date IS NOT NULL AND end_date >= ?1 AND end_date <= ?2
             ORDER BY end_date DESC, name COLLATE NOCASE",
        )?
        .query_map([from.to_string(), ctx.as_of.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let systems = conn
        .prepare_cached(
            "SELECT id, name FROM systems WHERE in_scope = 1 AND archived_at IS NULL ORDER BY name COLLATE NOCASE",
        )?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let records: std::collections::HashMap<(i64, i64), (Option<NaiveDate>, bool)> = conn
        .prepare_cached("SELECT person_id, system_id, removed_on, no_access FROM deprovisioning")?
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (date(r.get(2)?), r.get(3)?))))?
        .collect::<rusqlite::Result<_>>()?;
    if leavers.is_empty() || systems.is_empty() {
        c.not_applicable = Some(
            if leavers.is_empty() { "Nobody left in the period." } else { "No in-scope systems are recorded." }.into(),
        );
    }
    for (id, name, end) in &leavers {
        let Some(end) = crate::validate::parse_date(end) else { continue };
        let deadline = next_business_day(end);
        let r = RecordRef::new(Register::People, *id, "", name);
        let mut by: [(usize, Vec<&str>); 3] = Default::default();
        for (sid, sname) in &systems {
            let (removed, no_access) = records.get(&(*id, *sid)).copied().unwrap_or((None, false));
            let slot = match access_state(end, removed, no_access, ctx.as_of) {
                DeprovisionState::Overdue => 0,
                DeprovisionState::Late => 1,
                DeprovisionState::Pending => 2,
                _ => continue,
            };
            by[slot].0 += 1;
            if by[slot].1.len() < 5 {
                by[slot].1.push(sname);
            }
        }
        let list = |(n, names): &(usize, Vec<&str>)| {
            if *n > names.len() {
                format!("{}, …", names.join(", "))
            } else {
                names.join(", ")
            }
        };
        if by[0].0 > 0 {
            c.fail(
                r.clone(),
                format!(
                    "{name}'s access is not recorded as removed from {} system(s): {} (due {deadline}).",
                    by[0].0,
                    list(&by[0])
                ),
                Some(deadline),
                "Remove the access (or confirm there was none) and record it (Leavers).",
            );
        }
        if by[1].0 > 0 {
            c.fail(
                r.clone(),
                format!("{name}'s access was removed after the deadline of {deadline} from {}.", list(&by[1])),
                Some(deadline),
                "Explain the delay in the leaver record; fix the offboarding step that slowed it.",
            );
        }
        if by[2].0 > 0 {
            c.warn(
                r.clone(),
                format!("{name}'s access to {} must be removed by {deadline}", list(&by[2])),
                deadline,
                "Remove the access and record it.",
            );
        }
    }
    c.ok_reason = format!("All {} leavers lost their access within one business day.", leavers.len());
    Ok(())
}
