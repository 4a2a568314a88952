//! Readiness at size: all fourteen checks and every control's periods on a Type II workspace
//! with a 12-month observation window, 1,000 controls and 10,000 records in each register
//! the checks read (people, systems, vendors, data types, changes, access reviews, log
//! reviews, disposals, vendor assessments, training completions, control activities), most
//! with evidence.
//!
//!     cargo run --release -p readyroom-core --example bench_readiness
//!
//! Then the same workspace encrypted (SQLCipher, as `readyroom encrypt` makes it): the checks
//! and the readiness report on the plain and the encrypted file, side by side.
//!
//! The workspace is built with plain SQL inserts (the set-up is not what is measured), each
//! row recorded on the day it happened so the checks' history-true reads see a real story.

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use readyroom_core::clock::FixedClock;
use readyroom_core::pdf::Paper;
use readyroom_core::readiness;
use readyroom_core::{encryption, report, Access, OpenOptions, Secret, Workspace};

#[path = "common/timing.rs"]
mod timing;
use timing::{ms, time};
#[path = "common/type2.rs"]
mod type2;
use type2::{build, day, AS_OF, CONTROLS, RECORDS};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.readyroom");
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d")?;
    let now = as_of.and_hms_opt(18, 0, 0).unwrap().and_utc();
    let ws = Workspace::open(&path, OpenOptions::new(Access::Create, Arc::new(FixedClock(now))))?;
    let start = Instant::now();
    build(&ws)?;
    println!(
        "Readyroom readiness benchmark: {CONTROLS} controls, {RECORDS} records per register, a 12-month Type II window\n"
    );
    println!("set-up (SQL inserts, not measured below): {}", ms(start.elapsed()));
    let size = std::fs::metadata(&path)?.len();
    println!("workspace file: {:.1} MiB\n", size as f64 / 1024.0 / 1024.0);

    let r = ws.read(|c| readiness::check_all(c, as_of))?;
    let findings: usize = r.checks.iter().map(|c| c.findings.len()).sum();
    let (med, worst) = time(5, || ws.read(|c| readiness::check_all(c, as_of)));
    println!(
        "all 14 checks as of {AS_OF}:         {} median / {} worst of 5  ({findings} findings; {} pass, {} warn, {} fail)",
        ms(med),
        ms(worst),
        r.pass,
        r.warn,
        r.fail
    );
    let (med, worst) = time(5, || ws.read(|c| readiness::check_all(c, day(180))));
    println!("all 14 checks as of {} (mid-window): {} median / {} worst of 5", day(180), ms(med), ms(worst));
    let t = ws.read(|c| readiness::controls::timelines(c, as_of))?;
    let periods: usize = t.iter().map(|t| t.periods.len()).sum();
    let (med, worst) = time(5, || ws.read(|c| readiness::controls::timelines(c, as_of)));
    println!("every control's periods ({periods}):  {} median / {} worst of 5", ms(med), ms(worst));
    let (med, _) = time(3, || ws.read(|c| readiness::exceptions::list(c, as_of)));
    let n = ws.read(|c| readiness::exceptions::list(c, as_of))?.len();
    println!("exceptions ({n}):                     {}", ms(med));
    drop(ws);

    // The same workspace, encrypted: what encryption at rest costs the checks and the report.
    let encrypted = dir.path().join("encrypted.readyroom");
    std::fs::copy(&path, &encrypted)?;
    let start = Instant::now();
    encryption::encrypt(&encrypted, "benchmark passphrase")?;
    println!("\nencrypting the workspace in place:   {}", ms(start.elapsed()));
    let open = |p: &std::path::Path, secret: Option<Secret>| {
        Workspace::open(p, OpenOptions::new(Access::ReadWrite, Arc::new(FixedClock(now))).with_secret(secret))
    };
    let start = Instant::now();
    let enc = open(&encrypted, Some(Secret::passphrase("benchmark passphrase")))?;
    println!("opening it with the passphrase:      {} (Argon2id, 64 MiB)", ms(start.elapsed()));
    let plain = open(&path, None)?;
    println!("\n                                    plain      encrypted  ratio");
    let compare = |what: &str, f: &dyn Fn(&Workspace) -> readyroom_core::Result<()>| -> readyroom_core::Result<()> {
        let (p, _) = time(5, || f(&plain));
        let (e, _) = time(5, || f(&enc));
        println!("{what:<36}{:>9}  {:>9}  {:.2}x", ms(p), ms(e), e.as_secs_f64() / p.as_secs_f64());
        Ok(())
    };
    compare("all 14 checks", &|w| w.read(|c| readiness::check_all(c, as_of)).map(drop))?;
    compare("readiness report (PDF)", &|w| w.read(|c| report::readiness_report(c, as_of, Paper::A4)).map(drop))?;
    Ok(())
}
