//! What moderators do: set the schedule, pause and resume, post now, plan topic weeks.

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::error::user_error;
use super::reply::{Mention, Reply, Text};
use super::{render, App, AppResult, Caller};
use crate::domain::text::truncate_chars;
use crate::domain::{PostingDays, Schedule, WeekTopic};

impl App {
    pub(super) async fn setup(
        &self,
        caller: &Caller,
        channel_id: u64,
        post_time: NaiveTime,
        timezone: Tz,
        days: PostingDays,
    ) -> AppResult<Reply> {
        let current = self.db.server(caller.server_id).await?;
        let schedule = Schedule {
            post_time,
            timezone,
            days,
            paused: current
                .as_ref()
                .is_some_and(|settings| settings.schedule.paused),
        };
        let now = self.clock.now();
        self.db
            .save_setup(caller.server_id, channel_id, &schedule, caller.user_id, now)
            .await?;
        self.signals.wake_scheduler();
        Ok(render::setup_saved(channel_id, &schedule, now))
    }

    pub(super) async fn status(&self, caller: &Caller) -> AppResult<Reply> {
        let Some(settings) = self.db.server(caller.server_id).await? else {
            return Ok(Reply::text(
                "Not set up yet: run /studybot setup to choose a channel, time and timezone.",
            )
            .private());
        };
        let now = self.clock.now();
        let today = settings.schedule.local_date(now);
        let weeks = self.db.topic_weeks(caller.server_id, today).await?;
        let roles = self.db.server_roles(caller.server_id).await?;
        Ok(render::status(
            self.library.pack(),
            &settings,
            &weeks,
            &roles,
            now,
        ))
    }

    pub(super) async fn request_post_now(&self, caller: &Caller) -> AppResult<Reply> {
        let Some(settings) = self.db.server(caller.server_id).await? else {
            return user_error(
                "Run /studybot setup first, so the bot knows which channel to post in.",
            );
        };
        let today = settings.schedule.local_date(self.clock.now());
        if let Some(post) = self.db.post_for_day(caller.server_id, today).await? {
            let link = post
                .message_id
                .map_or(String::new(), |id| format!(" (message {id})"));
            return user_error(format!(
                "Today's question is already posted{link}; the next one comes tomorrow."
            ));
        }
        self.signals.request_post_now(caller.server_id);
        Ok(Reply::text("Posting today's question now.").private())
    }

    pub(super) async fn set_paused(&self, caller: &Caller, paused: bool) -> AppResult<Reply> {
        if !self
            .db
            .set_paused(caller.server_id, paused, caller.user_id, self.clock.now())
            .await?
        {
            return user_error("Run /studybot setup first.");
        }
        self.signals.wake_scheduler();
        Ok(Reply::text(if paused {
            "Paused: no daily questions until /studybot resume. Streaks are safe: days without a post never break them."
        } else {
            "Resumed: daily questions are back on schedule."
        })
        .private())
    }

    pub(super) async fn set_role(&self, caller: &Caller, role_id: u64) -> AppResult<Reply> {
        let defaults = self.settings_or_defaults(caller.server_id).await?.schedule;
        self.db
            .set_moderator_role(
                caller.server_id,
                role_id,
                &defaults,
                caller.user_id,
                self.clock.now(),
            )
            .await?;
        Ok(Reply::text(
            Text::new()
                .plain("Members with ")
                .mention(Mention::Role(role_id))
                .plain(" can now use the moderator commands."),
        )
        .private())
    }

    pub(super) async fn schedule_week(
        &self,
        caller: &Caller,
        topic: &str,
        start: NaiveDate,
    ) -> AppResult<Reply> {
        let Some(week_topic) = WeekTopic::parse(self.library.pack(), topic) else {
            return user_error(format!(
                "No category or topic matches “{}”. Pick one from the suggestions, e.g. security or jwt.",
                truncate_chars(topic, 60)
            ));
        };
        let today = self.server_today(caller.server_id).await?;
        match self
            .db
            .schedule_topic_week(
                caller.server_id,
                &week_topic,
                start,
                today,
                caller.user_id,
                self.clock.now(),
            )
            .await?
        {
            Err(refusal) => user_error(refusal.to_string()),
            Ok(week) => Ok(render::week_scheduled(self.library.pack(), &week)),
        }
    }

    pub(super) async fn list_weeks(&self, caller: &Caller) -> AppResult<Reply> {
        let today = self.server_today(caller.server_id).await?;
        let weeks = self.db.topic_weeks(caller.server_id, today).await?;
        Ok(render::week_list(self.library.pack(), &weeks))
    }

    pub(super) async fn cancel_week(&self, caller: &Caller, id: i64) -> AppResult<Reply> {
        if self
            .db
            .cancel_topic_week(caller.server_id, id, caller.user_id, self.clock.now())
            .await?
        {
            Ok(Reply::text(format!("Topic week #{id} cancelled.")).private())
        } else {
            user_error(format!(
                "There is no scheduled topic week #{id} in this server. /topicweek list shows them."
            ))
        }
    }
}
