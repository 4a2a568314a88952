//! Figures at scale (issue 21): the demo company plus 2,000 people, 1,000 controls, 1,000
//! risks, 500 vendors, 200 systems, 5,000 changes and 10,000 training completions ("1x"), and
//! the same times 4. For each scale it prints: list (first and last page), export of changes
//! and vendors; all checks; the report's time, pages and peak memory; the imports of the
//! changes and the completions beside `sqlite3 .import` of the same files; the history's share
//! of the file; the write-ahead log after the imports.
//!
//!     cargo run --release -p readyroom-core --example bench_scale [-- 1 4]
//!
//! `BENCH_KEEP=DIR` keeps a copy of each workspace in DIR.
//!
//! Peak memory is a high-water mark (VmHWM, Linux): of this process, reset before the report
//! (it includes what the benchmark had resident already), and of a fresh process that opens
//! the workspace read-only and writes the report, as the command line does.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use readyroom_core::changes::{self, ChangeQuery};
use readyroom_core::clock::SystemClock;
use readyroom_core::csv_import::ImportOptions;
use readyroom_core::pdf::Paper;
use readyroom_core::vendors::{self, VendorQuery};
use readyroom_core::{readiness, registers, report, Access, OpenOptions, Register, Workspace};

#[path = "common/timing.rs"]
mod timing;
use timing::{ms, time};

type Res<T> = Result<T, Box<dyn std::error::Error>>;

fn main() -> Res<()> {
    let args: Vec<String> = std::env::args().collect();
    if let [_, flag, path] = args.as_slice() {
        if flag == "--report-of" {
            return report_child(Path::new(path));
        }
    }
    let scales: Vec<usize> = std::env::args().skip(1).filter_map(|a| a.parse().ok()).collect();
    let scales = if scales.is_empty() { vec![1, 4] } else { scales };
    println!("Readyroom at scale (release build, real SQLite file; median / worst of 5 runs)\n");
    for scale in scales {
        run(scale)?;
    }
    Ok(())
}

fn import(ws: &Workspace, register: Register, csv: &str) -> Res<Duration> {
    let start = Instant::now();
    let r = registers::import_csv_into(ws, register, csv.as_bytes(), ImportOptions::APPLY)?;
    let took = start.elapsed();
    assert!(r.errors.is_empty(), "{register:?}: {:?}", r.errors.first());
    Ok(took)
}

/// `sqlite3 :memory:`-free comparison: a new database file, a table with the file's columns,
/// and `.import` of the same CSV file, timed around the sqlite3 process.
fn sqlite_import(dir: &Path, name: &str, csv: &str) -> Res<Duration> {
    let file = dir.join(format!("{name}.csv"));
    std::fs::write(&file, csv)?;
    let db = dir.join(format!("{name}.sqlite"));
    let _ = std::fs::remove_file(&db);
    let header = csv.lines().next().unwrap_or_default();
    let create = format!(
        "CREATE TABLE t ({});",
        header.split(',').map(|c| format!("\"{c}\" TEXT")).collect::<Vec<_>>().join(", ")
    );
    let start = Instant::now();
    let status = std::process::Command::new("sqlite3")
        .arg(&db)
        .arg(create)
        .arg(".mode csv")
        .arg(format!(".import --skip 1 {} t", file.display()))
        .status()?;
    let took = start.elapsed();
    assert!(status.success(), "sqlite3 failed");
    Ok(took)
}

fn file_size(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

fn peak_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
}

/// The child's side: the report of the workspace at `path`, then the peak memory in KiB.
fn report_child(path: &Path) -> Res<()> {
    let ws = Workspace::open(path, OpenOptions::new(Access::ReadOnly, Arc::new(SystemClock)))?;
    let today = chrono::Utc::now().date_naive();
    let pdf = ws.read(|c| report::readiness_report(c, today, Paper::A4))?;
    println!("{} {}", pdf.len(), peak_kib().unwrap_or(0));
    Ok(())
}

/// The peak memory, in KiB, of a fresh process writing the report of the workspace at `path`.
fn report_in_child(path: &Path) -> Res<u64> {
    let out = std::process::Command::new(std::env::current_exe()?).arg("--report-of").arg(path).output()?;
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "the report's child failed: {}", String::from_utf8_lossy(&out.stderr));
    Ok(text.split_whitespace().nth(1).and_then(|k| k.parse().ok()).unwrap_or(0))
}

fn reset_peak() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

fn run(scale: usize) -> Res<()> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("scale.readyroom");
    let ws = Workspace::open(&path, OpenOptions::new(Access::Create, Arc::new(SystemClock)))?;
    let today = chrono::Utc::now().date_naive();
    let now = chrono::Utc::now().naive_utc();
    ws.write(|tx, now| readyroom_core::demo::create(tx, now, today))?;

    let (people, controls, risks, vendor_count, systems, change_count, completions) =
        (2000 * scale, 1000 * scale, 1000 * scale, 500 * scale, 200 * scale, 5000 * scale, 10000 * scale);
    let mut csv = String::from("name,email,role,start_date\n");
    for i in 0..people {
        csv.push_str(&format!("Person {i},p{i}@scale.test,Engineer,2024-02-{:02}\n", i % 28 + 1));
    }
    import(&ws, Register::People, &csv)?;
    let mut csv = String::from("reference,title,status,cadence,criteria,owner_email\n");
    for i in 0..controls {
        csv.push_str(&format!("S-{i:05},Control {i},implemented,quarterly,CC6.1 CC7.2,p{}@scale.test\n", i % people));
    }
    import(&ws, Register::Controls, &csv)?;
    let mut csv = String::from("title,category,inherent_likelihood,inherent_impact,owner_email\n");
    for i in 0..risks {
        csv.push_str(&format!("Risk {i},security,{},{},p{}@scale.test\n", i % 5 + 1, (i / 5) % 5 + 1, i % people));
    }
    import(&ws, Register::Risks, &csv)?;
    let mut csv = String::from("name,service,criticality,security_clause,last_assessed_on\n");
    for i in 0..vendor_count {
        let crit = ["critical", "high", "medium", "low"][i % 4];
        csv.push_str(&format!("Vendor {i:05},Service,{crit},yes,2026-0{}-15\n", i % 9 + 1));
    }
    import(&ws, Register::Vendors, &csv)?;
    let mut csv = String::from("name,criticality,owner_email\n");
    for i in 0..systems {
        csv.push_str(&format!("System {i:04},{},p{}@scale.test\n", ["high", "medium", "low"][i % 3], i % people));
    }
    import(&ws, Register::Systems, &csv)?;
    let mut changes_csv = String::from(
        "reference,title,system,author_email,approver_email,approved_at,deployed_at,tested,test_notes,rollback_plan\n",
    );
    for i in 0..change_count {
        let day = 1 + i % 28;
        changes_csv.push_str(&format!(
            "PR-{i:06},Change {i},System {:04},p{}@scale.test,p{}@scale.test,2026-03-{day:02} 09:00,2026-03-{day:02} 15:00,yes,CI passed,Revert the commit\n",
            i % systems,
            i % people,
            (i + 1) % people
        ));
    }
    let mut training_csv = String::from("email,course,completed_on\n");
    let course = ws.read(|c| readyroom_core::training::courses(c, false).map(|v| v.first().map(|c| c.name.clone())))?;
    let course = course.unwrap_or_else(|| "Security awareness".into());
    for i in 0..completions {
        training_csv.push_str(&format!(
            "p{}@scale.test,{course},20{}-{:02}-{:02}\n",
            i % people,
            22 + i / people % 4,
            i % 12 + 1,
            i % 28 + 1
        ));
    }
    // The imports are timed three times, the median kept (this machine varies by a third from
    // run to run): twice into copies of the workspace as it stands, then into the workspace.
    let (mut changes_runs, mut training_runs) = (Vec::new(), Vec::new());
    for copy in 0..2 {
        let copy_path = dir.path().join(format!("copy{copy}.readyroom"));
        ws.read(|c| {
            let mut target = rusqlite::Connection::open(&copy_path)?;
            rusqlite::backup::Backup::new(c, &mut target)?.run_to_completion(1024, Duration::ZERO, None)?;
            Ok(())
        })?;
        let copy_ws = Workspace::open(&copy_path, OpenOptions::new(Access::ReadWrite, Arc::new(SystemClock)))?;
        changes_runs.push(import(&copy_ws, Register::Changes, &changes_csv)?);
        training_runs.push(import(&copy_ws, Register::Training, &training_csv)?);
    }
    changes_runs.push(import(&ws, Register::Changes, &changes_csv)?);
    training_runs.push(import(&ws, Register::Training, &training_csv)?);
    let wal = file_size(&path.with_file_name("scale.readyroom-wal"));
    let (mut sqlite_changes_runs, mut sqlite_training_runs) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        sqlite_changes_runs.push(sqlite_import(dir.path(), "changes", &changes_csv)?);
        sqlite_training_runs.push(sqlite_import(dir.path(), "training", &training_csv)?);
    }
    let median = |mut runs: Vec<Duration>| {
        runs.sort();
        runs[runs.len() / 2]
    };
    let (changes_import, training_import) = (median(changes_runs), median(training_runs));
    let (sqlite_changes, sqlite_training) = (median(sqlite_changes_runs), median(sqlite_training_runs));

    println!("{scale}x: {people} people, {controls} controls, {risks} risks, {vendor_count} vendors, {systems} systems, {change_count} changes, {completions} completions (plus the demo)");
    println!(
        "  import {change_count} changes      {}   (sqlite3 .import {}; {:.1}x; medians of 3)",
        ms(changes_import),
        ms(sqlite_changes),
        changes_import.as_secs_f64() / sqlite_changes.as_secs_f64()
    );
    println!(
        "  import {completions} completions {}   (sqlite3 .import {}; {:.1}x; medians of 3)",
        ms(training_import),
        ms(sqlite_training),
        training_import.as_secs_f64() / sqlite_training.as_secs_f64()
    );
    println!("  write-ahead log after the imports: {} KiB", wal / 1024);

    let total_changes = ws.read(|c| changes::list(c, &ChangeQuery { limit: 1, ..Default::default() }, now))?.total;
    let last = total_changes.saturating_sub(100);
    let (med, worst) = time(5, || ws.read(|c| changes::list(c, &ChangeQuery::default(), now)).map(|p| p.rows.len()));
    println!("  changes, first page of 100     {} / {}", ms(med), ms(worst));
    let (med, worst) = time(5, || {
        ws.read(|c| changes::list(c, &ChangeQuery { offset: last, ..Default::default() }, now)).map(|p| p.rows.len())
    });
    println!("  changes, last page of 100      {} / {}", ms(med), ms(worst));
    let (med, worst) = time(5, || ws.read(|c| registers::export_csv(c, Register::Changes)).map(|s| s.len()));
    println!("  changes, export CSV            {} / {}", ms(med), ms(worst));
    let total_vendors = ws.read(|c| vendors::list(c, &VendorQuery { limit: 1, ..Default::default() }, today))?.total;
    let last = total_vendors.saturating_sub(100);
    let (med, worst) = time(5, || ws.read(|c| vendors::list(c, &VendorQuery::default(), today)).map(|p| p.rows.len()));
    println!("  vendors, first page of 100     {} / {}", ms(med), ms(worst));
    let (med, worst) = time(5, || {
        ws.read(|c| vendors::list(c, &VendorQuery { offset: last, ..Default::default() }, today)).map(|p| p.rows.len())
    });
    println!("  vendors, last page of 100      {} / {}", ms(med), ms(worst));
    let (med, worst) = time(5, || ws.read(|c| registers::export_csv(c, Register::Vendors)).map(|s| s.len()));
    println!("  vendors, export CSV            {} / {}", ms(med), ms(worst));
    let (med, worst) = time(5, || ws.read(|c| readiness::check_all(c, today)).map(|r| r.checks.len()));
    println!("  all checks                     {} / {}", ms(med), ms(worst));

    reset_peak();
    let start = Instant::now();
    let pdf = ws.read(|c| report::readiness_report(c, today, Paper::A4))?;
    let took = start.elapsed();
    let peak = peak_kib();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &pdf)?;
    let info = std::process::Command::new("pdfinfo")
        .arg(&file)
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).into_owned());
    let pages = info.ok().and_then(|i| i.lines().find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().to_owned())));
    ws.checkpoint()?;
    drop(ws);
    let child = report_in_child(&path)?;
    println!(
        "  report                         {}   ({} pages, {} KiB, peak memory {} MiB here, {} MiB in a fresh process)",
        ms(took),
        pages.unwrap_or_else(|| "?".into()),
        pdf.len() / 1024,
        peak.map_or("?".into(), |k| (k / 1024).to_string()),
        child / 1024
    );
    let size = file_size(&path);
    if let Some(keep) = std::env::var_os("BENCH_KEEP") {
        // A copy of the workspace to look into (sqlite3, dbstat) after the run.
        std::fs::copy(&path, Path::new(&keep).join(format!("scale-{scale}x.readyroom")))?;
    }
    // The pages of the history table and its indexes, as SQLite's dbstat counts them.
    let out = std::process::Command::new("sqlite3")
        .arg(&path)
        .arg("SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name = 'history' OR name IN (SELECT name FROM sqlite_schema WHERE tbl_name = 'history')")
        .output()?;
    let history: u64 = String::from_utf8_lossy(&out.stdout).trim().parse().unwrap_or(0);
    println!(
        "  history: {} KiB of the file's {} KiB ({:.0} %)\n",
        history / 1024,
        size / 1024,
        100.0 * history as f64 / size as f64
    );
    Ok(())
}
