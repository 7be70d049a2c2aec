//! `topic_weeks`: scheduling, listing and cancelling, with the overlap rule applied inside
//! the write transaction so two moderators cannot both book the same days.

use chrono::{DateTime, NaiveDate, Utc};

use super::{audit, day_from_db, day_to_db, ids, instant_to_db, Db, StoreError, StoreResult};
use crate::domain::topic_week::{check_new_week, WeekRefusal};
use crate::domain::{TopicWeek, WeekTopic};

type WeekRow = (i64, String, String);

fn week_from_row((id, topic, start): WeekRow) -> StoreResult<TopicWeek> {
    Ok(TopicWeek {
        id,
        topic: WeekTopic::from_stored(&topic)
            .ok_or_else(|| StoreError::Corrupt(format!("week topic {topic:?}")))?,
        start: day_from_db(&start)?,
    })
}

impl Db {
    /// Weeks not cancelled whose last day is `from` or later, by start date.
    pub async fn topic_weeks(
        &self,
        server_id: u64,
        from: NaiveDate,
    ) -> StoreResult<Vec<TopicWeek>> {
        let rows: Vec<WeekRow> = sqlx::query_as(&format!(
            "SELECT week_id, topic, start_day FROM topic_weeks
             WHERE server_id = $1 AND cancelled = 0 AND {} >= $2 ORDER BY start_day",
            self.backend.week_last_day("start_day")
        ))
        .bind(ids::to_db(server_id))
        .bind(day_to_db(from))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(week_from_row).collect()
    }

    /// The week covering `day`, if any.
    pub async fn week_on(
        &self,
        server_id: u64,
        day: NaiveDate,
    ) -> StoreResult<Option<(TopicWeek, bool)>> {
        let row: Option<(i64, String, String, i64)> = sqlx::query_as(&format!(
            "SELECT week_id, topic, start_day, announced FROM topic_weeks
             WHERE server_id = $1 AND cancelled = 0 AND start_day <= $2 AND {} >= $2
             ORDER BY start_day LIMIT 1",
            self.backend.week_last_day("start_day")
        ))
        .bind(ids::to_db(server_id))
        .bind(day_to_db(day))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|(id, topic, start, announced)| {
            Ok((week_from_row((id, topic, start))?, announced != 0))
        })
        .transpose()
    }

    pub async fn mark_week_announced(&self, week_id: i64) -> StoreResult<()> {
        sqlx::query("UPDATE topic_weeks SET announced = 1 WHERE week_id = $1")
            .bind(week_id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Schedules a week, or says why not (in the past, overlapping another week).
    pub async fn schedule_topic_week(
        &self,
        server_id: u64,
        topic: &WeekTopic,
        start: NaiveDate,
        today: NaiveDate,
        by_user: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<Result<TopicWeek, WeekRefusal>> {
        let mut transaction = self.begin_write().await?;
        let rows: Vec<WeekRow> = sqlx::query_as(
            "SELECT week_id, topic, start_day FROM topic_weeks WHERE server_id = $1 AND cancelled = 0",
        )
        .bind(ids::to_db(server_id))
        .fetch_all(&mut *transaction)
        .await?;
        let existing = rows
            .into_iter()
            .map(week_from_row)
            .collect::<StoreResult<Vec<_>>>()?;
        if let Err(refusal) = check_new_week(&existing, start, today) {
            transaction.rollback().await?;
            return Ok(Err(refusal));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO topic_weeks (server_id, topic, start_day, created_by, created_at) VALUES ($1, $2, $3, $4, $5) RETURNING week_id",
        )
        .bind(ids::to_db(server_id))
        .bind(topic.to_stored())
        .bind(day_to_db(start))
        .bind(ids::to_db(by_user))
        .bind(instant_to_db(at))
        .fetch_one(&mut *transaction)
        .await?;
        audit(
            &mut transaction,
            server_id,
            by_user,
            "topicweek-schedule",
            &format!("#{id} {} from {start}", topic.to_stored()),
            at,
        )
        .await?;
        transaction.commit().await?;
        Ok(Ok(TopicWeek {
            id,
            topic: topic.clone(),
            start,
        }))
    }

    /// Cancels a week of this server; `false` if there is no such week.
    pub async fn cancel_topic_week(
        &self,
        server_id: u64,
        week_id: i64,
        by_user: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let changed = sqlx::query("UPDATE topic_weeks SET cancelled = 1 WHERE server_id = $1 AND week_id = $2 AND cancelled = 0")
            .bind(ids::to_db(server_id))
            .bind(week_id)
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        if changed == 1 {
            audit(
                &mut transaction,
                server_id,
                by_user,
                "topicweek-cancel",
                &format!("#{week_id}"),
                at,
            )
            .await?;
        }
        transaction.commit().await?;
        Ok(changed == 1)
    }
}
