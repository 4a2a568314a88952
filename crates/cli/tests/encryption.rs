//! Encryption through the binary: `init` encrypts by default (or refuses without a passphrase
//! and names --plain), commands open with $READYROOM_PASSPHRASE, `encrypt`, `passphrase` and
//! `decrypt` work, and a kill during `encrypt` never loses the workspace.

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

const PASS: &str = "correct horse battery staple";

fn readyroom(args: &[&str], env: &[(&str, &str)]) -> Output {
    command(args, env).output().expect("run readyroom")
}

fn command(args: &[&str], env: &[(&str, &str)]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_readyroom"));
    c.args(args)
        .env_remove("READYROOM_DB")
        .env_remove("READYROOM_PASSPHRASE")
        .env_remove("READYROOM_RECOVERY_KEY")
        .env_remove("READYROOM_NEW_PASSPHRASE")
        .stdin(Stdio::null());
    for (k, v) in env {
        c.env(k, v);
    }
    c
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn is_sqlite(path: &Path) -> bool {
    std::fs::read(path).unwrap().starts_with(b"SQLite format 3\0")
}

/// The recovery key printed after "Recovery key": the line of 14 groups.
fn recovery_key(o: &Output) -> String {
    stderr(o)
        .lines()
        .map(str::trim)
        .find(|l| l.len() == 69 && l.split('-').count() == 14)
        .unwrap_or_else(|| panic!("no recovery key in {}", stderr(o)))
        .to_owned()
}

#[test]
fn init_encrypts_with_the_passphrase_or_refuses_and_names_plain() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("acme.readyroom");
    let p = db.to_str().unwrap();
    let o = readyroom(&["--db", p, "init"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("--plain") && stderr(&o).contains("READYROOM_PASSPHRASE"), "{}", stderr(&o));
    assert!(!db.exists(), "nothing was created");

    let o = readyroom(&["--db", p, "init"], &[("READYROOM_PASSPHRASE", PASS)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stderr(&o).contains("Created an encrypted workspace"));
    let key = recovery_key(&o);
    assert!(!is_sqlite(&db));

    // Every command opens it with the passphrase; without it, or with a wrong one, it says so.
    let o = readyroom(&["--db", p, "people", "--json"], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("is encrypted") && stderr(&o).contains("READYROOM_PASSPHRASE"), "{}", stderr(&o));
    let o = readyroom(&["--db", p, "people", "--json"], &[("READYROOM_PASSPHRASE", "not the passphrase")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("does not open this workspace"), "{}", stderr(&o));
    let o = readyroom(&["--db", p, "people", "--json"], &[("READYROOM_PASSPHRASE", PASS)]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(stdout(&o).trim(), "[]");
    let o = readyroom(&["--db", p, "people", "--json"], &[("READYROOM_RECOVERY_KEY", &key)]);
    assert!(o.status.success(), "the recovery key opens it: {}", stderr(&o));

    // A new passphrase, set with the recovery key; the old one stops working.
    let o = readyroom(
        &["--db", p, "passphrase"],
        &[("READYROOM_RECOVERY_KEY", &key), ("READYROOM_NEW_PASSPHRASE", "another good passphrase")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(readyroom(&["--db", p, "people"], &[("READYROOM_PASSPHRASE", PASS)]).status.code(), Some(1));
    let o = readyroom(&["--db", p, "people"], &[("READYROOM_PASSPHRASE", "another good passphrase")]);
    assert!(o.status.success(), "{}", stderr(&o));

    // A plain copy for whoever needs one; the workspace stays encrypted.
    let copy = dir.path().join("plain.readyroom");
    let o = readyroom(
        &["--db", p, "decrypt", "--out", copy.to_str().unwrap()],
        &[("READYROOM_PASSPHRASE", "another good passphrase")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(is_sqlite(&copy) && !is_sqlite(&db));
    assert!(readyroom(&["--db", copy.to_str().unwrap(), "people"], &[]).status.success());

    // An archive of it would be plain: only with --plain.
    let archive = dir.path().join("acme.zip");
    let env = [("READYROOM_PASSPHRASE", "another good passphrase")];
    let o = readyroom(&["--db", p, "archive", "export", "--out", archive.to_str().unwrap()], &env);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("Pass --encrypt") && stderr(&o).contains("--plain"), "{}", stderr(&o));
    assert!(!archive.exists());
    let o = readyroom(&["--db", p, "archive", "export", "--plain", "--out", archive.to_str().unwrap()], &env);
    assert!(o.status.success(), "{}", stderr(&o));
    // Or encrypted under a passphrase of its own, which its import then needs.
    let sealed = dir.path().join("acme-sealed.zip");
    let o = readyroom(&["--db", p, "archive", "export", "--encrypt", "--out", sealed.to_str().unwrap()], &env);
    assert_eq!(o.status.code(), Some(1), "no passphrase for the archive and no terminal");
    assert!(stderr(&o).contains("READYROOM_ARCHIVE_PASSPHRASE") && !sealed.exists(), "{}", stderr(&o));
    let with_archive_pass = [env[0], ("READYROOM_ARCHIVE_PASSPHRASE", "the archive's own passphrase")];
    let o = readyroom(
        &["--db", p, "archive", "export", "--encrypt", "--out", sealed.to_str().unwrap()],
        &with_archive_pass,
    );
    assert!(o.status.success() && stdout(&o).contains("encrypted archive"), "{}", stderr(&o));
    assert!(!std::fs::read(&sealed).unwrap().starts_with(b"PK"));
    let restored = dir.path().join("restored.readyroom");
    let r = restored.to_str().unwrap();
    let o = readyroom(&["--db", r, "archive", "import", sealed.to_str().unwrap()], &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("encrypted") && stderr(&o).contains("READYROOM_ARCHIVE_PASSPHRASE"), "{}", stderr(&o));
    let wrong = [("READYROOM_ARCHIVE_PASSPHRASE", "not the right passphrase")];
    let o = readyroom(&["--db", r, "archive", "import", sealed.to_str().unwrap()], &wrong);
    assert!(stderr(&o).contains("does not open this archive") && !restored.exists(), "{}", stderr(&o));
    let o = readyroom(&["--db", r, "archive", "import", sealed.to_str().unwrap()], &with_archive_pass[1..]);
    assert!(o.status.success(), "{}", stderr(&o));
    // Rebuilt encrypted under the archive's passphrase; its recovery key printed once.
    assert!(!is_sqlite(&restored) && stderr(&o).contains("Recovery key"), "{}", stderr(&o));
    assert_eq!(readyroom(&["--db", r, "people"], &[]).status.code(), Some(1), "no passphrase, no records");
    let archive_pass = [("READYROOM_PASSPHRASE", "the archive's own passphrase")];
    assert!(readyroom(&["--db", r, "people"], &archive_pass).status.success());

    // The demo stays plain unless a passphrase is set.
    let demo = dir.path().join("demo.readyroom");
    assert!(readyroom(&["--db", demo.to_str().unwrap(), "demo"], &[]).status.success());
    assert!(is_sqlite(&demo));
}

#[test]
fn a_plain_workspace_is_encrypted_and_a_kill_midway_never_loses_it() {
    let dir = tempfile::tempdir().unwrap();
    let original = dir.path().join("original.readyroom");
    assert!(readyroom(&["--db", original.to_str().unwrap(), "demo"], &[]).status.success());
    let people = |db: &Path, env: &[(&str, &str)]| {
        let o = readyroom(&["--db", db.to_str().unwrap(), "people", "--json", "--all"], env);
        assert!(o.status.success(), "{}", stderr(&o));
        serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap().as_array().unwrap().len()
    };
    let expected = people(&original, &[]);
    assert!(expected > 30);

    for (i, delay) in [0u64, 15, 40, 80, 160, 400].into_iter().enumerate() {
        let db = dir.path().join(format!("run{i}.readyroom"));
        std::fs::copy(&original, &db).unwrap();
        let mut child = command(&["--db", db.to_str().unwrap(), "encrypt"], &[("READYROOM_PASSPHRASE", PASS)])
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay));
        let _ = child.kill();
        let _ = child.wait();
        // Whenever it was stopped, the workspace is whole: still plain, or encrypted and
        // opening with the passphrase.
        let env: &[(&str, &str)] = if is_sqlite(&db) { &[] } else { &[("READYROOM_PASSPHRASE", PASS)] };
        assert_eq!(people(&db, env), expected, "killed after {delay} ms");
    }

    let db = dir.path().join("run0.readyroom");
    if is_sqlite(&db) {
        let o = readyroom(&["--db", db.to_str().unwrap(), "encrypt"], &[("READYROOM_PASSPHRASE", PASS)]);
        assert!(o.status.success(), "{}", stderr(&o));
        recovery_key(&o);
    }
    assert!(!is_sqlite(&db));
    assert_eq!(people(&db, &[("READYROOM_PASSPHRASE", PASS)]), expected);
    let o = readyroom(&["--db", db.to_str().unwrap(), "encrypt"], &[("READYROOM_PASSPHRASE", PASS)]);
    assert!(stderr(&o).contains("already encrypted"), "{}", stderr(&o));
}
