//! Check 3: MFA on critical systems and on every system that holds customer data.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 3, key: "mfa", title: "MFA on critical systems", criteria: &["CC6.1", "CC6.6"], run };

fn run(_conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    let sensitive: Vec<&Sys> = systems.iter().filter(|s| s.sensitive()).collect();
    if systems.is_empty() {
        no_systems(c);
    } else if sensitive.is_empty() {
        c.not_applicable = Some("No in-scope system is critical or holds customer data.".into());
    }
    for s in &sensitive {
        if !s.mfa {
            let why = if s.customer_data { "holds customer data" } else { "is critical" };
            c.fail(
                sys_ref(s),
                format!("{} {why} and does not enforce MFA.", s.name),
                None,
                "Enforce MFA for every account on it.",
            );
        }
    }
    c.ok_reason = format!("All {} systems that are critical or hold customer data enforce MFA.", sensitive.len());
    Ok(())
}
