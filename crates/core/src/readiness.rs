//! The readiness engine: fourteen checks, each a pure function of the workspace, the
//! organization profile and an as-of date. A check passes, warns (something falls due within
//! the warning window), fails, or does not apply; its findings name the records to fix, what
//! is wrong, since or until when, and what to do. Each passing check also says when it would
//! start failing if nothing were done (the forecast).

use chrono::{Datelike, Days, Months, NaiveDate};
use rusqlite::{params, Connection};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::Result;
use crate::profile::{self, AuditType};

string_enum!(
    Verdict {
        Pass = "pass" / "Pass",
        Warn = "warn" / "Due soon",
        Fail = "fail" / "Fail",
        NotApplicable = "not_applicable" / "Not applicable",
    }
);

pub use crate::refs::RecordRef;
use crate::refs::Register;

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

/// The tunable numbers of the checks (domain brief, section 4). Kept in workspace settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct CheckSettings {
    /// Something due within this many days makes a check warn.
    pub warn_days: u32,
    pub policy_review_days: u32,
    pub access_review_days: u32,
    pub risk_assessment_days: u32,
    pub risk_register_review_days: u32,
    pub log_review_days: u32,
    pub tabletop_days: u32,
    pub change_lookback_days: u32,
}

impl Default for CheckSettings {
    fn default() -> Self {
        Self {
            warn_days: 30,
            policy_review_days: 365,
            access_review_days: 92,
            risk_assessment_days: 365,
            risk_register_review_days: 92,
            log_review_days: 31,
            tabletop_days: 365,
            change_lookback_days: 365,
        }
    }
}

struct Ctx {
    as_of: NaiveDate,
    soon: NaiveDate,
    s: CheckSettings,
    type2_window: Option<(NaiveDate, NaiveDate)>,
}

impl Ctx {
    fn plus(&self, d: NaiveDate, days: u32) -> NaiveDate {
        d.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX)
    }
}

/// Builds a check from its findings: any failing finding fails it; else any finding warns.
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
        }
    }

    fn fail(&mut self, record: RecordRef, problem: String, since: Option<NaiveDate>, fix: &str) {
        self.findings.push(Finding {
            record,
            problem,
            since,
            until: None,
            fix: fix.into(),
            failing: true,
            owner: None,
        });
    }

    fn warn(&mut self, record: RecordRef, problem: String, until: NaiveDate, fix: &str) {
        self.findings.push(Finding {
            record,
            problem: capitalised(&problem),
            since: None,
            until: Some(until),
            fix: fix.into(),
            failing: false,
            owner: None,
        });
    }

    /// Notes a date on which the check would fail; keeps the earliest.
    fn due(&mut self, date: NaiveDate, what: String) {
        if self.next.as_ref().is_none_or(|(d, _)| date < *d) {
            self.next = Some((date, what));
        }
    }

    /// Judges one dated obligation: failing when `due` has passed, warning when it is near.
    fn dated(&mut self, ctx: &Ctx, record: RecordRef, due: NaiveDate, late: String, soon: String, fix: &str) {
        if due < ctx.as_of {
            self.fail(record, late, Some(due), fix);
        } else {
            if due <= ctx.soon {
                self.warn(record.clone(), soon.clone(), due, fix);
            }
            self.due(due.succ_opt().unwrap_or(due), capitalised(&soon));
        }
    }

    fn finish(self) -> CheckResult {
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
        CheckResult {
            id: self.id,
            key: self.key.into(),
            title: self.title.into(),
            verdict,
            reason,
            criteria: self.criteria.iter().map(|c| c.to_string()).collect(),
            findings: self.findings,
            forecast,
        }
    }
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

fn date(s: Option<String>) -> Option<NaiveDate> {
    s.as_deref().and_then(|s| crate::validate::parse_date(s.get(..10).unwrap_or(s)))
}

// ---------------------------------------------------------------------------------------
// The checks

fn policies(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    let mut c = Check::new(1, "policies", "Policies documented and current", &["CC5.3", "CC2.2", "CC1.1"]);
    let all = crate::policies::list(conn, false)?;
    for e in crate::starter::policies::EXPECTED_POLICIES {
        match all.iter().find(|p| p.title.eq_ignore_ascii_case(e.title)) {
            None => c.fail(
                RecordRef::workspace(e.title),
                format!("The {} does not exist.", e.title),
                None,
                "Add it (Policies → add the expected policies), write it and have it approved.",
            ),
            Some(p) => {
                let r = RecordRef::new(Register::Policies, p.id, "", &p.title);
                match (p.approved_on, p.next_review_due) {
                    (None, _) => c.fail(
                        r,
                        format!("{} has never been approved.", p.title),
                        None,
                        "Get it approved by leadership and record the approval.",
                    ),
                    (Some(on), due) => {
                        let due = due.unwrap_or_else(|| ctx.plus(on, ctx.s.policy_review_days));
                        c.dated(
                            ctx,
                            r,
                            due,
                            format!("{}'s yearly review was due on {due}.", p.title),
                            format!("{}'s review is due on {due}", p.title),
                            "Review it, approve the current version and record the approval.",
                        );
                    }
                }
            }
        }
    }
    c.ok_reason = format!(
        "All {} expected policies exist, are approved and reviewed on time.",
        crate::starter::policies::EXPECTED_POLICIES.len()
    );
    Ok(c.finish())
}

struct Sys {
    id: i64,
    name: String,
    criticality: String,
    rbac: bool,
    shared: bool,
    mfa: bool,
    customer_data: bool,
    enc: bool,
    tls: bool,
    logs: bool,
    alerting: bool,
}

fn systems(conn: &Connection) -> Result<Vec<Sys>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, name, criticality, role_based_access, shared_accounts, mfa_enforced, holds_customer_data,
                    encryption_at_rest, tls_in_transit, logs_forwarded, alerting
             FROM systems WHERE archived_at IS NULL AND in_scope = 1 ORDER BY name COLLATE NOCASE",
        )?
        .query_map([], |r| {
            Ok(Sys {
                id: r.get(0)?,
                name: r.get(1)?,
                criticality: r.get(2)?,
                rbac: r.get(3)?,
                shared: r.get(4)?,
                mfa: r.get(5)?,
                customer_data: r.get(6)?,
                enc: r.get(7)?,
                tls: r.get(8)?,
                logs: r.get(9)?,
                alerting: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?)
}

fn sys_ref(s: &Sys) -> RecordRef {
    RecordRef::new(Register::Systems, s.id, "", &s.name)
}

fn no_systems(c: &mut Check) {
    c.fail(
        RecordRef::workspace("Systems"),
        "No in-scope systems are recorded.".into(),
        None,
        "List the systems that run the service and hold data (Systems).",
    );
}

fn rbac(conn: &Connection, _ctx: &Ctx, systems: &[Sys]) -> Result<CheckResult> {
    let _ = conn;
    let mut c = Check::new(2, "rbac", "Role-based access", &["CC6.1", "CC6.2", "CC6.3"]);
    if systems.is_empty() {
        no_systems(&mut c);
    }
    for s in systems {
        if !s.rbac {
            c.fail(
                sys_ref(s),
                format!("{} does not use role-based access.", s.name),
                None,
                "Set up roles and give each account only the role it needs.",
            );
        }
        if s.shared {
            c.fail(
                sys_ref(s),
                format!("{} has shared accounts.", s.name),
                None,
                "Replace shared accounts with personal ones, or document why not.",
            );
        }
    }
    c.ok_reason = format!("All {} in-scope systems use roles and have no shared accounts.", systems.len());
    Ok(c.finish())
}

fn mfa(systems: &[Sys]) -> CheckResult {
    let mut c = Check::new(3, "mfa", "MFA on critical systems", &["CC6.1", "CC6.6"]);
    let critical: Vec<&Sys> = systems.iter().filter(|s| s.criticality == "critical").collect();
    if systems.is_empty() {
        no_systems(&mut c);
    } else if critical.is_empty() {
        c.not_applicable = Some("No in-scope system is marked critical.".into());
    }
    for s in &critical {
        if !s.mfa {
            c.fail(
                sys_ref(s),
                format!("{} is critical and does not enforce MFA.", s.name),
                None,
                "Enforce MFA for every account on it.",
            );
        }
    }
    c.ok_reason = format!("All {} critical systems enforce MFA.", critical.len());
    c.finish()
}

/// Quarters (start, end) of the observation window that have begun by `as_of`.
fn quarters(window: (NaiveDate, NaiveDate), as_of: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = window.0;
    while start <= window.1 && start <= as_of {
        let next = start.checked_add_months(Months::new(3)).unwrap_or(NaiveDate::MAX);
        let end = next.pred_opt().unwrap_or(next).min(window.1);
        out.push((start, end));
        start = next;
    }
    out
}

fn access_reviews(conn: &Connection, ctx: &Ctx, systems: &[Sys]) -> Result<CheckResult> {
    let mut c = Check::new(4, "access_reviews", "Quarterly access reviews", &["CC6.2", "CC6.3"]);
    let critical: Vec<&Sys> = systems.iter().filter(|s| s.criticality == "critical").collect();
    if systems.is_empty() {
        no_systems(&mut c);
    } else if critical.is_empty() {
        c.not_applicable = Some("No in-scope system is marked critical.".into());
    }
    for s in &critical {
        let dates: Vec<NaiveDate> = conn
            .prepare_cached(
                "SELECT performed_on FROM access_reviews WHERE system_id = ?1 AND archived_at IS NULL AND performed_on <= ?2
                 ORDER BY performed_on",
            )?
            .query_map(params![s.id, ctx.as_of.to_string()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|d| crate::validate::parse_date(&d))
            .collect();
        match dates.last() {
            None => c.fail(
                sys_ref(s),
                format!("{} has never had an access review.", s.name),
                None,
                "Review its accounts and record the review with the exported user list.",
            ),
            Some(last) => {
                let due = ctx.plus(*last, ctx.s.access_review_days);
                c.dated(
                    ctx,
                    sys_ref(s),
                    due,
                    format!("{}'s access review was due on {due} (last one {last}).", s.name),
                    format!("the next access review of {} is due on {due}", s.name),
                    "Review its accounts and record the review.",
                );
            }
        }
        if let Some(window) = ctx.type2_window {
            for (start, end) in quarters(window, ctx.as_of) {
                let covered = dates.iter().any(|d| *d >= start && *d <= end);
                // The current quarter is only missing once it has ended.
                if !covered && end < ctx.as_of {
                    c.fail(
                        sys_ref(s),
                        format!("{} has no access review in the quarter {start} to {end}.", s.name),
                        Some(end),
                        "A Type II audit needs a review in every quarter of the window; record the one that was done, or note the gap.",
                    );
                } else if !covered && end <= ctx.soon {
                    c.warn(
                        sys_ref(s),
                        format!("{} needs an access review in the quarter ending {end}", s.name),
                        end,
                        "Review its accounts before the quarter ends.",
                    );
                }
            }
        }
    }
    c.ok_reason = format!(
        "Every critical system ({}) had its accounts reviewed within {} days.",
        critical.len(),
        ctx.s.access_review_days
    );
    Ok(c.finish())
}

fn risk(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    let mut c = Check::new(5, "risk", "Risk assessment", &["CC3.1", "CC3.2", "CC3.3", "CC3.4", "CC9.1"]);
    let last: Option<String> = conn.query_row(
        "SELECT max(performed_on) FROM risk_assessments WHERE performed_on <= ?1",
        [ctx.as_of.to_string()],
        |r| r.get(0),
    )?;
    match date(last) {
        None => c.fail(
            RecordRef::workspace("Risk assessments"),
            "No risk assessment has been recorded.".into(),
            None,
            "Hold a risk assessment and record it (Risks → Assessments).",
        ),
        Some(on) => {
            let due = ctx.plus(on, ctx.s.risk_assessment_days);
            c.dated(
                ctx,
                RecordRef::workspace("Risk assessments"),
                due,
                format!("The yearly risk assessment was due on {due} (last one {on})."),
                format!("the next risk assessment is due on {due}"),
                "Hold this year's risk assessment and record it.",
            );
        }
    }
    let reviewed: Option<String> = conn.query_row(
        "SELECT max(last_reviewed_on) FROM risks WHERE archived_at IS NULL AND last_reviewed_on <= ?1",
        [ctx.as_of.to_string()],
        |r| r.get(0),
    )?;
    let count: u32 = conn.query_row("SELECT count(*) FROM risks WHERE archived_at IS NULL", [], |r| r.get(0))?;
    if count == 0 {
        c.fail(
            RecordRef::workspace("Risk register"),
            "The risk register is empty.".into(),
            None,
            "Add your risks (the starter library is a quick start) and rate them.",
        );
    } else {
        match date(reviewed) {
            None => c.fail(
                RecordRef::workspace("Risk register"),
                "No risk in the register has a review date.".into(),
                None,
                "Review the register and record the date on the risks reviewed.",
            ),
            Some(on) => {
                let due = ctx.plus(on, ctx.s.risk_register_review_days);
                c.dated(
                    ctx,
                    RecordRef::workspace("Risk register"),
                    due,
                    format!("The risk register was last reviewed on {on}; a review was due on {due}."),
                    format!("the register review is due on {due}"),
                    "Review the register and record the review dates.",
                );
            }
        }
    }
    let t = crate::settings::band_thresholds(conn)?;
    let high = conn
        .prepare_cached(
            "SELECT id, reference, title, owner_id IS NULL, treatment IS NULL,
                    coalesce(residual_likelihood, inherent_likelihood) * coalesce(residual_impact, inherent_impact)
             FROM risks WHERE archived_at IS NULL AND status <> 'closed'
               AND inherent_likelihood * inherent_impact >= ?1 ORDER BY reference",
        )?
        .query_map([t.high_from], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, bool>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, reference, title, no_owner, no_treatment) in high {
        let r = RecordRef::new(Register::Risks, id, &reference, &title);
        if no_owner {
            c.fail(
                r.clone(),
                format!("{reference} is high or critical and has no owner."),
                None,
                "Name an owner for the risk.",
            );
        }
        if no_treatment {
            c.fail(
                r,
                format!("{reference} is high or critical and has no treatment decided."),
                None,
                "Decide the treatment (mitigate, accept, transfer, avoid) and record it.",
            );
        }
    }
    c.ok_reason =
        "A risk assessment within the year, a recent register review, and every high risk owned and treated.".into();
    Ok(c.finish())
}

fn logging(conn: &Connection, ctx: &Ctx, systems: &[Sys]) -> Result<CheckResult> {
    let mut c = Check::new(6, "logging", "Logging and monitoring", &["CC7.1", "CC7.2", "CC7.3", "CC4.1"]);
    let critical: Vec<&Sys> = systems.iter().filter(|s| s.criticality == "critical").collect();
    if systems.is_empty() {
        no_systems(&mut c);
    } else if critical.is_empty() {
        c.not_applicable = Some("No in-scope system is marked critical.".into());
    }
    for s in &critical {
        if !s.logs {
            c.fail(
                sys_ref(s),
                format!("{} does not forward its logs centrally.", s.name),
                None,
                "Forward its logs to the central log store.",
            );
        }
        if !s.alerting {
            c.fail(
                sys_ref(s),
                format!("{} has no alerting.", s.name),
                None,
                "Set up alerts on security events and say who receives them.",
            );
        }
        let last: Option<String> = conn.query_row(
            "SELECT max(performed_on) FROM log_reviews WHERE system_id = ?1 AND performed_on <= ?2",
            params![s.id, ctx.as_of.to_string()],
            |r| r.get(0),
        )?;
        match date(last) {
            None => c.fail(
                sys_ref(s),
                format!("{} has no recorded log review.", s.name),
                None,
                "Review its logs and record the review with evidence.",
            ),
            Some(on) => {
                let due = ctx.plus(on, ctx.s.log_review_days);
                c.dated(
                    ctx,
                    sys_ref(s),
                    due,
                    format!("{}'s log review was due on {due}.", s.name),
                    format!("the next log review of {} is due on {due}", s.name),
                    "Review its logs and record the review.",
                );
            }
        }
    }
    c.ok_reason = "Critical systems forward logs, alert, and had their logs reviewed recently.".into();
    Ok(c.finish())
}

fn training(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    use crate::training::TrainingState;
    let mut c = Check::new(7, "training", "Security awareness training", &["CC1.4", "CC2.2"]);
    let o = crate::training::overview(conn, ctx.as_of)?;
    if !o.courses.iter().any(|c| c.required) {
        c.fail(
            RecordRef::workspace("Training"),
            "No required security awareness course is set up.".into(),
            None,
            "Add the course (Training) and record completions.",
        );
    }
    if o.people.is_empty() {
        c.not_applicable = Some("Nobody is active on this date.".into());
    }
    for p in &o.people {
        let r = RecordRef::new(Register::People, p.person.id, "", &p.person.name);
        let due = p.courses.iter().filter_map(|s| s.due).min();
        match p.state {
            TrainingState::Overdue => c.fail(
                r,
                format!("{} is not trained (or their training expired).", p.person.name),
                due,
                "Have them complete the course and record it.",
            ),
            TrainingState::NewHireOverdue => c.fail(
                r,
                format!(
                    "{} started on {} and was not trained within 7 days.",
                    p.person.name,
                    p.start_date.map(|d| d.to_string()).unwrap_or_default()
                ),
                due,
                "Train them now and record it.",
            ),
            TrainingState::DueSoon => {
                if let Some(d) = due {
                    c.warn(
                        r.clone(),
                        format!("{}'s training is due on {d}", p.person.name),
                        d,
                        "Schedule their training.",
                    );
                    c.due(d.succ_opt().unwrap_or(d), format!("{}'s training", p.person.name));
                }
            }
            TrainingState::Current => {
                if let Some(d) = due {
                    c.due(d.succ_opt().unwrap_or(d), format!("{}'s training expires on {d}", p.person.name));
                }
            }
        }
    }
    c.ok_reason = format!("All {} active people are trained.", o.people.len());
    Ok(c.finish())
}

fn changes(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    use crate::changes::ChangeFlagKind;
    let mut c = Check::new(8, "changes", "Change management", &["CC8.1"]);
    let policies = crate::policies::list(conn, false)?;
    match policies.iter().find(|p| p.title.eq_ignore_ascii_case("Change Management Policy")) {
        Some(p) if p.approved_on.is_some() => {}
        Some(p) => c.fail(
            RecordRef::new(Register::Policies, p.id, "", &p.title),
            "The change management policy is not approved.".into(),
            None,
            "Have it approved.",
        ),
        None => c.fail(
            RecordRef::workspace("Change Management Policy"),
            "There is no change management policy.".into(),
            None,
            "Add and approve it.",
        ),
    }
    let from = ctx.type2_window.map(|w| w.0).unwrap_or_else(|| {
        ctx.as_of.checked_sub_days(Days::new(u64::from(ctx.s.change_lookback_days))).unwrap_or(NaiveDate::MIN)
    });
    let now = ctx.as_of.and_hms_opt(23, 59, 59).unwrap_or_default();
    {
        for ch in &crate::changes::all(conn, now)? {
            let Some(day) = crate::changes::deployed_on(ch) else { continue };
            if day < from || day > ctx.as_of {
                continue;
            }
            let r = RecordRef::new(Register::Changes, ch.id, &ch.reference, &ch.title);
            for f in &ch.flags {
                let fix = match f.kind {
                    ChangeFlagKind::NotApproved => "Record who approved it (not its author).",
                    ChangeFlagKind::ApprovedAfterDeploy => {
                        "Explain the late approval, and approve before deploying in future."
                    }
                    ChangeFlagKind::EmergencyApprovalLate | ChangeFlagKind::EmergencyApprovalDue => {
                        "Get and record the post-hoc approval."
                    }
                    ChangeFlagKind::NotTested => "Record how it was tested.",
                    ChangeFlagKind::NoRollbackPlan => "Record the rollback plan.",
                };
                if f.kind == ChangeFlagKind::EmergencyApprovalDue {
                    c.warn(r.clone(), format!("{}: {}", ch.reference, f.message), ctx.as_of, fix);
                } else if matches!(
                    f.kind,
                    ChangeFlagKind::NotApproved
                        | ChangeFlagKind::EmergencyApprovalLate
                        | ChangeFlagKind::ApprovedAfterDeploy
                ) {
                    c.fail(r.clone(), format!("{}: {}", ch.reference, f.message), Some(day), fix);
                }
            }
        }
    }
    c.ok_reason =
        "The change policy is approved and every change was approved by someone other than its author.".into();
    Ok(c.finish())
}

fn incident_response(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    let mut c = Check::new(9, "incident_response", "Incident response tested", &["CC7.3", "CC7.4", "CC7.5"]);
    let policies = crate::policies::list(conn, false)?;
    match policies.iter().find(|p| p.title.eq_ignore_ascii_case("Incident Response Policy")) {
        Some(p) if p.approved_on.is_some() => {}
        Some(p) => c.fail(
            RecordRef::new(Register::Policies, p.id, "", &p.title),
            "The incident response plan is not approved.".into(),
            None,
            "Have it approved.",
        ),
        None => c.fail(
            RecordRef::workspace("Incident Response Policy"),
            "There is no incident response plan.".into(),
            None,
            "Add and approve it.",
        ),
    }
    let last: Option<(i64, String, String, String)> = conn
        .query_row(
            "SELECT id, reference, title, planned_on FROM exercises
             WHERE status = 'completed' AND archived_at IS NULL AND planned_on <= ?1
             ORDER BY planned_on DESC LIMIT 1",
            [ctx.as_of.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
        )
        .ok();
    match last {
        None => c.fail(
            RecordRef::workspace("Tabletop exercises"),
            "No completed tabletop exercise.".into(),
            None,
            "Run a tabletop exercise (Tabletop) and complete its after-action report.",
        ),
        Some((id, reference, title, on)) => {
            let r = RecordRef::new(Register::Exercises, id, &reference, &title);
            if let Some(on) = crate::validate::parse_date(&on) {
                let due = ctx.plus(on, ctx.s.tabletop_days);
                c.dated(
                    ctx,
                    r.clone(),
                    due,
                    format!("The last tabletop exercise was on {on}; the next was due on {due}."),
                    format!("the next tabletop exercise is due on {due}"),
                    "Plan and run this year's exercise.",
                );
            }
            let overdue: Vec<(i64, String, String, String)> = conn
                .prepare_cached(
                    "SELECT id, reference, title, due_date FROM actions WHERE source_exercise_id = ?1 AND archived_at IS NULL
                       AND status IN ('open', 'in_progress') AND due_date < ?2",
                )?
                .query_map(params![id, ctx.as_of.to_string()], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            for (aid, aref, atitle, due) in overdue {
                c.fail(
                    RecordRef::new(Register::Actions, aid, &aref, &atitle),
                    format!("{aref} from {reference} was due on {due}."),
                    crate::validate::parse_date(&due),
                    "Finish it, or re-plan it with a new date and a reason.",
                );
            }
        }
    }
    c.ok_reason =
        "The incident response plan is approved and was exercised within the year; its actions are on track.".into();
    Ok(c.finish())
}

fn vendors(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    use crate::vendors::VendorFlagKind;
    let mut c = Check::new(10, "vendors", "Vendor assessments current", &["CC9.2"]);
    let mut key = 0;
    let mut all = crate::vendors::all(conn, false, ctx.as_of)?;
    all.sort_by_key(|v| v.name.to_lowercase());
    {
        for v in all.iter().filter(|v| v.criticality.is_key() && v.status != crate::vendors::VendorStatus::Offboarded) {
            key += 1;
            let r = RecordRef::new(Register::Vendors, v.id, "", &v.name);
            for f in &v.flags {
                let fix = match f.kind {
                    VendorFlagKind::AssessmentOverdue | VendorFlagKind::AssessmentDueSoon => {
                        "Assess the vendor and record the assessment."
                    }
                    VendorFlagKind::ReportMissing
                    | VendorFlagKind::ReportStale
                    | VendorFlagKind::ReportExpiringSoon => {
                        "Get the current SOC 2 report or a bridge letter and record it."
                    }
                    VendorFlagKind::CuecsUnlinked => {
                        "Link each user entity control to the control of yours that covers it."
                    }
                    VendorFlagKind::NoSecurityClause => "Add a security clause at the next contract change.",
                };
                if f.failing {
                    c.fail(r.clone(), format!("{}: {}", v.name, f.message), None, fix);
                } else {
                    c.warn(
                        r.clone(),
                        format!("{}: {}", v.name, f.message),
                        v.next_assessment_due.or(v.coverage_until).unwrap_or(ctx.soon),
                        fix,
                    );
                }
            }
            if let Some(d) = v.next_assessment_due {
                c.due(d.succ_opt().unwrap_or(d), format!("{}'s assessment is due on {d}", v.name));
            }
            if let Some(d) = v.coverage_until {
                c.due(d.succ_opt().unwrap_or(d), format!("{}'s SOC 2 coverage ends on {d}", v.name));
            }
        }
    }
    if key == 0 {
        c.not_applicable = Some("No active critical or high vendor is recorded.".into());
    }
    c.ok_reason =
        format!("All {key} critical and high vendors are assessed, with current SOC 2 reports and security clauses.");
    Ok(c.finish())
}

fn encryption(conn: &Connection, ctx: &Ctx, systems: &[Sys]) -> Result<CheckResult> {
    let mut c = Check::new(11, "encryption", "Encryption at rest and in transit", &["CC6.1", "CC6.7"]);
    if systems.is_empty() {
        no_systems(&mut c);
    }
    for s in systems.iter().filter(|s| s.customer_data) {
        if !s.enc {
            c.fail(
                sys_ref(s),
                format!("{} holds customer data and is not encrypted at rest.", s.name),
                None,
                "Turn on encryption at rest.",
            );
        }
        if !s.tls {
            c.fail(
                sys_ref(s),
                format!("{} holds customer data and does not use TLS in transit.", s.name),
                None,
                "Require TLS 1.2 or later.",
            );
        }
    }
    let certs = conn
        .prepare_cached(
            "SELECT s.id, s.name, c.name, c.expires_on FROM system_certificates c JOIN systems s ON s.id = c.system_id
             WHERE s.archived_at IS NULL AND s.in_scope = 1 ORDER BY c.expires_on",
        )?
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (sid, sname, cname, on) in certs {
        let Some(on) = crate::validate::parse_date(&on) else { continue };
        let r = RecordRef::new(Register::Systems, sid, "", &sname);
        // A certificate is good through its expiry day.
        let fails = on.succ_opt().unwrap_or(on);
        c.dated(
            ctx,
            r,
            fails,
            format!("The certificate {cname} on {sname} expired on {on}."),
            format!("the certificate {cname} on {sname} expires on {on}"),
            "Renew the certificate and update its expiry date.",
        );
    }
    c.ok_reason = "Customer data is encrypted at rest and in transit; no certificate is near expiry.".into();
    Ok(c.finish())
}

fn retention(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    let mut c = Check::new(12, "retention", "Retention and disposal", &["C1.1", "C1.2", "CC6.5"]);
    let types = crate::retention::list(conn, "", false, ctx.as_of)?;
    if types.is_empty() {
        c.fail(
            RecordRef::workspace("Retention schedule"),
            "No retention schedule is recorded.".into(),
            None,
            "List each kind of data you hold with how long it is kept (Retention).",
        );
    }
    let untyped = conn
        .prepare_cached(
            "SELECT s.id, s.name FROM systems s WHERE s.archived_at IS NULL AND s.in_scope = 1 AND s.holds_customer_data = 1
               AND NOT EXISTS (SELECT 1 FROM system_data_types x WHERE x.system_id = s.id) ORDER BY s.name",
        )?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, name) in untyped {
        c.fail(
            RecordRef::new(Register::Systems, id, "", &name),
            format!("{name} holds customer data but no data type with a retention period is linked to it."),
            None,
            "Link the data types it holds (each has its retention period).",
        );
    }
    for d in &types {
        if let Some(due) = d.next_disposal_due {
            c.dated(
                ctx,
                RecordRef::new(Register::Retention, d.id, "", &d.name),
                due,
                format!("Disposal of {} was due on {due}.", d.name),
                format!("the next disposal of {} is due on {due}", d.name),
                "Dispose of what is past its retention period and record it with evidence.",
            );
        }
    }
    c.ok_reason = "Every data type has a retention period and disposals are on schedule.".into();
    Ok(c.finish())
}

fn leavers(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    use crate::leavers::{access_state, next_business_day, DeprovisionState};
    let mut c = Check::new(13, "leavers", "Leavers deprovisioned", &["CC6.2"]);
    let from = ctx
        .type2_window
        .map(|w| w.0)
        .unwrap_or_else(|| ctx.as_of.checked_sub_days(Days::new(365)).unwrap_or(NaiveDate::MIN));
    // Leavers x systems can be large: read each table once and name at most five systems.
    let leavers = conn
        .prepare_cached(
            "SELECT id, name, end_date FROM people WHERE end_date IS NOT NULL AND end_date >= ?1 AND end_date <= ?2
             ORDER BY end_date DESC, name COLLATE NOCASE",
        )?
        .query_map([from.to_string(), ctx.as_of.to_string()], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let systems = conn
        .prepare_cached(
            "SELECT id, name FROM systems WHERE in_scope = 1 AND archived_at IS NULL ORDER BY name COLLATE NOCASE",
        )?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let records: std::collections::HashMap<(i64, i64), (Option<NaiveDate>, bool)> = conn
        .prepare_cached("SELECT person_id, system_id, removed_on, no_access FROM deprovisioning")?
        .query_map([], |r| Ok(((r.get(0)?, r.get(1)?), (date(r.get(2)?), r.get(3)?))))?
        .collect::<rusqlite::Result<_>>()?;
    if leavers.is_empty() || systems.is_empty() {
        c.not_applicable = Some(
            if leavers.is_empty() { "Nobody left in the period." } else { "No in-scope systems are recorded." }.into(),
        );
    }
    for (id, name, end) in &leavers {
        let Some(end) = crate::validate::parse_date(end) else { continue };
        let deadline = next_business_day(end);
        let r = RecordRef::new(Register::People, *id, "", name);
        let mut by: [(usize, Vec<&str>); 3] = Default::default();
        for (sid, sname) in &systems {
            let (removed, no_access) = records.get(&(*id, *sid)).copied().unwrap_or((None, false));
            let slot = match access_state(end, removed, no_access, ctx.as_of) {
                DeprovisionState::Overdue => 0,
                DeprovisionState::Late => 1,
                DeprovisionState::Pending => 2,
                _ => continue,
            };
            by[slot].0 += 1;
            if by[slot].1.len() < 5 {
                by[slot].1.push(sname);
            }
        }
        let list = |(n, names): &(usize, Vec<&str>)| {
            if *n > names.len() {
                format!("{}, …", names.join(", "))
            } else {
                names.join(", ")
            }
        };
        if by[0].0 > 0 {
            c.fail(
                r.clone(),
                format!(
                    "{name}'s access is not recorded as removed from {} system(s): {} (due {deadline}).",
                    by[0].0,
                    list(&by[0])
                ),
                Some(deadline),
                "Remove the access (or confirm there was none) and record it (Leavers).",
            );
        }
        if by[1].0 > 0 {
            c.fail(
                r.clone(),
                format!("{name}'s access was removed after the deadline of {deadline} from {}.", list(&by[1])),
                Some(deadline),
                "Explain the delay in the leaver record; fix the offboarding step that slowed it.",
            );
        }
        if by[2].0 > 0 {
            c.warn(
                r.clone(),
                format!("{name}'s access to {} must be removed by {deadline}", list(&by[2])),
                deadline,
                "Remove the access and record it.",
            );
        }
    }
    c.ok_reason = format!("All {} leavers lost their access within one business day.", leavers.len());
    Ok(c.finish())
}

/// (criterion, control id, reference, title, cadence, last performed).
type MappedControl = (String, i64, String, String, String, Option<String>);

fn coverage(conn: &Connection, ctx: &Ctx) -> Result<CheckResult> {
    let mut c = Check::new(14, "coverage", "Criteria coverage", &[]);
    let criteria: Vec<(String, String)> =
        crate::criteria::list(conn)?.into_iter().filter(|k| k.in_scope).map(|k| (k.id, k.title)).collect();
    // Implemented controls with their evidence status on the as-of date.
    let rows = conn
        .prepare_cached(
            "SELECT cc.criterion_id, c.id, c.reference, c.title, c.cadence,
                    (SELECT max(a.performed_on) FROM control_activities a WHERE a.control_id = c.id AND a.performed_on <= ?1)
             FROM control_criteria cc JOIN controls c ON c.id = cc.control_id
             WHERE c.archived_at IS NULL AND c.status = 'implemented'",
        )?
        .query_map([ctx.as_of.to_string()], |r| {
            Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, String>(4)?, r.get::<_, Option<String>>(5)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let mut by: std::collections::HashMap<&str, Vec<&MappedControl>> = std::collections::HashMap::new();
    for r in &rows {
        by.entry(r.0.as_str()).or_default().push(r);
    }
    let mut stale_controls = std::collections::BTreeMap::new();
    for (id, title) in &criteria {
        let Some(controls) = by.get(id.as_str()) else {
            c.fail(
                RecordRef::by_reference(Register::Criteria, id.clone(), title.clone()),
                format!("{id} ({title}) has no implemented control."),
                None,
                "Map an implemented control to it (Controls), or implement one that is mapped.",
            );
            continue;
        };
        let mut current = false;
        for (_, cid, reference, ctitle, cadence, last) in controls.iter().map(|x| (&x.0, x.1, &x.2, &x.3, &x.4, &x.5)) {
            let cad = crate::controls::Cadence::parse(cadence).unwrap_or_default();
            let last = date(last.clone());
            let due = last.and_then(|l| cad.next_due(l));
            let ok = match (cad, last, due) {
                (crate::controls::Cadence::Continuous | crate::controls::Cadence::PerEvent, _, _) => true,
                (_, Some(_), Some(d)) => d >= ctx.as_of,
                _ => false,
            };
            if ok {
                current = true;
                if let Some(d) = due {
                    c.due(d.succ_opt().unwrap_or(d), format!("{reference} {ctitle} is due to be performed on {d}"));
                }
            } else {
                stale_controls.insert(cid, (reference.clone(), ctitle.clone(), due));
            }
        }
        if !current {
            c.fail(
                RecordRef::by_reference(Register::Criteria, id.clone(), title.clone()),
                format!("{id} ({title}) has implemented controls but none with current evidence."),
                None,
                "Perform the mapped controls and record the activity with evidence.",
            );
        }
    }
    for (cid, (reference, title, due)) in stale_controls {
        let problem = match due {
            Some(d) => format!("{reference} {title} was due to be performed on {d}."),
            None => format!("{reference} {title} has never been performed."),
        };
        c.fail(
            RecordRef::new(Register::Controls, cid, &reference, &title),
            problem,
            due,
            "Perform it and record the activity with evidence.",
        );
    }
    c.ok_reason =
        format!("All {} in-scope criteria are covered by implemented controls with current evidence.", criteria.len());
    Ok(c.finish())
}

/// Reads an as-of date typed by the user; empty means `today`.
pub fn parse_as_of(text: &str, today: NaiveDate) -> Result<NaiveDate> {
    if text.trim().is_empty() {
        return Ok(today);
    }
    crate::validate::parse_date(text.trim())
        .ok_or_else(|| crate::Error::field("as_of", "Write the date as YYYY-MM-DD."))
}

/// Fills in who owns each finding's record (the person themselves for people).
fn name_owners(conn: &Connection, checks: &mut [CheckResult]) -> Result<()> {
    let mut cache: std::collections::HashMap<(Register, i64), Option<String>> = std::collections::HashMap::new();
    for f in checks.iter_mut().flat_map(|c| c.findings.iter_mut()) {
        let (Some(kind), Some(id)) = (f.record.kind, f.record.id) else { continue };
        let sql = match (kind, kind.owner_column()) {
            (Register::People, _) => "SELECT name FROM people WHERE id = ?1".to_owned(),
            (_, Some(column)) => {
                format!("SELECT p.name FROM {} x JOIN people p ON p.id = x.{column} WHERE x.id = ?1", kind.table())
            }
            (_, None) => continue,
        };
        let key = (kind, id);
        if let Some(owner) = cache.get(&key) {
            f.owner = owner.clone();
            continue;
        }
        let owner: Option<String> = conn.prepare_cached(&sql)?.query_row([id], |r| r.get(0)).ok();
        cache.insert(key, owner.clone());
        f.owner = owner;
    }
    Ok(())
}

/// Runs every check on `as_of`.
pub fn check_all(conn: &Connection, as_of: NaiveDate) -> Result<Readiness> {
    let profile = profile::get(conn)?;
    let s = crate::settings::check_settings(conn)?;
    let type2_window = profile.as_ref().and_then(|p| match (p.audit_type, p.window_start, p.window_end) {
        (AuditType::Type2, Some(a), Some(b)) => Some((a, b)),
        _ => None,
    });
    let ctx = Ctx {
        as_of,
        soon: as_of.checked_add_days(Days::new(u64::from(s.warn_days))).unwrap_or(NaiveDate::MAX),
        s,
        type2_window,
    };
    let systems = systems(conn)?;
    let checks = vec![
        policies(conn, &ctx)?,
        rbac(conn, &ctx, &systems)?,
        mfa(&systems),
        access_reviews(conn, &ctx, &systems)?,
        risk(conn, &ctx)?,
        logging(conn, &ctx, &systems)?,
        training(conn, &ctx)?,
        changes(conn, &ctx)?,
        incident_response(conn, &ctx)?,
        vendors(conn, &ctx)?,
        encryption(conn, &ctx, &systems)?,
        retention(conn, &ctx)?,
        leavers(conn, &ctx)?,
        coverage(conn, &ctx)?,
    ];
    let mut checks = checks;
    name_owners(conn, &mut checks)?;
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
    pub kind: String,
    pub record: RecordRef,
    pub owner: Option<String>,
}

/// Everything falling due from `as_of` to `as_of + days`, by date.
pub fn obligations(conn: &Connection, as_of: NaiveDate, days: u32) -> Result<Vec<Obligation>> {
    let end = as_of.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
    let s = crate::settings::check_settings(conn)?;
    let mut out = Vec::new();
    let mut push = |date: NaiveDate, kind: &str, what: String, record: RecordRef, owner: Option<String>| {
        if date >= as_of && date <= end {
            out.push(Obligation { date, what, kind: kind.into(), record, owner });
        }
    };
    for p in crate::policies::list(conn, false)? {
        if let Some(d) = p.next_review_due {
            push(
                d,
                "policy_review",
                format!("Review the {}", p.title),
                RecordRef::new(Register::Policies, p.id, "", &p.title),
                p.owner.map(|o| o.name),
            );
        }
    }
    for sys in systems(conn)? {
        if sys.criticality != "critical" {
            continue;
        }
        let last: Option<String> = conn.query_row(
            "SELECT max(performed_on) FROM access_reviews WHERE system_id = ?1 AND archived_at IS NULL AND performed_on <= ?2",
            params![sys.id, as_of.to_string()],
            |r| r.get(0),
        )?;
        if let Some(l) = date(last) {
            let d = l.checked_add_days(Days::new(u64::from(s.access_review_days))).unwrap_or(NaiveDate::MAX);
            push(d, "access_review", format!("Access review of {}", sys.name), sys_ref(&sys), None);
        }
        let last: Option<String> = conn.query_row(
            "SELECT max(performed_on) FROM log_reviews WHERE system_id = ?1 AND performed_on <= ?2",
            params![sys.id, as_of.to_string()],
            |r| r.get(0),
        )?;
        if let Some(l) = date(last) {
            let d = l.checked_add_days(Days::new(u64::from(s.log_review_days))).unwrap_or(NaiveDate::MAX);
            push(d, "log_review", format!("Log review of {}", sys.name), sys_ref(&sys), None);
        }
    }
    let certs = conn
        .prepare_cached(
            "SELECT s.id, s.name, c.name, c.expires_on FROM system_certificates c JOIN systems s ON s.id = c.system_id
             WHERE s.archived_at IS NULL",
        )?
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (sid, sname, cname, on) in certs {
        if let Some(d) = crate::validate::parse_date(&on) {
            push(
                d,
                "certificate",
                format!("Certificate {cname} on {sname} expires"),
                RecordRef::new(Register::Systems, sid, "", &sname),
                None,
            );
        }
    }
    {
        for v in crate::vendors::all(conn, false, as_of)? {
            let r = RecordRef::new(Register::Vendors, v.id, "", &v.name);
            let owner = v.owner.as_ref().map(|o| o.name.clone());
            if let Some(d) = v.next_assessment_due {
                push(d, "vendor_assessment", format!("Assess {}", v.name), r.clone(), owner.clone());
            }
            if let Some(d) = v.coverage_until {
                push(d, "soc2_report", format!("{}'s SOC 2 coverage ends", v.name), r, owner);
            }
        }
    }
    for p in crate::training::overview(conn, as_of)?.people {
        for c in p.courses {
            if let Some(d) = c.due {
                push(
                    d,
                    "training",
                    format!("{}: {}", p.person.name, c.course),
                    RecordRef::new(Register::People, p.person.id, "", &p.person.name),
                    Some(p.person.name.clone()),
                );
            }
        }
    }
    for d in crate::retention::list(conn, "", false, as_of)? {
        if let Some(due) = d.next_disposal_due {
            push(
                due,
                "disposal",
                format!("Disposal of {}", d.name),
                RecordRef::new(Register::Retention, d.id, "", &d.name),
                None,
            );
        }
    }
    let last_assessment: Option<String> =
        conn.query_row("SELECT max(performed_on) FROM risk_assessments", [], |r| r.get(0))?;
    if let Some(l) = date(last_assessment) {
        let d = l.checked_add_days(Days::new(u64::from(s.risk_assessment_days))).unwrap_or(NaiveDate::MAX);
        push(d, "risk_assessment", "Yearly risk assessment".into(), RecordRef::workspace("Risk assessments"), None);
    }
    let last_ttx: Option<String> =
        conn.query_row("SELECT max(planned_on) FROM exercises WHERE status = 'completed'", [], |r| r.get(0))?;
    if let Some(l) = date(last_ttx) {
        let d = l.checked_add_days(Days::new(u64::from(s.tabletop_days))).unwrap_or(NaiveDate::MAX);
        push(d, "tabletop", "Yearly tabletop exercise".into(), RecordRef::workspace("Tabletop exercises"), None);
    }
    let controls = conn
        .prepare_cached(
            "SELECT c.id, c.reference, c.title, c.cadence, p.name,
                    (SELECT max(a.performed_on) FROM control_activities a WHERE a.control_id = c.id)
             FROM controls c LEFT JOIN people p ON p.id = c.owner_id WHERE c.archived_at IS NULL AND c.status = 'implemented'",
        )?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?, r.get::<_, String>(2)?, r.get::<_, String>(3)?, r.get::<_, Option<String>>(4)?, r.get::<_, Option<String>>(5)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, reference, title, cadence, owner, last) in controls {
        let due = date(last).and_then(|l| crate::controls::Cadence::parse(&cadence).unwrap_or_default().next_due(l));
        if let Some(d) = due {
            push(
                d,
                "control",
                format!("Perform {reference} {title}"),
                RecordRef::new(Register::Controls, id, &reference, &title),
                owner,
            );
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
        let uid = format!("{}-{}-{}-{i}@readyroom", o.kind, o.record.id.unwrap_or(0), day);
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
    fn quarters_of_a_window_that_have_begun() {
        let q = quarters((d("2026-01-01"), d("2026-12-31")), d("2026-08-15"));
        assert_eq!(
            q,
            [
                (d("2026-01-01"), d("2026-03-31")),
                (d("2026-04-01"), d("2026-06-30")),
                (d("2026-07-01"), d("2026-09-30"))
            ]
        );
        assert_eq!(quarter_label(d("2026-11-26")), "2026 Q4");
    }

    #[test]
    fn ics_has_one_all_day_event_per_obligation() {
        let o = vec![Obligation {
            date: d("2026-12-05"),
            what: "Access review of AWS, production".into(),
            kind: "access_review".into(),
            record: RecordRef::new(Register::Systems, 3, "", "AWS"),
            owner: Some("Ann".into()),
        }];
        let ics = obligations_ics(&o, "Acme");
        assert!(ics.contains("DTSTART;VALUE=DATE:20261205\r\nDTEND;VALUE=DATE:20261206\r\n"));
        assert!(ics.contains("SUMMARY:Access review of AWS\\, production\r\n"));
        assert_eq!(ics.matches("BEGIN:VEVENT").count(), 1);
    }
}
