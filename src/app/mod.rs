//! The bot's behaviour, answered once for every front end.
//!
//! A front end (Discord, the console) turns what a member did into a [`Command`] or a button
//! [`Action`], with a [`Caller`] saying who and where; [`App`] answers with a platform-neutral
//! [`Reply`]. Errors are of two kinds: [`AppError::User`] carries a sentence for the member;
//! [`AppError::Internal`] is logged with context by the front end and answered with a short
//! apology.

pub mod action;
mod member;
mod moderator;
mod render;
pub mod reply;

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;
use tokio::sync::Notify;

use crate::domain::{Clock, ContentPack, PostingDays, Schedule, ServerSettings};
use crate::search::SearchIndex;
use crate::store::{Db, LeaderboardOrder, StoreError};

pub use action::Action;
pub use render::{daily_post_message, nonce_for, reveal_message, week_announcement};
pub use reply::{Button, ButtonStyle, Embed, EmbedField, Reply};

/// Who did something, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub server_id: u64,
    pub channel_id: u64,
    pub user_id: u64,
    pub display_name: String,
    /// Discord's Manage Server permission in this server.
    pub manage_server: bool,
    pub role_ids: Vec<u64>,
}

/// A slash command with its options, parsed by the front end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Explain {
        topic: String,
        private: bool,
    },
    Search {
        query: String,
    },
    Topics {
        category: Option<String>,
    },
    Quiz {
        practice: bool,
        topic: Option<String>,
    },
    Streak {
        member: Option<(u64, String)>,
    },
    Leaderboard {
        by: Option<String>,
    },
    Review,
    ForgetMe,
    Setup {
        channel_id: u64,
        time: String,
        timezone: String,
        days: String,
    },
    Status,
    PostNow,
    Pause,
    Resume,
    Role {
        role_id: u64,
    },
    WeekSchedule {
        topic: String,
        start: String,
    },
    WeekList,
    WeekCancel {
        id: i64,
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
        }
    }

    fn needs_moderator(&self) -> bool {
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
        )
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// Something the member can fix or should know; shown to them as is.
    #[error("{0}")]
    User(String),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AppError {
    fn from(error: StoreError) -> AppError {
        AppError::Internal(error.into())
    }
}

pub type AppResult<T> = Result<T, AppError>;

fn user_error<T>(message: impl Into<String>) -> AppResult<T> {
    Err(AppError::User(message.into()))
}

/// What a server gets before a moderator runs `/studybot setup`.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    pub post_time: NaiveTime,
    pub timezone: Tz,
}

/// The bot's state shared by every interaction.
pub struct App {
    pub pack: Arc<ContentPack>,
    pub index: Arc<SearchIndex>,
    pub db: Db,
    pub clock: Arc<dyn Clock>,
    pub defaults: Defaults,
    /// Servers whose moderators asked for `/studybot post-now`; the scheduler drains it.
    post_now: Mutex<HashSet<u64>>,
    /// Wakes the scheduler early (post-now, setup).
    pub scheduler_wake: Notify,
}

impl App {
    pub fn new(
        pack: Arc<ContentPack>,
        index: Arc<SearchIndex>,
        db: Db,
        clock: Arc<dyn Clock>,
        defaults: Defaults,
    ) -> App {
        App {
            pack,
            index,
            db,
            clock,
            defaults,
            post_now: Mutex::new(HashSet::new()),
            scheduler_wake: Notify::new(),
        }
    }

    /// Answers a slash command.
    pub async fn handle(&self, caller: &Caller, command: Command) -> AppResult<Reply> {
        if command.needs_moderator() && !self.is_moderator(caller).await? {
            return user_error(
                "Only moderators can do that: it needs the Manage Server permission or the moderator role set with /studybot role.",
            );
        }
        match command {
            Command::Explain { topic, private } => Ok(self.explain(&topic, private)),
            Command::Search { query } => Ok(self.search(&query)),
            Command::Topics { category } => self.topics(category.as_deref()),
            Command::Quiz { practice, topic } => {
                self.quiz(caller, practice, topic.as_deref()).await
            }
            Command::Streak { member } => self.streak(caller, member).await,
            Command::Leaderboard { by } => {
                let order = match by.as_deref().map(str::trim) {
                    None | Some("") => LeaderboardOrder::Points,
                    Some(text) => match LeaderboardOrder::parse(&text.to_lowercase()) {
                        Some(order) => order,
                        None => return user_error("Rank by streak, points or accuracy."),
                    },
                };
                self.leaderboard(caller, order).await
            }
            Command::Review => self.review(caller).await,
            Command::ForgetMe => Ok(render::forget_confirmation()),
            Command::Setup {
                channel_id,
                time,
                timezone,
                days,
            } => {
                self.setup(caller, channel_id, &time, &timezone, &days)
                    .await
            }
            Command::Status => self.status(caller).await,
            Command::PostNow => self.request_post_now(caller).await,
            Command::Pause => self.set_paused(caller, true).await,
            Command::Resume => self.set_paused(caller, false).await,
            Command::Role { role_id } => self.set_role(caller, role_id).await,
            Command::WeekSchedule { topic, start } => {
                self.schedule_week(caller, &topic, &start).await
            }
            Command::WeekList => self.list_weeks(caller).await,
            Command::WeekCancel { id } => self.cancel_week(caller, id).await,
        }
    }

    /// Answers a button press (its custom id).
    pub async fn press(&self, caller: &Caller, custom_id: &str) -> AppResult<Reply> {
        let Some(action) = Action::parse(custom_id) else {
            return user_error(
                "That button belongs to an older version of the bot. Run the command again.",
            );
        };
        match action {
            Action::Answer { post_id, choice } => self.answer_daily(caller, post_id, choice).await,
            Action::Explain { slug } => Ok(self.explain(&slug, true)),
            Action::QuizMe { slug } => self.practice_question(caller, Some(&slug)),
            Action::Practice {
                question_id,
                choice,
            } => self.answer_practice(&question_id, choice),
            Action::Review {
                question_id,
                choice,
            } => self.answer_review(caller, &question_id, choice).await,
            Action::Forget { confirmed } => self.forget(caller, confirmed).await,
        }
    }

    /// Topic titles for what has been typed: (shown name, value sent back).
    pub fn autocomplete_topics(&self, typed: &str) -> Vec<(String, String)> {
        let started = std::time::Instant::now();
        let suggestions = self.index.autocomplete(typed);
        crate::telemetry::record_search("autocomplete", started.elapsed());
        suggestions
            .into_iter()
            .map(|suggestion| (suggestion.title, suggestion.slug))
            .collect()
    }

    /// Categories first, then topics, for `/topicweek schedule`.
    pub fn autocomplete_week_topics(&self, typed: &str) -> Vec<(String, String)> {
        let key = crate::domain::text::name_key(typed);
        let mut choices: Vec<(String, String)> = crate::domain::Category::ALL
            .into_iter()
            .filter(|category| {
                key.is_empty() || crate::domain::text::name_key(category.slug()).starts_with(&key)
            })
            .map(|category| {
                (
                    format!("{} (category)", category.label()),
                    category.slug().to_string(),
                )
            })
            .collect();
        choices.extend(self.autocomplete_topics(typed));
        choices.truncate(crate::search::AUTOCOMPLETE_MAX);
        choices
    }

    async fn is_moderator(&self, caller: &Caller) -> AppResult<bool> {
        if caller.manage_server {
            return Ok(true);
        }
        let role = self
            .db
            .server(caller.server_id)
            .await?
            .and_then(|settings| settings.moderator_role);
        Ok(role.is_some_and(|role| caller.role_ids.contains(&role)))
    }

    /// The server's settings, or the defaults for a server not set up yet.
    async fn settings_or_defaults(&self, server_id: u64) -> AppResult<ServerSettings> {
        Ok(self.db.server(server_id).await?.unwrap_or(ServerSettings {
            server_id,
            channel_id: None,
            schedule: Schedule {
                post_time: self.defaults.post_time,
                timezone: self.defaults.timezone,
                days: PostingDays::EveryDay,
                paused: false,
            },
            moderator_role: None,
        }))
    }

    async fn server_today(&self, server_id: u64) -> AppResult<NaiveDate> {
        let settings = self.settings_or_defaults(server_id).await?;
        Ok(settings.schedule.local_date(self.clock.now()))
    }

    /// Servers waiting for a `/studybot post-now`, emptied by the call.
    pub fn take_post_now_requests(&self) -> HashSet<u64> {
        std::mem::take(
            &mut *self
                .post_now
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner()),
        )
    }

    fn add_post_now_request(&self, server_id: u64) {
        self.post_now
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .insert(server_id);
        self.scheduler_wake.notify_one();
    }
}
