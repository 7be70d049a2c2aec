//! Streaks, points, leaderboards, reviews and forgetting a member.

use studybot::app::{Command, MemberRef, Mention};
use studybot::domain::{LeaderboardOrder, Period};

use crate::helpers::{at, button_ids, member, visible, TestApp, SERVER};

fn leaderboard(by: LeaderboardOrder) -> Command {
    Command::Leaderboard {
        by,
        period: Period::AllTime,
    }
}

#[tokio::test]
async fn three_days_of_answers_make_streaks_points_a_leaderboard_and_a_review() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    for day in 23..26 {
        test.at(at(2026, 11, day, 9, 0)).await;
        // Member 21 is right every day; member 22 wrong on the first day.
        test.answer_latest(&member(21), true)
            .await
            .expect("recorded");
        test.answer_latest(&member(22), day != 23)
            .await
            .expect("recorded");
    }
    let streak = test.ok(&member(21), Command::Streak { member: None }).await;
    let text = visible(&streak);
    let points = 11 + 12 + 13;
    assert!(text.contains("Current streak\n3"), "{text}");
    assert!(text.contains(&format!("Points\n{points}")), "{text}");

    let board = test
        .ok(&member(22), leaderboard(LeaderboardOrder::Points))
        .await;
    let text = visible(&board);
    assert!(
        text.contains(&format!("1. <@21>: {points} points")),
        "{text}"
    );
    assert!(text.contains("You are #2"), "{text}");
    let mentions: Vec<Mention> = board.embeds[0].description.mentions().collect();
    assert_eq!(
        mentions[0],
        Mention::User(21),
        "a structured mention, not markup"
    );

    // The question member 22 missed comes back a day after it was missed.
    let review = test.ok(&member(22), Command::Review).await;
    let ids = button_ids(&review);
    assert!(
        ids.len() == 4 && ids.iter().all(|id| id.starts_with("v1:rev:")),
        "{ids:?}"
    );
    assert!(review.ephemeral);
}

#[tokio::test]
async fn another_members_streak_shows_under_their_name() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let reply = test
        .ok(
            &member(21),
            Command::Streak {
                member: Some(MemberRef {
                    user_id: 99,
                    name: "Grace".into(),
                }),
            },
        )
        .await;
    assert!(visible(&reply).contains("Grace's streak"));
    assert!(visible(&reply).contains("No daily questions answered"));
}

#[tokio::test]
async fn the_accuracy_board_ranks_only_members_with_five_answers() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    for day in 23..28 {
        test.at(at(2026, 11, day, 9, 0)).await;
        test.answer_latest(&member(21), true)
            .await
            .expect("recorded");
        if day == 23 {
            test.answer_latest(&member(22), true)
                .await
                .expect("recorded");
        }
    }
    let board = test
        .ok(&member(22), leaderboard(LeaderboardOrder::Accuracy))
        .await;
    let text = visible(&board);
    assert!(text.contains("1. <@21>: 100% of 5"), "{text}");
    assert!(!text.contains("<@22>"), "{text}");
    assert!(text.contains("5+ answers"), "{text}");
}

#[tokio::test]
async fn forget_me_asks_first_and_then_deletes_only_the_callers_rows() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.at(at(2026, 11, 23, 9, 0)).await;
    test.answer_latest(&member(21), true)
        .await
        .expect("recorded");
    test.answer_latest(&member(22), false)
        .await
        .expect("recorded");
    let confirm = test.ok(&member(22), Command::ForgetMe).await;
    assert!(button_ids(&confirm).contains(&"v1:forget:yes".to_string()));
    assert!(
        test.db.member_row_count(SERVER, 22).await.expect("count") > 0,
        "nothing yet"
    );
    let kept = test
        .press(&member(22), "v1:forget:no")
        .await
        .expect("cancelled");
    assert!(visible(&kept).contains("Nothing was deleted"));
    let done = test
        .press(&member(22), "v1:forget:yes")
        .await
        .expect("deleted");
    assert!(visible(&done).contains("deleted"), "{}", visible(&done));
    assert_eq!(
        test.db.member_row_count(SERVER, 22).await.expect("count"),
        0
    );
    assert!(test.db.member_row_count(SERVER, 21).await.expect("count") > 0);
}
