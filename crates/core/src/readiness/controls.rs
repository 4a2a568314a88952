//! Controls judged period by period. A control implemented on the day has periods (its
//! cadence over the Type II window, or the trailing one for Type I); a period is met by an
//! occurrence with evidence: one of the control's own activities, or a record of a register
//! linked to it. Continuous controls need dated evidence every few months (a setting); a
//! per-event control linked to a population (changes, leavers, new hires, incidents) is met
//! in a period when every event in it is.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::events::{Event, EventState};
use super::occurrences::{Occ, OccurrenceSource};
use super::periods::{self, Period, PeriodState};
use super::{Ctx, ExceptionResponse};
use crate::error::{Error, Result};
use crate::refs::{Cadence, RecordRef, Register};

/// One occurrence as a period shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct OccurrenceBrief {
    pub on: NaiveDate,
    pub what: String,
    pub record: RecordRef,
    /// Evidence items counted for it on the day.
    pub evidence: u32,
    /// Whether it counts (it has evidence, or needs none).
    pub counted: bool,
}

/// A period of a control and where it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct PeriodStatus {
    pub period: Period,
    pub state: PeriodState,
    /// The occurrences dated in it (the first few, in date order; `occurrence_count` has them all).
    pub occurrences: Vec<OccurrenceBrief>,
    pub occurrence_count: u32,
    /// For a population: how many events fell in it, and how many are met.
    pub events: u32,
    pub events_met: u32,
    /// Why it is missed or due, in one sentence; empty when met.
    pub problem: String,
    /// The exception key (missed periods of a Type II window).
    pub exception: Option<String>,
    pub response: Option<ExceptionResponse>,
}

/// A control's timeline on the day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ControlTimeline {
    pub control: RecordRef,
    pub cadence: Cadence,
    pub criteria: Vec<String>,
    /// The registers whose records count as its occurrences.
    pub sources: Vec<OccurrenceSource>,
    /// Implemented on the day (only implemented controls have periods).
    pub implemented: bool,
    pub periods: Vec<PeriodStatus>,
    /// What the periods mean ("One occurrence with evidence every quarter of the window").
    pub rule: String,
}

/// A control as the day knew it.
pub(super) struct Known {
    pub id: i64,
    pub reference: String,
    pub title: String,
    pub cadence: Cadence,
    pub implemented: bool,
    pub criteria: Vec<String>,
    pub sources: Vec<OccurrenceSource>,
}

/// Every control recorded and not archived at the end of the day, with the status, cadence
/// and criteria it had then.
pub(super) fn known(conn: &Connection, ctx: &Ctx) -> Result<Vec<Known>> {
    let sources = super::occurrences::control_sources(conn)?;
    let rows = ctx.past.records(
        conn,
        Register::Controls,
        ["reference", "title", "status", "cadence", "criteria"],
        "SELECT c.id, c.archived_at IS NOT NULL, c.reference, c.title, c.status, c.cadence,
                (SELECT group_concat(criterion_id, ' ') FROM control_criteria WHERE control_id = c.id)
         FROM controls c WHERE c.created_at <= ?1 ORDER BY c.reference COLLATE NOCASE",
        [ctx.past.end()],
    )?;
    let mut out = Vec::new();
    for (id, v) in rows {
        let text = |i: usize| v[i].clone().unwrap_or_default();
        let status = crate::controls::ControlStatus::parse_cell(&text(2));
        let mut criteria: Vec<String> = text(4).split_whitespace().map(str::to_owned).collect();
        criteria.sort();
        out.push(Known {
            id,
            reference: text(0),
            title: text(1),
            cadence: Cadence::parse_cell(&text(3)).unwrap_or_default(),
            implemented: status == Some(crate::controls::ControlStatus::Implemented),
            criteria,
            sources: sources.get(&id).cloned().unwrap_or_default(),
        });
    }
    Ok(out)
}

/// What every control's judgement reads, loaded once per day: the activities, the dated
/// occurrences of each source and the events of each population.
pub(super) struct Inputs {
    activities: HashMap<i64, Vec<Occ>>,
    dated: HashMap<OccurrenceSource, Vec<Occ>>,
    events: HashMap<OccurrenceSource, Vec<Event>>,
}

impl Inputs {
    pub(super) fn load(conn: &Connection, ctx: &Ctx, controls: &[Known]) -> Result<Self> {
        let wanted: std::collections::BTreeSet<OccurrenceSource> =
            controls.iter().filter(|c| c.implemented).flat_map(|c| c.sources.iter().copied()).collect();
        let from = ctx.from(365);
        let mut dated = HashMap::new();
        let mut events = HashMap::new();
        for s in wanted {
            if s.is_population() {
                let list = match s {
                    OccurrenceSource::Changes => super::events::changes(conn, ctx, from)?,
                    OccurrenceSource::Leavers => super::events::leavers(conn, ctx, from)?,
                    OccurrenceSource::NewHires => super::events::new_hires(conn, ctx, from)?,
                    _ => super::events::incidents(conn, ctx, from)?,
                };
                let mut list = list;
                list.sort_by_key(|e| e.on);
                events.insert(s, list);
            } else {
                dated.insert(s, super::occurrences::of_source(conn, &ctx.past, s)?);
            }
        }
        Ok(Self { activities: super::occurrences::activities(conn, &ctx.past)?, dated, events })
    }
}

/// How many occurrences a period lists (it counts them all).
const SHOWN: usize = 20;

/// The months of one period for a cadence (per-event controls are shown by quarter).
fn months_of(cadence: Cadence, ctx: &Ctx) -> u32 {
    match cadence {
        Cadence::Monthly => 1,
        Cadence::Quarterly => 3,
        Cadence::Annual => 12,
        Cadence::Continuous => ctx.s.continuous_evidence_months,
        Cadence::PerEvent => 3,
    }
}

fn brief(ctx: &Ctx, o: &Occ, self_evidenced: bool) -> OccurrenceBrief {
    OccurrenceBrief {
        on: o.on,
        what: o.what.clone(),
        record: o.record.clone(),
        evidence: o.evidence,
        counted: self_evidenced || ctx.counts("coverage", o.evidence),
    }
}

/// Judges one control on the day.
pub(super) fn judge(ctx: &Ctx, inputs: &Inputs, k: &Known) -> ControlTimeline {
    let record = RecordRef::new(Register::Controls, k.id, &k.reference, &k.title);
    let mut t = ControlTimeline {
        control: record,
        cadence: k.cadence,
        criteria: k.criteria.clone(),
        sources: k.sources.clone(),
        implemented: k.implemented,
        periods: Vec::new(),
        rule: String::new(),
    };
    if !k.implemented {
        t.rule = "Not implemented on this date: no periods are judged.".into();
        return t;
    }
    let populations: Vec<OccurrenceSource> = k.sources.iter().copied().filter(|s| s.is_population()).collect();
    // Each source of occurrences, in date order, with whether its records need evidence.
    let mut streams: Vec<(&[Occ], bool)> = Vec::new();
    if let Some(own) = inputs.activities.get(&k.id) {
        streams.push((own.as_slice(), false));
    }
    for s in k.sources.iter().filter(|s| !s.is_population()) {
        streams.push((inputs.dated.get(s).map(Vec::as_slice).unwrap_or_default(), s.self_evidenced()));
    }
    let window = ctx.type2_window;
    // A per-event control without a population: one occurrence over the window (or a year).
    let (periods, rule): (Vec<Period>, String) = match (k.cadence, populations.is_empty()) {
        (Cadence::PerEvent, true) => (
            vec![match window {
                Some((a, b)) => Period { start: a, end: b },
                None => periods::trailing_days(ctx.as_of, 365),
            }],
            "Per event, with no population linked: at least one occurrence with evidence in the period. Link the records that are its events so each one is judged.".into(),
        ),
        (_, false) => {
            let m = months_of(k.cadence, ctx);
            (all_periods(ctx, m), "Every event of its population is met, period by period.".into())
        }
        (cadence, true) => {
            let m = months_of(cadence, ctx);
            let every = match m {
                1 => "month".to_owned(),
                3 => "quarter".to_owned(),
                12 => "year".to_owned(),
                n => format!("{n} months"),
            };
            let what = if cadence == Cadence::Continuous { "dated evidence of the setting" } else { "one occurrence with evidence" };
            let scope = if window.is_some() { "of the window" } else { "up to this date" };
            (all_periods(ctx, m), format!("{} every {every} {scope}.", capitalised(what)))
        }
    };
    t.rule = rule;
    for period in periods {
        let annual_from = if months_of(k.cadence, ctx) == 12 {
            period.end.checked_sub_days(chrono::Days::new(364)).unwrap_or(period.start).min(period.start)
        } else {
            period.start
        };
        // The occurrences dated in the period, found by binary search in each stream.
        let ranges: Vec<(&[Occ], bool)> = streams
            .iter()
            .map(|(list, self_evidenced)| {
                let from = list.partition_point(|o| o.on < annual_from);
                let to = list.partition_point(|o| o.on <= period.end);
                (&list[from..to.max(from)], *self_evidenced)
            })
            .collect();
        let count: usize = ranges.iter().map(|(r, _)| r.len()).sum();
        let mut mine: Vec<OccurrenceBrief> =
            ranges.iter().flat_map(|(r, se)| r.iter().take(SHOWN).map(|o| brief(ctx, o, *se))).collect();
        mine.sort_by_key(|o| o.on);
        mine.truncate(SHOWN);
        let any_counted = ranges.iter().any(|(r, se)| *se || r.iter().any(|o| ctx.counts("coverage", o.evidence)));
        let any_counted = any_counted && count > 0;
        let (met, problem, events, events_met) = if populations.is_empty() {
            let met = any_counted;
            let problem = if met {
                String::new()
            } else if let Some(o) = mine.iter().find(|o| !o.counted) {
                format!("{} on {} has no evidence.", o.what, o.on)
            } else {
                format!("No occurrence in {}.", period.text())
            };
            (met, problem, 0, 0)
        } else {
            let evs: Vec<&Event> = populations
                .iter()
                .flat_map(|s| {
                    let list = inputs.events.get(s).map(Vec::as_slice).unwrap_or_default();
                    let from = list.partition_point(|e| e.on < period.start);
                    let to = list.partition_point(|e| e.on <= period.end);
                    list[from..to.max(from)].iter()
                })
                .collect();
            let missed: Vec<&&Event> = evs.iter().filter(|e| e.state == EventState::Missed).collect();
            let pending = evs.iter().any(|e| e.state == EventState::Pending);
            let met_count = evs.iter().filter(|e| e.state == EventState::Met).count() as u32;
            let problem = match missed.first() {
                Some(e) if missed.len() == 2 => format!("{} (and 1 more event)", e.problem),
                Some(e) if missed.len() > 2 => format!("{} (and {} more events)", e.problem, missed.len() - 1),
                Some(e) => e.problem.clone(),
                None if pending => "Events in this period are still awaited.".into(),
                None => String::new(),
            };
            // A missed event is missed at once; pending ones keep the period due.
            let met = missed.is_empty() && !(pending && period.end >= ctx.as_of);
            if !missed.is_empty() {
                t.periods.push(PeriodStatus {
                    period,
                    state: if period.start > ctx.as_of { PeriodState::NotYet } else { PeriodState::Missed },
                    occurrences: mine,
                    occurrence_count: count as u32,
                    events: evs.len() as u32,
                    events_met: met_count,
                    problem,
                    exception: None,
                    response: None,
                });
                continue;
            }
            (met, problem, evs.len() as u32, met_count)
        };
        let mut state = periods::state(&period, met, ctx.as_of);
        // Type I: the one period ends today; not met means not performed recently enough.
        if window.is_none() && state == PeriodState::Due {
            state = PeriodState::Missed;
        }
        t.periods.push(PeriodStatus {
            period,
            state,
            occurrences: mine,
            occurrence_count: count as u32,
            events,
            events_met,
            problem: if state == PeriodState::Met { String::new() } else { problem },
            exception: None,
            response: None,
        });
    }
    t
}

/// All the periods to show: the whole window (Type II, including those not begun) or the
/// trailing one (Type I).
fn all_periods(ctx: &Ctx, months: u32) -> Vec<Period> {
    match ctx.type2_window {
        Some(w) => periods::window_periods(w, months),
        None => vec![periods::trailing_period(ctx.as_of, months)],
    }
}

fn capitalised(s: &str) -> String {
    super::capitalised(s)
}

/// Every control's timeline on `as_of`, with the exceptions' responses filled in.
pub fn timelines(conn: &Connection, as_of: NaiveDate) -> Result<Vec<ControlTimeline>> {
    let (_, ctx) = super::context(conn, as_of)?;
    let controls = known(conn, &ctx)?;
    let inputs = Inputs::load(conn, &ctx, &controls)?;
    let responses = super::exceptions::responses(conn)?;
    Ok(controls
        .iter()
        .map(|k| {
            let mut t = judge(&ctx, &inputs, k);
            keyed(&ctx, &mut t, &responses);
            t
        })
        .collect())
}

/// One control's timeline on `as_of`.
pub fn timeline(conn: &Connection, id: i64, as_of: NaiveDate) -> Result<ControlTimeline> {
    let (_, ctx) = super::context(conn, as_of)?;
    let controls: Vec<Known> = known(conn, &ctx)?.into_iter().filter(|k| k.id == id).collect();
    let Some(k) = controls.first() else {
        crate::controls::get(conn, id)?;
        return Err(Error::not_found(format!("Control {id} was not recorded (or was archived) on {as_of}.")));
    };
    let inputs = Inputs::load(conn, &ctx, &controls)?;
    let mut t = judge(&ctx, &inputs, k);
    keyed(&ctx, &mut t, &super::exceptions::responses(conn)?);
    Ok(t)
}

/// The exception key of each missed period (Type II), and its response.
pub(super) fn keyed(ctx: &Ctx, t: &mut ControlTimeline, responses: &HashMap<String, ExceptionResponse>) {
    if ctx.type2_window.is_none() {
        return;
    }
    let id = t.control.id.unwrap_or_default();
    for p in t.periods.iter_mut().filter(|p| p.state == PeriodState::Missed) {
        let key = exception_key(id, &p.period);
        p.response = responses.get(&key).cloned();
        p.exception = Some(key);
    }
}

/// The key a missed period of control `id` is recorded under (the coverage check uses it).
pub(super) fn exception_key(id: i64, period: &Period) -> String {
    format!("coverage:control:{id}:{}", period.start)
}
