//! Periods: the stretches of time in which something must happen once. A Type II audit looks
//! at every period of the observation window (months, quarters or years counted from its
//! start); a Type I audit, or a workspace without a window, looks at the one period that ends
//! on the as-of date.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A period, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Period {
    pub start: NaiveDate,
    pub end: NaiveDate,
}

impl Period {
    pub fn contains(&self, d: NaiveDate) -> bool {
        self.start <= d && d <= self.end
    }

    pub fn days(&self) -> i64 {
        (self.end - self.start).num_days() + 1
    }

    /// How the period reads in a sentence: "2026-04-01 to 2026-06-30".
    pub fn text(&self) -> String {
        if self.start == self.end {
            return self.start.to_string();
        }
        format!("{} to {}", self.start, self.end)
    }
}

string_enum!(
    /// Where a period stands on the as-of date.
    PeriodState {
        /// An occurrence (or every event) with evidence.
        Met = "met" / "Met",
        /// Ended without one: an exception.
        Missed = "missed" / "Missed",
        /// Under way and not met yet.
        Due = "due" / "Due",
        /// Not begun.
        NotYet = "not_yet" / "Not yet",
    }
);

fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// The `months`-long periods of a window, counted from its start. A last period shorter than
/// half a period joins the one before it, so a window never ends in a stub of a few days.
pub fn window_periods(window: (NaiveDate, NaiveDate), months: u32) -> Vec<Period> {
    let (first, last) = window;
    let months = months.max(1);
    let mut out: Vec<Period> = Vec::new();
    // Each start is counted from the window's first day (not from the previous start), so
    // short months do not make the periods drift.
    let mut k = 0;
    let mut start = first;
    while start <= last {
        k += 1;
        let next = add_months(first, months.saturating_mul(k));
        let full = (next - start).num_days();
        let end = next.pred_opt().unwrap_or(next).min(last);
        let period = Period { start, end };
        match out.last_mut() {
            Some(previous) if period.days() * 2 < full => previous.end = end,
            _ => out.push(period),
        }
        start = next;
    }
    out
}

/// The one period ending on `as_of` that a Type I audit (or a workspace without a window)
/// looks at: the last `months` months.
pub fn trailing_period(as_of: NaiveDate, months: u32) -> Period {
    let start =
        as_of.checked_sub_months(Months::new(months.max(1))).and_then(|d| d.succ_opt()).unwrap_or(NaiveDate::MIN);
    Period { start, end: as_of }
}

/// The trailing period of `days` days ending on `as_of`.
pub fn trailing_days(as_of: NaiveDate, days: u32) -> Period {
    let start = as_of.checked_sub_days(chrono::Days::new(u64::from(days.max(1)) - 1)).unwrap_or(NaiveDate::MIN);
    Period { start, end: as_of }
}

/// The periods to judge on `as_of`: those of the window that have begun (Type II), or the
/// trailing one (Type I).
pub fn judged(window: Option<(NaiveDate, NaiveDate)>, months: u32, as_of: NaiveDate) -> Vec<Period> {
    match window {
        Some(w) => window_periods(w, months).into_iter().filter(|p| p.start <= as_of).collect(),
        None => vec![trailing_period(as_of, months)],
    }
}

/// The state of a period on `as_of`, given whether it is met.
pub fn state(period: &Period, met: bool, as_of: NaiveDate) -> PeriodState {
    match (met, period.start > as_of, period.end < as_of) {
        (true, _, _) => PeriodState::Met,
        (false, true, _) => PeriodState::NotYet,
        (false, _, true) => PeriodState::Missed,
        (false, _, false) => PeriodState::Due,
    }
}

/// The day a warning starts for something due on `due` with an interval of `interval_days`:
/// at most a third of the interval before, and never more than `warn_days`.
pub fn warn_from(due: NaiveDate, interval_days: i64, warn_days: u32) -> NaiveDate {
    let lead = (interval_days / 3).min(i64::from(warn_days)).max(0);
    due.checked_sub_days(chrono::Days::new(lead as u64)).unwrap_or(NaiveDate::MIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        crate::validate::parse_date(s).unwrap()
    }

    fn p(a: &str, b: &str) -> Period {
        Period { start: d(a), end: d(b) }
    }

    #[test]
    fn quarters_count_from_the_window_start_and_never_end_in_a_stub() {
        // A window ending on 2026-08-28 after starting on 2025-08-29: four full quarters.
        assert_eq!(
            window_periods((d("2025-08-29"), d("2026-08-28")), 3),
            [
                p("2025-08-29", "2025-11-28"),
                p("2025-11-29", "2026-02-27"),
                p("2026-02-28", "2026-05-28"),
                p("2026-05-29", "2026-08-28"),
            ]
        );
        let q = window_periods((d("2026-01-01"), d("2026-09-03")), 3);
        // A three-day tail joins the quarter before it.
        assert_eq!(q, [p("2026-01-01", "2026-03-31"), p("2026-04-01", "2026-06-30"), p("2026-07-01", "2026-09-03")]);
        let q = window_periods((d("2026-01-01"), d("2026-11-30")), 3);
        // Two months is more than half a quarter: it stays a period of its own.
        assert_eq!(q.last(), Some(&p("2026-10-01", "2026-11-30")));
        assert_eq!(q.len(), 4);
        let m = window_periods((d("2026-01-31"), d("2026-04-30")), 1);
        assert_eq!(m, [p("2026-01-31", "2026-02-27"), p("2026-02-28", "2026-03-30"), p("2026-03-31", "2026-04-30")]);
    }

    #[test]
    fn states_on_a_date() {
        let q = p("2026-04-01", "2026-06-30");
        assert_eq!(state(&q, false, d("2026-07-01")), PeriodState::Missed);
        assert_eq!(state(&q, false, d("2026-06-30")), PeriodState::Due);
        assert_eq!(state(&q, false, d("2026-03-31")), PeriodState::NotYet);
        assert_eq!(state(&q, true, d("2026-05-01")), PeriodState::Met);
    }

    #[test]
    fn warnings_come_at_most_a_third_of_the_interval_early() {
        // Monthly: a 30-day warning window would warn the day after the review.
        assert_eq!(warn_from(d("2026-05-01"), 30, 30), d("2026-04-21"));
        assert_eq!(warn_from(d("2027-01-01"), 365, 30), d("2026-12-02"));
    }

    #[test]
    fn the_trailing_period_ends_on_the_date() {
        assert_eq!(trailing_period(d("2026-06-30"), 3), p("2026-03-31", "2026-06-30"));
        assert_eq!(trailing_days(d("2026-06-30"), 92), p("2026-03-31", "2026-06-30"));
    }
}
