//! Imports never wipe data: a column absent from the file leaves the stored value untouched,
//! a present but empty cell clears it only when the caller allows clearing, and the report
//! lists every field that changes. Exports carry no live spreadsheet formulas and read back
//! exactly. (Issue 13, "Nothing lost".)

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::csv_import::{ImportOptions, ImportReport};
use readyroom_core::{demo, Workspace};
use readyroom_core::{registers, Register};

fn demo_workspace() -> (tempfile::TempDir, Workspace) {
    let (dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    ws.write(|tx, now| demo::create(tx, now, today)).unwrap();
    (dir, ws)
}

fn export(ws: &Workspace, register: Register) -> String {
    ws.read(|c| registers::export_csv(c, register)).unwrap()
}

fn import(ws: &Workspace, register: Register, csv: &str, options: ImportOptions) -> ImportReport {
    registers::import_csv_into(ws, register, csv.as_bytes(), options).unwrap()
}

/// Keeps only `keep` columns of a CSV export (by header name).
fn only_columns(csv: &str, keep: &[&str]) -> String {
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(csv.as_bytes());
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
    let header = &records[0];
    let indexes: Vec<usize> = header.iter().enumerate().filter(|(_, h)| keep.contains(h)).map(|(i, _)| i).collect();
    let mut w = csv::Writer::from_writer(Vec::new());
    for r in &records {
        w.write_record(indexes.iter().map(|i| &r[*i])).unwrap();
    }
    String::from_utf8(w.into_inner().unwrap()).unwrap()
}

fn required_and_key(register: Register) -> &'static [&'static str] {
    match register {
        Register::People => &["name", "email"],
        Register::Controls => &["reference", "title"],
        Register::Policies => &["title"],
        Register::Actions => &["reference", "title"],
        Register::Risks => &["reference", "title", "category", "inherent_likelihood", "inherent_impact"],
        Register::Vendors => &["name", "criticality"],
        Register::Systems => &["name", "criticality"],
        Register::Retention => &["name", "retention_unit"],
        Register::Courses => &["name"],
        Register::Training => &["email", "course", "completed_on"],
        Register::Leavers => &["email", "system"],
        Register::Changes => &["reference", "title"],
        Register::AccessReviews => &["system", "performed_on", "reviewer_email"],
        Register::Activities => &["control", "performed_on", "performed_by_email"],
        Register::LogReviews => &["system", "performed_on", "performed_by_email"],
        Register::Disposals => &["data_type", "performed_on", "performed_by_email", "what"],
        Register::VendorAssessments => &["vendor", "performed_on", "performed_by_email", "method", "outcome"],
        Register::Approvals => &["policy", "version", "approved_on", "approver_email", "next_review_due"],
        Register::Incidents => &["reference", "title", "severity", "detected_at"],
        Register::Exercises => {
            &["reference", "script", "held_on", "attendees", "hot_wash_answers", "strengths", "improvements"]
        }
        Register::Soc2Reports => &["vendor", "report_type", "period_end", "opinion"],
        Register::RiskAssessments => {
            &["performed_on", "risk", "title", "category", "inherent_likelihood", "inherent_impact", "status"]
        }
        Register::Requests => &["request_id", "description"],
        Register::Acknowledgements => &["policy", "email", "version", "acknowledged_on"],
        _ => unreachable!("not importable"),
    }
}

#[test]
fn a_file_with_only_the_required_columns_changes_nothing_in_any_register() {
    let (_dir, ws) = demo_workspace();
    for &register in common::IMPORTABLE {
        let before = export(&ws, register);
        let rows = before.lines().count() - 1;
        assert!(rows > 0, "the demo company fills {register:?}");
        let slim = only_columns(&before, required_and_key(register));
        let report = import(&ws, register, &slim, ImportOptions::APPLY);
        assert!(report.errors.is_empty(), "{register:?}: {:?}", report.errors);
        assert_eq!((report.created, report.updated), (0, 0), "{register:?}: {:?}", report.changes);
        assert_eq!(report.cleared, 0, "{register:?}");
        assert_eq!(export(&ws, register), before, "{register:?}: absent columns are untouched");
    }
}

#[test]
fn empty_cells_clear_only_after_confirmation_and_the_report_names_every_field() {
    let (_dir, ws) = demo_workspace();
    let before = export(&ws, Register::Systems);
    let system = ws
        .read(|c| {
            Ok(c.query_row("SELECT name FROM systems WHERE mfa_enforced = 1 ORDER BY name", [], |r| {
                r.get::<_, String>(0)
            })?)
        })
        .unwrap();
    let csv = format!("name,criticality,mfa_enforced,description\n{system},critical,,Moved to a new tenant\n");

    let dry = import(&ws, Register::Systems, &csv, ImportOptions::DRY_RUN);
    assert!(!dry.applied);
    assert_eq!(dry.updated, 1);
    assert_eq!(dry.cleared, 1, "{:?}", dry.changes);
    let change = &dry.changes[0];
    assert_eq!(change.key, system);
    let mfa = change.fields.iter().find(|f| f.column == "mfa_enforced").expect("mfa listed");
    assert_eq!((mfa.old.as_str(), mfa.new.as_str(), mfa.cleared), ("yes", "no", true));
    let description = change.fields.iter().find(|f| f.column == "description").expect("description listed");
    assert_eq!(description.new, "Moved to a new tenant");
    assert!(!description.cleared);
    assert_eq!(export(&ws, Register::Systems), before, "a dry run writes nothing");

    let refused = import(&ws, Register::Systems, &csv, ImportOptions::APPLY);
    assert!(refused.clearing_refused && !refused.applied);
    assert_eq!(refused.changes, dry.changes, "the refusal says what would have changed");
    assert_eq!(export(&ws, Register::Systems), before, "a refused clearing writes nothing, not even the other fields");

    let done = import(&ws, Register::Systems, &csv, ImportOptions::APPLY_ALLOW_CLEARING);
    assert!(done.applied && !done.clearing_refused);
    let mfa_now: bool = ws
        .read(|c| Ok(c.query_row("SELECT mfa_enforced FROM systems WHERE name = ?1", [&system], |r| r.get(0))?))
        .unwrap();
    assert!(!mfa_now, "cleared once the user allowed it");
}

#[test]
fn approved_policies_stay_approved_and_people_keep_their_role_when_columns_are_left_out() {
    let (_dir, ws) = demo_workspace();
    let approved = ws
        .read(|c| {
            Ok(c.query_row("SELECT count(*) FROM policies WHERE status = 'approved'", [], |r| r.get::<_, i64>(0))?)
        })
        .unwrap();
    assert!(approved > 0);
    let titles = only_columns(&export(&ws, Register::Policies), &["title"]);
    let report = import(&ws, Register::Policies, &titles, ImportOptions::APPLY);
    assert_eq!(report.updated, 0, "{:?}", report.changes);
    let still: i64 = ws
        .read(|c| Ok(c.query_row("SELECT count(*) FROM policies WHERE status = 'approved'", [], |r| r.get(0))?))
        .unwrap();
    assert_eq!(still, approved);

    let people = only_columns(&export(&ws, Register::People), &["name", "email"]);
    import(&ws, Register::People, &people, ImportOptions::APPLY);
    let without_role: i64 =
        ws.read(|c| Ok(c.query_row("SELECT count(*) FROM people WHERE role = ''", [], |r| r.get(0))?)).unwrap();
    assert_eq!(without_role, 0, "roles were kept");
}

#[test]
fn a_bad_approval_date_on_an_approved_version_is_reported_not_ignored() {
    let (_dir, ws) = demo_workspace();
    let (title, version): (String, String) = ws
        .read(|c| {
            Ok(c.query_row("SELECT title, version FROM policies WHERE status = 'approved' ORDER BY title", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
        })
        .unwrap();
    let before = export(&ws, Register::Policies);
    for (date, expected) in [("2026-02-30", "Approved on"), ("2020-01-01", "cannot change a recorded approval")] {
        let csv = format!("title,version,status,approved_on\n{title},{version},approved,{date}\n");
        let report = import(&ws, Register::Policies, &csv, ImportOptions::APPLY);
        assert_eq!(report.error_count, 1, "{date}: {:?}", report);
        assert_eq!(report.errors[0].column.as_deref(), Some("approved_on"));
        assert!(report.errors[0].message.contains(expected), "{}", report.errors[0].message);
        assert_eq!(export(&ws, Register::Policies), before);
    }
}

#[test]
fn exports_guard_formulas_and_read_back_exactly() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let csv = "reference,title,description\r\n\
               AC-01,=HYPERLINK(\"http://evil.test\"),+1 plus\r\n\
               AC-02,@SUM(A1),-minus\r\n\
               AC-03,'quoted,'=already guarded\r\n";
    let report = import(&ws, Register::Controls, csv, ImportOptions::APPLY);
    assert!(report.applied, "{:?}", report.errors);
    let titles: Vec<(String, String)> = ws
        .read(|c| {
            let mut s = c.prepare("SELECT title, description FROM controls ORDER BY reference")?;
            let rows = s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?.collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(rows)
        })
        .unwrap();
    assert_eq!(titles[0], ("=HYPERLINK(\"http://evil.test\")".to_owned(), "+1 plus".to_owned()));
    assert_eq!(titles[1], ("@SUM(A1)".to_owned(), "-minus".to_owned()));
    assert_eq!(titles[2], ("'quoted".to_owned(), "=already guarded".to_owned()), "the import takes the guard off");

    let exported = export(&ws, Register::Controls);
    for cell in ["'=HYPERLINK", "'+1 plus", "'@SUM(A1)", "'-minus", "'=already guarded"] {
        assert!(exported.contains(cell), "{cell} guarded in:\n{exported}");
    }
    assert!(exported.contains(",'quoted,"), "a plain leading quote is not doubled:\n{exported}");
    let again = import(&ws, Register::Controls, &exported, ImportOptions::APPLY);
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 3), "export then import is lossless");
}

#[test]
fn references_that_start_like_formulas_are_refused() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    for (register, header) in [
        (Register::Risks, "reference,title,category,inherent_likelihood,inherent_impact"),
        (Register::Changes, "reference,title"),
        (Register::Actions, "reference,title"),
        (Register::Controls, "reference,title"),
    ] {
        let extra = if register == Register::Risks { ",security,3,3" } else { "" };
        // The guard comes off on import, so this is the reference "=1+1" itself.
        let csv = format!("{header}\n'=1+1,Bad{extra}\n");
        let report = import(&ws, register, &csv, ImportOptions::APPLY);
        assert_eq!(report.error_count, 1, "{register:?}: {report:?}");
        assert_eq!(report.errors[0].column.as_deref(), Some("reference"), "{register:?}");
        assert!(!report.applied);
    }
    let count: i64 = ws
        .read(|c| {
            Ok(c.query_row(
                "SELECT (SELECT count(*) FROM risks) + (SELECT count(*) FROM changes) + (SELECT count(*) FROM actions)
                      + (SELECT count(*) FROM controls)",
                [],
                |r| r.get(0),
            )?)
        })
        .unwrap();
    assert_eq!(count, 0);
}

#[test]
fn row_errors_are_capped_and_long_cells_are_cut() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let long = "x".repeat(5_000);
    let mut csv = String::from("name,email,role,start_date\n");
    for i in 0..250 {
        csv.push_str(&format!("Person {i},p{i}@acme.test,,not-a-date\n"));
    }
    csv.push_str(&format!("Long,long@acme.test,,{long}\n"));
    let report = import(&ws, Register::People, &csv, ImportOptions::APPLY);
    assert_eq!(report.error_count, 251);
    assert_eq!(report.errors.len(), 100, "the first 100 are listed");
    assert_eq!(report.errors[0].line, 2, "in line order");
    let owners = format!("reference,title,owner_email\nAC-01,Access,{long}@acme.test\n");
    let report = import(&ws, Register::Controls, &owners, ImportOptions::APPLY);
    let message = &report.errors[0].message;
    assert!(message.len() < 300, "cell value cut: {} characters", message.len());
    assert!(message.contains('…'), "{message}");
    let unknown = format!("reference,title,{long}\n");
    let report = import(&ws, Register::Controls, &unknown, ImportOptions::APPLY);
    assert!(report.errors[0].column.as_deref().is_some_and(|c| c.chars().count() <= 61));
    let people: i64 = ws.read(|c| Ok(c.query_row("SELECT count(*) FROM people", [], |r| r.get(0))?)).unwrap();
    assert_eq!(people, 0);
}
