//! The workspace: one SQLite file that holds everything, plus its attachments beside it.
//!
//! Opening is careful because this file is the user's only copy of their registers:
//! - only `init`, `demo` and the app's "New workspace" create a file ([`Access::Create`]);
//!   a mistyped path is an error, never a new empty workspace;
//! - a file that is not a Readyroom workspace is refused and never written to (judged from
//!   its header, without opening it with SQLite, so a refusal leaves no file beside it);
//! - a workspace from a newer Readyroom is refused and left untouched;
//! - the file is opened under its canonical name (symlinks resolved) and refused when it has
//!   several names (hard links): SQLite keeps one write-ahead log per name, so two names for
//!   one file can lose writes. A network file system, where locks cannot be trusted, is
//!   named in a warning;
//! - a file or folder that cannot be written is opened read-only and says so;
//! - before an older workspace is migrated, it is copied to a timestamped backup beside it;
//!   all migrations run in one transaction, and a failure leaves the file exactly as it was
//!   (journal mode included) with the detail in a log file beside it;
//! - one process at a time may write (an advisory lock on `<file>.lock`); others are told
//!   the file is in use. Read-only access (CLI queries) works alongside the writer (WAL).
//! - an encrypted workspace (SQLCipher; see [`crate::keys`]) opens only with its passphrase
//!   or its recovery key; without one, or with a wrong one, nothing is opened or written.

use std::fs::{self, File, OpenOptions as FsOpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior};
use rusqlite_migration::{Migrations, M};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::Clock;
use crate::error::{Error, ErrorCode, Result};
use crate::keys::{check_new_passphrase, DatabaseKey, KeyFile};
use crate::outputs::{attachments_dir_of, why, Protected};
use crate::store::attachments::Attachments;

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

/// Ordered schema migrations, with their file names for messages. Landed files are frozen:
/// change the schema with a new file.
static MIGRATION_FILES: &[(&str, &str)] = &[
    ("0001_init.sql", include_str!("../../migrations/0001_init.sql")),
    ("0002_criteria.sql", include_str!("../../migrations/0002_criteria.sql")),
    ("0003_controls_history.sql", include_str!("../../migrations/0003_controls_history.sql")),
    ("0004_actions.sql", include_str!("../../migrations/0004_actions.sql")),
    ("0005_policies.sql", include_str!("../../migrations/0005_policies.sql")),
    ("0006_evidence.sql", include_str!("../../migrations/0006_evidence.sql")),
    ("0007_action_policy_source.sql", include_str!("../../migrations/0007_action_policy_source.sql")),
    ("0008_risks.sql", include_str!("../../migrations/0008_risks.sql")),
    ("0009_vendors.sql", include_str!("../../migrations/0009_vendors.sql")),
    ("0010_operations.sql", include_str!("../../migrations/0010_operations.sql")),
    ("0011_incidents_tabletop.sql", include_str!("../../migrations/0011_incidents_tabletop.sql")),
    ("0012_evidence_hash_shape.sql", include_str!("../../migrations/0012_evidence_hash_shape.sql")),
    ("0013_occurrences_exceptions.sql", include_str!("../../migrations/0013_occurrences_exceptions.sql")),
    ("0014_audit_requests.sql", include_str!("../../migrations/0014_audit_requests.sql")),
    ("0015_request_links.sql", include_str!("../../migrations/0015_request_links.sql")),
    ("0016_action_findings.sql", include_str!("../../migrations/0016_action_findings.sql")),
    ("0017_policy_texts.sql", include_str!("../../migrations/0017_policy_texts.sql")),
    ("0018_corrections.sql", include_str!("../../migrations/0018_corrections.sql")),
    ("0019_training_withdrawals.sql", include_str!("../../migrations/0019_training_withdrawals.sql")),
    ("0020_acknowledgement_withdrawals.sql", include_str!("../../migrations/0020_acknowledgement_withdrawals.sql")),
    ("0021_access_review_withdrawals.sql", include_str!("../../migrations/0021_access_review_withdrawals.sql")),
    ("0022_risk_assessment_amendments.sql", include_str!("../../migrations/0022_risk_assessment_amendments.sql")),
    ("0023_timeline_withdrawals.sql", include_str!("../../migrations/0023_timeline_withdrawals.sql")),
    ("0024_history_actor.sql", include_str!("../../migrations/0024_history_actor.sql")),
    ("0025_changes_list_order.sql", include_str!("../../migrations/0025_changes_list_order.sql")),
    ("0026_reference_numbers.sql", include_str!("../../migrations/0026_reference_numbers.sql")),
    ("0027_history_check.sql", include_str!("../../migrations/0027_history_check.sql")),
    ("0028_changes_list_live.sql", include_str!("../../migrations/0028_changes_list_live.sql")),
];

/// The migrations. The first one also stamps the application id, in the same transaction, so
/// a file is never a Readyroom schema without being marked as one (or the reverse).
pub(crate) static MIGRATIONS: LazyLock<Migrations<'static>> = LazyLock::new(|| {
    MIGRATION_FILES
        .iter()
        .enumerate()
        .map(|(i, (_, sql))| {
            if i == 0 {
                M::up_with_hook(sql, |tx: &Transaction<'_>| {
                    tx.pragma_update(None, "application_id", APPLICATION_ID)?;
                    Ok(())
                })
            } else {
                M::up(sql)
            }
        })
        .collect()
});

/// The schema version this build writes (number of migrations).
pub fn schema_version() -> u32 {
    MIGRATION_FILES.len() as u32
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
    /// Never create, migrate or lock; fails if the workspace is missing or outdated.
    ReadOnly,
    /// Open an existing workspace to change it: migrate as needed and take the writer lock.
    /// A missing file is an error; a file or folder that cannot be written opens read-only.
    ReadWrite,
    /// Like `ReadWrite`, but create the workspace (and its folder) when the file is missing.
    Create,
}

/// What unlocks an encrypted workspace.
#[derive(Clone)]
pub enum Secret {
    Passphrase(zeroize::Zeroizing<String>),
    /// The recovery key shown when the workspace was made encrypted.
    RecoveryKey(zeroize::Zeroizing<String>),
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Secret::Passphrase(_) => "Passphrase(…)",
            Secret::RecoveryKey(_) => "RecoveryKey(…)",
        })
    }
}

impl Secret {
    pub fn passphrase(text: impl Into<String>) -> Self {
        Secret::Passphrase(zeroize::Zeroizing::new(text.into()))
    }

    pub fn recovery_key(text: impl Into<String>) -> Self {
        Secret::RecoveryKey(zeroize::Zeroizing::new(text.into()))
    }

    /// What the user typed in a form: a recovery key when they said so, else a passphrase.
    pub fn typed(text: impl Into<String>, recovery_key: bool) -> Self {
        if recovery_key {
            Self::recovery_key(text)
        } else {
            Self::passphrase(text)
        }
    }

    /// The database key this secret gives for the workspace at `path`. Nothing typed is
    /// refused on the `secret` field; a wrong one is `WrongKey`.
    pub(crate) fn key_for(&self, path: &Path) -> Result<DatabaseKey> {
        let (text, what) = match self {
            Secret::Passphrase(p) => (p.as_str(), "the passphrase"),
            Secret::RecoveryKey(k) => (k.as_str(), "the recovery key"),
        };
        if text.trim().is_empty() {
            return Err(Error::field("secret", format!("Enter {what}.")));
        }
        match self {
            Secret::RecoveryKey(text) => DatabaseKey::from_recovery_text(text),
            Secret::Passphrase(passphrase) => match KeyFile::read(path)? {
                Some(file) => file.unwrap_key(passphrase, &crate::keys::key_file_path(path)),
                None => Err(Error::new(
                    ErrorCode::KeyFileMissing,
                    format!(
                        "{} is encrypted, and its key file ({}) is missing, so the passphrase cannot open it. Open it with its recovery key, then set a new passphrase.",
                        path.display(),
                        crate::keys::key_file_path(path).display()
                    ),
                )),
            },
        }
    }
}

pub struct OpenOptions {
    pub access: Access,
    pub clock: Arc<dyn Clock>,
    /// Unlocks an encrypted workspace (a plain one ignores it). With [`Access::Create`] and a
    /// passphrase, a new workspace is created encrypted and its recovery key is in the report.
    pub secret: Option<Secret>,
}

impl OpenOptions {
    pub fn new(access: Access, clock: Arc<dyn Clock>) -> Self {
        Self { access, clock, secret: None }
    }

    pub fn with_secret(mut self, secret: Option<Secret>) -> Self {
        self.secret = secret;
        self
    }
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
    /// Why a workspace opened for changes could only be opened read-only (file, folder or
    /// disk not writable); none when read-only access was asked for.
    pub read_only_reason: Option<String>,
    /// Things the user should know (the workspace is on a network drive).
    pub warnings: Vec<String>,
    /// The database is encrypted (it opened with a passphrase or a recovery key).
    pub encrypted: bool,
    /// Only when this open created an encrypted workspace: its recovery key, to show once.
    pub recovery_key: Option<String>,
}

/// What an existing file turned out to be, judged from its header without opening it.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum FileKind {
    Missing,
    /// Zero bytes, or an SQLite database with no schema at all.
    Blank,
    Workspace {
        version: u32,
    },
    /// Not readable without a key: an encrypted workspace (its version is known once open).
    Encrypted,
}

pub struct Workspace {
    path: PathBuf,
    read: Mutex<Connection>,
    write: Option<Mutex<Connection>>,
    clock: Arc<dyn Clock>,
    report: OpenReport,
    key: Option<DatabaseKey>,
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
        let OpenOptions { access, clock, secret } = options;
        let latest = schema_version();
        let path = locate(path, access)?;
        let kind = inspect(&path)?;
        let key = unlock(&path, &kind, secret.as_ref())?;
        if let FileKind::Workspace { version } = kind {
            if version > latest {
                return Err(too_new(&path, version, latest));
            }
        }
        let mut warnings = Vec::new();
        if let Some(fs_name) = network_file_system(&path) {
            warnings.push(format!(
                "{} is on a network drive ({fs_name}). File locking cannot be trusted there, so two computers could overwrite each other's changes: keep the workspace on a local disk and copy it to the share as a backup.",
                path.display()
            ));
        }
        let not_writable = unwritable_reason(&path);
        let read_only_location = not_writable.is_some();
        match (access, not_writable) {
            (Access::ReadOnly, _) => {
                Self::open_reader_only(&path, clock, kind, key, latest, read_only_location, None, warnings)
            }
            (_, Some(reason)) => Self::open_reader_only(&path, clock, kind, key, latest, true, Some(reason), warnings),
            (_, None) => Self::open_writer(&path, clock, key, secret.as_ref(), latest, warnings),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn open_reader_only(
        path: &Path,
        clock: Arc<dyn Clock>,
        kind: FileKind,
        key: Option<DatabaseKey>,
        latest: u32,
        read_only_location: bool,
        reason: Option<String>,
        warnings: Vec<String>,
    ) -> Result<Self> {
        match kind {
            FileKind::Missing | FileKind::Blank => {
                return Err(match &reason {
                    Some(reason) => Error::new(
                        ErrorCode::WorkspaceReadOnly,
                        format!("Cannot create a workspace at {}: {reason}.", path.display()),
                    ),
                    None => missing(path),
                })
            }
            FileKind::Workspace { version } if version < latest => return Err(outdated(path, version, &reason)),
            FileKind::Workspace { .. } | FileKind::Encrypted => {}
        }
        let read = open_reader(path, read_only_location, key.as_ref())?;
        let version = check_identity(&read, path, latest)?;
        if version < latest {
            return Err(outdated(path, version, &reason));
        }
        let report = OpenReport {
            path: path.display().to_string(),
            schema_version: latest,
            created: false,
            upgraded_from: None,
            backup_path: None,
            read_only: true,
            read_only_reason: reason,
            warnings,
            encrypted: key.is_some(),
            recovery_key: None,
        };
        Ok(Self { path: path.to_owned(), read: Mutex::new(read), write: None, clock, report, key, _lock: None })
    }

    fn open_writer(
        path: &Path,
        clock: Arc<dyn Clock>,
        key: Option<DatabaseKey>,
        secret: Option<&Secret>,
        latest: u32,
        warnings: Vec<String>,
    ) -> Result<Self> {
        let lock_file = lock_path(path);
        let lock_existed = lock_file.exists();
        let lock = take_lock(path)?;
        // Anything refused from here on must not leave our lock file behind.
        let cleanup = |e: Error| {
            if !lock_existed {
                let _ = fs::remove_file(&lock_file);
            }
            e
        };
        // Judge the file again now that no other writer can change it under us.
        let kind = inspect(path).map_err(cleanup)?;
        let (created, previous) = match kind {
            FileKind::Missing | FileKind::Blank => (true, 0),
            FileKind::Workspace { version } if version > latest => return Err(cleanup(too_new(path, version, latest))),
            FileKind::Workspace { version } => (false, version),
            FileKind::Encrypted => (false, 0),
        };
        // A new encrypted workspace: its key file is written first, so that a workspace never
        // exists that its passphrase cannot open.
        let key_file = crate::keys::key_file_path(path);
        let mut wrote_key_file = false;
        if created {
            if let (Some(key), Some(Secret::Passphrase(passphrase))) = (&key, secret) {
                KeyFile::wrap(key, passphrase).and_then(|f| f.write(path)).map_err(cleanup)?;
                wrote_key_file = true;
            }
        }
        let cleanup = |e: Error| {
            if wrote_key_file {
                let _ = fs::remove_file(&key_file);
            }
            cleanup(e)
        };
        let conn = (|| {
            let mut conn = Connection::open_with_flags(
                path,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| sqlite_open_error(path, e))?;
            apply_key(&conn, key.as_ref())?;
            conn.busy_timeout(Duration::from_secs(5))?;
            conn.pragma_update(None, "foreign_keys", true)?;
            let mut previous = previous;
            if !created {
                // The header may lag behind the write-ahead log: ask SQLite for the real version.
                previous = check_identity(&conn, path, latest)?;
            }
            let mut backup_path = None;
            if !created && previous < latest {
                backup_path = Some(backup_before_upgrade(path, previous, key.as_ref(), clock.now())?);
            }
            if let Err(e) = MIGRATIONS.to_latest(&mut conn) {
                drop(conn);
                return Err(migration_failed(path, previous, latest, &e, clock.now()));
            }
            configure_writer(&conn)?;
            cache_decrypted_pages(&conn, key.as_ref())?;
            // Evidence files an interrupted `encrypt` left plain are sealed now.
            if let Some(key) = &key {
                Attachments::sealed(attachments_dir_of(path), key.attachment_key()).seal_plain_files()?;
            }
            Ok((conn, previous, backup_path))
        })();
        let (conn, previous, backup_path) = conn.map_err(cleanup)?;
        let read = open_reader(path, false, key.as_ref()).map_err(cleanup)?;
        let report = OpenReport {
            path: path.display().to_string(),
            schema_version: latest,
            created,
            upgraded_from: (!created && previous < latest).then_some(previous),
            backup_path: backup_path.map(|p| p.display().to_string()),
            read_only: false,
            read_only_reason: None,
            warnings,
            encrypted: key.is_some(),
            recovery_key: if wrote_key_file { key.as_ref().map(DatabaseKey::recovery_text) } else { None },
        };
        Ok(Self {
            path: path.to_owned(),
            read: Mutex::new(read),
            write: Some(Mutex::new(conn)),
            clock,
            report,
            key,
            _lock: Some(lock),
        })
    }

    /// The database is encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.key.is_some()
    }

    /// The workspace file, by its canonical name.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The folder beside the workspace that holds its attachments, named by SHA-256:
    /// `acme.readyroom` keeps them in `acme.attachments/`.
    /// In an encrypted workspace it carries the key its files are sealed with.
    pub fn attachments_dir(&self) -> Attachments {
        let dir = attachments_dir_of(&self.path);
        match &self.key {
            Some(key) => Attachments::sealed(dir, key.attachment_key()),
            None => Attachments::plain(dir),
        }
    }

    /// The files that belong to this workspace, which no output may replace (with the key of
    /// its attachments, for the outputs that read them).
    pub fn protected(&self) -> Protected {
        Protected::for_workspace(&self.path).with_attachments(self.attachments_dir())
    }

    pub fn report(&self) -> &OpenReport {
        &self.report
    }

    pub fn is_read_only(&self) -> bool {
        self.write.is_none()
    }

    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// Runs a read on the read connection, in one read transaction, so that the several
    /// queries of one read see the same state.
    pub fn read<T>(&self, f: impl FnOnce(&Connection) -> Result<T>) -> Result<T> {
        let conn =
            self.read.lock().map_err(|_| Error::internal("read connection lock poisoned: an earlier read panicked"))?;
        conn.execute_batch("BEGIN")?;
        let result = f(&conn);
        // A read-only transaction: ending it can only fail if it already ended.
        let _ = conn.execute_batch("COMMIT");
        result
    }

    /// Runs `f` in one immediate transaction on the write connection, with the current
    /// time taken once. Commits when `f` succeeds; rolls back everything when it fails.
    pub fn write<T>(&self, f: impl FnOnce(&Transaction<'_>, DateTime<Utc>) -> Result<T>) -> Result<T> {
        let Some(write) = &self.write else {
            let why = match &self.report.read_only_reason {
                Some(reason) => format!(" ({reason})"),
                None => String::new(),
            };
            return Err(Error::new(
                ErrorCode::WorkspaceReadOnly,
                format!("{} is read-only{why}: you can look but not change.", self.path.display()),
            ));
        };
        let mut conn =
            write.lock().map_err(|_| Error::internal("write connection lock poisoned: an earlier write panicked"))?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = f(&tx, self.clock.now())?;
        tx.commit()?;
        Ok(value)
    }

    /// Copies the write-ahead log into the workspace file and empties it, after a bulk write
    /// (an import). A reader still holding an old snapshot may keep part of it; that part is
    /// copied at a later checkpoint, and nothing is lost either way.
    pub fn checkpoint(&self) -> Result<()> {
        let Some(write) = &self.write else { return Ok(()) };
        let conn =
            write.lock().map_err(|_| Error::internal("write connection lock poisoned: an earlier write panicked"))?;
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))?;
        Ok(())
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

fn outdated(path: &Path, version: u32, reason: &Option<String>) -> Error {
    let how = match reason {
        Some(reason) => {
            format!("it is read-only ({reason}), so copy it to a folder you can write to and open the copy")
        }
        None => "open it with the app or run `readyroom --db FILE init` to upgrade it".to_owned(),
    };
    Error::new(
        ErrorCode::WorkspaceOutdated,
        format!("{} uses an older format (schema {version}); {how}.", path.display()),
    )
}

/// The key the file needs: none for a plain workspace; for an encrypted one, the key the
/// secret gives (or why it cannot); for a new workspace, a fresh key when a passphrase is given.
fn unlock(path: &Path, kind: &FileKind, secret: Option<&Secret>) -> Result<Option<DatabaseKey>> {
    match (kind, secret) {
        (FileKind::Workspace { .. }, _) | (FileKind::Missing | FileKind::Blank, None) => Ok(None),
        (FileKind::Missing | FileKind::Blank, Some(Secret::Passphrase(p))) => {
            check_new_passphrase(p)?;
            Ok(Some(DatabaseKey::random()?))
        }
        (FileKind::Missing | FileKind::Blank, Some(Secret::RecoveryKey(_))) => Err(Error::field(
            "passphrase",
            "A new workspace is encrypted with a passphrase; its recovery key is made with it.",
        )),
        (FileKind::Encrypted, None) => Err(Error::new(
            ErrorCode::KeyRequired,
            format!("{} is encrypted: it opens with its passphrase or its recovery key.", path.display()),
        )),
        (FileKind::Encrypted, Some(secret)) => secret.key_for(path).map(Some),
    }
}

/// Sets the key on a connection just opened (SQLCipher wants it before anything else).
pub(crate) fn apply_key(conn: &Connection, key: Option<&DatabaseKey>) -> Result<()> {
    if let Some(key) = key {
        // A wrong key is an error we report ourselves; SQLCipher would also print it.
        conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
        conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma().as_str()))?;
    }
    Ok(())
}

/// Every page read from an encrypted file is decrypted and its HMAC checked, so pages are
/// kept decrypted in SQLite's own cache (up to 64 MiB, growing only as pages are read)
/// instead of the default 2 MiB, which a long report would cycle through again and again.
/// Set once the key is known to be right (with a wrong one SQLCipher's later errors turn odd).
fn cache_decrypted_pages(conn: &Connection, key: Option<&DatabaseKey>) -> Result<()> {
    if key.is_some() {
        conn.execute_batch("PRAGMA cache_size = -65536;")?;
    }
    Ok(())
}

fn missing(path: &Path) -> Error {
    Error::new(
        ErrorCode::WorkspaceMissing,
        format!("No workspace at {} (create one with `readyroom --db FILE init`).", path.display()),
    )
}

fn not_a_workspace(path: &Path, why: &str) -> Error {
    Error::new(
        ErrorCode::NotAWorkspace,
        format!("{} is not a Readyroom workspace ({why}); it was not changed.", path.display()),
    )
}

/// An I/O error that names the file.
fn io_error(path: &Path, e: &std::io::Error) -> Error {
    Error::new(ErrorCode::Io, format!("{} {}.", path.display(), why(e)))
}

/// The file to open: its canonical name when it exists; a missing file only with `Create`.
pub(crate) fn locate(path: &Path, access: Access) -> Result<PathBuf> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_dir() => Err(not_a_workspace(path, "it is a folder")),
        Ok(meta) => {
            refuse_hard_links(path, &meta)?;
            fs::canonicalize(path).map_err(|e| io_error(path, &e))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            if fs::symlink_metadata(path).is_ok() {
                return Err(not_a_workspace(path, "it is a link to a file that does not exist"));
            }
            if access != Access::Create {
                return Err(missing(path));
            }
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                fs::create_dir_all(parent).map_err(|e| {
                    Error::new(ErrorCode::Io, format!("Cannot create the folder {}: it {}.", parent.display(), why(&e)))
                })?;
            }
            Ok(crate::outputs::canonical_or_absolute(path))
        }
        Err(e) => Err(io_error(path, &e)),
    }
}

#[cfg(unix)]
fn refuse_hard_links(path: &Path, meta: &fs::Metadata) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    if meta.nlink() > 1 {
        return Err(Error::new(
            ErrorCode::WorkspaceLinked,
            format!(
                "{} has {} names on disk (hard links). Readyroom will not open it: SQLite keeps changes for each name apart, so writes made through one name can be lost through another. Delete the other names, or open a copy.",
                path.display(),
                meta.nlink()
            ),
        ));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_hard_links(_path: &Path, _meta: &fs::Metadata) -> Result<()> {
    Ok(())
}

/// Judges a path from its first 100 bytes (the SQLite header), without opening it with
/// SQLite, so that nothing (no -wal, -shm or journal) is created beside a file we refuse.
pub(crate) fn inspect(path: &Path) -> Result<FileKind> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(FileKind::Missing),
        Err(e) => return Err(io_error(path, &e)),
    };
    let mut header = Vec::with_capacity(100);
    Read::by_ref(&mut file).take(100).read_to_end(&mut header).map_err(|e| io_error(path, &e))?;
    if header.is_empty() {
        return Ok(FileKind::Blank);
    }
    if header.len() < 100 || &header[..16] != SQLITE_MAGIC {
        // SQLCipher leaves nothing readable: an encrypted workspace is told from a foreign
        // file by its key file beside it, or by its size (whole database pages).
        let len = file.metadata().map_err(|e| io_error(path, &e))?.len();
        if crate::keys::key_file_path(path).exists() || (len >= 1024 && len % 1024 == 0) {
            return Ok(FileKind::Encrypted);
        }
        return Err(not_a_workspace(path, "not an SQLite database"));
    }
    let be = |at: usize| u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]]);
    let (schema_cookie, version, app_id) = (be(40), be(60), be(68) as i32);
    match (app_id, version, schema_cookie) {
        (APPLICATION_ID, version, _) => Ok(FileKind::Workspace { version }),
        (0, 0, 0) => Ok(FileKind::Blank),
        _ => Err(not_a_workspace(path, "it is another application's database")),
    }
}

/// Asks SQLite (which reads the write-ahead log too) what the file is; returns its version.
pub(crate) fn check_identity(conn: &Connection, path: &Path, latest: u32) -> Result<u32> {
    let probe = || -> rusqlite::Result<(i32, u32)> {
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0))?;
        let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        Ok((app_id, version))
    };
    let (app_id, version) = probe().map_err(|e| sqlite_open_error(path, e))?;
    if app_id != APPLICATION_ID {
        return Err(not_a_workspace(path, "it is another application's database"));
    }
    if version > latest {
        return Err(too_new(path, version, latest));
    }
    Ok(version)
}

/// An error from opening or first reading a database, worded for what it really is.
pub(crate) fn sqlite_open_error(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as Code;
    match e.sqlite_error_code() {
        Some(Code::NotADatabase | Code::DatabaseCorrupt) => not_a_workspace(
            path,
            "the database is damaged, or encrypted with another key: a key file that belongs to another workspace, or not a Readyroom file at all",
        ),
        Some(Code::PermissionDenied | Code::CannotOpen | Code::ReadOnly | Code::AuthorizationForStatementDenied) => {
            Error::new(
                ErrorCode::Io,
                format!("{} cannot be opened (permission denied or read-only): {e}.", path.display()),
            )
        }
        _ => Error::new(ErrorCode::Database, format!("{} cannot be read: {e}.", path.display())),
    }
}

/// Why the workspace cannot be changed here, if it cannot: the file, its folder (SQLite
/// writes its log and lock files beside it) or the disk is read-only.
#[cfg(unix)]
fn unwritable_reason(path: &Path) -> Option<String> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let writable = |p: &Path, mode: libc::c_int| -> std::result::Result<(), std::io::Error> {
        let c = CString::new(p.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
        // SAFETY: `c` is a valid NUL-terminated path that lives across the call.
        if unsafe { libc::access(c.as_ptr(), mode) } == 0 {
            Ok(())
        } else {
            Err(std::io::Error::last_os_error())
        }
    };
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let read_only_disk = |e: &std::io::Error| e.kind() == std::io::ErrorKind::ReadOnlyFilesystem;
    if path.exists() {
        if let Err(e) = writable(path, libc::W_OK) {
            return Some(if read_only_disk(&e) {
                "the disk is read-only".into()
            } else {
                "the file is read-only".into()
            });
        }
    }
    if let Err(e) = writable(folder, libc::W_OK | libc::X_OK) {
        return Some(if read_only_disk(&e) {
            "the disk is read-only".into()
        } else {
            format!("the folder {} does not allow changes", folder.display())
        });
    }
    None
}

#[cfg(not(unix))]
fn unwritable_reason(path: &Path) -> Option<String> {
    let readonly = fs::metadata(path).map(|m| m.permissions().readonly()).unwrap_or(false);
    readonly.then(|| "the file is read-only".to_owned())
}

/// What `statfs` says about the file system of the workspace's folder.
#[cfg(any(target_os = "linux", target_os = "macos"))]
fn folder_statfs(path: &Path) -> Option<libc::statfs> {
    use std::ffi::CString;
    use std::os::unix::ffi::OsStrExt;
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let c = CString::new(folder.as_os_str().as_bytes()).ok()?;
    // SAFETY: statfs only writes into `buf`, which is large enough for the struct.
    let mut buf: libc::statfs = unsafe { std::mem::zeroed() };
    if unsafe { libc::statfs(c.as_ptr(), &mut buf) } != 0 {
        return None;
    }
    Some(buf)
}

/// The kind of network file system the workspace's folder is on, if it is on one.
#[cfg(target_os = "linux")]
fn network_file_system(path: &Path) -> Option<&'static str> {
    let buf: libc::statfs = folder_statfs(path)?;
    // f_type is i64 here, but not on every Linux target.
    #[allow(clippy::unnecessary_cast)]
    network_fs_name(buf.f_type as i64)
}

#[cfg(target_os = "linux")]
fn network_fs_name(magic: i64) -> Option<&'static str> {
    match magic as u32 {
        0x6969 => Some("NFS"),
        0x517B => Some("SMB"),
        0xFF53_4D42 => Some("SMB/CIFS"),
        0xFE53_4D42 => Some("SMB2"),
        0x5346_414F => Some("AFS"),
        0x0102_1997 => Some("9P"),
        0x00C3_6400 => Some("Ceph"),
        0x564C => Some("NCP"),
        0x7375_7245 => Some("Coda"),
        _ => None,
    }
}

#[cfg(target_os = "macos")]
fn network_file_system(path: &Path) -> Option<&'static str> {
    use std::ffi::CStr;
    let buf = folder_statfs(path)?;
    // SAFETY: f_fstypename is a NUL-terminated name filled in by statfs.
    let name = unsafe { CStr::from_ptr(buf.f_fstypename.as_ptr()) }.to_string_lossy();
    match name.as_ref() {
        "nfs" => Some("NFS"),
        "smbfs" => Some("SMB"),
        "afpfs" => Some("AFP"),
        "webdav" => Some("WebDAV"),
        _ => None,
    }
}

#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn network_file_system(_path: &Path) -> Option<&'static str> {
    None
}

fn lock_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(".lock");
    path.with_file_name(name)
}

pub(crate) fn take_lock(path: &Path) -> Result<File> {
    let lock = lock_path(path);
    let file =
        FsOpenOptions::new().create(true).truncate(false).write(true).open(&lock).map_err(|e| io_error(&lock, &e))?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(TryLockError::WouldBlock) => Err(Error::new(
            ErrorCode::WorkspaceInUse,
            format!(
                "{} is open in another Readyroom window or process. Close it there first, or open another workspace.",
                path.display()
            ),
        )),
        Err(TryLockError::Error(e)) => Err(io_error(&lock, &e)),
    }
}

/// Copies the workspace with SQLite's online backup API to
/// `<name>.backup-<UTC timestamp>-schema<N>.readyroom` beside it.
fn backup_before_upgrade(path: &Path, version: u32, key: Option<&DatabaseKey>, now: DateTime<Utc>) -> Result<PathBuf> {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "workspace".into());
    let stamp = now.format("%Y%m%dT%H%M%SZ");
    let mut target = path.with_file_name(format!("{stem}.backup-{stamp}-schema{version}.readyroom"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = path.with_file_name(format!("{stem}.backup-{stamp}-schema{version}-{n}.readyroom"));
    }
    let failed = |e: &dyn std::fmt::Display| {
        Error::new(
            ErrorCode::Io,
            format!("Could not back up the workspace before upgrading it, so it was left as it was: {e}"),
        )
    };
    let source = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
    apply_key(&source, key)?;
    // The copy of an encrypted workspace is encrypted with the same key, and gets a copy of
    // the key file, so the same passphrase opens it.
    let mut copy = Connection::open(&target).map_err(|e| failed(&e))?;
    apply_key(&copy, key)?;
    rusqlite::backup::Backup::new(&source, &mut copy)
        .and_then(|b| b.run_to_completion(256, Duration::ZERO, None))
        .map_err(|e| failed(&e))?;
    drop(copy);
    if key.is_some() {
        fs::copy(crate::keys::key_file_path(path), crate::keys::key_file_path(&target)).map_err(|e| failed(&e))?;
    }
    Ok(target)
}

/// The one-line error of a failed upgrade; the detail goes to `<workspace>.log` beside it.
fn migration_failed(path: &Path, from: u32, to: u32, e: &rusqlite_migration::Error, now: DateTime<Utc>) -> Error {
    let (index, cause) = match e {
        rusqlite_migration::Error::RusqliteError { query, err } => {
            (MIGRATION_FILES.iter().position(|(_, sql)| *sql == query.as_str()), err.to_string())
        }
        other => (None, other.to_string()),
    };
    let which = match index {
        Some(i) => format!("migration {} ({})", i + 1, MIGRATION_FILES[i].0),
        None => format!("the upgrade from schema {from} to {to}"),
    };
    let mut log_name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    log_name.push(".log");
    let log = path.with_file_name(log_name);
    let detail = format!(
        "{} upgrading {} from schema {from} to {to}: {which} failed: {e:?}\n",
        now.to_rfc3339(),
        path.display()
    );
    let logged =
        FsOpenOptions::new().create(true).append(true).open(&log).and_then(|mut f| f.write_all(detail.as_bytes()));
    let where_ = match logged {
        Ok(()) => format!("; details in {}", log.display()),
        Err(_) => String::new(),
    };
    Error::new(
        ErrorCode::Database,
        format!(
            "Could not upgrade {}: {which} failed ({}). The file was left as it was{where_}.",
            path.display(),
            cause.lines().next().unwrap_or("")
        ),
    )
}

/// Who uses this process, as history entries name them: set once by the binary at its edge
/// (the app, the command line), from the computer account that runs it.
static PROCESS_ACTOR: std::sync::OnceLock<String> = std::sync::OnceLock::new();

/// Names who makes the changes this process writes (its computer account, e.g. "ana", or "ana
/// (command line)"). Set once, before the first workspace opens; later calls are ignored.
pub fn set_process_actor(name: &str) {
    let _ = PROCESS_ACTOR.set(name.trim().to_owned());
}

impl Workspace {
    /// Names who makes the changes written from now on (see [`set_process_actor`]; tests and
    /// tools writing for someone else set it per workspace). A read-only workspace writes
    /// nothing, so it has no one to name.
    pub fn set_actor(&self, name: &str) -> Result<()> {
        let Some(write) = &self.write else { return Ok(()) };
        let conn =
            write.lock().map_err(|_| Error::internal("write connection lock poisoned: an earlier write panicked"))?;
        set_actor(&conn, name)
    }
}

/// The name history entries written on `conn` carry, kept in a table of the connection's own
/// (TEMP: never in the file).
fn set_actor(conn: &Connection, name: &str) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS session_actor (name TEXT NOT NULL); DELETE FROM temp.session_actor;",
    )?;
    conn.execute("INSERT INTO temp.session_actor (name) VALUES (?1)", [name.trim()])?;
    Ok(())
}

fn configure_writer(conn: &Connection) -> Result<()> {
    set_actor(conn, PROCESS_ACTOR.get().map_or("", String::as_str))?;
    let mode: String = conn.pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::new(
            ErrorCode::Database,
            format!("The workspace could not switch to WAL mode (got {mode})."),
        ));
    }
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // After a checkpoint the write-ahead log is cut back to this size, so one big import does
    // not leave a log as large as itself beside the workspace.
    conn.pragma_update(None, "journal_size_limit", WAL_SIZE_LIMIT)?;
    // Room for a bulk write's pages in memory (32 MiB, taken only as used): with SQLite's
    // 2 MiB a large import spilled pages to the log half way through its transaction.
    conn.pragma_update(None, "cache_size", -32 * 1024)?;
    Ok(())
}

/// The most bytes the write-ahead log keeps once checkpointed.
pub const WAL_SIZE_LIMIT: i64 = 16 * 1024 * 1024;

/// A read-only connection. In a folder that cannot be written, SQLite may be unable to create
/// the shared-memory file a WAL database needs; the file is then read as immutable (no one
/// can change it from here anyway).
fn open_reader(path: &Path, read_only_location: bool, key: Option<&DatabaseKey>) -> Result<Connection> {
    let plain = || -> rusqlite::Result<Connection> {
        let conn =
            Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX)?;
        if let Some(key) = key {
            conn.execute_batch("PRAGMA cipher_log_level = NONE;")?;
            conn.execute_batch(&format!("PRAGMA key = \"{}\";", key.pragma().as_str()))?;
        }
        conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))?;
        Ok(conn)
    };
    let conn = match plain() {
        Ok(conn) => conn,
        Err(_) if read_only_location => {
            let uri = format!("file:{}?immutable=1", uri_path(path));
            let conn = Connection::open_with_flags(
                uri,
                OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI | OpenFlags::SQLITE_OPEN_NO_MUTEX,
            )
            .map_err(|e| sqlite_open_error(path, e))?;
            apply_key(&conn, key)?;
            conn.query_row("SELECT count(*) FROM sqlite_master", [], |r| r.get::<_, i64>(0))
                .map_err(|e| sqlite_open_error(path, e))?;
            conn
        }
        Err(e) => return Err(sqlite_open_error(path, e)),
    };
    conn.busy_timeout(Duration::from_secs(5))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    cache_decrypted_pages(&conn, key)?;
    Ok(conn)
}

/// A path as the path part of an SQLite `file:` URI (percent-encoding what URIs reserve).
fn uri_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        match b {
            b'%' | b'?' | b'#' | b' ' | b'"' | b'<' | b'>' | b'[' | b']' | b'^' | b'`' | b'{' | b'|' | b'}' => {
                out.push_str(&format!("%{b:02X}"))
            }
            _ if !(0x20..0x7F).contains(&b) => out.push_str(&format!("%{b:02X}")),
            _ => out.push(b as char),
        }
    }
    if cfg!(windows) && !out.starts_with('/') {
        out.insert(0, '/');
    }
    out
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
    fn the_application_id_is_stamped_in_the_same_transaction_as_the_first_migration() {
        // The real first migration (with its hook), then one that fails: nothing may remain,
        // not even the application id, so the file is still blank and can be retried.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.readyroom");
        let mut conn = Connection::open(&path).unwrap();
        let first = MIGRATIONS.pending_migrations(&conn).unwrap();
        assert_eq!(first, MIGRATION_FILES.len() as i32);
        let failing = Migrations::new(vec![
            M::up_with_hook(MIGRATION_FILES[0].1, |tx: &Transaction<'_>| {
                tx.pragma_update(None, "application_id", APPLICATION_ID)?;
                Ok(())
            }),
            M::up("THIS IS NOT SQL;"),
        ]);
        assert!(failing.to_latest(&mut conn).is_err());
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
        assert_eq!(app_id, 0, "rolled back with the failed migration");
        drop(conn);
        assert_eq!(inspect(&path).unwrap(), FileKind::Blank);
        // The real migrations stamp it.
        let mut conn = Connection::open(&path).unwrap();
        MIGRATIONS.to_latest(&mut conn).unwrap();
        let app_id: i32 = conn.pragma_query_value(None, "application_id", |r| r.get(0)).unwrap();
        assert_eq!(app_id, APPLICATION_ID);
    }

    #[test]
    fn lock_file_sits_beside_the_workspace() {
        assert_eq!(lock_path(Path::new("/x/acme.readyroom")), PathBuf::from("/x/acme.readyroom.lock"));
    }

    #[test]
    fn uri_paths_escape_what_uris_reserve() {
        assert_eq!(uri_path(Path::new("/a b/c#1?.readyroom")), "/a%20b/c%231%3F.readyroom");
        assert_eq!(uri_path(Path::new("/å")), "/%C3%A5");
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn network_file_systems_are_named() {
        assert_eq!(network_fs_name(0x6969), Some("NFS"));
        assert_eq!(network_fs_name(0xFF53_4D42), Some("SMB/CIFS"));
        assert_eq!(network_fs_name(0xEF53), None, "ext4 is local");
    }
}
