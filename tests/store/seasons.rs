//! Seasons and insight in the store: weekly and monthly scores kept beside every answer,
//! rebuilt for a database from before seasons, the recap's reservation, managed roles, and
//! the read models of /progress and /studybot stats.

use chrono::{Duration, Utc};
use studybot::domain::progress::PostDay;
use studybot::domain::season::{month_key, week_key};
use studybot::domain::{AnswerRecord, LeaderboardOrder, PostingDays};
use studybot::store::{AnsweredQuestion, Db, ManagedRole};

use crate::backends::TestDb;
use crate::{answer, date, post_day, real_pack, save, settings, CHANNEL, MODERATOR, SERVER};

/// Points of a recorded answer.
fn points(record: &AnswerRecord) -> u64 {
    match record {
        AnswerRecord::Recorded { outcome, .. } => u64::from(outcome.points_awarded),
        other => panic!("not recorded: {other:?}"),
    }
}

async fn weekly_and_monthly_boards_count_only_their_period(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    // Sunday 29 November (week of the 23rd, November), then Tuesday 1 December (week of the
    // 30th, December).
    let sunday = post_day(&test.db, pack, &plan, date(2026, 11, 29)).await;
    let points_1 = points(&answer(&test.db, pack, &sunday, 1, true, Utc::now()).await);
    let sunday_2 = points(&answer(&test.db, pack, &sunday, 2, true, Utc::now()).await);
    assert_eq!(points_1, sunday_2, "the same first right answer");
    let monday = post_day(&test.db, pack, &plan, date(2026, 11, 30)).await;
    let monday_points = points(&answer(&test.db, pack, &monday, 2, false, Utc::now()).await);
    let tuesday = post_day(&test.db, pack, &plan, date(2026, 12, 1)).await;
    let tuesday_points = points(&answer(&test.db, pack, &tuesday, 2, true, Utc::now()).await);
    let points_2 = sunday_2 + monday_points + tuesday_points;

    let board = |period: Option<String>| {
        let db = test.db.clone();
        async move {
            db.leaderboard(SERVER, LeaderboardOrder::Points, period.as_deref(), 10, 1)
                .await
                .expect("board")
                .0
                .into_iter()
                .map(|entry| (entry.user_id, entry.stats.points, entry.stats.answered))
                .collect::<Vec<_>>()
        }
    };
    let this_week = week_key(date(2026, 12, 1));
    assert_eq!(
        board(Some(this_week.clone())).await,
        vec![(2, monday_points + tuesday_points, 2)],
        "only member 2 answered this week"
    );
    assert_eq!(
        board(Some(week_key(date(2026, 11, 29)))).await,
        vec![(2, sunday_2, 1), (1, points_1, 1)],
        "the week of the 23rd: Sunday only, one right answer each; the tie goes to the streak standing now"
    );
    assert_eq!(
        board(Some(month_key(date(2026, 12, 1)))).await,
        vec![(2, tuesday_points, 1)]
    );
    assert_eq!(
        board(Some(month_key(date(2026, 11, 1)))).await,
        vec![(2, sunday_2 + monday_points, 2), (1, points_1, 1)]
    );
    assert_eq!(board(None).await, vec![(2, points_2, 3), (1, points_1, 1)]);
    let totals = test
        .db
        .period_totals(SERVER, &this_week)
        .await
        .expect("totals");
    assert_eq!((totals.members, totals.answered, totals.correct), (1, 2, 1));
}

async fn scores_are_rebuilt_for_a_database_from_before_seasons(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    for (offset, day) in (0..40).map(|offset| (offset, date(2026, 10, 20) + Duration::days(offset)))
    {
        let post = post_day(&test.db, pack, &plan, day).await;
        for user in 1..=3u64 {
            if (offset + user as i64) % 4 != 0 {
                answer(
                    &test.db,
                    pack,
                    &post,
                    user,
                    (offset * user as i64) % 3 != 0,
                    Utc::now(),
                )
                .await;
            }
        }
    }
    let before = scores(&test.db).await;
    assert!(before.len() > 10, "weeks and months for three members");
    test.db.close().await;
    // A database written before seasons had answers and no period scores.
    wipe_scores(&test.url).await;
    let reopened = Db::open(&test.url).await.expect("reopen");
    assert_eq!(scores(&reopened).await, before, "replayed to the same sums");
    // Opening again changes nothing.
    reopened.close().await;
    let again = Db::open(&test.url).await.expect("reopen again");
    assert_eq!(scores(&again).await, before);
    again.close().await;
}

/// Every member's score per period, sorted.
async fn scores(db: &Db) -> Vec<(String, u64, u64, u32, u32)> {
    let mut all: Vec<(String, u64, u64, u32, u32)> = Vec::new();
    for day in (0..60).map(|offset| date(2026, 10, 1) + Duration::days(offset)) {
        for key in [week_key(day), month_key(day)] {
            if all.iter().any(|(known, ..)| *known == key) {
                continue;
            }
            let (top, _) = db
                .leaderboard(SERVER, LeaderboardOrder::Points, Some(&key), 100, 0)
                .await
                .expect("board");
            for entry in top {
                all.push((
                    key.clone(),
                    entry.user_id,
                    entry.stats.points,
                    entry.stats.answered,
                    entry.stats.correct,
                ));
            }
        }
    }
    all.sort();
    all
}

async fn wipe_scores(url: &str) {
    use sqlx::Connection;
    if url.starts_with("sqlite:") {
        let mut connection = sqlx::SqliteConnection::connect(url).await.expect("connect");
        sqlx::query("DELETE FROM period_scores")
            .execute(&mut connection)
            .await
            .expect("wipe");
    } else {
        let mut connection = sqlx::PgConnection::connect(url).await.expect("connect");
        sqlx::query("DELETE FROM period_scores")
            .execute(&mut connection)
            .await
            .expect("wipe");
    }
}

async fn a_recap_is_reserved_once_and_confirmed(test: TestDb) {
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let week = date(2026, 11, 23);
    let first = test
        .db
        .reserve_recap(SERVER, week, CHANNEL, "rc-nonce", Utc::now())
        .await
        .expect("reserve");
    let second = test
        .db
        .reserve_recap(SERVER, week, CHANNEL, "other-nonce", Utc::now())
        .await
        .expect("reserve again");
    assert_eq!(first, second, "the first reservation and its nonce stand");
    assert!(!first.posted);
    assert_eq!(
        test.db.unconfirmed_recaps(SERVER).await.expect("list"),
        vec![first]
    );
    test.db
        .mark_recap_posted(SERVER, week, 42)
        .await
        .expect("mark");
    assert!(test
        .db
        .unconfirmed_recaps(SERVER)
        .await
        .expect("list")
        .is_empty());
    assert_eq!(test.db.posted_recaps(SERVER).await.expect("count"), 1);
    assert!(
        test.db
            .reserve_recap(SERVER, week, CHANNEL, "rc-nonce", Utc::now())
            .await
            .expect("reserve")
            .posted
    );
}

async fn managed_roles_are_kept_with_the_champion_and_problems(test: TestDb) {
    assert!(
        !test
            .db
            .set_managed_role(
                SERVER,
                ManagedRole::Champion,
                Some(5),
                MODERATOR,
                Utc::now()
            )
            .await
            .expect("set"),
        "a server not set up has no row to keep roles in"
    );
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    for (which, role) in [(ManagedRole::Champion, 5), (ManagedRole::Notify, 6)] {
        assert!(test
            .db
            .set_managed_role(SERVER, which, Some(role), MODERATOR, Utc::now())
            .await
            .expect("set"));
    }
    test.db
        .set_role_problem(SERVER, Some(5))
        .await
        .expect("problem");
    let roles = test.db.server_roles(SERVER).await.expect("roles");
    assert_eq!(
        (roles.champion_role, roles.notify_role, roles.problem_role),
        (Some(5), Some(6), Some(5))
    );
    test.db
        .record_champion(SERVER, Some(77), "M2026-11")
        .await
        .expect("champion");
    let roles = test.db.server_roles(SERVER).await.expect("roles");
    assert_eq!(roles.champion_user, Some(77));
    assert_eq!(roles.champion_month.as_deref(), Some("M2026-11"));
    assert_eq!(
        roles.problem_role, None,
        "a handover that worked clears the problem"
    );
    test.db
        .set_managed_role(SERVER, ManagedRole::Notify, None, MODERATOR, Utc::now())
        .await
        .expect("clear");
    assert_eq!(
        test.db
            .server_roles(SERVER)
            .await
            .expect("roles")
            .notify_role,
        None
    );
}

async fn progress_and_stats_read_the_answers_as_recorded(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    let first = post_day(&test.db, pack, &plan, date(2026, 11, 28)).await;
    answer(&test.db, pack, &first, 1, true, Utc::now()).await;
    answer(&test.db, pack, &first, 2, false, Utc::now()).await;
    answer(&test.db, pack, &first, 3, false, Utc::now()).await;
    let second = post_day(&test.db, pack, &plan, date(2026, 11, 29)).await;
    let third = post_day(&test.db, pack, &plan, date(2026, 11, 30)).await;
    answer(&test.db, pack, &third, 1, false, Utc::now()).await;

    let days = test
        .db
        .member_days(SERVER, 1, date(2026, 11, 1))
        .await
        .expect("days");
    assert_eq!(
        days,
        vec![
            PostDay {
                date: date(2026, 11, 28),
                answer: Some(true),
                open: false
            },
            PostDay {
                date: date(2026, 11, 29),
                answer: None,
                open: false
            },
            PostDay {
                date: date(2026, 11, 30),
                answer: Some(false),
                open: true
            },
        ]
    );
    // Member 4 answered only the third post; member 5 never answered.
    answer(&test.db, pack, &third, 4, true, Utc::now()).await;
    assert_eq!(
        test.db.member_results(SERVER, 1).await.expect("results"),
        vec![
            AnsweredQuestion {
                question_id: first.question_id.clone(),
                correct: true,
                day: date(2026, 11, 28)
            },
            AnsweredQuestion {
                question_id: third.question_id.clone(),
                correct: false,
                day: date(2026, 11, 30)
            },
        ]
    );
    // The first result is the member's first answer: where /progress starts counting misses.
    let first_answer_day =
        |results: Vec<AnsweredQuestion>| results.first().map(|answered| answered.day);
    assert_eq!(
        first_answer_day(test.db.member_results(SERVER, 4).await.expect("results")),
        Some(date(2026, 11, 30))
    );
    assert_eq!(
        first_answer_day(test.db.member_results(SERVER, 5).await.expect("results")),
        None
    );
    let results = test
        .db
        .question_results(SERVER, Some(date(2026, 11, 28)), Some(date(2026, 11, 29)))
        .await
        .expect("results");
    assert_eq!(
        results.len(),
        1,
        "the 29th had no answers; the 30th is outside"
    );
    assert_eq!(results[0].question_id, first.question_id);
    assert_eq!(results[0].answered(), 3);
    assert_eq!(results[0].correct, 1);
    let key = pack.question(&first.question_id).expect("question").answer;
    assert_eq!(results[0].spread[key], 1);
    assert_eq!(results[0].spread[(key + 1) % 4], 2);
    assert!(!second.question_id.is_empty());
    // A streak counts questions answered (right or wrong): members 1 and 4 answered the open
    // one; members 2 and 3 missed the last two.
    assert_eq!(
        test.db.members_on_streak(SERVER, 1).await.expect("streaks"),
        2
    );
    assert_eq!(
        test.db.members_on_streak(SERVER, 2).await.expect("streaks"),
        0
    );
}

/// The caller's rank (counted) agrees with their place on the full board (sorted), for
/// every order and period, ties included.
async fn the_callers_rank_matches_their_place_on_the_full_board(test: TestDb) {
    let pack = real_pack();
    let plan = settings(chrono_tz::UTC, 9, 0, PostingDays::EveryDay);
    save(&test.db, &plan).await;
    for offset in 0..6 {
        let post = post_day(
            &test.db,
            pack,
            &plan,
            date(2026, 11, 24) + Duration::days(offset),
        )
        .await;
        for user in 1..=24u64 {
            // A spread of habits and ties: some skip days, some are often wrong.
            if !(user + offset as u64).is_multiple_of(3) || user.is_multiple_of(5) {
                answer(
                    &test.db,
                    pack,
                    &post,
                    user,
                    !(user * 7 + offset as u64).is_multiple_of(4),
                    Utc::now(),
                )
                .await;
            }
        }
    }
    let periods = [
        None,
        Some(week_key(date(2026, 11, 29))),
        Some(month_key(date(2026, 11, 29))),
    ];
    for order in [
        LeaderboardOrder::Points,
        LeaderboardOrder::Streak,
        LeaderboardOrder::Accuracy,
    ] {
        for period in &periods {
            let (full, _) = test
                .db
                .leaderboard(SERVER, order, period.as_deref(), 1000, 0)
                .await
                .expect("board");
            for (place, entry) in full.iter().enumerate() {
                assert_eq!(entry.rank as usize, place + 1);
                let (top, own) = test
                    .db
                    .leaderboard(SERVER, order, period.as_deref(), 3, entry.user_id)
                    .await
                    .expect("board");
                assert_eq!(
                    top,
                    full[..full.len().min(3)].to_vec(),
                    "{order:?} {period:?}"
                );
                match own {
                    Some(own) => assert_eq!(own, *entry, "{order:?} {period:?}"),
                    None => assert!(
                        place < 3,
                        "{order:?} {period:?}: member {} missing",
                        entry.user_id
                    ),
                }
            }
        }
    }
}

crate::on_both_backends!(
    weekly_and_monthly_boards_count_only_their_period,
    scores_are_rebuilt_for_a_database_from_before_seasons,
    a_recap_is_reserved_once_and_confirmed,
    managed_roles_are_kept_with_the_champion_and_problems,
    progress_and_stats_read_the_answers_as_recorded,
    the_callers_rank_matches_their_place_on_the_full_board,
);
