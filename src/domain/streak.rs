//! Streaks, freezes and points: the rules of PRODUCT.md ("Streaks and points"), on plain
//! numbers.
//!
//! Every post a server makes gets the next sequence number. A streak counts consecutive
//! *posted* questions answered while open, so days without a post (weekends on a weekdays
//! schedule, a paused server, the bot down all day) never break it: they have no number.

/// Every this many answered questions in a row earns one freeze.
pub const ANSWERS_PER_FREEZE: u32 = 7;
/// At most this many freezes are held.
pub const FREEZES_MAX: u32 = 2;
pub const POINTS_CORRECT: u32 = 10;
pub const POINTS_WRONG: u32 = 2;
/// A correct answer adds min(streak, this) on top.
pub const STREAK_BONUS_MAX: u32 = 10;

/// One member's standing in one server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct MemberStats {
    pub streak: u32,
    pub best_streak: u32,
    pub freezes: u32,
    pub points: u64,
    pub answered: u32,
    pub correct: u32,
    /// Sequence number of the last post answered, if any.
    pub last_answered_seq: Option<i64>,
}

/// What one recorded answer changed, for the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnswerOutcome {
    pub points_awarded: u32,
    pub freezes_used: u32,
    pub freeze_earned: bool,
    pub streak_reset: bool,
}

impl MemberStats {
    /// The stats after answering the post with sequence number `seq` (it must be open; the
    /// store makes sure a member answers a post once).
    pub fn after_answer(&self, seq: i64, correct: bool) -> (MemberStats, AnswerOutcome) {
        let missed = self.missed_before(seq);
        let mut next = *self;
        let mut outcome = AnswerOutcome {
            points_awarded: 0,
            freezes_used: 0,
            freeze_earned: false,
            streak_reset: false,
        };
        if missed <= u64::from(self.freezes) {
            // Each missed post spends one freeze instead of breaking the streak.
            let used = missed as u32;
            next.freezes -= used;
            outcome.freezes_used = used;
            next.streak = self.streak + 1;
        } else {
            // Not enough freezes: they are spent on the first misses, the next one breaks it.
            outcome.freezes_used = self.freezes;
            outcome.streak_reset = self.streak > 0;
            next.freezes = 0;
            next.streak = 1;
        }
        if next.streak.is_multiple_of(ANSWERS_PER_FREEZE) && next.freezes < FREEZES_MAX {
            next.freezes += 1;
            outcome.freeze_earned = true;
        }
        next.best_streak = self.best_streak.max(next.streak);
        next.answered += 1;
        outcome.points_awarded = if correct {
            next.correct += 1;
            POINTS_CORRECT + next.streak.min(STREAK_BONUS_MAX)
        } else {
            POINTS_WRONG
        };
        next.points += u64::from(outcome.points_awarded);
        next.last_answered_seq = Some(seq.max(self.last_answered_seq.unwrap_or(seq)));
        (next, outcome)
    }

    /// Posts between the last one answered and `seq`, none of them answered.
    fn missed_before(&self, seq: i64) -> u64 {
        match self.last_answered_seq {
            Some(last) if seq > last => (seq - last - 1) as u64,
            _ => 0,
        }
    }

    /// The streak as it stands when the newest post has number `latest_seq`. A post still
    /// open can be answered, so only closed posts count as missed; a streak whose missed
    /// posts outnumber its freezes is over (it shows 0) even before the member answers again.
    pub fn current_streak(&self, latest_seq: Option<i64>, latest_is_open: bool) -> u32 {
        let (Some(last), Some(latest)) = (self.last_answered_seq, latest_seq) else {
            return self.streak;
        };
        let closed_until = if latest_is_open { latest - 1 } else { latest };
        let missed = (closed_until - last).max(0) as u64;
        if missed <= u64::from(self.freezes) {
            self.streak
        } else {
            0
        }
    }

    /// Share of answers that were right, 0.0 with none.
    pub fn accuracy(&self) -> f64 {
        if self.answered == 0 {
            0.0
        } else {
            f64::from(self.correct) / f64::from(self.answered)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Answers the given sequence numbers in order, all correct.
    fn answering(seqs: &[i64]) -> MemberStats {
        seqs.iter().fold(MemberStats::default(), |stats, &seq| {
            stats.after_answer(seq, true).0
        })
    }

    #[test]
    fn consecutive_posts_build_a_streak() {
        let stats = answering(&[1, 2, 3]);
        assert_eq!(stats.streak, 3);
        assert_eq!(stats.best_streak, 3);
        assert_eq!(stats.answered, 3);
    }

    #[test]
    fn a_missed_post_without_a_freeze_resets_the_streak_but_keeps_the_best() {
        let stats = answering(&[1, 2, 3, 5]);
        assert_eq!(stats.streak, 1);
        assert_eq!(stats.best_streak, 3);
    }

    #[test]
    fn seven_in_a_row_earn_a_freeze_that_covers_one_miss() {
        let stats = answering(&[1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(stats.freezes, 1);
        let (after, outcome) = stats.after_answer(9, true);
        assert_eq!(after.streak, 8);
        assert_eq!(after.freezes, 0);
        assert_eq!(outcome.freezes_used, 1);
    }

    #[test]
    fn at_most_two_freezes_are_held() {
        let seqs: Vec<i64> = (1..=21).collect();
        let stats = answering(&seqs);
        assert_eq!(stats.freezes, 2);
        assert_eq!(stats.streak, 21);
    }

    #[test]
    fn more_misses_than_freezes_break_the_streak_and_spend_the_freezes() {
        let seqs: Vec<i64> = (1..=14).collect();
        let stats = answering(&seqs);
        assert_eq!(stats.freezes, 2);
        let (after, outcome) = stats.after_answer(18, false);
        assert_eq!(after.streak, 1);
        assert_eq!(after.freezes, 0);
        assert!(outcome.streak_reset);
        assert_eq!(after.best_streak, 14);
    }

    #[test]
    fn points_are_ten_plus_a_capped_streak_bonus_or_two_for_taking_part() {
        let (first, outcome) = MemberStats::default().after_answer(1, true);
        assert_eq!(outcome.points_awarded, 11);
        let (_, outcome) = first.after_answer(2, false);
        assert_eq!(outcome.points_awarded, 2);
        let seqs: Vec<i64> = (1..=15).collect();
        let long = answering(&seqs);
        let (_, outcome) = long.after_answer(16, true);
        assert_eq!(outcome.points_awarded, 20);
    }

    #[test]
    fn a_wrong_answer_still_counts_for_the_streak() {
        let (stats, _) = answering(&[1]).after_answer(2, false);
        assert_eq!(stats.streak, 2);
        assert_eq!(stats.correct, 1);
        assert!((stats.accuracy() - 0.5).abs() < 1e-9);
    }

    #[test]
    fn the_shown_streak_drops_to_zero_once_closed_misses_outnumber_freezes() {
        let stats = answering(&[1, 2, 3]);
        // Post 4 is open: the streak still stands.
        assert_eq!(stats.current_streak(Some(4), true), 3);
        // Post 4 closed unanswered and post 5 open: broken.
        assert_eq!(stats.current_streak(Some(5), true), 0);
        let frozen = answering(&[1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(frozen.current_streak(Some(9), true), 7);
        assert_eq!(frozen.current_streak(Some(10), true), 0);
    }
}
