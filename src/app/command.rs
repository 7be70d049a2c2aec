//! Slash commands as the app receives them: options already parsed into domain types by the
//! front end (with the parsers in [`crate::domain::options`]), so nothing here reads text
//! except what is searched (topics, queries).

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::domain::community::BankSource;
use crate::domain::{Category, LeaderboardOrder, Period, PostingDays};

/// A member named in an option: their id, and the name to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRef {
    pub user_id: u64,
    pub name: String,
}

/// A slash command with its options.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Explain {
        /// What the member typed: searched, not parsed.
        topic: String,
        private: bool,
    },
    Search {
        query: String,
    },
    Topics {
        category: Option<Category>,
    },
    Quiz {
        practice: bool,
        topic: Option<String>,
    },
    Streak {
        member: Option<MemberRef>,
    },
    Leaderboard {
        by: LeaderboardOrder,
        period: Period,
    },
    Progress {
        member: Option<MemberRef>,
        /// Shown to the channel instead of only the caller.
        public: bool,
    },
    /// `/notify on|off`: join or leave the quiz ping role.
    Notify {
        on: bool,
    },
    Review,
    ForgetMe,
    Setup {
        channel_id: u64,
        time: NaiveTime,
        timezone: Tz,
        days: PostingDays,
    },
    Status,
    PostNow,
    Pause,
    Resume,
    Role {
        role_id: u64,
    },
    WeekSchedule {
        /// A category or a topic, as typed or picked from autocomplete.
        topic: String,
        start: NaiveDate,
    },
    WeekList,
    WeekCancel {
        id: i64,
    },
    /// No role clears it.
    ChampionRole {
        role_id: Option<u64>,
    },
    NotifyRole {
        role_id: Option<u64>,
    },
    Stats,
    /// `/suggest question`: opens the form.
    Suggest,
    /// `/suggest mine`.
    SuggestMine,
    /// `/studybot suggestions`: the review queue.
    Suggestions,
    Bank {
        source: BankSource,
    },
    /// `/studybot question retire`.
    Retire {
        id: String,
    },
}

impl Command {
    /// The command's name as members type it, for logs and metrics.
    pub fn name(&self) -> &'static str {
        match self {
            Command::Explain { .. } => "explain",
            Command::Search { .. } => "search",
            Command::Topics { .. } => "topics",
            Command::Quiz { .. } => "quiz",
            Command::Streak { .. } => "streak",
            Command::Leaderboard { .. } => "leaderboard",
            Command::Progress { .. } => "progress",
            Command::Notify { .. } => "notify",
            Command::Review => "review",
            Command::ForgetMe => "forget-me",
            Command::Setup { .. } => "studybot setup",
            Command::Status => "studybot status",
            Command::PostNow => "studybot post-now",
            Command::Pause => "studybot pause",
            Command::Resume => "studybot resume",
            Command::Role { .. } => "studybot role",
            Command::WeekSchedule { .. } => "topicweek schedule",
            Command::WeekList => "topicweek list",
            Command::WeekCancel { .. } => "topicweek cancel",
            Command::ChampionRole { .. } => "studybot champion-role",
            Command::NotifyRole { .. } => "studybot notify-role",
            Command::Stats => "studybot stats",
            Command::Suggest => "suggest question",
            Command::SuggestMine => "suggest mine",
            Command::Suggestions => "studybot suggestions",
            Command::Bank { .. } => "studybot bank",
            Command::Retire { .. } => "studybot question retire",
        }
    }

    pub(super) fn needs_moderator(&self) -> bool {
        matches!(
            self,
            Command::Setup { .. }
                | Command::Status
                | Command::PostNow
                | Command::Pause
                | Command::Resume
                | Command::Role { .. }
                | Command::WeekSchedule { .. }
                | Command::WeekList
                | Command::WeekCancel { .. }
                | Command::ChampionRole { .. }
                | Command::NotifyRole { .. }
                | Command::Stats
                | Command::Suggestions
                | Command::Bank { .. }
                | Command::Retire { .. }
        )
    }
}
