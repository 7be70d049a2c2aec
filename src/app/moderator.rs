//! What moderators do: set the schedule, pause and resume, post now, plan topic weeks.

use std::str::FromStr;

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;

use super::reply::{Embed, Reply};
use super::{render, user_error, App, AppResult, Caller};
use crate::config::parse_post_time;
use crate::domain::text::truncate_chars;
use crate::domain::{PostingDays, Schedule, WeekTopic};

impl App {
    pub(super) async fn setup(
        &self,
        caller: &Caller,
        channel_id: u64,
        time: &str,
        timezone: &str,
        days: &str,
    ) -> AppResult<Reply> {
        let Some(post_time) = parse_post_time(time) else {
            return user_error(format!(
                "“{}” is not a time: use HH:MM on a 24-hour clock, like 09:00 or 18:30.",
                truncate_chars(time, 40)
            ));
        };
        let Ok(zone) = Tz::from_str(timezone.trim()) else {
            return user_error(format!(
                "“{}” is not an IANA timezone. Use a name like Europe/Berlin, America/New_York, Asia/Kolkata or UTC.",
                truncate_chars(timezone, 60)
            ));
        };
        let Some(days) = PostingDays::parse(days.trim()) else {
            return user_error("Days must be every-day or weekdays.");
        };
        let current = self.db.server(caller.server_id).await?;
        let schedule = Schedule {
            post_time,
            timezone: zone,
            days,
            paused: current
                .as_ref()
                .is_some_and(|settings| settings.schedule.paused),
        };
        self.db
            .save_setup(
                caller.server_id,
                channel_id,
                &schedule,
                caller.user_id,
                self.clock.now(),
            )
            .await?;
        self.scheduler_wake.notify_one();
        let next = describe_next_post(&schedule, self.clock.now());
        Ok(Reply::text(format!(
            "Saved: a question in <#{channel_id}> at {} {} ({days}). {next}",
            post_time.format("%H:%M"),
            zone.name()
        ))
        .private())
    }

    pub(super) async fn status(&self, caller: &Caller) -> AppResult<Reply> {
        let Some(settings) = self.db.server(caller.server_id).await? else {
            return Ok(Reply::text(
                "Not set up yet: run /studybot setup to choose a channel, time and timezone.",
            )
            .private());
        };
        let schedule = &settings.schedule;
        let channel = settings
            .channel_id
            .map_or("not set".to_string(), |id| format!("<#{id}>"));
        let role = settings
            .moderator_role
            .map_or("none (Manage Server only)".to_string(), |id| {
                format!("<@&{id}>")
            });
        let today = schedule.local_date(self.clock.now());
        let weeks = self.db.topic_weeks(caller.server_id, today).await?;
        let week_lines = if weeks.is_empty() {
            "none".to_string()
        } else {
            weeks
                .iter()
                .map(|week| {
                    format!(
                        "#{} {}: {} to {}",
                        week.id,
                        week.topic.label(&self.pack),
                        week.start,
                        week.last_day()
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let embed = Embed {
            title: "studybot status".into(),
            colour: Some(render::QUESTION_COLOUR),
            ..Embed::default()
        }
        .field("Channel", &channel, true)
        .field(
            "Time",
            &format!(
                "{} {}",
                schedule.post_time.format("%H:%M"),
                schedule.timezone.name()
            ),
            true,
        )
        .field("Days", schedule.days.as_str(), true)
        .field(
            "State",
            if schedule.paused { "paused" } else { "running" },
            true,
        )
        .field("Moderator role", &role, true)
        .field(
            "Next post",
            &describe_next_post(schedule, self.clock.now()),
            false,
        )
        .field("Topic weeks", &week_lines, false);
        Ok(Reply::embed(embed).private())
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
        self.add_post_now_request(caller.server_id);
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
        self.scheduler_wake.notify_one();
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
        Ok(Reply::text(format!(
            "Members with <@&{role_id}> can now use the moderator commands."
        ))
        .private())
    }

    pub(super) async fn schedule_week(
        &self,
        caller: &Caller,
        topic: &str,
        start: &str,
    ) -> AppResult<Reply> {
        let Some(week_topic) = WeekTopic::parse(&self.pack, topic) else {
            return user_error(format!(
                "No category or topic matches “{}”. Pick one from the suggestions, e.g. security or jwt.",
                truncate_chars(topic, 60)
            ));
        };
        let Ok(start_day) = NaiveDate::parse_from_str(start.trim(), "%Y-%m-%d") else {
            return user_error(format!(
                "“{}” is not a date: use YYYY-MM-DD, like 2026-12-07.",
                truncate_chars(start, 40)
            ));
        };
        let today = self.server_today(caller.server_id).await?;
        let now = self.clock.now();
        match self
            .db
            .schedule_topic_week(
                caller.server_id,
                &week_topic,
                start_day,
                today,
                caller.user_id,
                now,
            )
            .await?
        {
            Err(refusal) => user_error(refusal.to_string()),
            Ok(week) => {
                let plan: Vec<String> = week_topic
                    .study_plan(&self.pack)
                    .iter()
                    .map(|topic| topic.title.clone())
                    .collect();
                Ok(Reply::text(format!(
                    "Topic week #{} scheduled: {} from {} to {}. Study plan: {}.",
                    week.id,
                    week_topic.label(&self.pack),
                    week.start,
                    week.last_day(),
                    plan.join(", ")
                ))
                .private())
            }
        }
    }

    pub(super) async fn list_weeks(&self, caller: &Caller) -> AppResult<Reply> {
        let today = self.server_today(caller.server_id).await?;
        let weeks = self.db.topic_weeks(caller.server_id, today).await?;
        if weeks.is_empty() {
            return Ok(
                Reply::text("No topic weeks scheduled. Add one with /topicweek schedule.")
                    .private(),
            );
        }
        let lines: Vec<String> = weeks
            .iter()
            .map(|week| {
                format!(
                    "#{}: {} from {} to {}",
                    week.id,
                    week.topic.label(&self.pack),
                    week.start,
                    week.last_day()
                )
            })
            .collect();
        Ok(Reply::text(lines.join("\n")).private())
    }

    pub(super) async fn cancel_week(&self, caller: &Caller, id: i64) -> AppResult<Reply> {
        if self
            .db
            .cancel_topic_week(caller.server_id, id, caller.user_id, self.clock.now())
            .await?
        {
            Ok(Reply::text(format!("Topic week #{id} cancelled.")).private())
        } else {
            user_error(format!("There is no scheduled topic week #{id} in this server. /topicweek list shows them."))
        }
    }
}

/// "Next post: Sunday 22 November 09:00 CET (in 9h 12m)", or why there is none.
pub(super) fn describe_next_post(schedule: &Schedule, now: chrono::DateTime<Utc>) -> String {
    match schedule.next_post(now) {
        None => "No next post while paused.".to_string(),
        Some((_, at)) => {
            let local = at.with_timezone(&schedule.timezone);
            let wait = at - now;
            format!(
                "Next post: {} ({}) in {}h {}m.",
                local.format("%A %-d %B %H:%M %Z"),
                schedule.timezone.name(),
                wait.num_hours(),
                wait.num_minutes() % 60
            )
        }
    }
}
