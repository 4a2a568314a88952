//! Files written for the user (CSV exports, PDF reports, calendars, tabletop scripts): never
//! onto the workspace or anything that belongs to it, and never half-written.
//!
//! A user who types `--out acme.readyroom`, picks the workspace in a save dialog, or names a
//! link to it must get a clear refusal, not a PDF where their registers were. Targets are
//! compared by canonical path (so `./acme.readyroom` and symlinks are caught) and, where the
//! target exists, by file identity (device and inode, so hard links are caught too). Every
//! output is written to a temporary file in the target's folder and renamed into place, so a
//! failed write leaves the old file (or nothing), never half of a new one.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, ErrorCode, Result};
use crate::store::attachments::Attachments;

/// The files that make up a workspace, which no output may replace.
#[derive(Debug, Clone)]
pub struct Protected {
    /// The workspace file, canonical.
    db: PathBuf,
    /// Its attachment folder (which may not exist yet).
    attachments: PathBuf,
    /// How its files are read (the key of an encrypted workspace's files).
    store: Attachments,
    /// The user said a plain copy of an encrypted workspace (an archive) may be written.
    plain_copy_allowed: bool,
    /// The passphrase an archive is sealed under.
    output_passphrase: Option<OutputPassphrase>,
}

/// A passphrase an output is sealed under; never printed.
#[derive(Clone)]
struct OutputPassphrase(zeroize::Zeroizing<String>);

impl std::fmt::Debug for OutputPassphrase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OutputPassphrase(…)")
    }
}

impl Protected {
    /// The protected set of the workspace at `db` (canonicalised when it exists).
    pub fn for_workspace(db: &Path) -> Self {
        let db = canonical_or_absolute(db);
        let attachments = attachments_dir_of(&db);
        let store = Attachments::plain(attachments.clone());
        Self {
            db,
            attachments: canonical_or_absolute(&attachments),
            store,
            plain_copy_allowed: false,
            output_passphrase: None,
        }
    }

    /// The same set, reading the attachment files with `store` (an encrypted workspace's).
    pub fn with_attachments(mut self, store: Attachments) -> Self {
        self.store = store;
        self
    }

    /// The same set, with the user's word that a plain copy of an encrypted workspace may be
    /// written.
    pub fn allowing_plain_copy(mut self) -> Self {
        self.plain_copy_allowed = true;
        self
    }

    /// The same set, sealing the archive it writes under `passphrase` (at least
    /// [`crate::store::keys::MIN_PASSPHRASE_CHARS`] characters, else an error on the
    /// `passphrase` field).
    pub fn sealing_with(mut self, passphrase: &str) -> Result<Self> {
        crate::store::keys::check_new_passphrase(passphrase)?;
        self.output_passphrase = Some(OutputPassphrase(zeroize::Zeroizing::new(passphrase.to_owned())));
        Ok(self)
    }

    /// The passphrase the output is sealed under, if any.
    pub(crate) fn output_passphrase(&self) -> Option<&str> {
        self.output_passphrase.as_ref().map(|p| p.0.as_str())
    }

    /// Refuses a plain copy of an encrypted workspace the user has not agreed to (a copy sealed
    /// under its own passphrase is not plain).
    pub fn check_plain_copy(&self, what: &str) -> Result<()> {
        if self.store.is_sealed() && !self.plain_copy_allowed && self.output_passphrase.is_none() {
            return Err(Error::field(
                "plain",
                format!("This workspace is encrypted and {what} would not be: anyone who gets the file could read every record and evidence file. Give it a passphrase of its own, or say that it may be written unencrypted."),
            ));
        }
        Ok(())
    }

    /// The workspace's attachment folder, as its files are read.
    pub fn attachments(&self) -> &Attachments {
        &self.store
    }

    /// The workspace file this set protects.
    pub fn workspace(&self) -> &Path {
        &self.db
    }

    /// The file names beside the workspace that belong to it, with what each one is.
    fn siblings(&self) -> Vec<(PathBuf, &'static str)> {
        let name = self.db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let with = |suffix: &str| self.db.with_file_name(format!("{name}{suffix}"));
        vec![
            (self.db.clone(), "the workspace itself"),
            (with("-wal"), "the workspace's write-ahead log"),
            (with("-shm"), "the workspace's shared-memory file"),
            (with("-journal"), "the workspace's journal"),
            (with(".lock"), "the workspace's lock file"),
            (with(".log"), "the workspace's log file"),
            (with(".key"), "the workspace's key file"),
        ]
    }

    /// What `resolved` is to the workspace, if it belongs to it.
    fn role_of(&self, resolved: &Path) -> Option<&'static str> {
        if let Some((_, what)) = self.siblings().into_iter().find(|(p, _)| p == resolved) {
            return Some(what);
        }
        if resolved.starts_with(&self.attachments) {
            return Some("the workspace's attachment folder");
        }
        let stem = self.db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        let backup = resolved.parent() == self.db.parent()
            && resolved.file_name().is_some_and(|n| {
                let n = n.to_string_lossy();
                n.starts_with(&format!("{stem}.backup-"))
                    && (n.ends_with(".readyroom") || n.ends_with(".readyroom.key"))
            });
        backup.then_some("a backup of the workspace")
    }

    /// Refuses `target` when it is, or leads to, one of the workspace's files; otherwise
    /// returns the path to write (the symlink's destination when `target` is a symlink).
    pub fn check(&self, target: &Path) -> Result<PathBuf> {
        let resolved = resolve_target(target)?;
        if let Some(what) = self.role_of(&resolved) {
            return Err(refused(target, what));
        }
        #[cfg(unix)]
        if let Ok(meta) = fs::metadata(&resolved) {
            use std::os::unix::fs::MetadataExt;
            let id = (meta.dev(), meta.ino());
            for (path, what) in self.siblings() {
                if fs::metadata(&path).is_ok_and(|m| (m.dev(), m.ino()) == id) {
                    return Err(refused(target, what));
                }
            }
            if meta.nlink() > 1 {
                if let Some(what) = self.identity_among_backups_and_attachments(id) {
                    return Err(refused(target, what));
                }
            }
        }
        Ok(resolved)
    }

    #[cfg(unix)]
    fn identity_among_backups_and_attachments(&self, id: (u64, u64)) -> Option<&'static str> {
        use std::os::unix::fs::MetadataExt;
        let same = |p: &Path| fs::symlink_metadata(p).is_ok_and(|m| (m.dev(), m.ino()) == id);
        if let Some(dir) = self.db.parent() {
            for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if self.role_of(&path) == Some("a backup of the workspace") && same(&path) {
                    return Some("a backup of the workspace");
                }
            }
        }
        for entry in fs::read_dir(&self.attachments).into_iter().flatten().flatten() {
            if same(&entry.path()) {
                return Some("a file in the workspace's attachment folder");
            }
        }
        None
    }

    /// Writes `bytes` to `target` after [`Protected::check`]: to a temporary file beside it,
    /// then renamed into place. Returns the path written.
    pub fn write(&self, target: &Path, bytes: &[u8]) -> Result<PathBuf> {
        self.write_with(target, |f| f.write_all(bytes))
    }

    /// Like [`Protected::write`], for output produced piece by piece.
    pub fn write_with(&self, target: &Path, fill: impl FnOnce(&mut File) -> std::io::Result<()>) -> Result<PathBuf> {
        let resolved = self.check(target)?;
        write_atomic(&resolved, fill)?;
        Ok(resolved)
    }
}

fn refused(target: &Path, what: &str) -> Error {
    Error::new(
        ErrorCode::OutputRefused,
        format!("Refusing to write {}: it is {what}. Choose another file name.", target.display()),
    )
}

/// The attachment folder of the workspace at `db`: `acme.readyroom` keeps them in `acme.attachments/`.
pub fn attachments_dir_of(db: &Path) -> PathBuf {
    let stem = db.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_else(|| "workspace".into());
    db.with_file_name(format!("{stem}.attachments"))
}

/// `path` made absolute and, as far as it exists, canonical (symlinks resolved).
pub fn canonical_or_absolute(path: &Path) -> PathBuf {
    if let Ok(p) = fs::canonicalize(path) {
        return p;
    }
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_owned());
    match (absolute.parent(), absolute.file_name()) {
        (Some(parent), Some(name)) => fs::canonicalize(parent).map(|p| p.join(name)).unwrap_or(absolute),
        _ => absolute,
    }
}

/// The file a write to `target` would replace: its folder must exist; an existing symlink is
/// followed; a folder is refused.
fn resolve_target(target: &Path) -> Result<PathBuf> {
    let name = target
        .file_name()
        .filter(|n| !n.is_empty() && *n != "." && *n != "..")
        .ok_or_else(|| Error::new(ErrorCode::OutputRefused, format!("{} is not a file name.", target.display())))?;
    let parent = match target.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_owned(),
        _ => PathBuf::from("."),
    };
    let folder = fs::canonicalize(&parent).map_err(|e| {
        Error::new(
            ErrorCode::Io,
            format!("Cannot write {}: its folder {} {}.", target.display(), parent.display(), why(&e)),
        )
    })?;
    let joined = folder.join(name);
    match fs::symlink_metadata(&joined) {
        Ok(meta) if meta.file_type().is_symlink() => {
            let dest = fs::canonicalize(&joined).unwrap_or_else(|_| {
                // A dangling link: where it points, so the check still sees the name it would create.
                fs::read_link(&joined).map(|l| folder.join(l)).unwrap_or(joined.clone())
            });
            if dest.is_dir() {
                return Err(Error::new(ErrorCode::OutputRefused, format!("{} is a folder.", target.display())));
            }
            Ok(canonical_or_absolute(&dest))
        }
        Ok(meta) if meta.is_dir() => {
            Err(Error::new(ErrorCode::OutputRefused, format!("{} is a folder, not a file.", target.display())))
        }
        _ => Ok(joined),
    }
}

/// A short reason for an I/O error, for messages that already name the file.
pub fn why(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "does not exist".into(),
        std::io::ErrorKind::PermissionDenied => "is not accessible (permission denied)".into(),
        std::io::ErrorKind::ReadOnlyFilesystem => "is on a read-only disk".into(),
        std::io::ErrorKind::StorageFull => "is on a full disk".into(),
        _ => format!("could not be used ({e})"),
    }
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes a new file at `path` through a temporary file in the same folder, created
/// exclusively (never through an existing file or link), synced, then renamed over `path`.
pub fn write_atomic(path: &Path, fill: impl FnOnce(&mut File) -> std::io::Result<()>) -> Result<()> {
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let io = |e: std::io::Error| Error::new(ErrorCode::Io, format!("Cannot write {}: it {}.", path.display(), why(&e)));
    let (tmp, mut file) = loop {
        let n = TEMP_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = folder.join(format!(".{name}.{}-{n}.tmp", std::process::id()));
        match fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => break (tmp, f),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(io(e)),
        }
    };
    let written = fill(&mut file).and_then(|()| file.sync_all());
    drop(file);
    if let Err(e) = written.and_then(|()| fs::rename(&tmp, path)) {
        let _ = fs::remove_file(&tmp);
        return Err(io(e));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_belong_to_the_workspace() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("acme.readyroom");
        fs::write(&db, b"x").unwrap();
        let p = Protected::for_workspace(&db);
        for (name, what) in [
            ("acme.readyroom", "the workspace itself"),
            ("acme.readyroom-wal", "the workspace's write-ahead log"),
            ("acme.readyroom-shm", "the workspace's shared-memory file"),
            ("acme.readyroom.lock", "the workspace's lock file"),
            ("acme.backup-20260101T000000Z-schema3.readyroom", "a backup of the workspace"),
            ("acme.attachments/abc", "the workspace's attachment folder"),
        ] {
            if name.contains('/') {
                fs::create_dir_all(dir.path().join("acme.attachments")).unwrap();
            }
            let err = p.check(&dir.path().join(name)).unwrap_err();
            assert_eq!(err.code, ErrorCode::OutputRefused, "{name}");
            assert!(err.message.contains(what), "{name}: {}", err.message);
        }
        for ok in ["acme.csv", "acme.pdf", "acme.readyroom.pdf", "other.readyroom"] {
            assert!(p.check(&dir.path().join(ok)).is_ok(), "{ok}");
        }
    }

    #[cfg(unix)]
    #[test]
    fn links_to_the_workspace_files_are_caught_by_identity() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("acme.readyroom");
        fs::write(&db, b"x").unwrap();
        fs::write(dir.path().join("acme.readyroom.lock"), b"").unwrap();
        fs::create_dir_all(dir.path().join("acme.attachments")).unwrap();
        fs::write(dir.path().join("acme.attachments").join("ab12"), b"evidence").unwrap();
        let p = Protected::for_workspace(&db);
        let other = tempfile::tempdir().unwrap();
        let hard = other.path().join("report.pdf");
        fs::hard_link(dir.path().join("acme.readyroom.lock"), &hard).unwrap();
        assert!(p.check(&hard).unwrap_err().message.contains("lock file"));
        let evidence = other.path().join("evidence.pdf");
        fs::hard_link(dir.path().join("acme.attachments").join("ab12"), &evidence).unwrap();
        assert!(p.check(&evidence).unwrap_err().message.contains("attachment folder"));
        let soft = other.path().join("soft.pdf");
        std::os::unix::fs::symlink(&db, &soft).unwrap();
        assert!(p.check(&soft).unwrap_err().message.contains("the workspace itself"));
        let relative = Protected::for_workspace(Path::new(&format!("{}/./acme.readyroom", dir.path().display())));
        assert!(relative.check(&db).is_err(), "the same file by another spelling");
    }

    #[test]
    fn atomic_write_replaces_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("out.csv");
        fs::write(&target, b"old").unwrap();
        write_atomic(&target, |f| f.write_all(b"new")).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"new");
        let err = write_atomic(&target, |_| Err(std::io::Error::other("disk on fire"))).unwrap_err();
        assert_eq!(err.code, ErrorCode::Io);
        assert_eq!(fs::read(&target).unwrap(), b"new", "a failed write leaves the old file");
        let names: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.csv")], "no temporary file is left behind");
    }
}
