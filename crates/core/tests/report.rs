//! The readiness report of the demo company, read back with pdftotext/pdfinfo (poppler-utils).

mod common;

use chrono::NaiveDate;
use common::{open, open_on, temp_workspace};
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

#[test]
fn a_report_on_an_earlier_date_shows_that_date_not_today() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    let render = |d: NaiveDate, name: &str| {
        let bytes = ws.read(|c| report::readiness_report(c, d, Paper::A4)).unwrap();
        let f = dir.path().join(name);
        std::fs::write(&f, &bytes).unwrap();
        tool("pdftotext", &f, &[]).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let now = render(today, "now.pdf");
    // The demo's latest exercise was held about two months ago; four months ago it had not been.
    let held: Vec<(String, String)> = ws
        .read(|c| {
            Ok(c.prepare("SELECT reference, held_on FROM exercises WHERE held_on IS NOT NULL ORDER BY held_on DESC")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?)
        })
        .unwrap();
    let (latest, on) = held.first().expect("the demo holds exercises").clone();
    let on = NaiveDate::parse_from_str(&on, "%Y-%m-%d").unwrap();
    let before = render(on.pred_opt().unwrap(), "before.pdf");
    assert!(now.contains(latest.as_str()) && now.contains(&format!("{on} Held")), "held, today");
    assert!(!before.contains(&format!("{on} Held")), "not held yet the day before");
    // Access reviews are grouped by the window's own quarters, as the check counts them.
    assert!(now.contains("Access reviews by quarter of the window"), "window quarters");
    assert!(now.contains("Exceptions and management responses"));
}

/// The quarter under way is not reported as a missed access review: on its first day the
/// report says the review is due by its end; once it has ended without one, it is the gap.
#[test]
fn the_quarter_under_way_is_due_not_missed() {
    let (dir, path) = temp_workspace();
    let ws = open_on(&path, "2026-12-02").unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 12, 2).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    let quarter = ws
        .read(|c| {
            let p = readyroom_core::profile::get(c)?.expect("the demo has a profile");
            Ok(readiness::periods::window_periods(readiness::type2_window(Some(&p)).expect("a Type II window"), 3))
        })
        .unwrap()
        .into_iter()
        .find(|q| q.start == today)
        .expect("a quarter of the demo's window starts on the day");
    let render = |d: NaiveDate, name: &str| {
        let bytes = ws.read(|c| report::readiness_report(c, d, Paper::A4)).unwrap();
        let f = dir.path().join(name);
        std::fs::write(&f, &bytes).unwrap();
        tool("pdftotext", &f, &[]).split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let row = format!("{} to {}", quarter.start, quarter.end);
    let now = render(today, "now.pdf");
    assert!(now.contains(&format!("{row} None yet: due by {}", quarter.end)), "{now}");
    assert!(!now.contains("No access review recorded"), "every past quarter has its review");
    let after = render(quarter.end.succ_opt().unwrap(), "after.pdf");
    assert!(after.contains(&format!("{row} No access review recorded")), "the ended quarter is the gap");
    assert!(!after.contains("None yet"));
}

#[test]
fn no_date_or_reference_is_split_across_lines() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    for paper in [Paper::A4, Paper::Letter] {
        let bytes = ws.read(|c| report::readiness_report(c, today, paper)).unwrap();
        let f = dir.path().join("report.pdf");
        std::fs::write(&f, &bytes).unwrap();
        let text = tool("pdftotext", &f, &[]);
        let mut dates = 0;
        for line in text.lines() {
            let words: Vec<&str> = line.split_whitespace().collect();
            for (k, w) in words.iter().enumerate() {
                let w = w.trim_matches(|c: char| "().,;:".contains(c));
                // A token that starts like a date is a whole date.
                if w.len() >= 5 && w[..4].chars().all(|c| c.is_ascii_digit()) && w[4..].starts_with('-') {
                    dates += 1;
                    let whole = w.len() >= 10 && NaiveDate::parse_from_str(&w[..10], "%Y-%m-%d").is_ok();
                    assert!(whole, "{paper:?}: a date cut at the end of a line: {line:?}");
                }
                // A reference ("CHG-03", "ACT-0001") never ends a line at its hyphen.
                let last = k + 1 == words.len();
                if last && w.ends_with('-') && w.len() > 1 && w[..w.len() - 1].chars().all(|c| c.is_ascii_uppercase()) {
                    panic!("{paper:?}: a reference cut at its hyphen: {line:?}");
                }
            }
        }
        assert!(dates > 20, "{paper:?}: the report names its dates ({dates})");
    }
}

#[test]
fn page_one_concludes_and_findings_are_grouped_with_their_records() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    let r = ws.read(|c| readiness::check_all(c, today)).unwrap();
    let bytes = ws.read(|c| report::readiness_report(c, today, Paper::A4)).unwrap();
    let f = dir.path().join("report.pdf");
    std::fs::write(&f, &bytes).unwrap();
    let flat = |t: String| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let page1 = flat(tool("pdftotext", &f, &["-f", "1", "-l", "1"]));
    let applicable = r.pass + r.warn + r.fail;
    let headline = format!("Not ready: {} of {applicable} checks fail", r.fail);
    assert!(page1.contains(&headline), "page 1 opens with the verdict: {page1}");
    assert!(page1.contains("First: "), "and what must happen first");
    assert!(page1.find(&headline) < page1.find("Executive summary"), "before the summary");
    let text = flat(tool("pdftotext", &f, &[]));
    // One line per check and fix: a group of several records names how many and each record.
    let groups = readyroom_core::overview::group_findings(&r.checks);
    let many = groups.iter().find(|g| g.findings.len() > 1).expect("the demo has a group of several records");
    assert!(text.contains(&format!("{} records.", many.findings.len())), "{}", many.check_title);
    for f in &many.findings {
        let name = readyroom_core::overview::record_name(&f.record);
        assert!(text.contains(&name), "{name} is listed");
    }
    let findings: usize = r.checks.iter().map(|c| c.findings.len()).sum();
    assert!(groups.len() < findings, "grouped: {} lines for {findings} findings", groups.len());
    assert!(text.contains("Would fail on"), "passing checks say when they would fail");
    // The control register as it stood: each control with its owner, status and cadence then.
    assert!(text.contains("Control register") && text.contains("occurrence met"), "its headings");
    let register = &text[text.find("Control register").unwrap()..];
    for cell in ["AC-01", "Unique accounts, no sharing", "Amara Adler", "Implemented", "Continuous"] {
        assert!(register.contains(cell), "{cell} in the control register");
    }
    assert!(text.contains("Sign-off") && text.contains("Prepared by") && text.contains("Reviewed by"));
    // Vendors' reports with their opinion, carve-outs and user entity controls; incidents with
    // whether those who had to be told were.
    assert!(text.contains("Vendors' SOC 2 reports") && text.contains("Amazon Web Services (Carve-out)"));
    assert!(text.contains("2, 2 covered by our controls"), "Okta's user entity controls");
    assert!(text.contains("Customers: told") && text.contains("None required"), "incident notifications");
    assert!(text.contains("Confidential · Northwind Analytics (demo)"), "the footer says confidential");
}

/// pdftotext marks a right-to-left run with U+202B … U+202C; the words inside are in
/// logical order.
fn without_direction_marks(text: &str) -> String {
    text.chars().filter(|c| !matches!(c, '\u{202A}'..='\u{202E}')).collect()
}

#[test]
fn names_in_every_script_are_printed_as_written() {
    use readyroom_core::{people, risks, vendors};
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| {
        let owner = people::create(
            tx,
            now,
            &people::PersonInput { name: "王小明".into(), email: "wang@example.com".into(), ..Default::default() },
        )?;
        risks::create(
            tx,
            now,
            &risks::RiskInput {
                title: "🔥 Fire in the server room".into(),
                owner_id: Some(owner.id),
                inherent_likelihood: Some(4),
                inherent_impact: Some(5),
                ..Default::default()
            },
        )?;
        vendors::create(tx, now, &vendors::VendorInput { name: "شركة الأمل".into(), ..Default::default() })
    })
    .unwrap();
    let pdf = ws.read(|c| report::readiness_report(c, as_of, Paper::A4)).unwrap();
    assert_eq!(pdf, ws.read(|c| report::readiness_report(c, as_of, Paper::A4)).unwrap(), "byte-identical");
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = without_direction_marks(&tool("pdftotext", &file, &[]));
    for name in ["王小明", "شركة الأمل", "🔥 Fire in the server room"] {
        assert!(text.contains(name), "{name} is not in the report as written:\n{text}");
    }
    assert!(!text.contains('\u{FFFD}') && !text.contains("can print them"), "{text}");
    // Set in fonts found on the system, embedded as subsets.
    let fonts = tool("pdffonts", &file, &[]);
    assert!(fonts.lines().filter(|l| l.starts_with("RRX") && l.contains("yes yes yes")).count() >= 2, "{fonts}");
}

#[test]
fn the_report_lists_every_vendor_and_every_open_action_however_many() {
    use readyroom_core::{actions, vendors};
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let as_of = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| {
        for i in 1..=1100 {
            vendors::create(tx, now, &vendors::VendorInput { name: format!("Vendor {i:04}"), ..Default::default() })?;
        }
        for i in 1..=1050 {
            actions::create(
                tx,
                now,
                &actions::ActionInput { title: format!("Follow-up {i:04}"), ..Default::default() },
            )?;
        }
        Ok(())
    })
    .unwrap();
    let pdf = ws.read(|c| report::readiness_report(c, as_of, Paper::A4)).unwrap();
    let file = dir.path().join("report.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let text = tool("pdftotext", &file, &[]);
    for i in [1, 1000, 1001, 1100] {
        assert!(text.contains(&format!("Vendor {i:04}")), "Vendor {i:04} is missing");
    }
    for i in [1, 1000, 1050] {
        assert!(text.contains(&format!("Follow-up {i:04}")), "Follow-up {i:04} is missing");
    }
}
