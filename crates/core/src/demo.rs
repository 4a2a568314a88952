//! The demo company: a fictional 40-person SaaS company nine months into its Type II
//! observation window, built relative to the as-of date so it never goes stale. It reads like a
//! company that mostly runs its controls: each period of the window so far has its access
//! reviews, log reviews, disposals and control activities, each with its evidence (a ticket or
//! a page), and people have acknowledged the policies. A few things are wrong on purpose, each a
//! small one a user can find and fix: GitHub holds customer data without enforcing MFA, an
//! emergency change was approved late, a leaver's access removal is not recorded, a certificate
//! expires soon, a quarter's restore test was missed, and a new hire still awaits training.

use std::cell::Cell;

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rusqlite::Transaction;

use crate::error::{Error, ErrorCode, Result};
use crate::evidence::{self, EvidenceTarget, ReferenceInput};
use crate::readiness::periods::{window_periods, Period};

const FIRST: [&str; 20] = [
    "Amara", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kofi", "Lena", "Mateo",
    "Nadia", "Oscar", "Priya", "Quinn", "Rosa", "Sami", "Tess",
];
const LAST: [&str; 10] = ["Adler", "Brooks", "Costa", "Dahl", "Eze", "Fischer", "Garcia", "Haddad", "Ito", "Jensen"];
const ROLES: [&str; 8] =
    ["Engineer", "Engineer", "Support", "Sales", "Engineer", "Product", "Customer success", "Finance"];

/// What each control's own activity is and where its evidence is kept, one control a line: its
/// reference, a ticket queue (`JIRA-…`) or a page under https://northwind.example/, and what
/// was done. Controls whose occurrences are the records of a register (access reviews, log
/// reviews, changes, leavers…) are not listed.
const ACTIVITIES: &str = "\
GOV-01 wiki/people/code-of-conduct Code of conduct re-read and signed off by the leadership team.
GOV-02 drive/board/minutes Security update presented at the board meeting; minutes filed.
GOV-03 wiki/security/roles Security roles and reporting lines reviewed; the RACI is current.
GOV-04 wiki/people/job-descriptions Security duties checked in every open role's job description.
GOV-05 drive/board/security-reports Quarterly security report taken through with the independent board member; questions minuted.
HR-01 JIRA-HR Background check completed before the start date; report filed with HR.
HR-02 JIRA-HR Confidentiality agreement signed by the new starter and filed.
HR-04 wiki/people/disciplinary Disciplinary procedure reviewed with HR; no cases this year.
POL-02 wiki/policies Policy pack republished on the intranet; acknowledgements tracked per person.
COM-01 trust Security commitments in the customer agreement checked against practice.
COM-02 wiki/security/contact-test Test message to security@ answered; security.txt is current.
COM-03 wiki/people/speak-up Speak-up channel tested end to end; linked from the handbook.
COM-04 wiki/architecture/system-description System description and data flow diagram updated.
COM-05 wiki/security/key-reports List of reports the controls rely on reviewed; completeness checks confirmed.
RSK-01 drive/risk/workshops Risk workshop notes and the updated register filed.
RSK-02 JIRA-SEC Risk register walked through at the quarterly security meeting; ratings updated.
RSK-03 drive/risk/fraud Fraud scenarios (invoice fraud, payroll changes) reviewed with finance.
RSK-04 JIRA-SEC Security review of a significant change before launch, with sign-off.
RSK-05 wiki/security/objectives Security objectives for the year set and shared with the team.
RSK-06 drive/finance/reconciliations Bank reconciliation and bank-detail changes reviewed by a second person; every change was called back.
MON-01 JIRA-SEC Quarterly control self-assessment; the gaps found logged as actions.
MON-02 drive/security/pentest External penetration test of the app and API; findings tracked to closure.
CA-01 wiki/security/control-map Controls re-mapped to the risk register after the risk workshop.
CA-02 wiki/security/baselines Hardening baselines for AWS, laptops and GitHub reviewed.
CA-03 wiki/security/segregation-of-duties Segregation of duties matrix reviewed; the compensating review for deploy rights confirmed.
AC-01 wiki/security/evidence/accounts Okta and AWS user lists checked for shared or generic accounts: none.
AC-02 wiki/security/evidence/mfa Okta and AWS MFA enforcement exported; GitHub still allows members without it.
AC-03 wiki/security/evidence/roles Okta group-to-role mapping exported and compared with the role matrix.
AC-04 JIRA-IT Access request approved by the system owner before the account was created.
AC-06 JIRA-SEC Admins in AWS, Okta and GitHub re-approved by the CTO.
AC-07 wiki/security/evidence/password-manager Password manager report: every active person enrolled.
AC-08 wiki/security/evidence/production-access Production access only through SSO roles; IAM report saved.
AC-09 JIRA-SEC Service accounts and API keys listed; unused keys revoked.
PHY-02 drive/vendors/aws Physical security section of the AWS SOC 2 report read; nothing for us to do.
AST-01 wiki/it/asset-inventory Laptop and cloud asset inventory reconciled with the MDM and AWS.
AST-02 JIRA-IT Returned laptop wiped; certificate of erasure filed.
END-01 wiki/it/evidence/mdm MDM compliance report: every laptop managed and encrypted.
END-02 wiki/it/evidence/endpoint Endpoint protection console: every device reporting, no open detection.
END-03 wiki/it/evidence/os-updates MDM patch report: every laptop on a supported OS version.
NET-01 JIRA-SEC Security groups and VPC rules reviewed; one unused open port closed.
NET-02 wiki/security/evidence/tls TLS scan of the public endpoints: TLS 1.2 or later only.
ENC-01 wiki/security/evidence/encryption AWS Config report: databases, buckets and volumes encrypted.
ENC-02 wiki/security/key-management KMS key rotation and the list of key administrators reviewed.
ENC-03 wiki/security/evidence/secrets Secret scanning alerts and vault access report reviewed.
DLP-01 wiki/security/evidence/exports Bulk export rights in the admin tools reviewed: support leads only.
VUL-01 JIRA-SEC Monthly vulnerability scan; findings triaged into the backlog.
VUL-02 wiki/security/evidence/patching Patch report: no critical finding past its deadline.
LOG-01 wiki/security/evidence/log-sources Log sources in Datadog checked: every production system sending.
LOG-02 wiki/security/evidence/alerting Test alert fired and acknowledged by the on-call engineer.
LOG-04 wiki/security/evidence/log-retention Log archive retention (13 months) and write-once setting verified.
IR-01 wiki/security/incident-response Incident response plan reviewed; on-call contacts updated.
IR-02 JIRA-SEC Security alert triaged within the hour and closed as benign.
IR-05 JIRA-SEC Notification duty assessed for a security event: no customer notice required.
IR-06 JIRA-SEC Recovery checks after an incident: service, data and monitoring confirmed.
CHG-05 wiki/security/evidence/environments Staging and production accounts separate; cross-account access report saved.
BCP-01 wiki/ops/continuity-plan Continuity and recovery plan reviewed and re-approved.
BCP-02 wiki/ops/evidence/backups Backup job report: daily snapshots completed, none failed.
BCP-03 JIRA-OPS Production database restored from backup to a scratch instance; row counts checked.
BCP-04 wiki/ops/dr-test Disaster recovery test: the platform rebuilt in a second region.
BCP-05 drive/finance/insurance Cyber insurance renewed; cover checked against the risk register.
AVL-01 wiki/ops/evidence/capacity Capacity dashboard reviewed; the ingest cluster scaled ahead of peak.
AVL-02 wiki/ops/evidence/redundancy Multi-zone setup of the database and load balancers verified.
VEN-01 JIRA-SEC Vendor list reconciled with the finance ledger; new vendors added.
VEN-03 JIRA-LEGAL Security and breach-notice clauses checked before signing with a new vendor.
VEN-04 wiki/security/vendor-cuecs User entity controls from vendor reports mapped to our controls.
DAT-01 wiki/security/data-classification Data classification reviewed; new event types classified.
DAT-03 JIRA-OPS Departed customer's tenant deleted at contract end; deletion confirmed to them.";

/// A control's line of [`ACTIVITIES`]: where its evidence is kept, and what was done.
fn activity(reference: &str) -> Option<(&'static str, &'static str)> {
    ACTIVITIES.lines().find_map(|line| {
        let (r, rest) = line.split_once(' ')?;
        if r == reference {
            rest.split_once(' ')
        } else {
            None
        }
    })
}

/// Log review notes, in turn.
const LOG_NOTES: [&str; 5] = [
    "Reviewed admin sign-ins, failed logins and alert history; nothing to follow up.",
    "A burst of failed logins traced to a misconfigured CI job; fixed.",
    "One sign-in from an unusual country; confirmed with the employee (travelling).",
    "Alert volume normal; two noisy alerts tuned.",
    "Reviewed privilege changes and API key use; all matched approved tickets.",
];

/// Whether the workspace is empty enough to take the demo (no people, controls or profile).
pub fn is_empty(conn: &rusqlite::Connection) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM controls) + (SELECT count(*) FROM organization_profile)",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 0)
}

/// When in the day a notification is made.
const NOTIFIED_AT: &str = "11:00";

/// A notification required when `required`: due `within` days of `detected`, and made `done`
/// days after it (not yet when `None`).
fn notified(required: bool, detected: NaiveDate, within: u64, done: Option<u64>) -> crate::incidents::Notification {
    let day = |n: u64| ds(detected.checked_add_days(Days::new(n)).unwrap_or(detected));
    match required {
        true => crate::incidents::Notification {
            required,
            deadline: format!("{} 16:20", day(within)),
            done_at: done.map(|n| format!("{} {NOTIFIED_AT}", day(n))).unwrap_or_default(),
        },
        false => crate::incidents::Notification::default(),
    }
}

fn ago(as_of: NaiveDate, days: u64) -> NaiveDate {
    as_of.checked_sub_days(Days::new(days)).unwrap_or(as_of)
}

fn after(d: NaiveDate, days: u64) -> NaiveDate {
    d.checked_add_days(Days::new(days)).unwrap_or(d)
}

fn ds(d: NaiveDate) -> String {
    d.to_string()
}

/// What every part of the story writes with: the transaction, the clock, the as-of date and
/// the observation window, the day the registers were set up, and the next ticket number.
///
/// The story is written in one go but told over years: each write is stamped with the moment
/// it happens in the story ([`Story::at`]), so a record's history reads as it happened and a
/// check "as of" a past day sees the company as it stood then.
struct Story<'t, 'c> {
    tx: &'t Transaction<'c>,
    now: DateTime<Utc>,
    as_of: NaiveDate,
    window: (NaiveDate, NaiveDate),
    /// When the company set up its registers (controls, systems, risks): two months before the
    /// observation window.
    base: NaiveDate,
    tickets: Cell<u32>,
}

impl Story<'_, '_> {
    /// The moment `time` (HH:MM, UTC) on `d`, when the story writes what happened then; never
    /// later than the clock.
    fn moment(&self, d: NaiveDate, time: &str) -> DateTime<Utc> {
        let t = chrono::NaiveTime::parse_from_str(time, "%H:%M").unwrap_or_default();
        d.and_time(t).and_utc().min(self.now)
    }

    /// 09:00 UTC on `d`: when the story records what was done that day (never later than now).
    fn at(&self, d: NaiveDate) -> DateTime<Utc> {
        self.moment(d, "09:00")
    }

    /// The last day anything is dated: yesterday (today may not have begun where the clock is).
    fn last(&self) -> NaiveDate {
        ago(self.as_of, 1)
    }

    /// The periods of `months` months of the window that have begun by yesterday.
    fn periods(&self, months: u32) -> Vec<Period> {
        window_periods(self.window, months).into_iter().filter(|p| p.start <= self.last()).collect()
    }

    /// The day `offset` days into `p` (wrapping within it), unless it is still to come.
    fn day_in(&self, p: &Period, offset: u64) -> Option<NaiveDate> {
        let d = after(p.start, offset % u64::try_from(p.days()).unwrap_or(1).max(1));
        (d <= self.last()).then_some(d)
    }

    /// Records evidence kept elsewhere for `target`: a new ticket in the queue `place`
    /// (`JIRA-…`), or the page `place` under the company's site for the day.
    fn evidence(&self, target: EvidenceTarget, on: NaiveDate, by: i64, place: &str, what: &str) -> Result<()> {
        let reference = if place.starts_with("JIRA-") {
            let n = self.tickets.get();
            self.tickets.set(n + 1 + n % 4);
            format!("{place}-{n}")
        } else {
            format!("https://northwind.example/{place}/{on}")
        };
        let input = ReferenceInput {
            reference,
            description: what.into(),
            effective_date: ds(on),
            expires_on: String::new(),
            added_by: Some(by),
        };
        evidence::add_reference(self.tx, self.at(on), target, &input)?;
        Ok(())
    }
}

/// Fills an empty workspace with the demo company, dated relative to `as_of` (normally today).
pub fn create(tx: &Transaction<'_>, now: DateTime<Utc>, as_of: NaiveDate) -> Result<String> {
    use crate::{incidents, profile, tabletop};
    if !is_empty(tx)? {
        return Err(Error::new(
            ErrorCode::Conflict,
            "The demo company goes into an empty workspace; this one already has records. Open a new file for the demo.",
        ));
    }
    let window_start = as_of.checked_sub_months(Months::new(9)).unwrap_or(as_of);
    let window_end = window_start.checked_add_months(Months::new(12)).and_then(|d| d.pred_opt()).unwrap_or(as_of);
    let base = window_start.checked_sub_days(Days::new(60)).unwrap_or(window_start);
    let s = Story { tx, now, as_of, window: (window_start, window_end), base, tickets: Cell::new(1204) };
    profile::save(
        tx,
        s.at(base),
        &profile::ProfileInput {
            name: "Northwind Analytics (demo)".into(),
            system_description: "Northwind's web analytics platform, its cloud infrastructure and the tools used to build and support it.".into(),
            categories: profile::OptionalCategories { availability: true, confidentiality: true, ..Default::default() },
            audit_type: profile::AuditType::Type2,
            window_start: ds(window_start),
            window_end: ds(window_end),
            auditor: "Example Assurance LLP".into(),
            target_report_date: ds(as_of.checked_add_months(Months::new(5)).unwrap_or(as_of)),
        },
    )?;
    let team = people(&s)?;
    let staff: Vec<i64> = team.iter().map(|p| p.id).collect();
    let (cto, ops, ceo) = (staff[0], staff[1], staff[2]);
    // Who holds each role, mapped on the first day: the starter records come owned by them.
    for (role, person) in [
        ("ceo", ceo),
        ("engineering_lead", cto),
        ("security_lead", ops),
        ("compliance_lead", ops),
        ("people_lead", ops),
        ("finance_lead", staff[7]),
    ] {
        crate::roles::assign(tx, s.at(base), role, Some(person))?;
    }
    let all = controls(&s, &staff)?;
    policies(&s, &team, ceo)?;
    let system_ids = systems(&s, cto, ops)?;
    leavers(&s, &staff, &system_ids)?;
    training(&s, &team)?;
    risks(&s, &staff, ops, ceo)?;
    vendors(&s, &staff, &all)?;
    changes(&s, &staff, &system_ids)?;

    // Incidents: six over the year, each with its own times, cause and lesson.
    struct Demo {
        title: &'static str,
        sev: &'static str,
        days: u64,
        closed: bool,
        detected: &'static str,
        contained: &'static str,
        close_after_days: u64,
        summary: &'static str,
        cause: &'static str,
        lesson: &'static str,
        /// Personal data exposed: customers and the regulator are told, on time.
        breach: bool,
    }
    let inc = [
        Demo {
            title: "Phishing email reached finance; no credentials entered",
            sev: "sev4",
            days: 300,
            closed: true,
            detected: "08:55",
            contained: "09:40",
            close_after_days: 1,
            summary: "A fake invoice email asked finance to log in to a look-alike portal; it was reported, not clicked.",
            cause: "The mail filter let through a newly registered look-alike domain.",
            lesson: "Reporting worked within minutes; added look-alike domain blocking.",
            breach: false,
        },
        Demo {
            title: "Production outage after a bad deploy",
            sev: "sev2",
            days: 210,
            closed: true,
            detected: "14:10",
            contained: "15:02",
            close_after_days: 4,
            summary: "The API returned errors for 52 minutes after a release with a broken migration.",
            cause: "A database migration locked a large table; it had not been tried on production-sized data.",
            lesson: "Migrations now run against a copy of production before release.",
            breach: false,
        },
        Demo {
            title: "Lost laptop (encrypted) after a conference",
            sev: "sev3",
            days: 160,
            closed: true,
            detected: "19:30",
            contained: "20:05",
            close_after_days: 2,
            summary: "A sales laptop was left on a train; disk encryption was confirmed and the device wiped remotely.",
            cause: "Device left unattended while travelling.",
            lesson: "Device management let us confirm encryption and wipe in 35 minutes.",
            breach: false,
        },
        Demo {
            title: "Leaked API key in a public gist",
            sev: "sev2",
            days: 95,
            closed: true,
            detected: "10:05",
            contained: "10:48",
            close_after_days: 6,
            summary: "A secret-scanning alert found a production API key in a developer's public gist.",
            cause: "A debugging snippet with a live key was shared publicly.",
            lesson: "Keys rotated; pre-commit secret scanning added for everyone.",
            breach: false,
        },
        Demo {
            title: "Suspicious logins on a support account",
            sev: "sev3",
            days: 30,
            closed: false,
            detected: "07:45",
            contained: "11:30",
            close_after_days: 0,
            summary: "Logins from two countries within an hour on one support account; the session was revoked.",
            cause: "",
            lesson: "",
            breach: false,
        },
        Demo {
            title: "Vendor reported a breach of their ticketing system",
            sev: "sev2",
            days: 8,
            closed: false,
            detected: "16:20",
            contained: "18:05",
            close_after_days: 0,
            summary: "Our help-desk vendor told us their ticketing system was accessed; customer names and emails may be exposed.",
            cause: "",
            lesson: "",
            breach: true,
        },
    ];
    // Each incident is recorded as it unfolds: opened when detected, then contained, then (for
    // the breach) the notifications made, then closed with its cause and lesson.
    for d in &inc {
        let detected = ago(as_of, d.days);
        let closed_on = detected.checked_add_days(Days::new(d.close_after_days)).unwrap_or(detected);
        let mut input = incidents::IncidentInput {
            title: d.title.into(),
            summary: d.summary.into(),
            detected_at: format!("{} {}", ds(detected), d.detected),
            reported_by_id: Some(staff[(d.days as usize) % 30]),
            severity: incidents::Severity::parse(d.sev).unwrap_or(incidents::Severity::Sev3),
            status: incidents::IncidentStatus::Open,
            personal_data: d.breach,
            affected_data: if d.breach {
                "Customer names and email addresses in support tickets".into()
            } else {
                String::new()
            },
            // Told within the 72 hours the law and the contracts give.
            customers: notified(d.breach, detected, 3, None),
            regulator: notified(d.breach, detected, 3, None),
            ..Default::default()
        };
        let opened = s.moment(detected, d.detected);
        let i = incidents::create(tx, opened, &input)?;
        let timeline = |at: &str, what: &str, who: &str| -> Result<()> {
            let entry =
                incidents::TimelineInput { at: format!("{} {at}", ds(detected)), what: what.into(), who: who.into() };
            incidents::add_timeline(tx, s.moment(detected, at), i.id, &entry)?;
            Ok(())
        };
        timeline(d.detected, "Reported to the security channel.", "")?;
        input.status = incidents::IncidentStatus::Contained;
        input.contained_at = format!("{} {}", ds(detected), d.contained);
        incidents::update(tx, s.moment(detected, d.contained), i.id, &input)?;
        timeline(d.contained, "Contained.", "Incident lead")?;
        if d.breach {
            input.customers = notified(true, detected, 3, Some(2));
            input.regulator = notified(true, detected, 3, Some(2));
            incidents::update(tx, s.moment(after(detected, 2), NOTIFIED_AT), i.id, &input)?;
        }
        if d.closed {
            input.status = incidents::IncidentStatus::Closed;
            input.closed_at = format!("{} 17:00", ds(closed_on));
            input.root_cause = d.cause.into();
            input.lessons_learned = d.lesson.into();
            incidents::update(tx, s.moment(closed_on, "17:00"), i.id, &input)?;
        }
    }

    // Two past tabletop exercises; the latest left one action overdue.
    for (key, days) in [("ransomware", 420u64), ("bec-invoice-fraud", 200)] {
        let planned = ago(as_of, days);
        let e = tabletop::exercises::plan(
            tx,
            s.at(ago(planned, 14)),
            &tabletop::exercises::PlanInput {
                script: tabletop::exercises::ScriptRef::BuiltIn(key.into()),
                title: String::new(),
                planned_on: ds(planned),
                facilitator_id: Some(ops),
                participants: staff
                    .iter()
                    .take(6)
                    .skip(1)
                    .map(|p| tabletop::exercises::ParticipantInput { person_id: *p, role: String::new() })
                    .collect(),
            },
        )?;
        let start = s.moment(planned, "14:00");
        let id = e.summary.id;
        tabletop::exercises::start(tx, start, id)?;
        for (i, _) in e.script.injects.iter().enumerate() {
            let t = start + chrono::Duration::minutes(12 * i as i64);
            tabletop::exercises::go_to(tx, t, id, i as u32)?;
            tabletop::exercises::add_note(
                tx,
                t + chrono::Duration::minutes(5),
                id,
                i as u32,
                "Discussed; owner named for the follow-up.",
            )?;
            tabletop::exercises::set_coverage(tx, t, id, i as u32, 0, Some(tabletop::exercises::Coverage::Covered))?;
        }
        for p in staff.iter().take(6).skip(1) {
            tabletop::exercises::set_attendance(tx, start, id, *p, true)?;
        }
        tabletop::exercises::save_debrief(
            tx,
            start,
            id,
            &tabletop::exercises::DebriefInput {
                hot_wash_answers: vec!["Clear roles.".into()],
                strengths: "Fast escalation.".into(),
                improvements: if key == "ransomware" {
                    "Write down who decides on a ransom demand; back up the build server.".into()
                } else {
                    "Write down who may change a supplier's bank details, and how it is checked.".into()
                },
            },
        )?;
        // Each exercise leaves the action its own scenario calls for.
        let (title, description) = if key == "ransomware" {
            ("Back up the build server and test a restore", "The exercise found the build server was never backed up.")
        } else {
            (
                "Write a payment verification procedure",
                "Bank detail changes are confirmed by phone with a known contact.",
            )
        };
        tabletop::exercises::add_corrective_action(
            tx,
            start,
            id,
            &tabletop::exercises::CorrectiveActionInput {
                title: title.into(),
                description: description.into(),
                owner_id: Some(ceo),
                due_date: ds(as_of.checked_add_days(Days::new(if days > 300 { 20 } else { 45 })).unwrap_or(as_of)),
            },
        )?;
        tabletop::exercises::complete(tx, start + chrono::Duration::minutes(80), id)?;
    }
    respond(&s, cto, ops)?;
    requests(&s, &all, cto, ops)?;
    Ok("Northwind Analytics (demo)".into())
}

/// The auditor's first requests of fieldwork, in every state: answered, accepted, sent back,
/// due this week and overdue.
fn requests(s: &Story, all: &[crate::controls::Control], cto: i64, ops: i64) -> Result<()> {
    use crate::requests::{self, AuditRequestInput, RequestStatus};
    let control = |r: &str| all.iter().find(|c| c.reference == r).map(|c| c.id);
    // Request id, what is asked, criteria, controls, due (days from the as-of day), owner, status.
    type Request<'a> = (&'a str, &'a str, &'a str, &'a [&'a str], i64, i64, RequestStatus);
    let list: [Request; 5] = [
        (
            "PBC-001",
            "Population of new hires and leavers in the observation window, with start and end dates",
            "CC1.4 CC6.2",
            &["AC-04"],
            -10,
            ops,
            RequestStatus::Accepted,
        ),
        (
            "PBC-002",
            "Evidence of the quarterly user access reviews of in-scope systems",
            "CC6.2 CC6.3",
            &["AC-05"],
            -3,
            cto,
            RequestStatus::FollowUp,
        ),
        (
            "PBC-003",
            "List of production changes in the window, with approval and test evidence for a sample",
            "CC8.1",
            &["CHG-01", "CHG-02"],
            4,
            cto,
            RequestStatus::Open,
        ),
        (
            "PBC-004",
            "Security awareness training completions for all staff",
            "CC2.2",
            &[],
            -2,
            ops,
            RequestStatus::Open,
        ),
        (
            "PBC-005",
            "Most recent SOC 2 reports of critical vendors and your review of them",
            "CC9.2",
            &[],
            12,
            ops,
            RequestStatus::Provided,
        ),
    ];
    // The list came in three weeks ago; each request moved on by its due day (or yesterday).
    let sent = ago(s.as_of, 21);
    for (reference, description, criteria, controls, due_in, owner, status) in list {
        let due = if due_in < 0 { ago(s.as_of, due_in.unsigned_abs()) } else { after(s.as_of, due_in as u64) };
        let mut input = AuditRequestInput {
            reference: reference.into(),
            description: description.into(),
            criteria: criteria.into(),
            control_ids: controls.iter().filter_map(|r| control(r)).collect(),
            due_on: ds(due),
            owner_id: Some(owner),
            status: RequestStatus::Open,
            notes: String::new(),
        };
        let r = requests::create(s.tx, s.at(sent), &input)?;
        if status != RequestStatus::Open {
            input.status = status;
            requests::update(s.tx, s.moment(due.min(s.last()), "16:00"), r.id, &input)?;
        }
    }
    Ok(())
}

/// One person of the demo: their id and when they worked here.
struct Member {
    id: i64,
    start: NaiveDate,
    end: Option<NaiveDate>,
}

impl Member {
    fn here_on(&self, d: NaiveDate) -> bool {
        self.start <= d && self.end.is_none_or(|e| d <= e)
    }
}

/// People: 40, two of whom left recently (Priya Garcia 40 days ago, Quinn Dahl 10 days ago)
/// and three new hires.
fn people(s: &Story) -> Result<Vec<Member>> {
    let mut staff = Vec::new();
    for i in 0..40usize {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + i / 20) % LAST.len()];
        let name = format!("{first} {last}");
        // First names repeat after twenty, last names never with them: every name is unique.
        let email = format!("{}.{}@northwind.example", first.to_lowercase(), last.to_lowercase());
        let start = ago(
            s.as_of,
            match i {
                37 => 3,
                38 => 12,
                39 => 20,
                _ => 400 + (i as u64) * 37,
            },
        );
        let end = match i {
            35 => Some(ago(s.as_of, 40)),
            36 => Some(ago(s.as_of, 10)),
            _ => None,
        };
        let role = match i {
            0 => "CTO",
            1 => "Head of Operations",
            2 => "CEO",
            _ => ROLES[i % ROLES.len()],
        };
        let mut input = crate::people::PersonInput {
            name,
            email,
            role: role.into(),
            start_date: ds(start),
            end_date: String::new(),
        };
        // Recorded on their first day; a leaver's last day recorded on that day.
        let p = crate::people::create(s.tx, s.at(start), &input)?;
        if let Some(end) = end {
            input.end_date = ds(end);
            crate::people::update(s.tx, s.at(end), p.id, &input)?;
        }
        staff.push(Member { id: p.id, start, end });
    }
    Ok(staff)
}

/// Controls: the starter library. Those in scope are implemented but three still in progress;
/// processing integrity and privacy are out of scope, and so is office access (the company is
/// remote). Each implemented control that proves itself by its own activities has one, with
/// evidence, in every period of the window so far, but the restore test slipped a quarter.
fn controls(s: &Story, staff: &[i64]) -> Result<Vec<crate::controls::Control>> {
    use crate::controls::{self, Cadence, ControlStatus};
    controls::install_starter(s.tx, s.at(s.base))?;
    let all = controls::list(s.tx, &controls::ControlQuery { limit: 1000, ..Default::default() })?.rows;
    for (n, c) in all.iter().enumerate() {
        let (status, why) = match c.reference.split('-').next().unwrap_or_default() {
            "PI" | "PRV" => {
                (ControlStatus::NotApplicable, "Processing integrity and privacy are not in the scope of this audit.")
            }
            _ if c.reference == "PHY-01" => {
                (ControlStatus::NotApplicable, "Northwind is fully remote: no office holds its systems or data.")
            }
            _ if ["MON-03", "NET-03", "VUL-03"].contains(&c.reference.as_str()) => (ControlStatus::InProgress, ""),
            _ => (ControlStatus::Implemented, ""),
        };
        let owner = staff[n % 5];
        let input = controls::ControlInput {
            reference: c.reference.clone(),
            title: c.title.clone(),
            description: c.description.clone(),
            owner_id: Some(owner),
            status,
            na_justification: why.into(),
            cadence: c.cadence,
            criteria: c.criteria.clone(),
            sources: None,
        };
        controls::update(s.tx, s.at(s.base), c.id, &input)?;
        let Some((place, note)) = activity(&c.reference) else { continue };
        if status != ControlStatus::Implemented {
            continue;
        }
        let months = match c.cadence {
            Cadence::Monthly => 1,
            Cadence::Annual => 12,
            _ => 3,
        };
        for (q, p) in s.periods(months).iter().enumerate() {
            // The second quarter's restore test slipped (an exception, answered below).
            if c.reference == "BCP-03" && q == 1 {
                continue;
            }
            let offset = 4 + (n as u64 * 5) % 40 + if months == 12 { 90 } else { 0 };
            let Some(on) = s.day_in(p, offset) else { continue };
            let activity =
                controls::ActivityInput { performed_on: ds(on), performed_by: Some(owner), notes: (*note).into() };
            let a = controls::add_activity(s.tx, s.at(on), c.id, &activity)?;
            s.evidence(EvidenceTarget::Activity(a.id), on, owner, place, note)?;
        }
    }
    Ok(all)
}

/// Policies: the expected set, each approved last year and again this year (the acceptable use
/// policy's yearly review falls due in two weeks), each version acknowledged by everyone within
/// three weeks of its approval or of their first day.
fn policies(s: &Story, team: &[Member], ceo: i64) -> Result<()> {
    use crate::policies;
    let approved = |n: usize| ago(s.as_of, if n == 0 { 351 } else { 30 + n as u64 * 20 });
    // The policy pack was written the day its first versions were approved.
    let first = (0..crate::starter::policy_texts::TEMPLATES.len()).map(|n| ago(approved(n), 365)).min();
    policies::install_expected(s.tx, s.at(first.unwrap_or(s.base)))?;
    for (n, p) in policies::list(s.tx, false)?.into_iter().enumerate() {
        let approved = approved(n);
        for (version, on, next) in [("1.0", ago(approved, 365), Some(approved)), ("2.0", approved, None)] {
            policies::new_version(s.tx, s.at(on), p.id, version)?;
            let input =
                policies::ApproveInput { approved_on: ds(on), approver_id: Some(ceo), next_review_due: String::new() };
            policies::approve(s.tx, s.at(on), p.id, &input)?;
            // Each person acknowledges the version in force, in the order they got to it.
            let mut seen: Vec<(NaiveDate, i64)> = team
                .iter()
                .enumerate()
                .map(|(i, m)| (after(on.max(m.start), 1 + (i as u64 * 7 + n as u64 * 3) % 20), m))
                .filter(|(d, m)| *d <= s.last() && m.here_on(*d) && next.is_none_or(|next| *d < next))
                .map(|(d, m)| (d, m.id))
                .collect();
            seen.sort();
            for (d, person) in seen {
                policies::acknowledge(s.tx, s.at(d), p.id, Some(person), &ds(d))?;
            }
        }
    }
    Ok(())
}

/// The retention schedule with a disposal, with evidence, in every period of the window so
/// far; then twelve systems (GitHub holds customer data without enforcing MFA; a certificate
/// on AWS expires soon), the sensitive ones reviewed every period.
fn systems(s: &Story, cto: i64, ops: i64) -> Result<Vec<i64>> {
    use crate::retention::{self, RetentionUnit};
    use crate::risks::ReviewCadence;
    use crate::systems;
    let types = [
        (
            "Customer analytics data",
            "Events and reports customers send to the platform.",
            RetentionUnit::AfterCustomer,
            30,
            "Contract with the customer",
            "Scripted deletion of the customer's tenant",
            ReviewCadence::Quarterly,
            ("JIRA-OPS", "Tenants of customers gone for more than 30 days deleted; deletion log checked."),
        ),
        (
            "Application logs",
            "",
            RetentionUnit::Months,
            13,
            "Security monitoring",
            "Automatic expiry in the log store",
            ReviewCadence::Quarterly,
            ("wiki/ops/evidence/log-expiry", "Logs older than 13 months expired; verified in the log store."),
        ),
        (
            "Database backups",
            "",
            RetentionUnit::Days,
            35,
            "Recovery",
            "Lifecycle rule on the backup bucket",
            ReviewCadence::Monthly,
            (
                "wiki/ops/evidence/backup-expiry",
                "Backups older than 35 days removed by the lifecycle rule; listing saved.",
            ),
        ),
    ];
    let mut data_types = Vec::new();
    for (name, description, unit, value, basis, method, cadence, (place, what)) in types {
        let input = retention::DataTypeInput {
            name: name.into(),
            description: description.into(),
            retention_unit: unit,
            retention_value: Some(value),
            legal_basis: basis.into(),
            disposal_method: method.into(),
            disposal_cadence: cadence,
            system_ids: vec![],
        };
        let d = retention::create(s.tx, s.at(s.base), &input)?;
        for p in s.periods(cadence.months()) {
            let Some(on) = s.day_in(&p, 10) else { continue };
            let input =
                retention::DisposalInput { performed_on: ds(on), performed_by_id: Some(cto), what: what.into() };
            let x = retention::add_disposal(
                s.tx,
                s.at(on),
                &crate::attachments::Attachments::default(),
                d.id,
                &input,
                None,
            )?;
            s.evidence(EvidenceTarget::Disposal(x.id), on, cto, place, what)?;
        }
        data_types.push(d.id);
    }
    let (customer, logs, backups) = (data_types[0], data_types[1], data_types[2]);
    #[rustfmt::skip]
    let names = [
        "AWS production", "Okta", "GitHub", "PostgreSQL (production)", "Google Workspace", "Slack", "Zendesk",
        "Stripe dashboard", "HubSpot", "Notion", "Datadog", "Payroll (Gusto)",
    ];
    let mut system_ids = Vec::new();
    for (n, name) in names.into_iter().enumerate() {
        use crate::refs::Criticality;
        // The first four are critical and hold customer data, and so does Zendesk.
        let criticality = match n {
            0..=3 => Criticality::Critical,
            8 | 9 | 11 => Criticality::Medium,
            _ => Criticality::High,
        };
        let customer_data = n < 4 || n == 6;
        let input = systems::SystemInput {
            name: name.into(),
            description: String::new(),
            owner_id: Some(if n % 2 == 0 { cto } else { ops }),
            criticality,
            in_scope: true,
            holds_customer_data: customer_data,
            data_type_ids: match n {
                0 | 3 => vec![customer, backups],
                10 => vec![logs],
                _ if customer_data => vec![customer],
                _ => vec![],
            },
            mfa_enforced: name != "GitHub",
            role_based_access: true,
            shared_accounts: false,
            shared_accounts_reason: String::new(),
            encryption_at_rest: true,
            tls_in_transit: true,
            tls_min_version: "1.2".into(),
            logs_forwarded: true,
            alerting: true,
            certificates: if n == 0 {
                vec![systems::Certificate { name: "app.northwind.example".into(), expires_on: ds(after(s.as_of, 24)) }]
            } else {
                vec![]
            },
        };
        let id = systems::create(s.tx, s.at(s.base), &input)?.id;
        if criticality == Criticality::Critical || customer_data {
            reviews(s, id, name, n as u64, cto, ops)?;
        }
        system_ids.push(id);
    }
    Ok(system_ids)
}

/// A sensitive system's access review in every quarter of the window so far and its log
/// review in every month, each with evidence.
fn reviews(s: &Story, system: i64, name: &str, k: u64, cto: i64, ops: i64) -> Result<()> {
    use crate::{access_reviews, systems};
    let slug = name.split_whitespace().next().unwrap_or(name).to_lowercase();
    for (q, p) in s.periods(3).iter().enumerate() {
        let Some(on) = s.day_in(p, 20 + k * 3) else { continue };
        let removed = (q as u64 + k) % 3 == 1;
        let input = access_reviews::AccessReviewInput {
            system_id: Some(system),
            reviewer_id: Some(ops),
            performed_on: ds(on),
            period_start: ds(p.start),
            period_end: ds(on),
            accounts_reviewed: Some(24 + 2 * q as u32 + k as u32),
            accounts_changed: Some(u32::from(removed)),
            findings: if removed { "One former contractor's account removed." } else { "" }.into(),
            changes: vec![],
        };
        let r = access_reviews::create(s.tx, s.at(on), &crate::attachments::Attachments::default(), &input, None)?;
        s.evidence(
            EvidenceTarget::AccessReview(r.id),
            on,
            ops,
            "JIRA-SEC",
            "User list export with the reviewer's sign-off.",
        )?;
    }
    for (m, p) in s.periods(1).iter().enumerate() {
        let Some(on) = s.day_in(p, 3 + k * 2) else { continue };
        let by = if m % 2 == 0 { cto } else { ops };
        let notes = LOG_NOTES[(m + k as usize) % LOG_NOTES.len()];
        let input = systems::LogReviewInput { performed_on: ds(on), performed_by_id: Some(by), notes: notes.into() };
        let r =
            systems::add_log_review(s.tx, s.at(on), &crate::attachments::Attachments::default(), system, &input, None)?;
        let place = format!("wiki/security/log-reviews/{slug}");
        s.evidence(
            EvidenceTarget::LogReview(r.id),
            on,
            by,
            &place,
            "Signed review checklist and the alert dashboard export.",
        )?;
    }
    Ok(())
}

/// Leavers: Priya Garcia (40 days ago) lost her access the day she left; Quinn Dahl (10 days
/// ago) the next day everywhere but AWS, where the removal is not recorded.
fn leavers(s: &Story, staff: &[i64], system_ids: &[i64]) -> Result<()> {
    use crate::leavers::{record, DeprovisionInput};
    for (n, sid) in system_ids.iter().enumerate() {
        let input = DeprovisionInput {
            person_id: staff[35],
            system_id: *sid,
            removed_on: if n % 3 == 0 { String::new() } else { ds(ago(s.as_of, 40)) },
            no_access: n % 3 == 0,
        };
        record(s.tx, s.at(ago(s.as_of, 40)), &input)?;
        if n >= 1 {
            let input = DeprovisionInput {
                person_id: staff[36],
                system_id: *sid,
                removed_on: if n < 6 { ds(ago(s.as_of, 9)) } else { String::new() },
                no_access: n >= 6,
            };
            record(s.tx, s.at(ago(s.as_of, 9)), &input)?;
        }
    }
    Ok(())
}

/// Training: everyone in their first days and at each year's all-hands session; the newest
/// hire (three days in) is still to be trained.
fn training(s: &Story, team: &[Member]) -> Result<()> {
    use crate::training;
    let mut sessions: Vec<(NaiveDate, Vec<i64>)> = team
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 37)
        .map(|(i, m)| (after(m.start, i as u64 % 4), vec![m.id]))
        .collect();
    for days in [565, 200] {
        let on = ago(s.as_of, days);
        sessions.push((on, team.iter().filter(|m| m.here_on(on)).map(|m| m.id).collect()));
    }
    sessions.retain(|(on, person_ids)| *on <= s.last() && !person_ids.is_empty());
    sessions.sort();
    // The course was set up the day of its first session.
    let first = sessions.first().map(|(on, _)| *on).unwrap_or(s.base);
    let course = training::create_course(
        s.tx,
        s.at(first),
        &training::CourseInput {
            name: "Security awareness".into(),
            description: "Phishing, passwords and MFA, data handling, reporting incidents.".into(),
            validity_days: Some(365),
            required: true,
        },
    )?;
    for (on, person_ids) in sessions {
        let input = training::SessionInput { course_id: Some(course.id), completed_on: ds(on), person_ids };
        training::record_session(s.tx, s.at(on), &crate::attachments::Attachments::default(), &input, None)?;
    }
    Ok(())
}

/// Risks: the starter library, every risk owned, treated and reviewed at the last quarterly
/// review; the yearly risk assessments, the last one four months ago.
fn risks(s: &Story, staff: &[i64], ops: i64, ceo: i64) -> Result<()> {
    use crate::{risk_assessments, risks};
    let (tx, as_of) = (s.tx, s.as_of);
    let keys: Vec<String> = crate::starter::risks::STARTER_RISKS.iter().take(25).map(|r| r.key.to_owned()).collect();
    risks::add_starter(tx, s.at(s.base), &keys)?;
    // Rated and owned when the register was set up, then reviewed every quarter, the last
    // review 45 days ago.
    let mut reviews: Vec<NaiveDate> = (0..).map(|k| ago(as_of, 45 + 91 * k)).take_while(|d| *d > s.base).collect();
    reviews.push(s.base);
    reviews.reverse();
    let page = risks::list(tx, &risks::RiskQuery { limit: 1000, ..Default::default() }, as_of)?;
    for (n, r) in page.rows.iter().enumerate() {
        let (il, ii) = (r.inherent.likelihood, r.inherent.impact);
        let mut input = risks::RiskInput {
            reference: r.reference.clone(),
            title: r.title.clone(),
            description: r.description.clone(),
            category: r.category,
            owner_id: Some(staff[n % 3]),
            inherent_likelihood: Some(il),
            inherent_impact: Some(ii),
            treatment: Some(if n % 7 == 6 { risks::Treatment::Accept } else { risks::Treatment::Mitigate }),
            residual_likelihood: Some(il.saturating_sub(1).max(1)),
            residual_impact: Some(if n % 2 == 0 { ii.saturating_sub(1).max(1) } else { ii }),
            control_ids: r.controls.iter().map(|c| c.id).collect(),
            accepted_by_id: if n % 7 == 6 { Some(ceo) } else { None },
            accepted_until: if n % 7 == 6 {
                ds(as_of.checked_add_months(Months::new(6)).unwrap_or(as_of))
            } else {
                String::new()
            },
            status: risks::RiskStatus::Treated,
            last_reviewed_on: String::new(),
            review_cadence: risks::ReviewCadence::Quarterly,
        };
        for on in &reviews {
            input.last_reviewed_on = ds(*on);
            risks::update(tx, s.at(*on), r.id, &input)?;
        }
    }
    for (days, notes) in [
        (485, "Yearly assessment; phishing and a single cloud region were the top concerns."),
        (120, "Yearly assessment; phishing and vendor risk remain the top concerns."),
    ] {
        let input = risk_assessments::AssessmentInput {
            performed_on: ds(ago(as_of, days)),
            performed_by_id: Some(ops),
            participants: "CEO, CTO, Head of Operations".into(),
            notes: notes.into(),
        };
        risk_assessments::create(tx, s.at(ago(as_of, days)), &input)?;
    }
    Ok(())
}

/// Vendors: twenty; every critical and high one assessed within the year (with the worksheet
/// as evidence), with a current SOC 2 report on file and its user entity controls mapped.
fn vendors(s: &Story, staff: &[i64], all: &[crate::controls::Control]) -> Result<()> {
    use crate::vendors::{self, AssessmentMethod, AssessmentOutcome};
    let (tx, as_of) = (s.tx, s.as_of);
    let control = |reference: &str| all.iter().find(|c| c.reference == reference).map(|c| c.id);
    // Name, service, criticality, data, assessed (days ago; 0 never), SOC 2 report period
    // ended (days ago).
    let vendor_list = [
        ("Amazon Web Services", "Cloud hosting of the platform", "critical", "customer_data", 60, Some(200)),
        ("Okta", "Single sign-on and identity", "critical", "personal_data", 90, Some(150)),
        ("GitHub", "Source code and CI", "critical", "internal_only", 100, Some(130)),
        ("Google Workspace", "Email, documents and calendars", "high", "personal_data", 120, Some(160)),
        ("Stripe", "Customer billing", "high", "personal_data", 80, Some(100)),
        ("Zendesk", "Customer support tickets", "high", "customer_data", 300, Some(250)),
        ("Datadog", "Monitoring and logs", "high", "customer_data", 150, Some(90)),
        ("Slack", "Team chat", "high", "internal_only", 170, Some(210)),
        ("HubSpot", "Sales CRM", "medium", "personal_data", 400, None),
        ("Notion", "Internal wiki", "medium", "internal_only", 500, None),
        ("Gusto", "Payroll", "medium", "personal_data", 200, None),
        ("1Password", "Password manager", "high", "internal_only", 60, Some(120)),
        ("Cloudflare", "CDN, DNS and web firewall", "critical", "customer_data", 70, Some(110)),
        ("Sentry", "Error tracking", "medium", "customer_data", 380, None),
        ("Figma", "Design files", "low", "internal_only", 0, None),
        ("Zoom", "Video calls", "low", "internal_only", 0, None),
        ("Docusign", "Contract signatures", "medium", "personal_data", 600, None),
        ("Intercom", "In-app messaging", "medium", "personal_data", 250, None),
        ("Linear", "Issue tracking", "low", "internal_only", 0, None),
        ("Brightline Bookkeeping", "Outsourced bookkeeping", "low", "no_data", 0, None),
    ];
    /// What happened with a vendor, in turn: an assessment, a SOC 2 report received (the
    /// period it covers ends on the date), or a bridge letter for last year's report, dated the
    /// day its coverage ends, to cover the weeks until the new report arrives.
    enum Step {
        Assessed(NaiveDate),
        Report(NaiveDate),
        Bridge(NaiveDate),
    }
    for (n, (name, service, crit, data, assessed_ago, report_ago)) in vendor_list.iter().enumerate() {
        let by = staff[n % 3];
        // Last year's assessment and report, then this year's, each on its day.
        let mut steps: Vec<(NaiveDate, Step)> = Vec::new();
        for year in [365, 0] {
            if *assessed_ago > 0 {
                let on = ago(as_of, assessed_ago + year);
                steps.push((on, Step::Assessed(on)));
            }
            if let Some(r) = report_ago {
                let end = ago(as_of, r + year);
                steps.push((after(end, 45).min(s.last()), Step::Report(end)));
                let lapses = end.checked_add_months(Months::new(12)).unwrap_or(end);
                if year > 0 && lapses <= s.last() {
                    steps.push((lapses, Step::Bridge(lapses)));
                }
            }
        }
        steps.sort_by_key(|(on, _)| *on);
        // In the register from the contract's start, or its first assessment if earlier.
        let contract_start = ago(as_of, 700);
        let listed = steps.first().map_or(contract_start, |(on, _)| contract_start.min(*on));
        let v = vendors::create(
            tx,
            s.at(listed),
            &vendors::VendorInput {
                name: (*name).into(),
                service: (*service).into(),
                website: String::new(),
                criticality: vendors::Criticality::parse(crit).unwrap_or(vendors::Criticality::Low),
                data_access: vendors::DataAccess::parse(data).unwrap_or(vendors::DataAccess::NoData),
                systems: String::new(),
                owner_id: Some(by),
                status: vendors::VendorStatus::Active,
                offboarded_on: String::new(),
                contract_start: ds(contract_start),
                contract_end: String::new(),
                security_clause: *crit != "low",
                breach_clause: *crit == "critical",
                breach_notice_hours: if *crit == "critical" { Some(72) } else { None },
                dpa_signed: *data != "internal_only" && *data != "no_data",
                // Each assessment recorded below sets it.
                last_assessed_on: String::new(),
            },
        )?;
        let folder = format!("drive/vendors/{}", name.split_whitespace().next().unwrap_or(name).to_lowercase());
        let mut latest: Option<(i64, vendors::Soc2ReportInput)> = None;
        for (received, step) in steps {
            if let (Step::Bridge(on), Some((id, input))) = (&step, &mut latest) {
                input.bridge_letter_on = ds(*on);
                input.bridge_covers_until = ds(on.checked_add_months(Months::new(3)).unwrap_or(*on));
                vendors::save_report(tx, s.at(*on), v.id, Some(*id), input)?;
            }
            if let Step::Assessed(on) = step {
                let (method, notes) = match report_ago {
                    Some(_) => (
                        AssessmentMethod::Soc2Review,
                        "SOC 2 report read, exceptions and subservice organisations checked; our user entity controls are in place.",
                    ),
                    None => (AssessmentMethod::Questionnaire, "Security questionnaire answered and reviewed; no open concern."),
                };
                let input = vendors::VendorAssessmentInput {
                    performed_on: ds(on),
                    performed_by_id: Some(by),
                    method,
                    outcome: AssessmentOutcome::Approved,
                    notes: notes.into(),
                };
                let a = vendors::add_assessment(
                    tx,
                    s.at(on),
                    &crate::attachments::Attachments::default(),
                    v.id,
                    &input,
                    None,
                )?;
                s.evidence(
                    EvidenceTarget::VendorAssessment(a.id),
                    on,
                    by,
                    &folder,
                    "Completed vendor assessment worksheet.",
                )?;
            }
            if let Step::Report(end) = step {
                let input = vendors::Soc2ReportInput {
                    report_type: vendors::ReportType::Type2,
                    period_start: ds(end.checked_sub_months(Months::new(12)).and_then(|d| d.succ_opt()).unwrap_or(end)),
                    period_end: ds(end),
                    auditor: "A large audit firm".into(),
                    opinion: vendors::Opinion::Unqualified,
                    cuecs: if n == 1 {
                        vec![
                            vendors::CuecInput {
                                text: "Customers enforce MFA for their administrators.".into(),
                                control_id: control("AC-02"),
                            },
                            vendors::CuecInput {
                                text: "Customers review their user lists regularly.".into(),
                                control_id: control("AC-05"),
                            },
                        ]
                    } else {
                        vec![]
                    },
                    // Software vendors that run on a cloud provider carve it out of their report.
                    subservices: if ["Zendesk", "Datadog", "Slack", "Okta"].contains(name) {
                        vec![vendors::Subservice {
                            name: "Amazon Web Services".into(),
                            method: vendors::SubserviceMethod::CarveOut,
                        }]
                    } else {
                        vec![]
                    },
                    ..Default::default()
                };
                let report = vendors::save_report(tx, s.at(received), v.id, None, &input)?;
                latest = Some((report.id, input));
                s.evidence(
                    EvidenceTarget::Soc2Report(report.id),
                    received,
                    by,
                    &folder,
                    "The vendor's SOC 2 Type II report.",
                )?;
            }
        }
    }
    Ok(())
}

/// Changes: pull requests merged every few days through the window, each approved by someone
/// other than its author before it went live; one emergency change approved days late.
fn changes(s: &Story, staff: &[i64], system_ids: &[i64]) -> Result<()> {
    use crate::changes::{create, update, ChangeInput};
    const TITLES: [&str; 12] = [
        "Add rate limiting to the ingest API",
        "Upgrade the database driver",
        "Fix export timezone bug",
        "Rotate service credentials",
        "New dashboard widget",
        "Tighten CSP headers",
        "Batch writes in the event pipeline",
        "Paginate the reports API",
        "Remove the legacy CSV importer",
        "Bump base images for security fixes",
        "Add audit log for admin actions",
        "Cache segment queries",
    ];
    let mut list = Vec::new();
    let mut day = ago(s.as_of, 2);
    while day >= s.window.0 {
        let n = list.len();
        list.push((
            day,
            ChangeInput {
                reference: format!("PR-{}", 960 - n),
                title: TITLES[n % TITLES.len()].into(),
                description: String::new(),
                system_id: Some(system_ids[if n % 3 == 0 { 2 } else { 0 }]),
                author_id: Some(staff[3 + n % 5]),
                approver_id: Some(staff[9 + n % 4]),
                approved_at: format!("{} 09:00", ds(day)),
                tested: true,
                test_notes: "CI and staging".into(),
                deployed_at: format!("{} 15:00", ds(day)),
                rollback_plan: "Revert the release".into(),
                emergency: false,
            },
        ));
        day = ago(day, 3 + n as u64 % 3);
    }
    // Each change is recorded when it goes live.
    for (day, input) in &list {
        create(s.tx, s.moment(*day, "15:00"), input)?;
    }
    let hot = ago(s.as_of, 15);
    let mut hotfix = ChangeInput {
        reference: "HOTFIX-12".into(),
        title: "Hotfix for failing logins".into(),
        description: String::new(),
        system_id: Some(system_ids[1]),
        author_id: Some(staff[4]),
        approver_id: Some(staff[0]),
        approved_at: format!("{} 18:00", ds(after(hot, 4))),
        tested: true,
        test_notes: "Manual check".into(),
        deployed_at: format!("{} 23:10", ds(hot)),
        rollback_plan: "Redeploy the previous image".into(),
        emergency: true,
    };
    // Recorded when deployed, without an approval; the approval is recorded days later.
    let (approver, approved_at) = (hotfix.approver_id.take(), std::mem::take(&mut hotfix.approved_at));
    let c = create(s.tx, s.moment(hot, "23:10"), &hotfix)?;
    (hotfix.approver_id, hotfix.approved_at) = (approver, approved_at);
    update(s.tx, s.moment(after(hot, 4), "18:00"), c.id, &hotfix)?;
    Ok(())
}

/// Management has already answered two exceptions: the late emergency approval and the missed
/// restore test.
fn respond(s: &Story, cto: i64, ops: i64) -> Result<()> {
    use crate::readiness::exceptions::{self, ExceptionResponseInput};
    let answers = [
        (
            "changes",
            "HOTFIX-12",
            cto,
            "Logins failed late in the evening; the on-call engineer deployed the fix under the emergency procedure. \
             The CTO reviewed it the next morning but the approval was recorded only days later.",
            "Emergency changes now open a ticket that pages the CTO, and the on-call checklist ends with the \
             recorded approval (JIRA-SEC-1388).",
        ),
        (
            "coverage",
            "BCP-03",
            ops,
            "The quarter's restore test was postponed while the backups moved to a new AWS account, and then missed. \
             A full restore was tested early the next quarter and succeeded.",
            "Restore tests are booked in the team calendar for the first month of each quarter, with a named \
             backup owner (https://northwind.example/wiki/ops/restore-tests).",
        ),
    ];
    let found = exceptions::list(s.tx, s.as_of)?;
    for (check, reference, by, response, remediation) in answers {
        let Some(e) = found.iter().find(|e| e.check == check && e.record.reference == reference) else { continue };
        let input = ExceptionResponseInput {
            key: e.key.clone(),
            management_response: response.into(),
            remediation: remediation.into(),
            responded_by_id: Some(by),
            action_id: None,
        };
        exceptions::respond(s.tx, s.at(s.last()), s.as_of, &input)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_activity_line_names_a_starter_control_and_where_its_evidence_is() {
        for line in super::ACTIVITIES.lines() {
            let reference = line.split(' ').next().unwrap_or_default();
            assert!(crate::starter::controls::STARTER_CONTROLS.iter().any(|c| c.reference == reference), "{line}");
            let (place, note) = super::activity(reference).unwrap_or_default();
            assert!(!place.is_empty() && note.ends_with('.'), "{line}");
        }
    }
}
