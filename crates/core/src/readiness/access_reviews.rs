//! Check 4: Quarterly access reviews.

use super::*;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 4, key: "access_reviews", title: "Quarterly access reviews", criteria: &["CC6.2", "CC6.3"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let systems = &ctx.systems;
    let critical: Vec<&Sys> = systems.iter().filter(|s| s.criticality == "critical").collect();
    if systems.is_empty() {
        no_systems(c);
    } else if critical.is_empty() {
        c.not_applicable = Some("No in-scope system is marked critical.".into());
    }
    for s in &critical {
        let dates: Vec<NaiveDate> = conn
            .prepare_cached(
                "SELECT performed_on FROM access_reviews WHERE system_id = ?1 AND archived_at IS NULL AND performed_on <= ?2
                 ORDER BY performed_on",
            )?
            .query_map(params![s.id, ctx.as_of.to_string()], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<_>>>()?
            .into_iter()
            .filter_map(|d| crate::validate::parse_date(&d))
            .collect();
        match dates.last() {
            None => c.fail(
                sys_ref(s),
                format!("{} has never had an access review.", s.name),
                None,
                "Review its accounts and record the review with the exported user list.",
            ),
            Some(last) => {
                let due = ctx.plus(*last, ctx.s.access_review_days);
                c.dated(
                    ctx,
                    sys_ref(s),
                    due,
                    format!("Access review of {}", s.name),
                    format!("{}'s access review was due on {due} (last one {last}).", s.name),
                    format!("the next access review of {} is due on {due}", s.name),
                    "Review its accounts and record the review.",
                );
            }
        }
        if let Some(window) = ctx.type2_window {
            for (start, end) in quarters(window, ctx.as_of) {
                let covered = dates.iter().any(|d| *d >= start && *d <= end);
                // The current quarter is only missing once it has ended.
                if !covered && end < ctx.as_of {
                    c.fail(
                        sys_ref(s),
                        format!("{} has no access review in the quarter {start} to {end}.", s.name),
                        Some(end),
                        "A Type II audit needs a review in every quarter of the window; record the one that was done, or note the gap.",
                    );
                } else if !covered && end <= ctx.soon {
                    c.warn(
                        sys_ref(s),
                        format!("{} needs an access review in the quarter ending {end}", s.name),
                        end,
                        "Review its accounts before the quarter ends.",
                    );
                }
            }
        }
    }
    c.ok_reason = format!(
        "Every critical system ({}) had its accounts reviewed within {} days.",
        critical.len(),
        ctx.s.access_review_days
    );
    Ok(())
}

/// Quarters (start, end) of the observation window that have begun by `as_of`.
fn quarters(window: (NaiveDate, NaiveDate), as_of: NaiveDate) -> Vec<(NaiveDate, NaiveDate)> {
    let mut out = Vec::new();
    let mut start = window.0;
    while start <= window.1 && start <= as_of {
        let next = start.checked_add_months(Months::new(3)).unwrap_or(NaiveDate::MAX);
        let end = next.pred_opt().unwrap_or(next).min(window.1);
        out.push((start, end));
        start = next;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::validate::parse_date(s).unwrap()
    }

    #[test]
    fn quarters_of_a_window_that_have_begun() {
        let q = quarters((d("2026-01-01"), d("2026-12-31")), d("2026-08-15"));
        assert_eq!(
            q,
            [
                (d("2026-01-01"), d("2026-03-31")),
                (d("2026-04-01"), d("2026-06-30")),
                (d("2026-07-01"), d("2026-09-30"))
            ]
        );
    }
}
