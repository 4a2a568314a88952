//! Lists filter, sort and page in SQL: what a filter computes in the database agrees with
//! what the record shows, and a page holds only the rows asked for. Imports do a fixed amount
//! of work per row, whatever the size of the register.

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

/// Work done by the statement that reads a page of rows: steps through tables in scans and
/// sorts. Written by the profile callback, which SQLite calls as each statement finishes.
static PAGE_STEPS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(-1);
static PAGE_SORTS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(-1);
static PAGE_VM_STEPS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(-1);

fn page_profile(event: rusqlite::trace::TraceEvent<'_>) {
    use rusqlite::StatementStatus;
    use std::sync::atomic::Ordering;
    if let rusqlite::trace::TraceEvent::Profile(stmt, _) = event {
        if stmt.sql().contains("LIMIT") {
            PAGE_STEPS.store(i64::from(stmt.get_status(StatementStatus::FullscanStep)), Ordering::SeqCst);
            PAGE_SORTS.store(i64::from(stmt.get_status(StatementStatus::Sort)), Ordering::SeqCst);
            PAGE_VM_STEPS.store(i64::from(stmt.get_status(StatementStatus::VmStep)), Ordering::SeqCst);
        }
    }
}

/// A page of changes reads a page of rows, not the register (issue 21: each page sorted every
/// change first, so 4x the changes cost 6x the time for the first page). Counted by SQLite,
/// not timed: the rows statement sorts nothing and steps through a page's worth of the index.
#[test]
fn a_page_of_changes_reads_its_rows_without_sorting_the_register() {
    use std::sync::atomic::Ordering;
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let now = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(12, 0, 0).unwrap();
    ws.write(|tx, _| {
        let mut insert = tx.prepare(
            "INSERT INTO changes (reference, title, description, tested, test_notes, deployed_at, rollback_plan, emergency, created_at, updated_at)
             VALUES (?1, 'T', '', 1, 'CI', ?2, 'Revert', 0, 'x', 'x')",
        )?;
        for n in 0..3_000 {
            // Every tenth not deployed yet: those come first, then the newest deployment.
            let deployed = (n % 10 != 0).then(|| format!("2026-{:02}-{:02} 10:00", 1 + n % 11, 1 + n % 28));
            insert.execute(params![format!("CHG-{n:05}"), deployed])?;
        }
        Ok(())
    })
    .unwrap();
    let page = ws
        .read(|c| {
            c.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_PROFILE, Some(page_profile));
            let page = changes::list(c, &ChangeQuery { limit: 50, ..Default::default() }, now);
            c.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_PROFILE, None);
            page
        })
        .unwrap();
    assert_eq!((page.total, page.rows.len()), (3_000, 50));
    // Undeployed first (by reference, last first), then by deployment, newest first.
    assert!(page.rows.iter().all(|c| c.deployed_at.is_none()), "{:?}", page.rows[0].deployed_at);
    assert_eq!(page.rows[0].reference, "CHG-02990");
    assert_eq!(PAGE_SORTS.load(Ordering::SeqCst), 0, "the page sorted rows");
    let steps = PAGE_STEPS.load(Ordering::SeqCst);
    assert!((0..=60).contains(&steps), "{steps} steps for a page of 50");
    // Past the undeployed ones, the newest deployments come first.
    let later =
        ws.read(|c| changes::list(c, &ChangeQuery { offset: 300, limit: 3, ..Default::default() }, now)).unwrap();
    let deployed: Vec<_> = later.rows.iter().map(|c| c.deployed_at.clone().unwrap_or_default()).collect();
    assert!(deployed.windows(2).all(|w| w[0] >= w[1]) && deployed[0].starts_with("2026-11-"), "{deployed:?}");
}

/// The last page of changes skips the rows before it in the list's index alone (issue 21:
/// each row skipped was joined to its system and people and read from the table to see
/// whether it was archived, so the last page of 4x the changes took 6.7x the time). Counted
/// by SQLite's virtual machine, not timed.
#[test]
fn the_last_page_of_changes_skips_the_rows_before_it_in_the_index() {
    use std::sync::atomic::Ordering;
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let now = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(12, 0, 0).unwrap();
    ws.write(|tx, _| {
        let mut insert = tx.prepare(
            "INSERT INTO changes (reference, title, description, tested, test_notes, deployed_at, rollback_plan, emergency,
                 archived_at, created_at, updated_at)
             VALUES (?1, 'T', '', 1, 'CI', ?2, 'Revert', 0, ?3, 'x', 'x')",
        )?;
        for n in 0..3_000 {
            let deployed = format!("2026-{:02}-{:02} 10:00", 1 + n % 11, 1 + n % 28);
            // Every seventh archived: the list leaves them out.
            let archived = (n % 7 == 0).then_some("2026-11-01T00:00:00Z");
            insert.execute(params![format!("CHG-{n:05}"), deployed, archived])?;
        }
        Ok(())
    })
    .unwrap();
    let live = ws.read(|c| changes::list(c, &ChangeQuery { limit: 1, ..Default::default() }, now)).unwrap().total;
    assert_eq!(live, 3_000 - 429);
    let offset = live - 50;
    let page = ws
        .read(|c| {
            c.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_PROFILE, Some(page_profile));
            let page = changes::list(c, &ChangeQuery { offset, limit: 50, ..Default::default() }, now);
            c.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_PROFILE, None);
            page
        })
        .unwrap();
    assert_eq!(page.rows.len(), 50);
    assert!(page.rows.iter().all(|c| !c.archived), "archived changes are left out");
    assert_eq!(PAGE_SORTS.load(Ordering::SeqCst), 0, "the page sorted rows");
    let per_row = PAGE_VM_STEPS.load(Ordering::SeqCst) as f64 / f64::from(offset);
    // About 4: the index's next entry and the offset's count. A join made for each row skipped
    // cost 31, the archived flag read from the table 7.
    assert!(per_row < 5.0, "{per_row:.1} steps for each row skipped");
}

/// Statements SQLite ran while the import's trace was on: all of them, and the savepoints.
static STATEMENTS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
static SAVEPOINTS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);

fn count_statement(event: rusqlite::trace::TraceEvent<'_>) {
    use std::sync::atomic::Ordering;
    if let rusqlite::trace::TraceEvent::Profile(stmt, _) = event {
        STATEMENTS.fetch_add(1, Ordering::SeqCst);
        let sql = stmt.sql().trim_start().to_ascii_uppercase();
        if ["SAVEPOINT", "RELEASE", "ROLLBACK"].iter().any(|w| sql.starts_with(w)) {
            SAVEPOINTS.fetch_add(1, Ordering::SeqCst);
        }
    }
}

/// An import runs a fixed number of statements a row and opens one savepoint for the whole
/// file (issue 21: a savepoint per row made SQLite copy every page a row touched to its
/// statement journal and cut the journal back at each release, so 5,000 changes took three
/// times as long into a register of 35,000 as into an empty one). Counted, not timed.
#[test]
fn an_import_runs_a_fixed_number_of_statements_a_row_and_one_savepoint() {
    use readyroom_core::csv_import::ImportOptions;
    use readyroom_core::{registers, Register};
    use std::sync::atomic::Ordering;
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let setup = [
        (Register::People, "name,email,role\nAna,ana@x.test,Engineer\nBo,bo@x.test,Lead\n".to_owned()),
        (Register::Systems, "name,criticality,owner_email\nBilling,high,ana@x.test\n".to_owned()),
    ];
    for (register, csv) in setup {
        ws.write(|tx, now| registers::import_csv(tx, now, register, csv.as_bytes(), ImportOptions::APPLY)).unwrap();
    }
    let rows: u32 = 400;
    let mut csv = String::from(
        "reference,title,system,author_email,approver_email,approved_at,deployed_at,tested,test_notes,rollback_plan\n",
    );
    for i in 0..rows {
        csv.push_str(&format!(
            "PR-{i:04},Change {i},Billing,ana@x.test,bo@x.test,2026-03-02 09:00,2026-03-02 15:00,yes,CI passed,Revert\n"
        ));
    }
    let report = ws
        .write(|tx, now| {
            tx.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_PROFILE, Some(count_statement));
            let report = registers::import_csv(tx, now, Register::Changes, csv.as_bytes(), ImportOptions::APPLY);
            tx.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_PROFILE, None);
            report
        })
        .unwrap();
    assert_eq!((report.created, report.errors.len()), (rows, 0));
    let now = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap().and_hms_opt(12, 0, 0).unwrap();
    assert_eq!(ws.read(|c| changes::list(c, &ChangeQuery::default(), now)).unwrap().total, rows);
    assert_eq!(SAVEPOINTS.load(Ordering::SeqCst), 2, "one savepoint opened and released for the file");
    let per_row = STATEMENTS.load(Ordering::SeqCst) as f64 / f64::from(rows);
    // Seven: the key, the reference's uniqueness, the system and both people checked, the
    // insert and its history. The system and the people are looked up once for the file.
    assert!(per_row <= 7.1, "{per_row:.1} statements a row");
}

/// Statements' work while a trace is on, in SQLite's virtual machine steps: every row a table
/// or an index hands to a statement costs a few. A cached statement's counter runs on across
/// its executions, so each is counted from where it stood the last time it finished.
static VM_STEPS: std::sync::atomic::AtomicI64 = std::sync::atomic::AtomicI64::new(0);
static VM_STEPS_SEEN: std::sync::Mutex<Vec<(String, i64)>> = std::sync::Mutex::new(Vec::new());

fn count_vm_steps(event: rusqlite::trace::TraceEvent<'_>) {
    use rusqlite::StatementStatus;
    use std::sync::atomic::Ordering;
    if let rusqlite::trace::TraceEvent::Profile(stmt, _) = event {
        let total = i64::from(stmt.get_status(StatementStatus::VmStep));
        let sql = stmt.sql().into_owned();
        let mut seen = VM_STEPS_SEEN.lock().unwrap_or_else(|e| e.into_inner());
        let before = match seen.iter_mut().find(|(s, _)| *s == sql) {
            Some((_, last)) => std::mem::replace(last, total),
            None => {
                seen.push((sql, total));
                0
            }
        };
        // A statement prepared again after another was dropped starts from zero.
        VM_STEPS.fetch_add(if total >= before { total - before } else { total }, Ordering::SeqCst);
    }
}

/// Rows imported without a reference get the next free numbers, and finding each reads the
/// end of an index, not the register (issue 21: each such row read every change's reference,
/// so an import of n such rows into a register of m cost n × m). Counted, not timed.
#[test]
fn numbering_imported_rows_reads_no_register_in_full() {
    use readyroom_core::csv_import::ImportOptions;
    use readyroom_core::{registers, Register};
    use std::sync::atomic::Ordering;
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    ws.write(|tx, _| {
        let mut insert = tx.prepare(
            "INSERT INTO changes (reference, title, description, tested, test_notes, rollback_plan, emergency, created_at, updated_at)
             VALUES (?1, 'T', '', 1, 'CI', 'Revert', 0, 'x', 'x')",
        )?;
        for n in 1..=2_000 {
            insert.execute([format!("CHG-{n:04}")])?;
        }
        // The highest app number, typed in lower case, and references that are not the app's.
        for reference in ["chg-2500", "CHG-", "CHG-x9999", "PR-9999", "RISK-3000"] {
            insert.execute([reference])?;
        }
        Ok(())
    })
    .unwrap();
    let rows = 200;
    let mut csv = String::from("reference,title,deployed_at,tested,test_notes,rollback_plan\n");
    for i in 0..rows {
        csv.push_str(&format!(",Change {i},2026-03-02 15:00,yes,CI passed,Revert\n"));
    }
    let report = ws
        .write(|tx, now| {
            tx.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_PROFILE, Some(count_vm_steps));
            let report = registers::import_csv(tx, now, Register::Changes, csv.as_bytes(), ImportOptions::APPLY);
            tx.trace_v2(rusqlite::trace::TraceEventCodes::SQLITE_TRACE_PROFILE, None);
            report
        })
        .unwrap();
    assert_eq!((report.created, report.errors.len()), (rows, 0), "{:?}", report.errors);
    let numbers: Vec<String> = ws
        .read(|c| {
            let mut s = c.prepare("SELECT reference FROM changes WHERE title LIKE 'Change %' ORDER BY id")?;
            let v = s.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(v)
        })
        .unwrap();
    let expected: Vec<String> = (2_501..2_501 + rows).map(|n| format!("CHG-{n:04}")).collect();
    assert_eq!(numbers, expected);
    let steps = VM_STEPS.load(Ordering::SeqCst) / i64::from(rows);
    assert!(steps < 1_000, "{steps} steps a row in a register of 2,005 changes");
}
