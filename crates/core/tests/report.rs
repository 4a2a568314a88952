//! The readiness report of the demo company, read back with pdftotext/pdfinfo (poppler-utils).

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::pdf::Paper;
use readyroom_core::{demo, readiness, report};

fn tool(name: &str, file: &std::path::Path, extra: &[&str]) -> String {
    let out = std::process::Command::new(name)
        .args(extra)
        .arg(file)
        .args(if name == "pdftotext" { vec!["-"] } else { vec![] })
        .output()
        .unwrap_or_else(|e| panic!("{name} (poppler-utils) must be installed: {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn the_report_holds_the_dashboards_verdicts_and_findings() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, as_of)).unwrap();
    let r = ws.read(|c| readiness::check_all(c, as_of)).unwrap();
    let a4 = ws.read(|c| report::readiness_report(c, as_of, Paper::A4)).unwrap();
    assert_eq!(a4, ws.read(|c| report::readiness_report(c, as_of, Paper::A4)).unwrap(), "byte-identical");
    let letter = ws.read(|c| report::readiness_report(c, as_of, Paper::Letter)).unwrap();
    let (fa4, fletter) = (dir.path().join("a4.pdf"), dir.path().join("letter.pdf"));
    std::fs::write(&fa4, &a4).unwrap();
    std::fs::write(&fletter, &letter).unwrap();
    assert!(tool("pdfinfo", &fa4, &[]).contains("595.276 x 841.89 pts (A4)"));
    assert!(tool("pdfinfo", &fletter, &[]).contains("612 x 792 pts (letter)"));
    let text = tool("pdftotext", &fa4, &[]).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("SOC 2 readiness report: Northwind Analytics (demo)"));
    assert!(text.contains("As of 2026-11-26"));
    let overall =
        format!("{} checks pass, {} due soon, {} fail, {} not applicable", r.pass, r.warn, r.fail, r.not_applicable);
    assert!(text.contains(&overall), "{overall}");
    for c in &r.checks {
        for f in c.findings.iter().filter(|f| f.failing).take(2) {
            // Each failing finding's problem is in the "What is missing" table (wrapping may split
            // it, so look for its first words).
            let start: String = f.problem.split_whitespace().take(3).collect::<Vec<_>>().join(" ");
            assert!(text.contains(&start), "{} finding {start:?} missing", c.key);
        }
    }
    for needle in
        ["Inherent risk", "Residual risk", "Criteria coverage", "Appendix: criteria in scope", "Amazon Web Services"]
    {
        assert!(text.contains(needle), "{needle} missing");
    }
    let pages: u32 = tool("pdfinfo", &fa4, &[])
        .lines()
        .find_map(|l| l.strip_prefix("Pages:").map(|p| p.trim().parse().unwrap_or(0)))
        .unwrap_or(0);
    assert!(pages >= 6, "long tables break across pages: {pages}");
    assert!(text.matches("What to do").count() >= 2, "the findings table's header repeats on its next page");
}
