//! The study bot's own concepts, in plain Rust.
//!
//! Nothing here knows Discord, SQLite or tantivy: this is where the rules live and where most
//! unit tests are. The outer modules translate between their library and these types.

pub mod card;
pub mod clock;
pub mod community;
pub mod content;
pub mod draw;
pub mod options;
pub mod progress;
pub mod review;
pub mod schedule;
pub mod season;
pub mod server;
pub mod shards;
pub mod standing;
pub mod streak;
pub mod text;
pub mod topic_week;

pub use card::{CardView, EmbedLimits, EmbedPart, LimitViolation};
pub use clock::{Clock, ManualClock, SystemClock};
pub use content::{Category, ContentPack, Level, Question, Topic};
pub use options::{FixedChoice, OptionError};
pub use progress::{CategoryMastery, DayMark, PostDay, ProgressView};
pub use schedule::{PostingDays, Schedule};
pub use server::{AnswerRecord, DailyPost, PostState, ServerSettings};
pub use shards::{ShardPlan, ShardRange};
pub use standing::{LeaderboardEntry, LeaderboardOrder, Period, ACCURACY_MIN_ANSWERS};
pub use streak::MemberStats;
pub use topic_week::{TopicWeek, WeekTopic};
