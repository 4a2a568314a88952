//! Readiness an auditor would agree with (issue 15): each defect found by testing the checks
//! against the domain brief, as a test that failed before the fix. Workspaces are built as a
//! story told over time: each write is recorded on the day it was made, so "as of" a past
//! day the checks see only what was known then.

mod common;

use readyroom_core::evidence::Upload;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{open_on, temp_workspace};
use readyroom_core::readiness::{self, CheckResult, PeriodState, Verdict};
use readyroom_core::refs::{Cadence, Criticality, OccurrenceSource};
use readyroom_core::{
    access_reviews, changes, controls, people, policies, profile, retention, risks, systems, training, vendors,
    Workspace,
};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

/// A workspace whose writes happen on chosen days.
struct Story {
    _dir: tempfile::TempDir,
    path: PathBuf,
}

impl Story {
    fn new() -> Self {
        let (dir, path) = temp_workspace();
        Self { _dir: dir, path }
    }

    fn on(&self, d: &str) -> Workspace {
        open_on(&self.path, d).unwrap()
    }

    fn path(&self) -> &Path {
        &self.path
    }
}

fn check(ws: &Workspace, key: &str, as_of: &str) -> CheckResult {
    ws.read(|c| readiness::check_all(c, day(as_of))).unwrap().checks.into_iter().find(|c| c.key == key).unwrap()
}

fn problems(c: &CheckResult) -> Vec<String> {
    c.findings.iter().map(|f| f.problem.clone()).collect()
}

fn type2(ws: &Workspace, start: &str, end: &str) {
    let p = profile::ProfileInput {
        name: "Acme".into(),
        audit_type: profile::AuditType::Type2,
        window_start: start.into(),
        window_end: end.into(),
        ..Default::default()
    };
    ws.write(|tx, now| profile::save(tx, now, &p)).unwrap();
}

fn system(ws: &Workspace, input: systems::SystemInput) -> i64 {
    ws.write(|tx, now| systems::create(tx, now, &input)).unwrap().id
}

fn person(ws: &Workspace, name: &str, start: &str, end: &str) -> i64 {
    let input = people::PersonInput {
        name: name.into(),
        email: format!("{}@acme.test", name.to_lowercase().replace(' ', ".")),
        start_date: start.into(),
        end_date: end.into(),
        ..Default::default()
    };
    ws.write(|tx, now| people::create(tx, now, &input)).unwrap().id
}

fn access_review(ws: &Workspace, system: i64, on: &str, evidence: bool) -> i64 {
    let input = access_reviews::AccessReviewInput {
        system_id: Some(system),
        reviewer_id: None,
        performed_on: on.into(),
        period_start: String::new(),
        period_end: String::new(),
        accounts_reviewed: Some(4),
        accounts_changed: Some(0),
        findings: String::new(),
        changes: vec![],
    };
    let dir = ws.attachments_dir();
    let file: &[u8] = b"email,role\nann@acme.test,admin\n";
    let file = evidence.then_some(Upload::bytes("users.csv", file));
    ws.write(|tx, now| access_reviews::create(tx, now, &dir, &input, file)).unwrap().id
}

fn control(
    ws: &Workspace,
    reference: &str,
    cadence: Cadence,
    criteria: &[&str],
    sources: Option<Vec<OccurrenceSource>>,
) -> i64 {
    let input = controls::ControlInput {
        reference: reference.into(),
        title: format!("Control {reference}"),
        status: controls::ControlStatus::Implemented,
        cadence,
        criteria: criteria.iter().map(|c| c.to_string()).collect(),
        sources: Some(sources.unwrap_or_default()),
        ..Default::default()
    };
    ws.write(|tx, now| controls::create(tx, now, &input)).unwrap().id
}

fn activity(ws: &Workspace, control: i64, on: &str, evidence: bool) {
    let input = controls::ActivityInput { performed_on: on.into(), performed_by: None, notes: "Done.".into() };
    let dir = ws.attachments_dir();
    let meta = controls::ActivityFile { file_name: "export.csv".into(), expires_on: String::new() };
    let bytes: &[u8] = b"setting,value\nmfa,on\n";
    ws.write(|tx, now| {
        controls::add_activity_with_file(
            tx,
            now,
            &dir,
            control,
            &input,
            evidence.then_some((&meta, readyroom_core::evidence::Content::Bytes(bytes))),
        )
    })
    .unwrap();
}

fn criterion_finding(c: &CheckResult, id: &str) -> bool {
    c.findings.iter().any(|f| f.record.reference == id && f.failing)
}

#[test]
fn defect_01_a_continuous_control_without_dated_evidence_covers_nothing() {
    let s = Story::new();
    let ws = s.on("2026-06-01");
    let mfa = control(&ws, "AC-02", Cadence::Continuous, &["CC6.6"], None);
    let per_event = control(&ws, "AC-04", Cadence::PerEvent, &["CC6.4"], None);
    let c = check(&ws, "coverage", "2026-06-01");
    assert!(criterion_finding(&c, "CC6.6"), "no evidence, no coverage: {:?}", problems(&c));
    assert!(criterion_finding(&c, "CC6.4"), "a per-event control needs its occurrence too");
    // An activity without evidence does not count either; one with evidence does.
    activity(&ws, mfa, "2026-05-20", false);
    let c = check(&ws, "coverage", "2026-06-01");
    assert!(criterion_finding(&c, "CC6.6"));
    assert!(c.findings.iter().any(|f| f.problem.contains("has no evidence")), "{:?}", problems(&c));
    activity(&ws, mfa, "2026-05-21", true);
    activity(&ws, per_event, "2026-05-21", true);
    let c = check(&ws, "coverage", "2026-06-01");
    assert!(!criterion_finding(&c, "CC6.6") && !criterion_finding(&c, "CC6.4"), "{:?}", problems(&c));
    // Three months later the continuous control needs fresh evidence again.
    let c = check(&ws, "coverage", "2026-09-01");
    assert!(criterion_finding(&c, "CC6.6"), "{:?}", problems(&c));
}

#[test]
fn the_criteria_page_shows_the_coverage_check_14_judges() {
    let s = Story::new();
    let ws = s.on("2026-06-01");
    let mfa = control(&ws, "AC-02", Cadence::Continuous, &["CC6.6", "CC6.1"], None);
    control(&ws, "AC-04", Cadence::PerEvent, &["CC6.4"], None);
    let planned = controls::ControlInput {
        reference: "OPS-01".into(),
        title: "Monitoring".into(),
        status: controls::ControlStatus::InProgress,
        criteria: vec!["CC7.2".into(), "CC6.1".into()],
        ..Default::default()
    };
    ws.write(|tx, now| controls::create(tx, now, &planned)).unwrap();
    activity(&ws, mfa, "2026-05-21", true);
    let coverage = ws.read(|c| readiness::criteria_coverage(c, day("2026-06-01"))).unwrap();
    let of = |id: &str| coverage.iter().find(|k| k.id == id).map(|k| (k.coverage, k.controls, k.implemented)).unwrap();
    use readiness::CoverageState::*;
    assert_eq!(of("CC6.6"), (Covered, 1, 1));
    assert_eq!(of("CC6.1"), (Covered, 2, 1), "one implemented, operating control is enough");
    assert_eq!(of("CC6.4"), (NotOperating, 1, 1));
    assert_eq!(of("CC7.2"), (NotImplemented, 1, 0));
    assert_eq!(of("CC1.1"), (Unmapped, 0, 0));
    assert_eq!(coverage.len(), 61, "every criterion of the library, in or out of scope");
    // The page and check 14 agree on every in-scope criterion.
    let c = check(&ws, "coverage", "2026-06-01");
    let scope = ws.read(readyroom_core::criteria::list).unwrap();
    for k in scope.iter().filter(|k| k.in_scope) {
        let covered = of(&k.id).0 == Covered;
        assert_eq!(covered, !criterion_finding(&c, &k.id), "{}", k.id);
    }
    // Three months on, the continuous control needs fresh evidence: not operating any more.
    let later = ws.read(|c| readiness::criteria_coverage(c, day("2026-09-01"))).unwrap();
    assert_eq!(later.iter().find(|k| k.id == "CC6.6").unwrap().coverage, NotOperating);
}

#[test]
fn defect_02_a_past_date_sees_what_was_true_then() {
    let s = Story::new();
    let ws = s.on("2026-01-05");
    let aws = system(
        &ws,
        systems::SystemInput { name: "AWS".into(), criticality: Criticality::Critical, ..Default::default() },
    );
    drop(ws);
    // MFA turned on in March: a check as of February still sees it off.
    let ws = s.on("2026-03-01");
    let mut input = ws.read(|c| systems::get(c, aws, day("2026-03-01"))).unwrap();
    input.mfa_enforced = true;
    let si = systems::SystemInput {
        name: input.name.clone(),
        criticality: input.criticality,
        mfa_enforced: true,
        ..Default::default()
    };
    ws.write(|tx, now| systems::update(tx, now, aws, &si)).unwrap();
    assert_eq!(check(&ws, "mfa", "2026-02-15").verdict, Verdict::Fail);
    assert_eq!(check(&ws, "mfa", "2026-03-01").verdict, Verdict::Pass);
    // A system recorded later does not exist earlier.
    drop(ws);
    let ws = s.on("2026-05-01");
    system(
        &ws,
        systems::SystemInput { name: "Stripe".into(), criticality: Criticality::Critical, ..Default::default() },
    );
    assert!(problems(&check(&ws, "mfa", "2026-04-30")).iter().all(|p| !p.contains("Stripe")));
    assert!(problems(&check(&ws, "mfa", "2026-05-01")).iter().any(|p| p.contains("Stripe")));
    // A policy approved in June was not approved in May.
    let pol = ws
        .write(|tx, now| {
            policies::create(
                tx,
                now,
                &policies::PolicyInput { title: "Change Management Policy".into(), ..Default::default() },
            )
        })
        .unwrap()
        .id;
    let boss = person(&ws, "Cleo Ode", "2020-01-01", "");
    drop(ws);
    let ws = s.on("2026-06-10");
    let approve = policies::ApproveInput {
        approved_on: "2026-06-10".into(),
        approver_id: Some(boss),
        next_review_due: String::new(),
    };
    ws.write(|tx, now| policies::approve(tx, now, pol, &approve)).unwrap();
    let before = check(&ws, "changes", "2026-06-01");
    assert!(problems(&before).iter().any(|p| p.contains("not approved")), "{:?}", problems(&before));
    let after = check(&ws, "changes", "2026-06-10");
    assert!(!problems(&after).iter().any(|p| p.contains("not approved")), "{:?}", problems(&after));
}

#[test]
fn defect_03_customer_data_systems_need_mfa_reviews_and_logging_whatever_their_criticality() {
    let s = Story::new();
    let ws = s.on("2026-06-01");
    system(
        &ws,
        systems::SystemInput {
            name: "CRM".into(),
            criticality: Criticality::Medium,
            holds_customer_data: true,
            ..Default::default()
        },
    );
    for key in ["mfa", "access_reviews", "logging"] {
        let c = check(&ws, key, "2026-06-01");
        assert_eq!(c.verdict, Verdict::Fail, "{key}: {:?}", problems(&c));
        assert!(c.findings.iter().any(|f| f.record.title == "CRM"), "{key}");
    }
}

#[test]
fn defect_04_late_new_hire_training_stays_an_exception_and_leavers_are_judged() {
    let s = Story::new();
    let ws = s.on("2026-01-02");
    type2(&ws, "2026-01-01", "2026-12-31");
    let course = ws
        .write(|tx, now| {
            training::create_course(
                tx,
                now,
                &training::CourseInput {
                    name: "Security awareness".into(),
                    description: String::new(),
                    required: true,
                    validity_days: Some(365),
                },
            )
        })
        .unwrap()
        .id;
    let ann = person(&ws, "Ann Lee", "2026-01-01", "");
    let bob = person(&ws, "Bob Hart", "2025-01-01", "2026-03-01");
    ws.write(|tx, now| {
        training::record_session(
            tx,
            now,
            &ws.attachments_dir(),
            &training::SessionInput { course_id: Some(course), completed_on: "2026-01-02".into(), person_ids: vec![] },
            None,
        )
    })
    .ok();
    drop(ws);
    // Ann is trained on day 12: late. She stays an exception after being trained.
    let ws = s.on("2026-01-12");
    ws.write(|tx, now| {
        training::record_session(
            tx,
            now,
            &ws.attachments_dir(),
            &training::SessionInput {
                course_id: Some(course),
                completed_on: "2026-01-12".into(),
                person_ids: vec![ann],
            },
            None,
        )
    })
    .unwrap();
    let c = check(&ws, "training", "2026-02-01");
    let ann_late = c.findings.iter().find(|f| f.record.id == Some(ann)).expect("Ann is still an exception");
    assert!(ann_late.problem.contains("11 days later"), "{}", ann_late.problem);
    assert!(ann_late.exception.is_some(), "a Type II exception");
    // Bob left on 1 March, never trained: judged for the time he worked here.
    let c = check(&ws, "training", "2026-04-01");
    assert!(c.findings.iter().any(|f| f.record.id == Some(bob) && f.failing), "{:?}", problems(&c));
}

#[test]
fn defect_05_policy_review_follows_the_interval_not_a_typed_date_and_acknowledgements_count() {
    let s = Story::new();
    let ws = s.on("2021-03-01");
    let boss = person(&ws, "Cleo Ode", "2020-01-01", "");
    ws.write(policies::install_expected).unwrap();
    let all = ws.read(|c| policies::list(c, false)).unwrap();
    for p in &all {
        let a = policies::ApproveInput {
            approved_on: "2021-03-01".into(),
            approver_id: Some(boss),
            next_review_due: "2031-03-01".into(),
        };
        ws.write(|tx, now| policies::approve(tx, now, p.id, &a)).unwrap();
    }
    drop(ws);
    let ws = s.on("2026-06-01");
    let c = check(&ws, "policies", "2026-06-01");
    assert_eq!(c.verdict, Verdict::Fail);
    assert!(problems(&c).iter().any(|p| p.contains("its review was due on 2022-03-01")), "{:?}", problems(&c));
    // A renamed policy still covers what it covers; a retired one does not.
    let isp = all.iter().find(|p| p.title == "Information Security Policy").unwrap();
    let renamed = policies::PolicyInput {
        title: "Security Programme Charter".into(),
        status: policies::PolicyStatus::Approved,
        ..Default::default()
    };
    ws.write(|tx, now| policies::update(tx, now, isp.id, &renamed)).unwrap();
    let c = check(&ws, "policies", "2026-06-01");
    assert!(!problems(&c).iter().any(|p| p.starts_with("No policy covers information security")), "{:?}", problems(&c));
    let retire = policies::PolicyInput {
        title: "Security Programme Charter".into(),
        status: policies::PolicyStatus::Retired,
        ..Default::default()
    };
    ws.write(|tx, now| policies::update(tx, now, isp.id, &retire)).unwrap();
    let c = check(&ws, "policies", "2026-06-01");
    assert!(problems(&c).iter().any(|p| p.starts_with("No policy covers information security")), "{:?}", problems(&c));
    // Everyone active acknowledges the approved version.
    assert!(problems(&c).iter().any(|p| p.contains("have not acknowledged")), "{:?}", problems(&c));
}

#[test]
fn defect_06_every_open_risk_is_reviewed_and_expired_acceptances_fail() {
    let s = Story::new();
    let ws = s.on("2026-01-10");
    let owner = person(&ws, "Ann Lee", "2020-01-01", "");
    let mk = |title: &str, reviewed: &str, accept: bool| risks::RiskInput {
        title: title.into(),
        owner_id: Some(owner),
        inherent_likelihood: Some(2),
        inherent_impact: Some(2),
        treatment: accept.then_some(risks::Treatment::Accept),
        accepted_by_id: accept.then_some(owner),
        accepted_until: if accept { "2026-03-01".into() } else { String::new() },
        last_reviewed_on: reviewed.into(),
        ..Default::default()
    };
    ws.write(|tx, now| risks::create(tx, now, &mk("Reviewed", "2026-01-10", false))).unwrap();
    ws.write(|tx, now| risks::create(tx, now, &mk("Forgotten", "2025-01-10", false))).unwrap();
    ws.write(|tx, now| risks::create(tx, now, &mk("Accepted", "2026-01-10", true))).unwrap();
    let c = check(&ws, "risk", "2026-03-15");
    let p = problems(&c);
    assert!(p.iter().any(|x| x.contains("RISK-002") && x.contains("last reviewed on 2025-01-10")), "{p:?}");
    assert!(!p.iter().any(|x| x.contains("RISK-001 was last reviewed")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("acceptance of RISK-003 ended on 2026-03-01")), "{p:?}");
}

#[test]
fn defect_08_vendor_reports_opinions_type_i_and_bridge_letters() {
    let s = Story::new();
    let ws = s.on("2026-01-10");
    let v = ws
        .write(|tx, now| {
            vendors::create(
                tx,
                now,
                &vendors::VendorInput {
                    name: "CloudCo".into(),
                    criticality: Criticality::Critical,
                    security_clause: true,
                    ..Default::default()
                },
            )
        })
        .unwrap()
        .id;
    let report =
        |opinion: vendors::Opinion, kind: vendors::ReportType, end: &str, bridge: &str| vendors::Soc2ReportInput {
            report_type: kind,
            period_start: if kind == vendors::ReportType::Type2 { "2025-01-01".into() } else { String::new() },
            period_end: end.into(),
            opinion,
            bridge_letter_on: if bridge.is_empty() { String::new() } else { "2026-01-05".into() },
            bridge_covers_until: bridge.into(),
            ..Default::default()
        };
    let id = ws
        .write(|tx, now| {
            vendors::save_report(
                tx,
                now,
                v,
                None,
                &report(vendors::Opinion::Adverse, vendors::ReportType::Type2, "2025-12-31", ""),
            )
        })
        .unwrap()
        .id;
    let c = check(&ws, "vendors", "2026-02-01");
    assert!(problems(&c).iter().any(|p| p.contains("adverse opinion")), "{:?}", problems(&c));
    ws.write(|tx, now| {
        vendors::save_report(
            tx,
            now,
            v,
            Some(id),
            &report(vendors::Opinion::Qualified, vendors::ReportType::Type1, "2025-12-31", ""),
        )
    })
    .unwrap();
    let c = check(&ws, "vendors", "2026-02-01");
    let warnings: Vec<_> = c.findings.iter().filter(|f| !f.failing).map(|f| f.problem.clone()).collect();
    assert!(warnings.iter().any(|p| p.contains("qualified opinion")), "{warnings:?}");
    assert!(warnings.iter().any(|p| p.contains("Type I")), "{warnings:?}");
    // A bridge letter that claims two years counts for three months past the report's year.
    ws.write(|tx, now| {
        vendors::save_report(
            tx,
            now,
            v,
            Some(id),
            &report(vendors::Opinion::Unqualified, vendors::ReportType::Type2, "2025-12-31", "2027-12-31"),
        )
    })
    .unwrap();
    assert!(problems(&check(&ws, "vendors", "2027-03-31")).iter().all(|p| !p.contains("coverage ended")));
    assert!(problems(&check(&ws, "vendors", "2027-04-01")).iter().any(|p| p.contains("coverage ended on 2027-03-31")));
}

#[test]
fn defect_09_quarters_never_end_in_a_stub() {
    let s = Story::new();
    let ws = s.on("2025-08-29");
    type2(&ws, "2025-08-29", "2026-08-28");
    let aws = system(
        &ws,
        systems::SystemInput { name: "AWS".into(), criticality: Criticality::Critical, ..Default::default() },
    );
    let c = check(&ws, "access_reviews", "2026-08-29");
    let periods: Vec<String> = c.findings.iter().filter_map(|f| f.period.map(|p| p.text())).collect();
    assert_eq!(
        periods,
        [
            "2025-08-29 to 2025-11-28",
            "2025-11-29 to 2026-02-27",
            "2026-02-28 to 2026-05-28",
            "2026-05-29 to 2026-08-28"
        ],
        "four quarters of the window, no one-day stub"
    );
    let _ = aws;
}

#[test]
fn defect_10_changes_not_tested_no_rollback_and_an_empty_population() {
    let s = Story::new();
    let ws = s.on("2026-05-01");
    let c = check(&ws, "changes", "2026-05-01");
    assert!(
        c.findings.iter().any(|f| !f.failing && f.problem.contains("auditor will ask for the population")),
        "{:?}",
        problems(&c)
    );
    let a = person(&ws, "Ann Lee", "2020-01-01", "");
    let b = person(&ws, "Bob Hart", "2020-01-01", "");
    let input = changes::ChangeInput {
        title: "Deploy".into(),
        author_id: Some(a),
        approver_id: Some(b),
        approved_at: "2026-04-01 09:00".into(),
        deployed_at: "2026-04-01 10:00".into(),
        tested: false,
        rollback_plan: String::new(),
        ..Default::default()
    };
    ws.write(|tx, now| changes::create(tx, now, &input)).unwrap();
    let c = check(&ws, "changes", "2026-05-01");
    assert!(
        c.findings.iter().any(|f| f.failing && f.problem.contains("without a recorded test")),
        "{:?}",
        problems(&c)
    );
    assert!(c.findings.iter().any(|f| !f.failing && f.problem.contains("No rollback plan")), "{:?}", problems(&c));
}

#[test]
fn defect_11_a_disposal_never_done_fails_and_defect_15_evidence_is_required() {
    let s = Story::new();
    let ws = s.on("2026-03-01");
    let input = retention::DataTypeInput {
        name: "Support tickets".into(),
        retention_unit: retention::RetentionUnit::Months,
        retention_value: Some(12),
        disposal_cadence: risks::ReviewCadence::Monthly,
        ..Default::default()
    };
    let dt = ws.write(|tx, now| retention::create(tx, now, &input)).unwrap().id;
    let c = check(&ws, "retention", "2026-03-01");
    assert!(c.findings.iter().any(|f| f.failing && f.problem.contains("no recorded disposal")), "{:?}", problems(&c));
    let dir = ws.attachments_dir();
    let d = retention::DisposalInput {
        performed_on: "2026-03-01".into(),
        performed_by_id: None,
        what: "Old tickets".into(),
    };
    ws.write(|tx, now| retention::add_disposal(tx, now, &dir, dt, &d, None)).unwrap();
    let c = check(&ws, "retention", "2026-03-01");
    assert!(c.findings.iter().any(|f| f.failing && f.problem.contains("has no evidence")), "{:?}", problems(&c));
    let aws = system(
        &ws,
        systems::SystemInput { name: "AWS".into(), criticality: Criticality::Critical, ..Default::default() },
    );
    access_review(&ws, aws, "2026-02-20", false);
    let c = check(&ws, "access_reviews", "2026-03-01");
    assert!(c.findings.iter().any(|f| f.failing && f.problem.contains("has no evidence")), "{:?}", problems(&c));
    access_review(&ws, aws, "2026-02-21", true);
    assert_eq!(check(&ws, "access_reviews", "2026-03-01").verdict, Verdict::Pass);
}

#[test]
fn defect_12_leaver_findings_belong_to_the_system_owner() {
    let s = Story::new();
    let ws = s.on("2026-03-01");
    let owner = person(&ws, "Olga Owner", "2020-01-01", "");
    system(
        &ws,
        systems::SystemInput {
            name: "GitHub".into(),
            owner_id: Some(owner),
            criticality: Criticality::High,
            ..Default::default()
        },
    );
    person(&ws, "Leo Leaver", "2020-01-01", "2026-02-10");
    let c = check(&ws, "leavers", "2026-03-01");
    let f = c.findings.iter().find(|f| f.failing).expect("a finding");
    assert_eq!(f.record.title, "GitHub");
    assert_eq!(f.owner.as_deref(), Some("Olga Owner"), "the owner of the system removes the access");
    assert!(f.problem.contains("Leo Leaver"));
}

#[test]
fn defect_14_a_monthly_review_done_yesterday_is_not_due_soon() {
    let s = Story::new();
    let ws = s.on("2026-05-01");
    let aws = system(
        &ws,
        systems::SystemInput {
            name: "AWS".into(),
            criticality: Criticality::Critical,
            logs_forwarded: true,
            alerting: true,
            ..Default::default()
        },
    );
    let dir = ws.attachments_dir();
    let r = systems::LogReviewInput { performed_on: "2026-04-30".into(), performed_by_id: None, notes: "Fine.".into() };
    let log: &[u8] = b"alerts reviewed\n";
    ws.write(|tx, now| systems::add_log_review(tx, now, &dir, aws, &r, Some(Upload::bytes("review.txt", log))))
        .unwrap();
    assert_eq!(check(&ws, "logging", "2026-05-01").verdict, Verdict::Pass, "the day after a monthly review");
    // Due on 2026-05-31 (31 days): the warning starts a third of the interval before.
    assert_eq!(check(&ws, "logging", "2026-05-20").verdict, Verdict::Pass);
    assert_eq!(check(&ws, "logging", "2026-05-22").verdict, Verdict::Warn);
}

#[test]
fn linked_registers_are_occurrences_of_their_controls_and_missed_periods_are_exceptions() {
    let s = Story::new();
    let ws = s.on("2026-01-02");
    type2(&ws, "2026-01-01", "2026-12-31");
    let ac05 = control(&ws, "AC-05", Cadence::Quarterly, &["CC6.2"], Some(vec![OccurrenceSource::AccessReviews]));
    let aws = system(
        &ws,
        systems::SystemInput { name: "AWS".into(), criticality: Criticality::Critical, ..Default::default() },
    );
    drop(ws);
    let ws = s.on("2026-05-15");
    access_review(&ws, aws, "2026-02-10", true);
    let t = ws.read(|c| readiness::controls::timeline(c, ac05, day("2026-07-15"))).unwrap();
    let states: Vec<PeriodState> = t.periods.iter().map(|p| p.state).collect();
    assert_eq!(states, [PeriodState::Met, PeriodState::Missed, PeriodState::Due, PeriodState::NotYet]);
    assert_eq!(t.periods[0].occurrences[0].what, "Access review of AWS");
    // The missed quarter is an exception the user can answer; the answer shows everywhere.
    let key = t.periods[1].exception.clone().expect("a Type II exception");
    let list = ws.read(|c| readiness::exceptions::list(c, day("2026-07-15"))).unwrap();
    assert!(list.iter().any(|e| e.key == key && e.response.is_none()), "{list:?}");
    let input = readiness::exceptions::ExceptionResponseInput {
        key: key.clone(),
        management_response: "The reviewer was on leave; the review was done late in July.".into(),
        remediation: "A second reviewer is named for each system.".into(),
        ..Default::default()
    };
    ws.write(|tx, now| readiness::exceptions::respond(tx, now, day("2026-07-15"), &input)).unwrap();
    let c = check(&ws, "coverage", "2026-07-15");
    let f = c.findings.iter().find(|f| f.exception.as_deref() == Some(key.as_str())).unwrap();
    assert!(f.response.as_ref().unwrap().management_response.contains("on leave"));
    // A response to an exception that does not exist is refused, and nothing is written.
    let bad = readiness::exceptions::ExceptionResponseInput {
        key: "coverage:control:999:2026-01-01".into(),
        management_response: "x".into(),
        ..Default::default()
    };
    let err = ws.write(|tx, now| readiness::exceptions::respond(tx, now, day("2026-07-15"), &bad)).unwrap_err();
    assert_eq!(err.code, readyroom_core::ErrorCode::NotFound);
    let n: i64 = ws.read(|c| Ok(c.query_row("SELECT count(*) FROM exception_responses", [], |r| r.get(0))?)).unwrap();
    assert_eq!(n, 1);
    let _ = s.path();
}

/// Plans, runs on `held` (09:00 UTC) and completes an exercise; with or without its report.
fn exercise(s: &Story, planned: &str, held: &str, report: bool, action_due: Option<&str>) -> i64 {
    use chrono::{Duration, TimeZone, Utc};
    use readyroom_core::tabletop::exercises::{
        self, CorrectiveActionInput, DebriefInput, ParticipantInput, PlanInput, ScriptRef,
    };
    let ws = s.on(planned);
    let lead = person(&ws, &format!("Lead {planned}"), "2020-01-01", "");
    let plan = PlanInput {
        script: ScriptRef::BuiltIn("lost-laptop".into()),
        title: String::new(),
        planned_on: planned.into(),
        facilitator_id: Some(lead),
        participants: vec![ParticipantInput { person_id: lead, role: "Lead".into() }],
    };
    let id = ws.write(|tx, now| exercises::plan(tx, now, &plan)).unwrap().summary.id;
    drop(ws);
    let ws = s.on(held);
    let t0 = Utc.from_utc_datetime(&day(held).and_hms_opt(9, 0, 0).unwrap());
    ws.write(|tx, _| exercises::start(tx, t0, id)).unwrap();
    ws.write(|tx, _| exercises::set_attendance(tx, t0, id, lead, true)).unwrap();
    if report {
        let script_questions = ws.read(|c| exercises::get(c, id, t0)).unwrap().script.hot_wash.len();
        let debrief = DebriefInput {
            hot_wash_answers: vec!["We knew who to call.".into(); script_questions.max(1)],
            strengths: "Fast lock.".into(),
            improvements: "Exports on laptops.".into(),
        };
        ws.write(|tx, _| exercises::save_debrief(tx, t0, id, &debrief)).unwrap();
    }
    if let Some(due) = action_due {
        let a = CorrectiveActionInput {
            title: "Fix it".into(),
            owner_id: Some(lead),
            due_date: due.into(),
            ..Default::default()
        };
        ws.write(|tx, _| exercises::add_corrective_action(tx, t0, id, &a)).unwrap();
    }
    ws.write(|tx, _| exercises::complete(tx, t0 + Duration::minutes(60), id)).unwrap();
    id
}

#[test]
fn defect_07_an_exercise_counts_from_the_day_held_with_its_report_and_every_exercises_actions() {
    let s = Story::new();
    // Planned for January, held in March: it counts from March.
    exercise(&s, "2025-01-10", "2025-03-10", true, Some("2025-06-01"));
    let ws = s.on("2025-03-11");
    let c = check(&ws, "incident_response", "2026-02-01");
    assert!(
        !problems(&c).iter().any(|p| p.contains("next was due")),
        "held 2025-03-10, due 2026-03-10: {:?}",
        problems(&c)
    );
    let c = check(&ws, "incident_response", "2026-03-11");
    assert!(problems(&c).iter().any(|p| p.contains("held on 2025-03-10")), "{:?}", problems(&c));
    drop(ws);
    // A later exercise completed without its report does not count; the first one's overdue
    // action still fails the check.
    exercise(&s, "2025-09-01", "2025-09-02", false, None);
    let ws = s.on("2025-09-03");
    let c = check(&ws, "incident_response", "2025-09-03");
    let p = problems(&c);
    assert!(p.iter().any(|x| x.contains("without its after-action report")), "{p:?}");
    assert!(p.iter().any(|x| x.contains("was due on 2025-06-01")), "{p:?}");
}

#[test]
fn a_bridge_letter_counts_from_its_date_not_before() {
    let s = Story::new();
    let ws = s.on("2025-03-01");
    let input = vendors::VendorInput {
        name: "CloudCo".into(),
        criticality: Criticality::Critical,
        security_clause: true,
        ..Default::default()
    };
    let v = ws.write(|tx, now| vendors::create(tx, now, &input)).unwrap().id;
    let mut report = vendors::Soc2ReportInput {
        report_type: vendors::ReportType::Type2,
        period_start: "2024-02-01".into(),
        period_end: "2025-01-31".into(),
        opinion: vendors::Opinion::Unqualified,
        ..Default::default()
    };
    let id = ws.write(|tx, now| vendors::save_report(tx, now, v, None, &report)).unwrap().id;
    drop(ws);
    // The report's year ends on 2026-01-31; the bridge letter comes ten days later.
    report.bridge_letter_on = "2026-02-10".into();
    report.bridge_covers_until = "2026-04-30".into();
    let ws = s.on("2026-02-10");
    ws.write(|tx, now| vendors::save_report(tx, now, v, Some(id), &report)).unwrap();
    let before = problems(&check(&ws, "vendors", "2026-02-05"));
    assert!(before.iter().any(|p| p.contains("coverage ended on 2026-01-31")), "{before:?}");
    let after = problems(&check(&ws, "vendors", "2026-02-10"));
    assert!(after.iter().all(|p| !p.contains("coverage ended")), "{after:?}");
}
