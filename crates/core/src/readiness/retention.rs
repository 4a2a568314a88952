//! Check 12: Retention and disposal. Every data type held has a retention period, every
//! system with customer data says which data types it holds, and disposals happen on each
//! data type's schedule with evidence (Type II: in every period of the window; Type I: within
//! one interval of the as-of date). A disposal never done is due from the start, not from the
//! day the data type was recorded.

use super::access_reviews::{judge_periodic, Periodic};
use super::*;
use occurrences::{of_source, OccurrenceSource};

pub(super) const CHECK: CheckDef =
    CheckDef { id: 12, key: "retention", title: "Retention and disposal", criteria: &["C1.1", "C1.2", "CC6.5"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    use crate::risks::ReviewCadence;
    let then = ctx.past.then(conn, Register::Retention, &["name", "disposal_cadence"])?;
    let types: Vec<(i64, String, String, bool)> = crate::store::tuples(
        conn,
        "SELECT id, name, disposal_cadence, archived_at IS NOT NULL FROM data_types
         WHERE created_at <= ?1 ORDER BY name COLLATE NOCASE",
        [ctx.past.end()],
    )?;
    let types: Vec<(i64, String, ReviewCadence)> = types
        .into_iter()
        .filter(|(id, _, _, archived)| !then.archived(*id, *archived))
        .map(|(id, name, cadence, _)| {
            let name = then.text(id, "name", name);
            let cadence = then.text(id, "disposal_cadence", cadence);
            (id, name, ReviewCadence::parse_cell(&cadence).unwrap_or(ReviewCadence::Annual))
        })
        .collect();
    if types.is_empty() {
        let fix = "List each kind of data you hold with how long it is kept (Retention).";
        c.missing("Retention schedule", "No retention schedule is recorded.", fix);
    }
    let linked: std::collections::HashSet<i64> = conn
        .prepare_cached("SELECT DISTINCT system_id FROM system_data_types")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for s in ctx.systems.iter().filter(|s| s.customer_data && !linked.contains(&s.id)) {
        c.fail(
            sys_ref(s),
            format!("{} holds customer data but no data type with a retention period is linked to it.", s.name),
            None,
            "Link the data types {record} holds (each has its retention period).",
        );
    }
    let disposals = occurrences::by_subject(of_source(conn, &ctx.past, OccurrenceSource::Disposals)?);
    for (id, name, cadence) in &types {
        let mine: Vec<&occurrences::Occ> = disposals.get(id).map(|v| v.iter().collect()).unwrap_or_default();
        judge_periodic(
            ctx,
            c,
            Periodic {
                record: RecordRef::new(Register::Retention, *id, "", name),
                what: format!("data_type:{id}"),
                name,
                occurrences: &mine,
                type1_days: (cadence.months() * 365).div_ceil(12),
                months: cadence.months(),
                noun: "disposal",
                fix: "Dispose of what in {record} is past its retention period and record it with evidence.",
            },
        );
    }
    c.ok_reason = "Every data type has a retention period and disposals happen on schedule, with evidence.".into();
    Ok(())
}
