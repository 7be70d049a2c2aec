//! The store (the only module that knows sqlx): SQLite, the embedded default, or PostgreSQL
//! for several processes, behind one interface.
//!
//! One [`Db`] owns the pool; its methods are split per table in the submodules and speak
//! domain types only. Every statement is written once for both databases (sqlx's `Any`
//! driver, `$1` placeholders, BIGINT columns); what differs lives in `backend/`, one file per
//! database. Migrations are plain SQL in `migrations/sqlite` and `migrations/postgres`,
//! embedded at build time and run at open. Answers go through one writer task that commits
//! them in groups (`writer`).

mod answers;
mod backend;
mod bulk;
mod community;
mod copy;
mod posts;
mod recaps;
mod reviews;
mod roles;
mod seasons;
mod servers;
mod weeks;
mod writer;

use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, AnyPool};

pub use answers::NewAnswer;
pub use backend::Backend;
pub use community::{ServerQuestion, Submitted};
pub use copy::{copy_database, CopyReport};
pub use posts::Reservation;
pub use recaps::RecapClaim;
pub use reviews::ReviewItem;
pub use roles::{ManagedRole, ServerRoles};
pub use seasons::{AnsweredQuestion, PeriodTotals, QuestionResult};

use writer::AnswerWriter;

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
    #[error("{0}")]
    Unsupported(String),
    #[error("the answer writer has stopped (the database is closing)")]
    WriterStopped,
    #[error("the answers committed together failed: {0}")]
    Batch(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// How SQLite syncs a commit to disk (PostgreSQL follows its own server settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Durability {
    /// `synchronous=FULL`: on disk before the commit returns, even across a power cut.
    Full,
    /// `synchronous=NORMAL`: in WAL mode a power cut can lose the last commits.
    Normal,
}

/// The database: a pool of connections, its backend, and the answer writer.
#[derive(Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    writer: AnswerWriter,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("backend", &self.backend)
            .finish()
    }
}

impl Db {
    /// Opens (creating if needed) the database at a `sqlite:` or `postgres://` URL and runs
    /// the migrations.
    pub async fn open(url: &str) -> StoreResult<Db> {
        Db::open_with(url, Durability::Full).await
    }

    /// Opens with a chosen SQLite durability. The bot always uses [`Durability::Full`]; the
    /// store benchmark measures what `Normal` would gain.
    pub async fn open_with(url: &str, durability: Durability) -> StoreResult<Db> {
        let backend = Backend::of_url(url)?;
        let pool = backend.open(url, durability).await?;
        let writer = AnswerWriter::start(pool.clone(), backend);
        let db = Db {
            pool,
            backend,
            writer,
        };
        db.backfill_period_scores().await?;
        Ok(db)
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Whether the database answers a trivial query.
    pub async fn ping(&self) -> StoreResult<()> {
        sqlx::query("SELECT 1").execute(&self.pool).await?;
        Ok(())
    }

    /// A consistent copy of the live database at `path`, safe while the bot writes (SQLite
    /// `VACUUM INTO`; PostgreSQL says to use pg_dump). The target must not exist.
    pub async fn backup_to(&self, path: &Path) -> StoreResult<()> {
        self.backend.backup(&self.pool, path).await
    }

    /// A transaction that will write, started the way the backend needs.
    async fn begin_write(&self) -> StoreResult<sqlx::Transaction<'static, sqlx::Any>> {
        Ok(self.pool.begin_with(self.backend.begin_write()).await?)
    }

    pub async fn meta(&self, key: &str) -> StoreResult<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT value FROM bot_meta WHERE key = $1")
                .bind(key)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn set_meta(&self, key: &str, value: &str) -> StoreResult<()> {
        sqlx::query("INSERT INTO bot_meta (key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value")
            .bind(key)
            .bind(value)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// The moderator actions of a server, oldest first.
    pub async fn audit_log(&self, server_id: u64) -> StoreResult<Vec<(u64, String, String)>> {
        let rows: Vec<(i64, String, String)> = sqlx::query_as(
            "SELECT user_id, action, detail FROM audit_log WHERE server_id = $1 ORDER BY entry_id",
        )
        .bind(ids::to_db(server_id))
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(|(user, action, detail)| (ids::from_db(user), action, detail))
            .collect())
    }

    /// Stops the answer writer (after the answers already queued) and closes the pool.
    pub async fn close(&self) {
        self.writer.stop().await;
        self.pool.close().await;
    }
}

async fn audit(
    connection: &mut AnyConnection,
    server_id: u64,
    user_id: u64,
    action: &str,
    detail: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    sqlx::query(
        "INSERT INTO audit_log (server_id, user_id, action, detail, at) VALUES ($1, $2, $3, $4, $5)",
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

/// A count or sum read from the database as a `u32` (a negative or huge value reads as 0:
/// only ever a corrupt row).
fn count(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(0)
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
