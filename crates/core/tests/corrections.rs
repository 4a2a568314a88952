//! Dated records put right (issue 22): a correction rewrites a log review, disposal, activity or
//! vendor assessment and keeps the values before in its parent's history; a withdrawal keeps
//! the record, with when and why, and takes it out of every count, export and binder.

mod common;

use chrono::NaiveDate;
use common::{open_on, temp_workspace};
use readyroom_core::evidence::Upload;
use readyroom_core::history::HistoryEntry;
use readyroom_core::readiness::{self, CheckResult, Verdict};
use readyroom_core::refs::Criticality;
use readyroom_core::{controls, registers, retention, risks, systems, vendors, ErrorCode, Register, Workspace};

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn check(ws: &Workspace, key: &str, as_of: &str) -> CheckResult {
    ws.read(|c| readiness::check_all(c, day(as_of))).unwrap().checks.into_iter().find(|c| c.key == key).unwrap()
}

fn fields(e: &readyroom_core::Error) -> Vec<&str> {
    e.fields.iter().map(|f| f.field.as_str()).collect()
}

fn dump(ws: &Workspace, table: &str) -> Vec<String> {
    ws.read(|c| {
        let cols: Vec<String> = c
            .prepare(&format!("SELECT name FROM pragma_table_info('{table}')"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let expr = cols.iter().map(|c| format!("quote({c})")).collect::<Vec<_>>().join(" || '|' || ");
        Ok(c.prepare(&format!("SELECT {expr} FROM {table} ORDER BY rowid"))?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?)
    })
    .unwrap()
}

fn logged_system(ws: &Workspace) -> i64 {
    let input = systems::SystemInput {
        name: "AWS".into(),
        criticality: Criticality::Critical,
        logs_forwarded: true,
        alerting: true,
        ..Default::default()
    };
    ws.write(|tx, now| systems::create(tx, now, &input)).unwrap().id
}

fn system_history(ws: &Workspace, id: i64) -> Vec<HistoryEntry> {
    ws.read(|c| systems::detail(c, id, day("2026-05-01"))).unwrap().history
}

#[test]
fn correcting_a_log_reviews_date_changes_the_logging_check_and_keeps_the_old_date_in_history() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let aws = logged_system(&ws);
    let dir = ws.attachments_dir();
    // Typed as March instead of April: a monthly review looks overdue.
    let wrong = systems::LogReviewInput {
        performed_on: "2026-03-30".into(),
        performed_by_id: None,
        notes: "Alerts read".into(),
    };
    let review = ws
        .write(|tx, now| {
            systems::add_log_review(tx, now, &dir, aws, &wrong, Some(Upload::bytes("review.txt", b"alerts\n")))
        })
        .unwrap();
    assert_eq!(check(&ws, "logging", "2026-05-01").verdict, Verdict::Fail, "a review a month late");

    let right = systems::LogReviewInput { performed_on: "2026-04-30".into(), ..wrong.clone() };
    assert!(ws.write(|tx, now| systems::correct_log_review(tx, now, review.id, &right)).unwrap());
    assert_eq!(check(&ws, "logging", "2026-05-01").verdict, Verdict::Pass, "the corrected date counts");
    let detail = ws.read(|c| systems::detail(c, aws, day("2026-05-01"))).unwrap();
    assert_eq!(detail.log_reviews[0].performed_on, day("2026-04-30"));
    assert_eq!(detail.log_reviews[0].evidence.len(), 1, "its file stays with it");
    let last = &system_history(&ws, aws)[0];
    assert_eq!(last.changes[0].field, "log_review");
    assert_eq!(last.changes[0].old.as_deref(), Some("on 2026-03-30: Alerts read"));
    assert_eq!(last.changes[0].new.as_deref(), Some("on 2026-04-30: Alerts read"));

    // The same values again change nothing and record nothing.
    let entries = system_history(&ws, aws).len();
    assert!(!ws.write(|tx, now| systems::correct_log_review(tx, now, review.id, &right)).unwrap());
    assert_eq!(system_history(&ws, aws).len(), entries);
}

#[test]
fn a_bad_correction_is_refused_on_its_field_and_changes_nothing() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let aws = logged_system(&ws);
    let dir = ws.attachments_dir();
    let input =
        systems::LogReviewInput { performed_on: "2026-04-30".into(), performed_by_id: None, notes: String::new() };
    let review = ws.write(|tx, now| systems::add_log_review(tx, now, &dir, aws, &input, None)).unwrap();
    let before = (dump(&ws, "log_reviews"), dump(&ws, "history"));
    for (bad, field) in [
        (systems::LogReviewInput { performed_on: "2026-05-02".into(), ..input.clone() }, "performed_on"),
        (systems::LogReviewInput { performed_on: "30/04/2026".into(), ..input.clone() }, "performed_on"),
        (systems::LogReviewInput { performed_by_id: Some(9_999), ..input.clone() }, "performed_by_id"),
    ] {
        let err = ws.write(|tx, now| systems::correct_log_review(tx, now, review.id, &bad)).unwrap_err();
        assert_eq!(err.code, ErrorCode::Validation, "{bad:?}");
        assert_eq!(fields(&err), [field], "{bad:?}");
    }
    let err = ws.write(|tx, now| systems::correct_log_review(tx, now, 9_999, &input)).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!((dump(&ws, "log_reviews"), dump(&ws, "history")), before, "nothing changed");
}

#[test]
fn a_withdrawn_disposal_is_kept_struck_out_of_every_count_and_cannot_be_corrected() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-03-01").unwrap();
    let input = retention::DataTypeInput {
        name: "Support tickets".into(),
        retention_unit: retention::RetentionUnit::Months,
        retention_value: Some(12),
        disposal_cadence: risks::ReviewCadence::Monthly,
        ..Default::default()
    };
    let dt = ws.write(|tx, now| retention::create(tx, now, &input)).unwrap().id;
    let dir = ws.attachments_dir();
    let d = retention::DisposalInput {
        performed_on: "2026-03-01".into(),
        performed_by_id: None,
        what: "Old tickets".into(),
    };
    let disposal = ws
        .write(|tx, now| retention::add_disposal(tx, now, &dir, dt, &d, Some(Upload::bytes("purge.log", b"purged\n"))))
        .unwrap();
    assert!(!check(&ws, "retention", "2026-03-01").findings.iter().any(|f| f.failing), "disposed of, with evidence");
    let exported = ws.read(|c| registers::export_csv(c, Register::Disposals)).unwrap();
    assert!(exported.contains("Old tickets"));

    // A reason is required: refused on its field, nothing written.
    let before = (dump(&ws, "disposals"), dump(&ws, "history"));
    let err =
        ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Disposals, disposal.id, "  ")).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["reason"]));
    assert_eq!((dump(&ws, "disposals"), dump(&ws, "history")), before);
    // Records that are not dated cannot be withdrawn one by one.
    let err = ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Systems, 1, "typo")).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["register"]));

    ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Disposals, disposal.id, "Wrong data type"))
        .unwrap();
    let detail = ws.read(|c| retention::detail(c, dt, day("2026-03-01"))).unwrap();
    let kept = &detail.disposals[0];
    assert_eq!(kept.id, disposal.id, "kept");
    let w = kept.withdrawn.as_ref().expect("withdrawn");
    assert_eq!(w.reason, "Wrong data type");
    assert_eq!(kept.evidence.len(), 1, "its file stays with it");
    let h = &detail.history[0];
    assert_eq!(h.changes[0].old.as_deref(), Some("on 2026-03-01: Old tickets"));
    assert_eq!(h.changes[0].new.as_deref(), Some("withdrawn: Wrong data type"));
    // Out of the checks, on every date, and out of the export.
    for on in ["2026-03-01", "2026-03-15"] {
        let c = check(&ws, "retention", on);
        assert!(
            c.findings.iter().any(|f| f.failing && f.problem.contains("no recorded disposal")),
            "{on}: {:?}",
            c.findings
        );
    }
    let exported = ws.read(|c| registers::export_csv(c, Register::Disposals)).unwrap();
    assert!(!exported.contains("Old tickets"), "{exported}");
    assert_eq!(ws.read(|c| retention::get(c, dt, day("2026-03-01"))).unwrap().last_disposal, None);

    // Neither corrected nor withdrawn again.
    let before = (dump(&ws, "disposals"), dump(&ws, "history"));
    let err = ws.write(|tx, now| retention::correct_disposal(tx, now, disposal.id, &d)).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["performed_on"]));
    let err =
        ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Disposals, disposal.id, "again")).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["reason"]));
    assert_eq!((dump(&ws, "disposals"), dump(&ws, "history")), before);
}

#[test]
fn activities_and_vendor_assessments_are_corrected_and_withdrawn_alike() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let control = controls::ControlInput {
        reference: "OPS-1".into(),
        title: "Backups restored".into(),
        status: controls::ControlStatus::Implemented,
        ..Default::default()
    };
    let control = ws.write(|tx, now| controls::create(tx, now, &control)).unwrap().id;
    let a = controls::ActivityInput { performed_on: "2026-04-01".into(), performed_by: None, notes: "Restored".into() };
    let activity = ws.write(|tx, now| controls::add_activity(tx, now, control, &a)).unwrap();
    let fixed = controls::ActivityInput { notes: "Restored the March backup".into(), ..a.clone() };
    assert!(ws.write(|tx, now| controls::correct_activity(tx, now, activity.id, &fixed)).unwrap());
    let c = ws.read(|c| controls::detail(c, control)).unwrap();
    assert_eq!(c.activities[0].notes, "Restored the March backup");
    assert_eq!(c.history[0].changes[0].old.as_deref(), Some("on 2026-04-01: Restored"));
    assert_eq!(c.control.last_performed, Some(day("2026-04-01")));
    let reference = readyroom_core::evidence::ReferenceInput {
        reference: "TICKET-7".into(),
        description: "Restore log".into(),
        effective_date: "2026-04-01".into(),
        ..Default::default()
    };
    let target = readyroom_core::evidence::EvidenceTarget::Activity(activity.id);
    ws.write(|tx, now| readyroom_core::evidence::add_reference(tx, now, target, &reference)).unwrap();
    assert_eq!(ws.read(|c| controls::detail(c, control)).unwrap().evidence.len(), 1);
    ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Activities, activity.id, "Recorded twice"))
        .unwrap();
    let c = ws.read(|c| controls::detail(c, control)).unwrap();
    assert!(c.activities[0].withdrawn.is_some());
    assert!(c.evidence.is_empty(), "a withdrawn activity's evidence no longer counts for the control");
    assert_eq!(c.control.last_performed, None, "a withdrawn activity is not the last one performed");

    let v = vendors::VendorInput { name: "Stripe".into(), criticality: Criticality::High, ..Default::default() };
    let vendor = ws.write(|tx, now| vendors::create(tx, now, &v)).unwrap().id;
    let dir = ws.attachments_dir();
    let input = vendors::VendorAssessmentInput {
        performed_on: "2026-04-10".into(),
        performed_by_id: None,
        method: vendors::AssessmentMethod::Questionnaire,
        outcome: vendors::AssessmentOutcome::Approved,
        notes: String::new(),
    };
    let a = ws.write(|tx, now| vendors::add_assessment(tx, now, &dir, vendor, &input, None)).unwrap();
    let fixed =
        vendors::VendorAssessmentInput { outcome: vendors::AssessmentOutcome::ApprovedWithConditions, ..input.clone() };
    assert!(ws.write(|tx, now| vendors::correct_assessment(tx, now, a.id, &fixed)).unwrap());
    let d = ws.read(|c| vendors::detail(c, vendor, day("2026-05-01"))).unwrap();
    assert_eq!(d.assessments[0].outcome, vendors::AssessmentOutcome::ApprovedWithConditions);
    assert_eq!(d.history[0].changes[0].new.as_deref(), Some("on 2026-04-10: Questionnaire, Approved with conditions"));
    ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::VendorAssessments, a.id, "Another vendor's"))
        .unwrap();
    let d = ws.read(|c| vendors::detail(c, vendor, day("2026-05-01"))).unwrap();
    assert!(d.assessments[0].withdrawn.is_some());
    assert_eq!(d.vendor.last_assessed_on, None);
}

#[test]
fn a_training_completion_is_corrected_or_withdrawn_never_deleted_and_a_withdrawn_one_trains_nobody() {
    use readyroom_core::{people, training};
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let ann = ws
        .write(|tx, now| {
            let p = people::PersonInput {
                name: "Ann Lee".into(),
                email: "ann@acme.test".into(),
                start_date: "2026-01-05".into(),
                ..Default::default()
            };
            people::create(tx, now, &p)
        })
        .unwrap()
        .id;
    let course = training::CourseInput {
        name: "Security awareness".into(),
        description: String::new(),
        validity_days: Some(365),
        required: true,
    };
    let course = ws.write(|tx, now| training::create_course(tx, now, &course)).unwrap().id;
    let dir = ws.attachments_dir();
    for on in ["2026-02-10", "2026-03-10"] {
        let s = training::SessionInput { course_id: Some(course), completed_on: on.into(), person_ids: vec![ann] };
        ws.write(|tx, now| training::record_session(tx, now, &dir, &s, None)).unwrap();
    }
    let list = |ws: &Workspace| ws.read(|c| training::completions(c, Some(ann))).unwrap();
    let (march, feb) = (list(&ws)[0].id, list(&ws)[1].id);

    // Moved onto the other one's day: refused on the date, nothing changed.
    let before = (dump(&ws, "training_completions"), dump(&ws, "history"));
    let clash = training::CompletionCorrection { completed_on: "2026-02-10".into(), person_id: Some(ann) };
    let err = ws.write(|tx, now| training::correct_completion(tx, now, march, &clash)).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["completed_on"]));
    assert_eq!((dump(&ws, "training_completions"), dump(&ws, "history")), before);

    let fixed = training::CompletionCorrection { completed_on: "2026-03-12".into(), person_id: Some(ann) };
    assert!(ws.write(|tx, now| training::correct_completion(tx, now, march, &fixed)).unwrap());
    let history = ws.read(|c| training::course_history(c, course)).unwrap();
    assert_eq!(history[0].changes[0].old.as_deref(), Some("on 2026-03-10 for Ann Lee"));
    assert_eq!(history[0].changes[0].new.as_deref(), Some("on 2026-03-12 for Ann Lee"));

    // Both withdrawn (Ann never took the course): kept, and she is no longer trained.
    for id in [march, feb] {
        ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Training, id, "Signed in for someone else"))
            .unwrap();
    }
    assert_eq!(list(&ws).len(), 2, "kept");
    assert!(list(&ws).iter().all(|c| c.withdrawn.is_some()));
    let c = check(&ws, "training", "2026-05-01");
    assert!(c.findings.iter().any(|f| f.failing && f.problem.contains("Ann Lee")), "{:?}", c.findings);
    let exported = ws.read(|c| registers::export_csv(c, Register::Training)).unwrap();
    assert!(!exported.contains("ann@acme.test"), "{exported}");

    // She takes it after all, on the same day as one withdrawn: that record counts again.
    let s =
        training::SessionInput { course_id: Some(course), completed_on: "2026-02-10".into(), person_ids: vec![ann] };
    assert_eq!(ws.write(|tx, now| training::record_session(tx, now, &dir, &s, None)).unwrap(), 1);
    let again = list(&ws).into_iter().find(|c| c.id == feb).unwrap();
    assert_eq!(again.withdrawn, None);
    assert_eq!(list(&ws).len(), 2, "the same record, not a second one");
}

/// An access control policy approved by Ann Lee on `approved_on` and acknowledged by Ben Eng on
/// `acknowledged_on`: the policy, Ann, Ben and the acknowledgement.
fn acknowledged_policy(
    ws: &Workspace,
    approved_on: &str,
    acknowledged_on: &str,
) -> (i64, i64, i64, readyroom_core::policies::Acknowledgement) {
    use readyroom_core::{people, policies};
    let person = |name: &str, email: &str| {
        ws.write(|tx, now| {
            let p = people::PersonInput { name: name.into(), email: email.into(), ..Default::default() };
            people::create(tx, now, &p)
        })
        .unwrap()
        .id
    };
    let (ann, ben) = (person("Ann Lee", "ann@acme.test"), person("Ben Eng", "ben@acme.test"));
    let input = policies::PolicyInput { title: "Access Control Policy".into(), ..Default::default() };
    let policy = ws.write(|tx, now| policies::create(tx, now, &input)).unwrap().id;
    let approval = policies::ApproveInput {
        approved_on: approved_on.into(),
        approver_id: Some(ann),
        next_review_due: String::new(),
    };
    ws.write(|tx, now| policies::approve(tx, now, policy, &approval)).unwrap();
    let ack = ws.write(|tx, now| policies::acknowledge(tx, now, policy, Some(ben), acknowledged_on)).unwrap();
    (policy, ann, ben, ack)
}

#[test]
fn a_policy_acknowledgement_is_corrected_or_withdrawn_and_acknowledging_again_reinstates_it() {
    use readyroom_core::policies;
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let (policy, _ann, ben, ack) = acknowledged_policy(&ws, "2026-03-01", "2026-03-05");
    let detail = |ws: &Workspace| ws.read(|c| policies::detail(c, policy)).unwrap();

    // Before the approval: refused on its field, nothing changed.
    let before = (dump(&ws, "policy_acknowledgements"), dump(&ws, "history"));
    let early = policies::AcknowledgementCorrection { acknowledged_on: "2026-02-20".into(), person_id: Some(ben) };
    let err = ws.write(|tx, now| policies::correct_acknowledgement(tx, now, ack.id, &early)).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["acknowledged_on"]));
    assert_eq!((dump(&ws, "policy_acknowledgements"), dump(&ws, "history")), before);

    let fixed = policies::AcknowledgementCorrection { acknowledged_on: "2026-03-06".into(), person_id: Some(ben) };
    assert!(ws.write(|tx, now| policies::correct_acknowledgement(tx, now, ack.id, &fixed)).unwrap());
    let d = detail(&ws);
    assert_eq!(d.acknowledgements[0].acknowledged_on, day("2026-03-06"));
    assert_eq!(d.history[0].changes[0].old.as_deref(), Some("on 2026-03-05 by Ben Eng"));

    ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Acknowledgements, ack.id, "Ben clicked for Ann"))
        .unwrap();
    let d = detail(&ws);
    assert_eq!(d.acknowledgements[0].withdrawn.as_ref().map(|w| w.reason.as_str()), Some("Ben clicked for Ann"));
    let c = check(&ws, "policies", "2026-05-01");
    assert!(c.findings.iter().any(|f| f.problem.contains("Ben Eng")), "{:?}", c.findings);
    let exported = ws.read(|c| registers::export_csv(c, Register::Acknowledgements)).unwrap();
    assert!(!exported.contains("ben@acme.test"), "{exported}");

    // Ben acknowledges it for real: the same record counts again, with its new date.
    let again = ws.write(|tx, now| policies::acknowledge(tx, now, policy, Some(ben), "2026-04-02")).unwrap();
    assert_eq!(again.id, ack.id);
    let d = detail(&ws);
    assert_eq!((d.acknowledgements.len(), d.acknowledgements[0].withdrawn.is_none()), (1, true));
    assert_eq!(d.history[0].changes[0].new.as_deref(), Some("on 2026-04-02 by Ben Eng"));
    let c = check(&ws, "policies", "2026-05-01");
    assert!(!c.findings.iter().any(|f| f.problem.contains("Ben Eng")), "{:?}", c.findings);
}

#[test]
fn an_access_review_is_corrected_or_withdrawn_and_a_withdrawn_one_covers_no_quarter() {
    use readyroom_core::access_reviews;
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let aws = logged_system(&ws);
    let dir = ws.attachments_dir();
    let input = access_reviews::AccessReviewInput {
        system_id: Some(aws),
        reviewer_id: None,
        performed_on: "2026-04-20".into(),
        period_start: String::new(),
        period_end: String::new(),
        accounts_reviewed: Some(12),
        accounts_changed: Some(1),
        findings: "Bob's admin removed".into(),
        changes: vec![],
    };
    let list: &[u8] = b"username,role\nann,admin\n";
    let review = ws
        .write(|tx, now| access_reviews::create(tx, now, &dir, &input, Some(Upload::bytes("users.csv", list))))
        .unwrap();
    assert_eq!(check(&ws, "access_reviews", "2026-05-01").verdict, Verdict::Pass);

    let before = (dump(&ws, "access_reviews"), dump(&ws, "history"));
    let bad = access_reviews::AccessReviewCorrection {
        performed_on: "2026-04-21".into(),
        reviewer_id: None,
        accounts_reviewed: Some(2),
        accounts_changed: Some(3),
        findings: String::new(),
    };
    let err = ws.write(|tx, now| access_reviews::correct(tx, now, review.id, &bad)).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["accounts_changed"]));
    let blank =
        access_reviews::AccessReviewCorrection { accounts_reviewed: None, accounts_changed: Some(0), ..bad.clone() };
    let err = ws.write(|tx, now| access_reviews::correct(tx, now, review.id, &blank)).unwrap_err();
    assert_eq!(fields(&err), ["accounts_reviewed"], "an empty count is not read as 0");
    assert_eq!((dump(&ws, "access_reviews"), dump(&ws, "history")), before);

    let fixed =
        access_reviews::AccessReviewCorrection { accounts_reviewed: Some(14), accounts_changed: Some(1), ..bad };
    let fixed = access_reviews::AccessReviewCorrection { findings: "Bob's admin removed".into(), ..fixed };
    assert!(ws.write(|tx, now| access_reviews::correct(tx, now, review.id, &fixed)).unwrap());
    let d = ws.read(|c| access_reviews::detail(c, review.id)).unwrap();
    assert_eq!((d.review.performed_on, d.review.accounts_reviewed), (day("2026-04-21"), 14));
    assert_eq!(
        d.history[0].changes[0].old.as_deref(),
        Some("on 2026-04-20: 12 accounts reviewed, 1 removed or changed; Bob's admin removed")
    );
    assert_eq!(
        d.history[0].changes[0].new.as_deref(),
        Some("on 2026-04-21: 14 accounts reviewed, 1 removed or changed; Bob's admin removed")
    );

    ws.write(|tx, now| {
        registers::withdraw_dated(tx, now, Register::AccessReviews, review.id, "Staging, not production")
    })
    .unwrap();
    let d = ws.read(|c| access_reviews::detail(c, review.id)).unwrap();
    assert_eq!(d.review.withdrawn.map(|w| w.reason).as_deref(), Some("Staging, not production"));
    assert_eq!(d.review.evidence.len(), 1, "its file stays with it");
    assert_eq!(check(&ws, "access_reviews", "2026-05-01").verdict, Verdict::Fail, "no review covers the system now");
    let exported = ws.read(|c| registers::export_csv(c, Register::AccessReviews)).unwrap();
    assert!(!exported.contains("2026-04-21"), "{exported}");
}

#[test]
fn a_recorded_risk_assessment_refuses_edits_and_keeps_amendments_beside_it() {
    use readyroom_core::{risk_assessments, risks};
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let risk = risks::RiskInput {
        title: "Phishing steals a password".into(),
        inherent_likelihood: Some(4),
        inherent_impact: Some(3),
        ..Default::default()
    };
    ws.write(|tx, now| risks::create(tx, now, &risk)).unwrap();
    let input = risk_assessments::AssessmentInput { performed_on: "2026-04-30".into(), ..Default::default() };
    let a = ws.write(|tx, now| risk_assessments::create(tx, now, &input)).unwrap();
    let id = a.summary.id;

    // Frozen: the database refuses a change to the snapshot.
    for sql in [
        "UPDATE risk_assessment_items SET inherent_impact = 4",
        "UPDATE risk_assessments SET performed_on = '2026-04-29'",
    ] {
        let refused = ws.write(|tx, _| Ok(tx.execute(sql, [])?));
        assert!(refused.is_err(), "{sql}");
    }
    // An amendment is required text; a refused one writes nothing.
    let before = dump(&ws, "risk_assessment_amendments");
    let empty = risk_assessments::AmendmentInput { text: "  ".into(), by_id: None };
    let err = ws.write(|tx, now| risk_assessments::amend(tx, now, id, &empty)).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["text"]));
    let err = ws.write(|tx, now| risk_assessments::amend(tx, now, 9_999, &empty)).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotFound);
    assert_eq!(dump(&ws, "risk_assessment_amendments"), before);

    let note = risk_assessments::AmendmentInput {
        text: "Impact was 4, not 3: the finance team uses SSO.".into(),
        by_id: None,
    };
    let amended = ws.write(|tx, now| risk_assessments::amend(tx, now, id, &note)).unwrap();
    assert_eq!(amended.risks, a.risks, "the snapshot is as it was");
    assert_eq!(amended.amendments.len(), 1);
    assert_eq!(amended.amendments[0].text, "Impact was 4, not 3: the finance team uses SSO.");
    assert!(amended.amendments[0].at.starts_with("2026-05-01"));
    // An amendment once written is kept as written.
    let refused = ws.write(|tx, _| Ok(tx.execute("UPDATE risk_assessment_amendments SET text = 'x'", [])?));
    assert!(refused.is_err());
}

#[test]
fn an_incident_timeline_entry_is_corrected_or_withdrawn_with_the_incident_keeping_what_it_said() {
    use readyroom_core::incidents::{self, IncidentInput, TimelineInput};
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let input = IncidentInput {
        title: "Mailbox takeover".into(),
        detected_at: "2026-04-29 08:15".into(),
        ..Default::default()
    };
    let incident = ws.write(|tx, now| incidents::create(tx, now, &input)).unwrap().id;
    let entry = |at: &str, what: &str, who: &str| TimelineInput { at: at.into(), what: what.into(), who: who.into() };
    let typo = ws
        .write(|tx, now| incidents::add_timeline(tx, now, incident, &entry("2026-04-29 18:20", "Password reset", "")))
        .unwrap();
    let other = ws
        .write(|tx, now| {
            incidents::add_timeline(tx, now, incident, &entry("2026-04-29 09:00", "Sessions revoked", "Ana"))
        })
        .unwrap();
    let correction = |e: TimelineInput| registers::DatedCorrection::TimelineEntry(e);

    // A time in the future is refused on its field, and nothing changes.
    let before = dump(&ws, "incident_timeline");
    let err = ws
        .write(|tx, now| registers::correct_dated(tx, now, typo.id, &correction(entry("2026-05-02 08:20", "x", ""))))
        .unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["at"]));
    assert_eq!(dump(&ws, "incident_timeline"), before);

    // 18:20 was meant to be 08:20: corrected, the timeline reorders, the history keeps both.
    let changed = ws
        .write(|tx, now| {
            registers::correct_dated(tx, now, typo.id, &correction(entry("2026-04-29 08:20", "Password reset", "Ben")))
        })
        .unwrap();
    assert!(changed);
    let detail = ws.read(|c| incidents::detail(c, incident, day("2026-05-01").and_hms_opt(12, 0, 0).unwrap())).unwrap();
    let order: Vec<&str> = detail.timeline.iter().map(|t| t.at.as_str()).collect();
    assert_eq!(order, ["2026-04-29 08:20", "2026-04-29 09:00"]);
    let last = &detail.history[0].changes[0];
    assert_eq!(last.field, "timeline");
    assert_eq!(last.old.as_deref(), Some("on 2026-04-29 18:20: Password reset"));
    assert_eq!(last.new.as_deref(), Some("on 2026-04-29 08:20: Password reset (Ben)"));
    // The same values again write nothing.
    let history = detail.history.len();
    let again = entry("2026-04-29 08:20", "Password reset", "Ben");
    assert!(!ws.write(|tx, now| registers::correct_dated(tx, now, typo.id, &correction(again.clone()))).unwrap());

    // Withdrawn: a reason is needed; the entry stays, with when and why, and the history says so.
    let err =
        ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::IncidentTimeline, other.id, " ")).unwrap_err();
    assert_eq!(fields(&err), ["reason"]);
    ws.write(|tx, now| {
        registers::withdraw_dated(tx, now, Register::IncidentTimeline, other.id, "Another incident's entry")
    })
    .unwrap();
    let detail = ws.read(|c| incidents::detail(c, incident, day("2026-05-01").and_hms_opt(12, 0, 0).unwrap())).unwrap();
    assert_eq!(detail.timeline.len(), 2, "a withdrawn entry is kept");
    let withdrawn = detail.timeline.iter().find(|t| t.id == other.id).unwrap();
    assert_eq!(withdrawn.withdrawn.as_ref().map(|w| w.reason.as_str()), Some("Another incident's entry"));
    assert_eq!(detail.history.len(), history + 1);
    assert_eq!(detail.history[0].changes[0].new.as_deref(), Some("withdrawn: Another incident's entry"));
    // A withdrawn entry is neither corrected nor withdrawn again; nothing changes.
    let before = dump(&ws, "incident_timeline");
    let err = ws
        .write(|tx, now| registers::correct_dated(tx, now, other.id, &correction(entry("2026-04-29 09:05", "x", ""))))
        .unwrap_err();
    assert_eq!(fields(&err), ["at"]);
    let err = ws
        .write(|tx, now| registers::withdraw_dated(tx, now, Register::IncidentTimeline, other.id, "twice"))
        .unwrap_err();
    assert_eq!(fields(&err), ["reason"]);
    // An archived incident's timeline is neither corrected nor withdrawn.
    ws.write(|tx, now| incidents::set_archived(tx, now, incident, true)).unwrap();
    let err = ws.write(|tx, now| registers::correct_dated(tx, now, typo.id, &correction(again))).unwrap_err();
    assert!(err.fields[0].message.contains("archived"), "{err:?}");
    let err = ws
        .write(|tx, now| registers::withdraw_dated(tx, now, Register::IncidentTimeline, typo.id, "Wrong incident"))
        .unwrap_err();
    assert!(err.fields[0].message.contains("restore it before withdrawing"), "{err:?}");
    assert_eq!(dump(&ws, "incident_timeline"), before);
}

#[test]
fn a_policy_approval_is_corrected_never_withdrawn_and_the_policy_shows_the_correction() {
    use readyroom_core::policies;
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let (policy, ann, ben, _) = acknowledged_policy(&ws, "2026-04-10", "2026-04-12");
    let detail = |ws: &Workspace| ws.read(|c| policies::detail(c, policy)).unwrap();
    let id = detail(&ws).approvals[0].id;
    let fix = |on: &str, by: Option<i64>, due: &str| {
        registers::DatedCorrection::Approval(policies::ApprovalCorrection {
            approved_on: on.into(),
            approver_id: by,
            next_review_due: due.into(),
        })
    };

    // Refused on their fields, nothing changed: after the version was acknowledged, in the
    // future, nobody approving, a review due before the approval.
    let tables = |ws: &Workspace| (dump(ws, "policy_approvals"), dump(ws, "policies"), dump(ws, "history"));
    let before = tables(&ws);
    let refused =
        |c: registers::DatedCorrection| ws.write(|tx, now| registers::correct_dated(tx, now, id, &c)).unwrap_err();
    let err = refused(fix("2026-04-20", Some(ann), ""));
    assert_eq!(fields(&err), ["approved_on"]);
    assert!(err.fields[0].message.contains("acknowledged on 2026-04-12"), "{err:?}");
    assert_eq!(fields(&refused(fix("2026-05-20", Some(ann), ""))), ["approved_on"]);
    assert_eq!(fields(&refused(fix("2026-04-08", None, ""))), ["approver_id"]);
    assert_eq!(fields(&refused(fix("2026-04-08", Some(ann), "2026-04-01"))), ["next_review_due"]);
    // Never withdrawn: it froze the version's text.
    let err =
        ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Approvals, id, "Wrong policy")).unwrap_err();
    assert_eq!((err.code, fields(&err)), (ErrorCode::Validation, vec!["reason"]));
    assert_eq!(tables(&ws), before);

    // Approved by Ben two days earlier: corrected, the review date follows, the policy shows it,
    // and its history keeps the approval as it was recorded.
    // (Typed with a space after the date: read as the date, the review date follows.)
    assert!(ws.write(|tx, now| registers::correct_dated(tx, now, id, &fix("2026-04-08 ", Some(ben), ""))).unwrap());
    let d = detail(&ws);
    let a = &d.approvals[0];
    assert_eq!((a.approved_on, a.approver.id, a.next_review_due), (day("2026-04-08"), ben, day("2027-04-08")));
    assert_eq!(d.policy.approved_on, Some(day("2026-04-08")));
    assert_eq!(d.policy.approver.as_ref().map(|p| p.id), Some(ben));
    assert_eq!(d.policy.next_review_due, Some(day("2027-04-08")));
    let change = &d.history[0].changes[0];
    assert_eq!(change.field, "approval");
    assert_eq!(change.old.as_deref(), Some("on 2026-04-10 by Ann Lee: review due 2027-04-10"));
    assert_eq!(change.new.as_deref(), Some("on 2026-04-08 by Ben Eng: review due 2027-04-08"));
    // Version 2 approved since: correcting version 1's approval leaves the policy's current
    // approval as it is.
    ws.write(|tx, now| policies::new_version(tx, now, policy, "2.0")).unwrap();
    let second = policies::ApproveInput {
        approved_on: "2026-04-20".into(),
        approver_id: Some(ann),
        next_review_due: String::new(),
    };
    ws.write(|tx, now| policies::approve(tx, now, policy, &second)).unwrap();
    // Not after the version that replaced it (version 1 has no acknowledgement in force now).
    let ack = detail(&ws).acknowledgements[0].id;
    ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::Acknowledgements, ack, "Wrong person")).unwrap();
    let before = tables(&ws);
    let err = ws.write(|tx, now| registers::correct_dated(tx, now, id, &fix("2026-04-25", Some(ben), ""))).unwrap_err();
    assert_eq!(fields(&err), ["approved_on"]);
    assert!(err.fields[0].message.contains("Version 2.0, approved on 2026-04-20, came after"), "{err:?}");
    assert_eq!(tables(&ws), before);
    assert!(ws.write(|tx, now| registers::correct_dated(tx, now, id, &fix("2026-04-07", Some(ben), ""))).unwrap());
    let d = detail(&ws);
    assert_eq!(d.policy.approved_on, Some(day("2026-04-20")));
    assert_eq!(d.approvals.iter().find(|a| a.id == id).map(|a| a.approved_on), Some(day("2026-04-07")));
}

#[test]
fn a_correction_names_who_made_it_and_when_in_the_history() {
    let (_dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-05-01").unwrap();
    let aws = logged_system(&ws);
    let dir = ws.attachments_dir();
    let input =
        systems::LogReviewInput { performed_on: "2026-03-30".into(), performed_by_id: None, notes: String::new() };
    let review = ws.write(|tx, now| systems::add_log_review(tx, now, &dir, aws, &input, None)).unwrap();
    // Nobody named (a workspace opened by a test): entries keep an empty name.
    assert_eq!(system_history(&ws, aws)[0].actor, "");
    ws.set_actor("ana").unwrap();
    let fixed = systems::LogReviewInput { performed_on: "2026-04-30".into(), ..input };
    ws.write(|tx, now| registers::correct_dated(tx, now, review.id, &registers::DatedCorrection::LogReview(fixed)))
        .unwrap();
    let entry = &system_history(&ws, aws)[0];
    assert_eq!((entry.actor.as_str(), entry.at.as_str()), ("ana", "2026-05-01T09:30:00Z"));
    ws.set_actor("ben (command line)").unwrap();
    ws.write(|tx, now| registers::withdraw_dated(tx, now, Register::LogReviews, review.id, "Duplicate")).unwrap();
    let history = system_history(&ws, aws);
    assert_eq!(history.iter().map(|e| e.actor.as_str()).collect::<Vec<_>>()[..3], ["ben (command line)", "ana", ""]);
}
