//! A server's quiz settings and its daily posts, as the rest of the bot sees them.

use chrono::{DateTime, NaiveDate, Utc};

use super::schedule::Schedule;

/// What a moderator set up with `/studybot setup` (and pause, resume, role).
#[derive(Debug, Clone, PartialEq)]
pub struct ServerSettings {
    pub server_id: u64,
    /// `None` until set up: nothing is posted without a channel.
    pub channel_id: Option<u64>,
    pub schedule: Schedule,
    pub moderator_role: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PostState {
    /// Reserved with a nonce; the message may or may not have reached Discord.
    Reserved,
    /// Discord confirmed the message.
    Posted,
}

/// One daily question of one server.
#[derive(Debug, Clone, PartialEq)]
pub struct DailyPost {
    pub post_id: i64,
    pub server_id: u64,
    pub posting_day: NaiveDate,
    /// 1, 2, 3... per server; what streaks count.
    pub seq: i64,
    pub question_id: String,
    pub channel_id: u64,
    pub nonce: String,
    pub state: PostState,
    pub message_id: Option<u64>,
    pub posted_at: Option<DateTime<Utc>>,
    pub revealed: bool,
}

/// What happened to a click on a daily post's answer button: exactly one of these, so the
/// reply never has to ask again.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerRecord {
    /// First answer: recorded, with the member's stats after it.
    Recorded {
        stats: super::streak::MemberStats,
        outcome: super::streak::AnswerOutcome,
    },
    /// The member had answered this post already; the first choice stands.
    AlreadyAnswered { choice: usize },
    /// A newer question was posted after this one; answers no longer count.
    Closed,
    /// No such post in this server (a forged or foreign button, or a deleted server).
    UnknownPost,
    /// The content no longer has the post's question, so nothing can be scored.
    QuestionRetired,
}
