//! The `readyroom` binary end to end: exit codes, one-line errors, JSON output.

use std::path::Path;
use std::process::{Command, Output};

fn readyroom(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_readyroom"))
        .args(args)
        .env_remove("READYROOM_DB")
        .env_remove("READYROOM_PASSPHRASE")
        .env_remove("READYROOM_RECOVERY_KEY")
        .output()
        .expect("run readyroom")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn db(dir: &Path) -> String {
    dir.join("acme.readyroom").display().to_string()
}

#[test]
fn init_creates_the_workspace_and_prints_its_path() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let o = readyroom(&["--db", &path, "init", "--plain"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), path);
    assert!(stderr(&o).contains("Created a plain (unencrypted) workspace"));
    let o = readyroom(&["--db", &path, "init", "--plain"]);
    assert!(o.status.success());
    assert!(stderr(&o).contains("up to date"));
}

#[test]
fn criteria_json_lists_the_61_criteria() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let o = readyroom(&["--db", &path, "criteria", "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let list = v.as_array().expect("an array");
    assert_eq!(list.len(), 61);
    assert_eq!(list[0]["id"], "CC1.1");
    assert_eq!(list[0]["category"], "security");
    assert!(list[0]["title"].as_str().is_some_and(|t| !t.is_empty()));
    assert_eq!(list[60]["id"], "P8.1");
    assert_eq!(list[60]["in_scope"], false);
}

#[test]
fn profile_json_is_null_before_the_profile_is_saved() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let o = readyroom(&["--db", &path, "profile", "--json"]);
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim(), "null");
}

#[test]
fn the_environment_variable_names_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let o = Command::new(env!("CARGO_BIN_EXE_readyroom"))
        .args(["init", "--plain"])
        .env("READYROOM_DB", &path)
        .output()
        .unwrap();
    assert!(o.status.success());
    assert_eq!(stdout(&o).trim(), path);
}

#[test]
fn a_file_that_is_not_a_workspace_fails_in_one_line_and_is_not_modified() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "not a database").unwrap();
    for cmd in [&["init", "--plain"][..], &["criteria", "--json"], &["profile", "--json"]] {
        let mut args = vec!["--db", path.to_str().unwrap()];
        args.extend_from_slice(cmd);
        let o = readyroom(&args);
        assert_eq!(o.status.code(), Some(1), "{cmd:?}");
        let err = stderr(&o);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains("is not a Readyroom workspace"), "{err}");
        assert!(!err.contains("panicked"));
        assert!(stdout(&o).is_empty());
    }
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "not a database");
}

#[test]
fn a_missing_workspace_is_not_created_by_a_query() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let o = readyroom(&["--db", &path, "criteria"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("No workspace at"));
    assert!(!Path::new(&path).exists());
}

#[test]
fn a_bad_flag_fails_in_one_line() {
    let o = readyroom(&["criteria", "--bogus"]);
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("--bogus"));
}

#[test]
fn version_and_help_on_every_subcommand() {
    let o = readyroom(&["--version"]);
    assert!(o.status.success());
    assert!(stdout(&o).starts_with("readyroom 0.1.0"));
    for sub in ["init", "criteria", "profile", "people"] {
        let o = readyroom(&[sub, "--help"]);
        assert!(o.status.success(), "{sub} --help");
        assert!(stdout(&o).contains("Usage: readyroom"), "{sub}");
    }
}

#[test]
fn export_and_import_round_trip_and_a_bad_file_is_rejected_whole() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "name;email;role\nAnn Lee;ann@example.com;CTO\n").unwrap();
    let o = readyroom(&["--db", &path, "import", "people", people.to_str().unwrap(), "--dry-run"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "+ ann@example.com (new)\nWould import 1 people: 1 created, 0 updated, 0 unchanged.");
    let o = readyroom(&["--db", &path, "import", "people", people.to_str().unwrap()]);
    assert_eq!(stdout(&o).trim(), "+ ann@example.com (new)\nImported 1 people: 1 created, 0 updated, 0 unchanged.");

    let controls = dir.path().join("controls.csv");
    std::fs::write(
        &controls,
        "reference,title,owner_email,criteria\nAC-01,Unique accounts,ann@example.com,CC6.1\nAC-02,MFA,,CC6.1 XX9\n",
    )
    .unwrap();
    let o = readyroom(&["--db", &path, "import", "controls", controls.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("line 3, column criteria: Unknown criteria: XX9."), "{err}");
    assert!(err.ends_with("1 problem(s); nothing was imported.\n"), "{err}");
    let o = readyroom(&["--db", &path, "export", "controls", "--csv"]);
    assert_eq!(stdout(&o).lines().count(), 1, "only the header: nothing was imported");

    std::fs::write(&controls, "reference,title,owner_email,criteria\nAC-01,Unique accounts,ann@example.com,CC6.1\n")
        .unwrap();
    assert!(readyroom(&["--db", &path, "import", "controls", controls.to_str().unwrap()]).status.success());
    let out = dir.path().join("out.csv");
    let o = readyroom(&["--db", &path, "export", "controls", "--csv", "--out", out.to_str().unwrap()]);
    assert!(o.status.success());
    let o = readyroom(&["--db", &path, "import", "controls", out.to_str().unwrap()]);
    assert_eq!(stdout(&o).trim(), "Imported 1 controls: 0 created, 0 updated, 1 unchanged.");

    let o = readyroom(&["--db", &path, "export", "suppliers"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Unknown register"));
}

#[test]
fn risks_import_list_and_heatmap() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let file = dir.path().join("risks.csv");
    std::fs::write(
        &file,
        "title,category,inherent_likelihood,inherent_impact,treatment,residual_likelihood,residual_impact\n\
         Phishing,security,4,4,mitigate,2,2\nOutage,availability,likely,major,,,\n",
    )
    .unwrap();
    let o = readyroom(&["--db", &path, "import", "risks", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("2 created"));
    let o = readyroom(&["--db", &path, "risks"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.contains("RISK-001") && text.contains("16 High") && text.contains(" 4 Low"), "{text}");
    let o = readyroom(&["--db", &path, "heatmap", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    // Row 1 is likelihood 4 (likely); column 3 is impact 4 (major).
    assert_eq!(v["rows"][1][3]["label"], "Likely x Major: 2 risks");
    let o = readyroom(&["--db", &path, "heatmap", "--residual"]);
    let grid = stdout(&o);
    assert!(grid.starts_with("        Residual |"), "{grid}");
    assert!(grid.lines().any(|l| l.trim_start().starts_with("Unlikely") && l.contains("   1 Low")), "{grid}");
    let o = readyroom(&["--db", &path, "export", "rumours"]);
    assert!(stderr(&o).contains("risks"));
}

#[test]
fn vendors_import_and_list_what_needs_attention() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    let file = dir.path().join("vendors.csv");
    std::fs::write(
        &file,
        "name,service,criticality,security_clause,last_assessed_on\nAWS,Hosting,critical,yes,2020-01-01\nFigma,Design,low,no,\n",
    )
    .unwrap();
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let o = readyroom(&["--db", &path, "import", "vendors", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = readyroom(&["--db", &path, "vendors"]);
    let text = stdout(&o);
    let aws = text.lines().find(|l| l.starts_with("AWS")).expect("an AWS row");
    assert!(aws.contains("2020-12-31") && aws.contains("Missing") && aws.contains("Assessment overdue"), "{text}");
    let figma = text.lines().find(|l| l.starts_with("Figma")).expect("a Figma row");
    assert!(figma.contains("Not required"), "{text}");
    let o = readyroom(&["--db", &path, "vendors", "--json"]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    assert_eq!(v[0]["report_status"], "missing");
}

#[test]
fn operational_registers_import_and_report() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let write = |name: &str, text: &str| {
        let f = dir.path().join(name);
        std::fs::write(&f, text).unwrap();
        f.display().to_string()
    };
    let people = write("people.csv", "name,email,start_date,end_date\nDan Dev,dan@acme.test,2020-01-01,\nLee Lead,lee@acme.test,2020-01-01,2020-06-30\n");
    assert!(readyroom(&["--db", &path, "import", "people", &people]).status.success());
    let systems = write("systems.csv", "name,criticality,mfa_enforced,role_based_access\nAWS,critical,no,yes\n");
    let o = readyroom(&["--db", &path, "import", "systems", &systems]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = readyroom(&["--db", &path, "systems"]);
    assert!(stdout(&o).contains("MFA is not enforced"), "{}", stdout(&o));
    let changes = write(
        "prs.csv",
        "number,title,author,reviewer,merged_at\n7,Fix,dan@acme.test,dan@acme.test,2020-01-02T10:00:00Z\n",
    );
    let o = readyroom(&["--db", &path, "import", "changes", &changes]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("line 2, column approver_email: The approver must be someone other than the author"),
        "{}",
        stderr(&o)
    );
    let o = readyroom(&["--db", &path, "training"]);
    assert!(stdout(&o).starts_with("No required course yet"), "{}", stdout(&o));
    let training = write("training.csv", "email,course,completed_on\ndan@acme.test,Security awareness,2020-01-10\n");
    let o = readyroom(&["--db", &path, "import", "training", &training]);
    assert!(stderr(&o).contains("No course is named Security awareness"), "{}", stderr(&o));
    let o = readyroom(&["--db", &path, "leavers"]);
    assert!(stdout(&o).contains("Lee Lead") && stdout(&o).contains("AWS: Overdue"), "{}", stdout(&o));
    // The systems file given as access reviews: refused by its columns, nothing written.
    let o = readyroom(&["--db", &path, "import", "access_reviews", &systems]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line 1, column system: This required column is missing."), "{}", stderr(&o));
    let o = readyroom(&["--db", &path, "export", "access_reviews"]);
    assert_eq!(stdout(&o).lines().count(), 1, "no review: {}", stdout(&o));

    // More changes than one page of the core's list: the CLI prints every one of them.
    let mut prs = String::from("number,title,author,reviewer,merged_at\n");
    for n in 1..=1205 {
        prs.push_str(&format!("{n},Change {n},dan@acme.test,lee@acme.test,2020-01-02T10:00:00Z\n"));
    }
    let prs = write("month.csv", &prs);
    let o = readyroom(&["--db", &path, "import", "changes", &prs]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = readyroom(&["--db", &path, "changes", "--json"]);
    let listed: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(listed.as_array().unwrap().len(), 1205);
}

#[test]
fn tabletop_scripts_export_and_import_with_line_numbered_errors() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let o = readyroom(&["--db", &path, "tabletop", "list"]);
    assert!(stdout(&o).lines().count() >= 10, "{}", stdout(&o));
    let file = dir.path().join("ransomware.toml");
    let o = readyroom(&["--db", &path, "tabletop", "export", "ransomware", "--out", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&file).unwrap().replace("Ransomware locks", "Our ransomware drill:");
    std::fs::write(&file, &text).unwrap();
    let o = readyroom(&["--db", &path, "tabletop", "import", file.to_str().unwrap()]);
    assert!(stdout(&o).starts_with("Imported \"Our ransomware drill:"), "{} {}", stdout(&o), stderr(&o));
    let broken = text.replacen("at_minutes = 15", "at_minutes = fifteen", 1);
    std::fs::write(&file, &broken).unwrap();
    let line = broken.lines().position(|l| l.contains("fifteen")).unwrap() + 1;
    let o = readyroom(&["--db", &path, "tabletop", "import", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(&format!("ransomware.toml: Line {line}: ")), "{}", stderr(&o));
    let o = readyroom(&["--db", &path, "tabletop", "list"]);
    assert_eq!(stdout(&o).matches("Our ransomware drill").count(), 1, "the broken file added nothing");
    let o = readyroom(&["--db", &path, "incidents"]);
    assert!(o.status.success());
}

#[test]
fn check_prints_every_verdict_and_exits_zero() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let o = readyroom(&["--db", &path, "check", "--as-of", "2026-11-26", "--json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("valid JSON");
    let checks = v["checks"].as_array().unwrap();
    assert_eq!(checks.len(), 14);
    assert_eq!(checks[0]["verdict"], "fail");
    assert!(checks[0]["findings"][0]["fix"].as_str().is_some_and(|f| !f.is_empty()));
    assert_eq!(checks[13]["key"], "coverage");
    let o = readyroom(&["--db", &path, "check"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains(" 1. Policies documented and current"), "{}", stdout(&o));
    let o = readyroom(&["--db", &path, "check", "--as-of", "26/11/2026"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("YYYY-MM-DD"));
}

#[test]
fn report_writes_a_readiness_pdf_with_every_check() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let out = dir.path().join("report.pdf");
    let o = readyroom(&[
        "--db",
        &path,
        "report",
        "--as-of",
        "2026-11-26",
        "--paper",
        "letter",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let again = dir.path().join("again.pdf");
    readyroom(&[
        "--db",
        &path,
        "report",
        "--as-of",
        "2026-11-26",
        "--paper",
        "letter",
        "--out",
        again.to_str().unwrap(),
    ]);
    assert_eq!(std::fs::read(&out).unwrap(), std::fs::read(&again).unwrap(), "same workspace and date, same bytes");
    let text = Command::new("pdftotext").arg(&out).arg("-").output().expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&text.stdout).split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "SOC 2 readiness report",
        "As of 2026-11-26",
        "Policies documented and current",
        "Criteria coverage",
        "Inherent risk",
        "Page 1 of",
    ] {
        assert!(text.contains(needle), "{needle} missing");
    }
    let info = Command::new("pdfinfo").arg(&out).output().unwrap();
    assert!(String::from_utf8_lossy(&info.stdout).contains("612 x 792"), "US Letter");
}

#[test]
fn archive_export_then_import_gives_the_same_workspace_and_refuses_a_full_target() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "demo"]).status.success());
    let zip = dir.path().join("acme.readyroom-archive").display().to_string();
    let o = readyroom(&["--db", &path, "archive", "export", "--out", &zip]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("records in"), "{}", stdout(&o));
    let copy = dir.path().join("moved").join("copy.readyroom").display().to_string();
    let o = readyroom(&["--db", &copy, "archive", "import", &zip]);
    assert!(o.status.success(), "{}", stderr(&o));
    for args in [&["check", "--json"][..], &["exceptions", "--json"], &["export", "people", "--csv"]] {
        let a = readyroom(&[&["--db", path.as_str()][..], args].concat());
        let b = readyroom(&[&["--db", copy.as_str()][..], args].concat());
        assert_eq!(stdout(&a), stdout(&b), "{args:?}");
    }
    // The original holds records: refused in one line, exit 1, file untouched.
    let before = std::fs::read(&path).unwrap();
    let o = readyroom(&["--db", &path, "archive", "import", &zip]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).trim().lines().count(), 1);
    assert!(stderr(&o).contains("already holds records"), "{}", stderr(&o));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn profile_set_reads_a_toml_file_and_profile_json_reads_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let file = dir.path().join("profile.toml");
    std::fs::write(
        &file,
        "name = \"Acme Analytics Ltd\"\naudit_type = \"type2\"\nwindow_start = 2027-01-01\nwindow_end = 2027-06-30\n[categories]\navailability = true\n",
    )
    .unwrap();
    let o = readyroom(&["--db", &path, "profile", "set", "--file", file.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json = stdout(&readyroom(&["--db", &path, "profile", "--json"]));
    let p: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!((p["name"].as_str(), p["window_end"].as_str()), (Some("Acme Analytics Ltd"), Some("2027-06-30")));
    assert_eq!(p["categories"]["availability"], true);
    // The JSON it prints is a profile file too: setting it changes nothing.
    let back = dir.path().join("profile.json");
    std::fs::write(&back, &json).unwrap();
    assert!(readyroom(&["--db", &path, "profile", "set", "--file", back.to_str().unwrap()]).status.success());
    let again: serde_json::Value =
        serde_json::from_str(&stdout(&readyroom(&["--db", &path, "profile", "--json"]))).unwrap();
    assert_eq!(again["window_start"], p["window_start"]);
    assert_eq!(again["name"], p["name"]);
    // A bad file: one line naming the fields, exit 1, nothing changed.
    std::fs::write(&file, "name = \"\"\nwindow_end = 2026-01-01\nsize = 40\n").unwrap();
    let o = readyroom(&["--db", &path, "profile", "set", "--file", file.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o).trim().lines().count(), 1);
    assert!(stderr(&o).contains("[size: Unknown field size"), "{}", stderr(&o));
    let after: serde_json::Value =
        serde_json::from_str(&stdout(&readyroom(&["--db", &path, "profile", "--json"]))).unwrap();
    assert_eq!(after["name"], p["name"]);
}

#[test]
fn a_workbook_sheet_imports_by_name_and_a_missing_sheet_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    readyroom(&["--db", &path, "init", "--plain"]);
    std::fs::write(dir.path().join("people.csv"), "name,email\nRita Reviewer,rita@acme.test\n").unwrap();
    std::fs::write(dir.path().join("systems.csv"), "name,criticality\nGitHub,high\n").unwrap();
    for (register, file) in [("people", "people.csv"), ("systems", "systems.csv")] {
        let o = readyroom(&["--db", &path, "import", register, &dir.path().join(file).display().to_string()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let book = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures/access-reviews.xlsx");
    let book = book.display().to_string();
    let o = readyroom(&["--db", &path, "import", "log_reviews", &book, "--sheet", "Q9"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(r#"no sheet named "Q9""#), "{}", stderr(&o));
    // The "Log notes" sheet has a bad row (an unknown system on row 3): named by its row.
    let o = readyroom(&["--db", &path, "import", "log_reviews", &book, "--sheet", "Log notes", "--dry-run"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("line 3, column system: No system is named Nowhere"), "{}", stderr(&o));
    let o = readyroom(&["--db", &path, "export", "log_reviews"]);
    assert_eq!(stdout(&o).lines().count(), 1, "nothing written: {}", stdout(&o));
}

#[test]
fn the_binder_is_written_for_a_range_and_verified() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "demo"]).status.success());
    let zip = dir.path().join("binder.zip").display().to_string();
    let o = readyroom(&["--db", &path, "binder", "--from", "2026-01-01", "--to", "2026-06-30", "--out", &zip]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("10 populations, 2026-01-01 to 2026-06-30."), "{}", stdout(&o));
    let o = readyroom(&["binder", "verify", &zip]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).ends_with("entries match the manifest.\n"), "{}", stdout(&o));

    // A binder with an entry it should not hold fails verification with exit 1.
    let bytes = std::fs::read(&zip).unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let tampered = dir.path().join("tampered.zip");
    let mut w = zip::ZipWriter::new(std::fs::File::create(&tampered).unwrap());
    for i in 0..z.len() {
        let mut f = z.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut content = Vec::new();
        std::io::Read::read_to_end(&mut f, &mut content).unwrap();
        w.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
        std::io::Write::write_all(&mut w, &content).unwrap();
    }
    w.start_file("populations/extra.csv", zip::write::SimpleFileOptions::default()).unwrap();
    std::io::Write::write_all(&mut w, b"a\n").unwrap();
    w.finish().unwrap();
    let o = readyroom(&["binder", "verify", &tampered.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stdout(&o).contains("extra: populations/extra.csv"), "{}", stdout(&o));
    assert!(stderr(&o).contains("does not match its manifest: 1 entry"), "{}", stderr(&o));

    // A bad date is named; a missing flag is asked for.
    let o = readyroom(&["--db", &path, "binder", "--from", "2026-02-30", "--to", "2026-06-30", "--out", &zip]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains(r#"--from "2026-02-30" is not a date"#), "{}", stderr(&o));
    let o = readyroom(&["--db", &path, "binder", "--from", "2026-01-01", "--to", "2026-06-30"]);
    assert!(stderr(&o).contains("Give --out FILE.zip."), "{}", stderr(&o));
}

#[test]
fn a_policy_text_goes_out_and_back_in_as_markdown() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let csv = dir.path().join("policies.csv");
    std::fs::write(&csv, "title\nAccess Control Policy\n").unwrap();
    assert!(readyroom(&["--db", &path, "import", "policies", csv.to_str().unwrap()]).status.success());
    let list = stdout(&readyroom(&["--db", &path, "policies", "list"]));
    assert!(list.contains("Access Control Policy") && list.contains("0.1") && list.contains("0 words"), "{list}");
    let id = list.split_whitespace().next().unwrap().to_owned();

    let md = dir.path().join("access.md");
    std::fs::write(&md, "# Access Control Policy\n\n## Purpose\nAccess follows need.\n").unwrap();
    let o = readyroom(&["--db", &path, "policies", "import-text", &id, md.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("Saved version 0.1 of the policy (7 words)"), "{}", stdout(&o));
    let back = dir.path().join("back.md");
    let o = readyroom(&["--db", &path, "policies", "export-text", &id, "--out", back.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&back).unwrap(), std::fs::read_to_string(&md).unwrap());

    // A policy that is not there, and a version it never had: one line, non-zero, nothing written.
    let o = readyroom(&["--db", &path, "policies", "import-text", "999", md.to_str().unwrap()]);
    assert!(!o.status.success() && stderr(&o).contains("No policy with id 999"), "{}", stderr(&o));
    let none = dir.path().join("none.md");
    let o = readyroom(&[
        "--db",
        &path,
        "policies",
        "export-text",
        &id,
        "--policy-version",
        "3.0",
        "--out",
        none.to_str().unwrap(),
    ]);
    assert!(!o.status.success() && stderr(&o).contains("no version 3.0"), "{}", stderr(&o));
    assert!(!none.exists());
}

#[test]
fn changes_made_from_the_command_line_name_the_account_in_history() {
    let dir = tempfile::tempdir().unwrap();
    let path = db(dir.path());
    assert!(readyroom(&["--db", &path, "init", "--plain"]).status.success());
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "name,email\nAnn Lee,ann@acme.test\n").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_readyroom"))
        .args(["--db", &path, "import", "people", csv.to_str().unwrap()])
        .env_remove("READYROOM_DB")
        .env("USER", "ops-lead")
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let ws = readyroom_core::Workspace::open(
        Path::new(&path),
        readyroom_core::OpenOptions::new(
            readyroom_core::Access::ReadOnly,
            std::sync::Arc::new(readyroom_core::clock::SystemClock),
        ),
    )
    .unwrap();
    let ann = ws.read(|c| readyroom_core::people::list(c, &Default::default())).unwrap().into_iter().next().unwrap();
    let history = ws.read(|c| readyroom_core::history::list(c, readyroom_core::Register::People, ann.id)).unwrap();
    assert_eq!(history[0].actor, "ops-lead (command line)");
}
