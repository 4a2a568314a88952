//! Policy texts: the starter templates filled for the workspace, text kept per version and
//! frozen by approval, versions compared line by line, and a version printed to PDF.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::people::{self, PersonInput};
use readyroom_core::policies::{self, ApproveInput, PolicyInput};
use readyroom_core::policy_text::{self, DiffKind};
use readyroom_core::profile::{self, OptionalCategories, ProfileInput};
use readyroom_core::starter::policies::EXPECTED_POLICIES;
use readyroom_core::starter::policy_texts::{self, ROLES, TEMPLATES};
use readyroom_core::{pdf::Paper, policy, ErrorCode, Workspace};

fn person(ws: &Workspace, name: &str) -> i64 {
    let p =
        PersonInput { name: name.into(), email: format!("{}@acme.test", name.to_lowercase()), ..Default::default() };
    ws.write(|tx, now| people::create(tx, now, &p)).unwrap().id
}

fn profile(ws: &Workspace, privacy: bool) {
    let input = ProfileInput {
        name: "Acme Analytics".into(),
        categories: OptionalCategories { privacy, ..Default::default() },
        ..Default::default()
    };
    ws.write(|tx, now| profile::save(tx, now, &input)).unwrap();
}

fn new_policy(ws: &Workspace, title: &str) -> policies::Policy {
    ws.write(|tx, now| policies::create(tx, now, &PolicyInput { title: title.into(), ..Default::default() })).unwrap()
}

fn by_title(ws: &Workspace, title: &str) -> policies::Policy {
    ws.read(|c| policies::list(c, false)).unwrap().into_iter().find(|p| p.title == title).unwrap()
}

fn approve(ws: &Workspace, id: i64, on: &str, by: i64) -> readyroom_core::Result<policies::Policy> {
    let input = ApproveInput { approved_on: on.into(), approver_id: Some(by), next_review_due: String::new() };
    ws.write(|tx, now| policies::approve(tx, now, id, &input))
}

#[test]
fn every_template_is_a_whole_policy_with_known_placeholders_only() {
    for expected in EXPECTED_POLICIES {
        let t =
            TEMPLATES.iter().find(|t| t.kind == Some(expected.kind)).unwrap_or_else(|| panic!("{}", expected.title));
        assert_eq!(t.title(), expected.title, "the template writes the expected policy of that title");
    }
    let sections = ["Purpose", "Scope", "Roles and responsibilities", "Policy", "Exceptions", "Enforcement", "Review"];
    for t in TEMPLATES {
        let body = t.body();
        let words = policy_text::word_count(body);
        assert!((500..=1500).contains(&words), "{}: {words} words", t.key);
        let headings: Vec<&str> = body.lines().filter_map(|l| l.strip_prefix("## ")).map(str::trim).collect();
        assert_eq!(headings, sections, "{}: the seven sections, in order", t.key);
        assert!(body.starts_with(&format!("# {}\n", t.title())), "{}: opens with its title", t.key);
        assert!(ROLES.iter().any(|(k, _)| *k == t.owner_role()), "{}: owner role {}", t.key, t.owner_role());
        let filled = policy_texts::render(body, &policy_texts::Fill { company: "Acme", review_days: 365 });
        assert!(!filled.contains("{{") && !filled.contains("}}"), "{}: an unknown placeholder is left", t.key);
        assert!(filled.contains("Acme"), "{}: names the company", t.key);
    }
}

#[test]
fn placeholders_are_filled_from_the_workspace() {
    let fill = policy_texts::Fill { company: "Acme Analytics", review_days: 365 };
    assert_eq!(
        policy_texts::render(
            "{{company}} reviews it every {{review_interval}}; the {{role:security_lead}} owns it. {{unknown}}",
            &fill
        ),
        "Acme Analytics reviews it every 12 months; the Security Lead owns it. {{unknown}}"
    );
    assert_eq!(policy_texts::interval_text(182), "6 months");
    assert_eq!(policy_texts::interval_text(30), "1 month");
    assert_eq!(policy_texts::interval_text(14), "14 days");
}

#[test]
fn the_starter_policies_come_with_their_text_filled_for_the_company() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    profile(&ws, false);
    // An expected policy someone already started keeps what they wrote.
    let mine = new_policy(&ws, "Code of Conduct");
    ws.write(|tx, now| policy_text::save(tx, now, mine.id, "# Code of Conduct\n\nOur own words.")).unwrap();
    assert_eq!(ws.write(policies::install_expected).unwrap(), 17);
    let all = ws.read(|c| policies::list(c, false)).unwrap();
    assert!(all.iter().all(|p| p.title != "Privacy Policy"), "privacy only with Privacy in scope");
    for p in &all {
        let text = ws.read(|c| policy_text::get(c, p.id, None)).unwrap();
        if p.id == mine.id {
            assert_eq!(text.body, "# Code of Conduct\n\nOur own words.");
            continue;
        }
        assert!(text.words >= 500, "{}: {} words", p.title, text.words);
        assert!(text.body.contains("Acme Analytics") && !text.body.contains("{{"), "{}", p.title);
        assert_eq!((text.version.as_str(), text.frozen), ("0.1", false));
    }
    // Installing again adds nothing and rewrites nothing.
    let before = ws.read(|c| policy_text::get(c, all[0].id, None)).unwrap();
    assert_eq!(ws.write(policies::install_expected).unwrap(), 0);
    assert_eq!(ws.read(|c| policy_text::get(c, all[0].id, None)).unwrap(), before);
    // With Privacy in scope, the privacy policy is offered too.
    profile(&ws, true);
    assert_eq!(ws.write(policies::install_expected).unwrap(), 1);
    let privacy = by_title(&ws, "Privacy Policy");
    assert!(ws.read(|c| policy_text::get(c, privacy.id, None)).unwrap().words >= 500);
    assert!(ws.read(|c| policy_text::template(c, privacy.id)).unwrap().is_some());
}

#[test]
fn approving_a_version_freezes_its_text_and_a_new_version_starts_from_it() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ceo = person(&ws, "Cleo");
    let p = new_policy(&ws, "Access Control Policy");
    let v1 = "# Access Control Policy\n\n## Policy\nAccess is reviewed every quarter.\nMFA is on everywhere.\n";
    let saved = ws.write(|tx, now| policy_text::save(tx, now, p.id, v1)).unwrap();
    assert_eq!((saved.version.as_str(), saved.frozen, saved.words), ("0.1", false, 13));
    let history = ws.read(|c| policies::detail(c, p.id)).unwrap().history;
    assert!(history.iter().any(|h| h.changes.iter().any(|c| c.field == "text")), "the edit is in the history");

    approve(&ws, p.id, "2026-03-01", ceo).unwrap();
    let err = ws.write(|tx, now| policy_text::save(tx, now, p.id, "changed after approval")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(ws.read(|c| policy_text::get(c, p.id, None)).unwrap().body, v1, "unchanged");
    assert!(ws.read(|c| policy_text::get(c, p.id, None)).unwrap().frozen);
    // Not even a direct write gets past the database.
    let direct = ws.write(|tx, _| {
        tx.execute("UPDATE policy_texts SET body = 'x' WHERE policy_id = ?1", [p.id])?;
        Ok(())
    });
    assert!(direct.unwrap_err().message.contains("frozen"));

    ws.write(|tx, now| policies::new_version(tx, now, p.id, "1.1")).unwrap();
    let draft = ws.read(|c| policy_text::get(c, p.id, None)).unwrap();
    assert_eq!((draft.version.as_str(), draft.body.as_str(), draft.frozen), ("1.1", v1, false), "carried over");
    let v2 = "# Access Control Policy\n\n## Policy\nAccess is reviewed every quarter.\nMFA is on for every account.\nShared accounts are not allowed.\n";
    ws.write(|tx, now| policy_text::save(tx, now, p.id, v2)).unwrap();
    assert_eq!(ws.read(|c| policy_text::get(c, p.id, Some("0.1"))).unwrap().body, v1, "the approved text stays");

    let diff = ws.read(|c| policy_text::compare(c, p.id, "0.1", "1.1")).unwrap();
    let of = |k: DiffKind| diff.iter().filter(|l| l.kind == k).map(|l| l.text.as_str()).collect::<Vec<_>>();
    assert_eq!(of(DiffKind::Removed), ["MFA is on everywhere."]);
    assert_eq!(of(DiffKind::Added), ["MFA is on for every account.", "Shared accounts are not allowed."]);
    assert!(of(DiffKind::Same).contains(&"Access is reviewed every quarter."));

    let versions = ws.read(|c| policy_text::versions(c, p.id)).unwrap();
    let seen: Vec<(&str, Option<NaiveDate>, bool)> =
        versions.iter().map(|v| (v.version.as_str(), v.approved_on, v.working)).collect();
    assert_eq!(seen, [("0.1", NaiveDate::from_ymd_opt(2026, 3, 1), false), ("1.1", None, true)]);
    let missing = ws.read(|c| policy_text::get(c, p.id, Some("7.0"))).unwrap_err();
    assert_eq!(missing.code, ErrorCode::NotFound);
}

#[test]
fn a_text_too_long_is_refused_on_its_field_and_nothing_changes() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let p = new_policy(&ws, "Encryption Policy");
    ws.write(|tx, now| policy_text::save(tx, now, p.id, "Short.")).unwrap();
    let long = "word ".repeat(policy_text::MAX_CHARS / 5 + 1);
    let err = ws.write(|tx, now| policy_text::save(tx, now, p.id, &long)).unwrap_err();
    assert_eq!((err.code, err.fields[0].field.as_str()), (ErrorCode::Validation, "body"));
    assert_eq!(ws.read(|c| policy_text::get(c, p.id, None)).unwrap().body, "Short.");
}

#[test]
fn a_version_prints_with_its_cover_approval_and_text() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let ceo = person(&ws, "Cleo");
    let p = new_policy(&ws, "Access Control Policy");
    ws.write(|tx, now| policy_text::save(tx, now, p.id, "# Access Control Policy\n\n## Purpose\nAccess follows need.\n\n## Policy\n1. Request access in a ticket.\n2. The owner approves it.\n")).unwrap();
    approve(&ws, p.id, "2026-03-01", ceo).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 30).unwrap();
    let bytes = ws.read(|c| policy::policy_pdf(c, p.id, None, "Acme Analytics", Paper::A4, today)).unwrap();
    let file = dir.path().join("policy.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let out = std::process::Command::new("pdftotext").arg(&file).arg("-").output().expect("pdftotext (poppler-utils)");
    let text = String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for want in [
        "Access Control Policy",
        "Acme Analytics",
        "Approved on 2026-03-01 by Cleo",
        "Approved by",
        "Reviewed by",
        "Purpose",
        "Access follows need.",
        "1. Request access in a ticket.",
        "2. The owner approves it.",
        "version 0.1 · Confidential",
    ] {
        assert!(text.contains(want), "{want:?} in {text}");
    }
}
