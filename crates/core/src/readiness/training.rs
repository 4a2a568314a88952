//! Check 7: Security awareness training.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 7, key: "training", title: "Security awareness training", criteria: &["CC1.4", "CC2.2"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::training::TrainingState;
    let o = crate::training::overview(conn, ctx.as_of)?;
    if !o.courses.iter().any(|c| c.required) {
        c.fail(
            RecordRef::workspace("Training"),
            "No required security awareness course is set up.".into(),
            None,
            "Add the course (Training) and record completions.",
        );
    }
    if o.people.is_empty() {
        c.not_applicable = Some("Nobody is active on this date.".into());
    }
    for p in &o.people {
        let r = RecordRef::new(Register::People, p.person.id, "", &p.person.name);
        let due = p.courses.iter().filter_map(|s| s.due).min();
        for course in &p.courses {
            if let Some(d) = course.due {
                c.plan(d, format!("{}: {}", p.person.name, course.course), r.clone());
            }
        }
        match p.state {
            TrainingState::Overdue => c.fail(
                r,
                format!("{} is not trained (or their training expired).", p.person.name),
                due,
                "Have them complete the course and record it.",
            ),
            TrainingState::NewHireOverdue => c.fail(
                r,
                format!(
                    "{} started on {} and was not trained within 7 days.",
                    p.person.name,
                    p.start_date.map(|d| d.to_string()).unwrap_or_default()
                ),
                due,
                "Train them now and record it.",
            ),
            TrainingState::DueSoon => {
                if let Some(d) = due {
                    c.warn(
                        r.clone(),
                        format!("{}'s training is due on {d}", p.person.name),
                        d,
                        "Schedule their training.",
                    );
                    c.due(d.succ_opt().unwrap_or(d), format!("{}'s training", p.person.name));
                }
            }
            TrainingState::Current => {
                if let Some(d) = due {
                    c.due(d.succ_opt().unwrap_or(d), format!("{}'s training expires on {d}", p.person.name));
                }
            }
        }
    }
    c.ok_reason = format!("All {} active people are trained.", o.people.len());
    Ok(())
}
