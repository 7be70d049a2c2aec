//! `recaps`: the weekly recap, posted exactly once with the same protocol as the daily post
//! (reserve with a nonce, send, confirm; resend an unconfirmed one with its nonce).

use chrono::{DateTime, NaiveDate, Utc};

use super::{day_from_db, day_to_db, ids, instant_to_db, Db, StoreResult};

/// A recap's reservation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecapClaim {
    /// The Monday of the week recapped.
    pub week: NaiveDate,
    pub channel_id: u64,
    pub nonce: String,
    pub posted: bool,
}

type RecapRow = (String, i64, String, String);

fn claim_from_row((week, channel, nonce, state): RecapRow) -> StoreResult<RecapClaim> {
    Ok(RecapClaim {
        week: day_from_db(&week)?,
        channel_id: ids::from_db(channel),
        nonce,
        posted: state == "posted",
    })
}

impl Db {
    /// Claims the recap of `week` (its Monday), or returns the existing claim.
    pub async fn reserve_recap(
        &self,
        server_id: u64,
        week: NaiveDate,
        channel_id: u64,
        nonce: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<RecapClaim> {
        sqlx::query(
            "INSERT INTO recaps (server_id, week, channel_id, nonce, state, reserved_at) VALUES ($1, $2, $3, $4, 'reserved', $5)
             ON CONFLICT (server_id, week) DO NOTHING",
        )
        .bind(ids::to_db(server_id))
        .bind(day_to_db(week))
        .bind(ids::to_db(channel_id))
        .bind(nonce)
        .bind(instant_to_db(at))
        .execute(&self.pool)
        .await?;
        let row: RecapRow = sqlx::query_as(
            "SELECT week, channel_id, nonce, state FROM recaps WHERE server_id = $1 AND week = $2",
        )
        .bind(ids::to_db(server_id))
        .bind(day_to_db(week))
        .fetch_one(&self.pool)
        .await?;
        claim_from_row(row)
    }

    pub async fn mark_recap_posted(
        &self,
        server_id: u64,
        week: NaiveDate,
        message_id: u64,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE recaps SET state = 'posted', message_id = $3 WHERE server_id = $1 AND week = $2",
        )
        .bind(ids::to_db(server_id))
        .bind(day_to_db(week))
        .bind(ids::to_db(message_id))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Recaps reserved but never confirmed (the bot stopped in between).
    pub async fn unconfirmed_recaps(&self, server_id: u64) -> StoreResult<Vec<RecapClaim>> {
        let rows: Vec<RecapRow> = sqlx::query_as(
            "SELECT week, channel_id, nonce, state FROM recaps WHERE server_id = $1 AND state = 'reserved' ORDER BY week",
        )
        .bind(ids::to_db(server_id))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(claim_from_row).collect()
    }

    /// How many recaps a server has posted (tests and status).
    pub async fn posted_recaps(&self, server_id: u64) -> StoreResult<u32> {
        let posted: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM recaps WHERE server_id = $1 AND state = 'posted'",
        )
        .bind(ids::to_db(server_id))
        .fetch_one(&self.pool)
        .await?;
        Ok(u32::try_from(posted).unwrap_or(0))
    }
}
