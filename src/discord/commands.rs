//! The slash commands, exactly as PRODUCT.md names them. Each one parses its options into a
//! typed [`Command`] (with the same domain parsers the console uses) and hands over to the
//! app; the first line of each doc comment is the description Discord shows.

use std::borrow::Cow;

use poise::serenity_prelude as serenity;

use super::interactions::respond_to_command;
use super::lifecycle::{Context, Data, Error};
use crate::app::{AppError, AutocompleteField, Command, MemberRef};
use crate::domain::community::BankSource;
use crate::domain::options::{parse_day, parse_post_time, parse_timezone};
use crate::domain::{Category, FixedChoice, LeaderboardOrder, Period, PostingDays};

/// A domain enum offered as Discord's fixed choices, generated from the domain's own list,
/// so the list of categories (or days, or orders) is written once.
#[derive(Debug, Clone, Copy)]
pub struct Choice<T>(T);

impl<T: FixedChoice> poise::ChoiceParameter for Choice<T> {
    fn list() -> Cow<'static, [poise::CommandParameterChoice]> {
        T::ALL
            .iter()
            .map(|choice| poise::CommandParameterChoice {
                name: Cow::Borrowed(choice.name()),
                localizations: Cow::Borrowed(&[]),
                // poise's own derive fills this field the same way.
                __non_exhaustive: (),
            })
            .collect()
    }

    fn from_index(index: usize) -> Option<Self> {
        T::ALL.get(index).copied().map(Choice)
    }

    fn from_name(name: &str) -> Option<Self> {
        T::ALL
            .iter()
            .copied()
            .find(|choice| choice.name() == name)
            .map(Choice)
    }

    fn name(&self) -> &'static str {
        self.0.name()
    }

    fn localized_name(&self, _locale: &str) -> Option<&'static str> {
        None
    }
}

async fn autocomplete(
    ctx: Context<'_>,
    field: AutocompleteField,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(
        ctx.data()
            .app
            .autocomplete(field, partial)
            .into_iter()
            .map(|choice| serenity::AutocompleteChoice::new(choice.name, choice.value))
            .collect(),
    )
}

async fn autocomplete_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    autocomplete(ctx, AutocompleteField::Topic, partial).await
}

async fn autocomplete_week_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    autocomplete(ctx, AutocompleteField::WeekTopic, partial).await
}

/// Explain a backend topic: summary, key points, an example, pitfalls, the interview angle.
#[poise::command(slash_command, guild_only)]
pub async fn explain(
    ctx: Context<'_>,
    #[description = "A topic, like jwt, k8s or n+1"]
    #[autocomplete = "autocomplete_topic"]
    topic: String,
    #[description = "Only you see the card"] private: Option<bool>,
) -> Result<(), Error> {
    let private = private.unwrap_or(false);
    respond_to_command(ctx, Ok(Command::Explain { topic, private })).await
}

/// Search the topic cards: the best 5 matches with a line each.
#[poise::command(slash_command, guild_only)]
pub async fn search(
    ctx: Context<'_>,
    #[description = "What to look for"] query: String,
) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Search { query })).await
}

/// Browse the categories and their topics.
#[poise::command(slash_command, guild_only)]
pub async fn topics(
    ctx: Context<'_>,
    #[description = "A category to open"] category: Option<Choice<Category>>,
) -> Result<(), Error> {
    let category = category.map(|Choice(category)| category);
    respond_to_command(ctx, Ok(Command::Topics { category })).await
}

/// Today's question (if still open) or a practice question; practice never touches streaks.
#[poise::command(slash_command, guild_only)]
pub async fn quiz(
    ctx: Context<'_>,
    #[description = "A practice question instead of today's"] practice: Option<bool>,
    #[description = "Practice on this topic"]
    #[autocomplete = "autocomplete_topic"]
    topic: Option<String>,
) -> Result<(), Error> {
    let practice = practice.unwrap_or(false);
    respond_to_command(ctx, Ok(Command::Quiz { practice, topic })).await
}

/// A member named in an option, by the name Discord shows.
fn member_ref(user: &serenity::User) -> MemberRef {
    MemberRef {
        user_id: user.id.get(),
        name: user
            .global_name
            .clone()
            .unwrap_or_else(|| user.name.clone()),
    }
}

/// Current and best streak, answers, accuracy and points.
#[poise::command(slash_command, guild_only)]
pub async fn streak(
    ctx: Context<'_>,
    #[description = "Whose streak (default: yours)"] member: Option<serenity::User>,
) -> Result<(), Error> {
    let member = member.as_ref().map(member_ref);
    respond_to_command(ctx, Ok(Command::Streak { member })).await
}

/// The top 10 of this server and your rank, all time or this week or month.
#[poise::command(slash_command, guild_only)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "Rank by (default: points)"] by: Option<Choice<LeaderboardOrder>>,
    #[description = "This week, this month or all time (default)"] period: Option<Choice<Period>>,
) -> Result<(), Error> {
    let by = by.map(|Choice(order)| order).unwrap_or_default();
    let period = period.map(|Choice(period)| period).unwrap_or_default();
    respond_to_command(ctx, Ok(Command::Leaderboard { by, period })).await
}

/// A picture of your progress: mastery by category, 12 weeks of answers, streaks, points.
#[poise::command(slash_command, guild_only)]
pub async fn progress(
    ctx: Context<'_>,
    #[description = "Whose progress (default: yours)"] member: Option<serenity::User>,
    #[description = "Show it to the channel (default: only you)"] public: Option<bool>,
) -> Result<(), Error> {
    let member = member.as_ref().map(member_ref);
    let public = public.unwrap_or(false);
    respond_to_command(ctx, Ok(Command::Progress { member, public })).await
}

/// Get pinged, or not, when the daily question is posted.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("notify_on", "notify_off"),
    subcommand_required
)]
pub async fn notify(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Ping me when the daily question is posted.
#[poise::command(slash_command, guild_only, rename = "on")]
pub async fn notify_on(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Notify { on: true })).await
}

/// Stop pinging me for the daily question.
#[poise::command(slash_command, guild_only, rename = "off")]
pub async fn notify_off(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Notify { on: false })).await
}

/// Questions you missed that are due again (never touches streaks or points).
#[poise::command(slash_command, guild_only)]
pub async fn review(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Review)).await
}

/// Delete everything the bot stores about you in this server (asks first).
#[poise::command(slash_command, guild_only, rename = "forget-me")]
pub async fn forget_me(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::ForgetMe)).await
}

/// Suggest a question for this server's bank, or see your suggestions.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("suggest_question", "suggest_mine"),
    subcommand_required
)]
pub async fn suggest(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Write a question (a form opens); moderators review it before it joins the bank.
#[poise::command(slash_command, guild_only, rename = "question")]
pub async fn suggest_question(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Suggest)).await
}

/// Your suggested questions: waiting, approved, or rejected with the reason.
#[poise::command(slash_command, guild_only, rename = "mine")]
pub async fn suggest_mine(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::SuggestMine)).await
}

/// Moderators: set up and run the daily question.
#[poise::command(
    slash_command,
    guild_only,
    subcommands(
        "setup",
        "status",
        "post_now",
        "pause",
        "resume",
        "role",
        "stats",
        "champion_role",
        "notify_role",
        "suggestions",
        "bank",
        "question"
    ),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn studybot(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Choose the channel, time, timezone and days of the daily question.
#[poise::command(slash_command, guild_only)]
pub async fn setup(
    ctx: Context<'_>,
    #[description = "Where to post"]
    #[channel_types("Text")]
    channel: serenity::ChannelId,
    #[description = "HH:MM, 24-hour"] time: String,
    #[description = "IANA timezone, like Europe/Berlin"] timezone: String,
    #[description = "every-day or weekdays"] days: Choice<PostingDays>,
) -> Result<(), Error> {
    let command = (|| {
        Ok::<_, AppError>(Command::Setup {
            channel_id: channel.get(),
            time: parse_post_time(&time)?,
            timezone: parse_timezone(&timezone)?,
            days: days.0,
        })
    })();
    respond_to_command(ctx, command).await
}

/// Settings, the next post in the server's timezone, and scheduled topic weeks.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Status)).await
}

/// Post today's question now, if it is not posted yet.
#[poise::command(slash_command, guild_only, rename = "post-now")]
pub async fn post_now(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::PostNow)).await
}

/// Stop the daily question (streaks are safe while paused).
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Pause)).await
}

/// Start the daily question again.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Resume)).await
}

/// Let members with this role use the moderator commands.
#[poise::command(slash_command, guild_only)]
pub async fn role(
    ctx: Context<'_>,
    #[description = "The moderator role"] role: serenity::RoleId,
) -> Result<(), Error> {
    let role_id = role.get();
    respond_to_command(ctx, Ok(Command::Role { role_id })).await
}

/// The last 4 weeks, accuracy by category, the hardest questions, members on a streak.
#[poise::command(slash_command, guild_only)]
pub async fn stats(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Stats)).await
}

/// The role last month's top member gets (leave empty to stop handing it out).
#[poise::command(slash_command, guild_only, rename = "champion-role")]
pub async fn champion_role(
    ctx: Context<'_>,
    #[description = "The monthly champion role"] role: Option<serenity::RoleId>,
) -> Result<(), Error> {
    let role_id = role.map(|role| role.get());
    respond_to_command(ctx, Ok(Command::ChampionRole { role_id })).await
}

/// The role the daily question pings; members opt in with /notify on (empty: no ping).
#[poise::command(slash_command, guild_only, rename = "notify-role")]
pub async fn notify_role(
    ctx: Context<'_>,
    #[description = "The quiz ping role"] role: Option<serenity::RoleId>,
) -> Result<(), Error> {
    let role_id = role.map(|role| role.get());
    respond_to_command(ctx, Ok(Command::NotifyRole { role_id })).await
}

/// The oldest suggested question waiting for review, with Approve, Reject and Skip.
#[poise::command(slash_command, guild_only)]
pub async fn suggestions(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Suggestions)).await
}

/// Which questions the daily post and practice draw from.
#[poise::command(slash_command, guild_only)]
pub async fn bank(
    ctx: Context<'_>,
    #[description = "built-in, server (your own) or both"] source: Choice<BankSource>,
) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Bank { source: source.0 })).await
}

/// Manage single questions of the bank.
#[poise::command(slash_command, guild_only, subcommands("retire"), subcommand_required)]
pub async fn question(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Stop drawing a question (old posts, answers and streaks stay as they are).
#[poise::command(slash_command, guild_only)]
pub async fn retire(
    ctx: Context<'_>,
    #[description = "The question's id, as shown in /studybot stats or the review"] id: String,
) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::Retire { id })).await
}

/// Moderators: plan topic weeks.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("schedule", "list", "cancel"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn topicweek(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

/// Schedule a week of questions on a category or a topic.
#[poise::command(slash_command, guild_only)]
pub async fn schedule(
    ctx: Context<'_>,
    #[description = "A category (security) or a topic (jwt)"]
    #[autocomplete = "autocomplete_week_topic"]
    topic: String,
    #[description = "First day, YYYY-MM-DD"] start: String,
) -> Result<(), Error> {
    let command = parse_day(&start)
        .map(|start| Command::WeekSchedule { topic, start })
        .map_err(AppError::from);
    respond_to_command(ctx, command).await
}

/// The scheduled topic weeks.
#[poise::command(slash_command, guild_only)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::WeekList)).await
}

/// Cancel a scheduled topic week.
#[poise::command(slash_command, guild_only)]
pub async fn cancel(
    ctx: Context<'_>,
    #[description = "The week's number from /topicweek list"] id: i64,
) -> Result<(), Error> {
    respond_to_command(ctx, Ok(Command::WeekCancel { id })).await
}

/// Every command, for the framework and for registration.
pub fn all() -> Vec<poise::Command<Data, Error>> {
    vec![
        explain(),
        search(),
        topics(),
        quiz(),
        streak(),
        leaderboard(),
        progress(),
        notify(),
        suggest(),
        review(),
        forget_me(),
        studybot(),
        topicweek(),
    ]
}
