//! Register benchmarks on a real workspace file:
//! a 10,000-row CSV import of controls, then list/search/filter/sort queries over them.
//!
//!     cargo run --release -p readyroom-core --example bench_registers
//!
//! Prints the median and worst of repeated runs for each operation.

use std::sync::Arc;
use std::time::Instant;

use readyroom_core::clock::SystemClock;
use readyroom_core::controls::{self, Cadence, ControlQuery, ControlSort, ControlStatus};
use readyroom_core::{Access, OpenOptions, Workspace};

const ROWS: usize = 10_000;
const CRITERIA: [&str; 8] = ["CC6.1", "CC6.2", "CC6.3", "CC7.2", "CC8.1", "CC9.2", "A1.2", "C1.1"];
const WORDS: [&str; 8] = ["access", "backup", "review", "logging", "vendor", "change", "encryption", "training"];

#[path = "common/timing.rs"]
mod timing;
use timing::{ms, time};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.readyroom");
    let ws = Workspace::open(&path, OpenOptions::new(Access::Create, Arc::new(SystemClock)))?;

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
    let dry = readyroom_core::registers::import_csv_into(
        &ws,
        readyroom_core::Register::Controls,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::DRY_RUN,
    )?;
    println!("import {ROWS} rows, dry run (parse + validate): {}", ms(start.elapsed()));
    assert_eq!(dry.created as usize, ROWS, "{:?}", dry.errors.first());
    let start = Instant::now();
    let report = readyroom_core::registers::import_csv_into(
        &ws,
        readyroom_core::Register::Controls,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )?;
    println!("import {ROWS} rows, applied (one transaction):   {}", ms(start.elapsed()));
    assert_eq!(report.created as usize, ROWS);
    let start = Instant::now();
    let again = readyroom_core::registers::import_csv_into(
        &ws,
        readyroom_core::Register::Controls,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )?;
    println!("re-import the same {ROWS} rows (all unchanged):  {}", ms(start.elapsed()));
    assert_eq!(again.unchanged as usize, ROWS);
    let (med, _) =
        time(5, || ws.read(|c| readyroom_core::registers::export_csv(c, readyroom_core::Register::Controls)));
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
    bench_risks(&ws)?;
    bench_vendors(&ws)?;
    bench_readiness(&ws)
}

/// Adds 10,000 people and 10,000 systems to the workspace built above (10,000 controls, risks,
/// vendors), then runs all fourteen readiness checks and the 90-day calendar.
fn bench_readiness(ws: &Workspace) -> Result<(), Box<dyn std::error::Error>> {
    use readyroom_core::readiness;
    let mut people = String::from("name,email,start_date,end_date\n");
    for i in 0..ROWS {
        let end = if i % 50 == 0 { "2026-06-30" } else { "" };
        people.push_str(&format!("Person {i},person{i}@bench.test,2021-01-{:02},{end}\n", i % 28 + 1));
    }
    readyroom_core::registers::import_csv_into(
        ws,
        readyroom_core::Register::People,
        people.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )?;
    let mut systems =
        String::from("name,criticality,mfa_enforced,role_based_access,holds_customer_data,certificates\n");
    for i in 0..ROWS {
        let crit = ["critical", "high", "medium", "low"][i % 4];
        systems.push_str(&format!(
            "System {i:05},{crit},{},yes,{},cert{i}=2027-0{}-15\n",
            if i % 3 == 0 { "no" } else { "yes" },
            if i % 2 == 0 { "yes" } else { "no" },
            i % 9 + 1
        ));
    }
    let r = readyroom_core::registers::import_csv_into(
        ws,
        readyroom_core::Register::Systems,
        systems.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )?;
    assert_eq!(r.created as usize, ROWS, "{:?}", r.errors.first());
    let today = chrono::Utc::now().date_naive();
    println!("\nreadiness (10,000 each of controls, risks, vendors, people, systems):");
    let (med, worst) = time(3, || ws.read(|c| readiness::check_all(c, today)));
    let r = ws.read(|c| readiness::check_all(c, today))?;
    let findings: usize = r.checks.iter().map(|c| c.findings.len()).sum();
    println!("  all 14 checks                {} / {}   ({findings} findings)", ms(med), ms(worst));
    let (med, _) = time(3, || ws.read(|c| readiness::obligations(c, today, 90)));
    println!("  90-day obligations calendar  {}", ms(med));
    Ok(())
}

/// 10,000 vendors, a quarter of them with a SOC 2 report: CSV import and list pages (every
/// list derives each vendor's report status and flags on the as-of date).
fn bench_vendors(ws: &Workspace) -> Result<(), Box<dyn std::error::Error>> {
    use readyroom_core::vendors::{self, Soc2ReportInput, VendorQuery, VendorSort};

    let mut csv = String::from("name,service,criticality,security_clause,last_assessed_on\n");
    for i in 0..ROWS {
        let crit = ["critical", "high", "medium", "low"][i % 4];
        let last = if i % 3 == 0 { String::new() } else { format!("2025-{:02}-15", i % 12 + 1) };
        csv.push_str(&format!(
            "Vendor {i:05},Service {},{crit},{},{last}\n",
            WORDS[i % 8],
            if i % 5 == 0 { "no" } else { "yes" }
        ));
    }
    println!("\nvendors ({ROWS}, {} with a SOC 2 report):", ROWS / 4);
    let start = Instant::now();
    let report = readyroom_core::registers::import_csv_into(
        ws,
        readyroom_core::Register::Vendors,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )?;
    println!("  import {ROWS} vendors (one transaction):  {}", ms(start.elapsed()));
    assert_eq!(report.created as usize, ROWS, "{:?}", report.errors.first());
    let today = chrono::Utc::now().date_naive();
    let ids: Vec<i64> = ws.read(|c| {
        Ok(vendors::list(c, &VendorQuery { limit: 1000, ..Default::default() }, today)?
            .rows
            .iter()
            .map(|v| v.id)
            .collect())
    })?;
    let start = Instant::now();
    ws.write(|tx, now| {
        for (n, id) in ids.iter().enumerate().take(ROWS / 4) {
            let input = Soc2ReportInput {
                period_start: "2025-01-01".into(),
                period_end: format!("2025-{:02}-28", n % 12 + 1),
                ..Default::default()
            };
            vendors::save_report(tx, now, *id, None, &input)?;
        }
        Ok(())
    })?;
    println!("  save {} SOC 2 worksheets (one transaction): {}", ROWS / 4, ms(start.elapsed()));
    let queries: Vec<(&str, VendorQuery)> = vec![
        ("first page, by name", VendorQuery::default()),
        ("needs attention only", VendorQuery { attention_only: true, ..Default::default() }),
        ("sort by coverage", VendorQuery { sort: VendorSort::Coverage, ..Default::default() }),
    ];
    for (name, q) in &queries {
        let (med, worst) = time(10, || ws.read(|c| vendors::list(c, q, today)));
        println!("  {name:<28} {} / {}", ms(med), ms(worst));
    }
    Ok(())
}

/// 10,000 risks, each linked to two of the controls: CSV import, list pages, the live
/// heatmap, and an assessment snapshot with a comparison.
fn bench_risks(ws: &Workspace) -> Result<(), Box<dyn std::error::Error>> {
    use readyroom_core::heatmap::{self, HeatmapQuery};
    use readyroom_core::risk_assessments::{self, AssessmentInput};
    use readyroom_core::risks::{self, RatingView, RiskQuery, RiskSort};

    let mut csv = String::from(
        "reference,title,category,inherent_likelihood,inherent_impact,treatment,residual_likelihood,residual_impact,controls\n",
    );
    for i in 0..ROWS {
        let (l, im) = (i % 5 + 1, (i / 5) % 5 + 1);
        let word = WORDS[i % WORDS.len()];
        let category = ["security", "operational", "vendor", "availability", "fraud"][i % 5];
        let (treatment, rl, ri) = if i % 2 == 0 { ("mitigate", l.div_ceil(2), im) } else { ("", 0, 0) };
        let residual = |n: usize| if n == 0 { String::new() } else { n.to_string() };
        csv.push_str(&format!(
            "R-{i:05},Risk {i} around {word},{category},{l},{im},{treatment},{},{},C-{:05} C-{:05}\n",
            residual(rl),
            residual(ri),
            i,
            (i * 7) % ROWS
        ));
    }
    println!("\nrisks ({ROWS}, each linked to two controls):");
    let start = Instant::now();
    let report = readyroom_core::registers::import_csv_into(
        ws,
        readyroom_core::Register::Risks,
        csv.as_bytes(),
        readyroom_core::csv_import::ImportOptions::APPLY,
    )?;
    println!("  import {ROWS} risks (one transaction):    {}", ms(start.elapsed()));
    assert_eq!(report.created as usize, ROWS, "{:?}", report.errors.first());
    let today = chrono::Utc::now().date_naive();
    let queries: Vec<(&str, RiskQuery)> = vec![
        ("first page, by reference", RiskQuery::default()),
        ("sort by inherent score", RiskQuery { sort: RiskSort::Inherent, descending: true, ..Default::default() }),
        (
            "filter residual band high",
            RiskQuery {
                band: Some(readyroom_core::scoring::Band::High),
                band_view: RatingView::Residual,
                ..Default::default()
            },
        ),
    ];
    for (name, q) in &queries {
        let (med, worst) = time(20, || ws.read(|c| risks::list(c, q, today)));
        println!("  {name:<28} {} / {}", ms(med), ms(worst));
    }
    let (med, worst) = time(20, || ws.read(|c| heatmap::live(c, &HeatmapQuery::default())));
    println!("  heatmap, inherent            {} / {}", ms(med), ms(worst));
    let (med, worst) =
        time(20, || ws.read(|c| heatmap::live(c, &HeatmapQuery { view: RatingView::Residual, ..Default::default() })));
    println!("  heatmap, residual            {} / {}", ms(med), ms(worst));
    let input = AssessmentInput { performed_on: today.to_string(), ..Default::default() };
    let start = Instant::now();
    let a = ws.write(|tx, now| risk_assessments::create(tx, now, &input))?;
    println!("  record an assessment (snapshot of {}): {}", a.risks.len(), ms(start.elapsed()));
    let b = ws.write(|tx, now| risk_assessments::create(tx, now, &input))?;
    let (med, _) = time(5, || ws.read(|c| risk_assessments::compare(c, a.summary.id, b.summary.id)));
    println!("  compare two assessments      {}", ms(med));
    Ok(())
}
