//! Check 14: Criteria coverage. Every in-scope criterion is mapped to at least one control
//! implemented on the day whose periods so far are all met (an occurrence with evidence in
//! every elapsed period, or every event of its population met). Each missed period of an
//! implemented control is an exception.

use super::controls::{judge, known, Inputs};
use super::*;

pub(super) const CHECK: CheckDef = CheckDef { id: 14, key: "coverage", title: "Criteria coverage", criteria: &[], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let criteria: Vec<(String, String)> =
        crate::criteria::list(conn)?.into_iter().filter(|k| k.in_scope).map(|k| (k.id, k.title)).collect();
    let controls = known(conn, ctx)?;
    let inputs = Inputs::load(conn, ctx, &controls)?;
    // A control covers its criteria when none of its periods so far is missed.
    let mut sound: std::collections::HashMap<&str, bool> = std::collections::HashMap::new();
    for k in controls.iter().filter(|k| k.implemented) {
        let t = judge(ctx, &inputs, k);
        let record = t.control.clone();
        let mut ok = !t.periods.is_empty();
        for p in &t.periods {
            match p.state {
                PeriodState::Missed => {
                    ok = false;
                    c.exception(
                        ctx,
                        record.clone(),
                        p.period,
                        &format!("control:{}", k.id),
                        format!("{} {}: {}", k.reference, k.title, p.problem),
                        "Record the occurrence with its evidence, or record the exception with a management response.",
                    );
                }
                PeriodState::Due => {
                    c.plan(p.period.end, format!("Perform {} {}", k.reference, k.title), record.clone());
                    if ctx.near(p.period.end, p.period.days()) {
                        c.due_in(
                            record.clone(),
                            p.period,
                            format!("{} {} needs an occurrence by {}", k.reference, k.title, p.period.end),
                            "Perform {record} and record the activity with evidence.",
                        );
                    }
                    c.due(
                        p.period.end.succ_opt().unwrap_or(p.period.end),
                        format!("{} is due by {}", k.reference, p.period.end),
                    );
                }
                PeriodState::Met | PeriodState::NotYet => {}
            }
        }
        for criterion in &k.criteria {
            let entry = sound.entry(criterion.as_str()).or_insert(false);
            *entry = *entry || ok;
        }
    }
    let implemented: std::collections::HashSet<&str> =
        controls.iter().filter(|k| k.implemented).flat_map(|k| k.criteria.iter().map(String::as_str)).collect();
    for (id, title) in &criteria {
        if sound.get(id.as_str()).copied().unwrap_or(false) {
            continue;
        }
        let r = RecordRef::by_reference(Register::Criteria, id.clone(), title.clone());
        if implemented.contains(id.as_str()) {
            c.fail(
                r,
                format!("{id} ({title}) has implemented controls, but none with an occurrence in every period so far."),
                None,
                "Perform the mapped controls and record each occurrence with evidence.",
            );
        } else {
            c.fail(
                r,
                format!("{id} ({title}) has no implemented control."),
                None,
                "Map an implemented control to {record} (Controls), or implement one that is mapped.",
            );
        }
    }
    c.ok_reason = format!(
        "All {} in-scope criteria are covered by implemented controls with an occurrence in every period so far.",
        criteria.len()
    );
    Ok(())
}
