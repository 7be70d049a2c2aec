//! The daily quiz as the front ends use it: drawing and reserving today's post, and
//! answering it. Glue between the domain rules, the content and the store; no Discord here.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::draw::{draw, eligible_questions};
use crate::domain::{AnswerRecord, ContentPack, ServerSettings};
use crate::store::{Db, NewAnswer, StoreResult};

pub use crate::store::Reservation;

/// Why today's question cannot be reserved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotPosted {
    /// The server has no channel yet.
    NoChannel,
    /// The content has no questions at all.
    EmptyBank,
}

/// Reserves the question of `day` for a server (or returns the reservation made earlier, so a
/// restart never changes the day's question): the draw is narrowed to the topic week
/// covering the day, if any.
pub async fn reserve_daily_post(
    db: &Db,
    pack: &ContentPack,
    settings: &ServerSettings,
    day: NaiveDate,
    nonce: &str,
    now: DateTime<Utc>,
) -> StoreResult<Result<Reservation, NotPosted>> {
    let Some(channel_id) = settings.channel_id else {
        return Ok(Err(NotPosted::NoChannel));
    };
    if let Some(existing) = db.post_for_day(settings.server_id, day).await? {
        return Ok(Ok(Reservation {
            post: existing,
            newly_reserved: false,
        }));
    }
    let week = db
        .week_on(settings.server_id, day)
        .await?
        .map(|(week, _)| week);
    let eligible = eligible_questions(pack, week.as_ref());
    let times_drawn = db.times_drawn(settings.server_id).await?;
    let Some(question) = draw(settings.server_id, day, &eligible, &times_drawn) else {
        return Ok(Err(NotPosted::EmptyBank));
    };
    db.reserve_post(
        settings.server_id,
        day,
        &question.id,
        channel_id,
        nonce,
        now,
    )
    .await
    .map(Ok)
}

/// A member clicks `choice` on the daily post `post_id`.
pub async fn answer_daily(
    db: &Db,
    pack: &ContentPack,
    server_id: u64,
    post_id: i64,
    user_id: u64,
    choice: usize,
    now: DateTime<Utc>,
) -> StoreResult<AnswerRecord> {
    let Some(post) = db.post(post_id).await? else {
        return Ok(AnswerRecord::Closed);
    };
    let Some(question) = pack.question(&post.question_id) else {
        // The content changed and dropped this question: nothing can be scored.
        return Ok(AnswerRecord::Closed);
    };
    if choice > 3 {
        return Ok(AnswerRecord::Closed);
    }
    db.record_answer(&NewAnswer {
        server_id,
        post_id,
        user_id,
        choice,
        correct: choice == question.answer,
        question_id: &question.id,
        at: now,
    })
    .await
}
