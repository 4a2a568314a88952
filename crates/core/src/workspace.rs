//! The workspace: one SQLite file that holds everything, plus its attachments beside it.
//!
//! Opening is careful because this file is the user's only copy of their registers:
//! - a file that is not a Readyroom workspace is refused and never written to;
//! - a workspace from a newer Readyroom is refused and left untouched;
//! - before an older workspace is migrated, it is copied to a timestamped backup beside it;
//! - one process at a time may write (an advisory lock on `<file>.lock`); others are told
//!   the file is in use. Read-only access (CLI queries) works alongside the writer (WAL).

use std::fs::{self, File, OpenOptions as FsOpenOptions, TryLockError};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::Clock;
use crate::error::{Error, ErrorCode, Result};

/// `PRAGMA application_id` of every Readyroom workspace ("RDYR").
pub const APPLICATION_ID: i32 = 0x5244_5952;

/// The app identifier (tauri.conf.json `identifier`); the default workspace lives in
/// the OS app-data folder named after it.
pub const APP_IDENTIFIER: &str = "dev.readyroom.desktop";

/// The file name of a workspace created in the default location.
pub const DEFAULT_FILE_NAME: &str = "workspace.readyroom";

/// The environment variable that names the workspace file to open.
pub const DB_ENV_VAR: &str = "READYROOM_DB";

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Ordered schema migrations. Landed files are frozen: change the schema with a new file.
static MIGRATION_STEPS: &[M<'static>] = &[
    M::up(include_str!("../migrations/0001_init.sql")),
    M::up(include_str!("../migrations/0002_criteria.sql")),
    M::up(include_str!("../migrations/0003_controls_history.sql")),
    M::up(include_str!("../migrations/0004_actions.sql")),
    M::up(include_str!("../migrations/0005_policies.sql")),
    M::up(include_str!("../migrations/0006_evidence.sql")),
    M::up(include_str!("../migrations/0007_action_policy_source.sql")),
    M::up(include_str!("../migrations/0008_risks.sql")),
    M::up(include_str!("../migrations/0009_vendors.sql")),
    M::up(include_str!("../migrations/0010_operations.sql")),
    M::up(include_str!("../migrations/0011_incidents_tabletop.sql")),
];

pub(crate) static MIGRATIONS: Migrations<'static> = Migrations::from_slice(MIGRATION_STEPS);

/// The schema version this build writes (number of migrations).
pub fn schema_version() -> u32 {
    MIGRATION_STEPS.len() as u32
}

/// Which workspace file to open: the `--db` argument wins, then `READYROOM_DB`,
/// then the default file in the OS app-data directory. The edges supply the inputs.
pub fn resolve_path(cli: Option<PathBuf>, env: Option<String>, app_data_dir: Option<PathBuf>) -> Result<PathBuf> {
    if let Some(path) = cli {
        return Ok(path);
    }
    if let Some(path) = env.filter(|p| !p.trim().is_empty()) {
        return Ok(PathBuf::from(path));
    }
    match app_data_dir {
        Some(dir) => Ok(dir.join(DEFAULT_FILE_NAME)),
        None => Err(Error::new(
            ErrorCode::Io,
            format!("Cannot find the app-data folder; name a workspace with --db FILE or {DB_ENV_VAR}."),
        )),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Create or migrate as needed and take the writer lock.
    ReadWrite,
    /// Never create, migrate or lock; fails if the workspace is missing or outdated.
    ReadOnly,
}

pub struct OpenOptions {
    pub access: Access,
    pub clock: Arc<dyn Clock>,
}

/// What happened when the workspace was opened; shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OpenReport {
    pub path: String,
    pub schema_version: u32,
    /// The file did not exist (or was empty) and a new workspace was created.
    pub created: bool,
    /// The schema version the file had before this open upgraded it.
    pub upgraded_from: Option<u32>,
    /// Where the pre-upgrade copy was written.
    pub backup_path: Option<String>,
    pub read_only: bool,
}

/// What an existing file turned out to be, judged without writing to it.
#[derive(Debug, PartialEq, Eq)]
enum FileKind {
    Missing,
    /// Zero bytes, or an SQLite database with no schema at all.
    Blank,
    Workspace {
        version: u32,
    },
}

pub struct Workspace {
    path: PathBuf,
    read: Mutex<Connection>,
    write: Option<Mutex<Connection>>,
    clock: Arc<dyn Clock>,
    report: OpenReport,
    // Held for the lifetime of a writer; dropping the file releases the lock.
    _lock: Option<File>,
}

impl std::fmt::Debug for Workspace {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workspace").field("path", &self.path).field("report", &self.report).finish()
    }
}

impl Workspace {
    pub fn open(path: &Path, options: OpenOptions) -> Result<Self> {
        let OpenOptions { access, clock } = options;
        let latest = schema_version();
        let kind = inspect(path)?;
        if let FileKind::Workspace { version } = kind {
            if version > latest {
                return Err(too_new(path, version, latest));
            }
        }
        match access {
            Access::ReadOnly => {
                match kind {
                    FileKind::Missing | FileKind::Blank => {
                        return Err(Error::new(
                            ErrorCode::WorkspaceMissing,
                            format!("No workspace at {}. Create one with `readyroom --db FILE init`.", path.display()),
                        ))
                    }
                    FileKind::Workspace { version } if version < latest => {
                        return Err(Error::new(
                            ErrorCode::WorkspaceOutdated,
                            format!(
                                "{} uses an older format (schema {version}); open it with the app or run `readyroom --db FILE init` to upgrade it.",
                                path.display()
                            ),
                        ))
                    }
                    FileKind::Workspace { .. } => {}
                }
                let read = open_reader(path)?;
                let report = OpenReport {
                    path: path.display().to_string(),
                    schema_version: latest,
                    created: false,
                    upgraded_from: None,
                    backup_path: None,
                    read_only: true,
                };
                Ok(Self { path: path.to_owned(), read: Mutex::new(read), write: None, clock, report, _lock: None })
            }
            Access::ReadWrite => Self::open_writer(path, clock, latest),
        }
    }

    fn open_writer(path: &Path, clock: Arc<dyn Clock>, latest: u32) -> Result<Self> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            fs::create_dir_all(parent)?;
        }
        let lock = take_lock(path)?;
        // Judge the file again now that no other writer can change it under us.
        let kind = inspect(path)?;
        let (created, previous) = match kind {
            FileKind::Missing | FileKind::Blank => (true, 0),
            FileKind::Workspace { version } if version > latest => return Err(too_new(path, version, latest)),
            FileKind::Workspace { version } => (false, version),
        };
        let mut backup_path = None;
        if !created && previous < latest {
            backup_path = Some(backup_before_upgrade(path, previous, clock.now())?);
        }

        let mut conn = Connection::open(path)?;
        configure_writer(&conn)?;
        MIGRATIONS
            .to_latest(&mut conn)
            .map_err(|e| Error::new(ErrorCode::Database, format!("Could not upgrade the workspace schema: {e}")))?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;

        let read = open_reader(path)?;
        let report = OpenReport {
            path: path.display().to_string(),
            schema_version: latest,
            created,
            upgraded_from: (!created && previous < latest).then_some(previous),
            backup_path: backup_path.map(|p| p.display().to_string()),
            read_only: false,
        };
        Ok(Self {
            path: path.to_owned(),
            read: Mutex::new(read),
            write: Some(Mutex::new(conn)),
            clock,
            report,
            _lock: Some(lock),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder beside the workspace that holds its attachments, named by SHA-256:
    /// `acme.readyroom` keeps them in `acme.attachments/`.
    pub fn attachments_dir(&self) -> PathBuf {
        let stem =
            self.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "workspace".into());
        self.path.with_file_name(format!("{stem}.attachments"))
    }

    pub fn report(&self) -> &OpenReport {
        &self.report
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Runs a read on the read connection.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn =
            self.read.lock().map_err(|_| Error::internal("read connection lock poisoned: an earlier read panicked"))?;
        f(&conn)
    }

    /// Runs `f` in one immediate transaction on the write connection, with the current
    /// time taken once. Commits when `f` succeeds; rolls back everything when it fails.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<T>) -> Result<T> {
        let Some(write) = &self.write else {
            return Err(Error::internal("write on a read-only workspace: callers open ReadWrite to change data"));
        };
        let mut conn =
            write.lock().map_err(|_| Error::internal("write connection lock poisoned: an earlier write panicked"))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx, self.clock.now())?;
        tx.commit()?;
        Ok(value)
    }
}

fn too_new(path: &Path, version: u32, latest: u32) -> Error {
    Error::new(
        ErrorCode::WorkspaceTooNew,
        format!(
            "{} was saved by a newer Readyroom (schema {version}; this version reads up to {latest}). Update Readyroom to open it; the file was not changed.",
            path.display()
        ),
    )
}

fn not_a_workspace(path: &Path, why: &str) -> Error {
    Error::new(
        ErrorCode::NotAWorkspace,
        format!("{} is not a Readyroom workspace ({why}); it was not changed.", path.display()),
    )
}

/// Looks at a path without writing to it.
fn inspect(path: &Path) -> Result<FileKind> {
    let meta = match fs::metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        Err(e) => return Err(e.into()),
    };
    if meta.is_dir() {
        return Err(not_a_workspace(path, "it is a folder"));
    }
    if meta.len() == 0 {
        return Ok(FileKind::Blank);
    }
    let mut header = [0u8; 16];
    let mut file = File::open(path)?;
    if file.read_exact(&mut header).is_err() || &header != SQLITE_MAGIC {
        return Err(not_a_workspace(path, "not an SQLite database"));
    }
    drop(file);
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)
        .map_err(|_| not_a_workspace(path, "the database cannot be opened"))?;
    let probe = || -> rusqlite::Result<(i32, u32, i64)> {
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        let objects: i64 = conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get(0))?;
        Ok((app_id, version, objects))
    };
    let (app_id, version, objects) =
        probe().map_err(|_| not_a_workspace(path, "the database is damaged or encrypted"))?;
    match (app_id, version, objects) {
        (APPLICATION_ID, version, _) => Ok(FileKind::Workspace { version }),
        (0, 0, 0) => Ok(FileKind::Blank),
        _ => Err(not_a_workspace(path, "it is another application's database")),
    }
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    path.with_file_name(name)
}

fn take_lock(path: &Path) -> Result<File> {
    let file = FsOpenOptions::new().create(true).truncate(false).write(true).open(lock_path(path))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(Error::new(
            ErrorCode::WorkspaceInUse,
            format!(
                "{} is open in another Readyroom window or process. Close it there first, or open another workspace.",
                path.display()
            ),
        )),
        Err(TryLockError::Error(e)) => Err(e.into()),
    }
}

/// Copies the workspace with SQLite's online backup API to
/// `<name>.backup-<UTC timestamp>-schema<N>.readyroom` beside it.
fn backup_before_upgrade(path: &Path, version: u32, now: DateTime<Utc>) -> Result<PathBuf> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "workspace".into());
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let mut target = path.with_file_name(format!("{stem}.backup-{stamp}-schema{version}.readyroom"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = path.with_file_name(format!("{stem}.backup-{stamp}-schema{version}-{n}.readyroom"));
    }
    let source = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    source.backup(rusqlite::MAIN_DB, &target, None).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("Could not back up the workspace before upgrading it, so it was left as it was: {e}"),
        )
    })?;
    Ok(target)
}

fn configure_writer(conn: &Connection) -> Result<()> {
    conn.busy_timeout(Duration::from_secs(5))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::new(
            ErrorCode::Database,
            format!("The workspace could not switch to WAL mode (got {mode})."),
        ));
    }
    conn.pragma_update(None, "foreign_keys", true)?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    Ok(())
}

fn open_reader(path: &Path) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_validate() {
        MIGRATIONS.validate().expect("every migration applies cleanly to an empty database");
    }

    #[test]
    fn path_resolution_order() {
        let data = Some(PathBuf::from("/data/app"));
        assert_eq!(
            resolve_path(Some("a.readyroom".into()), Some("b.readyroom".into()), data.clone()).unwrap(),
            PathBuf::from("a.readyroom")
        );
        assert_eq!(resolve_path(None, Some("b.readyroom".into()), data.clone()).unwrap(), PathBuf::from("b.readyroom"));
        assert_eq!(
            resolve_path(None, Some("  ".into()), data.clone()).unwrap(),
            PathBuf::from("/data/app").join(DEFAULT_FILE_NAME)
        );
        assert_eq!(resolve_path(None, None, None).unwrap_err().code, ErrorCode::Io);
    }

    #[test]
    fn lock_file_sits_beside_the_workspace() {
        assert_eq!(lock_path(Path::new("/x/acme.readyroom")), PathBuf::from("/x/acme.readyroom.lock"));
    }
}
