//! Seasons: calendar weeks and months in a server's timezone, and the keys the store files
//! each answer's points under.
//!
//! A post belongs to its posting day (already a local date), so an answer counts in the week
//! and the month of the question it answers, whenever it was clicked. Weeks run Monday to
//! Sunday (ISO 8601), as most study groups plan them.

use chrono::{Datelike, Duration, NaiveDate};

use super::standing::Period;

/// The Monday of `day`'s week.
pub fn week_start(day: NaiveDate) -> NaiveDate {
    day - Duration::days(i64::from(day.weekday().num_days_from_monday()))
}

/// The first day of `day`'s month.
pub fn month_start(day: NaiveDate) -> NaiveDate {
    day.with_day(1).unwrap_or(day)
}

/// The first day of the month before `day`'s.
pub fn previous_month_start(day: NaiveDate) -> NaiveDate {
    month_start(month_start(day) - Duration::days(1))
}

/// The key of `day`'s week, e.g. `W2026-11-30` (its Monday).
pub fn week_key(day: NaiveDate) -> String {
    format!("W{}", week_start(day).format("%Y-%m-%d"))
}

/// The key of `day`'s month, e.g. `M2026-11`.
pub fn month_key(day: NaiveDate) -> String {
    format!("M{}", day.format("%Y-%m"))
}

/// The month named by a key's first day, for messages ("November 2026").
pub fn month_name(day: NaiveDate) -> String {
    day.format("%B %Y").to_string()
}

/// The key of the period containing `today`, or `None` for all time.
pub fn period_key(period: Period, today: NaiveDate) -> Option<String> {
    match period {
        Period::Week => Some(week_key(today)),
        Period::Month => Some(month_key(today)),
        Period::AllTime => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        text.parse().unwrap()
    }

    #[test]
    fn weeks_start_on_monday_and_cross_months_and_years() {
        assert_eq!(week_start(day("2026-12-01")), day("2026-11-30"));
        assert_eq!(week_start(day("2026-11-30")), day("2026-11-30"));
        assert_eq!(week_start(day("2026-12-06")), day("2026-11-30"));
        assert_eq!(week_key(day("2027-01-01")), "W2026-12-28");
    }

    #[test]
    fn months_and_the_month_before() {
        assert_eq!(month_key(day("2026-12-31")), "M2026-12");
        assert_eq!(previous_month_start(day("2027-01-15")), day("2026-12-01"));
        assert_eq!(previous_month_start(day("2026-03-31")), day("2026-02-01"));
        assert_eq!(month_name(day("2026-11-01")), "November 2026");
    }

    #[test]
    fn all_time_has_no_key() {
        assert_eq!(period_key(Period::AllTime, day("2026-12-01")), None);
        assert_eq!(
            period_key(Period::Week, day("2026-12-03")).as_deref(),
            Some("W2026-11-30")
        );
    }
}
