//! Answers recorded per second on a file database with the production settings (WAL,
//! synchronous=FULL, busy timeout), with 1 and with 64 members answering concurrently.
//!
//! `cargo bench --bench store` prints a table for docs/BENCHMARKS.md.

use std::sync::Arc;
use std::time::Instant;

use chrono::{NaiveTime, Utc};
use studybot::content::load_built_in;
use studybot::domain::{AnswerRecord, PostingDays, Schedule};
use studybot::store::{Db, NewAnswer};

const SERVER: u64 = 1;

async fn open_with_post() -> (tempfile::TempDir, Arc<Db>, i64) {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = Db::open(&format!(
        "sqlite://{}",
        dir.path().join("bench.db").display()
    ))
    .await
    .expect("open");
    let schedule = Schedule {
        post_time: NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
        timezone: chrono_tz::UTC,
        days: PostingDays::EveryDay,
        paused: false,
    };
    db.save_setup(SERVER, 2, &schedule, 3, Utc::now())
        .await
        .expect("setup");
    let pack = load_built_in().expect("content");
    let today = Utc::now().date_naive();
    let question = &pack.questions()[0].id;
    let reservation = db
        .reserve_post(SERVER, today, question, 2, "bench", Utc::now())
        .await
        .expect("reserved");
    db.mark_posted(reservation.post.post_id, 4, Utc::now())
        .await
        .expect("posted");
    (dir, Arc::new(db), reservation.post.post_id)
}

async fn run(concurrency: u64, answers: u64) -> f64 {
    let (_dir, db, post_id) = open_with_post().await;
    let pack = Arc::new(load_built_in().expect("content"));
    let per_task = answers / concurrency;
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|task| {
            let (db, pack) = (Arc::clone(&db), Arc::clone(&pack));
            tokio::spawn(async move {
                for n in 0..per_task {
                    let member = 10 + task * per_task + n;
                    let choice = (member % 4) as usize;
                    let question = &pack.questions()[0];
                    let record = db
                        .record_answer(&NewAnswer {
                            server_id: SERVER,
                            post_id,
                            user_id: member,
                            choice,
                            correct: choice == question.answer,
                            question_id: &question.id,
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
    (per_task * concurrency) as f64 / elapsed
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    println!("| concurrent members | answers | answers/s |");
    println!("| ---: | ---: | ---: |");
    for (concurrency, answers) in [(1, 3_000), (64, 12_800)] {
        let mut rates: Vec<f64> = (0..3)
            .map(|_| runtime.block_on(run(concurrency, answers)))
            .collect();
        rates.sort_by(f64::total_cmp);
        println!(
            "| {concurrency} | {answers} | {:.0} (median of 3; min {:.0}, max {:.0}) |",
            rates[1], rates[0], rates[2]
        );
    }
}
