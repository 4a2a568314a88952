//! Check 8: Change management.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 8, key: "changes", title: "Change management", criteria: &["CC8.1"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::changes::ChangeFlagKind;
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
    Ok(())
}
