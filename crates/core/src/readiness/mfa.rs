//! Check 3: MFA on critical systems.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 3, key: "mfa", title: "MFA on critical systems", criteria: &["CC6.1", "CC6.6"], run };

fn run(_conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    let critical: Vec<&Sys> = systems.iter().filter(|s| s.criticality == "critical").collect();
    if systems.is_empty() {
        no_systems(c);
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
    Ok(())
}
