//! The readiness report (PDF) for leadership and the auditor, built from the same data the
//! dashboard uses: the verdicts come from `readiness::check_all`, never computed twice.

use chrono::{Days, NaiveDate};
use rusqlite::Connection;

use crate::error::Result;
use crate::heatmap::{self, HeatmapQuery};
use crate::pdf::{render, Block, Column, DocInfo, Matrix, MatrixCell, Paper};
use crate::readiness::{self, Verdict};
use crate::risks::{RatingView, RiskQuery, RiskSort};

fn col(header: &str, width: f32) -> Column {
    Column { header: header.into(), width }
}

fn verdict_text(v: Verdict) -> &'static str {
    match v {
        Verdict::Pass => "Pass",
        Verdict::Warn => "Due soon",
        Verdict::Fail => "Fail",
        Verdict::NotApplicable => "Not applicable",
    }
}

fn heatmap_block(conn: &Connection, view: RatingView, title: &str) -> Result<Block> {
    let map = heatmap::live(conn, &HeatmapQuery { view, ..Default::default() })?;
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

/// Renders the readiness report on `as_of`.
pub fn readiness_report(conn: &Connection, as_of: NaiveDate, paper: Paper) -> Result<Vec<u8>> {
    let profile = crate::profile::get(conn)?;
    let org = profile.as_ref().map(|p| p.name.clone()).unwrap_or_else(|| "Our organisation".into());
    let r = readiness::check_all(conn, as_of)?;
    let mut b = vec![
        Block::Title(format!("SOC 2 readiness report: {org}")),
        Block::Subtitle(format!("As of {as_of}")),
        Block::KeyValues(vec![
            ("Audit".into(), match &profile {
                Some(p) => match (p.audit_type, p.window_start, p.window_end) {
                    (crate::profile::AuditType::Type2, Some(a), Some(z)) => format!("SOC 2 Type II, observation window {a} to {z}"),
                    (crate::profile::AuditType::Type2, _, _) => "SOC 2 Type II".into(),
                    _ => "SOC 2 Type I".into(),
                },
                None => "Not set up".into(),
            }),
            ("Auditor".into(), profile.as_ref().map(|p| p.auditor.clone()).filter(|a| !a.is_empty()).unwrap_or_else(|| "—".into())),
            (
                "Categories in scope".into(),
                profile
                    .as_ref()
                    .map(|p| p.categories.in_scope().iter().map(|c| c.label()).collect::<Vec<_>>().join(", "))
                    .unwrap_or_else(|| "Security".into()),
            ),
            ("Overall".into(), format!("{} checks pass, {} due soon, {} fail, {} not applicable", r.pass, r.warn, r.fail, r.not_applicable)),
        ]),
        Block::Heading("Executive summary".into()),
        Block::Paragraph("Each of the fourteen readiness checks passes or fails on its own; there is no blended score. A check is 'due soon' when something it needs falls due within the warning window.".into()),
        Block::Table {
            columns: vec![col("#", 0.4), col("Check", 2.2), col("Verdict", 1.0), col("Why", 4.0)],
            rows: r.checks.iter().map(|c| vec![c.id.to_string(), c.title.clone(), verdict_text(c.verdict).into(), c.reason.clone()]).collect(),
        },
        Block::Heading("What is missing".into()),
    ];
    let mut missing = Vec::new();
    for failing in [true, false] {
        for c in &r.checks {
            for f in c.findings.iter().filter(|f| f.failing == failing) {
                let when =
                    f.since.map(|d| format!("since {d}")).or(f.until.map(|d| format!("by {d}"))).unwrap_or_default();
                missing.push(vec![
                    if failing { "Fail" } else { "Due soon" }.into(),
                    c.title.clone(),
                    format!("{} {}", f.record.reference, f.record.title).trim().to_owned(),
                    f.owner.clone().unwrap_or_else(|| "—".into()),
                    f.problem.clone(),
                    when,
                    f.fix.clone(),
                ]);
            }
        }
    }
    if missing.is_empty() {
        b.push(Block::Paragraph("Nothing: every applicable check passes.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![
                col("Severity", 1.05),
                col("Check", 1.3),
                col("Record", 1.3),
                col("Owner", 1.1),
                col("Problem", 2.4),
                col("When", 1.25),
                col("What to do", 2.0),
            ],
            rows: missing,
        });
    }
    // Criteria coverage from the coverage check's data.
    b.push(Block::Heading("Criteria coverage".into()));
    let controls_by_criterion = conn
        .prepare(
            "SELECT cc.criterion_id, group_concat(c.reference, ', ') FROM control_criteria cc JOIN controls c ON c.id = cc.control_id
             WHERE c.archived_at IS NULL AND c.status = 'implemented' GROUP BY cc.criterion_id",
        )?
        .query_map([], |row| Ok((row.get::<_, String>(0)?, row.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<std::collections::HashMap<_, _>>>()?;
    let coverage = r.checks.iter().find(|c| c.key == "coverage");
    let criteria = crate::criteria::list(conn)?;
    b.push(Block::Table {
        columns: vec![col("Criterion", 0.8), col("Title", 2.4), col("Implemented controls", 2.2), col("Status", 1.6)],
        rows: criteria
            .iter()
            .filter(|k| k.in_scope)
            .map(|k| {
                let finding = coverage.and_then(|c| c.findings.iter().find(|f| f.record.reference == k.id));
                vec![
                    k.id.clone(),
                    k.title.clone(),
                    controls_by_criterion.get(&k.id).cloned().unwrap_or_else(|| "—".into()),
                    match finding {
                        Some(f) if f.problem.contains("no implemented control") => "Not covered".into(),
                        Some(_) => "Evidence not current".into(),
                        None => "Covered".into(),
                    },
                ]
            })
            .collect(),
    });
    b.push(Block::PageBreak);
    b.push(Block::Heading("Risks".into()));
    b.push(heatmap_block(conn, RatingView::Inherent, "Inherent risk")?);
    b.push(heatmap_block(conn, RatingView::Residual, "Residual risk")?);
    let top = crate::risks::list(
        conn,
        &RiskQuery { sort: RiskSort::Residual, descending: true, limit: 10, ..Default::default() },
        as_of,
    )?;
    if !top.rows.is_empty() {
        b.push(Block::Subheading("Top risks (by residual score)".into()));
        b.push(Block::Table {
            columns: vec![
                col("Ref", 0.8),
                col("Risk", 2.6),
                col("Owner", 1.2),
                col("Inherent", 0.9),
                col("Residual", 0.9),
                col("Treatment", 1.0),
            ],
            rows: top
                .rows
                .iter()
                .map(|x| {
                    vec![
                        x.reference.clone(),
                        x.title.clone(),
                        x.owner.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| "—".into()),
                        format!("{} {}", x.inherent.score, x.inherent.band.label()),
                        x.residual.map(|r| format!("{} {}", r.score, r.band.label())).unwrap_or_else(|| "—".into()),
                        x.treatment.map(|t| t.label().to_owned()).unwrap_or_else(|| "To decide".into()),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::Heading("Vendors".into()));
    let vendors = crate::vendors::list(
        conn,
        &crate::vendors::VendorQuery {
            limit: 1000,
            sort: crate::vendors::VendorSort::Criticality,
            ..Default::default()
        },
        as_of,
    )?;
    if vendors.rows.is_empty() {
        b.push(Block::Paragraph("No vendors recorded.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![
                col("Vendor", 1.6),
                col("Criticality", 0.9),
                col("Next assessment", 1.1),
                col("SOC 2 report", 1.0),
                col("Covered until", 1.0),
            ],
            rows: vendors
                .rows
                .iter()
                .map(|v| {
                    vec![
                        v.name.clone(),
                        v.criticality.label().into(),
                        v.next_assessment_due.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                        v.report_status.label().into(),
                        v.coverage_until.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                    ]
                })
                .collect(),
        });
    }
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
    if incidents.is_empty() {
        b.push(Block::Paragraph("No incidents recorded in the period.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![
                col("Ref", 0.8),
                col("Incident", 2.4),
                col("Severity", 0.7),
                col("Status", 0.9),
                col("Detected", 1.2),
            ],
            rows: incidents
                .iter()
                .map(|i| {
                    vec![
                        i.reference.clone(),
                        i.title.clone(),
                        i.severity.label().into(),
                        i.status.label().into(),
                        i.detected_at.clone(),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::Heading("Tabletop exercises".into()));
    let exercises = crate::tabletop::exercises::list(conn)?;
    if exercises.is_empty() {
        b.push(Block::Paragraph("No tabletop exercise recorded.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![
                col("Ref", 0.7),
                col("Exercise", 2.6),
                col("Date", 1.0),
                col("Status", 0.9),
                col("Attended", 0.8),
                col("Open actions", 0.9),
            ],
            rows: exercises
                .iter()
                .map(|e| {
                    vec![
                        e.reference.clone(),
                        e.title.clone(),
                        e.planned_on.to_string(),
                        e.status.label().into(),
                        e.attendees.to_string(),
                        e.open_actions.to_string(),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::Heading("Policies".into()));
    let policies = crate::policies::list(conn, false)?;
    if policies.is_empty() {
        b.push(Block::Paragraph("No policies recorded.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![col("Policy", 2.4), col("Status", 1.0), col("Approved", 1.0), col("Next review", 1.0)],
            rows: policies
                .iter()
                .map(|p| {
                    vec![
                        p.title.clone(),
                        format!("{:?}", p.status).to_lowercase().replace("inreview", "in review"),
                        p.approved_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                        p.next_review_due.map(|d| d.to_string()).unwrap_or_else(|| "—".into()),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::Heading("Training".into()));
    let t = crate::training::overview(conn, as_of)?;
    b.push(Block::Paragraph(format!(
        "{} active people: {} current, {} due within 30 days, {} overdue, {} new hires not trained within 7 days.",
        t.people.len(),
        t.current,
        t.due_soon,
        t.overdue,
        t.new_hire_overdue
    )));
    b.push(Block::Heading("Access reviews by quarter".into()));
    let reviews = crate::access_reviews::list(conn, None, false)?;
    if reviews.is_empty() {
        b.push(Block::Paragraph("No access reviews recorded.".into()));
    } else {
        let mut rows: Vec<Vec<String>> = reviews
            .iter()
            .filter(|a| a.performed_on <= as_of)
            .map(|a| {
                vec![
                    readiness::quarter_label(a.performed_on),
                    a.system.name.clone(),
                    a.performed_on.to_string(),
                    a.accounts_reviewed.to_string(),
                    a.accounts_changed.to_string(),
                ]
            })
            .collect();
        rows.sort();
        b.push(Block::Table {
            columns: vec![
                col("Quarter", 0.9),
                col("System", 2.0),
                col("Performed on", 1.0),
                col("Accounts", 0.8),
                col("Changed", 0.8),
            ],
            rows,
        });
    }
    b.push(Block::Heading("Open remediation actions".into()));
    let actions = crate::actions::list(
        conn,
        &crate::actions::ActionQuery { open_only: true, limit: 1000, ..Default::default() },
        as_of,
    )?;
    if actions.rows.is_empty() {
        b.push(Block::Paragraph("None open.".into()));
    } else {
        b.push(Block::Table {
            columns: vec![col("Ref", 0.8), col("Action", 2.8), col("Owner", 1.2), col("Due", 0.9), col("Source", 1.6)],
            rows: actions
                .rows
                .iter()
                .map(|a| {
                    vec![
                        a.reference.clone(),
                        a.title.clone(),
                        a.owner.as_ref().map(|o| o.name.clone()).unwrap_or_else(|| "—".into()),
                        match (a.due_date, a.overdue) {
                            (Some(d), true) => format!("{d} (overdue)"),
                            (Some(d), false) => d.to_string(),
                            (None, _) => "—".into(),
                        },
                        a.source.as_ref().map(|s| s.label.clone()).unwrap_or_else(|| "—".into()),
                    ]
                })
                .collect(),
        });
    }
    b.push(Block::PageBreak);
    b.push(Block::Heading("Appendix: criteria in scope".into()));
    b.push(Block::Table {
        columns: vec![col("Criterion", 0.8), col("Title", 2.0), col("What it asks", 4.0)],
        rows: criteria
            .iter()
            .filter(|k| k.in_scope)
            .map(|k| vec![k.id.clone(), k.title.clone(), k.summary.clone()])
            .collect(),
    });
    let info = DocInfo {
        title: format!("SOC 2 readiness report: {org}"),
        author: org.clone(),
        subject: format!("Readiness as of {as_of}"),
        date: as_of,
    };
    render(&info, paper, &format!("{org} · readiness as of {as_of}"), &b)
}
