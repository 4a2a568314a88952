//! Tabletop exercises: the script library (built-in and the user's own), planning an exercise,
//! running it inject by inject (clock, timestamped notes, coverage of expected actions,
//! attendance), the debrief, corrective actions, and completion, after which the record is
//! locked (debrief amendments are kept in its history).

use chrono::{DateTime, NaiveDate, Utc};
use rusqlite::{params, Connection, OptionalExtension, Transaction};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{
    parse, read, to_toml, validate, Inject, Objective, RoleKind, Script, ScriptProblem, ScriptRole, BUILT_INS, FORMAT,
};
use crate::actions::{self, Action, ActionInput, ActionQuery};
use crate::clock::stamp;
use crate::error::{Error, ErrorCode, FieldError, Result};
use crate::history::{self, Diff, HistoryAction, HistoryEntry};
use crate::refs::PersonRef;
use crate::refs::Register;
use crate::validate::{parse_date, Validator};

/// Which script: one of the built-ins (by key) or one of the workspace's own (by id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
#[ts(export)]
pub enum ScriptRef {
    BuiltIn(String),
    Custom(i64),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ScriptSummary {
    pub script: ScriptRef,
    pub title: String,
    pub scenario: String,
    pub summary: String,
    pub injects: u32,
    pub duration_minutes: u32,
    pub built_in: bool,
}

fn summary(script: ScriptRef, s: &Script) -> ScriptSummary {
    ScriptSummary {
        built_in: matches!(script, ScriptRef::BuiltIn(_)),
        script,
        title: s.title.clone(),
        scenario: s.scenario.clone(),
        summary: s.summary.clone(),
        injects: s.injects.len() as u32,
        duration_minutes: s.duration_minutes,
    }
}

/// Every script: the built-in library, then the workspace's own (not archived).
pub fn library(conn: &Connection) -> Result<Vec<ScriptSummary>> {
    let mut out = Vec::new();
    for b in BUILT_INS {
        let s = parse(b.source).map_err(|p| Error::internal(format!("built-in script {} is invalid: {p:?}", b.key)))?;
        out.push(summary(ScriptRef::BuiltIn(b.key.into()), &s));
    }
    let rows: Vec<(i64, String)> = crate::store::tuples(
        conn,
        "SELECT id, source FROM tabletop_scripts WHERE archived_at IS NULL ORDER BY title COLLATE NOCASE",
        [],
    )?;
    for (id, source) in rows {
        // Stored scripts were validated on save.
        if let Ok(s) = parse(&source) {
            out.push(summary(ScriptRef::Custom(id), &s));
        }
    }
    Ok(out)
}

/// A script's TOML source (what export writes and the editor shows).
pub fn source(conn: &Connection, script: &ScriptRef) -> Result<String> {
    match script {
        ScriptRef::BuiltIn(key) => BUILT_INS
            .iter()
            .find(|b| b.key == key)
            .map(|b| b.source.to_owned())
            .ok_or_else(|| Error::not_found(format!("There is no built-in script {key:?}."))),
        ScriptRef::Custom(id) => conn
            .prepare_cached("SELECT source FROM tabletop_scripts WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
            .optional()?
            .ok_or_else(|| Error::not_found(format!("No script with id {id}."))),
    }
}

/// The problems of a script as field errors on `source`, each message starting with its line.
fn problems_error(problems: Vec<ScriptProblem>) -> Error {
    let fields = problems
        .into_iter()
        .map(|p| FieldError {
            field: "source".into(),
            message: match p.line {
                Some(l) => format!("Line {l}: {}", p.message),
                None => p.message,
            },
        })
        .collect();
    Error::validation(fields)
}

/// Checks a script without saving it.
pub fn check(source: &str) -> Result<Script> {
    parse(source).map_err(problems_error)
}

/// Saves the workspace's own script: a new one (`id` None) or a new text for an existing one.
/// Exercises already planned keep the text they were planned with.
pub fn save_script(tx: &Transaction<'_>, now: DateTime<Utc>, id: Option<i64>, text: &str) -> Result<ScriptSummary> {
    if text.len() > 512 * 1024 {
        return Err(Error::field("source", "A script file is at most 512 KB."));
    }
    let script = check(text)?;
    let at = stamp(now);
    let id = match id {
        None => {
            tx.execute(
                "INSERT INTO tabletop_scripts (title, scenario, source, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                params![script.title, script.scenario, text, at],
            )?;
            tx.last_insert_rowid()
        }
        Some(id) => {
            let n = tx.execute(
                "UPDATE tabletop_scripts SET title = ?2, scenario = ?3, source = ?4, updated_at = ?5 WHERE id = ?1",
                params![id, script.title, script.scenario, text, at],
            )?;
            if n == 0 {
                return Err(Error::not_found(format!("No script with id {id}.")));
            }
            id
        }
    };
    Ok(summary(ScriptRef::Custom(id), &script))
}

/// A script as the editor holds it: read from its TOML, with the problems it still has (each
/// with its field and line), and whether the text is in the layout the editor writes (when it
/// is not, saving from the form rewrites the file: its comments and own layout are not kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ScriptDraft {
    pub script: Script,
    pub problems: Vec<ScriptProblem>,
    pub standard_layout: bool,
}

/// Reads TOML into the editor's form. Problems the form can show next to their fields are
/// returned with the script; a text that is not a script at all is an error with its line.
pub fn draft(source: &str) -> Result<ScriptDraft> {
    let (script, problems) = read(source).map_err(problems_error)?;
    let standard_layout = to_toml(&script)? == source;
    Ok(ScriptDraft { script, problems, standard_layout })
}

/// The TOML the form's script is written as (the editor's TOML view; a script with problems
/// is written as it is, so they can be fixed there too).
pub fn render(script: &Script) -> Result<String> {
    to_toml(script)
}

/// A new script to fill in: a facilitator and one player, one objective and one inject to
/// complete, the usual ground rules and debrief questions.
pub fn template() -> Script {
    let lines = |items: &[&str]| items.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    Script {
        format: FORMAT.into(),
        title: String::new(),
        scenario: String::new(),
        summary: String::new(),
        duration_minutes: 60,
        ground_rules: lines(&[
            "We are testing the plan and how we work together, not the people in the room.",
            "Answer with what you would know and do at that moment; say so when you would need to find out.",
        ]),
        assumptions: Vec::new(),
        artificialities: lines(&["Time is compressed: minutes in the room stand for hours or days."]),
        objectives: vec![Objective {
            text: String::new(),
            criteria: Vec::new(),
            ir_plan_sections: Vec::new(),
            evaluation: Vec::new(),
        }],
        roles: vec![
            ScriptRole {
                role: RoleKind::Facilitator,
                name: "Facilitator".into(),
                description: "Reveals each inject, keeps time and keeps the discussion on the plan.".into(),
                played_by: None,
            },
            ScriptRole {
                role: RoleKind::Player,
                name: "Incident lead".into(),
                description: String::new(),
                played_by: None,
            },
        ],
        injects: vec![Inject {
            at_minutes: 0,
            module: String::new(),
            title: String::new(),
            facts: String::new(),
            targets: Vec::new(),
            questions: Vec::new(),
            expected_actions: Vec::new(),
            facilitator_notes: String::new(),
        }],
        hot_wash: lines(&[
            "What went well?",
            "What would have gone wrong in a real incident?",
            "What do we change, who owns each change, and by when?",
        ]),
    }
}

/// Saves a script built in the editor's form: checked by the same rules as a file, each
/// problem a field error on its field (`injects.1.title`, …); stored as the TOML export writes.
pub fn save_form(tx: &Transaction<'_>, now: DateTime<Utc>, id: Option<i64>, script: &Script) -> Result<ScriptSummary> {
    let problems = validate(script);
    if !problems.is_empty() {
        let mut fields: Vec<FieldError> = Vec::new();
        for p in problems {
            let field = p.field.unwrap_or_else(|| "source".into());
            match fields.iter_mut().find(|f| f.field == field) {
                Some(f) => {
                    f.message.push(' ');
                    f.message.push_str(&p.message);
                }
                None => fields.push(FieldError { field, message: p.message }),
            }
        }
        return Err(Error::validation(fields));
    }
    save_script(tx, now, id, &to_toml(script)?)
}

/// Copies a script (built-in or own) into a new editable script titled "… (copy)".
pub fn duplicate(tx: &Transaction<'_>, now: DateTime<Utc>, script: &ScriptRef) -> Result<ScriptSummary> {
    let mut s = check(&source(tx, script)?)?;
    s.title = format!("{} (copy)", s.title);
    save_script(tx, now, None, &to_toml(&s)?)
}

pub fn archive_script(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64) -> Result<()> {
    let n = tx.execute(
        "UPDATE tabletop_scripts SET archived_at = ?2, updated_at = ?2 WHERE id = ?1 AND archived_at IS NULL",
        params![id, stamp(now)],
    )?;
    if n == 0 {
        return Err(Error::not_found(format!("No script with id {id}.")));
    }
    Ok(())
}

string_enum!(
    ExerciseStatus {
        Planned = "planned" / "Planned",
        Running = "running" / "Running",
        Completed = "completed" / "Completed",
    }
);

string_enum!(
    Coverage {
        Covered = "covered" / "Covered",
        Partly = "partly" / "Partly",
        Missed = "missed" / "Missed",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ParticipantInput {
    pub person_id: i64,
    /// Their role in the exercise (one of the script's roles, or free text).
    pub role: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanInput {
    pub script: ScriptRef,
    /// Empty: the script's title.
    pub title: String,
    pub planned_on: String,
    pub facilitator_id: Option<i64>,
    pub participants: Vec<ParticipantInput>,
}

/// What can change in a plan before the exercise starts (its script cannot: plan another).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct PlanChange {
    /// Empty: the script's title.
    pub title: String,
    pub planned_on: String,
    pub facilitator_id: Option<i64>,
    pub participants: Vec<ParticipantInput>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Participant {
    pub person: PersonRef,
    pub role: String,
    pub attended: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Note {
    pub id: i64,
    pub inject_index: u32,
    /// When it was written (UTC stamp) and how far into the exercise.
    pub at: String,
    pub elapsed_seconds: i64,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CoverageMark {
    pub inject_index: u32,
    pub action_index: u32,
    pub state: Coverage,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExerciseSummary {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub scenario: String,
    pub planned_on: NaiveDate,
    pub facilitator: Option<PersonRef>,
    pub status: ExerciseStatus,
    pub attendees: u32,
    pub open_actions: u32,
    pub completed_at: Option<String>,
    /// The day it was held (started in the app, or recorded afterwards).
    pub held_on: Option<NaiveDate>,
    /// Recorded after the event rather than run in the app.
    pub recorded_afterwards: bool,
    /// Archived: kept, out of the list and of readiness (a cancelled plan, an exercise
    /// recorded by mistake).
    pub archived: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Exercise {
    pub summary: ExerciseSummary,
    pub script: Script,
    pub started_at: Option<String>,
    /// Seconds since the start on the clock of the call (stops at completion).
    pub elapsed_seconds: i64,
    pub current_inject: u32,
    pub participants: Vec<Participant>,
    pub notes: Vec<Note>,
    pub coverage: Vec<CoverageMark>,
    /// One answer per hot-wash question (empty when unanswered).
    pub hot_wash_answers: Vec<String>,
    pub strengths: String,
    pub improvements: String,
    pub actions: Vec<Action>,
    pub history: Vec<HistoryEntry>,
}

const SUMMARY: &str = "
    SELECT e.id, e.reference, e.title, e.script_source, e.planned_on, e.facilitator_id, p.name, e.status,
           (SELECT count(*) FROM exercise_participants x WHERE x.exercise_id = e.id AND x.attended = 1),
           (SELECT count(*) FROM actions a WHERE a.source_exercise_id = e.id AND a.status IN ('open', 'in_progress')
                AND a.archived_at IS NULL),
           e.completed_at, e.held_on, e.status = 'completed' AND e.started_at IS NULL, e.archived_at IS NOT NULL
    FROM exercises e LEFT JOIN people p ON p.id = e.facilitator_id";

fn summary_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<(ExerciseSummary, String)> {
    let st: String = r.get(7)?;
    let source: String = r.get(3)?;
    let on: String = r.get(4)?;
    Ok((
        ExerciseSummary {
            id: r.get(0)?,
            reference: r.get(1)?,
            title: r.get(2)?,
            scenario: String::new(),
            planned_on: parse_date(&on).unwrap_or_default(),
            facilitator: r
                .get::<_, Option<i64>>(5)?
                .zip(r.get::<_, Option<String>>(6)?)
                .map(|(id, name)| PersonRef { id, name }),
            status: ExerciseStatus::parse(&st).unwrap_or(ExerciseStatus::Planned),
            attendees: r.get(8)?,
            open_actions: r.get(9)?,
            completed_at: r.get(10)?,
            held_on: r.get::<_, Option<String>>(11)?.and_then(|d| parse_date(&d)),
            recorded_afterwards: r.get(12)?,
            archived: r.get(13)?,
        },
        source,
    ))
}

/// Every exercise (archived ones too, when asked), newest planned date first.
pub fn list(conn: &Connection, include_archived: bool) -> Result<Vec<ExerciseSummary>> {
    let rows = conn
        .prepare_cached(&format!(
            "{SUMMARY} WHERE (?1 OR e.archived_at IS NULL) ORDER BY e.planned_on DESC, e.id DESC"
        ))?
        .query_map([include_archived], summary_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows
        .into_iter()
        .map(|(mut s, source)| {
            s.scenario = parse(&source).map(|x| x.scenario).unwrap_or_default();
            s
        })
        .collect())
}

struct Row {
    summary: ExerciseSummary,
    script: Script,
    started_at: Option<String>,
    current_inject: u32,
    strengths: String,
    improvements: String,
}

fn row(conn: &Connection, id: i64) -> Result<Row> {
    let (mut summary, source) = conn
        .prepare_cached(&format!("{SUMMARY} WHERE e.id = ?1"))?
        .query_row([id], summary_row)
        .optional()?
        .ok_or_else(|| Error::not_found(format!("No exercise with id {id}.")))?;
    let script =
        parse(&source).map_err(|p| Error::internal(format!("exercise {id} holds a script we never accept: {p:?}")))?;
    summary.scenario = script.scenario.clone();
    let (started_at, current_inject, strengths, improvements): (Option<String>, u32, String, String) = conn
        .prepare_cached("SELECT started_at, current_inject, strengths, improvements FROM exercises WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    Ok(Row { summary, script, started_at, current_inject, strengths, improvements })
}

fn elapsed(started_at: Option<&str>, until: DateTime<Utc>) -> i64 {
    started_at
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|s| (until - s.with_timezone(&Utc)).num_seconds().max(0))
        .unwrap_or(0)
}

pub fn get(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<Exercise> {
    let r = row(conn, id)?;
    let until = r
        .summary
        .completed_at
        .as_deref()
        .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
        .map(|d| d.with_timezone(&Utc))
        .unwrap_or(now);
    let participants: Vec<(i64, String, String, bool)> = crate::store::tuples(
        conn,
        "SELECT x.person_id, p.name, x.role, x.attended FROM exercise_participants x JOIN people p ON p.id = x.person_id
         WHERE x.exercise_id = ?1 ORDER BY p.name COLLATE NOCASE",
        [id],
    )?;
    let participants = participants
        .into_iter()
        .map(|(pid, name, role, attended)| Participant { person: PersonRef { id: pid, name }, role, attended })
        .collect();
    let notes: Vec<(i64, u32, String, i64, String)> = crate::store::tuples(
        conn,
        "SELECT id, inject_index, at, elapsed_seconds, text FROM exercise_notes WHERE exercise_id = ?1 ORDER BY id",
        [id],
    )?;
    let notes = notes
        .into_iter()
        .map(|(id, inject_index, at, elapsed_seconds, text)| Note { id, inject_index, at, elapsed_seconds, text })
        .collect();
    let coverage: Vec<(u32, u32, String)> = crate::store::tuples(
        conn,
        "SELECT inject_index, action_index, state FROM exercise_coverage WHERE exercise_id = ?1
         ORDER BY inject_index, action_index",
        [id],
    )?;
    let coverage = coverage
        .into_iter()
        .map(|(inject_index, action_index, s)| CoverageMark {
            inject_index,
            action_index,
            state: Coverage::parse(&s).unwrap_or(Coverage::Missed),
        })
        .collect();
    let mut hot_wash_answers = vec![String::new(); r.script.hot_wash.len()];
    let answers: Vec<(i64, String)> =
        crate::store::tuples(conn, "SELECT question_index, answer FROM exercise_hotwash WHERE exercise_id = ?1", [id])?;
    for (i, a) in answers {
        if let Some(slot) = usize::try_from(i).ok().and_then(|i| hot_wash_answers.get_mut(i)) {
            *slot = a;
        }
    }
    let actions = actions::list(
        conn,
        &ActionQuery { source_exercise_id: Some(id), include_archived: false, limit: 1000, ..Default::default() },
        now.date_naive(),
    )?
    .rows;
    Ok(Exercise {
        elapsed_seconds: elapsed(r.started_at.as_deref(), until),
        summary: r.summary,
        script: r.script,
        started_at: r.started_at,
        current_inject: r.current_inject,
        participants,
        notes,
        coverage,
        hot_wash_answers,
        strengths: r.strengths,
        improvements: r.improvements,
        actions,
        history: history::list(conn, Register::Exercises, id)?,
    })
}

fn next_reference(tx: &Transaction<'_>) -> Result<String> {
    let max: Option<i64> = tx
        .prepare_cached(
            "SELECT max(CAST(substr(reference, 5) AS INTEGER)) FROM exercises
             WHERE reference LIKE 'TTX-%' AND substr(reference, 5) GLOB '[0-9]*'",
        )?
        .query_row([], |r| r.get(0))?;
    Ok(format!("TTX-{:03}", max.unwrap_or(0) + 1))
}

/// One of a script's roles and who would play it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CastRole {
    pub name: String,
    pub kind: super::RoleKind,
    pub description: String,
    /// The workspace role that usually plays it ("Engineering Lead"), when the script says.
    pub played_by: Option<String>,
    /// The person mapped to that role, when one is and they can take part on the day. Nobody
    /// is cast twice: a person who holds several of the script's roles is cast in the first.
    pub person: Option<PersonRef>,
}

/// The roles of `script`, each with the person the workspace's role mapping casts in it on
/// `on`: what the plan form starts from (the facilitator role's person facilitates; the
/// others take part).
pub fn cast(conn: &Connection, script: &ScriptRef, on: NaiveDate) -> Result<Vec<CastRole>> {
    let parsed = check(&source(conn, script)?)?;
    let mut taken = std::collections::HashSet::new();
    let mut out = Vec::new();
    for r in parsed.roles {
        let person = match &r.played_by {
            Some(key) => crate::roles::active_holder(conn, key, on)?.filter(|p| taken.insert(p.id)),
            None => None,
        };
        let played_by = r.played_by.as_deref().and_then(|key| {
            crate::starter::policy_texts::ROLES.iter().find(|(k, _)| *k == key).map(|(_, title)| (*title).to_owned())
        });
        out.push(CastRole { name: r.name, kind: r.role, description: r.description, played_by, person });
    }
    Ok(out)
}

/// A plan's title, date, facilitator and participants once checked.
struct ValidPlan {
    title: String,
    planned_on: NaiveDate,
}

/// Checks a plan's values; `before` is the plan being changed, whose facilitator and
/// participants stay acceptable even if they have been archived since.
fn validate_plan(tx: &Transaction<'_>, input: &PlanChange, before: Option<&Exercise>) -> Result<ValidPlan> {
    let mut v = Validator::new();
    let title = v.optional("title", "Title", &input.title, 200);
    let planned_on = v.required_date("planned_on", "Date", &input.planned_on);
    let was_facilitator = before.and_then(|e| e.summary.facilitator.as_ref().map(|f| f.id));
    v.active_person(tx, "facilitator_id", input.facilitator_id, was_facilitator, "facilitator")?;
    let mut seen = std::collections::HashSet::new();
    for p in &input.participants {
        if !seen.insert(p.person_id) {
            v.add("participants", "Someone is listed twice among the participants.");
        }
        let was = before.and_then(|e| e.participants.iter().find(|x| x.person.id == p.person_id).map(|x| x.person.id));
        v.active_person(tx, "participants", Some(p.person_id), was, "participant")?;
        if p.role.chars().count() > 100 {
            v.add("participants", "A participant's role must be at most 100 characters.");
        }
    }
    if input.participants.is_empty() {
        v.add("participants", "Add the people taking part.");
    }
    v.finish()?;
    let planned_on = planned_on.ok_or_else(|| Error::internal("validated date missing"))?;
    Ok(ValidPlan { title, planned_on })
}

fn write_participants(tx: &Transaction<'_>, id: i64, participants: &[ParticipantInput]) -> Result<()> {
    tx.prepare_cached("DELETE FROM exercise_participants WHERE exercise_id = ?1")?.execute([id])?;
    for p in participants {
        tx.prepare_cached("INSERT INTO exercise_participants (exercise_id, person_id, role) VALUES (?1, ?2, ?3)")?
            .execute(params![id, p.person_id, p.role.trim()])?;
    }
    Ok(())
}

/// The participants as history shows them: names with their roles, sorted.
fn participants_text(tx: &Transaction<'_>, participants: &[ParticipantInput]) -> Result<String> {
    let mut out = Vec::new();
    for p in participants {
        let name = crate::people::name_of(tx, Some(p.person_id))?.unwrap_or_default();
        out.push(if p.role.trim().is_empty() { name } else { format!("{name} ({})", p.role.trim()) });
    }
    Ok(crate::record::joined(out))
}

/// Plans an exercise: the script is copied in, so later edits to it change nothing here.
pub fn plan(tx: &Transaction<'_>, now: DateTime<Utc>, input: &PlanInput) -> Result<Exercise> {
    let text = source(tx, &input.script)?;
    let script = check(&text)?;
    let change = PlanChange {
        title: input.title.clone(),
        planned_on: input.planned_on.clone(),
        facilitator_id: input.facilitator_id,
        participants: input.participants.clone(),
    };
    let ValidPlan { title, planned_on } = validate_plan(tx, &change, None)?;
    let title = if title.is_empty() { script.title.clone() } else { title };
    let reference = next_reference(tx)?;
    tx.execute(
        "INSERT INTO exercises (reference, script_source, title, planned_on, facilitator_id, created_at, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6)",
        params![reference, text, title, planned_on.to_string(), input.facilitator_id, stamp(now)],
    )?;
    let id = tx.last_insert_rowid();
    write_participants(tx, id, &input.participants)?;
    history::created(tx, now, Register::Exercises, id)?;
    get(tx, id, now)
}

/// Changes a planned exercise's title, date, facilitator and participants, with the values
/// before in its history. Once it has started (or was recorded as held) its plan is part of
/// the run record and cannot change; an archived one is restored first.
pub fn update_plan(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &PlanChange) -> Result<Exercise> {
    let before = get(tx, id, now)?;
    if before.summary.status != ExerciseStatus::Planned {
        return Err(Error::new(
            ErrorCode::Conflict,
            "This exercise has started: its plan is part of the run record. Correct it in the debrief instead.",
        ));
    }
    if before.summary.archived {
        return Err(Error::new(ErrorCode::Conflict, "This exercise is archived; restore it before changing its plan."));
    }
    let ValidPlan { title, planned_on } = validate_plan(tx, input, Some(&before))?;
    let title = if title.is_empty() { before.script.title.clone() } else { title };
    let old: Vec<ParticipantInput> =
        before.participants.iter().map(|p| ParticipantInput { person_id: p.person.id, role: p.role.clone() }).collect();
    let mut d = Diff::new();
    d.field("title", Some(before.summary.title.clone()), Some(title.clone()))
        .field("planned_on", Some(before.summary.planned_on.to_string()), Some(planned_on.to_string()))
        .field(
            "facilitator",
            before.summary.facilitator.as_ref().map(|f| f.name.clone()),
            crate::people::name_of(tx, input.facilitator_id)?,
        )
        .field("participants", Some(participants_text(tx, &old)?), Some(participants_text(tx, &input.participants)?));
    if d.is_empty() {
        return Ok(before);
    }
    tx.execute(
        "UPDATE exercises SET title = ?2, planned_on = ?3, facilitator_id = ?4, updated_at = ?5 WHERE id = ?1",
        params![id, title, planned_on.to_string(), input.facilitator_id, stamp(now)],
    )?;
    write_participants(tx, id, &input.participants)?;
    history::record(tx, now, Register::Exercises, id, HistoryAction::Update, d.into_changes())?;
    get(tx, id, now)
}

impl crate::record::Kept for Exercise {
    const REGISTER: Register = Register::Exercises;

    fn load(conn: &Connection, id: i64, now: DateTime<Utc>) -> Result<Self> {
        get(conn, id, now)
    }

    fn archived(&self) -> bool {
        self.summary.archived
    }
}

/// Archives or restores an exercise: a cancelled plan, or one recorded by mistake, is kept
/// with its history and leaves the list and readiness. A running exercise is completed first.
pub fn set_archived(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, archived: bool) -> Result<Exercise> {
    if archived && row(tx, id)?.summary.status == ExerciseStatus::Running {
        return Err(Error::new(ErrorCode::Conflict, "This exercise is running; complete it before archiving it."));
    }
    crate::record::set_archived(tx, now, id, archived)
}

fn locked(status: ExerciseStatus) -> Result<()> {
    if status == ExerciseStatus::Completed {
        return Err(Error::new(
            ErrorCode::Conflict,
            "This exercise is completed and locked: its run record cannot change. Amend the debrief instead.",
        ));
    }
    Ok(())
}

fn not_archived(r: &Row) -> Result<()> {
    if r.summary.archived {
        return Err(Error::new(ErrorCode::Conflict, "This exercise is archived; restore it first."));
    }
    Ok(())
}

fn touch(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64) -> Result<()> {
    tx.execute("UPDATE exercises SET updated_at = ?2 WHERE id = ?1", params![id, stamp(now)])?;
    Ok(())
}

/// Starts the clock (once; starting again resumes where it stopped).
pub fn start(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64) -> Result<Exercise> {
    let r = row(tx, id)?;
    locked(r.summary.status)?;
    not_archived(&r)?;
    if r.started_at.is_none() {
        tx.execute(
            "UPDATE exercises SET status = 'running', started_at = ?2, held_on = ?3, updated_at = ?2 WHERE id = ?1",
            params![id, stamp(now), now.date_naive().to_string()],
        )?;
        let mut d = Diff::new();
        d.field("status", Some("Planned".into()), Some("Running".into()));
        amended(tx, now, id, d)?;
    }
    get(tx, id, now)
}

/// Moves to inject `index` (next, previous or any).
pub fn go_to(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, index: u32) -> Result<Exercise> {
    let r = row(tx, id)?;
    locked(r.summary.status)?;
    if r.started_at.is_none() {
        return Err(Error::new(ErrorCode::Conflict, "Start the exercise first."));
    }
    if index as usize >= r.script.injects.len() {
        return Err(Error::field("current_inject", format!("This script has {} injects.", r.script.injects.len())));
    }
    tx.execute(
        "UPDATE exercises SET current_inject = ?2, updated_at = ?3 WHERE id = ?1",
        params![id, index, stamp(now)],
    )?;
    get(tx, id, now)
}

/// Takes a note on an inject, stamped with the time and the exercise clock.
pub fn add_note(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, inject_index: u32, text: &str) -> Result<Note> {
    let r = row(tx, id)?;
    locked(r.summary.status)?;
    if r.started_at.is_none() {
        return Err(Error::new(ErrorCode::Conflict, "Start the exercise before taking notes."));
    }
    if inject_index as usize >= r.script.injects.len() {
        return Err(Error::field("inject_index", "That inject is not in this script."));
    }
    let mut v = Validator::new();
    let text = v.required("text", "Note", text, 5_000);
    v.finish()?;
    let secs = elapsed(r.started_at.as_deref(), now);
    tx.execute(
        "INSERT INTO exercise_notes (exercise_id, inject_index, at, elapsed_seconds, text) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, inject_index, stamp(now), secs, text],
    )?;
    let note_id = tx.last_insert_rowid();
    touch(tx, now, id)?;
    Ok(Note { id: note_id, inject_index, at: stamp(now), elapsed_seconds: secs, text })
}

/// Marks an expected action as covered, partly covered or missed (None clears the mark).
pub fn set_coverage(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    inject_index: u32,
    action_index: u32,
    state: Option<Coverage>,
) -> Result<()> {
    let r = row(tx, id)?;
    locked(r.summary.status)?;
    let exists =
        r.script.injects.get(inject_index as usize).is_some_and(|i| (action_index as usize) < i.expected_actions.len());
    if !exists {
        return Err(Error::field("action_index", "That expected action is not in this script."));
    }
    match state {
        None => {
            tx.execute(
                "DELETE FROM exercise_coverage WHERE exercise_id = ?1 AND inject_index = ?2 AND action_index = ?3",
                params![id, inject_index, action_index],
            )?;
        }
        Some(s) => {
            tx.execute(
                "INSERT INTO exercise_coverage (exercise_id, inject_index, action_index, state) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (exercise_id, inject_index, action_index) DO UPDATE SET state = excluded.state",
                params![id, inject_index, action_index, s.as_str()],
            )?;
        }
    }
    touch(tx, now, id)
}

/// Records whether a participant attended.
pub fn set_attendance(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, person_id: i64, attended: bool) -> Result<()> {
    let r = row(tx, id)?;
    locked(r.summary.status)?;
    let n = tx.execute(
        "UPDATE exercise_participants SET attended = ?3 WHERE exercise_id = ?1 AND person_id = ?2",
        params![id, person_id, attended],
    )?;
    if n == 0 {
        return Err(Error::field("person_id", "That person is not a participant of this exercise."));
    }
    touch(tx, now, id)
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DebriefInput {
    /// One answer per hot-wash question, in order.
    pub hot_wash_answers: Vec<String>,
    pub strengths: String,
    pub improvements: String,
}

/// Saves the debrief. After completion this still works, and every change goes to the history.
pub fn save_debrief(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &DebriefInput) -> Result<Exercise> {
    let old = get(tx, id, now)?;
    let mut v = Validator::new();
    let strengths = v.optional("strengths", "Strengths", &input.strengths, 20_000);
    let improvements = v.optional("improvements", "Areas for improvement", &input.improvements, 20_000);
    if input.hot_wash_answers.len() > old.script.hot_wash.len() {
        v.add("hot_wash_answers", "There are more answers than hot-wash questions.");
    }
    for a in &input.hot_wash_answers {
        if a.chars().count() > 10_000 {
            v.add("hot_wash_answers", "An answer must be at most 10000 characters.");
        }
    }
    v.finish()?;
    let mut d = Diff::new();
    d.field("strengths", Some(old.strengths.clone()), Some(strengths.clone())).field(
        "improvements",
        Some(old.improvements.clone()),
        Some(improvements.clone()),
    );
    for (i, q) in old.script.hot_wash.iter().enumerate() {
        let index = i as i64;
        let new = input.hot_wash_answers.get(i).map(|a| a.trim().to_owned()).unwrap_or_default();
        d.field(&format!("hot wash: {q}"), old.hot_wash_answers.get(i).cloned(), Some(new.clone()));
        if new.is_empty() {
            tx.execute(
                "DELETE FROM exercise_hotwash WHERE exercise_id = ?1 AND question_index = ?2",
                params![id, index],
            )?;
        } else {
            tx.execute(
                "INSERT INTO exercise_hotwash (exercise_id, question_index, answer) VALUES (?1, ?2, ?3)
                 ON CONFLICT (exercise_id, question_index) DO UPDATE SET answer = excluded.answer",
                params![id, index, new],
            )?;
        }
    }
    tx.execute(
        "UPDATE exercises SET strengths = ?2, improvements = ?3, updated_at = ?4 WHERE id = ?1",
        params![id, strengths, improvements, stamp(now)],
    )?;
    // While running, the debrief is a draft; once completed, amendments are on the record.
    if old.summary.status == ExerciseStatus::Completed {
        amended(tx, now, id, d)?;
    }
    get(tx, id, now)
}

/// Puts the changes `d` to exercise `id` on its history.
fn amended(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, d: Diff) -> Result<()> {
    history::record(tx, now, Register::Exercises, id, HistoryAction::Update, d.into_changes())
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CorrectiveActionInput {
    pub title: String,
    pub description: String,
    pub owner_id: Option<i64>,
    pub due_date: String,
}

/// A corrective action from the debrief becomes a remediation action linked to the exercise.
/// An owner and a due date are required: an improvement plan without them is not one.
pub fn add_corrective_action(
    tx: &Transaction<'_>,
    now: DateTime<Utc>,
    id: i64,
    input: &CorrectiveActionInput,
) -> Result<Action> {
    row(tx, id)?;
    let mut v = Validator::new();
    if input.owner_id.is_none() {
        v.add("owner_id", "Give the action an owner.");
    }
    if input.due_date.trim().is_empty() {
        v.add("due_date", "Give the action a due date.");
    }
    v.finish()?;
    let action = actions::create(
        tx,
        now,
        &ActionInput {
            title: input.title.clone(),
            description: input.description.clone(),
            owner_id: input.owner_id,
            due_date: input.due_date.clone(),
            source_exercise_id: Some(id),
            ..Default::default()
        },
    )?;
    let mut d = Diff::new();
    d.field("corrective_action", None, Some(format!("{} {}", action.reference, action.title)));
    amended(tx, now, id, d)?;
    Ok(action)
}

/// Completes the exercise and locks its run record. Needs a start and at least one attendee.
pub fn complete(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64) -> Result<Exercise> {
    let r = row(tx, id)?;
    locked(r.summary.status)?;
    if r.started_at.is_none() {
        return Err(Error::new(ErrorCode::Conflict, "Run the exercise before completing it."));
    }
    if r.summary.attendees == 0 {
        return Err(Error::field("attendance", "Record who attended before completing the exercise."));
    }
    tx.execute(
        "UPDATE exercises SET status = 'completed', completed_at = ?2, updated_at = ?2 WHERE id = ?1",
        params![id, stamp(now)],
    )?;
    let mut d = Diff::new();
    d.field("status", Some("Running".into()), Some("Completed".into()));
    amended(tx, now, id, d)?;
    get(tx, id, now)
}

/// An exercise held without running it in the app (last month's, or one held on paper), as
/// recorded afterwards: the day it was held, who attended, what was noted, and its debrief.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct HeldInput {
    pub held_on: String,
    /// The participants who attended (a subset of those planned).
    pub attendee_ids: Vec<i64>,
    /// What happened, in a few lines (kept as the run's one note).
    pub notes: String,
    pub debrief: DebriefInput,
}

/// Records a planned exercise as already held on a past day, completed with its after-action
/// content. The record shows both dates: held on `held_on`, recorded now (its history). The
/// readiness checks count it from the day it was held.
pub fn record_held(tx: &Transaction<'_>, now: DateTime<Utc>, id: i64, input: &HeldInput) -> Result<Exercise> {
    let r = row(tx, id)?;
    locked(r.summary.status)?;
    not_archived(&r)?;
    if r.started_at.is_some() {
        return Err(Error::new(
            ErrorCode::Conflict,
            "This exercise was started in the app: finish and complete it from its run record.",
        ));
    }
    let exercise = get(tx, id, now)?;
    let mut v = Validator::new();
    let held_on = v.required_date("held_on", "Held on", &input.held_on);
    if held_on.is_some_and(|d| d > now.date_naive()) {
        v.add("held_on", "An exercise cannot be recorded as held before the day it happens.");
    }
    let planned: std::collections::HashSet<i64> = exercise.participants.iter().map(|p| p.person.id).collect();
    if input.attendee_ids.is_empty() {
        v.add("attendee_ids", "Tick who attended.");
    } else if input.attendee_ids.iter().any(|a| !planned.contains(a)) {
        v.add("attendee_ids", "Only the planned participants can be marked as attending.");
    }
    let notes = v.optional("notes", "Notes", &input.notes, 20_000);
    if !input.debrief.hot_wash_answers.iter().any(|a| !a.trim().is_empty()) {
        v.add("hot_wash_answers", "Answer at least one hot-wash question: the after-action report needs it.");
    }
    if input.debrief.strengths.trim().is_empty() {
        v.add("strengths", "Say what went well.");
    }
    if input.debrief.improvements.trim().is_empty() {
        v.add("improvements", "Say what to improve.");
    }
    v.finish()?;
    let held_on = held_on.ok_or_else(|| Error::internal("validated date missing"))?;
    save_debrief(tx, now, id, &input.debrief)?;
    for p in &exercise.participants {
        tx.prepare_cached("UPDATE exercise_participants SET attended = ?3 WHERE exercise_id = ?1 AND person_id = ?2")?
            .execute(params![id, p.person.id, input.attendee_ids.contains(&p.person.id)])?;
    }
    if !notes.is_empty() {
        tx.execute(
            "INSERT INTO exercise_notes (exercise_id, inject_index, at, elapsed_seconds, text) VALUES (?1, 0, ?2, 0, ?3)",
            params![id, stamp(now), notes],
        )?;
    }
    tx.execute(
        "UPDATE exercises SET status = 'completed', held_on = ?2, completed_at = ?3, updated_at = ?3 WHERE id = ?1",
        params![id, held_on.to_string(), stamp(now)],
    )?;
    let mut d = Diff::new();
    d.field("status", Some("Planned".into()), Some("Completed".into()))
        .field("held_on", None, Some(held_on.to_string()))
        .field("recorded", None, Some("after the event, not run in the app".into()))
        .field("attendees", None, Some(input.attendee_ids.len().to_string()));
    amended(tx, now, id, d)?;
    get(tx, id, now)
}

/// The held exercises CSV columns (documented in docs/csv.md).
pub const CSV_COLUMNS: crate::csvio::Columns = crate::csvio::Columns {
    all: &[
        "reference",
        "title",
        "script",
        "held_on",
        "facilitator_email",
        "attendees",
        "notes",
        "hot_wash_answers",
        "strengths",
        "improvements",
    ],
    required: &["script", "held_on", "attendees", "hot_wash_answers", "strengths", "improvements"],
    aliases: &[],
    example: &[
        "",
        "Ransomware tabletop, spring",
        "ransomware",
        "2026-04-21",
        "ana@example.com",
        "ana@example.com; ben@example.com",
        "Ran the full script in 75 minutes.",
        "Backups were restorable within the day\n-\nCall the insurer before paying anyone",
        "Everyone knew who leads the response.",
        "Keep the offline contact list up to date.",
    ],
};

/// How an unanswered hot-wash question stands in `hot_wash_answers` (one answer per line).
const NO_ANSWER: &str = "-";

/// Tabletop exercises already held, in CSV: a row records one as held on its date with its
/// attendees and debrief (not run in the app), matched on reference. A held exercise is not
/// changed by a file: a row naming one must say what is stored.
pub struct HeldCsv;

impl crate::csv_import::CsvRegister for HeldCsv {
    const COLUMNS: &'static crate::csvio::Columns = &CSV_COLUMNS;
    const KEY: &'static [&'static str] = &["reference"];
    const FIND: &'static str = "SELECT id FROM exercises WHERE reference = ?1";
    const EXPORT_IDS: &'static str = "SELECT id FROM exercises WHERE status = 'completed' AND archived_at IS NULL
        ORDER BY held_on, reference COLLATE NOCASE";

    fn cells(conn: &Connection, id: i64) -> Result<Vec<String>> {
        let e = get(conn, id, DateTime::<Utc>::MIN_UTC)?;
        let mut attendees = Vec::new();
        for p in e.participants.iter().filter(|p| p.attended) {
            attendees.push(crate::people::email_of(conn, Some(p.person.id))?);
        }
        attendees.sort_by_key(|e| e.to_lowercase());
        let mut answers: Vec<&str> =
            e.hot_wash_answers.iter().map(|a| if a.trim().is_empty() { NO_ANSWER } else { a.trim() }).collect();
        while answers.last() == Some(&NO_ANSWER) {
            answers.pop();
        }
        Ok(vec![
            e.summary.reference,
            e.summary.title,
            e.script.title,
            e.summary.held_on.map(|d| d.to_string()).unwrap_or_default(),
            crate::people::email_of(conn, e.summary.facilitator.as_ref().map(|p| p.id))?,
            attendees.join("; "),
            e.notes.iter().map(|n| n.text.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join("\n"),
            answers.join("\n"),
            e.strengths,
            e.improvements,
        ])
    }

    fn apply(
        tx: &Transaction<'_>,
        now: DateTime<Utc>,
        c: &mut crate::csv_import::Cells<'_>,
        existing: Option<i64>,
    ) -> Result<crate::csv_import::Applied> {
        use crate::csv_import::Applied;
        if let Some(id) = existing {
            return crate::csv_import::unchanged::<Self>(tx, c, id, "This exercise");
        }
        let script = script_named(tx, &c.text("script"))?;
        if script.is_none() {
            c.problem(
                "script",
                format!(
                    "No script in the library is called {:?}: write a built-in script's key (such as ransomware) or a script's title.",
                    crate::csvio::shown(&c.text("script"))
                ),
            );
        }
        let emails: Vec<String> =
            c.text("attendees").split(';').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        let attendee_ids =
            c.ids(tx, "attendees", emails, "SELECT id FROM people WHERE email = ?1 COLLATE NOCASE", |email| {
                format!("No person has the email {email}; add them under People first.")
            })?;
        let facilitator_id = c.person(tx, "facilitator_email")?;
        let reference = c.text("reference");
        if reference.starts_with(crate::csvio::FORMULA_START) || reference.chars().count() > 32 {
            c.problem("reference", "A reference has at most 32 characters and cannot start with =, +, - or @.");
        }
        let Some(script) = script else { return Ok(Applied::Unchanged) };
        if !c.errors.is_empty() {
            return Ok(Applied::Unchanged);
        }
        let plan_input = PlanInput {
            script,
            title: c.text("title"),
            planned_on: c.text("held_on"),
            facilitator_id,
            participants: attendee_ids
                .iter()
                .map(|&person_id| ParticipantInput { person_id, role: String::new() })
                .collect(),
        };
        let planned = plan(tx, now, &plan_input)
            .map_err(|e| renamed(e, &[("planned_on", "held_on"), ("participants", "attendees")]))?;
        let id = planned.summary.id;
        if !reference.is_empty() {
            tx.execute("UPDATE exercises SET reference = ?2 WHERE id = ?1", params![id, reference])?;
        }
        let answers = c.text("hot_wash_answers");
        let held = HeldInput {
            held_on: c.text("held_on"),
            attendee_ids,
            notes: c.text("notes"),
            debrief: DebriefInput {
                hot_wash_answers: answers
                    .lines()
                    .map(|a| if a.trim() == NO_ANSWER { String::new() } else { a.trim().to_owned() })
                    .collect(),
                strengths: c.text("strengths"),
                improvements: c.text("improvements"),
            },
        };
        record_held(tx, now, id, &held).map_err(|e| renamed(e, &[("attendee_ids", "attendees")]))?;
        Ok(Applied::Created(id))
    }
}

/// The library script a cell names: a built-in script's key, or a script's title.
fn script_named(conn: &Connection, name: &str) -> Result<Option<ScriptRef>> {
    if name.is_empty() {
        return Ok(None);
    }
    if let Some(b) = BUILT_INS.iter().find(|b| b.key.eq_ignore_ascii_case(name)) {
        return Ok(Some(ScriptRef::BuiltIn(b.key.into())));
    }
    Ok(library(conn)?.into_iter().find(|s| s.title.eq_ignore_ascii_case(name)).map(|s| s.script))
}

/// An error whose fields are renamed to the CSV's columns.
fn renamed(mut e: Error, names: &[(&str, &str)]) -> Error {
    for f in &mut e.fields {
        if let Some((_, to)) = names.iter().find(|(from, _)| *from == f.field) {
            f.field = (*to).to_owned();
        }
    }
    e
}
