//! Check 14: Criteria coverage. Every in-scope criterion is mapped to at least one control
//! implemented on the day whose periods so far are all met (an occurrence with evidence in
//! every elapsed period, or every event of its population met). Each missed period of an
//! implemented control is an exception.

use std::collections::HashMap;

use super::controls::{judge, known, ControlTimeline, Inputs, Known};
use super::*;

pub(super) const CHECK: CheckDef = CheckDef { id: 14, key: "coverage", title: "Criteria coverage", criteria: &[], run };

string_enum!(
    /// How well a criterion is covered on a day, as check 14 judges it.
    CoverageState {
        /// An implemented control maps it and every period so far is met.
        Covered = "covered" / "Covered",
        /// Implemented controls map it, but none has an occurrence in every period so far.
        NotOperating = "not_operating" / "Not operating",
        /// Controls map it, but none is implemented.
        NotImplemented = "not_implemented" / "Not implemented",
        /// No control maps it.
        Unmapped = "unmapped" / "No control",
    }
);

/// One criterion's coverage on a day: the controls that map it and how it stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[ts(export)]
pub struct CriterionCoverage {
    pub id: String,
    /// Controls mapped to it on the day (not archived).
    pub controls: u32,
    /// Of those, the implemented ones.
    pub implemented: u32,
    pub coverage: CoverageState,
}

/// What the controls known on the day give each criterion: mapped, implemented, and whether
/// an implemented one has every period so far met.
#[derive(Default)]
struct Tally {
    controls: u32,
    implemented: u32,
    sound: bool,
}

impl Tally {
    fn coverage(&self) -> CoverageState {
        match (self.sound, self.implemented, self.controls) {
            (true, _, _) => CoverageState::Covered,
            (false, 1.., _) => CoverageState::NotOperating,
            (false, 0, 1..) => CoverageState::NotImplemented,
            (false, 0, 0) => CoverageState::Unmapped,
        }
    }
}

/// A control covers its criteria when it has periods and none of them is missed.
fn sound(t: &ControlTimeline) -> bool {
    !t.periods.is_empty() && t.periods.iter().all(|p| p.state != PeriodState::Missed)
}

fn tally<'a>(controls: &'a [Known], judged: &[(&Known, ControlTimeline)]) -> HashMap<&'a str, Tally> {
    let sound: HashMap<i64, bool> = judged.iter().map(|(k, t)| (k.id, sound(t))).collect();
    let mut out: HashMap<&str, Tally> = HashMap::new();
    for k in controls {
        let ok = sound.get(&k.id).copied().unwrap_or(false);
        for criterion in &k.criteria {
            let t = out.entry(criterion.as_str()).or_default();
            t.controls += 1;
            t.implemented += u32::from(k.implemented);
            t.sound |= ok;
        }
    }
    out
}

/// Every criterion's coverage on `as_of`, in library order (in and out of scope alike), judged
/// as check 14 judges it.
pub fn criteria_coverage(conn: &Connection, as_of: NaiveDate) -> Result<Vec<CriterionCoverage>> {
    let (_, ctx) = context(conn, as_of)?;
    let controls = known(conn, &ctx)?;
    let inputs = Inputs::load(conn, &ctx, &controls)?;
    let judged: Vec<_> = controls.iter().filter(|k| k.implemented).map(|k| (k, judge(&ctx, &inputs, k))).collect();
    let tallies = tally(&controls, &judged);
    let empty = Tally::default();
    Ok(crate::criteria::list(conn)?
        .into_iter()
        .map(|k| {
            let t = tallies.get(k.id.as_str()).unwrap_or(&empty);
            CriterionCoverage { controls: t.controls, implemented: t.implemented, coverage: t.coverage(), id: k.id }
        })
        .collect())
}

fn run(conn: &Connection, ctx: &Ctx, c: &mut Check) -> Result<()> {
    let criteria: Vec<(String, String)> =
        crate::criteria::list(conn)?.into_iter().filter(|k| k.in_scope).map(|k| (k.id, k.title)).collect();
    let controls = known(conn, ctx)?;
    let inputs = Inputs::load(conn, ctx, &controls)?;
    let judged: Vec<_> = controls.iter().filter(|k| k.implemented).map(|k| (k, judge(ctx, &inputs, k))).collect();
    for (k, t) in &judged {
        let record = t.control.clone();
        for p in &t.periods {
            match p.state {
                PeriodState::Missed => {
                    c.exception(
                        ctx,
                        record.clone(),
                        p.period,
                        &format!("control:{}", k.id),
                        format!("{} {}: {}", k.reference, k.title, p.problem),
                        "Record the occurrence with its evidence, or record the exception with a management response.",
                    );
                }
                PeriodState::Due => {
                    c.plan(p.period.end, format!("Perform {} {}", k.reference, k.title), record.clone());
                    if ctx.near(p.period.end, p.period.days()) {
                        c.due_in(
                            record.clone(),
                            p.period,
                            format!("{} {} needs an occurrence by {}", k.reference, k.title, p.period.end),
                            "Perform {record} and record the activity with evidence.",
                        );
                    }
                    c.due(
                        p.period.end.succ_opt().unwrap_or(p.period.end),
                        format!("{} is due by {}", k.reference, p.period.end),
                    );
                }
                PeriodState::Met | PeriodState::NotYet => {}
            }
        }
    }
    let tallies = tally(&controls, &judged);
    for (id, title) in &criteria {
        let coverage = tallies.get(id.as_str()).map(Tally::coverage).unwrap_or(CoverageState::Unmapped);
        let r = RecordRef::by_reference(Register::Criteria, id.clone(), title.clone());
        match coverage {
            CoverageState::Covered => {}
            CoverageState::NotOperating => c.fail(
                r,
                format!("{id} ({title}) has implemented controls, but none with an occurrence in every period so far."),
                None,
                "Perform the mapped controls and record each occurrence with evidence.",
            ),
            CoverageState::NotImplemented | CoverageState::Unmapped => c.fail(
                r,
                format!("{id} ({title}) has no implemented control."),
                None,
                "Map an implemented control to {record} (Controls), or implement one that is mapped.",
            ),
        }
    }
    c.ok_reason = format!(
        "All {} in-scope criteria are covered by implemented controls with an occurrence in every period so far.",
        criteria.len()
    );
    Ok(())
}
