//! Populations: the events an auditor samples from (changes deployed, people who left, people
//! who joined, incidents), each judged on its own, as the workspace stood at the end of the
//! as-of day. The checks and the per-event controls read the same judgements.

use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use super::Ctx;
use crate::error::Result;
use crate::past::yes;
use crate::refs::{RecordRef, Register};

/// How one event stands on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventState {
    /// Done as the control requires.
    Met,
    /// Not done in time: an exception.
    Missed,
    /// Not done yet, and not late yet.
    Pending,
}

/// One event of a population.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// When it happened (deployed, left, started, detected).
    pub on: NaiveDate,
    pub record: RecordRef,
    pub state: EventState,
    /// What is wrong (missed) or what is awaited (pending), naming the record ("HOTFIX-12: …",
    /// "Quinn Dahl left on …"), so a control that counts the event can quote it as it stands;
    /// empty when met.
    pub problem: String,
    /// For pending events: the last day it is on time.
    pub due: Option<NaiveDate>,
    /// Lesser problems that do not fail the event (a change without a rollback plan).
    pub notes: Vec<String>,
}

fn date_of(text: &str) -> Option<NaiveDate> {
    crate::validate::parse_date(text.get(..10).unwrap_or(text))
}

/// Changes deployed from `from` to the day, judged: approved by someone other than the author
/// before deployment (emergency changes within the set business days after), and tested.
pub fn changes(conn: &Connection, ctx: &Ctx, from: NaiveDate) -> Result<Vec<Event>> {
    use crate::changes::{flags, parse_moment, ChangeFlagKind};
    let past = &ctx.past;
    let fields = ["approver", "approved_at", "deployed_at", "tested", "rollback_plan", "emergency"];
    let then = past.then(conn, Register::Changes, &fields)?;
    type Row = (i64, String, String, Option<String>, Option<String>, Option<String>, bool, String, bool, bool);
    let rows: Vec<Row> = crate::store::tuples(
        conn,
        "SELECT c.id, c.reference, c.title, p.name, c.approved_at, c.deployed_at, c.tested, c.rollback_plan,
                    c.emergency, c.archived_at IS NOT NULL
             FROM changes c LEFT JOIN people p ON p.id = c.approver_id
             WHERE c.created_at <= ?1 ORDER BY c.reference",
        [past.end()],
    )?;
    let end_of_day = ctx.as_of.and_hms_opt(23, 59, 59).unwrap_or_default();
    let yn = |b: bool| Some(if b { "yes" } else { "no" }.to_owned());
    let mut out = Vec::new();
    for (id, reference, title, approver, approved_at, deployed_at, tested, rollback, emergency, archived) in rows {
        if then.archived(id, archived) {
            continue;
        }
        let approver = then.value(id, "approver", approver);
        let approved_at = then.value(id, "approved_at", approved_at).as_deref().and_then(parse_moment);
        let Some(deployed) = then.value(id, "deployed_at", deployed_at).as_deref().and_then(parse_moment) else {
            continue;
        };
        let day = deployed.date();
        if day < from || day > ctx.as_of {
            continue;
        }
        let tested = yes(then.value(id, "tested", yn(tested)).as_deref());
        let rollback = then.value(id, "rollback_plan", Some(rollback)).unwrap_or_default();
        let emergency = yes(then.value(id, "emergency", yn(emergency)).as_deref());
        let days = ctx.s.emergency_approval_business_days;
        let found =
            flags(emergency, approver.is_some(), approved_at, Some(deployed), tested, &rollback, end_of_day, days);
        let failing: Vec<&str> = found
            .iter()
            .filter(|f| {
                matches!(
                    f.kind,
                    ChangeFlagKind::NotApproved
                        | ChangeFlagKind::ApprovedAfterDeploy
                        | ChangeFlagKind::EmergencyApprovalLate
                        | ChangeFlagKind::NotTested
                )
            })
            .map(|f| f.message.as_str())
            .collect();
        let pending = found.iter().find(|f| f.kind == ChangeFlagKind::EmergencyApprovalDue);
        let notes =
            found.iter().filter(|f| f.kind == ChangeFlagKind::NoRollbackPlan).map(|f| f.message.clone()).collect();
        let (state, problem, due) = if !failing.is_empty() {
            (EventState::Missed, format!("{reference}: {}", failing.join(" ")), None)
        } else if let Some(p) = pending {
            let due = crate::changes::emergency_deadline(deployed, days).date();
            (EventState::Pending, format!("{reference}: {}", p.message), Some(due))
        } else {
            (EventState::Met, String::new(), None)
        };
        out.push(Event {
            on: day,
            record: RecordRef::new(Register::Changes, id, &reference, &title),
            state,
            problem,
            due,
            notes,
        });
    }
    Ok(out)
}

/// A person as the people checks see them on the day.
pub struct Person {
    pub id: i64,
    pub name: String,
    pub start: Option<NaiveDate>,
    pub end: Option<NaiveDate>,
}

impl Person {
    /// Active at some point from `from` to `to`.
    pub fn active_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        self.start.is_none_or(|s| s <= to) && self.end.is_none_or(|e| e >= from)
    }

    pub fn record(&self) -> RecordRef {
        RecordRef::new(Register::People, self.id, "", &self.name)
    }
}

/// Everyone recorded by the end of the day and not archived then, with the start and end
/// dates they had on the day.
pub fn people(conn: &Connection, ctx: &Ctx) -> Result<Vec<Person>> {
    let past = &ctx.past;
    let then = past.then(conn, Register::People, &["name", "start_date", "end_date"])?;
    type Row = (i64, String, Option<String>, Option<String>, bool);
    let rows: Vec<Row> = crate::store::tuples(
        conn,
        "SELECT id, name, start_date, end_date, archived_at IS NOT NULL FROM people
         WHERE created_at <= ?1 ORDER BY name COLLATE NOCASE, id",
        [past.end()],
    )?;
    Ok(rows
        .into_iter()
        .filter(|(id, _, _, _, archived)| !then.archived(*id, *archived))
        .map(|(id, name, start, end, _)| Person {
            id,
            name: then.value(id, "name", Some(name)).unwrap_or_default(),
            start: then.value(id, "start_date", start).as_deref().and_then(date_of),
            end: then.value(id, "end_date", end).as_deref().and_then(date_of),
        })
        .collect())
}

/// One leaver on the day: their last day, the deadline to remove access, and each in-scope
/// system's state (system id, name, state).
pub struct Leaver {
    pub person: Person,
    pub end: NaiveDate,
    pub deadline: NaiveDate,
    pub systems: Vec<(i64, String, crate::leavers::DeprovisionState)>,
}

/// People who left from `from` to the day, with each in-scope system's deprovisioning state.
pub fn leaver_access(conn: &Connection, ctx: &Ctx, from: NaiveDate) -> Result<Vec<Leaver>> {
    let records: std::collections::HashMap<(i64, i64), (Option<NaiveDate>, bool)> = conn
        .prepare_cached(
            "SELECT person_id, system_id, removed_on, no_access FROM deprovisioning WHERE updated_at <= ?1",
        )?
        .query_map([ctx.past.end()], |r| {
            Ok(((r.get(0)?, r.get(1)?), (r.get::<_, Option<String>>(2)?.as_deref().and_then(date_of), r.get(3)?)))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut out = Vec::new();
    for person in people(conn, ctx)? {
        let Some(end) = person.end.filter(|e| *e >= from && *e <= ctx.as_of) else { continue };
        let deadline = crate::clock::add_business_days(end, ctx.s.leaver_business_days);
        let systems = ctx
            .systems
            .iter()
            .map(|s| {
                let (removed, no_access) = records.get(&(person.id, s.id)).copied().unwrap_or((None, false));
                (s.id, s.name.clone(), crate::leavers::access_state_by(deadline, removed, no_access, ctx.as_of))
            })
            .collect();
        out.push(Leaver { person, end, deadline, systems });
    }
    Ok(out)
}

/// People who left from `from` to the day, judged: access to every in-scope system removed
/// (or recorded as never granted) within the set business days after their last day.
pub fn leavers(conn: &Connection, ctx: &Ctx, from: NaiveDate) -> Result<Vec<Event>> {
    use crate::leavers::DeprovisionState;
    let mut out = Vec::new();
    for l in leaver_access(conn, ctx, from)? {
        let names = |want: DeprovisionState| -> Vec<&str> {
            l.systems.iter().filter(|(_, _, st)| *st == want).map(|(_, n, _)| n.as_str()).collect()
        };
        let (overdue, late, pending) =
            (names(DeprovisionState::Overdue), names(DeprovisionState::Late), names(DeprovisionState::Pending));
        let (name, end, deadline) = (&l.person.name, l.end, l.deadline);
        let (state, problem, due) = if !overdue.is_empty() || !late.is_empty() {
            let mut parts = Vec::new();
            if !overdue.is_empty() {
                parts.push(format!("access not recorded as removed from {}", overdue.join(", ")));
            }
            if !late.is_empty() {
                parts.push(format!("access removed after {deadline} from {}", late.join(", ")));
            }
            (EventState::Missed, format!("{name} left on {end}: {}.", parts.join("; ")), None)
        } else if !pending.is_empty() {
            (
                EventState::Pending,
                format!("{name} left on {end}: remove access to {} by {deadline}", pending.join(", ")),
                Some(deadline),
            )
        } else {
            (EventState::Met, String::new(), None)
        };
        out.push(Event { on: end, record: l.person.record(), state, problem, due, notes: Vec::new() });
    }
    Ok(out)
}

/// The required courses' completions known on the day: person → completion dates.
pub fn completions(conn: &Connection, ctx: &Ctx) -> Result<std::collections::HashMap<i64, Vec<(NaiveDate, u32)>>> {
    let mut out: std::collections::HashMap<i64, Vec<(NaiveDate, u32)>> = std::collections::HashMap::new();
    let rows: Vec<(i64, String, u32)> = crate::store::tuples(
        conn,
        "SELECT t.person_id, t.completed_on, c.validity_days FROM training_completions t
         JOIN courses c ON c.id = t.course_id
         WHERE c.required = 1 AND t.created_at <= ?1 AND t.completed_on <= ?2 AND t.withdrawn_at IS NULL
         ORDER BY t.completed_on",
        rusqlite::params![ctx.past.end(), ctx.as_of.to_string()],
    )?;
    for (person, on, validity) in rows {
        if let Some(on) = date_of(&on) {
            out.entry(person).or_default().push((on, validity));
        }
    }
    Ok(out)
}

/// People who started from `from` to the day, judged: trained within the set days of
/// starting. Trained late stays an exception for that hire.
pub fn new_hires(conn: &Connection, ctx: &Ctx, from: NaiveDate) -> Result<Vec<Event>> {
    Ok(new_hires_from(&people(conn, ctx)?, &completions(conn, ctx)?, ctx, from))
}

/// [`new_hires`], from people and completions already read.
pub fn new_hires_from(
    people: &[Person],
    done: &std::collections::HashMap<i64, Vec<(NaiveDate, u32)>>,
    ctx: &Ctx,
    from: NaiveDate,
) -> Vec<Event> {
    let days = ctx.s.new_hire_training_days;
    let mut out = Vec::new();
    for p in people {
        let Some(start) = p.start.filter(|s| *s >= from && *s <= ctx.as_of) else { continue };
        let deadline = start.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
        // Training shortly before the first day (pre-boarding) counts.
        let early = start.checked_sub_days(Days::new(30)).unwrap_or(NaiveDate::MIN);
        let mine = done.get(&p.id).map(Vec::as_slice).unwrap_or_default();
        let first = mine.iter().map(|(on, _)| *on).filter(|on| *on >= early).min();
        let (state, problem, due) = match first {
            Some(on) if on <= deadline => (EventState::Met, String::new(), None),
            Some(on) => (
                EventState::Missed,
                format!(
                    "{} started on {start} and was trained {} days later, on {on}.",
                    p.name,
                    (on - start).num_days()
                ),
                None,
            ),
            None if ctx.as_of > deadline => (
                EventState::Missed,
                format!("{} started on {start} and was not trained within {days} days.", p.name),
                None,
            ),
            None => (
                EventState::Pending,
                format!("{} started on {start}: train them by {deadline}", p.name),
                Some(deadline),
            ),
        };
        out.push(Event { on: start, record: p.record(), state, problem, due, notes: Vec::new() });
    }
    out
}

/// Incidents detected from `from` to the day, judged: once closed, a root cause and lessons
/// learned are recorded (an open incident is pending).
pub fn incidents(conn: &Connection, ctx: &Ctx, from: NaiveDate) -> Result<Vec<Event>> {
    let past = &ctx.past;
    let then = past.then(conn, Register::Incidents, &["status", "root_cause", "lessons_learned", "detected_at"])?;
    type Row = (i64, String, String, String, String, String, String, bool);
    let rows: Vec<Row> = crate::store::tuples(
        conn,
        "SELECT id, reference, title, status, root_cause, lessons_learned, detected_at, archived_at IS NOT NULL
         FROM incidents WHERE created_at <= ?1 ORDER BY detected_at",
        [past.end()],
    )?;
    let mut out = Vec::new();
    for (id, reference, title, status, root, lessons, detected, archived) in rows {
        if then.archived(id, archived) {
            continue;
        }
        let Some(on) = then.value(id, "detected_at", Some(detected)).as_deref().and_then(date_of) else { continue };
        if on < from || on > ctx.as_of {
            continue;
        }
        let status = then.value(id, "status", Some(status)).unwrap_or_default();
        let closed =
            crate::incidents::IncidentStatus::parse_cell(&status) == Some(crate::incidents::IncidentStatus::Closed);
        let root = then.value(id, "root_cause", Some(root)).unwrap_or_default();
        let lessons = then.value(id, "lessons_learned", Some(lessons)).unwrap_or_default();
        let record = RecordRef::new(Register::Incidents, id, &reference, &title);
        let (state, problem) = match (closed, root.trim().is_empty() || lessons.trim().is_empty()) {
            (true, true) => {
                (EventState::Missed, format!("{reference} was closed without its root cause and lessons learned."))
            }
            (true, false) => (EventState::Met, String::new()),
            (false, _) => (EventState::Pending, format!("{reference} is still open")),
        };
        out.push(Event { on, record, state, problem, due: None, notes: Vec::new() });
    }
    Ok(out)
}
