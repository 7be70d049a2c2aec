//! The slash commands, exactly as PRODUCT.md names them. Each one only gathers its options
//! into an [`app::Command`] and hands over to the shared handlers; the first line of each doc
//! comment is the description Discord shows.

use poise::serenity_prelude as serenity;

use super::{respond_to_command, Context, Error};
use crate::app::Command;

async fn autocomplete_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    choices(ctx.data().app.autocomplete_topics(partial))
}

async fn autocomplete_week_topic(
    ctx: Context<'_>,
    partial: &str,
) -> serenity::CreateAutocompleteResponse {
    choices(ctx.data().app.autocomplete_week_topics(partial))
}

fn choices(pairs: Vec<(String, String)>) -> serenity::CreateAutocompleteResponse {
    serenity::CreateAutocompleteResponse::new().set_choices(
        pairs
            .into_iter()
            .map(|(name, value)| serenity::AutocompleteChoice::new(name, value))
            .collect(),
    )
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
    respond_to_command(
        ctx,
        Command::Explain {
            topic,
            private: private.unwrap_or(false),
        },
    )
    .await
}

/// Search the topic cards: the best 5 matches with a line each.
#[poise::command(slash_command, guild_only)]
pub async fn search(
    ctx: Context<'_>,
    #[description = "What to look for"] query: String,
) -> Result<(), Error> {
    respond_to_command(ctx, Command::Search { query }).await
}

#[derive(Debug, poise::ChoiceParameter)]
pub enum CategoryChoice {
    #[name = "databases"]
    Databases,
    #[name = "api-design"]
    ApiDesign,
    #[name = "security"]
    Security,
    #[name = "performance"]
    Performance,
    #[name = "architecture"]
    Architecture,
    #[name = "devops"]
    Devops,
    #[name = "observability"]
    Observability,
    #[name = "testing"]
    Testing,
    #[name = "data"]
    Data,
    #[name = "programming"]
    Programming,
}

/// Browse the categories and their topics.
#[poise::command(slash_command, guild_only)]
pub async fn topics(
    ctx: Context<'_>,
    #[description = "A category to open"] category: Option<CategoryChoice>,
) -> Result<(), Error> {
    let category = category.map(|choice| poise::ChoiceParameter::name(&choice).to_string());
    respond_to_command(ctx, Command::Topics { category }).await
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
    respond_to_command(
        ctx,
        Command::Quiz {
            practice: practice.unwrap_or(false),
            topic,
        },
    )
    .await
}

/// Current and best streak, answers, accuracy and points.
#[poise::command(slash_command, guild_only)]
pub async fn streak(
    ctx: Context<'_>,
    #[description = "Whose streak (default: yours)"] member: Option<serenity::User>,
) -> Result<(), Error> {
    let member = member.map(|user| {
        (
            user.id.get(),
            user.global_name
                .clone()
                .unwrap_or_else(|| user.name.clone()),
        )
    });
    respond_to_command(ctx, Command::Streak { member }).await
}

#[derive(Debug, poise::ChoiceParameter)]
pub enum RankBy {
    #[name = "streak"]
    Streak,
    #[name = "points"]
    Points,
    #[name = "accuracy"]
    Accuracy,
}

/// The top 10 of this server and your rank.
#[poise::command(slash_command, guild_only)]
pub async fn leaderboard(
    ctx: Context<'_>,
    #[description = "Rank by (default: points)"] by: Option<RankBy>,
) -> Result<(), Error> {
    let by = by.map(|choice| poise::ChoiceParameter::name(&choice).to_string());
    respond_to_command(ctx, Command::Leaderboard { by }).await
}

/// Questions you missed that are due again (never touches streaks or points).
#[poise::command(slash_command, guild_only)]
pub async fn review(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Command::Review).await
}

/// Delete everything the bot stores about you in this server (asks first).
#[poise::command(slash_command, guild_only, rename = "forget-me")]
pub async fn forget_me(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Command::ForgetMe).await
}

/// Moderators: set up and run the daily question.
#[poise::command(
    slash_command,
    guild_only,
    subcommands("setup", "status", "post_now", "pause", "resume", "role"),
    subcommand_required,
    default_member_permissions = "MANAGE_GUILD"
)]
pub async fn studybot(_: Context<'_>) -> Result<(), Error> {
    Ok(())
}

#[derive(Debug, poise::ChoiceParameter)]
pub enum DaysChoice {
    #[name = "every-day"]
    EveryDay,
    #[name = "weekdays"]
    Weekdays,
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
    #[description = "every-day or weekdays"] days: DaysChoice,
) -> Result<(), Error> {
    let days = poise::ChoiceParameter::name(&days).to_string();
    respond_to_command(
        ctx,
        Command::Setup {
            channel_id: channel.get(),
            time,
            timezone,
            days,
        },
    )
    .await
}

/// Settings, the next post in the server's timezone, and scheduled topic weeks.
#[poise::command(slash_command, guild_only)]
pub async fn status(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Command::Status).await
}

/// Post today's question now, if it is not posted yet.
#[poise::command(slash_command, guild_only, rename = "post-now")]
pub async fn post_now(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Command::PostNow).await
}

/// Stop the daily question (streaks are safe while paused).
#[poise::command(slash_command, guild_only)]
pub async fn pause(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Command::Pause).await
}

/// Start the daily question again.
#[poise::command(slash_command, guild_only)]
pub async fn resume(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Command::Resume).await
}

/// Let members with this role use the moderator commands.
#[poise::command(slash_command, guild_only)]
pub async fn role(
    ctx: Context<'_>,
    #[description = "The moderator role"] role: serenity::RoleId,
) -> Result<(), Error> {
    respond_to_command(
        ctx,
        Command::Role {
            role_id: role.get(),
        },
    )
    .await
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
    respond_to_command(ctx, Command::WeekSchedule { topic, start }).await
}

/// The scheduled topic weeks.
#[poise::command(slash_command, guild_only)]
pub async fn list(ctx: Context<'_>) -> Result<(), Error> {
    respond_to_command(ctx, Command::WeekList).await
}

/// Cancel a scheduled topic week.
#[poise::command(slash_command, guild_only)]
pub async fn cancel(
    ctx: Context<'_>,
    #[description = "The week's number from /topicweek list"] id: i64,
) -> Result<(), Error> {
    respond_to_command(ctx, Command::WeekCancel { id }).await
}

/// Every command, for the framework and for registration.
pub fn all() -> Vec<poise::Command<super::Data, Error>> {
    vec![
        explain(),
        search(),
        topics(),
        quiz(),
        streak(),
        leaderboard(),
        review(),
        forget_me(),
        studybot(),
        topicweek(),
    ]
}
