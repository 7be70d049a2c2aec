//! SQLite: a file next to the bot, nothing to install.
//!
//! Settings, and why:
//! - WAL journal: readers never block the writer, and a commit is one append.
//! - synchronous=FULL: a commit is on disk before we tell a member their answer counted,
//!   even across a power cut (NORMAL could lose the last commits in WAL mode).
//! - foreign_keys: posts and answers stay consistent with their server.
//! - busy_timeout: concurrent writers queue instead of failing with "database is locked".
//!   Writers hold the lock for milliseconds, so 5 s only runs out if something is badly wrong.
//! - wal_autocheckpoint=10000 pages (about 40 MB of WAL between checkpoints, instead of 4 MB):
//!   a checkpoint copies every page changed since the last one into the database file and
//!   syncs it; under a surge of answers the default checkpointed every second commit and
//!   copied the same hot pages again each time. journal_size_limit gives the file back after
//!   a burst. A commit is durable in the WAL either way.
//! - cache_size=16 MB per connection (default 2 MB): answers from members with scattered ids
//!   touch pages all over the tables, and a page not in the cache is a read from the WAL or
//!   the file. The cache only grows as pages are used, so a small database stays small.

use std::path::Path;
use std::str::FromStr;

use sqlx::any::AnyPoolOptions;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{AnyPool, Executor};

use crate::store::{Durability, StoreError, StoreResult};

pub(super) static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

const PRAGMAS: &str =
    "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000; \
     PRAGMA wal_autocheckpoint = 10000; PRAGMA journal_size_limit = 67108864; \
     PRAGMA cache_size = -16384;";

pub(super) async fn connect(
    url: &str,
    options: AnyPoolOptions,
    durability: Durability,
) -> StoreResult<AnyPool> {
    let synchronous = match durability {
        Durability::Full => "PRAGMA synchronous = FULL;",
        Durability::Normal => "PRAGMA synchronous = NORMAL;",
    };
    // Parsed once with SQLite's own options, to find the file and create its folder.
    let file = SqliteConnectOptions::from_str(url)?
        .get_filename()
        .to_path_buf();
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
    // Created if missing, like the bot's own data folder.
    let url = if url.contains("mode=") {
        url.to_string()
    } else if url.contains('?') {
        format!("{url}&mode=rwc")
    } else {
        format!("{url}?mode=rwc")
    };
    let pool = options
        .after_connect(move |connection, _| {
            Box::pin(async move {
                connection.execute(sqlx::raw_sql(PRAGMAS)).await?;
                connection.execute(synchronous).await?;
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    Ok(pool)
}

/// `VACUUM INTO`: a consistent copy, safe while the bot writes. The target must not exist.
pub(super) async fn backup(pool: &AnyPool, path: &Path) -> StoreResult<()> {
    sqlx::query("VACUUM INTO $1")
        .bind(path.to_string_lossy().into_owned())
        .execute(pool)
        .await?;
    Ok(())
}
