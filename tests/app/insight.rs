//! `/progress`, `/notify` and `/studybot stats` through the app.

use studybot::app::{Command, MemberRef, Mention};
use studybot::domain::progress::ALT_TEXT_MAX_CHARS;

use crate::helpers::{at, library, member, moderator, refusal, visible, TestApp, SERVER};

const PING_ROLE: u64 = 7_100;

fn progress(member: Option<MemberRef>, public: bool) -> Command {
    Command::Progress { member, public }
}

/// Five days of JWT questions, answered wrong by member 1 on the first three days and right
/// after: a JWT topic week narrows the draw to JWT and its related topics, and the content
/// here keeps no questions on the related topics, so every question is on JWT.
async fn a_week_of_jwt(test: &mut TestApp) {
    let related = library()
        .pack()
        .topic("jwt")
        .expect("jwt card")
        .related
        .clone();
    test.restart_keeping_questions(|question| !related.contains(&question.topic))
        .await;
    test.set_up("09:00", "UTC").await;
    test.ok(
        &moderator(SERVER),
        Command::WeekSchedule {
            topic: "jwt".into(),
            start: "2026-11-23".parse().expect("day"),
        },
    )
    .await;
    for date in 23..=27 {
        test.at(at(2026, 11, date, 9, 0)).await;
        test.answer_latest(&member(1), date > 25)
            .await
            .expect("answered");
    }
}

#[tokio::test]
async fn progress_is_a_png_with_alt_text_and_the_weakest_topic_with_buttons() {
    let mut test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    a_week_of_jwt(&mut test).await;
    let reply = test.ok(&member(1), progress(None, false)).await;
    assert!(reply.ephemeral, "only the member sees it unless public");
    assert_eq!(reply.attachments.len(), 1);
    let picture = &reply.attachments[0];
    assert_eq!(picture.filename, "progress.png");
    assert!(picture.bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let decoded = tiny_skia::Pixmap::decode_png(&picture.bytes).expect("decodes");
    assert_eq!(decoded.width(), studybot::picture::WIDTH);
    assert!(!picture.description.is_empty());
    assert!(picture.description.chars().count() <= ALT_TEXT_MAX_CHARS);
    assert!(
        picture.description.contains("member1"),
        "{}",
        picture.description
    );
    let text = visible(&reply);
    assert!(
        text.contains("JSON Web Tokens") || text.contains("JWT"),
        "{text}"
    );
    assert!(text.contains("2 of 5 right"), "{text}");
    let ids: Vec<String> = reply
        .buttons
        .iter()
        .flatten()
        .map(|button| button.custom_id.clone())
        .collect();
    assert!(ids.iter().any(|id| id.contains("jwt")), "{ids:?}");
    // The buttons work: the card, and a practice question on the topic.
    for id in &ids {
        let pressed = test.press(&member(1), id).await.expect("button works");
        assert!(!visible(&pressed).is_empty());
    }
}

#[tokio::test]
async fn progress_of_a_new_member_and_of_another_member_in_public() {
    let mut test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    a_week_of_jwt(&mut test).await;
    let newcomer = test.ok(&member(9), progress(None, false)).await;
    assert_eq!(newcomer.attachments.len(), 1);
    assert!(
        visible(&newcomer).contains("No weak topics yet"),
        "{}",
        visible(&newcomer)
    );
    assert!(newcomer.buttons.is_empty());
    // The four closed questions came before their first answer: not held against them.
    let described = &newcomer.attachments[0].description;
    assert!(
        described.contains("0 missed, 4 before the first answer"),
        "{described}"
    );
    let shown = test
        .ok(
            &member(9),
            progress(
                Some(MemberRef {
                    user_id: 1,
                    name: "Ada".into(),
                }),
                true,
            ),
        )
        .await;
    assert!(!shown.ephemeral);
    assert!(visible(&shown).contains("Ada's progress"));
    assert!(shown.attachments[0].description.contains("Ada"));
    assert!(
        shown.attachments[0].description.contains("5"),
        "answers counted"
    );
}

#[tokio::test]
async fn notify_joins_and_leaves_the_ping_role_and_the_daily_post_pings_it() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    let refused = refusal(test.run(&member(1), Command::Notify { on: true }).await);
    assert!(refused.contains("/studybot notify-role"), "{refused}");
    test.ok(
        &moderator(SERVER),
        Command::NotifyRole {
            role_id: Some(PING_ROLE),
        },
    )
    .await;
    let joined = test.ok(&member(1), Command::Notify { on: true }).await;
    assert!(joined.ephemeral);
    assert_eq!(test.roles.holders(PING_ROLE), vec![1]);
    test.at(at(2026, 11, 23, 9, 0)).await;
    let post = test.poster.daily_posts().pop().expect("posted");
    assert_eq!(post.reply.pings, vec![Mention::Role(PING_ROLE)]);
    assert!(visible(&post.reply).starts_with(&format!("<@&{PING_ROLE}>")));
    test.ok(&member(1), Command::Notify { on: false }).await;
    assert!(test.roles.holders(PING_ROLE).is_empty());
    // Without Manage Roles the member learns what a moderator must grant.
    test.roles
        .refuse
        .store(true, std::sync::atomic::Ordering::SeqCst);
    let denied = visible(&test.ok(&member(1), Command::Notify { on: true }).await);
    assert!(denied.contains("Manage Roles"), "{denied}");
    // Clearing the role stops the ping.
    test.ok(&moderator(SERVER), Command::NotifyRole { role_id: None })
        .await;
    test.at(at(2026, 11, 24, 9, 0)).await;
    let post = test.poster.daily_posts().pop().expect("posted");
    assert!(post.reply.pings.is_empty());
}

#[tokio::test]
async fn stats_show_four_weeks_categories_the_hardest_questions_and_streaks() {
    let test = TestApp::spawn(at(2026, 11, 9, 8, 0)).await;
    test.set_up("09:00", "UTC").await;
    // Three weeks: members 1-3 answer every day (1 right, 2 and 3 wrong); member 4 only the
    // last week.
    for offset in 0..21 {
        let instant = at(2026, 11, 9, 9, 0) + chrono::Duration::days(offset);
        test.at(instant).await;
        for user in 1..=3 {
            test.answer_latest(&member(user), user == 1)
                .await
                .expect("answered");
        }
        if offset >= 14 {
            test.answer_latest(&member(4), true)
                .await
                .expect("answered");
        }
    }
    let reply = test.ok(&moderator(SERVER), Command::Stats).await;
    assert!(reply.ephemeral);
    let text = visible(&reply);
    assert!(
        text.contains("Week of 9 Nov: 3 member(s), 21 answer(s), 33% right"),
        "{text}"
    );
    assert!(
        text.contains("Week of 23 Nov: 4 member(s), 28 answer(s), 50% right"),
        "{text}"
    );
    assert!(
        text.contains("Week of 2 Nov: 0 member(s), 0 answer(s), n/a right"),
        "{text}"
    );
    assert!(
        text.contains("no answers yet") || text.contains("right of"),
        "{text}"
    );
    // Every question was answered 3 or 4 times, a third or half right: five of them listed
    // with the share of each choice.
    let hardest = reply.embeds[0]
        .fields
        .iter()
        .find(|field| field.name.starts_with("Hardest questions"))
        .expect("hardest field");
    let hardest = crate::helpers::written(&hardest.value);
    assert_eq!(
        hardest
            .lines()
            .filter(|line| line.contains("right of"))
            .count(),
        5,
        "{hardest}"
    );
    assert!(hardest.contains("33% right of 3"), "{hardest}");
    // Members 1-3 answered 21 days in a row, member 4 the last 7: a streak counts answers,
    // right or wrong.
    assert!(text.contains("On a 7+ streak\n4 member(s)"), "{text}");
}
