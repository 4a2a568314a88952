//! Check 10: Vendor assessments current.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 10, key: "vendors", title: "Vendor assessments current", criteria: &["CC9.2"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::vendors::VendorFlagKind;
    let mut key = 0;
    let mut all = crate::vendors::all(conn, false, ctx.as_of)?;
    all.sort_by_key(|v| v.name.to_lowercase());
    // Every vendor's assessment and report dates go on the calendar; the key ones are judged.
    for v in &all {
        let r = RecordRef::new(Register::Vendors, v.id, "", &v.name);
        if let Some(d) = v.next_assessment_due {
            c.plan(d, format!("Assess {}", v.name), r.clone());
        }
        if let Some(d) = v.coverage_until {
            c.plan(d, format!("{}'s SOC 2 coverage ends", v.name), r);
        }
    }
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
    Ok(())
}
