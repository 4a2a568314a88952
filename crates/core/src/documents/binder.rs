//! The auditor's binder: one zip with what fieldwork asks for, for a date range.
//!
//! - `evidence/…`: every evidence file in force in the range, under its original name.
//!   A control's files sit in `evidence/controls/<reference>/<period>/`, using the control's
//!   periods as the readiness checks judge them. Other records' files sit in
//!   `evidence/<register>/<record>/<date>/`. The same file (by SHA-256) is stored once; the
//!   manifest's `same_as` lists the other places it belongs.
//! - `populations/*.csv`: the lists auditors sample from (people who joined and who left,
//!   changes, incidents, access reviews, training completions, policy approvals and
//!   acknowledgements in the range; vendors and systems as they stand). They have the same
//!   columns as the register files (docs/csv.md).
//! - `manifest.json`: the range, the app version, and every entry with its size and SHA-256.
//!   [`verify`] checks a binder against it.
//!
//! - `index.pdf`: the cover and scope, the controls with their criteria, each control's
//!   periods with their evidence files (short SHA-256), exceptions with management responses,
//!   missing files and the populations.
//!
//! Deterministic: the same workspace and range give the same bytes (sorted entries, fixed
//! times).

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{Read, Write};
use std::path::Path;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;
use zip::ZipArchive;

use crate::archive::{copy_stored, hex, options, write_zip, zip_io, Progress};
use crate::error::{Error, ErrorCode, Result};
use crate::outputs::{why, Protected};
use crate::refs::{Population, Register};

pub const FORMAT: &str = "readyroom-binder";
pub const FORMAT_VERSION: u32 = 1;
const MANIFEST: &str = "manifest.json";
const INDEX: &str = "index.pdf";

/// What a binder holds, as its manifest says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BinderManifest {
    pub format: String,
    pub format_version: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub app_version: String,
    /// The workspace it was written from (its id never changes, and an archive keeps it).
    pub workspace_id: String,
    /// Every other entry, in path order.
    pub entries: Vec<crate::archive::Entry>,
    /// Places an evidence file belongs that hold no copy: the same file is at `stored_at`.
    pub same_as: Vec<SameAs>,
    /// Evidence files the workspace records but could not supply (written only when allowed).
    pub missing: Vec<String>,
    /// Whether the binder itself is encrypted: never, it is a plain zip made to be handed to
    /// the auditor.
    #[serde(default)]
    pub encrypted: bool,
    /// Whether the workspace it was written from is encrypted (then the binder is a plain copy
    /// of what was protected, to be kept as carefully).
    #[serde(default)]
    pub workspace_encrypted: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SameAs {
    pub path: String,
    pub stored_at: String,
}

/// What writing a binder did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BinderSummary {
    pub path: String,
    pub evidence_files: u32,
    pub evidence_bytes: u64,
    pub populations: u32,
    /// Evidence files that could not be supplied (the binder lists them).
    pub missing: Vec<String>,
    /// The range reaches outside the observation window.
    pub outside_window: bool,
}

/// What checking a binder against its manifest found.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
#[ts(export)]
pub struct VerifyReport {
    pub entries: u32,
    /// Listed in the manifest but not in the zip.
    pub missing: Vec<String>,
    /// In the zip but not in the manifest.
    pub extra: Vec<String>,
    /// Present, but not the size or SHA-256 the manifest records.
    pub changed: Vec<String>,
}

impl VerifyReport {
    pub fn ok(&self) -> bool {
        self.missing.is_empty() && self.extra.is_empty() && self.changed.is_empty()
    }
}

/// One evidence file of the range, and the folder it goes in.
struct Item {
    folder: String,
    file_name: String,
    sha256: String,
    size: u64,
}

/// A path segment from a name: no separators, no leading dots, never empty.
fn segment(name: &str) -> String {
    let s: String =
        name.trim()
            .chars()
            .map(|c| {
                if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                    '-'
                } else {
                    c
                }
            })
            .collect();
    let s = s.trim_start_matches('.').trim().to_owned();
    if s.is_empty() {
        "unnamed".into()
    } else {
        s
    }
}

/// Every evidence file (not removed, and not of a withdrawn record) effective in the range,
/// with its folder.
fn evidence_items(conn: &Connection, from: NaiveDate, to: NaiveDate) -> Result<Vec<Item>> {
    // The controls' periods, as the checks judge them on the last day of the range.
    let mut periods: HashMap<String, Vec<crate::readiness::periods::Period>> = HashMap::new();
    for t in crate::readiness::controls::timelines(conn, to)? {
        periods.insert(t.control.reference.clone(), t.periods.iter().map(|p| p.period).collect());
    }
    // Policies' files go with the policy (policies/), not here.
    let sql = crate::evidence::counted_owners_query(
        "{kind}, {owner}, e.effective_date, e.file_name, e.sha256, e.size",
        "e.sha256 IS NOT NULL AND e.removed_at IS NULL AND e.effective_date BETWEEN ?1 AND ?2 AND e.policy_id IS NULL",
    );
    let rows: Vec<(String, String, String, String, String, i64)> =
        crate::store::tuples(conn, &sql, [from.to_string(), to.to_string()])?;
    let mut items = Vec::with_capacity(rows.len());
    for (kind, owner, on, file_name, sha256, size) in rows {
        let date = crate::validate::parse_date(&on);
        let when = match (kind.as_str(), date) {
            ("controls", Some(d)) => periods
                .get(&owner)
                .and_then(|ps| ps.iter().find(|p| p.contains(d)))
                .map(|p| format!("{}_{}", p.start, p.end))
                .unwrap_or_else(|| on.clone()),
            _ => on.clone(),
        };
        items.push(Item {
            folder: format!("evidence/{kind}/{}/{when}", segment(&owner)),
            file_name: segment(&file_name),
            sha256,
            size: u64::try_from(size).unwrap_or(0),
        });
    }
    Ok(items)
}

/// A register's file cut to the rows `keep` accepts (it is given a row's cell in `column`).
fn cut(conn: &Connection, register: Register, column: &str, keep: impl Fn(&str) -> bool) -> Result<Vec<u8>> {
    let text = crate::registers::export_csv(conn, register)?;
    let mut reader = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| Error::internal(format!("reading an export: {e}")))?.clone();
    let at = header.iter().position(|h| h == column).ok_or_else(|| Error::internal(format!("no column {column}")))?;
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| Error::internal(format!("reading an export: {e}")))?;
        if keep(crate::csvio::unguard_formula(record.get(at).unwrap_or(""))) {
            rows.push(record.iter().map(|c| crate::csvio::unguard_formula(c).to_owned()).collect());
        }
    }
    let header: Vec<&str> = header.iter().collect();
    Ok(crate::csvio::write(&header, rows)?.into_bytes())
}

/// A population's file: its register's rows whose date (or moment starting with one) falls
/// in the range, or every row for a register as it stands.
fn population(conn: &Connection, p: Population, from: NaiveDate, to: NaiveDate) -> Result<Vec<u8>> {
    let (register, column) = p.source();
    let Some(column) = column else { return Ok(crate::registers::export_csv(conn, register)?.into_bytes()) };
    cut(conn, register, column, |v| {
        v.get(..10).and_then(crate::validate::parse_date).is_some_and(|d| from <= d && d <= to)
    })
}

/// A policy in force in the range: the version approved last by the range's last day.
struct PolicyInForce {
    id: i64,
    title: String,
    folder: String,
    version: String,
    approved_on: NaiveDate,
}

/// Each policy with an approval on or before the last day of the range, by title (an archived
/// policy too: it was in force then).
fn policies_in_force(conn: &Connection, to: NaiveDate) -> Result<Vec<PolicyInForce>> {
    let rows: Vec<(i64, String, String, String)> = crate::store::tuples(
        conn,
        "SELECT p.id, p.title, a.version, a.approved_on FROM policies p
         JOIN policy_approvals a ON a.policy_id = p.id
         WHERE a.approved_on = (SELECT max(b.approved_on) FROM policy_approvals b
                                WHERE b.policy_id = p.id AND b.approved_on <= ?1)
         ORDER BY p.title COLLATE NOCASE, a.id DESC",
        [to.to_string()],
    )?;
    let mut out: Vec<PolicyInForce> = Vec::new();
    for (id, title, version, on) in rows {
        if out.last().is_some_and(|p| p.id == id) {
            continue;
        }
        let Some(approved_on) = crate::validate::parse_date(&on) else { continue };
        out.push(PolicyInForce { id, folder: format!("policies/{}", segment(&title)), title, version, approved_on });
    }
    Ok(out)
}

/// A policy's files (its documents on record, effective by the last day of the range).
fn policy_items(conn: &Connection, policies: &[PolicyInForce], to: NaiveDate) -> Result<Vec<Item>> {
    let mut items = Vec::new();
    for p in policies {
        for e in crate::evidence::for_policy(conn, p.id)? {
            if let (Some(sha256), None, true) = (e.sha256, e.removed_at.as_ref(), e.effective_date <= to) {
                items.push(Item {
                    folder: p.folder.clone(),
                    file_name: segment(&e.file_name),
                    sha256,
                    size: u64::try_from(e.size).unwrap_or(0),
                });
            }
        }
    }
    Ok(items)
}

/// The requests on the list (not archived), with what answers them.
fn requests(conn: &Connection) -> Result<Vec<crate::requests::RequestDetail>> {
    crate::requests::list(conn, false)?.into_iter().map(|r| crate::requests::detail(conn, r.id)).collect()
}

/// The evidence files linked to each request, filed under `requests/<request id>/`.
fn request_items(requests: &[crate::requests::RequestDetail]) -> Vec<Item> {
    let mut items = Vec::new();
    for r in requests {
        for e in &r.evidence {
            if let (Some(sha256), None) = (&e.evidence.sha256, &e.evidence.removed_at) {
                items.push(Item {
                    folder: format!("requests/{}", segment(&r.request.reference)),
                    file_name: segment(&e.evidence.file_name),
                    sha256: sha256.clone(),
                    size: u64::try_from(e.evidence.size).unwrap_or(0),
                });
            }
        }
    }
    items
}

/// `requests/<request id>/request.csv`: what answers the request and where it is in the binder.
fn request_sheet(
    r: &crate::requests::RequestDetail,
    placed: &BTreeMap<String, (String, u64)>,
    stored: &BTreeMap<String, String>,
    policies: &[PolicyInForce],
) -> Result<Vec<u8>> {
    let folder = format!("requests/{}/", segment(&r.request.reference));
    let mut rows: Vec<Vec<String>> = Vec::new();
    for c in &r.request.controls {
        rows.push(vec![
            "control".into(),
            c.name.clone(),
            format!("evidence/controls/{}/", segment(&c.name)),
            String::new(),
            String::new(),
        ]);
    }
    for e in &r.evidence {
        let ev = &e.evidence;
        let (name, path) = match &ev.sha256 {
            Some(sha) => {
                let here = placed
                    .iter()
                    .find(|(p, (s, _))| p.starts_with(&folder) && s == sha)
                    .map(|(p, _)| p.clone())
                    .unwrap_or_default();
                // Stored once: the copy may be elsewhere in the binder.
                (ev.file_name.clone(), stored.get(sha).cloned().unwrap_or(here))
            }
            None => (ev.reference.clone(), "kept elsewhere (a reference)".into()),
        };
        rows.push(vec![
            format!("evidence of {}", e.owner),
            name,
            path,
            ev.effective_date.to_string(),
            ev.sha256.clone().unwrap_or_default(),
        ]);
    }
    for p in &r.policies {
        let path = policies
            .iter()
            .find(|f| f.id == p.id)
            .map(|f| format!("{}/", f.folder))
            .unwrap_or_else(|| "not in force in the range".into());
        rows.push(vec!["policy".into(), p.name.clone(), path, String::new(), String::new()]);
    }
    for p in &r.populations {
        rows.push(vec!["population".into(), p.label().into(), p.path(), String::new(), String::new()]);
    }
    Ok(crate::csvio::write(&["answered_by", "item", "in_binder", "effective_date", "sha256"], rows)?.into_bytes())
}

/// Writes the binder of the range to `out` (which may not be the workspace or one of its
/// files). Evidence files that are missing from the attachment folder stop it, unless
/// `allow_missing` (they are then listed in the manifest).
#[allow(clippy::too_many_arguments)]
pub fn export(
    conn: &Connection,
    protected: &Protected,
    out: &Path,
    (from, to): (NaiveDate, NaiveDate),
    app_version: &str,
    allow_missing: bool,
    progress: Progress<'_>,
) -> Result<BinderSummary> {
    if from > to {
        return Err(Error::field("from", "The range must start before it ends."));
    }
    let attachments = protected.attachments();
    let workspace_id = crate::settings::workspace_id(conn)?;
    // Where each evidence file goes: the first place (in path order) keeps the copy.
    let policies = policies_in_force(conn, to)?;
    let requests = requests(conn)?;
    let mut items = evidence_items(conn, from, to)?;
    items.extend(policy_items(conn, &policies, to)?);
    items.extend(request_items(&requests));
    let mut placed: BTreeMap<String, (String, u64)> = BTreeMap::new();
    for item in items {
        let mut path = format!("{}/{}", item.folder, item.file_name);
        let mut n = 2;
        while placed.get(&path).is_some_and(|(sha, _)| *sha != item.sha256) {
            path = format!("{}/({n}) {}", item.folder, item.file_name);
            n += 1;
        }
        placed.insert(path, (item.sha256, item.size));
    }
    let mut stored: BTreeMap<String, String> = BTreeMap::new(); // sha -> path
    let mut same_as = Vec::new();
    let mut missing = Vec::new();
    let mut copies = Vec::new();
    for (path, (sha, size)) in &placed {
        if let Some(first) = stored.get(sha) {
            same_as.push(SameAs { path: path.clone(), stored_at: first.clone() });
            continue;
        }
        if !attachments.join(sha).is_file() {
            missing.push(path.clone());
            continue;
        }
        stored.insert(sha.clone(), path.clone());
        copies.push((path.clone(), sha.clone(), *size));
    }
    if !missing.is_empty() && !allow_missing {
        return Err(Error::new(
            ErrorCode::EvidenceMissing,
            format!(
                "{} evidence file(s) are missing from {}, first {}; restore them, or write the binder with them listed as missing.",
                missing.len(),
                attachments.display(),
                missing[0]
            ),
        ));
    }
    let mut populations = Vec::new();
    for p in Population::ALL {
        populations.push((p.path(), population(conn, *p, from, to)?));
    }
    populations.sort();
    // The other documents: each policy's approvals, the request list and each request's sheet.
    let mut documents = populations.clone();
    for p in &policies {
        let title = p.title.clone();
        documents
            .push((format!("{}/approvals.csv", p.folder), cut(conn, Register::Approvals, "policy", |v| v == title)?));
    }
    if !requests.is_empty() {
        documents.push((
            "requests/request_list.csv".into(),
            crate::registers::export_csv(conn, crate::Register::Requests)?.into_bytes(),
        ));
        for r in &requests {
            documents.push((
                format!("requests/{}/request.csv", segment(&r.request.reference)),
                request_sheet(r, &placed, &stored, &policies)?,
            ));
        }
    }
    documents.sort();
    let workspace_encrypted = attachments.is_sealed();
    let index =
        index_pdf(conn, (from, to), &placed, &missing, &populations, (&policies, &requests), workspace_encrypted)?;
    let window = crate::profile::get(conn)?.and_then(|p| p.window_start.zip(p.window_end));
    let outside_window = window.is_some_and(|(start, end)| from < start || to > end);
    let total: u64 = copies.iter().map(|c| c.2).sum();
    let mut summary = BinderSummary {
        path: String::new(),
        evidence_files: copies.len() as u32,
        evidence_bytes: total,
        populations: populations.len() as u32,
        missing: missing.clone(),
        outside_window,
    };
    let written = write_zip(protected, out, |zip| {
        let mut entries = Vec::new();
        let mut done = 0u64;
        // The evidence files in path order, then the index and the other documents.
        for (path, sha, _) in &copies {
            let altered =
                format!("The evidence file {path} no longer matches its SHA-256; the binder was not written.");
            let source = attachments.join(sha);
            let Some(entry) =
                copy_stored(zip, attachments, (path, &source, sha), (&mut done, total), progress, altered)?
            else {
                return Ok(None);
            };
            entries.push(entry);
        }
        for (path, bytes) in std::iter::once((&INDEX.to_owned(), &index)).chain(documents.iter().map(|(p, b)| (p, b))) {
            zip.start_file(path.as_str(), options()).map_err(zip_io)?;
            zip.write_all(bytes).map_err(|e| Error::new(ErrorCode::Io, why(&e)))?;
            entries.push(crate::archive::Entry {
                path: path.clone(),
                size: bytes.len() as u64,
                sha256: hex(&Sha256::digest(bytes)),
            });
        }
        Ok(Some(BinderManifest {
            format: FORMAT.into(),
            format_version: FORMAT_VERSION,
            from,
            to,
            app_version: app_version.into(),
            workspace_id: workspace_id.clone(),
            entries,
            same_as: same_as.clone(),
            missing: missing.clone(),
            encrypted: false,
            workspace_encrypted,
        }))
    })?;
    summary.path = written.display().to_string();
    Ok(summary)
}

/// Checks a binder against its manifest: every entry listed is present with its size and
/// SHA-256, and nothing else is in the zip.
pub fn verify(path: &Path) -> Result<VerifyReport> {
    let invalid = |m: String| Error::new(ErrorCode::ArchiveInvalid, m);
    let file = File::open(path)
        .map_err(|e| Error::new(ErrorCode::Io, format!("Cannot read {}: {}", path.display(), why(&e))))?;
    let mut zip = ZipArchive::new(file)
        .map_err(|_| invalid(format!("{} is not a complete zip file (cut short while copying?).", path.display())))?;
    let manifest: BinderManifest = {
        let mut f = zip
            .by_name(MANIFEST)
            .map_err(|_| invalid(format!("{} has no manifest.json: it is not a Readyroom binder.", path.display())))?;
        let mut bytes = Vec::new();
        f.read_to_end(&mut bytes).map_err(|_| invalid("The binder's manifest cannot be read.".into()))?;
        serde_json::from_slice(&bytes).map_err(|_| invalid("The binder's manifest is not valid.".into()))?
    };
    if manifest.format != FORMAT {
        return Err(invalid(format!("{} is not a Readyroom binder.", path.display())));
    }
    let names: Vec<String> = zip
        .file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<std::result::Result<Vec<String>, _>>()
        .map_err(|_| invalid("The binder lists an entry whose name cannot be read: the file is damaged.".into()))?
        .into_iter()
        .filter(|n| n != MANIFEST)
        .collect();
    let listed: HashMap<&str, &crate::archive::Entry> = manifest.entries.iter().map(|e| (e.path.as_str(), e)).collect();
    let mut report = VerifyReport { entries: manifest.entries.len() as u32, ..Default::default() };
    for name in &names {
        let Some(entry) = listed.get(name.as_str()) else {
            report.extra.push(name.clone());
            continue;
        };
        let mut f = zip.by_name(name).map_err(zip_io)?;
        let mut hash = Sha256::new();
        let mut size = 0u64;
        let mut buf = vec![0u8; 256 * 1024];
        let readable = loop {
            match f.read(&mut buf) {
                Ok(0) => break true,
                Ok(n) => {
                    hash.update(&buf[..n]);
                    size += n as u64;
                }
                Err(_) => break false,
            }
        };
        if !readable || size != entry.size || hex(&hash.finalize()) != entry.sha256 {
            report.changed.push(name.clone());
        }
    }
    for e in &manifest.entries {
        if !names.contains(&e.path) {
            report.missing.push(e.path.clone());
        }
    }
    Ok(report)
}

/// The range a binder covers, as the user gave it or by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct BinderRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The observation window, when the profile has one (the default range, up to today).
    pub window: Option<crate::readiness::periods::Period>,
}

/// Reads a binder's range: each of `from` and `to` a date (YYYY-MM-DD) or empty for the
/// default, which is the observation window up to `today`, or the twelve months to `today`
/// without one. A bad date, or an end before the start, is a field error.
pub fn range(conn: &Connection, today: NaiveDate, from: &str, to: &str) -> Result<BinderRange> {
    let window = crate::profile::get(conn)?
        .and_then(|p| p.window_start.zip(p.window_end))
        .map(|(start, end)| crate::readiness::periods::Period { start, end });
    let (default_from, default_to) = match window {
        Some(w) if w.start <= today => (w.start, w.end.min(today)),
        _ => (today.checked_sub_months(chrono::Months::new(12)).unwrap_or(today), today),
    };
    let mut v = crate::validate::Validator::new();
    let from = if from.trim().is_empty() { Some(default_from) } else { v.date("from", "From", from) };
    let to = if to.trim().is_empty() { Some(default_to) } else { v.date("to", "To", to) };
    if let (Some(f), Some(t)) = (from, to) {
        if f > t {
            v.add("to", "The range must end on or after its first day.");
        }
    }
    v.finish()?;
    let (Some(from), Some(to)) = (from, to) else { return Err(Error::internal("validated range lost a date")) };
    Ok(BinderRange { from, to, window })
}

/// The paragraph `intro` and then `table`, or the paragraph `empty` when the table has no rows.
fn introduced(empty: &str, intro: &str, table: crate::pdf::Block) -> Vec<crate::pdf::Block> {
    use crate::pdf::Block;
    match &table {
        Block::Table { rows, .. } if !rows.is_empty() => vec![Block::Paragraph(intro.into()), table],
        _ => vec![Block::Paragraph(empty.into())],
    }
}

/// The files placed in `folder` (a path ending in `/`), each "name (first 8 of its SHA-256)".
fn files_in(placed: &BTreeMap<String, (String, u64)>, folder: &str) -> Vec<String> {
    placed
        .iter()
        .filter(|(path, _)| path.starts_with(folder))
        .map(|(path, (sha, _))| format!("{} ({})", &path[folder.len()..], sha.get(..8).unwrap_or(sha)))
        .collect()
}

/// The binder's index (a PDF): what the range covers, the controls and their criteria, each
/// control's periods with their occurrences and evidence files, the exceptions with management
/// responses, what is missing, and the populations. `placed` maps each evidence path to its
/// SHA-256 (every place, copies and references alike).
fn index_pdf(
    conn: &Connection,
    (from, to): (NaiveDate, NaiveDate),
    placed: &BTreeMap<String, (String, u64)>,
    missing: &[String],
    populations: &[(String, Vec<u8>)],
    (policies, requests): (&[PolicyInForce], &[crate::requests::RequestDetail]),
    workspace_encrypted: bool,
) -> Result<Vec<u8>> {
    use crate::pdf::{or_dash, render, Block, DocInfo, Paper};
    let profile = crate::profile::get(conn)?;
    let org =
        profile.as_ref().map(|p| p.name.clone()).filter(|n| !n.is_empty()).unwrap_or_else(|| "Our organisation".into());
    let timelines = crate::readiness::controls::timelines(conn, to)?;
    let mut b = vec![
        Block::Title(format!("Auditor binder: {org}")),
        Block::Subtitle(format!("{from} to {to}")),
        Block::KeyValues(vec![
            ("Audit".into(), super::audit_text(profile.as_ref())),
            ("Categories in scope".into(), super::categories_text(profile.as_ref())),
            ("Evidence".into(), format!("{} in evidence/, each listed below with its SHA-256", super::count(placed.len(), "file", "files"))),
            ("Checking it".into(), "manifest.json lists every entry's size and SHA-256: readyroom binder verify".into()),
            (
                "Encryption".into(),
                if workspace_encrypted {
                    "None: a plain zip for the auditor, copied from an encrypted workspace. Keep and send it as carefully as the evidence in it.".into()
                } else {
                    "None: a plain zip for the auditor.".into()
                },
            ),
        ]),
        Block::Heading("Scope and system description".into()),
        Block::Paragraph(
            profile
                .as_ref()
                .map(|p| p.system_description.trim().to_owned())
                .filter(|d| !d.is_empty())
                .unwrap_or_else(|| "No system description has been written yet (Organization screen).".into()),
        ),
        Block::Heading("Controls and the criteria they meet".into()),
        Block::table(
            &["Control", "Title", "Cadence", "Criteria"],
            &[0.9, 3.0, 1.0, 2.0],
            timelines
                .iter()
                .map(|t| {
                    vec![t.control.reference.clone(), t.control.title.clone(), t.cadence.label().into(), t.criteria.join(" ")]
                })
                .collect(),
        ),
        Block::Heading("Controls by period".into()),
        Block::Paragraph(
            "Each implemented control's periods in the range, as the readiness checks judge them on the last day: the occurrences recorded (the first few), the evidence files filed under that period (with the first 8 characters of their SHA-256) and the evidence kept elsewhere (references).".into(),
        ),
    ];
    // Evidence kept elsewhere (a ticket, a URL) is named in the index: it has no file to file.
    let mut references: HashMap<String, Vec<(NaiveDate, String)>> = HashMap::new();
    let found: Vec<(String, String, String)> = crate::store::tuples(
        conn,
        "SELECT c.reference, e.effective_date, e.reference FROM evidence e
         JOIN control_activities a ON a.id = e.activity_id JOIN controls c ON c.id = a.control_id
         WHERE e.sha256 IS NULL AND e.removed_at IS NULL AND a.withdrawn_at IS NULL
           AND e.effective_date BETWEEN ?1 AND ?2
         ORDER BY c.reference, e.effective_date, e.id",
        [from.to_string(), to.to_string()],
    )?;
    for (control, on, reference) in found {
        if let Some(on) = crate::validate::parse_date(&on) {
            references.entry(control).or_default().push((on, reference));
        }
    }
    let mut rows = Vec::new();
    let mut exceptions = Vec::new();
    for t in &timelines {
        for p in t.periods.iter().filter(|p| p.period.end >= from && p.period.start <= to) {
            let folder =
                format!("evidence/controls/{}/{}_{}/", segment(&t.control.reference), p.period.start, p.period.end);
            let mut files = files_in(placed, &folder);
            if let Some(refs) = references.get(&t.control.reference) {
                files.extend(
                    refs.iter().filter(|(on, _)| p.period.contains(*on)).map(|(_, r)| format!("reference: {r}")),
                );
            }
            // What happened, as the checks counted it (an access review, a training…), first.
            let mut happened: Vec<String> = p
                .occurrences
                .iter()
                .map(|o| format!("{}: {}{}", o.on, o.what, if o.counted { "" } else { " (not counted: no evidence)" }))
                .collect();
            let more = (p.occurrence_count as usize).saturating_sub(p.occurrences.len());
            if more > 0 {
                happened.push(format!("and {more} more"));
            }
            happened.extend(files);
            let files = happened;
            rows.push(vec![
                t.control.reference.clone(),
                p.period.text(),
                p.state.label().into(),
                p.occurrence_count.to_string(),
                if files.is_empty() { "—".into() } else { files.join("; ") },
            ]);
            if p.exception.is_some() {
                let response = p
                    .response
                    .as_ref()
                    .map(|r| r.management_response.clone())
                    .unwrap_or_else(|| "No response recorded yet.".into());
                exceptions.push(vec![t.control.reference.clone(), p.period.text(), p.problem.clone(), response]);
            }
        }
    }
    let headers = ["Control", "Period", "State", "Count", "Occurrences and evidence (files with SHA-256, references)"];
    b.push(Block::table(&headers, &[0.9, 1.9, 0.8, 0.7, 3.3], rows));
    b.push(Block::Heading("Exceptions and management responses".into()));
    let headers = ["Control", "Period", "What was missed", "Management response"];
    b.push(Block::table_or("No period of the range was missed.", &headers, &[0.9, 1.9, 2.6, 2.6], exceptions));
    if !missing.is_empty() {
        b.push(Block::Heading("Evidence files missing".into()));
        b.push(Block::Paragraph("The workspace records these files, but they were not in its attachment folder when the binder was written.".into()));
        b.push(Block::Bullets(missing.to_vec()));
    }
    b.push(Block::Heading("Policies in force".into()));
    let rows = policies
        .iter()
        .map(|p| {
            let files = files_in(placed, &format!("{}/", p.folder));
            let files = if files.is_empty() { "No file on record".into() } else { files.join("; ") };
            vec![p.title.clone(), p.version.clone(), p.approved_on.to_string(), files]
        })
        .collect();
    b.extend(introduced(
        "No policy had been approved by the last day of the range.",
        "Each policy's version in force on the last day of the range, with its files and its approvals (approvals.csv) in policies/<title>/.",
        Block::table(&["Policy", "Version", "Approved on", "Files (SHA-256)"], &[2.4, 0.8, 1.1, 3.2], rows),
    ));
    b.push(Block::Heading("The auditor's requests".into()));
    let rows = requests
        .iter()
        .map(|r| {
            let mut by: Vec<String> = r.request.controls.iter().map(|c| format!("control {}", c.name)).collect();
            by.extend(r.evidence.iter().map(|e| {
                if e.evidence.sha256.is_some() {
                    e.evidence.file_name.clone()
                } else {
                    format!("reference: {}", e.evidence.reference)
                }
            }));
            by.extend(r.policies.iter().map(|p| format!("policy {}", p.name)));
            by.extend(r.populations.iter().map(|p| p.path()));
            let by = if by.is_empty() { "Nothing linked yet".into() } else { by.join("; ") };
            let (due, status) = (or_dash(r.request.due_on), r.request.status.label().into());
            vec![r.request.reference.clone(), r.request.description.clone(), due, status, by]
        })
        .collect();
    b.extend(introduced(
        "No request list has been recorded.",
        "Each request with its status and what answers it; requests/<request id>/request.csv says where each item is in this binder.",
        Block::table(&["Request", "What is asked", "Due", "Status", "Answered by"], &[0.9, 2.8, 1.0, 0.9, 2.6], rows),
    ));
    b.push(Block::Heading("Populations".into()));
    b.push(Block::Bullets(
        populations
            .iter()
            .map(|(path, bytes)| {
                let rows = csv::Reader::from_reader(bytes.as_slice()).records().count();
                format!("{path}: {rows} row(s)")
            })
            .collect(),
    ));
    let info = DocInfo {
        title: format!("Auditor binder: {org}"),
        author: org.clone(),
        subject: format!("Evidence and populations, {from} to {to}"),
        date: to,
    };
    render(&info, Paper::A4, &format!("{org} · auditor binder {from} to {to} · confidential"), &b)
}
