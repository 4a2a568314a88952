//! Check 4: Quarterly access reviews of every critical system and every system that holds
//! customer data. Type II: a review with evidence in every quarter of the window; Type I: the
//! latest review within the set number of days.

use super::*;
use occurrences::{of_source, OccurrenceSource};
use std::collections::HashMap;

pub(super) const CHECK: CheckDef =
    CheckDef { id: 4, key: "access_reviews", title: "Quarterly access reviews", criteria: &["CC6.2", "CC6.3"], run };

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let sensitive = sensitive_systems(ctx, c);
    let reviews = occurrences::by_subject(of_source(conn, &ctx.past, OccurrenceSource::AccessReviews)?);
    for s in &sensitive {
        judge_system(ctx, c, s, &reviews, (3, ctx.s.access_review_days), ("access review", FIX));
    }
    c.ok_reason = format!(
        "Every system that is critical or holds customer data ({}) had its accounts reviewed, with evidence, {}.",
        sensitive.len(),
        match ctx.type2_window {
            Some(_) => "in every quarter of the window so far".to_owned(),
            None => format!("within {} days", ctx.s.access_review_days),
        }
    );
    Ok(())
}

const FIX: &str = "Review the accounts of {record} and record the review with the exported user list as evidence.";

/// Judges system `s`'s reviews (`reviews`, by system): one in every period of `months`
/// (Type II), or one within `type1_days` (Type I). `noun` names a review ("log review").
pub(super) fn judge_system(
    ctx: &Ctx,
    c: &mut Check,
    s: &Sys,
    reviews: &HashMap<i64, Vec<occurrences::Occ>>,
    (months, type1_days): (u32, u32),
    (noun, fix): (&str, &str),
) {
    let mine: Vec<&occurrences::Occ> = reviews.get(&s.id).map(|v| v.iter().collect()).unwrap_or_default();
    let what = format!("system:{}", s.id);
    let p = Periodic { record: sys_ref(s), what, name: &s.name, occurrences: &mine, type1_days, months, noun, fix };
    judge_periodic(ctx, c, p);
}

/// Something that must happen once per period for one record (a system's access reviews, its
/// log reviews, a data type's disposals).
pub(super) struct Periodic<'a> {
    pub record: RecordRef,
    /// What is judged, for exception keys ("system:3").
    pub what: String,
    pub name: &'a str,
    pub occurrences: &'a [&'a occurrences::Occ],
    /// Type I: the latest occurrence must be this recent.
    pub type1_days: u32,
    /// Type II: one occurrence in every period of this many months.
    pub months: u32,
    /// "access review", "log review", "disposal".
    pub noun: &'a str,
    pub fix: &'a str,
}

/// Judges a periodic obligation: Type II period by period, Type I by the latest occurrence.
/// An occurrence without evidence does not count (unless the check's setting allows it), and
/// the finding says so.
pub(super) fn judge_periodic(ctx: &Ctx, c: &mut Check, p: Periodic<'_>) {
    let counted: Vec<&occurrences::Occ> =
        p.occurrences.iter().copied().filter(|o| ctx.counts(c.key, o.evidence)).collect();
    let unevidenced = |period: &Period| {
        p.occurrences.iter().find(|o| period.contains(o.on) && !ctx.counts(c.key, o.evidence)).map(|o| o.on)
    };
    match ctx.type2_window {
        Some(_) => {
            for period in ctx.periods(p.months) {
                let met = counted.iter().any(|o| period.contains(o.on));
                let unproved = unevidenced(&period);
                match periods::state(&period, met, ctx.as_of) {
                    PeriodState::Missed => {
                        let problem = match unproved {
                            Some(on) => format!(
                                "The {} of {} on {on} has no evidence, so the period {} is not covered.",
                                p.noun,
                                p.name,
                                period.text()
                            ),
                            None => format!("{} has no {} in the period {}.", p.name, p.noun, period.text()),
                        };
                        c.exception(ctx, p.record.clone(), period, &p.what, problem, p.fix);
                    }
                    PeriodState::Due => {
                        c.plan(period.end, format!("{} of {}", capitalised(p.noun), p.name), p.record.clone());
                        if ctx.near(period.end, period.days()) {
                            c.due_in(
                                p.record.clone(),
                                period,
                                format!("{} needs its {} by {}", p.name, p.noun, period.end),
                                p.fix,
                            );
                        }
                        c.due(
                            period.end.succ_opt().unwrap_or(period.end),
                            format!("{}'s {} is due by {}", p.name, p.noun, period.end),
                        );
                    }
                    PeriodState::Met | PeriodState::NotYet => {}
                }
            }
        }
        None => match counted.iter().map(|o| o.on).max() {
            None => {
                let problem = match p.occurrences.iter().map(|o| o.on).max() {
                    Some(on) => format!("The {} of {} on {on} has no evidence.", p.noun, p.name),
                    None => format!("{} has no recorded {}.", p.name, p.noun),
                };
                c.fail(p.record.clone(), problem, None, p.fix);
            }
            Some(last) => {
                let due = ctx.plus(last, p.type1_days);
                c.dated(
                    ctx,
                    p.record.clone(),
                    due,
                    p.type1_days,
                    format!("{} of {}", capitalised(p.noun), p.name),
                    format!("{}'s {} was due on {due} (last one {last}).", p.name, p.noun),
                    format!("the next {} of {} is due on {due}", p.noun, p.name),
                    p.fix,
                );
            }
        },
    }
}
