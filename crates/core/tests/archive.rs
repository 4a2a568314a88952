//! The workspace archive: lossless (the rebuilt workspace answers every question the same way),
//! deterministic (the same workspace gives the same bytes), and refusing what it cannot trust
//! with nothing written.

mod common;

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use common::{open, open_existing, temp_workspace};
use readyroom_core::archive::{self, Manifest};
use readyroom_core::evidence::{EvidenceInput, EvidenceTarget};
use readyroom_core::outputs::Protected;
use readyroom_core::pdf::Paper;
use readyroom_core::{demo, evidence, readiness, registers, report, ErrorCode, Register, Workspace};

const DAY: (i32, u32, u32) = (2026, 11, 26);

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(DAY.0, DAY.1, DAY.2).unwrap()
}

fn all_go(_: u64, _: u64) -> bool {
    true
}

/// The demo company with two evidence files (one attached twice: stored once).
fn demo_with_files(path: &Path) -> Workspace {
    let ws = open(path).unwrap();
    ws.write(|tx, now| demo::create(tx, now, day())).unwrap();
    let dir = ws.attachments_dir();
    let activity: i64 =
        ws.read(|c| Ok(c.query_row("SELECT min(id) FROM control_activities", [], |r| r.get(0))?)).unwrap();
    let input = |name: &str| EvidenceInput {
        file_name: name.into(),
        effective_date: "2026-11-20".into(),
        expires_on: String::new(),
        added_by: None,
        description: "Export of the user list".into(),
    };
    ws.write(|tx, now| {
        evidence::attach(
            tx,
            now,
            &dir,
            EvidenceTarget::Activity(activity),
            b"username,role\nann,admin\n",
            &input("users.csv"),
        )?;
        evidence::attach(
            tx,
            now,
            &dir,
            EvidenceTarget::Activity(activity),
            &vec![7u8; 300_000],
            &input("screenshot.png"),
        )?;
        evidence::attach(
            tx,
            now,
            &dir,
            EvidenceTarget::Activity(activity),
            b"username,role\nann,admin\n",
            &input("again.csv"),
        )
    })
    .unwrap();
    ws
}

fn export_to(ws: &Workspace, out: &Path) -> archive::ArchiveSummary {
    ws.read(|c| archive::export(c, &ws.protected(), out, "test", &mut all_go)).unwrap()
}

/// Everything a user or an auditor reads off a workspace, as of the demo's day.
fn answers(ws: &Workspace) -> (String, Vec<u8>, Vec<String>) {
    let checks = ws.read(|c| readiness::check_all(c, day())).unwrap();
    let report = ws.read(|c| report::readiness_report(c, day(), Paper::A4)).unwrap();
    let csv = Register::ALL.iter().filter_map(|r| ws.read(|c| registers::export_csv(c, *r)).ok()).collect();
    (serde_json::to_string(&checks).unwrap(), report, csv)
}

#[test]
fn the_demo_comes_back_the_same_from_its_archive() {
    let (dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let first = dir.path().join("acme.readyroom-archive");
    let summary = export_to(&ws, &first);
    assert_eq!(summary.attachments, 2, "the same file attached twice is stored once");
    assert_eq!(summary.attachment_bytes, 300_000 + 24);
    let second = dir.path().join("again.readyroom-archive");
    export_to(&ws, &second);
    assert_eq!(fs::read(&first).unwrap(), fs::read(&second).unwrap(), "the same workspace gives the same bytes");

    let target = dir.path().join("elsewhere").join("copy.readyroom");
    let rebuilt = archive::import(&first, &target, &mut all_go).unwrap();
    assert_eq!((rebuilt.rows, rebuilt.attachments), (summary.rows, summary.attachments));
    let copy = open_existing(&target).unwrap();
    assert_eq!(answers(&copy), answers(&ws), "same checks, report bytes and CSV exports");
    for f in fs::read_dir(ws.attachments_dir()).unwrap() {
        let f = f.unwrap();
        assert_eq!(fs::read(f.path()).unwrap(), fs::read(copy.attachments_dir().join(f.file_name())).unwrap());
    }
    // The archive never lands on the workspace or its files.
    let onto = ws.read(|c| archive::export(c, &ws.protected(), ws.path(), "test", &mut all_go)).unwrap_err();
    assert_eq!(onto.code, ErrorCode::OutputRefused);
    assert_eq!(answers(&ws), answers(&copy), "nothing changed");
    let third = dir.path().join("from-the-copy.readyroom-archive");
    export_to(&copy, &third);
    assert_eq!(fs::read(&first).unwrap(), fs::read(&third).unwrap(), "the copy archives to the same bytes");
}

/// Rewrites the archive at `from` into `to`, letting `edit` change, drop or add entries.
fn rewrite(from: &Path, to: &Path, edit: impl Fn(&str, Vec<u8>) -> Option<Vec<u8>>, extra: Option<(&str, &[u8])>) {
    let mut zip = zip::ZipArchive::new(fs::File::open(from).unwrap()).unwrap();
    let mut out = zip::ZipWriter::new(fs::File::create(to).unwrap());
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).unwrap();
        let name = f.name().unwrap().into_owned();
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).unwrap();
        if let Some(bytes) = edit(&name, bytes) {
            out.start_file(name.as_str(), zip::write::SimpleFileOptions::default()).unwrap();
            out.write_all(&bytes).unwrap();
        }
    }
    if let Some((name, bytes)) = extra {
        out.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        out.write_all(bytes).unwrap();
    }
    out.finish().unwrap();
}

/// Imports `archive` into a new file; asserts the refusal's code and that nothing was left.
fn refused(archive: &Path, code: ErrorCode) -> String {
    let folder = archive.parent().unwrap().join(format!("target-{}", archive.file_name().unwrap().to_string_lossy()));
    let target = folder.join("new.readyroom");
    let err = archive::import(archive, &target, &mut all_go).unwrap_err();
    assert_eq!(err.code, code, "{}", err.message);
    let left: Vec<PathBuf> = fs::read_dir(&folder).map(|d| d.map(|e| e.unwrap().path()).collect()).unwrap_or_default();
    assert!(left.is_empty(), "nothing written: {left:?}");
    err.message
}

#[test]
fn a_damaged_or_altered_archive_is_refused_and_nothing_is_written() {
    let (dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let good = dir.path().join("good.zip");
    export_to(&ws, &good);
    let bytes = fs::read(&good).unwrap();

    let cut = dir.path().join("cut.zip");
    fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    assert!(refused(&cut, ErrorCode::ArchiveInvalid).contains("not a complete Readyroom archive"));

    let not_zip = dir.path().join("notes.zip");
    fs::write(&not_zip, b"these are my notes").unwrap();
    refused(&not_zip, ErrorCode::ArchiveInvalid);

    let tampered = dir.path().join("tampered.zip");
    rewrite(
        &good,
        &tampered,
        |name, b| {
            Some(if name == "tables/people.json" {
                String::from_utf8(b).unwrap().replace("Amara", "Imara").into_bytes()
            } else {
                b
            })
        },
        None,
    );
    assert!(refused(&tampered, ErrorCode::ArchiveInvalid).contains("tables/people.json does not match its manifest"));

    let missing = dir.path().join("missing.zip");
    rewrite(&good, &missing, |name, b| (!name.starts_with("attachments/")).then_some(b), None);
    assert!(refused(&missing, ErrorCode::ArchiveInvalid).contains("is missing attachments/"));

    let extra = dir.path().join("extra.zip");
    rewrite(&good, &extra, |_, b| Some(b), Some(("tables/backdoor.json", b"{}")));
    assert!(refused(&extra, ErrorCode::ArchiveInvalid).contains("tables/backdoor.json"));

    let newer = dir.path().join("newer.zip");
    rewrite(
        &good,
        &newer,
        |name, b| {
            if name != "manifest.json" {
                return Some(b);
            }
            let mut m: Manifest = serde_json::from_slice(&b).unwrap();
            m.schema_version += 1;
            Some(serde_json::to_vec(&m).unwrap())
        },
        None,
    );
    assert!(refused(&newer, ErrorCode::ArchiveTooNew).contains("Update Readyroom"));
}

#[test]
fn a_target_that_holds_records_is_refused_and_left_as_it_was() {
    let (dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let file = dir.path().join("a.zip");
    export_to(&ws, &file);
    drop(ws);
    let before = fs::read(&path).unwrap();
    let err = archive::import(&file, &path, &mut all_go).unwrap_err();
    assert_eq!(err.code, ErrorCode::Conflict);
    assert_eq!(fs::read(&path).unwrap(), before, "the workspace is untouched");

    // An empty workspace (just created) is fine to fill.
    let (_d2, empty) = temp_workspace();
    drop(open(&empty).unwrap());
    archive::import(&file, &empty, &mut all_go).unwrap();
    assert!(
        open_existing(&empty)
            .unwrap()
            .read(|c| Ok(c.query_row("SELECT count(*) FROM people", [], |r| r.get::<_, i64>(0))?))
            .unwrap()
            > 0
    );
}

#[test]
fn cancelling_leaves_no_archive_and_no_workspace() {
    let (dir, path) = temp_workspace();
    let ws = demo_with_files(&path);
    let out = dir.path().join("a.zip");
    let mut calls = 0;
    let mut stop = |_: u64, _: u64| {
        calls += 1;
        calls < 3
    };
    let err = ws.read(|c| archive::export(c, &ws.protected(), &out, "test", &mut stop)).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert!(!out.exists());
    assert_eq!(
        fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| e.as_ref().unwrap().file_name().to_string_lossy().contains("a.zip"))
            .count(),
        0
    );

    export_to(&ws, &out);
    let mut seen = Vec::new();
    let mut stop_late = |done: u64, total: u64| {
        seen.push((done, total));
        seen.len() < 5
    };
    let target = dir.path().join("new").join("copy.readyroom");
    let err = archive::import(&out, &target, &mut stop_late).unwrap_err();
    assert_eq!(err.code, ErrorCode::Cancelled);
    assert!(!target.exists());
    assert!(fs::read_dir(target.parent().unwrap()).unwrap().next().is_none(), "no temporary file left");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 == w[1].1), "progress only grows");
}

#[test]
fn an_archive_of_an_older_schema_is_upgraded_on_import() {
    // A workspace at schema 12 (the frozen fixture), archived by hand as a schema-12 build
    // would have written it, comes back at this build's schema.
    let (dir, path) = temp_workspace();
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(include_str!("fixtures/schema_v12.sql")).unwrap();
    conn.execute(
        "INSERT INTO people (name, email, role, created_at, updated_at) VALUES ('Ann Lee', 'ann@acme.test', 'CTO', '2026-01-05T09:00:00Z', '2026-01-05T09:00:00Z')",
        [],
    )
    .unwrap();
    let out = dir.path().join("old.zip");
    let summary = archive::export(&conn, &Protected::for_workspace(&path), &out, "0.0.12", &mut all_go).unwrap();
    assert_eq!(summary.schema_version, 12);
    drop(conn);
    let target = dir.path().join("up").join("new.readyroom");
    let rebuilt = archive::import(&out, &target, &mut all_go).unwrap();
    assert_eq!(rebuilt.schema_version, readyroom_core::workspace::schema_version());
    let ws = open_existing(&target).unwrap();
    let people = ws.read(|c| Ok(c.query_row("SELECT name FROM people", [], |r| r.get::<_, String>(0))?)).unwrap();
    assert_eq!(people, "Ann Lee");
}
