//! The daily scheduler: posts due questions with the store's exactly-once protocol, announces
//! topic weeks first, reveals the previous question, and catches up a post missed while the
//! bot was down (the same local day only).

use chrono::{DateTime, NaiveDate, Utc};

use super::poster::Poster;
use super::render::{self, nonce_for};
use super::App;
use crate::domain::draw::{draw, eligible_among};
use crate::domain::{DailyPost, PostState, ServerSettings};

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
    /// Weekly recaps posted (or resent).
    pub recaps: u32,
    /// Monthly champion roles handed over.
    pub champions: u32,
    pub failed: u32,
}

/// One pass over every scheduled server. A failure in one server is logged and counted, and
/// never stops the others.
pub(super) async fn tick<P: Poster>(app: &App, poster: &P) -> TickReport {
    let mut report = TickReport::default();
    let forced = app.signals.take_post_now_requests();
    let servers = match app.db.scheduled_servers().await {
        // Another process runs the other shards and schedules their servers.
        Ok(servers) => servers
            .into_iter()
            .filter(|settings| app.owns_server(settings.server_id))
            .collect::<Vec<_>>(),
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
    // today's is sent again with its nonce; an older one is past saving, because Discord
    // only deduplicates nonces for a short while.
    for post in app.db.unconfirmed_posts(settings.server_id).await? {
        if post.posting_day == today {
            send_post(app, poster, &post, now).await?;
            report.resent += 1;
        }
    }
    super::recap::resend_unconfirmed_recaps(app, poster, settings.server_id, today, report).await?;
    let due = if force {
        Some(today)
    } else {
        settings.schedule.due_day(now)
    };
    if let Some(day) = due {
        post_day(app, poster, settings, day, now, force, report).await?;
    }
    for post in app.db.closed_unrevealed_posts(settings.server_id).await? {
        reveal(app, poster, &post).await?;
        report.revealed += 1;
    }
    Ok(())
}

/// Announces the day's topic week if it starts, then reserves and sends the day's question,
/// unless it was posted already.
async fn post_day<P: Poster>(
    app: &App,
    poster: &P,
    settings: &ServerSettings,
    day: NaiveDate,
    now: DateTime<Utc>,
    force: bool,
    report: &mut TickReport,
) -> anyhow::Result<()> {
    let Some(channel_id) = settings.channel_id else {
        return Ok(());
    };
    if app
        .db
        .post_for_day(settings.server_id, day)
        .await?
        .is_some()
    {
        return Ok(());
    }
    super::recap::before_day_post(
        app,
        poster,
        settings.server_id,
        channel_id,
        day,
        now,
        report,
    )
    .await;
    announce_week(app, poster, settings.server_id, channel_id, day, report).await?;
    // The draw is narrowed to the topic week covering the day, if any; it is deterministic
    // from the server and the day, and the reservation keeps it, so a restart never changes
    // the day's question.
    let week = app
        .db
        .week_on(settings.server_id, day)
        .await?
        .map(|(week, _)| week);
    let bank = app.bank(settings.server_id).await?;
    let pack = app.library.pack();
    let eligible = eligible_among(bank.candidates(pack.questions()), pack, week.as_ref());
    let times_drawn = app.db.times_drawn(settings.server_id).await?;
    let Some(question) = draw(settings.server_id, day, &eligible, &times_drawn) else {
        anyhow::bail!("the question bank is empty");
    };
    let nonce = nonce_for(settings.server_id, day);
    let reservation = app
        .db
        .reserve_post(
            settings.server_id,
            day,
            &question.id,
            channel_id,
            &nonce,
            now,
        )
        .await?;
    if reservation.post.state != PostState::Reserved {
        return Ok(());
    }
    if let Err(error) = send_post(app, poster, &reservation.post, now).await {
        crate::telemetry::record_daily_post("failed");
        return Err(error);
    }
    let late =
        now - settings.schedule.post_instant(day) > chrono::Duration::minutes(LATE_AFTER_MINUTES);
    crate::telemetry::record_daily_post(if late && !force {
        "caught_up"
    } else {
        "posted"
    });
    report.posted += 1;
    tracing::info!(server = settings.server_id, %day, question = %reservation.post.question_id, "posted the daily question");
    Ok(())
}

async fn send_post<P: Poster>(
    app: &App,
    poster: &P,
    post: &DailyPost,
    now: DateTime<Utc>,
) -> anyhow::Result<()> {
    let (question, credit) = app
        .question_in(post.server_id, &post.question_id)
        .await?
        .ok_or_else(|| anyhow::anyhow!("question {} is not in the bank", post.question_id))?;
    let mut message = render::daily_post(app.library.pack(), post, &question, credit.as_deref(), 0);
    if let Some(role_id) = app.db.server_roles(post.server_id).await?.notify_role {
        message = render::with_ping(message, role_id);
    }
    let message_id = poster
        .send(post.channel_id, &message, Some(&post.nonce))
        .await?;
    app.db.mark_posted(post.post_id, message_id, now).await?;
    Ok(())
}

async fn announce_week<P: Poster>(
    app: &App,
    poster: &P,
    server_id: u64,
    channel_id: u64,
    day: NaiveDate,
    report: &mut TickReport,
) -> anyhow::Result<()> {
    let Some((week, announced)) = app.db.week_on(server_id, day).await? else {
        return Ok(());
    };
    if announced {
        return Ok(());
    }
    let message = render::week_announcement(app.library.pack(), &week);
    let nonce = format!("wk{}", week.id);
    poster.send(channel_id, &message, Some(&nonce)).await?;
    app.db.mark_week_announced(week.id).await?;
    report.announced += 1;
    Ok(())
}

async fn reveal<P: Poster>(app: &App, poster: &P, post: &DailyPost) -> anyhow::Result<()> {
    let question = app.question_in(post.server_id, &post.question_id).await?;
    if let (Some(message_id), Some((question, credit))) = (post.message_id, question) {
        let spread = app.db.answer_spread(post.post_id).await?;
        poster
            .edit(
                post.channel_id,
                message_id,
                &render::reveal(
                    app.library.pack(),
                    post,
                    &question,
                    credit.as_deref(),
                    spread,
                ),
            )
            .await?;
    }
    app.db.mark_revealed(post.post_id).await?;
    Ok(())
}

/// Edits a post to show its current answer count, if the count changed since the last edit
/// and the post is still open. Returns whether it edited.
pub(super) async fn refresh_answer_count<P: Poster>(
    app: &App,
    poster: &P,
    post_id: i64,
) -> anyhow::Result<bool> {
    let Some(post) = app.db.post(post_id).await? else {
        return Ok(false);
    };
    let Some(message_id) = post.message_id else {
        return Ok(false);
    };
    if post.revealed || !app.owns_server(post.server_id) {
        return Ok(false);
    }
    // The question is looked up only for an edit (one of the server's own costs a query).
    let Some((question, credit)) = app.question_in(post.server_id, &post.question_id).await? else {
        return Ok(false);
    };
    let answered: u32 = app.db.answer_spread(post_id).await?.iter().sum();
    if !app.db.set_shown_answer_count(post_id, answered).await? {
        return Ok(false);
    }
    poster
        .edit(
            post.channel_id,
            message_id,
            &render::daily_post(
                app.library.pack(),
                &post,
                &question,
                credit.as_deref(),
                answered,
            ),
        )
        .await?;
    Ok(true)
}
