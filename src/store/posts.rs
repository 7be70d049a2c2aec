//! `daily_posts` and `question_draws`: the exactly-once posting protocol.
//!
//! 1. `reserve_post` claims (server, posting day) with a nonce, in one transaction with the
//!    draw count; a second call for the same day returns the first reservation.
//! 2. The caller sends the message with that nonce (`enforce_nonce`).
//! 3. `mark_posted` records the message id. A reservation never marked (a crash between 1
//!    and 3) is sent again with the same nonce, and Discord returns the first message.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};

use super::{
    day_from_db, day_to_db, ids, instant_from_db, instant_to_db, Db, StoreError, StoreResult,
};
use crate::domain::{DailyPost, PostState};

/// A row of `daily_posts`, as [`SELECT_POST`] reads it.
#[derive(sqlx::FromRow)]
struct PostRow {
    post_id: i64,
    server_id: i64,
    posting_day: String,
    seq: i64,
    question_id: String,
    channel_id: i64,
    nonce: String,
    state: String,
    message_id: Option<i64>,
    posted_at: Option<String>,
    revealed: i64,
}

const SELECT_POST: &str = "SELECT post_id, server_id, posting_day, seq, question_id, channel_id, nonce, state, message_id, posted_at, revealed FROM daily_posts";

fn post_from_row(row: PostRow) -> StoreResult<DailyPost> {
    Ok(DailyPost {
        post_id: row.post_id,
        server_id: ids::from_db(row.server_id),
        posting_day: day_from_db(&row.posting_day)?,
        seq: row.seq,
        question_id: row.question_id,
        channel_id: ids::from_db(row.channel_id),
        nonce: row.nonce,
        state: match row.state.as_str() {
            "reserved" => PostState::Reserved,
            "posted" => PostState::Posted,
            other => return Err(StoreError::Corrupt(format!("post state {other:?}"))),
        },
        message_id: row.message_id.map(ids::from_db),
        posted_at: row.posted_at.as_deref().map(instant_from_db).transpose()?,
        revealed: row.revealed != 0,
    })
}

/// A reservation, and whether this call made it (false: it already existed).
#[derive(Debug, Clone, PartialEq)]
pub struct Reservation {
    pub post: DailyPost,
    pub newly_reserved: bool,
}

impl Db {
    /// How often each question was drawn in a server.
    pub async fn times_drawn(&self, server_id: u64) -> StoreResult<HashMap<String, u32>> {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT question_id, times_drawn FROM question_draws WHERE server_id = $1",
        )
        .bind(ids::to_db(server_id))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(id, times)| (id, u32::try_from(times).unwrap_or(0)))
            .collect())
    }

    /// Claims the post of (server, day) for `question_id`, or returns the existing claim.
    pub async fn reserve_post(
        &self,
        server_id: u64,
        day: NaiveDate,
        question_id: &str,
        channel_id: u64,
        nonce: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<Reservation> {
        let mut transaction = self.begin_write().await?;
        let existing: Option<PostRow> = sqlx::query_as(&format!(
            "{SELECT_POST} WHERE server_id = $1 AND posting_day = $2"
        ))
        .bind(ids::to_db(server_id))
        .bind(day_to_db(day))
        .fetch_optional(&mut *transaction)
        .await?;
        if let Some(row) = existing {
            transaction.commit().await?;
            return Ok(Reservation {
                post: post_from_row(row)?,
                newly_reserved: false,
            });
        }
        let seq: i64 = sqlx::query_scalar(
            "SELECT COALESCE(MAX(seq), 0) + 1 FROM daily_posts WHERE server_id = $1",
        )
        .bind(ids::to_db(server_id))
        .fetch_one(&mut *transaction)
        .await?;
        let post_id: i64 = sqlx::query_scalar(
            "INSERT INTO daily_posts (server_id, posting_day, seq, question_id, channel_id, nonce, state, reserved_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'reserved', $7) RETURNING post_id",
        )
        .bind(ids::to_db(server_id))
        .bind(day_to_db(day))
        .bind(seq)
        .bind(question_id)
        .bind(ids::to_db(channel_id))
        .bind(nonce)
        .bind(instant_to_db(at))
        .fetch_one(&mut *transaction)
        .await?;
        sqlx::query(
            "INSERT INTO question_draws (server_id, question_id, times_drawn) VALUES ($1, $2, 1)
             ON CONFLICT (server_id, question_id) DO UPDATE SET times_drawn = question_draws.times_drawn + 1",
        )
        .bind(ids::to_db(server_id))
        .bind(question_id)
        .execute(&mut *transaction)
        .await?;
        let row: PostRow = sqlx::query_as(&format!("{SELECT_POST} WHERE post_id = $1"))
            .bind(post_id)
            .fetch_one(&mut *transaction)
            .await?;
        transaction.commit().await?;
        Ok(Reservation {
            post: post_from_row(row)?,
            newly_reserved: true,
        })
    }

    /// Records that Discord accepted the post as `message_id`.
    pub async fn mark_posted(
        &self,
        post_id: i64,
        message_id: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        sqlx::query("UPDATE daily_posts SET state = 'posted', message_id = $1, posted_at = $2 WHERE post_id = $3")
            .bind(ids::to_db(message_id))
            .bind(instant_to_db(at))
            .bind(post_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn mark_revealed(&self, post_id: i64) -> StoreResult<()> {
        sqlx::query("UPDATE daily_posts SET revealed = 1 WHERE post_id = $1")
            .bind(post_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn post(&self, post_id: i64) -> StoreResult<Option<DailyPost>> {
        let row: Option<PostRow> = sqlx::query_as(&format!("{SELECT_POST} WHERE post_id = $1"))
            .bind(post_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(post_from_row).transpose()
    }

    pub async fn post_for_day(
        &self,
        server_id: u64,
        day: NaiveDate,
    ) -> StoreResult<Option<DailyPost>> {
        let row: Option<PostRow> = sqlx::query_as(&format!(
            "{SELECT_POST} WHERE server_id = $1 AND posting_day = $2"
        ))
        .bind(ids::to_db(server_id))
        .bind(day_to_db(day))
        .fetch_optional(&self.pool)
        .await?;
        row.map(post_from_row).transpose()
    }

    /// The open question: the newest post Discord confirmed. It stays open until the next
    /// one is posted.
    pub async fn open_post(&self, server_id: u64) -> StoreResult<Option<DailyPost>> {
        let row: Option<PostRow> = sqlx::query_as(&format!(
            "{SELECT_POST} WHERE server_id = $1 AND state = 'posted' ORDER BY seq DESC LIMIT 1"
        ))
        .bind(ids::to_db(server_id))
        .fetch_optional(&self.pool)
        .await?;
        row.map(post_from_row).transpose()
    }

    /// Reservations never confirmed: to resend with their nonce.
    pub async fn unconfirmed_posts(&self, server_id: u64) -> StoreResult<Vec<DailyPost>> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "{SELECT_POST} WHERE server_id = $1 AND state = 'reserved' ORDER BY seq"
        ))
        .bind(ids::to_db(server_id))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(post_from_row).collect()
    }

    /// Closed posts whose answer was not revealed yet (every posted one but the newest).
    pub async fn closed_unrevealed_posts(&self, server_id: u64) -> StoreResult<Vec<DailyPost>> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "{SELECT_POST} WHERE server_id = $1 AND state = 'posted' AND revealed = 0
               AND seq < (SELECT MAX(seq) FROM daily_posts WHERE server_id = $1 AND state = 'posted')
             ORDER BY seq"
        ))
        .bind(ids::to_db(server_id))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(post_from_row).collect()
    }

    /// How many members picked A, B, C and D.
    pub async fn answer_spread(&self, post_id: i64) -> StoreResult<[u32; 4]> {
        let rows: Vec<(i64, i64)> = sqlx::query_as(
            "SELECT choice, COUNT(*) FROM answers WHERE post_id = $1 GROUP BY choice",
        )
        .bind(post_id)
        .fetch_all(&self.pool)
        .await?;
        let mut spread = [0u32; 4];
        for (choice, count) in rows {
            if let Some(slot) = usize::try_from(choice)
                .ok()
                .and_then(|choice| spread.get_mut(choice))
            {
                *slot = u32::try_from(count).unwrap_or(u32::MAX);
            }
        }
        Ok(spread)
    }

    /// Posts a server made, newest first.
    pub async fn recent_posts(&self, server_id: u64, limit: u32) -> StoreResult<Vec<DailyPost>> {
        let rows: Vec<PostRow> = sqlx::query_as(&format!(
            "{SELECT_POST} WHERE server_id = $1 ORDER BY seq DESC LIMIT $2"
        ))
        .bind(ids::to_db(server_id))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(post_from_row).collect()
    }
}

impl Db {
    /// Records that the public post now shows `count` answers; `false` if it already did.
    pub async fn set_shown_answer_count(&self, post_id: i64, count: u32) -> StoreResult<bool> {
        let changed = sqlx::query("UPDATE daily_posts SET shown_answer_count = $1 WHERE post_id = $2 AND shown_answer_count <> $3")
            .bind(i64::from(count))
            .bind(post_id)
            .bind(i64::from(count))
            .execute(&self.pool)
            .await?
            .rows_affected();
        Ok(changed == 1)
    }
}
