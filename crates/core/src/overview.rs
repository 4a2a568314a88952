//! The home screen's answer to "are we ready, and what must I do this week?": a headline
//! verdict with the dates that matter, the findings grouped (one line per check and fix, its
//! records listed, most serious first), and the "Get started" checklist. Everything here is
//! read from the checks on one date; nothing is judged twice.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;
use ts_rs::TS;

use crate::error::Result;
use crate::profile::AuditType;
use crate::readiness::{self, CheckResult, Finding, Readiness, Verdict};
use crate::refs::{RecordRef, Register};

/// A date the audit runs to, counted from the as-of date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Milestone {
    pub date: NaiveDate,
    /// Days from the as-of date (negative: already past).
    pub days: i64,
    /// "The observation window ends in 89 days".
    pub text: String,
    /// What the count of days runs to, for a countdown beside the number: "until the
    /// observation window ends" (89 days …).
    pub until: String,
}

/// Findings of one check that ask for the same fix: one line, its records listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FindingGroup {
    pub check_key: String,
    pub check_title: String,
    /// Failing (true) or only falling due (false).
    pub failing: bool,
    pub fix: String,
    /// The problem when one record has it; for several, "17 records: …" with the first.
    pub problem: String,
    pub findings: Vec<Finding>,
    /// The owners of the records, each once, in order of first appearance.
    pub owners: Vec<String>,
    /// Failing since (the earliest of its findings).
    pub since: Option<NaiveDate>,
    /// Fine until (the earliest of its findings): when it must be done by.
    pub due: Option<NaiveDate>,
}

/// The home screen on one date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct Overview {
    pub as_of: NaiveDate,
    /// Fail when any check fails, warn when any falls due soon, pass otherwise.
    pub verdict: Verdict,
    /// "Not ready: 7 of 14 checks fail".
    pub headline: String,
    /// What must happen first (the most serious group's fix and record), when anything fails.
    pub first: Option<String>,
    pub milestones: Vec<Milestone>,
    /// Failing now or due within seven days, most serious first.
    pub this_week: Vec<FindingGroup>,
    pub readiness: Readiness,
    pub setup: SetupProgress,
}

/// How many days "this week" looks ahead.
pub const WEEK_DAYS: i64 = 7;

/// The overview on `as_of`.
pub fn overview(conn: &Connection, as_of: NaiveDate) -> Result<Overview> {
    let readiness = readiness::check_all(conn, as_of)?;
    let profile = crate::profile::get(conn)?;
    let groups = group_findings(&readiness.checks);
    let week_end = as_of + chrono::Duration::days(WEEK_DAYS);
    let this_week: Vec<FindingGroup> =
        groups.iter().filter(|g| g.failing || g.due.is_some_and(|d| d <= week_end)).cloned().collect();
    let verdict = if readiness.fail > 0 {
        Verdict::Fail
    } else if readiness.warn > 0 {
        Verdict::Warn
    } else {
        Verdict::Pass
    };
    let milestones = profile.as_ref().map(|p| milestones(p, as_of)).unwrap_or_default();
    let first = groups.iter().find(|g| g.failing).map(first_step);
    Ok(Overview {
        as_of,
        verdict,
        headline: headline(&readiness, &milestones),
        first,
        milestones,
        this_week,
        setup: setup_progress(conn, as_of)?,
        readiness,
    })
}

/// "Not ready: 7 of 14 checks fail; the observation window ends in 89 days".
pub fn headline(r: &Readiness, milestones: &[Milestone]) -> String {
    let applicable = r.pass + r.warn + r.fail;
    let checks = |n: u32| if n == 1 { "check" } else { "checks" };
    let mut text = if r.fail > 0 {
        format!(
            "Not ready: {} of {applicable} {} {}",
            r.fail,
            checks(applicable),
            if r.fail == 1 { "fails" } else { "fail" }
        )
    } else if r.warn > 0 {
        format!(
            "Nearly ready: every applicable check passes, and {} {} due soon",
            r.warn,
            if r.warn == 1 { "falls" } else { "fall" }
        )
    } else {
        format!("Ready: all {applicable} applicable {} pass", checks(applicable))
    };
    if let Some(next) = milestones.iter().find(|m| m.days >= 0) {
        text.push_str("; ");
        text.push_str(&lower_first(&next.text));
    }
    text
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

/// What must happen first for a group: its check, fix and record (or how many).
pub fn first_step(g: &FindingGroup) -> String {
    let what = match g.findings.as_slice() {
        [one] => record_name(&one.record),
        many => format!("{} records", many.len()),
    };
    format!("{}: {} ({})", g.check_title, g.fix.trim_end_matches('.'), what)
}

/// A record as people name it: its reference and title.
pub fn record_name(r: &RecordRef) -> String {
    r.name()
}

/// The dates the audit runs to: the Type II observation window and the target report date.
pub fn milestones(p: &crate::profile::Profile, as_of: NaiveDate) -> Vec<Milestone> {
    let mut out = Vec::new();
    let mut add = |date: Option<NaiveDate>, what: &str, future: &str, past: &str, until: &str| {
        let Some(date) = date else { return };
        let days = (date - as_of).num_days();
        let text = match days {
            0 => format!("{what} {future} today"),
            1 => format!("{what} {future} tomorrow"),
            d if d > 0 => format!("{what} {future} in {d} days"),
            -1 => format!("{what} {past} yesterday"),
            d => format!("{what} {past} {} days ago", -d),
        };
        out.push(Milestone { date, days, text, until: until.to_owned() });
    };
    if p.audit_type == AuditType::Type2 {
        add(p.window_start, "The observation window", "starts", "started", "until the observation window starts");
        add(p.window_end, "The observation window", "ends", "ended", "until the observation window ends");
    }
    add(p.target_report_date, "The target report date", "is", "was", "until the target report date");
    out.sort_by_key(|m| m.date);
    out
}

/// The findings of every check, one group per check and fix (and failing or not), most
/// serious first: failing groups by how long they have failed, then by how many records they
/// hold; then those falling due, soonest first.
pub fn group_findings(checks: &[CheckResult]) -> Vec<FindingGroup> {
    let mut groups: Vec<FindingGroup> = Vec::new();
    for c in checks {
        for f in &c.findings {
            let at = groups.iter().position(|g| g.check_key == c.key && g.fix == f.fix && g.failing == f.failing);
            let i = match at {
                Some(i) => i,
                None => {
                    groups.push(FindingGroup {
                        check_key: c.key.clone(),
                        check_title: c.title.clone(),
                        failing: f.failing,
                        fix: f.fix.clone(),
                        problem: String::new(),
                        findings: Vec::new(),
                        owners: Vec::new(),
                        since: None,
                        due: None,
                    });
                    groups.len() - 1
                }
            };
            let g = &mut groups[i];
            if let Some(owner) = &f.owner {
                if !g.owners.contains(owner) {
                    g.owners.push(owner.clone());
                }
            }
            g.since = earliest(g.since, f.since);
            g.due = earliest(g.due, f.until);
            g.findings.push(f.clone());
        }
    }
    for g in &mut groups {
        g.problem = match g.findings.as_slice() {
            [one] => one.problem.clone(),
            // The example is the first finding's own sentence, which names its record
            // already when it starts with it ("BCP-03 Restore test: No occurrence in …").
            many => {
                let (first, name) = (&many[0].problem, record_name(&many[0].record));
                match first.starts_with(&name) {
                    true => format!("{} records, for example {first}", many.len()),
                    false => format!("{} records, for example {name}: {first}", many.len()),
                }
            }
        };
    }
    groups.sort_by(|a, b| {
        b.failing
            .cmp(&a.failing)
            .then_with(|| match a.failing {
                true => a.since.unwrap_or(NaiveDate::MAX).cmp(&b.since.unwrap_or(NaiveDate::MAX)),
                false => a.due.unwrap_or(NaiveDate::MAX).cmp(&b.due.unwrap_or(NaiveDate::MAX)),
            })
            .then_with(|| b.findings.len().cmp(&a.findings.len()))
    });
    groups
}

/// The earlier of two dates, either of which may be missing.
pub(crate) fn earliest(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// One step of "Get started".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SetupStep {
    /// A stable key ("profile", "people", …).
    pub key: String,
    pub title: String,
    pub done: bool,
    /// Where it stands ("12 of 40 controls have an owner").
    pub detail: String,
    /// The register where the step is done (none: the organisation profile, or Settings).
    pub register: Option<Register>,
    /// The section of Settings where the step is done ("roles"), when it is done there.
    pub settings_section: Option<String>,
}

/// The "Get started" checklist: each step and how many are done.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct SetupProgress {
    pub steps: Vec<SetupStep>,
    pub done: u32,
    pub total: u32,
    /// The first step not done (its key), when any is left.
    pub next: Option<String>,
}

/// What a workspace needs before its checks say much, in the order to do it.
pub fn setup_progress(conn: &Connection, as_of: NaiveDate) -> Result<SetupProgress> {
    let count = |sql: &str| -> Result<i64> { Ok(conn.prepare_cached(sql)?.query_row([], |r| r.get(0))?) };
    let day = as_of.to_string();
    let count_on = |sql: &str| -> Result<i64> { Ok(conn.prepare_cached(sql)?.query_row([&day], |r| r.get(0))?) };
    let profile = crate::profile::get(conn)?;
    let mut steps = Vec::new();
    let mut step = |key: &str, title: &str, done: bool, detail: String, register: Option<Register>| {
        let settings_section = (key == "roles").then(|| "roles".to_owned());
        steps.push(SetupStep { key: key.into(), title: title.into(), done, detail, register, settings_section });
    };
    let (profile_done, profile_detail) = match &profile {
        None => (false, "Name the organisation, the categories in scope and the kind of audit.".to_owned()),
        Some(p) if p.audit_type == AuditType::Type2 && (p.window_start.is_none() || p.window_end.is_none()) => {
            (false, "A Type II audit needs the observation window's start and end.".to_owned())
        }
        Some(p) => (
            true,
            format!("{}, SOC 2 {}.", p.name, if p.audit_type == AuditType::Type2 { "Type II" } else { "Type I" }),
        ),
    };
    step("profile", "Describe the organisation and the audit", profile_done, profile_detail, None);

    let people =
        count_on("SELECT COUNT(*) FROM people WHERE archived_at IS NULL AND (end_date IS NULL OR end_date >= ?1)")?;
    step(
        "people",
        "Add the people",
        people >= 2,
        plural(people, "person", "people") + " on staff.",
        Some(Register::People),
    );

    let roles = crate::roles::in_scope(conn)?;
    let mut held = 0;
    for (key, _) in &roles {
        held += i64::from(crate::roles::active_holder(conn, key, as_of)?.is_some());
    }
    step(
        "roles",
        "Name who holds each role (they become the owners of the starter records)",
        held == roles.len() as i64,
        format!("{held} of {} roles {} a holder.", roles.len(), if held == 1 { "has" } else { "have" }),
        None,
    );

    let systems = count("SELECT COUNT(*) FROM systems WHERE archived_at IS NULL AND in_scope = 1")?;
    step(
        "systems",
        "List the systems in scope",
        systems > 0,
        plural(systems, "system", "systems") + " in scope.",
        Some(Register::Systems),
    );

    let controls = count("SELECT COUNT(*) FROM controls WHERE archived_at IS NULL AND status <> 'not_applicable'")?;
    step(
        "controls",
        "Add the controls (the starter library is a quick start)",
        controls > 0,
        plural(controls, "control", "controls") + " in use.",
        Some(Register::Controls),
    );
    let owned = count(
        "SELECT COUNT(*) FROM controls WHERE archived_at IS NULL AND status <> 'not_applicable' AND owner_id IS NOT NULL",
    )?;
    step(
        "control_owners",
        "Give every control an owner",
        controls > 0 && owned == controls,
        format!(
            "{owned} of {} {} an owner.",
            plural(controls, "control", "controls"),
            if owned == 1 { "has" } else { "have" }
        ),
        Some(Register::Controls),
    );

    let expected = crate::policies::expected_summary(conn)?;
    let have = expected.total as usize - expected.missing.len();
    step(
        "policies",
        "Add the expected policies",
        expected.missing.is_empty(),
        format!("{have} of the {} expected policies are in the register.", expected.total),
        Some(Register::Policies),
    );

    let risks = count("SELECT COUNT(*) FROM risks WHERE archived_at IS NULL")?;
    let undecided = count("SELECT COUNT(*) FROM risks WHERE archived_at IS NULL AND treatment IS NULL")?;
    step(
        "risks",
        "Rate the risks and decide their treatment",
        risks > 0 && undecided == 0,
        match (risks, undecided) {
            (0, _) => "No risks yet.".to_owned(),
            (_, 0) => plural(risks, "risk", "risks") + ", each with a treatment.",
            (_, u) => format!("{u} of {} without a treatment.", plural(risks, "risk", "risks")),
        },
        Some(Register::Risks),
    );

    let vendors = count("SELECT COUNT(*) FROM vendors WHERE archived_at IS NULL AND status <> 'offboarded'")?;
    step(
        "vendors",
        "List the vendors",
        vendors > 0,
        plural(vendors, "vendor", "vendors") + " in use.",
        Some(Register::Vendors),
    );

    let reviews = count_on(
        "SELECT COUNT(*) FROM access_reviews WHERE archived_at IS NULL AND withdrawn_at IS NULL AND performed_on <= ?1",
    )?;
    step(
        "access_review",
        "Record the first access review",
        reviews > 0,
        plural(reviews, "access review", "access reviews") + " recorded.",
        Some(Register::AccessReviews),
    );

    let courses = count("SELECT COUNT(*) FROM courses WHERE archived_at IS NULL AND required = 1")?;
    step(
        "training",
        "Set up the required training",
        courses > 0,
        plural(courses, "required course", "required courses") + ".",
        Some(Register::Courses),
    );

    let done = steps.iter().filter(|s| s.done).count() as u32;
    let total = steps.len() as u32;
    let next = steps.iter().find(|s| !s.done).map(|s| s.key.clone());
    Ok(SetupProgress { steps, done, total, next })
}

/// "1 person", "3 people", "No people".
fn plural(n: i64, one: &str, many: &str) -> String {
    match n {
        0 => format!("No {many}"),
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// What "create actions for all findings" did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct FindingActions {
    /// The actions created, one per finding that had no open action.
    pub created: Vec<crate::actions::Action>,
    /// Findings left alone because an open action already answers them.
    pub already: u32,
}

/// How many days a failing finding's action is given by default.
pub const FINDING_ACTION_DAYS: u64 = 14;

/// The key an action raised for a finding is stored under: the check, the record it names and,
/// for a finding about one period, the period's start.
pub fn finding_key(check: &str, f: &Finding) -> String {
    let kind = f.record.kind.map(|k| k.as_str()).unwrap_or("");
    let target = f.record.id.map(|i| i.to_string()).unwrap_or_else(|| f.record.reference.clone());
    match &f.period {
        Some(p) => format!("{check}:{kind}:{target}:{}", p.start),
        None => format!("{check}:{kind}:{target}"),
    }
}

/// Creates one action for every finding on `as_of` that no open action answers yet, in one
/// transaction: titled with the record it names, owned by the record's owner (when that person
/// is active), due when the finding falls due (or in [`FINDING_ACTION_DAYS`] for one failing
/// now), and linked to the record where actions can be.
pub fn create_actions_for_findings(
    tx: &rusqlite::Transaction<'_>,
    now: chrono::DateTime<chrono::Utc>,
    as_of: NaiveDate,
) -> Result<FindingActions> {
    let readiness = crate::readiness::check_all(tx, as_of)?;
    let mut out = FindingActions { created: Vec::new(), already: 0 };
    for check in &readiness.checks {
        for f in &check.findings {
            let key = finding_key(&check.key, f);
            let source = |kind: Register| f.record.id.filter(|_| f.record.kind == Some(kind));
            let answered: bool = tx
                .prepare_cached(
                    "SELECT EXISTS (SELECT 1 FROM actions WHERE archived_at IS NULL AND status IN ('open', 'in_progress')
                        AND (finding_key = ?1 OR (finding_key IS NULL AND substr(description, 1, length(?2)) = ?2
                            AND (source_control_id = ?3 OR source_policy_id = ?4 OR source_risk_id = ?5
                                 OR source_incident_id = ?6 OR source_exercise_id = ?7))))",
                )?
                .query_row(
                    rusqlite::params![
                        key,
                        format!("{}:", check.title),
                        source(Register::Controls),
                        source(Register::Policies),
                        source(Register::Risks),
                        source(Register::Incidents),
                        source(Register::Exercises),
                    ],
                    |r| r.get(0),
                )?;
            if answered {
                out.already += 1;
                continue;
            }
            let due = match (f.failing, f.until) {
                (false, Some(until)) => until,
                _ => as_of.checked_add_days(chrono::Days::new(FINDING_ACTION_DAYS)).unwrap_or(as_of),
            };
            let input = crate::actions::ActionInput {
                title: finding_title(f),
                description: format!("{}: {}", check.title, f.problem),
                owner_id: active_owner(tx, &f.record)?,
                due_date: due.to_string(),
                source_control_id: source(Register::Controls),
                source_policy_id: source(Register::Policies),
                source_risk_id: source(Register::Risks),
                source_incident_id: source(Register::Incidents),
                source_exercise_id: source(Register::Exercises),
                finding: Some(key),
                ..Default::default()
            };
            out.created.push(crate::actions::create(tx, now, &input)?);
        }
    }
    Ok(out)
}

/// An action's title for a finding: its fix, which names the record ("Enforce MFA for every
/// account on GitHub"); a fix that does not is prefixed with the record's name.
pub fn finding_title(f: &Finding) -> String {
    let name = record_name(&f.record);
    let fix = f.fix.trim().trim_end_matches('.');
    let title = if name.is_empty() || fix.contains(&name) { fix.to_owned() } else { format!("{name}: {fix}") };
    title.chars().take(200).collect()
}

/// The active person who owns `record` (for a person's own finding, that person).
fn active_owner(conn: &Connection, record: &RecordRef) -> Result<Option<i64>> {
    let (Some(kind), Some(id)) = (record.kind, record.id) else { return Ok(None) };
    let sql = match (kind, kind.owner_column()) {
        (Register::People, _) => "SELECT id FROM people WHERE id = ?1 AND archived_at IS NULL".to_owned(),
        (_, Some(column)) => format!(
            "SELECT p.id FROM {} x JOIN people p ON p.id = x.{column} WHERE x.id = ?1 AND p.archived_at IS NULL",
            kind.table()
        ),
        (_, None) => return Ok(None),
    };
    Ok(conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0)).optional()?)
}
