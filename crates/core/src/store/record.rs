//! The register contract: what a record kind says about itself, and the one implementation
//! of creating, updating, archiving and restoring records (with their history) that every
//! register shares.
//!
//! A kind says how to load one record ([`Kept`]), how to validate its input, what differs
//! between a stored record and new values, and how to write its row and its child rows
//! ([`Editable`]). This module does the rest in the same order for every register: validate,
//! diff, write, record history, read back. An update that changes nothing writes nothing
//! and records nothing. CSV imports ([`save_row`]) and the app's forms go through the same
//! path, so a row is refused for exactly the reasons a form is.

use chrono::{DateTime, Utc};
use rusqlite::types::Value;
use rusqlite::{params_from_iter, Connection, Transaction};

use crate::clock::stamp;
use crate::csv_import::Applied;
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryAction};
use crate::refs::Register;

/// A record kind kept in a register, with a change history and archiving.
pub trait Kept: Sized {
    const REGISTER: Register;

    /// One record as the app shows it at `now` (derived states use that moment).
    fn load(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<Self>;

    fn archived(&self) -> bool;
}

/// A record kind the user creates and edits through one input shape (form or CSV row).
pub trait Editable: Kept {
    type Input;
    /// The input once checked: references resolved, text trimmed, values normalised.
    type Valid;

    /// Checks `input` as a new record (`old` is none) or as new values for `old`; refuses it
    /// with field errors.
    fn validate(conn: &Connection, now: DateTime<Utc>, input: &Self::Input, old: Option<&Self>) -> Result<Self::Valid>;

    /// The fields that differ between `old` and `valid`, for history. With no `old`, every
    /// value `valid` sets: what the record holds as created (history stores no values for a
    /// creation, so this is what undoing its changes gives back).
    fn diff(conn: &Connection, old: Option<&Self>, valid: &Self::Valid) -> Result<Diff>;

    /// The columns of the record's own row that its values fill, in the order of [`Self::values`]
    /// (`created_at` and `updated_at` are written by the contract).
    const COLUMNS: &'static [&'static str];

    /// The values of [`Self::COLUMNS`].
    fn values(valid: &Self::Valid) -> Vec<Value>;

    /// Columns written once, when the record is created (a starter library key).
    fn creation_values(_valid: &Self::Valid) -> Vec<(&'static str, Value)> {
        Vec::new()
    }

    /// Turns a failed write into the error the user sees (a unique index into a field error).
    fn write_error(e: rusqlite::Error) -> Error {
        e.into()
    }

    /// Whether `valid` changes stored values that history does not show (a typed date behind
    /// the effective one shown), so the row is written even when the diff is empty.
    fn quiet_change(_old: &Self, _valid: &Self::Valid) -> bool {
        false
    }

    /// Replaces the record's child rows (links, lists) with those of `valid`.
    fn write_children(_tx: &Transaction<'_>, _id: i64, _valid: &Self::Valid) -> Result<()> {
        Ok(())
    }
}

/// `?from, ?from+1, …` for `n` values.
fn places(from: usize, n: usize) -> String {
    (from..from + n).map(|i| format!("?{i}")).collect::<Vec<_>>().join(", ")
}

/// Creates a record from checked values, with its history entry. Returns its id.
pub fn insert_valid<K: Editable>(tx: &Transaction<'_>, now: DateTime<Utc>, valid: &K::Valid) -> Result<i64> {
    let (mut columns, mut values) = (K::COLUMNS.to_vec(), K::values(valid));
    for (column, value) in K::creation_values(valid) {
        columns.push(column);
        values.push(value);
    }
    let stamp = stamp(now);
    values.push(stamp.clone().into());
    values.push(stamp.into());
    // Built without the format machinery: an import builds it once a row to find its statement.
    let mut sql = String::with_capacity(256);
    sql.push_str("INSERT INTO ");
    sql.push_str(K::REGISTER.table());
    sql.push_str(" (");
    for column in columns {
        sql.push_str(column);
        sql.push_str(", ");
    }
    sql.push_str("created_at, updated_at) VALUES (?");
    sql.push_str(&", ?".repeat(values.len() - 1));
    sql.push(')');
    tx.prepare_cached(&sql)?.execute(params_from_iter(values)).map_err(K::write_error)?;
    let id = tx.last_insert_rowid();
    K::write_children(tx, id, valid)?;
    history::created(tx, now, K::REGISTER, id)?;
    Ok(id)
}

/// Writes checked values over `old`, with its history entry. Returns whether anything changed
/// (nothing is written, and no history recorded, when nothing did).
pub fn update_valid<K: Editable>(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    old: &K,
    valid: &K::Valid,
) -> Result<bool> {
    let changes = K::diff(tx, Some(old), valid)?;
    if changes.is_empty() && !K::quiet_change(old, valid) {
        return Ok(false);
    }
    let mut values = K::values(valid);
    let n = values.len();
    values.extend([stamp(now).into(), id.into()]);
    let sql = format!(
        "UPDATE {} SET ({}, updated_at) = ({}, ?{}) WHERE id = ?{}",
        K::REGISTER.table(),
        K::COLUMNS.join(", "),
        places(1, n),
        n + 1,
        n + 2
    );
    tx.prepare_cached(&sql)?.execute(params_from_iter(values)).map_err(K::write_error)?;
    K::write_children(tx, id, valid)?;
    history::record(tx, now, K::REGISTER, id, HistoryAction::Update, changes.into_changes())?;
    Ok(true)
}

/// Creates a record from the user's input.
pub fn create<K: Editable>(tx: &Transaction<'_>, now: DateTime<Utc>, input: &K::Input) -> Result<K> {
    let valid = K::validate(tx, now, input, None)?;
    let id = insert_valid::<K>(tx, now, &valid)?;
    K::load(tx, id, now)
}

/// Replaces record `id`'s values with the user's input.
pub fn update<K: Editable>(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &K::Input) -> Result<K> {
    let old = K::load(tx, id, now)?;
    let valid = K::validate(tx, now, input, Some(&old))?;
    update_valid(tx, now, id, &old, &valid)?;
    K::load(tx, id, now)
}

/// Archives or restores record `id`. Records are kept for the auditor, never deleted; doing
/// what is already done changes nothing.
pub fn set_archived<K: Kept>(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, archived: bool) -> Result<K> {
    let old = K::load(tx, id, now)?;
    if old.archived() == archived {
        return Ok(old);
    }
    history::set_archived(tx, now, K::REGISTER, id, archived)?;
    K::load(tx, id, now)
}

/// Writes one imported row: creates a record or updates `existing`, through the same
/// validation as the app. When the row already has `errors` (cells the register could not
/// read), nothing is written.
pub fn save_row<K: Editable>(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    existing: Option<i64>,
    input: &K::Input,
    errors: &[crate::csvio::RowError],
) -> Result<Applied> {
    let old = existing.map(|id| K::load(tx, id, now)).transpose()?;
    let valid = K::validate(tx, now, input, old.as_ref())?;
    if !errors.is_empty() {
        return Ok(Applied::Unchanged);
    }
    match (existing, old) {
        (Some(id), Some(old)) if update_valid(tx, now, id, &old, &valid)? => Ok(Applied::Updated(id)),
        (Some(_), _) => Ok(Applied::Unchanged),
        (None, _) => Ok(Applied::Created(insert_valid::<K>(tx, now, &valid)?)),
    }
}

/// The names of the records `ids` refer to (`sql` reads one name by `?1`), sorted as people
/// read them and joined, for history entries.
pub fn names_of(conn: &Connection, sql: &str, ids: &[i64]) -> Result<String> {
    use rusqlite::OptionalExtension;
    let mut names = Vec::new();
    for id in ids {
        names.extend(conn.prepare_cached(sql)?.query_row([id], |r| r.get::<_, String>(0)).optional()?);
    }
    Ok(joined(names))
}

/// Names sorted as people read them (without case) and joined, for history entries.
pub fn joined(names: impl IntoIterator<Item = String>) -> String {
    let mut names: Vec<String> = names.into_iter().collect();
    names.sort_by_key(|n| n.to_lowercase());
    names.join(", ")
}
