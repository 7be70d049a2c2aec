//! Answers recorded per second by the store, as the bot records them (the group-commit
//! writer), with 1 and with 64 members answering at once: SQLite at synchronous=FULL (what the
//! bot runs), SQLite at NORMAL (what durability costs), and PostgreSQL (the server named by
//! `TEST_POSTGRES_URL`, default postgres://postgres@127.0.0.1:5432/test; skipped
//! with a note when none answers).
//!
//! `cargo bench --bench store` prints a table for docs/BENCHMARKS.md.

use std::sync::Arc;
use std::time::Instant;

use chrono::{NaiveTime, Utc};
use sqlx::{Connection, Executor, PgConnection};
use studybot::domain::{AnswerRecord, PostingDays, Schedule};
use studybot::store::{Db, Durability, NewAnswer};

const SERVER: u64 = 1;
const QUESTION: &str = "bench-question";

#[derive(Clone, Copy)]
enum Target {
    SqliteFull,
    SqliteNormal,
    Postgres,
}

impl Target {
    fn key(self) -> &'static str {
        match self {
            Target::SqliteFull => "full",
            Target::SqliteNormal => "normal",
            Target::Postgres => "postgres",
        }
    }

    fn label(self) -> &'static str {
        match self {
            Target::SqliteFull => "SQLite, synchronous=FULL",
            Target::SqliteNormal => "SQLite, synchronous=NORMAL",
            Target::Postgres => "PostgreSQL",
        }
    }
}

fn admin_url() -> String {
    std::env::var("TEST_POSTGRES_URL")
        .unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/test".into())
}

/// A fresh database with one server and one open post; `None` when PostgreSQL is missing.
async fn open(target: Target, dir: &std::path::Path, run: usize) -> Option<(Db, i64)> {
    let db = match target {
        Target::SqliteFull | Target::SqliteNormal => {
            let url = format!("sqlite://{}", dir.join(format!("bench-{run}.db")).display());
            let durability = match target {
                Target::SqliteNormal => Durability::Normal,
                _ => Durability::Full,
            };
            Db::open_with(&url, durability).await.expect("open")
        }
        Target::Postgres => {
            let admin = admin_url();
            let mut connection = PgConnection::connect(&admin).await.ok()?;
            let name = format!("studybot_bench_{run}");
            for sql in [
                format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                format!("CREATE DATABASE {name}"),
            ] {
                connection.execute(sql.as_str()).await.expect("database");
            }
            let (server, _) = admin.rsplit_once('/').expect("a database in the URL");
            Db::open(&format!("{server}/{name}")).await.expect("open")
        }
    };
    let schedule = Schedule {
        post_time: NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
        timezone: chrono_tz::UTC,
        days: PostingDays::EveryDay,
        paused: false,
    };
    db.save_setup(SERVER, 2, &schedule, 3, Utc::now())
        .await
        .expect("setup");
    let today = Utc::now().date_naive();
    let reservation = db
        .reserve_post(SERVER, today, QUESTION, 2, "bench", Utc::now())
        .await
        .expect("reserved");
    db.mark_posted(reservation.post.post_id, 4, Utc::now())
        .await
        .expect("posted");
    Some((db, reservation.post.post_id))
}

/// Answers per second for `answers` members, `concurrency` answering at a time.
async fn run(target: Target, concurrency: u64, answers: u64, run: usize) -> Option<f64> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, post_id) = open(target, dir.path(), run).await?;
    let db = Arc::new(db);
    let per_task = answers / concurrency;
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|task| {
            let db = Arc::clone(&db);
            tokio::spawn(async move {
                for n in 0..per_task {
                    let member = 10 + task * per_task + n;
                    let choice = (member % 4) as usize;
                    let record = db
                        .record_answer(&NewAnswer {
                            server_id: SERVER,
                            post_id,
                            user_id: member,
                            choice,
                            correct: choice == 1,
                            question_id: QUESTION,
                            at: Utc::now(),
                        })
                        .await
                        .expect("answer");
                    assert!(matches!(record, AnswerRecord::Recorded { .. }));
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.expect("task");
    }
    let elapsed = started.elapsed().as_secs_f64();
    db.close().await;
    Some((per_task * concurrency) as f64 / elapsed)
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!("| database | concurrent members | answers | answers/s (median of 3; min, max) |");
    println!("| --- | ---: | ---: | ---: |");
    let mut run_number = 0;
    // `STUDYBOT_BENCH_ONLY=full64` (or normal, postgres, 64, ...) runs the matching rows only.
    let only = std::env::var("STUDYBOT_BENCH_ONLY").unwrap_or_default();
    for target in [Target::SqliteFull, Target::SqliteNormal, Target::Postgres] {
        for (concurrency, answers) in [(1, 2_000), (64, 25_600)] {
            let row = format!("{}{concurrency}", target.key());
            if !only.is_empty() && !row.contains(&only) {
                continue;
            }
            let mut rates = Vec::new();
            for _ in 0..3 {
                run_number += 1;
                match runtime.block_on(run(target, concurrency, answers, run_number)) {
                    Some(rate) => rates.push(rate),
                    None => break,
                }
            }
            if rates.len() < 3 {
                println!(
                    "| {} | {concurrency} | {answers} | skipped: no PostgreSQL at {} |",
                    target.label(),
                    admin_url()
                );
                break;
            }
            rates.sort_by(f64::total_cmp);
            println!(
                "| {} | {concurrency} | {answers} | {:.0} ({:.0}, {:.0}) |",
                target.label(),
                rates[1],
                rates[0],
                rates[2]
            );
        }
    }
}
