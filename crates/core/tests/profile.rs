//! Organization profile validation and persistence.

mod common;

use chrono::NaiveDate;
use common::{open, temp_workspace};
use readyroom_core::profile::{self, AuditType, OptionalCategories, ProfileInput};
use readyroom_core::{ErrorCode, Workspace};

fn type2(start: &str, end: &str) -> ProfileInput {
    ProfileInput {
        name: "Acme Analytics".into(),
        system_description: "The Acme analytics SaaS platform and its supporting infrastructure.".into(),
        categories: OptionalCategories { confidentiality: true, ..Default::default() },
        audit_type: AuditType::Type2,
        window_start: start.into(),
        window_end: end.into(),
        auditor: "Example & Co LLP".into(),
        target_report_date: "2027-08-15".into(),
    }
}

fn save(ws: &Workspace, input: &ProfileInput) -> readyroom_core::Result<profile::Profile> {
    ws.write(|tx, now| profile::save(tx, now, input))
}

fn field_errors(err: &readyroom_core::Error) -> Vec<(&str, &str)> {
    err.fields.iter().map(|f| (f.field.as_str(), f.message.as_str())).collect()
}

#[test]
fn a_valid_profile_is_saved_and_survives_reopening() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    assert_eq!(ws.read(profile::get).unwrap(), None);
    let saved = save(&ws, &type2("2027-01-01", "2027-06-30")).unwrap();
    assert_eq!(saved.window_end, NaiveDate::from_ymd_opt(2027, 6, 30));
    assert_eq!(saved.updated_at, "2026-11-26T09:30:00Z");
    drop(ws);

    let ws = open(&path).unwrap();
    let loaded = ws.read(profile::get).unwrap().expect("profile persisted");
    assert_eq!(loaded, saved);
    assert_eq!(loaded.categories.in_scope().len(), 2);
}

#[test]
fn type_2_needs_a_window_and_a_rejected_save_stores_nothing() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let err = save(&ws, &type2("", "")).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(
        field_errors(&err),
        [
            ("window_start", "Observation window start is required."),
            ("window_end", "Observation window end is required.")
        ]
    );
    assert_eq!(ws.read(profile::get).unwrap(), None, "nothing stored");
}

#[test]
fn a_rejected_edit_keeps_the_previous_profile() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let saved = save(&ws, &type2("2027-01-01", "2027-12-31")).unwrap();
    let mut bad = type2("2027-01-01", "2026-12-31");
    bad.name = "Renamed".into();
    let err = save(&ws, &bad).unwrap_err();
    assert_eq!(field_errors(&err), [("window_end", "The observation window must end after it starts.")]);
    assert_eq!(ws.read(profile::get).unwrap(), Some(saved));
}

#[test]
fn window_rules() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let err = save(&ws, &type2("2027-01-01", "2027-01-01")).unwrap_err();
    assert_eq!(err.fields[0].field, "window_end");
    let err = save(&ws, &type2("2027-01-01", "2028-01-02")).unwrap_err();
    assert_eq!(field_errors(&err), [("window_end", "An observation window lasts at most 12 months.")]);
    save(&ws, &type2("2027-01-01", "2028-01-01")).expect("exactly twelve months is allowed");
    save(&ws, &type2("2024-02-29", "2025-02-28")).expect("leap day start");
    let err = save(&ws, &type2("2027-02-30", "2027-13-01")).unwrap_err();
    assert_eq!(err.fields.len(), 2);
    assert!(err.fields.iter().all(|f| f.message.contains("YYYY-MM-DD")));
}

#[test]
fn type_1_window_is_optional_but_checked_when_given() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let mut input = type2("", "");
    input.audit_type = AuditType::Type1;
    save(&ws, &input).expect("no window needed for Type I");
    input.window_start = "2027-01-01".into();
    let err = save(&ws, &input).unwrap_err();
    assert_eq!(field_errors(&err), [("window_end", "Give the end of the window as well.")]);
}

#[test]
fn name_is_required_and_lengths_are_bounded() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let mut input = type2("2027-01-01", "2027-06-30");
    input.name = "   ".into();
    input.auditor = "x".repeat(201);
    input.target_report_date = "soon".into();
    let err = save(&ws, &input).unwrap_err();
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    assert_eq!(fields, ["name", "auditor", "target_report_date"]);
    assert_eq!(err.message, "3 fields need attention.");
}

const PROFILE_TOML: &str = r#"
# The organization profile, as `readyroom profile set --file` reads it.
name = "Acme Analytics Ltd"
system_description = """
The Acme analytics platform, its AWS infrastructure and support tooling."""
audit_type = "type2"
window_start = 2027-01-01
window_end = "2027-06-30"
auditor = "Example & Partners LLP"
target_report_date = 2027-08-15

[categories]
security = true
availability = true
privacy = false
"#;

#[test]
fn a_profile_file_sets_every_field_and_the_json_printed_reads_back_the_same() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let input = profile::input_from_file(PROFILE_TOML, None).unwrap();
    let saved = save(&ws, &input).unwrap();
    assert_eq!(saved.name, "Acme Analytics Ltd");
    assert_eq!(saved.audit_type, AuditType::Type2);
    assert_eq!(saved.window_start, NaiveDate::from_ymd_opt(2027, 1, 1));
    assert_eq!(saved.window_end, NaiveDate::from_ymd_opt(2027, 6, 30));
    assert_eq!(saved.target_report_date, NaiveDate::from_ymd_opt(2027, 8, 15));
    assert!(saved.categories.availability && !saved.categories.privacy && !saved.categories.confidentiality);
    // What `profile --json` prints goes back in unchanged.
    let json = serde_json::to_string_pretty(&saved).unwrap();
    assert_eq!(profile::input_from_file(&json, None).unwrap(), input);
    // A key left out keeps the stored value.
    let partial = profile::input_from_file("auditor = \"New Auditor LLP\"\n", Some(&saved)).unwrap();
    assert_eq!(partial, ProfileInput { auditor: "New Auditor LLP".into(), ..input });
}

#[test]
fn a_bad_profile_file_names_each_field_and_stores_nothing() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let before = save(&ws, &type2("2027-01-01", "2027-06-30")).unwrap();
    let bad = "nmae = \"Acme\"\naudit_type = \"type3\"\nname = 5\n[categories]\nsecurity = false\nprivacy = \"yes\"\n";
    let err = profile::input_from_file(bad, Some(&before)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    let fields: Vec<&str> = err.fields.iter().map(|f| f.field.as_str()).collect();
    for f in ["nmae", "audit_type", "name", "categories.security", "categories.privacy"] {
        assert!(fields.contains(&f), "{f} in {fields:?}");
    }
    assert!(field_errors(&err).contains(&("nmae", "Unknown field nmae: a profile has name, system_description, audit_type, window_start, window_end, auditor, target_report_date and categories.")));
    let syntax = profile::input_from_file("name = \"Acme\"\nwindow_end = \n", None).unwrap_err();
    assert_eq!(syntax.fields[0].field, "file");
    assert!(syntax.fields[0].message.starts_with("Not valid TOML (line 2)"), "{}", syntax.fields[0].message);
    // Values are then checked as the form's are: a window that ends before it starts.
    let input =
        profile::input_from_file("window_start = 2027-06-30\nwindow_end = 2027-01-01\n", Some(&before)).unwrap();
    let err = save(&ws, &input).unwrap_err();
    assert_eq!(err.fields[0].field, "window_end");
    assert_eq!(ws.read(profile::get).unwrap(), Some(before), "nothing stored");
}
