//! What differs between the two databases, in one place per backend: how to connect, the
//! few SQL fragments that are not the same in both, the migrations, and backups. Every
//! other statement in the store is written once and runs on both.

mod postgres;
mod sqlite;

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

use super::{Durability, StoreError, StoreResult};

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Connections in the pool. SQLite has one writer at a time anyway; a few connections let
/// reads (leaderboards, /streak) run beside it in WAL mode. PostgreSQL serves several
/// processes, each with this many.
const POOL_SIZE: u32 = 8;

impl Backend {
    /// The backend of a `database.url`, or why it is neither.
    pub fn of_url(url: &str) -> StoreResult<Backend> {
        if url.starts_with("sqlite:") {
            Ok(Backend::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Backend::Postgres)
        } else {
            Err(StoreError::Unsupported(format!(
                "{url:?} is neither an sqlite: nor a postgres:// URL"
            )))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "SQLite",
            Backend::Postgres => "PostgreSQL",
        }
    }

    /// Opens a pool on `url` with this backend's settings and runs its migrations.
    pub(super) async fn open(self, url: &str, durability: Durability) -> StoreResult<AnyPool> {
        sqlx::any::install_default_drivers();
        let options = AnyPoolOptions::new().max_connections(POOL_SIZE);
        let pool = match self {
            Backend::Sqlite => sqlite::connect(url, options, durability).await?,
            Backend::Postgres => postgres::connect(url, options).await?,
        };
        self.migrator().run(&pool).await?;
        Ok(pool)
    }

    fn migrator(self) -> &'static sqlx::migrate::Migrator {
        match self {
            Backend::Sqlite => &sqlite::MIGRATIONS,
            Backend::Postgres => &postgres::MIGRATIONS,
        }
    }

    /// Starts a transaction that will write. SQLite must take the write lock up front: a
    /// deferred transaction that reads and then writes can fail with SQLITE_BUSY instead of
    /// waiting its turn. PostgreSQL locks rows as it goes.
    pub(super) fn begin_write(self) -> &'static str {
        match self {
            Backend::Sqlite => "BEGIN IMMEDIATE",
            Backend::Postgres => "BEGIN",
        }
    }

    /// Appended to a SELECT whose rows the transaction will update: PostgreSQL locks them
    /// against another process; SQLite's write lock already covers the whole file.
    pub(super) fn for_update(self) -> &'static str {
        match self {
            Backend::Sqlite => "",
            Backend::Postgres => " FOR UPDATE",
        }
    }

    /// The SQL for the last day of a topic week starting on the 'YYYY-MM-DD' column `start`.
    pub(super) fn week_last_day(self, start: &str) -> String {
        match self {
            Backend::Sqlite => format!("date({start}, '+6 days')"),
            Backend::Postgres => format!("to_char({start}::date + 6, 'YYYY-MM-DD')"),
        }
    }

    /// A consistent copy of the live database at `path`, if the backend can make one.
    pub(super) async fn backup(self, pool: &AnyPool, path: &std::path::Path) -> StoreResult<()> {
        match self {
            Backend::Sqlite => sqlite::backup(pool, path).await,
            Backend::Postgres => Err(StoreError::Unsupported(
                "backups of PostgreSQL are pg_dump's job".into(),
            )),
        }
    }

    /// After rows were copied in with their own ids, the id generators continue after them.
    pub(super) async fn after_bulk_copy(self, pool: &AnyPool) -> StoreResult<()> {
        match self {
            Backend::Sqlite => Ok(()),
            Backend::Postgres => postgres::reset_identities(pool).await,
        }
    }
}
