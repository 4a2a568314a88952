//! The demo company: a fictional 40-person SaaS company with a year of records, built relative
//! to the as-of date so it never goes stale. Its readiness is mixed on purpose: some checks
//! pass, some are due soon, some fail, each for a reason a user can find and fix.

use chrono::{DateTime, Days, Months, NaiveDate, Utc};
use rusqlite::Transaction;

use crate::error::{Error, ErrorCode, Result};

const FIRST: [&str; 20] = [
    "Amara", "Ben", "Chloe", "Dev", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kofi", "Lena", "Mateo",
    "Nadia", "Oscar", "Priya", "Quinn", "Rosa", "Sami", "Tess",
];
const LAST: [&str; 10] = ["Adler", "Brooks", "Costa", "Dahl", "Eze", "Fischer", "Garcia", "Haddad", "Ito", "Jensen"];
const ROLES: [&str; 8] =
    ["Engineer", "Engineer", "Support", "Sales", "Engineer", "Product", "Customer success", "Finance"];

/// Whether the workspace is empty enough to take the demo (no people, controls or profile).
pub fn is_empty(conn: &rusqlite::Connection) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT (SELECT count(*) FROM people) + (SELECT count(*) FROM controls) + (SELECT count(*) FROM organization_profile)",
        [],
        |r| r.get(0),
    )?;
    Ok(n == 0)
}

fn ago(as_of: NaiveDate, days: u64) -> NaiveDate {
    as_of.checked_sub_days(Days::new(days)).unwrap_or(as_of)
}

fn ds(d: NaiveDate) -> String {
    d.to_string()
}

/// Fills an empty workspace with the demo company, dated relative to `as_of` (normally today).
pub fn create(tx: &Transaction<'_>, now: DateTime<Utc>, as_of: NaiveDate) -> Result<String> {
    use crate::{
        access_reviews, changes, controls, incidents, leavers, people, policies, profile, retention, risk_assessments,
        risks, systems, tabletop, training, vendors,
    };
    if !is_empty(tx)? {
        return Err(Error::new(
            ErrorCode::Conflict,
            "The demo company goes into an empty workspace; this one already has records. Open a new file for the demo.",
        ));
    }
    let window_start = as_of.checked_sub_months(Months::new(9)).unwrap_or(as_of);
    profile::save(
        tx,
        now,
        &profile::ProfileInput {
            name: "Northwind Analytics (demo)".into(),
            system_description: "Northwind's web analytics platform, its cloud infrastructure and the tools used to build and support it.".into(),
            categories: profile::OptionalCategories { availability: true, confidentiality: true, ..Default::default() },
            audit_type: profile::AuditType::Type2,
            window_start: ds(window_start),
            window_end: ds(window_start.checked_add_months(Months::new(12)).and_then(|d| d.pred_opt()).unwrap_or(as_of)),
            auditor: "Example Assurance LLP".into(),
            target_report_date: ds(as_of.checked_add_months(Months::new(5)).unwrap_or(as_of)),
        },
    )?;

    // People: 40, two of whom left recently and three new hires.
    let mut staff = Vec::new();
    for i in 0..40usize {
        let first = FIRST[i % FIRST.len()];
        let last = LAST[(i * 7 + i / 20) % LAST.len()];
        let name = format!("{first} {last}");
        let email = format!(
            "{}.{}{}@northwind.example",
            first.to_lowercase(),
            last.to_lowercase(),
            if i >= 20 { "2" } else { "" }
        );
        let start = match i {
            37 => ago(as_of, 3),
            38 => ago(as_of, 12),
            39 => ago(as_of, 20),
            _ => ago(as_of, 400 + (i as u64) * 37),
        };
        let end = match i {
            35 => ds(ago(as_of, 40)),
            36 => ds(ago(as_of, 10)),
            _ => String::new(),
        };
        let role = if i == 0 {
            "CTO"
        } else if i == 1 {
            "Head of Operations"
        } else if i == 2 {
            "CEO"
        } else {
            ROLES[i % ROLES.len()]
        };
        let p = people::create(
            tx,
            now,
            &people::PersonInput { name, email, role: role.into(), start_date: ds(start), end_date: end },
        )?;
        staff.push(p.id);
    }
    let (cto, ops, ceo) = (staff[0], staff[1], staff[2]);

    // Controls: the starter library; the first 60 implemented, with a year of activities.
    controls::install_starter(tx, now)?;
    let all = controls::list(tx, &controls::ControlQuery { limit: 1000, ..Default::default() })?.rows;
    for (n, c) in all.iter().enumerate() {
        let implemented = n < 60;
        let input = controls::ControlInput {
            reference: c.reference.clone(),
            title: c.title.clone(),
            description: c.description.clone(),
            owner_id: Some(staff[n % 5]),
            status: if implemented {
                controls::ControlStatus::Implemented
            } else if n < 75 {
                controls::ControlStatus::InProgress
            } else {
                controls::ControlStatus::NotStarted
            },
            na_justification: String::new(),
            cadence: c.cadence,
            criteria: c.criteria.clone(),
            sources: None,
        };
        controls::update(tx, now, c.id, &input)?;
        if !implemented {
            continue;
        }
        let step = match c.cadence {
            controls::Cadence::Monthly => 30,
            controls::Cadence::Quarterly => 91,
            _ => 300,
        };
        // Every ninth periodic control slipped: its last activity is too old.
        let offset = if n % 9 == 4 { step + 40 } else { 5 + (n as u64 % 20) };
        let mut day = ago(as_of, offset);
        let first = ago(as_of, 360);
        while day >= first {
            controls::add_activity(
                tx,
                now,
                c.id,
                &controls::ActivityInput {
                    performed_on: ds(day),
                    performed_by: Some(staff[n % 5]),
                    notes: "Performed as scheduled.".into(),
                },
            )?;
            if matches!(c.cadence, controls::Cadence::Continuous | controls::Cadence::PerEvent) {
                break;
            }
            day = ago(day, step);
        }
    }

    // Policies: the expected set; eleven approved, one approved 13 months ago (review overdue), one draft.
    policies::install_expected(tx, now)?;
    for (n, p) in policies::list(tx, false)?.into_iter().enumerate() {
        // One policy's yearly review falls due in two weeks (a warning to act on).
        let approved = match n {
            0 => Some(ago(as_of, 351)),
            _ => Some(ago(as_of, 30 + n as u64 * 20)),
        };
        if let Some(on) = approved {
            policies::approve(
                tx,
                now,
                p.id,
                &policies::ApproveInput { approved_on: ds(on), approver_id: Some(ceo), next_review_due: String::new() },
            )?;
        }
    }

    // Systems: twelve, one critical system without MFA (a gap to find and fix).
    let sys = [
        ("AWS production", "critical", true, true),
        ("Okta", "critical", true, true),
        ("GitHub", "critical", true, false),
        ("PostgreSQL (production)", "critical", true, true),
        ("Google Workspace", "high", true, true),
        ("Slack", "high", true, true),
        ("Zendesk", "high", true, true),
        ("Stripe dashboard", "high", true, true),
        ("HubSpot", "medium", true, true),
        ("Notion", "medium", true, true),
        ("Datadog", "high", true, true),
        ("Payroll (Gusto)", "medium", true, true),
    ];
    let customer = retention::create(
        tx,
        now,
        &retention::DataTypeInput {
            name: "Customer analytics data".into(),
            description: "Events and reports customers send to the platform.".into(),
            retention_unit: retention::RetentionUnit::AfterCustomer,
            retention_value: Some(30),
            legal_basis: "Contract with the customer".into(),
            disposal_method: "Scripted deletion of the customer's tenant".into(),
            disposal_cadence: crate::risks::ReviewCadence::Quarterly,
            system_ids: vec![],
        },
    )?;
    let logs = retention::create(
        tx,
        now,
        &retention::DataTypeInput {
            name: "Application logs".into(),
            description: String::new(),
            retention_unit: retention::RetentionUnit::Months,
            retention_value: Some(13),
            legal_basis: "Security monitoring".into(),
            disposal_method: "Automatic expiry in the log store".into(),
            disposal_cadence: crate::risks::ReviewCadence::Quarterly,
            system_ids: vec![],
        },
    )?;
    let backups = retention::create(
        tx,
        now,
        &retention::DataTypeInput {
            name: "Database backups".into(),
            description: String::new(),
            retention_unit: retention::RetentionUnit::Days,
            retention_value: Some(35),
            legal_basis: "Recovery".into(),
            disposal_method: "Lifecycle rule on the backup bucket".into(),
            disposal_cadence: crate::risks::ReviewCadence::Monthly,
            system_ids: vec![],
        },
    )?;
    let mut system_ids = Vec::new();
    for (n, (name, crit, rbac, mfa)) in sys.iter().enumerate() {
        let customer_data = n < 4 || n == 6;
        let s = systems::create(
            tx,
            now,
            &systems::SystemInput {
                name: (*name).into(),
                description: String::new(),
                owner_id: Some(if n % 2 == 0 { cto } else { ops }),
                criticality: crate::refs::Criticality::parse(crit).unwrap_or(crate::refs::Criticality::Medium),
                in_scope: true,
                holds_customer_data: customer_data,
                data_type_ids: if n == 0 || n == 3 {
                    vec![customer.id, backups.id]
                } else if n == 10 {
                    vec![logs.id]
                } else if customer_data {
                    vec![customer.id]
                } else {
                    vec![]
                },
                mfa_enforced: *mfa,
                role_based_access: *rbac,
                shared_accounts: false,
                shared_accounts_reason: String::new(),
                encryption_at_rest: true,
                tls_in_transit: true,
                tls_min_version: "1.2".into(),
                logs_forwarded: true,
                alerting: true,
                certificates: if n == 0 {
                    vec![systems::Certificate {
                        name: "app.northwind.example".into(),
                        expires_on: ds(as_of.checked_add_days(Days::new(24)).unwrap_or(as_of)),
                    }]
                } else {
                    vec![]
                },
            },
        )?;
        system_ids.push(s.id);
    }
    let dir = std::path::PathBuf::new();
    // Access reviews: quarterly on the critical systems, one quarter missed on GitHub.
    for (n, sid) in system_ids.iter().take(4).enumerate() {
        let mut day = ago(as_of, 20 + n as u64 * 3);
        let first = ago(as_of, 300);
        let mut q = 0;
        while day >= first {
            if !(n == 2 && q == 1) {
                access_reviews::create(
                    tx,
                    now,
                    &dir,
                    &access_reviews::AccessReviewInput {
                        system_id: Some(*sid),
                        reviewer_id: Some(ops),
                        performed_on: ds(day),
                        // The quarter before the review.
                        period_start: ds(ago(day, 91)),
                        period_end: ds(ago(day, 1)),
                        accounts_reviewed: Some(25 + q),
                        accounts_changed: Some(q % 3),
                        findings: if q % 3 == 1 {
                            "One former contractor's account removed.".into()
                        } else {
                            String::new()
                        },
                        changes: vec![],
                    },
                    None,
                )?;
            }
            day = ago(day, 91);
            q += 1;
        }
        systems::add_log_review(
            tx,
            now,
            &dir,
            *sid,
            &systems::LogReviewInput {
                performed_on: ds(ago(as_of, 5 + n as u64 * 5)),
                performed_by_id: Some(cto),
                notes: "Weekly review of alerts and unusual sign-ins.".into(),
            },
            None,
        )?;
    }
    retention::add_disposal(
        tx,
        now,
        &dir,
        logs.id,
        &retention::DisposalInput {
            performed_on: ds(ago(as_of, 20)),
            performed_by_id: Some(cto),
            what: "Logs older than 13 months expired (verified in the log store).".into(),
        },
        None,
    )?;
    retention::add_disposal(
        tx,
        now,
        &dir,
        customer.id,
        &retention::DisposalInput {
            performed_on: ds(ago(as_of, 60)),
            performed_by_id: Some(cto),
            what: "Two churned customers' tenants deleted.".into(),
        },
        None,
    )?;

    // Leavers: one removed on time everywhere; one with access still recorded on two systems.
    for (n, sid) in system_ids.iter().enumerate() {
        let on_time = ds(ago(as_of, 40));
        leavers::record(
            tx,
            now,
            &leavers::DeprovisionInput {
                person_id: staff[35],
                system_id: *sid,
                removed_on: if n % 3 == 0 { String::new() } else { on_time },
                no_access: n % 3 == 0,
            },
        )?;
        if n >= 2 {
            leavers::record(
                tx,
                now,
                &leavers::DeprovisionInput {
                    person_id: staff[36],
                    system_id: *sid,
                    removed_on: if n < 6 { ds(ago(as_of, 9)) } else { String::new() },
                    no_access: n >= 6,
                },
            )?;
        }
    }

    // Training: everyone trained in the last year except two, and one new hire past 7 days.
    let course = training::create_course(
        tx,
        now,
        &training::CourseInput {
            name: "Security awareness".into(),
            description: "Phishing, passwords and MFA, data handling, reporting incidents.".into(),
            validity_days: Some(365),
            required: true,
        },
    )?;
    let trained: Vec<i64> = staff
        .iter()
        .enumerate()
        .filter(|(n, _)| !matches!(n, 7 | 21 | 35 | 36 | 37 | 38 | 39))
        .map(|(_, id)| *id)
        .collect();
    let (a, b) = trained.split_at(trained.len() / 2);
    training::record_session(
        tx,
        now,
        &dir,
        &training::SessionInput {
            course_id: Some(course.id),
            completed_on: ds(ago(as_of, 200)),
            person_ids: a.to_vec(),
        },
        None,
    )?;
    training::record_session(
        tx,
        now,
        &dir,
        &training::SessionInput {
            course_id: Some(course.id),
            completed_on: ds(ago(as_of, 345)),
            person_ids: b.to_vec(),
        },
        None,
    )?;
    training::record_session(
        tx,
        now,
        &dir,
        &training::SessionInput {
            course_id: Some(course.id),
            completed_on: ds(ago(as_of, 2)),
            person_ids: vec![staff[37], staff[39]],
        },
        None,
    )?;

    // Risks: the starter library, mostly treated, one high risk still without an owner.
    let keys: Vec<String> = crate::starter::risks::STARTER_RISKS.iter().take(25).map(|r| r.key.to_owned()).collect();
    risks::add_starter(tx, now, &keys)?;
    let page = risks::list(tx, &risks::RiskQuery { limit: 1000, ..Default::default() }, as_of)?;
    for (n, r) in page.rows.iter().enumerate() {
        let (il, ii) = (r.inherent.likelihood, r.inherent.impact);
        let input = risks::RiskInput {
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
            last_reviewed_on: ds(ago(as_of, 45)),
            review_cadence: risks::ReviewCadence::Quarterly,
        };
        risks::update(tx, now, r.id, &input)?;
    }
    risk_assessments::create(
        tx,
        now,
        &risk_assessments::AssessmentInput {
            performed_on: ds(ago(as_of, 120)),
            performed_by_id: Some(ops),
            participants: "CEO, CTO, Head of Operations".into(),
            notes: "Yearly assessment; phishing and vendor risk remain the top concerns.".into(),
        },
    )?;

    // Vendors: twenty, most current; one critical vendor with a stale report.
    let vendor_list = [
        ("Amazon Web Services", "critical", "customer_data", 60, Some(200)),
        ("Okta", "critical", "personal_data", 90, Some(150)),
        ("GitHub", "critical", "internal_only", 100, Some(420)),
        ("Google Workspace", "high", "personal_data", 120, Some(160)),
        ("Stripe", "high", "personal_data", 80, Some(100)),
        ("Zendesk", "high", "customer_data", 300, Some(250)),
        ("Datadog", "high", "customer_data", 150, Some(90)),
        ("Slack", "high", "internal_only", 170, Some(210)),
        ("HubSpot", "medium", "personal_data", 400, None),
        ("Notion", "medium", "internal_only", 500, None),
        ("Gusto", "medium", "personal_data", 200, None),
        ("1Password", "high", "internal_only", 60, Some(120)),
        ("Cloudflare", "critical", "customer_data", 70, Some(110)),
        ("Sentry", "medium", "customer_data", 380, None),
        ("Figma", "low", "internal_only", 0, None),
        ("Zoom", "low", "internal_only", 0, None),
        ("Docusign", "medium", "personal_data", 600, None),
        ("Intercom", "medium", "personal_data", 250, None),
        ("Linear", "low", "internal_only", 0, None),
        ("Vanta-free spreadsheet consultant", "low", "no_data", 0, None),
    ];
    for (n, (name, crit, data, assessed_ago, report_ago)) in vendor_list.iter().enumerate() {
        let v = vendors::create(
            tx,
            now,
            &vendors::VendorInput {
                name: (*name).into(),
                service: String::new(),
                website: String::new(),
                criticality: vendors::Criticality::parse(crit).unwrap_or(vendors::Criticality::Low),
                data_access: vendors::DataAccess::parse(data).unwrap_or(vendors::DataAccess::NoData),
                systems: String::new(),
                owner_id: Some(staff[n % 3]),
                status: vendors::VendorStatus::Active,
                offboarded_on: String::new(),
                contract_start: ds(ago(as_of, 700)),
                contract_end: String::new(),
                security_clause: *crit != "low",
                breach_clause: *crit == "critical",
                breach_notice_hours: if *crit == "critical" { Some(72) } else { None },
                dpa_signed: *data != "internal_only" && *data != "no_data",
                last_assessed_on: if *assessed_ago > 0 { ds(ago(as_of, *assessed_ago)) } else { String::new() },
            },
        )?;
        if let Some(r) = report_ago {
            let end = ago(as_of, *r);
            vendors::save_report(
                tx,
                now,
                v.id,
                None,
                &vendors::Soc2ReportInput {
                    report_type: vendors::ReportType::Type2,
                    period_start: ds(end.checked_sub_months(Months::new(12)).and_then(|d| d.succ_opt()).unwrap_or(end)),
                    period_end: ds(end),
                    auditor: "A large audit firm".into(),
                    opinion: vendors::Opinion::Unqualified,
                    cuecs: if n == 1 {
                        vec![
                            vendors::CuecInput {
                                text: "Customers enforce MFA for their administrators.".into(),
                                control_id: all.iter().find(|c| c.reference == "AC-02").map(|c| c.id),
                            },
                            vendors::CuecInput {
                                text: "Customers review their user lists regularly.".into(),
                                control_id: None,
                            },
                        ]
                    } else {
                        vec![]
                    },
                    ..Default::default()
                },
            )?;
        }
    }

    // Changes: a month of merged pull requests, one emergency change approved late.
    for n in 0..18u64 {
        let day = ago(as_of, 2 + n * 2);
        changes::create(
            tx,
            now,
            &changes::ChangeInput {
                reference: format!("PR-{}", 480 + n),
                title: [
                    "Add rate limiting to the ingest API",
                    "Upgrade the database driver",
                    "Fix export timezone bug",
                    "Rotate service credentials",
                    "New dashboard widget",
                    "Tighten CSP headers",
                ][n as usize % 6]
                    .into(),
                description: String::new(),
                system_id: Some(system_ids[if n % 2 == 0 { 0 } else { 2 }]),
                author_id: Some(staff[3 + (n as usize % 5)]),
                approver_id: Some(staff[9 + (n as usize % 4)]),
                approved_at: format!("{} 09:00", ds(day)),
                tested: true,
                test_notes: "CI and staging".into(),
                deployed_at: format!("{} 15:00", ds(day)),
                rollback_plan: "Revert the release".into(),
                emergency: false,
            },
        )?;
    }
    let hot = ago(as_of, 15);
    changes::create(
        tx,
        now,
        &changes::ChangeInput {
            reference: "HOTFIX-12".into(),
            title: "Hotfix for failing logins".into(),
            description: String::new(),
            system_id: Some(system_ids[1]),
            author_id: Some(staff[4]),
            approver_id: Some(cto),
            approved_at: format!("{} 18:00", ds(hot.checked_add_days(Days::new(3)).unwrap_or(hot))),
            tested: true,
            test_notes: "Manual check".into(),
            deployed_at: format!("{} 23:10", ds(hot)),
            rollback_plan: "Redeploy the previous image".into(),
            emergency: true,
        },
    )?;

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
        },
    ];
    for d in &inc {
        let detected = ago(as_of, d.days);
        let closed_on = detected.checked_add_days(Days::new(d.close_after_days)).unwrap_or(detected);
        let i = incidents::create(
            tx,
            now,
            &incidents::IncidentInput {
                title: d.title.into(),
                summary: d.summary.into(),
                detected_at: format!("{} {}", ds(detected), d.detected),
                reported_by_id: Some(staff[(d.days as usize) % 30]),
                severity: incidents::Severity::parse(d.sev).unwrap_or(incidents::Severity::Sev3),
                status: if d.closed { incidents::IncidentStatus::Closed } else { incidents::IncidentStatus::Contained },
                contained_at: format!("{} {}", ds(detected), d.contained),
                closed_at: if d.closed { format!("{} 17:00", ds(closed_on)) } else { String::new() },
                root_cause: d.cause.into(),
                lessons_learned: d.lesson.into(),
                ..Default::default()
            },
        )?;
        incidents::add_timeline(
            tx,
            now,
            i.id,
            &incidents::TimelineInput {
                at: format!("{} {}", ds(detected), d.detected),
                what: "Reported to the security channel.".into(),
                who: String::new(),
            },
        )?;
        incidents::add_timeline(
            tx,
            now,
            i.id,
            &incidents::TimelineInput {
                at: format!("{} {}", ds(detected), d.contained),
                what: "Contained.".into(),
                who: "Incident lead".into(),
            },
        )?;
    }

    // Two past tabletop exercises; the latest left one action overdue.
    for (key, days) in [("ransomware", 420u64), ("bec-invoice-fraud", 200)] {
        let planned = ago(as_of, days);
        let e = tabletop::exercises::plan(
            tx,
            now,
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
        let start = planned.and_hms_opt(14, 0, 0).map(|d| d.and_utc()).unwrap_or(now);
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
                improvements: "Write down who decides on payments and ransom.".into(),
            },
        )?;
        tabletop::exercises::add_corrective_action(
            tx,
            start,
            id,
            &tabletop::exercises::CorrectiveActionInput {
                title: "Write a payment verification procedure".into(),
                description: String::new(),
                owner_id: Some(ceo),
                due_date: ds(as_of.checked_add_days(Days::new(if days > 300 { 20 } else { 45 })).unwrap_or(as_of)),
            },
        )?;
        tabletop::exercises::complete(tx, start + chrono::Duration::minutes(80), id)?;
    }
    backdate(tx, window_start.checked_sub_days(Days::new(60)).unwrap_or(window_start))?;
    Ok("Northwind Analytics (demo)".into())
}

/// The demo is written in one go, today; its story is a year long. So that a check "as of" a
/// past day sees the company as it stood then, its registers are dated from `base` (before the
/// observation window) and each dated record from the day it happened.
fn backdate(tx: &Transaction<'_>, base: NaiveDate) -> Result<()> {
    let at = format!("{base}T09:00:00Z");
    for table in [
        "people",
        "controls",
        "policies",
        "risks",
        "vendors",
        "systems",
        "data_types",
        "courses",
        "actions",
        "tabletop_scripts",
    ] {
        tx.execute(&format!("UPDATE {table} SET created_at = ?1 WHERE created_at > ?1"), [&at])?;
    }
    // Every change the demo made to its registers is part of its starting state.
    tx.execute("UPDATE history SET at = ?1 WHERE at > ?1", [&at])?;
    // Dated records become known on the day they happened.
    for (table, date) in [
        ("control_activities", "performed_on"),
        ("access_reviews", "performed_on"),
        ("log_reviews", "performed_on"),
        ("disposals", "performed_on"),
        ("vendor_assessments", "performed_on"),
        ("risk_assessments", "performed_on"),
        ("training_completions", "completed_on"),
        ("policy_approvals", "approved_on"),
        ("policy_acknowledgements", "acknowledged_on"),
        ("soc2_reports", "period_end"),
        ("evidence", "effective_date"),
        ("incidents", "detected_at"),
        ("changes", "coalesce(deployed_at, approved_at)"),
    ] {
        tx.execute(
            &format!("UPDATE {table} SET created_at = max(?1, substr({date}, 1, 10) || 'T17:00:00Z') WHERE {date} IS NOT NULL"),
            [&at],
        )?;
    }
    tx.execute(
        "UPDATE deprovisioning SET updated_at =
             max(?1, CASE WHEN removed_on IS NOT NULL THEN removed_on || 'T17:00:00Z' ELSE updated_at END)",
        [&at],
    )?;
    tx.execute("UPDATE exercises SET created_at = ?1 WHERE created_at > ?1", [&at])?;
    Ok(())
}
