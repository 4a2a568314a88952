//! The roles the starter content names (Security Lead, People Lead, …) and who holds each.
//! Mapping a role to a person once makes them the owner of every starter control, policy and
//! risk that role owns and that has no owner yet, or that the role's previous holder owned:
//! so when someone leaves, mapping their roles to a successor moves their records, and an
//! owner someone chose by hand is never overwritten.

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::Serialize;
use ts_rs::TS;

use crate::clock::stamp;
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryAction};
use crate::refs::{PersonRef, Register};
use crate::starter::{controls::guide, policy_texts};
use crate::validate::Validator;

/// A role and who holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RoleHolder {
    pub key: String,
    pub title: String,
    pub person: Option<PersonRef>,
    /// The holder's end date, when they have left or are leaving: the role needs a successor.
    pub person_leaves_on: Option<NaiveDate>,
    /// Starter controls, policies and risks the role owns.
    pub records: u32,
    /// Of those, how many have no owner yet.
    pub unowned: u32,
}

/// What mapping a role changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RoleAssigned {
    pub holder: RoleHolder,
    /// Records whose owner became the new holder.
    pub moved: u32,
}

fn setting_key(role: &str) -> String {
    format!("role.{role}")
}

fn title_of(role: &str) -> Option<&'static str> {
    policy_texts::ROLES.iter().find(|(k, _)| *k == role).map(|(_, t)| *t)
}

/// A starter record a role owns: its register, table, id and owner.
type Owned = (Register, &'static str, i64, Option<i64>);

/// The starter records a role owns.
fn records_of(conn: &Connection, role: &str) -> Result<Vec<Owned>> {
    let mut out = Vec::new();
    let mut stmt = conn.prepare_cached("SELECT id, reference, owner_id FROM controls WHERE archived_at IS NULL")?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?)))?;
    for row in rows {
        let (id, reference, owner) = row?;
        if guide(&reference).is_some_and(|g| g.role == role) {
            out.push((Register::Controls, "controls", id, owner));
        }
    }
    let mut stmt = conn.prepare_cached("SELECT id, title, owner_id FROM policies WHERE archived_at IS NULL")?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?)))?;
    for row in rows {
        let (id, title, owner) = row?;
        if policy_texts::for_title(&title).is_some_and(|t| t.owner_role() == role) {
            out.push((Register::Policies, "policies", id, owner));
        }
    }
    let mut stmt = conn.prepare_cached(
        "SELECT id, starter_key, owner_id FROM risks WHERE archived_at IS NULL AND starter_key IS NOT NULL",
    )?;
    let rows =
        stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, Option<i64>>(2)?)))?;
    for row in rows {
        let (id, key, owner) = row?;
        if crate::starter::risks::suggestion(&key).is_some_and(|s| s.role == role) {
            out.push((Register::Risks, "risks", id, owner));
        }
    }
    Ok(out)
}

fn holder_id(conn: &Connection, role: &str) -> Result<Option<i64>> {
    let value: Option<String> = conn
        .prepare_cached("SELECT value FROM settings WHERE key = ?1")?
        .query_row([setting_key(role)], |r| r.get(0))
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()))
}

fn person(conn: &Connection, id: i64) -> Result<Option<(PersonRef, Option<NaiveDate>)>> {
    let row: Option<(String, Option<String>)> = conn
        .prepare_cached("SELECT name, end_date FROM people WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    Ok(row
        .map(|(name, end)| (PersonRef { id, name }, end.and_then(|d| NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok()))))
}

fn holder(conn: &Connection, key: &str, title: &str) -> Result<RoleHolder> {
    let found = match holder_id(conn, key)? {
        Some(id) => person(conn, id)?,
        None => None,
    };
    let records = records_of(conn, key)?;
    let (person, person_leaves_on) = match found {
        Some((p, end)) => (Some(p), end),
        None => (None, None),
    };
    Ok(RoleHolder {
        key: key.to_owned(),
        title: title.to_owned(),
        person,
        person_leaves_on,
        records: records.len() as u32,
        unowned: records.iter().filter(|r| r.3.is_none()).count() as u32,
    })
}

/// Who holds `role` on `on` and can own records: a person who is not archived and has not left
/// by that day. Starter records added later take them as owner.
pub fn active_holder(conn: &Connection, role: &str, on: NaiveDate) -> Result<Option<PersonRef>> {
    let Some(id) = holder_id(conn, role)? else { return Ok(None) };
    let row: Option<String> = conn
        .prepare_cached(
            "SELECT name FROM people WHERE id = ?1 AND archived_at IS NULL AND (end_date IS NULL OR end_date >= ?2)",
        )?
        .query_row(params![id, on.to_string()], |r| r.get(0))
        .optional()?;
    Ok(row.map(|name| PersonRef { id, name }))
}

/// The roles that count for this workspace: the privacy lead only when Privacy is in scope.
pub fn in_scope(conn: &Connection) -> Result<Vec<(&'static str, &'static str)>> {
    let privacy = crate::profile::categories_in_scope(conn)?.contains(&crate::refs::Category::Privacy);
    Ok(policy_texts::ROLES.iter().copied().filter(|(k, _)| privacy || *k != "privacy_lead").collect())
}

/// Every role, in the order the starter content lists them, with its holder.
pub fn list(conn: &Connection) -> Result<Vec<RoleHolder>> {
    in_scope(conn)?.into_iter().map(|(key, title)| holder(conn, key, title)).collect()
}

/// Maps `role` to a person (or to nobody). The role's starter records without an owner, or
/// owned by the previous holder, become the new holder's; each change is in its record's
/// history. Unmapping leaves every owner as it is.
pub fn assign(tx: &Transaction<'_>, now: DateTime<Utc>, role: &str, person_id: Option<i64>) -> Result<RoleAssigned> {
    let Some(title) = title_of(role) else {
        return Err(Error::field("role", format!("There is no role {role:?}.")));
    };
    let previous = holder_id(tx, role)?;
    let mut v = Validator::new();
    v.active_person(tx, "person_id", person_id, previous, "holder")?;
    v.finish()?;
    let mut moved = 0;
    match person_id {
        None => {
            tx.execute("DELETE FROM settings WHERE key = ?1", [setting_key(role)])?;
        }
        Some(new) => {
            tx.execute(
                "INSERT INTO settings (key, value, updated_at) VALUES (?1, ?2, ?3)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                params![setting_key(role), new.to_string(), stamp(now)],
            )?;
            let new_name = person(tx, new)?.map(|(p, _)| p.name);
            for (register, table, id, owner) in records_of(tx, role)? {
                if owner == Some(new) || !(owner.is_none() || owner == previous) {
                    continue;
                }
                let old_name = match owner {
                    Some(o) => person(tx, o)?.map(|(p, _)| p.name),
                    None => None,
                };
                tx.execute(
                    &format!("UPDATE {table} SET owner_id = ?2, updated_at = ?3 WHERE id = ?1"),
                    params![id, new, stamp(now)],
                )?;
                let mut d = Diff::new();
                d.field("owner", old_name, new_name.clone());
                history::record(tx, now, register, id, HistoryAction::Update, d.into_changes())?;
                moved += 1;
            }
        }
    }
    Ok(RoleAssigned { holder: holder(tx, role, title)?, moved })
}
