//! Policies: versioned documents that are approved, reviewed on schedule and acknowledged by
//! the people they apply to. Every approval is kept per version.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryAction, HistoryEntry};
use crate::refs::PersonRef;
pub use crate::refs::PolicyType;
use crate::refs::Register;
use crate::starter::policies::EXPECTED_POLICIES;
use crate::validate::{parse_date, Validator};

/// Days from an approval to the next review when the approver does not say otherwise.
pub const DEFAULT_REVIEW_DAYS: u64 = 365;

string_enum!(
    PolicyStatus default Draft {
        Draft = "draft" / "Draft",
        InReview = "in_review" / "In review",
        /// Set only by approving the working version.
        Approved = "approved" / "Approved",
        Retired = "retired" / "Retired",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Policy {
    pub id: i64,
    pub title: String,
    /// The working version.
    pub version: String,
    pub status: PolicyStatus,
    pub owner: Option<PersonRef>,
    pub document_link: String,
    /// The latest approved version, which stays in force while a newer one is drafted.
    pub approved_version: Option<String>,
    pub approved_on: Option<NaiveDate>,
    pub approver: Option<PersonRef>,
    pub next_review_due: Option<NaiveDate>,
    /// The expected policies it covers.
    pub covers: Vec<PolicyType>,
    pub archived: bool,
    pub created_at: String,
    pub updated_at: String,
}

/// Title, owner and link; the version, status and approval change through their own actions.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PolicyInput {
    pub title: String,
    pub owner_id: Option<i64>,
    pub document_link: String,
    /// Draft, in review or retired; approval is `approve`.
    pub status: PolicyStatus,
    /// The expected policies it covers; none leaves them as they are (a new policy named like
    /// an expected one covers that one).
    #[serde(default)]
    pub covers: Option<Vec<PolicyType>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApproveInput {
    pub approved_on: String,
    pub approver_id: Option<i64>,
    /// Empty: approved on + 365 days.
    pub next_review_due: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Approval {
    pub id: i64,
    pub version: String,
    pub approved_on: NaiveDate,
    pub approver: PersonRef,
    pub next_review_due: NaiveDate,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Acknowledgement {
    pub id: i64,
    pub person: PersonRef,
    pub version: String,
    pub acknowledged_on: NaiveDate,
    /// Set when it was withdrawn: it is kept, struck through, and counts nowhere.
    pub withdrawn: Option<crate::occurrences::Withdrawal>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PolicyDetail {
    pub policy: Policy,
    /// Newest first.
    pub approvals: Vec<Approval>,
    /// Newest first.
    pub acknowledgements: Vec<Acknowledgement>,
    /// The policy document and other files, newest effective date first.
    pub evidence: Vec<crate::evidence::Evidence>,
    pub history: Vec<HistoryEntry>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExpectedSummary {
    pub total: u32,
    /// Expected policies the workspace has no policy for yet (matched on title).
    pub missing: Vec<String>,
}

const SELECT: &str = "
    SELECT p.id, p.title, p.version, p.status, p.owner_id, o.name, p.document_link, p.approved_version,
           p.approved_on, p.approver_id, a.name, p.next_review_due, p.archived_at, p.created_at, p.updated_at,
           (SELECT group_concat(t.policy_type, ',') FROM (SELECT policy_type FROM policy_types
                WHERE policy_id = p.id ORDER BY policy_type) t)
    FROM policies p LEFT JOIN people o ON o.id = p.owner_id LEFT JOIN people a ON a.id = p.approver_id";

fn person(id: Option<i64>, name: Option<String>) -> Option<PersonRef> {
    match (id, name) {
        (Some(id), Some(name)) => Some(PersonRef { id, name }),
        _ => None,
    }
}

fn from_row(r: &Row<'_>) -> rusqlite::Result<Policy> {
    let date = |i: usize| -> rusqlite::Result<Option<NaiveDate>> {
        Ok(r.get::<_, Option<String>>(i)?.as_deref().and_then(parse_date))
    };
    Ok(Policy {
        id: r.get(0)?,
        title: r.get(1)?,
        version: r.get(2)?,
        status: PolicyStatus::parse(&r.get::<_, String>(3)?).unwrap_or_default(),
        owner: person(r.get(4)?, r.get(5)?),
        document_link: r.get(6)?,
        approved_version: r.get(7)?,
        approved_on: date(8)?,
        approver: person(r.get(9)?, r.get(10)?),
        next_review_due: date(11)?,
        covers: r.get::<_, Option<String>>(15)?.unwrap_or_default().split(',').filter_map(PolicyType::parse).collect(),
        archived: r.get::<_, Option<String>>(12)?.is_some(),
        created_at: r.get(13)?,
        updated_at: r.get(14)?,
    })
}

/// Policies by title; archived ones only when asked.
pub fn list(conn: &Connection, include_archived: bool) -> Result<Vec<Policy>> {
    let mut stmt =
        conn.prepare_cached(&format!("{SELECT} WHERE (?1 OR p.archived_at IS NULL) ORDER BY p.title COLLATE NOCASE"))?;
    let rows = stmt.query_map([include_archived], from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

pub fn get(conn: &Connection, id: i64) -> Result<Policy> {
    conn.prepare_cached(&format!("{SELECT} WHERE p.id = ?1"))?
        .query_row([id], from_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No policy with id {id}.")))
}

pub fn detail(conn: &Connection, id: i64) -> Result<PolicyDetail> {
    let policy = get(conn, id)?;
    let bad_date = |what: &str| {
        Error::internal(format!("{what} date in the database is not a date; dates are validated on write"))
    };
    let approvals = conn
        .prepare_cached(
            "SELECT a.version, a.approved_on, a.approver_id, p.name, a.next_review_due, a.id
             FROM policy_approvals a JOIN people p ON p.id = a.approver_id
             WHERE a.policy_id = ?1 ORDER BY a.approved_on DESC, a.id DESC",
        )?
        .query_map([id], |r| {
            Ok((
                (r.get::<_, String>(0)?, r.get::<_, i64>(5)?),
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
            ))
        })?
        .map(|row| {
            let ((version, approval_id), on, approver_id, name, due) = row?;
            Ok(Approval {
                id: approval_id,
                version,
                approved_on: parse_date(&on).ok_or_else(|| bad_date("approval"))?,
                approver: PersonRef { id: approver_id, name },
                next_review_due: parse_date(&due).ok_or_else(|| bad_date("review"))?,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let acknowledgements = conn
        .prepare_cached(
            "SELECT k.person_id, p.name, k.version, k.acknowledged_on, k.id, k.withdrawn_at, k.withdrawn_reason
             FROM policy_acknowledgements k JOIN people p ON p.id = k.person_id
             WHERE k.policy_id = ?1 ORDER BY k.acknowledged_on DESC, p.name",
        )?
        .query_map([id], |r| {
            let withdrawn = match r.get::<_, Option<String>>(5)? {
                Some(at) => Some(crate::occurrences::Withdrawal { at, reason: r.get(6)? }),
                None => None,
            };
            let person = PersonRef { id: r.get(0)?, name: r.get(1)? };
            Ok((r.get::<_, i64>(4)?, person, r.get::<_, String>(2)?, r.get::<_, String>(3)?, withdrawn))
        })?
        .map(|row| {
            let (ack, person, version, on, withdrawn) = row?;
            Ok(Acknowledgement {
                id: ack,
                person,
                version,
                acknowledged_on: parse_date(&on).ok_or_else(|| bad_date("acknowledgement"))?,
                withdrawn,
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let evidence = crate::evidence::for_policy(conn, id)?;
    Ok(PolicyDetail {
        policy,
        approvals,
        acknowledgements,
        evidence,
        history: history::list(conn, Register::Policies, id)?,
    })
}

fn person_name(conn: &Connection, id: Option<i64>) -> Result<Option<String>> {
    match id {
        None => Ok(None),
        Some(id) => Ok(conn
            .prepare_cached("SELECT name FROM people WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?),
    }
}

fn validate(conn: &Connection, input: &PolicyInput, old: Option<&Policy>) -> Result<(String, String)> {
    let mut v = Validator::new();
    let title = v.required("title", "Title", &input.title, 200);
    if !v.has("title") {
        let clash: Option<i64> = conn
            .prepare_cached("SELECT id FROM policies WHERE title = ?1")?
            .query_row([&title], |r| r.get(0))
            .optional()?;
        if clash.is_some_and(|id| Some(id) != old.map(|p| p.id)) {
            v.add("title", "Another policy already has this title.");
        }
    }
    let link = v.optional("document_link", "Document link", &input.document_link, 2_000);
    let is_link = ["https://", "http://", "file://"].iter().any(|scheme| link.starts_with(scheme));
    if !link.is_empty() && !is_link {
        v.add("document_link", "Give a full link starting with https://, or leave it empty.");
    }
    v.active_person(conn, "owner_id", input.owner_id, old.and_then(|p| p.owner.as_ref().map(|o| o.id)), "owner")?;
    if input.status == PolicyStatus::Approved && old.is_none_or(|p| p.status != PolicyStatus::Approved) {
        v.add("status", "Approve the policy with Approve, which records who approved it and when.");
    }
    v.finish()?;
    Ok((title, link))
}

pub fn create(tx: &Transaction<'_>, now: DateTime<Utc>, input: &PolicyInput) -> Result<Policy> {
    let (title, link) = validate(tx, input, None)?;
    let at = stamp(now);
    tx.execute(
        "INSERT INTO policies (title, status, owner_id, document_link, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)",
        params![title, input.status.as_str(), input.owner_id, link, at],
    )?;
    let id = tx.last_insert_rowid();
    let covers = match &input.covers {
        Some(c) => c.clone(),
        None => crate::starter::policies::kind_of_title(&title).into_iter().collect(),
    };
    set_covers(tx, id, &covers)?;
    history::created(tx, now, Register::Policies, id)?;
    get(tx, id)
}

/// The expected policies covered, as history shows them.
fn covers_text(covers: &[PolicyType]) -> String {
    let mut labels: Vec<&str> = covers.iter().map(|c| c.label()).collect();
    labels.sort_unstable();
    labels.join(", ")
}

fn set_covers(tx: &Transaction<'_>, id: i64, covers: &[PolicyType]) -> Result<()> {
    tx.execute("DELETE FROM policy_types WHERE policy_id = ?1", [id])?;
    for c in covers {
        tx.prepare_cached("INSERT OR IGNORE INTO policy_types (policy_id, policy_type) VALUES (?1, ?2)")?
            .execute(params![id, c.as_str()])?;
    }
    Ok(())
}

pub fn update(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &PolicyInput) -> Result<Policy> {
    let old = get(tx, id)?;
    let (title, link) = validate(tx, input, Some(&old))?;
    let mut d = Diff::new();
    d.field("title", Some(old.title.clone()), Some(title.clone()))
        .field("status", Some(old.status.as_str().to_owned()), Some(input.status.as_str().to_owned()))
        .field("owner", old.owner.as_ref().map(|o| o.name.clone()), person_name(tx, input.owner_id)?)
        .field("document_link", Some(old.document_link.clone()), Some(link.clone()));
    if let Some(covers) = &input.covers {
        d.field("covers", Some(covers_text(&old.covers)), Some(covers_text(covers)));
    }
    if d.is_empty() {
        return Ok(old);
    }
    tx.execute(
        "UPDATE policies SET title = ?2, status = ?3, owner_id = ?4, document_link = ?5, updated_at = ?6 WHERE id = ?1",
        params![id, title, input.status.as_str(), input.owner_id, link, stamp(now)],
    )?;
    if let Some(covers) = &input.covers {
        set_covers(tx, id, covers)?;
    }
    history::record(tx, now, Register::Policies, id, HistoryAction::Update, d.into_changes())?;
    get(tx, id)
}

/// Approves the working version: records who and when, sets the next review (default
/// approved on + 365 days), and keeps the approval with the version for good.
pub fn approve(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &ApproveInput) -> Result<Policy> {
    let old = get(tx, id)?;
    let mut v = Validator::new();
    let approved_on = v.required_date("approved_on", "Approved on", &input.approved_on);
    if approved_on.is_some_and(|d| d > now.date_naive()) {
        v.add("approved_on", "An approval cannot be dated in the future.");
    }
    if input.approver_id.is_none() {
        v.add("approver_id", "Choose who approved it.");
    }
    v.active_person(tx, "approver_id", input.approver_id, None, "approver")?;
    let given_due = v.date("next_review_due", "Next review due", &input.next_review_due);
    if let (Some(on), Some(due)) = (approved_on, given_due) {
        if due <= on {
            v.add("next_review_due", "The next review must come after the approval.");
        }
    }
    if old.status == PolicyStatus::Retired {
        v.add("approved_on", "This policy is retired; set it back to draft before approving.");
    }
    let already: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM policy_approvals WHERE policy_id = ?1 AND version = ?2)")?
        .query_row(params![id, old.version], |r| r.get(0))?;
    if already {
        v.add("approved_on", format!("Version {} is already approved; start a new version to change it.", old.version));
    }
    v.finish()?;
    let (Some(approved_on), Some(approver_id)) = (approved_on, input.approver_id) else {
        return Err(Error::internal("validated approval lost its date or approver"));
    };
    let due = match given_due {
        Some(d) => d,
        None => approved_on
            .checked_add_days(Days::new(DEFAULT_REVIEW_DAYS))
            .ok_or_else(|| Error::field("approved_on", "That date is too far in the future."))?,
    };
    tx.execute(
        "INSERT INTO policy_approvals (policy_id, version, approved_on, approver_id, next_review_due, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, old.version, approved_on.to_string(), approver_id, due.to_string(), stamp(now)],
    )?;
    tx.execute(
        "UPDATE policies SET status = 'approved', approved_version = version, approved_on = ?2, approver_id = ?3,
             next_review_due = ?4, updated_at = ?5
         WHERE id = ?1",
        params![id, approved_on.to_string(), approver_id, due.to_string(), stamp(now)],
    )?;
    let mut d = Diff::new();
    d.field("status", Some(old.status.as_str().to_owned()), Some("approved".into()))
        .field(
            "approved",
            None,
            Some(format!(
                "version {} on {approved_on} by {}",
                old.version,
                person_name(tx, Some(approver_id))?.unwrap_or_default()
            )),
        )
        .field("next_review_due", old.next_review_due.map(|d| d.to_string()), Some(due.to_string()));
    history::record(tx, now, Register::Policies, id, HistoryAction::Update, d.into_changes())?;
    get(tx, id)
}

/// Starts a new working version as a draft. The last approval stays in force (and on record)
/// until the new version is approved.
pub fn new_version(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, version: &str) -> Result<Policy> {
    let old = get(tx, id)?;
    let mut v = Validator::new();
    let version = v.required("version", "Version", version, 20);
    if !version.is_empty() && version == old.version {
        v.add("version", format!("The policy is already at version {version}."));
    }
    let used: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM policy_approvals WHERE policy_id = ?1 AND version = ?2)")?
        .query_row(params![id, version], |r| r.get(0))?;
    if used {
        v.add("version", format!("Version {version} was approved before; pick a new number."));
    }
    v.finish()?;
    tx.execute(
        "UPDATE policies SET version = ?2, status = 'draft', updated_at = ?3 WHERE id = ?1",
        params![id, version, stamp(now)],
    )?;
    crate::policy_text::carry_over(tx, now, id, &old.version, &version)?;
    let mut d = Diff::new();
    d.field("version", Some(old.version), Some(version)).field(
        "status",
        Some(old.status.as_str().to_owned()),
        Some("draft".into()),
    );
    history::record(tx, now, Register::Policies, id, HistoryAction::Update, d.into_changes())?;
    get(tx, id)
}

/// Records that a person acknowledged the approved version of a policy.
pub fn acknowledge(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    person_id: Option<i64>,
    acknowledged_on: &str,
) -> Result<Acknowledgement> {
    acknowledge_version(tx, now, id, person_id, None, acknowledged_on)
}

/// Records that a person acknowledged a version of a policy: `version` (one that was
/// approved; an acknowledgement from the past may be of an earlier version), or the approved
/// version now. It cannot be dated before that version's approval.
pub fn acknowledge_version(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    person_id: Option<i64>,
    version: Option<&str>,
    acknowledged_on: &str,
) -> Result<Acknowledgement> {
    let mut policy = get(tx, id)?;
    if let Some(version) = version.filter(|v| policy.approved_version.as_deref() != Some(*v)) {
        let approved: Option<String> = tx
            .prepare_cached("SELECT approved_on FROM policy_approvals WHERE policy_id = ?1 AND version = ?2")?
            .query_row(params![id, version], |r| r.get(0))
            .optional()?;
        let Some(approved) = approved else {
            let mut v = Validator::new();
            v.add(
                "version",
                format!("Version {version} of this policy was never approved, so it cannot have been acknowledged."),
            );
            return Err(v.finish().err().unwrap_or_else(|| Error::internal("validator lost its error")));
        };
        policy.approved_version = Some(version.to_owned());
        policy.approved_on = parse_date(&approved);
    }
    let mut v = Validator::new();
    if person_id.is_none() {
        v.add("person_id", "Choose who acknowledged it.");
    }
    v.active_person(tx, "person_id", person_id, None, "person")?;
    let on = v.required_date("acknowledged_on", "Acknowledged on", acknowledged_on);
    if on.is_some_and(|d| d > now.date_naive()) {
        v.add("acknowledged_on", "An acknowledgement cannot be dated in the future.");
    }
    let Some(version) = policy.approved_version.clone() else {
        v.add("person_id", "Only an approved policy can be acknowledged.");
        return Err(v.finish().err().unwrap_or_else(|| Error::internal("validator lost its error")));
    };
    if let (Some(pid), Some(on)) = (person_id, on) {
        let dup: bool = tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM policy_acknowledgements
                 WHERE policy_id = ?1 AND person_id = ?2 AND version = ?3 AND withdrawn_at IS NULL)",
            )?
            .query_row(params![id, pid, version], |r| r.get(0))?;
        if dup {
            v.add("person_id", format!("They already acknowledged version {version}."));
        }
        if policy.approved_on.is_some_and(|a| on < a) {
            v.add("acknowledged_on", "That is before the version was approved.");
        }
    }
    v.finish()?;
    let (Some(person_id), Some(on)) = (person_id, on) else {
        return Err(Error::internal("validated acknowledgement lost its person or date"));
    };
    // One acknowledged by mistake and withdrawn is the same record: acknowledged now, it counts
    // again, with its new date (the history says so).
    let withdrawn: Option<(i64, String)> = tx
        .prepare_cached(
            "SELECT id, withdrawn_reason FROM policy_acknowledgements
             WHERE policy_id = ?1 AND person_id = ?2 AND version = ?3 AND withdrawn_at IS NOT NULL",
        )?
        .query_row(params![id, person_id, version], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let name = person_name(tx, Some(person_id))?.unwrap_or_default();
    let ack = match withdrawn {
        Some((ack, reason)) => {
            tx.execute(
                "UPDATE policy_acknowledgements SET acknowledged_on = ?2, withdrawn_at = NULL, withdrawn_reason = ''
                 WHERE id = ?1",
                params![ack, on.to_string()],
            )?;
            let mut d = Diff::new();
            d.field(
                ACKNOWLEDGEMENT.history_field,
                Some(format!("withdrawn: {reason}")),
                Some(format!("on {on} by {name}")),
            );
            history::record(tx, now, Register::Policies, id, HistoryAction::Update, d.into_changes())?;
            ack
        }
        None => {
            tx.execute(
                "INSERT INTO policy_acknowledgements (policy_id, person_id, version, acknowledged_on, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![id, person_id, version, on.to_string(), stamp(now)],
            )?;
            tx.last_insert_rowid()
        }
    };
    Ok(Acknowledgement {
        id: ack,
        person: PersonRef { id: person_id, name },
        version,
        acknowledged_on: on,
        withdrawn: None,
    })
}

/// A policy acknowledgement as a dated record: corrected or withdrawn like the others, with
/// the policy's history keeping what it said.
pub(crate) const ACKNOWLEDGEMENT: crate::occurrences::OccurrenceKind = crate::occurrences::OccurrenceKind {
    what: "an acknowledgement",
    what_plural: "acknowledgements",
    history_field: "acknowledgement",
    parent: Register::Policies,
    by_field: "person_id",
    evidence_of: None,
    table: "policy_acknowledgements",
    parent_column: "policy_id",
    text_columns: &[],
    describe: crate::occurrences::in_words,
    date_column: "acknowledged_on",
    date_label: "Acknowledged on",
    person_word: "by",
    withdrawable: true,
};

/// An acknowledgement's corrected date and person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AcknowledgementCorrection {
    pub acknowledged_on: String,
    pub person_id: Option<i64>,
}

/// Corrects acknowledgement `id` (its date, or who acknowledged), with the values before in the
/// policy's history. It cannot be dated before its version was approved. Returns whether
/// anything changed.
pub fn correct_acknowledgement(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    input: &AcknowledgementCorrection,
) -> Result<bool> {
    let approved: Option<String> = tx
        .prepare_cached(
            "SELECT a.approved_on FROM policy_acknowledgements k
             JOIN policy_approvals a ON a.policy_id = k.policy_id AND a.version = k.version WHERE k.id = ?1",
        )?
        .query_row([id], |r| r.get(0))
        .optional()?;
    crate::occurrences::correct(tx, now, &ACKNOWLEDGEMENT, id, (&input.acknowledged_on, input.person_id), |v| {
        if input.person_id.is_none() {
            v.add("person_id", "Choose who acknowledged it.");
        }
        let (on, approved) = (parse_date(&input.acknowledged_on), approved.as_deref().and_then(parse_date));
        if on.zip(approved).is_some_and(|(on, approved)| on < approved) {
            v.add("acknowledged_on", "That is before the version was approved.");
        }
        Ok(Vec::new())
    })
}

/// A policy approval as a dated record: its date, approver and next review date are corrected
/// like the others, with the policy's history keeping what it said. It is never withdrawn: it
/// froze its version's text, and a version approved by mistake is replaced by a new version.
pub(crate) const APPROVAL: crate::occurrences::OccurrenceKind = crate::occurrences::OccurrenceKind {
    what: "an approval",
    what_plural: "approvals",
    history_field: "approval",
    parent: Register::Policies,
    by_field: "approver_id",
    evidence_of: None,
    table: "policy_approvals",
    parent_column: "policy_id",
    text_columns: &["next_review_due"],
    describe: |texts| texts.first().map(|due| format!("review due {due}")).unwrap_or_default(),
    date_column: "approved_on",
    date_label: "Approved on",
    person_word: "by",
    withdrawable: false,
};

/// An approval's corrected date, approver and next review date (empty: a year after the
/// approval, as when approving).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ApprovalCorrection {
    pub approved_on: String,
    pub approver_id: Option<i64>,
    pub next_review_due: String,
}

/// Corrects approval `id` (of the policy's version it approved): when, by whom, and when the
/// next review is due, checked as when approving, and never after an acknowledgement of that
/// version. The policy's history keeps the values before; the policy shows the corrected ones
/// when it is its current approval. Returns whether anything changed.
pub fn correct_approval(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &ApprovalCorrection) -> Result<bool> {
    let first_ack: Option<String> = tx
        .prepare_cached(
            "SELECT MIN(k.acknowledged_on) FROM policy_approvals a
             JOIN policy_acknowledgements k ON k.policy_id = a.policy_id AND k.version = a.version
             WHERE a.id = ?1 AND k.withdrawn_at IS NULL",
        )?
        .query_row([id], |r| r.get(0))?;
    // The versions approved before and after this one: a corrected date stays between them.
    // (version, approved on)
    type Neighbour = Option<(String, String)>;
    let (before, after): (Neighbour, Neighbour) = {
        let neighbour = |sql: &str| -> Result<Neighbour> {
            Ok(tx.prepare_cached(sql)?.query_row([id], |r| Ok((r.get(0)?, r.get(1)?))).optional()?)
        };
        (
            neighbour(
                "SELECT b.version, b.approved_on FROM policy_approvals a JOIN policy_approvals b
                 ON b.policy_id = a.policy_id AND b.id < a.id WHERE a.id = ?1 ORDER BY b.id DESC LIMIT 1",
            )?,
            neighbour(
                "SELECT b.version, b.approved_on FROM policy_approvals a JOIN policy_approvals b
                 ON b.policy_id = a.policy_id AND b.id > a.id WHERE a.id = ?1 ORDER BY b.id LIMIT 1",
            )?,
        )
    };
    let on = parse_date(input.approved_on.trim());
    let changed = crate::occurrences::correct(tx, now, &APPROVAL, id, (&input.approved_on, input.approver_id), |v| {
        if input.approver_id.is_none() {
            v.add("approver_id", "Choose who approved it.");
        }
        if let (Some(on), Some((version, day))) = (on, &before) {
            if parse_date(day).is_some_and(|d| on < d) {
                v.add(
                    "approved_on",
                    format!(
                        "Version {version}, approved on {day}, came before this one; keep the date on or after it."
                    ),
                );
            }
        }
        if let (Some(on), Some((version, day))) = (on, &after) {
            if parse_date(day).is_some_and(|d| on > d) {
                v.add(
                    "approved_on",
                    format!(
                        "Version {version}, approved on {day}, came after this one; keep the date on or before it."
                    ),
                );
            }
        }
        if let (Some(on), Some(first)) = (on, first_ack.as_deref().and_then(parse_date)) {
            if first < on {
                v.add(
                    "approved_on",
                    format!("This version was acknowledged on {first}, before that day; correct the acknowledgements first."),
                );
            }
        }
        let due = v.date("next_review_due", "Next review due", &input.next_review_due);
        let due = match (on, due) {
            (Some(on), Some(due)) if due <= on => {
                v.add("next_review_due", "The next review must come after the approval.");
                None
            }
            (_, Some(due)) => Some(due),
            (Some(on), None) => on.checked_add_days(Days::new(DEFAULT_REVIEW_DAYS)),
            (None, None) => None,
        };
        // Without a date the correction is refused on `approved_on` before anything is written.
        Ok(vec![due.map(|d| d.to_string()).unwrap_or_default().into()])
    })?;
    // The policy shows its current approval: it follows the correction.
    tx.execute(
        "UPDATE policies SET approved_on = a.approved_on, approver_id = a.approver_id, next_review_due = a.next_review_due
         FROM (SELECT policy_id, version, approved_on, approver_id, next_review_due FROM policy_approvals WHERE id = ?1) a
         WHERE policies.id = a.policy_id AND policies.approved_version = a.version",
        [id],
    )?;
    Ok(changed)
}

record_kind!(Policy in Policies, load(conn, id, now) { get(conn, id) }, archive = set_archived);

pub fn expected_summary(conn: &Connection) -> Result<ExpectedSummary> {
    let mut missing = Vec::new();
    for p in EXPECTED_POLICIES {
        // Covered by a policy in use (whatever its title), or at least a policy of that title.
        let exists: bool = conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM policy_types t JOIN policies x ON x.id = t.policy_id
                     WHERE t.policy_type = ?1 AND x.archived_at IS NULL AND x.status <> 'retired')
                 OR EXISTS (SELECT 1 FROM policies WHERE title = ?2)",
            )?
            .query_row(params![p.kind.as_str(), p.title], |r| r.get(0))?;
        if !exists {
            missing.push(p.title.to_owned());
        }
    }
    Ok(ExpectedSummary { total: EXPECTED_POLICIES.len() as u32, missing })
}

/// Adds each starter policy the workspace lacks (the 13 expected, then the recommended ones;
/// the privacy policy only when Privacy is in scope) with its template as the text of its
/// first draft, and writes the template into an existing starter policy whose draft is still
/// empty. Returns how many policies were added.
pub fn install_expected(tx: &Transaction<'_>, now: DateTime<Utc>) -> Result<u32> {
    let privacy = crate::profile::categories_in_scope(tx)?.contains(&crate::refs::Category::Privacy);
    let mut added = 0;
    for t in crate::starter::policy_texts::TEMPLATES.iter().filter(|t| privacy || !t.privacy_only) {
        let id: Option<i64> = tx
            .prepare_cached("SELECT id FROM policies WHERE title = ?1")?
            .query_row([t.title()], |r| r.get(0))
            .optional()?;
        let id = match id {
            Some(id) => id,
            None => {
                added += 1;
                let owner = crate::roles::active_holder(tx, t.owner_role(), now.date_naive())?;
                let input =
                    PolicyInput { title: t.title().into(), owner_id: owner.map(|p| p.id), ..Default::default() };
                create(tx, now, &input)?.id
            }
        };
        crate::policy_text::fill_if_empty(tx, now, id, &crate::policy_text::render_for(tx, t)?)?;
    }
    Ok(added)
}

/// The policies CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "title",
        "version",
        "status",
        "owner_email",
        "document_link",
        "approved_on",
        "approver_email",
        "next_review_due",
    ],
    required: &["title"],
    aliases: &[],
    example: &[
        "Information Security Policy",
        "1.0",
        "approved",
        "ana@example.com",
        "https://intranet.example.com/policies/information-security",
        "2026-02-02",
        "ben@example.com",
        "2027-02-02",
    ],
};

/// A policy as CSV cells, in [`CSV_COLUMNS`] order.
fn csv_cells(conn: &Connection, p: Policy) -> Result<Vec<String>> {
    let date = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    Ok(vec![
        p.title,
        p.version,
        p.status.as_str().to_owned(),
        crate::people::email_of(conn, p.owner.as_ref().map(|o| o.id))?,
        p.document_link,
        date(p.approved_on),
        crate::people::email_of(conn, p.approver.as_ref().map(|o| o.id))?,
        date(p.next_review_due),
    ])
}

/// Policies in CSV, matched on title. A row with a new version number starts that version; a
/// row with status `approved`, a date and an approver records the approval of its version
/// unless that version is approved already, in which case the row must agree with the
/// recorded approval. See [`crate::csv_import`].
pub struct PoliciesCsv;

impl crate::csv_import::CsvRegister for PoliciesCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["title"];
    const FIND: &'static str = "SELECT id FROM policies WHERE title = ?1";
    const EXPORT_IDS: &'static str = "SELECT id FROM policies WHERE archived_at IS NULL ORDER BY title COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        csv_cells(conn, get(conn, id)?)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let status = c.choice("status", PolicyStatus::Draft);
        let plan = RowPlan {
            title: c.text("title"),
            version: c.text("version"),
            status,
            owner_id: c.person(tx, "owner_email")?,
            approver_id: c.person(tx, "approver_email")?,
            link: c.text("document_link"),
            approved_on: c.text("approved_on"),
            next_review_due: c.text("next_review_due"),
        };
        if !c.errors.is_empty() {
            return Ok(Applied::Unchanged);
        }
        let (id, outcome) = apply_row(tx, now, existing, &plan)?;
        Ok(match outcome {
            Outcome::Created => Applied::Created(id),
            Outcome::Updated => Applied::Updated(id),
            Outcome::Unchanged => Applied::Unchanged,
        })
    }
}

struct RowPlan {
    title: String,
    version: String,
    status: PolicyStatus,
    owner_id: Option<i64>,
    approver_id: Option<i64>,
    link: String,
    approved_on: String,
    next_review_due: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Created,
    Updated,
    Unchanged,
}

/// Applies one CSV row through the same operations the app uses.
fn apply_row(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    existing: Option<i64>,
    plan: &RowPlan,
) -> Result<(i64, Outcome)> {
    let plain_status = if plan.status == PolicyStatus::Approved { None } else { Some(plan.status) };
    let (id, mut outcome) = match existing {
        None => {
            let input = PolicyInput {
                title: plan.title.clone(),
                owner_id: plan.owner_id,
                document_link: plan.link.clone(),
                status: plain_status.unwrap_or(PolicyStatus::Draft),
                covers: None,
            };
            (create(tx, now, &input)?.id, Outcome::Created)
        }
        Some(id) => {
            let old = get(tx, id)?;
            let input = PolicyInput {
                title: plan.title.clone(),
                owner_id: plan.owner_id,
                document_link: plan.link.clone(),
                status: plain_status.unwrap_or(old.status),
                covers: None,
            };
            let new = update(tx, now, id, &input)?;
            (id, if new == old { Outcome::Unchanged } else { Outcome::Updated })
        }
    };
    let current = get(tx, id)?;
    if !plan.version.is_empty() && plan.version != current.version {
        if outcome == Outcome::Created {
            tx.execute("UPDATE policies SET version = ?2 WHERE id = ?1", params![id, plan.version])?;
        } else {
            new_version(tx, now, id, &plan.version)?;
            outcome = Outcome::Updated;
        }
    }
    if plan.status == PolicyStatus::Approved {
        let current = get(tx, id)?;
        let approved_already = current.approved_version.as_deref() == Some(current.version.as_str());
        if approved_already {
            agrees_with_recorded_approval(&current, plan)?;
        } else {
            if plan.approved_on.is_empty() || plan.approver_id.is_none() {
                return Err(Error::field("approved_on", "An approved policy needs approved_on and approver_email."));
            }
            let input = ApproveInput {
                approved_on: plan.approved_on.clone(),
                approver_id: plan.approver_id,
                next_review_due: plan.next_review_due.clone(),
            };
            approve(tx, now, id, &input)?;
            if outcome == Outcome::Unchanged {
                outcome = Outcome::Updated;
            }
        }
    }
    Ok((id, outcome))
}

/// A row for a version that is approved already must say what the approval says: an import
/// never rewrites a recorded approval, and never ignores a date it cannot read.
fn agrees_with_recorded_approval(current: &Policy, plan: &RowPlan) -> Result<()> {
    let mut v = Validator::new();
    let version = &current.version;
    let approved_on = v.date("approved_on", "Approved on", &plan.approved_on);
    if !v.has("approved_on") && approved_on.is_some() && approved_on != current.approved_on {
        let recorded = current.approved_on.map(|d| d.to_string()).unwrap_or_else(|| "another date".into());
        v.add(
            "approved_on",
            format!("Version {version} was approved on {recorded}; an import cannot change a recorded approval (start a new version instead)."),
        );
    }
    if plan.approver_id.is_some() && plan.approver_id != current.approver.as_ref().map(|p| p.id) {
        v.add(
            "approver_id",
            format!("Version {version} was approved by someone else; an import cannot change a recorded approval."),
        );
    }
    let next = v.date("next_review_due", "Next review due", &plan.next_review_due);
    if !v.has("next_review_due") && next.is_some() && next != current.next_review_due {
        v.add("next_review_due", "The next review date follows from the approval; change it in the app.");
    }
    v.finish()
}

/// Deletes a draft: a policy never approved, with no acknowledgements, files or actions.
/// Anything else is archived so the record stays for the auditor.
pub fn delete_draft(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let policy = get(tx, id)?;
    let linked: i64 = tx
        .prepare_cached(
            "SELECT (SELECT count(*) FROM policy_approvals WHERE policy_id = ?1)
                  + (SELECT count(*) FROM policy_acknowledgements WHERE policy_id = ?1)
                  + (SELECT count(*) FROM evidence WHERE policy_id = ?1)
                  + (SELECT count(*) FROM actions WHERE source_policy_id = ?1)",
        )?
        .query_row([id], |r| r.get(0))?;
    if policy.status != PolicyStatus::Draft || linked > 0 {
        return Err(Error::new(
            crate::ErrorCode::Conflict,
            format!(
                "“{}” has been approved or has records linked to it; archive it instead so the record is kept.",
                policy.title
            ),
        ));
    }
    tx.execute("DELETE FROM policies WHERE id = ?1", [id])?;
    tx.execute("DELETE FROM history WHERE entity = 'policy' AND entity_id = ?1", [id])?;
    Ok(())
}

/// The policy acknowledgements CSV columns (documented in docs/csv.md).
pub const ACKNOWLEDGEMENT_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &["policy", "email", "version", "acknowledged_on"],
    required: &["policy", "email", "acknowledged_on"],
    aliases: &[("title", "policy"), ("person_email", "email")],
    example: &["Information Security Policy", "ana@example.com", "1.0", "2026-02-10"],
};

/// Policy acknowledgements in CSV: each row records that a person read a version; a row
/// naming one already recorded (policy, person and version) must match it.
pub struct AcknowledgementsCsv;

impl crate::csv_import::CsvRegister for AcknowledgementsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &ACKNOWLEDGEMENT_COLUMNS;
    const KEY: &'static [&'static str] = &["policy", "email", "version"];
    const FIND: &'static str = "SELECT a.id FROM policy_acknowledgements a JOIN policies p ON p.id = a.policy_id
        JOIN people e ON e.id = a.person_id
        WHERE p.title = ?1 COLLATE NOCASE AND e.email = ?2 COLLATE NOCASE AND a.version = ?3";
    const EXPORT_IDS: &'static str = "SELECT a.id FROM policy_acknowledgements a JOIN policies p ON p.id = a.policy_id
        JOIN people e ON e.id = a.person_id WHERE p.archived_at IS NULL AND a.withdrawn_at IS NULL
        ORDER BY p.title COLLATE NOCASE, a.version, e.email COLLATE NOCASE, a.id";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        crate::csv_import::row_cells(
            conn,
            "SELECT p.title, e.email, a.version, a.acknowledged_on FROM policy_acknowledgements a
                 JOIN policies p ON p.id = a.policy_id JOIN people e ON e.id = a.person_id WHERE a.id = ?1",
            [id],
        )
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        if let Some(id) = existing {
            return crate::csv_import::unchanged::<Self>(tx, c, id, "This acknowledgement");
        }
        let policy = c.lookup(tx, "policy", "SELECT id FROM policies WHERE title = ?1 COLLATE NOCASE", |t| {
            format!("No policy is titled {t}; add it under Policies first.")
        })?;
        let person = c.person(tx, "email")?;
        for column in ["policy", "email"] {
            if c.row.get(column).is_empty() {
                c.problem(column, "This cell is required.");
            }
        }
        let Some(policy) = policy else { return Ok(Applied::Unchanged) };
        let version = c.text("version");
        let version = (!version.is_empty()).then_some(version.as_str());
        let on = c.text("acknowledged_on");
        acknowledge_version(tx, now, policy, person, version, &on)?;
        Ok(Applied::Created(tx.last_insert_rowid()))
    }

    fn column_of(field: &str) -> Option<&'static str> {
        match field {
            "person_id" => Some("email"),
            "version" => Some("version"),
            "acknowledged_on" => Some("acknowledged_on"),
            _ => None,
        }
    }
}

/// Records an approval of an earlier version, given afterwards (from a policy's past, when a
/// company brings its history in): the version is kept with its approval like one approved in
/// the app, and the policy's history says when it was recorded. The policy's working and
/// approved versions do not change.
pub fn record_past_approval(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    version: &str,
    input: &ApproveInput,
) -> Result<()> {
    get(tx, id)?;
    let mut v = Validator::new();
    let version = v.required("version", "Version", version, 32);
    let approved_on = v.required_date("approved_on", "Approved on", &input.approved_on);
    if approved_on.is_some_and(|d| d > now.date_naive()) {
        v.add("approved_on", "An approval cannot be dated in the future.");
    }
    if input.approver_id.is_none() {
        v.add("approver_id", "Choose who approved it.");
    }
    v.active_person(tx, "approver_id", input.approver_id, None, "approver")?;
    let due = v.required_date("next_review_due", "Next review due", &input.next_review_due);
    if let (Some(on), Some(due)) = (approved_on, due) {
        if due <= on {
            v.add("next_review_due", "The next review must come after the approval.");
        }
    }
    let already: bool = tx
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM policy_approvals WHERE policy_id = ?1 AND version = ?2)")?
        .query_row(params![id, version], |r| r.get(0))?;
    if already {
        v.add("version", format!("Version {version} is already approved."));
    }
    v.finish()?;
    let (Some(approved_on), Some(approver_id), Some(due)) = (approved_on, input.approver_id, due) else {
        return Err(Error::internal("validated approval lost its date, approver or review date"));
    };
    tx.execute(
        "INSERT INTO policy_approvals (policy_id, version, approved_on, approver_id, next_review_due, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![id, version, approved_on.to_string(), approver_id, due.to_string(), stamp(now)],
    )?;
    let mut d = Diff::new();
    d.field("approval", None, Some(format!("version {version} approved on {approved_on} (recorded afterwards)")));
    history::record(tx, now, Register::Policies, id, HistoryAction::Update, d.into_changes())?;
    Ok(())
}

/// The policy approvals CSV columns (documented in docs/csv.md).
pub const APPROVAL_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &["policy", "version", "approved_on", "approver_email", "next_review_due"],
    required: &["policy", "version", "approved_on", "approver_email", "next_review_due"],
    aliases: &[("title", "policy")],
    example: &["Information Security Policy", "0.9", "2025-02-03", "ben@example.com", "2026-02-03"],
};

/// Every approval of every version of the policies, in CSV: the current one comes with the
/// policies file; earlier ones are added from here. A row naming one already recorded (policy
/// and version) must match it.
pub struct ApprovalsCsv;

impl crate::csv_import::CsvRegister for ApprovalsCsv {
    const COLUMNS: &'static crate::csvio::Columns = &APPROVAL_COLUMNS;
    const KEY: &'static [&'static str] = &["policy", "version"];
    const FIND: &'static str = "SELECT a.id FROM policy_approvals a JOIN policies p ON p.id = a.policy_id
        WHERE p.title = ?1 COLLATE NOCASE AND a.version = ?2";
    const EXPORT_IDS: &'static str = "SELECT a.id FROM policy_approvals a JOIN policies p ON p.id = a.policy_id
        WHERE p.archived_at IS NULL ORDER BY p.title COLLATE NOCASE, a.approved_on, a.id";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        crate::csv_import::row_cells(
            conn,
            "SELECT p.title, a.version, a.approved_on, e.email, a.next_review_due FROM policy_approvals a
                 JOIN policies p ON p.id = a.policy_id JOIN people e ON e.id = a.approver_id WHERE a.id = ?1",
            [id],
        )
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        if let Some(id) = existing {
            return crate::csv_import::unchanged::<Self>(tx, c, id, "This approval");
        }
        let policy = c.lookup(tx, "policy", "SELECT id FROM policies WHERE title = ?1 COLLATE NOCASE", |t| {
            format!("No policy is titled {t}; add it under Policies first.")
        })?;
        let approver_id = c.person(tx, "approver_email")?;
        let Some(policy) = policy else {
            c.problem("policy", "Name the policy that was approved.");
            return Ok(Applied::Unchanged);
        };
        let input = ApproveInput {
            approved_on: c.text("approved_on"),
            approver_id,
            next_review_due: c.text("next_review_due"),
        };
        record_past_approval(tx, now, policy, &c.text("version"), &input)?;
        Ok(Applied::Created(tx.last_insert_rowid()))
    }
}
