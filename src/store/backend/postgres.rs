//! PostgreSQL: one shared database for several bot processes (see docs/SCALING.md).
//!
//! Every integer column is BIGINT (Discord ids, counts, flags), so one set of queries reads
//! the same types from both databases; dates and instants are text in the same formats as in
//! SQLite, which sort correctly as text.

use sqlx::any::AnyPoolOptions;
use sqlx::AnyPool;

use crate::store::StoreResult;

pub(super) static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Tables whose ids PostgreSQL generates (identity columns).
const IDENTITIES: &[(&str, &str)] = &[
    ("daily_posts", "post_id"),
    ("topic_weeks", "week_id"),
    ("audit_log", "entry_id"),
    ("suggestions", "suggestion_id"),
    ("server_questions", "number"),
];

pub(super) async fn connect(url: &str, options: AnyPoolOptions) -> StoreResult<AnyPool> {
    Ok(options.connect(url).await?)
}

/// After a copy that brought its own ids, each identity continues after the largest one.
pub(super) async fn reset_identities(pool: &AnyPool) -> StoreResult<()> {
    for (table, column) in IDENTITIES {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence('{table}', '{column}'), \
             COALESCE((SELECT MAX({column}) FROM {table}), 0) + 1, false)"
        ))
        .execute(pool)
        .await?;
    }
    Ok(())
}
