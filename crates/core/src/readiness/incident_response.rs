//! Check 9: Incident response tested. The incident response policy is in force; a tabletop
//! exercise was held (the day it was held, not the day planned) within the set days and
//! completed with its after-action content (hot wash, strengths, improvements); the actions
//! raised by any exercise are on track.

use super::*;
use crate::policies::PolicyType;

pub(super) const CHECK: CheckDef = CheckDef {
    id: 9,
    key: "incident_response",
    title: "Incident response tested",
    criteria: &["CC7.3", "CC7.4", "CC7.5"],
    run,
};

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    policies::require_in_force(conn, ctx, c, PolicyType::IncidentResponse)?;
    let then = ctx.past.then(conn, Register::Exercises, &[])?;
    let held: Vec<(i64, String, String, String, bool, bool)> = crate::store::tuples(
        conn,
        "SELECT x.id, x.reference, x.title, x.held_on, x.archived_at IS NOT NULL,
                trim(x.strengths) <> '' AND trim(x.improvements) <> ''
                  AND EXISTS (SELECT 1 FROM exercise_hotwash h WHERE h.exercise_id = x.id AND trim(h.answer) <> '')
         FROM exercises x
         WHERE x.status = 'completed' AND x.completed_at <= ?1 AND x.held_on <= ?2
         ORDER BY x.held_on DESC, x.id DESC",
        params![ctx.past.end(), ctx.as_of.to_string()],
    )?;
    let held: Vec<_> = held.into_iter().filter(|(id, _, _, _, archived, _)| !then.archived(*id, *archived)).collect();
    let mut counted = None;
    for (id, reference, title, on, _, reported) in &held {
        let r = RecordRef::new(Register::Exercises, *id, reference, title);
        if !reported {
            c.fail(
                r,
                format!(
                    "{reference} was completed without its after-action report (hot wash, strengths and improvements)."
                ),
                None,
                "Write the hot wash answers, the strengths and the improvements, so the exercise counts.",
            );
        } else if counted.is_none() {
            counted = crate::validate::parse_date(on).map(|d| (d, r));
        }
    }
    match counted {
        None if held.is_empty() => c.missing(
            "Tabletop exercises",
            "No tabletop exercise has been held and completed.",
            "Run a tabletop exercise (Tabletop) and complete its after-action report.",
        ),
        None => {}
        Some((on, r)) => {
            let due = ctx.plus(on, ctx.s.tabletop_days);
            c.dated(
                ctx,
                r,
                due,
                ctx.s.tabletop_days,
                "Yearly tabletop exercise".into(),
                format!("The last tabletop exercise was held on {on}; the next was due on {due}."),
                format!("the next tabletop exercise is due on {due}"),
                "Plan and run this year's exercise.",
            );
        }
    }
    // The improvement actions of every exercise held, not only the latest.
    let overdue: Vec<(i64, String, String, String, String)> = crate::store::tuples(
        conn,
        "SELECT a.id, a.reference, a.title, a.due_date, x.reference FROM actions a JOIN exercises x ON x.id = a.source_exercise_id
         WHERE a.archived_at IS NULL AND a.created_at <= ?1 AND a.status IN ('open', 'in_progress') AND a.due_date < ?2
         ORDER BY a.due_date, a.reference",
        params![ctx.past.end(), ctx.as_of.to_string()],
    )?;
    for (aid, aref, atitle, due, xref) in overdue {
        c.fail(
            RecordRef::new(Register::Actions, aid, &aref, &atitle),
            format!("{aref} from {xref} was due on {due}."),
            crate::validate::parse_date(&due),
            "Finish {record}, or re-plan it with a new date and a reason.",
        );
    }
    c.ok_reason =
        "The incident response policy is approved, an exercise was held within the year with its report, and its actions are on track."
            .into();
    Ok(())
}
