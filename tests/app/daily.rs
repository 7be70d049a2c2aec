//! The daily question: posted once at its time, answered once per member, counted without
//! an edit per click, revealed by the next, and never doubled or lost across restarts.

use std::time::Duration;

use studybot::app::{BackgroundTiming, Command};

use crate::helpers::{
    at, button_ids, member, member_in, moderator, refusal, title, visible, TestApp, OTHER_SERVER,
    SERVER,
};

#[tokio::test]
async fn nothing_is_posted_before_setup_or_before_the_post_time() {
    let test = TestApp::spawn(at(2026, 11, 23, 7, 0)).await;
    assert_eq!(test.tick().await.posted, 0, "not set up");
    test.set_up("09:00", "Europe/Berlin").await;
    // 07:59 UTC is 08:59 in Berlin.
    assert_eq!(test.at(at(2026, 11, 23, 7, 59)).await.posted, 0);
    assert!(test.poster.daily_posts().is_empty());
}

#[tokio::test]
async fn the_daily_post_is_made_once_at_its_time_with_four_answers_and_explain() {
    let test = TestApp::spawn(at(2026, 11, 23, 7, 0)).await;
    test.set_up("09:00", "Europe/Berlin").await;
    assert_eq!(test.at(at(2026, 11, 23, 8, 0)).await.posted, 1);
    assert_eq!(
        test.tick().await.posted,
        0,
        "the same day is never posted twice"
    );
    let posts = test.poster.daily_posts();
    assert_eq!(posts.len(), 1);
    let ids = button_ids(&posts[0].reply);
    assert_eq!(ids.iter().filter(|id| id.starts_with("v1:ans:")).count(), 4);
    assert!(ids.iter().any(|id| id.starts_with("v1:exp:")), "{ids:?}");
    assert!(posts[0].nonce.is_some(), "sent with a nonce");
    assert_eq!(posts[0].channel_id, crate::helpers::CHANNEL);
    assert!(visible(&posts[0].reply).contains("no answers yet"));
}

#[tokio::test]
async fn an_answer_counts_once_and_a_second_click_keeps_the_first_choice() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.at(at(2026, 11, 23, 9, 0)).await;
    let first = test
        .answer_latest(&member(7), true)
        .await
        .expect("recorded");
    assert_eq!(title(&first), "Right!");
    assert!(
        visible(&first).contains("Streak **1**"),
        "{}",
        visible(&first)
    );
    assert!(first.ephemeral);
    let again = test
        .answer_latest(&member(7), false)
        .await
        .expect("answered");
    assert!(
        visible(&again).contains("already answered"),
        "{}",
        visible(&again)
    );
    let stats = test.db.member_stats(SERVER, 7).await.expect("stats");
    assert_eq!((stats.answered, stats.correct, stats.points), (1, 1, 11));
}

#[tokio::test]
async fn the_public_count_is_edited_once_for_many_answers_not_once_per_click() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.at(at(2026, 11, 23, 9, 0)).await;
    for user in 0..30 {
        test.answer_latest(&member(100 + user), user % 2 == 0)
            .await
            .expect("recorded");
    }
    test.app.refresh_answer_counts(&test.poster).await;
    test.app.refresh_answer_counts(&test.poster).await;
    let edits = test.poster.edits();
    assert_eq!(
        edits.len(),
        1,
        "one edit for 30 answers, none when unchanged"
    );
    assert!(visible(&edits[0].1).contains("30 members answered"));
}

#[tokio::test]
async fn the_next_post_reveals_the_previous_one_and_closes_it() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.at(at(2026, 11, 23, 9, 0)).await;
    let first = test.latest_post().await;
    for user in 0..4u64 {
        let choice = user as usize;
        test.press(
            &member(200 + user),
            &format!("v1:ans:{}:{choice}", first.post_id),
        )
        .await
        .expect("recorded");
    }
    let report = test.at(at(2026, 11, 24, 9, 0)).await;
    assert_eq!((report.posted, report.revealed), (1, 1));
    let reveal = test
        .poster
        .edits()
        .into_iter()
        .find(|(_, reply)| visible(reply).contains("How the server answered"))
        .expect("a reveal");
    assert!(
        visible(&reveal.1).contains("A: 1 · B: 1 · C: 1 · D: 1"),
        "{}",
        visible(&reveal.1)
    );
    assert!(
        reveal
            .1
            .buttons
            .iter()
            .flatten()
            .filter(|b| b.custom_id.starts_with("v1:ans:"))
            .all(|b| b.disabled),
        "answer buttons disabled"
    );
    let late = test
        .press(&member(7), &format!("v1:ans:{}:0", first.post_id))
        .await
        .expect("answered");
    assert!(visible(&late).contains("closed"), "{}", visible(&late));
    assert_eq!(
        test.db
            .member_stats(SERVER, 7)
            .await
            .expect("stats")
            .answered,
        0
    );
}

#[tokio::test]
async fn a_button_for_another_servers_post_changes_nothing() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.at(at(2026, 11, 23, 9, 0)).await;
    let post = test.latest_post().await;
    let message = refusal(
        test.press(
            &member_in(OTHER_SERVER, 7),
            &format!("v1:ans:{}:0", post.post_id),
        )
        .await,
    );
    assert!(message.contains("no longer available"), "{message}");
    assert_eq!(
        test.db.answer_spread(post.post_id).await.expect("spread"),
        [0; 4]
    );
}

#[tokio::test]
async fn a_post_whose_question_left_the_content_is_refused_politely_and_nothing_breaks() {
    let mut test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.at(at(2026, 11, 23, 9, 0)).await;
    let post = test.latest_post().await;
    // The next release drops the question: same cards, every other question.
    test.restart_keeping_questions(|question| question.id != post.question_id)
        .await;
    let message = refusal(
        test.press(&member(7), &format!("v1:ans:{}:0", post.post_id))
            .await,
    );
    assert!(message.contains("no longer available"), "{message}");
    assert_eq!(
        test.at(at(2026, 11, 24, 9, 0)).await.posted,
        1,
        "posting goes on"
    );
}

#[tokio::test]
async fn a_restart_never_posts_twice_and_a_bot_down_at_post_time_catches_up_the_same_day() {
    let mut test = TestApp::spawn(at(2026, 11, 23, 7, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.at(at(2026, 11, 23, 9, 1)).await;
    test.restart().await;
    assert_eq!(test.tick().await.posted, 0, "no second post that day");
    // Down through the next post time, back at 15:00 the same day: one catch-up post.
    test.restart().await;
    assert_eq!(test.at(at(2026, 11, 24, 15, 0)).await.posted, 1);
    assert_eq!(test.tick().await.posted, 0);
    assert_eq!(test.poster.daily_posts().len(), 2);
}

#[tokio::test]
async fn a_post_lost_between_sending_and_recording_is_resent_with_its_nonce_and_not_doubled() {
    let mut test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.poster.lose_the_next_answer();
    let report = test.at(at(2026, 11, 23, 9, 0)).await;
    assert_eq!((report.posted, report.failed), (0, 1), "{report:?}");
    test.restart().await;
    let report = test.tick().await;
    assert_eq!(report.resent, 1, "{report:?}");
    assert_eq!(
        test.poster.daily_posts().len(),
        1,
        "the channel saw one message"
    );
    let post = test.latest_post().await;
    assert_eq!(
        post.message_id,
        Some(test.poster.daily_posts()[0].message_id)
    );
}

#[tokio::test]
async fn post_now_posts_today_at_once_and_is_refused_once_posted() {
    let test = TestApp::spawn(at(2026, 11, 23, 6, 0)).await;
    test.set_up("18:00", "UTC").await;
    test.ok(&moderator(SERVER), Command::PostNow).await;
    assert_eq!(test.tick().await.posted, 1);
    let again = refusal(test.run(&moderator(SERVER), Command::PostNow).await);
    assert!(again.contains("already posted"), "{again}");
    assert_eq!(
        test.at(at(2026, 11, 23, 18, 0)).await.posted,
        0,
        "not twice today"
    );
}

#[tokio::test]
async fn a_paused_server_gets_no_post_and_its_streaks_survive_the_pause() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.at(at(2026, 11, 23, 9, 0)).await;
    test.answer_latest(&member(7), true)
        .await
        .expect("recorded");
    test.ok(&moderator(SERVER), Command::Pause).await;
    for day in 24..27 {
        assert_eq!(test.at(at(2026, 11, day, 9, 0)).await.posted, 0);
    }
    test.ok(&moderator(SERVER), Command::Resume).await;
    test.at(at(2026, 11, 27, 9, 0)).await;
    let reply = test
        .answer_latest(&member(7), true)
        .await
        .expect("recorded");
    assert!(
        visible(&reply).contains("Streak **2**"),
        "{}",
        visible(&reply)
    );
}

#[tokio::test]
async fn the_background_work_posts_and_refreshes_counts_until_shutdown() {
    let test = TestApp::spawn(at(2026, 11, 23, 9, 0)).await;
    test.set_up("09:00", "UTC").await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let timing = BackgroundTiming {
        scheduler_period: Duration::from_millis(50),
        count_refresh: Duration::from_millis(100),
    };
    let app = std::sync::Arc::clone(&test.app);
    let poster = std::sync::Arc::new(crate::helpers::RecordingPoster::default());
    let background_poster = std::sync::Arc::clone(&poster);
    let background = tokio::spawn(async move {
        app.run_background(background_poster.as_ref(), timing, async {
            let _ = stopped.await;
        })
        .await;
    });
    for _ in 0..100 {
        if !poster.daily_posts().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(
        poster.daily_posts().len(),
        1,
        "posted by the background work"
    );
    test.answer_latest(&member(7), true)
        .await
        .expect("recorded");
    for _ in 0..100 {
        if !poster.edits().is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(visible(&poster.edits()[0].1).contains("1 member answered"));
    stop.send(()).expect("still running");
    tokio::time::timeout(Duration::from_secs(5), background)
        .await
        .expect("stops on shutdown")
        .expect("no panic");
}

#[tokio::test]
async fn count_edits_of_one_post_keep_their_distance() {
    let test = TestApp::spawn(at(2026, 11, 23, 9, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.tick().await;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let gap = Duration::from_millis(400);
    let timing = BackgroundTiming {
        scheduler_period: Duration::from_secs(60),
        count_refresh: gap,
    };
    let app = std::sync::Arc::clone(&test.app);
    let poster = std::sync::Arc::new(crate::helpers::RecordingPoster::default());
    let background_poster = std::sync::Arc::clone(&poster);
    let background = tokio::spawn(async move {
        app.run_background(background_poster.as_ref(), timing, async {
            let _ = stopped.await;
        })
        .await;
    });
    let started = std::time::Instant::now();
    let mut user = 0;
    while started.elapsed() < Duration::from_millis(1300) {
        user += 1;
        test.answer_latest(&member(1000 + user), true)
            .await
            .expect("recorded");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    stop.send(()).expect("running");
    background.await.expect("stopped");
    let edits = poster.edits().len();
    // 1.3 s of steady answers with a 0.4 s gap allow at most 4 edits (at 0, 0.4, 0.8, 1.2).
    assert!((1..=4).contains(&edits), "{edits} edits");
}
