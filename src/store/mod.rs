//! The SQLite store (the only module that knows sqlx).
//!
//! One [`Db`] owns the pool; its methods are split per table in the submodules and speak
//! domain types only. Migrations are the plain SQL files in `migrations/`, embedded at build
//! time and run at open.

mod answers;
mod posts;
mod reviews;
mod servers;
mod weeks;

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;

pub use answers::NewAnswer;
pub use posts::Reservation;
pub use reviews::ReviewItem;

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations");

/// How long a writer waits for another to finish before giving up. Writers hold the lock for
/// well under a millisecond, so 5 s only runs out if something is badly wrong.
const BUSY_TIMEOUT: Duration = Duration::from_secs(5);
/// Connections in the pool. SQLite has one writer at a time anyway; a few connections let
/// reads (leaderboards, /streak) run beside it in WAL mode.
const POOL_SIZE: u32 = 8;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Sqlx(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot create the database folder {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
    #[error("the database holds a value this version cannot read: {0}")]
    Corrupt(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// The database: a pool of connections to one SQLite file.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

impl Db {
    /// Opens (creating if needed) the database at an `sqlite:` URL and runs the migrations.
    ///
    /// Settings, and why:
    /// - WAL journal: readers never block the writer, and a commit is one append.
    /// - synchronous=FULL: a commit is on disk before we tell a member their answer counted,
    ///   even across a power cut (NORMAL could lose the last commits in WAL mode).
    /// - foreign_keys: posts and answers stay consistent with their server.
    /// - busy_timeout: concurrent writers queue instead of failing with "database is locked".
    pub async fn open(url: &str) -> StoreResult<Db> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Full)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT);
        let file = options.get_filename();
        if let Some(folder) = file
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
        {
            if file != Path::new(":memory:") {
                std::fs::create_dir_all(folder).map_err(|source| StoreError::Folder {
                    path: folder.display().to_string(),
                    source,
                })?;
            }
        }
        let pool = SqlitePoolOptions::new()
            .max_connections(POOL_SIZE)
            .connect_with(options)
            .await?;
        MIGRATIONS.run(&pool).await?;
        Ok(Db { pool })
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A consistent copy of the live database at `path` (SQLite `VACUUM INTO`), safe while
    /// the bot writes. The target must not exist.
    pub async fn backup_to(&self, path: &Path) -> StoreResult<()> {
        sqlx::query("VACUUM INTO ?")
            .bind(path.to_string_lossy().into_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM bot_meta WHERE key = ?")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO bot_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The moderator actions of a server, oldest first.
    pub async fn audit_log(&self, server_id: u64) -> StoreResult<Vec<(u64, String, String)>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT user_id, action, detail FROM audit_log WHERE server_id = ? ORDER BY entry_id",
        )
        .bind(ids::to_db(server_id))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(user, action, detail)| (ids::from_db(user), action, detail))
            .collect())
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

async fn audit(
    connection: &mut sqlx::SqliteConnection,
    server_id: u64,
    user_id: u64,
    action: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (server_id, user_id, action, detail, at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(ids::to_db(server_id))
    .bind(ids::to_db(user_id))
    .bind(action)
    .bind(detail)
    .bind(instant_to_db(at))
    .execute(connection)
    .await?;
    Ok(())
}

/// Discord ids are unsigned 64-bit snowflakes; SQLite integers are signed. The bits are kept
/// as they are, so every id round-trips exactly and ordering by id is never needed.
pub mod ids {
    pub fn to_db(id: u64) -> i64 {
        i64::from_ne_bytes(id.to_ne_bytes())
    }

    pub fn from_db(stored: i64) -> u64 {
        u64::from_ne_bytes(stored.to_ne_bytes())
    }
}

fn day_to_db(day: NaiveDate) -> String {
    day.format("%Y-%m-%d").to_string()
}

fn day_from_db(text: &str) -> StoreResult<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|_| StoreError::Corrupt(format!("date {text:?}")))
}

fn instant_to_db(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn instant_from_db(text: &str) -> StoreResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| StoreError::Corrupt(format!("instant {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::ids;

    #[test]
    fn every_discord_id_round_trips_through_the_database_integer() {
        for id in [0, 1, 175_928_847_299_117_063, u64::MAX / 2 + 1, u64::MAX] {
            assert_eq!(ids::from_db(ids::to_db(id)), id);
        }
    }
}
