//! Check 12: Retention and disposal.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 12, key: "retention", title: "Retention and disposal", criteria: &["C1.1", "C1.2", "CC6.5"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let types = crate::retention::list(conn, "", false, ctx.as_of)?;
    if types.is_empty() {
        c.fail(
            RecordRef::workspace("Retention schedule"),
            "No retention schedule is recorded.".into(),
            None,
            "List each kind of data you hold with how long it is kept (Retention).",
        );
    }
    let untyped = conn
        .prepare_cached(
            "SELECT s.id, s.name FROM systems s WHERE s.archived_at IS NULL AND s.in_scope = 1 AND s.holds_customer_data = 1
               AND NOT EXISTS (SELECT 1 FROM system_data_types x WHERE x.system_id = s.id) ORDER BY s.name",
        )?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    for (id, name) in untyped {
        c.fail(
            RecordRef::new(Register::Systems, id, "", &name),
            format!("{name} holds customer data but no data type with a retention period is linked to it."),
            None,
            "Link the data types it holds (each has its retention period).",
        );
    }
    for d in &types {
        if let Some(due) = d.next_disposal_due {
            c.dated(
                ctx,
                RecordRef::new(Register::Retention, d.id, "", &d.name),
                due,
                format!("Disposal of {}", d.name),
                format!("Disposal of {} was due on {due}.", d.name),
                format!("the next disposal of {} is due on {due}", d.name),
                "Dispose of what is past its retention period and record it with evidence.",
            );
        }
    }
    c.ok_reason = "Every data type has a retention period and disposals are on schedule.".into();
    Ok(())
}
