//! Check 1: Policies documented and current. Each expected policy is covered by a policy in
//! use on the day (matched by what it covers, not by its title; retired and archived ones do
//! not count) whose approval in force on the day is less than the review interval old (the
//! interval is the setting: a review date typed by hand does not extend it). Everyone active
//! acknowledges the approved version within the set days of joining or of the approval.

use super::*;
use crate::policies::{PolicyStatus, PolicyType};

pub(super) const CHECK: CheckDef = CheckDef {
    id: 1,
    key: "policies",
    title: "Policies documented and current",
    criteria: &["CC5.3", "CC2.2", "CC1.1"],
    run,
};

/// A policy as it was at the end of a day: its title and status then, and the approval in
/// force (the latest approval known on the day). Archived policies are left out.
pub struct PolicyThen {
    pub id: i64,
    pub title: String,
    pub status: PolicyStatus,
    /// (version, approved on) of the latest approval known on the day.
    pub approval: Option<(String, NaiveDate)>,
}

impl PolicyThen {
    fn record(&self) -> RecordRef {
        RecordRef::new(Register::Policies, self.id, "", &self.title)
    }
}

/// The policies that existed and were not archived at the end of `past`'s day (those covering
/// `kind` only, when given), in title order: what the policies check and the report's policy
/// table both read.
pub fn policies_then(conn: &Connection, past: &Past, kind: Option<PolicyType>) -> Result<Vec<PolicyThen>> {
    let then = past.then(conn, Register::Policies, &["title", "status"])?;
    let rows: Vec<(i64, String, String, bool, Option<String>)> = crate::store::tuples(
        conn,
        "SELECT p.id, p.title, p.status, p.archived_at IS NOT NULL,
                (SELECT a.version || char(9) || a.approved_on FROM policy_approvals a
                 WHERE a.policy_id = p.id AND a.created_at <= ?2 AND a.approved_on <= ?3
                 ORDER BY a.approved_on DESC, a.id DESC LIMIT 1)
         FROM policies p
         WHERE p.created_at <= ?2
           AND (?1 IS NULL OR EXISTS (SELECT 1 FROM policy_types t WHERE t.policy_id = p.id AND t.policy_type = ?1))
         ORDER BY p.title COLLATE NOCASE, p.id",
        params![kind.map(|k| k.as_str()), past.end(), past.day.to_string()],
    )?;
    let mut out = Vec::new();
    for (id, title, status, archived, approval) in rows {
        if then.archived(id, archived) {
            continue;
        }
        let status = then.text(id, "status", status);
        let title = then.text(id, "title", title);
        let approval = approval.and_then(|a| {
            let (version, on) = a.split_once('\t')?;
            Some((version.to_owned(), crate::validate::parse_date(on)?))
        });
        out.push(PolicyThen {
            id,
            title,
            status: PolicyStatus::parse_cell(&status).unwrap_or(PolicyStatus::Draft),
            approval,
        });
    }
    Ok(out)
}

/// The policies in use on the day that cover `kind` (retired ones do not count), best first
/// (the latest approval first).
pub(super) fn covering(conn: &Connection, ctx: &Ctx, kind: PolicyType) -> Result<Vec<PolicyThen>> {
    let mut out = policies_then(conn, &ctx.past, Some(kind))?;
    out.retain(|p| p.status != PolicyStatus::Retired);
    out.sort_by(|a, b| b.approval.as_ref().map(|x| x.1).cmp(&a.approval.as_ref().map(|x| x.1)).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// Fails `c` unless a policy covering `kind` is approved on the day (for the checks that
/// need one: change management, incident response).
pub(super) fn require_in_force(conn: &Connection, ctx: &Ctx, c: &mut Check, kind: PolicyType) -> Result<()> {
    let found = covering(conn, ctx, kind)?;
    match found.first() {
        Some(p) if p.approval.is_some() => {}
        Some(p) => c.fail(
            p.record(),
            format!("{} (the {} policy) is not approved.", p.title, kind.label().to_lowercase()),
            None,
            "Have {record} approved and record the approval.",
        ),
        None => c.fail(
            RecordRef::workspace(kind.label()),
            format!("No policy covers {}.", kind.label().to_lowercase()),
            None,
            "Add and approve it (Policies), or say which policy covers it.",
        ),
    }
    Ok(())
}

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let people: Vec<events::Person> =
        events::people(conn, ctx)?.into_iter().filter(|p| p.active_between(ctx.as_of, ctx.as_of)).collect();
    for e in crate::starter::policies::EXPECTED_POLICIES {
        let found = covering(conn, ctx, e.kind)?;
        let Some(p) = found.first() else {
            c.fail(
                RecordRef::workspace(e.title),
                format!("No policy covers {} (the {}).", e.kind.label().to_lowercase(), e.title),
                None,
                "Add it (Policies → add the expected policies), or say which policy covers it; write it and have it approved.",
            );
            continue;
        };
        let Some((version, on)) = &p.approval else {
            c.fail(
                p.record(),
                format!("{} has never been approved.", p.title),
                None,
                "Get {record} approved by leadership and record the approval.",
            );
            continue;
        };
        let due = ctx.plus(*on, ctx.s.policy_review_days);
        c.dated(
            ctx,
            p.record(),
            due,
            ctx.s.policy_review_days,
            format!("Review the {}", p.title),
            format!("{} was approved on {on}; its review was due on {due}.", p.title),
            format!("{}'s review is due on {due}", p.title),
            "Review {record}, approve the current version and record the approval.",
        );
        acknowledgements(conn, ctx, c, p, version, *on, &people)?;
    }
    c.ok_reason = format!(
        "All {} expected policies are covered, approved, reviewed on time and acknowledged.",
        crate::starter::policies::EXPECTED_POLICIES.len()
    );
    Ok(())
}

/// Everyone active acknowledges the approved version within the set days of joining or of
/// the approval, whichever is later.
fn acknowledgements(
    conn: &Connection,
    ctx: &Ctx,
    c: &mut Check,
    p: &PolicyThen,
    version: &str,
    approved_on: NaiveDate,
    people: &[events::Person],
) -> Result<()> {
    let acknowledged: std::collections::HashSet<i64> = conn
        .prepare_cached(
            "SELECT person_id FROM policy_acknowledgements
             WHERE policy_id = ?1 AND version = ?2 AND created_at <= ?3 AND acknowledged_on <= ?4
               AND withdrawn_at IS NULL",
        )?
        .query_map(params![p.id, version, ctx.past.end(), ctx.as_of.to_string()], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut late = Vec::new();
    let mut first_due: Option<NaiveDate> = None;
    for person in people.iter().filter(|x| !acknowledged.contains(&x.id)) {
        let from = person.start.map_or(approved_on, |s| s.max(approved_on));
        let due = ctx.plus(from, ctx.s.acknowledgement_days);
        if due < ctx.as_of {
            late.push(person.name.as_str());
            first_due = Some(first_due.map_or(due, |d| d.min(due)));
        }
    }
    if !late.is_empty() {
        let shown = if late.len() > 5 { format!("{}, …", late[..5].join(", ")) } else { late.join(", ") };
        c.fail(
            p.record(),
            format!(
                "{} people have not acknowledged version {version} of {}: {shown}{}",
                late.len(),
                p.title,
                if shown.ends_with('…') { "" } else { "." }
            ),
            first_due,
            "Ask them to read and acknowledge {record}, and record the acknowledgements.",
        );
    }
    Ok(())
}
