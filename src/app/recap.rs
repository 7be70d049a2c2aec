//! Seasons in the channel: the weekly recap before the first question of a week, and the
//! monthly champion role handed over with the first post of a month.
//!
//! The recap is posted exactly once with the daily post's protocol (reserve with a nonce,
//! send, confirm; an unconfirmed one is resent with its nonce). Neither the recap nor the
//! champion may hold up the day's question: their failures are logged and counted, and the
//! question is posted anyway.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::insight::hardest;
use super::poster::Poster;
use super::render::{self, champion_nonce, recap_nonce};
use super::roles::RoleError;
use super::scheduler::TickReport;
use super::App;
use crate::domain::season::{month_key, previous_month_start, week_key, week_start};
use crate::domain::LeaderboardOrder;
use crate::store::RecapClaim;

/// The recap lists the week's top members by points.
const RECAP_TOP: u32 = 5;

/// What a weekly recap says.
#[derive(Debug, Clone, PartialEq)]
pub struct Recap<'a> {
    /// The Monday of the week recapped.
    pub week: NaiveDate,
    pub totals: crate::store::PeriodTotals,
    pub top: Vec<crate::domain::LeaderboardEntry>,
    pub hardest: Option<(&'a crate::domain::Question, crate::store::QuestionResult)>,
    /// The topic week covering the day the recap is posted, if any.
    pub coming_week: Option<crate::domain::TopicWeek>,
    /// A role the bot could not manage, to tell the moderators.
    pub role_problem: Option<u64>,
}

/// Runs before the day's question is reserved: last week's recap on the first posting day
/// of a week, the champion handover on any post until it succeeded for last month.
pub(super) async fn before_day_post<P: Poster>(
    app: &App,
    poster: &P,
    server_id: u64,
    channel_id: u64,
    day: NaiveDate,
    now: DateTime<Utc>,
    report: &mut TickReport,
) {
    if let Err(error) = recap_last_week(app, poster, server_id, channel_id, day, now, report).await
    {
        report.failed += 1;
        tracing::error!(server = server_id, error = %format!("{error:#}"), "the weekly recap failed; the daily question goes on");
    }
    if let Err(error) = hand_over_champion(app, poster, server_id, channel_id, day, report).await {
        report.failed += 1;
        tracing::error!(server = server_id, error = %format!("{error:#}"), "the champion handover failed; it is tried again with the next post");
    }
}

async fn recap_last_week<P: Poster>(
    app: &App,
    poster: &P,
    server_id: u64,
    channel_id: u64,
    day: NaiveDate,
    now: DateTime<Utc>,
    report: &mut TickReport,
) -> anyhow::Result<()> {
    let monday = week_start(day);
    if app.db.has_post_between(server_id, monday, day).await? {
        return Ok(()); // not the first posting day of the week
    }
    let last_week = monday - Duration::weeks(1);
    if app
        .db
        .period_totals(server_id, &week_key(last_week))
        .await?
        .answered
        == 0
    {
        return Ok(()); // nobody answered: no recap
    }
    let claim = app
        .db
        .reserve_recap(
            server_id,
            last_week,
            channel_id,
            &recap_nonce(server_id, last_week),
            now,
        )
        .await?;
    if claim.posted {
        return Ok(());
    }
    send_recap(app, poster, server_id, &claim, day).await?;
    report.recaps += 1;
    Ok(())
}

/// Resends a recap reserved but never confirmed, if it is this week's (Discord only
/// deduplicates a nonce for a while; an older one is past saving, like a daily post).
pub(super) async fn resend_unconfirmed_recaps<P: Poster>(
    app: &App,
    poster: &P,
    server_id: u64,
    today: NaiveDate,
    report: &mut TickReport,
) -> anyhow::Result<()> {
    for claim in app.db.unconfirmed_recaps(server_id).await? {
        if claim.week + Duration::weeks(1) == week_start(today) {
            send_recap(app, poster, server_id, &claim, today).await?;
            report.recaps += 1;
        }
    }
    Ok(())
}

async fn send_recap<P: Poster>(
    app: &App,
    poster: &P,
    server_id: u64,
    claim: &RecapClaim,
    day: NaiveDate,
) -> anyhow::Result<()> {
    let key = week_key(claim.week);
    let (top, _) = app
        .db
        .leaderboard(
            server_id,
            LeaderboardOrder::Points,
            Some(&key),
            RECAP_TOP,
            0,
        )
        .await?;
    let results = app
        .db
        .question_results(
            server_id,
            Some(claim.week),
            Some(claim.week + Duration::days(6)),
        )
        .await?;
    let ids: Vec<&str> = results
        .iter()
        .map(|result| result.question_id.as_str())
        .collect();
    let questions = app.answered_questions(server_id, &ids).await?;
    let recap = Recap {
        week: claim.week,
        totals: app.db.period_totals(server_id, &key).await?,
        top,
        hardest: hardest(&questions, results, 1, 1).into_iter().next(),
        coming_week: app.db.week_on(server_id, day).await?.map(|(week, _)| week),
        role_problem: app.db.server_roles(server_id).await?.problem_role,
    };
    let message = render::recap(app.library.pack(), &recap);
    let message_id = poster
        .send(claim.channel_id, &message, Some(&claim.nonce))
        .await?;
    app.db
        .mark_recap_posted(server_id, claim.week, message_id)
        .await?;
    tracing::info!(server = server_id, week = %claim.week, "posted the weekly recap");
    Ok(())
}

/// With the first post of a month (or the next one, if that failed), the champion role moves
/// to last month's top member by points. Nobody answered last month: the role stays.
async fn hand_over_champion<P: Poster>(
    app: &App,
    poster: &P,
    server_id: u64,
    channel_id: u64,
    day: NaiveDate,
    report: &mut TickReport,
) -> anyhow::Result<()> {
    let roles = app.db.server_roles(server_id).await?;
    let Some(role_id) = roles.champion_role else {
        return Ok(());
    };
    let last_month = previous_month_start(day);
    let key = month_key(last_month);
    if roles.champion_month.as_deref() == Some(key.as_str()) {
        return Ok(());
    }
    let (top, _) = app
        .db
        .leaderboard(server_id, LeaderboardOrder::Points, Some(&key), 1, 0)
        .await?;
    let Some(winner) = top.into_iter().next() else {
        app.db
            .record_champion(server_id, roles.champion_user, &key)
            .await?;
        return Ok(());
    };
    let Some(port) = app.roles() else {
        return Ok(()); // this front end cannot manage roles (tests without one)
    };
    let moved = async {
        if let Some(previous) = roles
            .champion_user
            .filter(|&previous| previous != winner.user_id)
        {
            port.revoke(server_id, previous, role_id).await?;
        }
        port.grant(server_id, winner.user_id, role_id).await
    }
    .await;
    match moved {
        Ok(()) => {
            let message = render::champion(role_id, &winner, last_month);
            poster
                .send(
                    channel_id,
                    &message,
                    Some(&champion_nonce(server_id, last_month)),
                )
                .await?;
            app.db
                .record_champion(server_id, Some(winner.user_id), &key)
                .await?;
            report.champions += 1;
            Ok(())
        }
        Err(RoleError::NotPermitted(detail)) => {
            tracing::warn!(server = server_id, %detail, "cannot hand over the champion role");
            app.db.set_role_problem(server_id, Some(role_id)).await?;
            Ok(())
        }
        Err(RoleError::Failed(detail)) => Err(anyhow::anyhow!(detail)),
    }
}
