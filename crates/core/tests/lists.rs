//! Lists filter, sort and page in SQL: what a filter computes in the database agrees with
//! what the record shows, and a page holds only the rows asked for.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::changes::{self, ChangeQuery};
use rusqlite::params;

#[test]
fn the_flagged_changes_filter_agrees_with_each_changes_flags() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let now = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(12, 0, 0).unwrap();
    // Every combination of what the flags look at, written directly (as an older version or
    // an import might have left it).
    let approved = [None, Some("2026-11-20 08:00"), Some("2026-11-20 11:00"), Some("2026-11-21 10:30")];
    let deployed = [None, Some("2026-11-20 10:00"), Some("2026-11-25 20:00")];
    let mut n = 0;
    ws.write(|tx, _| {
        tx.execute("INSERT INTO people (name, email, role, created_at, updated_at) VALUES ('A', 'a@x.test', '', 'x', 'x')", [])?;
        tx.execute("INSERT INTO people (name, email, role, created_at, updated_at) VALUES ('B', 'b@x.test', '', 'x', 'x')", [])?;
        for emergency in [false, true] {
            for approver in [None, Some(2)] {
                for at in approved {
                    for dep in deployed {
                        for tested in [false, true] {
                            for rollback in ["", "  ", "Revert"] {
                                n += 1;
                                tx.execute(
                                    "INSERT INTO changes (reference, title, description, system_id, author_id, approver_id,
                                         approved_at, tested, test_notes, deployed_at, rollback_plan, emergency, created_at, updated_at)
                                     VALUES (?1, 'T', '', NULL, 1, ?2, ?3, ?4, '', ?5, ?6, ?7, 'x', 'x')",
                                    params![format!("CHG-{n:04}"), approver, at, tested, dep, rollback, emergency],
                                )?;
                            }
                        }
                    }
                }
            }
        }
        Ok(())
    })
    .unwrap();
    let all = ws.read(|c| changes::list(c, &ChangeQuery { limit: 1000, ..Default::default() }, now)).unwrap();
    assert_eq!(all.total as usize, n);
    let mut expected: Vec<String> =
        all.rows.iter().filter(|c| !c.flags.is_empty()).map(|c| c.reference.clone()).collect();
    let q = ChangeQuery { flagged_only: true, limit: 1000, ..Default::default() };
    let flagged = ws.read(|c| changes::list(c, &q, now)).unwrap();
    let mut got: Vec<String> = flagged.rows.iter().map(|c| c.reference.clone()).collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected);
    assert!(!got.is_empty() && got.len() < n, "the grid holds flagged and clean changes");
    assert_eq!(flagged.total as usize, got.len());
    // Paging the flagged list gives the same rows, a page at a time.
    let page = |offset| {
        ws.read(|c| changes::list(c, &ChangeQuery { flagged_only: true, offset, limit: 50, ..Default::default() }, now))
            .unwrap()
    };
    let first = page(0);
    assert_eq!((first.total as usize, first.rows.len()), (got.len(), 50.min(got.len())));
}
