//! Moving up from SQLite to PostgreSQL: `studybot migrate-db`, and `studybot backup`
//! pointing PostgreSQL users to pg_dump.

use chrono::Utc;
use studybot::domain::PostingDays;
use studybot::store::{copy_database, Db};

use crate::backends::{PostgresDatabase, TestDb};
use crate::{answer, date, post_day, real_pack, save, settings, SERVER};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn migrate_db_copies_every_table_checks_the_counts_and_refuses_a_full_target() {
    let Some(target) = PostgresDatabase::create().await else {
        return;
    };
    let source = TestDb::sqlite().await;
    let pack = real_pack();
    let plan = settings(chrono_tz::Europe::Berlin, 9, 0, PostingDays::EveryDay);
    save(&source.db, &plan).await;
    for day in 1..=3 {
        let post = post_day(&source.db, pack, &plan, date(2026, 11, day)).await;
        answer(&source.db, pack, &post, 7, day != 2, Utc::now()).await;
        answer(&source.db, pack, &post, 8, true, Utc::now()).await;
    }
    source.db.close().await;

    let report = copy_database(&source.url, &target.url)
        .await
        .expect("copied");
    let rows = |table: &str| {
        report
            .tables
            .iter()
            .find(|(name, _)| name == table)
            .map(|(_, rows)| *rows)
    };
    assert_eq!(rows("daily_posts"), Some(3), "{report:?}");
    assert_eq!(rows("answers"), Some(6), "{report:?}");
    assert_eq!(rows("member_stats"), Some(2), "{report:?}");

    let copied = Db::open(&target.url).await.expect("open the copy");
    let before = Db::open(&source.url).await.expect("reopen the source");
    for member in [7, 8] {
        assert_eq!(
            copied.member_stats(SERVER, member).await.expect("stats"),
            before.member_stats(SERVER, member).await.expect("stats"),
            "member {member}"
        );
    }
    // New rows continue after the copied ids.
    let next = post_day(&copied, pack, &plan, date(2026, 11, 4)).await;
    assert_eq!(next.seq, 4);
    assert!(next.post_id > 3, "{}", next.post_id);

    let again = copy_database(&source.url, &target.url).await;
    let message = again.expect_err("a full target is refused").to_string();
    assert!(message.contains("not empty"), "{message}");
    copied.close().await;
    before.close().await;
}

#[test]
fn backup_on_postgresql_says_to_use_pg_dump_in_one_sentence() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(["backup", "/tmp/studybot-never-written.db"])
        .env(
            "STUDYBOT_DATABASE_URL",
            "postgres://postgres@127.0.0.1:5432/test",
        )
        .output()
        .expect("run studybot backup");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success());
    assert!(said.contains("pg_dump"), "{said}");
    assert_eq!(said.trim().lines().count(), 1, "{said}");
    assert!(!std::path::Path::new("/tmp/studybot-never-written.db").exists());
}
