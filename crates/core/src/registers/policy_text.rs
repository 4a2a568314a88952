//! The text of each policy version, in Markdown: written in the app (or started from the
//! starter template), compared between versions, and frozen once its version is approved
//! (the database refuses to change an approved version's text). Starting a new version copies
//! the text it starts from.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, ErrorCode, Result};
use crate::history::{self, Diff, HistoryAction};
use crate::refs::Register;
use crate::starter::policy_texts;

/// The longest text a policy version may hold (characters): a long policy is about 60,000.
pub const MAX_CHARS: usize = 400_000;

/// One version's text and whether it can still change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PolicyText {
    pub policy_id: i64,
    pub version: String,
    /// Markdown; empty when nothing was written for the version.
    pub body: String,
    /// Approved versions are frozen: their text never changes.
    pub frozen: bool,
    pub words: u32,
}

/// A version of a policy that has text or an approval, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PolicyVersion {
    pub version: String,
    pub approved_on: Option<NaiveDate>,
    /// Whether it is the policy's working version.
    pub working: bool,
    pub words: u32,
}

/// One line of a comparison between two versions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct DiffLine {
    /// "same", "added" (only in the newer version) or "removed" (only in the older).
    pub kind: DiffKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum DiffKind {
    Same,
    Added,
    Removed,
}

pub fn word_count(text: &str) -> u32 {
    u32::try_from(text.split_whitespace().filter(|w| w.chars().any(char::is_alphanumeric)).count()).unwrap_or(u32::MAX)
}

fn working_version(conn: &Connection, policy_id: i64) -> Result<String> {
    conn.prepare_cached("SELECT version FROM policies WHERE id = ?1")?
        .query_row([policy_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No policy with id {policy_id}.")))
}

fn approved(conn: &Connection, policy_id: i64, version: &str) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM policy_approvals WHERE policy_id = ?1 AND version = ?2)")?
        .query_row(params![policy_id, version], |r| r.get(0))?)
}

fn body_of(conn: &Connection, policy_id: i64, version: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT body FROM policy_texts WHERE policy_id = ?1 AND version = ?2")?
        .query_row(params![policy_id, version], |r| r.get(0))
        .optional()?)
}

/// The text of `version` of a policy (by default its working version); an empty body when
/// none was written. A version that neither has text nor was approved is not found.
pub fn get(conn: &Connection, policy_id: i64, version: Option<&str>) -> Result<PolicyText> {
    let working = working_version(conn, policy_id)?;
    let version = version.map(str::trim).filter(|v| !v.is_empty()).unwrap_or(&working).to_owned();
    let body = body_of(conn, policy_id, &version)?;
    let frozen = approved(conn, policy_id, &version)?;
    if body.is_none() && !frozen && version != working {
        return Err(Error::new(ErrorCode::NotFound, format!("This policy has no version {version}.")));
    }
    let body = body.unwrap_or_default();
    Ok(PolicyText { policy_id, words: word_count(&body), version, body, frozen })
}

/// Every version with text or an approval, oldest first (by when it was first written or
/// approved), the working version last unless it was approved earlier.
pub fn versions(conn: &Connection, policy_id: i64) -> Result<Vec<PolicyVersion>> {
    let working = working_version(conn, policy_id)?;
    let mut stmt = conn.prepare_cached(
        "SELECT v.version, (SELECT approved_on FROM policy_approvals a WHERE a.policy_id = ?1 AND a.version = v.version),
                coalesce((SELECT body FROM policy_texts t WHERE t.policy_id = ?1 AND t.version = v.version), '')
         FROM (SELECT version, min(at) AS at FROM (
                 SELECT version, created_at AS at FROM policy_texts WHERE policy_id = ?1
                 UNION ALL SELECT version, created_at FROM policy_approvals WHERE policy_id = ?1
                 UNION ALL SELECT version, '9999' FROM policies WHERE id = ?1)
               GROUP BY version) v
         ORDER BY v.at, v.version",
    )?;
    let rows = stmt.query_map([policy_id], |r| {
        Ok((r.get::<_, String>(0)?, r.get::<_, Option<String>>(1)?, r.get::<_, String>(2)?))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (version, approved_on, body) = row?;
        let approved_on = approved_on.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok());
        out.push(PolicyVersion { working: version == working, words: word_count(&body), version, approved_on });
    }
    Ok(out)
}

/// Writes the working version's text. Refused when that version is approved (start a new
/// version to change it) or when the text is too long; a change is kept in the policy's
/// history (its size before and after: the versions themselves keep the words).
pub fn save(tx: &Transaction<'_>, now: DateTime<Utc>, policy_id: i64, body: &str) -> Result<PolicyText> {
    let version = working_version(tx, policy_id)?;
    if approved(tx, policy_id, &version)? {
        return Err(Error::new(
            ErrorCode::Conflict,
            format!("Version {version} is approved, so its text is frozen. Start a new version to change it."),
        ));
    }
    let body = body.replace("\r\n", "\n");
    if body.chars().count() > MAX_CHARS {
        return Err(Error::field(
            "body",
            format!("The text is longer than {MAX_CHARS} characters; split it or link the full document instead."),
        ));
    }
    let old = body_of(tx, policy_id, &version)?;
    if old.as_deref() == Some(body.as_str()) {
        return get(tx, policy_id, Some(&version));
    }
    tx.execute(
        "INSERT INTO policy_texts (policy_id, version, body, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
         ON CONFLICT (policy_id, version) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at",
        params![policy_id, version, body, stamp(now)],
    )?;
    let size = |t: &str| format!("version {version}, {} words", word_count(t));
    let mut d = Diff::new();
    d.field("text", old.as_deref().map(size), Some(size(&body)));
    history::record(tx, now, Register::Policies, policy_id, HistoryAction::Update, d.into_changes())?;
    get(tx, policy_id, Some(&version))
}

/// Gives a new working version the text of the version it starts from (see
/// `policies::new_version`), so an edit starts from what was approved.
pub(crate) fn carry_over(tx: &Transaction<'_>, now: DateTime<Utc>, policy_id: i64, from: &str, to: &str) -> Result<()> {
    tx.execute(
        "INSERT OR IGNORE INTO policy_texts (policy_id, version, body, created_at, updated_at)
         SELECT policy_id, ?3, body, ?4, ?4 FROM policy_texts WHERE policy_id = ?1 AND version = ?2",
        params![policy_id, from, to, stamp(now)],
    )?;
    Ok(())
}

/// Writes `body` as the text of a policy's working version when it has none yet (starter
/// templates): never replaces what someone wrote.
pub(crate) fn fill_if_empty(tx: &Transaction<'_>, now: DateTime<Utc>, policy_id: i64, body: &str) -> Result<bool> {
    let version = working_version(tx, policy_id)?;
    if body_of(tx, policy_id, &version)?.is_some_and(|b| !b.trim().is_empty()) || approved(tx, policy_id, &version)? {
        return Ok(false);
    }
    save(tx, now, policy_id, body)?;
    Ok(true)
}

/// The starter text for a policy, filled for this workspace (company name, review interval,
/// role titles), when its title is one a template writes.
pub fn template(conn: &Connection, policy_id: i64) -> Result<Option<String>> {
    let title: String = conn
        .prepare_cached("SELECT title FROM policies WHERE id = ?1")?
        .query_row([policy_id], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No policy with id {policy_id}.")))?;
    let Some(t) = policy_texts::for_title(&title) else { return Ok(None) };
    Ok(Some(render_for(conn, t)?))
}

/// A template's body filled for this workspace: its name, the review interval, role titles.
pub(crate) fn render_for(conn: &Connection, t: &policy_texts::Template) -> Result<String> {
    let company = crate::profile::get(conn)?.map(|p| p.name).filter(|n| !n.trim().is_empty());
    let fill = policy_texts::Fill {
        company: company.as_deref().unwrap_or("the company"),
        review_days: crate::settings::check_settings(conn)?.policy_review_days,
    };
    Ok(policy_texts::render(t.body(), &fill))
}

/// The lines of `to` compared with those of `from` (two versions of one policy).
pub fn compare(conn: &Connection, policy_id: i64, from: &str, to: &str) -> Result<Vec<DiffLine>> {
    let a = get(conn, policy_id, Some(from))?;
    let b = get(conn, policy_id, Some(to))?;
    Ok(diff_lines(&a.body, &b.body))
}

/// A line diff (longest common subsequence). Texts too long to compare line by line in
/// reasonable memory are shown as all removed, then all added.
pub fn diff_lines(old: &str, new: &str) -> Vec<DiffLine> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    let line = |kind, text: &str| DiffLine { kind, text: text.to_owned() };
    if a.len().saturating_mul(b.len()) > 25_000_000 {
        return a
            .iter()
            .map(|t| line(DiffKind::Removed, t))
            .chain(b.iter().map(|t| line(DiffKind::Added, t)))
            .collect();
    }
    // lcs[i][j]: the longest common subsequence of a[i..] and b[j..].
    let (n, m) = (a.len(), b.len());
    let mut lcs = vec![0u32; (n + 1) * (m + 1)];
    let at = |i: usize, j: usize| i * (m + 1) + j;
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            lcs[at(i, j)] =
                if a[i] == b[j] { lcs[at(i + 1, j + 1)] + 1 } else { lcs[at(i + 1, j)].max(lcs[at(i, j + 1)]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::with_capacity(n.max(m)));
    while i < n && j < m {
        if a[i] == b[j] {
            out.push(line(DiffKind::Same, a[i]));
            i += 1;
            j += 1;
        } else if lcs[at(i + 1, j)] >= lcs[at(i, j + 1)] {
            out.push(line(DiffKind::Removed, a[i]));
            i += 1;
        } else {
            out.push(line(DiffKind::Added, b[j]));
            j += 1;
        }
    }
    out.extend(a[i..].iter().map(|t| line(DiffKind::Removed, t)));
    out.extend(b[j..].iter().map(|t| line(DiffKind::Added, t)));
    out
}
