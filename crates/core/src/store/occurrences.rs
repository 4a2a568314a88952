//! Dated records that prove something happened (a control activity, a log review, a
//! disposal, a vendor assessment, an access review): recorded the same way everywhere. The
//! date is when it happened and cannot be in the future; the person who did it must exist;
//! the record it belongs to must not be archived; the parent's history notes it; and a file
//! attached with it is evidence effective on that date, added by that person. One function,
//! so that every register records its occurrences alike.
//!
//! A mistake in one is put right the same way for every kind: [`correct`] rewrites its date,
//! person and text, and [`withdraw`] takes it out of every count while keeping it, with when
//! and why. Both write the previous values into the parent's history, so nothing an auditor
//! may have seen disappears without a trace.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::stamp;

use crate::error::{Error, Result};
use crate::evidence::{self, EvidenceInput, EvidenceTarget};
use crate::history::{self, Diff, HistoryAction};
use crate::refs::Register;
use crate::validate::Validator;

/// A file attached while recording an occurrence.
#[derive(Debug, Clone, Copy)]
pub struct EvidenceFile<'a> {
    pub name: &'a str,
    /// Optional expiry (YYYY-MM-DD); empty for none.
    pub expires_on: &'a str,
    pub description: &'a str,
    pub content: evidence::Content<'a>,
}

impl<'a> EvidenceFile<'a> {
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Self {
        Self::from(evidence::Upload::bytes(name, bytes))
    }
}

impl<'a> From<evidence::Upload<'a>> for EvidenceFile<'a> {
    fn from(u: evidence::Upload<'a>) -> Self {
        Self { name: u.name, expires_on: "", description: "", content: u.content }
    }
}

/// A kind of occurrence: what it is called and where it is recorded (one constant per kind).
pub(crate) struct OccurrenceKind {
    /// What it is, with its article and in the plural, for messages ("an activity",
    /// "activities"), and the field the parent's history records it under ("activity").
    pub what: &'static str,
    pub what_plural: &'static str,
    pub history_field: &'static str,
    /// The register of the record it belongs to; that record's history notes the occurrence.
    pub parent: Register,
    /// The input field (and column) naming who did it, as a person's id; empty for a kind
    /// that names no person (an incident timeline entry's "who" is text among its own).
    pub by_field: &'static str,
    /// What a file attached with it is evidence of (given the new row's id); none for a kind
    /// that takes no file (an acknowledgement).
    pub evidence_of: Option<fn(i64) -> EvidenceTarget>,
    /// Its table, the column naming the parent record, and the columns of its own text
    /// (notes, what was disposed of…) that a correction rewrites, in the order given.
    pub table: &'static str,
    pub parent_column: &'static str,
    pub text_columns: &'static [&'static str],
    /// Those values in words for the parent's history (see [`in_words`] for most kinds).
    pub describe: fn(&[String]) -> String,
    /// Its date column (also the field its errors name) and that field's label.
    pub date_column: &'static str,
    pub date_label: &'static str,
    /// How the parent's history joins the person to the date: "by" who did it, "for" whom.
    pub person_word: &'static str,
    /// Whether a record of the kind can be withdrawn (its table has `withdrawn_at` and
    /// `withdrawn_reason`). A policy approval cannot: it froze its version's text.
    pub withdrawable: bool,
}

/// When and why a dated record was withdrawn: it stays on record, struck through, and no
/// longer counts anywhere.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Withdrawal {
    pub at: String,
    pub reason: String,
}

impl OccurrenceKind {
    /// One occurrence of this kind on record `parent_id`, performed on the typed date by a person.
    pub fn on<'a>(
        &'static self,
        parent_id: i64,
        parent_archived: bool,
        performed_on: &'a str,
        performed_by: Option<i64>,
    ) -> Occurrence<'a> {
        Occurrence { kind: self, parent_id, parent_archived, performed_on, performed_by }
    }
}

/// What is recorded, and on which record.
pub(crate) struct Occurrence<'a> {
    kind: &'static OccurrenceKind,
    parent_id: i64,
    parent_archived: bool,
    /// When it happened, as typed (YYYY-MM-DD).
    performed_on: &'a str,
    performed_by: Option<i64>,
}

/// One dated record as stored: its id, when it happened, who did it, its text (notes, or
/// what was disposed of), when it was recorded, and its withdrawal if it was withdrawn.
pub(crate) struct DatedRow {
    pub id: i64,
    pub performed_on: NaiveDate,
    pub performed_by: Option<crate::refs::PersonRef>,
    pub text: String,
    pub created_at: String,
    pub withdrawn: Option<Withdrawal>,
}

/// The dated records of one parent, newest first. `sql` selects, for the parent `?1`: the
/// id, the date, the person's id and name, the text, the creation stamp, and the withdrawal's
/// stamp and reason, in that order.
pub(crate) fn dated_rows(conn: &rusqlite::Connection, sql: &str, parent_id: i64, what: &str) -> Result<Vec<DatedRow>> {
    type Row = (i64, String, Option<(i64, String)>, String, String, Option<Withdrawal>);
    let rows = conn
        .prepare_cached(sql)?
        .query_map([parent_id], |r| -> rusqlite::Result<Row> {
            let by = r.get::<_, Option<i64>>(2)?.zip(r.get::<_, Option<String>>(3)?);
            let withdrawn = r.get::<_, Option<String>>(6)?.map(|at| (at, r.get::<_, String>(7)));
            let withdrawn = match withdrawn {
                Some((at, reason)) => Some(Withdrawal { at, reason: reason? }),
                None => None,
            };
            Ok((r.get(0)?, r.get(1)?, by, r.get(4)?, r.get(5)?, withdrawn))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, on, by, text, created_at, withdrawn)| {
            let performed_on = crate::validate::parse_date(&on)
                .ok_or_else(|| Error::internal(format!("{what} {id} has date {on:?}; dates are validated on write")))?;
            let performed_by = by.map(|(id, name)| crate::refs::PersonRef { id, name });
            Ok(DatedRow { id, performed_on, performed_by, text, created_at, withdrawn })
        })
        .collect()
}

/// The row an insert just wrote, read back in the same transaction (`rows` are the parent's).
pub(crate) fn written<T>(rows: Vec<T>, is_it: impl Fn(&T) -> bool, what: &str) -> Result<T> {
    rows.into_iter()
        .find(is_it)
        .ok_or_else(|| Error::internal(format!("the {what} just written is readable in the same transaction")))
}

/// Validates the shared part and the caller's own fields (`validate`, which adds to the same
/// validator, so every problem is reported at once), then writes the row (`insert`, given
/// the date; it returns the new id and the line for the parent's history), the history and
/// the evidence file, all in the caller's transaction. Returns the new row's id.
pub(crate) fn record_with_evidence<T>(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    attachments: &crate::attachments::Attachments,
    o: &Occurrence<'_>,
    validate: impl FnOnce(&mut Validator) -> Result<T>,
    insert: impl FnOnce(NaiveDate, T) -> Result<(i64, String)>,
    file: Option<EvidenceFile<'_>>,
) -> Result<i64> {
    let mut v = Validator::new();
    let k = o.kind;
    let on = dated(&mut v, k, o.performed_on, now)?;
    v.active_person(tx, k.by_field, o.performed_by, None, "person")?;
    let own = validate(&mut v)?;
    if o.parent_archived {
        v.add(
            "performed_on",
            format!("This {} is archived; restore it before recording {}.", k.parent.record_name(), k.what_plural),
        );
    }
    v.finish()?;
    let on = on.ok_or_else(|| Error::internal("a validated occurrence has its date"))?;
    let (id, summary) = insert(on, own)?;
    let mut d = Diff::new();
    d.field(k.history_field, None, Some(summary));
    history::record(tx, now, k.parent, o.parent_id, HistoryAction::Update, d.into_changes())?;
    if let Some(evidence_of) = k.evidence_of {
        attach(tx, now, attachments, evidence_of(id), on, o.performed_by, file)?;
    } else if file.is_some() {
        return Err(Error::internal(format!("{} takes no file", k.what_plural)));
    }
    Ok(id)
}

/// A stored dated record, as a correction or a withdrawal finds it.
pub(crate) struct Stored {
    pub parent_id: i64,
    pub parent_archived: bool,
    by: Option<i64>,
    pub withdrawn: bool,
    /// What it says, in one line, for the parent's history.
    pub line: String,
}

/// Dated record `id` of kind `k` as stored: its parent, whether it or its parent is out of
/// reach (withdrawn, archived), and what it says in one line.
pub(crate) fn stored(conn: &rusqlite::Connection, k: &OccurrenceKind, id: i64) -> Result<Stored> {
    let texts: String = k.text_columns.iter().map(|c| format!(", x.{c}")).collect();
    let by = if k.by_field.is_empty() { "NULL".to_owned() } else { format!("x.{}", k.by_field) };
    let withdrawn = if k.withdrawable { "x.withdrawn_at IS NOT NULL" } else { "0" };
    let sql = format!(
        "SELECT x.{parent}, x.{date}, {by}, p.name, {withdrawn},
                (SELECT archived_at IS NOT NULL FROM {parent_table} WHERE id = x.{parent}){texts}
         FROM {table} x LEFT JOIN people p ON p.id = {by} WHERE x.id = ?1",
        parent = k.parent_column,
        date = k.date_column,
        parent_table = k.parent.table(),
        table = k.table,
    );
    let n = k.text_columns.len();
    conn.prepare_cached(&sql)?
        .query_row([id], |r| {
            let (on, name): (String, Option<String>) = (r.get(1)?, r.get(3)?);
            let mut line = format!("on {on}");
            if let Some(name) = name {
                line.push_str(&format!(" {} {name}", k.person_word));
            }
            // Text, or a count shown as written.
            let texts = (0..n)
                .map(|i| {
                    Ok(match r.get::<_, Value>(6 + i)? {
                        Value::Text(t) => t,
                        Value::Integer(n) => n.to_string(),
                        Value::Real(x) => x.to_string(),
                        Value::Null | Value::Blob(_) => String::new(),
                    })
                })
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let words = (k.describe)(&texts);
            if !words.is_empty() {
                line.push_str(": ");
                line.push_str(&words);
            }
            Ok(Stored { parent_id: r.get(0)?, parent_archived: r.get(5)?, by: r.get(2)?, withdrawn: r.get(4)?, line })
        })
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No {} with id {id}.", noun(k))))
}

/// Corrects dated record `id` of kind `k`: its date (typed), the person who did it, and the
/// values of its `text_columns` that `validate` returns (adding its problems to the same
/// validator, so all are reported at once). The parent's history keeps the values before and
/// after. A withdrawn record, or one whose parent is archived, is not corrected. Returns
/// whether anything changed (nothing is written, nor recorded, when nothing did).
pub(crate) fn correct(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    k: &OccurrenceKind,
    id: i64,
    (performed_on_text, performed_by): (&str, Option<i64>),
    validate: impl FnOnce(&mut Validator) -> Result<Vec<Value>>,
) -> Result<bool> {
    let before = stored(tx, k, id)?;
    let mut v = Validator::new();
    let on = dated(&mut v, k, performed_on_text, now)?;
    v.active_person(tx, k.by_field, performed_by, before.by, "person")?;
    let texts = validate(&mut v)?;
    if before.withdrawn {
        v.add(k.date_column, format!("This {} was withdrawn; record it again instead.", noun(k)));
    } else if before.parent_archived {
        v.add(
            k.date_column,
            format!("This {} is archived; restore it before correcting its {}.", k.parent.record_name(), k.what_plural),
        );
    }
    v.finish()?;
    let on = on.ok_or_else(|| Error::internal("a validated correction has its date"))?;
    if texts.len() != k.text_columns.len() {
        return Err(Error::internal(format!("{} takes {} text values", k.table, k.text_columns.len())));
    }
    let sets: String = k.text_columns.iter().enumerate().map(|(i, c)| format!(", {c} = ?{}", i + 4)).collect();
    let sql = format!("UPDATE {} SET {} = ?2, {} = ?3{sets} WHERE id = ?1", k.table, k.date_column, k.by_field);
    let mut values: Vec<Value> = vec![id.into(), on.to_string().into(), performed_by.into()];
    values.extend(texts);
    tx.prepare_cached(&sql)?.execute(params_from_iter(values)).map_err(|e| match e.sqlite_error_code() {
        // The table allows one record of the same day (and person): the corrected one would
        // be a second.
        Some(rusqlite::ErrorCode::ConstraintViolation) => {
            Error::field(k.date_column, format!("The same {} is already recorded for that day.", noun(k)))
        }
        _ => e.into(),
    })?;
    noted(tx, now, k, id, before)
}

/// After a correction of record `id`, which said `before`: the parent's history keeps the
/// line before and after. Returns whether anything changed (the same values write nothing).
pub(crate) fn noted(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    k: &OccurrenceKind,
    id: i64,
    before: Stored,
) -> Result<bool> {
    let after = stored(tx, k, id)?;
    if after.line == before.line {
        return Ok(false);
    }
    let mut d = Diff::new();
    d.field(k.history_field, Some(before.line), Some(after.line));
    history::record(tx, now, k.parent, before.parent_id, HistoryAction::Update, d.into_changes())?;
    Ok(true)
}

/// Withdraws dated record `id` of kind `k`, for the `reason` given (required): it stays, with
/// when and why, and counts nowhere from now on, on any date (it was a mistake). The parent's
/// history keeps what it said. Withdrawing it again is refused.
pub(crate) fn withdraw(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    k: &OccurrenceKind,
    id: i64,
    reason: &str,
) -> Result<()> {
    if !k.withdrawable {
        return Err(Error::field(
            "reason",
            format!("{} cannot be withdrawn; correct it instead.", capitalised(k.what)),
        ));
    }
    let before = stored(tx, k, id)?;
    let mut v = Validator::new();
    let reason = v.required("reason", "Reason", reason, 2_000);
    if before.withdrawn {
        v.add("reason", format!("This {} is already withdrawn.", noun(k)));
    } else if before.parent_archived {
        v.add(
            "reason",
            format!(
                "This {} is archived; restore it before withdrawing its {}.",
                k.parent.record_name(),
                k.what_plural
            ),
        );
    }
    v.finish()?;
    tx.prepare_cached(&format!("UPDATE {} SET withdrawn_at = ?2, withdrawn_reason = ?3 WHERE id = ?1", k.table))?
        .execute(rusqlite::params![id, stamp(now), reason])?;
    let mut d = Diff::new();
    d.field(k.history_field, Some(before.line), Some(format!("withdrawn: {reason}")));
    history::record(tx, now, k.parent, before.parent_id, HistoryAction::Update, d.into_changes())
}

/// A kind's own values in words as stored: those not empty, joined by "; ".
pub(crate) fn in_words(texts: &[String]) -> String {
    texts.iter().filter(|t| !t.is_empty()).cloned().collect::<Vec<_>>().join("; ")
}

/// The kind's name without its article ("review").
fn noun(k: &OccurrenceKind) -> &'static str {
    k.what.split_once(' ').map_or(k.what, |(_, w)| w)
}

/// The date an occurrence happened: required, real, and not in the future.
pub(crate) fn performed_on(v: &mut Validator, what: &str, text: &str, now: DateTime<Utc>) -> Result<Option<NaiveDate>> {
    happened(v, ("performed_on", "Performed on"), what, text, now)
}

/// [`performed_on`] in the kind's own date field.
fn dated(v: &mut Validator, k: &OccurrenceKind, text: &str, now: DateTime<Utc>) -> Result<Option<NaiveDate>> {
    happened(v, (k.date_column, k.date_label), k.what, text, now)
}

fn happened(
    v: &mut Validator,
    (field, label): (&str, &str),
    what: &str,
    text: &str,
    now: DateTime<Utc>,
) -> Result<Option<NaiveDate>> {
    let on = v.required_date(field, label, text);
    if on.is_some_and(|d| d > now.date_naive()) {
        v.add(field, format!("{} cannot be recorded before it happens.", capitalised(what)));
    }
    Ok(on)
}

/// Attaches a file to an occurrence: evidence effective when it happened, added by who did it.
pub(crate) fn attach(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    attachments: &crate::attachments::Attachments,
    target: EvidenceTarget,
    on: NaiveDate,
    by: Option<i64>,
    file: Option<EvidenceFile<'_>>,
) -> Result<()> {
    let Some(file) = file else { return Ok(()) };
    let input = EvidenceInput {
        file_name: file.name.to_owned(),
        effective_date: on.to_string(),
        expires_on: file.expires_on.to_owned(),
        added_by: by,
        description: file.description.to_owned(),
    };
    evidence::attach_content(tx, now, attachments, target, file.content, &input)?;
    Ok(())
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_start_with_a_capital() {
        assert_eq!(capitalised("an assessment"), "An assessment");
    }
}
