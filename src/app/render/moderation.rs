//! What moderators see: the saved setup, status, topic weeks; and the forget-me prompt.

use chrono::{DateTime, Utc};

use super::super::action::Action;
use super::super::reply::{Button, ButtonStyle, Embed, Mention, Reply, Text};
use super::super::roles::missing_permission;
use super::{explain_button, QUESTION_COLOUR, WEEK_COLOUR};
use crate::domain::{ContentPack, Schedule, ServerSettings, TopicWeek};
use crate::store::ServerRoles;

/// "Next post: Sunday 22 November 09:00 CET (in 9h 12m)", or why there is none.
fn describe_next_post(schedule: &Schedule, now: DateTime<Utc>) -> String {
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

pub fn setup_saved(channel_id: u64, schedule: &Schedule, now: DateTime<Utc>) -> Reply {
    let text = Text::new()
        .plain("Saved: a question in ")
        .mention(Mention::Channel(channel_id))
        .plain(&format!(
            " at {} {} ({}). {}",
            schedule.post_time.format("%H:%M"),
            schedule.timezone.name(),
            schedule.days,
            describe_next_post(schedule, now)
        ));
    Reply::text(text).private()
}

pub fn status(
    pack: &ContentPack,
    settings: &ServerSettings,
    weeks: &[TopicWeek],
    roles: &ServerRoles,
    now: DateTime<Utc>,
) -> Reply {
    let schedule = &settings.schedule;
    let role_or_none = |role: Option<u64>| {
        role.map_or(Text::from("none"), |id| {
            Text::new().mention(Mention::Role(id))
        })
    };
    let channel = settings.channel_id.map_or(Text::from("not set"), |id| {
        Text::new().mention(Mention::Channel(id))
    });
    let role = settings
        .moderator_role
        .map_or(Text::from("none (Manage Server only)"), |id| {
            Text::new().mention(Mention::Role(id))
        });
    let week_lines = if weeks.is_empty() {
        "none".to_string()
    } else {
        weeks
            .iter()
            .map(|week| {
                format!(
                    "#{} {}: {} to {}",
                    week.id,
                    week.topic.label(pack),
                    week.start,
                    week.last_day()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let embed = Embed {
        title: "studybot status".into(),
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    }
    .field("Channel", channel, true)
    .field(
        "Time",
        format!(
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
    .field("Moderator role", role, true)
    .field("Champion role", role_or_none(roles.champion_role), true)
    .field("Quiz ping role", role_or_none(roles.notify_role), true)
    .field("Next post", describe_next_post(schedule, now), false)
    .field("Topic weeks", week_lines, false);
    let embed = match roles.problem_role {
        Some(role_id) => embed.field("Roles", missing_permission(role_id), false),
        None => embed,
    };
    Reply::embed(embed).private()
}

pub fn week_scheduled(pack: &ContentPack, week: &TopicWeek) -> Reply {
    let plan: Vec<String> = week
        .topic
        .study_plan(pack)
        .iter()
        .map(|topic| topic.title.clone())
        .collect();
    Reply::text(format!(
        "Topic week #{} scheduled: {} from {} to {}. Study plan: {}.",
        week.id,
        week.topic.label(pack),
        week.start,
        week.last_day(),
        plan.join(", ")
    ))
    .private()
}

pub fn week_list(pack: &ContentPack, weeks: &[TopicWeek]) -> Reply {
    if weeks.is_empty() {
        return Reply::text("No topic weeks scheduled. Add one with /topicweek schedule.")
            .private();
    }
    let lines: Vec<String> = weeks
        .iter()
        .map(|week| {
            format!(
                "#{}: {} from {} to {}",
                week.id,
                week.topic.label(pack),
                week.start,
                week.last_day()
            )
        })
        .collect();
    Reply::text(lines.join("\n")).private()
}

/// The first-day announcement of a topic week, with its study plan.
pub fn week_announcement(pack: &ContentPack, week: &TopicWeek) -> Reply {
    let plan = week.topic.study_plan(pack);
    let lines: Vec<String> = plan
        .iter()
        .enumerate()
        .map(|(day, topic)| {
            format!(
                "Day {}: **{}** (`/explain {}`)",
                day + 1,
                topic.title,
                topic.slug
            )
        })
        .collect();
    let embed = Embed {
        title: format!("Topic week: {}", week.topic.label(pack)),
        description: format!(
            "From {} to {}, the daily questions come from this topic. A card a day:\n\n{}",
            week.start,
            week.last_day(),
            lines.join("\n")
        )
        .into(),
        colour: Some(WEEK_COLOUR),
        ..Embed::default()
    };
    let buttons = plan
        .iter()
        .take(5)
        .map(|topic| explain_button(&topic.title, &topic.slug))
        .collect();
    Reply::embed(embed).with_buttons(buttons)
}

pub fn forget_confirmation() -> Reply {
    Reply::text(
        "This deletes your answers, streak, points, weekly and monthly scores, reviews and the questions you suggested that are not in the bank, in this server. Questions already approved stay, credited to \"a former member\". It cannot be undone.",
    )
    .with_buttons(vec![
        Button::new(
            "Delete my data",
            Action::Forget { confirmed: true }.custom_id(),
            ButtonStyle::Danger,
        ),
        Button::new(
            "Cancel",
            Action::Forget { confirmed: false }.custom_id(),
            ButtonStyle::Secondary,
        ),
    ])
    .private()
}
