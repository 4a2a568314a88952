//! The workspace as it stood at the end of a past day, for checks that must be history-true:
//! a record recorded after that day did not exist yet, and where a field's history shows a
//! later change, the value before that change is the one that held on the day.
//!
//! History keeps each change's old and new value as the app showed it ("yes", a label, a
//! name); [`Past::fields`] returns those texts and the caller reads them back.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::{params, Connection, Params, Row};

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

    /// What history says about `register`'s records on the day: the `fields` that changed
    /// since, and which records were archived then.
    pub fn then(&self, conn: &Connection, register: Register, fields: &[&str]) -> Result<Then> {
        Ok(Then { fields: self.fields(conn, register, fields)?, archived: self.archived(conn, register)? })
    }

    /// The records `sql` reads with `params` (each row: the record's id, whether it is archived
    /// now, then the values of `fields` as text), as they were on the day: those archived then
    /// are left out, and each value is the one it had then.
    pub fn records<const N: usize>(
        &self,
        conn: &Connection,
        register: Register,
        fields: [&str; N],
        sql: &str,
        params: impl Params,
    ) -> Result<Vec<(i64, [Option<String>; N])>> {
        let rows = self.records_with(conn, register, fields, (sql, params), |_| Ok(()))?;
        Ok(rows.into_iter().map(|(id, values, ())| (id, values)).collect())
    }

    /// [`Past::records`], with what `extra` reads from each row's columns after the fields
    /// (as they are now).
    pub fn records_with<const N: usize, X>(
        &self,
        conn: &Connection,
        register: Register,
        fields: [&str; N],
        (sql, params): (&str, impl Params),
        extra: impl Fn(&Row<'_>) -> rusqlite::Result<X>,
    ) -> Result<Vec<Record<N, X>>> {
        let then = self.then(conn, register, &fields)?;
        let mut stmt = conn.prepare_cached(sql)?;
        let rows = stmt
            .query_map(params, |r| {
                let mut values = [const { None }; N];
                for (i, v) in values.iter_mut().enumerate() {
                    *v = r.get(i + 2)?;
                }
                Ok((r.get::<_, i64>(0)?, r.get::<_, bool>(1)?, values, extra(r)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        Ok(rows
            .into_iter()
            .filter(|(id, archived, _, _)| !then.archived(*id, *archived))
            .map(|(id, _, values, x)| (id, then.values(id, &fields, values), x))
            .collect())
    }
}

/// A record on the day: its id, the values of the fields asked, and what else was read.
pub type Record<const N: usize, X = ()> = (i64, [Option<String>; N], X);

/// One register's records as they were on a past day (see [`Past::then`]): read each row as
/// it is now, then ask what it was.
pub struct Then {
    fields: HashMap<(i64, String), Option<String>>,
    archived: HashMap<i64, bool>,
}

impl Then {
    /// Whether record `id`, archived now when `archived_now`, was archived on the day.
    pub fn archived(&self, id: i64, archived_now: bool) -> bool {
        self.archived.get(&id).copied().unwrap_or(archived_now)
    }

    /// The value `field` of record `id` had on the day (`None` when it had none), when history
    /// shows it changed since; `None` when it did not.
    pub fn old(&self, id: i64, field: &str) -> Option<&Option<String>> {
        self.fields.get(&(id, field.to_owned()))
    }

    /// The value `field` of record `id` had on the day (`None` when it had none), given its
    /// value `now`.
    pub fn value(&self, id: i64, field: &str, now: Option<String>) -> Option<String> {
        self.old(id, field).cloned().unwrap_or(now)
    }

    /// The text `field` of record `id` had on the day; `now` when history has no value for it.
    pub fn text(&self, id: i64, field: &str, now: String) -> String {
        self.old(id, field).cloned().flatten().unwrap_or(now)
    }

    /// `values` (the values of `fields` now, in that order) as they were on the day.
    pub fn values<V: AsMut<[Option<String>]>>(&self, id: i64, fields: &[&str], mut values: V) -> V {
        for (value, field) in values.as_mut().iter_mut().zip(fields) {
            if let Some(old) = self.old(id, field) {
                *value = old.clone();
            }
        }
        values
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
