//! Workbooks import like CSV files: a sheet chosen by name (or the one named after the
//! register), date cells read as dates whatever their display format, whole numbers without
//! ".0", evidence paths relative to the workbook's folder; a cell holding a spreadsheet error
//! fails its row with the cell named, and nothing is written. Fixtures: tests/fixtures
//! (written by make_workbooks.py).

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{open, temp_workspace};
use readyroom_core::csv_import::ImportOptions;
use readyroom_core::{registers, ErrorCode, Register, Workspace};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

/// A workspace with the reviewer and the system, and `name` copied into a folder of its own.
fn setup(name: &str) -> (tempfile::TempDir, Workspace, PathBuf) {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let people = dir.path().join("people.csv");
    fs::write(&people, "name,email\nRita Reviewer,rita@acme.test\n").unwrap();
    registers::import_file(&ws, Register::People, &people, None, ImportOptions::APPLY).unwrap();
    let systems = dir.path().join("systems.csv");
    fs::write(&systems, "name,criticality\nGitHub,high\n").unwrap();
    registers::import_file(&ws, Register::Systems, &systems, None, ImportOptions::APPLY).unwrap();
    let folder = dir.path().join("from-the-auditor");
    fs::create_dir_all(folder.join("lists")).unwrap();
    let file = folder.join(name);
    fs::copy(fixture(name), &file).unwrap();
    (dir, ws, file)
}

fn reviews(ws: &Workspace) -> Vec<(String, i64, String)> {
    ws.read(|c| {
        let mut stmt = c.prepare(
            "SELECT a.performed_on, a.accounts_reviewed, COALESCE(group_concat(e.file_name), '') FROM access_reviews a
             LEFT JOIN evidence e ON e.access_review_id = a.id GROUP BY a.id ORDER BY a.performed_on",
        )?;
        let rows =
            stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows)
    })
    .unwrap()
}

#[test]
fn an_xlsx_sheet_named_after_the_register_imports_with_its_dates_and_evidence() {
    let (_dir, ws, file) = setup("access-reviews.xlsx");
    let source = registers::describe_file(&file, Register::AccessReviews).unwrap();
    assert_eq!(source.sheets, ["Notes", "Access reviews", "Broken", "Log notes"]);
    assert_eq!(source.sheet.as_deref(), Some("Access reviews"), "the sheet named after the register");

    // The evidence file the sheet names is missing: that row fails, nothing is written.
    let report = registers::import_file(&ws, Register::AccessReviews, &file, None, ImportOptions::APPLY).unwrap();
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!((report.errors[0].line, report.errors[0].column.as_deref()), (2, Some("evidence_files")));
    assert!(reviews(&ws).is_empty());

    fs::write(file.parent().unwrap().join("lists/github-q3.csv"), "username\nann\n").unwrap();
    let report = registers::import_file(&ws, Register::AccessReviews, &file, None, ImportOptions::APPLY).unwrap();
    assert!(report.applied, "{:?}", report.errors);
    assert_eq!(
        reviews(&ws),
        [("2026-07-01".to_owned(), 12, String::new()), ("2026-10-02".to_owned(), 14, "github-q3.csv".to_owned())],
        "dates shown as dd/mm/yyyy are read as dates; 12.0 is 12"
    );
}

#[test]
fn a_spreadsheet_error_fails_its_row_naming_the_cell_and_a_wrong_sheet_is_named() {
    let (_dir, ws, file) = setup("access-reviews.xlsx");
    let report =
        registers::import_file(&ws, Register::AccessReviews, &file, Some("Broken"), ImportOptions::APPLY).unwrap();
    assert!(!report.applied);
    assert_eq!(report.errors.len(), 1, "{:?}", report.errors);
    assert_eq!(report.errors[0].line, 3);
    assert!(
        report.errors[0].message.contains("Cell B3 holds a spreadsheet error (#N/A)"),
        "{}",
        report.errors[0].message
    );
    assert!(reviews(&ws).is_empty(), "the good row of that sheet is not written either");

    let err =
        registers::import_file(&ws, Register::AccessReviews, &file, Some("Q4"), ImportOptions::APPLY).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(
        err.message.contains(r#"no sheet named "Q4"; its sheets are "Notes", "Access reviews", "Broken", "Log notes""#),
        "{}",
        err.message
    );
    // A workbook without a sheet named after the register must be told which one.
    let err = registers::import_file(&ws, Register::People, &file, None, ImportOptions::DRY_RUN).unwrap_err();
    assert!(err.message.contains("choose the one to import"), "{}", err.message);
    // A file that is neither CSV text nor a workbook it can read.
    let junk = file.with_file_name("junk.xlsx");
    fs::write(&junk, b"PK\x03\x04 not really a zip").unwrap();
    let err = registers::import_file(&ws, Register::AccessReviews, &junk, None, ImportOptions::APPLY).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert!(err.message.contains("cannot be read"), "{}", err.message);
}

#[test]
fn an_ods_sheet_imports_with_its_date_cells() {
    let (_dir, ws, file) = setup("log-reviews.ods");
    let report = registers::import_file(&ws, Register::LogReviews, &file, None, ImportOptions::APPLY).unwrap();
    assert!(report.applied && report.created == 1, "{:?}", report.errors);
    let on: String = ws.read(|c| Ok(c.query_row("SELECT performed_on FROM log_reviews", [], |r| r.get(0))?)).unwrap();
    assert_eq!(on, "2026-09-30");
}

#[test]
fn a_cell_with_line_breaks_keeps_them_and_problems_still_name_the_sheet_row() {
    let (_dir, ws, file) = setup("access-reviews.xlsx");
    let report =
        registers::import_file(&ws, Register::LogReviews, &file, Some("Log notes"), ImportOptions::APPLY).unwrap();
    let at: Vec<_> = report.errors.iter().map(|e| (e.line, e.column.clone().unwrap_or_default())).collect();
    assert_eq!(at, [(3, "system".to_owned())], "{:?}", report.errors);

    // Without the bad row, the notes come in with their line break.
    let fixed = file.with_file_name("fixed.csv");
    let csv = "system,performed_on,notes\nGitHub,2026-09-30,\"Read the audit log.\nNothing unusual.\"\nGitHub,2026-10-31,October\n";
    fs::write(&fixed, csv).unwrap();
    let done = registers::import_file(&ws, Register::LogReviews, &fixed, None, ImportOptions::APPLY).unwrap();
    assert!(done.applied, "{:?}", done.errors);
    assert_eq!(done.changes.iter().map(|c| c.line).collect::<Vec<_>>(), [2, 4], "CSV lines, where each row starts");
    let notes: String = ws
        .read(|c| Ok(c.query_row("SELECT notes FROM log_reviews ORDER BY performed_on LIMIT 1", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(notes, "Read the audit log.\nNothing unusual.");
}
