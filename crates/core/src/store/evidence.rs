//! Evidence: files attached to control activities and policies. The bytes are copied into the
//! workspace's attachment folder under their SHA-256, so identical files are stored once and
//! any later change to a file is detected. The effective date is when the activity happened,
//! never the upload date.

use std::fs;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, ErrorCode, Result};
use crate::refs::PersonRef;
use crate::store::attachments::Attachments;
use crate::validate::{parse_date, Validator};

/// The largest file accepted as evidence.
pub const MAX_BYTES: usize = 50 * 1024 * 1024;

/// What a file is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[ts(export)]
pub enum EvidenceTarget {
    Activity(i64),
    Policy(i64),
    VendorAssessment(i64),
    Soc2Report(i64),
    AccessReview(i64),
    LogReview(i64),
    TrainingCompletion(i64),
    Disposal(i64),
}

impl EvidenceTarget {
    /// The table of the record and the evidence column that points at it.
    fn table_and_column(self) -> (&'static str, &'static str, i64) {
        match self {
            EvidenceTarget::Activity(id) => ("control_activities", "activity_id", id),
            EvidenceTarget::Policy(id) => ("policies", "policy_id", id),
            EvidenceTarget::VendorAssessment(id) => ("vendor_assessments", "vendor_assessment_id", id),
            EvidenceTarget::Soc2Report(id) => ("soc2_reports", "soc2_report_id", id),
            EvidenceTarget::AccessReview(id) => ("access_reviews", "access_review_id", id),
            EvidenceTarget::LogReview(id) => ("log_reviews", "log_review_id", id),
            EvidenceTarget::TrainingCompletion(id) => ("training_completions", "training_completion_id", id),
            EvidenceTarget::Disposal(id) => ("disposals", "disposal_id", id),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct EvidenceInput {
    pub file_name: String,
    /// When the activity the file proves happened (YYYY-MM-DD).
    pub effective_date: String,
    /// Optional: when the evidence stops counting (YYYY-MM-DD).
    pub expires_on: String,
    pub added_by: Option<i64>,
    pub description: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Evidence {
    pub id: i64,
    /// A file's SHA-256; none for a reference.
    pub sha256: Option<String>,
    pub file_name: String,
    /// Where the evidence is when it is not a file (a URL, a ticket or document id).
    pub reference: String,
    pub size: i64,
    pub effective_date: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub added_by: Option<PersonRef>,
    pub description: String,
    pub activity_id: Option<i64>,
    pub policy_id: Option<i64>,
    pub created_at: String,
    /// Withdrawn (it stays on record, but no longer counts): when and why.
    pub removed_at: Option<String>,
    pub removed_reason: String,
}

/// Evidence kept elsewhere: where it is, and a note on what it shows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ReferenceInput {
    /// A URL, or a ticket or document id.
    pub reference: String,
    /// What it shows.
    pub description: String,
    /// When the activity it proves happened (YYYY-MM-DD).
    pub effective_date: String,
    pub expires_on: String,
    pub added_by: Option<i64>,
}

/// A stored evidence file that is no longer what was recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct EvidenceProblem {
    pub evidence: Evidence,
    /// `evidence_missing` or `evidence_altered`.
    pub code: ErrorCode,
    pub message: String,
}

const SELECT: &str = "
    SELECT e.id, e.sha256, e.file_name, e.size, e.effective_date, e.expires_on, e.added_by, p.name, e.description,
           e.activity_id, e.policy_id, e.created_at, e.reference, e.removed_at, e.removed_reason
    FROM evidence e LEFT JOIN people p ON p.id = e.added_by";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Evidence> {
    let added_by = match (r.get::<_, Option<i64>>(6)?, r.get::<_, Option<String>>(7)?) {
        (Some(id), Some(name)) => Some(PersonRef { id, name }),
        _ => None,
    };
    Ok(Evidence {
        id: r.get(0)?,
        sha256: r.get(1)?,
        file_name: r.get(2)?,
        size: r.get(3)?,
        effective_date: parse_date(&r.get::<_, String>(4)?).unwrap_or(NaiveDate::MIN),
        expires_on: r.get::<_, Option<String>>(5)?.as_deref().and_then(parse_date),
        added_by,
        description: r.get(8)?,
        activity_id: r.get(9)?,
        policy_id: r.get(10)?,
        created_at: r.get(11)?,
        reference: r.get(12)?,
        removed_at: r.get(13)?,
        removed_reason: r.get(14)?,
    })
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether `s` is a SHA-256 as the store names files: exactly 64 lowercase hex digits. Only
/// such a string is ever joined to the attachment folder (the database checks it too).
pub fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The stored file for `hash`, refusing anything that is not a well-formed hash.
fn stored_path(dir: &Path, hash: &str) -> Result<PathBuf> {
    if !is_sha256_hex(hash) {
        return Err(Error::new(
            ErrorCode::EvidenceAltered,
            "An evidence record holds a malformed SHA-256, so its file was not looked up. The record needs attaching again.",
        ));
    }
    Ok(dir.join(hash))
}

static PART_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Stores `bytes` in `dir` under their SHA-256 unless that file is already there. The bytes
/// go to a temporary file created exclusively (so a planted file or link is never written
/// through) and then renamed into place (so a crash never leaves a half-written file under a
/// hash). A link or a wrong file found under the hash is replaced, never followed.
/// In an encrypted workspace the file is sealed (see [`Attachments`]).
pub fn store(dir: &Attachments, bytes: &[u8]) -> Result<String> {
    let hash = sha256_hex(bytes);
    let target = stored_path(dir, &hash)?;
    if stored_hash(dir, &target, &hash, bytes.len() as i64)?.is_some_and(|stored| stored == hash) {
        return Ok(hash);
    }
    let sealed = dir.seal(&hash, bytes)?;
    let (tmp, mut f) = part_file(dir, &hash)?;
    let written = f.write_all(&sealed).and_then(|()| f.sync_all()).and_then(|()| fs::rename(&tmp, &target));
    if let Err(e) = written {
        let _ = fs::remove_file(&tmp);
        return Err(Error::new(ErrorCode::Io, format!("Cannot store the file in {}: {e}", dir.display())));
    }
    Ok(hash)
}

/// A new temporary file in the attachment folder for the file named `hash`, created
/// exclusively (a planted file or link is never written through).
fn part_file(dir: &Attachments, hash: &str) -> Result<(PathBuf, fs::File)> {
    fs::create_dir_all(dir).map_err(|e| {
        Error::new(ErrorCode::Io, format!("Cannot create the attachment folder {}: {e}", dir.display()))
    })?;
    loop {
        let n = PART_COUNTER.fetch_add(1, Ordering::Relaxed);
        let tmp = dir.join(format!(".{hash}.{}-{n}.part", std::process::id()));
        match fs::OpenOptions::new().write(true).create_new(true).open(&tmp) {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(Error::new(ErrorCode::Io, format!("Cannot write {}: {e}", tmp.display()))),
        }
    }
}

/// A file copied into the attachment folder by [`store_path`] before the record it belongs
/// to is written: its content's SHA-256 and size.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredFile {
    pub sha256: String,
    pub size: u64,
}

/// An evidence file's content: bytes in memory (a small file from a form or a CSV row), or a
/// file [`store_path`] already copied in.
#[derive(Debug, Clone, Copy)]
pub enum Content<'a> {
    Bytes(&'a [u8]),
    Stored(&'a StoredFile),
}

/// A file to attach with a dated record: its name and its content.
#[derive(Debug, Clone, Copy)]
pub struct Upload<'a> {
    pub name: &'a str,
    pub content: Content<'a>,
}

impl<'a> Upload<'a> {
    pub fn bytes(name: &'a str, bytes: &'a [u8]) -> Self {
        Self { name, content: Content::Bytes(bytes) }
    }

    pub fn stored(name: &'a str, file: &'a StoredFile) -> Self {
        Self { name, content: Content::Stored(file) }
    }
}

/// Reads a file while hashing it and telling `progress` how far it has come (from `base`,
/// out of `total`); it stops with an error when `progress` says to.
struct Watched<'p, R> {
    inner: R,
    hasher: Sha256,
    done: u64,
    total: u64,
    progress: &'p mut dyn FnMut(u64, u64) -> bool,
    /// Set when `progress` said to stop.
    stopped: bool,
}

impl<'p, R> Watched<'p, R> {
    fn new(inner: R, (done, total): (u64, u64), progress: &'p mut dyn FnMut(u64, u64) -> bool) -> Self {
        Self { inner, hasher: Sha256::new(), done, total, progress, stopped: false }
    }
}

impl<R: Read> Read for Watched<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.done += n as u64;
        if !(self.progress)(self.done, self.total) {
            self.stopped = true;
            return Err(std::io::Error::other("cancelled"));
        }
        Ok(n)
    }
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The name and size of the file at `source`, as a picked evidence file shows them; a file
/// that cannot be read is refused on the `file_name` field.
pub fn describe_path(source: &Path) -> Result<(String, u64)> {
    let meta = fs::metadata(source)
        .map_err(|e| Error::field("file_name", format!("Cannot read {}: {e}", source.display())))?;
    let name = source.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    Ok((name, meta.len()))
}

/// Copies the file at `source` into the attachment folder under the SHA-256 of its content
/// (sealed in an encrypted workspace), reading it as a stream: hashed on a first pass, copied
/// and hashed again on a second, so a file of any size never sits in memory and a file that
/// changes while it is copied is refused. `progress(done, total)` hears of both passes (the
/// total is twice the size) and stops the copy, leaving nothing behind, when it returns false.
/// There is no size limit. The record it belongs to is written afterwards, with
/// [`Content::Stored`].
pub fn store_path(dir: &Attachments, source: &Path, progress: &mut dyn FnMut(u64, u64) -> bool) -> Result<StoredFile> {
    let unreadable = |e: std::io::Error| Error::field("file_name", format!("Cannot read {}: {e}", source.display()));
    let cancelled = || Error::new(ErrorCode::Cancelled, "Cancelled; the file was not kept.");
    let meta = fs::metadata(source).map_err(unreadable)?;
    if !meta.is_file() {
        return Err(Error::field("file_name", format!("{} is not a file.", source.display())));
    }
    let size = meta.len();
    if size == 0 {
        return Err(Error::field("file_name", "The file is empty."));
    }
    let total = size.saturating_mul(2);
    let file = fs::File::open(source).map_err(unreadable)?;
    let mut first = Watched::new(file, (0, total), &mut *progress);
    let read = std::io::copy(&mut first, &mut std::io::sink());
    if first.stopped {
        return Err(cancelled());
    }
    let read = read.map_err(unreadable)?;
    let sha256 = hex(&first.hasher.finalize());
    if read != size {
        return Err(Error::field("file_name", "The file changed while it was read; choose it again."));
    }
    let target = stored_path(dir, &sha256)?;
    if stored_hash(dir, &target, &sha256, size as i64)?.is_some_and(|stored| stored == sha256) {
        progress(total, total);
        return Ok(StoredFile { sha256, size });
    }
    let (tmp, mut out) = part_file(dir, &sha256)?;
    let file = fs::File::open(source).map_err(unreadable)?;
    let mut second = Watched::new(file, (size, total), &mut *progress);
    let copied = dir.seal_stream(&sha256, &mut second, size, &mut out);
    let stopped = second.stopped;
    let same = hex(&second.hasher.finalize()) == sha256;
    let kept = match copied {
        _ if stopped => Err(cancelled()),
        Err(e) => Err(e),
        Ok(()) if !same => Err(Error::field("file_name", "The file changed while it was copied; choose it again.")),
        Ok(()) => out
            .sync_all()
            .and_then(|()| fs::rename(&tmp, &target))
            .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot store the file in {}: {e}", dir.display()))),
    };
    if kept.is_err() {
        let _ = fs::remove_file(&tmp);
    }
    kept.map(|()| StoredFile { sha256, size })
}

/// Reads a stored file without following a link and without reading more than one byte
/// past `size` (the size recorded for it): `None` when it is missing or is not a plain file.
fn read_stored(path: &Path, size: u64) -> Result<Option<Vec<u8>>> {
    let mut options = fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NOFOLLOW);
    }
    match fs::symlink_metadata(path) {
        Ok(meta) if !meta.file_type().is_file() => return Ok(None),
        Ok(_) => {}
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(Error::new(ErrorCode::Io, format!("Cannot read {}: {e}", path.display()))),
    }
    let file = match options.open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        // A link swapped in between the check and the open (ELOOP under O_NOFOLLOW).
        Err(e) if e.raw_os_error() == Some(LOOP_ERROR) => return Ok(None),
        Err(e) => return Err(Error::new(ErrorCode::Io, format!("Cannot read {}: {e}", path.display()))),
    };
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0).min(MAX_BYTES) + 1);
    file.take(size.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot read {}: {e}", path.display())))?;
    Ok(Some(bytes))
}

#[cfg(unix)]
const LOOP_ERROR: i32 = libc::ELOOP;
#[cfg(not(unix))]
const LOOP_ERROR: i32 = -1;

/// The content of the stored file `hash` expected to hold `size` bytes (decrypted in an
/// encrypted workspace; a longer file is altered and is not read further), or `None` when it is
/// missing or is not a plain file. A file that does not decrypt reads as altered content.
fn stored_content(dir: &Attachments, path: &Path, hash: &str, size: i64) -> Result<Option<Vec<u8>>> {
    let size = u64::try_from(size).unwrap_or(0);
    match read_stored(path, dir.disk_size(size))? {
        None => Ok(None),
        Some(disk) => match dir.open(hash, disk) {
            Ok(content) => Ok(Some(content)),
            Err(e) if e.code == ErrorCode::EvidenceAltered => Ok(Some(Vec::new())),
            Err(e) => Err(e),
        },
    }
}

/// The SHA-256 of the content of a stored file (see [`stored_content`]).
fn stored_hash(dir: &Attachments, path: &Path, hash: &str, size: i64) -> Result<Option<String>> {
    Ok(stored_content(dir, path, hash, size)?.map(|bytes| sha256_hex(&bytes)))
}

/// Attaches `bytes` in memory as evidence (see [`attach_content`]).
pub fn attach(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    dir: &Attachments,
    target: EvidenceTarget,
    bytes: &[u8],
    input: &EvidenceInput,
) -> Result<Evidence> {
    attach_content(tx, now, dir, target, Content::Bytes(bytes), input)
}

/// Attaches `bytes` as evidence. The file is stored first (content-addressed, so a failed
/// transaction leaves at most an unreferenced copy); the record is written in `tx`.
pub fn attach_content(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    dir: &Attachments,
    target: EvidenceTarget,
    content: Content<'_>,
    input: &EvidenceInput,
) -> Result<Evidence> {
    let mut v = Validator::new();
    let file_name = v.required("file_name", "File name", &input.file_name, 255);
    let size = match content {
        Content::Bytes(bytes) => bytes.len() as u64,
        Content::Stored(file) => file.size,
    };
    match content {
        _ if size == 0 => v.add("file_name", "The file is empty."),
        // Bytes in memory came through a form or a file's row: those stay small. A file copied
        // in by `store_path` has no limit.
        Content::Bytes(_) if size > MAX_BYTES as u64 => {
            v.add("file_name", format!("The file is larger than {} MB.", MAX_BYTES / (1024 * 1024)))
        }
        Content::Stored(file) if !stored_path(dir, &file.sha256)?.is_file() => {
            v.add("file_name", "The copied file is no longer in the workspace; choose it again.")
        }
        _ => {}
    }
    let (effective, expires) = dates(&mut v, now, &input.effective_date, &input.expires_on);
    let description = v.optional("description", "Description", &input.description, 2_000);
    if let Some(by) = input.added_by {
        let exists: bool =
            tx.prepare_cached("SELECT EXISTS (SELECT 1 FROM people WHERE id = ?1)")?.query_row([by], |r| r.get(0))?;
        if !exists {
            v.add("added_by", "That person does not exist.");
        }
    }
    let (column, id) = target_column(tx, target, "file")?;
    v.finish()?;
    let effective = effective.ok_or_else(|| Error::internal("validated effective date missing"))?;
    let hash = match content {
        Content::Bytes(bytes) => store(dir, bytes)?,
        Content::Stored(file) => file.sha256.clone(),
    };
    tx.execute(
        &format!(
            "INSERT INTO evidence (sha256, file_name, size, effective_date, expires_on, added_by, description, {column},
                 created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
        ),
        params![
            hash,
            file_name,
            size as i64,
            effective.to_string(),
            expires.map(|d| d.to_string()),
            input.added_by,
            description,
            id,
            stamp(now),
        ],
    )?;
    get(tx, tx.last_insert_rowid())
}

/// Who owns evidence, for each kind of record it can be attached to: the folder the binder
/// files it under, the words naming the kind, the SQL naming the record, the joins from an
/// evidence row (`e`) to it, and the condition for the record to count (not withdrawn).
pub const OWNERS: &[(&str, &str, &str, &str, &str)] = &[
    (
        "controls",
        "Control",
        "c.reference",
        "JOIN control_activities a ON a.id = e.activity_id JOIN controls c ON c.id = a.control_id",
        "a.withdrawn_at IS NULL",
    ),
    (
        "access-reviews",
        "Access review of",
        "s.name",
        "JOIN access_reviews r ON r.id = e.access_review_id JOIN systems s ON s.id = r.system_id",
        "r.withdrawn_at IS NULL",
    ),
    (
        "log-reviews",
        "Log review of",
        "s.name",
        "JOIN log_reviews r ON r.id = e.log_review_id JOIN systems s ON s.id = r.system_id",
        "r.withdrawn_at IS NULL",
    ),
    (
        "disposals",
        "Disposal of",
        "d.name",
        "JOIN disposals x ON x.id = e.disposal_id JOIN data_types d ON d.id = x.data_type_id",
        "x.withdrawn_at IS NULL",
    ),
    (
        "vendor-assessments",
        "Assessment of",
        "v.name",
        "JOIN vendor_assessments x ON x.id = e.vendor_assessment_id JOIN vendors v ON v.id = x.vendor_id",
        "x.withdrawn_at IS NULL",
    ),
    (
        "vendor-reports",
        "SOC 2 report of",
        "v.name",
        "JOIN soc2_reports x ON x.id = e.soc2_report_id JOIN vendors v ON v.id = x.vendor_id",
        "1 = 1",
    ),
    ("policies", "Policy", "p.title", "JOIN policies p ON p.id = e.policy_id", "1 = 1"),
    (
        "training",
        "Training",
        "k.name",
        "JOIN training_completions x ON x.id = e.training_completion_id JOIN courses k ON k.id = x.course_id",
        "x.withdrawn_at IS NULL",
    ),
];

/// One SELECT per owner kind, joined by UNION ALL: `columns` over `e` and the owner (`{kind}`,
/// `{label}` and `{owner}` are replaced), and `filter` as each one's WHERE clause.
pub fn owners_query(columns: &str, filter: &str) -> String {
    owners_union(columns, filter, false)
}

/// [`owners_query`] over the evidence of records that count: a withdrawn record's files are
/// kept with it but go nowhere else.
pub fn counted_owners_query(columns: &str, filter: &str) -> String {
    owners_union(columns, filter, true)
}

fn owners_union(columns: &str, filter: &str, counted_only: bool) -> String {
    OWNERS
        .iter()
        .map(|(kind, label, owner, join, counts)| {
            let columns = columns
                .replace("{kind}", &format!("'{kind}'"))
                .replace("{label}", &format!("'{label} ' || {owner}"))
                .replace("{owner}", owner);
            let counts = if counted_only { counts } else { "1 = 1" };
            format!("SELECT {columns} FROM evidence e {join} WHERE ({filter}) AND {counts}")
        })
        .collect::<Vec<_>>()
        .join(" UNION ALL ")
}

/// Evidence with the record it belongs to, in words ("Control AC-01").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OwnedEvidence {
    pub evidence: Evidence,
    pub owner: String,
}

/// Names the record evidence belongs to ("Control AC-01", "Access review of GitHub").
pub fn owner_of(conn: &Connection, id: i64) -> Result<String> {
    conn.prepare_cached(&owners_query("{label}", "e.id = ?1"))?
        .query_row([id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No evidence with id {id}.")))
}

/// Evidence still counting (not withdrawn) whose file name, reference, description or owner
/// contains `text`, newest first, at most `limit`.
pub fn find(conn: &Connection, text: &str, limit: u32) -> Result<Vec<OwnedEvidence>> {
    let sql = format!(
        "SELECT id, owner FROM ({}) WHERE ?1 = '' OR owner LIKE ?2 ESCAPE '\\' OR name LIKE ?2 ESCAPE '\\'
         ORDER BY effective_date DESC, id DESC LIMIT ?3",
        owners_query(
            "e.id AS id, {label} AS owner, e.file_name || ' ' || e.reference || ' ' || e.description AS name, e.effective_date AS effective_date",
            "e.removed_at IS NULL"
        )
    );
    let text = text.trim();
    let pattern = format!("%{}%", crate::list::escape_like(text));
    let rows = conn
        .prepare_cached(&sql)?
        .query_map(rusqlite::params![text, pattern, limit], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|(id, owner)| Ok(OwnedEvidence { evidence: get(conn, id)?, owner })).collect()
}

pub fn get(conn: &Connection, id: i64) -> Result<Evidence> {
    conn.prepare_cached(&format!("{SELECT} WHERE e.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No evidence with id {id}.")))
}

/// Records a reference as evidence (a ticket URL, a document id) with a note on what it
/// shows, for evidence that lives elsewhere.
pub fn add_reference(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    target: EvidenceTarget,
    input: &ReferenceInput,
) -> Result<Evidence> {
    let mut v = Validator::new();
    let reference = v.required("reference", "Reference", &input.reference, 2_000);
    let description = v.required("description", "What it shows", &input.description, 2_000);
    let (effective, expires) = dates(&mut v, now, &input.effective_date, &input.expires_on);
    v.active_person(tx, "added_by", input.added_by, None, "person")?;
    let (column, id) = target_column(tx, target, "reference")?;
    v.finish()?;
    let effective = effective.ok_or_else(|| Error::internal("validated effective date missing"))?;
    tx.execute(
        &format!(
            "INSERT INTO evidence (reference, effective_date, expires_on, added_by, description, {column}, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"
        ),
        params![
            reference,
            effective.to_string(),
            expires.map(|d| d.to_string()),
            input.added_by,
            description,
            id,
            stamp(now)
        ],
    )?;
    get(tx, tx.last_insert_rowid())
}

/// Withdraws evidence attached by mistake. It stays on record with the reason (an auditor may
/// have seen it) and no longer counts from this moment; the file is kept.
pub fn withdraw(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, reason: &str) -> Result<Evidence> {
    let e = get(tx, id)?;
    if e.removed_at.is_some() {
        return Err(Error::new(ErrorCode::Conflict, "This evidence was already withdrawn."));
    }
    let mut v = Validator::new();
    let reason = v.required("reason", "Reason", reason, 2_000);
    v.finish()?;
    tx.execute(
        "UPDATE evidence SET removed_at = ?2, removed_reason = ?3 WHERE id = ?1",
        params![id, stamp(now), reason],
    )?;
    get(tx, id)
}

/// Reads evidence's effective date (required, not in the future) and expiry (after it).
fn dates(
    v: &mut Validator,
    now: DateTime<Utc>,
    effective: &str,
    expires: &str,
) -> (Option<NaiveDate>, Option<NaiveDate>) {
    let effective = v.required_date("effective_date", "Effective date", effective);
    if effective.is_some_and(|d| d > now.date_naive()) {
        v.add("effective_date", "Evidence counts from when the activity happened, which cannot be in the future.");
    }
    let expires = v.date("expires_on", "Expires on", expires);
    if let (Some(e), Some(x)) = (effective, expires) {
        if x <= e {
            v.add("expires_on", "Evidence must expire after its effective date.");
        }
    }
    (effective, expires)
}

/// The evidence column naming `target`, and its id, once the record is known to exist
/// (`what` is attached: "file", "reference").
fn target_column(tx: &Transaction<'_>, target: EvidenceTarget, what: &str) -> Result<(&'static str, i64)> {
    let (table, column, id) = target.table_and_column();
    let exists: bool = tx
        .prepare_cached(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?1)"))?
        .query_row([id], |r| r.get(0))?;
    if !exists {
        return Err(Error::not_found(format!("The record to attach the {what} to does not exist.")));
    }
    Ok((column, id))
}

/// The evidence `filter` (SQL after the FROM, with ?1 bound to `id`) finds, newest effective
/// date first.
fn evidence_where(conn: &Connection, filter: &str, id: i64) -> Result<Vec<Evidence>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} {filter} ORDER BY e.effective_date DESC, e.id DESC"))?;
    let rows = stmt.query_map([id], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

/// Evidence attached to the activities of a control that count (a withdrawn activity's files
/// stay with it, out of this list), newest effective date first.
pub fn for_control(conn: &Connection, control_id: i64) -> Result<Vec<Evidence>> {
    evidence_where(
        conn,
        "JOIN control_activities a ON a.id = e.activity_id WHERE a.control_id = ?1 AND a.withdrawn_at IS NULL",
        control_id,
    )
}

/// Evidence attached to one record, newest effective date first.
pub fn for_target(conn: &Connection, target: EvidenceTarget) -> Result<Vec<Evidence>> {
    let (_, column, id) = target.table_and_column();
    evidence_where(conn, &format!("WHERE e.{column} = ?1"), id)
}

/// Evidence of one vendor assessment.
pub fn for_vendor_assessment(conn: &Connection, assessment_id: i64) -> Result<Vec<Evidence>> {
    evidence_where(conn, "WHERE e.vendor_assessment_id = ?1", assessment_id)
}

/// The files of one SOC 2 report (the report itself, bridge letters).
pub fn for_soc2_report(conn: &Connection, report_id: i64) -> Result<Vec<Evidence>> {
    evidence_where(conn, "WHERE e.soc2_report_id = ?1", report_id)
}

pub fn for_policy(conn: &Connection, policy_id: i64) -> Result<Vec<Evidence>> {
    evidence_where(conn, "WHERE e.policy_id = ?1", policy_id)
}

/// The stored file of an evidence record, after checking that it is there and unchanged.
pub fn checked_path(conn: &Connection, dir: &Attachments, id: i64) -> Result<PathBuf> {
    checked(conn, dir, id).map(|(path, _)| path)
}

/// The content of an evidence file, after checking that it is there and unchanged
/// (decrypted in an encrypted workspace).
pub fn checked_content(conn: &Connection, dir: &Attachments, id: i64) -> Result<Vec<u8>> {
    checked(conn, dir, id).map(|(_, content)| content)
}

/// A file of an evidence record to open in another app: the stored file itself in a plain
/// workspace; in an encrypted one, a decrypted copy written to `scratch` under the file's own
/// name (other apps cannot read the sealed file).
pub fn viewable(conn: &Connection, dir: &Attachments, id: i64, scratch: &Path) -> Result<PathBuf> {
    let (path, content) = checked(conn, dir, id)?;
    if !dir.is_sealed() {
        return Ok(path);
    }
    let e = get(conn, id)?;
    let name: String = e.file_name.chars().filter(|c| !matches!(c, '/' | '\\' | '\0') && !c.is_control()).collect();
    let name = if name.trim_matches('.').is_empty() { format!("evidence-{id}") } else { name };
    let folder = scratch.join(format!("evidence-{id}"));
    let io = |e: std::io::Error| {
        Error::new(ErrorCode::Io, format!("Cannot write a copy to open in {}: {e}", folder.display()))
    };
    fs::create_dir_all(&folder).map_err(io)?;
    let copy = folder.join(name);
    fs::write(&copy, content).map_err(io)?;
    Ok(copy)
}

fn checked(conn: &Connection, dir: &Attachments, id: i64) -> Result<(PathBuf, Vec<u8>)> {
    let e = get(conn, id)?;
    let Some(sha256) = e.sha256.as_deref() else {
        return Err(Error::new(
            ErrorCode::Validation,
            format!("This evidence is a reference, not a file: {}", e.reference),
        ));
    };
    let path = stored_path(dir, sha256)?;
    let content = stored_content(dir, &path, sha256, e.size)?;
    match content.as_deref().map(sha256_hex) {
        None => Err(Error::new(
            ErrorCode::EvidenceMissing,
            format!("{} is missing from the attachment folder ({}). Attach it again.", e.file_name, dir.display()),
        )),
        Some(h) if h != sha256 => Err(Error::new(
            ErrorCode::EvidenceAltered,
            format!(
                "{} has been changed since it was attached (its SHA-256 no longer matches). Attach the original again.",
                e.file_name
            ),
        )),
        Some(_) => Ok((path, content.unwrap_or_default())),
    }
}

/// One evidence record per stored file (id, SHA-256): the files a copy of the workspace needs.
pub fn stored_files(conn: &Connection) -> Result<Vec<(i64, String)>> {
    crate::store::tuples(
        conn,
        "SELECT min(id), sha256 FROM evidence WHERE sha256 IS NOT NULL GROUP BY sha256 ORDER BY min(id)",
        [],
    )
}

/// Checks every evidence file and lists those that are missing or altered.
pub fn verify_all(conn: &Connection, dir: &Attachments) -> Result<Vec<EvidenceProblem>> {
    let mut stmt = conn.prepare_cached(&format!("{SELECT} ORDER BY e.id"))?;
    let all = stmt.query_map([], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    let mut problems = Vec::new();
    let mut known: std::collections::HashMap<String, Option<String>> = std::collections::HashMap::new();
    for e in all {
        // References have no file to check.
        let Some(sha256) = e.sha256.clone() else { continue };
        let actual = match known.get(&sha256) {
            Some(h) => h.clone(),
            None => {
                let h = match stored_path(dir, &sha256) {
                    Ok(path) => stored_hash(dir, &path, &sha256, e.size)?,
                    Err(_) => Some(String::new()),
                };
                known.insert(sha256.clone(), h.clone());
                h
            }
        };
        let (code, message) = match actual {
            None => (ErrorCode::EvidenceMissing, format!("{} is missing from the attachment folder.", e.file_name)),
            Some(h) if h != sha256 => {
                (ErrorCode::EvidenceAltered, format!("{} has been changed since it was attached.", e.file_name))
            }
            Some(_) => continue,
        };
        problems.push(EvidenceProblem { evidence: e, code, message });
    }
    Ok(problems)
}
