//! Systems and assets: what runs the service, who owns it, how it is protected (MFA, roles,
//! encryption, TLS, logging, alerting), its certificates, which data types it holds, and its
//! dated log reviews.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::csv_import::{Applied, Cells};
use crate::csvio::shown;
use crate::error::{Error, Result};
use crate::evidence::{self, Evidence, EvidenceTarget};
use crate::history::{self, Diff, HistoryEntry};
use crate::list::Filter;
use crate::occurrences::{record_with_evidence, written, EvidenceFile, OccurrenceKind};
use crate::record::{self, Editable};
use crate::refs::Criticality;
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::validate::{parse_date, Validator};

/// Days ahead at which a certificate counts as expiring soon.
pub const CERT_WARN_DAYS: u64 = 30;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Certificate {
    pub name: String,
    pub expires_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CertificateStatus {
    pub name: String,
    pub expires_on: NaiveDate,
    /// Expired before the as-of date.
    pub expired: bool,
    /// Expires within 30 days of the as-of date.
    pub expiring_soon: bool,
}

pub use crate::refs::NamedRef;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct System {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub owner: Option<PersonRef>,
    pub criticality: Criticality,
    pub in_scope: bool,
    pub holds_customer_data: bool,
    pub data_types: Vec<NamedRef>,
    pub mfa_enforced: bool,
    pub role_based_access: bool,
    pub shared_accounts: bool,
    pub shared_accounts_reason: String,
    pub encryption_at_rest: bool,
    pub tls_in_transit: bool,
    /// "", "1.0" .. "1.3".
    pub tls_min_version: String,
    pub logs_forwarded: bool,
    pub alerting: bool,
    pub certificates: Vec<CertificateStatus>,
    pub last_log_review: Option<NaiveDate>,
    pub last_access_review: Option<NaiveDate>,
    /// Protections a system like this is expected to have but does not, in words.
    pub gaps: Vec<String>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SystemInput {
    pub name: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub criticality: Criticality,
    pub in_scope: bool,
    pub holds_customer_data: bool,
    pub data_type_ids: Vec<i64>,
    pub mfa_enforced: bool,
    pub role_based_access: bool,
    pub shared_accounts: bool,
    pub shared_accounts_reason: String,
    pub encryption_at_rest: bool,
    pub tls_in_transit: bool,
    pub tls_min_version: String,
    pub logs_forwarded: bool,
    pub alerting: bool,
    pub certificates: Vec<Certificate>,
}

impl Default for SystemInput {
    fn default() -> Self {
        Self {
            name: String::new(),
            description: String::new(),
            owner_id: None,
            criticality: Criticality::Medium,
            in_scope: true,
            holds_customer_data: false,
            data_type_ids: Vec::new(),
            mfa_enforced: false,
            role_based_access: false,
            shared_accounts: false,
            shared_accounts_reason: String::new(),
            encryption_at_rest: false,
            tls_in_transit: false,
            tls_min_version: String::new(),
            logs_forwarded: false,
            alerting: false,
            certificates: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SystemQuery {
    pub search: String,
    pub criticality: Option<Criticality>,
    /// Only systems with at least one gap or certificate problem.
    pub gaps_only: bool,
    pub include_archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct LogReview {
    pub id: i64,
    pub performed_on: NaiveDate,
    pub performed_by: Option<PersonRef>,
    pub notes: String,
    pub evidence: Vec<Evidence>,
    /// Set when it was withdrawn: it is kept, struck through, and counts nowhere.
    pub withdrawn: Option<crate::occurrences::Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct LogReviewInput {
    pub performed_on: String,
    pub performed_by_id: Option<i64>,
    pub notes: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SystemDetail {
    pub system: System,
    pub log_reviews: Vec<LogReview>,
    pub history: Vec<HistoryEntry>,
}

const SELECT: &str = "
    SELECT s.id, s.name, s.description, s.owner_id, p.name, s.criticality, s.in_scope, s.holds_customer_data,
           s.mfa_enforced, s.role_based_access, s.shared_accounts, s.shared_accounts_reason, s.encryption_at_rest,
           s.tls_in_transit, s.tls_min_version, s.logs_forwarded, s.alerting,
           (SELECT max(l.performed_on) FROM log_reviews l WHERE l.system_id = s.id AND l.withdrawn_at IS NULL),
           (SELECT max(a.performed_on) FROM access_reviews a
              WHERE a.system_id = s.id AND a.archived_at IS NULL AND a.withdrawn_at IS NULL),
           s.archived_at, s.created_at, s.updated_at
    FROM systems s LEFT JOIN people p ON p.id = s.owner_id";

fn from_row(r: &Row<'_>) -> rusqlite::Result<System> {
    let id: i64 = r.get(0)?;
    let crit: String = r.get(5)?;
    let criticality = Criticality::parse(&crit).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            5,
            rusqlite::types::Type::Text,
            format!("system {id} holds criticality {crit:?}, which we never write").into(),
        )
    })?;
    Ok(System {
        id,
        name: r.get(1)?,
        description: r.get(2)?,
        owner: r.get::<_, Option<i64>>(3)?.zip(r.get::<_, Option<String>>(4)?).map(|(id, name)| PersonRef { id, name }),
        criticality,
        in_scope: r.get(6)?,
        holds_customer_data: r.get(7)?,
        data_types: Vec::new(),
        mfa_enforced: r.get(8)?,
        role_based_access: r.get(9)?,
        shared_accounts: r.get(10)?,
        shared_accounts_reason: r.get(11)?,
        encryption_at_rest: r.get(12)?,
        tls_in_transit: r.get(13)?,
        tls_min_version: r.get(14)?,
        logs_forwarded: r.get(15)?,
        alerting: r.get(16)?,
        certificates: Vec::new(),
        last_log_review: r.get::<_, Option<String>>(17)?.as_deref().and_then(parse_date),
        last_access_review: r.get::<_, Option<String>>(18)?.as_deref().and_then(parse_date),
        gaps: Vec::new(),
        archived: r.get::<_, Option<String>>(19)?.is_some(),
        created_at: r.get(20)?,
        updated_at: r.get(21)?,
    })
}

/// Fills in certificates, data types and the gaps the readiness checks will look for.
fn complete(conn: &Connection, mut s: System, as_of: NaiveDate) -> Result<System> {
    let soon = as_of.checked_add_days(Days::new(CERT_WARN_DAYS)).unwrap_or(NaiveDate::MAX);
    s.certificates = conn
        .prepare_cached(
            "SELECT name, expires_on FROM system_certificates WHERE system_id = ?1 ORDER BY expires_on, name",
        )?
        .query_map([s.id], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?
        .into_iter()
        .filter_map(|(name, on)| {
            parse_date(&on).map(|expires_on| CertificateStatus {
                name,
                expires_on,
                expired: expires_on < as_of,
                expiring_soon: expires_on >= as_of && expires_on <= soon,
            })
        })
        .collect();
    s.data_types = conn
        .prepare_cached(
            "SELECT d.id, d.name FROM system_data_types sd JOIN data_types d ON d.id = sd.data_type_id
             WHERE sd.system_id = ?1 ORDER BY d.name COLLATE NOCASE",
        )?
        .query_map([s.id], |r| Ok(NamedRef { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    if s.in_scope && !s.archived {
        let key = matches!(s.criticality, Criticality::Critical | Criticality::High);
        if !s.role_based_access {
            s.gaps.push("No role-based access.".into());
        }
        if s.shared_accounts {
            s.gaps.push("Shared accounts in use.".into());
        }
        if key && !s.mfa_enforced {
            s.gaps.push("MFA is not enforced on a critical or high system.".into());
        }
        if s.holds_customer_data && !s.encryption_at_rest {
            s.gaps.push("Customer data is not encrypted at rest.".into());
        }
        if s.holds_customer_data && !s.tls_in_transit {
            s.gaps.push("Customer data travels without TLS.".into());
        }
        if s.tls_in_transit && matches!(s.tls_min_version.as_str(), "1.0" | "1.1") {
            s.gaps.push(format!("TLS {} is still accepted; require 1.2 or later.", s.tls_min_version));
        }
        if key && !s.logs_forwarded {
            s.gaps.push("Logs are not forwarded centrally.".into());
        }
        if key && !s.alerting {
            s.gaps.push("No alerting configured.".into());
        }
        for c in &s.certificates {
            if c.expired {
                s.gaps.push(format!("Certificate {} expired on {}.", c.name, c.expires_on));
            } else if c.expiring_soon {
                s.gaps.push(format!("Certificate {} expires on {}.", c.name, c.expires_on));
            }
        }
    }
    Ok(s)
}

pub fn list(conn: &Connection, q: &SystemQuery, as_of: NaiveDate) -> Result<Vec<System>> {
    let mut f = Filter::new();
    f.archived(q.include_archived, "s")
        .search(&q.search, &["s.name", "s.description"])
        .eq("s.criticality", q.criticality.map(|c| c.as_str().to_owned()));
    let rows = f.all(conn, SELECT, "s.name COLLATE NOCASE, s.id", from_row)?;
    let mut out = Vec::with_capacity(rows.len());
    for s in rows {
        let s = complete(conn, s, as_of)?;
        if !q.gaps_only || !s.gaps.is_empty() {
            out.push(s);
        }
    }
    Ok(out)
}

pub fn get(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<System> {
    let s = conn
        .prepare_cached(&format!("{SELECT} WHERE s.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No system with id {id}.")))?;
    complete(conn, s, as_of)
}

fn log_reviews_of(conn: &Connection, system_id: i64) -> Result<Vec<LogReview>> {
    let sql = "SELECT l.id, l.performed_on, l.performed_by_id, p.name, l.notes, l.created_at, l.withdrawn_at,
        l.withdrawn_reason FROM log_reviews l
        LEFT JOIN people p ON p.id = l.performed_by_id WHERE l.system_id = ?1 ORDER BY l.performed_on DESC, l.id DESC";
    crate::occurrences::dated_rows(conn, sql, system_id, "log review")?
        .into_iter()
        .map(|r| {
            let evidence = evidence::for_target(conn, EvidenceTarget::LogReview(r.id))?;
            Ok(LogReview {
                id: r.id,
                performed_on: r.performed_on,
                performed_by: r.performed_by,
                notes: r.text,
                evidence,
                withdrawn: r.withdrawn,
            })
        })
        .collect()
}

pub fn detail(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<SystemDetail> {
    Ok(SystemDetail {
        system: get(conn, id, as_of)?,
        log_reviews: log_reviews_of(conn, id)?,
        history: history::list(conn, Register::Systems, id)?,
    })
}

pub struct Valid {
    input: SystemInput,
    certificates: Vec<(String, NaiveDate)>,
    data_type_ids: Vec<i64>,
}

fn yes(b: bool) -> Option<String> {
    Some(if b { "yes" } else { "no" }.to_owned())
}

record_kind!(System in Systems, load(conn, id, now) { get(conn, id, now.date_naive()) }, editable(SystemInput), archive = set_archived);

impl Editable for System {
    type Input = SystemInput;
    type Valid = Valid;
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "description",
        "owner_id",
        "criticality",
        "in_scope",
        "holds_customer_data",
        "mfa_enforced",
        "role_based_access",
        "shared_accounts",
        "shared_accounts_reason",
        "encryption_at_rest",
        "tls_in_transit",
        "tls_min_version",
        "logs_forwarded",
        "alerting",
    ];

    fn validate(conn: &Connection, _now: DateTime<Utc>, input: &SystemInput, this: Option<&Self>) -> Result<Valid> {
        let mut v = Validator::new();
        let name = v.unique_name(
            conn,
            "Name",
            &input.name,
            "SELECT id FROM systems WHERE name = ?1",
            this.map(|s| s.id),
            "system",
        )?;
        let description = v.optional("description", "Description", &input.description, 5_000);
        v.active_person(conn, "owner_id", input.owner_id, this.and_then(|s| s.owner.as_ref().map(|o| o.id)), "owner")?;
        let reason = v.optional("shared_accounts_reason", "Why", &input.shared_accounts_reason, 2_000);
        if input.shared_accounts && reason.is_empty() {
            v.add("shared_accounts_reason", "Say why shared accounts exist; the auditor will ask.");
        }
        let tls = input.tls_min_version.trim().to_owned();
        if !["", "1.0", "1.1", "1.2", "1.3"].contains(&tls.as_str()) {
            v.add("tls_min_version", "Choose a TLS version: 1.0, 1.1, 1.2 or 1.3.");
        }
        let mut certificates = Vec::new();
        for (i, c) in input.certificates.iter().enumerate() {
            let field = format!("certificates.{i}");
            let name = c.name.trim();
            if name.is_empty() {
                v.add(&field, "Name the certificate (e.g. its domain), or remove the line.");
            }
            match parse_date(c.expires_on.trim()) {
                Some(d) => certificates.push((name.to_owned(), d)),
                None => v.add(&field, "Give the expiry date as YYYY-MM-DD."),
            }
        }
        let mut data_type_ids = input.data_type_ids.clone();
        data_type_ids.sort_unstable();
        data_type_ids.dedup();
        for id in &data_type_ids {
            let exists: bool = conn
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM data_types WHERE id = ?1)")?
                .query_row([id], |r| r.get(0))?;
            if !exists {
                v.add("data_type_ids", "One of the chosen data types does not exist.");
            }
        }
        v.finish()?;
        Ok(Valid {
            input: SystemInput {
                name,
                description,
                shared_accounts_reason: if input.shared_accounts { reason } else { String::new() },
                tls_min_version: if input.tls_in_transit { tls } else { String::new() },
                ..input.clone()
            },
            certificates,
            data_type_ids,
        })
    }

    fn diff(conn: &Connection, old: Option<&Self>, new: &Valid) -> Result<Diff> {
        let i = &new.input;
        let owner: Option<String> = match i.owner_id {
            Some(id) => conn
                .prepare_cached("SELECT name FROM people WHERE id = ?1")?
                .query_row([id], |r| r.get(0))
                .optional()?,
            None => None,
        };
        let mut names = Vec::new();
        for id in &new.data_type_ids {
            names.extend(
                conn.prepare_cached("SELECT name FROM data_types WHERE id = ?1")?
                    .query_row([id], |r| r.get::<_, String>(0))
                    .optional()?,
            );
        }
        names.sort_by_key(|n| n.to_lowercase());
        let mut certs: Vec<String> = new.certificates.iter().map(|(n, d)| format!("{n} ({d})")).collect();
        certs.sort();
        let old_certs = old.map(|s| {
            let mut c: Vec<String> = s.certificates.iter().map(|c| format!("{} ({})", c.name, c.expires_on)).collect();
            c.sort();
            c.join(", ")
        });
        let mut d = Diff::new();
        d.field("name", old.map(|s| s.name.clone()), Some(i.name.clone()))
            .field("description", old.map(|s| s.description.clone()), Some(i.description.clone()))
            .field("owner", old.and_then(|s| s.owner.as_ref().map(|o| o.name.clone())), owner)
            .field("criticality", old.map(|s| s.criticality.label().into()), Some(i.criticality.label().into()))
            .field("in_scope", old.and_then(|s| yes(s.in_scope)), yes(i.in_scope))
            .field("holds_customer_data", old.and_then(|s| yes(s.holds_customer_data)), yes(i.holds_customer_data))
            .field(
                "data_types",
                old.map(|s| s.data_types.iter().map(|d| d.name.clone()).collect::<Vec<_>>().join(", ")),
                Some(names.join(", ")),
            )
            .field("mfa_enforced", old.and_then(|s| yes(s.mfa_enforced)), yes(i.mfa_enforced))
            .field("role_based_access", old.and_then(|s| yes(s.role_based_access)), yes(i.role_based_access))
            .field("shared_accounts", old.and_then(|s| yes(s.shared_accounts)), yes(i.shared_accounts))
            .field(
                "shared_accounts_reason",
                old.map(|s| s.shared_accounts_reason.clone()),
                Some(i.shared_accounts_reason.clone()),
            )
            .field("encryption_at_rest", old.and_then(|s| yes(s.encryption_at_rest)), yes(i.encryption_at_rest))
            .field("tls_in_transit", old.and_then(|s| yes(s.tls_in_transit)), yes(i.tls_in_transit))
            .field("tls_min_version", old.map(|s| s.tls_min_version.clone()), Some(i.tls_min_version.clone()))
            .field("logs_forwarded", old.and_then(|s| yes(s.logs_forwarded)), yes(i.logs_forwarded))
            .field("alerting", old.and_then(|s| yes(s.alerting)), yes(i.alerting))
            .field("certificates", old_certs, Some(certs.join(", ")));
        Ok(d)
    }

    fn values(valid: &Valid) -> Vec<Value> {
        let i = &valid.input;
        vec![
            i.name.clone().into(),
            i.description.clone().into(),
            i.owner_id.into(),
            i.criticality.as_str().to_owned().into(),
            i.in_scope.into(),
            i.holds_customer_data.into(),
            i.mfa_enforced.into(),
            i.role_based_access.into(),
            i.shared_accounts.into(),
            i.shared_accounts_reason.clone().into(),
            i.encryption_at_rest.into(),
            i.tls_in_transit.into(),
            i.tls_min_version.clone().into(),
            i.logs_forwarded.into(),
            i.alerting.into(),
        ]
    }

    fn write_children(tx: &Transaction<'_>, id: i64, valid: &Valid) -> Result<()> {
        tx.execute("DELETE FROM system_certificates WHERE system_id = ?1", [id])?;
        for (name, on) in &valid.certificates {
            tx.prepare_cached("INSERT INTO system_certificates (system_id, name, expires_on) VALUES (?1, ?2, ?3)")?
                .execute(params![id, name, on.to_string()])?;
        }
        tx.execute("DELETE FROM system_data_types WHERE system_id = ?1", [id])?;
        for d in &valid.data_type_ids {
            tx.prepare_cached("INSERT INTO system_data_types (system_id, data_type_id) VALUES (?1, ?2)")?
                .execute([id, *d])?;
        }
        Ok(())
    }
}

pub(crate) const LOG_REVIEW: OccurrenceKind = OccurrenceKind {
    what: "a review",
    what_plural: "reviews",
    history_field: "log_review",
    parent: Register::Systems,
    by_field: "performed_by_id",
    evidence_of: Some(EvidenceTarget::LogReview),
    table: "log_reviews",
    parent_column: "system_id",
    text_columns: &["notes"],
    describe: crate::occurrences::in_words,
    date_column: "performed_on",
    date_label: "Performed on",
    person_word: "by",
    withdrawable: true,
};

/// Records a log review of a system, with an optional evidence file, in one transaction.
pub fn add_log_review(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    attachments: &crate::attachments::Attachments,
    system_id: i64,
    input: &LogReviewInput,
    file: Option<crate::evidence::Upload<'_>>,
) -> Result<LogReview> {
    let system = get(tx, system_id, now.date_naive())?;
    let occurrence = LOG_REVIEW.on(system_id, system.archived, &input.performed_on, input.performed_by_id);
    let id = record_with_evidence(
        tx,
        now,
        attachments,
        &occurrence,
        |v| Ok(v.optional("notes", "Notes", &input.notes, 20_000)),
        |on, notes| {
            tx.execute(
                "INSERT INTO log_reviews (system_id, performed_on, performed_by_id, notes, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![system_id, on.to_string(), input.performed_by_id, notes, stamp(now)],
            )?;
            Ok((tx.last_insert_rowid(), format!("performed on {on}")))
        },
        file.map(EvidenceFile::from),
    )?;
    written(log_reviews_of(tx, system_id)?, |l| l.id == id, "log review")
}

/// Corrects log review `id` (its date, reviewer and notes), with the values before in the
/// system's history. Returns whether anything changed.
pub fn correct_log_review(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &LogReviewInput) -> Result<bool> {
    crate::occurrences::correct(tx, now, &LOG_REVIEW, id, (&input.performed_on, input.performed_by_id), |v| {
        Ok(vec![v.optional("notes", "Notes", &input.notes, 20_000).into()])
    })
}

/// The systems CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "name",
        "description",
        "owner_email",
        "criticality",
        "in_scope",
        "holds_customer_data",
        "data_types",
        "mfa_enforced",
        "role_based_access",
        "shared_accounts",
        "shared_accounts_reason",
        "encryption_at_rest",
        "tls_in_transit",
        "tls_min_version",
        "logs_forwarded",
        "alerting",
        "certificates",
    ],
    required: &["name", "criticality"],
    aliases: &[],
    example: &[
        "GitHub",
        "Source code, reviews and CI",
        "ana@example.com",
        "high",
        "yes",
        "no",
        "",
        "yes",
        "yes",
        "no",
        "",
        "yes",
        "yes",
        "1.2",
        "yes",
        "yes",
        "",
    ],
};

fn yes_no(b: bool) -> String {
    if b { "yes" } else { "no" }.to_owned()
}

/// A system as CSV cells, in [`CSV_COLUMNS`] order.
fn csv_cells(conn: &Connection, s: System) -> Result<Vec<String>> {
    Ok(vec![
        s.name,
        s.description,
        crate::people::email_of(conn, s.owner.as_ref().map(|o| o.id))?,
        s.criticality.as_str().into(),
        yes_no(s.in_scope),
        yes_no(s.holds_customer_data),
        s.data_types.iter().map(|d| d.name.as_str()).collect::<Vec<_>>().join("; "),
        yes_no(s.mfa_enforced),
        yes_no(s.role_based_access),
        yes_no(s.shared_accounts),
        s.shared_accounts_reason,
        yes_no(s.encryption_at_rest),
        yes_no(s.tls_in_transit),
        s.tls_min_version,
        yes_no(s.logs_forwarded),
        yes_no(s.alerting),
        s.certificates.iter().map(|c| format!("{}={}", c.name, c.expires_on)).collect::<Vec<_>>().join("; "),
    ])
}

/// Systems in CSV, matched on name (see [`crate::csv_import`]).
pub struct SystemsCsv;

impl crate::csv_import::CsvRegister for SystemsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["name"];
    const FIND: &'static str = "SELECT id FROM systems WHERE name = ?1";
    const EXPORT_IDS: &'static str =
        "SELECT id FROM systems WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE, id";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        csv_cells(conn, get(conn, id, NaiveDate::MIN)?)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let data_type_ids = c.names(tx, "data_types", "SELECT id FROM data_types WHERE name = ?1", |name| {
            format!("No data type is named {name}; add it under Retention first.")
        })?;
        let mut certificates = Vec::new();
        for cert in c.text("certificates").split(';').map(str::trim).filter(|s| !s.is_empty()) {
            match cert.rsplit_once('=') {
                Some((name, on)) => {
                    certificates.push(Certificate { name: name.trim().into(), expires_on: on.trim().into() })
                }
                None => c.problem("certificates", format!("Write {:?} as name=YYYY-MM-DD.", shown(cert))),
            }
        }
        let input = SystemInput {
            name: c.text("name"),
            description: c.text("description"),
            owner_id: c.person(tx, "owner_email")?,
            criticality: c.choice("criticality", Criticality::Medium),
            in_scope: c.flag("in_scope", true),
            holds_customer_data: c.flag("holds_customer_data", false),
            data_type_ids,
            mfa_enforced: c.flag("mfa_enforced", false),
            role_based_access: c.flag("role_based_access", false),
            shared_accounts: c.flag("shared_accounts", false),
            shared_accounts_reason: c.text("shared_accounts_reason"),
            encryption_at_rest: c.flag("encryption_at_rest", false),
            tls_in_transit: c.flag("tls_in_transit", false),
            tls_min_version: c.text("tls_min_version"),
            logs_forwarded: c.flag("logs_forwarded", false),
            alerting: c.flag("alerting", false),
            certificates,
        };
        record::save_row::<System>(tx, now, existing, &input, &c.errors)
    }
}

/// The log reviews CSV columns (documented in docs/csv.md).
pub const LOG_REVIEW_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "system",
        "performed_on",
        "performed_by_email",
        "notes",
        "evidence_files",
        "evidence_reference",
        "evidence_note",
    ],
    required: &["system", "performed_on"],
    aliases: &[],
    example: &[
        "GitHub",
        "2026-09-30",
        "ana@example.com",
        "Monthly review of the audit log; nothing unusual.",
        "",
        "",
        "",
    ],
};

/// Systems' log reviews in CSV: each row adds one; a row naming one already recorded
/// (system, date and person) must match it.
pub struct LogReviewsCsv;

impl crate::csv_import::DatedCsv for LogReviewsCsv {
    crate::dated_csv! {
        columns: LOG_REVIEW_COLUMNS, table: "log_reviews", target: LogReview, what: "This review",
        parent: "system" = "systems"."name" via "system_id", missing: "No system is named {}; add it under Systems first.",
        by: "performed_by_email" = "performed_by_id", cells: "r.notes",
        live: "r.withdrawn_at IS NULL"
    }

    fn record(r: crate::csv_import::DatedRow<'_, '_, '_>) -> Result<Option<(i64, NaiveDate)>> {
        let input = LogReviewInput {
            performed_on: r.cells.text("performed_on"),
            performed_by_id: r.by,
            notes: r.cells.text("notes"),
        };
        let l = add_log_review(r.tx, r.now, &crate::attachments::Attachments::default(), r.parent_id, &input, None)?;
        Ok(Some((l.id, l.performed_on)))
    }
}
