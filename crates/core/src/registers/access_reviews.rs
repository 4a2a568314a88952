//! Access reviews: who looked at which system's accounts, for what period, what they found
//! and changed. Two exported access lists (say, last quarter's and this quarter's) can be
//! compared: accounts added, removed and with a changed role; the difference is kept with
//! the review.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::csvio::RowError;
use crate::error::{Error, Result};
use crate::evidence::{self, Evidence, EvidenceTarget};
use crate::history::{self, HistoryEntry};
use crate::refs::NamedRef;
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::validate::{parse_date, Validator};

string_enum!(
    AccountChangeKind {
        Added = "added" / "Added",
        Removed = "removed" / "Removed",
        RoleChanged = "role_changed" / "Role changed",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccountChange {
    pub username: String,
    pub change: AccountChangeKind,
    pub old_role: String,
    pub new_role: String,
}

/// The difference between two access lists of one system.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, TS)]
#[ts(export)]
pub struct AccessDiff {
    pub previous_accounts: u32,
    pub current_accounts: u32,
    pub unchanged: u32,
    /// Added, removed and re-roled accounts, by username.
    pub changes: Vec<AccountChange>,
    /// Problems in either file; when any, the diff is empty.
    pub errors: Vec<ListError>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ListError {
    /// "previous" or "current".
    pub file: String,
    pub error: RowError,
}

const USER_COLUMNS: [&str; 8] = ["username", "user", "user_name", "login", "email", "account", "user_id", "name"];
const ROLE_COLUMNS: [&str; 6] = ["role", "roles", "group", "groups", "permission", "access_level"];

/// Reads an exported access list: a username column (username, user, login, email, account or
/// name) and an optional role column (role, group, permission, access_level). Usernames are
/// matched ignoring case and surrounding spaces.
fn read_list(bytes: &[u8]) -> std::result::Result<BTreeMap<String, (String, String)>, Vec<RowError>> {
    let text = match std::str::from_utf8(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)) {
        Ok(t) => t,
        Err(_) => {
            return Err(vec![RowError {
                line: 1,
                column: None,
                message: "The file is not UTF-8 text; export it as CSV (UTF-8).".into(),
            }]);
        }
    };
    let delimiter =
        if text.lines().next().is_some_and(|h| h.matches(';').count() > h.matches(',').count()) { b';' } else { b',' };
    let mut reader = csv::ReaderBuilder::new().delimiter(delimiter).flexible(true).from_reader(text.as_bytes());
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_ascii_lowercase().replace([' ', '-'], "_")).collect(),
        Err(e) => {
            return Err(vec![RowError { line: 1, column: None, message: format!("The header cannot be read: {e}") }])
        }
    };
    let find = |names: &[&str]| names.iter().find_map(|n| headers.iter().position(|h| h == n));
    let Some(user_col) = find(&USER_COLUMNS) else {
        return Err(vec![RowError {
            line: 1,
            column: None,
            message: "No username column: name one of the columns username, user, login, email, account or name."
                .into(),
        }]);
    };
    let role_col = find(&ROLE_COLUMNS);
    let mut out = BTreeMap::new();
    let mut errors = Vec::new();
    for (i, record) in reader.records().enumerate() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(i as u64 + 2);
                errors.push(RowError { line, column: None, message: format!("This line cannot be read: {e}") });
                continue;
            }
        };
        // The csv crate's record position can point at blank lines before the record; count
        // the lines up to its first character instead.
        let line = record
            .position()
            .map(|p| {
                let mut at = p.byte() as usize;
                while text.as_bytes().get(at).is_some_and(|b| matches!(b, b'\n' | b'\r')) {
                    at += 1;
                }
                text.get(..at).map_or(0, |before| before.matches('\n').count()) as u64 + 1
            })
            .unwrap_or(i as u64 + 2);
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let user = record.get(user_col).unwrap_or("").trim();
        if user.is_empty() {
            errors.push(RowError {
                line,
                column: Some(headers[user_col].clone()),
                message: "The username is empty.".into(),
            });
            continue;
        }
        let role = role_col.and_then(|c| record.get(c)).unwrap_or("").trim().to_owned();
        let key = user.to_lowercase();
        if out.contains_key(&key) {
            errors.push(RowError {
                line,
                column: Some(headers[user_col].clone()),
                message: format!("{user} is listed twice."),
            });
            continue;
        }
        out.insert(key, (user.to_owned(), role));
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Compares two exported access lists read from where they are (the files the user picked):
/// no copy goes through the page and no size limit applies. A file that cannot be read is an
/// error naming it.
pub fn diff_files(previous: &std::path::Path, current: &std::path::Path) -> Result<AccessDiff> {
    let read = |path: &std::path::Path, which: &str| {
        std::fs::read(path).map_err(|e| {
            Error::new(crate::ErrorCode::Io, format!("The {which} export {} cannot be read: {e}.", path.display()))
        })
    };
    Ok(diff_lists(&read(previous, "previous")?, &read(current, "current")?))
}

/// Compares two exported access lists of the same system.
pub fn diff_lists(previous: &[u8], current: &[u8]) -> AccessDiff {
    let (a, b) = (read_list(previous), read_list(current));
    let mut errors = Vec::new();
    if let Err(e) = &a {
        errors.extend(e.iter().cloned().map(|error| ListError { file: "previous".into(), error }));
    }
    if let Err(e) = &b {
        errors.extend(e.iter().cloned().map(|error| ListError { file: "current".into(), error }));
    }
    let (Ok(a), Ok(b)) = (a, b) else {
        return AccessDiff { errors, ..Default::default() };
    };
    let mut out =
        AccessDiff { previous_accounts: a.len() as u32, current_accounts: b.len() as u32, ..Default::default() };
    for (key, (user, role)) in &b {
        match a.get(key) {
            None => out.changes.push(AccountChange {
                username: user.clone(),
                change: AccountChangeKind::Added,
                old_role: String::new(),
                new_role: role.clone(),
            }),
            Some((_, old)) if !old.eq_ignore_ascii_case(role) => out.changes.push(AccountChange {
                username: user.clone(),
                change: AccountChangeKind::RoleChanged,
                old_role: old.clone(),
                new_role: role.clone(),
            }),
            Some(_) => out.unchanged += 1,
        }
    }
    for (key, (user, role)) in &a {
        if !b.contains_key(key) {
            out.changes.push(AccountChange {
                username: user.clone(),
                change: AccountChangeKind::Removed,
                old_role: role.clone(),
                new_role: String::new(),
            });
        }
    }
    out.changes.sort_by(|x, y| {
        x.change.cmp(&y.change).then_with(|| x.username.to_lowercase().cmp(&y.username.to_lowercase()))
    });
    out
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AccessReview {
    pub id: i64,
    pub system: NamedRef,
    pub reviewer: Option<PersonRef>,
    pub performed_on: NaiveDate,
    pub period_start: Option<NaiveDate>,
    pub period_end: Option<NaiveDate>,
    pub accounts_reviewed: u32,
    pub accounts_changed: u32,
    pub findings: String,
    pub changes: Vec<AccountChange>,
    pub evidence: Vec<Evidence>,
    pub archived: bool,
    pub created_at: String,
    /// Set when it was withdrawn: it is kept, struck through, and counts nowhere.
    pub withdrawn: Option<crate::occurrences::Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccessReviewInput {
    pub system_id: Option<i64>,
    pub reviewer_id: Option<i64>,
    pub performed_on: String,
    pub period_start: String,
    pub period_end: String,
    pub accounts_reviewed: Option<u32>,
    pub accounts_changed: Option<u32>,
    pub findings: String,
    /// The account differences to keep with the review (from `diff_lists`).
    pub changes: Vec<AccountChange>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct AccessReviewDetail {
    pub review: AccessReview,
    pub history: Vec<HistoryEntry>,
}

const SELECT: &str = "
    SELECT a.id, a.system_id, s.name, a.reviewer_id, p.name, a.performed_on, a.period_start, a.period_end,
           a.accounts_reviewed, a.accounts_changed, a.findings, a.archived_at, a.created_at, a.withdrawn_at,
           a.withdrawn_reason
    FROM access_reviews a JOIN systems s ON s.id = a.system_id LEFT JOIN people p ON p.id = a.reviewer_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<AccessReview> {
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(parse_date))
    };
    Ok(AccessReview {
        id: r.get(0)?,
        system: NamedRef { id: r.get(1)?, name: r.get(2)? },
        reviewer: r
            .get::<_, Option<i64>>(3)?
            .zip(r.get::<_, Option<String>>(4)?)
            .map(|(id, name)| PersonRef { id, name }),
        performed_on: date(5)?.unwrap_or_default(),
        period_start: date(6)?,
        period_end: date(7)?,
        accounts_reviewed: r.get(8)?,
        accounts_changed: r.get(9)?,
        findings: r.get(10)?,
        changes: Vec::new(),
        evidence: Vec::new(),
        archived: r.get::<_, Option<String>>(11)?.is_some(),
        created_at: r.get(12)?,
        withdrawn: match r.get::<_, Option<String>>(13)? {
            Some(at) => Some(crate::occurrences::Withdrawal { at, reason: r.get(14)? }),
            None => None,
        },
    })
}

fn complete(conn: &Connection, mut a: AccessReview) -> Result<AccessReview> {
    a.changes = conn
        .prepare_cached(
            "SELECT username, change, old_role, new_role FROM access_review_changes WHERE review_id = ?1
             ORDER BY change, username COLLATE NOCASE",
        )?
        .query_map([a.id], |r| {
            let c: String = r.get(1)?;
            Ok(AccountChange {
                username: r.get(0)?,
                change: AccountChangeKind::parse(&c).unwrap_or(AccountChangeKind::Added),
                old_role: r.get(2)?,
                new_role: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    a.evidence = evidence::for_target(conn, EvidenceTarget::AccessReview(a.id))?;
    Ok(a)
}

/// Access reviews, newest first; optionally of one system.
pub fn list(conn: &Connection, system_id: Option<i64>, include_archived: bool) -> Result<Vec<AccessReview>> {
    let mut args: Vec<rusqlite::types::Value> = vec![include_archived.into()];
    let mut filter = "(?1 OR a.archived_at IS NULL)".to_owned();
    if let Some(s) = system_id {
        args.push(s.into());
        filter.push_str(" AND a.system_id = ?2");
    }
    let mut stmt = conn.prepare_cached(&format!("{SELECT} WHERE {filter} ORDER BY a.performed_on DESC, a.id DESC"))?;
    let rows = stmt.query_map(params_from_iter(args.iter()), from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter().map(|a| complete(conn, a)).collect()
}

pub fn get(conn: &Connection, id: i64) -> Result<AccessReview> {
    let a = conn
        .prepare_cached(&format!("{SELECT} WHERE a.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No access review with id {id}.")))?;
    complete(conn, a)
}

pub fn detail(conn: &Connection, id: i64) -> Result<AccessReviewDetail> {
    Ok(AccessReviewDetail { review: get(conn, id)?, history: history::list(conn, Register::AccessReviews, id)? })
}

/// Records an access review (with its account differences and optional evidence file) in one
/// transaction.
pub fn create(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    attachments: &crate::attachments::Attachments,
    input: &AccessReviewInput,
    file: Option<crate::evidence::Upload<'_>>,
) -> Result<AccessReview> {
    let mut v = Validator::new();
    match input.system_id {
        None => v.add("system_id", "Choose the system that was reviewed."),
        Some(id) => {
            let archived: Option<bool> = tx
                .prepare_cached("SELECT archived_at IS NOT NULL FROM systems WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?;
            match archived {
                None => v.add("system_id", "That system does not exist."),
                Some(true) => v.add("system_id", "That system is archived; restore it first."),
                Some(false) => {}
            }
        }
    }
    v.active_person(tx, "reviewer_id", input.reviewer_id, None, "reviewer")?;
    let on = crate::occurrences::performed_on(&mut v, "a review", &input.performed_on, now)?;
    let start = v.date("period_start", "Period start", &input.period_start);
    let end = v.date("period_end", "Period end", &input.period_end);
    if let (Some(s), Some(e)) = (start, end) {
        if s > e {
            v.add("period_end", "The period cannot end before it starts.");
        }
    }
    let findings = v.optional("findings", "Findings", &input.findings, 20_000);
    let mut seen = std::collections::HashSet::new();
    for c in &input.changes {
        if c.username.trim().is_empty() || !seen.insert(c.username.trim().to_lowercase()) {
            v.add("changes", "The account differences list an empty or repeated username; compare the lists again.");
        }
    }
    v.finish()?;
    let (Some(system_id), Some(on)) = (input.system_id, on) else {
        return Err(Error::internal("validated system and date missing"));
    };
    tx.execute(
        "INSERT INTO access_reviews (system_id, reviewer_id, performed_on, period_start, period_end, accounts_reviewed,
             accounts_changed, findings, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)",
        params![
            system_id,
            input.reviewer_id,
            on.to_string(),
            start.map(|d| d.to_string()),
            end.map(|d| d.to_string()),
            input.accounts_reviewed.unwrap_or(0),
            input.accounts_changed.unwrap_or(0),
            findings,
            stamp(now)
        ],
    )?;
    let id = tx.last_insert_rowid();
    for c in &input.changes {
        tx.prepare_cached(
            "INSERT INTO access_review_changes (review_id, username, change, old_role, new_role) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?
        .execute(params![id, c.username.trim(), c.change.as_str(), c.old_role.trim(), c.new_role.trim()])?;
    }
    history::created(tx, now, Register::AccessReviews, id)?;
    let file = file.map(|u| crate::occurrences::EvidenceFile {
        description: "Access list reviewed",
        ..crate::occurrences::EvidenceFile::from(u)
    });
    crate::occurrences::attach(tx, now, attachments, EvidenceTarget::AccessReview(id), on, input.reviewer_id, file)?;
    get(tx, id)
}

/// An access review as a dated record: corrected or withdrawn like the others. It is its own
/// parent: its history keeps what it said.
pub(crate) const REVIEW: crate::occurrences::OccurrenceKind = crate::occurrences::OccurrenceKind {
    what: "a review",
    what_plural: "reviews",
    history_field: "review",
    parent: Register::AccessReviews,
    by_field: "reviewer_id",
    evidence_of: Some(EvidenceTarget::AccessReview),
    table: "access_reviews",
    parent_column: "id",
    text_columns: &["accounts_reviewed", "accounts_changed", "findings"],
    describe: |t| {
        let counts = format!("{} accounts reviewed, {} removed or changed", t[0], t[1]);
        if t[2].is_empty() {
            counts
        } else {
            format!("{counts}; {}", t[2])
        }
    },
    date_column: "performed_on",
    date_label: "Performed on",
    person_word: "by",
    withdrawable: true,
};

/// An access review's corrected date, reviewer, counts and findings (the system, the period
/// and the account differences stay as recorded).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AccessReviewCorrection {
    pub performed_on: String,
    pub reviewer_id: Option<i64>,
    pub accounts_reviewed: Option<u32>,
    pub accounts_changed: Option<u32>,
    pub findings: String,
}

/// Corrects access review `id`, with the values before in its history. Returns whether
/// anything changed.
pub fn correct(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &AccessReviewCorrection) -> Result<bool> {
    crate::occurrences::correct(tx, now, &REVIEW, id, (&input.performed_on, input.reviewer_id), |v| {
        let findings = v.optional("findings", "Findings", &input.findings, 20_000);
        // A count left empty or not a number is refused, never read as 0.
        if input.accounts_reviewed.is_none() {
            v.add("accounts_reviewed", "Give the number of accounts reviewed (0 or more).");
        }
        if input.accounts_changed.is_none() {
            v.add("accounts_changed", "Give the number of accounts removed or changed (0 or more).");
        }
        let (reviewed, changed) = (input.accounts_reviewed.unwrap_or(0), input.accounts_changed.unwrap_or(0));
        if changed > reviewed {
            v.add("accounts_changed", "More accounts changed than were reviewed.");
        }
        Ok(vec![i64::from(reviewed).into(), i64::from(changed).into(), findings.into()])
    })
}

record_kind!(AccessReview in AccessReviews, load(conn, id, now) { get(conn, id) }, archive = set_archived);

/// The access reviews CSV columns (documented in docs/csv.md). The account differences a
/// review compared are kept in the app and the archive, not in CSV.
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "system",
        "performed_on",
        "reviewer_email",
        "period_start",
        "period_end",
        "accounts_reviewed",
        "accounts_changed",
        "findings",
        "evidence_files",
        "evidence_reference",
        "evidence_note",
    ],
    required: &["system", "performed_on"],
    aliases: &[("reviewed_on", "performed_on")],
    example: &[
        "GitHub",
        "2026-10-02",
        "ana@example.com",
        "2026-07-01",
        "2026-09-30",
        "14",
        "2",
        "Two accounts of people who left were removed.",
        "",
        "TICKET-812",
        "Ticket with the removals",
    ],
};

/// Access reviews in CSV: each row adds one, with its evidence; a row naming one already
/// recorded (system, date and reviewer) must match it.
pub struct AccessReviewsCsv;

impl crate::csv_import::DatedCsv for AccessReviewsCsv {
    crate::dated_csv! {
        columns: CSV_COLUMNS, table: "access_reviews", target: AccessReview, what: "This review",
        parent: "system" = "systems"."name" via "system_id", missing: "No system is named {}; add it under Systems first.",
        by: "reviewer_email" = "reviewer_id",
        cells: "r.period_start, r.period_end, r.accounts_reviewed, r.accounts_changed, r.findings",
        live: "r.archived_at IS NULL AND r.withdrawn_at IS NULL"
    }

    fn record(r: crate::csv_import::DatedRow<'_, '_, '_>) -> Result<Option<(i64, NaiveDate)>> {
        let input = AccessReviewInput {
            system_id: Some(r.parent_id),
            reviewer_id: r.by,
            performed_on: r.cells.text("performed_on"),
            period_start: r.cells.text("period_start"),
            period_end: r.cells.text("period_end"),
            accounts_reviewed: r.cells.number("accounts_reviewed"),
            accounts_changed: r.cells.number("accounts_changed"),
            findings: r.cells.text("findings"),
            changes: Vec::new(),
        };
        let a = create(r.tx, r.now, &crate::attachments::Attachments::default(), &input, None)?;
        Ok(Some((a.id, a.performed_on)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_compare_ignoring_case_and_spaces_and_catch_role_changes() {
        let q3 = "username,role\nalice@acme.test,admin\n Bob@Acme.test ,developer\ncarol@acme.test,support\n";
        let q4 = "\u{feff}Email;Group\nALICE@acme.test;Admin\nbob@acme.test;admin\ndave@acme.test;support\n";
        let d = diff_lists(q3.as_bytes(), q4.as_bytes());
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!((d.previous_accounts, d.current_accounts, d.unchanged), (3, 3, 1));
        let summary: Vec<_> = d
            .changes
            .iter()
            .map(|c| (c.change, c.username.as_str(), c.old_role.as_str(), c.new_role.as_str()))
            .collect();
        assert_eq!(
            summary,
            [
                (AccountChangeKind::Added, "dave@acme.test", "", "support"),
                (AccountChangeKind::Removed, "carol@acme.test", "support", ""),
                (AccountChangeKind::RoleChanged, "bob@acme.test", "developer", "admin"),
            ]
        );
    }

    #[test]
    fn bad_lists_are_reported_per_file_and_line() {
        let d = diff_lists(b"id,team\n1,x\n", b"user\nann\n\nANN\n");
        assert!(d.changes.is_empty());
        let at: Vec<_> = d.errors.iter().map(|e| (e.file.as_str(), e.error.line)).collect();
        assert_eq!(at, [("previous", 1), ("current", 4)], "{:?}", d.errors);
        assert!(d.errors[1].error.message.contains("listed twice"));
        let d = diff_lists(&[0xff, 0xfe], b"user\nann\n");
        assert_eq!(d.errors[0].file, "previous");
    }
}
