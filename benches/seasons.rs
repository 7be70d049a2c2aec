//! Seasons and insight on a big server: 10,000 members and a year of daily questions (about
//! 1.4 million answers) in a SQLite file, generated with the bot's own streak rules. Measured
//! through the app, as a command is answered (queries and rendering): the leaderboards by
//! period (target: under 10 ms), `/progress` for a member with a year of history (target:
//! under 50 ms, drawing included), and the moderators' `/studybot stats`.
//!
//! `cargo bench --bench seasons` prints p50 / p99 / max per command.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use sqlx::{Connection, Executor, SqliteConnection};
use studybot::app::{App, Caller, Command, Defaults, Library, MemberRef};
use studybot::domain::season::{month_key, week_key};
use studybot::domain::{LeaderboardOrder, ManualClock, MemberStats, Period, PostingDays, Schedule};
use studybot::store::Db;

const SERVER: u64 = 1;
const CHANNEL: u64 = 2;
const MEMBERS: u64 = 10_000;
const DAYS: i64 = 365;
const ROWS_PER_INSERT: usize = 150;

/// A cheap, fixed pseudo-random number per (member, day, salt): the same data every run.
fn mix(member: u64, day: i64, salt: u64) -> u64 {
    let mut x = member.wrapping_mul(0x9E37_79B9_7F4A_7C15)
        ^ (day as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
        ^ salt;
    x ^= x >> 33;
    x = x.wrapping_mul(0xFF51_AFD7_ED55_8CCD);
    x ^ (x >> 29)
}

async fn insert_rows(
    connection: &mut SqliteConnection,
    table: &str,
    columns: &str,
    rows: &[Vec<String>],
) {
    for chunk in rows.chunks(ROWS_PER_INSERT) {
        let values: Vec<String> = chunk
            .iter()
            .map(|row| format!("({})", row.join(", ")))
            .collect();
        let sql = format!(
            "INSERT INTO {table} ({columns}) VALUES {}",
            values.join(", ")
        );
        connection.execute(sql.as_str()).await.expect("insert");
    }
}

/// Builds the year; returns the member with the most answers (for /progress).
async fn generate(url: &str, library: &Library) -> u64 {
    let db = Db::open(url).await.expect("open");
    let schedule = Schedule {
        post_time: chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
        timezone: chrono_tz::UTC,
        days: PostingDays::EveryDay,
        paused: false,
    };
    db.save_setup(SERVER, CHANNEL, &schedule, 3, Utc::now())
        .await
        .expect("setup");
    db.close().await;

    let questions = library.pack().questions();
    let first_day = NaiveDate::from_ymd_opt(2026, 12, 1).expect("day") - Duration::days(DAYS - 1);
    let mut posts = Vec::new();
    for seq in 1..=DAYS {
        let day = first_day + Duration::days(seq - 1);
        let question = &questions[(seq as usize * 7) % questions.len()];
        posts.push(vec![
            seq.to_string(),
            SERVER.to_string(),
            format!("'{day}'"),
            seq.to_string(),
            format!("'{}'", question.id),
            CHANNEL.to_string(),
            format!("'n{seq}'"),
            "'posted'".into(),
            (1_000_000 + seq).to_string(),
            format!("'{day}T09:00:00.000Z'"),
            format!("'{day}T09:00:00.000Z'"),
            i64::from(seq < DAYS).to_string(),
        ]);
    }
    let mut answers = Vec::new();
    let mut stats_rows = Vec::new();
    let mut periods: HashMap<(String, u64), (u64, u32, u32)> = HashMap::new();
    let mut busiest = (0, 0);
    for member in 1..=MEMBERS {
        // From members who answer nearly every day to ones who drop in now and then.
        let participation = 5 + mix(member, 0, 1) % 90;
        let mut stats = MemberStats::default();
        for seq in 1..=DAYS {
            if mix(member, seq, 2) % 100 >= participation {
                continue;
            }
            let day = first_day + Duration::days(seq - 1);
            let question = &questions[(seq as usize * 7) % questions.len()];
            let right = mix(member, seq, 3) % 100 < 65;
            let choice = if right {
                question.answer
            } else {
                (question.answer + 1 + (mix(member, seq, 4) % 3) as usize) % 4
            };
            let (after, outcome) = stats.after_answer(seq, right);
            stats = after;
            answers.push(vec![
                seq.to_string(),
                member.to_string(),
                choice.to_string(),
                i64::from(right).to_string(),
                format!("'{day}T10:00:00.000Z'"),
            ]);
            for key in [week_key(day), month_key(day)] {
                let sum = periods.entry((key, member)).or_default();
                sum.0 += u64::from(outcome.points_awarded);
                sum.1 += 1;
                sum.2 += u32::from(right);
            }
        }
        if stats.answered > busiest.1 {
            busiest = (member, stats.answered);
        }
        stats_rows.push(vec![
            SERVER.to_string(),
            member.to_string(),
            stats.streak.to_string(),
            stats.best_streak.to_string(),
            stats.freezes.to_string(),
            stats.points.to_string(),
            stats.answered.to_string(),
            stats.correct.to_string(),
            stats
                .last_answered_seq
                .map_or("NULL".into(), |seq| seq.to_string()),
        ]);
    }
    let period_rows: Vec<Vec<String>> = periods
        .into_iter()
        .map(|((key, member), (points, answered, correct))| {
            vec![
                SERVER.to_string(),
                format!("'{key}'"),
                member.to_string(),
                points.to_string(),
                answered.to_string(),
                correct.to_string(),
            ]
        })
        .collect();

    let mut connection = SqliteConnection::connect(url).await.expect("connect");
    connection.execute("BEGIN").await.expect("begin");
    insert_rows(&mut connection, "daily_posts", "post_id, server_id, posting_day, seq, question_id, channel_id, nonce, state, message_id, reserved_at, posted_at, revealed", &posts).await;
    insert_rows(
        &mut connection,
        "answers",
        "post_id, user_id, choice, correct, answered_at",
        &answers,
    )
    .await;
    insert_rows(&mut connection, "member_stats", "server_id, user_id, streak, best_streak, freezes, points, answered, correct, last_answered_seq", &stats_rows).await;
    insert_rows(
        &mut connection,
        "period_scores",
        "server_id, period, user_id, points, answered, correct",
        &period_rows,
    )
    .await;
    connection.execute("COMMIT").await.expect("commit");
    // No ANALYZE: a bot's database never runs it, so the planner works without statistics.

    connection.close().await.expect("close");
    println!(
        "generated: {MEMBERS} members, {DAYS} posts, {} answers, {} period rows",
        answers.len(),
        period_rows.len()
    );
    busiest.0
}

fn caller(user_id: u64, moderator: bool) -> Caller {
    Caller {
        server_id: SERVER,
        channel_id: CHANNEL,
        user_id,
        display_name: format!("member{user_id}"),
        manage_server: moderator,
        role_ids: Vec::new(),
    }
}

/// Runs `command` `runs` times and prints p50 / p99 / max.
async fn measure(app: &App, label: &str, who: &Caller, command: Command, runs: usize) {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        app.handle(who, command.clone())
            .await
            .unwrap_or_else(|error| panic!("{label}: {error:?}"));
        times.push(start.elapsed());
    }
    times.sort();
    let at = |share: f64| times[((times.len() as f64 * share) as usize).min(times.len() - 1)];
    println!(
        "| {label} | {:.2} ms | {:.2} ms | {:.2} ms | {runs} |",
        at(0.5).as_secs_f64() * 1e3,
        at(0.99).as_secs_f64() * 1e3,
        times[times.len() - 1].as_secs_f64() * 1e3,
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(async {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}", dir.path().join("seasons.db").display());
        let library = Library::load(None).expect("content");
        let started = Instant::now();
        let busiest = generate(&url, &library).await;
        println!("generation took {:.1} s", started.elapsed().as_secs_f64());
        let clock = Arc::new(ManualClock::new(
            Utc.with_ymd_and_hms(2026, 12, 1, 12, 0, 0)
                .single()
                .expect("instant"),
        ));
        let app = App::new(
            library,
            Db::open(&url).await.expect("open"),
            clock,
            Defaults {
                post_time: chrono::NaiveTime::from_hms_opt(9, 0, 0).expect("time"),
                timezone: chrono_tz::UTC,
            },
        );
        let member = caller(5_000, false);
        println!("| command | p50 | p99 | max | runs |");
        println!("| --- | ---: | ---: | ---: | ---: |");
        for (label, by, period) in [
            (
                "/leaderboard period:week",
                LeaderboardOrder::Points,
                Period::Week,
            ),
            (
                "/leaderboard period:month",
                LeaderboardOrder::Points,
                Period::Month,
            ),
            (
                "/leaderboard by:accuracy period:month",
                LeaderboardOrder::Accuracy,
                Period::Month,
            ),
            (
                "/leaderboard by:streak period:week",
                LeaderboardOrder::Streak,
                Period::Week,
            ),
            (
                "/leaderboard (all-time, for comparison)",
                LeaderboardOrder::Points,
                Period::AllTime,
            ),
        ] {
            measure(
                &app,
                label,
                &member,
                Command::Leaderboard { by, period },
                200,
            )
            .await;
        }
        let heavy = Command::Progress {
            member: Some(MemberRef {
                user_id: busiest,
                name: format!("member{busiest}"),
            }),
            public: false,
        };
        measure(
            &app,
            "/progress (a year of answers, PNG drawn)",
            &member,
            heavy,
            50,
        )
        .await;
        measure(
            &app,
            "/progress (new member)",
            &caller(MEMBERS + 1, false),
            Command::Progress {
                member: None,
                public: false,
            },
            50,
        )
        .await;
        measure(
            &app,
            "/studybot stats",
            &caller(3, true),
            Command::Stats,
            10,
        )
        .await;
        app.close().await;
    });
}
