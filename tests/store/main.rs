//! The store on real databases, the same tests on SQLite files in temporary folders and on
//! a PostgreSQL server (`backends`): the answer transaction under concurrency, streak
//! sequences through the posting protocol, DST and odd timezones, the draw, topic weeks,
//! reviews, leaderboards, forgetting a member, migrations, backups and `migrate-db`.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use studybot::content::load_built_in;
use studybot::domain::draw::{draw, eligible_questions};
use studybot::domain::review::LADDER_DAYS;
use studybot::domain::LeaderboardOrder;
use studybot::domain::{
    AnswerRecord, Category, ContentPack, DailyPost, Level, PostState, PostingDays, Question,
    Schedule, ServerSettings, Topic, WeekTopic,
};
use studybot::store::{Db, NewAnswer, Reservation, StoreResult};

const SERVER: u64 = 900_000_000_000_000_001;
const MODERATOR: u64 = 800_000_000_000_000_001;
const CHANNEL: u64 = 700_000_000_000_000_001;

/// Draws the day's question (narrowed to a topic week, least drawn first) and reserves the
/// post, as the app's scheduler does; `None` for an empty bank.
async fn reserve_daily_post(
    db: &Db,
    pack: &ContentPack,
    settings: &ServerSettings,
    day: NaiveDate,
    nonce: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<Reservation>> {
    let week = db
        .week_on(settings.server_id, day)
        .await?
        .map(|(week, _)| week);
    let eligible = eligible_questions(pack, week.as_ref());
    let times_drawn = db.times_drawn(settings.server_id).await?;
    let Some(question) = draw(settings.server_id, day, &eligible, &times_drawn) else {
        return Ok(None);
    };
    let channel = settings.channel_id.expect("a channel");
    db.reserve_post(settings.server_id, day, &question.id, channel, nonce, now)
        .await
        .map(Some)
}

/// A member's click on a daily post, scored against the pack, as the app records it.
async fn answer_daily(
    db: &Db,
    pack: &ContentPack,
    server_id: u64,
    post_id: i64,
    user_id: u64,
    choice: usize,
    now: DateTime<Utc>,
) -> StoreResult<AnswerRecord> {
    let Some(post) = db.post(post_id).await? else {
        return Ok(AnswerRecord::UnknownPost);
    };
    let Some(question) = pack.question(&post.question_id) else {
        return Ok(AnswerRecord::QuestionRetired);
    };
    db.record_answer(&NewAnswer {
        server_id,
        post_id,
        user_id,
        choice,
        correct: choice == question.answer,
        question_id: &question.id,
        at: now,
    })
    .await
}

mod backends;
mod community;
mod moving;
mod seasons;

use backends::TestDb;

/// A fresh SQLite file in a temporary folder (for the tests about SQLite files themselves).
async fn fresh_db() -> TestDb {
    TestDb::sqlite().await
}

fn real_pack() -> &'static ContentPack {
    static PACK: OnceLock<ContentPack> = OnceLock::new();
    PACK.get_or_init(|| load_built_in().expect("built-in content"))
}

/// A bank of `size` generated questions over a few generated topics, for draw tests that
/// need an exact bank size.
fn generated_pack(size: usize) -> ContentPack {
    let topics = (0..5)
        .map(|n| Topic {
            slug: format!("topic-{n}"),
            title: format!("Topic {n}"),
            category: if n < 2 {
                Category::Security
            } else {
                Category::Databases
            },
            aliases: vec![],
            tags: vec![],
            related: vec![],
            level: Level::Mid,
            summary: "s".into(),
            key_points: "k".into(),
            example: "e".into(),
            pitfalls: "p".into(),
            interview_angle: "i".into(),
        })
        .collect();
    let questions = (0..size)
        .map(|n| Question {
            id: format!("generated-{n:04}"),
            topic: format!("topic-{}", n % 5),
            level: Level::Junior,
            prompt: "p".into(),
            choices: ["a".into(), "b".into(), "c".into(), "d".into()],
            answer: n % 4,
            explanation: "x".into(),
            discuss: "d".into(),
        })
        .collect();
    ContentPack::new(topics, questions)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn settings(zone: Tz, hour: u32, minute: u32, days: PostingDays) -> ServerSettings {
    ServerSettings {
        server_id: SERVER,
        channel_id: Some(CHANNEL),
        schedule: Schedule {
            post_time: NaiveTime::from_hms_opt(hour, minute, 0).expect("valid time"),
            timezone: zone,
            days,
            paused: false,
        },
        moderator_role: None,
    }
}

async fn save(db: &Db, settings: &ServerSettings) {
    db.save_setup(SERVER, CHANNEL, &settings.schedule, MODERATOR, Utc::now())
        .await
        .expect("setup");
}

/// Reserves and confirms the day's post, as the scheduler does at post time.
async fn post_day(
    db: &Db,
    pack: &ContentPack,
    settings: &ServerSettings,
    day: NaiveDate,
) -> DailyPost {
    let at = settings.schedule.post_instant(day);
    let reservation = reserve_daily_post(db, pack, settings, day, &format!("nonce-{day}"), at)
        .await
        .expect("store")
        .expect("reserved");
    db.mark_posted(
        reservation.post.post_id,
        reservation.post.seq as u64 + 1000,
        at,
    )
    .await
    .expect("mark posted");
    db.post(reservation.post.post_id)
        .await
        .expect("store")
        .expect("post exists")
}

async fn answer(
    db: &Db,
    pack: &ContentPack,
    post: &DailyPost,
    user: u64,
    right: bool,
    at: DateTime<Utc>,
) -> AnswerRecord {
    let question = pack.question(&post.question_id).expect("question");
    let choice = if right {
        question.answer
    } else {
        (question.answer + 1) % 4
    };
    answer_daily(db, pack, SERVER, post.post_id, user, choice, at)
        .await
        .expect("answer")
}

/// Drives days one by one: the bot posts on posting days when it is up, and the member
/// answers the posts `answers(day)` says, just before the next post would close it.
async fn simulate(
    db: &Db,
    pack: &ContentPack,
    settings: &ServerSettings,
    days: impl Iterator<Item = NaiveDate>,
    bot_up: impl Fn(NaiveDate) -> bool,
    answers: impl Fn(NaiveDate) -> bool,
    user: u64,
) -> u32 {
    let mut posts = 0;
    for day in days {
        let plan = &settings.schedule;
        if plan.paused || !plan.is_posting_day(day) || !bot_up(day) {
            continue;
        }
        let post = post_day(db, pack, settings, day).await;
        posts += 1;
        if answers(day) {
            let next = plan.next_post(plan.post_instant(day)).map(|(_, at)| at);
            let at = next.map_or(plan.post_instant(day) + Duration::hours(1), |at| {
                at - Duration::minutes(1)
            });
            let record = answer(db, pack, &post, user, true, at).await;
            assert!(
                matches!(record, AnswerRecord::Recorded { .. }),
                "{day}: {record:?}"
            );
        }
    }
    posts
}

fn days_from(start: NaiveDate, count: i64) -> impl Iterator<Item = NaiveDate> {
    (0..count).map(move |offset| start + Duration::days(offset))
}

async fn migrations_apply_to_an_empty_file_and_rerunning_them_is_a_no_op(test: TestDb) {
    test.db.set_meta("marker", "kept").await.expect("write");
    test.db.close().await;
    let reopened = Db::open(&test.url)
        .await
        .expect("reopen runs migrations again");
    assert_eq!(
        reopened.meta("marker").await.expect("read").as_deref(),
        Some("kept")
    );
}

#[tokio::test]
async fn a_database_from_the_first_migration_upgrades_in_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old_migrations = dir.path().join("migrations");
    std::fs::create_dir_all(&old_migrations).expect("mkdir");
    let first = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/migrations/sqlite/0001_initial.sql"
    );
    std::fs::copy(first, old_migrations.join("0001_initial.sql")).expect("copy");
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    {
        use sqlx::sqlite::SqliteConnectOptions;
        use std::str::FromStr;
        let options = SqliteConnectOptions::from_str(&url)
            .expect("url")
            .create_if_missing(true);
        let pool = sqlx::SqlitePool::connect_with(options)
            .await
            .expect("old pool");
        sqlx::migrate::Migrator::new(old_migrations.as_path())
            .await
            .expect("old migrator")
            .run(&pool)
            .await
            .expect("old schema");
        sqlx::query("INSERT INTO servers VALUES (?, ?, '09:00', 'UTC', 'every-day', 0, NULL, '2026-01-01T00:00:00Z')")
            .bind(studybot::store::ids::to_db(SERVER))
            .bind(studybot::store::ids::to_db(CHANNEL))
            .execute(&pool)
            .await
            .expect("old row");
        pool.close().await;
    }
    let db = Db::open(&url).await.expect("upgrade in place");
    let server = db.server(SERVER).await.expect("read").expect("row kept");
    assert_eq!(server.channel_id, Some(CHANNEL));
    let reservation =
        reserve_daily_post(&db, real_pack(), &server, date(2026, 1, 2), "n", Utc::now())
            .await
            .expect("store")
            .expect("reserved on the upgraded schema");
    assert_eq!(reservation.post.seq, 1);
}

async fn a_thousand_members_answering_at_once_make_a_thousand_rows_with_right_stats(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let post = post_day(&test.db, pack, &plan, date(2026, 11, 21)).await;
    let question = pack.question(&post.question_id).expect("question").clone();
    let db = Arc::new(test.db.clone());
    let mut tasks = Vec::new();
    for member in 0..1000u64 {
        let db = Arc::clone(&db);
        let post_id = post.post_id;
        tasks.push(tokio::spawn(async move {
            let choice = (member % 4) as usize;
            answer_daily(
                &db,
                real_pack(),
                SERVER,
                post_id,
                1 + member,
                choice,
                Utc::now(),
            )
            .await
        }));
    }
    for task in tasks {
        let record = task.await.expect("task").expect("store");
        assert!(
            matches!(record, AnswerRecord::Recorded { .. }),
            "{record:?}"
        );
    }
    let spread = test.db.answer_spread(post.post_id).await.expect("spread");
    assert_eq!(spread, [250, 250, 250, 250]);
    for member in 0..1000u64 {
        let stats = test
            .db
            .member_stats(SERVER, 1 + member)
            .await
            .expect("stats");
        let right = (member % 4) as usize == question.answer;
        assert_eq!(stats.answered, 1);
        assert_eq!(stats.streak, 1);
        assert_eq!(stats.correct, u32::from(right));
        assert_eq!(stats.points, if right { 11 } else { 2 });
    }
}

/// Two writers on one database (two processes on PostgreSQL): the same members click on
/// both at once. Each answer is recorded once; the batch that finds an answer already
/// written by the other writer falls back to one by one and says "already answered".
async fn two_writers_recording_the_same_members_record_each_answer_once(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let post = post_day(&test.db, pack, &plan, date(2026, 11, 21)).await;
    let second = Arc::new(Db::open(&test.url).await.expect("second writer"));
    let first = Arc::new(test.db.clone());
    let mut tasks = Vec::new();
    for member in 0..300u64 {
        for db in [Arc::clone(&first), Arc::clone(&second)] {
            let post_id = post.post_id;
            tasks.push(tokio::spawn(async move {
                answer_daily(
                    &db,
                    real_pack(),
                    SERVER,
                    post_id,
                    1 + member,
                    (member % 4) as usize,
                    Utc::now(),
                )
                .await
            }));
        }
    }
    let mut recorded = 0;
    for task in tasks {
        match task.await.expect("task").expect("store") {
            AnswerRecord::Recorded { stats, .. } => {
                assert_eq!(stats.answered, 1);
                recorded += 1;
            }
            AnswerRecord::AlreadyAnswered { .. } => {}
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(recorded, 300, "each member recorded exactly once");
    let spread = test.db.answer_spread(post.post_id).await.expect("spread");
    assert_eq!(spread.iter().sum::<u32>(), 300);
    for member in [0u64, 150, 299] {
        let stats = test
            .db
            .member_stats(SERVER, 1 + member)
            .await
            .expect("stats");
        assert_eq!((stats.answered, stats.streak), (1, 1));
    }
    second.close().await;
}

async fn one_member_clicking_fifty_times_at_once_counts_once(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let post = post_day(&test.db, pack, &plan, date(2026, 11, 21)).await;
    let db = Arc::new(test.db.clone());
    let tasks: Vec<_> = (0..50)
        .map(|click| {
            let db = Arc::clone(&db);
            let post_id = post.post_id;
            tokio::spawn(async move {
                answer_daily(&db, real_pack(), SERVER, post_id, 42, click % 4, Utc::now()).await
            })
        })
        .collect();
    let mut recorded = 0;
    let mut first_choice = None;
    let mut already = Vec::new();
    for task in tasks {
        match task.await.expect("task").expect("store") {
            AnswerRecord::Recorded { .. } => recorded += 1,
            AnswerRecord::AlreadyAnswered { choice } => already.push(choice),
            other => panic!("the post is open and known: {other:?}"),
        }
    }
    assert_eq!(recorded, 1);
    let spread = test.db.answer_spread(post.post_id).await.expect("spread");
    assert_eq!(spread.iter().sum::<u32>(), 1);
    for (choice, count) in spread.iter().enumerate() {
        if *count == 1 {
            first_choice = Some(choice);
        }
    }
    assert!(
        already.iter().all(|choice| Some(*choice) == first_choice),
        "every repeat reports the first choice"
    );
    let stats = test.db.member_stats(SERVER, 42).await.expect("stats");
    assert_eq!((stats.answered, stats.streak), (1, 1));
}

async fn every_day_answers_build_a_streak_and_earn_a_freeze(test: TestDb) {
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let posts = simulate(
        &test.db,
        real_pack(),
        &plan,
        days_from(date(2026, 11, 1), 10),
        |_| true,
        |_| true,
        7,
    )
    .await;
    let stats = test.db.member_stats(SERVER, 7).await.expect("stats");
    assert_eq!(posts, 10);
    assert_eq!(
        (stats.streak, stats.best_streak, stats.freezes),
        (10, 10, 1)
    );
}

async fn weekends_on_a_weekdays_schedule_never_break_a_streak(test: TestDb) {
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::Weekdays);
    save(&test.db, &plan).await;
    let posts = simulate(
        &test.db,
        real_pack(),
        &plan,
        days_from(date(2026, 11, 2), 21),
        |_| true,
        |_| true,
        7,
    )
    .await;
    let stats = test.db.member_stats(SERVER, 7).await.expect("stats");
    assert_eq!(posts, 15);
    assert_eq!(
        (stats.streak, stats.freezes),
        (15, 2),
        "three weeks of weekdays, freezes capped at 2"
    );
}

async fn a_paused_week_never_breaks_a_streak(test: TestDb) {
    let mut plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    simulate(
        &test.db,
        real_pack(),
        &plan,
        days_from(date(2026, 11, 1), 5),
        |_| true,
        |_| true,
        7,
    )
    .await;
    assert!(test
        .db
        .set_paused(SERVER, true, MODERATOR, Utc::now())
        .await
        .expect("pause"));
    plan.schedule.paused = true;
    let paused_posts = simulate(
        &test.db,
        real_pack(),
        &plan,
        days_from(date(2026, 11, 6), 7),
        |_| true,
        |_| true,
        7,
    )
    .await;
    assert_eq!(paused_posts, 0);
    assert!(test
        .db
        .set_paused(SERVER, false, MODERATOR, Utc::now())
        .await
        .expect("resume"));
    plan.schedule.paused = false;
    simulate(
        &test.db,
        real_pack(),
        &plan,
        days_from(date(2026, 11, 13), 5),
        |_| true,
        |_| true,
        7,
    )
    .await;
    let stats = test.db.member_stats(SERVER, 7).await.expect("stats");
    assert_eq!(stats.streak, 10);
    let stored = test.db.server(SERVER).await.expect("read").expect("row");
    assert!(!stored.schedule.paused);
}

async fn the_bot_down_for_a_whole_day_never_breaks_a_streak(test: TestDb) {
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let down = date(2026, 11, 3);
    let posts = simulate(
        &test.db,
        real_pack(),
        &plan,
        days_from(date(2026, 11, 1), 6),
        |day| day != down,
        |_| true,
        7,
    )
    .await;
    let stats = test.db.member_stats(SERVER, 7).await.expect("stats");
    assert_eq!(posts, 5);
    assert_eq!(stats.streak, 5);
}

async fn freezes_cover_a_missed_question_and_running_out_resets_but_keeps_the_best(test: TestDb) {
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let start = date(2026, 11, 1);
    let skipped = [start + Duration::days(7), start + Duration::days(9)];
    simulate(
        &test.db,
        real_pack(),
        &plan,
        days_from(start, 9),
        |_| true,
        |day| !skipped.contains(&day),
        7,
    )
    .await;
    let stats = test.db.member_stats(SERVER, 7).await.expect("stats");
    assert_eq!(
        (stats.streak, stats.freezes),
        (8, 0),
        "the freeze earned at 7 covered day 8"
    );
    simulate(
        &test.db,
        real_pack(),
        &plan,
        days_from(start + Duration::days(9), 2),
        |_| true,
        |day| !skipped.contains(&day),
        7,
    )
    .await;
    let stats = test.db.member_stats(SERVER, 7).await.expect("stats");
    assert_eq!((stats.streak, stats.best_streak), (1, 8));
}

#[tokio::test]
async fn streaks_never_break_on_23_or_25_hour_days_in_any_zone() {
    let zones = [
        chrono_tz::Europe::Berlin,
        chrono_tz::America::New_York,
        chrono_tz::Australia::Lord_Howe,
        chrono_tz::Asia::Kolkata,
        chrono_tz::Pacific::Kiritimati,
    ];
    // Both transitions of 2026 in both hemispheres; 02:30 falls inside the spring gaps.
    let windows = [
        (date(2026, 3, 1), 45),
        (date(2026, 9, 25), 45),
        (date(2026, 3, 28), 14),
    ];
    for zone in zones {
        for (hour, minute) in [(2, 30), (9, 0), (23, 45)] {
            for (start, length) in windows {
                let test = fresh_db().await;
                let plan = settings(zone, hour, minute, PostingDays::EveryDay);
                save(&test.db, &plan).await;
                let posts = simulate(
                    &test.db,
                    real_pack(),
                    &plan,
                    days_from(start, length),
                    |_| true,
                    |_| true,
                    7,
                )
                .await;
                let stats = test.db.member_stats(SERVER, 7).await.expect("stats");
                assert_eq!(posts, length as u32, "{zone} {hour}:{minute} from {start}");
                assert_eq!(stats.streak, posts, "{zone} {hour}:{minute} from {start}");
            }
        }
    }
}

async fn an_answer_after_the_next_post_is_refused_as_closed(test: TestDb) {
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let first = post_day(&test.db, real_pack(), &plan, date(2026, 11, 1)).await;
    post_day(&test.db, real_pack(), &plan, date(2026, 11, 2)).await;
    let record = answer(&test.db, real_pack(), &first, 7, true, Utc::now()).await;
    assert_eq!(record, AnswerRecord::Closed);
    assert_eq!(test.db.member_row_count(SERVER, 7).await.expect("count"), 0);
}

async fn four_hundred_posting_days_draw_four_hundred_different_questions(test: TestDb) {
    let pack = generated_pack(400);
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let mut seen = HashSet::new();
    for day in days_from(date(2026, 1, 1), 400) {
        let post = post_day(&test.db, &pack, &plan, day).await;
        assert!(seen.insert(post.question_id.clone()), "repeat on {day}");
    }
    let next = post_day(&test.db, &pack, &plan, date(2027, 2, 5)).await;
    assert!(
        seen.contains(&next.question_id),
        "day 401 starts a new cycle"
    );
}

async fn the_same_day_gives_the_same_question_after_a_restart_and_never_two_rows(test: TestDb) {
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let day = date(2026, 11, 21);
    let first = reserve_daily_post(&test.db, real_pack(), &plan, day, "nonce-a", Utc::now())
        .await
        .expect("store")
        .expect("reserved");
    assert!(first.newly_reserved);
    test.db.close().await;
    let reopened = Db::open(&test.url).await.expect("reopen");
    let unconfirmed = reopened.unconfirmed_posts(SERVER).await.expect("read");
    assert_eq!(
        unconfirmed.len(),
        1,
        "the crash left a reservation to resend"
    );
    assert_eq!(
        unconfirmed[0].nonce, "nonce-a",
        "resent with the same nonce"
    );
    let again = reserve_daily_post(&reopened, real_pack(), &plan, day, "nonce-b", Utc::now())
        .await
        .expect("store")
        .expect("reserved");
    assert!(!again.newly_reserved);
    assert_eq!(again.post.question_id, first.post.question_id);
    assert_eq!(again.post.post_id, first.post.post_id);
    assert_eq!(again.post.state, PostState::Reserved);
    assert_eq!(
        reopened
            .recent_posts(SERVER, 10)
            .await
            .expect("posts")
            .len(),
        1
    );
}

async fn a_topic_week_only_draws_from_its_topic(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let start = date(2026, 11, 23);
    let week = test
        .db
        .schedule_topic_week(
            SERVER,
            &WeekTopic::Category(Category::Security),
            start,
            date(2026, 11, 21),
            MODERATOR,
            Utc::now(),
        )
        .await
        .expect("store")
        .expect("scheduled");
    for day in days_from(start, 7) {
        let post = post_day(&test.db, pack, &plan, day).await;
        let topic = &pack.question(&post.question_id).expect("question").topic;
        assert_eq!(
            pack.topic(topic).expect("topic").category,
            Category::Security,
            "{day}"
        );
    }
    let jwt_week = test
        .db
        .schedule_topic_week(
            SERVER,
            &WeekTopic::Topic("jwt".into()),
            date(2026, 12, 7),
            date(2026, 11, 21),
            MODERATOR,
            Utc::now(),
        )
        .await
        .expect("store")
        .expect("scheduled");
    let allowed = jwt_week.topic.slugs(pack);
    for day in days_from(date(2026, 12, 7), 7) {
        let post = post_day(&test.db, pack, &plan, day).await;
        let topic = &pack.question(&post.question_id).expect("question").topic;
        assert!(allowed.contains(topic), "{day}: {topic} not in {allowed:?}");
    }
    assert_ne!(week.id, jwt_week.id);
}

async fn overlapping_topic_weeks_are_refused_and_a_cancelled_week_frees_its_days(test: TestDb) {
    let today = date(2026, 11, 21);
    let topic = WeekTopic::Topic("kafka".into());
    let first = test
        .db
        .schedule_topic_week(
            SERVER,
            &topic,
            date(2026, 11, 23),
            today,
            MODERATOR,
            Utc::now(),
        )
        .await
        .expect("store");
    let first = first.expect("first week");
    let overlap = test
        .db
        .schedule_topic_week(
            SERVER,
            &topic,
            date(2026, 11, 27),
            today,
            MODERATOR,
            Utc::now(),
        )
        .await
        .expect("store");
    assert!(overlap.is_err());
    assert!(test
        .db
        .cancel_topic_week(SERVER, first.id, MODERATOR, Utc::now())
        .await
        .expect("cancel"));
    assert!(!test
        .db
        .cancel_topic_week(SERVER, first.id, MODERATOR, Utc::now())
        .await
        .expect("cancel twice"));
    let after = test
        .db
        .schedule_topic_week(
            SERVER,
            &topic,
            date(2026, 11, 27),
            today,
            MODERATOR,
            Utc::now(),
        )
        .await
        .expect("store");
    assert!(after.is_ok());
    let actions: Vec<String> = test
        .db
        .audit_log(SERVER)
        .await
        .expect("audit")
        .into_iter()
        .map(|(_, action, _)| action)
        .collect();
    assert_eq!(
        actions,
        vec![
            "topicweek-schedule",
            "topicweek-cancel",
            "topicweek-schedule"
        ]
    );
}

async fn a_wrong_answer_comes_back_on_the_review_ladder_until_answered_right(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let post = post_day(&test.db, pack, &plan, date(2026, 11, 1)).await;
    let at = plan.schedule.post_instant(date(2026, 11, 1)) + Duration::hours(1);
    answer(&test.db, pack, &post, 7, false, at).await;
    assert!(test
        .db
        .due_reviews(SERVER, 7, at + Duration::hours(23))
        .await
        .expect("read")
        .is_empty());
    let due = test
        .db
        .due_reviews(SERVER, 7, at + Duration::days(LADDER_DAYS[0]))
        .await
        .expect("read");
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].question_id, post.question_id);
    let second_miss = at + Duration::days(1);
    test.db
        .record_review(SERVER, 7, &post.question_id, false, second_miss)
        .await
        .expect("review");
    let due = test
        .db
        .due_reviews(SERVER, 7, second_miss + Duration::days(LADDER_DAYS[1]))
        .await
        .expect("read");
    assert_eq!(due[0].times_wrong, 2);
    let before = test.db.member_stats(SERVER, 7).await.expect("stats");
    test.db
        .record_review(
            SERVER,
            7,
            &post.question_id,
            true,
            second_miss + Duration::days(3),
        )
        .await
        .expect("review");
    assert!(test
        .db
        .due_reviews(SERVER, 7, second_miss + Duration::days(100))
        .await
        .expect("read")
        .is_empty());
    assert_eq!(
        test.db.member_stats(SERVER, 7).await.expect("stats"),
        before,
        "reviews never touch streaks or points"
    );
}

async fn leaderboards_rank_by_streak_points_and_accuracy_with_the_callers_rank(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    for (offset, day) in days_from(date(2026, 11, 1), 6).enumerate() {
        let post = post_day(&test.db, pack, &plan, day).await;
        let at = plan.schedule.post_instant(day) + Duration::hours(1);
        for member in 1..=12u64 {
            // Member n answers from day n - 1 on (so member 1 has the longest streak);
            // even members answer wrong.
            if offset + 1 >= member as usize {
                answer(&test.db, pack, &post, member, member % 2 == 1, at).await;
            }
        }
    }
    let (top, own) = test
        .db
        .leaderboard(SERVER, LeaderboardOrder::Streak, None, 3, 5)
        .await
        .expect("board");
    assert_eq!(
        top.iter().map(|entry| entry.user_id).collect::<Vec<_>>(),
        vec![1, 2, 3]
    );
    assert_eq!(own.map(|entry| (entry.rank, entry.user_id)), Some((5, 5)));
    let (top, _) = test
        .db
        .leaderboard(SERVER, LeaderboardOrder::Points, None, 2, 1)
        .await
        .expect("board");
    assert_eq!(top[0].user_id, 1);
    assert_eq!(top[0].stats.points, 11 + 12 + 13 + 14 + 15 + 16);
    let (top, _) = test
        .db
        .leaderboard(SERVER, LeaderboardOrder::Accuracy, None, 10, 1)
        .await
        .expect("board");
    assert_eq!(
        top.iter().map(|entry| entry.user_id).collect::<Vec<_>>(),
        vec![1, 2],
        "only members with 5+ answers"
    );
}

async fn forgetting_a_member_deletes_every_row_about_them_in_that_server_only(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let post = post_day(&test.db, pack, &plan, date(2026, 11, 1)).await;
    answer(&test.db, pack, &post, 7, false, Utc::now()).await;
    answer(&test.db, pack, &post, 8, true, Utc::now()).await;
    // Member 7: the answer, the stats, the review, the week's and the month's scores.
    assert_eq!(test.db.member_row_count(SERVER, 7).await.expect("count"), 5);
    assert_eq!(test.db.forget_member(SERVER, 7).await.expect("forget"), 5);
    assert_eq!(test.db.member_row_count(SERVER, 7).await.expect("count"), 0);
    // Member 8 was right, so has no review.
    assert_eq!(test.db.member_row_count(SERVER, 8).await.expect("count"), 4);
}

#[tokio::test]
async fn a_backup_is_a_consistent_copy_that_opens_as_a_database() {
    let test = fresh_db().await;
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let post = post_day(&test.db, pack, &plan, date(2026, 11, 1)).await;
    answer(&test.db, pack, &post, 7, true, Utc::now()).await;
    let target = test._dir.path().join("backup.db");
    test.db.backup_to(&target).await.expect("backup");
    let restored = Db::open(&format!("sqlite://{}", target.display()))
        .await
        .expect("open backup");
    assert_eq!(
        restored
            .member_stats(SERVER, 7)
            .await
            .expect("stats")
            .answered,
        1
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_under_writes_restores_every_answer_committed_before_it() {
    let test = fresh_db().await;
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let post = post_day(&test.db, pack, &plan, date(2026, 11, 21)).await;
    let committed = Arc::new(std::sync::Mutex::new(Vec::<u64>::new()));
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writers: Vec<_> = (0..4u64)
        .map(|writer| {
            let (db, committed, stop) =
                (test.db.clone(), Arc::clone(&committed), Arc::clone(&stop));
            let post_id = post.post_id;
            tokio::spawn(async move {
                let mut member = 100_000 * (writer + 1);
                while !stop.load(std::sync::atomic::Ordering::SeqCst) {
                    member += 1;
                    let record =
                        answer_daily(&db, real_pack(), SERVER, post_id, member, 0, Utc::now())
                            .await
                            .expect("answer");
                    assert!(matches!(record, AnswerRecord::Recorded { .. }));
                    committed.lock().unwrap().push(member);
                }
            })
        })
        .collect();
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // Everything acknowledged before the backup starts must be in it.
    let before_backup: Vec<u64> = committed.lock().unwrap().clone();
    let backup = test._dir.path().join("live-backup.db");
    let output = tokio::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(["backup"])
        .arg(&backup)
        .env("STUDYBOT_DATABASE_URL", &test.url)
        .output()
        .await
        .expect("run studybot backup");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    for writer in writers {
        writer.await.expect("writer");
    }
    assert!(
        before_backup.len() > 10,
        "writes were under way: {}",
        before_backup.len()
    );

    // Restore: the backup file becomes the database a new bot opens.
    let restored_path = test._dir.path().join("restored.db");
    std::fs::copy(&backup, &restored_path).expect("restore by copying");
    let restored = Db::open(&format!("sqlite://{}", restored_path.display()))
        .await
        .expect("open restored");
    for member in &before_backup {
        assert_eq!(
            restored
                .member_stats(SERVER, *member)
                .await
                .expect("stats")
                .answered,
            1,
            "member {member} lost"
        );
    }
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(["backup"])
        .arg(&backup)
        .env("STUDYBOT_DATABASE_URL", &test.url)
        .output()
        .expect("run studybot backup");
    assert!(
        !refused.status.success(),
        "an existing backup file is never overwritten"
    );
}

// Every test above that takes a `TestDb` runs once on a SQLite file and once on its own
// PostgreSQL database.
crate::on_both_backends!(
    migrations_apply_to_an_empty_file_and_rerunning_them_is_a_no_op,
    a_thousand_members_answering_at_once_make_a_thousand_rows_with_right_stats,
    one_member_clicking_fifty_times_at_once_counts_once,
    two_writers_recording_the_same_members_record_each_answer_once,
    every_day_answers_build_a_streak_and_earn_a_freeze,
    weekends_on_a_weekdays_schedule_never_break_a_streak,
    a_paused_week_never_breaks_a_streak,
    the_bot_down_for_a_whole_day_never_breaks_a_streak,
    freezes_cover_a_missed_question_and_running_out_resets_but_keeps_the_best,
    an_answer_after_the_next_post_is_refused_as_closed,
    four_hundred_posting_days_draw_four_hundred_different_questions,
    the_same_day_gives_the_same_question_after_a_restart_and_never_two_rows,
    a_topic_week_only_draws_from_its_topic,
    overlapping_topic_weeks_are_refused_and_a_cancelled_week_frees_its_days,
    a_wrong_answer_comes_back_on_the_review_ladder_until_answered_right,
    leaderboards_rank_by_streak_points_and_accuracy_with_the_callers_rank,
    forgetting_a_member_deletes_every_row_about_them_in_that_server_only,
);
