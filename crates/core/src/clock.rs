//! Time as an input. Core functions receive a [`Clock`]; only the edges use [`SystemClock`].

use chrono::{DateTime, NaiveDate, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    fn today(&self) -> NaiveDate {
        self.now().date_naive()
    }
}

/// The real clock. Constructed by the app shell and the CLI, never inside the core.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always answers the same instant (tests, reproducible output).
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }
}

/// The timestamp format stored in the database: RFC 3339, UTC, second precision.
pub fn stamp(at: DateTime<Utc>) -> String {
    use chrono::{Datelike, Timelike};
    // Written digit by digit: every row an import writes is stamped twice, and the format
    // machinery (padding included) cost more than the row's insert into its index. Years
    // outside 0-9999 take chrono's own form.
    match at.year() {
        year @ 0..=9999 => {
            let mut s = String::with_capacity(20);
            for (n, width, after) in [
                (year as u32, 4, '-'),
                (at.month(), 2, '-'),
                (at.day(), 2, 'T'),
                (at.hour(), 2, ':'),
                (at.minute(), 2, ':'),
                (at.second(), 2, 'Z'),
            ] {
                push_digits(&mut s, n, width);
                s.push(after);
            }
            s
        }
        _ => at.format("%Y-%m-%dT%H:%M:%SZ").to_string(),
    }
}

/// A date as stored (`YYYY-MM-DD`), as chrono writes it, without the format machinery.
pub fn date_text(d: chrono::NaiveDate) -> String {
    use chrono::Datelike;
    match d.year() {
        year @ 0..=9999 => {
            let mut s = String::with_capacity(10);
            push_digits(&mut s, year as u32, 4);
            s.push('-');
            push_digits(&mut s, d.month(), 2);
            s.push('-');
            push_digits(&mut s, d.day(), 2);
            s
        }
        _ => d.to_string(),
    }
}

/// Appends `n` in decimal, zero-padded to `width` digits (`n` has at most `width` digits).
pub(crate) fn push_digits(s: &mut String, n: u32, width: u32) {
    for place in (0..width).rev() {
        s.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
    }
}

/// The day `n` business days (Monday to Friday) after `day`: one business day after a Friday
/// is the Monday after it.
pub fn add_business_days(day: NaiveDate, n: u32) -> NaiveDate {
    use chrono::{Datelike, Weekday};
    let mut d = day;
    let mut left = n;
    while left > 0 {
        d = match d.succ_opt() {
            Some(next) => next,
            None => return NaiveDate::MAX,
        };
        if !matches!(d.weekday(), Weekday::Sat | Weekday::Sun) {
            left -= 1;
        }
    }
    d
}

/// Calendar days from a date falling on `weekday` (0 = Sunday … 6 = Saturday) to `n`
/// business days later; for rules that SQL computes row by row.
pub fn business_day_offset(weekday: u32, n: u32) -> i64 {
    let monday = NaiveDate::from_ymd_opt(2024, 1, 1).unwrap_or(NaiveDate::MIN); // a Monday
    let day = monday + chrono::Days::new(u64::from((weekday + 6) % 7));
    (add_business_days(day, n) - day).num_days()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stamps_are_rfc3339_to_the_second_as_chrono_writes_them() {
        use chrono::TimeZone;
        for (y, mo, d, h, mi, s) in [
            (2026, 12, 1, 9, 5, 7),
            (1999, 1, 31, 23, 59, 59),
            (10, 2, 3, 0, 0, 0),
            (0, 1, 1, 0, 0, 0),
            (9999, 12, 31, 23, 59, 59),
        ] {
            let at = Utc.with_ymd_and_hms(y, mo, d, h, mi, s).unwrap();
            assert_eq!(stamp(at), at.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        }
        assert_eq!(stamp(Utc.with_ymd_and_hms(2026, 12, 1, 9, 5, 7).unwrap()), "2026-12-01T09:05:07Z");
        for (y, m, day) in
            [(2026, 12, 1), (1999, 1, 31), (10, 2, 3), (0, 1, 1), (9999, 12, 31), (-1, 6, 15), (10000, 1, 1)]
        {
            let d = NaiveDate::from_ymd_opt(y, m, day).unwrap();
            assert_eq!(date_text(d), d.to_string());
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn business_days_skip_the_weekend() {
        assert_eq!(add_business_days(d("2026-11-27"), 1), d("2026-11-30"), "Friday + 1 is Monday");
        assert_eq!(add_business_days(d("2026-11-28"), 1), d("2026-11-30"), "Saturday + 1 is Monday");
        assert_eq!(add_business_days(d("2026-11-30"), 1), d("2026-12-01"));
        assert_eq!(add_business_days(d("2026-11-26"), 3), d("2026-12-01"));
        assert_eq!(business_day_offset(5, 1), 3, "Friday");
        assert_eq!(business_day_offset(6, 1), 2, "Saturday");
        assert_eq!(business_day_offset(0, 1), 1, "Sunday");
        assert_eq!(business_day_offset(1, 5), 7, "Monday + 5 business days");
    }
}
