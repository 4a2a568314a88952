//! Encrypting a plain workspace, changing the passphrase (or setting a new one with the
//! recovery key), and writing a plain copy of an encrypted workspace.
//!
//! Each is atomic: the new database is written to a temporary file beside the workspace,
//! checked (it opens with its key, has the same schema version and the same number of rows
//! in every table), and only then renamed over the old one in one step. A failure or a kill at
//! any point leaves the workspace as it was (a temporary file at most, removed next time).
//! Evidence files are sealed after the database, each atomically; a plain copy gets its own
//! attachment folder with the files decrypted.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

use super::keys::{check_new_passphrase, key_file_path, DatabaseKey, KeyFile};
use super::workspace::{
    apply_key, check_identity, inspect, locate, schema_version, take_lock, Access, FileKind, Secret, APPLICATION_ID,
};
use crate::error::{Error, ErrorCode, Result};
use crate::outputs::{attachments_dir_of, why, Protected};
use crate::store::attachments::Attachments;

/// `name` with `suffix` appended (`acme.readyroom` + `.encrypting`).
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().map(|n| n.to_os_string()).unwrap_or_default();
    name.push(suffix);
    path.with_file_name(name)
}

/// Removes a temporary database and whatever SQLite kept beside it.
fn remove_temp(temp: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = fs::remove_file(beside(temp, suffix));
    }
}

/// How many rows each table has: the check that a copy holds everything.
fn row_counts(conn: &Connection, schema: &str) -> Result<BTreeMap<String, i64>> {
    let tables: Vec<String> = conn
        .prepare(&format!(
            "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = BTreeMap::new();
    for t in tables {
        let n: i64 =
            conn.query_row(&format!("SELECT count(*) FROM {schema}.\"{}\"", t.replace('"', "\"\"")), [], |r| r.get(0))?;
        out.insert(t, n);
    }
    Ok(out)
}

/// A connection to copy the workspace from. ATTACH takes its flags from the main database,
/// so it may create files; it changes nothing in the workspace itself.
fn open_to_copy(path: &Path, key: Option<&DatabaseKey>) -> Result<Connection> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE)?;
    apply_key(&conn, key)?;
    Ok(conn)
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
    move |e| Error::new(ErrorCode::Io, format!("{} {}.", path.display(), why(&e)))
}

/// Copies the open database `conn` into a new file `target` encrypted with `key` (or plain when
/// none), with the schema version and application id, and checks the copy row by row count.
fn export(conn: &Connection, target: &Path, key: Option<&DatabaseKey>, version: u32) -> Result<()> {
    remove_temp(target);
    let pragma = key.map(|k| k.pragma());
    let key_text = pragma.as_ref().map_or("", |p| p.as_str());
    conn.execute("ATTACH DATABASE ?1 AS target KEY ?2", (target.to_string_lossy(), key_text))?;
    let copied = (|| -> Result<BTreeMap<String, i64>> {
        conn.query_row("SELECT sqlcipher_export('target')", [], |_| Ok(()))?;
        conn.execute_batch(&format!(
            "PRAGMA target.user_version = {version}; PRAGMA target.application_id = {APPLICATION_ID};"
        ))?;
        row_counts(conn, "target")
    })();
    conn.execute_batch("DETACH DATABASE target")?;
    let copied = copied?;
    if copied != row_counts(conn, "main")? {
        return Err(Error::internal("the copy does not hold every row of the workspace"));
    }
    // The copy opens on its own, with its key.
    let check = Connection::open_with_flags(target, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    apply_key(&check, key)?;
    if check_identity(&check, target, schema_version())? != version || row_counts(&check, "main")? != copied {
        return Err(Error::internal("the new file does not read back as the workspace"));
    }
    Ok(())
}

/// Makes the plain workspace at `path` encrypted under `passphrase`, in place. Returns the
/// recovery key, to show once. Refused while another window or process has it open.
pub fn encrypt(path: &Path, passphrase: &str) -> Result<String> {
    let path = locate(path, Access::ReadWrite)?;
    let version = match inspect(&path)? {
        FileKind::Encrypted => {
            return Err(Error::new(ErrorCode::Conflict, format!("{} is already encrypted.", path.display())))
        }
        FileKind::Workspace { version } if version == schema_version() => version,
        FileKind::Workspace { .. } => {
            return Err(Error::new(
                ErrorCode::WorkspaceOutdated,
                format!("{} uses an older format: open it once to upgrade it, then encrypt it.", path.display()),
            ))
        }
        FileKind::Missing | FileKind::Blank => {
            return Err(Error::new(ErrorCode::WorkspaceMissing, format!("No workspace at {}.", path.display())))
        }
    };
    check_new_passphrase(passphrase)?;
    let _lock = take_lock(&path)?;
    let key = DatabaseKey::random()?;
    let temp = beside(&path, ".encrypting");
    let result = (|| -> Result<()> {
        let conn = open_to_copy(&path, None)?;
        check_identity(&conn, &path, schema_version())?;
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")?;
        export(&conn, &temp, Some(&key), version)?;
        drop(conn);
        // Someone still reading the plain file keeps its log; replacing the file under them
        // would let that log meet the new file.
        if beside(&path, "-wal").exists() {
            return Err(Error::new(
                ErrorCode::WorkspaceInUse,
                format!(
                    "{} is still being read elsewhere (a Readyroom window or command): close it and try again.",
                    path.display()
                ),
            ));
        }
        KeyFile::wrap(&key, passphrase)?.write(&path)?;
        fs::rename(&temp, &path).map_err(io(&path))?;
        Ok(())
    })();
    if let Err(e) = result {
        remove_temp(&temp);
        return Err(e);
    }
    // Then the evidence files, one by one (each sealed atomically; a run stopped half way is
    // finished by the next open for changes, and the workspace reads both kinds meanwhile).
    Attachments::sealed(attachments_dir_of(&path), key.attachment_key()).seal_plain_files()?;
    Ok(key.recovery_text())
}

/// Sets a new passphrase for the encrypted workspace at `path`, unlocked by `current` (its
/// passphrase, or its recovery key when the passphrase is lost or the key file is gone).
/// Only the key file changes; the database is not rewritten.
pub fn change_passphrase(path: &Path, current: &Secret, new: &str) -> Result<()> {
    let path = locate(path, Access::ReadOnly)?;
    if !matches!(inspect(&path)?, FileKind::Encrypted) {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("{} is not encrypted, so it has no passphrase: encrypt it first.", path.display()),
        ));
    }
    check_new_passphrase(new)?;
    let key = current.key_for(&path)?;
    // The key must open this database before it is wrapped under the new passphrase.
    let conn = Connection::open_with_flags(&path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    apply_key(&conn, Some(&key))?;
    check_identity(&conn, &path, u32::MAX)?;
    drop(conn);
    let file = KeyFile::wrap(&key, new)?;
    file.write(&path)?;
    match KeyFile::read(&path)? {
        Some(written) if written.unwrap_key(new, &key_file_path(&path))? == key => Ok(()),
        _ => Err(Error::internal("the new key file does not read back")),
    }
}

/// Writes a plain (unencrypted) copy of the encrypted workspace at `path` to `out`, which must
/// not be one of the workspace's files. The workspace itself is not changed.
pub fn decrypt_copy(path: &Path, secret: &Secret, out: &Path) -> Result<PathBuf> {
    let path = locate(path, Access::ReadOnly)?;
    if !matches!(inspect(&path)?, FileKind::Encrypted) {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("{} is not encrypted: copy the file itself.", path.display()),
        ));
    }
    let target = Protected::for_workspace(&path).check(out)?;
    if target.exists() {
        return Err(Error::new(
            ErrorCode::OutputRefused,
            format!("{} already exists; choose a new file name for the plain copy.", target.display()),
        ));
    }
    let key = secret.key_for(&path)?;
    let conn = open_to_copy(&path, Some(&key))?;
    let version = check_identity(&conn, &path, schema_version())?;
    // The evidence files first, decrypted (and checked) into the copy's own folder.
    let sealed = Attachments::sealed(attachments_dir_of(&path), key.attachment_key());
    let plain = Attachments::plain(attachments_dir_of(&target));
    for (id, _) in crate::evidence::stored_files(&conn)? {
        let content = crate::evidence::checked_content(&conn, &sealed, id)?;
        crate::evidence::store(&plain, &content)?;
    }
    let temp = beside(&target, ".partial");
    if let Err(e) = export(&conn, &temp, None, version).and_then(|()| fs::rename(&temp, &target).map_err(io(&target))) {
        remove_temp(&temp);
        return Err(e);
    }
    Ok(target)
}
