//! The readiness engine on real workspace files: verdicts move with the as-of date, findings
//! name their records, Type II needs an access review in every quarter, forecasts say when a
//! passing check will fail, and the obligations calendar lists what falls due.

mod common;

use chrono::NaiveDate;
use common::{open, open_on, temp_workspace};
use readyroom_core::access_reviews::{self, AccessReviewInput};
use readyroom_core::evidence::Upload;
use readyroom_core::profile::{self, AuditType, ProfileInput};
use readyroom_core::readiness::{self, Verdict};
use readyroom_core::systems::{self, SystemInput};
use readyroom_core::vendors::Criticality;
use readyroom_core::Workspace;

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn verdict(ws: &Workspace, key: &str, as_of: &str) -> readyroom_core::readiness::CheckResult {
    ws.read(|c| readiness::check_all(c, day(as_of))).unwrap().checks.into_iter().find(|c| c.key == key).unwrap()
}

fn review(ws: &Workspace, system: i64, on: &str) {
    let input = AccessReviewInput {
        system_id: Some(system),
        reviewer_id: None,
        performed_on: on.into(),
        period_start: String::new(),
        period_end: String::new(),
        accounts_reviewed: Some(5),
        accounts_changed: Some(0),
        findings: String::new(),
        changes: vec![],
    };
    let dir = ws.attachments_dir();
    let evidence: &[u8] = b"email,role\nann@acme.test,admin\n";
    ws.write(|tx, now| access_reviews::create(tx, now, &dir, &input, Some(Upload::bytes("users.csv", evidence))))
        .unwrap();
}

#[test]
fn an_empty_workspace_fails_with_findings_that_say_what_to_do() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let r = ws.read(|c| readiness::check_all(c, day("2026-11-26"))).unwrap();
    assert_eq!(r.checks.len(), 14);
    assert_eq!(r.pass + r.warn + r.fail + r.not_applicable, 14);
    let policies = &r.checks[0];
    assert_eq!(policies.verdict, Verdict::Fail);
    assert_eq!(policies.findings.len(), 13, "one per missing expected policy");
    assert!(policies.findings.iter().all(|f| !f.fix.is_empty()));
    let coverage = r.checks.iter().find(|c| c.key == "coverage").unwrap();
    assert!(coverage.findings.iter().any(|f| f.record.reference == "CC6.1"), "uncovered criteria are findings");
    assert_eq!(verdict(&ws, "leavers", "2026-11-26").verdict, Verdict::NotApplicable);
}

#[test]
fn the_check_list_names_the_checks_that_run_in_their_order() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ran = ws.read(|c| readiness::check_all(c, day("2026-11-26"))).unwrap().checks;
    let listed = readiness::check_list();
    let pairs = |keys: Vec<(&str, &str, &Vec<String>)>| {
        keys.into_iter().map(|(k, t, c)| format!("{k}|{t}|{}", c.join(","))).collect::<Vec<_>>()
    };
    assert_eq!(
        pairs(listed.iter().map(|c| (c.key.as_str(), c.title.as_str(), &c.criteria)).collect()),
        pairs(ran.iter().map(|c| (c.key.as_str(), c.title.as_str(), &c.criteria)).collect())
    );
}

#[test]
fn access_reviews_pass_warn_and_fail_with_the_date_and_type_ii_quarters() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-10-01").unwrap();
    let input = SystemInput {
        name: "AWS".into(),
        criticality: Criticality::Critical,
        role_based_access: true,
        mfa_enforced: true,
        ..Default::default()
    };
    let aws = ws.write(|tx, now| systems::create(tx, now, &input)).unwrap().id;
    review(&ws, aws, "2026-10-01");
    // 92 days after 2026-10-01 is 2027-01-01.
    let c = verdict(&ws, "access_reviews", "2026-11-20");
    assert_eq!(c.verdict, Verdict::Pass, "{c:?}");
    let forecast = c.forecast.unwrap();
    assert_eq!(forecast.fails_on, day("2027-01-02"));
    assert!(forecast.what.contains("AWS"), "{}", forecast.what);
    assert_eq!(verdict(&ws, "access_reviews", "2026-12-05").verdict, Verdict::Warn);
    let late = verdict(&ws, "access_reviews", "2027-01-02");
    assert_eq!(late.verdict, Verdict::Fail);
    assert_eq!(late.findings[0].since, Some(day("2027-01-01")));
    assert_eq!(late.findings[0].record.title, "AWS");
    assert_eq!(late.findings[0].owner, None, "no owner set on the system");
    assert_eq!(verdict(&ws, "mfa", "2026-11-20").verdict, Verdict::Pass);

    // Type II: a window from 2026-04-01 needs a review in each quarter that has ended.
    let p = ProfileInput {
        name: "Acme".into(),
        audit_type: AuditType::Type2,
        window_start: "2026-04-01".into(),
        window_end: "2027-03-31".into(),
        ..Default::default()
    };
    drop(ws);
    let ws = open_on(&path, "2026-11-20").unwrap();
    ws.write(|tx, now| profile::save(tx, now, &p)).unwrap();
    let c = verdict(&ws, "access_reviews", "2026-11-20");
    assert_eq!(c.verdict, Verdict::Fail);
    let quarters: Vec<_> = c.findings.iter().filter(|f| f.failing).map(|f| f.problem.clone()).collect();
    assert_eq!(quarters.len(), 2, "{quarters:?}");
    assert!(quarters[0].contains("2026-04-01 to 2026-06-30") && quarters[1].contains("2026-07-01 to 2026-09-30"));
    review(&ws, aws, "2026-05-10");
    review(&ws, aws, "2026-08-10");
    assert_eq!(verdict(&ws, "access_reviews", "2026-11-20").verdict, Verdict::Pass);
}

#[test]
fn the_calendar_lists_obligations_and_exports_ics() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let input = SystemInput {
        name: "AWS".into(),
        criticality: Criticality::Critical,
        certificates: vec![systems::Certificate { name: "api.acme.test".into(), expires_on: "2027-01-15".into() }],
        ..Default::default()
    };
    let aws = ws.write(|tx, now| systems::create(tx, now, &input)).unwrap().id;
    review(&ws, aws, "2026-10-01");
    let list = ws.read(|c| readiness::obligations(c, day("2026-11-26"), 90)).unwrap();
    let what: Vec<_> = list.iter().map(|o| (o.date, o.check.as_str(), o.what.as_str())).collect();
    assert_eq!(
        what,
        [
            (day("2027-01-01"), "access_reviews", "Access review of AWS"),
            (day("2027-01-15"), "encryption", "Certificate api.acme.test on AWS expires")
        ],
        "the dates the checks judge by: the review is on time through 2027-01-01, the certificate through its expiry day"
    );
    let ics = readiness::obligations_ics(&list, "Acme");
    assert_eq!(ics.matches("BEGIN:VEVENT").count(), 2);
    assert!(ics.contains("SUMMARY:Access review of AWS"));
    let short = ws.read(|c| readiness::obligations(c, day("2026-11-26"), 30)).unwrap();
    assert!(short.is_empty());
}

#[test]
fn coverage_follows_the_categories_in_scope_and_results_are_deterministic() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let coverage = |ws: &Workspace| verdict(ws, "coverage", "2026-11-26");
    let has =
        |c: &readyroom_core::readiness::CheckResult, id: &str| c.findings.iter().any(|f| f.record.reference == id);
    let before = coverage(&ws);
    assert!(has(&before, "CC6.1") && !has(&before, "A1.2"), "availability is out of scope by default");
    let p = ProfileInput {
        name: "Acme".into(),
        categories: readyroom_core::profile::OptionalCategories { availability: true, ..Default::default() },
        ..Default::default()
    };
    ws.write(|tx, now| profile::save(tx, now, &p)).unwrap();
    assert!(has(&coverage(&ws), "A1.2"), "now in scope, so uncovered");
    let a = ws.read(|c| readiness::check_all(c, day("2026-11-26"))).unwrap();
    let b = ws.read(|c| readiness::check_all(c, day("2026-11-26"))).unwrap();
    assert_eq!(a, b, "same data and date, same result");
}

#[test]
fn a_certificate_fails_the_day_after_it_expires() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-11-01").unwrap();
    let input = SystemInput {
        name: "API".into(),
        criticality: Criticality::High,
        holds_customer_data: true,
        encryption_at_rest: true,
        tls_in_transit: true,
        certificates: vec![systems::Certificate { name: "api.acme.test".into(), expires_on: "2026-11-20".into() }],
        ..Default::default()
    };
    ws.write(|tx, now| systems::create(tx, now, &input)).unwrap();
    assert_eq!(verdict(&ws, "encryption", "2026-11-20").verdict, Verdict::Warn, "good through its expiry day");
    let after = verdict(&ws, "encryption", "2026-11-21");
    assert_eq!(after.verdict, Verdict::Fail, "expired the day after: {:?}", after.findings);
    assert!(after.findings[0].problem.contains("expired on 2026-11-20"));
}

#[test]
fn the_calendar_and_the_checks_use_one_rule_and_see_only_the_past() {
    use readyroom_core::risk_assessments::{self, AssessmentInput};
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let risk = readyroom_core::risks::RiskInput {
        title: "Phishing".into(),
        inherent_likelihood: Some(3),
        inherent_impact: Some(3),
        ..Default::default()
    };
    ws.write(|tx, now| readyroom_core::risks::create(tx, now, &risk)).unwrap();
    let input = AssessmentInput { performed_on: "2026-11-20".into(), ..Default::default() };
    ws.write(|tx, now| risk_assessments::create(tx, now, &input)).unwrap();
    // Before the assessment was held, neither the check nor the calendar may count it.
    let early = day("2026-06-01");
    let calendar = ws.read(|c| readiness::obligations(c, early, 400)).unwrap();
    assert!(!calendar.iter().any(|o| o.what == "Yearly risk assessment"), "{calendar:?}");
    assert_eq!(verdict(&ws, "risk", "2026-06-01").findings[0].problem, "No risk assessment has been recorded.");
    // After it, the calendar's date is the check's due date.
    let calendar = ws.read(|c| readiness::obligations(c, day("2026-11-26"), 400)).unwrap();
    let due = calendar.iter().find(|o| o.what == "Yearly risk assessment").expect("on the calendar").date;
    assert_eq!(due, day("2027-11-20"));
    let forecast = verdict(&ws, "risk", "2027-11-19").findings.iter().any(|f| f.until == Some(due));
    assert!(forecast, "the check warns about the same date");
}
