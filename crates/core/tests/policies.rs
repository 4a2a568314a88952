//! Policies: approval with a default review date, versions that keep earlier approvals,
//! acknowledgements of the approved version, and the expected policy set.

mod common;

use common::{open, temp_workspace};
use readyroom_core::people::{self, PersonInput};
use readyroom_core::policies::{self, ApproveInput, PolicyInput, PolicyStatus};
use readyroom_core::starter::policies::EXPECTED_POLICIES;
use readyroom_core::{ErrorCode, Workspace};

fn person(ws: &Workspace, name: &str, email: &str) -> i64 {
    let p = PersonInput { name: name.into(), email: email.into(), ..Default::default() };
    ws.write(|tx, now| people::create(tx, now, &p)).unwrap().id
}

fn policy(ws: &Workspace, title: &str) -> policies::Policy {
    ws.write(|tx, now| policies::create(tx, now, &PolicyInput { title: title.into(), ..Default::default() })).unwrap()
}

fn approve(ws: &Workspace, id: i64, on: &str, by: i64, due: &str) -> readyroom_core::Result<policies::Policy> {
    let input = ApproveInput { approved_on: on.into(), approver_id: Some(by), next_review_due: due.into() };
    ws.write(|tx, now| policies::approve(tx, now, id, &input))
}

#[test]
fn approving_sets_the_review_date_a_year_later_by_default() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ceo = person(&ws, "Cleo Ode", "cleo@example.com");
    let p = policy(&ws, "Access Control Policy");
    assert_eq!((p.status, p.version.as_str()), (PolicyStatus::Draft, "0.1"));
    let approved = approve(&ws, p.id, "2024-02-29", ceo, "").unwrap();
    assert_eq!(approved.status, PolicyStatus::Approved);
    assert_eq!(
        approved.next_review_due.map(|d| d.to_string()).as_deref(),
        Some("2025-02-28"),
        "365 days after a leap day"
    );
    assert_eq!(approved.approver.map(|a| a.name).as_deref(), Some("Cleo Ode"));

    let other = policy(&ws, "Encryption and Key Management Policy");
    let custom = approve(&ws, other.id, "2026-06-01", ceo, "2026-12-01").unwrap();
    assert_eq!(custom.next_review_due.map(|d| d.to_string()).as_deref(), Some("2026-12-01"));
}

#[test]
fn bad_approvals_are_refused_with_field_errors() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ceo = person(&ws, "Cleo Ode", "cleo@example.com");
    let p = policy(&ws, "Risk Management Policy");
    let input =
        ApproveInput { approved_on: "2027-01-01".into(), approver_id: None, next_review_due: "2026-01-01".into() };
    let err = ws.write(|tx, now| policies::approve(tx, now, p.id, &input)).unwrap_err();
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["approved_on", "approver_id", "next_review_due"]);
    approve(&ws, p.id, "2026-01-10", ceo, "").unwrap();
    let err = approve(&ws, p.id, "2026-02-10", ceo, "").unwrap_err();
    assert_eq!(err.fields[0].message, "Version 0.1 is already approved; start a new version to change it.");

    let sneaky = PolicyInput { title: "Other".into(), status: PolicyStatus::Approved, ..Default::default() };
    let err = ws.write(|tx, now| policies::create(tx, now, &sneaky)).unwrap_err();
    assert_eq!(err.fields[0].field, "status", "approval only through approve()");
}

#[test]
fn a_new_version_keeps_earlier_approvals_and_the_approval_in_force() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ceo = person(&ws, "Cleo Ode", "cleo@example.com");
    let p = policy(&ws, "Incident Response Policy");
    approve(&ws, p.id, "2025-03-01", ceo, "").unwrap();
    let v2 = ws.write(|tx, now| policies::new_version(tx, now, p.id, "1.1")).unwrap();
    assert_eq!((v2.version.as_str(), v2.status), ("1.1", PolicyStatus::Draft));
    assert_eq!(v2.approved_version.as_deref(), Some("0.1"), "the last approval stays in force");
    assert_eq!(v2.next_review_due.map(|d| d.to_string()).as_deref(), Some("2026-03-01"));
    let err = ws.write(|tx, now| policies::new_version(tx, now, p.id, "0.1")).unwrap_err();
    assert_eq!(err.fields[0].message, "Version 0.1 was approved before; pick a new number.");

    approve(&ws, p.id, "2026-03-02", ceo, "").unwrap();
    let d = ws.read(|c| policies::detail(c, p.id)).unwrap();
    let versions: Vec<(&str, String)> =
        d.approvals.iter().map(|a| (a.version.as_str(), a.approved_on.to_string())).collect();
    assert_eq!(versions, [("1.1", "2026-03-02".to_string()), ("0.1", "2025-03-01".to_string())]);
    assert!(d.history.len() >= 4);
}

#[test]
fn acknowledgements_record_the_approved_version() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ceo = person(&ws, "Cleo Ode", "cleo@example.com");
    let dev = person(&ws, "Dev Ray", "dev@example.com");
    let p = policy(&ws, "Acceptable Use Policy");
    let err = ws.write(|tx, now| policies::acknowledge(tx, now, p.id, Some(dev), "2026-01-05")).unwrap_err();
    assert_eq!(err.fields[0].message, "Only an approved policy can be acknowledged.");
    approve(&ws, p.id, "2026-01-02", ceo, "").unwrap();
    let ack = ws.write(|tx, now| policies::acknowledge(tx, now, p.id, Some(dev), "2026-01-05")).unwrap();
    assert_eq!((ack.version.as_str(), ack.person.name.as_str()), ("0.1", "Dev Ray"));
    let err = ws.write(|tx, now| policies::acknowledge(tx, now, p.id, Some(dev), "2026-01-06")).unwrap_err();
    assert_eq!(err.fields[0].message, "They already acknowledged version 0.1.");
    let err = ws.write(|tx, now| policies::acknowledge(tx, now, p.id, Some(ceo), "2026-01-01")).unwrap_err();
    assert_eq!(err.fields[0].message, "That is before the version was approved.");
    assert_eq!(ws.read(|c| policies::detail(c, p.id)).unwrap().acknowledgements.len(), 1);
}

#[test]
fn the_expected_policy_set_is_offered_as_drafts() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    assert_eq!(EXPECTED_POLICIES.len(), 13);
    policy(&ws, "code of conduct");
    let summary = ws.read(policies::expected_summary).unwrap();
    assert_eq!(summary.missing.len(), 12, "titles match case-insensitively");
    // The 12 missing expected ones and the 5 recommended (privacy only with Privacy in scope).
    assert_eq!(ws.write(policies::install_expected).unwrap(), 17);
    assert!(ws.read(policies::expected_summary).unwrap().missing.is_empty());
    let all = ws.read(|c| policies::list(c, false)).unwrap();
    assert_eq!(all.len(), 18);
    assert!(all.iter().all(|p| p.status == PolicyStatus::Draft));
    let err = ws.write(|tx, now| {
        policies::create(tx, now, &PolicyInput { title: "ACCESS CONTROL POLICY".into(), ..Default::default() })
    });
    assert_eq!(err.unwrap_err().code, ErrorCode::Validation);
}

#[test]
fn only_untouched_drafts_can_be_deleted() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ceo = person(&ws, "Cleo Ode", "cleo@example.com");
    let draft = policy(&ws, "Scratch");
    ws.write(|tx, _| policies::delete_draft(tx, draft.id)).unwrap();
    assert_eq!(ws.read(|c| policies::get(c, draft.id)).unwrap_err().code, ErrorCode::NotFound);

    let p = policy(&ws, "Access Control Policy");
    approve(&ws, p.id, "2026-01-10", ceo, "").unwrap();
    ws.write(|tx, now| policies::new_version(tx, now, p.id, "1.1")).unwrap();
    let err = ws.write(|tx, _| policies::delete_draft(tx, p.id)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict, "a draft of a new version still has its approved history");
}
