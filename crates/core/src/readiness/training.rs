//! Check 7: Security awareness training. Everyone active on the day is trained within their
//! course's validity; everyone who started in the judged stretch was trained within the set
//! days of starting (a hire trained late stays an exception for that hire); everyone who left
//! during the window was trained while they worked here.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 7, key: "training", title: "Security awareness training", criteria: &["CC1.4", "CC2.2"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let required: u32 = conn.query_row(
        "SELECT count(*) FROM courses WHERE required = 1 AND archived_at IS NULL AND created_at <= ?1",
        [ctx.past.end()],
        |r| r.get(0),
    )?;
    if required == 0 {
        c.missing(
            "Training",
            "No required security awareness course is set up.",
            "Add the course (Training) and record completions.",
        );
    }
    let from = ctx.type2_window.map(|w| w.0).unwrap_or(ctx.as_of);
    let everyone = events::people(conn, ctx)?;
    let people: Vec<&events::Person> = everyone.iter().filter(|p| p.active_between(from, ctx.as_of)).collect();
    if people.is_empty() {
        c.not_applicable = Some("Nobody was active in the period.".into());
    }
    let done = events::completions(conn, ctx)?;
    for p in &people {
        let r = p.record();
        let mine = done.get(&p.id).map(Vec::as_slice).unwrap_or_default();
        // The last day they were here in the judged stretch.
        let last_day = p.end.map_or(ctx.as_of, |e| e.min(ctx.as_of));
        let current_until =
            mine.iter().filter(|(on, _)| *on <= last_day).map(|(on, validity)| ctx.plus(*on, *validity)).max();
        let started_recently = p.start.is_some_and(|s| ctx.plus(s, ctx.s.new_hire_training_days) >= last_day);
        let left = p.end.is_some_and(|e| e < ctx.as_of);
        match current_until {
            Some(until) if until >= last_day => {
                if !left {
                    let validity = mine.iter().map(|(_, v)| *v).max().unwrap_or(365);
                    c.dated(
                        ctx,
                        r.clone(),
                        until,
                        validity,
                        format!("{}: security awareness training", p.name),
                        format!("{}'s training expired on {until}.", p.name),
                        format!("{}'s training is due on {until}", p.name),
                        "Have {record} complete the course and record it.",
                    );
                }
            }
            // New hires are judged below, by their own deadline.
            _ if started_recently => {}
            Some(until) => c.fail(
                r.clone(),
                if left {
                    format!("{} left on {last_day} with their training expired since {until}.", p.name)
                } else {
                    format!("{}'s training expired on {until}.", p.name)
                },
                Some(until),
                "Have {record} complete the course and record it.",
            ),
            None => c.fail(
                r.clone(),
                if left {
                    format!("{} worked here until {last_day} and was never trained.", p.name)
                } else {
                    format!("{} has never been trained.", p.name)
                },
                None,
                "Have {record} complete the course and record it.",
            ),
        }
    }
    for e in events::new_hires_from(&everyone, &done, ctx, ctx.from(365)) {
        let period = Period { start: e.on, end: ctx.plus(e.on, ctx.s.new_hire_training_days) };
        let what = format!("new_hire:{}", e.record.id.unwrap_or_default());
        match e.state {
            events::EventState::Missed => c.exception(
                ctx,
                e.record.clone(),
                period,
                &what,
                e.problem.clone(),
                "Train {record} now and record it.",
            ),
            events::EventState::Pending => {
                c.due_in(e.record.clone(), period, e.problem.clone(), "Train {record} and record it.");
                c.plan(period.end, format!("{}: first training", e.record.title), e.record.clone());
            }
            events::EventState::Met => {}
        }
    }
    c.ok_reason = format!(
        "All {} people active in the period are trained, and new hires within {} days of starting.",
        people.len(),
        ctx.s.new_hire_training_days
    );
    Ok(())
}
