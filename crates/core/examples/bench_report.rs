//! The readiness report on a large workspace: 1,000 controls, 1,000 risks, 500 vendors,
//! 200 incidents and 2,000 people (the size the report must handle in under 2 seconds and
//! 2 MB). Prints render time and file size.
//!
//!     cargo run --release -p readyroom-core --example bench_report

use std::sync::Arc;
use std::time::Instant;

use readyroom_core::clock::SystemClock;
use readyroom_core::{Access, OpenOptions, Workspace};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.readyroom");
    let ws = Workspace::open(&path, OpenOptions::new(Access::Create, Arc::new(SystemClock)))?;
    let today = chrono::Utc::now().date_naive();
    let import = |register: readyroom_core::Register, csv: String| -> Result<(), Box<dyn std::error::Error>> {
        let r = readyroom_core::registers::import_csv_into(
            &ws,
            register,
            csv.as_bytes(),
            readyroom_core::csv_import::ImportOptions::APPLY,
        )?;
        assert!(r.errors.is_empty(), "{:?}", r.errors.first());
        Ok(())
    };
    let mut people = String::from("name,email,start_date\n");
    for i in 0..2000 {
        people.push_str(&format!("Person {i},p{i}@bench.test,2022-02-{:02}\n", i % 28 + 1));
    }
    import(readyroom_core::Register::People, people)?;
    let crit = ["CC6.1", "CC6.2", "CC7.2", "CC8.1", "CC3.2", "CC9.2", "A1.2", "C1.1"];
    let mut controls = String::from("reference,title,description,status,cadence,criteria,owner_email\n");
    for i in 0..1000 {
        controls.push_str(&format!(
            "C-{i:04},Control {i},\"What the team does for control {i}, in a sentence or two.\",implemented,annual,{} {},p{}@bench.test\n",
            crit[i % 8],
            crit[(i / 8) % 8],
            i % 2000
        ));
    }
    import(readyroom_core::Register::Controls, controls)?;
    let mut risks = String::from("title,description,category,inherent_likelihood,inherent_impact,treatment,residual_likelihood,residual_impact,owner_email\n");
    for i in 0..1000 {
        let (l, im): (u32, u32) = (i % 5 + 1, (i / 5) % 5 + 1);
        risks.push_str(&format!("Risk {i},\"A risk described at some length so that rows wrap.\",security,{l},{im},mitigate,{},{im},p{}@bench.test\n", l.div_ceil(2), i % 2000));
    }
    import(readyroom_core::Register::Risks, risks)?;
    let mut vendors = String::from("name,service,criticality,security_clause,last_assessed_on\n");
    for i in 0..500 {
        vendors.push_str(&format!(
            "Vendor {i:03},Service,{},yes,2026-0{}-15\n",
            ["critical", "high", "medium", "low"][i % 4],
            i % 9 + 1
        ));
    }
    import(readyroom_core::Register::Vendors, vendors)?;
    ws.write(|tx, now| {
        for i in 0..200 {
            let input = readyroom_core::incidents::IncidentInput {
                title: format!("Incident {i}"),
                detected_at: format!("2026-{:02}-{:02} 09:00", i % 10 + 1, i % 28 + 1),
                ..Default::default()
            };
            readyroom_core::incidents::create(tx, now, &input)?;
        }
        Ok(())
    })?;
    println!("Readiness report: 1,000 controls, 1,000 risks, 500 vendors, 200 incidents, 2,000 people (release build)");
    let mut best = f64::MAX;
    let mut bytes = Vec::new();
    for _ in 0..3 {
        let start = Instant::now();
        bytes = ws.read(|c| readyroom_core::report::readiness_report(c, today, readyroom_core::pdf::Paper::A4))?;
        best = best.min(start.elapsed().as_secs_f64());
    }
    let out = dir.path().join("report.pdf");
    std::fs::write(&out, &bytes)?;
    println!("  render (best of 3)   {:8.0} ms", best * 1000.0);
    println!("  file size            {:8.0} KiB", bytes.len() as f64 / 1024.0);
    Ok(())
}
