//! The operational registers on real workspace files: systems (gaps, certificates, data types,
//! log reviews), the retention schedule and disposals, access reviews with the access-list
//! difference, training status and sessions, leavers' deprovisioning, and changes.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use common::{open, temp_workspace};
use readyroom_core::access_reviews::{self, AccessReviewInput, AccountChangeKind};
use readyroom_core::changes::{self, ChangeFlagKind, ChangeInput, ChangeQuery};
use readyroom_core::csv_import::ImportOptions;
use readyroom_core::evidence::Upload;
use readyroom_core::leavers::{self, DeprovisionInput, DeprovisionState};
use readyroom_core::people::{self, PersonInput};
use readyroom_core::retention::{self, DataTypeInput, DisposalInput, RetentionUnit};
use readyroom_core::risks::ReviewCadence;
use readyroom_core::systems::{self, Certificate, LogReviewInput, SystemInput, SystemQuery};
use readyroom_core::training::{self, CourseInput, SessionInput, TrainingState};
use readyroom_core::vendors::Criticality;
use readyroom_core::Workspace;
use readyroom_core::{registers, Register};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn today() -> NaiveDate {
    day("2026-11-26")
}

fn now() -> NaiveDateTime {
    day("2026-11-26").and_hms_opt(9, 30, 0).unwrap()
}

fn person(ws: &Workspace, name: &str, start: &str, end: &str) -> i64 {
    let email = format!("{}@acme.test", name.to_lowercase().replace(' ', "."));
    let input =
        PersonInput { name: name.into(), email, start_date: start.into(), end_date: end.into(), ..Default::default() };
    ws.write(|tx, now| people::create(tx, now, &input)).unwrap().id
}

fn system(ws: &Workspace, name: &str, criticality: Criticality) -> i64 {
    let input = SystemInput {
        name: name.into(),
        criticality,
        role_based_access: true,
        mfa_enforced: true,
        logs_forwarded: true,
        alerting: true,
        ..Default::default()
    };
    ws.write(|tx, now| systems::create(tx, now, &input)).unwrap().id
}

fn fields(err: &readyroom_core::Error) -> Vec<&str> {
    err.fields.iter().map(|f| f.field.as_str()).collect()
}

#[test]
fn systems_show_their_gaps_certificates_and_data_types() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let customers = ws
        .write(|tx, now| {
            retention::create(
                tx,
                now,
                &DataTypeInput {
                    name: "Customer records".into(),
                    retention_unit: RetentionUnit::AfterCustomer,
                    retention_value: Some(30),
                    ..Default::default()
                },
            )
        })
        .unwrap();
    let input = SystemInput {
        name: "Production database".into(),
        criticality: Criticality::Critical,
        holds_customer_data: true,
        data_type_ids: vec![customers.id],
        tls_in_transit: true,
        tls_min_version: "1.1".into(),
        certificates: vec![
            Certificate { name: "db.acme.test".into(), expires_on: "2026-12-10".into() },
            Certificate { name: "old.acme.test".into(), expires_on: "2026-11-01".into() },
        ],
        ..Default::default()
    };
    let s = ws.write(|tx, now| systems::create(tx, now, &input)).unwrap();
    assert_eq!(s.data_types[0].name, "Customer records");
    assert!(s.certificates.iter().any(|c| c.name == "db.acme.test" && c.expiring_soon && !c.expired));
    assert!(s.certificates.iter().any(|c| c.name == "old.acme.test" && c.expired));
    for gap in [
        "No role-based access.",
        "MFA is not enforced on a critical or high system.",
        "Customer data is not encrypted at rest.",
        "TLS 1.1 is still accepted; require 1.2 or later.",
        "Logs are not forwarded centrally.",
        "Certificate old.acme.test expired on 2026-11-01.",
        "Certificate db.acme.test expires on 2026-12-10.",
    ] {
        assert!(s.gaps.iter().any(|g| g == gap), "{gap} in {:?}", s.gaps);
    }
    let dt = ws.read(|c| retention::get(c, customers.id, today())).unwrap();
    assert_eq!(dt.systems[0].name, "Production database", "the link shows on both sides");

    let bad = SystemInput {
        name: "production DATABASE".into(),
        shared_accounts: true,
        tls_in_transit: true,
        tls_min_version: "2.0".into(),
        certificates: vec![Certificate { name: "".into(), expires_on: "soon".into() }],
        ..Default::default()
    };
    let err = ws.write(|tx, now| systems::create(tx, now, &bad)).unwrap_err();
    assert_eq!(fields(&err), ["name", "shared_accounts_reason", "tls_min_version", "certificates.0"]);

    let review =
        LogReviewInput { performed_on: "2026-11-20".into(), performed_by_id: None, notes: "Weekly review".into() };
    let dir = ws.attachments_dir();
    ws.write(|tx, now| {
        systems::add_log_review(tx, now, &dir, s.id, &review, Some(Upload::bytes("siem-export.csv", b"a,b\n")))
    })
    .unwrap();
    let detail = ws.read(|c| systems::detail(c, s.id, today())).unwrap();
    assert_eq!(detail.system.last_log_review, Some(day("2026-11-20")));
    assert_eq!(detail.log_reviews[0].evidence[0].file_name, "siem-export.csv");
    let gaps_only = SystemQuery { gaps_only: true, ..Default::default() };
    assert_eq!(ws.read(|c| systems::list(c, &gaps_only, today())).unwrap().len(), 1);

    // CSV round trip.
    let csv = ws.read(|c| registers::export_csv(c, Register::Systems)).unwrap();
    assert!(csv.contains("Customer records") && csv.contains("db.acme.test=2026-12-10"), "{csv}");
    let again = registers::import_csv_into(
        &ws,
        Register::Systems,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.unchanged, again.errors.len()), (1, 0), "{:?}", again.errors);
    let bad_csv = "name,criticality,mfa_enforced,data_types\r\nCRM,vital,maybe,Unknown type\r\n";
    let report = registers::import_csv_into(
        &ws,
        Register::Systems,
        bad_csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    let cols: Vec<_> = report.errors.iter().filter_map(|e| e.column.as_deref()).collect();
    assert_eq!(cols, ["criticality", "data_types", "mfa_enforced"], "in the order of the columns");
}

#[test]
fn retention_next_disposal_and_csv() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let logs = DataTypeInput {
        name: "Application logs".into(),
        retention_unit: RetentionUnit::Months,
        retention_value: Some(13),
        legal_basis: "Security monitoring".into(),
        disposal_method: "Automatic expiry in the log store".into(),
        disposal_cadence: ReviewCadence::Quarterly,
        ..Default::default()
    };
    let dt = ws.write(|tx, now| retention::create(tx, now, &logs)).unwrap();
    assert_eq!(dt.retention, "13 months");
    assert_eq!(dt.next_disposal_due, Some(day("2027-02-26")), "one cadence after it was added");
    let disposal = DisposalInput {
        performed_on: "2026-11-01".into(),
        performed_by_id: None,
        what: "Purged logs before October 2025".into(),
    };
    let dir = ws.attachments_dir();
    ws.write(|tx, now| retention::add_disposal(tx, now, &dir, dt.id, &disposal, None)).unwrap();
    let after = ws.read(|c| retention::get(c, dt.id, today())).unwrap();
    assert_eq!(after.next_disposal_due, Some(day("2027-02-01")));
    assert!(!after.disposal_overdue);
    assert!(ws.read(|c| retention::get(c, dt.id, day("2027-02-02"))).unwrap().disposal_overdue);
    let missing = DataTypeInput { name: "Backups".into(), ..Default::default() };
    assert_eq!(fields(&ws.write(|tx, now| retention::create(tx, now, &missing)).unwrap_err()), ["retention_value"]);
    let csv = ws.read(|c| registers::export_csv(c, Register::Retention)).unwrap();
    let again = registers::import_csv_into(
        &ws,
        Register::Retention,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.unchanged, again.errors.len()), (1, 0), "{:?}", again.errors);
    assert_eq!(retention::retention_text(RetentionUnit::Years, 1), "1 year");
}

#[test]
fn an_access_review_keeps_the_list_difference() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let aws = system(&ws, "AWS", Criticality::Critical);
    let reviewer = person(&ws, "Rita Reviewer", "2024-01-01", "");
    let q3 = "username,role\nalice,admin\nbob,developer\ncarol,readonly\n";
    let q4 = "username,role\nALICE ,admin\nbob,admin\ndave,readonly\n";
    // Read from the files the user picked, as the app does; the same difference as the bytes.
    let dir = tempfile::tempdir().unwrap();
    let (before, after) = (dir.path().join("q3.csv"), dir.path().join("q4.csv"));
    std::fs::write(&before, q3).unwrap();
    std::fs::write(&after, q4).unwrap();
    let diff = access_reviews::diff_files(&before, &after).unwrap();
    assert_eq!(diff, access_reviews::diff_lists(q3.as_bytes(), q4.as_bytes()));
    assert_eq!(diff.changes.len(), 3);
    let missing = access_reviews::diff_files(&before, &dir.path().join("gone.csv")).unwrap_err();
    assert_eq!(missing.code, readyroom_core::ErrorCode::Io);
    assert!(missing.message.contains("current export") && missing.message.contains("gone.csv"), "{missing:?}");
    let input = AccessReviewInput {
        system_id: Some(aws),
        reviewer_id: Some(reviewer),
        performed_on: "2026-10-05".into(),
        period_start: "2026-07-01".into(),
        period_end: "2026-09-30".into(),
        accounts_reviewed: Some(diff.current_accounts),
        accounts_changed: Some(1),
        findings: "Bob's admin role confirmed with his manager; carol removed on time.".into(),
        changes: diff.changes.clone(),
    };
    let dir = ws.attachments_dir();
    let r = ws
        .write(|tx, now| {
            access_reviews::create(tx, now, &dir, &input, Some(Upload::bytes("aws-q4.csv", q4.as_bytes())))
        })
        .unwrap();
    assert_eq!(r.changes.len(), 3);
    assert!(r.changes.iter().any(|c| c.change == AccountChangeKind::RoleChanged && c.username == "bob"));
    assert_eq!(r.evidence[0].file_name, "aws-q4.csv");
    assert_eq!(ws.read(|c| systems::get(c, aws, today())).unwrap().last_access_review, Some(day("2026-10-05")));
    let bad = AccessReviewInput {
        system_id: None,
        performed_on: "2027-01-01".into(),
        period_start: "2026-10-01".into(),
        period_end: "2026-09-01".into(),
        ..input
    };
    let err = ws.write(|tx, now| access_reviews::create(tx, now, &dir, &bad, None)).unwrap_err();
    assert_eq!(fields(&err), ["system_id", "performed_on", "period_end"]);
    // The CSV carries the review and its evidence; the account differences stay in the app.
    let csv = ws.read(|c| registers::export_csv(c, Register::AccessReviews)).unwrap();
    assert_eq!(
        csv.lines().nth(1).unwrap(),
        "AWS,2026-10-05,rita.reviewer@acme.test,2026-07-01,2026-09-30,3,1,Bob's admin role confirmed with his manager; carol removed on time.,aws-q4.csv,,",
        "{csv}"
    );
    // Importing it back finds the review and changes nothing.
    let again = registers::import_csv_into(&ws, Register::AccessReviews, csv.as_bytes(), ImportOptions::APPLY).unwrap();
    assert_eq!((again.created, again.unchanged, again.error_count), (0, 1, 0), "{:?}", again.errors);
}

#[test]
fn training_session_and_statuses() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let course = ws
        .write(|tx, now| {
            training::create_course(
                tx,
                now,
                &CourseInput {
                    name: "Security awareness".into(),
                    description: String::new(),
                    validity_days: None,
                    required: true,
                },
            )
        })
        .unwrap();
    assert_eq!(course.validity_days, 365);
    let ann = person(&ws, "Ann Long", "2020-01-01", "");
    let ben = person(&ws, "Ben New", "2026-11-22", "");
    let cal = person(&ws, "Cal Late", "2026-11-10", "");
    let dee = person(&ws, "Dee Due", "2020-01-01", "");
    person(&ws, "Eve Gone", "2020-01-01", "2026-06-30");
    let dir = ws.attachments_dir();
    let session = SessionInput { course_id: Some(course.id), completed_on: "2026-11-20".into(), person_ids: vec![ann] };
    assert_eq!(
        ws.write(|tx, now| training::record_session(
            tx,
            now,
            &dir,
            &session,
            Some(Upload::bytes("sheet.pdf", b"%PDF"))
        ))
        .unwrap(),
        1
    );
    let old = SessionInput { course_id: Some(course.id), completed_on: "2025-12-10".into(), person_ids: vec![dee] };
    ws.write(|tx, now| training::record_session(tx, now, &dir, &old, None)).unwrap();
    let o = ws.read(|c| training::overview(c, today())).unwrap();
    let state = |id: i64| o.people.iter().find(|p| p.person.id == id).map(|p| p.state);
    assert_eq!(state(ann), Some(TrainingState::Current));
    assert_eq!(state(ben), Some(TrainingState::DueSoon), "started 4 days ago: 3 days left");
    assert_eq!(state(cal), Some(TrainingState::NewHireOverdue));
    assert_eq!(state(dee), Some(TrainingState::DueSoon), "due 2026-12-10");
    assert_eq!(o.people.len(), 4, "leavers are not listed");
    assert_eq!((o.current, o.due_soon, o.overdue, o.new_hire_overdue), (1, 2, 0, 1));
    // Recording the same session twice adds nothing; a bulk session covers several people.
    assert_eq!(ws.write(|tx, now| training::record_session(tx, now, &dir, &session, None)).unwrap(), 0);
    let bulk =
        SessionInput { course_id: Some(course.id), completed_on: "2026-11-25".into(), person_ids: vec![ben, cal, dee] };
    assert_eq!(ws.write(|tx, now| training::record_session(tx, now, &dir, &bulk, None)).unwrap(), 3);
    let o = ws.read(|c| training::overview(c, today())).unwrap();
    assert_eq!(o.current, 4);
    let bad = SessionInput { course_id: None, completed_on: "2026-12-01".into(), person_ids: vec![] };
    let err = ws.write(|tx, now| training::record_session(tx, now, &dir, &bad, None)).unwrap_err();
    assert_eq!(fields(&err), ["course_id", "completed_on", "person_ids"]);

    let csv = "email,course,completed_on\nann.long@acme.test,Security awareness,2025-11-20\nnobody@acme.test,Security awareness,2026-01-01\nann.long@acme.test,Phishing 101,2026-01-01\n";
    let report = registers::import_csv_into(
        &ws,
        Register::Training,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    let at: Vec<_> = report.errors.iter().map(|e| (e.line, e.column.clone().unwrap_or_default())).collect();
    assert_eq!(at, [(3, "email".to_owned()), (4, "course".to_owned())]);
    let exported = ws.read(|c| registers::export_csv(c, Register::Training)).unwrap();
    let again = registers::import_csv_into(
        &ws,
        Register::Training,
        exported.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.created, again.unchanged), (0, 5));
}

#[test]
fn leavers_deprovisioning_across_a_weekend() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let aws = system(&ws, "AWS", Criticality::Critical);
    let github = system(&ws, "GitHub", Criticality::High);
    // Left on Friday 2026-11-20: the deadline is Monday 2026-11-23.
    let fay = person(&ws, "Fay Friday", "2022-01-01", "2026-11-20");
    let record = |system_id, removed_on: &str, no_access| {
        ws.write(|tx, now| {
            leavers::record(
                tx,
                now,
                &DeprovisionInput { person_id: fay, system_id, removed_on: removed_on.into(), no_access },
            )
        })
    };
    record(aws, "2026-11-23", false).unwrap();
    let list = ws.read(|c| leavers::list(c, today(), 14)).unwrap();
    assert_eq!(list[0].deadline, day("2026-11-23"));
    let by = |l: &leavers::Leaver, id| l.systems.iter().find(|s| s.system.id == id).unwrap().state;
    assert_eq!(by(&list[0], aws), DeprovisionState::OnTime);
    assert_eq!(by(&list[0], github), DeprovisionState::Overdue);
    assert!(list[0].late && !list[0].complete);
    record(github, "2026-11-24", false).unwrap();
    let list = ws.read(|c| leavers::list(c, today(), 14)).unwrap();
    assert_eq!(by(&list[0], github), DeprovisionState::Late);
    assert!(list[0].complete);
    record(github, "", true).unwrap();
    assert_eq!(by(&ws.read(|c| leavers::list(c, today(), 14)).unwrap()[0], github), DeprovisionState::NoAccess);
    let err = record(aws, "2026-11-30", false).unwrap_err();
    assert_eq!(fields(&err), ["removed_on"], "not in the future");
    let stayer = person(&ws, "Sam Stays", "2022-01-01", "");
    let err = ws
        .write(|tx, now| {
            leavers::record(
                tx,
                now,
                &DeprovisionInput {
                    person_id: stayer,
                    system_id: aws,
                    removed_on: "2026-11-20".into(),
                    no_access: false,
                },
            )
        })
        .unwrap_err();
    assert!(err.fields[0].message.contains("no end date"));
    let csv = ws.read(|c| registers::export_csv(c, Register::Leavers)).unwrap();
    let again = registers::import_csv_into(
        &ws,
        Register::Leavers,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.unchanged, again.errors.len()), (2, 0), "{:?}", again.errors);
    let history = ws.read(|c| people::history(c, fay)).unwrap();
    assert!(history.iter().any(|h| h.changes.iter().any(|c| c.field == "access_removed")));
}

#[test]
fn changes_need_an_approver_other_than_the_author() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let aws = system(&ws, "AWS", Criticality::Critical);
    let dev = person(&ws, "Dan Dev", "2022-01-01", "");
    let lead = person(&ws, "Lee Lead", "2022-01-01", "");
    let own = ChangeInput {
        title: "Rotate database credentials".into(),
        system_id: Some(aws),
        author_id: Some(dev),
        approver_id: Some(dev),
        approved_at: "2026-11-20 09:00".into(),
        deployed_at: "2026-11-20 10:00".into(),
        ..Default::default()
    };
    let err = ws.write(|tx, now| changes::create(tx, now, &own)).unwrap_err();
    assert_eq!(fields(&err), ["approver_id"]);
    assert!(err.fields[0].message.contains("someone other than the author"));
    assert_eq!(ws.read(|c| changes::list(c, &ChangeQuery::default(), now())).unwrap().total, 0);

    let ok = ChangeInput {
        approver_id: Some(lead),
        tested: true,
        test_notes: "CI green, staging check".into(),
        rollback_plan: "Restore previous secret version".into(),
        ..own
    };
    let c = ws.write(|tx, now| changes::create(tx, now, &ok)).unwrap();
    assert_eq!(c.reference, "CHG-0001");
    assert!(c.flags.is_empty(), "{:?}", c.flags);
    let emergency = ChangeInput {
        title: "Hotfix login outage".into(),
        author_id: Some(dev),
        emergency: true,
        deployed_at: "2026-11-24 22:00".into(),
        ..Default::default()
    };
    let e = ws.write(|tx, now| changes::create(tx, now, &emergency)).unwrap();
    let kinds: Vec<_> = e.flags.iter().map(|f| f.kind).collect();
    assert!(kinds.contains(&ChangeFlagKind::EmergencyApprovalLate), "{kinds:?}");
    let in_time = ws.read(|c| changes::get(c, e.id, day("2026-11-25").and_hms_opt(12, 0, 0).unwrap())).unwrap();
    assert!(in_time.flags.iter().any(|f| f.kind == ChangeFlagKind::EmergencyApprovalDue));

    // A month of merged pull requests, pasted as exported.
    let prs = "number,title,author,reviewer,merged_at,tested,test_notes\r\n\
               PR-101,Add rate limiting,dan.dev@acme.test,lee.lead@acme.test,2026-11-02T10:15:00Z,yes,CI\r\n\
               PR-102,Self-merged fix,dan.dev@acme.test,dan.dev@acme.test,2026-11-03T11:00:00Z,yes,CI\r\n";
    let report = registers::import_csv_into(
        &ws,
        Register::Changes,
        prs.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!(report.errors.len(), 1);
    assert_eq!((report.errors[0].line, report.errors[0].column.as_deref()), (3, Some("approver_email")));
    let fixed = prs.replace(
        "PR-102,Self-merged fix,dan.dev@acme.test,dan.dev@acme.test",
        "PR-102,Self-merged fix,dan.dev@acme.test,lee.lead@acme.test",
    );
    let report = registers::import_csv_into(
        &ws,
        Register::Changes,
        fixed.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!(report.created, 2, "{:?}", report.errors);
    let exported = ws.read(|c| registers::export_csv(c, Register::Changes)).unwrap();
    let again = registers::import_csv_into(
        &ws,
        Register::Changes,
        exported.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )
    .unwrap();
    assert_eq!((again.unchanged, again.errors.len()), (4, 0), "{:?}", again.errors);
    let flagged = ChangeQuery { flagged_only: true, ..Default::default() };
    assert_eq!(
        ws.read(|c| changes::list(c, &flagged, now())).unwrap().total,
        3,
        "emergency unapproved, two PRs without rollback plan"
    );
}
