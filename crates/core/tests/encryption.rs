//! Encrypted workspaces: created with a passphrase, reopened only with it (or the recovery
//! key), never touched by a wrong one; a plain workspace encrypted in place, the passphrase
//! changed, a plain copy written; the backup before an upgrade stays encrypted.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{clock, temp_workspace};
use readyroom_core::keys::{key_file_path, DatabaseKey, KeyFile};
use readyroom_core::people::{self, PersonInput};
use readyroom_core::{encryption, Access, ErrorCode, OpenOptions, Secret, Workspace};

const PASS: &str = "correct horse battery staple";

fn open_with(path: &Path, access: Access, secret: Option<Secret>) -> readyroom_core::Result<Workspace> {
    Workspace::open(path, OpenOptions::new(access, clock()).with_secret(secret))
}

fn pass(p: &str) -> Option<Secret> {
    Some(Secret::passphrase(p))
}

fn add_person(ws: &Workspace, name: &str) {
    let p = PersonInput {
        name: name.into(),
        email: format!("{}@acme.test", name.to_lowercase().replace(' ', ".")),
        ..Default::default()
    };
    ws.write(|tx, now| people::create(tx, now, &p)).unwrap();
}

fn names(ws: &Workspace) -> Vec<String> {
    ws.read(|c| people::list(c, &Default::default())).unwrap().into_iter().map(|p| p.name).collect()
}

fn header(path: &Path) -> Vec<u8> {
    fs::read(path).unwrap()[..16].to_vec()
}

/// Every file in the folder with its bytes: to prove a refusal changed nothing.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<_> = fs::read_dir(dir)
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_file())
        .map(|e| (e.path(), fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    out
}

#[test]
fn an_encrypted_workspace_opens_with_its_passphrase_or_recovery_key_and_nothing_else() {
    let (dir, path) = temp_workspace();
    let ws = open_with(&path, Access::Create, pass(PASS)).unwrap();
    assert!(ws.report().encrypted && ws.is_encrypted());
    let recovery = ws.report().recovery_key.clone().expect("the recovery key is shown once, at creation");
    add_person(&ws, "Wang Xiaoming");
    drop(ws);
    assert_ne!(header(&path), b"SQLite format 3\0", "the file does not read as SQLite");
    assert!(!fs::read(&path).unwrap().windows(13).any(|w| w == b"Wang Xiaoming"), "no record is readable on disk");
    assert!(key_file_path(&path).exists());

    let ws = open_with(&path, Access::ReadWrite, pass(PASS)).unwrap();
    assert_eq!(names(&ws), ["Wang Xiaoming"]);
    assert_eq!(ws.report().recovery_key, None, "shown only once");
    drop(ws);

    // Without a key, or with a wrong one: refused with its own code, and no file changes.
    let before = snapshot(dir.path());
    let err = open_with(&path, Access::ReadWrite, None).unwrap_err();
    assert_eq!(err.code, ErrorCode::KeyRequired, "{err:?}");
    let err = open_with(&path, Access::ReadWrite, pass("correct horse battery stapler")).unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongKey, "{err:?}");
    assert!(err.message.contains("Nothing was changed"));
    let err = open_with(&path, Access::ReadOnly, Some(Secret::recovery_key("ABCD-EFGH"))).unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongKey);
    assert_eq!(snapshot(dir.path()), before, "a refused open leaves every file as it was");

    // Read-only access works too (the CLI's queries).
    let ro = open_with(&path, Access::ReadOnly, pass(PASS)).unwrap();
    assert_eq!(names(&ro), ["Wang Xiaoming"]);
    drop(ro);

    // The key file lost: the passphrase cannot help, the recovery key can, and a new
    // passphrase set with it brings the key file back.
    fs::remove_file(key_file_path(&path)).unwrap();
    let err = open_with(&path, Access::ReadWrite, pass(PASS)).unwrap_err();
    assert_eq!(err.code, ErrorCode::KeyFileMissing);
    assert!(err.message.contains("recovery key"));
    let ws = open_with(&path, Access::ReadWrite, Some(Secret::recovery_key(recovery.to_lowercase()))).unwrap();
    assert_eq!(names(&ws), ["Wang Xiaoming"]);
    drop(ws);
    encryption::change_passphrase(&path, &Secret::recovery_key(recovery), "a brand new passphrase").unwrap();
    let ws = open_with(&path, Access::ReadWrite, pass("a brand new passphrase")).unwrap();
    assert_eq!(names(&ws), ["Wang Xiaoming"]);
}

#[test]
fn a_new_workspace_refuses_a_short_passphrase_and_creates_nothing() {
    let (dir, path) = temp_workspace();
    let err = open_with(&path, Access::Create, pass("short")).unwrap_err();
    assert_eq!((err.code, err.fields[0].field.as_str()), (ErrorCode::Validation, "passphrase"));
    assert!(snapshot(dir.path()).is_empty(), "no file, no key file");
}

#[test]
fn a_plain_workspace_is_encrypted_in_place_and_its_passphrase_changed() {
    let (dir, path) = temp_workspace();
    let ws = open_with(&path, Access::Create, None).unwrap();
    assert!(!ws.report().encrypted);
    add_person(&ws, "Ana");
    add_person(&ws, "Ben");

    // While the workspace is open for changes, it is not replaced under the writer.
    let err = encryption::encrypt(&path, PASS).unwrap_err();
    assert_eq!(err.code, ErrorCode::WorkspaceInUse);
    drop(ws);
    assert_eq!(header(&path), b"SQLite format 3\0");
    let err = encryption::encrypt(&path, "short").unwrap_err();
    assert_eq!(err.fields[0].field, "passphrase");
    assert_eq!(header(&path), b"SQLite format 3\0");

    let recovery = encryption::encrypt(&path, PASS).unwrap();
    assert_ne!(header(&path), b"SQLite format 3\0");
    assert!(DatabaseKey::from_recovery_text(&recovery).is_ok());
    let leftovers: Vec<_> = snapshot(dir.path())
        .into_iter()
        .map(|(p, _)| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|n| n != "acme.readyroom" && n != "acme.readyroom.key" && n != "acme.readyroom.lock")
        .collect();
    assert!(leftovers.is_empty(), "no plain copy or temporary file is left: {leftovers:?}");
    assert_eq!(open_with(&path, Access::ReadWrite, None).unwrap_err().code, ErrorCode::KeyRequired);
    let ws = open_with(&path, Access::ReadWrite, pass(PASS)).unwrap();
    assert_eq!(names(&ws), ["Ana", "Ben"]);
    add_person(&ws, "Cleo");
    drop(ws);
    assert_eq!(encryption::encrypt(&path, PASS).unwrap_err().code, ErrorCode::Conflict);

    // A new passphrase: a wrong current one or a short new one changes nothing.
    let key_file = fs::read(key_file_path(&path)).unwrap();
    let err = encryption::change_passphrase(&path, &Secret::passphrase("not the passphrase"), "new passphrase here")
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongKey);
    let err = encryption::change_passphrase(&path, &Secret::passphrase(PASS), "tiny").unwrap_err();
    assert_eq!(err.code, ErrorCode::Validation);
    assert_eq!(fs::read(key_file_path(&path)).unwrap(), key_file);
    encryption::change_passphrase(&path, &Secret::passphrase(PASS), "new passphrase here").unwrap();
    assert_eq!(open_with(&path, Access::ReadWrite, pass(PASS)).unwrap_err().code, ErrorCode::WrongKey);
    let ws = open_with(&path, Access::ReadWrite, pass("new passphrase here")).unwrap();
    assert_eq!(names(&ws), ["Ana", "Ben", "Cleo"]);
    drop(ws);
    // The recovery key made at encryption still opens it: the database key did not change.
    assert!(open_with(&path, Access::ReadOnly, Some(Secret::recovery_key(recovery))).is_ok());
}

#[test]
fn a_plain_copy_is_written_beside_and_the_workspace_stays_encrypted() {
    let (dir, path) = temp_workspace();
    let ws = open_with(&path, Access::Create, pass(PASS)).unwrap();
    add_person(&ws, "Ana");
    drop(ws);
    let out = dir.path().join("plain-copy.readyroom");
    // Not over the workspace, its key file, or with a wrong passphrase.
    for target in [path.clone(), key_file_path(&path)] {
        let err = encryption::decrypt_copy(&path, &Secret::passphrase(PASS), &target).unwrap_err();
        assert_eq!(err.code, ErrorCode::OutputRefused, "{target:?}");
    }
    let err = encryption::decrypt_copy(&path, &Secret::passphrase("wrong passphrase!"), &out).unwrap_err();
    assert_eq!(err.code, ErrorCode::WrongKey);
    assert!(!out.exists());

    let written = encryption::decrypt_copy(&path, &Secret::passphrase(PASS), &out).unwrap();
    assert_eq!(header(&written), b"SQLite format 3\0");
    let copy = open_with(&written, Access::ReadWrite, None).unwrap();
    assert!(!copy.is_encrypted());
    assert_eq!(names(&copy), ["Ana"]);
    drop(copy);
    assert_ne!(header(&path), b"SQLite format 3\0", "the workspace itself stays encrypted");
    let err = encryption::decrypt_copy(&written, &Secret::passphrase(PASS), &dir.path().join("again.readyroom"));
    assert_eq!(err.unwrap_err().code, ErrorCode::Conflict, "a plain workspace has nothing to decrypt");
}

#[test]
fn plain_encrypted_and_foreign_files_are_told_apart() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.readyroom");
    fs::write(&text, "not a database at all\n").unwrap();
    let err = open_with(&text, Access::ReadWrite, pass(PASS)).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAWorkspace);
    // Random pages with no key file: encrypted as far as anyone can tell. The passphrase has
    // nothing to unwrap; a recovery key that does not fit says the file is not this workspace's.
    let random = dir.path().join("random.readyroom");
    fs::write(&random, (0..8192u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect::<Vec<u8>>()).unwrap();
    assert_eq!(open_with(&random, Access::ReadWrite, None).unwrap_err().code, ErrorCode::KeyRequired);
    assert_eq!(open_with(&random, Access::ReadWrite, pass(PASS)).unwrap_err().code, ErrorCode::KeyFileMissing);
    let someone_elses = DatabaseKey::random().unwrap().recovery_text();
    let err = open_with(&random, Access::ReadWrite, Some(Secret::recovery_key(someone_elses))).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAWorkspace, "{err:?}");
    assert!(err.message.contains("another key"));
}

#[test]
fn the_backup_before_an_upgrade_stays_encrypted_and_opens_with_the_same_passphrase() {
    let (_dir, path) = temp_workspace();
    let key = DatabaseKey::random().unwrap();
    {
        let c = rusqlite::Connection::open(&path).unwrap();
        c.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma().as_str())).unwrap();
        c.execute_batch(include_str!("fixtures/schema_v16.sql")).unwrap();
    }
    KeyFile::wrap(&key, PASS).unwrap().write(&path).unwrap();
    let ws = open_with(&path, Access::ReadWrite, pass(PASS)).unwrap();
    assert_eq!(ws.report().upgraded_from, Some(16));
    let backup = PathBuf::from(ws.report().backup_path.clone().unwrap());
    drop(ws);
    assert_ne!(header(&backup), b"SQLite format 3\0", "the backup is encrypted too");
    let old = open_with(&backup, Access::ReadOnly, pass(PASS)).unwrap_err();
    assert_eq!(old.code, ErrorCode::WorkspaceOutdated, "it opens with the passphrase (and is the old schema)");
}

fn attach_policy_file(ws: &Workspace, bytes: &[u8]) -> (i64, String) {
    use readyroom_core::evidence::{self, EvidenceInput, EvidenceTarget};
    use readyroom_core::policies::{self, PolicyInput};
    let policy = ws
        .write(|tx, now| {
            policies::create(tx, now, &PolicyInput { title: "Access Control Policy".into(), ..Default::default() })
        })
        .unwrap();
    let input = EvidenceInput {
        file_name: "access-review-q3.csv".into(),
        effective_date: "2026-10-01".into(),
        expires_on: String::new(),
        added_by: None,
        description: String::new(),
    };
    let dir = ws.attachments_dir();
    let e =
        ws.write(|tx, now| evidence::attach(tx, now, &dir, EvidenceTarget::Policy(policy.id), bytes, &input)).unwrap();
    (e.id, e.sha256.unwrap())
}

const SECRET_FILE: &[u8] = b"user,role,last login\nwang.xiaoming,admin,2026-11-20\nroot-password-is-hunter2\n";

#[test]
fn evidence_files_of_an_encrypted_workspace_are_sealed_on_disk_and_read_back_whole() {
    use readyroom_core::evidence;
    let (dir, path) = temp_workspace();
    let ws = open_with(&path, Access::Create, pass(PASS)).unwrap();
    let (id, sha) = attach_policy_file(&ws, SECRET_FILE);
    let stored = ws.attachments_dir().join(&sha);
    let on_disk = fs::read(&stored).unwrap();
    assert!(!on_disk.windows(8).any(|w| w == b"hunter2\n"), "the file on disk holds no plain content");
    assert_eq!(sha, evidence::sha256_hex(SECRET_FILE), "still named by the SHA-256 of the plain content");
    let folder = ws.attachments_dir();
    assert_eq!(ws.read(|c| evidence::checked_content(c, &folder, id)).unwrap(), SECRET_FILE);
    assert!(ws.read(|c| evidence::verify_all(c, &folder)).unwrap().is_empty());
    // Opening it in another app gets a decrypted copy, not the sealed file.
    let scratch = dir.path().join("scratch");
    let copy = ws.read(|c| evidence::viewable(c, &folder, id, &scratch)).unwrap();
    assert_eq!(
        (copy.file_name().unwrap().to_str(), fs::read(&copy).unwrap()),
        (Some("access-review-q3.csv"), SECRET_FILE.to_vec())
    );
    // A changed byte is caught, as in a plain workspace.
    let mut tampered = on_disk.clone();
    tampered[40] ^= 1;
    fs::write(&stored, &tampered).unwrap();
    let problems = ws.read(|c| evidence::verify_all(c, &folder)).unwrap();
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].code, ErrorCode::EvidenceAltered);
    assert_eq!(ws.read(|c| evidence::checked_content(c, &folder, id)).unwrap_err().code, ErrorCode::EvidenceAltered);
    fs::write(&stored, &on_disk).unwrap();
    // A plain archive carries the content, checked on the way, only when the user says so.
    let archive = dir.path().join("acme.readyroom-archive");
    let refused = ws
        .read(|c| readyroom_core::archive::export(c, &ws.protected(), &archive, "test", &mut |_, _| true))
        .unwrap_err();
    assert_eq!((refused.code, refused.fields[0].field.as_str()), (ErrorCode::Validation, "plain"));
    assert!(!archive.exists(), "nothing written without the user's word");
    let protected = ws.protected().allowing_plain_copy();
    ws.read(|c| readyroom_core::archive::export(c, &protected, &archive, "test", &mut |_, _| true)).unwrap();
    let mut zip = zip::ZipArchive::new(fs::File::open(&archive).unwrap()).unwrap();
    let mut inside = Vec::new();
    std::io::Read::read_to_end(&mut zip.by_name(&format!("attachments/{sha}")).unwrap(), &mut inside).unwrap();
    assert_eq!(inside, SECRET_FILE);
    drop(ws);

    // The plain copy gets its own folder, with the file decrypted.
    let out = dir.path().join("plain.readyroom");
    encryption::decrypt_copy(&path, &Secret::passphrase(PASS), &out).unwrap();
    assert_eq!(fs::read(dir.path().join("plain.attachments").join(&sha)).unwrap(), SECRET_FILE);
    let plain = open_with(&out, Access::ReadWrite, None).unwrap();
    let folder = plain.attachments_dir();
    assert!(plain.read(|c| evidence::verify_all(c, &folder)).unwrap().is_empty());
}

#[test]
fn an_archive_sealed_under_its_own_passphrase_holds_nothing_readable_and_opens_only_with_it() {
    use readyroom_core::{archive, evidence};
    const ARCHIVE_PASS: &str = "a different long passphrase";
    let (dir, path) = temp_workspace();
    let ws = open_with(&path, Access::Create, pass(PASS)).unwrap();
    add_person(&ws, "Zoë Secret-Name");
    let (id, sha) = attach_policy_file(&ws, SECRET_FILE);
    let out = dir.path().join("acme.readyroom-archive");
    // Too short a passphrase is refused next to its field; nothing is written.
    let short = ws.protected().sealing_with("short").unwrap_err();
    assert_eq!(short.fields[0].field, "passphrase");
    let protected = ws.protected().sealing_with(ARCHIVE_PASS).unwrap();
    let summary = ws.read(|c| archive::export(c, &protected, &out, "test", &mut |_, _| true)).unwrap();
    assert!(summary.encrypted);
    drop(ws);
    let bytes = fs::read(&out).unwrap();
    assert!(archive::is_encrypted(&out).unwrap());
    assert!(!bytes.starts_with(b"PK"), "not a readable zip");
    for plain in [&b"hunter2\n"[..], "Zoë Secret-Name".as_bytes(), b"manifest.json", b"people"] {
        assert!(!bytes.windows(plain.len()).any(|w| w == plain), "{:?} readable", String::from_utf8_lossy(plain));
    }
    // Without the passphrase, or with a wrong one: said on the field, nothing built.
    let target = dir.path().join("restored.readyroom");
    let before = fs::read_dir(dir.path()).unwrap().count();
    let err = archive::import(&out, &target, &mut |_, _| true).unwrap_err();
    assert_eq!((err.code, err.fields[0].field.as_str()), (ErrorCode::KeyRequired, "passphrase"));
    let err = archive::import_with(&out, &target, Some(PASS), &mut |_, _| true).unwrap_err();
    assert_eq!((err.code, err.fields[0].field.as_str()), (ErrorCode::WrongKey, "passphrase"));
    assert!(!target.exists(), "nothing written");
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), before, "no leftovers beside the workspace");
    // A file cut short is refused as damaged.
    let cut = dir.path().join("cut.readyroom-archive");
    fs::write(&cut, &bytes[..bytes.len() - 100]).unwrap();
    assert!(archive::import_with(&cut, &target, Some(ARCHIVE_PASS), &mut |_, _| true).is_err());
    assert!(!target.exists());
    // With it: the same records and the evidence file, checked.
    let rebuilt = archive::import_with(&out, &target, Some(ARCHIVE_PASS), &mut |_, _| true).unwrap();
    assert!(rebuilt.encrypted);
    let ws = open_with(&target, Access::ReadWrite, None).unwrap();
    assert_eq!(names(&ws), ["Zoë Secret-Name"]);
    let folder = ws.attachments_dir();
    assert_eq!(ws.read(|c| evidence::checked_content(c, &folder, id)).unwrap(), SECRET_FILE);
    assert!(folder.join(&sha).exists());
}

#[test]
fn a_binder_of_an_encrypted_workspace_says_it_is_a_plain_copy() {
    use readyroom_core::binder;
    let (dir, path) = temp_workspace();
    let ws = open_with(&path, Access::Create, pass(PASS)).unwrap();
    attach_policy_file(&ws, SECRET_FILE);
    let out = dir.path().join("binder.zip");
    let day = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
    ws.read(|c| {
        binder::export(c, &ws.protected(), &out, (day("2026-01-01"), day("2026-12-31")), "test", false, &mut |_, _| {
            true
        })
    })
    .unwrap();
    let mut zip = zip::ZipArchive::new(fs::File::open(&out).unwrap()).unwrap();
    let manifest: serde_json::Value = serde_json::from_reader(zip.by_name("manifest.json").unwrap()).unwrap();
    assert_eq!((manifest["encrypted"].as_bool(), manifest["workspace_encrypted"].as_bool()), (Some(false), Some(true)));
    let index = dir.path().join("index.pdf");
    std::io::copy(&mut zip.by_name("index.pdf").unwrap(), &mut fs::File::create(&index).unwrap()).unwrap();
    let text = std::process::Command::new("pdftotext").arg(&index).arg("-").output().unwrap().stdout;
    let text = String::from_utf8_lossy(&text).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(text.contains("None: a plain zip for the auditor, copied from an encrypted workspace"), "{text}");
    assert!(binder::verify(&out).unwrap().ok());
}

#[test]
fn encrypting_in_place_seals_the_evidence_files_and_a_stopped_run_is_finished_on_open() {
    use readyroom_core::evidence;
    let (_dir, path) = temp_workspace();
    let ws = open_with(&path, Access::Create, None).unwrap();
    let (id, sha) = attach_policy_file(&ws, SECRET_FILE);
    let stored = ws.attachments_dir().join(&sha);
    assert_eq!(fs::read(&stored).unwrap(), SECRET_FILE, "plain in a plain workspace");
    drop(ws);
    encryption::encrypt(&path, PASS).unwrap();
    let sealed = fs::read(&stored).unwrap();
    assert!(!sealed.windows(8).any(|w| w == b"hunter2\n"));
    let ws = open_with(&path, Access::ReadWrite, pass(PASS)).unwrap();
    let folder = ws.attachments_dir();
    assert_eq!(ws.read(|c| evidence::checked_content(c, &folder, id)).unwrap(), SECRET_FILE);
    drop(ws);

    // As if `encrypt` had been stopped before this file: plain again. It still reads, and the
    // next open for changes seals it.
    fs::write(&stored, SECRET_FILE).unwrap();
    let ro = open_with(&path, Access::ReadOnly, pass(PASS)).unwrap();
    let folder = ro.attachments_dir();
    assert_eq!(ro.read(|c| evidence::checked_content(c, &folder, id)).unwrap(), SECRET_FILE);
    drop(ro);
    let ws = open_with(&path, Access::ReadWrite, pass(PASS)).unwrap();
    assert!(!fs::read(&stored).unwrap().windows(8).any(|w| w == b"hunter2\n"), "sealed on open");
    let folder = ws.attachments_dir();
    assert!(ws.read(|c| evidence::verify_all(c, &folder)).unwrap().is_empty());
}

#[test]
fn an_encrypted_workspace_keeps_decrypted_pages_in_a_large_cache() {
    // Without it, a long report re-read and re-decrypted its pages: 7x the plain time.
    let (_dir, path) = temp_workspace();
    let ws = open_with(&path, Access::Create, pass(PASS)).unwrap();
    let cache =
        |ws: &Workspace| ws.read(|c| Ok(c.pragma_query_value(None, "cache_size", |r| r.get::<_, i64>(0))?)).unwrap();
    assert_eq!(cache(&ws), -65536);
    let (_d2, plain_path) = temp_workspace();
    let plain = open_with(&plain_path, Access::Create, None).unwrap();
    assert!(cache(&plain) > -65536, "a plain workspace keeps SQLite's default");
}
