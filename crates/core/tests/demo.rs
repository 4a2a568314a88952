//! The demo company: created in an empty workspace only, sized as promised, and reading like a
//! mostly well-run company a few months from its audit whatever the day it is created: most
//! checks pass, a few are due soon, and a few fail, each for one small deliberate reason.

mod common;

use chrono::NaiveDate;
use common::{open_on, temp_workspace};
use readyroom_core::readiness::{self, exceptions, Verdict};
use readyroom_core::{demo, ErrorCode, Workspace};

/// The demo company created on `day`, with the clock on that day.
fn demo_on(day: &str) -> (tempfile::TempDir, Workspace, NaiveDate) {
    let today = NaiveDate::parse_from_str(day, "%Y-%m-%d").unwrap();
    let (dir, path) = temp_workspace();
    let ws = open_on(&path, day).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    (dir, ws, today)
}

#[test]
fn the_demo_company_is_sized_as_promised_and_needs_an_empty_workspace() {
    let (_dir, ws, today) = demo_on("2026-11-26");
    let count = |sql: &str| ws.read(|c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?)).unwrap();
    assert_eq!(count("SELECT count(*) FROM people"), 40);
    assert_eq!(count("SELECT count(*) FROM controls WHERE status = 'implemented'"), 76);
    assert_eq!(count("SELECT count(*) FROM risks"), 25);
    assert_eq!(count("SELECT count(*) FROM vendors"), 20);
    assert_eq!(count("SELECT count(*) FROM systems"), 12);
    assert_eq!(count("SELECT count(*) FROM incidents"), 6);
    assert_eq!(count("SELECT count(*) FROM exercises WHERE status = 'completed'"), 2);
    let activities = count("SELECT count(*) FROM control_activities");
    assert!(activities > 80, "a year of activities: {activities}");
    // Every dated record that needs evidence has it (a ticket or a page), effective on its day.
    for (table, column) in [
        ("control_activities", "activity_id"),
        ("access_reviews", "access_review_id"),
        ("log_reviews", "log_review_id"),
        ("disposals", "disposal_id"),
        ("vendor_assessments", "vendor_assessment_id"),
    ] {
        let bare = count(&format!(
            "SELECT count(*) FROM {table} x WHERE NOT EXISTS
                 (SELECT 1 FROM evidence e WHERE e.{column} = x.id AND e.effective_date = x.performed_on)"
        ));
        assert_eq!(bare, 0, "{table} without evidence");
    }
    assert!(count("SELECT count(*) FROM policy_acknowledgements") > 400, "people acknowledge the policies");
    let err = ws.write(|tx, now| demo::create(tx, now, today)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
}

#[test]
fn the_demo_reads_like_a_company_months_from_its_audit_whatever_the_day() {
    // Months apart, at the end of a month and just after February.
    for day in ["2026-11-26", "2026-08-31", "2027-03-01"] {
        let (_dir, ws, today) = demo_on(day);
        let r = ws.read(|c| readiness::check_all(c, today)).unwrap();
        let summary: Vec<_> = r.checks.iter().map(|c| (c.key.as_str(), c.verdict, c.reason.as_str())).collect();
        assert!(r.pass >= 7, "{day}: mostly passing: {summary:#?}");
        assert!((2..=5).contains(&r.fail), "{day}: a few failures: {summary:#?}");
        assert!(r.warn >= 1, "{day}: something due soon: {summary:#?}");
        let check = |key: &str| r.checks.iter().find(|c| c.key == key).unwrap();
        // The deliberate gaps, each one small finding a user can find and fix.
        let mfa = check("mfa");
        assert_eq!(mfa.reason, "GitHub holds customer data and does not enforce MFA.", "{day}");
        assert!(mfa.findings[0].owner.is_some(), "{day}: findings name the record's owner");
        for (key, verdict, needle) in [
            ("changes", Verdict::Fail, "HOTFIX-12"),
            ("leavers", Verdict::Fail, "Quinn Dahl"),
            ("encryption", Verdict::Warn, "app.northwind.example"),
        ] {
            let c = check(key);
            assert_eq!((c.verdict, c.findings.len()), (verdict, 1), "{day} {key}: {:#?}", c.findings);
            assert!(c.reason.contains(needle), "{day} {key}: {}", c.reason);
        }
        // The periodic records are there, period by period, with their evidence.
        for key in ["access_reviews", "logging", "retention", "vendors", "risk"] {
            assert_eq!(check(key).verdict, Verdict::Pass, "{day} {key}: {}", check(key).reason);
        }
        // A handful of missed periods, not one per control and period.
        let missed = check("coverage").findings.iter().filter(|f| f.failing).count();
        assert!((1..=8).contains(&missed), "{day}: {missed} coverage findings");
        let list = ws.read(|c| exceptions::list(c, today)).unwrap();
        assert!((1..=10).contains(&list.len()), "{day}: a few exceptions: {list:#?}");
        let answered: Vec<&str> =
            list.iter().filter(|e| e.response.is_some()).map(|e| e.record.reference.as_str()).collect();
        assert!(!answered.is_empty(), "{day}: management has answered some exceptions");
    }
}

#[test]
fn the_demo_tells_no_lies_in_its_details() {
    let (_dir, ws, _today) = demo_on("2026-11-26");
    let texts = |sql: &str| {
        ws.read(|c| {
            Ok(c.prepare(sql)?.query_map([], |r| r.get::<_, String>(0))?.collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap()
    };
    // Every person's address is their name, without a number to tell two apart.
    let emails = texts("SELECT email FROM people");
    assert!(emails.iter().all(|e| !e.chars().any(|c| c.is_ascii_digit())), "{emails:?}");
    // No two open actions ask for the same thing.
    let titles = texts("SELECT title FROM actions WHERE status IN ('open', 'in_progress') ORDER BY title");
    let mut unique = titles.clone();
    unique.dedup();
    assert_eq!(unique, titles, "duplicate open actions");
    // Every vendor says what it does for the company.
    let bare = texts("SELECT name FROM vendors WHERE trim(service) = ''");
    assert!(bare.is_empty(), "vendors without a service: {bare:?}");
    // A breach of customers' personal data is notified, on time.
    let breach: Vec<(bool, bool, String, String)> = ws
        .read(|c| {
            Ok(c.prepare(
                "SELECT personal_data, customers_required, coalesce(customers_done_at, ''), coalesce(customers_deadline, '')
                 FROM incidents WHERE title LIKE 'Vendor reported a breach%'",
            )?
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
            .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap();
    let (personal, required, done, deadline) = breach.first().expect("the vendor breach").clone();
    assert!(personal && required, "personal data exposed, customers to be told");
    assert!(!done.is_empty() && done <= deadline, "told on time: {done} by {deadline}");
}
