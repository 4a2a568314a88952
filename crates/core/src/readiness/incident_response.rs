//! Check 9: Incident response tested.

use super::*;

pub(super) const CHECK: CheckDef = CheckDef {
    id: 9,
    key: "incident_response",
    title: "Incident response tested",
    criteria: &["CC7.3", "CC7.4", "CC7.5"],
    run,
};

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let policies = crate::policies::list(conn, false)?;
    match policies.iter().find(|p| p.title.eq_ignore_ascii_case("Incident Response Policy")) {
        Some(p) if p.approved_on.is_some() => {}
        Some(p) => c.fail(
            RecordRef::new(Register::Policies, p.id, "", &p.title),
            "The incident response plan is not approved.".into(),
            None,
            "Have it approved.",
        ),
        None => c.fail(
            RecordRef::workspace("Incident Response Policy"),
            "There is no incident response plan.".into(),
            None,
            "Add and approve it.",
        ),
    }
    let last: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT id, reference, title, planned_on FROM exercises
             WHERE status = 'completed' AND archived_at IS NULL AND planned_on <= ?1
             ORDER BY planned_on DESC LIMIT 1",
            [ctx.as_of.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .ok();
    match last {
        None => c.fail(
            RecordRef::workspace("Tabletop exercises"),
            "No completed tabletop exercise.".into(),
            None,
            "Run a tabletop exercise (Tabletop) and complete its after-action report.",
        ),
        Some((id, reference, title, on)) => {
            let r = RecordRef::new(Register::Exercises, id, &reference, &title);
            if let Some(on) = crate::validate::parse_date(&on) {
                let due = ctx.plus(on, ctx.s.tabletop_days);
                c.dated(
                    ctx,
                    r.clone(),
                    due,
                    "Yearly tabletop exercise".into(),
                    format!("The last tabletop exercise was on {on}; the next was due on {due}."),
                    format!("the next tabletop exercise is due on {due}"),
                    "Plan and run this year's exercise.",
                );
            }
            let overdue: Vec<(i64, String, String, String)> = conn
                .prepare_cached(
                    "SELECT id, reference, title, due_date FROM actions WHERE source_exercise_id = ?1 AND archived_at IS NULL
                       AND status IN ('open', 'in_progress') AND due_date < ?2",
                )?
                .query_map(params![id, ctx.as_of.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (aid, aref, atitle, due) in overdue {
                c.fail(
                    RecordRef::new(Register::Actions, aid, &aref, &atitle),
                    format!("{aref} from {reference} was due on {due}."),
                    crate::validate::parse_date(&due),
                    "Finish it, or re-plan it with a new date and a reason.",
                );
            }
        }
    }
    c.ok_reason =
        "The incident response plan is approved and was exercised within the year; its actions are on track.".into();
    Ok(())
}
