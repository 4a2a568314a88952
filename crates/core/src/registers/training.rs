//! Security awareness training: courses, completion records, and each active person's status
//! on an as-of date: current, due within 30 days, overdue, or a new hire not trained within 7
//! days of starting.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::types::Value;
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::clock::stamp;
use crate::csv_import::{Applied, Cells};
use crate::error::{Error, Result};
use crate::evidence::{self, Evidence, EvidenceTarget};
use crate::history::{self, Diff, HistoryAction, HistoryEntry};
use crate::record::{self, Editable};
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::validate::{parse_date, Validator};

/// A new hire must be trained within this many days of their start date.
pub const NEW_HIRE_DAYS: u64 = 7;
/// Training due within this many days is "due soon".
pub const DUE_SOON_DAYS: u64 = 30;

string_enum!(
    TrainingState {
        Current = "current" / "Current",
        DueSoon = "due_soon" / "Due within 30 days",
        Overdue = "overdue" / "Overdue",
        NewHireOverdue = "new_hire_overdue" / "New hire, not trained within 7 days",
    }
);

impl TrainingState {
    fn severity(self) -> u8 {
        match self {
            TrainingState::Current => 0,
            TrainingState::DueSoon => 1,
            TrainingState::Overdue => 2,
            TrainingState::NewHireOverdue => 3,
        }
    }
}

/// One person's standing on one course on `as_of`. `validity_days` after a completion the next
/// one is due; without any completion, a person with a start date has 7 days from it (and
/// counts as a late new hire until a full cycle has passed since they started).
pub fn state(
    start_date: Option<NaiveDate>,
    last_completed: Option<NaiveDate>,
    validity_days: u32,
    as_of: NaiveDate,
) -> (TrainingState, Option<NaiveDate>) {
    let soon = |due: NaiveDate| as_of.checked_add_days(Days::new(DUE_SOON_DAYS)).is_some_and(|s| due <= s);
    match (last_completed, start_date) {
        (Some(last), _) => {
            let due = last.checked_add_days(Days::new(u64::from(validity_days))).unwrap_or(NaiveDate::MAX);
            let s = if due < as_of {
                TrainingState::Overdue
            } else if soon(due) {
                TrainingState::DueSoon
            } else {
                TrainingState::Current
            };
            (s, Some(due))
        }
        (None, Some(start)) => {
            let due = start.checked_add_days(Days::new(NEW_HIRE_DAYS)).unwrap_or(NaiveDate::MAX);
            let still_new = start.checked_add_days(Days::new(u64::from(validity_days))).is_some_and(|d| as_of <= d);
            let s = if due >= as_of {
                TrainingState::DueSoon
            } else if still_new {
                // Joined within the last cycle and missed the first week: the new-hire rule.
                TrainingState::NewHireOverdue
            } else {
                TrainingState::Overdue
            };
            (s, Some(due))
        }
        (None, None) => (TrainingState::Overdue, None),
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Course {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub validity_days: u32,
    pub required: bool,
    pub completions: u32,
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CourseInput {
    pub name: String,
    pub description: String,
    pub validity_days: Option<u32>,
    pub required: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CourseStanding {
    pub course_id: i64,
    pub course: String,
    pub last_completed: Option<NaiveDate>,
    pub due: Option<NaiveDate>,
    pub state: TrainingState,
}

/// One active person's training on the as-of date: the worst of their required courses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PersonTraining {
    pub person: PersonRef,
    pub role: String,
    pub start_date: Option<NaiveDate>,
    pub state: TrainingState,
    pub courses: Vec<CourseStanding>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct TrainingOverview {
    pub courses: Vec<Course>,
    pub people: Vec<PersonTraining>,
    pub current: u32,
    pub due_soon: u32,
    pub overdue: u32,
    pub new_hire_overdue: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Completion {
    pub id: i64,
    pub person: PersonRef,
    pub course: String,
    pub completed_on: NaiveDate,
    pub evidence: Vec<Evidence>,
    /// Set when it was withdrawn: it is kept, struck through, and counts nowhere.
    pub withdrawn: Option<crate::occurrences::Withdrawal>,
}

/// A training session: one course, many people, one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct SessionInput {
    pub course_id: Option<i64>,
    pub completed_on: String,
    pub person_ids: Vec<i64>,
}

pub fn courses(conn: &Connection, include_archived: bool) -> Result<Vec<Course>> {
    let rows = conn
        .prepare_cached(
            "SELECT c.id, c.name, c.description, c.validity_days, c.required, c.archived_at IS NOT NULL,
                    (SELECT count(*) FROM training_completions t WHERE t.course_id = c.id AND t.withdrawn_at IS NULL)
             FROM courses c WHERE (?1 OR c.archived_at IS NULL) ORDER BY c.name COLLATE NOCASE",
        )?
        .query_map([include_archived], |r| {
            Ok(Course {
                id: r.get(0)?,
                name: r.get(1)?,
                description: r.get(2)?,
                validity_days: r.get(3)?,
                required: r.get(4)?,
                archived: r.get(5)?,
                completions: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn course(conn: &Connection, id: i64) -> Result<Course> {
    courses(conn, true)?
        .into_iter()
        .find(|c| c.id == id)
        .ok_or_else(|| Error::not_found(format!("No course with id {id}.")))
}

pub fn course_history(conn: &Connection, id: i64) -> Result<Vec<HistoryEntry>> {
    history::list(conn, Register::Courses, id)
}

record_kind!(Course in Courses, load(conn, id, now) { course(conn, id) }, archive = set_course_archived);

impl Editable for Course {
    type Input = CourseInput;
    /// Name, description, validity in days, required.
    type Valid = (String, String, u32, bool);
    const COLUMNS: &'static [&'static str] = &["name", "description", "validity_days", "required"];

    fn validate(
        conn: &Connection,
        _now: DateTime<Utc>,
        input: &CourseInput,
        old: Option<&Self>,
    ) -> Result<Self::Valid> {
        let mut v = Validator::new();
        let name = v.unique_name(
            conn,
            "Course",
            &input.name,
            "SELECT id FROM courses WHERE name = ?1",
            old.map(|c| c.id),
            "course",
        )?;
        let description = v.optional("description", "Description", &input.description, 5_000);
        let days = input.validity_days.unwrap_or(365);
        if !(1..=3650).contains(&days) {
            v.add("validity_days", "A completion stays valid for 1 to 3650 days (365: yearly).");
        }
        v.finish()?;
        Ok((name, description, days, input.required))
    }

    fn diff(_conn: &Connection, old: Option<&Self>, (name, description, days, required): &Self::Valid) -> Result<Diff> {
        let yes = |b: bool| Some(if b { "yes" } else { "no" }.to_owned());
        let mut d = Diff::new();
        d.field("name", old.map(|c| c.name.clone()), Some(name.clone()))
            .field("description", old.map(|c| c.description.clone()), Some(description.clone()))
            .field("validity_days", old.map(|c| c.validity_days.to_string()), Some(days.to_string()))
            .field("required", old.and_then(|c| yes(c.required)), yes(*required));
        Ok(d)
    }

    fn values((name, description, days, required): &Self::Valid) -> Vec<Value> {
        vec![name.clone().into(), description.clone().into(), (*days).into(), (*required).into()]
    }
}

pub fn create_course(tx: &Transaction<'_>, now: DateTime<Utc>, input: &CourseInput) -> Result<Course> {
    record::create(tx, now, input)
}

pub fn update_course(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &CourseInput) -> Result<Course> {
    record::update(tx, now, id, input)
}

/// Everyone active on `as_of` (started, not left, not archived) with their training standing.
pub fn overview(conn: &Connection, as_of: NaiveDate) -> Result<TrainingOverview> {
    let courses = courses(conn, false)?;
    let people = conn
        .prepare_cached(
            "SELECT id, name, role, start_date FROM people
             WHERE archived_at IS NULL AND (start_date IS NULL OR start_date <= ?1) AND (end_date IS NULL OR end_date >= ?1)
             ORDER BY name COLLATE NOCASE",
        )?
        .query_map([as_of.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, Option<String>>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = TrainingOverview {
        courses: courses.clone(),
        people: Vec::new(),
        current: 0,
        due_soon: 0,
        overdue: 0,
        new_hire_overdue: 0,
    };
    for (id, name, role, start) in people {
        let start_date = start.as_deref().and_then(parse_date);
        let mut standings = Vec::new();
        for c in courses.iter().filter(|c| c.required) {
            let last: Option<String> = conn
                .prepare_cached(
                    "SELECT max(completed_on) FROM training_completions
                     WHERE person_id = ?1 AND course_id = ?2 AND completed_on <= ?3 AND withdrawn_at IS NULL",
                )?
                .query_row(params![id, c.id, as_of.to_string()], |r| r.get(0))?;
            let last = last.as_deref().and_then(parse_date);
            let (s, due) = state(start_date, last, c.validity_days, as_of);
            standings.push(CourseStanding {
                course_id: c.id,
                course: c.name.clone(),
                last_completed: last,
                due,
                state: s,
            });
        }
        let worst = standings.iter().map(|s| s.state).max_by_key(|s| s.severity()).unwrap_or(TrainingState::Current);
        match worst {
            TrainingState::Current => out.current += 1,
            TrainingState::DueSoon => out.due_soon += 1,
            TrainingState::Overdue => out.overdue += 1,
            TrainingState::NewHireOverdue => out.new_hire_overdue += 1,
        }
        out.people.push(PersonTraining {
            person: PersonRef { id, name },
            role,
            start_date,
            state: worst,
            courses: standings,
        });
    }
    Ok(out)
}

/// Completion records, newest first; optionally of one person.
pub fn completions(conn: &Connection, person_id: Option<i64>) -> Result<Vec<Completion>> {
    let rows = conn
        .prepare_cached(
            "SELECT t.id, t.person_id, p.name, c.name, t.completed_on, t.withdrawn_at, t.withdrawn_reason
             FROM training_completions t
             JOIN people p ON p.id = t.person_id JOIN courses c ON c.id = t.course_id
             WHERE (?1 IS NULL OR t.person_id = ?1) ORDER BY t.completed_on DESC, p.name COLLATE NOCASE",
        )?
        .query_map([person_id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, String>(4)?,
                match r.get::<_, Option<String>>(5)? {
                    Some(at) => Some(crate::occurrences::Withdrawal { at, reason: r.get(6)? }),
                    None => None,
                },
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, pid, name, course, on, withdrawn) in rows {
        out.push(Completion {
            id,
            person: PersonRef { id: pid, name },
            course,
            completed_on: parse_date(&on).ok_or_else(|| Error::internal(format!("completion {id} has date {on:?}")))?,
            evidence: evidence::for_target(conn, EvidenceTarget::TrainingCompletion(id))?,
            withdrawn,
        });
    }
    Ok(out)
}

/// Records a training session: one completion per person on the same date, with the optional
/// file (attendance sheet, certificate export) attached to each. Returns how many were added;
/// people who already have this completion on that date are skipped.
pub fn record_session(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    attachments: &crate::attachments::Attachments,
    input: &SessionInput,
    file: Option<crate::evidence::Upload<'_>>,
) -> Result<u32> {
    let mut v = Validator::new();
    match input.course_id {
        None => v.add("course_id", "Choose the course."),
        Some(id) => {
            let exists: bool = tx
                .prepare_cached("SELECT EXISTS (SELECT 1 FROM courses WHERE id = ?1)")?
                .query_row([id], |r| r.get(0))?;
            if !exists {
                v.add("course_id", "That course does not exist.");
            }
        }
    }
    let on = v.required_date("completed_on", "Completed on", &input.completed_on);
    if on.is_some_and(|d| d > now.date_naive()) {
        v.add("completed_on", "Training cannot be recorded before it happens.");
    }
    if input.person_ids.is_empty() {
        v.add("person_ids", "Choose who attended.");
    }
    for id in &input.person_ids {
        let row: Option<(bool, Option<String>)> = tx
            .prepare_cached("SELECT archived_at IS NOT NULL, start_date FROM people WHERE id = ?1")?
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        match row {
            None => v.add("person_ids", "One of the chosen people does not exist."),
            Some((true, _)) => v.add("person_ids", "One of the chosen people is archived."),
            _ => {}
        }
    }
    v.finish()?;
    let (Some(course_id), Some(on)) = (input.course_id, on) else {
        return Err(Error::internal("validated course and date missing"));
    };
    let mut added = 0;
    for person in &input.person_ids {
        // A completion of that day withdrawn by mistake is the same record: recorded again, it
        // counts again (the session's line in the history counts it).
        let again: Option<i64> = tx
            .prepare_cached(
                "UPDATE training_completions SET withdrawn_at = NULL, withdrawn_reason = ''
                 WHERE person_id = ?1 AND course_id = ?2 AND completed_on = ?3 AND withdrawn_at IS NOT NULL
                 RETURNING id",
            )?
            .query_row(params![person, course_id, on.to_string()], |r| r.get(0))
            .optional()?;
        let id = match again {
            Some(id) => id,
            None => {
                let n = tx.execute(
                    "INSERT OR IGNORE INTO training_completions (person_id, course_id, completed_on, created_at)
                     VALUES (?1, ?2, ?3, ?4)",
                    params![person, course_id, on.to_string(), stamp(now)],
                )?;
                if n == 0 {
                    continue;
                }
                tx.last_insert_rowid()
            }
        };
        added += 1;
        if let Some(file) = file {
            let ev = evidence::EvidenceInput {
                file_name: file.name.to_owned(),
                effective_date: on.to_string(),
                expires_on: String::new(),
                added_by: None,
                description: String::new(),
            };
            evidence::attach_content(tx, now, attachments, EvidenceTarget::TrainingCompletion(id), file.content, &ev)?;
        }
    }
    let name: String = tx.query_row("SELECT name FROM courses WHERE id = ?1", [course_id], |r| r.get(0))?;
    let mut d = Diff::new();
    d.field("session", None, Some(format!("{on}: {added} completion(s) of {name}")));
    history::record(tx, now, Register::Courses, course_id, HistoryAction::Update, d.into_changes())?;
    Ok(added)
}

/// A training completion as a dated record: corrected or withdrawn like the others, with the
/// course's history keeping what it said (a completion is never deleted).
pub(crate) const COMPLETION: crate::occurrences::OccurrenceKind = crate::occurrences::OccurrenceKind {
    what: "a completion",
    what_plural: "completions",
    history_field: "completion",
    parent: Register::Courses,
    by_field: "person_id",
    evidence_of: Some(EvidenceTarget::TrainingCompletion),
    table: "training_completions",
    parent_column: "course_id",
    text_columns: &[],
    describe: crate::occurrences::in_words,
    date_column: "completed_on",
    date_label: "Completed on",
    person_word: "for",
    withdrawable: true,
};

/// A completion's corrected date and person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CompletionCorrection {
    pub completed_on: String,
    pub person_id: Option<i64>,
}

/// Corrects completion `id` (its date, or who completed it), with the values before in the
/// course's history. Returns whether anything changed.
pub fn correct_completion(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    input: &CompletionCorrection,
) -> Result<bool> {
    crate::occurrences::correct(tx, now, &COMPLETION, id, (&input.completed_on, input.person_id), |v| {
        if input.person_id.is_none() {
            v.add("person_id", "Say who completed it.");
        }
        Ok(Vec::new())
    })
}

/// The completions CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &["email", "course", "completed_on"],
    required: &["email", "course", "completed_on"],
    aliases: &[],
    example: &["ana@example.com", "Security awareness", "2026-02-10"],
};

const COMPLETION_CELLS: &str = "SELECT p.email, c.name, t.completed_on FROM training_completions t
     JOIN people p ON p.id = t.person_id JOIN courses c ON c.id = t.course_id";

fn completion_cells(r: &rusqlite::Row<'_>) -> rusqlite::Result<Vec<String>> {
    Ok(vec![r.get(0)?, r.get(1)?, r.get(2)?])
}

/// How a completions import finds a course by the name in its cell.
const COURSE_BY_NAME: &str = "SELECT id FROM courses WHERE name = ?1";

/// Training completions in CSV (email, course, completed_on). A course named in the file that
/// does not exist is an error, not silently created; a completion already recorded is
/// unchanged. See [`crate::csv_import`].
pub struct TrainingCsv;

impl crate::csv_import::CsvRegister for TrainingCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["email", "course", "completed_on"];
    const FIND: &'static str = "SELECT t.id FROM training_completions t
         JOIN people p ON p.id = t.person_id JOIN courses c ON c.id = t.course_id
         WHERE p.email = ?1 COLLATE NOCASE AND c.name = ?2 AND t.completed_on = ?3";
    const EXPORT_IDS: &'static str = "SELECT t.id FROM training_completions t JOIN people p ON p.id = t.person_id
         JOIN courses c ON c.id = t.course_id WHERE t.withdrawn_at IS NULL
         ORDER BY t.completed_on, c.name COLLATE NOCASE, p.email";

    fn find(
        tx: &Transaction<'_>,
        row: &crate::csvio::Row,
        lookups: &crate::csv_import::Lookups,
    ) -> Result<Option<i64>> {
        // The person and the course through the import's lookups (the same queries `apply`
        // asks), then the completion by its ids and the date as stored, however the file
        // wrote it. Without all three there is nothing stored to find.
        let person = lookups.id(tx, crate::csv_import::PERSON_BY_EMAIL, row.get("email"))?;
        let course = lookups.id(tx, COURSE_BY_NAME, row.get("course"))?;
        let (Some(person), Some(course), Some(on)) = (person, course, parse_date(row.get("completed_on"))) else {
            return Ok(None);
        };
        Ok(tx
            .prepare_cached(
                "SELECT id FROM training_completions WHERE person_id = ?1 AND course_id = ?2 AND completed_on = ?3",
            )?
            .query_row(params![person, course, crate::clock::date_text(on)], |r| r.get(0))
            .optional()?)
    }

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        conn.prepare_cached(&format!("{COMPLETION_CELLS} WHERE t.id = ?1"))?
            .query_row([id], completion_cells)
            .optional()?
            .ok_or_else(|| Error::not_found(format!("No completion with id {id}.")))
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        if existing.is_some() {
            return Ok(Applied::Unchanged);
        }
        let person = c.person(tx, "email")?;
        let course = c.lookup(tx, "course", COURSE_BY_NAME, |name| {
            format!("No course is named {name}; add it under Training first.")
        })?;
        let on = parse_date(c.row.get("completed_on"));
        match on {
            None => c.problem("completed_on", "Completed on must be a real date written as YYYY-MM-DD."),
            Some(d) if d > now.date_naive() => {
                c.problem("completed_on", "Training cannot be recorded before it happens.")
            }
            _ => {}
        }
        let (Some(p), Some(course), Some(d)) = (person, course, on) else { return Ok(Applied::Unchanged) };
        if !c.errors.is_empty() {
            return Ok(Applied::Unchanged);
        }
        // Prepared once per import, not parsed again for every row.
        tx.prepare_cached(
            "INSERT INTO training_completions (person_id, course_id, completed_on, created_at) VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![p, course, crate::clock::date_text(d), stamp(now)])?;
        Ok(Applied::Created(tx.last_insert_rowid()))
    }
}

/// The training courses CSV columns (documented in docs/csv.md).
pub const COURSE_CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &["name", "description", "validity_days", "required"],
    required: &["name"],
    aliases: &[],
    example: &["Security awareness", "Yearly training for all staff", "365", "yes"],
};

/// Training courses in CSV, matched on name, case-insensitively. `validity_days` empty means
/// 365; `required` empty means yes.
pub struct CoursesCsv;

impl crate::csv_import::CsvRegister for CoursesCsv {
    const COLUMNS: &'static crate::csvio::Columns = &COURSE_CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["name"];
    const FIND: &'static str = "SELECT id FROM courses WHERE name = ?1 COLLATE NOCASE";
    const EXPORT_IDS: &'static str = "SELECT id FROM courses WHERE archived_at IS NULL ORDER BY name COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        let c = course(conn, id)?;
        Ok(vec![c.name, c.description, c.validity_days.to_string(), if c.required { "yes" } else { "no" }.into()])
    }

    fn apply(tx: &Transaction<'_>, now: DateTime<Utc>, c: &mut Cells<'_>, existing: Option<i64>) -> Result<Applied> {
        let input = CourseInput {
            name: c.text("name"),
            description: c.text("description"),
            validity_days: c.number("validity_days"),
            required: c.flag("required", true),
        };
        record::save_row::<Course>(tx, now, existing, &input, &c.errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        parse_date(s).unwrap()
    }

    #[test]
    fn status_at_the_boundaries() {
        let as_of = d("2026-11-26");
        // Trained exactly 365 days ago: due today, still not overdue (due soon).
        assert_eq!(state(None, Some(d("2025-11-26")), 365, as_of), (TrainingState::DueSoon, Some(d("2026-11-26"))));
        assert_eq!(state(None, Some(d("2025-11-25")), 365, as_of).0, TrainingState::Overdue);
        // Due in exactly 30 days is due soon; 31 days is current.
        assert_eq!(state(None, Some(d("2025-12-26")), 365, as_of).0, TrainingState::DueSoon);
        assert_eq!(state(None, Some(d("2025-12-27")), 365, as_of).0, TrainingState::Current);
        // New hire: 7 days from the start date, then late.
        assert_eq!(state(Some(d("2026-11-19")), None, 365, as_of), (TrainingState::DueSoon, Some(d("2026-11-26"))));
        assert_eq!(state(Some(d("2026-11-18")), None, 365, as_of).0, TrainingState::NewHireOverdue);
        // Started more than a cycle ago and never trained: plainly overdue.
        assert_eq!(state(Some(d("2021-03-01")), None, 365, as_of).0, TrainingState::Overdue);
        assert_eq!(state(Some(d("2025-11-26")), None, 365, as_of).0, TrainingState::NewHireOverdue);
        assert_eq!(state(Some(d("2025-11-25")), None, 365, as_of).0, TrainingState::Overdue);
        // No start date and never trained.
        assert_eq!(state(None, None, 365, as_of), (TrainingState::Overdue, None));
        // A new hire trained on day 10 is simply current afterwards.
        assert_eq!(state(Some(d("2026-11-01")), Some(d("2026-11-11")), 365, as_of).0, TrainingState::Current);
    }
}
