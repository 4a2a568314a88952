//! The readiness engine: fourteen checks, each a pure function of the workspace, the
//! organization profile and an as-of date. A check passes, warns (something falls due within
//! the warning window), fails, or does not apply; its findings name the records to fix, what
//! is wrong, since or until when, and what to do. Each passing check also says when it would
//! start failing if nothing were done (the forecast), and every task it judges goes on the
//! obligations calendar with the same due date.
//!
//! `mod.rs` holds the context, the check builder and the runner; each check is a file.

use chrono::{Datelike, Days, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::profile::{self, AuditType};

mod access_reviews;
mod changes;
pub mod controls;
mod coverage;
mod encryption;
mod events;
pub mod exceptions;
mod incident_response;
mod leavers;
mod logging;
mod mfa;
pub mod occurrences;
pub mod periods;
mod policies;
mod rbac;
mod retention;
mod risk;
mod training;
mod vendors;

string_enum!(
    Verdict {
        Pass = "pass" / "Pass",
        Warn = "warn" / "Due soon",
        Fail = "fail" / "Fail",
        NotApplicable = "not_applicable" / "Not applicable",
    }
);

use crate::past::Past;
pub use crate::refs::RecordRef;
use crate::refs::Register;
pub use coverage::{criteria_coverage, CoverageState, CriterionCoverage};
pub use periods::{Period, PeriodState};
pub use policies::{policies_then, PolicyThen};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Finding {
    pub record: RecordRef,
    /// What is wrong, in one sentence.
    pub problem: String,
    /// Failing since this date (e.g. when a review fell due).
    pub since: Option<NaiveDate>,
    /// Still fine until this date (warnings).
    pub until: Option<NaiveDate>,
    /// What to do about it.
    pub fix: String,
    /// Failing (true) or only coming up (false).
    pub failing: bool,
    /// Who owns the record, when it has an owner.
    pub owner: Option<String>,
    /// The period the finding is about (a quarter without an access review).
    pub period: Option<Period>,
    /// For an exception (a missed period or a failed event in the observation window): the
    /// key its management response is recorded under.
    pub exception: Option<String>,
    /// The management response recorded for the exception, if any.
    pub response: Option<ExceptionResponse>,
}

/// What management says about an exception, and what it does about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct ExceptionResponse {
    pub management_response: String,
    pub remediation: String,
    pub responded_by: Option<crate::refs::PersonRef>,
    pub action_id: Option<i64>,
    pub recorded_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Forecast {
    /// The first day the check would fail if nothing is done.
    pub fails_on: NaiveDate,
    pub what: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CheckResult {
    pub id: u8,
    pub key: String,
    pub title: String,
    pub verdict: Verdict,
    /// One line: why this verdict.
    pub reason: String,
    pub criteria: Vec<String>,
    pub findings: Vec<Finding>,
    pub forecast: Option<Forecast>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Readiness {
    pub as_of: NaiveDate,
    pub audit_type: AuditType,
    pub pass: u32,
    pub warn: u32,
    pub fail: u32,
    pub not_applicable: u32,
    pub checks: Vec<CheckResult>,
}

pub use crate::settings::CheckSettings;

/// A check as the settings list it: its key, title and the criteria it tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CheckInfo {
    pub key: String,
    pub title: String,
    pub criteria: Vec<String>,
}

/// Every check, in the order the dashboard and the report list them, without running any.
pub fn check_list() -> Vec<CheckInfo> {
    CHECKS
        .iter()
        .map(|d| CheckInfo {
            key: d.key.into(),
            title: d.title.into(),
            criteria: d.criteria.iter().map(|c| (*c).into()).collect(),
        })
        .collect()
}

/// What every check reads: the date (and the workspace as it stood at its end), the
/// settings, the Type II observation window, and the systems in scope on the day (read once,
/// with the values they had then).
struct Ctx {
    as_of: NaiveDate,
    past: Past,
    s: CheckSettings,
    type2_window: Option<(NaiveDate, NaiveDate)>,
    systems: Vec<Sys>,
}

impl Ctx {
    fn plus(&self, d: NaiveDate, days: u32) -> NaiveDate {
        d.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
    }

    /// Where the judged stretch begins: the window's start (Type II), else `days` back.
    fn from(&self, days: u32) -> NaiveDate {
        self.type2_window
            .map(|w| w.0)
            .unwrap_or_else(|| self.as_of.checked_sub_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MIN))
    }

    /// The periods of `months` to judge on the day (see [`periods::judged`]).
    fn periods(&self, months: u32) -> Vec<Period> {
        periods::judged(self.type2_window, months, self.as_of)
    }

    /// Whether something due on `due`, every `interval_days`, is near enough to warn.
    fn near(&self, due: NaiveDate, interval_days: i64) -> bool {
        self.as_of >= periods::warn_from(due, interval_days, self.s.warn_days)
    }

    /// Whether an occurrence with `evidence` items counts for check `key`.
    fn counts(&self, key: &str, evidence: u32) -> bool {
        evidence > 0 || !self.s.evidence_required(key)
    }
}

/// One check: its number, key and title, the criteria it tests, and the rule itself. Adding
/// a check is a file with a `CHECK` and one line in [`CHECKS`].
struct CheckDef {
    id: u8,
    key: &'static str,
    title: &'static str,
    criteria: &'static [&'static str],
    run: fn(&Connection, &Ctx, &mut Check) -> Result<()>,
}

/// Every check, in the order the dashboard and the report list them.
const CHECKS: [CheckDef; 14] = [
    policies::CHECK,
    rbac::CHECK,
    mfa::CHECK,
    access_reviews::CHECK,
    risk::CHECK,
    logging::CHECK,
    training::CHECK,
    changes::CHECK,
    incident_response::CHECK,
    vendors::CHECK,
    encryption::CHECK,
    retention::CHECK,
    leavers::CHECK,
    coverage::CHECK,
];

/// A task on the obligations calendar: its due date, what to do, and the record.
type Upcoming = (NaiveDate, String, RecordRef);

/// Builds a check from its findings: any failing finding fails it; else any finding warns.
/// It also collects what falls due (the obligations calendar reads those, so a due date is
/// computed once, by the rule that judges it).
struct Check {
    id: u8,
    key: &'static str,
    title: &'static str,
    criteria: &'static [&'static str],
    findings: Vec<Finding>,
    /// (date, what): the earliest date something would start failing.
    next: Option<(NaiveDate, String)>,
    not_applicable: Option<String>,
    ok_reason: String,
    /// What falls due and when, for the obligations calendar.
    upcoming: Vec<Upcoming>,
}

impl Check {
    fn new(id: u8, key: &'static str, title: &'static str, criteria: &'static [&'static str]) -> Self {
        Self {
            id,
            key,
            title,
            criteria,
            findings: Vec::new(),
            next: None,
            not_applicable: None,
            ok_reason: String::new(),
            upcoming: Vec::new(),
        }
    }

    /// `{record}` in `fix` stands for the record's name ("Enforce MFA on {record}.").
    fn fail(&mut self, record: RecordRef, problem: String, since: Option<NaiveDate>, fix: &str) {
        self.findings.push(Finding {
            fix: fix.replace("{record}", &record.name()),
            record,
            problem,
            since,
            until: None,
            failing: true,
            owner: None,
            period: None,
            exception: None,
            response: None,
        });
    }

    /// Fails for something missing from the workspace as a whole (`area` names where to add it).
    fn missing(&mut self, area: &str, problem: &str, fix: &str) {
        self.fail(RecordRef::workspace(area), problem.into(), None, fix);
    }

    /// Fails system `s` unless `ok`: "<its name> <problem>".
    fn require(&mut self, s: &Sys, ok: bool, problem: &str, fix: &str) {
        if !ok {
            self.fail(sys_ref(s), format!("{} {problem}", s.name), None, fix);
        }
    }

    fn warn(&mut self, record: RecordRef, problem: String, until: NaiveDate, fix: &str) {
        self.findings.push(Finding {
            fix: fix.replace("{record}", &record.name()),
            record,
            problem: capitalised(&problem),
            since: None,
            until: Some(until),
            failing: false,
            owner: None,
            period: None,
            exception: None,
            response: None,
        });
    }

    /// A missed period or a failed event: failing, about `period`, and (in a Type II window)
    /// an exception the auditor will list, keyed by `what` (the thing judged) and the period.
    fn exception(&mut self, ctx: &Ctx, record: RecordRef, period: Period, what: &str, problem: String, fix: &str) {
        self.fail(record, problem, Some(period.end), fix);
        if let Some(f) = self.findings.last_mut() {
            f.period = Some(period);
            if ctx.type2_window.is_some() {
                f.exception = Some(format!("{}:{what}:{}", self.key, period.start));
            }
        }
    }

    /// A warning about a period under way.
    fn due_in(&mut self, record: RecordRef, period: Period, problem: String, fix: &str) {
        self.warn(record, problem, period.end, fix);
        if let Some(f) = self.findings.last_mut() {
            f.period = Some(period);
        }
    }

    /// Notes a date on which the check would fail; keeps the earliest.
    fn due(&mut self, date: NaiveDate, what: String) {
        if self.next.as_ref().is_none_or(|(d, _)| date < *d) {
            self.next = Some((date, what));
        }
    }

    /// Puts a task on the obligations calendar.
    fn plan(&mut self, date: NaiveDate, task: String, record: RecordRef) {
        self.upcoming.push((date, task, record));
    }

    /// Judges one dated obligation: failing once `due` (the last day it is on time) has
    /// passed, warning when it is near; `task` is its line on the obligations calendar.
    /// `interval_days` is how often it recurs: the warning comes at most a third of it early.
    #[allow(clippy::too_many_arguments)]
    fn dated(
        &mut self,
        ctx: &Ctx,
        record: RecordRef,
        due: NaiveDate,
        interval_days: u32,
        task: String,
        late: String,
        soon: String,
        fix: &str,
    ) {
        self.plan(due, task, record.clone());
        if due < ctx.as_of {
            self.fail(record, late, Some(due), fix);
        } else {
            if ctx.near(due, i64::from(interval_days)) {
                self.warn(record.clone(), soon.clone(), due, fix);
            }
            self.due(due.succ_opt().unwrap_or(due), capitalised(&soon));
        }
    }

    fn finish(self) -> (CheckResult, Vec<Upcoming>) {
        let failing = self.findings.iter().filter(|f| f.failing).count();
        let warning = self.findings.len() - failing;
        let (verdict, reason) = if let Some(why) = self.not_applicable {
            (Verdict::NotApplicable, why)
        } else if failing > 0 {
            let first = &self.findings.iter().find(|f| f.failing).map(|f| f.problem.clone()).unwrap_or_default();
            let more = if failing > 1 { format!(" (and {} more)", failing - 1) } else { String::new() };
            (Verdict::Fail, format!("{first}{more}"))
        } else if warning > 0 {
            let first = &self.findings[0].problem;
            let more = if warning > 1 { format!(" (and {} more)", warning - 1) } else { String::new() };
            (Verdict::Warn, format!("{first}{more}"))
        } else {
            (Verdict::Pass, self.ok_reason)
        };
        let forecast = match verdict {
            Verdict::Pass | Verdict::Warn => self.next.map(|(fails_on, what)| Forecast { fails_on, what }),
            _ => None,
        };
        let result = CheckResult {
            id: self.id,
            key: self.key.into(),
            title: self.title.into(),
            verdict,
            reason,
            criteria: self.criteria.iter().map(|c| c.to_string()).collect(),
            findings: self.findings,
            forecast,
        };
        (result, self.upcoming)
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// An in-scope system as the checks see it, with the values it had on the as-of day.
struct Sys {
    id: i64,
    name: String,
    criticality: crate::refs::Criticality,
    rbac: bool,
    shared: bool,
    mfa: bool,
    customer_data: bool,
    enc: bool,
    tls: bool,
    logs: bool,
    alerting: bool,
    /// Certificates as (name, expiry).
    certificates: Vec<(String, NaiveDate)>,
}

impl Sys {
    /// Access, MFA, logging and review rules apply to critical systems and to every system
    /// that holds customer data, whatever criticality it was given.
    fn sensitive(&self) -> bool {
        self.criticality == crate::refs::Criticality::Critical || self.customer_data
    }
}

/// The fields of a system the checks read, as history names them.
const SYSTEM_FIELDS: [&str; 12] = [
    "name",
    "criticality",
    "in_scope",
    "holds_customer_data",
    "mfa_enforced",
    "role_based_access",
    "shared_accounts",
    "encryption_at_rest",
    "tls_in_transit",
    "logs_forwarded",
    "alerting",
    "certificates",
];

/// The systems that were recorded, not archived and in scope at the end of the day, with the
/// values they had then.
fn systems(conn: &Connection, past: &Past) -> Result<Vec<Sys>> {
    use crate::past::yes;
    // Yes/no and the certificates as history writes them.
    let rows = past.records(
        conn,
        Register::Systems,
        SYSTEM_FIELDS,
        "SELECT id, archived_at IS NOT NULL, name, criticality, iif(in_scope, 'yes', 'no'),
                iif(holds_customer_data, 'yes', 'no'), iif(mfa_enforced, 'yes', 'no'),
                iif(role_based_access, 'yes', 'no'), iif(shared_accounts, 'yes', 'no'),
                iif(encryption_at_rest, 'yes', 'no'), iif(tls_in_transit, 'yes', 'no'),
                iif(logs_forwarded, 'yes', 'no'), iif(alerting, 'yes', 'no'),
                (SELECT group_concat(c.name || ' (' || c.expires_on || ')', ', ') FROM system_certificates c
                 WHERE c.system_id = systems.id)
         FROM systems WHERE created_at <= ?1",
        [past.end()],
    )?;
    let mut out = Vec::new();
    for (id, values) in rows {
        let v = |i: usize| values[i].as_deref();
        if !yes(v(2)) {
            continue;
        }
        // History shows the criticality's label; the table holds its key.
        let criticality =
            v(1).and_then(crate::refs::Criticality::parse_cell).unwrap_or(crate::refs::Criticality::Medium);
        let certificates = v(11).map(parse_certificates).unwrap_or_default();
        out.push(Sys {
            id,
            name: v(0).unwrap_or_default().to_owned(),
            criticality,
            customer_data: yes(v(3)),
            mfa: yes(v(4)),
            rbac: yes(v(5)),
            shared: yes(v(6)),
            enc: yes(v(7)),
            tls: yes(v(8)),
            logs: yes(v(9)),
            alerting: yes(v(10)),
            certificates,
        });
    }
    out.sort_by_key(|s| s.name.to_lowercase());
    Ok(out)
}

/// Reads "name (YYYY-MM-DD), name (YYYY-MM-DD)" as history and the loader write certificates.
fn parse_certificates(text: &str) -> Vec<(String, NaiveDate)> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(" (") {
        let name = rest[..open].trim_start_matches([',', ' ']).to_owned();
        let after = &rest[open + 2..];
        let Some(close) = after.find(')') else { break };
        if let Some(d) = crate::validate::parse_date(&after[..close]) {
            out.push((name, d));
        }
        rest = &after[close + 1..];
    }
    out
}

fn sys_ref(s: &Sys) -> RecordRef {
    RecordRef::new(Register::Systems, s.id, "", &s.name)
}

fn no_systems(c: &mut Check) {
    c.missing(
        "Systems",
        "No in-scope systems are recorded.",
        "List the systems that run the service and hold data (Systems).",
    );
}

/// The in-scope systems that are critical or hold customer data; the check fails when no
/// system is recorded and does not apply when none is sensitive.
fn sensitive_systems<'a>(ctx: &'a Ctx, c: &mut Check) -> Vec<&'a Sys> {
    let sensitive: Vec<&Sys> = ctx.systems.iter().filter(|s| s.sensitive()).collect();
    if ctx.systems.is_empty() {
        no_systems(c);
    } else if sensitive.is_empty() {
        c.not_applicable = Some("No in-scope system is critical or holds customer data.".into());
    }
    sensitive
}

/// Reads an as-of date typed by the user; empty means `today`.
pub fn parse_as_of(text: &str, today: NaiveDate) -> Result<NaiveDate> {
    if text.trim().is_empty() {
        return Ok(today);
    }
    crate::validate::parse_date(text.trim())
        .ok_or_else(|| crate::Error::field("as_of", "Write the date as YYYY-MM-DD."))
}

/// Who answers for a record (its owner; the person themselves for people), looked up once
/// per record.
struct Owners<'c> {
    conn: &'c Connection,
    cache: std::collections::HashMap<(Register, i64), Option<String>>,
}

impl<'c> Owners<'c> {
    fn new(conn: &'c Connection) -> Self {
        Self { conn, cache: std::collections::HashMap::new() }
    }

    fn of(&mut self, record: &RecordRef) -> Result<Option<String>> {
        let (Some(kind), Some(id)) = (record.kind, record.id) else { return Ok(None) };
        if let Some(owner) = self.cache.get(&(kind, id)) {
            return Ok(owner.clone());
        }
        let sql = match (kind, kind.owner_column()) {
            (Register::People, _) => "SELECT name FROM people WHERE id = ?1".to_owned(),
            (_, Some(column)) => {
                format!("SELECT p.name FROM {} x JOIN people p ON p.id = x.{column} WHERE x.id = ?1", kind.table())
            }
            (_, None) => return Ok(None),
        };
        let owner: Option<String> = self.conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0)).ok();
        self.cache.insert((kind, id), owner.clone());
        Ok(owner)
    }
}

/// Every check's result on one date, with what each found falling due.
struct Run {
    profile: Option<profile::Profile>,
    checks: Vec<(CheckResult, Vec<Upcoming>)>,
}

/// What the checks read on `as_of`, and the organisation's profile.
fn context(conn: &Connection, as_of: NaiveDate) -> Result<(Option<profile::Profile>, Ctx)> {
    let profile = profile::get(conn)?;
    let s = crate::settings::check_settings(conn)?;
    let type2_window = type2_window(profile.as_ref());
    let past = Past::new(as_of);
    let systems = systems(conn, &past)?;
    Ok((profile, Ctx { as_of, past, s, type2_window, systems }))
}

/// The observation window of a Type II audit (first and last day), when the profile sets one.
pub fn type2_window(profile: Option<&profile::Profile>) -> Option<(NaiveDate, NaiveDate)> {
    profile.and_then(|p| match (p.audit_type, p.window_start, p.window_end) {
        (AuditType::Type2, Some(a), Some(b)) => Some((a, b)),
        _ => None,
    })
}

/// Runs every check on `as_of`: each result with what it found falling due.
fn run_all(conn: &Connection, as_of: NaiveDate) -> Result<Run> {
    let (profile, ctx) = context(conn, as_of)?;
    let mut out = Vec::with_capacity(CHECKS.len());
    for def in &CHECKS {
        let mut c = Check::new(def.id, def.key, def.title, def.criteria);
        (def.run)(conn, &ctx, &mut c)?;
        out.push(c.finish());
    }
    Ok(Run { profile, checks: out })
}

/// Runs every check on `as_of`.
pub fn check_all(conn: &Connection, as_of: NaiveDate) -> Result<Readiness> {
    let Run { profile, checks: results } = run_all(conn, as_of)?;
    let mut owners = Owners::new(conn);
    let responses = exceptions::responses(conn)?;
    let mut checks = Vec::with_capacity(results.len());
    for (mut check, _) in results {
        for f in &mut check.findings {
            f.owner = owners.of(&f.record)?;
            f.response = f.exception.as_ref().and_then(|k| responses.get(k).cloned());
        }
        checks.push(check);
    }
    let count = |v: Verdict| checks.iter().filter(|c| c.verdict == v).count() as u32;
    Ok(Readiness {
        as_of,
        audit_type: profile.map(|p| p.audit_type).unwrap_or(AuditType::Type1),
        pass: count(Verdict::Pass),
        warn: count(Verdict::Warn),
        fail: count(Verdict::Fail),
        not_applicable: count(Verdict::NotApplicable),
        checks,
    })
}

/// What falls due in the next `days` days, for the obligations calendar.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Obligation {
    pub date: NaiveDate,
    pub what: String,
    /// The check that judges it (its key).
    pub check: String,
    pub record: RecordRef,
    pub owner: Option<String>,
}

/// Everything falling due from `as_of` to `as_of + days`, by date: the tasks the checks
/// judge, with the due dates they judge them by.
pub fn obligations(conn: &Connection, as_of: NaiveDate, days: u32) -> Result<Vec<Obligation>> {
    let end = as_of.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
    let results = run_all(conn, as_of)?.checks;
    let mut owners = Owners::new(conn);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (check, upcoming) in results {
        for (date, what, record) in upcoming {
            if date < as_of || date > end || !seen.insert((date, what.clone())) {
                continue;
            }
            let owner = owners.of(&record)?;
            out.push(Obligation { date, what, check: check.key.clone(), record, owner });
        }
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then_with(|| a.what.cmp(&b.what)));
    Ok(out)
}

/// The obligations as an iCalendar file (all-day events), for any calendar app.
pub fn obligations_ics(list: &[Obligation], organisation: &str) -> String {
    let esc = |s: &str| s.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace('\n', "\\n");
    let mut out = String::from(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Readyroom//Obligations//EN\r\nCALSCALE:GREGORIAN\r\n",
    );
    out.push_str(&format!("X-WR-CALNAME:{}\r\n", esc(&format!("{organisation} compliance obligations"))));
    for (i, o) in list.iter().enumerate() {
        let day = o.date.format("%Y%m%d").to_string();
        let next = o.date.succ_opt().unwrap_or(o.date).format("%Y%m%d").to_string();
        let uid = format!("{}-{}-{}-{i}@readyroom", o.check, o.record.id.unwrap_or(0), day);
        out.push_str("BEGIN:VEVENT\r\n");
        out.push_str(&format!(
            "UID:{uid}\r\nDTSTAMP:{day}T000000Z\r\nDTSTART;VALUE=DATE:{day}\r\nDTEND;VALUE=DATE:{next}\r\n"
        ));
        out.push_str(&format!("SUMMARY:{}\r\n", esc(&o.what)));
        if let Some(owner) = &o.owner {
            out.push_str(&format!("DESCRIPTION:{}\r\n", esc(&format!("Owner: {owner}"))));
        }
        out.push_str("END:VEVENT\r\n");
    }
    out.push_str("END:VCALENDAR\r\n");
    out
}

/// The quarter of the year a date is in, e.g. "2026 Q4" (for labels).
pub fn quarter_label(d: NaiveDate) -> String {
    format!("{} Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::validate::parse_date(s).unwrap()
    }

    #[test]
    fn quarter_labels() {
        assert_eq!(quarter_label(d("2026-11-26")), "2026 Q4");
    }

    #[test]
    fn ics_has_one_all_day_event_per_obligation() {
        let o = vec![Obligation {
            date: d("2026-12-05"),
            what: "Access review of AWS, production".into(),
            check: "access_reviews".into(),
            record: RecordRef::new(Register::Systems, 3, "", "AWS"),
            owner: Some("Ann".into()),
        }];
        let ics = obligations_ics(&o, "Acme");
        assert!(ics.contains("DTSTART;VALUE=DATE:20261205\r\nDTEND;VALUE=DATE:20261206\r\n"));
        assert!(ics.contains("SUMMARY:Access review of AWS\\, production\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    }
}
