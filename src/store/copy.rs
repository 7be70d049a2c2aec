//! Moving up: `studybot migrate-db --from sqlite://FILE --to postgres://URL` copies every
//! table of a SQLite database into an empty PostgreSQL one, in one transaction, and checks
//! the row counts at the end.
//!
//! The tables and columns are read from the SQLite file itself (`sqlite_master`,
//! `PRAGMA table_info`), so a table added by a later migration is copied without this file
//! changing; the target gets its tables from its own migrations first.

use std::collections::{BTreeMap, HashSet};

use sqlx::{Any, AnyConnection, AnyPool, Executor, Row};

use super::{Backend, Db, StoreError, StoreResult};

/// Rows per INSERT: large enough to make the copy quick, small enough to stay under
/// PostgreSQL's 65,535 bind parameters for the widest table.
const ROWS_PER_INSERT: usize = 500;

/// How many rows each table holds in the target after the copy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub tables: Vec<(String, u64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Integer,
    Text,
}

struct Table {
    name: String,
    columns: Vec<(String, Kind)>,
}

/// Copies every table from `from` (SQLite) to `to` (PostgreSQL, empty), then compares the
/// row counts of every table.
pub async fn copy_database(from: &str, to: &str) -> StoreResult<CopyReport> {
    if Backend::of_url(from)? != Backend::Sqlite || Backend::of_url(to)? != Backend::Postgres {
        return Err(StoreError::Unsupported(
            "migrate-db copies a SQLite database (--from sqlite://FILE) into PostgreSQL (--to postgres://URL)".into(),
        ));
    }
    let source = Db::open(from).await?;
    let target = Db::open(to).await?;
    let result = copy_between(&source, &target).await;
    source.close().await;
    target.close().await;
    result
}

async fn copy_between(source: &Db, target: &Db) -> StoreResult<CopyReport> {
    let tables = sqlite_tables(&source.pool).await?;
    for table in &tables {
        let rows = count(&target.pool, &table.name).await?;
        if rows > 0 {
            return Err(StoreError::Unsupported(format!(
                "the target database is not empty: {} has {rows} row(s). migrate-db only copies into a new, empty database.",
                table.name
            )));
        }
    }
    let mut connection = target.pool.acquire().await?;
    connection.execute("BEGIN").await?;
    let copied = async {
        for table in &tables {
            copy_table(&source.pool, &mut connection, table).await?;
        }
        Ok::<(), StoreError>(())
    }
    .await;
    match copied {
        Ok(()) => {
            connection.execute("COMMIT").await?;
        }
        Err(error) => {
            let _ = connection.execute("ROLLBACK").await;
            return Err(error);
        }
    }
    drop(connection);
    target.backend.after_bulk_copy(&target.pool).await?;
    let mut report = Vec::new();
    for table in &tables {
        let (from, to) = (
            count(&source.pool, &table.name).await?,
            count(&target.pool, &table.name).await?,
        );
        if from != to {
            return Err(StoreError::Unsupported(format!(
                "row counts differ after the copy: {} has {from} in the source and {to} in the target",
                table.name
            )));
        }
        report.push((table.name.clone(), to));
    }
    Ok(CopyReport { tables: report })
}

async fn count(pool: &AnyPool, table: &str) -> StoreResult<u64> {
    let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await?;
    Ok(u64::try_from(rows).unwrap_or(0))
}

/// The SQLite file's own tables (not sqlx's bookkeeping), parents before children.
async fn sqlite_tables(pool: &AnyPool) -> StoreResult<Vec<Table>> {
    let names: Vec<String> = sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table'
           AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations' ORDER BY name",
    )
    .fetch_all(pool)
    .await?;
    let mut parents: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut tables = BTreeMap::new();
    for name in &names {
        let info = sqlx::query(&format!(
            "SELECT name, type FROM pragma_table_info('{name}') ORDER BY cid"
        ))
        .fetch_all(pool)
        .await?;
        let columns = info
            .iter()
            .map(|row| {
                let column: String = row.try_get(0)?;
                let declared: String = row.try_get(1)?;
                let kind = if declared.to_uppercase().contains("INT") {
                    Kind::Integer
                } else {
                    Kind::Text
                };
                Ok((column, kind))
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let references: Vec<String> = sqlx::query_scalar(&format!(
            "SELECT DISTINCT \"table\" FROM pragma_foreign_key_list('{name}')"
        ))
        .fetch_all(pool)
        .await?;
        parents.insert(name.clone(), references);
        tables.insert(
            name.clone(),
            Table {
                name: name.clone(),
                columns,
            },
        );
    }
    // Parents first, so foreign keys hold at every insert.
    let mut ordered = Vec::new();
    let mut placed = HashSet::new();
    while ordered.len() < names.len() {
        let ready: Vec<String> = names
            .iter()
            .filter(|name| !placed.contains(*name))
            .filter(|name| {
                parents[*name]
                    .iter()
                    .all(|parent| placed.contains(parent) || parent == *name)
            })
            .cloned()
            .collect();
        if ready.is_empty() {
            return Err(StoreError::Corrupt(
                "the tables' foreign keys form a cycle".into(),
            ));
        }
        for name in ready {
            placed.insert(name.clone());
            if let Some(table) = tables.remove(&name) {
                ordered.push(table);
            }
        }
    }
    Ok(ordered)
}

/// Reads the whole table and inserts it in chunks, each row with its own ids.
async fn copy_table(
    source: &AnyPool,
    target: &mut AnyConnection,
    table: &Table,
) -> StoreResult<()> {
    let columns: Vec<&str> = table
        .columns
        .iter()
        .map(|(name, _)| name.as_str())
        .collect();
    let rows = sqlx::query(&format!(
        "SELECT {} FROM {}",
        columns.join(", "),
        table.name
    ))
    .fetch_all(source)
    .await?;
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let width = columns.len();
        let values: Vec<String> = (0..chunk.len())
            .map(|row| {
                let cells: Vec<String> = (1..=width)
                    .map(|column| format!("${}", row * width + column))
                    .collect();
                format!("({})", cells.join(", "))
            })
            .collect();
        let sql = format!(
            "INSERT INTO {} ({}) VALUES {}",
            table.name,
            columns.join(", "),
            values.join(", ")
        );
        let mut insert = sqlx::query::<Any>(&sql);
        for row in chunk {
            for (index, (_, kind)) in table.columns.iter().enumerate() {
                insert = match kind {
                    Kind::Integer => insert.bind(row.try_get::<Option<i64>, _>(index)?),
                    Kind::Text => insert.bind(row.try_get::<Option<String>, _>(index)?),
                };
            }
        }
        insert.execute(&mut *target).await?;
    }
    Ok(())
}
