//! `servers`: each server's schedule, channel and moderator role.

use std::str::FromStr;

use chrono::{DateTime, NaiveTime, Utc};
use chrono_tz::Tz;

use super::{audit, ids, instant_to_db, Db, StoreError, StoreResult};
use crate::domain::{PostingDays, Schedule, ServerSettings};

/// A row of `servers`, as [`SELECT_SERVER`] reads it.
#[derive(sqlx::FromRow)]
struct ServerRow {
    server_id: i64,
    channel_id: Option<i64>,
    post_time: String,
    timezone: String,
    posting_days: String,
    paused: i64,
    moderator_role: Option<i64>,
}

fn settings_from_row(row: ServerRow) -> StoreResult<ServerSettings> {
    let ServerRow {
        server_id,
        channel_id,
        post_time,
        timezone,
        posting_days: days,
        paused,
        moderator_role: role,
    } = row;
    let post_time = NaiveTime::parse_from_str(&post_time, "%H:%M")
        .map_err(|_| StoreError::Corrupt(format!("post time {post_time:?}")))?;
    let timezone = Tz::from_str(&timezone)
        .map_err(|_| StoreError::Corrupt(format!("timezone {timezone:?}")))?;
    let days = PostingDays::parse(&days)
        .ok_or_else(|| StoreError::Corrupt(format!("posting days {days:?}")))?;
    Ok(ServerSettings {
        server_id: ids::from_db(server_id),
        channel_id: channel_id.map(ids::from_db),
        schedule: Schedule {
            post_time,
            timezone,
            days,
            paused: paused != 0,
        },
        moderator_role: role.map(ids::from_db),
    })
}

const SELECT_SERVER: &str = "SELECT server_id, channel_id, post_time, timezone, posting_days, paused, moderator_role FROM servers";

impl Db {
    pub async fn server(&self, server_id: u64) -> StoreResult<Option<ServerSettings>> {
        let row: Option<ServerRow> =
            sqlx::query_as(&format!("{SELECT_SERVER} WHERE server_id = $1"))
                .bind(ids::to_db(server_id))
                .fetch_optional(&self.pool)
                .await?;
        row.map(settings_from_row).transpose()
    }

    /// Servers with a channel, for the scheduler.
    pub async fn scheduled_servers(&self) -> StoreResult<Vec<ServerSettings>> {
        let rows: Vec<ServerRow> = sqlx::query_as(&format!(
            "{SELECT_SERVER} WHERE channel_id IS NOT NULL ORDER BY server_id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(settings_from_row).collect()
    }

    /// `/studybot setup`: channel, time, timezone and days, kept paused state and role.
    pub async fn save_setup(
        &self,
        server_id: u64,
        channel_id: u64,
        schedule: &Schedule,
        by_user: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO servers (server_id, channel_id, post_time, timezone, posting_days, paused, updated_at)
             VALUES ($1, $2, $3, $4, $5, 0, $6)
             ON CONFLICT (server_id) DO UPDATE SET channel_id = excluded.channel_id,
                 post_time = excluded.post_time, timezone = excluded.timezone,
                 posting_days = excluded.posting_days, updated_at = excluded.updated_at",
        )
        .bind(ids::to_db(server_id))
        .bind(ids::to_db(channel_id))
        .bind(schedule.post_time.format("%H:%M").to_string())
        .bind(schedule.timezone.name())
        .bind(schedule.days.as_str())
        .bind(instant_to_db(at))
        .execute(&mut *transaction)
        .await?;
        let detail = format!(
            "channel={channel_id} time={} timezone={} days={}",
            schedule.post_time.format("%H:%M"),
            schedule.timezone.name(),
            schedule.days
        );
        audit(&mut transaction, server_id, by_user, "setup", &detail, at).await?;
        transaction.commit().await?;
        Ok(())
    }

    /// Pause or resume; `false` when the server was never set up.
    pub async fn set_paused(
        &self,
        server_id: u64,
        paused: bool,
        by_user: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let changed =
            sqlx::query("UPDATE servers SET paused = $1, updated_at = $2 WHERE server_id = $3")
                .bind(i64::from(paused))
                .bind(instant_to_db(at))
                .bind(ids::to_db(server_id))
                .execute(&mut *transaction)
                .await?
                .rows_affected();
        if changed == 1 {
            let action = if paused { "pause" } else { "resume" };
            audit(&mut transaction, server_id, by_user, action, "", at).await?;
        }
        transaction.commit().await?;
        Ok(changed == 1)
    }

    /// The role that may use moderator commands besides Manage Server. Creates the server
    /// row with `defaults` if it was not set up yet.
    pub async fn set_moderator_role(
        &self,
        server_id: u64,
        role_id: u64,
        defaults: &Schedule,
        by_user: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let mut transaction = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO servers (server_id, channel_id, post_time, timezone, posting_days, paused, moderator_role, updated_at)
             VALUES ($1, NULL, $2, $3, $4, 0, $5, $6)
             ON CONFLICT (server_id) DO UPDATE SET moderator_role = excluded.moderator_role, updated_at = excluded.updated_at",
        )
        .bind(ids::to_db(server_id))
        .bind(defaults.post_time.format("%H:%M").to_string())
        .bind(defaults.timezone.name())
        .bind(defaults.days.as_str())
        .bind(ids::to_db(role_id))
        .bind(instant_to_db(at))
        .execute(&mut *transaction)
        .await?;
        audit(
            &mut transaction,
            server_id,
            by_user,
            "role",
            &format!("role={role_id}"),
            at,
        )
        .await?;
        transaction.commit().await?;
        Ok(())
    }
}
