//! Leavers: for everyone with an end date, when their access to each in-scope system was
//! removed (or that they had none). Access must go within one business day of the last day.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc, Weekday};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::controls::PersonRef;
use crate::error::{Error, Result};
use crate::history::{self, Diff, Entity, HistoryAction};
use crate::systems::NamedRef;
use crate::validate::{parse_date, Validator};

/// The next business day (Monday to Friday) after `day`: Friday and the weekend roll to Monday.
pub fn next_business_day(day: NaiveDate) -> NaiveDate {
    let mut d = day;
    loop {
        d = d.checked_add_days(Days::new(1)).unwrap_or(NaiveDate::MAX);
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) || d == NaiveDate::MAX {
            return d;
        }
    }
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

/// A leaver's state for one system on `as_of`.
pub fn access_state(
    end_date: NaiveDate,
    removed_on: Option<NaiveDate>,
    no_access: bool,
    as_of: NaiveDate,
) -> DeprovisionState {
    let deadline = next_business_day(end_date);
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
        let mut access = Vec::with_capacity(systems.len());
        for s in &systems {
            let (removed, no_access) = records.get(&(id, s.id)).copied().unwrap_or((None, false));
            access.push(SystemAccess {
                system: s.clone(),
                removed_on: removed,
                state: access_state(end_date, removed, no_access, as_of),
            });
        }
        out.push(Leaver {
            person: PersonRef { id, name },
            role,
            end_date,
            deadline: next_business_day(end_date),
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
    #[ts(type = "number")]
    pub person_id: i64,
    #[ts(type = "number")]
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
    history::record(tx, now, Entity::Person, input.person_id, HistoryAction::Update, d.into_changes())
}

/// The deprovisioning CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns =
    crate::csvio::Columns { all: &["email", "system", "removed_on", "no_access"], required: &["email", "system"] };

pub fn export_csv(conn: &Connection) -> Result<String> {
    let rows = conn
        .prepare(
            "SELECT p.email, s.name, d.removed_on, d.no_access FROM deprovisioning d
             JOIN people p ON p.id = d.person_id JOIN systems s ON s.id = d.system_id
             ORDER BY p.email, s.name COLLATE NOCASE",
        )?
        .query_map([], |r| {
            Ok(vec![
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                if r.get::<_, bool>(3)? { "yes".to_owned() } else { "no".to_owned() },
            ])
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    crate::csvio::write(CSV_COLUMNS.all, rows)
}

/// Imports deprovisioning records (email, system, removed_on, no_access). All or nothing.
pub fn import_csv(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    bytes: &[u8],
    dry_run: bool,
) -> Result<crate::csvio::ImportReport> {
    use crate::csvio::{parse, parse_yes_no, row_errors, ImportReport, RowError};
    let mut report = ImportReport { dry_run, ..Default::default() };
    let rows = match parse(bytes, &CSV_COLUMNS) {
        Ok(rows) => rows,
        Err(errors) => {
            report.errors = errors;
            return Ok(report);
        }
    };
    let mut planned = Vec::new();
    for row in &rows {
        let mut errors: Vec<RowError> = Vec::new();
        let person = crate::csvio::person_by_email(tx, row, "email", &mut errors)?;
        let system =
            crate::csvio::lookup(tx, "SELECT id FROM systems WHERE name = ?1", row, "system", &mut errors, |s| {
                format!("No system is named {s}.")
            })?;
        let no_access = match row.get("no_access") {
            "" => false,
            c => parse_yes_no(c).unwrap_or_else(|| {
                errors.push(RowError {
                    line: row.line,
                    column: Some("no_access".into()),
                    message: "Write yes or no.".into(),
                });
                false
            }),
        };
        if let (Some(person_id), Some(system_id)) = (person, system) {
            let input = DeprovisionInput { person_id, system_id, removed_on: row.get("removed_on").into(), no_access };
            // Validate by recording inside a savepoint and rolling it back.
            let sp = tx.savepoint_check(|t| record(t, now, &input));
            match sp {
                Ok(()) => planned.push(input),
                Err(e) => {
                    for re in row_errors(row.line, e, |_| "removed_on") {
                        if !errors.iter().any(|x| x.column == re.column) {
                            errors.push(re);
                        }
                    }
                }
            }
        }
        report.errors.extend(errors);
    }
    if !report.errors.is_empty() {
        return Ok(report);
    }
    for input in &planned {
        let old: Option<(Option<String>, bool)> = tx
            .prepare_cached("SELECT removed_on, no_access FROM deprovisioning WHERE person_id = ?1 AND system_id = ?2")?
            .query_row([input.person_id, input.system_id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let new_removed = parse_date(&input.removed_on).map(|d| d.to_string());
        if old == Some((new_removed.clone(), input.no_access))
            || (old.is_none() && new_removed.is_none() && !input.no_access)
        {
            report.unchanged += 1;
            continue;
        }
        if old.is_some() {
            report.updated += 1;
        } else {
            report.created += 1;
        }
        if !dry_run {
            record(tx, now, input)?;
        }
    }
    report.applied = !dry_run;
    Ok(report)
}

/// Runs `f` inside a savepoint that is always rolled back: a dry run of one write.
trait SavepointCheck {
    fn savepoint_check(&self, f: impl FnOnce(&Transaction<'_>) -> Result<()>) -> Result<()>;
}

impl SavepointCheck for Transaction<'_> {
    fn savepoint_check(&self, f: impl FnOnce(&Transaction<'_>) -> Result<()>) -> Result<()> {
        self.execute_batch("SAVEPOINT deprovision_check")?;
        let result = f(self);
        self.execute_batch("ROLLBACK TO deprovision_check; RELEASE deprovision_check")?;
        result
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
