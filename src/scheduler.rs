//! The daily scheduler: posts due questions with the store's exactly-once protocol, announces
//! topic weeks first, reveals the previous question, and catches up a post missed while the
//! bot was down (the same local day only). Front ends give it a [`Poster`] that can send and
//! edit channel messages.

use std::future::Future;

use chrono::{DateTime, Utc};

use crate::app::{daily_post_message, nonce_for, reveal_message, week_announcement, App, Reply};
use crate::domain::{DailyPost, PostState, ServerSettings};
use crate::quiz::{reserve_daily_post, NotPosted};

/// Sending and editing messages in a channel.
pub trait Poster: Send + Sync {
    /// Sends a message; with a nonce, a resend of the same nonce must not make a second one
    /// (Discord's `enforce_nonce`). Returns the message id.
    fn send(
        &self,
        channel_id: u64,
        message: &Reply,
        nonce: Option<&str>,
    ) -> impl Future<Output = anyhow::Result<u64>> + Send;
    fn edit(
        &self,
        channel_id: u64,
        message_id: u64,
        message: &Reply,
    ) -> impl Future<Output = anyhow::Result<()>> + Send;
}

/// A post made this long after its time counts as caught up after downtime, not on time.
/// The scheduler wakes every minute, so on-time posts are at most a minute or two late.
const LATE_AFTER_MINUTES: i64 = 10;

/// What one tick did, for logs, metrics and tests.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TickReport {
    pub posted: u32,
    pub resent: u32,
    pub revealed: u32,
    pub announced: u32,
    pub failed: u32,
}

/// One pass over every scheduled server. A failure in one server is logged and counted, and
/// never stops the others.
pub async fn tick<P: Poster>(app: &App, poster: &P) -> TickReport {
    let mut report = TickReport::default();
    let forced = app.take_post_now_requests();
    let servers = match app.db.scheduled_servers().await {
        Ok(servers) => servers,
        Err(error) => {
            tracing::error!(%error, "scheduler cannot list servers");
            report.failed += 1;
            return report;
        }
    };
    let now = app.clock.now();
    for settings in servers {
        let force = forced.contains(&settings.server_id);
        if let Err(error) = tick_server(app, poster, &settings, now, force, &mut report).await {
            report.failed += 1;
            tracing::error!(server = settings.server_id, error = %format!("{error:#}"), "scheduler failed for a server");
        }
    }
    report
}

async fn tick_server<P: Poster>(
    app: &App,
    poster: &P,
    settings: &ServerSettings,
    now: DateTime<Utc>,
    force: bool,
    report: &mut TickReport,
) -> anyhow::Result<()> {
    let today = settings.schedule.local_date(now);
    // A reservation never confirmed (the bot stopped between reserving and hearing back):
    // today's is sent again with its nonce; an older one is past saving.
    for post in app.db.unconfirmed_posts(settings.server_id).await? {
        if post.posting_day == today {
            send_post(app, poster, &post, now).await?;
            report.resent += 1;
        }
    }
    let due = if force {
        Some(today)
    } else {
        settings.schedule.due_day(now)
    };
    if let Some(day) = due {
        if app
            .db
            .post_for_day(settings.server_id, day)
            .await?
            .is_none()
        {
            announce_week(app, poster, settings, day, report).await?;
            let nonce = nonce_for(settings.server_id, day);
            match reserve_daily_post(&app.db, &app.pack, settings, day, &nonce, now).await? {
                Ok(reservation) if reservation.post.state == PostState::Reserved => {
                    if let Err(error) = send_post(app, poster, &reservation.post, now).await {
                        crate::telemetry::record_daily_post("failed");
                        return Err(error);
                    }
                    let late = now - settings.schedule.post_instant(day)
                        > chrono::Duration::minutes(LATE_AFTER_MINUTES);
                    crate::telemetry::record_daily_post(if late && !force {
                        "caught_up"
                    } else {
                        "posted"
                    });
                    report.posted += 1;
                    tracing::info!(server = settings.server_id, %day, question = %reservation.post.question_id, "posted the daily question");
                }
                Ok(_) => {}
                Err(NotPosted::NoChannel) => {}
                Err(NotPosted::EmptyBank) => anyhow::bail!("the question bank is empty"),
            }
        }
    }
    for post in app.db.closed_unrevealed_posts(settings.server_id).await? {
        reveal(app, poster, &post).await?;
        report.revealed += 1;
    }
    Ok(())
}

async fn send_post<P: Poster>(
    app: &App,
    poster: &P,
    post: &DailyPost,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let question = app
        .pack
        .question(&post.question_id)
        .ok_or_else(|| anyhow::anyhow!("question {} is not in the content", post.question_id))?;
    let message = daily_post_message(&app.pack, post, question, 0);
    let message_id = poster
        .send(post.channel_id, &message, Some(&post.nonce))
        .await?;
    app.db.mark_posted(post.post_id, message_id, now).await?;
    Ok(())
}

async fn announce_week<P: Poster>(
    app: &App,
    poster: &P,
    settings: &ServerSettings,
    day: chrono::NaiveDate,
    report: &mut TickReport,
) -> anyhow::Result<()> {
    let (Some((week, announced)), Some(channel)) = (
        app.db.week_on(settings.server_id, day).await?,
        settings.channel_id,
    ) else {
        return Ok(());
    };
    if announced {
        return Ok(());
    }
    let message = week_announcement(&app.pack, &week);
    let nonce = format!("wk{}", week.id);
    poster.send(channel, &message, Some(&nonce)).await?;
    app.db.mark_week_announced(week.id).await?;
    report.announced += 1;
    Ok(())
}

async fn reveal<P: Poster>(app: &App, poster: &P, post: &DailyPost) -> anyhow::Result<()> {
    if let (Some(message_id), Some(question)) =
        (post.message_id, app.pack.question(&post.question_id))
    {
        let spread = app.db.answer_spread(post.post_id).await?;
        poster
            .edit(
                post.channel_id,
                message_id,
                &reveal_message(&app.pack, post, question, spread),
            )
            .await?;
    }
    app.db.mark_revealed(post.post_id).await?;
    Ok(())
}

/// Edits the open post of a server to show its current answer count, if it changed since
/// the last edit. The front end calls this at most once per post every few seconds.
pub async fn refresh_answer_count<P: Poster>(
    app: &App,
    poster: &P,
    post_id: i64,
) -> anyhow::Result<bool> {
    let Some(post) = app.db.post(post_id).await? else {
        return Ok(false);
    };
    let (Some(message_id), Some(question)) =
        (post.message_id, app.pack.question(&post.question_id))
    else {
        return Ok(false);
    };
    if post.revealed {
        return Ok(false);
    }
    let answered: u32 = app.db.answer_spread(post_id).await?.iter().sum();
    if !app.db.set_shown_answer_count(post_id, answered).await? {
        return Ok(false);
    }
    poster
        .edit(
            post.channel_id,
            message_id,
            &daily_post_message(&app.pack, &post, question, answered),
        )
        .await?;
    Ok(true)
}
