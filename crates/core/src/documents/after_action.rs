//! The after-action report of a tabletop exercise: what was planned, what happened inject by
//! inject, what the room found, and the improvement plan.

use chrono::{DateTime, Utc};
use rusqlite::Connection;

use super::pdf::{or_dash, render, Block, DocInfo, Paper};
use crate::error::Result;
use crate::tabletop::exercises::{self, Coverage};

/// The after-action report and improvement plan of an exercise, as a PDF: summary, objectives,
/// per-inject notes and coverage of expected actions, hot wash, strengths, improvements, the
/// improvement plan and attendance. `organisation` names the company on the cover.
pub fn after_action_report(
    conn: &Connection,
    id: i64,
    organisation: &str,
    paper: Paper,
    now: DateTime<Utc>,
) -> Result<Vec<u8>> {
    let e = exercises::get(conn, id, now)?;
    let s = &e.summary;
    let clock = |secs: i64| format!("{}:{:02}", secs / 60, secs % 60);
    let mut blocks = vec![
        Block::Title(format!("After-action report: {}", s.title)),
        Block::Subtitle(format!("{} · {} · exercise {}", organisation, s.planned_on, s.reference)),
        Block::KeyValues(vec![
            ("Scenario".into(), e.script.summary.clone()),
            ("Status".into(), s.status.label().into()),
            ("Facilitator".into(), or_dash(s.facilitator.as_ref().map(|p| &p.name))),
            (
                "Duration".into(),
                if e.started_at.is_some() {
                    format!("{} on the clock", super::count(e.elapsed_seconds / 60, "minute", "minutes"))
                } else {
                    "Not run".into()
                },
            ),
            (
                "Attendance".into(),
                format!(
                    "{} of {} participants",
                    e.participants.iter().filter(|p| p.attended).count(),
                    e.participants.len()
                ),
            ),
        ]),
        Block::Heading("Objectives".into()),
    ];
    let covered = |inject: usize| {
        e.coverage.iter().filter(|c| c.inject_index as usize == inject && c.state == Coverage::Covered).count()
    };
    let objectives = e.script.objectives.iter();
    let rows = objectives
        .map(|o| {
            let met = o.evaluation.iter().map(|e| format!("\n- {e}")).collect::<String>();
            let text = if met.is_empty() { o.text.clone() } else { format!("{}\nMet when:{met}", o.text) };
            vec![text, o.criteria.join(", "), o.ir_plan_sections.join(", ")]
        })
        .collect();
    blocks.push(Block::table(&["Objective", "Criteria", "Plan sections"], &[3.0, 1.0, 1.2], rows));
    if !e.script.assumptions.is_empty() {
        blocks.push(Block::Subheading("Assumptions".into()));
        blocks.push(Block::Bullets(e.script.assumptions.clone()));
    }
    if !e.script.artificialities.is_empty() {
        blocks.push(Block::Subheading("What was artificial in the room".into()));
        blocks.push(Block::Bullets(e.script.artificialities.clone()));
    }
    let total_expected: usize = e.script.injects.iter().map(|i| i.expected_actions.len()).sum();
    let total_covered = e.coverage.iter().filter(|c| c.state == Coverage::Covered).count();
    let partly = e.coverage.iter().filter(|c| c.state == Coverage::Partly).count();
    let missed = e.coverage.iter().filter(|c| c.state == Coverage::Missed).count();
    blocks.push(Block::Paragraph(format!(
        "Expected actions: {total_covered} covered, {partly} partly, {missed} missed, {} not marked, of {total_expected}.",
        total_expected.saturating_sub(total_covered + partly + missed)
    )));
    blocks.push(Block::Heading("Injects".into()));
    for (i, inj) in e.script.injects.iter().enumerate() {
        blocks.push(Block::Subheading(format!("{}. {} (+{} min)", i + 1, inj.title, inj.at_minutes)));
        blocks.push(Block::Paragraph(inj.facts.clone()));
        let rows = inj
            .expected_actions
            .iter()
            .enumerate()
            .map(|(j, a)| {
                let state = e
                    .coverage
                    .iter()
                    .find(|c| c.inject_index as usize == i && c.action_index as usize == j)
                    .map(|c| c.state.label())
                    .unwrap_or("Not marked");
                vec![a.clone(), state.to_owned()]
            })
            .collect();
        let header = format!("Expected action ({} covered)", covered(i));
        blocks.push(Block::table(&[&header, "Coverage"], &[4.0, 1.0], rows));
        let notes: Vec<String> = e
            .notes
            .iter()
            .filter(|n| n.inject_index as usize == i)
            .map(|n| format!("+{}  {}", clock(n.elapsed_seconds), n.text))
            .collect();
        if notes.is_empty() {
            blocks.push(Block::Paragraph("No notes taken.".into()));
        } else {
            blocks.push(Block::Bullets(notes));
        }
    }
    blocks.push(Block::Heading("Hot wash".into()));
    blocks.push(Block::KeyValues(
        e.script
            .hot_wash
            .iter()
            .zip(e.hot_wash_answers.iter())
            .map(|(q, a)| (q.clone(), if a.is_empty() { "—".into() } else { a.clone() }))
            .collect(),
    ));
    blocks.push(Block::Heading("Strengths".into()));
    blocks.push(Block::Paragraph(if e.strengths.is_empty() { "—".into() } else { e.strengths.clone() }));
    blocks.push(Block::Heading("Areas for improvement".into()));
    blocks.push(Block::Paragraph(if e.improvements.is_empty() { "—".into() } else { e.improvements.clone() }));
    blocks.push(Block::Heading("Improvement plan".into()));
    let rows = e
        .actions
        .iter()
        .map(|a| {
            let (owner, status) = (or_dash(a.owner.as_ref().map(|o| &o.name)), a.status.as_str().replace('_', " "));
            vec![a.reference.clone(), a.title.clone(), owner, or_dash(a.due_date), status]
        })
        .collect();
    let headers = ["Ref", "Corrective action", "Owner", "Due", "Status"];
    blocks.push(Block::table_or("No corrective actions were recorded.", &headers, &[0.8, 3.0, 1.3, 1.0, 0.9], rows));
    blocks.push(Block::Heading("Attendance".into()));
    let attended = |p: &exercises::Participant| if p.attended { "Yes" } else { "No" }.into();
    let rows = e.participants.iter().map(|p| vec![p.person.name.clone(), p.role.clone(), attended(p)]).collect();
    blocks.push(Block::table(&["Name", "Role", "Attended"], &[2.0, 2.0, 1.0], rows));
    let info = DocInfo {
        title: format!("After-action report: {}", s.title),
        author: organisation.to_owned(),
        subject: format!("Tabletop exercise {}", s.reference),
        date: s.planned_on,
    };
    render(&info, paper, &format!("{organisation} · {} · {}", s.reference, s.planned_on), &blocks)
}

/// The handout for the people in the room: the scenario, who plays which role, the ground
/// rules, the objectives and what the exercise takes for granted. Nothing that gives the
/// exercise away: no injects, no expected actions, no facilitator notes.
pub fn participant_handout(
    conn: &Connection,
    id: i64,
    organisation: &str,
    paper: Paper,
    now: DateTime<Utc>,
) -> Result<Vec<u8>> {
    let e = exercises::get(conn, id, now)?;
    let s = &e.summary;
    let mut blocks = vec![
        Block::Title(format!("Exercise briefing: {}", s.title)),
        Block::Subtitle(format!("{} · {} · exercise {}", organisation, s.planned_on, s.reference)),
        Block::Paragraph(e.script.summary.clone()),
        Block::KeyValues(vec![
            ("Facilitator".into(), or_dash(s.facilitator.as_ref().map(|p| &p.name))),
            (
                "Length".into(),
                format!("About {} minutes, with time at the end to talk it over", e.script.duration_minutes),
            ),
        ]),
        Block::Heading("Who plays what".into()),
    ];
    let rows = e.participants.iter().map(|p| vec![p.person.name.clone(), p.role.clone()]).collect();
    blocks.push(Block::table_or("Nobody is invited yet.", &["Person", "Role in the exercise"], &[1.0, 1.4], rows));
    let described: Vec<String> = e
        .script
        .roles
        .iter()
        .filter(|r| !r.description.is_empty())
        .map(|r| format!("{}: {}", r.name, r.description))
        .collect();
    if !described.is_empty() {
        blocks.push(Block::Subheading("The roles".into()));
        blocks.push(Block::Bullets(described));
    }
    blocks.push(Block::Heading("What the exercise is for".into()));
    blocks.push(Block::Bullets(e.script.objectives.iter().map(|o| o.text.clone()).collect()));
    for (title, items) in [
        ("Ground rules", &e.script.ground_rules),
        ("What we take for granted", &e.script.assumptions),
        ("What is artificial in the room", &e.script.artificialities),
    ] {
        if !items.is_empty() {
            blocks.push(Block::Heading(title.into()));
            blocks.push(Block::Bullets(items.clone()));
        }
    }
    let info = DocInfo {
        title: format!("Exercise briefing: {}", s.title),
        author: organisation.to_owned(),
        subject: format!("Tabletop exercise {}", s.reference),
        date: s.planned_on,
    };
    render(&info, paper, &format!("{organisation} · {} · {} · participant handout", s.reference, s.planned_on), &blocks)
}
