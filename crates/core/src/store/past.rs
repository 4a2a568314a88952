//! The workspace as it stood at the end of a past day, for checks that must be history-true:
//! a record recorded after that day did not exist yet, and where a field's history shows a
//! later change, the value before that change is the one that held on the day.
//!
//! History keeps each change's old and new value as the app showed it ("yes", a label, a
//! name); [`Past::fields`] returns those texts and the caller reads them back.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection};

use crate::error::{Error, Result};
use crate::history::FieldChange;
use crate::refs::Register;

/// A day in the past (or today): the end of that day is the moment the workspace is read at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Past {
    pub day: NaiveDate,
    /// The last stored timestamp of the day, comparable with `created_at` and history's `at`.
    end: String,
}

impl Past {
    pub fn new(day: NaiveDate) -> Self {
        Self { day, end: format!("{day}T23:59:59Z") }
    }

    /// The end of the day as stored timestamps write it; a row is known on the day when its
    /// `created_at <= end()`.
    pub fn end(&self) -> &str {
        &self.end
    }

    /// Whether a row recorded at `created_at` was known by the end of the day.
    pub fn knew(&self, created_at: &str) -> bool {
        created_at <= self.end.as_str()
    }

    /// For each record of `register` whose `fields` changed after the day: the value each had
    /// on the day, as history wrote it (`None` for no value). Fields that did not change since
    /// are absent: their current value held on the day.
    pub fn fields(
        &self,
        conn: &Connection,
        register: Register,
        fields: &[&str],
    ) -> Result<HashMap<(i64, String), Option<String>>> {
        let Some(key) = register.history_key() else { return Ok(HashMap::new()) };
        let mut out = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT id, entity_id, changes FROM history WHERE entity = ?1 AND at > ?2 AND action = 'update' ORDER BY id",
        )?;
        let rows = stmt.query_map(params![key, self.end], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?))
        })?;
        for row in rows {
            let (hid, id, changes) = row?;
            let changes: Vec<FieldChange> = serde_json::from_str(&changes)
                .map_err(|e| Error::internal(format!("history row {hid} holds changes we did not write: {e}")))?;
            for c in changes.into_iter().filter(|c| fields.contains(&c.field.as_str())) {
                // The first change after the day holds, as its old value, the value on the day.
                out.entry((id, c.field)).or_insert(c.old);
            }
        }
        Ok(out)
    }

    /// For each record of `register` archived or restored after the day: whether it was
    /// archived on the day. Others were as they are now.
    pub fn archived(&self, conn: &Connection, register: Register) -> Result<HashMap<i64, bool>> {
        let Some(key) = register.history_key() else { return Ok(HashMap::new()) };
        let mut out = HashMap::new();
        let mut stmt = conn.prepare_cached(
            "SELECT entity_id, action FROM history
             WHERE entity = ?1 AND at > ?2 AND action IN ('archive', 'restore') ORDER BY id",
        )?;
        let rows = stmt.query_map(params![key, self.end], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        for row in rows {
            let (id, action) = row?;
            // Restored later: it was archived on the day; archived later: it was not.
            out.entry(id).or_insert(action == "restore");
        }
        Ok(out)
    }
}

/// A yes/no value as history writes it.
pub fn yes(text: Option<&str>) -> bool {
    text == Some("yes")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_end_of_the_day_orders_with_stored_timestamps() {
        let p = Past::new(NaiveDate::from_ymd_opt(2026, 3, 31).unwrap());
        assert!(p.knew("2026-03-31T23:59:59Z"));
        assert!(p.knew("2026-03-31T00:00:00Z"));
        assert!(!p.knew("2026-04-01T00:00:00Z"));
    }
}
