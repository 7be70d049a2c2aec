//! End to end: the real bot (serenity client, poise, SQLite file, tantivy) against a local
//! stand-in that speaks Discord's HTTP API and gateway, with a clock the test moves.
//! One test binary holds all of them (each binary here is over 100 MB).

mod support;

use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use studybot::domain::ManualClock;
use support::bot::{at, config_for, custom_ids, is_ephemeral, press, slash, visible_text, TestBot};
use support::discord_stand_in::{RestCall, StandIn};
use support::payloads::{self, CHANNEL_ID};

struct World {
    stand_in: StandIn,
    clock: Arc<ManualClock>,
    _dir: tempfile::TempDir,
    db_url: String,
}

impl World {
    async fn new(start: chrono::DateTime<chrono::Utc>) -> World {
        let stand_in = StandIn::start().await;
        let dir = tempfile::tempdir().expect("temp dir");
        let db_url = format!("sqlite://{}", dir.path().join("bot.db").display());
        World {
            stand_in,
            clock: Arc::new(ManualClock::new(start)),
            _dir: dir,
            db_url,
        }
    }

    async fn start_bot(&self, sessions_before: u64) -> TestBot {
        let bot = TestBot::start(&self.stand_in, config_for(&self.stand_in, &self.db_url, &[]), Arc::clone(&self.clock)).await;
        self.stand_in.wait_identified(sessions_before + 1).await;
        // READY is handled (and the framework set up) right after IDENTIFY; give it a moment.
        self.stand_in
            .wait_for_calls(1, |call| call.method == "PUT" && call.path.ends_with("/commands"))
            .await;
        bot
    }

    async fn setup_daily(&self, moderator: u64, time: &str) -> Value {
        slash(
            &self.stand_in,
            "studybot",
            json!([{"type": 1, "name": "setup", "options": [
                {"type": 7, "name": "channel", "value": CHANNEL_ID.to_string()},
                {"type": 3, "name": "time", "value": time},
                {"type": 3, "name": "timezone", "value": "Europe/Berlin"},
                {"type": 4, "name": "days", "value": 0}
            ]}]),
            moderator,
            true,
        )
        .await
    }

    fn posts(&self) -> Vec<RestCall> {
        self.stand_in
            .calls()
            .into_iter()
            .filter(|call| call.method == "POST" && call.path == format!("/api/v10/channels/{CHANNEL_ID}/messages"))
            .filter(|call| call.body["embeds"][0]["title"].as_str().unwrap_or_default().starts_with("Question of the day"))
            .collect()
    }

    async fn wait_posts(&self, count: usize) -> Vec<RestCall> {
        let path = format!("/api/v10/channels/{CHANNEL_ID}/messages");
        self.stand_in
            .wait_for_calls(count, |call| {
                call.method == "POST"
                    && call.path == path
                    && call.body["embeds"][0]["title"].as_str().unwrap_or_default().starts_with("Question of the day")
            })
            .await
    }
}

/// The message object the stand-in created for a post (what a member's client shows).
fn created_message(world: &World, nonce: &str) -> Value {
    world.stand_in.message_with_nonce(nonce).expect("a message created with that nonce")
}

fn answer_ids(post: &RestCall) -> Vec<String> {
    custom_ids(&post.body).into_iter().filter(|id| id.starts_with("v1:ans:")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_jwt_answers_with_the_jwt_card() {
    let world = World::new(at(2026, 11, 23, 8, 0)).await;
    let bot = world.start_bot(0).await;
    let body = slash(&world.stand_in, "explain", json!([{"type": 3, "name": "topic", "value": "jwt"}]), 7, false).await;
    assert_eq!(body["type"], 4);
    assert!(body["data"]["embeds"][0]["title"].as_str().unwrap_or_default().contains("JWT"), "{body:#}");
    let ids = custom_ids(&body["data"]);
    assert!(ids.iter().any(|id| id == "v1:quiz:jwt"), "{ids:?}");
    assert!(ids.iter().filter(|id| id.starts_with("v1:exp:")).count() <= 5);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_kubernetes_first_for_kub() {
    let world = World::new(at(2026, 11, 23, 8, 0)).await;
    let bot = world.start_bot(0).await;
    let id = world.stand_in.next_id();
    world.stand_in.dispatch("INTERACTION_CREATE", payloads::autocomplete(id, "explain", "topic", "kub", 7));
    let body = support::bot::callback_body(&world.stand_in, id).await;
    assert_eq!(body["type"], 8, "{body:#}");
    let choices = body["data"]["choices"].as_array().expect("choices");
    assert_eq!(choices[0]["value"], "kubernetes");
    assert!(choices.len() <= 25);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn nonsense_gets_did_you_mean_buttons_and_pressing_one_opens_that_card() {
    let world = World::new(at(2026, 11, 23, 8, 0)).await;
    let bot = world.start_bot(0).await;
    let body = slash(&world.stand_in, "explain", json!([{"type": 3, "name": "topic", "value": "caching stampede thundering"}]), 7, false).await;
    let text = visible_text(&body["data"]);
    assert!(text.contains("Did you mean"), "{text}");
    let ids = custom_ids(&body["data"]);
    assert!(!ids.is_empty() && ids.len() <= 5, "{ids:?}");
    let slug = ids[0].trim_start_matches("v1:exp:").to_string();
    let message = payloads::message(1, CHANNEL_ID, &body["data"]);
    let opened = press(&world.stand_in, &ids[0], message, 7).await;
    let title = opened["data"]["embeds"][0]["title"].as_str().unwrap_or_default().to_string();
    let pack = studybot::content::load_built_in().expect("content");
    assert_eq!(title, pack.topic(&slug).expect("card").title);
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn setup_by_a_member_is_refused_and_by_a_moderator_is_stored_and_shown_in_status() {
    let world = World::new(at(2026, 11, 23, 6, 0)).await;
    let bot = world.start_bot(0).await;
    let refused = slash(
        &world.stand_in,
        "studybot",
        json!([{"type": 1, "name": "setup", "options": [
            {"type": 7, "name": "channel", "value": CHANNEL_ID.to_string()},
            {"type": 3, "name": "time", "value": "09:00"},
            {"type": 3, "name": "timezone", "value": "Europe/Berlin"},
            {"type": 4, "name": "days", "value": 0}
        ]}]),
        7,
        false,
    )
    .await;
    assert!(is_ephemeral(&refused["data"]));
    assert!(visible_text(&refused["data"]).contains("Only moderators"), "{refused:#}");
    assert!(bot.app.db.server(payloads::GUILD_ID).await.expect("read").is_none(), "nothing stored");

    let saved = world.setup_daily(8, "09:00").await;
    assert!(visible_text(&saved["data"]).contains("Saved"), "{saved:#}");
    let status = slash(&world.stand_in, "studybot", json!([{"type": 1, "name": "status", "options": []}]), 8, true).await;
    let text = visible_text(&status["data"]);
    assert!(text.contains("09:00 CET"), "next post in the server's timezone: {text}");
    assert!(text.contains("Europe/Berlin"), "{text}");
    bot.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_daily_post_takes_answers_once_throttles_count_edits_and_is_revealed_by_the_next() {
    // 07:00 UTC is 08:00 in Berlin: an hour before the 09:00 post.
    let world = World::new(at(2026, 11, 23, 7, 0)).await;
    let bot = world.start_bot(0).await;
    world.setup_daily(8, "09:00").await;
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert!(world.posts().is_empty(), "nothing before the post time");

    world.clock.set(at(2026, 11, 23, 8, 0));
    let posts = world.wait_posts(1).await;
    let post = &posts[0];
    assert_eq!(post.body["enforce_nonce"], true);
    let nonce = post.body["nonce"].as_str().expect("nonce").to_string();
    let answers = answer_ids(post);
    assert_eq!(answers.len(), 4, "four answer buttons");
    assert!(custom_ids(&post.body).iter().any(|id| id.starts_with("v1:exp:")), "Explain the topic");
    let message = created_message(&world, &nonce);

    let mut replies = Vec::new();
    for member in 0..100u64 {
        let id = world.stand_in.next_id();
        world.stand_in.dispatch(
            "INTERACTION_CREATE",
            payloads::button(id, &answers[(member % 4) as usize], message.clone(), 10_000 + member, "m"),
        );
        replies.push(id);
    }
    for id in replies {
        let body = support::bot::callback_body(&world.stand_in, id).await;
        assert!(is_ephemeral(&body["data"]), "{body:#}");
        assert!(visible_text(&body["data"]).contains("Streak"), "{body:#}");
    }
    let again = press(&world.stand_in, &answers[1], message.clone(), 10_000).await;
    assert!(visible_text(&again["data"]).contains("already answered"), "{again:#}");
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let edits: Vec<RestCall> = world.stand_in.calls().into_iter().filter(|call| call.method == "PATCH").collect();
    assert!(!edits.is_empty(), "the count was edited");
    assert!(edits.len() < 10, "the count is throttled, not edited per click: {} edits", edits.len());
    let last = edits.last().expect("edit");
    assert!(visible_text(&last.body).contains("100 members answered"), "{}", visible_text(&last.body));

    world.clock.set(at(2026, 11, 24, 8, 0));
    world.wait_posts(2).await;
    let reveal = world
        .stand_in
        .wait_for_calls(1, |call| call.method == "PATCH" && visible_text(&call.body).contains("How the server answered"))
        .await;
    let text = visible_text(&reveal[0].body);
    assert!(text.contains("A: 25 · B: 25 · C: 25 · D: 25"), "{text}");
    bot.stop().await;
}
