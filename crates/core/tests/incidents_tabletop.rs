//! Incidents (validation, derived times, notifications, timeline) and tabletop exercises
//! (script library and editing, planning, stepping, timestamped notes, coverage, completion
//! lock, corrective actions) on real workspace files.

mod common;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use common::{open, temp_workspace};
use readyroom_core::actions::ActionQuery;
use readyroom_core::incidents::{
    self, IncidentInput, IncidentQuery, IncidentStatus, Notification, Severity, TimelineInput,
};
use readyroom_core::people::{self, PersonInput};
use readyroom_core::tabletop::exercises::{
    self, CorrectiveActionInput, Coverage, DebriefInput, ExerciseStatus, HeldInput, ParticipantInput, PlanInput,
    ScriptRef,
};
use readyroom_core::{actions, ErrorCode, Workspace};

fn person(ws: &Workspace, name: &str) -> i64 {
    let email = format!("{}@acme.test", name.to_lowercase().replace(' ', "."));
    ws.write(|tx, now| people::create(tx, now, &PersonInput { name: name.into(), email, ..Default::default() }))
        .unwrap()
        .id
}

fn fields(err: &readyroom_core::Error) -> Vec<&str> {
    err.fields.iter().map(|f| f.field.as_str()).collect()
}

fn now() -> chrono::NaiveDateTime {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(9, 30, 0).unwrap()
}

#[test]
fn incidents_validate_close_derive_times_and_keep_a_timeline() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let input = IncidentInput {
        title: "Phishing led to a mailbox takeover".into(),
        detected_at: "2026-11-20 08:15".into(),
        severity: Severity::Sev2,
        personal_data: true,
        customers: Notification { required: true, deadline: "2026-11-23 08:15".into(), done_at: String::new() },
        ..Default::default()
    };
    let i = ws.write(|tx, now| incidents::create(tx, now, &input)).unwrap();
    assert_eq!(i.reference, "INC-0001");
    assert!(i.customers.overdue, "the deadline passed without a notice");
    assert_eq!(i.minutes_to_contain, None);

    // Closing needs a root cause and lessons learned; the stage times are stamped.
    let close = IncidentInput { status: IncidentStatus::Closed, ..input.clone() };
    let err = ws.write(|tx, now| incidents::update(tx, now, i.id, &close)).unwrap_err();
    assert_eq!(fields(&err), ["root_cause", "lessons_learned"]);
    let contained =
        IncidentInput { status: IncidentStatus::Contained, contained_at: "2026-11-20 11:45".into(), ..input.clone() };
    let c = ws.write(|tx, now| incidents::update(tx, now, i.id, &contained)).unwrap();
    assert_eq!(c.minutes_to_contain, Some(210));
    let closed = IncidentInput {
        status: IncidentStatus::Closed,
        root_cause: "No MFA on the finance mailbox.".into(),
        lessons_learned: "Enforce MFA everywhere; alert on forwarding rules.".into(),
        customers: Notification {
            required: true,
            deadline: "2026-11-23 08:15".into(),
            done_at: "2026-11-22 16:00".into(),
        },
        ..input.clone()
    };
    let done = ws.write(|tx, now| incidents::update(tx, now, i.id, &closed)).unwrap();
    assert_eq!(done.status, IncidentStatus::Closed);
    assert_eq!(done.contained_at.as_deref(), Some("2026-11-20 11:45"), "kept from before");
    assert_eq!(done.closed_at.as_deref(), Some("2026-11-26 09:30"), "stamped with the time of closing");
    assert!(!done.customers.overdue);

    let bad = IncidentInput {
        title: " ".into(),
        detected_at: "2026-12-24 10:00".into(),
        regulator: Notification { required: false, deadline: "2026-12-01".into(), done_at: String::new() },
        ..Default::default()
    };
    let err = ws.write(|tx, now| incidents::create(tx, now, &bad)).unwrap_err();
    assert_eq!(fields(&err), ["title", "detected_at", "regulator.required"]);

    let t =
        TimelineInput { at: "2026-11-20 08:20".into(), what: "Mailbox password reset".into(), who: "IT lead".into() };
    ws.write(|tx, now| incidents::add_timeline(tx, now, i.id, &t)).unwrap();
    let first =
        TimelineInput { at: "2026-11-20 08:15".into(), what: "User reports odd emails".into(), who: String::new() };
    ws.write(|tx, now| incidents::add_timeline(tx, now, i.id, &first)).unwrap();
    let d = ws.read(|c| incidents::detail(c, i.id, now())).unwrap();
    let order: Vec<_> = d.timeline.iter().map(|e| e.what.as_str()).collect();
    assert_eq!(order, ["User reports odd emails", "Mailbox password reset"], "in time order");
    assert!(d.history.len() >= 4);
    let since = IncidentQuery { since: "2026-11-21".into(), ..Default::default() };
    assert!(ws.read(|c| incidents::list(c, &since, now())).unwrap().is_empty());
    let csv = ws.read(|c| readyroom_core::registers::export_csv(c, readyroom_core::Register::Incidents)).unwrap();
    assert!(
        csv.contains(
            "INC-0001,Phishing led to a mailbox takeover,,sev2,closed,2026-11-20 08:15,,2026-11-20 11:45,2026-11-26 09:30,"
        ),
        "{csv}"
    );
    // The file comes back as it went: importing it changes nothing.
    let again = readyroom_core::registers::import_csv_into(
        &ws,
        readyroom_core::Register::Incidents,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 1), "{:?}", again.changes);
}

#[test]
fn scripts_can_be_duplicated_edited_and_refused_with_lines() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let library = ws.read(exercises::library).unwrap();
    assert!(library.iter().filter(|s| s.built_in).count() >= 10);
    let copy = ws.write(|tx, now| exercises::duplicate(tx, now, &ScriptRef::BuiltIn("ransomware".into()))).unwrap();
    assert!(copy.title.ends_with("(copy)"));
    let ScriptRef::Custom(id) = copy.script.clone() else { panic!("a copy is the workspace's own") };
    let text = ws.read(|c| exercises::source(c, &copy.script)).unwrap();
    let edited = text.replace("(copy)", "for the Berlin office");
    let saved = ws.write(|tx, now| exercises::save_script(tx, now, Some(id), &edited)).unwrap();
    assert!(saved.title.ends_with("for the Berlin office"));
    let broken = edited.replacen("at_minutes = 15", "at_minutes = \"soon\"", 1);
    let err = ws.write(|tx, now| exercises::save_script(tx, now, Some(id), &broken)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let line = broken.lines().position(|l| l.contains("\"soon\"")).unwrap() + 1;
    assert!(err.fields[0].message.starts_with(&format!("Line {line}: ")), "{:?}", err.fields);
    assert_eq!(ws.read(|c| exercises::source(c, &copy.script)).unwrap(), edited, "the stored text is untouched");
}

/// Two injects, filled in as the editor's form would from the template.
fn two_inject_script() -> readyroom_core::tabletop::Script {
    let mut s = exercises::template();
    s.title = "Stolen admin session".into();
    s.scenario = "session_theft".into();
    s.summary = "An attacker replays a stolen admin session cookie.".into();
    s.duration_minutes = 45;
    s.objectives[0].text = "Show we can revoke every session of one account quickly.".into();
    s.objectives[0].criteria = vec!["CC6.1".into(), "CC7.4".into()];
    s.roles[1].played_by = Some("engineering_lead".into());
    s.injects[0].title = "Logins from two countries".into();
    s.injects[0].facts = "The admin console shows the same session in Lisbon and Singapore.".into();
    s.injects[0].targets = vec!["Incident lead".into()];
    s.injects[0].questions = vec!["Who can revoke the session?".into()];
    s.injects[0].expected_actions = vec!["Revoke all sessions of the account.".into()];
    let mut second = s.injects[0].clone();
    second.at_minutes = 15;
    second.module = "Recovery".into();
    second.title = "The attacker created an API key".into();
    second.facts = "An API key was created two minutes after the replayed login.".into();
    second.questions = vec!["What else could the session have changed?".into(), "Who tells customers?".into()];
    second.expected_actions = vec!["Revoke the key and review the audit log.".into()];
    second.facilitator_notes = "Push for the audit log retention period.".into();
    s.injects.push(second);
    s
}

#[test]
fn a_script_built_in_the_form_saves_as_toml_that_re_imports_identically() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    // The template names what is still to fill in, each on its own field.
    let blank = readyroom_core::tabletop::validate(&exercises::template());
    let blanks: Vec<&str> = blank.iter().filter_map(|p| p.field.as_deref()).collect();
    assert_eq!(
        blanks,
        [
            "title",
            "scenario",
            "summary",
            "objectives.0.text",
            "injects.0.title",
            "injects.0.facts",
            "injects.0.questions",
            "injects.0.expected_actions"
        ]
    );
    let script = two_inject_script();
    let saved = ws.write(|tx, now| exercises::save_form(tx, now, None, &script)).unwrap();
    assert_eq!((saved.injects, saved.title.as_str()), (2, "Stolen admin session"));
    let exported = ws.read(|c| exercises::source(c, &saved.script)).unwrap();
    assert_eq!(exported, exercises::render(&script).unwrap(), "stored as the TOML view shows it");
    // Exported and imported again: the same script, and the same file when exported again.
    let again = ws.write(|tx, now| exercises::save_script(tx, now, None, &exported)).unwrap();
    let reexported = ws.read(|c| exercises::source(c, &again.script)).unwrap();
    assert_eq!(reexported, exported);
    let draft = exercises::draft(&reexported).unwrap();
    assert_eq!(draft.script, script);
    assert!(draft.problems.is_empty() && draft.standard_layout);
    // A built-in file keeps its own layout and comments: the editor says saving rewrites it.
    let built_in = ws.read(|c| exercises::source(c, &ScriptRef::BuiltIn("ransomware".into()))).unwrap();
    assert!(!exercises::draft(&built_in).unwrap().standard_layout);
}

#[test]
fn a_form_with_problems_is_refused_field_by_field_and_nothing_is_stored() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let mut script = two_inject_script();
    script.roles[1].name = "facilitator".into(); // the same name as the facilitator's, in other case
    script.objectives[0].criteria.push("CC99".into());
    script.objectives[0].criteria.push("cc7.1".into());
    script.injects.swap(0, 1); // reordered: the inject at minute 15 now comes before the one at 0
    script.injects[1].questions = vec!["  ".into()];
    let before = ws.read(exercises::library).unwrap();
    let err = ws.write(|tx, now| exercises::save_form(tx, now, None, &script)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        fields(&err),
        [
            "objectives.0.criteria",
            "roles.1.name",
            "injects.0.targets",
            "injects.1.questions",
            "injects.1.at_minutes",
            "injects.1.targets"
        ]
    );
    // Two problems on one field are one message.
    let criteria = &err.fields[0].message;
    assert!(criteria.contains("\"CC99\"") && criteria.contains("\"cc7.1\""), "{criteria}");
    assert!(err.fields[4].message.contains("starts at minute 0 before the one above it"), "{:?}", err.fields);
    assert_eq!(ws.read(exercises::library).unwrap(), before, "nothing was stored");
    // A criterion or a target named twice is refused (the form lists each once).
    let mut twice = two_inject_script();
    twice.objectives[0].criteria.push("CC7.4".into());
    twice.injects[0].targets.push(" incident LEAD".into());
    let err = ws.write(|tx, now| exercises::save_form(tx, now, None, &twice)).unwrap_err();
    assert_eq!(fields(&err), ["objectives.0.criteria", "injects.0.targets"]);
    assert!(err.fields[0].message.contains("CC7.4 is listed twice"), "{:?}", err.fields);
    assert!(err.fields[1].message.contains("twice"), "{:?}", err.fields);
    // The same problems from the TOML view carry their line and their field.
    let text = exercises::render(&script).unwrap();
    let draft = exercises::draft(&text).unwrap();
    let second = text.match_indices("[[injects]]").nth(1).map(|(at, _)| text[..at].lines().count() as u32 + 1).unwrap();
    let p = draft.problems.iter().find(|p| p.field.as_deref() == Some("injects.1.questions")).unwrap();
    assert_eq!(p.line, Some(second), "{:?}", draft.problems);
    assert_eq!(draft.script, script, "a script with problems still opens in the form");
    // Text that is not a script cannot open in the form: an error with its line.
    let err = exercises::draft(&text.replacen("duration_minutes = 45", "duration_minutes = soon", 1)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.fields[0].message.starts_with("Line "), "{:?}", err.fields);
}

#[test]
fn an_exercise_runs_takes_timestamped_notes_locks_and_creates_actions() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let (ana, ben, cy) = (person(&ws, "Ana Lead"), person(&ws, "Ben Eng"), person(&ws, "Cy Ceo"));
    let plan = PlanInput {
        script: ScriptRef::BuiltIn("ransomware".into()),
        title: String::new(),
        planned_on: "2026-11-26".into(),
        facilitator_id: Some(ana),
        participants: vec![
            ParticipantInput { person_id: ben, role: "Engineering lead".into() },
            ParticipantInput { person_id: cy, role: "CEO".into() },
        ],
    };
    let e = ws.write(|tx, now| exercises::plan(tx, now, &plan)).unwrap();
    assert_eq!(e.summary.reference, "TTX-001");
    assert_eq!(e.summary.status, ExerciseStatus::Planned);
    let id = e.summary.id;
    let err = ws.write(|tx, now| exercises::add_note(tx, now, id, 0, "too early")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);

    // Run with a clock that moves: start at 10:00, a note at 10:07:30.
    let t0 = Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap();
    ws.write(|tx, _| exercises::start(tx, t0, id)).unwrap();
    let n = ws
        .write(|tx, _| exercises::add_note(tx, t0 + Duration::seconds(450), id, 0, "Incident declared by Ana at 10:07"))
        .unwrap();
    assert_eq!((n.elapsed_seconds, n.at.as_str()), (450, "2026-11-26T10:07:30Z"));
    let steps = e.script.injects.len() as u32;
    for i in 1..steps {
        ws.write(|tx, _| exercises::go_to(tx, t0 + Duration::minutes(10 * i64::from(i)), id, i)).unwrap();
        ws.write(|tx, _| {
            exercises::add_note(
                tx,
                t0 + Duration::minutes(10 * i64::from(i) + 1),
                id,
                i,
                &format!("Inject {i} discussed"),
            )
        })
        .unwrap();
        ws.write(|tx, _| exercises::set_coverage(tx, t0, id, i, 0, Some(Coverage::Covered))).unwrap();
    }
    assert!(ws.write(|tx, _| exercises::go_to(tx, t0, id, steps)).is_err(), "no inject past the last");
    ws.write(|tx, _| exercises::set_coverage(tx, t0, id, 1, 1, Some(Coverage::Missed))).unwrap();
    assert!(ws.write(|tx, _| exercises::set_coverage(tx, t0, id, 1, 99, Some(Coverage::Partly))).is_err());

    // The app closed mid-run: reopening shows where it stopped, nothing lost.
    let later = t0 + Duration::minutes(70);
    let resumed = ws.read(|c| exercises::get(c, id, later)).unwrap();
    assert_eq!(resumed.current_inject, steps - 1);
    assert_eq!(resumed.notes.len() as u32, steps);
    assert_eq!(resumed.elapsed_seconds, 70 * 60);
    assert_eq!(resumed.coverage.iter().filter(|c| c.state == Coverage::Covered).count() as u32, steps - 1);

    let err = ws.write(|tx, _| exercises::complete(tx, later, id)).unwrap_err();
    assert_eq!(fields(&err), ["attendance"]);
    ws.write(|tx, _| exercises::set_attendance(tx, later, id, ben, true)).unwrap();
    ws.write(|tx, _| exercises::set_attendance(tx, later, id, cy, true)).unwrap();
    let debrief = DebriefInput {
        hot_wash_answers: vec!["Fast declaration".into()],
        strengths: "Clear incident lead.".into(),
        improvements: "No written ransom stance.".into(),
    };
    ws.write(|tx, _| exercises::save_debrief(tx, later, id, &debrief)).unwrap();
    let missing_owner = CorrectiveActionInput {
        title: "Write a ransom stance".into(),
        due_date: "2027-01-31".into(),
        ..Default::default()
    };
    let err = ws.write(|tx, _| exercises::add_corrective_action(tx, later, id, &missing_owner)).unwrap_err();
    assert_eq!(fields(&err), ["owner_id"]);
    let action = CorrectiveActionInput { owner_id: Some(cy), ..missing_owner };
    let a = ws.write(|tx, _| exercises::add_corrective_action(tx, later, id, &action)).unwrap();
    assert_eq!(a.source.as_ref().map(|s| s.kind.as_str()), Some("exercises"));

    let done = ws.write(|tx, _| exercises::complete(tx, later, id)).unwrap();
    assert_eq!(done.summary.status, ExerciseStatus::Completed);
    assert_eq!(done.summary.attendees, 2);
    assert_eq!(done.summary.open_actions, 1);
    assert_eq!(done.elapsed_seconds, 70 * 60, "the clock stops at completion");
    let after = ws.read(|c| exercises::get(c, id, later + Duration::hours(5))).unwrap();
    assert_eq!(after.elapsed_seconds, 70 * 60);

    // Locked: the run record cannot change; debrief amendments go to the history.
    for result in [
        ws.write(|tx, _| exercises::add_note(tx, later, id, 0, "afterthought").map(|_| ())),
        ws.write(|tx, _| exercises::set_coverage(tx, later, id, 0, 0, Some(Coverage::Covered))),
        ws.write(|tx, _| exercises::set_attendance(tx, later, id, ben, false)),
        ws.write(|tx, _| exercises::go_to(tx, later, id, 0).map(|_| ())),
    ] {
        assert_eq!(result.unwrap_err().code, ErrorCode::Conflict);
    }
    let amended = DebriefInput { improvements: "No written ransom stance; backups untested.".into(), ..debrief };
    let e = ws.write(|tx, _| exercises::save_debrief(tx, later, id, &amended)).unwrap();
    assert!(e.history[0].changes.iter().any(|c| c.field == "improvements"), "{:?}", e.history[0]);
    let q = ActionQuery { source_exercise_id: Some(id), ..Default::default() };
    assert_eq!(ws.read(|c| actions::list(c, &q, now().date())).unwrap().total, 1);
    assert_eq!(ws.read(|c| exercises::list(c, false)).unwrap()[0].scenario, "ransomware");
}

/// The lost-laptop exercise planned for 2026-11-20, Ana facilitating and Ben as IT lead: its
/// id and theirs.
fn plan_lost_laptop(ws: &Workspace) -> (i64, i64, i64) {
    let (ana, ben) = (person(ws, "Ana Lead"), person(ws, "Ben Eng"));
    let plan = PlanInput {
        script: ScriptRef::BuiltIn("lost-laptop".into()),
        title: String::new(),
        planned_on: "2026-11-20".into(),
        facilitator_id: Some(ana),
        participants: vec![ParticipantInput { person_id: ben, role: "IT lead".into() }],
    };
    (ws.write(|tx, now| exercises::plan(tx, now, &plan)).unwrap().summary.id, ana, ben)
}

#[test]
fn the_after_action_report_holds_the_record() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let (id, ana, ben) = plan_lost_laptop(&ws);
    let t0 = Utc.with_ymd_and_hms(2026, 11, 20, 14, 0, 0).unwrap();
    ws.write(|tx, _| exercises::start(tx, t0, id)).unwrap();
    ws.write(|tx, _| exercises::add_note(tx, t0 + Duration::seconds(95), id, 0, "Ben knew the out-of-hours number"))
        .unwrap();
    ws.write(|tx, _| exercises::set_coverage(tx, t0, id, 0, 0, Some(Coverage::Covered))).unwrap();
    ws.write(|tx, _| exercises::set_attendance(tx, t0, id, ben, true)).unwrap();
    let debrief = DebriefInput {
        hot_wash_answers: vec![],
        strengths: "Quick remote lock.".into(),
        improvements: "Customer exports on laptops.".into(),
    };
    ws.write(|tx, _| exercises::save_debrief(tx, t0, id, &debrief)).unwrap();
    let action = CorrectiveActionInput {
        title: "Ban customer exports to laptops".into(),
        owner_id: Some(ana),
        due_date: "2027-01-15".into(),
        ..Default::default()
    };
    ws.write(|tx, _| exercises::add_corrective_action(tx, t0, id, &action)).unwrap();
    ws.write(|tx, _| exercises::complete(tx, t0 + Duration::minutes(40), id)).unwrap();
    let later = t0 + Duration::days(3);
    let pdf = ws
        .read(|c| {
            readyroom_core::after_action::after_action_report(
                c,
                id,
                "Acme Analytics",
                readyroom_core::pdf::Paper::A4,
                later,
            )
        })
        .unwrap();
    let again = ws
        .read(|c| {
            readyroom_core::after_action::after_action_report(
                c,
                id,
                "Acme Analytics",
                readyroom_core::pdf::Paper::A4,
                later,
            )
        })
        .unwrap();
    assert_eq!(pdf, again, "same record, same bytes");
    let file = dir.path().join("aar.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&file)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    // Lines wrap where the layout decides; compare with whitespace collapsed.
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "After-action report: A laptop left on a train",
        "Acme Analytics",
        "Ben knew the out-of-hours number",
        "+1:35",
        "Quick remote lock.",
        "Ban customer exports to laptops",
        "2027-01-15",
        "Ben Eng",
        "Covered",
        "Met when:",
        "The IT lead names the remote lock as a first action in the first inject.",
        "Assumptions",
        "The laptop is enrolled in device management and was reported compliant a week ago.",
        "What was artificial in the room",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[test]
fn an_exercise_held_last_year_is_recorded_afterwards_and_counts_from_the_day_it_was_held() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let (ana, ben, cy, dee) =
        (person(&ws, "Ana Lead"), person(&ws, "Ben Eng"), person(&ws, "Cy Ceo"), person(&ws, "Dee Ops"));
    let plan = |title: &str| PlanInput {
        script: ScriptRef::BuiltIn("ransomware".into()),
        title: title.into(),
        planned_on: "2025-12-11".into(),
        facilitator_id: Some(ana),
        participants: vec![
            ParticipantInput { person_id: ben, role: "Engineering lead".into() },
            ParticipantInput { person_id: cy, role: "CEO".into() },
        ],
    };
    let id = ws.write(|tx, now| exercises::plan(tx, now, &plan("Last winter's ransomware drill"))).unwrap().summary.id;
    let good = HeldInput {
        held_on: "2025-12-11".into(),
        attendee_ids: vec![ben],
        notes: "Ran it in the boardroom; backups restored in 3 hours on paper.".into(),
        debrief: DebriefInput {
            hot_wash_answers: vec!["Finding the backup owner took too long.".into()],
            strengths: "Clear roles.".into(),
            improvements: "Name a deputy for the backup owner.".into(),
        },
    };
    // Refused, each problem on its field, and nothing changes.
    let bad = HeldInput {
        held_on: "2026-11-27".into(),
        attendee_ids: vec![],
        notes: String::new(),
        debrief: DebriefInput::default(),
    };
    let err = ws.write(|tx, now| exercises::record_held(tx, now, id, &bad)).unwrap_err();
    assert_eq!(fields(&err), ["held_on", "attendee_ids", "hot_wash_answers", "strengths", "improvements"]);
    let stranger = HeldInput { attendee_ids: vec![dee], ..good.clone() };
    let err = ws.write(|tx, now| exercises::record_held(tx, now, id, &stranger)).unwrap_err();
    assert_eq!(fields(&err), ["attendee_ids"]);
    let still = ws.read(|c| exercises::get(c, id, Utc::now())).unwrap();
    assert_eq!((still.summary.status, still.summary.held_on), (ExerciseStatus::Planned, None));

    let e = ws.write(|tx, now| exercises::record_held(tx, now, id, &good)).unwrap();
    assert_eq!(e.summary.status, ExerciseStatus::Completed);
    assert_eq!(e.summary.held_on, NaiveDate::from_ymd_opt(2025, 12, 11));
    assert!(e.summary.recorded_afterwards);
    assert_eq!(e.summary.attendees, 1);
    assert_eq!(e.notes.len(), 1);
    // The history says when it was recorded (today) and when it happened.
    let last = e.history.first().unwrap();
    assert!(last.at.starts_with("2026-11-26"), "{}", last.at);
    assert!(last.changes.iter().any(|c| c.field == "held_on" && c.new.as_deref() == Some("2025-12-11")));
    // Completed: it cannot be recorded again, and a started exercise cannot be recorded either.
    assert_eq!(ws.write(|tx, now| exercises::record_held(tx, now, id, &good)).unwrap_err().code, ErrorCode::Conflict);
    let other = ws.write(|tx, now| exercises::plan(tx, now, &plan("Second"))).unwrap().summary.id;
    ws.write(|tx, now| exercises::start(tx, now, other)).unwrap();
    assert_eq!(
        ws.write(|tx, now| exercises::record_held(tx, now, other, &good)).unwrap_err().code,
        ErrorCode::Conflict
    );

    // Readiness counts it from the day it was held: the next one is due a year after.
    let r =
        ws.read(|c| readyroom_core::readiness::check_all(c, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap())).unwrap();
    let ir = r.checks.iter().find(|c| c.key == "incident_response").unwrap();
    assert!(!ir.findings.iter().any(|f| f.problem.contains("No tabletop exercise")), "{:?}", ir.findings);
    assert!(
        ir.findings.iter().any(|f| f.problem == "The next tabletop exercise is due on 2026-12-11"),
        "{:?}",
        ir.findings
    );
}

#[test]
fn the_participant_handout_briefs_the_room_without_giving_the_exercise_away() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let (id, _, _) = plan_lost_laptop(&ws);
    let now = Utc.with_ymd_and_hms(2026, 11, 18, 9, 0, 0).unwrap();
    let pdf = ws
        .read(|c| {
            readyroom_core::after_action::participant_handout(
                c,
                id,
                "Acme Analytics",
                readyroom_core::pdf::Paper::A4,
                now,
            )
        })
        .unwrap();
    let file = dir.path().join("handout.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    let script = readyroom_core::tabletop::parse(
        readyroom_core::tabletop::BUILT_INS.iter().find(|b| b.key == "lost-laptop").unwrap().source,
    )
    .unwrap();
    for needle in
        ["Exercise briefing: A laptop left on a train", "Acme Analytics", "Ben Eng", "IT lead", "Ground rules"]
    {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
    assert!(text.contains(script.assumptions[0].split_whitespace().take(6).collect::<Vec<_>>().join(" ").as_str()));
    // Nothing that gives the exercise away.
    for inject in &script.injects {
        let start: String = inject.facilitator_notes.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
        assert!(!text.contains(&start), "a facilitator note leaked: {start}");
        let facts: String = inject.facts.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
        assert!(!text.contains(&facts), "an inject leaked: {facts}");
    }
}

#[test]
fn a_plan_starts_from_the_role_mapping_casting_nobody_twice() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let (ops, cto) = (person(&ws, "Olu Ops"), person(&ws, "Cy Tech"));
    // Olu holds both compliance and security: he facilitates and is not cast a second time.
    for (role, who) in [("compliance_lead", ops), ("security_lead", ops), ("engineering_lead", cto)] {
        ws.write(|tx, now| readyroom_core::roles::assign(tx, now, role, Some(who))).unwrap();
    }
    let on = NaiveDate::from_ymd_opt(2026, 12, 10).unwrap();
    let cast = ws.read(|c| exercises::cast(c, &ScriptRef::BuiltIn("ransomware".into()), on)).unwrap();
    let who = |name: &str| {
        let r = cast.iter().find(|r| r.name == name).unwrap_or_else(|| panic!("no role {name} in {cast:?}"));
        r.person.as_ref().map(|p| p.name.clone())
    };
    assert_eq!(who("Facilitator").as_deref(), Some("Olu Ops"));
    assert_eq!(who("Incident lead"), None, "Olu already facilitates");
    assert_eq!(who("Engineering lead").as_deref(), Some("Cy Tech"));
    assert_eq!(who("CEO"), None, "no one holds the CEO role");
    let engineering = cast.iter().find(|r| r.name == "Engineering lead").unwrap();
    assert_eq!(engineering.played_by.as_deref(), Some("Engineering Lead"));
    // Someone who has left by the day is not cast.
    let mut leaving = PersonInput {
        name: "Cy Tech".into(),
        email: "cy.tech@acme.test".into(),
        end_date: "2026-12-01".into(),
        ..Default::default()
    };
    ws.write(|tx, now| people::update(tx, now, cto, &leaving)).unwrap();
    let cast = ws.read(|c| exercises::cast(c, &ScriptRef::BuiltIn("ransomware".into()), on)).unwrap();
    assert!(cast.iter().find(|r| r.name == "Engineering lead").unwrap().person.is_none());
    leaving.end_date = String::new();
    ws.write(|tx, now| people::update(tx, now, cto, &leaving)).unwrap();

    // A script that names a role the workspace does not have is refused at that line.
    let copy = ws.write(|tx, now| exercises::duplicate(tx, now, &ScriptRef::BuiltIn("ransomware".into()))).unwrap();
    let ScriptRef::Custom(id) = copy.script.clone() else { panic!("a copy is the workspace's own") };
    let text = ws.read(|c| exercises::source(c, &copy.script)).unwrap();
    assert!(text.contains("played_by = \"engineering_lead\""), "the copy keeps who plays each role");
    let broken = text.replacen("played_by = \"engineering_lead\"", "played_by = \"astronaut\"", 1);
    let err = ws.write(|tx, now| exercises::save_script(tx, now, Some(id), &broken)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.fields[0].message.contains("\"astronaut\" is not a role"), "{:?}", err.fields);
    assert_eq!(ws.read(|c| exercises::source(c, &copy.script)).unwrap(), text, "the stored text is untouched");
}

#[test]
fn a_plan_changes_until_the_exercise_starts_and_an_archived_exercise_leaves_the_list_and_readiness() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let (id, ana, ben) = plan_lost_laptop(&ws);
    let cy = person(&ws, "Cy Ceo");
    let change = exercises::PlanChange {
        title: "Lost laptop, December".into(),
        planned_on: "2026-12-03".into(),
        facilitator_id: Some(ben),
        participants: vec![
            ParticipantInput { person_id: ana, role: "Scribe".into() },
            ParticipantInput { person_id: cy, role: "CEO".into() },
        ],
    };
    // Refused on its fields, and nothing changes.
    let bad = exercises::PlanChange { planned_on: "03/12/2026".into(), participants: vec![], ..change.clone() };
    let err = ws.write(|tx, now| exercises::update_plan(tx, now, id, &bad)).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["planned_on", "participants"]));
    let before = ws.read(|c| exercises::get(c, id, Utc::now())).unwrap();
    assert_eq!(before.summary.planned_on, NaiveDate::from_ymd_opt(2026, 11, 20).unwrap());

    let e = ws.write(|tx, now| exercises::update_plan(tx, now, id, &change)).unwrap();
    assert_eq!(e.summary.title, "Lost laptop, December");
    assert_eq!(e.summary.planned_on, NaiveDate::from_ymd_opt(2026, 12, 3).unwrap());
    assert_eq!(e.summary.facilitator.as_ref().map(|f| f.name.as_str()), Some("Ben Eng"));
    let roles: Vec<(&str, &str)> = e.participants.iter().map(|p| (p.person.name.as_str(), p.role.as_str())).collect();
    assert_eq!(roles, [("Ana Lead", "Scribe"), ("Cy Ceo", "CEO")]);
    let changed: Vec<(&str, Option<&str>, Option<&str>)> =
        e.history[0].changes.iter().map(|c| (c.field.as_str(), c.old.as_deref(), c.new.as_deref())).collect();
    assert_eq!(
        changed,
        [
            ("title", Some("A laptop left on a train"), Some("Lost laptop, December")),
            ("planned_on", Some("2026-11-20"), Some("2026-12-03")),
            ("facilitator", Some("Ana Lead"), Some("Ben Eng")),
            ("participants", Some("Ben Eng (IT lead)"), Some("Ana Lead (Scribe), Cy Ceo (CEO)")),
        ]
    );
    let entries = e.history.len();
    ws.write(|tx, now| exercises::update_plan(tx, now, id, &change)).unwrap();
    assert_eq!(ws.read(|c| exercises::get(c, id, Utc::now())).unwrap().history.len(), entries, "no change, no entry");

    // Once started, the plan is part of the run record.
    ws.write(|tx, now| exercises::start(tx, now, id)).unwrap();
    let err = ws.write(|tx, now| exercises::update_plan(tx, now, id, &change)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(ws.write(|tx, now| exercises::set_archived(tx, now, id, true)).unwrap_err().code, ErrorCode::Conflict);

    // A cancelled plan is archived: kept, out of the list, not startable; restored, it is back.
    let plan = PlanInput {
        script: ScriptRef::BuiltIn("lost-laptop".into()),
        title: String::new(),
        planned_on: "2026-12-10".into(),
        facilitator_id: Some(ana),
        participants: vec![ParticipantInput { person_id: ben, role: "IT lead".into() }],
    };
    let other = ws.write(|tx, now| exercises::plan(tx, now, &plan)).unwrap().summary.id;
    let e = ws.write(|tx, now| exercises::set_archived(tx, now, other, true)).unwrap();
    assert!(e.summary.archived);
    let listed: Vec<i64> = ws.read(|c| exercises::list(c, false)).unwrap().iter().map(|s| s.id).collect();
    assert_eq!(listed, [id]);
    assert_eq!(ws.read(|c| exercises::list(c, true)).unwrap().len(), 2);
    assert_eq!(ws.write(|tx, now| exercises::start(tx, now, other)).unwrap_err().code, ErrorCode::Conflict);
    assert_eq!(
        ws.write(|tx, now| exercises::update_plan(tx, now, other, &change)).unwrap_err().code,
        ErrorCode::Conflict
    );
    let e = ws.write(|tx, now| exercises::set_archived(tx, now, other, false)).unwrap();
    assert!(!e.summary.archived);
    let actions: Vec<_> = e.history.iter().map(|h| h.action).collect();
    use readyroom_core::history::HistoryAction::*;
    assert_eq!(actions, [Restore, Archive, Create]);
}

#[test]
fn an_exercise_archived_after_the_day_still_counted_on_the_day() {
    let (_dir, path) = temp_workspace();
    let ws = common::open_on(&path, "2026-03-01").unwrap();
    let (id, _, ben) = plan_lost_laptop(&ws);
    let held = HeldInput {
        held_on: "2026-02-20".into(),
        attendee_ids: vec![ben],
        notes: String::new(),
        debrief: DebriefInput {
            // The lost-laptop script asks four hot-wash questions.
            hot_wash_answers: vec!["Fine.".into(); 4],
            strengths: "Quick.".into(),
            improvements: "None.".into(),
        },
    };
    ws.write(|tx, now| exercises::record_held(tx, now, id, &held)).unwrap();
    let no_exercise = |ws: &Workspace, on: &str| {
        let day = NaiveDate::parse_from_str(on, "%Y-%m-%d").unwrap();
        let r = ws.read(|c| readyroom_core::readiness::check_all(c, day)).unwrap();
        let ir = r.checks.into_iter().find(|c| c.key == "incident_response").unwrap();
        ir.findings.iter().any(|f| f.problem.contains("No tabletop exercise"))
    };
    assert!(!no_exercise(&ws, "2026-03-01"));
    drop(ws);
    let ws = common::open_on(&path, "2026-04-01").unwrap();
    ws.write(|tx, now| exercises::set_archived(tx, now, id, true)).unwrap();
    assert!(no_exercise(&ws, "2026-04-01"), "archived: it no longer counts");
    assert!(!no_exercise(&ws, "2026-03-01"), "but it counted on a day before it was archived");
}
