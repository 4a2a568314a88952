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
    assert_eq!(count("SELECT count(*) FROM controls WHERE status = 'implemented'"), 80);
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

/// The demo written on 2026-11-26 at 09:30, as `demo_on` does; stored timestamps compare as text.
const NOW: &str = "2026-11-26T09:30:00Z";

#[test]
fn the_demo_company_on_a_past_day_is_the_company_as_it_stood_then() {
    let (_dir, ws, today) = demo_on("2026-11-26");
    let then = today - chrono::Days::new(60);
    let r = ws.read(|c| readiness::check_all(c, then)).unwrap();
    let summary: Vec<_> = r.checks.iter().map(|c| (c.key.as_str(), c.verdict, c.reason.as_str())).collect();
    let check = |key: &str| r.checks.iter().find(|c| c.key == key).unwrap();
    // The systems, controls and people of the window existed then: the checks judge them.
    let mfa = check("mfa");
    assert_eq!(mfa.reason, "GitHub holds customer data and does not enforce MFA.", "{summary:#?}");
    for key in ["access_reviews", "logging", "retention"] {
        assert_eq!(check(key).verdict, Verdict::Pass, "{key} 60 days ago: {summary:#?}");
    }
    // What happened later in the story had not happened yet.
    let mentions = |key: &str, needle: &str| {
        let c = check(key);
        c.reason.contains(needle)
            || c.findings.iter().any(|f| f.record.reference.contains(needle) || f.problem.contains(needle))
    };
    assert!(!mentions("changes", "HOTFIX-12"), "deployed 15 days ago: {:#?}", check("changes"));
    assert!(!mentions("leavers", "Quinn Dahl"), "left 10 days ago: {:#?}", check("leavers"));
    // The newest hire (three days in) was not yet in the register, and Quinn Dahl, who left ten
    // days ago, was still here with no end date.
    let text = |sql: &str| ws.read(|c| Ok(c.query_row(sql, [], |r| r.get::<_, Option<String>>(0))?)).unwrap();
    let hired = text("SELECT created_at FROM people WHERE start_date = (SELECT max(start_date) FROM people)").unwrap();
    assert!(hired.as_str() > format!("{then}T23:59:59Z").as_str(), "the newest hire recorded {hired}");
    let quinn = ws
        .read(|c| {
            let id: i64 = c.query_row("SELECT id FROM people WHERE name = 'Quinn Dahl'", [], |r| r.get(0))?;
            readyroom_core::people::history(c, id)
        })
        .unwrap();
    let ended: Vec<&str> = quinn
        .iter()
        .filter(|h| h.changes.iter().any(|c| c.field == "end_date" && c.new.is_some()))
        .map(|h| h.at.as_str())
        .collect();
    assert!(!ended.is_empty() && ended.iter().all(|at| *at > format!("{then}T23:59:59Z").as_str()), "{ended:?}");
}

#[test]
fn the_demo_history_is_dated_by_story_time_and_never_after_now() {
    let (_dir, ws, _today) = demo_on("2026-11-26");
    let rows: Vec<(String, i64, String, String)> = ws
        .read(|c| {
            Ok(c.prepare("SELECT entity, entity_id, action, at FROM history ORDER BY entity, entity_id, id")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap();
    assert!(rows.len() > 500, "a year of history: {}", rows.len());
    // Nothing is stamped after the moment the demo was written.
    let late: Vec<_> = rows.iter().filter(|r| r.3.as_str() > NOW).collect();
    assert!(late.is_empty(), "history after now: {late:?}");
    // Each record's writes are in time order: created first, then each update after the last.
    for w in rows.windows(2) {
        if (&w[0].0, w[0].1) == (&w[1].0, w[1].1) {
            assert!(w[0].3 <= w[1].3, "{} {} written out of order: {:?} then {:?}", w[0].0, w[0].1, w[0], w[1]);
        } else {
            assert_eq!(w[1].2, "create", "{} {} starts with its creation", w[1].0, w[1].1);
        }
    }
    // A year of history is not all one moment, and a sample record's own history spans its story.
    let times: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.3.as_str()).collect();
    assert!(times.len() > 100, "history stamped at {} moments", times.len());
    for entity in ["control", "policy", "risk", "system", "vendor", "incident", "person"] {
        let of = |id: i64| -> std::collections::BTreeSet<&str> {
            rows.iter().filter(|r| r.0 == entity && r.1 == id).map(|r| r.3.as_str()).collect()
        };
        let sample = of(1);
        assert!(!sample.is_empty(), "{entity} 1 has a history");
        let most = rows.iter().filter(|r| r.0 == entity).map(|r| of(r.1).len()).max().unwrap_or(0);
        assert!(most > 2, "{entity}: at most {most} moments in one record's history; {entity} 1: {sample:?}");
    }
    // Records are created on their story's day: people on or before their first day, dated
    // records on the day they happened, and none after now.
    let count = |sql: &str| ws.read(|c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?)).unwrap();
    assert_eq!(count("SELECT count(*) FROM people WHERE substr(created_at, 1, 10) > start_date"), 0);
    for (table, date) in [
        ("control_activities", "performed_on"),
        ("access_reviews", "performed_on"),
        ("log_reviews", "performed_on"),
        ("disposals", "performed_on"),
        ("vendor_assessments", "performed_on"),
        ("risk_assessments", "performed_on"),
        ("training_completions", "completed_on"),
        ("policy_acknowledgements", "acknowledged_on"),
        ("evidence", "effective_date"),
        ("changes", "substr(deployed_at, 1, 10)"),
        ("incidents", "substr(detected_at, 1, 10)"),
    ] {
        let off = count(&format!("SELECT count(*) FROM {table} WHERE substr(created_at, 1, 10) <> {date}"));
        assert_eq!(off, 0, "{table} recorded on another day than it happened");
    }
    for table in ["people", "controls", "policies", "risks", "vendors", "systems", "incidents", "changes", "actions"] {
        assert_eq!(count(&format!("SELECT count(*) FROM {table} WHERE created_at > '{NOW}'")), 0, "{table}");
    }
}
