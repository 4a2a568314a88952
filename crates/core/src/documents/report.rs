//! The readiness report (PDF) for leadership and the auditor, built from the same data the
//! dashboard uses: the verdicts come from `readiness::check_all`, never computed twice.

use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use crate::error::Result;
use crate::heatmap;
use crate::pdf::{or_dash, render, Block, Column, DocInfo, Matrix, MatrixCell, Paper, Tone};
use crate::readiness::{self, Verdict};
use crate::risks::{RatingView, RiskQuery, RiskSort};
use crate::store::list::MAX_PAGE;

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "Pass",
        Verdict::Warn => "Due soon",
        Verdict::Fail => "Fail",
        Verdict::NotApplicable => "Not applicable",
    }
}

fn heatmap_block(conn: &Connection, as_of: NaiveDate, view: RatingView, title: &str) -> Result<Block> {
    let map = heatmap::on_day(conn, as_of, view)?;
    let cells = map
        .rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|c| MatrixCell {
                    text: if c.risks.is_empty() { String::new() } else { c.risks.len().to_string() },
                    fill: c.band.rgb(),
                })
                .collect()
        })
        .collect();
    Ok(Block::Matrix(Matrix {
        title: title.into(),
        row_labels: map
            .rows
            .iter()
            .map(|r| r.first().map(|c| crate::scoring::likelihood_label(c.likelihood).to_owned()).unwrap_or_default())
            .collect(),
        col_labels: crate::scoring::IMPACT_LABELS.iter().map(|s| s.to_string()).collect(),
        cells,
        x_axis: "Impact".into(),
        y_axis: "Likelihood".into(),
    }))
}

/// Each criterion the coverage check found wanting, and how: "Not covered" or "A period was
/// missed" (the first finding of a criterion says).
fn criteria_status(r: &readiness::Readiness) -> std::collections::HashMap<String, &'static str> {
    let mut status = std::collections::HashMap::new();
    for f in r.checks.iter().filter(|c| c.key == "coverage").flat_map(|c| &c.findings) {
        let text = if f.problem.contains("no implemented control") { "Not covered" } else { "A period was missed" };
        status.entry(f.record.reference.clone()).or_insert(text);
    }
    status
}

/// The training section's line: the check's verdict, why, and how many findings it has.
fn training_text(r: &readiness::Readiness) -> String {
    match r.checks.iter().find(|c| c.key == "training") {
        Some(c) => format!(
            "{}: {}{}",
            verdict_text(c.verdict),
            c.reason,
            match c.findings.len() {
                0 => String::new(),
                n => format!(" ({n} finding{} in all, listed above)", if n == 1 { "" } else { "s" }),
            }
        ),
        None => String::new(),
    }
}

/// Renders the readiness report on `as_of`.
pub fn readiness_report(conn: &Connection, as_of: NaiveDate, paper: Paper) -> Result<Vec<u8>> {
    let profile = crate::profile::get(conn)?;
    let org = profile.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "Our organisation".into());
    let r = readiness::check_all(conn, as_of)?;
    let milestones = profile.as_ref().map(|p| crate::overview::milestones(p, as_of)).unwrap_or_default();
    let groups = crate::overview::group_findings(&r.checks);
    let tone = match (r.fail, r.warn) {
        (0, 0) => Tone::Good,
        (0, _) => Tone::Warning,
        _ => Tone::Bad,
    };
    let mut conclusion = Vec::new();
    if let Some(first) = groups.iter().find(|g| g.failing) {
        conclusion.push(format!("First: {}.", crate::overview::first_step(first)));
    }
    let dates: Vec<String> = milestones.iter().map(|m| format!("{} ({})", m.text, m.date)).collect();
    if !dates.is_empty() {
        conclusion.push(format!("{}.", dates.join("; ")));
    }
    let mut b = vec![
        Block::Title(format!("SOC 2 readiness report: {org}")),
        Block::Subtitle(format!("As of {as_of}")),
        Block::Callout { tone, title: crate::overview::headline(&r, &[]), text: conclusion.join(" ") },
        Block::KeyValues(vec![
            ("Audit".into(), super::audit_text(profile.as_ref())),
            (
                "Auditor".into(),
                profile.as_ref().map(|p| p.auditor.clone()).filter(|a| !a.is_empty()).unwrap_or_else(|| "—".into()),
            ),
            ("Categories in scope".into(), super::categories_text(profile.as_ref())),
            (
                "Overall".into(),
                format!(
                    "{} checks pass, {} due soon, {} fail, {} not applicable",
                    r.pass, r.warn, r.fail, r.not_applicable
                ),
            ),
        ]),
    ];
    if let Some(description) = profile.as_ref().map(|p| p.system_description.trim()).filter(|d| !d.is_empty()) {
        b.push(Block::Heading("The system in scope".into()));
        b.push(Block::Paragraph(description.to_owned()));
    }
    b.push(Block::Heading("Executive summary".into()));
    b.push(Block::Paragraph("Each of the fourteen readiness checks passes or fails on its own; there is no blended score. A check is due soon when something it needs falls due within the warning window; a passing check shows the first day it would fail if nothing more is done.".into()));
    b.push(Block::table_with_chips(
        &["#", "Check", "Verdict", "Why", "Would fail on"],
        &[0.4, 2.0, 1.0, 3.6, 1.1],
        &[2],
        r.checks
            .iter()
            .map(|c| {
                let fails_on = match (c.verdict, &c.forecast) {
                    (Verdict::Pass | Verdict::Warn, Some(f)) => f.fails_on.to_string(),
                    _ => "—".into(),
                };
                vec![c.id.to_string(), c.title.clone(), verdict_text(c.verdict).into(), c.reason.clone(), fails_on]
            })
            .collect(),
    ));
    b.push(Block::Heading("What is missing".into()));
    b.push(Block::Paragraph(
        "One line per check and fix, most serious first: what fails now (longest failing first), then what falls due (soonest first). Each line lists every record concerned.".into(),
    ));
    let missing = groups
        .iter()
        .map(|g| {
            let when = match (g.failing, g.since, g.due) {
                (true, Some(d), _) => format!("since {d}"),
                (_, _, Some(d)) => format!("by {d}"),
                _ => "—".into(),
            };
            let records: Vec<String> = g.findings.iter().map(|f| crate::overview::record_name(&f.record)).collect();
            let problem = match g.findings.as_slice() {
                [one] => one.problem.clone(),
                many => format!("{} records. {}", many.len(), many[0].problem),
            };
            vec![
                if g.failing { "Fail" } else { "Due soon" }.into(),
                g.check_title.clone(),
                records.join("; "),
                if g.owners.is_empty() { "—".into() } else { g.owners.join(", ") },
                problem,
                when,
                g.fix.clone(),
            ]
        })
        .collect();
    b.push(Block::Table {
        columns: vec![
            Column { chips: true, ..Column::new("State", 1.0) },
            Column::new("Check", 1.3),
            Column::new("Records", 1.5),
            Column::new("Owner", 1.1),
            Column::new("Problem", 2.3),
            Column::new("When", 1.2),
            Column::new("What to do", 2.0),
        ],
        rows: missing,
    });
    if groups.is_empty() {
        b.pop();
        b.push(Block::Paragraph("Nothing: every applicable check passes.".into()));
    }
    // What the later sections need of the checks, taken now: the checks' findings and their
    // groups (tens of MiB in a large workspace) are freed before the exceptions and the
    // control register are computed, which then reuse that memory.
    let coverage_status = criteria_status(&r);
    let training_text = training_text(&r);
    drop(groups);
    drop(r);
    exceptions_section(conn, as_of, &mut b)?;
    control_register_section(conn, as_of, &mut b)?;
    // Criteria coverage from the coverage check's data.
    b.push(Block::Heading("Criteria coverage".into()));
    let controls_by_criterion = conn
        .prepare(
            "SELECT cc.criterion_id, group_concat(c.reference, ', ') FROM control_criteria cc JOIN controls c ON c.id = cc.control_id
             WHERE c.archived_at IS NULL AND c.status = 'implemented' GROUP BY cc.criterion_id",
        )?
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<std::collections::HashMap<_, _>>>()?;
    let criteria = crate::criteria::list(conn)?;
    let rows = criteria
        .iter()
        .filter(|k| k.in_scope)
        .map(|k| {
            let status = coverage_status.get(&k.id).copied().unwrap_or("Covered");
            vec![k.id.clone(), k.title.clone(), or_dash(controls_by_criterion.get(&k.id)), status.into()]
        })
        .collect();
    b.push(Block::table(&["Criterion", "Title", "Implemented controls", "Status"], &[0.8, 2.4, 2.2, 1.6], rows));
    b.push(Block::PageBreak);
    b.push(Block::Heading("Risks".into()));
    b.push(heatmap_block(conn, as_of, RatingView::Inherent, "Inherent risk")?);
    b.push(heatmap_block(conn, as_of, RatingView::Residual, "Residual risk")?);
    let top = crate::risks::list(
        conn,
        &RiskQuery { sort: RiskSort::Residual, descending: true, limit: 10, ..Default::default() },
        as_of,
    )?;
    if !top.rows.is_empty() {
        b.push(Block::Subheading("Top risks (by residual score)".into()));
        let rows = top
            .rows
            .iter()
            .map(|x| {
                vec![
                    x.reference.clone(),
                    x.title.clone(),
                    or_dash(x.owner.as_ref().map(|o| &o.name)),
                    format!("{} {}", x.inherent.score, x.inherent.band.label()),
                    or_dash(x.residual.map(|r| format!("{} {}", r.score, r.band.label()))),
                    x.treatment.map_or("To decide", |t| t.label()).into(),
                ]
            })
            .collect();
        let headers = ["Ref", "Risk", "Owner", "Inherent", "Residual", "Treatment"];
        b.push(Block::table(&headers, &[0.8, 2.6, 1.2, 0.9, 0.9, 1.0], rows));
    }
    b.push(Block::Heading("Vendors".into()));
    // Every vendor: a report never cuts a table.
    let vendors = crate::vendors::every(
        conn,
        &crate::vendors::VendorQuery { sort: crate::vendors::VendorSort::Criticality, ..Default::default() },
        as_of,
    )?;
    let rows = vendors
        .iter()
        .map(|v| {
            let (criticality, report) = (v.criticality.label().into(), v.report_status.label().into());
            vec![v.name.clone(), criticality, or_dash(v.next_assessment_due), report, or_dash(v.coverage_until)]
        })
        .collect();
    let headers = ["Vendor", "Criticality", "Next assessment", "SOC 2 report", "Covered until"];
    b.push(Block::table_or("No vendors recorded.", &headers, &[1.6, 0.9, 1.1, 1.0, 1.0], rows));
    vendor_reports_section(conn, as_of, &mut b)?;
    let since = profile
        .as_ref()
        .and_then(|p| p.window_start)
        .unwrap_or_else(|| as_of.checked_sub_days(Days::new(365)).unwrap_or(NaiveDate::MIN));
    b.push(Block::Heading(format!("Incidents since {since}")));
    let incidents = crate::incidents::list(
        conn,
        &crate::incidents::IncidentQuery { since: since.to_string(), ..Default::default() },
        as_of.and_hms_opt(23, 59, 59).unwrap_or_default(),
    )?;
    let rows = incidents
        .iter()
        .map(|i| {
            let (severity, status) = (i.severity.label().into(), i.status.label().into());
            vec![i.reference.clone(), i.title.clone(), severity, status, i.detected_at.clone(), notifications(i, as_of)]
        })
        .collect();
    let headers = ["Ref", "Incident", "Severity", "Status", "Detected", "Notifications"];
    b.push(Block::table_or("No incidents recorded in the period.", &headers, &[0.8, 2.2, 0.7, 0.9, 1.1, 1.8], rows));
    exercises_section(conn, as_of, &mut b)?;
    policies_section(conn, as_of, &mut b)?;
    b.push(Block::Heading("Training".into()));
    b.push(Block::Paragraph(training_text));
    access_reviews_section(conn, as_of, profile.as_ref(), &mut b)?;
    b.push(Block::Heading("Open remediation actions".into()));
    let query = crate::actions::ActionQuery { open_only: true, ..Default::default() };
    let actions = every_page(|offset| {
        crate::actions::list(conn, &crate::actions::ActionQuery { offset, limit: MAX_PAGE, ..query.clone() }, as_of)
    })?;
    let rows = actions
        .iter()
        .map(|a| {
            let due = a.due_date.map(|d| if a.overdue { format!("{d} (overdue)") } else { d.to_string() });
            let (owner, source) = (a.owner.as_ref().map(|o| &o.name), a.source.as_ref().map(|s| &s.label));
            vec![a.reference.clone(), a.title.clone(), or_dash(owner), or_dash(due), or_dash(source)]
        })
        .collect();
    let headers = ["Ref", "Action", "Owner", "Due", "Source"];
    b.push(Block::table_or("None open.", &headers, &[0.8, 2.8, 1.2, 0.9, 1.6], rows));
    b.push(Block::Heading("Sign-off".into()));
    b.push(Block::Paragraph(
        "Prepared from the workspace's records as of the date above. Reviewed by management before it is shared."
            .into(),
    ));
    b.push(Block::KeyValues(vec![
        ("Prepared by".into(), "Name, role, date: ______________________________".into()),
        ("Reviewed by".into(), "Name, role, date: ______________________________".into()),
    ]));
    b.push(Block::PageBreak);
    b.push(Block::Heading("Appendix: criteria in scope".into()));
    let rows = criteria.iter().filter(|k| k.in_scope).map(|k| vec![k.id.clone(), k.title.clone(), k.summary.clone()]);
    b.push(Block::table(&["Criterion", "Title", "What it asks"], &[0.8, 2.0, 4.0], rows.collect()));
    let info = DocInfo {
        title: format!("SOC 2 readiness report: {org}"),
        author: org.clone(),
        subject: format!("Readiness as of {as_of}"),
        date: as_of,
    };
    render(&info, paper, &format!("Confidential · {org} · readiness as of {as_of}"), &b)
}

/// The exceptions of the observation window, with management's responses: what an auditor
/// will list, said first by the company.
fn exceptions_section(conn: &Connection, as_of: NaiveDate, b: &mut Vec<Block>) -> Result<()> {
    let list = readiness::exceptions::list(conn, as_of)?;
    b.push(Block::Heading("Exceptions and management responses".into()));
    if list.is_empty() {
        b.push(Block::Paragraph(
            "No exceptions: every period of the observation window so far is met (exceptions apply to a Type II window).".into(),
        ));
        return Ok(());
    }
    let answered = list.iter().filter(|e| e.response.is_some()).count();
    b.push(Block::Paragraph(format!(
        "{} exceptions (missed periods and failed events in the window); {answered} have a management response.",
        list.len()
    )));
    let rows = list
        .iter()
        .map(|e| {
            let response = match &e.response {
                Some(r) if r.remediation.is_empty() => r.management_response.clone(),
                Some(r) => format!("{} Remediation: {}", r.management_response, r.remediation),
                None => "No response recorded yet.".into(),
            };
            let record = format!("{} {}", e.record.reference, e.record.title).trim().to_owned();
            vec![e.period.text(), e.check_title.clone(), record, e.problem.clone(), response]
        })
        .collect();
    let headers = ["Period", "Check", "Record", "What happened", "Response"];
    b.push(Block::table(&headers, &[1.5, 1.2, 1.2, 2.6, 2.4], rows));
    Ok(())
}

/// The control register as it stood on the day: each control's owner, status and cadence
/// then, its last occurrence by then, and how many of its periods so far were met.
fn control_register_section(conn: &Connection, as_of: NaiveDate, b: &mut Vec<Block>) -> Result<()> {
    use crate::controls::ControlStatus;
    use crate::refs::Cadence;
    let past = crate::past::Past::new(as_of);
    let controls = past.records_with(
        conn,
        crate::refs::Register::Controls,
        ["owner", "status", "cadence"],
        (
            "SELECT c.id, c.archived_at IS NOT NULL, p.name, c.status, c.cadence, c.reference, c.title
             FROM controls c LEFT JOIN people p ON p.id = c.owner_id WHERE c.created_at <= ?1 ORDER BY c.reference",
            [past.end()],
        ),
        |r| Ok((r.get::<_, String>(5)?, r.get::<_, String>(6)?)),
    )?;
    let timelines: std::collections::HashMap<i64, readiness::controls::ControlTimeline> =
        readiness::controls::timelines(conn, as_of)?
            .into_iter()
            .filter_map(|t| t.control.id.map(|id| (id, t)))
            .collect();
    b.push(Block::Heading("Control register".into()));
    b.push(Block::Paragraph(
        "Every control as it stood on the report date: who owned it, its status and how often it runs, its last occurrence by then, and its periods met so far (an implemented control only).".into(),
    ));
    let rows = controls
        .into_iter()
        .map(|(id, [owner, status, cadence], (reference, title))| {
            let status = status.as_deref().and_then(ControlStatus::parse).map_or("—", |s| s.label());
            let cadence = cadence.as_deref().and_then(Cadence::parse).map_or("—", |c| c.label());
            let t = timelines.get(&id);
            let last = t
                .and_then(|t| {
                    t.periods.iter().flat_map(|p| &p.occurrences).filter(|o| o.on <= as_of).map(|o| o.on).max()
                })
                .map(|d| d.to_string());
            let periods = t.filter(|t| t.implemented).map(|t| {
                let judged: Vec<_> = t
                    .periods
                    .iter()
                    .filter(|p| p.state == readiness::PeriodState::Met || p.state == readiness::PeriodState::Missed)
                    .collect();
                let met = judged.iter().filter(|p| p.state == readiness::PeriodState::Met).count();
                format!("{met} of {}", judged.len())
            });
            vec![reference, title, or_dash(owner), status.into(), cadence.into(), or_dash(last), or_dash(periods)]
        })
        .collect();
    let headers = ["Ref", "Control", "Owner", "Status", "Cadence", "Last occurrence", "Periods met"];
    b.push(Block::table_or("No controls recorded.", &headers, &[0.8, 2.4, 1.2, 1.1, 0.9, 1.1, 0.8], rows));
    Ok(())
}

/// A vendor's report as read: vendor, type, period start and end, opinion, subservice
/// organisations (`name=method; …`), user entity controls and how many are covered.
type ReportRow = (String, String, Option<String>, String, String, Option<String>, i64, i64);

/// Each vendor's latest SOC 2 report on file on the day: its kind and period, the auditor's
/// opinion, the subservice organisations it carves out or includes, and the user entity
/// controls it expects of us with how many a control of ours covers.
fn vendor_reports_section(conn: &Connection, as_of: NaiveDate, b: &mut Vec<Block>) -> Result<()> {
    use crate::vendors::{Opinion, ReportType, SubserviceMethod};
    let day_end = crate::past::Past::new(as_of);
    let rows: Vec<ReportRow> = crate::store::tuples(
        conn,
        "SELECT v.name, r.report_type, r.period_start, r.period_end, r.opinion,
                (SELECT group_concat(x.name || '=' || x.method, '; ')
                   FROM (SELECT name, method FROM soc2_subservices WHERE report_id = r.id ORDER BY position) x),
                (SELECT count(*) FROM soc2_cuecs WHERE report_id = r.id),
                (SELECT count(*) FROM soc2_cuecs WHERE report_id = r.id AND control_id IS NOT NULL)
         FROM soc2_reports r JOIN vendors v ON v.id = r.vendor_id
         WHERE r.created_at <= ?1 AND r.period_end <= ?2 AND v.created_at <= ?1
           AND r.id = (SELECT r2.id FROM soc2_reports r2 WHERE r2.vendor_id = r.vendor_id AND r2.created_at <= ?1
                       AND r2.period_end <= ?2 ORDER BY r2.period_end DESC, r2.id DESC LIMIT 1)
         ORDER BY v.name COLLATE NOCASE",
        rusqlite::params![day_end.end(), as_of.to_string()],
    )?;
    b.push(Block::Subheading("Vendors' SOC 2 reports".into()));
    let rows = rows
        .into_iter()
        .map(|(vendor, kind, start, end, opinion, subservices, cuecs, linked)| {
            let kind = ReportType::parse(&kind).map_or("—", |k| k.label());
            let period = match start {
                Some(start) => format!("{start} to {end}"),
                None => format!("as of {end}"),
            };
            let opinion = Opinion::parse(&opinion).map_or("—", |o| o.label());
            let subservices = subservices
                .unwrap_or_default()
                .split("; ")
                .filter(|s| !s.is_empty())
                .map(|s| match s.rsplit_once('=') {
                    Some((name, m)) => format!("{name} ({})", SubserviceMethod::parse(m).map_or(m, |m| m.label())),
                    None => s.to_owned(),
                })
                .collect::<Vec<_>>()
                .join("; ");
            let cuecs =
                if cuecs == 0 { "None".to_owned() } else { format!("{cuecs}, {linked} covered by our controls") };
            vec![
                vendor,
                kind.into(),
                period,
                opinion.into(),
                or_dash(Some(subservices).filter(|s| !s.is_empty())),
                cuecs,
            ]
        })
        .collect();
    let headers = ["Vendor", "Report", "Period", "Opinion", "Subservice organisations", "User entity controls"];
    b.push(Block::table_or("No SOC 2 report on file.", &headers, &[1.3, 0.7, 1.4, 0.9, 1.7, 1.3], rows));
    Ok(())
}

/// Who had to be told of an incident and whether they were, on the report date: "Customers:
/// told 2026-11-25 (due 2026-11-26)", "Regulator: due 2026-12-02, not yet", or "None required".
fn notifications(i: &crate::incidents::Incident, as_of: NaiveDate) -> String {
    let day = as_of.to_string();
    let parts: Vec<String> = [("Customers", &i.customers), ("Regulator", &i.regulator), ("Insurer", &i.insurer)]
        .into_iter()
        .filter(|(_, n)| n.required)
        .map(|(who, n)| {
            let due = n.deadline.as_deref().map(|d| d.get(..10).unwrap_or(d).to_owned());
            match (n.done_at.as_deref().filter(|d| d.get(..10).unwrap_or(d) <= day.as_str()), due) {
                (Some(done), Some(due)) => format!("{who}: told {} (due {due})", done.get(..10).unwrap_or(done)),
                (Some(done), None) => format!("{who}: told {}", done.get(..10).unwrap_or(done)),
                (None, Some(due)) if due.as_str() < day.as_str() => format!("{who}: overdue since {due}"),
                (None, Some(due)) => format!("{who}: due {due}, not yet"),
                (None, None) => format!("{who}: not yet"),
            }
        })
        .collect();
    if parts.is_empty() {
        "None required".into()
    } else {
        parts.join("; ")
    }
}

/// The exercises known on the day: held (and when), running, or planned.
fn exercises_section(conn: &Connection, as_of: NaiveDate, b: &mut Vec<Block>) -> Result<()> {
    let end = crate::past::Past::new(as_of);
    b.push(Block::Heading("Tabletop exercises".into()));
    let rows = conn
        .prepare(
            "SELECT reference, title, planned_on, held_on, completed_at,
                    (SELECT count(*) FROM exercise_participants p WHERE p.exercise_id = x.id AND p.attended = 1)
             FROM exercises x WHERE x.created_at <= ?1 AND x.archived_at IS NULL ORDER BY coalesce(held_on, planned_on)",
        )?
        .query_map([end.end()], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, u32>(5)?,
            ))
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let rows: Vec<Vec<String>> = rows
        .into_iter()
        .map(|(reference, title, planned, held, completed, attended)| {
            let held = held.filter(|h| h.as_str() <= as_of.to_string().as_str());
            let (date, status) = match (&held, completed.as_deref().is_some_and(|c| end.knew(c))) {
                (Some(h), true) => (h.clone(), "Held"),
                (Some(h), false) => (h.clone(), "Under way"),
                (None, _) => (planned, "Planned"),
            };
            vec![reference, title, date, status.into(), if held.is_some() { attended.to_string() } else { "—".into() }]
        })
        .collect();
    let headers = ["Ref", "Exercise", "Date", "Status", "Attended"];
    b.push(Block::table_or("No tabletop exercise recorded.", &headers, &[0.7, 2.6, 1.0, 0.9, 0.8], rows));
    Ok(())
}

/// The policies in use on the day, with the approval in force then and the review it is due.
fn policies_section(conn: &Connection, as_of: NaiveDate, b: &mut Vec<Block>) -> Result<()> {
    let interval = crate::settings::check_settings(conn)?.policy_review_days;
    b.push(Block::Heading("Policies".into()));
    let mut table = Vec::new();
    for p in readiness::policies_then(conn, &crate::past::Past::new(as_of), None)? {
        let (approved, review) = match &p.approval {
            Some((version, on)) => {
                let review =
                    on.checked_add_days(Days::new(u64::from(interval))).map(|d| d.to_string()).unwrap_or_default();
                (format!("{on} (v{version})"), review)
            }
            None => ("—".into(), "—".into()),
        };
        table.push(vec![p.title, p.status.label().into(), approved, review]);
    }
    let headers = ["Policy", "Status", "Approved", "Review due"];
    b.push(Block::table_or("No policies recorded.", &headers, &[2.4, 1.0, 1.3, 1.0], table));
    Ok(())
}

/// Access reviews of the window, by the window's own quarters (as the check counts them), with
/// whether each had evidence.
fn access_reviews_section(
    conn: &Connection,
    as_of: NaiveDate,
    profile: Option<&crate::profile::Profile>,
    b: &mut Vec<Block>,
) -> Result<()> {
    use readiness::occurrences::{of_source, OccurrenceSource};
    let past = crate::past::Past::new(as_of);
    let (heading, periods) = match readiness::type2_window(profile) {
        Some(w) => ("Access reviews by quarter of the window".to_owned(), readiness::periods::window_periods(w, 3)),
        None => {
            let p = readiness::periods::trailing_period(as_of, 3);
            ("Access reviews in the last three months".to_owned(), vec![p])
        }
    };
    b.push(Block::Heading(heading));
    let reviews = of_source(conn, &past, OccurrenceSource::AccessReviews)?;
    let mut rows = Vec::new();
    for p in periods.iter().filter(|p| p.start <= as_of) {
        // A past quarter without a single review is shown as the gap it is; the quarter under
        // way is not a gap yet, and says by when its review is due.
        if !reviews.iter().any(|o| p.contains(o.on)) {
            let gap = match as_of <= p.end {
                true => format!("None yet: due by {}", p.end),
                false => "No access review recorded".into(),
            };
            rows.push(vec![p.text(), gap, "—".into(), "—".into()]);
        }
        for o in reviews.iter().filter(|o| p.contains(o.on)) {
            rows.push(vec![
                p.text(),
                o.what.trim_start_matches("Access review of ").to_owned(),
                o.on.to_string(),
                if o.evidence > 0 { "Yes".into() } else { "None".into() },
            ]);
        }
    }
    let headers = ["Quarter", "System", "Performed on", "Evidence"];
    b.push(Block::table_or("No access reviews recorded in the period.", &headers, &[1.6, 2.0, 1.0, 0.8], rows));
    Ok(())
}

/// Every row of a paged list, page after page: a report never cuts a table.
fn every_page<T>(mut page: impl FnMut(u32) -> Result<crate::store::list::Page<T>>) -> Result<Vec<T>> {
    let mut rows = Vec::new();
    loop {
        let next = page(u32::try_from(rows.len()).unwrap_or(u32::MAX))?;
        let (got, total) = (next.rows.len(), next.total as usize);
        rows.extend(next.rows);
        if got == 0 || rows.len() >= total {
            return Ok(rows);
        }
    }
}
