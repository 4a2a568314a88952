//! What needs attention, register by register and record by record: the records a readiness
//! check finds failing (overdue) or falling due soon on a date, and the open actions past
//! their due date. The checks decide what is late; lists, tags and the navigation's counts
//! only show it, so a record is never "late" in one place and fine in another.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::overview::earliest;
use crate::readiness::{self, Readiness};
use crate::refs::Register;

/// How many records of a register need attention.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RegisterAttention {
    pub register: Register,
    /// Records failing a check now (or actions past their due date).
    pub overdue: u32,
    /// Records falling due within the warning window.
    pub due_soon: u32,
}

/// One record's state, as the checks see it on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct RecordAttention {
    pub id: i64,
    /// Failing a check (true) or only falling due soon (false).
    pub overdue: bool,
    /// Failing since (the earliest of its findings).
    pub since: Option<NaiveDate>,
    /// Falling due on (the earliest of its findings).
    pub due: Option<NaiveDate>,
    /// Its findings' problems, one per line.
    pub problems: Vec<String>,
}

pub use crate::refs::AttentionFilter;

/// Every record that a check finds failing or falling due on `as_of`, by register.
fn by_register(r: &Readiness) -> BTreeMap<Register, BTreeMap<i64, RecordAttention>> {
    let mut out: BTreeMap<Register, BTreeMap<i64, RecordAttention>> = BTreeMap::new();
    for f in r.checks.iter().flat_map(|c| &c.findings) {
        let (Some(kind), Some(id)) = (f.record.kind, f.record.id) else { continue };
        let entry = out.entry(kind).or_default().entry(id).or_insert(RecordAttention {
            id,
            overdue: false,
            since: None,
            due: None,
            problems: Vec::new(),
        });
        entry.overdue |= f.failing;
        entry.since = earliest(entry.since, f.since);
        entry.due = earliest(entry.due, f.until);
        if !entry.problems.contains(&f.problem) {
            entry.problems.push(f.problem.clone());
        }
    }
    out
}

/// The registers with records needing attention on `as_of`, in register order.
pub fn counts(conn: &Connection, as_of: NaiveDate) -> Result<Vec<RegisterAttention>> {
    let r = readiness::check_all(conn, as_of)?;
    let mut out: Vec<RegisterAttention> = by_register(&r)
        .into_iter()
        .map(|(register, records)| RegisterAttention {
            register,
            overdue: records.values().filter(|a| a.overdue).count() as u32,
            due_soon: records.values().filter(|a| !a.overdue).count() as u32,
        })
        .collect();
    let late: u32 = conn
        .prepare_cached(
            "SELECT COUNT(*) FROM actions WHERE archived_at IS NULL AND status IN ('open', 'in_progress')
             AND due_date < ?1",
        )?
        .query_row([as_of.to_string()], |r| r.get(0))?;
    if late > 0 {
        out.push(RegisterAttention { register: Register::Actions, overdue: late, due_soon: 0 });
    }
    out.sort_by_key(|a| Register::ALL.iter().position(|r| *r == a.register));
    Ok(out)
}

/// The records of `register` needing attention on `as_of`, by id.
pub fn records(conn: &Connection, as_of: NaiveDate, register: Register) -> Result<Vec<RecordAttention>> {
    let r = readiness::check_all(conn, as_of)?;
    Ok(by_register(&r).remove(&register).map(|m| m.into_values().collect()).unwrap_or_default())
}

/// The ids of `register`'s records a filter keeps on `as_of`.
pub fn ids(conn: &Connection, as_of: NaiveDate, register: Register, filter: AttentionFilter) -> Result<Vec<i64>> {
    Ok(records(conn, as_of, register)?
        .into_iter()
        .filter(|a| a.overdue || filter == AttentionFilter::NeedsAttention)
        .map(|a| a.id)
        .collect())
}

/// A page of controls matching `q`, its `attention` filter judged on `as_of`.
pub fn list_controls(
    conn: &Connection,
    q: &crate::controls::ControlQuery,
    as_of: NaiveDate,
) -> Result<crate::list::Page<crate::controls::Control>> {
    match q.attention {
        Some(filter) => crate::controls::list_among(conn, q, Some(&ids(conn, as_of, Register::Controls, filter)?)),
        None => crate::controls::list(conn, q),
    }
}
