//! The workspace file: creation, refusal of foreign or newer files, locking, upgrades.

mod common;

use std::fs;

use common::{open, open_read_only, temp_workspace};
use readyroom_core::{criteria, people, ErrorCode};
use rusqlite::Connection;

#[test]
fn a_new_workspace_is_created_with_wal_and_the_criteria() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).expect("create");
    assert!(ws.report().created);
    assert_eq!(ws.report().upgraded_from, None);
    assert!(path.exists());
    let mode: String = ws.read(|c| Ok(c.pragma_query_value(None, "journal_mode", |r| r.get(0))?)).unwrap();
    assert_eq!(mode, "wal");
    assert_eq!(ws.read(criteria::list).unwrap().len(), 61);
    drop(ws);

    let again = open(&path).expect("reopen");
    assert!(!again.report().created, "an existing workspace is opened, not re-created");
}

#[test]
fn parent_folders_of_a_new_workspace_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app-data").join("readyroom").join("workspace.readyroom");
    open(&path).expect("create with parents");
    assert!(path.exists());
}

#[test]
fn a_text_file_is_refused_and_left_byte_for_byte() {
    let (dir, path) = temp_workspace();
    let content = b"name,email\nAnn,ann@example.com\n".to_vec();
    fs::write(&path, &content).unwrap();
    for result in [open(&path), open_read_only(&path)] {
        assert_eq!(result.unwrap_err().code, ErrorCode::NotAWorkspace);
    }
    assert_eq!(fs::read(&path).unwrap(), content);
    let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names.len(), 1, "nothing is created beside a refused file: {names:?}");
}

#[test]
fn another_applications_sqlite_database_is_refused_and_unchanged() {
    let (_dir, path) = temp_workspace();
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('hello');").unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = open(&path).unwrap_err();
    assert_eq!(err.code, ErrorCode::NotAWorkspace);
    assert!(err.message.contains("another application"), "{}", err.message);
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_workspace_from_a_newer_version_is_refused_and_unchanged() {
    let (_dir, path) = temp_workspace();
    drop(open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = fs::read(&path).unwrap();
    let err = open(&path).unwrap_err();
    assert_eq!(err.code, ErrorCode::WorkspaceTooNew);
    assert!(err.message.contains("newer Readyroom"));
    assert_eq!(open_read_only(&path).unwrap_err().code, ErrorCode::WorkspaceTooNew);
    assert_eq!(fs::read(&path).unwrap(), before, "a newer workspace is never modified");
}

#[test]
fn a_second_writer_is_told_the_workspace_is_in_use_while_readers_still_work() {
    let (_dir, path) = temp_workspace();
    let first = open(&path).unwrap();
    let err = open(&path).unwrap_err();
    assert_eq!(err.code, ErrorCode::WorkspaceInUse);
    let reader = open_read_only(&path).expect("read-only access alongside the writer");
    assert_eq!(reader.read(criteria::list).unwrap().len(), 61);
    drop(first);
    open(&path).expect("the lock is released when the first writer closes");
}

#[test]
fn read_only_access_never_creates_a_workspace() {
    let (dir, path) = temp_workspace();
    assert_eq!(open_read_only(&path).unwrap_err().code, ErrorCode::WorkspaceMissing);
    assert_eq!(fs::read_dir(dir.path()).unwrap().count(), 0);
}

#[test]
fn read_only_access_works_on_a_closed_workspace() {
    let (_dir, path) = temp_workspace();
    drop(open(&path).unwrap());
    let ro = open_read_only(&path).expect("read-only open of a closed WAL workspace");
    assert!(ro.report().read_only);
    let err = ro.write(|_, _| Ok(())).unwrap_err();
    assert_eq!(err.code, ErrorCode::WorkspaceReadOnly);
}

#[test]
fn upgrading_a_version_1_workspace_backs_it_up_first_and_keeps_the_data() {
    let (dir, path) = temp_workspace();
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(include_str!("fixtures/schema_v1.sql")).unwrap();
        c.execute(
            "INSERT INTO people (name, email, role, created_at, updated_at) VALUES ('Ann Lee', 'ann@example.com', 'CTO', 'x', 'x')",
            [],
        )
        .unwrap();
    }
    assert_eq!(open_read_only(&path).unwrap_err().code, ErrorCode::WorkspaceOutdated);

    let ws = open(&path).expect("upgrade");
    assert_eq!(ws.report().upgraded_from, Some(1));
    let backup = ws.report().backup_path.clone().expect("a backup was made");
    assert!(backup.contains("acme.backup-20261126T093000Z-schema1"), "{backup}");
    let people = ws.read(|c| people::list(c, &Default::default())).unwrap();
    assert_eq!(people.len(), 1);
    assert_eq!(people[0].email, "ann@example.com");
    assert_eq!(ws.read(criteria::list).unwrap().len(), 61);

    // The backup is the old file as it was: schema 1, the person, no criteria table.
    let b = Connection::open(&backup).unwrap();
    let v: u32 = b.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    assert_eq!(v, 1);
    let n: i64 = b.query_row("SELECT count(*) FROM people", [], |r| r.get(0)).unwrap();
    assert_eq!(n, 1);
    assert!(b.prepare("SELECT * FROM criteria").is_err());
    assert!(std::path::Path::new(&backup).starts_with(dir.path()), "the backup sits beside the workspace");

    drop(ws);
    let again = open(&path).unwrap();
    assert_eq!(again.report().upgraded_from, None, "a current workspace is not backed up again");
}

#[test]
fn a_failed_write_leaves_nothing_behind() {
    let (_dir, path) = temp_workspace();
    let ws = open(&path).unwrap();
    let input = people::PersonInput { name: "Ann".into(), email: "ann@example.com".into(), ..Default::default() };
    let err = ws
        .write(|tx, now| {
            people::create(tx, now, &input)?;
            Err::<(), _>(readyroom_core::Error::internal("fail after the insert"))
        })
        .unwrap_err();
    assert_eq!(err.code, ErrorCode::Internal);
    assert!(ws.read(|c| people::list(c, &Default::default())).unwrap().is_empty());
}

#[test]
fn upgrading_a_version_2_workspace_adds_the_registers_and_keeps_people() {
    let (_dir, path) = temp_workspace();
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(include_str!("fixtures/schema_v2.sql")).unwrap();
        c.execute(
            "INSERT INTO people (name, email, role, created_at, updated_at) VALUES ('Bo Chen', 'bo@example.com', '', 'x', 'x')",
            [],
        )
        .unwrap();
    }
    let ws = open(&path).expect("upgrade from schema 2");
    assert_eq!(ws.report().upgraded_from, Some(2));
    assert!(ws.report().backup_path.is_some());
    let people = ws.read(|c| people::list(c, &Default::default())).unwrap();
    assert_eq!(people[0].email, "bo@example.com");
    let bo = people[0].id;
    let edit = people::PersonInput {
        name: "Bo Chen".into(),
        email: "bo@example.com".into(),
        role: "CFO".into(),
        ..Default::default()
    };
    ws.write(|tx, now| people::update(tx, now, bo, &edit)).expect("history table exists after the upgrade");
    assert_eq!(ws.read(|c| people::history(c, bo)).unwrap().len(), 1);
}

fn names_in(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> =
        fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn opening_a_missing_file_to_change_it_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let typo = dir.path().join("Acme").join("acme.readyrom");
    let err = common::open_existing(&typo).unwrap_err();
    assert_eq!(err.code, ErrorCode::WorkspaceMissing);
    assert!(err.message.contains("No workspace at") && err.message.contains("init"), "{}", err.message);
    assert!(err.message.contains("acme.readyrom"), "names the file: {}", err.message);
    assert!(names_in(dir.path()).is_empty(), "not even the folder is created");
}

#[cfg(unix)]
#[test]
fn a_symlink_opens_the_real_file_and_shares_its_lock() {
    let (dir, path) = temp_workspace();
    drop(open(&path).unwrap());
    let link = dir.path().join("shortcut.readyroom");
    std::os::unix::fs::symlink(&path, &link).unwrap();
    let first = common::open_existing(&link).unwrap();
    assert_eq!(first.path(), fs::canonicalize(&path).unwrap(), "opened under its real name");
    assert_eq!(common::open_existing(&path).unwrap_err().code, ErrorCode::WorkspaceInUse);
    let input = people::PersonInput { name: "Ann".into(), email: "ann@example.com".into(), ..Default::default() };
    first.write(|tx, now| people::create(tx, now, &input)).unwrap();
    drop(first);
    let names = names_in(dir.path());
    assert!(!names.iter().any(|n| n.starts_with("shortcut.readyroom-") || n == "shortcut.readyroom.lock"), "{names:?}");
    let again = open_read_only(&path).unwrap();
    assert_eq!(again.read(|c| people::list(c, &Default::default())).unwrap().len(), 1, "the write is in the real file");
}

#[cfg(unix)]
#[test]
fn a_workspace_with_two_names_is_refused_and_unchanged() {
    let (dir, path) = temp_workspace();
    drop(open(&path).unwrap());
    let other = dir.path().join("copy.readyroom");
    fs::hard_link(&path, &other).unwrap();
    let before = fs::read(&path).unwrap();
    let listing = names_in(dir.path());
    for result in [common::open_existing(&path), common::open_existing(&other), open_read_only(&other)] {
        let err = result.unwrap_err();
        assert_eq!(err.code, ErrorCode::WorkspaceLinked);
        assert!(err.message.contains("hard links") && err.message.contains("2 names"), "{}", err.message);
    }
    assert_eq!(fs::read(&path).unwrap(), before);
    assert_eq!(names_in(dir.path()), listing, "nothing created beside it");
}

#[test]
fn a_refused_open_leaves_no_wal_shm_or_lock_file() {
    let (dir, path) = temp_workspace();
    drop(open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", 99).unwrap();
    }
    let listing = names_in(dir.path());
    assert!(!listing.iter().any(|n| n.ends_with("-wal") || n.ends_with("-shm")), "{listing:?}");
    let lock = dir.path().join("acme.readyroom.lock");
    let _ = fs::remove_file(&lock);
    let listing = names_in(dir.path());
    let before = fs::read(&path).unwrap();
    for result in [open(&path), common::open_existing(&path), open_read_only(&path)] {
        assert_eq!(result.unwrap_err().code, ErrorCode::WorkspaceTooNew);
    }
    assert_eq!(names_in(dir.path()), listing, "no -wal, -shm or lock file left behind");
    assert_eq!(fs::read(&path).unwrap(), before);
}

#[test]
fn a_failed_migration_says_which_one_and_leaves_the_file_exactly_as_it_was() {
    let (dir, path) = temp_workspace();
    drop(open(&path).unwrap());
    let latest: u32 = {
        // A workspace one version behind whose schema already holds what the last migration
        // creates: the upgrade must fail, and must fail cleanly.
        let c = Connection::open(&path).unwrap();
        let latest: u32 = c.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        // The first table or index the last migration creates is there already: a table in
        // the way when that migration builds a new one, else the one it made the first time.
        let migrations = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        let last = fs::read_dir(&migrations)
            .unwrap()
            .map(|e| e.unwrap().path())
            .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(&format!("{latest:04}_")))
            .unwrap();
        let sql = fs::read_to_string(last).unwrap();
        let created = sql
            .split_whitespace()
            .collect::<Vec<_>>()
            .windows(3)
            .find(|w| w[0] == "CREATE" && (w[1] == "TABLE" || w[1] == "INDEX"))
            .map(|w| (w[1] == "TABLE", w[2].to_owned()))
            .unwrap();
        let (table, created) = created;
        let exists: bool = c
            .query_row("SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE name = ?1)", [&created], |r| r.get(0))
            .unwrap();
        if !exists {
            c.execute_batch(&if table {
                format!("CREATE TABLE {created} (x)")
            } else {
                format!("CREATE INDEX {created} ON people (name)")
            })
            .unwrap();
        }
        c.pragma_update(None, "user_version", latest - 1).unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
        latest
    };
    let _ = fs::remove_file(dir.path().join("acme.readyroom.lock"));
    let before = fs::read(&path).unwrap();
    assert_eq!(before[18..20], [1, 1], "rollback-journal mode before the upgrade");
    let err = open(&path).unwrap_err();
    assert!(!err.message.contains('\n'), "one line: {}", err.message);
    // The last migration, named by its number and file.
    assert!(err.message.contains(&format!("migration {latest} ({latest:04}_")), "{}", err.message);
    assert!(err.message.contains(".sql) failed"), "{}", err.message);
    assert!(err.message.contains("The file was left as it was"), "{}", err.message);
    let log = dir.path().join("acme.readyroom.log");
    assert!(err.message.contains(&log.display().to_string()), "{}", err.message);
    let detail = fs::read_to_string(&log).unwrap();
    assert!(
        detail.contains(&format!("from schema {} to {latest}", latest - 1))
            && ["already exists", "duplicate column name", "no such"].iter().any(|m| detail.contains(m)),
        "{detail}"
    );
    assert_eq!(fs::read(&path).unwrap(), before, "byte for byte, journal mode included");
    let names = names_in(dir.path());
    assert!(!names.iter().any(|n| n.ends_with("-wal") || n.ends_with("-shm") || n.ends_with(".lock")), "{names:?}");
}
