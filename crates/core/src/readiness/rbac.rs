//! Check 2: Role-based access.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 2, key: "rbac", title: "Role-based access", criteria: &["CC6.1", "CC6.2", "CC6.3"], run };

fn run(_conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    if systems.is_empty() {
        no_systems(c);
    }
    let (roles, personal) = (
        "Set up roles in {record} and give each account only the role it needs.",
        "Replace shared accounts with personal ones, or document why not.",
    );
    for s in systems {
        c.require(s, s.rbac, "does not use role-based access.", roles);
        c.require(s, !s.shared, "has shared accounts.", personal);
    }
    c.ok_reason = format!("All {} in-scope systems use roles and have no shared accounts.", systems.len());
    Ok(())
}
