//! `review_items`: missed questions due again (`/review`).

use chrono::{DateTime, Utc};

use super::{ids, instant_from_db, instant_to_db, Db, StoreResult};

#[derive(Debug, Clone, PartialEq)]
pub struct ReviewItem {
    pub question_id: String,
    pub times_wrong: u32,
    pub due_at: DateTime<Utc>,
}

impl Db {
    /// A member's missed questions due at `now`, most overdue first.
    pub async fn due_reviews(
        &self,
        server_id: u64,
        user_id: u64,
        now: DateTime<Utc>,
    ) -> StoreResult<Vec<ReviewItem>> {
        let rows: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT question_id, times_wrong, due_at FROM review_items
             WHERE server_id = $1 AND user_id = $2 AND due_at <= $3 ORDER BY due_at, question_id",
        )
        .bind(ids::to_db(server_id))
        .bind(ids::to_db(user_id))
        .bind(instant_to_db(now))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(question_id, times_wrong, due_at)| {
                Ok(ReviewItem {
                    question_id,
                    times_wrong: u32::try_from(times_wrong).unwrap_or(0),
                    due_at: instant_from_db(&due_at)?,
                })
            })
            .collect()
    }

    /// A review answered: right retires the question, wrong sends it up the ladder.
    /// Reviews never touch streaks or points.
    pub async fn record_review(
        &self,
        server_id: u64,
        user_id: u64,
        question_id: &str,
        correct: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let (server, user) = (ids::to_db(server_id), ids::to_db(user_id));
        let mut transaction = self.begin_write().await?;
        Self::update_review(&mut transaction, server, user, question_id, correct, at).await?;
        transaction.commit().await?;
        Ok(())
    }
}
