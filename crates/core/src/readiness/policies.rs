//! Check 1: Policies documented and current.

use super::*;

pub(super) const CHECK: CheckDef = CheckDef {
    id: 1,
    key: "policies",
    title: "Policies documented and current",
    criteria: &["CC5.3", "CC2.2", "CC1.1"],
    run,
};

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let all = crate::policies::list(conn, false)?;
    let mut expected = Vec::new();
    for e in crate::starter::policies::EXPECTED_POLICIES {
        let found = all.iter().find(|p| p.title.eq_ignore_ascii_case(e.title));
        expected.extend(found.map(|p| p.id));
        match found {
            None => c.fail(
                RecordRef::workspace(e.title),
                format!("The {} does not exist.", e.title),
                None,
                "Add it (Policies → add the expected policies), write it and have it approved.",
            ),
            Some(p) => {
                let r = RecordRef::new(Register::Policies, p.id, "", &p.title);
                match (p.approved_on, p.next_review_due) {
                    (None, _) => c.fail(
                        r,
                        format!("{} has never been approved.", p.title),
                        None,
                        "Get it approved by leadership and record the approval.",
                    ),
                    (Some(on), due) => {
                        let due = due.unwrap_or_else(|| ctx.plus(on, ctx.s.policy_review_days));
                        c.dated(
                            ctx,
                            r,
                            due,
                            format!("Review the {}", p.title),
                            format!("{}'s yearly review was due on {due}.", p.title),
                            format!("{}'s review is due on {due}", p.title),
                            "Review it, approve the current version and record the approval.",
                        );
                    }
                }
            }
        }
    }
    // Other policies are not part of the expected set, but their reviews fall due too.
    for p in all.iter().filter(|p| !expected.contains(&p.id)) {
        if let Some(due) = p.next_review_due {
            c.plan(due, format!("Review the {}", p.title), RecordRef::new(Register::Policies, p.id, "", &p.title));
        }
    }
    c.ok_reason = format!(
        "All {} expected policies exist, are approved and reviewed on time.",
        crate::starter::policies::EXPECTED_POLICIES.len()
    );
    Ok(())
}
