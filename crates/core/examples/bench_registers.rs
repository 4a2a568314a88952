//! Register benchmarks on a real workspace file:
//! a 10,000-row CSV import of controls, then list/search/filter/sort queries over them.
//!
//!     cargo run --release -p readyroom-core --example bench_registers
//!
//! Prints the median and worst of repeated runs for each operation.

use std::sync::Arc;
use std::time::{Duration, Instant};

use readyroom_core::clock::SystemClock;
use readyroom_core::controls::{self, Cadence, ControlQuery, ControlSort, ControlStatus};
use readyroom_core::{Access, OpenOptions, Workspace};

const ROWS: usize = 10_000;
const CRITERIA: [&str; 8] = ["CC6.1", "CC6.2", "CC6.3", "CC7.2", "CC8.1", "CC9.2", "A1.2", "C1.1"];
const WORDS: [&str; 8] = ["access", "backup", "review", "logging", "vendor", "change", "encryption", "training"];

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut samples: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            std::hint::black_box(f());
            start.elapsed()
        })
        .collect();
    samples.sort();
    (samples[runs / 2], samples[runs - 1])
}

fn ms(d: Duration) -> String {
    format!("{:8.2} ms", d.as_secs_f64() * 1000.0)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.readyroom");
    let ws = Workspace::open(&path, OpenOptions { access: Access::ReadWrite, clock: Arc::new(SystemClock) })?;

    let mut csv = String::from("reference,title,description,status,cadence,criteria\n");
    for i in 0..ROWS {
        let word = WORDS[i % WORDS.len()];
        let status = ["not_started", "in_progress", "implemented"][i % 3];
        let cadence = ["continuous", "monthly", "quarterly", "annual", "per_event"][i % 5];
        let crit = format!("{} {}", CRITERIA[i % 8], CRITERIA[(i / 8) % 8]);
        csv.push_str(&format!(
            "C-{i:05},Control {i} for {word},\"The team performs the {word} activity, records evidence, and reviews it.\",{status},{cadence},{crit}\n"
        ));
    }
    println!("Readyroom register benchmarks ({ROWS} controls, real SQLite file, release build)\n");
    println!("CSV file: {} KiB", csv.len() / 1024);

    let start = Instant::now();
    let dry = ws.write(|tx, now| controls::import_csv(tx, now, csv.as_bytes(), true))?;
    println!("import {ROWS} rows, dry run (parse + validate): {}", ms(start.elapsed()));
    assert_eq!(dry.created as usize, ROWS, "{:?}", dry.errors.first());
    let start = Instant::now();
    let report = ws.write(|tx, now| controls::import_csv(tx, now, csv.as_bytes(), false))?;
    println!("import {ROWS} rows, applied (one transaction):   {}", ms(start.elapsed()));
    assert_eq!(report.created as usize, ROWS);
    let start = Instant::now();
    let again = ws.write(|tx, now| controls::import_csv(tx, now, csv.as_bytes(), false))?;
    println!("re-import the same {ROWS} rows (all unchanged):  {}", ms(start.elapsed()));
    assert_eq!(again.unchanged as usize, ROWS);
    let (med, _) = time(5, || ws.read(controls::export_csv));
    println!("export {ROWS} rows to CSV:                       {}", ms(med));

    println!("\nlist queries (page of 100; median / worst of 30 runs):");
    let queries: Vec<(&str, ControlQuery)> = vec![
        ("first page, by reference", ControlQuery::default()),
        ("last page (offset 9,900)", ControlQuery { offset: 9_900, ..Default::default() }),
        ("search \"encryption\"", ControlQuery { search: "encryption".into(), ..Default::default() }),
        ("search, no match", ControlQuery { search: "zzzz".into(), ..Default::default() }),
        (
            "filter status + cadence",
            ControlQuery {
                status: Some(ControlStatus::Implemented),
                cadence: Some(Cadence::Quarterly),
                ..Default::default()
            },
        ),
        ("filter by criterion CC6.3", ControlQuery { criterion: Some("CC6.3".into()), ..Default::default() }),
        (
            "sort by title, descending",
            ControlQuery { sort: ControlSort::Title, descending: true, ..Default::default() },
        ),
        ("sort by last performed", ControlQuery { sort: ControlSort::LastPerformed, ..Default::default() }),
    ];
    for (name, q) in &queries {
        let page = ws.read(|c| controls::list(c, q))?;
        let (med, worst) = time(30, || ws.read(|c| controls::list(c, q)));
        println!("  {name:<28} {} / {}   ({} matches)", ms(med), ms(worst), page.total);
    }
    Ok(())
}
