//! Every register with a CSV file, round trip: the demo company exported register by register,
//! imported (files from disk, evidence files beside them) into an empty workspace in the order
//! the records depend on each other, and exported again: the same bytes. And the evidence
//! column: files named relative to the CSV's folder are stored by their SHA-256; a missing
//! one fails its row with its line and nothing is written.

mod common;

use std::fs;
use std::path::Path;

use chrono::NaiveDate;
use common::{open, temp_workspace, IMPORTABLE};

/// The order records depend on each other: people first, the dated records last. Systems and
/// data types name each other, so systems come first without their data types (the link is
/// made again by the retention file).
const ORDER: &[Register] = &[
    Register::People,
    Register::Courses,
    Register::Controls,
    Register::Policies,
    Register::Approvals,
    Register::Risks,
    Register::RiskAssessments,
    Register::Vendors,
    Register::Systems,
    Register::Retention,
    Register::Actions,
    Register::Training,
    Register::Leavers,
    Register::Changes,
    Register::AccessReviews,
    Register::Activities,
    Register::LogReviews,
    Register::Disposals,
    Register::VendorAssessments,
    Register::Soc2Reports,
    Register::Acknowledgements,
    Register::Incidents,
    Register::Exercises,
    Register::Requests,
];

/// `text` without one of its columns.
fn without_column(text: &str, column: &str) -> String {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header = r.headers().unwrap().clone();
    let skip = header.iter().position(|h| h == column).unwrap();
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, h)| h)).unwrap();
    for row in r.records() {
        let row = row.unwrap();
        w.write_record(row.iter().enumerate().filter(|(i, _)| *i != skip).map(|(_, v)| v)).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn stored_files(ws: &Workspace) -> usize {
    fs::read_dir(ws.attachments_dir())
        .map(|d| d.filter_map(|e| e.ok()).filter(|e| e.file_name().to_string_lossy().len() == 64).count())
        .unwrap_or(0)
}
use readyroom_core::csv_import::ImportOptions;
use readyroom_core::{demo, registers, ErrorCode, Register, Workspace};

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

/// Writes every evidence file the demo holds into `dir` under its file name (as a user keeps
/// them beside the CSV files).
fn copy_evidence_files(ws: &Workspace, dir: &Path) {
    let files: Vec<(String, String)> = ws
        .read(|c| {
            let mut stmt = c.prepare("SELECT DISTINCT sha256, file_name FROM evidence WHERE sha256 IS NOT NULL")?;
            let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap();
    for (sha, name) in files {
        let target = dir.join(&name);
        let bytes = fs::read(ws.attachments_dir().join(&sha)).unwrap();
        if let Ok(existing) = fs::read(&target) {
            assert_eq!(existing, bytes, "two different demo files are both named {name}");
        }
        fs::write(target, bytes).unwrap();
    }
}

#[test]
fn every_register_round_trips_through_its_csv_file() {
    let (dir, path) = temp_workspace();
    let demo_ws = open(&path).unwrap();
    demo_ws.write(|tx, now| demo::create(tx, now, day())).unwrap();
    let folder = dir.path().join("csv");
    fs::create_dir(&folder).unwrap();
    copy_evidence_files(&demo_ws, &folder);

    assert_eq!(ORDER.len(), IMPORTABLE.len());
    let target = open(&dir.path().join("copy.readyroom")).unwrap();
    for register in ORDER {
        let text = demo_ws.read(|c| registers::export_csv(c, *register)).unwrap();
        assert!(text.lines().count() > 1, "the demo has {} to round trip", register.as_str());
        let file = folder.join(format!("{}.csv", register.as_str()));
        let first = if *register == Register::Systems { without_column(&text, "data_types") } else { text.clone() };
        fs::write(&file, &first).unwrap();
        let report = registers::import_file(&target, *register, &file, None, ImportOptions::APPLY).unwrap();
        assert!(report.applied, "{}: {:?}", register.as_str(), report.errors);
        let again = target.read(|c| registers::export_csv(c, *register)).unwrap();
        if *register != Register::Systems {
            assert_eq!(again, text, "{} changed on the way through its CSV file", register.as_str());
        }
        // And importing the same file again changes nothing.
        let twice = registers::import_file(&target, *register, &file, None, ImportOptions::APPLY).unwrap();
        assert_eq!((twice.created, twice.updated), (0, 0), "{}: {:?}", register.as_str(), twice.changes);
    }
    let systems = demo_ws.read(|c| registers::export_csv(c, Register::Systems)).unwrap();
    assert_eq!(
        target.read(|c| registers::export_csv(c, Register::Systems)).unwrap(),
        systems,
        "systems and data types linked"
    );
    let stored = |ws: &Workspace| -> i64 {
        ws.read(|c| Ok(c.query_row("SELECT count(*) FROM evidence WHERE removed_at IS NULL", [], |r| r.get(0))?))
            .unwrap()
    };
    assert!(stored(&target) > 0, "evidence came through");
}

fn reviews_and_evidence(ws: &Workspace) -> (i64, i64) {
    ws.read(|c| {
        Ok((
            c.query_row("SELECT count(*) FROM access_reviews", [], |r| r.get(0))?,
            c.query_row("SELECT count(*) FROM evidence", [], |r| r.get(0))?,
        ))
    })
    .unwrap()
}

#[test]
fn an_access_review_csv_brings_its_evidence_file_and_a_missing_file_fails_its_row() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let setup = dir.path().join("setup");
    fs::create_dir(&setup).unwrap();
    fs::write(setup.join("people.csv"), "name,email\nRita Reviewer,rita@acme.test\n").unwrap();
    fs::write(setup.join("systems.csv"), "name,criticality\nGitHub,high\n").unwrap();
    registers::import_file(&ws, Register::People, &setup.join("people.csv"), None, ImportOptions::APPLY).unwrap();
    registers::import_file(&ws, Register::Systems, &setup.join("systems.csv"), None, ImportOptions::APPLY).unwrap();

    let folder = dir.path().join("q3");
    fs::create_dir_all(folder.join("lists")).unwrap();
    fs::write(folder.join("lists/github-users.csv"), "username,role\nann,admin\n").unwrap();
    let csv = folder.join("access_reviews.csv");
    fs::write(
        &csv,
        "system,performed_on,reviewer_email,accounts_reviewed,findings,evidence_files,evidence_reference,evidence_note\n\
         GitHub,2026-10-02,rita@acme.test,14,Two leavers removed,lists/github-users.csv,JIRA-812,Removal ticket\n\
         GitHub,2026-07-01,rita@acme.test,12,,lists/missing.csv,,\n",
    )
    .unwrap();
    let before = reviews_and_evidence(&ws);
    let report = registers::import_file(&ws, Register::AccessReviews, &csv, None, ImportOptions::APPLY).unwrap();
    assert!(!report.applied);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 3);
    assert_eq!(report.errors[0].column.as_deref(), Some("evidence_files"));
    assert!(report.errors[0].message.contains("missing.csv was not found"), "{}", report.errors[0].message);
    assert_eq!(reviews_and_evidence(&ws), before, "nothing was written");
    assert_eq!(stored_files(&ws), 0, "no file was stored");

    // The dry run of the fixed file stores no file either; the import does, by its SHA-256.
    fs::write(folder.join("lists/missing.csv"), "username,role\nann,admin\nbo,viewer\n").unwrap();
    let dry = registers::import_file(&ws, Register::AccessReviews, &csv, None, ImportOptions::DRY_RUN).unwrap();
    assert_eq!((dry.created, dry.error_count), (2, 0), "{:?}", dry.errors);
    assert_eq!(stored_files(&ws), 0, "a dry run stores nothing");
    let done = registers::import_file(&ws, Register::AccessReviews, &csv, None, ImportOptions::APPLY).unwrap();
    assert!(done.applied && done.created == 2, "{:?}", done.errors);
    let (sha, name, reference): (String, String, i64) = ws
        .read(|c| {
            Ok(c.query_row(
                "SELECT e.sha256, e.file_name, (SELECT count(*) FROM evidence r WHERE r.reference = 'JIRA-812'
                    AND r.effective_date = '2026-10-02')
                 FROM evidence e JOIN access_reviews a ON a.id = e.access_review_id
                 WHERE a.performed_on = '2026-10-02' AND e.sha256 IS NOT NULL",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )?)
        })
        .unwrap();
    assert_eq!(name, "github-users.csv");
    assert_eq!(sha, readyroom_core::evidence::sha256_hex(b"username,role\nann,admin\n"));
    assert!(ws.attachments_dir().join(&sha).is_file());
    assert_eq!(reference, 1, "the reference came with its note");

    // A recorded review is never changed by an import: a different count is refused.
    fs::write(&csv, "system,performed_on,reviewer_email,accounts_reviewed\nGitHub,2026-10-02,rita@acme.test,15\n")
        .unwrap();
    let changed = registers::import_file(&ws, Register::AccessReviews, &csv, None, ImportOptions::APPLY).unwrap();
    assert_eq!(changed.errors[0].column.as_deref(), Some("accounts_reviewed"), "{:?}", changed.errors);
    assert!(changed.errors[0].message.contains("does not change recorded ones"));
}

#[test]
fn a_review_dated_in_the_future_or_of_an_unknown_system_is_refused_with_its_column() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let csv = dir.path().join("access_reviews.csv");
    fs::write(&csv, "system,performed_on\nNowhere,2026-10-02\n,2027-01-01\n").unwrap();
    let report = registers::import_file(&ws, Register::AccessReviews, &csv, None, ImportOptions::APPLY).unwrap();
    let at: Vec<_> = report.errors.iter().map(|e| (e.line, e.column.clone().unwrap_or_default())).collect();
    assert_eq!(at, [(2, "system".to_owned()), (3, "system".to_owned())], "{:?}", report.errors);
    assert_eq!(reviews_and_evidence(&ws), (0, 0));
    // A CSV read from bytes alone has no folder: a row naming a file says so.
    let err = ws
        .write(|tx, now| {
            registers::import_csv(
                tx,
                now,
                Register::LogReviews,
                b"system,performed_on,evidence_files\nGitHub,2026-10-02,a.pdf\n",
                ImportOptions::APPLY,
            )
        })
        .unwrap();
    assert!(err.errors.iter().any(|e| e.column.as_deref() == Some("evidence_files")), "{:?}", err.errors);
    let missing =
        registers::import_file(&ws, Register::AccessReviews, &dir.path().join("nope.csv"), None, ImportOptions::APPLY);
    assert_eq!(missing.unwrap_err().code, ErrorCode::Io);
}

#[test]
fn every_template_is_a_valid_file_whose_example_row_imports() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    // Two more people the examples name: an approver, and someone who has left.
    let people = dir.path().join("more-people.csv");
    fs::write(&people, "name,email,end_date\nBen Okafor,ben@example.com,\nCy Leaver,cy@example.com,2026-10-30\n")
        .unwrap();
    let more = registers::import_file(&ws, Register::People, &people, None, ImportOptions::APPLY).unwrap();
    assert!(more.applied, "{:?}", more.errors);
    for register in ORDER {
        let text = registers::template_csv(*register).unwrap();
        let records = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes()).records().count();
        assert_eq!(records, 2, "{}: a header and one example row", register.as_str());
        let file = dir.path().join(format!("{}-template.csv", register.as_str()));
        fs::write(&file, &text).unwrap();
        let report = registers::import_file(&ws, *register, &file, None, ImportOptions::APPLY).unwrap();
        assert!(report.applied && report.created == 1, "{}: {:?}", register.as_str(), report.errors);
    }
    assert_eq!(registers::template_csv(Register::Criteria).unwrap_err().code, ErrorCode::Validation);
}

#[test]
fn a_past_risk_assessment_comes_in_frozen_and_a_recorded_one_never_changes() {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let risks = dir.path().join("risks.csv");
    fs::write(
        &risks,
        "reference,title,category,inherent_likelihood,inherent_impact\nRISK-001,Laptop lost,security,3,4\n",
    )
    .unwrap();
    registers::import_file(&ws, Register::Risks, &risks, None, ImportOptions::APPLY).unwrap();
    let head = "performed_on,participants,risk,title,category,inherent_likelihood,inherent_impact,status\n";
    let file = dir.path().join("assessments.csv");
    // Last year's assessment: the laptop risk rated higher, and a risk since removed.
    fs::write(
        &file,
        format!(
            "{head}2025-03-03,Ops team,RISK-001,Laptop lost,security,4,4,open\n\
             2025-03-03,Ops team,RISK-009,Office flood,operational,2,5,closed\n"
        ),
    )
    .unwrap();
    let report = registers::import_file(&ws, Register::RiskAssessments, &file, None, ImportOptions::APPLY).unwrap();
    assert!(report.applied && report.created == 2, "{:?}", report.errors);
    let summaries = ws.read(readyroom_core::risk_assessments::list).unwrap();
    assert_eq!(summaries.len(), 1, "one assessment with two risks");
    assert_eq!((summaries[0].performed_on.to_string(), summaries[0].risk_count), ("2025-03-03".to_owned(), 2));
    let snapshot = ws.read(|c| readyroom_core::risk_assessments::get(c, summaries[0].id)).unwrap();
    let rated: Vec<_> = snapshot.risks.iter().map(|r| (r.reference.as_str(), r.inherent.score)).collect();
    assert_eq!(rated, [("RISK-001", 16), ("RISK-009", 10)], "as it stood then, not as the register says now");

    // Adding a risk to that recorded assessment is refused, naming the date.
    fs::write(&file, format!("{head}2025-03-03,Ops team,RISK-010,Phishing,security,4,3,open\n")).unwrap();
    let refused = registers::import_file(&ws, Register::RiskAssessments, &file, None, ImportOptions::APPLY).unwrap();
    assert_eq!(refused.errors[0].column.as_deref(), Some("performed_on"), "{:?}", refused.errors);
    assert!(refused.errors[0].message.contains("already recorded and frozen"));
    // Rows of one new assessment that disagree on its fields are refused too.
    fs::write(
        &file,
        format!(
            "{head}2026-03-02,Ops team,RISK-001,Laptop lost,security,3,4,open\n\
             2026-03-02,Board,RISK-010,Phishing,security,4,3,open\n"
        ),
    )
    .unwrap();
    let refused = registers::import_file(&ws, Register::RiskAssessments, &file, None, ImportOptions::APPLY).unwrap();
    let at: Vec<_> = refused.errors.iter().map(|e| (e.line, e.column.clone().unwrap_or_default())).collect();
    assert_eq!(at, [(3, "participants".to_owned())], "{:?}", refused.errors);
    assert_eq!(ws.read(readyroom_core::risk_assessments::list).unwrap().len(), 1, "nothing was written");
}

#[test]
fn a_bulk_import_leaves_no_write_ahead_log_behind() {
    let (dir, path) = common::temp_workspace();
    let ws = common::open(&path).unwrap();
    let mut csv = String::from("name,email,role,start_date,end_date\n");
    for i in 0..5000 {
        csv.push_str(&format!("Person {i:04},person{i:04}@acme.test,Engineer,2025-01-06,\n"));
    }
    let file = dir.path().join("people.csv");
    std::fs::write(&file, csv).unwrap();
    let report = registers::import_file(&ws, Register::People, &file, None, ImportOptions::APPLY).unwrap();
    assert!(report.applied);
    let wal = std::fs::metadata(path.with_file_name(format!("{}-wal", path.file_name().unwrap().to_string_lossy())));
    // Checkpointed and emptied at once; at most the size limit in any case.
    assert_eq!(wal.map(|m| m.len()).unwrap_or(0), 0, "the log went back into the workspace file");
    let people = ws.read(|c| readyroom_core::people::list(c, &Default::default())).unwrap();
    assert_eq!(people.len(), 5000, "nothing lost");
}
