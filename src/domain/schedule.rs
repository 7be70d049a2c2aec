//! When a server's daily question is posted: a local time in an IANA timezone, every day or
//! on weekdays, unless paused.
//!
//! A *posting day* is a local calendar date of the server. DST rule: a local time that does
//! not exist that day (clocks jump over it) posts at the first minute after the gap; a local
//! time that happens twice posts at its first occurrence.

use std::fmt;

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc, Weekday,
};
use chrono_tz::Tz;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostingDays {
    EveryDay,
    Weekdays,
}

impl PostingDays {
    pub fn parse(text: &str) -> Option<PostingDays> {
        match text {
            "every-day" => Some(PostingDays::EveryDay),
            "weekdays" => Some(PostingDays::Weekdays),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PostingDays::EveryDay => "every-day",
            PostingDays::Weekdays => "weekdays",
        }
    }
}

impl fmt::Display for PostingDays {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub post_time: NaiveTime,
    pub timezone: Tz,
    pub days: PostingDays,
    pub paused: bool,
}

/// How far ahead `next_post` looks: a week always holds a posting day, the margin covers
/// zones that skip a whole calendar day (Pacific/Kiritimati skipped 1994-12-31).
const LOOKAHEAD_DAYS: i64 = 10;

impl Schedule {
    /// The server's local date at `instant`.
    pub fn local_date(&self, instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&self.timezone).date_naive()
    }

    pub fn is_posting_day(&self, day: NaiveDate) -> bool {
        match self.days {
            PostingDays::EveryDay => true,
            PostingDays::Weekdays => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// The instant the question of `day` is due, with the DST rule above.
    pub fn post_instant(&self, day: NaiveDate) -> DateTime<Utc> {
        local_instant(self.timezone, day, self.post_time)
    }

    /// The first posting day whose post is due strictly after `now`, and when; `None` while
    /// paused.
    pub fn next_post(&self, now: DateTime<Utc>) -> Option<(NaiveDate, DateTime<Utc>)> {
        if self.paused {
            return None;
        }
        let today = self.local_date(now);
        (-1..=LOOKAHEAD_DAYS)
            .filter_map(|offset| today.checked_add_signed(Duration::days(offset)))
            .filter(|day| self.is_posting_day(*day))
            .map(|day| (day, self.post_instant(day)))
            .find(|(_, at)| *at > now)
    }

    /// The posting day due at `now`, if today's post time has passed: the day to post (or to
    /// catch up after downtime, the same local day only). `None` while paused.
    pub fn due_day(&self, now: DateTime<Utc>) -> Option<NaiveDate> {
        if self.paused {
            return None;
        }
        let today = self.local_date(now);
        (self.is_posting_day(today) && self.post_instant(today) <= now).then_some(today)
    }
}

/// `time` on local `day` in `zone` as an instant: the first minute after a DST gap, the
/// earlier of two ambiguous instants.
pub fn local_instant(zone: Tz, day: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    let mut local = day.and_time(time);
    // Gaps are at most a few hours (usually one; 30 minutes on Lord Howe); a day of
    // minutes bounds the search even for a zone that skipped a date.
    for _ in 0..=(24 * 60 + 1) {
        match zone.from_local_datetime(&local) {
            LocalResult::Single(at) => return at.with_timezone(&Utc),
            LocalResult::Ambiguous(first, _) => return first.with_timezone(&Utc),
            LocalResult::None => local += Duration::minutes(1),
        }
    }
    // Unreachable for real zones; fall back to reading the wall time as UTC.
    Utc.from_utc_datetime(&day.and_time(time))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::{America, Australia, Europe};

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn time(h: u32, m: u32) -> NaiveTime {
        NaiveTime::from_hms_opt(h, m, 0).unwrap()
    }

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn schedule(zone: Tz, at: NaiveTime, days: PostingDays) -> Schedule {
        Schedule {
            post_time: at,
            timezone: zone,
            days,
            paused: false,
        }
    }

    #[test]
    fn a_time_in_the_spring_gap_posts_at_the_first_minute_after_it() {
        // Berlin jumps from 02:00 to 03:00 on 2026-03-29.
        let at = local_instant(Europe::Berlin, date(2026, 3, 29), time(2, 30));
        assert_eq!(at, utc(2026, 3, 29, 1, 0)); // 03:00 CEST
                                                // New York jumps from 02:00 to 03:00 on 2026-03-08.
        let at = local_instant(America::New_York, date(2026, 3, 8), time(2, 15));
        assert_eq!(at, utc(2026, 3, 8, 7, 0)); // 03:00 EDT
    }

    #[test]
    fn a_time_that_happens_twice_posts_at_its_first_occurrence() {
        // Berlin falls back from 03:00 to 02:00 on 2026-10-25.
        let at = local_instant(Europe::Berlin, date(2026, 10, 25), time(2, 30));
        assert_eq!(at, utc(2026, 10, 25, 0, 30)); // 02:30 CEST, not CET
        let at = local_instant(America::New_York, date(2026, 11, 1), time(1, 30));
        assert_eq!(at, utc(2026, 11, 1, 5, 30)); // 01:30 EDT
    }

    #[test]
    fn lord_howe_shifts_by_thirty_minutes() {
        // Lord Howe moves from +10:30 to +11:00 at 02:00 local on 2026-10-04.
        let at = local_instant(Australia::Lord_Howe, date(2026, 10, 4), time(2, 10));
        assert_eq!(at, utc(2026, 10, 3, 15, 30)); // 02:30 +11:00
    }

    #[test]
    fn weekdays_skip_the_weekend() {
        let plan = schedule(chrono_tz::UTC, time(9, 0), PostingDays::Weekdays);
        // Friday 2026-11-20 after the post: next is Monday.
        let (day, at) = plan.next_post(utc(2026, 11, 20, 10, 0)).unwrap();
        assert_eq!(day, date(2026, 11, 23));
        assert_eq!(at, utc(2026, 11, 23, 9, 0));
        assert_eq!(plan.due_day(utc(2026, 11, 21, 12, 0)), None);
    }

    #[test]
    fn the_due_day_is_the_local_date_in_the_servers_zone() {
        let plan = schedule(chrono_tz::Asia::Kolkata, time(9, 0), PostingDays::EveryDay);
        // 04:00 UTC is 09:30 in Kolkata: today's post is due.
        assert_eq!(
            plan.due_day(utc(2026, 11, 21, 4, 0)),
            Some(date(2026, 11, 21))
        );
        // 03:00 UTC is 08:30: not yet.
        assert_eq!(plan.due_day(utc(2026, 11, 21, 3, 0)), None);
        // Kiritimati (+14) is already on the next date.
        let plan = schedule(
            chrono_tz::Pacific::Kiritimati,
            time(9, 0),
            PostingDays::EveryDay,
        );
        assert_eq!(
            plan.due_day(utc(2026, 11, 21, 20, 0)),
            Some(date(2026, 11, 22))
        );
    }

    #[test]
    fn a_paused_schedule_has_no_next_post() {
        let mut plan = schedule(chrono_tz::UTC, time(9, 0), PostingDays::EveryDay);
        plan.paused = true;
        assert_eq!(plan.next_post(utc(2026, 11, 21, 0, 0)), None);
        assert_eq!(plan.due_day(utc(2026, 11, 21, 12, 0)), None);
    }
}
