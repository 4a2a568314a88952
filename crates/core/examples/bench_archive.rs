//! The workspace archive and the auditor's binder at size: archive export and import, and the
//! binder of the whole window (then its verification), of a large Type II workspace (1,000
//! controls, 10,000 records in each register the checks read) with 100 MB of evidence files,
//! timed, with the process's peak memory read from /proc (Linux).
//!
//!     cargo run --release -p readyroom-core --example bench_archive
//!
//! Attachments are streamed both ways, so the peak should not follow their total size.

use std::sync::Arc;
use std::time::Instant;

use chrono::NaiveDate;
use readyroom_core::archive;
use readyroom_core::clock::FixedClock;
use readyroom_core::evidence::{self, EvidenceInput, EvidenceTarget};
use readyroom_core::{Access, OpenOptions, Workspace};

#[path = "common/timing.rs"]
mod timing;
use timing::ms;
#[path = "common/type2.rs"]
mod type2;
use type2::{build, AS_OF, CONTROLS, RECORDS};

const FILES: usize = 100;
const FILE_BYTES: usize = 1024 * 1024;

/// The process's peak resident memory so far, in MiB (VmHWM), where /proc has it.
fn peak_mib() -> Option<f64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: f64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024.0)
}

fn peak() -> String {
    peak_mib().map(|m| format!("{m:.0} MiB")).unwrap_or_else(|| "n/a".into())
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("bench.readyroom");
    let as_of = NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d")?;
    let now = as_of.and_hms_opt(18, 0, 0).ok_or("time")?.and_utc();
    let ws = Workspace::open(&path, OpenOptions::new(Access::Create, Arc::new(FixedClock(now))))?;
    build(&ws)?;
    // 100 distinct 1 MiB files (a simple generator, so they do not compress away).
    let attachments = ws.attachments_dir();
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    for i in 0..FILES {
        let bytes: Vec<u8> = (0..FILE_BYTES)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                (state >> 24) as u8
            })
            .collect();
        let input = EvidenceInput {
            file_name: format!("export-{i}.bin"),
            effective_date: "2026-06-01".into(),
            expires_on: String::new(),
            added_by: None,
            description: String::new(),
        };
        let activity = (i as i64 % 1000) + 1;
        ws.write(|tx, now| {
            evidence::attach(tx, now, &attachments, EvidenceTarget::Activity(activity), &bytes, &input)
        })?;
    }
    let size = std::fs::metadata(&path)?.len();
    println!(
        "Readyroom archive benchmark: {CONTROLS} controls, {RECORDS} records per register, {FILES} evidence files of 1 MiB"
    );
    println!("workspace file: {:.1} MiB; peak memory after set-up: {}\n", size as f64 / 1048576.0, peak());

    let out = dir.path().join("bench.readyroom-archive");
    let start = Instant::now();
    let mut ticks = 0u64;
    let s = ws.read(|c| {
        archive::export(c, &ws.protected(), &out, "bench", &mut |_, _| {
            ticks += 1;
            true
        })
    })?;
    let took = start.elapsed();
    println!(
        "export: {} ({} records in {} tables, {} files, archive {:.1} MiB, {ticks} progress reports); peak memory {}",
        ms(took),
        s.rows,
        s.tables,
        s.attachments,
        std::fs::metadata(&out)?.len() as f64 / 1048576.0,
        peak()
    );

    let binder_out = dir.path().join("binder.zip");
    let start = Instant::now();
    let window = (NaiveDate::parse_from_str("2026-01-01", "%Y-%m-%d")?, as_of);
    let b = ws.read(|c| {
        readyroom_core::binder::export(c, &ws.protected(), &binder_out, window, "bench", false, &mut |_, _| true)
    })?;
    println!(
        "binder: {} ({} evidence files, {:.1} MiB of evidence, {} populations, zip {:.1} MiB); peak memory {}",
        ms(start.elapsed()),
        b.evidence_files,
        b.evidence_bytes as f64 / 1048576.0,
        b.populations,
        std::fs::metadata(&binder_out)?.len() as f64 / 1048576.0,
        peak()
    );
    let start = Instant::now();
    let v = readyroom_core::binder::verify(&binder_out)?;
    println!("binder verify: {} ({} entries, ok: {}); peak memory {}", ms(start.elapsed()), v.entries, v.ok(), peak());
    drop(ws);

    let target = dir.path().join("copy").join("copy.readyroom");
    let start = Instant::now();
    let s = archive::import(&out, &target, &mut |_, _| true)?;
    println!(
        "import: {} ({} records, {} files, schema {}); peak memory {}",
        ms(start.elapsed()),
        s.rows,
        s.attachments,
        s.schema_version,
        peak()
    );
    Ok(())
}
