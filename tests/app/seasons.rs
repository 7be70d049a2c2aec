//! Seasons on a test clock: weekly and monthly leaderboards, the weekly recap and the
//! monthly champion, at week and month boundaries in two timezones (DST included).

use chrono::{DateTime, Utc};
use studybot::app::{Command, Mention};
use studybot::domain::{LeaderboardOrder, Period, PostingDays};

use crate::helpers::{at, member, moderator, refusal, title, visible, TestApp, SERVER};

const CHAMPIONS: u64 = 7_001;

fn board(period: Period) -> Command {
    Command::Leaderboard {
        by: LeaderboardOrder::Points,
        period,
    }
}

/// Posts the day's question at `instant` and has each member answer it, right or wrong.
async fn day(test: &TestApp, instant: DateTime<Utc>, answers: &[(u64, bool)]) {
    test.at(instant).await;
    for &(user, right) in answers {
        test.answer_latest(&member(user), right)
            .await
            .expect("answer recorded");
    }
}

fn recaps(test: &TestApp) -> Vec<studybot::app::Reply> {
    test.poster
        .sent()
        .into_iter()
        .map(|sent| sent.reply)
        .filter(|reply| title(reply).starts_with("Last week in review"))
        .collect()
}

#[tokio::test]
async fn the_week_board_turns_over_at_local_monday_not_utc_monday() {
    // Auckland is UTC+13 in summer: Monday 7 December 09:00 there is Sunday 20:00 UTC.
    let test = TestApp::spawn(at(2026, 12, 1, 0, 0)).await;
    test.set_up("09:00", "Pacific/Auckland").await;
    day(&test, at(2026, 12, 5, 20, 0), &[(1, true)]).await; // Sunday 6th, local
    let before = visible(&test.ok(&member(1), board(Period::Week)).await);
    assert!(before.contains("This week's leaderboard"), "{before}");
    assert!(before.contains("<@1>"), "{before}");
    // Sunday 20:00 UTC: already Monday in Auckland, a new week with nobody on the board.
    day(&test, at(2026, 12, 6, 20, 0), &[]).await;
    let after = visible(&test.ok(&member(1), board(Period::Week)).await);
    assert!(after.contains("Nobody is ranked this week yet"), "{after}");
    let month = visible(&test.ok(&member(1), board(Period::Month)).await);
    assert!(month.contains("<@1>"), "December still counts: {month}");
    let all_time = visible(&test.ok(&member(1), board(Period::AllTime)).await);
    assert!(
        all_time.starts_with("\nLeaderboard by points"),
        "{all_time}"
    );
}

#[tokio::test]
async fn the_recap_comes_once_before_the_first_question_of_the_week() {
    let mut test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    // Week of Monday 23 November: member 1 right every day, member 2 twice, member 3 wrong.
    for (offset, date) in (23..=29).enumerate() {
        let mut answers = vec![(1, true)];
        if offset < 2 {
            answers.push((2, true));
        }
        if offset == 6 {
            answers.push((3, false));
        }
        day(&test, at(2026, 11, date, 9, 0), &answers).await;
    }
    assert!(recaps(&test).is_empty(), "no recap during the week");
    let report = test.at(at(2026, 11, 30, 9, 0)).await;
    assert_eq!(report.recaps, 1);
    let sent = test.poster.sent();
    let recap_index = sent
        .iter()
        .position(|sent| title(&sent.reply).starts_with("Last week in review"))
        .expect("a recap");
    let question_index = sent
        .iter()
        .rposition(|sent| title(&sent.reply).starts_with("Question of the day"))
        .expect("a question");
    assert!(
        recap_index < question_index,
        "the recap comes just before the question"
    );
    let text = visible(&sent[recap_index].reply);
    assert!(text.contains("23 Nov to 29 Nov"), "{text}");
    assert!(
        text.contains("3 member(s) answered 10 question(s)"),
        "{text}"
    );
    assert!(text.contains("1. <@1>"), "{text}");
    assert!(text.contains("2. <@2>"), "{text}");
    assert!(text.contains("Hardest question"), "{text}");
    // Later the same day, after a restart, and on Tuesday: still one recap.
    test.at(at(2026, 11, 30, 12, 0)).await;
    test.restart().await;
    test.at(at(2026, 11, 30, 13, 0)).await;
    test.at(at(2026, 12, 1, 9, 0)).await;
    assert_eq!(recaps(&test).len(), 1);
}

#[tokio::test]
async fn a_recap_lost_in_a_crash_is_resent_with_its_nonce_and_never_doubled() {
    let mut test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    day(&test, at(2026, 11, 27, 9, 0), &[(1, true)]).await;
    // The recap reaches the channel but the bot never hears back.
    test.poster.lose_the_next_answer();
    let report = test.at(at(2026, 11, 30, 9, 0)).await;
    assert_eq!(report.failed, 1, "{report:?}");
    assert_eq!(
        test.poster.daily_posts().len(),
        2,
        "the question is posted anyway"
    );
    test.restart().await;
    let report = test.at(at(2026, 11, 30, 9, 5)).await;
    assert_eq!(report.recaps, 1, "resent with its nonce: {report:?}");
    assert_eq!(recaps(&test).len(), 1, "the channel has one recap");
    assert_eq!(test.db.posted_recaps(SERVER).await.expect("count"), 1);
    test.at(at(2026, 11, 30, 9, 10)).await;
    assert_eq!(recaps(&test).len(), 1);
}

#[tokio::test]
async fn no_recap_when_nobody_answered_last_week() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    day(&test, at(2026, 11, 28, 9, 0), &[]).await;
    let report = test.at(at(2026, 11, 30, 9, 0)).await;
    assert_eq!(report.recaps, 0);
    assert!(recaps(&test).is_empty());
}

#[tokio::test]
async fn a_weekdays_recap_across_the_dst_change_comes_at_local_monday_nine() {
    // New York leaves DST on Sunday 1 November 2026: Monday 2 November 09:00 is 14:00 UTC.
    let test = TestApp::spawn(at(2026, 10, 26, 12, 0)).await;
    test.set_up_days("09:00", "America/New_York", PostingDays::Weekdays)
        .await;
    for date in 26..=30 {
        day(&test, at(2026, 10, date, 13, 0), &[(1, date % 2 == 0)]).await;
    }
    // 13:30 UTC Monday is 08:30 in New York: not yet.
    assert_eq!(test.at(at(2026, 11, 2, 13, 30)).await.recaps, 0);
    let report = test.at(at(2026, 11, 2, 14, 0)).await;
    assert_eq!((report.recaps, report.posted), (1, 1), "{report:?}");
    let text = visible(&recaps(&test)[0]);
    assert!(text.contains("26 Oct to 1 Nov"), "{text}");
    assert!(
        text.contains("1 member(s) answered 5 question(s), 60% right"),
        "{text}"
    );
}

#[tokio::test]
async fn the_champion_role_moves_with_the_first_post_of_each_month() {
    let test = TestApp::spawn(at(2026, 11, 1, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    let set = test
        .ok(
            &moderator(SERVER),
            Command::ChampionRole {
                role_id: Some(CHAMPIONS),
            },
        )
        .await;
    assert!(
        visible(&set).contains("Monthly champion role"),
        "{}",
        visible(&set)
    );
    // November: member 1 answers three times, member 2 once.
    day(&test, at(2026, 11, 28, 9, 0), &[(1, true), (2, true)]).await;
    day(&test, at(2026, 11, 29, 9, 0), &[(1, true)]).await;
    day(&test, at(2026, 11, 30, 9, 0), &[(1, false)]).await;
    assert!(test.roles.holders(CHAMPIONS).is_empty());
    // The first post of December hands November's champion the role, and says so.
    let report = test.at(at(2026, 12, 1, 9, 0)).await;
    assert_eq!(report.champions, 1, "{report:?}");
    assert_eq!(test.roles.holders(CHAMPIONS), vec![1]);
    let announcement = test
        .poster
        .sent()
        .into_iter()
        .find(|sent| visible(&sent.reply).contains("November 2026"))
        .expect("an announcement");
    assert!(announcement.reply.pings.is_empty(), "named, never pinged");
    assert!(visible(&announcement.reply).contains("<@1>"));
    // December: member 2 leads. Nothing moves until January's first post.
    for date in 2..=4 {
        day(&test, at(2026, 12, date, 9, 0), &[(2, true)]).await;
    }
    assert_eq!(test.roles.holders(CHAMPIONS), vec![1]);
    test.at(at(2027, 1, 1, 9, 0)).await;
    assert_eq!(test.roles.holders(CHAMPIONS), vec![2]);
    assert_eq!(
        test.roles.changes(),
        vec![
            format!("grant 1 {CHAMPIONS}"),
            format!("revoke 1 {CHAMPIONS}"),
            format!("grant 2 {CHAMPIONS}"),
        ]
    );
    // A month nobody answered in keeps the champion.
    test.at(at(2027, 2, 1, 9, 0)).await;
    assert_eq!(test.roles.holders(CHAMPIONS), vec![2]);
}

#[tokio::test]
async fn the_month_turns_at_local_midnight_in_auckland() {
    // 1 December 09:00 in Auckland is 30 November 20:00 UTC.
    let test = TestApp::spawn(at(2026, 11, 20, 0, 0)).await;
    test.set_up("09:00", "Pacific/Auckland").await;
    test.ok(
        &moderator(SERVER),
        Command::ChampionRole {
            role_id: Some(CHAMPIONS),
        },
    )
    .await;
    day(&test, at(2026, 11, 28, 20, 0), &[(5, true)]).await; // 29 November local
    day(&test, at(2026, 11, 29, 20, 0), &[(5, true)]).await; // 30 November local
    assert!(test.roles.holders(CHAMPIONS).is_empty());
    test.at(at(2026, 11, 30, 20, 0)).await; // 1 December local
    assert_eq!(test.roles.holders(CHAMPIONS), vec![5]);
}

#[tokio::test]
async fn without_manage_roles_the_champion_is_reported_and_the_question_still_posts() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.ok(
        &moderator(SERVER),
        Command::ChampionRole {
            role_id: Some(CHAMPIONS),
        },
    )
    .await;
    day(&test, at(2026, 11, 30, 9, 0), &[(1, true)]).await;
    test.roles
        .refuse
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let report = test.at(at(2026, 12, 1, 9, 0)).await;
    assert_eq!((report.posted, report.champions), (1, 0), "{report:?}");
    let status = visible(&test.ok(&moderator(SERVER), Command::Status).await);
    assert!(
        status.contains(&format!("I cannot manage <@&{CHAMPIONS}>")),
        "{status}"
    );
    // The next recap tells the channel's moderators too.
    test.at(at(2026, 12, 7, 9, 0)).await;
    let recap = visible(recaps(&test).last().expect("a recap"));
    assert!(recap.contains("Manage Roles"), "{recap}");
    // Once the permission is granted, the next post hands the role over.
    test.roles
        .refuse
        .store(false, std::sync::atomic::Ordering::SeqCst);
    test.at(at(2026, 12, 8, 9, 0)).await;
    assert_eq!(test.roles.holders(CHAMPIONS), vec![1]);
    let status = visible(&test.ok(&moderator(SERVER), Command::Status).await);
    assert!(!status.contains("I cannot manage"), "{status}");
}

#[tokio::test]
async fn role_settings_are_for_moderators() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    for command in [
        Command::ChampionRole { role_id: Some(1) },
        Command::NotifyRole { role_id: Some(1) },
        Command::Stats,
    ] {
        let refused = refusal(test.run(&member(3), command).await);
        assert!(refused.contains("Only moderators"), "{refused}");
    }
    let status = test.ok(&moderator(SERVER), Command::Status).await;
    let champion = status.embeds[0]
        .fields
        .iter()
        .find(|field| field.name == "Champion role")
        .expect("a champion field");
    assert_eq!(champion.value.mentions().count(), 0, "none set");
    test.ok(
        &moderator(SERVER),
        Command::NotifyRole {
            role_id: Some(CHAMPIONS),
        },
    )
    .await;
    let status = test.ok(&moderator(SERVER), Command::Status).await;
    let ping = status.embeds[0]
        .fields
        .iter()
        .find(|field| field.name == "Quiz ping role")
        .expect("a ping field");
    assert_eq!(
        ping.value.mentions().collect::<Vec<_>>(),
        vec![Mention::Role(CHAMPIONS)]
    );
}
