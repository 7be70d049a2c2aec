//! Spaced repetition for questions answered wrong: the question comes back after 1 day, and
//! after each further wrong answer after 3, 7 and then 14 days, until it is answered right.

use chrono::{DateTime, Duration, Utc};

/// Days until a missed question is due again, by how many times it has been missed.
pub const LADDER_DAYS: [i64; 4] = [1, 3, 7, 14];

/// When a question missed `times_wrong` times (1 or more), the last time at `missed_at`,
/// comes back.
pub fn next_due(times_wrong: u32, missed_at: DateTime<Utc>) -> DateTime<Utc> {
    let step = (times_wrong.max(1) as usize - 1).min(LADDER_DAYS.len() - 1);
    missed_at + Duration::days(LADDER_DAYS[step])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_ladder_is_one_three_seven_then_fourteen_days() {
        let at = Utc.with_ymd_and_hms(2026, 11, 21, 9, 0, 0).unwrap();
        let days: Vec<i64> = (1..=6)
            .map(|times| (next_due(times, at) - at).num_days())
            .collect();
        assert_eq!(days, vec![1, 3, 7, 14, 14, 14]);
    }
}
