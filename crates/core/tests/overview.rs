//! The home screen's overview: the headline verdict with the dates that matter, "this week"
//! (failing findings and those due within seven days, grouped and most serious first), the
//! "Get started" checklist, and one action per finding without duplicates.

mod common;

use chrono::NaiveDate;
use common::{open_on, temp_workspace};
use readyroom_core::actions::{self, ActionInput, ActionQuery};
use readyroom_core::overview::{self, Milestone};
use readyroom_core::readiness::{self, Verdict};
use readyroom_core::{demo, people, profile, systems, Workspace};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn demo_on(d: &str) -> (tempfile::TempDir, Workspace) {
    let (dir, path) = temp_workspace();
    let ws = open_on(&path, d).unwrap();
    ws.write(|tx, now| demo::create(tx, now, day(d))).unwrap();
    (dir, ws)
}

fn open_actions(ws: &Workspace, today: NaiveDate) -> Vec<actions::Action> {
    let q = ActionQuery { open_only: true, limit: 10_000, ..Default::default() };
    ws.read(|c| actions::list(c, &q, today)).unwrap().rows
}

#[test]
fn the_headline_counts_the_checks_and_names_the_next_date() {
    let (_dir, ws) = demo_on("2026-11-26");
    let today = day("2026-11-26");
    let o = ws.read(|c| overview::overview(c, today)).unwrap();
    let r = &o.readiness;
    let applicable = r.pass + r.warn + r.fail;
    assert!(r.fail > 0, "the demo has failing checks");
    assert_eq!(o.verdict, Verdict::Fail);
    assert!(o.headline.starts_with(&format!("Not ready: {} of {applicable} checks fail", r.fail)), "{}", o.headline);
    // The next date of the audit is in the headline, counted in days.
    let next = o.milestones.iter().find(|m| m.days >= 0).expect("a date ahead");
    assert!(o.headline.to_lowercase().ends_with(&format!("; {}", next.text.to_lowercase())), "{}", o.headline);
    assert_eq!(next.days, (next.date - today).num_days());
    // What must happen first is the most serious failing group's fix.
    let first = o.first.as_deref().expect("something fails");
    let top = o.this_week.first().expect("this week has the failing groups");
    assert!(top.failing);
    assert!(first.starts_with(&format!("{}: ", top.check_title)), "{first}");
}

#[test]
fn milestones_say_how_far_each_date_is_and_only_type_ii_has_a_window() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-11-26").unwrap();
    let input = profile::ProfileInput {
        name: "Acme".into(),
        audit_type: profile::AuditType::Type2,
        window_start: "2026-10-01".into(),
        window_end: "2027-03-31".into(),
        target_report_date: "2026-11-27".into(),
        ..Default::default()
    };
    let p = ws.write(|tx, now| profile::save(tx, now, &input)).unwrap();
    let m = overview::milestones(&p, day("2026-11-26"));
    let texts: Vec<&str> = m.iter().map(|m: &Milestone| m.text.as_str()).collect();
    assert_eq!(
        texts,
        [
            "The observation window started 56 days ago",
            "The target report date is tomorrow",
            "The observation window ends in 125 days"
        ]
    );
    // A countdown beside the number says what it runs to, without the number again.
    let until: Vec<&str> = m.iter().map(|m| m.until.as_str()).collect();
    assert_eq!(
        until,
        ["until the observation window starts", "until the target report date", "until the observation window ends"]
    );
    let type1 = profile::Profile { audit_type: profile::AuditType::Type1, ..p };
    let m = overview::milestones(&type1, day("2026-11-26"));
    assert_eq!(m.len(), 1, "a Type I audit has no window: {m:?}");
}

#[test]
fn findings_are_grouped_by_check_and_fix_and_the_week_leaves_out_what_is_due_later() {
    let (_dir, ws) = demo_on("2026-11-26");
    let today = day("2026-11-26");
    let r = ws.read(|c| readiness::check_all(c, today)).unwrap();
    let groups = overview::group_findings(&r.checks);
    let findings: usize = r.checks.iter().map(|c| c.findings.len()).sum();
    assert_eq!(groups.iter().map(|g| g.findings.len()).sum::<usize>(), findings, "every finding is in a group");
    // One group per check, fix and state.
    for (i, a) in groups.iter().enumerate() {
        for b in &groups[i + 1..] {
            assert!(!(a.check_key == b.check_key && a.fix == b.fix && a.failing == b.failing), "{a:?} twice");
        }
    }
    // Failing groups first, then those falling due, soonest first.
    let first_warn = groups.iter().position(|g| !g.failing).unwrap_or(groups.len());
    assert!(groups[first_warn..].iter().all(|g| !g.failing));
    let dues: Vec<_> = groups[first_warn..].iter().map(|g| g.due).collect();
    let mut sorted = dues.clone();
    sorted.sort_by_key(|d| d.unwrap_or(NaiveDate::MAX));
    assert_eq!(dues, sorted);
    // This week: every failing group and only the ones due within seven days.
    let o = ws.read(|c| overview::overview(c, today)).unwrap();
    let week_end = today + chrono::Duration::days(overview::WEEK_DAYS);
    assert_eq!(o.this_week.iter().filter(|g| g.failing).count(), groups.iter().filter(|g| g.failing).count());
    for g in o.this_week.iter().filter(|g| !g.failing) {
        assert!(g.due.is_some_and(|d| d <= week_end), "{g:?} is not due this week");
    }
    let later: Vec<_> = groups.iter().filter(|g| !g.failing && g.due.is_some_and(|d| d > week_end)).collect();
    for g in later {
        assert!(!o.this_week.contains(g), "{} ({:?}) is due later", g.fix, g.due);
    }
    // A group of several records says how many.
    if let Some(g) = groups.iter().find(|g| g.findings.len() > 1) {
        assert!(g.problem.starts_with(&format!("{} records, for example ", g.findings.len())), "{}", g.problem);
    }
}

/// The dashboard's lines read as one sentence each: a finding, and a group's "for example",
/// name the record once ("BCP-03 Restore test: No occurrence in …", not "BCP-03 Restore
/// test: BCP-03 Restore test: No occurrence of BCP-03 Restore test in …").
#[test]
fn a_finding_and_its_group_name_the_record_once() {
    let (_dir, ws) = demo_on("2026-12-02");
    let today = day("2026-12-02");
    let r = ws.read(|c| readiness::check_all(c, today)).unwrap();
    let groups = overview::group_findings(&r.checks);
    let mut several = 0;
    for g in &groups {
        for f in &g.findings {
            let name = f.record.name();
            assert!(f.problem.matches(name.as_str()).count() <= 1, "{}", f.problem);
        }
        if g.findings.len() > 1 {
            several += 1;
            let name = g.findings[0].record.name();
            assert_eq!(g.problem.matches(name.as_str()).count(), 1, "{}", g.problem);
        }
    }
    assert!(several > 0, "the demo has a group of several records");
    let coverage = groups.iter().find(|g| g.check_key == "coverage" && g.failing && g.findings.len() > 1);
    let coverage = coverage.expect("the demo misses control periods");
    let first = &coverage.findings[0];
    assert_eq!(
        coverage.problem,
        format!("{} records, for example {}", coverage.findings.len(), first.problem),
        "the example is the finding's own sentence"
    );
    assert!(first.problem.starts_with(&format!("{}: ", first.record.name())), "{}", first.problem);
    // A control that counts changes quotes the change it missed on, not only what was wrong.
    let chg = coverage.findings.iter().find(|f| f.record.reference == "CHG-01").expect("CHG-01 misses a period");
    assert!(chg.problem.starts_with("CHG-01 Version control and peer review: HOTFIX-12: "), "{}", chg.problem);
}

#[test]
fn get_started_follows_the_workspace_step_by_step() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-11-26").unwrap();
    let today = day("2026-11-26");
    let s = ws.read(|c| overview::setup_progress(c, today)).unwrap();
    assert_eq!(s.done, 0, "{s:?}");
    assert_eq!(s.next.as_deref(), Some("profile"));
    assert_eq!(s.total as usize, s.steps.len());

    let input = profile::ProfileInput { name: "Acme".into(), ..Default::default() };
    ws.write(|tx, now| profile::save(tx, now, &input)).unwrap();
    let mut staff = Vec::new();
    for name in ["Ana", "Ben"] {
        let p = people::PersonInput { name: name.into(), email: format!("{name}@acme.test"), ..Default::default() };
        staff.push(ws.write(|tx, now| people::create(tx, now, &p)).unwrap().id);
    }
    let s = ws.read(|c| overview::setup_progress(c, today)).unwrap();
    let step = |key: &str| s.steps.iter().find(|x| x.key == key).unwrap().clone();
    assert!(step("profile").done && step("people").done);
    assert_eq!(step("people").detail, "2 people on staff.");
    assert_eq!(s.next.as_deref(), Some("roles"));
    assert_eq!(step("roles").settings_section.as_deref(), Some("roles"));
    assert_eq!(step("roles").detail, "0 of 6 roles have a holder.", "no privacy lead: Privacy is not in scope");

    // Every role but one mapped: not done yet; then the last.
    let roles = ws.read(readyroom_core::roles::list).unwrap();
    for r in &roles[1..] {
        ws.write(|tx, now| readyroom_core::roles::assign(tx, now, &r.key, Some(staff[1]))).unwrap();
    }
    let s = ws.read(|c| overview::setup_progress(c, today)).unwrap();
    assert_eq!(s.steps.iter().find(|x| x.key == "roles").unwrap().detail, "5 of 6 roles have a holder.");
    assert_eq!(s.next.as_deref(), Some("roles"));
    ws.write(|tx, now| readyroom_core::roles::assign(tx, now, &roles[0].key, Some(staff[0]))).unwrap();
    let s = ws.read(|c| overview::setup_progress(c, today)).unwrap();
    assert_eq!(s.next.as_deref(), Some("systems"));
    assert_eq!(s.done, 3);

    let sys = systems::SystemInput { name: "GitHub".into(), in_scope: true, ..Default::default() };
    ws.write(|tx, now| systems::create(tx, now, &sys)).unwrap();
    let s = ws.read(|c| overview::setup_progress(c, today)).unwrap();
    assert_eq!(s.next.as_deref(), Some("controls"));
    assert_eq!(s.steps.iter().find(|x| x.key == "systems").unwrap().detail, "1 system in scope.");

    // The demo company has done most of it.
    let (_d, demo) = demo_on("2026-11-26");
    let s = demo.read(|c| overview::setup_progress(c, today)).unwrap();
    assert!(s.done >= s.total - 2, "{s:#?}");
    assert!(s.steps.iter().find(|x| x.key == "roles").unwrap().done, "the demo maps every role");
}

#[test]
fn one_action_per_finding_named_owned_and_due_and_never_twice() {
    let (_dir, ws) = demo_on("2026-11-26");
    let today = day("2026-11-26");
    let before = open_actions(&ws, today).len();
    let r = ws.read(|c| readiness::check_all(c, today)).unwrap();
    let findings: usize = r.checks.iter().map(|c| c.findings.len()).sum();
    assert!(findings > 0);

    let made = ws.write(|tx, now| overview::create_actions_for_findings(tx, now, today)).unwrap();
    assert_eq!(made.created.len() + made.already as usize, findings);
    assert!(!made.created.is_empty());
    assert_eq!(open_actions(&ws, today).len(), before + made.created.len());
    for a in &made.created {
        let (check, f) = r
            .checks
            .iter()
            .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
            .find(|(c, f)| a.description == format!("{}: {}", c.title, f.problem))
            .expect("each action comes from a finding");
        // The title names the record, not "it".
        let name = overview::record_name(&f.record);
        assert!(a.title.contains(&name), "{} / {name}", a.title);
        // Due: when it falls due, or two weeks from now when it fails already.
        let due = a.due_date.expect("a due date");
        match (f.failing, f.until) {
            (false, Some(until)) => assert_eq!(due, until),
            _ => assert_eq!(due, today + chrono::Duration::days(overview::FINDING_ACTION_DAYS as i64)),
        }
        // Owned by the record's owner when it has one.
        if let Some(owner) = &f.owner {
            assert_eq!(a.owner.as_ref().map(|o| &o.name), Some(owner), "{}", check.title);
        }
    }

    let mfa =
        made.created.iter().find(|a| a.description.starts_with("MFA on critical systems:")).expect("the MFA finding");
    assert_eq!(mfa.title, "Enforce MFA for every account on GitHub");

    // Again: nothing new, every finding already answered.
    let again = ws.write(|tx, now| overview::create_actions_for_findings(tx, now, today)).unwrap();
    assert!(again.created.is_empty(), "{:?}", again.created.iter().map(|a| &a.title).collect::<Vec<_>>());
    assert_eq!(again.already as usize, findings);

    // Closing one action makes its finding (still failing) get a new one.
    let a = made.created[0].clone();
    let done = ActionInput {
        title: a.title.clone(),
        description: a.description.clone(),
        due_date: a.due_date.unwrap().to_string(),
        status: actions::ActionStatus::Done,
        source_control_id: a.source.as_ref().filter(|s| s.kind == readyroom_core::Register::Controls).map(|s| s.id),
        source_policy_id: a.source.as_ref().filter(|s| s.kind == readyroom_core::Register::Policies).map(|s| s.id),
        source_risk_id: a.source.as_ref().filter(|s| s.kind == readyroom_core::Register::Risks).map(|s| s.id),
        owner_id: a.owner.as_ref().map(|o| o.id),
        ..Default::default()
    };
    ws.write(|tx, now| actions::update(tx, now, a.id, &done)).unwrap();
    let third = ws.write(|tx, now| overview::create_actions_for_findings(tx, now, today)).unwrap();
    assert_eq!(third.created.len(), 1, "the closed action's finding gets a new one");
    assert_eq!(third.created[0].title, a.title);
}

#[test]
fn an_action_made_by_hand_for_a_finding_counts_as_its_answer() {
    let (_dir, ws) = demo_on("2026-11-26");
    let today = day("2026-11-26");
    let r = ws.read(|c| readiness::check_all(c, today)).unwrap();
    // A finding on a control, answered by hand from the dashboard (source and description).
    let (check, f) = r
        .checks
        .iter()
        .flat_map(|c| c.findings.iter().map(move |f| (c, f)))
        .find(|(_, f)| f.record.kind == Some(readyroom_core::Register::Controls) && f.record.id.is_some())
        .expect("the demo has a finding on a control");
    let by_hand = ActionInput {
        title: "Fix it".into(),
        description: format!("{}: {}", check.title, f.problem),
        source_control_id: f.record.id,
        ..Default::default()
    };
    let mine = ws.write(|tx, now| actions::create(tx, now, &by_hand)).unwrap();
    let made = ws.write(|tx, now| overview::create_actions_for_findings(tx, now, today)).unwrap();
    assert!(made.already >= 1);
    assert!(
        !made.created.iter().any(|a| a.description == mine.description && a.source == mine.source),
        "no second action for the same finding"
    );
}

#[test]
fn attention_counts_the_records_the_checks_find_and_the_overdue_filter_keeps_only_those() {
    use readyroom_core::attention::{self, AttentionFilter};
    use readyroom_core::controls::{self, ControlQuery};
    use readyroom_core::Register;
    let (_dir, ws) = demo_on("2026-11-26");
    let today = day("2026-11-26");
    let r = ws.read(|c| readiness::check_all(c, today)).unwrap();
    let failing_controls: std::collections::BTreeSet<i64> = r
        .checks
        .iter()
        .flat_map(|c| &c.findings)
        .filter(|f| f.failing && f.record.kind == Some(Register::Controls))
        .filter_map(|f| f.record.id)
        .collect();
    assert!(!failing_controls.is_empty(), "the demo has a control failing");
    let counts = ws.read(|c| attention::counts(c, today)).unwrap();
    let controls_count = counts.iter().find(|a| a.register == Register::Controls).expect("controls need attention");
    assert_eq!(controls_count.overdue as usize, failing_controls.len());

    let all = ws.read(|c| controls::list(c, &ControlQuery { limit: 1000, ..Default::default() })).unwrap();
    let q = ControlQuery { limit: 1000, attention: Some(AttentionFilter::Overdue), ..Default::default() };
    let overdue = ws.read(|c| attention::list_controls(c, &q, today)).unwrap();
    let kept: std::collections::BTreeSet<i64> = overdue.rows.iter().map(|c| c.id).collect();
    assert_eq!(kept, failing_controls);
    assert_eq!(overdue.total as usize, kept.len(), "the count agrees with the page");
    assert!(all.total as usize > kept.len(), "the filter leaves out controls on track");
    let q = ControlQuery { attention: Some(AttentionFilter::NeedsAttention), limit: 1000, ..Default::default() };
    let needing = ws.read(|c| attention::list_controls(c, &q, today)).unwrap();
    assert!(needing.total >= overdue.total);
    let records = ws.read(|c| attention::records(c, today, Register::Controls)).unwrap();
    assert_eq!(records.len() as u32, needing.total);
    assert!(records.iter().filter(|a| a.overdue).all(|a| failing_controls.contains(&a.id) && !a.problems.is_empty()));

    // Actions past their due date count too.
    let late = ActionInput { title: "Late".into(), due_date: "2026-11-01".into(), ..Default::default() };
    ws.write(|tx, now| actions::create(tx, now, &late)).unwrap();
    let counts = ws.read(|c| attention::counts(c, today)).unwrap();
    let a = counts.iter().find(|a| a.register == Register::Actions).expect("actions overdue");
    assert!(a.overdue >= 1);
}

#[test]
fn editing_an_action_for_a_finding_keeps_which_finding_it_answers() {
    let (_dir, ws) = demo_on("2026-11-26");
    let today = day("2026-11-26");
    let made = ws.write(|tx, now| overview::create_actions_for_findings(tx, now, today)).unwrap();
    let a = made.created[0].clone();
    // An edit from the form sends no finding key: the stored one stays.
    let edit = ActionInput {
        title: format!("{} (edited)", a.title),
        description: a.description.clone(),
        due_date: a.due_date.unwrap().to_string(),
        owner_id: a.owner.as_ref().map(|o| o.id),
        source_control_id: a.source.as_ref().filter(|s| s.kind == readyroom_core::Register::Controls).map(|s| s.id),
        source_policy_id: a.source.as_ref().filter(|s| s.kind == readyroom_core::Register::Policies).map(|s| s.id),
        source_risk_id: a.source.as_ref().filter(|s| s.kind == readyroom_core::Register::Risks).map(|s| s.id),
        ..Default::default()
    };
    ws.write(|tx, now| actions::update(tx, now, a.id, &edit)).unwrap();
    let key: Option<String> =
        ws.read(|c| Ok(c.query_row("SELECT finding_key FROM actions WHERE id = ?1", [a.id], |r| r.get(0))?)).unwrap();
    assert!(key.is_some(), "the finding key survives the edit");
    let again = ws.write(|tx, now| overview::create_actions_for_findings(tx, now, today)).unwrap();
    assert!(again.created.is_empty(), "the edited action still answers its finding");
}
