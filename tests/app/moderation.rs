//! What moderators do: setup, status, roles, pause, topic weeks; and that members cannot.

use studybot::app::{Command, Mention};
use studybot::domain::options::parse_day;
use studybot::domain::Category;

use crate::helpers::{at, library, member, moderator, refusal, title, visible, TestApp, SERVER};

fn week(topic: &str, start: &str) -> Command {
    Command::WeekSchedule {
        topic: topic.into(),
        start: parse_day(start).expect("date"),
    }
}

#[tokio::test]
async fn members_cannot_use_moderator_commands_and_nothing_changes() {
    let test = TestApp::spawn(at(2026, 11, 23, 6, 0)).await;
    for command in [
        Command::Status,
        Command::PostNow,
        Command::Pause,
        week("security", "2026-11-30"),
    ] {
        let message = refusal(test.run(&member(7), command).await);
        assert!(message.contains("Only moderators"), "{message}");
    }
    assert!(
        test.db.server(SERVER).await.expect("read").is_none(),
        "nothing stored"
    );
}

#[tokio::test]
async fn setup_is_saved_and_status_shows_the_next_post_in_the_servers_timezone() {
    let test = TestApp::spawn(at(2026, 11, 23, 6, 0)).await;
    let saved = test.set_up("09:00", "Europe/Berlin").await;
    let text = visible(&saved);
    assert!(text.contains("Saved"), "{text}");
    assert_eq!(
        saved.text.as_ref().expect("text").mentions().next(),
        Some(Mention::Channel(crate::helpers::CHANNEL))
    );
    let status = test.ok(&moderator(SERVER), Command::Status).await;
    let text = visible(&status);
    assert!(
        text.contains("09:00 CET"),
        "next post in the server's timezone: {text}"
    );
    assert!(text.contains("Europe/Berlin"), "{text}");
    assert!(status.ephemeral);
}

#[tokio::test]
async fn the_moderator_role_lets_its_members_moderate() {
    let test = TestApp::spawn(at(2026, 11, 23, 6, 0)).await;
    test.ok(&moderator(SERVER), Command::Role { role_id: 77 })
        .await;
    let mut helper = member(8);
    helper.role_ids = vec![77];
    let status = test.ok(&helper, Command::Status).await;
    assert!(visible(&status).contains("<@&77>"), "{}", visible(&status));
}

#[tokio::test]
async fn a_topic_week_is_announced_first_and_its_questions_come_from_its_topic() {
    let test = TestApp::spawn(at(2026, 11, 23, 7, 0)).await;
    test.set_up("09:00", "UTC").await;
    let scheduled = test
        .ok(&moderator(SERVER), week("security", "2026-11-24"))
        .await;
    assert!(
        visible(&scheduled).contains("scheduled"),
        "{}",
        visible(&scheduled)
    );
    for day in 24..27 {
        test.at(at(2026, 11, day, 9, 0)).await;
    }
    let titles: Vec<String> = test
        .poster
        .sent()
        .iter()
        .map(|sent| title(&sent.reply))
        .collect();
    assert!(titles[0].starts_with("Topic week: Security"), "{titles:?}");
    assert!(titles[1].starts_with("Question of the day"), "{titles:?}");
    assert_eq!(
        titles
            .iter()
            .filter(|t| t.starts_with("Topic week"))
            .count(),
        1,
        "announced once"
    );
    let pack = library();
    for post in test.db.recent_posts(SERVER, 10).await.expect("posts") {
        let topic = &pack.question(&post.question_id).expect("question").topic;
        assert_eq!(
            pack.topic(topic).expect("card").category,
            Category::Security
        );
    }
}

#[tokio::test]
async fn overlapping_weeks_are_refused_and_a_week_can_be_cancelled() {
    let test = TestApp::spawn(at(2026, 11, 23, 7, 0)).await;
    test.set_up("09:00", "UTC").await;
    test.ok(&moderator(SERVER), week("jwt", "2026-11-30")).await;
    let overlap = refusal(
        test.run(&moderator(SERVER), week("security", "2026-12-03"))
            .await,
    );
    assert!(!overlap.is_empty());
    let unknown = refusal(
        test.run(&moderator(SERVER), week("cooking", "2026-12-14"))
            .await,
    );
    assert!(unknown.contains("cooking"), "{unknown}");
    let list = test.ok(&moderator(SERVER), Command::WeekList).await;
    let id: i64 = visible(&list)
        .trim()
        .trim_start_matches('#')
        .split(':')
        .next()
        .and_then(|n| n.parse().ok())
        .expect("a week number");
    test.ok(&moderator(SERVER), Command::WeekCancel { id })
        .await;
    let gone = refusal(
        test.run(&moderator(SERVER), Command::WeekCancel { id })
            .await,
    );
    assert!(gone.contains("no scheduled topic week"), "{gone}");
}
