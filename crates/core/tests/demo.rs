//! The demo company: created in an empty workspace only, sized as promised, with mixed
//! readiness whatever the date.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::readiness::{self, Verdict};
use readyroom_core::{demo, ErrorCode};

#[test]
fn the_demo_company_has_mixed_readiness_and_needs_an_empty_workspace() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    let count = |sql: &str| ws.read(|c| Ok(c.query_row(sql, [], |r| r.get::<_, i64>(0))?)).unwrap();
    assert_eq!(count("SELECT count(*) FROM people"), 40);
    assert_eq!(count("SELECT count(*) FROM controls WHERE status = 'implemented'"), 60);
    assert_eq!(count("SELECT count(*) FROM risks"), 25);
    assert_eq!(count("SELECT count(*) FROM vendors"), 20);
    assert_eq!(count("SELECT count(*) FROM systems"), 12);
    assert_eq!(count("SELECT count(*) FROM incidents"), 6);
    assert_eq!(count("SELECT count(*) FROM exercises WHERE status = 'completed'"), 2);
    let activities = count("SELECT count(*) FROM control_activities");
    assert!(activities > 80, "a year of activities: {activities}");
    let r = ws.read(|c| readiness::check_all(c, today)).unwrap();
    let summary: Vec<_> = r.checks.iter().map(|c| (c.key.as_str(), c.verdict, c.reason.as_str())).collect();
    assert!(r.pass >= 2 && r.fail >= 3, "{summary:?}");
    assert!(r.checks.iter().any(|c| c.verdict == Verdict::Warn), "{summary:?}");
    let mfa = r.checks.iter().find(|c| c.key == "mfa").unwrap();
    let github = mfa.findings.iter().find(|f| f.record.title == "GitHub").expect("a gap a user can find");
    assert!(github.owner.is_some(), "findings name the record's owner");
    let err = ws.write(|tx, now| demo::create(tx, now, today)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
}
