//! The bot's behaviour, answered once for every front end.
//!
//! [`App`] is the one boundary: a front end (Discord, the console) turns what a member did
//! into a [`Command`] (options already parsed into domain types) or a button custom id, with
//! a [`Caller`] saying who and where, and gets a platform-neutral [`Reply`]. The background
//! work (the daily scheduler, answer-count refreshes) also runs inside the app, through a
//! [`Poster`] the front end provides, so every front end behaves the same.
//!
//! Errors are of two kinds: [`AppError::User`] carries a sentence for the member;
//! [`AppError::Internal`] is logged with context and answered with a short apology. Both
//! become a reply in one place, [`reply_for`].
//!
//! - `command`, `action`: what a front end hands in (typed commands, button ids).
//! - `member`, `moderator`, `answer`, `insight`, `roles`: the use cases.
//! - `scheduler`, `recap`, `background`: posting, announcing, revealing, the weekly recap
//!   and monthly champion; refreshing answer counts.
//! - `library`: the content and its search index.
//! - `render`: every message's layout (the one place with formatting).
//! - `reply`, `error`, `poster`: the reply model, error mapping, and the poster port.

pub mod action;
mod answer;
mod background;
mod bank;
mod command;
mod community;
mod error;
mod insight;
mod library;
mod member;
mod moderator;
mod poster;
mod recap;
mod render;
pub mod reply;
mod roles;
mod scheduler;

use std::future::Future;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;

use crate::domain::community::SuggestionDraft;
use crate::domain::{Clock, PostingDays, Schedule, ServerSettings, ShardRange};
use crate::search::similar::PromptIndex;
use crate::store::{Db, ManagedRole};

pub use action::{Action, Form};
pub use background::BackgroundTiming;
pub use command::{Command, MemberRef};
pub use error::{reply_for, AppError, AppResult, Outcome, APOLOGY};
pub use library::{Hit, Library, Lookup, Suggestion};
pub use poster::Poster;
pub use render::nonce_for;
pub use reply::{
    Attachment, Button, ButtonStyle, Embed, EmbedField, FormInput, FormView, Mention, Reply, Text,
};
pub use roles::{RoleError, RoleFuture, Roles};
pub use scheduler::TickReport;

use background::Signals;
use error::user_error;

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

/// What a server gets before a moderator runs `/studybot setup`.
#[derive(Debug, Clone, Copy)]
pub struct Defaults {
    pub post_time: NaiveTime,
    pub timezone: Tz,
}

/// Which option a member is typing into, for autocomplete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AutocompleteField {
    /// A topic (`/explain`, `/quiz`).
    Topic,
    /// A category or a topic (`/topicweek schedule`).
    WeekTopic,
}

/// The bot: content, store, clock, and the state the background work shares with
/// interactions. Front ends hold it in an `Arc` and call its methods, never its fields.
pub struct App {
    library: Library,
    db: Db,
    clock: Arc<dyn Clock>,
    defaults: Defaults,
    signals: Signals,
    /// How the front end gives and takes roles, once it is connected.
    roles: OnceLock<Arc<dyn Roles>>,
    /// The gateway shards this process runs; `None` runs them all. The background work
    /// serves only the servers on them, as another process serves the rest.
    shards: Option<ShardRange>,
    /// Per server: the near-duplicate index of its bank, and the size of its own bank when
    /// it was built (a new approved question makes it stale).
    prompt_indexes: tokio::sync::Mutex<std::collections::HashMap<u64, (usize, PromptIndex)>>,
}

impl App {
    pub fn new(library: Library, db: Db, clock: Arc<dyn Clock>, defaults: Defaults) -> App {
        App {
            library,
            db,
            clock,
            defaults,
            signals: Signals::default(),
            roles: OnceLock::new(),
            shards: None,
            prompt_indexes: tokio::sync::Mutex::default(),
        }
    }

    /// Limits the background work (posts, recaps, topic weeks, count edits) to the servers
    /// on `shards`, for one process of several sharing a database.
    pub fn on_shards(mut self, shards: ShardRange) -> App {
        self.shards = Some(shards);
        self
    }

    /// Whether this process schedules `server_id`'s posts (every server, unless limited to
    /// some shards).
    pub fn owns_server(&self, server_id: u64) -> bool {
        self.shards.is_none_or(|shards| shards.owns(server_id))
    }

    /// Answers a slash command.
    pub async fn handle(&self, caller: &Caller, command: Command) -> AppResult<Reply> {
        if command.needs_moderator() && !self.is_moderator(caller).await? {
            return user_error(MODERATORS_ONLY);
        }
        match command {
            Command::Explain { topic, private } => Ok(self.explain(&topic, private)),
            Command::Search { query } => Ok(self.search(&query)),
            Command::Topics { category } => Ok(self.topics(category)),
            Command::Quiz { practice, topic } => {
                self.quiz(caller, practice, topic.as_deref()).await
            }
            Command::Streak { member } => self.streak(caller, member).await,
            Command::Leaderboard { by, period } => self.leaderboard(caller, by, period).await,
            Command::Progress { member, public } => self.progress(caller, member, public).await,
            Command::Notify { on } => self.notify(caller, on).await,
            Command::Review => self.review(caller).await,
            Command::ForgetMe => Ok(render::forget_confirmation()),
            Command::Setup {
                channel_id,
                time,
                timezone,
                days,
            } => self.setup(caller, channel_id, time, timezone, days).await,
            Command::Status => self.status(caller).await,
            Command::PostNow => self.request_post_now(caller).await,
            Command::Pause => self.set_paused(caller, true).await,
            Command::Resume => self.set_paused(caller, false).await,
            Command::Role { role_id } => self.set_role(caller, role_id).await,
            Command::WeekSchedule { topic, start } => {
                self.schedule_week(caller, &topic, start).await
            }
            Command::WeekList => self.list_weeks(caller).await,
            Command::WeekCancel { id } => self.cancel_week(caller, id).await,
            Command::ChampionRole { role_id } => {
                self.set_managed_role(caller, ManagedRole::Champion, role_id)
                    .await
            }
            Command::NotifyRole { role_id } => {
                self.set_managed_role(caller, ManagedRole::Notify, role_id)
                    .await
            }
            Command::Stats => self.stats(caller).await,
            Command::Suggest => Ok(self.suggestion_form()),
            Command::SuggestMine => self.my_suggestions(caller).await,
            Command::Suggestions => self.review_queue(caller).await,
            Command::Bank { source } => self.set_bank(caller, source).await,
            Command::Retire { id } => self.retire_question(caller, &id).await,
        }
    }

    /// Answers a button press, given the button's custom id as the platform sent it back.
    pub async fn press(&self, caller: &Caller, custom_id: &str) -> AppResult<Reply> {
        let Some(action) = Action::parse(custom_id) else {
            return user_error(
                "That button belongs to an older version of the bot. Run the command again.",
            );
        };
        if action.needs_moderator() && !self.is_moderator(caller).await? {
            return user_error(MODERATORS_ONLY);
        }
        match action {
            Action::Answer { post_id, choice } => self.answer_daily(caller, post_id, choice).await,
            Action::Explain { slug } => Ok(self.explain(&slug, true)),
            Action::QuizMe { slug } => self.practice_question(caller, Some(&slug)).await,
            Action::Practice {
                question_id,
                choice,
            } => self.answer_practice(caller, &question_id, choice).await,
            Action::Review {
                question_id,
                choice,
            } => self.answer_review(caller, &question_id, choice).await,
            Action::Forget { confirmed } => self.forget(caller, confirmed).await,
            Action::EditSuggestion { id } => self.edit_suggestion(caller, id).await,
            Action::Approve { id } => self.approve_suggestion(caller, id).await,
            Action::Reject { id } => self.reject_form(caller, id).await,
            Action::Skip { id } => self.skip_suggestion(caller, id).await,
        }
    }

    /// Answers a submitted form (a Discord modal), given its custom id and the (input id,
    /// value) pairs as the platform sent them back.
    pub async fn submit(
        &self,
        caller: &Caller,
        custom_id: &str,
        fields: &[(String, String)],
    ) -> AppResult<Reply> {
        let Some(form) = Form::parse(custom_id) else {
            return user_error(
                "That form belongs to an older version of the bot. Run the command again.",
            );
        };
        if form.needs_moderator() && !self.is_moderator(caller).await? {
            return user_error(MODERATORS_ONLY);
        }
        let value = |id: &str| {
            fields
                .iter()
                .find(|(input, _)| input == id)
                .map_or("", |(_, value)| value.as_str())
        };
        match form {
            Form::Suggestion { draft } => {
                let typed = SuggestionDraft::from_fields(
                    fields
                        .iter()
                        .map(|(id, value)| (id.as_str(), value.as_str())),
                );
                self.submit_suggestion(caller, draft, typed).await
            }
            Form::RejectReason { id } => self.reject_suggestion(caller, id, value("reason")).await,
        }
    }

    /// Choices for what a member has typed so far into a searchable option.
    pub fn autocomplete(&self, field: AutocompleteField, typed: &str) -> Vec<Suggestion> {
        match field {
            AutocompleteField::Topic => self.library.autocomplete_topics(typed),
            AutocompleteField::WeekTopic => self.library.autocomplete_week_topics(typed),
        }
    }

    /// Runs the background work until `shutdown` completes: the daily scheduler every
    /// `timing.scheduler_period` (or sooner when a moderator asks), and the public answer
    /// counts of posts that got answers, each edited at most once per `timing.count_refresh`.
    pub async fn run_background<P: Poster>(
        &self,
        poster: &P,
        timing: BackgroundTiming,
        shutdown: impl Future<Output = ()>,
    ) {
        background::run(self, poster, timing, shutdown).await;
    }

    /// One scheduler pass over every server, now (the console drives time itself).
    pub async fn tick<P: Poster>(&self, poster: &P) -> TickReport {
        scheduler::tick(self, poster).await
    }

    /// Edits every post whose answer count changed since it was last shown (the console
    /// calls it after each line; `run_background` throttles it).
    pub async fn refresh_answer_counts<P: Poster>(&self, poster: &P) {
        background::refresh_counts(self, poster, std::time::Duration::ZERO).await;
    }

    /// Whether the command definitions for `scope` differ from the last registration.
    pub async fn commands_changed(&self, scope: &str, fingerprint: &str) -> AppResult<bool> {
        Ok(self.db.meta(&registration_key(scope)).await?.as_deref() != Some(fingerprint))
    }

    /// Remembers that the definitions with `fingerprint` are registered for `scope`.
    pub async fn commands_registered(&self, scope: &str, fingerprint: &str) -> AppResult<()> {
        self.db
            .set_meta(&registration_key(scope), fingerprint)
            .await?;
        Ok(())
    }

    /// Whether the database answers; the problem in words when it does not.
    pub async fn database_health(&self) -> Result<(), String> {
        self.db
            .ping()
            .await
            .map_err(|error| format!("the database does not answer: {error}"))
    }

    /// The next time a server's question is due after `after` (none while paused or not set
    /// up): the console advances its clock in steps that stop there.
    pub async fn next_post_after(
        &self,
        server_id: u64,
        after: DateTime<Utc>,
    ) -> AppResult<Option<DateTime<Utc>>> {
        Ok(self
            .db
            .server(server_id)
            .await?
            .and_then(|settings| settings.schedule.next_post(after))
            .map(|(_, at)| at))
    }

    /// The timezone a server's days are counted in.
    pub async fn server_timezone(&self, server_id: u64) -> AppResult<Tz> {
        Ok(self
            .settings_or_defaults(server_id)
            .await?
            .schedule
            .timezone)
    }

    /// Closes the database: the last thing a front end does.
    pub async fn close(&self) {
        self.db.close().await;
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
}

const MODERATORS_ONLY: &str = "Only moderators can do that: it needs the Manage Server permission or the moderator role set with /studybot role.";

fn registration_key(scope: &str) -> String {
    format!("commands:{scope}")
}
