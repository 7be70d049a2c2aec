//! Looking things up: cards, typos, "did you mean", search, topics, autocomplete, practice.

use studybot::app::{AutocompleteField, Command};
use studybot::domain::Category;

use crate::helpers::{at, button_ids, library, member, refusal, title, visible, TestApp};

fn explain(topic: &str) -> Command {
    Command::Explain {
        topic: topic.into(),
        private: false,
    }
}

#[tokio::test]
async fn explain_jwt_shows_the_jwt_card_with_related_buttons_and_quiz_me() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let reply = test.ok(&member(7), explain("jwt")).await;
    assert!(title(&reply).contains("JWT"), "{}", title(&reply));
    assert!(!reply.ephemeral, "a card is shared unless asked otherwise");
    let ids = button_ids(&reply);
    assert!(ids.contains(&"v1:quiz:jwt".to_string()), "{ids:?}");
    let related = ids.iter().filter(|id| id.starts_with("v1:exp:")).count();
    assert!((1..=5).contains(&related), "{ids:?}");
}

#[tokio::test]
async fn a_misspelt_or_abbreviated_topic_still_opens_its_card() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    for typed in ["kubernets", "k8s", "what is a json web token"] {
        let reply = test.ok(&member(7), explain(typed)).await;
        assert!(!reply.embeds.is_empty(), "{typed}: {}", visible(&reply));
    }
}

#[tokio::test]
async fn loose_words_get_did_you_mean_buttons_that_open_their_card() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let reply = test
        .ok(&member(7), explain("caching stampede thundering"))
        .await;
    assert!(
        visible(&reply).contains("Did you mean"),
        "{}",
        visible(&reply)
    );
    assert!(reply.ephemeral);
    let ids = button_ids(&reply);
    assert!(!ids.is_empty() && ids.len() <= 5, "{ids:?}");
    let opened = test.press(&member(7), &ids[0]).await.expect("opens");
    let slug = ids[0].trim_start_matches("v1:exp:");
    assert_eq!(title(&opened), library().topic(slug).expect("card").title);
    assert!(opened.ephemeral, "a card opened from a button is private");
}

#[tokio::test]
async fn nothing_found_and_an_empty_topic_say_what_to_try() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let empty = test.ok(&member(7), explain("   ")).await;
    assert!(
        visible(&empty).contains("/explain jwt"),
        "{}",
        visible(&empty)
    );
    let nothing = test.ok(&member(7), explain("zzqqxx")).await;
    assert!(
        visible(&nothing).contains("Nothing found"),
        "{}",
        visible(&nothing)
    );
}

#[tokio::test]
async fn search_lists_at_most_five_cards_with_a_line_and_a_button_each() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let reply = test
        .ok(
            &member(7),
            Command::Search {
                query: "cache".into(),
            },
        )
        .await;
    let buttons = button_ids(&reply);
    assert!((1..=5).contains(&buttons.len()), "{buttons:?}");
    assert!(reply.ephemeral);
    assert!(visible(&reply).contains("**"), "titles in bold");
}

#[tokio::test]
async fn topics_lists_every_category_and_one_category_lists_its_cards() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let all = test
        .ok(&member(7), Command::Topics { category: None })
        .await;
    for category in Category::ALL {
        assert!(
            visible(&all).contains(category.label()),
            "{}",
            category.label()
        );
    }
    let security = test
        .ok(
            &member(7),
            Command::Topics {
                category: Some(Category::Security),
            },
        )
        .await;
    assert!(
        visible(&security).contains("`jwt`"),
        "{}",
        visible(&security)
    );
}

#[tokio::test]
async fn autocomplete_offers_kubernetes_first_for_kub_and_categories_first_for_a_week() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let topics = test.app.autocomplete(AutocompleteField::Topic, "kub");
    assert_eq!(topics[0].value, "kubernetes");
    assert!(topics.len() <= 25);
    let weeks = test.app.autocomplete(AutocompleteField::WeekTopic, "sec");
    assert_eq!(weeks[0].value, "security", "{weeks:?}");
    assert!(weeks[0].name.contains("category"));
}

#[tokio::test]
async fn quiz_without_an_open_post_gives_a_practice_question_that_changes_nothing() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let reply = test
        .ok(
            &member(7),
            Command::Quiz {
                practice: false,
                topic: None,
            },
        )
        .await;
    assert!(visible(&reply).contains("Practice"), "{}", visible(&reply));
    let first = button_ids(&reply)[0].clone();
    assert!(first.starts_with("v1:prac:"), "{first}");
    let answered = test.press(&member(7), &first).await.expect("answered");
    assert!(visible(&answered).contains("never touches streaks"));
    let stats = test
        .db
        .member_stats(crate::helpers::SERVER, 7)
        .await
        .expect("stats");
    assert_eq!(stats.answered, 0, "practice is not recorded");
}

#[tokio::test]
async fn practice_on_a_topic_stays_on_that_topic_and_an_unknown_topic_is_refused() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    let reply = test
        .ok(
            &member(7),
            Command::Quiz {
                practice: true,
                topic: Some("cors".into()),
            },
        )
        .await;
    let id = button_ids(&reply)[0].clone();
    let question_id = id.split(':').nth(2).expect("question id");
    assert_eq!(
        library().question(question_id).expect("question").topic,
        "cors"
    );
    let refused = test
        .run(
            &member(7),
            Command::Quiz {
                practice: true,
                topic: Some("zzqqxx".into()),
            },
        )
        .await;
    assert!(refusal(refused).contains("No topic matches"));
}

#[tokio::test]
async fn a_button_from_another_version_or_a_forged_one_is_refused_politely() {
    let test = TestApp::spawn(at(2026, 11, 23, 8, 0)).await;
    for id in [
        "v0:ans:1:0",
        "v1:ans:1:9",
        "garbage",
        "v1:prac:no-such-question:1",
    ] {
        let message = refusal(test.press(&member(7), id).await);
        assert!(!message.is_empty(), "{id}");
    }
}
