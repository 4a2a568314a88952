//! The workspace archive: everything a workspace holds, in one zip file from which this or a
//! later Readyroom rebuilds the same workspace on another machine.
//!
//! Layout: `tables/<table>.json` for every table of the schema (its columns and every row in
//! key order, each value exactly as SQLite stores it), `attachments/<sha256>` for every evidence
//! file, and `manifest.json`: the format, the schema version, the app version, and the size and
//! SHA-256 of every other entry. Entries are written in a fixed order with a fixed date, so the
//! same workspace always gives the same bytes, and a workspace rebuilt from an archive exports
//! that archive again, byte for byte.
//!
//! An import checks everything before it keeps anything: the zip must be whole, the manifest
//! must list exactly the entries present with their sizes and hashes, the schema must not be
//! newer than this build's. It builds the workspace in a temporary file at the archive's
//! schema version, upgrades it to this build's, checks its integrity and foreign keys, and
//! only then renames it into place. A target that already holds records is refused.
//!
//! Attachments are streamed through both ways (copied and hashed in blocks), so memory does
//! not grow with their size.

use std::collections::{BTreeMap, BTreeSet};
use std::fs::{self, File};
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use rusqlite::types::{Value, ValueRef};
use rusqlite::{params_from_iter, Connection, OpenFlags};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zip::write::SimpleFileOptions;
use zip::write::StreamWriter;
use zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use crate::error::{Error, ErrorCode, Result};
use crate::outputs::{attachments_dir_of, why, Protected};
use crate::store::attachments::Attachments;
use crate::store::sealed_file::{self, OpeningReader, SealingWriter};
use crate::workspace::{schema_version, MIGRATIONS};

/// What the first line of `manifest.json` says a file is.
pub const FORMAT: &str = "readyroom-archive";
/// The version of this layout (not of the schema): raised when the layout changes.
pub const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";

/// `manifest.json`: what the archive is and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The workspace's schema version when it was archived.
    pub schema_version: u32,
    /// The Readyroom version that wrote it.
    pub app_version: String,
    /// Every other entry, in the order written.
    pub entries: Vec<Entry>,
}

/// One entry of the archive, as the manifest records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub path: String,
    pub size: u64,
    pub sha256: String,
}

/// What an export wrote or an import rebuilt.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ArchiveSummary {
    pub path: String,
    pub schema_version: u32,
    pub tables: u32,
    pub rows: u64,
    pub attachments: u32,
    /// The attachments' total size in bytes.
    pub attachment_bytes: u64,
    /// Whether the archive is encrypted under a passphrase of its own.
    pub encrypted: bool,
}

/// An archive being read: a zip file, or one sealed under a passphrase.
pub(crate) enum ArchiveFile {
    Plain(File),
    Sealed(OpeningReader<File>),
}

impl Read for ArchiveFile {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            ArchiveFile::Plain(f) => f.read(buf),
            ArchiveFile::Sealed(s) => s.read(buf),
        }
    }
}

impl io::Seek for ArchiveFile {
    fn seek(&mut self, to: io::SeekFrom) -> io::Result<u64> {
        match self {
            ArchiveFile::Plain(f) => f.seek(to),
            ArchiveFile::Sealed(s) => s.seek(to),
        }
    }
}

/// Where long work stands: `done` of `total` units (rows and attachment bytes). The callback
/// returns `false` to cancel; the work then stops, removes what it wrote, and returns a
/// `Cancelled` error.
pub type Progress<'a> = &'a mut dyn FnMut(u64, u64) -> bool;

fn cancelled() -> Error {
    Error::new(ErrorCode::Cancelled, "Cancelled; nothing was written.")
}

fn invalid(message: impl Into<String>) -> Error {
    Error::new(ErrorCode::ArchiveInvalid, message)
}

/// A table of the schema: its name, its columns in order, and the columns that order its rows.
struct Table {
    name: String,
    columns: Vec<String>,
    key: Vec<String>,
}

/// The tables of the schema with their columns and key, in name order.
fn tables(conn: &Connection) -> Result<Vec<Table>> {
    let names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for name in names {
        let mut cols: Vec<(i64, String, i64)> = conn
            .prepare("SELECT cid, name, pk FROM pragma_table_info(?1)")?
            .query_map([&name], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
            .collect::<rusqlite::Result<_>>()?;
        cols.sort_by_key(|c| c.0);
        let mut key: Vec<(i64, String)> = cols.iter().filter(|c| c.2 > 0).map(|c| (c.2, c.1.clone())).collect();
        key.sort();
        let key: Vec<String> =
            if key.is_empty() { vec!["rowid".into()] } else { key.into_iter().map(|k| k.1).collect() };
        out.push(Table { name, columns: cols.into_iter().map(|c| c.1).collect(), key });
    }
    Ok(out)
}

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// A stored value as JSON: integers and text as themselves, null as null; reals and blobs
/// tagged, so that they come back exactly (a real as its shortest round-trip text).
fn to_json(v: ValueRef<'_>) -> Json {
    match v {
        ValueRef::Null => Json::Null,
        ValueRef::Integer(i) => Json::from(i),
        ValueRef::Real(f) => serde_json::json!({ "real": f.to_string() }),
        ValueRef::Text(t) => Json::from(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => serde_json::json!({ "blob": hex(b) }),
    }
}

fn from_json(v: &Json) -> Option<Value> {
    Some(match v {
        Json::Null => Value::Null,
        Json::Number(n) => Value::Integer(n.as_i64()?),
        Json::String(s) => Value::Text(s.clone()),
        Json::Object(o) if o.len() == 1 => match (o.get("real"), o.get("blob")) {
            (Some(Json::String(r)), None) => Value::Real(r.parse().ok()?),
            (None, Some(Json::String(b))) => Value::Blob(unhex(b)?),
            _ => return None,
        },
        _ => return None,
    })
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len()).step_by(2).map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok()).collect()
}

/// One table as the archive stores it.
#[derive(Serialize, Deserialize)]
struct TableDump {
    table: String,
    columns: Vec<String>,
    rows: Vec<Vec<Json>>,
}

pub(crate) fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .last_modified_time(DateTime::default())
        .unix_permissions(0o644)
}

/// Hashes what passes through a writer.
pub(crate) struct Hashing<W> {
    pub inner: W,
    pub hash: Sha256,
    pub size: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.size += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// Copies `from` into `to` in blocks, reporting progress; `false` from the callback cancels
/// (the copy then returns `Ok(false)`). A failed read is reported by `read_error`.
pub(crate) fn copy_with_progress(
    from: &mut dyn Read,
    to: &mut dyn Write,
    (done, total): (&mut u64, u64),
    progress: &mut dyn FnMut(u64, u64) -> bool,
    read_error: &dyn Fn(&io::Error) -> Error,
) -> Result<bool> {
    let mut buf = vec![0u8; 256 * 1024];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(true),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(read_error(&e)),
        };
        to.write_all(&buf[..n]).map_err(|e| Error::new(ErrorCode::Io, why(&e)))?;
        *done += n as u64;
        if !progress(*done, total) {
            return Ok(false);
        }
    }
}

/// Copies the stored file `source` into `zip` as `path`, hashing it on the way: it must
/// still have the SHA-256 `sha` (else the error says `altered`). `None` when the user
/// cancelled.
pub(crate) fn copy_stored(
    zip: &mut ZipOut<'_>,
    attachments: &Attachments,
    (path, source, sha): (&str, &Path, &str),
    done: (&mut u64, u64),
    progress: &mut dyn FnMut(u64, u64) -> bool,
    altered: String,
) -> Result<Option<Entry>> {
    zip.start_file(path, options()).map_err(zip_io)?;
    // Decrypted as it is read, in an encrypted workspace.
    let mut from = attachments.reader(source, sha).map_err(|e| Error::new(ErrorCode::EvidenceMissing, why(&e)))?;
    let mut to = Hashing { inner: zip, hash: Sha256::new(), size: 0 };
    let unreadable = |e: &io::Error| Error::new(ErrorCode::Io, format!("Cannot read {}: {}", source.display(), why(e)));
    if !copy_with_progress(&mut from, &mut to, done, progress, &unreadable)? {
        return Ok(None);
    }
    let got = hex(&to.hash.finalize());
    if got != sha {
        return Err(Error::new(ErrorCode::EvidenceAltered, altered));
    }
    Ok(Some(Entry { path: path.to_owned(), size: to.size, sha256: got }))
}

/// Where a zip is written: the file itself, or a sealing stream into it when the output is
/// encrypted under its own passphrase (see [`crate::store::sealed_file`]).
pub(crate) enum Sink<'a> {
    Plain(&'a mut File),
    Sealed(SealingWriter<&'a mut File>),
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Sink::Plain(f) => f.write(buf),
            Sink::Sealed(s) => s.write(buf),
        }
    }
    fn flush(&mut self) -> io::Result<()> {
        match self {
            Sink::Plain(f) => f.flush(),
            Sink::Sealed(s) => s.flush(),
        }
    }
}

/// A zip being written, as a stream (a sealed output cannot be seeked back into).
pub(crate) type ZipOut<'a> = ZipWriter<StreamWriter<Sink<'a>>>;

/// Writes a zip to `out` (never the workspace or one of its files): `fill` adds the entries
/// and returns the manifest, which goes last, or `None` when the user cancelled. Nothing is
/// left behind unless all of it was written. Sealed under the output's passphrase when
/// `protected` has one.
pub(crate) fn write_zip<M: Serialize>(
    protected: &Protected,
    out: &Path,
    fill: impl FnOnce(&mut ZipOut<'_>) -> Result<Option<M>>,
) -> Result<PathBuf> {
    let mut outcome: Result<()> = Ok(());
    let written = protected.write_with(out, |file| {
        let result = (|| -> Result<bool> {
            let sink = match protected.output_passphrase() {
                Some(passphrase) => Sink::Sealed(SealingWriter::new(file, passphrase)?),
                None => Sink::Plain(file),
            };
            let mut zip = ZipWriter::new_stream(sink);
            let Some(manifest) = fill(&mut zip)? else { return Ok(false) };
            let bytes = serde_json::to_vec_pretty(&manifest).map_err(|e| Error::internal(e.to_string()))?;
            zip.start_file(MANIFEST, options()).map_err(zip_io)?;
            zip.write_all(&bytes).map_err(|e| Error::new(ErrorCode::Io, why(&e)))?;
            if let Sink::Sealed(sealing) = zip.finish().map_err(zip_io)?.into_inner() {
                sealing.finish().map_err(|e| Error::new(ErrorCode::Io, why(&e)))?;
            }
            Ok(true)
        })();
        match result {
            Ok(true) => Ok(()),
            Ok(false) => {
                outcome = Err(cancelled());
                Err(io::Error::other("cancelled"))
            }
            Err(e) => {
                outcome = Err(e);
                Err(io::Error::other("zip"))
            }
        }
    });
    outcome?;
    written
}

/// The evidence files the workspace refers to (by hash), in hash order.
fn attachment_hashes(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare("SELECT DISTINCT sha256 FROM evidence WHERE sha256 IS NOT NULL ORDER BY sha256")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Writes the archive of the workspace read through `conn` (in one read transaction, so it is
/// one moment's state) to `out`, which may not be the workspace or one of its files.
pub fn export(
    conn: &Connection,
    protected: &Protected,
    out: &Path,
    app_version: &str,
    progress: Progress<'_>,
) -> Result<ArchiveSummary> {
    protected.check_plain_copy("the archive")?;
    let attachments = protected.attachments();
    let version: u32 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    let tables = tables(conn)?;
    let hashes = attachment_hashes(conn)?;
    // Every file must be there and whole before anything is written.
    let mut files = Vec::new();
    let mut total: u64 = 0;
    for h in &hashes {
        let path = attachments.join(h);
        let size = fs::metadata(&path)
            .map_err(|_| {
                Error::new(
                    ErrorCode::EvidenceMissing,
                    format!(
                        "The evidence file {h} is missing from {}; the archive would not be complete.",
                        attachments.display()
                    ),
                )
            })?
            .len();
        total += size;
        files.push((h.clone(), path, size));
    }
    let mut row_total: u64 = 0;
    for Table { name, .. } in &tables {
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM {}", quoted(name)), [], |r| r.get(0))?;
        row_total += n as u64;
    }
    total += row_total;
    let mut summary = ArchiveSummary {
        path: String::new(),
        schema_version: version,
        tables: tables.len() as u32,
        rows: row_total,
        attachments: files.len() as u32,
        attachment_bytes: files.iter().map(|f| f.2).sum(),
        encrypted: protected.output_passphrase().is_some(),
    };
    let written = write_zip(protected, out, |zip| {
        let mut entries = Vec::new();
        let mut done: u64 = 0;
        for Table { name, columns, key } in &tables {
            let mut rows = Vec::new();
            let sql = format!(
                "SELECT {} FROM {} ORDER BY {}",
                columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", "),
                quoted(name),
                key.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", ")
            );
            let mut stmt = conn.prepare(&sql)?;
            let mut q = stmt.query([])?;
            while let Some(r) = q.next()? {
                rows.push((0..columns.len()).map(|i| r.get_ref(i).map(to_json)).collect::<rusqlite::Result<Vec<_>>>()?);
                done += 1;
                if done.is_multiple_of(1024) && !progress(done, total) {
                    return Ok(None);
                }
            }
            let dump = TableDump { table: name.clone(), columns: columns.clone(), rows };
            let bytes = serde_json::to_vec(&dump).map_err(|e| Error::internal(e.to_string()))?;
            let path = format!("tables/{name}.json");
            zip.start_file(path.as_str(), options()).map_err(zip_io)?;
            zip.write_all(&bytes).map_err(|e| Error::new(ErrorCode::Io, why(&e)))?;
            entries.push(Entry { path, size: bytes.len() as u64, sha256: hex(&Sha256::digest(&bytes)) });
        }
        for (hash, path, _) in &files {
            let at = format!("attachments/{hash}");
            let altered =
                format!("The evidence file {hash} no longer matches its SHA-256; the archive was not written.");
            let Some(entry) = copy_stored(zip, attachments, (&at, path, hash), (&mut done, total), progress, altered)?
            else {
                return Ok(None);
            };
            entries.push(entry);
        }
        Ok(Some(Manifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            schema_version: version,
            app_version: app_version.into(),
            entries,
        }))
    })?;
    summary.path = written.display().to_string();
    Ok(summary)
}

pub(crate) fn zip_io(e: zip::result::ZipError) -> Error {
    Error::new(ErrorCode::Io, format!("Could not write the archive: {e}"))
}

/// Reads and checks an archive: the manifest, and that the entries present are exactly those
/// it lists. Sizes and hashes are checked as each entry is read.
fn open_archive(path: &Path, passphrase: Option<&str>) -> Result<(ZipArchive<ArchiveFile>, Manifest)> {
    let file = File::open(path)
        .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot read {}: {}", path.display(), why(&e))))?;
    let file = if sealed_file::is_sealed_file(path)? {
        let Some(passphrase) = passphrase.filter(|p| !p.is_empty()) else {
            return Err(Error::new(ErrorCode::KeyRequired, "This archive is encrypted: enter its passphrase.")
                .with_field("passphrase", "Enter the passphrase the archive was written with."));
        };
        ArchiveFile::Sealed(OpeningReader::new(file, passphrase).map_err(|e| match e.code {
            ErrorCode::WrongKey => e.with_field("passphrase", "That passphrase does not open this archive."),
            _ => e,
        })?)
    } else {
        ArchiveFile::Plain(file)
    };
    let mut zip = ZipArchive::new(file).map_err(|_| {
        invalid(format!(
            "{} is not a complete Readyroom archive (not a zip file, or cut short while copying).",
            path.display()
        ))
    })?;
    let manifest: Manifest = {
        let mut f = zip
            .by_name(MANIFEST)
            .map_err(|_| invalid(format!("{} has no manifest.json: it is not a Readyroom archive.", path.display())))?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)
            .map_err(|_| invalid("The archive's manifest cannot be read: the file is damaged."))?;
        serde_json::from_slice(&bytes).map_err(|_| {
            invalid("The archive's manifest is not valid: the file is damaged or not a Readyroom archive.")
        })?
    };
    if manifest.format != FORMAT {
        return Err(invalid("The file is not a Readyroom archive."));
    }
    if manifest.format_version > FORMAT_VERSION {
        return Err(Error::new(
            ErrorCode::ArchiveTooNew,
            format!(
                "The archive was written by a newer Readyroom ({}); update Readyroom to import it.",
                manifest.app_version
            ),
        ));
    }
    if manifest.schema_version > schema_version() {
        return Err(Error::new(
            ErrorCode::ArchiveTooNew,
            format!(
                "The archive holds a workspace of schema {} (Readyroom {}); this Readyroom reads up to schema {}. Update Readyroom to import it.",
                manifest.schema_version,
                manifest.app_version,
                schema_version()
            ),
        ));
    }
    let listed: BTreeSet<&str> = manifest.entries.iter().map(|e| e.path.as_str()).collect();
    if listed.len() != manifest.entries.len() {
        return Err(invalid("The archive's manifest lists an entry twice: the file was altered."));
    }
    let present: BTreeSet<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<std::result::Result<BTreeSet<String>, _>>()
        .map_err(|_| invalid("The archive lists an entry whose name cannot be read: the file is damaged."))?
        .into_iter()
        .filter(|n| n != MANIFEST)
        .collect();
    if let Some(missing) = listed.iter().find(|p| !present.contains(**p)) {
        return Err(invalid(format!("The archive is missing {missing}, which its manifest lists: it is incomplete.")));
    }
    if let Some(extra) = present.iter().find(|p| !listed.contains(p.as_str())) {
        return Err(invalid(format!(
            "The archive holds {extra}, which its manifest does not list: the file was altered."
        )));
    }
    for e in &manifest.entries {
        let ok = match e.path.split_once('/') {
            Some(("tables", t)) => t.strip_suffix(".json").is_some_and(|n| !n.is_empty() && !n.contains('/')),
            Some(("attachments", h)) => {
                h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
            }
            _ => false,
        };
        if !ok {
            return Err(invalid(format!("The archive holds an unexpected entry {}.", e.path)));
        }
    }
    Ok((zip, manifest))
}

/// Whether the file at `path` holds records (a workspace with more than a new one's rows).
fn holds_records(path: &Path) -> Result<bool> {
    if !path.exists() {
        return Ok(false);
    }
    if fs::metadata(path).map(|m| m.len() == 0).unwrap_or(false) {
        return Ok(false);
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).map_err(|_| {
        Error::new(ErrorCode::NotAWorkspace, format!("{} exists and is not an empty workspace.", path.display()))
    })?;
    let mut fresh = Connection::open_in_memory()?;
    MIGRATIONS.to_latest(&mut fresh).map_err(|e| Error::internal(e.to_string()))?;
    let count = |c: &Connection, t: &str| -> rusqlite::Result<i64> {
        c.query_row(&format!("SELECT count(*) FROM {}", quoted(t)), [], |r| r.get(0))
    };
    let existing = tables(&conn).map_err(|_| {
        Error::new(ErrorCode::NotAWorkspace, format!("{} exists and is not a Readyroom workspace.", path.display()))
    })?;
    if existing.is_empty() {
        return Ok(false);
    }
    for Table { name: t, .. } in existing {
        let seeded = count(&fresh, &t).unwrap_or(0);
        if count(&conn, &t)? > seeded {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Builds a new workspace at `db` from the archive at `archive`. `db` must not exist, or be
/// an empty workspace; nothing is written there unless every check passes.
pub fn import(archive: &Path, db: &Path, progress: Progress<'_>) -> Result<ArchiveSummary> {
    import_with(archive, db, None, progress)
}

/// Whether the archive at `path` is encrypted under a passphrase of its own.
pub fn is_encrypted(path: &Path) -> Result<bool> {
    sealed_file::is_sealed_file(path)
}

/// Checks that the archive at `path` is a whole Readyroom archive this build reads, and that
/// `passphrase` opens it when it is encrypted: what [`import_with`] checks first, before a
/// new workspace's name is asked for.
pub fn check(path: &Path, passphrase: Option<&str>) -> Result<()> {
    open_archive(path, passphrase).map(|_| ())
}

/// [`import`], opening an encrypted archive with `passphrase` (`KeyRequired` without one,
/// `WrongKey` when it does not open it; both on the `passphrase` field).
pub fn import_with(
    archive: &Path,
    db: &Path,
    passphrase: Option<&str>,
    progress: Progress<'_>,
) -> Result<ArchiveSummary> {
    let encrypted = is_encrypted(archive)?;
    let (mut zip, manifest) = open_archive(archive, passphrase)?;
    if holds_records(db)? {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("{} already holds records; import the archive into a new workspace file.", db.display()),
        ));
    }
    let folder = db.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    fs::create_dir_all(folder)
        .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot create {}: {}", folder.display(), why(&e))))?;
    let name = db.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "workspace".into());
    let temp = folder.join(format!(".{name}.importing-{}", std::process::id()));
    let temp_files = folder.join(format!(".{name}.importing-{}.attachments", std::process::id()));
    let cleanup = || {
        let _ = fs::remove_file(&temp);
        let _ = fs::remove_file(temp.with_file_name(format!(
            "{}-journal",
            temp.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default()
        )));
        let _ = fs::remove_dir_all(&temp_files);
    };
    cleanup();
    let result = build(&mut zip, &manifest, &temp, &temp_files, progress);
    let summary = match result {
        Ok(s) => s,
        Err(e) => {
            cleanup();
            return Err(e);
        }
    };
    // Everything checked: move the attachments in (content-addressed: a file already there
    // with the same name is the same file), then the workspace.
    let target_files = attachments_dir_of(db);
    let moved = (|| -> io::Result<()> {
        fs::create_dir_all(&target_files)?;
        for entry in fs::read_dir(&temp_files)? {
            let entry = entry?;
            let to = target_files.join(entry.file_name());
            if !to.exists() {
                fs::rename(entry.path(), to)?;
            }
        }
        fs::rename(&temp, db)
    })();
    cleanup();
    moved
        .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot move the rebuilt workspace into place: {}", why(&e))))?;
    Ok(ArchiveSummary { path: db.display().to_string(), encrypted, ..summary })
}

fn build(
    zip: &mut ZipArchive<ArchiveFile>,
    manifest: &Manifest,
    temp: &Path,
    temp_files: &Path,
    progress: &mut dyn FnMut(u64, u64) -> bool,
) -> Result<ArchiveSummary> {
    let total: u64 = manifest.entries.iter().map(|e| e.size).sum();
    let mut done: u64 = 0;
    let mut conn = Connection::open(temp)?;
    // The archive's own schema first, so its rows fit; upgraded below like any old workspace.
    MIGRATIONS
        .to_version(&mut conn, manifest.schema_version as usize)
        .map_err(|e| Error::new(ErrorCode::Database, format!("Cannot create the schema of the archive: {e}")))?;
    let schema: BTreeMap<String, Vec<String>> = tables(&conn)?.into_iter().map(|t| (t.name, t.columns)).collect();
    fs::create_dir_all(temp_files).map_err(|e| Error::new(ErrorCode::Io, why(&e)))?;
    let mut summary = ArchiveSummary {
        path: String::new(),
        schema_version: schema_version(),
        tables: 0,
        rows: 0,
        attachments: 0,
        attachment_bytes: 0,
        encrypted: false,
    };
    // Tables come in name order, children before parents; keys are checked once, at the end
    // (checking them row by row would scan a child table for each parent inserted).
    conn.pragma_update(None, "foreign_keys", false)?;
    let tx = conn.transaction()?;
    for e in &manifest.entries {
        let mut f = zip
            .by_name(&e.path)
            .map_err(|_| invalid(format!("The archive's entry {} cannot be read: the file is damaged.", e.path)))?;
        if let Some(hash) = e.path.strip_prefix("attachments/") {
            let out = File::create(temp_files.join(hash)).map_err(|er| Error::new(ErrorCode::Io, why(&er)))?;
            let mut to = Hashing { inner: io::BufWriter::new(out), hash: Sha256::new(), size: 0 };
            let damaged = |_: &io::Error| {
                invalid(format!("The archive's {} cannot be read: the file was altered or damaged.", e.path))
            };
            if !copy_with_progress(&mut f, &mut to, (&mut done, total), progress, &damaged)? {
                return Err(cancelled());
            }
            to.flush().map_err(|er| Error::new(ErrorCode::Io, why(&er)))?;
            let got = hex(&to.hash.finalize());
            if to.size != e.size || got != e.sha256 || got != hash {
                return Err(invalid(format!(
                    "The archive's {} does not match its manifest: the file was altered or damaged.",
                    e.path
                )));
            }
            summary.attachments += 1;
            summary.attachment_bytes += to.size;
            continue;
        }
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes)
            .map_err(|_| invalid(format!("The archive's entry {} cannot be read: the file is damaged.", e.path)))?;
        if bytes.len() as u64 != e.size || hex(&Sha256::digest(&bytes)) != e.sha256 {
            return Err(invalid(format!(
                "The archive's {} does not match its manifest: the file was altered or damaged.",
                e.path
            )));
        }
        let dump: TableDump = serde_json::from_slice(&bytes)
            .map_err(|_| invalid(format!("The archive's {} is not a valid table.", e.path)))?;
        let expected = schema.get(&dump.table).filter(|_| e.path == format!("tables/{}.json", dump.table));
        let Some(columns) = expected else {
            return Err(invalid(format!(
                "The archive's {} names a table that schema {} does not have.",
                e.path, manifest.schema_version
            )));
        };
        if *columns != dump.columns {
            return Err(invalid(format!(
                "The archive's {} does not have the columns of schema {}.",
                e.path, manifest.schema_version
            )));
        }
        tx.execute(&format!("DELETE FROM {}", quoted(&dump.table)), [])?;
        let sql = format!(
            "INSERT INTO {} ({}) VALUES ({})",
            quoted(&dump.table),
            dump.columns.iter().map(|c| quoted(c)).collect::<Vec<_>>().join(", "),
            vec!["?"; dump.columns.len()].join(", ")
        );
        let mut stmt = tx.prepare(&sql)?;
        for (i, row) in dump.rows.iter().enumerate() {
            let values = row
                .iter()
                .map(from_json)
                .collect::<Option<Vec<Value>>>()
                .filter(|v| v.len() == dump.columns.len())
                .ok_or_else(|| invalid(format!("Row {} of the archive's {} is not valid.", i + 1, e.path)))?;
            stmt.execute(params_from_iter(values))
                .map_err(|er| invalid(format!("Row {} of the archive's {} cannot be stored: {er}.", i + 1, e.path)))?;
        }
        summary.tables += 1;
        summary.rows += dump.rows.len() as u64;
        done += e.size;
        if !progress(done, total) {
            return Err(cancelled());
        }
    }
    tx.commit().map_err(|e| invalid(format!("The archive's records do not fit together: {e}.")))?;
    conn.pragma_update(None, "foreign_keys", true)?;
    MIGRATIONS
        .to_latest(&mut conn)
        .map_err(|e| Error::new(ErrorCode::Database, format!("Cannot upgrade the archived workspace: {e}")))?;
    let bad_keys: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))?;
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
    if bad_keys > 0 || integrity != "ok" {
        return Err(invalid("The archive's records do not fit together (a record points to one that is not there)."));
    }
    conn.close().map_err(|(_, e)| Error::from(e))?;
    Ok(summary)
}
