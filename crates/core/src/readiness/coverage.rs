//! Check 14: Criteria coverage.

use super::*;

pub(super) const CHECK: CheckDef = CheckDef { id: 14, key: "coverage", title: "Criteria coverage", criteria: &[], run };

/// (criterion, control id, reference, title, cadence, last performed).
type MappedControl = (String, i64, String, String, String, Option<String>);

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let criteria: Vec<(String, String)> =
        crate::criteria::list(conn)?.into_iter().filter(|k| k.in_scope).map(|k| (k.id, k.title)).collect();
    // Implemented controls with their evidence status on the as-of date.
    let rows = conn
        .prepare_cached(
            "SELECT cc.criterion_id, c.id, c.reference, c.title, c.cadence,
                    (SELECT max(a.performed_on) FROM control_activities a WHERE a.control_id = c.id AND a.performed_on <= ?1)
             FROM control_criteria cc JOIN controls c ON c.id = cc.control_id
             WHERE c.archived_at IS NULL AND c.status = 'implemented'",
        )?
        .query_map([ctx.as_of.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, Option<String>>(5)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut by: std::collections::HashMap<&str, Vec<&MappedControl>> = std::collections::HashMap::new();
    for r in &rows {
        by.entry(r.0.as_str()).or_default().push(r);
    }
    let mut stale_controls = std::collections::BTreeMap::new();
    for (id, title) in &criteria {
        let Some(controls) = by.get(id.as_str()) else {
            c.fail(
                RecordRef::by_reference(Register::Criteria, id.clone(), title.clone()),
                format!("{id} ({title}) has no implemented control."),
                None,
                "Map an implemented control to it (Controls), or implement one that is mapped.",
            );
            continue;
        };
        let mut current = false;
        for (_, cid, reference, ctitle, cadence, last) in controls.iter().map(|x| (&x.0, x.1, &x.2, &x.3, &x.4, &x.5)) {
            let cad = crate::controls::Cadence::parse(cadence).unwrap_or_default();
            let last = date(last.clone());
            let due = last.and_then(|l| cad.next_due(l));
            if let Some(d) = due {
                c.plan(
                    d,
                    format!("Perform {reference} {ctitle}"),
                    RecordRef::new(Register::Controls, cid, reference, ctitle),
                );
            }
            let ok = match (cad, last, due) {
                (crate::controls::Cadence::Continuous | crate::controls::Cadence::PerEvent, _, _) => true,
                (_, Some(_), Some(d)) => d >= ctx.as_of,
                _ => false,
            };
            if ok {
                current = true;
                if let Some(d) = due {
                    c.due(d.succ_opt().unwrap_or(d), format!("{reference} {ctitle} is due to be performed on {d}"));
                }
            } else {
                stale_controls.insert(cid, (reference.clone(), ctitle.clone(), due));
            }
        }
        if !current {
            c.fail(
                RecordRef::by_reference(Register::Criteria, id.clone(), title.clone()),
                format!("{id} ({title}) has implemented controls but none with current evidence."),
                None,
                "Perform the mapped controls and record the activity with evidence.",
            );
        }
    }
    for (cid, (reference, title, due)) in stale_controls {
        let problem = match due {
            Some(d) => format!("{reference} {title} was due to be performed on {d}."),
            None => format!("{reference} {title} has never been performed."),
        };
        c.fail(
            RecordRef::new(Register::Controls, cid, &reference, &title),
            problem,
            due,
            "Perform it and record the activity with evidence.",
        );
    }
    c.ok_reason =
        format!("All {} in-scope criteria are covered by implemented controls with current evidence.", criteria.len());
    Ok(())
}
