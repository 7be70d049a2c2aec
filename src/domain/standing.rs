//! How members are ranked against each other in a server.

use std::fmt;

use super::streak::MemberStats;

/// Leaderboards by accuracy only rank members with at least this many answers, so one lucky
/// first answer does not top the board at 100%.
pub const ACCURACY_MIN_ANSWERS: u32 = 5;
/// A week has at most seven posts, so a weekly accuracy board asks for fewer.
pub const ACCURACY_MIN_ANSWERS_WEEK: u32 = 3;

/// The answers a member needs to be ranked by accuracy: `weekly` for a one-week board.
pub fn accuracy_min_answers(weekly: bool) -> u32 {
    if weekly {
        ACCURACY_MIN_ANSWERS_WEEK
    } else {
        ACCURACY_MIN_ANSWERS
    }
}

/// What a leaderboard ranks by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LeaderboardOrder {
    Streak,
    /// The default: points reward both taking part and being right.
    #[default]
    Points,
    Accuracy,
}

impl LeaderboardOrder {
    pub fn as_str(self) -> &'static str {
        match self {
            LeaderboardOrder::Streak => "streak",
            LeaderboardOrder::Points => "points",
            LeaderboardOrder::Accuracy => "accuracy",
        }
    }
}

impl fmt::Display for LeaderboardOrder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which answers a leaderboard counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Period {
    /// The current calendar week (Monday to Sunday) in the server's timezone.
    Week,
    /// The current calendar month in the server's timezone.
    Month,
    #[default]
    AllTime,
}

impl Period {
    pub fn as_str(self) -> &'static str {
        match self {
            Period::Week => "week",
            Period::Month => "month",
            Period::AllTime => "all-time",
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One member's place on a leaderboard.
#[derive(Debug, Clone, PartialEq)]
pub struct LeaderboardEntry {
    pub rank: u32,
    pub user_id: u64,
    pub stats: MemberStats,
    /// The streak as it stands now (0 once broken, even before the member answers again).
    pub shown_streak: u32,
}
