//! Check 2: Role-based access.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 2, key: "rbac", title: "Role-based access", criteria: &["CC6.1", "CC6.2", "CC6.3"], run };

fn run(_conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    if systems.is_empty() {
        no_systems(c);
    }
    for s in systems {
        if !s.rbac {
            c.fail(
                sys_ref(s),
                format!("{} does not use role-based access.", s.name),
                None,
                "Set up roles and give each account only the role it needs.",
            );
        }
        if s.shared {
            c.fail(
                sys_ref(s),
                format!("{} has shared accounts.", s.name),
                None,
                "Replace shared accounts with personal ones, or document why not.",
            );
        }
    }
    c.ok_reason = format!("All {} in-scope systems use roles and have no shared accounts.", systems.len());
    Ok(())
}
