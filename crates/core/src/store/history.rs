//! Change history: every create, update, archive and restore of a register record is
//! written in the same transaction as the change itself (when, what, old and new values).
//!
//! A creation is recorded without values. The record's row holds them, and every later
//! change keeps the value it replaced, so the values a record was created with are its
//! current ones with its changes undone, newest first. Storing them again would double the
//! workspace for nothing: a bulk import is mostly creations.

use chrono::{DateTime, Utc};
use rusqlite::{params, Connection, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::refs::Register;

/// The key a register's history rows are stored under.
fn entity_key(register: Register) -> Result<&'static str> {
    register
        .history_key()
        .ok_or_else(|| Error::internal(format!("{register:?} keeps no history of its own; record it on its parent")))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum HistoryAction {
    Create,
    Update,
    Archive,
    Restore,
}

impl HistoryAction {
    fn as_str(self) -> &'static str {
        match self {
            HistoryAction::Create => "create",
            HistoryAction::Update => "update",
            HistoryAction::Archive => "archive",
            HistoryAction::Restore => "restore",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        [Self::Create, Self::Update, Self::Archive, Self::Restore].into_iter().find(|a| a.as_str() == s)
    }
}

/// One field's change; `old` is null on create.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
#[ts(export)]
pub struct FieldChange {
    pub field: String,
    pub old: Option<String>,
    pub new: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct HistoryEntry {
    pub id: i64,
    pub action: HistoryAction,
    pub at: String,
    /// Who made the change: the computer account that ran the app or the command line (empty
    /// for entries written before it was recorded).
    pub actor: String,
    pub changes: Vec<FieldChange>,
}

/// Collects the fields whose values differ between two versions of a record.
#[derive(Debug, Default)]
pub struct Diff {
    changes: Vec<FieldChange>,
}

impl Diff {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records `field` if `old` and `new` differ. Empty strings count as no value.
    pub fn field(&mut self, field: &str, old: Option<String>, new: Option<String>) -> &mut Self {
        let norm = |v: Option<String>| v.filter(|s| !s.is_empty());
        let (old, new) = (norm(old), norm(new));
        if old != new {
            self.changes.push(FieldChange { field: field.to_owned(), old, new });
        }
        self
    }

    /// Records a person field (owner, author, …) by name: `old` as the record names them,
    /// `new` the name of the person to be written.
    pub fn person(&mut self, field: &str, old: Option<&crate::refs::PersonRef>, new: Option<String>) -> &mut Self {
        self.field(field, old.map(|p| p.name.clone()), new)
    }

    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    pub fn into_changes(self) -> Vec<FieldChange> {
        self.changes
    }
}

/// Records the creation of record `id` (without values: see the module's notes).
pub fn created(tx: &Transaction<'_>, now: DateTime<Utc>, entity: Register, id: i64) -> Result<()> {
    tx.prepare_cached(
        "INSERT INTO history (entity, entity_id, action, at, changes, actor)
         VALUES (?1, ?2, 'create', ?3, '[]', (SELECT name FROM temp.session_actor))",
    )?
    .execute(params![entity_key(entity)?, id, stamp(now)])?;
    Ok(())
}

/// Writes one history row of an update, archive or restore. An update that changed nothing
/// is not recorded.
pub fn record(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    entity: Register,
    id: i64,
    action: HistoryAction,
    changes: Vec<FieldChange>,
) -> Result<()> {
    if action == HistoryAction::Create {
        return Err(Error::internal("a creation is recorded by history::created, without values"));
    }
    if action == HistoryAction::Update && changes.is_empty() {
        return Ok(());
    }
    let json = serde_json::to_string(&changes)
        .map_err(|e| Error::internal(format!("history changes are plain strings and always encode: {e}")))?;
    tx.prepare_cached(
        "INSERT INTO history (entity, entity_id, action, at, changes, actor)
         VALUES (?1, ?2, ?3, ?4, ?5, (SELECT name FROM temp.session_actor))",
    )?
    .execute(params![entity_key(entity)?, id, action.as_str(), stamp(now), json])?;
    Ok(())
}

/// A record's history, newest first.
pub fn list(conn: &Connection, entity: Register, id: i64) -> Result<Vec<HistoryEntry>> {
    let mut stmt = conn.prepare_cached(
        "SELECT id, action, at, changes, actor FROM history WHERE entity = ?1 AND entity_id = ?2 ORDER BY id DESC",
    )?;
    let rows = stmt.query_map(params![entity_key(entity)?, id], |r| {
        Ok((
            (r.get::<_, i64>(0)?, r.get::<_, String>(1)?),
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, String>(4)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let ((hid, action), at, changes, actor) = row?;
        let action = HistoryAction::parse(&action)
            .ok_or_else(|| Error::internal(format!("history row {hid} has unknown action {action:?}")))?;
        let changes = serde_json::from_str(&changes)
            .map_err(|e| Error::internal(format!("history row {hid} holds changes we did not write: {e}")))?;
        out.push(HistoryEntry { id: hid, action, at, actor, changes });
    }
    Ok(out)
}

/// Archives or restores one record of a register and records that in its history, in the
/// caller's transaction. Callers check first that the state actually changes.
pub(crate) fn set_archived(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    entity: Register,
    id: i64,
    archived: bool,
) -> Result<()> {
    tx.execute(
        &format!(
            "UPDATE {} SET archived_at = CASE WHEN ?2 THEN ?3 ELSE NULL END, updated_at = ?3 WHERE id = ?1",
            entity.table()
        ),
        params![id, archived, stamp(now)],
    )?;
    let action = if archived { HistoryAction::Archive } else { HistoryAction::Restore };
    record(tx, now, entity, id, action, Vec::new())
}
