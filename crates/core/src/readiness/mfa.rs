//! Check 3: MFA on critical systems and on every system that holds customer data.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 3, key: "mfa", title: "MFA on critical systems", criteria: &["CC6.1", "CC6.6"], run };

fn run(_conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let sensitive = sensitive_systems(ctx, c);
    for s in &sensitive {
        let why = if s.customer_data { "holds customer data" } else { "is critical" };
        c.require(s, s.mfa, &format!("{why} and does not enforce MFA."), "Enforce MFA for every account on {record}.");
    }
    c.ok_reason = format!("All {} systems that are critical or hold customer data enforce MFA.", sensitive.len());
    Ok(())
}
