//! Nothing lost (issue 13), through the binary as a user runs it: imports never wipe what a
//! file leaves out, outputs never land on the workspace, a mistyped --db creates nothing, and
//! a read-only workspace can be read but not changed.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn readyroom(args: &[&str]) -> Output {
    command(args).output().expect("run readyroom")
}

fn command(args: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_readyroom"));
    c.args(args).env_remove("READYROOM_DB").env_remove("READYROOM_PASSPHRASE").env_remove("READYROOM_RECOVERY_KEY");
    c
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn demo(dir: &Path) -> String {
    let path = dir.join("acme.readyroom").display().to_string();
    let o = readyroom(&["--db", &path, "demo"]);
    assert!(o.status.success(), "{}", stderr(&o));
    path
}

fn export(db: &str, register: &str) -> String {
    let o = readyroom(&["--db", db, "export", register]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
}

/// The CSV with only the named columns.
fn only_columns(csv: &str, keep: &[&str]) -> String {
    let mut lines = csv.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let idx: Vec<usize> = header.iter().enumerate().filter(|(_, h)| keep.contains(h)).map(|(i, _)| i).collect();
    let mut out = String::new();
    out.push_str(&idx.iter().map(|i| header[*i]).collect::<Vec<_>>().join(","));
    out.push('\n');
    // The demo's system names and criticalities hold no commas or quotes.
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        out.push_str(&idx.iter().map(|i| cells[*i]).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    out
}

#[test]
fn importing_systems_with_only_the_required_columns_keeps_every_other_field() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let before = export(&db, "systems");
    assert!(before.contains(",yes,"), "the demo has protections recorded");
    let slim = dir.path().join("systems.csv");
    std::fs::write(&slim, only_columns(&before, &["name", "criticality"])).unwrap();
    let o = readyroom(&["--db", &db, "import", "systems", slim.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("0 created, 0 updated, 12 unchanged"), "{}", stdout(&o));
    assert_eq!(export(&db, "systems"), before, "MFA, encryption, TLS and logging are untouched");
}

#[test]
fn empty_cells_that_clear_stored_values_need_allow_clearing() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let before = export(&db, "systems");
    let with_mfa = before
        .lines()
        .skip(1)
        .find(|l| l.split(',').nth(7) == Some("yes"))
        .and_then(|l| l.split(',').next())
        .expect("a system with MFA")
        .to_owned();
    let file = dir.path().join("mfa.csv");
    std::fs::write(&file, format!("name,criticality,mfa_enforced\n{with_mfa},critical,\n")).unwrap();
    let file = file.to_str().unwrap();

    let dry = readyroom(&["--db", &db, "import", "systems", file, "--dry-run"]);
    assert!(dry.status.success(), "{}", stderr(&dry));
    let line = format!("~ {with_mfa} mfa_enforced: yes → no  [cleared]");
    assert!(stdout(&dry).contains(&line), "the dry run lists the field:\n{}", stdout(&dry));

    let refused = readyroom(&["--db", &db, "import", "systems", file]);
    assert_eq!(refused.status.code(), Some(1));
    assert!(stdout(&refused).contains(&line), "{}", stdout(&refused));
    assert!(stderr(&refused).contains("would clear 1 stored value") && stderr(&refused).contains("--allow-clearing"));
    assert_eq!(export(&db, "systems"), before, "nothing was imported");

    let allowed = readyroom(&["--db", &db, "import", "systems", file, "--allow-clearing"]);
    assert!(allowed.status.success(), "{}", stderr(&allowed));
    assert!(stdout(&allowed).contains("1 value(s) cleared"), "{}", stdout(&allowed));
    assert_ne!(export(&db, "systems"), before);
}

#[test]
fn no_output_may_replace_the_workspace_or_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let original = std::fs::read(&db).unwrap();
    let link = dir.path().join("link.readyroom");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&db, &link).unwrap();
    std::fs::create_dir_all(dir.path().join("acme.attachments")).unwrap();
    let relative = format!("./{}", Path::new(&db).file_name().unwrap().to_str().unwrap());
    let targets: Vec<String> = vec![
        db.clone(),
        relative,
        link.display().to_string(),
        format!("{db}-wal"),
        format!("{db}.lock"),
        dir.path().join("acme.backup-20260101T000000Z-schema3.readyroom").display().to_string(),
        dir.path().join("acme.attachments").join("x.pdf").display().to_string(),
    ];
    for target in &targets {
        for cmd in [
            vec!["report", "--out", target],
            vec!["export", "people", "--out", target],
            vec!["tabletop", "export", "ransomware", "--out", target],
            vec!["tabletop", "report", "TTX-001", "--out", target],
        ] {
            let mut args = vec!["--db", db.as_str()];
            args.extend(cmd.iter().copied());
            let o = command(&args).current_dir(dir.path()).output().unwrap();
            assert_eq!(o.status.code(), Some(2), "{args:?}: {}", stderr(&o));
            assert!(stderr(&o).contains("Refusing to write"), "{args:?}: {}", stderr(&o));
            assert_eq!(stderr(&o).lines().count(), 1, "one line: {}", stderr(&o));
        }
    }
    assert_eq!(std::fs::read(&db).unwrap(), original, "the workspace is still the workspace");
    assert!(!dir.path().join("acme.attachments").join("x.pdf").exists());
    let o = readyroom(&["--db", &db, "check", "--json"]);
    assert!(o.status.success(), "the workspace still opens: {}", stderr(&o));
}

#[test]
fn an_output_in_a_missing_folder_fails_cleanly_and_a_good_one_is_complete() {
    let dir = tempfile::tempdir().unwrap();
    let db = demo(dir.path());
    let nowhere = dir.path().join("no-such-folder").join("report.pdf");
    let o = readyroom(&["--db", &db, "report", "--out", nowhere.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no-such-folder") && stderr(&o).contains("does not exist"), "{}", stderr(&o));
    let good = dir.path().join("report.pdf");
    std::fs::write(&good, b"an older report").unwrap();
    let o = readyroom(&["--db", &db, "report", "--out", good.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(std::fs::read(&good).unwrap().starts_with(b"%PDF"));
    let leftovers: Vec<PathBuf> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn a_mistyped_db_creates_nothing_for_any_command_but_init_and_demo() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("people.csv");
    std::fs::write(&csv, "name,email\nAnn Lee,ann@acme.test\n").unwrap();
    let typo = dir.path().join("Acme").join("acme.readyrom");
    let typo = typo.to_str().unwrap();
    for cmd in [
        vec!["import", "people", csv.to_str().unwrap()],
        vec!["people"],
        vec!["check"],
        vec!["export", "people"],
        vec!["tabletop", "import", "/nonexistent.toml"],
    ] {
        let mut args = vec!["--db", typo];
        args.extend(cmd.iter().copied());
        let o = readyroom(&args);
        assert_eq!(o.status.code(), Some(1), "{args:?}");
        assert!(!dir.path().join("Acme").exists(), "{args:?} created the folder");
    }
    let o = readyroom(&["--db", typo, "import", "people", csv.to_str().unwrap()]);
    assert!(stderr(&o).contains("No workspace at") && stderr(&o).contains("init"), "{}", stderr(&o));
    let o = readyroom(&["--db", typo, "init", "--plain"]);
    assert!(o.status.success(), "init creates it: {}", stderr(&o));
}

#[cfg(unix)]
mod read_only {
    use super::*;
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;

    /// Runs the CLI as an unprivileged user when the tests run as root (root may write
    /// anywhere, so only another user sees a read-only folder as read-only).
    fn as_user(args: &[&str]) -> Output {
        // SAFETY: geteuid has no preconditions.
        if unsafe { libc::geteuid() } != 0 {
            return command(args).output().expect("run readyroom");
        }
        // The other user may not reach the build folder (a clone in a private temporary
        // folder): it runs a copy of the binary from a folder anyone can read.
        let mut c = Command::new(shared_binary());
        c.args(args).env_remove("READYROOM_DB").uid(65534).gid(65534);
        c.output().expect("run readyroom")
    }

    /// A copy of the CLI in a world-readable folder, made once per test run.
    fn shared_binary() -> &'static std::path::Path {
        static BINARY: std::sync::OnceLock<std::path::PathBuf> = std::sync::OnceLock::new();
        BINARY.get_or_init(|| {
            let dir = std::env::temp_dir().join(format!("readyroom-cli-as-user-{}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
            let copy = dir.join("readyroom");
            std::fs::copy(env!("CARGO_BIN_EXE_readyroom"), &copy).unwrap();
            std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o755)).unwrap();
            copy
        })
    }

    fn read_only_folder() -> (tempfile::TempDir, String) {
        let dir = tempfile::tempdir().unwrap();
        let folder = dir.path().join("shared");
        std::fs::create_dir(&folder).unwrap();
        let db = demo(&folder);
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o444)).unwrap();
        std::fs::set_permissions(&folder, std::fs::Permissions::from_mode(0o555)).unwrap();
        (dir, db)
    }

    #[test]
    fn a_read_only_workspace_can_be_read_but_not_changed() {
        let (_dir, db) = read_only_folder();
        let before = std::fs::read(&db).unwrap();
        let o = as_user(&["--db", &db, "check", "--json"]);
        assert!(o.status.success(), "reading works: {}", stderr(&o));
        assert!(!stderr(&o).contains("damaged"), "{}", stderr(&o));
        let o = as_user(&["--db", &db, "people"]);
        assert!(o.status.success() && !stdout(&o).is_empty(), "{}", stderr(&o));

        let csv = std::env::temp_dir().join(format!("ro-people-{}.csv", std::process::id()));
        std::fs::write(&csv, "name,email\nAnn Lee,ann@acme.test\n").unwrap();
        std::fs::set_permissions(&csv, std::fs::Permissions::from_mode(0o644)).unwrap();
        let o = as_user(&["--db", &db, "import", "people", csv.to_str().unwrap()]);
        let _ = std::fs::remove_file(&csv);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains("read-only") && err.contains("you can look but not change"), "{err}");
        assert!(err.contains(&db), "names the file: {err}");
        assert!(!err.contains("damaged") && !err.contains("encrypted"), "{err}");
        assert_eq!(std::fs::read(&db).unwrap(), before);
    }

    #[test]
    fn a_file_that_cannot_be_read_is_named_and_not_called_damaged() {
        let dir = tempfile::tempdir().unwrap();
        let db = demo(dir.path());
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
        std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
        let o = as_user(&["--db", &db, "check"]);
        assert_eq!(o.status.code(), Some(1));
        let err = stderr(&o);
        assert!(err.contains(&db) && err.contains("permission denied"), "{err}");
        assert!(!err.contains("damaged"), "{err}");
    }
}
