//! Leavers: for everyone with an end date, when their access to each in-scope system was
//! removed (or that they had none). Access must go within one business day of the last day.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::history::{self, Diff, HistoryAction};
use crate::refs::NamedRef;
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::validate::{parse_date, Validator};

/// The next business day (Monday to Friday) after `day`: Friday and the weekend roll to Monday.
pub fn next_business_day(day: NaiveDate) -> NaiveDate {
    crate::clock::add_business_days(day, 1)
}

string_enum!(
    DeprovisionState {
        /// Removed by the deadline.
        OnTime = "on_time" / "Removed in time",
        /// Removed, but after the deadline.
        Late = "late" / "Removed late",
        /// The person never had an account.
        NoAccess = "no_access" / "No access",
        /// Not recorded yet; the deadline has not passed.
        Pending = "pending" / "Pending",
        /// Not recorded and the deadline has passed.
        Overdue = "overdue" / "Overdue",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SystemAccess {
    pub system: NamedRef,
    pub removed_on: Option<NaiveDate>,
    pub state: DeprovisionState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Leaver {
    pub person: PersonRef,
    pub role: String,
    pub end_date: NaiveDate,
    /// One business day after the end date.
    pub deadline: NaiveDate,
    pub systems: Vec<SystemAccess>,
    /// Every system recorded (removed or no access).
    pub complete: bool,
    /// At least one system removed late or overdue.
    pub late: bool,
}

/// A leaver's state for one system on `as_of`, with one business day to remove access.
pub fn access_state(
    end_date: NaiveDate,
    removed_on: Option<NaiveDate>,
    no_access: bool,
    as_of: NaiveDate,
) -> DeprovisionState {
    access_state_by(next_business_day(end_date), removed_on, no_access, as_of)
}

/// A leaver's state for one system on `as_of`, given the last day on time.
pub fn access_state_by(
    deadline: NaiveDate,
    removed_on: Option<NaiveDate>,
    no_access: bool,
    as_of: NaiveDate,
) -> DeprovisionState {
    match (no_access, removed_on) {
        (true, _) => DeprovisionState::NoAccess,
        (false, Some(d)) if d <= deadline => DeprovisionState::OnTime,
        (false, Some(_)) => DeprovisionState::Late,
        (false, None) if as_of > deadline => DeprovisionState::Overdue,
        (false, None) => DeprovisionState::Pending,
    }
}

/// Everyone whose end date is on or before `as_of` plus `ahead_days` (so the ops lead sees
/// who is leaving soon), newest leavers first, against every in-scope system.
pub fn list(conn: &Connection, as_of: NaiveDate, ahead_days: u64) -> Result<Vec<Leaver>> {
    let horizon = as_of.checked_add_days(Days::new(ahead_days)).unwrap_or(NaiveDate::MAX);
    let days = crate::settings::check_settings(conn)?.leaver_business_days;
    let people = conn
        .prepare_cached(
            "SELECT id, name, role, end_date FROM people WHERE end_date IS NOT NULL AND end_date <= ?1
             ORDER BY end_date DESC, name COLLATE NOCASE",
        )?
        .query_map([horizon.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let systems = conn
        .prepare_cached(
            "SELECT id, name FROM systems WHERE in_scope = 1 AND archived_at IS NULL ORDER BY name COLLATE NOCASE",
        )?
        .query_map([], |r| Ok(NamedRef { id: r.get(0)?, name: r.get(1)? }))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // All records in one read: leavers x systems can be large.
    let records: std::collections::HashMap<(i64, i64), (Option<NaiveDate>, bool)> = conn
        .prepare_cached("SELECT person_id, system_id, removed_on, no_access FROM deprovisioning")?
        .query_map([], |r| {
            Ok(((r.get(0)?, r.get(1)?), (r.get::<_, Option<String>>(2)?.as_deref().and_then(parse_date), r.get(3)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::with_capacity(people.len());
    for (id, name, role, end) in people {
        let Some(end_date) = parse_date(&end) else { continue };
        let deadline = crate::clock::add_business_days(end_date, days);
        let mut access = Vec::with_capacity(systems.len());
        for s in &systems {
            let (removed, no_access) = records.get(&(id, s.id)).copied().unwrap_or((None, false));
            access.push(SystemAccess {
                system: s.clone(),
                removed_on: removed,
                state: access_state_by(deadline, removed, no_access, as_of),
            });
        }
        out.push(Leaver {
            person: PersonRef { id, name },
            role,
            end_date,
            deadline,
            complete: access.iter().all(|a| {
                matches!(a.state, DeprovisionState::OnTime | DeprovisionState::Late | DeprovisionState::NoAccess)
            }),
            late: access.iter().any(|a| matches!(a.state, DeprovisionState::Late | DeprovisionState::Overdue)),
            systems: access,
        });
    }
    Ok(out)
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DeprovisionInput {
    pub person_id: i64,
    pub system_id: i64,
    /// When access was removed (YYYY-MM-DD); empty with `no_access`.
    pub removed_on: String,
    pub no_access: bool,
}

/// Records (or corrects) when a leaver's access to a system was removed, or that they had none.
/// Recording neither clears the record.
pub fn record(tx: &Transaction<'_>, now: DateTime<Utc>, input: &DeprovisionInput) -> Result<()> {
    let mut v = Validator::new();
    let person: Option<(String, Option<String>)> = tx
        .prepare_cached("SELECT name, end_date FROM people WHERE id = ?1")?
        .query_row([input.person_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let Some((name, end)) = person else {
        return Err(Error::not_found(format!("No person with id {}.", input.person_id)));
    };
    if end.is_none() {
        v.add("removed_on", format!("{name} has no end date; set it on the People page first."));
    }
    let system: Option<String> = tx
        .prepare_cached("SELECT name FROM systems WHERE id = ?1")?
        .query_row([input.system_id], |r| r.get(0))
        .optional()?;
    let Some(system) = system else {
        return Err(Error::not_found(format!("No system with id {}.", input.system_id)));
    };
    let removed = v.date("removed_on", "Removed on", &input.removed_on);
    if input.no_access && removed.is_some() {
        v.add("removed_on", "Either access was removed on a date, or there was no access: not both.");
    }
    if removed.is_some_and(|d| d > now.date_naive()) {
        v.add("removed_on", "Access removal cannot be recorded before it happens.");
    }
    let end_date = end.as_deref().and_then(parse_date);
    if let (Some(r), Some(e)) = (removed, end_date) {
        if r < e.checked_sub_days(Days::new(90)).unwrap_or(NaiveDate::MIN) {
            v.add("removed_on", format!("That is long before {name}'s last day ({e}); check the date."));
        }
    }
    v.finish()?;
    let old: Option<(Option<String>, bool)> = tx
        .prepare_cached("SELECT removed_on, no_access FROM deprovisioning WHERE person_id = ?1 AND system_id = ?2")?
        .query_row([input.person_id, input.system_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let describe = |removed: Option<String>, no_access: bool| {
        if no_access {
            Some(format!("{system}: no access"))
        } else {
            removed.map(|d| format!("{system}: removed {d}"))
        }
    };
    let before = old.clone().and_then(|(r, n)| describe(r, n));
    let after = describe(removed.map(|d| d.to_string()), input.no_access);
    if before == after {
        return Ok(());
    }
    if removed.is_none() && !input.no_access {
        tx.execute(
            "DELETE FROM deprovisioning WHERE person_id = ?1 AND system_id = ?2",
            [input.person_id, input.system_id],
        )?;
    } else {
        tx.execute(
            "INSERT INTO deprovisioning (person_id, system_id, removed_on, no_access, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
             ON CONFLICT (person_id, system_id) DO UPDATE SET removed_on = excluded.removed_on,
                 no_access = excluded.no_access, updated_at = excluded.updated_at",
            params![input.person_id, input.system_id, removed.map(|d| d.to_string()), input.no_access, stamp(now)],
        )?;
    }
    let mut d = Diff::new();
    d.field("access_removed", before, after);
    history::record(tx, now, Register::People, input.person_id, HistoryAction::Update, d.into_changes())
}

/// The deprovisioning CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &["email", "system", "removed_on", "no_access"],
    required: &["email", "system"],
    aliases: &[],
    example: &["cy@example.com", "GitHub", "2026-10-31", "no"],
};

/// A leaver's record for one system as CSV cells (empty when nothing is recorded).
fn csv_cells(conn: &Connection, person_id: i64, system_id: i64) -> Result<Vec<String>> {
    let system: String = conn
        .prepare_cached("SELECT name FROM systems WHERE id = ?1")?
        .query_row([system_id], |r| r.get(0))
        .optional()?
        .unwrap_or_default();
    let record: Option<(Option<String>, bool)> = conn
        .prepare_cached("SELECT removed_on, no_access FROM deprovisioning WHERE person_id = ?1 AND system_id = ?2")?
        .query_row([person_id, system_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?;
    let (removed_on, no_access) = record.unwrap_or((None, false));
    Ok(vec![
        crate::people::email_of(conn, Some(person_id))?,
        system,
        removed_on.unwrap_or_default(),
        if no_access { "yes" } else { "no" }.to_owned(),
    ])
}

/// Deprovisioning in CSV, one row per leaver and system (see [`crate::csv_import`]). A record
/// is named by the pair (person, system), packed into one id for the shared import.
pub struct LeaversCsv;

const PAIR_SHIFT: u32 = 32;

fn pair_id(person_id: i64, system_id: i64) -> i64 {
    (person_id << PAIR_SHIFT) | (system_id & 0xFFFF_FFFF)
}

fn pair_of(id: i64) -> (i64, i64) {
    (id >> PAIR_SHIFT, id & 0xFFFF_FFFF)
}

impl crate::csv_import::CsvRegister for LeaversCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["email", "system"];
    const FIND: &'static str = "SELECT (d.person_id << 32) | d.system_id FROM deprovisioning d JOIN people p ON p.id = d.person_id JOIN systems s ON s.id = d.system_id WHERE p.email = ?1 COLLATE NOCASE AND s.name = ?2";
    const EXPORT_IDS: &'static str = "SELECT (d.person_id << 32) | d.system_id FROM deprovisioning d JOIN people p ON p.id = d.person_id JOIN systems s ON s.id = d.system_id ORDER BY p.email, s.name COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        let (person, system) = pair_of(id);
        csv_cells(conn, person, system)
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let person = c.person(tx, "email")?;
        let system =
            c.lookup(tx, "system", "SELECT id FROM systems WHERE name = ?1", |s| format!("No system is named {s}."))?;
        let no_access = c.flag("no_access", false);
        let (Some(person_id), Some(system_id)) = (person, system) else { return Ok(Applied::Unchanged) };
        let id = pair_id(person_id, system_id);
        let before = csv_cells(tx, person_id, system_id)?;
        let input = DeprovisionInput { person_id, system_id, removed_on: c.text("removed_on"), no_access };
        record(tx, now, &input)?;
        if !c.errors.is_empty() || csv_cells(tx, person_id, system_id)? == before {
            return Ok(Applied::Unchanged);
        }
        Ok(if existing.is_some() { Applied::Updated(id) } else { Applied::Created(id) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn one_business_day_rolls_over_the_weekend() {
        assert_eq!(next_business_day(d("2026-11-26")), d("2026-11-27")); // Thursday -> Friday
        assert_eq!(next_business_day(d("2026-11-27")), d("2026-11-30")); // Friday -> Monday
        assert_eq!(next_business_day(d("2026-11-28")), d("2026-11-30")); // Saturday -> Monday
        assert_eq!(next_business_day(d("2026-11-29")), d("2026-11-30")); // Sunday -> Monday
    }

    #[test]
    fn lateness_across_a_weekend() {
        let friday = d("2026-11-27");
        // Left on Friday: removal on Monday is on time, Tuesday is late.
        assert_eq!(access_state(friday, Some(d("2026-11-30")), false, d("2026-12-10")), DeprovisionState::OnTime);
        assert_eq!(access_state(friday, Some(d("2026-12-01")), false, d("2026-12-10")), DeprovisionState::Late);
        // Not recorded: pending through Monday, overdue from Tuesday.
        assert_eq!(access_state(friday, None, false, d("2026-11-30")), DeprovisionState::Pending);
        assert_eq!(access_state(friday, None, false, d("2026-12-01")), DeprovisionState::Overdue);
        assert_eq!(access_state(friday, None, true, d("2027-01-01")), DeprovisionState::NoAccess);
        // Removed before the last day is fine.
        assert_eq!(access_state(friday, Some(d("2026-11-20")), false, d("2026-12-10")), DeprovisionState::OnTime);
    }
}
