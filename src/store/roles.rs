//! The roles the bot manages in a server (`servers` columns): the monthly champion role and
//! who holds it, the opt-in quiz ping role, and the last problem managing them.

use chrono::{DateTime, Utc};

use super::{audit, ids, Db, StoreResult};

/// A role the bot hands out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManagedRole {
    /// Moves to last month's top member with the first post of a month.
    Champion,
    /// Mentioned by the daily post; members add or drop it with `/notify`.
    Notify,
}

impl ManagedRole {
    fn column(self) -> &'static str {
        match self {
            ManagedRole::Champion => "champion_role",
            ManagedRole::Notify => "notify_role",
        }
    }
}

/// A server's managed roles, all `None` before a moderator sets them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ServerRoles {
    pub champion_role: Option<u64>,
    pub notify_role: Option<u64>,
    /// Who was last given the champion role, and for which month (`M2026-11`).
    pub champion_user: Option<u64>,
    pub champion_month: Option<String>,
    /// A role the bot was refused permission to manage the last time it tried (cleared when
    /// managing roles works again or a moderator sets the roles anew).
    pub problem_role: Option<u64>,
}

#[derive(sqlx::FromRow)]
struct RolesRow {
    champion_role: Option<i64>,
    notify_role: Option<i64>,
    champion_user: Option<i64>,
    champion_month: Option<String>,
    role_problem: Option<String>,
}

impl Db {
    pub async fn server_roles(&self, server_id: u64) -> StoreResult<ServerRoles> {
        let row: Option<RolesRow> = sqlx::query_as(
            "SELECT champion_role, notify_role, champion_user, champion_month, role_problem FROM servers WHERE server_id = $1",
        )
        .bind(ids::to_db(server_id))
        .fetch_optional(&self.pool)
        .await?;
        Ok(row.map_or_else(ServerRoles::default, |row| ServerRoles {
            champion_role: row.champion_role.map(ids::from_db),
            notify_role: row.notify_role.map(ids::from_db),
            champion_user: row.champion_user.map(ids::from_db),
            champion_month: row.champion_month,
            problem_role: row
                .role_problem
                .as_deref()
                .and_then(|text| text.parse::<u64>().ok()),
        }))
    }

    /// Sets (or clears) a managed role. False when the server is not set up yet.
    pub async fn set_managed_role(
        &self,
        server_id: u64,
        which: ManagedRole,
        role_id: Option<u64>,
        by: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let sql = format!(
            "UPDATE servers SET {} = $2, role_problem = NULL WHERE server_id = $1",
            which.column()
        );
        let updated = sqlx::query(&sql)
            .bind(ids::to_db(server_id))
            .bind(role_id.map(ids::to_db))
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        let detail = role_id.map_or_else(|| "none".to_string(), |role| role.to_string());
        audit(&mut transaction, server_id, by, which.column(), &detail, at).await?;
        transaction.commit().await?;
        Ok(true)
    }

    /// Remembers that `user` (or nobody) holds the champion role for `month`.
    pub async fn record_champion(
        &self,
        server_id: u64,
        user: Option<u64>,
        month: &str,
    ) -> StoreResult<()> {
        sqlx::query(
            "UPDATE servers SET champion_user = $2, champion_month = $3, role_problem = NULL WHERE server_id = $1",
        )
        .bind(ids::to_db(server_id))
        .bind(user.map(ids::to_db))
        .bind(month)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Records (or clears) the role the bot was refused permission to manage.
    pub async fn set_role_problem(&self, server_id: u64, role_id: Option<u64>) -> StoreResult<()> {
        sqlx::query("UPDATE servers SET role_problem = $2 WHERE server_id = $1")
            .bind(ids::to_db(server_id))
            .bind(role_id.map(|role| role.to_string()))
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
