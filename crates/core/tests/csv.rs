//! CSV import/export: round trips without duplicates, all-or-nothing rejection with a
//! row report, dry runs, and files as spreadsheets write them.

mod common;

use common::{open, temp_workspace};
use readyroom_core::controls::{self, ControlQuery, ControlStatus};
use readyroom_core::csv_import::{ImportOptions, ImportReport};
use readyroom_core::people::{self, PeopleQuery};
use readyroom_core::Workspace;
use readyroom_core::{registers, Register};

fn import(ws: &Workspace, register: Register, csv: &str, dry_run: bool) -> ImportReport {
    let options = if dry_run { ImportOptions::DRY_RUN } else { ImportOptions::APPLY };
    registers::import_csv_into(ws, register, csv.as_bytes(), options).unwrap()
}

fn import_controls(ws: &Workspace, csv: &str, dry_run: bool) -> ImportReport {
    import(ws, Register::Controls, csv, dry_run)
}

fn import_people(ws: &Workspace, csv: &str, dry_run: bool) -> ImportReport {
    import(ws, Register::People, csv, dry_run)
}

fn control_count(ws: &Workspace) -> u32 {
    ws.read(|c| controls::list(c, &ControlQuery::default())).unwrap().total
}

#[test]
fn exported_controls_reimport_without_duplicates_or_changes() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    ws.write(controls::install_starter).unwrap();
    import_people(&ws, "name,email\nAnn Lee,ann@example.com\n", false);
    let ann = ws.read(|c| people::list(c, &PeopleQuery::default())).unwrap()[0].id;
    let mut ac01 = ws.read(|c| controls::find_by_reference(c, "AC-01")).unwrap().unwrap();
    let input = controls::ControlInput {
        reference: ac01.reference.clone(),
        title: ac01.title.clone(),
        description: "Line one,\n\"line\" two".into(),
        owner_id: Some(ann),
        status: ControlStatus::Implemented,
        na_justification: String::new(),
        cadence: ac01.cadence,
        criteria: ac01.criteria.clone(),
        sources: None,
    };
    ac01 = ws.write(|tx, now| controls::update(tx, now, ac01.id, &input)).unwrap();

    let csv = ws.read(|c| readyroom_core::registers::export_csv(c, readyroom_core::Register::Controls)).unwrap();
    assert!(csv.starts_with("reference,title,description,owner_email,status,cadence,criteria,na_justification\r\n"));
    let report = import_controls(&ws, &csv, false);
    assert_eq!((report.created, report.updated, report.unchanged), (0, 0, 94), "{:?}", report.errors);
    assert!(report.applied);
    assert_eq!(control_count(&ws), 94);
    let again = ws.read(|c| controls::find_by_reference(c, "AC-01")).unwrap().unwrap();
    assert_eq!(again, ac01, "the quoted description with a comma and newline survived");
}

#[test]
fn one_bad_row_rejects_the_whole_file_and_every_problem_is_reported() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let csv = "reference,title,status,cadence,criteria,owner_email\n\
               AC-01,Unique accounts,implemented,continuous,CC6.1,\n\
               AC-02,,done,weekly,CC6.1 CC42.1,nobody@example.com\n\
               ac-01,Duplicate,,,,\n";
    let report = import_controls(&ws, csv, false);
    assert!(!report.applied);
    assert_eq!((report.created, report.updated), (0, 0));
    let errors: Vec<(u64, Option<&str>)> = report.errors.iter().map(|e| (e.line, e.column.as_deref())).collect();
    assert_eq!(
        errors,
        [
            (3, Some("title")),
            (3, Some("owner_email")),
            (3, Some("status")),
            (3, Some("cadence")),
            (3, Some("criteria")),
            (4, Some("reference")),
        ]
    );
    assert_eq!(report.errors[5].message, "ac-01 appears twice (also on line 2).");
    assert_eq!(control_count(&ws), 0, "nothing imported, not even the good row");
}

#[test]
fn a_good_file_is_imported_and_a_dry_run_writes_nothing() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let csv = "Reference;Title;Status;Cadence;Criteria\r\n\
               AC-01;Unique accounts;Implemented;Continuous;\"CC6.1; CC6.2\"\r\n\
               AC-05;Quarterly access review;In progress;Quarterly;CC6.2,CC6.3\r\n";
    let dry = import_controls(&ws, csv, true);
    assert_eq!((dry.created, dry.applied, dry.dry_run), (2, false, true));
    assert_eq!(control_count(&ws), 0);
    let report = import_controls(&ws, csv, false);
    assert_eq!((report.created, report.applied), (2, true));
    let ac01 = ws.read(|c| controls::find_by_reference(c, "AC-01")).unwrap().unwrap();
    assert_eq!(ac01.criteria, ["CC6.1", "CC6.2"]);
    assert_eq!(ac01.status, ControlStatus::Implemented);

    let edited = csv.replace("Unique accounts", "Unique named accounts");
    let report = import_controls(&ws, &edited, false);
    assert_eq!((report.created, report.updated, report.unchanged), (0, 1, 1));
}

#[test]
fn people_round_trip_and_rejection() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let csv = "\u{FEFF}name,email,role,start_date,end_date\nAnn Lee,ann@example.com,CTO,2024-01-15,\nBo Chen,bo@example.com,,2023-05-01,2026-10-31\n";
    let report = import_people(&ws, csv, false);
    assert_eq!(report.created, 2, "{:?}", report.errors);
    let exported = ws.read(|c| readyroom_core::registers::export_csv(c, readyroom_core::Register::People)).unwrap();
    let again = import_people(&ws, &exported, false);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));

    let bad = "name,email,start_date,end_date\nCal,cal@example.com,2026-02-30,\nDee,ANN@example.com,2026-01-01,2025-01-01\nEve,not-an-email,,\n";
    let report = import_people(&ws, bad, false);
    let errors: Vec<(u64, &str)> = report.errors.iter().map(|e| (e.line, e.column.as_deref().unwrap_or(""))).collect();
    assert_eq!(errors, [(2, "start_date"), (3, "end_date"), (4, "email")]);
    assert_eq!(ws.read(|c| people::list(c, &PeopleQuery::default())).unwrap().len(), 2, "nothing imported");
    // Matched on email, case-insensitively: Dee would have updated Ann, not added a duplicate.
    let fix = "name,email\nAnn Lee-Park,ANN@example.com\n";
    assert_eq!(import_people(&ws, fix, false).updated, 1);
}

#[test]
fn actions_round_trip_and_new_rows_get_references() {
    use readyroom_core::actions::{self, ActionQuery};
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    import_controls(&ws, "reference,title\nAC-05,Quarterly access reviews\n", false);
    let csv = "title,due_date,status,source_control\nReview Stripe admins,2026-12-31,open,AC-05\nRotate the deploy key,,in progress,\n";
    let report = import(&ws, Register::Actions, csv, false);
    assert_eq!(report.created, 2, "{:?}", report.errors);
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let listed = ws.read(|c| actions::list(c, &ActionQuery::default(), today)).unwrap().rows;
    let refs: Vec<&str> = listed.iter().map(|a| a.reference.as_str()).collect();
    assert_eq!(refs, ["ACT-0001", "ACT-0002"]);
    assert_eq!(listed[0].source.as_ref().map(|s| s.label.as_str()), Some("AC-05 Quarterly access reviews"));

    let exported = ws.read(|c| readyroom_core::registers::export_csv(c, readyroom_core::Register::Actions)).unwrap();
    let again = import(&ws, Register::Actions, &exported, false);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2), "{:?}", again.errors);

    let bad = "reference,title,status,source_control\nACT-0001,Review Stripe admins,wont_do,AC-99\n";
    let report = import(&ws, Register::Actions, bad, false);
    let columns: Vec<&str> = report.errors.iter().filter_map(|e| e.column.as_deref()).collect();
    assert_eq!(columns, ["wont_do_reason", "source_control"], "in the order of the columns");
    assert!(!report.applied);
}

#[test]
fn policies_import_approvals_and_round_trip() {
    use readyroom_core::policies::{self, PolicyStatus};
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    import_people(&ws, "name,email\nCleo Ode,cleo@example.com\n", false);
    let csv = "title,version,status,owner_email,approved_on,approver_email,document_link\n\
               Access Control Policy,1.0,approved,cleo@example.com,2026-03-01,cleo@example.com,https://wiki.example/access\n\
               Code of Conduct,,draft,,,,\n";
    let dry = import(&ws, Register::Policies, csv, true);
    assert_eq!((dry.created, dry.applied), (2, false), "{:?}", dry.errors);
    assert!(ws.read(|c| policies::list(c, false)).unwrap().is_empty(), "a dry run leaves nothing behind");

    let report = import(&ws, Register::Policies, csv, false);
    assert_eq!(report.created, 2, "{:?}", report.errors);
    let all = ws.read(|c| policies::list(c, false)).unwrap();
    let access = all.iter().find(|p| p.title == "Access Control Policy").unwrap();
    assert_eq!((access.status, access.version.as_str()), (PolicyStatus::Approved, "1.0"));
    assert_eq!(access.next_review_due.map(|d| d.to_string()).as_deref(), Some("2027-03-01"));

    let exported = ws.read(|c| readyroom_core::registers::export_csv(c, readyroom_core::Register::Policies)).unwrap();
    let again = import(&ws, Register::Policies, &exported, false);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2), "{:?}", again.errors);

    let bad = "title,status,approved_on,approver_email\nAccess Control Policy,approved,,\nRisk Policy,approved,2099-01-01,cleo@example.com\n";
    let rejected = import(&ws, Register::Policies, bad, false);
    let errors: Vec<(u64, &str)> =
        rejected.errors.iter().map(|e| (e.line, e.column.as_deref().unwrap_or(""))).collect();
    assert_eq!(errors, [(3, "approved_on")], "line 2 is already approved at its version: nothing to do");
    assert_eq!(ws.read(|c| policies::list(c, false)).unwrap().len(), 2, "nothing imported");
}

#[test]
fn courses_round_trip_into_an_empty_workspace_and_a_bad_row_imports_nothing() {
    use readyroom_core::registers::{export_csv, import_csv_into};
    use readyroom_core::Register;
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let csv = "name,description,validity_days,required\nSecurity awareness,\"Phishing, passwords\",,\nSecure coding,OWASP top ten,730,no\n";
    let report = import_csv_into(&ws, Register::Courses, csv.as_bytes(), ImportOptions::APPLY).unwrap();
    assert_eq!(report.created, 2, "{:?}", report.errors);
    let exported = ws.read(|c| export_csv(c, Register::Courses)).unwrap();
    assert_eq!(
        exported.replace("\r\n", "\n"),
        "name,description,validity_days,required\nSecure coding,OWASP top ten,730,no\nSecurity awareness,\"Phishing, passwords\",365,yes\n"
    );
    // Into an empty workspace and out again: the same file.
    let (_dir2, other) = temp_workspace();
    let copy = open(&other).unwrap();
    import_csv_into(&copy, Register::Courses, exported.as_bytes(), ImportOptions::APPLY).unwrap();
    assert_eq!(copy.read(|c| export_csv(c, Register::Courses)).unwrap(), exported);
    // A bad row: each problem on its line and column, nothing imported.
    let bad = "name,validity_days,required\nFirst aid,0,yes\nsecure CODING,30,perhaps\n";
    let report = import_csv_into(&copy, Register::Courses, bad.as_bytes(), ImportOptions::APPLY).unwrap();
    let errors: Vec<(u64, &str)> = report.errors.iter().map(|e| (e.line, e.column.as_deref().unwrap_or(""))).collect();
    assert_eq!(errors, [(2, "validity_days"), (3, "required")]);
    assert_eq!(copy.read(|c| export_csv(c, Register::Courses)).unwrap(), exported, "nothing changed");
}
