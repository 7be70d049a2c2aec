//! Each store test on both databases: a SQLite file in a temporary folder, and a database of
//! its own on the PostgreSQL server named by `TEST_POSTGRES_URL` (default: the local
//! server CI runs, `postgres://postgres@127.0.0.1:5432/test`).
//!
//! Without a reachable server a local run prints that the PostgreSQL tests were skipped and
//! why; under CI (`CI=true`) a missing server fails them.

use std::sync::OnceLock;

use sqlx::{Connection, Executor, PgConnection};
use studybot::store::Db;

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/test";

pub struct TestDb {
    pub db: Db,
    pub url: String,
    pub _dir: tempfile::TempDir,
    _postgres: Option<PostgresDatabase>,
}

impl TestDb {
    pub async fn sqlite() -> TestDb {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!(
            "sqlite://{}",
            dir.path().join("nested/folder/studybot.db").display()
        );
        let db = Db::open(&url).await.expect("open database");
        TestDb {
            db,
            url,
            _dir: dir,
            _postgres: None,
        }
    }

    /// A new, empty PostgreSQL database for one test; `None` (and a note) when no server is
    /// reachable outside CI.
    pub async fn postgres() -> Option<TestDb> {
        let database = PostgresDatabase::create().await?;
        let db = Db::open(&database.url).await.expect("open database");
        Some(TestDb {
            db,
            url: database.url.clone(),
            _dir: tempfile::tempdir().expect("temp dir"),
            _postgres: Some(database),
        })
    }
}

pub fn admin_url() -> String {
    // Not STUDYBOT_*: the bot refuses unknown STUDYBOT_ variables, and the tests that start
    // `studybot` as a process pass their environment on to it.
    std::env::var("TEST_POSTGRES_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.into())
}

/// A database created for one test and dropped after it.
pub struct PostgresDatabase {
    pub url: String,
    name: String,
}

impl PostgresDatabase {
    pub async fn create() -> Option<PostgresDatabase> {
        let admin = admin_url();
        let mut connection = match PgConnection::connect(&admin).await {
            Ok(connection) => connection,
            Err(error) => {
                if std::env::var("CI").is_ok_and(|ci| ci == "true") {
                    panic!("CI needs PostgreSQL at {admin} for the store tests: {error}");
                }
                static NOTED: OnceLock<()> = OnceLock::new();
                NOTED.get_or_init(|| {
                    // Straight to the process's stderr: the test harness captures eprintln!
                    // of a passing test, and this note must show in a plain `cargo test`.
                    use std::io::Write;
                    let _ = writeln!(
                        std::io::stderr(),
                        "PostgreSQL store tests skipped: no server at {admin} ({error}); set TEST_POSTGRES_URL to run them"
                    );
                });
                return None;
            }
        };
        let name = format!(
            "studybot_test_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::SeqCst)
        );
        connection
            .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
            .await
            .expect("drop a leftover database");
        connection
            .execute(format!("CREATE DATABASE {name}").as_str())
            .await
            .expect("create the test database");
        let url = match admin.rsplit_once('/') {
            Some((server, _)) => format!("{server}/{name}"),
            None => panic!("{admin} names no database"),
        };
        Some(PostgresDatabase { url, name })
    }
}

static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        // Dropped on a thread of its own: Drop cannot await, and the test's runtime may be
        // shutting down.
        let name = self.name.clone();
        let _ = std::thread::spawn(move || {
            let Ok(runtime) = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
            else {
                return;
            };
            runtime.block_on(async {
                if let Ok(mut connection) = PgConnection::connect(&admin_url()).await {
                    let _ = connection
                        .execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str())
                        .await;
                }
            });
        })
        .join();
    }
}

/// Declares each listed `async fn name(test: TestDb)` as two tests, `sqlite::name` and
/// `postgres::name`.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    super::$name($crate::backends::TestDb::sqlite().await).await;
                }
            )*
        }
        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $name() {
                    if let Some(test) = $crate::backends::TestDb::postgres().await {
                        super::$name(test).await;
                    }
                }
            )*
        }
    };
}
