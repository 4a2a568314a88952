//! Check 10: Vendor assessments current. Every active critical or high vendor on the day is
//! assessed within its interval (with evidence), has a SOC 2 report whose coverage includes
//! the day (a bridge letter extends it by the set cap at most) with an opinion that can be
//! relied on, has its user entity controls mapped, and a security clause in its contract.
//! Everything is read as it stood at the end of the day.

use super::*;
use rusqlite::OptionalExtension;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 10, key: "vendors", title: "Vendor assessments current", criteria: &["CC9.2"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::refs::Criticality;
    use crate::vendors::{coverage_until, Opinion, ReportRules, ReportType, VendorStatus};
    let intervals = crate::settings::vendor_intervals(conn)?;
    let rules = ReportRules::of(&ctx.s);
    // The CUECs of the vendor's latest report that no control answers.
    let rows = ctx.past.records_with(
        conn,
        Register::Vendors,
        ["name", "criticality", "status", "security_clause", "last_assessed_on"],
        (
            "SELECT v.id, v.archived_at IS NOT NULL, v.name, v.criticality, v.status, iif(v.security_clause, 'yes', 'no'),
                    v.last_assessed_on,
                    (SELECT count(*) FROM soc2_cuecs q WHERE q.control_id IS NULL AND q.report_id =
                        (SELECT r.id FROM soc2_reports r WHERE r.vendor_id = v.id AND r.created_at <= ?1
                           AND r.period_end <= ?2 ORDER BY r.period_end DESC, r.id DESC LIMIT 1))
             FROM vendors v WHERE v.created_at <= ?1 ORDER BY v.name COLLATE NOCASE",
            params![ctx.past.end(), ctx.as_of.to_string()],
        ),
        |r| r.get::<_, u32>(7),
    )?;
    let assessments = occurrences::by_subject(occurrences::of_source(
        conn,
        &ctx.past,
        occurrences::OccurrenceSource::VendorAssessments,
    )?);
    let mut key = 0;
    for (id, v, unlinked) in rows {
        let name = v[0].clone().unwrap_or_default();
        let criticality = v[1].as_deref().and_then(Criticality::parse_cell).unwrap_or(Criticality::Medium);
        let status = v[2].as_deref().and_then(VendorStatus::parse_cell).unwrap_or(VendorStatus::Active);
        let r = RecordRef::new(Register::Vendors, id, "", &name);
        if !criticality.is_key() || status == VendorStatus::Offboarded {
            continue;
        }
        key += 1;
        // The assessment: the latest with evidence (the date typed on the vendor counts only
        // where the check does not ask for evidence).
        if let Some(days) = intervals.days_for(criticality) {
            let mine: Vec<&occurrences::Occ> = assessments.get(&id).map(|v| v.iter().collect()).unwrap_or_default();
            let typed = v[4].as_deref().and_then(crate::validate::parse_date).filter(|d| *d <= ctx.as_of);
            let last = mine
                .iter()
                .filter(|o| ctx.counts(c.key, o.evidence))
                .map(|o| o.on)
                .chain(typed.filter(|_| ctx.counts(c.key, 0)))
                .max();
            match last {
                None => c.fail(
                    r.clone(),
                    match mine.iter().map(|o| o.on).max() {
                        Some(on) => format!("{name}: the assessment of {on} has no evidence."),
                        None => format!("{name} has never been assessed."),
                    },
                    None,
                    "Assess {record} and record the assessment with its evidence.",
                ),
                Some(on) => {
                    let due = ctx.plus(on, days);
                    c.dated(
                        ctx,
                        r.clone(),
                        due,
                        days,
                        format!("Assess {name}"),
                        format!("{name}'s assessment was due on {due} (last one {on})."),
                        format!("{name}'s assessment is due on {due}"),
                        "Assess {record} and record the assessment with its evidence.",
                    );
                }
            }
        }
        // The SOC 2 report known on the day whose period ended last.
        // A bridge letter counts from its date: one dated after the day did not exist yet.
        let report: Option<(String, String, String, Option<String>)> = conn
            .prepare_cached(
                "SELECT report_type, opinion, period_end,
                        CASE WHEN bridge_letter_on <= ?3 THEN bridge_covers_until END
                 FROM soc2_reports
                 WHERE vendor_id = ?1 AND created_at <= ?2 AND period_end <= ?3
                 ORDER BY period_end DESC, id DESC LIMIT 1",
            )?
            .query_row(params![id, ctx.past.end(), ctx.as_of.to_string()], |row| {
                Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
            })
            .optional()?;
        match report {
            None => c.fail(
                r.clone(),
                format!("{name}: no SOC 2 report on file for a critical or high vendor."),
                None,
                "Get the current SOC 2 report of {record} and record it.",
            ),
            Some((kind, opinion, end, bridge)) => {
                let end = crate::validate::parse_date(&end).unwrap_or(NaiveDate::MIN);
                let bridge = bridge.as_deref().and_then(crate::validate::parse_date);
                let until = coverage_until(end, bridge, rules);
                c.plan(until, format!("{name}'s SOC 2 coverage ends"), r.clone());
                if until < ctx.as_of {
                    c.fail(
                        r.clone(),
                        format!("{name}: SOC 2 coverage ended on {until} (report period ended {end})."),
                        Some(until),
                        "Get the new report of {record}, or a bridge letter for the gap, and record it.",
                    );
                } else {
                    let interval = i64::from(rules.max_age_months) * 30;
                    if ctx.near(until, interval) {
                        c.warn(
                            r.clone(),
                            format!("{name}'s SOC 2 coverage ends on {until}"),
                            until,
                            "Ask for the next report.",
                        );
                    }
                    c.due(until.succ_opt().unwrap_or(until), format!("{name}'s SOC 2 coverage ends on {until}"));
                }
                match Opinion::parse(&opinion) {
                    Some(Opinion::Adverse) | Some(Opinion::Disclaimer) => c.fail(
                        r.clone(),
                        format!(
                            "{name}'s SOC 2 report has an {} opinion: it gives no assurance.",
                            opinion.replace('_', " ")
                        ),
                        None,
                        "Treat {record} as unassured: assess it yourself, add compensating controls or replace it.",
                    ),
                    Some(Opinion::Qualified) => c.warn(
                        r.clone(),
                        format!("{name}'s SOC 2 report has a qualified opinion"),
                        ctx.as_of,
                        "Read the exceptions, decide whether they affect you, and record your response.",
                    ),
                    _ => {}
                }
                if ReportType::parse(&kind) == Some(ReportType::Type1) && criticality == Criticality::Critical {
                    c.warn(
                        r.clone(),
                        format!("{name}'s SOC 2 report is a Type I: it shows design, not that the controls operated"),
                        ctx.as_of,
                        "Ask for a Type II report, or record why the Type I is enough.",
                    );
                }
            }
        }
        if unlinked > 0 {
            c.fail(
                r.clone(),
                format!(
                    "{name}: {unlinked} complementary user entity control{} not linked to one of our controls.",
                    if unlinked == 1 { " is" } else { "s are" }
                ),
                None,
                "Link each user entity control of {record} to the control of yours that covers it.",
            );
        }
        if !crate::past::yes(v[3].as_deref()) {
            c.fail(
                r,
                format!("{name}: the contract has no security clause."),
                None,
                "Add a security clause at the next contract change.",
            );
        }
    }
    if key == 0 {
        c.not_applicable = Some("No active critical or high vendor is recorded.".into());
    }
    c.ok_reason =
        format!("All {key} critical and high vendors are assessed, with current SOC 2 reports and security clauses.");
    Ok(())
}
