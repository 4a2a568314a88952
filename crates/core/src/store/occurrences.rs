//! Dated records that prove something happened (a control activity, a log review, a
//! disposal, a vendor assessment, an access review): recorded the same way everywhere. The
//! date is when it happened and cannot be in the future; the person who did it must exist;
//! the record it belongs to must not be archived; the parent's history notes it; and a file
//! attached with it is evidence effective on that date, added by that person. One function,
//! so that every register records its occurrences alike.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::Transaction;

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
    pub bytes: &'a [u8],
}

impl<'a> EvidenceFile<'a> {
    pub fn new(name: &'a str, bytes: &'a [u8]) -> Self {
        Self { name, expires_on: "", description: "", bytes }
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
    /// The input field naming who did it.
    pub by_field: &'static str,
    /// What a file attached with it is evidence of (given the new row's id).
    pub evidence_of: fn(i64) -> EvidenceTarget,
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
/// what was disposed of), and when it was recorded.
pub(crate) struct DatedRow {
    pub id: i64,
    pub performed_on: NaiveDate,
    pub performed_by: Option<crate::refs::PersonRef>,
    pub text: String,
    pub created_at: String,
}

/// The dated records of one parent, newest first. `sql` selects, for the parent `?1`: the
/// id, the date, the person's id and name, the text and the creation stamp, in that order.
pub(crate) fn dated_rows(conn: &rusqlite::Connection, sql: &str, parent_id: i64, what: &str) -> Result<Vec<DatedRow>> {
    let rows = conn
        .prepare_cached(sql)?
        .query_map([parent_id], |r| {
            let by = r.get::<_, Option<i64>>(2)?.zip(r.get::<_, Option<String>>(3)?);
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, by, r.get::<_, String>(4)?, r.get::<_, String>(5)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    rows.into_iter()
        .map(|(id, on, by, text, created_at)| {
            let performed_on = crate::validate::parse_date(&on)
                .ok_or_else(|| Error::internal(format!("{what} {id} has date {on:?}; dates are validated on write")))?;
            let performed_by = by.map(|(id, name)| crate::refs::PersonRef { id, name });
            Ok(DatedRow { id, performed_on, performed_by, text, created_at })
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
    let on = performed_on(&mut v, k.what, o.performed_on, now)?;
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
    attach(tx, now, attachments, (k.evidence_of)(id), on, o.performed_by, file)?;
    Ok(id)
}

/// The date an occurrence happened: required, real, and not in the future.
pub(crate) fn performed_on(v: &mut Validator, what: &str, text: &str, now: DateTime<Utc>) -> Result<Option<NaiveDate>> {
    let on = v.required_date("performed_on", "Performed on", text);
    if on.is_some_and(|d| d > now.date_naive()) {
        v.add("performed_on", format!("{} cannot be recorded before it happens.", capitalised(what)));
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
    evidence::attach(tx, now, attachments, target, file.bytes, &input)?;
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
