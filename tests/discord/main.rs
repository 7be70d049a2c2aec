//! The Discord protocol end to end: the real bot (serenity client, poise, SQLite file,
//! tantivy) against a local stand-in that speaks Discord's HTTP API and gateway, with a
//! clock the test moves. The stand-in validates every request body against Discord's
//! OpenAPI description. Behaviour is tested on the app itself (`tests/app`); these tests
//! cover payloads, registration, the gateway, the processes and shutdown.

mod scale;
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
        let bot = TestBot::start(
            &self.stand_in,
            config_for(&self.stand_in, &self.db_url, &[]),
            Arc::clone(&self.clock),
        )
        .await;
        self.stand_in.wait_identified(sessions_before + 1).await;
        // READY is handled (and the framework set up) right after IDENTIFY; give it a moment.
        self.stand_in
            .wait_for_calls(1, |call| {
                call.method == "PUT" && call.path.ends_with("/commands")
            })
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
            .filter(|call| {
                call.method == "POST"
                    && call.path == format!("/api/v10/channels/{CHANNEL_ID}/messages")
            })
            .filter(|call| {
                call.body["embeds"][0]["title"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("Question of the day")
            })
            .collect()
    }

    async fn wait_posts(&self, count: usize) -> Vec<RestCall> {
        let path = format!("/api/v10/channels/{CHANNEL_ID}/messages");
        self.stand_in
            .wait_for_calls(count, |call| {
                call.method == "POST"
                    && call.path == path
                    && call.body["embeds"][0]["title"]
                        .as_str()
                        .unwrap_or_default()
                        .starts_with("Question of the day")
            })
            .await
    }
}

/// The message object the stand-in created for a post (what a member's client shows).
async fn created_message(world: &World, nonce: &str) -> Value {
    // The call is recorded as it arrives; the message exists once the stand-in answered.
    for _ in 0..200 {
        if let Some(message) = world.stand_in.message_with_nonce(nonce) {
            return message;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    panic!("no message was created with nonce {nonce}");
}

fn answer_ids(post: &RestCall) -> Vec<String> {
    custom_ids(&post.body)
        .into_iter()
        .filter(|id| id.starts_with("v1:ans:"))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explain_jwt_answers_with_the_jwt_card() {
    let world = World::new(at(2026, 11, 23, 8, 0)).await;
    let bot = world.start_bot(0).await;
    assert!(
        bot.gateway.all_connected(),
        "READY marks the gateway connected"
    );
    let body = slash(
        &world.stand_in,
        "explain",
        json!([{"type": 3, "name": "topic", "value": "jwt"}]),
        7,
        false,
    )
    .await;
    assert_eq!(body["type"], 4);
    assert!(
        body["data"]["embeds"][0]["title"]
            .as_str()
            .unwrap_or_default()
            .contains("JWT"),
        "{body:#}"
    );
    let ids = custom_ids(&body["data"]);
    assert!(ids.iter().any(|id| id == "v1:quiz:jwt"), "{ids:?}");
    assert!(ids.iter().filter(|id| id.starts_with("v1:exp:")).count() <= 5);
    bot.stop().await;
    world.stand_in.assert_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn autocomplete_offers_kubernetes_first_for_kub() {
    let world = World::new(at(2026, 11, 23, 8, 0)).await;
    let bot = world.start_bot(0).await;
    let id = world.stand_in.next_id();
    world.stand_in.dispatch(
        "INTERACTION_CREATE",
        payloads::autocomplete(id, "explain", "topic", "kub", 7),
    );
    let body = support::bot::callback_body(&world.stand_in, id).await;
    assert_eq!(body["type"], 8, "{body:#}");
    let choices = body["data"]["choices"].as_array().expect("choices");
    assert_eq!(choices[0]["value"], "kubernetes");
    assert!(choices.len() <= 25);
    bot.stop().await;
    world.stand_in.assert_valid();
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
    assert!(
        visible_text(&refused["data"]).contains("Only moderators"),
        "{refused:#}"
    );
    assert!(
        bot.db
            .server(payloads::GUILD_ID)
            .await
            .expect("read")
            .is_none(),
        "nothing stored"
    );

    let saved = world.setup_daily(8, "09:00").await;
    assert!(visible_text(&saved["data"]).contains("Saved"), "{saved:#}");
    let status = slash(
        &world.stand_in,
        "studybot",
        json!([{"type": 1, "name": "status", "options": []}]),
        8,
        true,
    )
    .await;
    let text = visible_text(&status["data"]);
    assert!(
        text.contains("09:00 CET"),
        "next post in the server's timezone: {text}"
    );
    assert!(text.contains("Europe/Berlin"), "{text}");
    bot.stop().await;
    world.stand_in.assert_valid();
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
    assert!(
        custom_ids(&post.body)
            .iter()
            .any(|id| id.starts_with("v1:exp:")),
        "Explain the topic"
    );
    let message = created_message(&world, &nonce).await;

    let mut replies = Vec::new();
    for member in 0..100u64 {
        let id = world.stand_in.next_id();
        world.stand_in.dispatch(
            "INTERACTION_CREATE",
            payloads::button(
                id,
                &answers[(member % 4) as usize],
                message.clone(),
                10_000 + member,
                "m",
            ),
        );
        replies.push(id);
    }
    for id in replies {
        let body = support::bot::callback_body(&world.stand_in, id).await;
        assert!(is_ephemeral(&body["data"]), "{body:#}");
        assert!(visible_text(&body["data"]).contains("Streak"), "{body:#}");
    }
    let again = press(&world.stand_in, &answers[1], message.clone(), 10_000).await;
    assert!(
        visible_text(&again["data"]).contains("already answered"),
        "{again:#}"
    );
    tokio::time::sleep(Duration::from_millis(1200)).await;
    let edits: Vec<RestCall> = world
        .stand_in
        .calls()
        .into_iter()
        .filter(|call| call.method == "PATCH")
        .collect();
    assert!(!edits.is_empty(), "the count was edited");
    assert!(
        edits.len() < 25,
        "the count is throttled, not edited per click: {} edits",
        edits.len()
    );
    let last = edits.last().expect("edit");
    assert!(
        visible_text(&last.body).contains("100 members answered"),
        "{}",
        visible_text(&last.body)
    );

    world.clock.set(at(2026, 11, 24, 8, 0));
    world.wait_posts(2).await;
    let reveal = world
        .stand_in
        .wait_for_calls(1, |call| {
            call.method == "PATCH" && visible_text(&call.body).contains("How the server answered")
        })
        .await;
    let text = visible_text(&reveal[0].body);
    assert!(text.contains("A: 25 · B: 25 · C: 25 · D: 25"), "{text}");
    bot.stop().await;
    world.stand_in.assert_valid();
}

/// Answers the newest daily post as `member`, right (`true`) or wrong.
async fn answer_latest(world: &World, member: u64, right: bool) -> Value {
    let posts = world.posts();
    let post = posts.last().expect("a post");
    let nonce = post.body["nonce"].as_str().expect("nonce");
    let message = created_message(world, nonce).await;
    let post_id: i64 = answer_ids(post)[0]
        .split(':')
        .nth(2)
        .expect("post id")
        .parse()
        .expect("number");
    let pack = studybot::content::load_built_in().expect("content");
    let bot_post = studybot::store::Db::open(&world.db_url)
        .await
        .expect("db")
        .post(post_id)
        .await
        .expect("read")
        .expect("post");
    let answer = pack
        .question(&bot_post.question_id)
        .expect("question")
        .answer;
    let choice = if right { answer } else { (answer + 1) % 4 };
    press(
        &world.stand_in,
        &format!("v1:ans:{post_id}:{choice}"),
        message,
        member,
    )
    .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn streak_leaderboard_review_and_forget_me_after_three_days() {
    let world = World::new(at(2026, 11, 23, 9, 0)).await;
    let bot = world.start_bot(0).await;
    world.setup_daily(8, "09:00").await;
    for day in 0..3u32 {
        world.clock.set(at(2026, 11, 23 + day, 8, 30));
        world.wait_posts(day as usize + 1).await;
        // Member 21 is right every day; member 22 wrong on the first day.
        answer_latest(&world, 21, true).await;
        answer_latest(&world, 22, day != 0).await;
    }
    let streak = slash(&world.stand_in, "streak", json!([]), 21, false).await;
    let text = visible_text(&streak["data"]);
    assert!(text.contains("Current streak\n3"), "{text}");
    assert!(text.contains("Points\n"), "{text}");
    let points = 11 + 12 + 13;
    assert!(text.contains(&format!("Points\n{points}")), "{text}");

    let board = slash(&world.stand_in, "leaderboard", json!([]), 22, false).await;
    let text = visible_text(&board["data"]);
    assert!(
        text.contains(&format!("1. <@21>: {points} points")),
        "{text}"
    );
    assert!(text.contains("You are #2"), "{text}");

    // The question member 22 missed comes back a day later.
    world.clock.set(at(2026, 11, 24, 9, 0));
    let review = slash(&world.stand_in, "review", json!([]), 22, false).await;
    assert!(is_ephemeral(&review["data"]));
    let ids = custom_ids(&review["data"]);
    assert!(
        ids.iter().all(|id| id.starts_with("v1:rev:")) && ids.len() == 4,
        "{review:#}"
    );

    let confirm = slash(&world.stand_in, "forget-me", json!([]), 22, false).await;
    assert!(custom_ids(&confirm["data"]).contains(&"v1:forget:yes".to_string()));
    let done = press(
        &world.stand_in,
        "v1:forget:yes",
        payloads::message(7, CHANNEL_ID, &confirm["data"]),
        22,
    )
    .await;
    assert!(visible_text(&done["data"]).contains("deleted"), "{done:#}");
    assert_eq!(
        bot.db
            .member_row_count(payloads::GUILD_ID, 22)
            .await
            .expect("count"),
        0
    );
    assert!(
        bot.db
            .member_row_count(payloads::GUILD_ID, 21)
            .await
            .expect("count")
            > 0
    );
    bot.stop().await;
    world.stand_in.assert_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_topic_week_is_announced_before_its_questions_which_come_from_its_topic() {
    let world = World::new(at(2026, 11, 23, 7, 0)).await;
    let bot = world.start_bot(0).await;
    world.setup_daily(8, "09:00").await;
    let scheduled = slash(
        &world.stand_in,
        "topicweek",
        json!([{"type": 1, "name": "schedule", "options": [
            {"type": 3, "name": "topic", "value": "security"},
            {"type": 3, "name": "start", "value": "2026-11-24"}
        ]}]),
        8,
        true,
    )
    .await;
    assert!(
        visible_text(&scheduled["data"]).contains("scheduled"),
        "{scheduled:#}"
    );
    let pack = studybot::content::load_built_in().expect("content");
    for day in 0..2u32 {
        world.clock.set(at(2026, 11, 24 + day, 8, 5));
        world.wait_posts(day as usize + 1).await;
    }
    let channel_posts: Vec<RestCall> = world
        .stand_in
        .calls()
        .into_iter()
        .filter(|call| call.method == "POST" && call.path.ends_with("/messages"))
        .collect();
    let titles: Vec<String> = channel_posts
        .iter()
        .map(|call| {
            call.body["embeds"][0]["title"]
                .as_str()
                .unwrap_or_default()
                .to_string()
        })
        .collect();
    assert!(titles[0].starts_with("Topic week: Security"), "{titles:?}");
    assert!(titles[1].starts_with("Question of the day"), "{titles:?}");
    assert_eq!(
        titles
            .iter()
            .filter(|title| title.starts_with("Topic week"))
            .count(),
        1,
        "announced once"
    );
    let db = studybot::store::Db::open(&world.db_url).await.expect("db");
    for post in db
        .recent_posts(payloads::GUILD_ID, 10)
        .await
        .expect("posts")
    {
        let topic = &pack.question(&post.question_id).expect("question").topic;
        assert_eq!(
            pack.topic(topic).expect("topic").category,
            studybot::domain::Category::Security
        );
    }
    bot.stop().await;
    world.stand_in.assert_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restart_right_after_posting_never_posts_twice_and_a_bot_down_at_post_time_catches_up_once(
) {
    let world = World::new(at(2026, 11, 23, 7, 0)).await;
    let bot = world.start_bot(0).await;
    world.setup_daily(8, "09:00").await;
    world.clock.set(at(2026, 11, 23, 8, 1));
    world.wait_posts(1).await;
    bot.stop().await;

    let bot = world.start_bot(1).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        world.posts().len(),
        1,
        "no second post that day after a restart"
    );
    bot.stop().await;

    // Down through the next post time, back at 15:00 the same day: one catch-up post.
    world.clock.set(at(2026, 11, 24, 14, 0));
    let bot = world.start_bot(2).await;
    world.wait_posts(2).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(world.posts().len(), 2, "exactly one catch-up post");
    bot.stop().await;
    world.stand_in.assert_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn studybot_run_with_a_token_and_proxy_url_serves_commands() {
    let stand_in = StandIn::start().await;
    // A free port for http.listen, so the process's own /healthz can be asked.
    let health_addr = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("free port");
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
        .arg("run")
        .env("DISCORD_TOKEN", support::bot::TEST_TOKEN)
        .env("STUDYBOT_DISCORD_PROXY_URL", &stand_in.http_url)
        .env(
            "STUDYBOT_DATABASE_URL",
            format!("sqlite://{}", dir.path().join("run.db").display()),
        )
        .env("STUDYBOT_HTTP_LISTEN", health_addr.to_string())
        .kill_on_drop(true)
        .spawn()
        .expect("start studybot run");
    stand_in.wait_identified(1).await;
    stand_in
        .wait_for_calls(1, |call| {
            call.method == "PUT" && call.path.ends_with("/commands")
        })
        .await;
    let body = slash(
        &stand_in,
        "explain",
        json!([{"type": 3, "name": "topic", "value": "k8s"}]),
        7,
        false,
    )
    .await;
    assert_eq!(body["data"]["embeds"][0]["title"], "Kubernetes");
    let search = slash(
        &stand_in,
        "search",
        json!([{"type": 3, "name": "query", "value": "\" OR 1=1 -- (title:*"}]),
        7,
        false,
    )
    .await;
    assert!(is_ephemeral(&search["data"]), "{search:#}");
    let (status, body) = http_get(health_addr, "/healthz").await;
    assert_eq!(
        (status, body.lines().next()),
        (200, Some("ok")),
        "studybot run serves http.listen: {body}"
    );
    assert!(body.contains("shard 0: connected"), "{body}");
    let (status, metrics) = http_get(health_addr, "/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.contains("studybot_interactions_total"), "{metrics}");
    child.kill().await.expect("stop");
}

/// A plain HTTP/1.1 GET: (status, body).
async fn http_get(addr: std::net::SocketAddr, path: &str) -> (u16, String) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let mut stream = tokio::net::TcpStream::connect(addr).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("send");
    let mut response = String::new();
    stream.read_to_string(&mut response).await.expect("read");
    let status = response
        .split_whitespace()
        .nth(1)
        .and_then(|code| code.parse().ok())
        .unwrap_or(0);
    let body = response
        .split_once("\r\n\r\n")
        .map(|(_, body)| body.to_string())
        .unwrap_or_default();
    (status, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthz_and_metrics_answer_and_healthz_reports_a_lost_gateway() {
    let world = World::new(at(2026, 11, 23, 8, 0)).await;
    let bot = world.start_bot(0).await;
    let health = studybot::http::Health {
        app: std::sync::Arc::clone(&bot.app),
        gateway: Arc::clone(&bot.gateway),
    };
    let addr = studybot::http::start("127.0.0.1:0".parse().expect("addr"), health)
        .await
        .expect("http");
    let (status, body) = http_get(addr, "/healthz").await;
    assert_eq!((status, body.lines().next()), (200, Some("ok")), "{body}");
    assert!(body.contains("shard 0: connected"), "{body}");
    slash(
        &world.stand_in,
        "explain",
        json!([{"type": 3, "name": "topic", "value": "cors"}]),
        7,
        false,
    )
    .await;
    // The interaction is counted once the bot hears Discord accepted its reply, a moment
    // after the stand-in saw the reply arrive.
    let counted = "studybot_interactions_total{command=\"explain\",outcome=\"ok\"}";
    let mut metrics = String::new();
    for _ in 0..100 {
        let (status, body) = http_get(addr, "/metrics").await;
        assert_eq!(status, 200);
        metrics = body;
        if metrics.contains(counted) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert!(metrics.contains(counted), "{metrics}");
    assert!(
        metrics.contains("studybot_interaction_duration_seconds_bucket"),
        "{metrics}"
    );
    assert!(
        metrics.contains("studybot_search_duration_seconds"),
        "{metrics}"
    );
    bot.stop().await;
    let (status, body) = http_get(addr, "/healthz").await;
    assert_eq!(status, 503);
    assert!(
        body.contains("gateway is not connected (shard 0)"),
        "{body}"
    );
    assert!(body.contains("shard 0: disconnected"), "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_never_appears_in_any_log_line_even_at_trace_level() {
    let stand_in = StandIn::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let token = support::bot::TEST_TOKEN;
    for format in ["pretty", "json"] {
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
            .arg("run")
            .env("DISCORD_TOKEN", token)
            .env("RUST_LOG", "trace")
            .env("STUDYBOT_LOG_FORMAT", format)
            .env("STUDYBOT_DISCORD_PROXY_URL", &stand_in.http_url)
            .env(
                "STUDYBOT_DATABASE_URL",
                format!("sqlite://{}", dir.path().join("token.db").display()),
            )
            .env("STUDYBOT_HTTP_LISTEN", "127.0.0.1:0")
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start studybot run");
        // Drain both pipes while the bot runs: trace logging fills a pipe buffer in moments.
        let drain = |pipe: Option<Box<dyn tokio::io::AsyncRead + Unpin + Send>>| {
            tokio::spawn(async move {
                use tokio::io::AsyncReadExt;
                let mut bytes = Vec::new();
                if let Some(mut pipe) = pipe {
                    let _ = pipe.read_to_end(&mut bytes).await;
                }
                bytes
            })
        };
        let stderr = drain(
            child
                .stderr
                .take()
                .map(|pipe| Box::new(pipe) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        );
        let stdout = drain(
            child
                .stdout
                .take()
                .map(|pipe| Box::new(pipe) as Box<dyn tokio::io::AsyncRead + Unpin + Send>),
        );
        let sessions = if format == "pretty" { 1 } else { 2 };
        stand_in.wait_identified(sessions).await;
        stand_in
            .wait_for_calls(sessions as usize, |call| {
                call.path == "/api/v10/oauth2/applications/@me"
            })
            .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let body = slash(
            &stand_in,
            "explain",
            json!([{"type": 3, "name": "topic", "value": "jwt"}]),
            7,
            false,
        )
        .await;
        assert_eq!(body["type"], 4);
        // SIGTERM: the graceful path, so every log line is flushed.
        let pid = child.id().expect("pid");
        std::process::Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .expect("kill");
        let status = tokio::time::timeout(Duration::from_secs(30), child.wait())
            .await
            .expect("stopped after SIGTERM")
            .expect("exit status");
        assert!(status.success(), "a graceful stop exits 0: {status}");
        let stderr = stderr.await.expect("stderr");
        let stdout = stdout.await.expect("stdout");
        let output_text = format!(
            "{}{}",
            String::from_utf8_lossy(&stderr),
            String::from_utf8_lossy(&stdout)
        );
        let logs = output_text;
        assert!(
            logs.lines().count() > 20,
            "trace logging produced output: {logs}"
        );
        assert!(logs.contains("interaction"), "the interaction was logged");
        assert!(
            !logs.contains(token),
            "the token leaked into the {format} logs"
        );
        assert!(
            !logs.contains(&token[..12]),
            "part of the token leaked into the {format} logs"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crash_between_sending_and_recording_the_post_resends_with_the_same_nonce_and_makes_no_second_message(
) {
    let world = World::new(at(2026, 11, 23, 7, 0)).await;
    let bot = world.start_bot(0).await;
    world.setup_daily(8, "09:00").await;
    world.clock.set(at(2026, 11, 23, 8, 1));
    let first = world.wait_posts(1).await.remove(0);
    let message = created_message(&world, first.body["nonce"].as_str().expect("nonce")).await;
    bot.stop().await;

    // As if the bot died after Discord created the message but before it was recorded.
    {
        use sqlx::sqlite::SqliteConnectOptions;
        use std::str::FromStr;
        let pool = sqlx::SqlitePool::connect_with(
            SqliteConnectOptions::from_str(&world.db_url).expect("url"),
        )
        .await
        .expect("pool");
        sqlx::query(
            "UPDATE daily_posts SET state = 'reserved', message_id = NULL, posted_at = NULL",
        )
        .execute(&pool)
        .await
        .expect("roll back the confirmation");
        pool.close().await;
    }
    let messages_before = world.stand_in.message_count();
    let bot = world.start_bot(1).await;
    world.wait_posts(2).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let sends = world.posts();
    assert_eq!(sends.len(), 2, "resent once");
    assert_eq!(
        sends[1].body["nonce"], first.body["nonce"],
        "with the same nonce"
    );
    assert_eq!(sends[1].body["enforce_nonce"], true);
    assert_eq!(
        world.stand_in.message_count(),
        messages_before,
        "Discord returned the first message; no second one"
    );
    // The bot records the resent post once Discord answers; on a busy machine that can take
    // longer than the pause above.
    let mut post = None;
    for _ in 0..500 {
        post = bot.db.open_post(payloads::GUILD_ID).await.expect("read");
        if post.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let post = post.expect("the resent post is recorded as posted");
    assert_eq!(
        post.message_id.map(|id| id.to_string()),
        message["id"].as_str().map(str::to_string)
    );
    bot.stop().await;
    world.stand_in.assert_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn progress_is_a_png_attachment_with_alt_text_in_a_valid_multipart_reply() {
    let world = World::new(at(2026, 11, 23, 7, 0)).await;
    let bot = world.start_bot(0).await;
    world.setup_daily(8, "09:00").await;
    world.clock.set(at(2026, 11, 23, 8, 1));
    world.wait_posts(1).await;
    answer_latest(&world, 21, true).await;
    let id = world.stand_in.next_id();
    world.stand_in.dispatch(
        "INTERACTION_CREATE",
        payloads::command(id, "progress", json!([]), 21, "member21", false),
    );
    let call = support::bot::callback_call(&world.stand_in, id).await;
    assert_eq!(call.files.len(), 1, "one file part: {:?}", call.body);
    let file = &call.files[0];
    assert_eq!(file.field, "files[0]");
    assert_eq!(file.filename, "progress.png");
    assert_eq!(file.content_type, "image/png");
    let picture = tiny_skia::Pixmap::decode_png(&file.bytes).expect("a PNG that decodes");
    assert_eq!(picture.width(), studybot::picture::WIDTH);
    let data = &call.body["data"];
    assert!(is_ephemeral(data), "only the member sees their progress");
    let attachments = data["attachments"].as_array().expect("attachments listed");
    assert_eq!(attachments.len(), 1);
    assert_eq!(attachments[0]["filename"], "progress.png");
    let alt = attachments[0]["description"].as_str().expect("alt text");
    assert!(
        alt.contains("member21") && alt.contains("1 of 1 answer right"),
        "{alt}"
    );
    bot.stop().await;
    world.stand_in.assert_valid();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_weekly_recap_is_posted_once_across_restarts_and_a_lost_confirmation() {
    let world = World::new(at(2026, 11, 23, 7, 0)).await;
    let bot = world.start_bot(0).await;
    world.setup_daily(8, "09:00").await;
    world.clock.set(at(2026, 11, 23, 8, 1));
    world.wait_posts(1).await;
    answer_latest(&world, 21, true).await;
    answer_latest(&world, 22, false).await;
    bot.stop().await;

    let is_recap = |call: &RestCall| {
        call.method == "POST"
            && call.path == format!("/api/v10/channels/{CHANNEL_ID}/messages")
            && call.body["embeds"][0]["title"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Last week in review")
    };
    // Monday 30 November, 09:00 in Berlin: the recap, then the question.
    world.clock.set(at(2026, 11, 30, 8, 1));
    let bot = world.start_bot(1).await;
    world.wait_posts(2).await;
    let recap = world.stand_in.wait_for_calls(1, is_recap).await.remove(0);
    let text = visible_text(&recap.body);
    assert!(
        text.contains("2 member(s) answered 2 question(s), 50% right"),
        "{text}"
    );
    let calls = world.stand_in.calls();
    let recap_at = calls.iter().position(is_recap).expect("recap");
    let question_at = calls
        .iter()
        .rposition(|call| {
            call.body["embeds"][0]["title"]
                .as_str()
                .unwrap_or_default()
                .starts_with("Question of the day")
        })
        .expect("question");
    assert!(
        recap_at < question_at,
        "the recap comes before the question"
    );
    let nonce = recap.body["nonce"].as_str().expect("nonce").to_string();
    assert_eq!(recap.body["enforce_nonce"], true);
    bot.stop().await;

    // As if the bot died after Discord created the recap but before it was recorded.
    {
        use sqlx::sqlite::SqliteConnectOptions;
        use std::str::FromStr;
        let pool = sqlx::SqlitePool::connect_with(
            SqliteConnectOptions::from_str(&world.db_url).expect("url"),
        )
        .await
        .expect("pool");
        sqlx::query("UPDATE recaps SET state = 'reserved', message_id = NULL")
            .execute(&pool)
            .await
            .expect("roll back the confirmation");
        pool.close().await;
    }
    let messages_before = world.stand_in.message_count();
    world.clock.set(at(2026, 11, 30, 9, 0));
    let bot = world.start_bot(2).await;
    let recaps = world.stand_in.wait_for_calls(2, is_recap).await;
    assert_eq!(
        recaps[1].body["nonce"].as_str(),
        Some(nonce.as_str()),
        "resent with its nonce"
    );
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(
        world.stand_in.message_count(),
        messages_before,
        "Discord returned the first recap; no second message"
    );
    // Confirmed once Discord answers the resend (polled: a busy machine can be slow).
    let mut confirmed = 0;
    for _ in 0..500 {
        confirmed = bot
            .db
            .posted_recaps(payloads::GUILD_ID)
            .await
            .expect("count");
        if confirmed == 1 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(confirmed, 1);
    bot.stop().await;

    // Another restart the same day changes nothing.
    let bot = world.start_bot(3).await;
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(
        world
            .stand_in
            .calls()
            .iter()
            .filter(|call| is_recap(call))
            .count(),
        2
    );
    assert_eq!(world.posts().len(), 2, "one question a day");
    bot.stop().await;
    world.stand_in.assert_valid();
}

/// The (input id, value) pairs of a modal callback, in order.
fn modal_inputs(callback: &Value) -> Vec<(String, String)> {
    callback["data"]["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .map(|input| {
            (
                input["custom_id"].as_str().unwrap_or_default().to_string(),
                input["value"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// Submits a modal and returns the bot's callback body.
async fn submit_modal(
    world: &World,
    custom_id: &str,
    fields: &[(&str, &str)],
    user: u64,
    moderator: bool,
) -> Value {
    let id = world.stand_in.next_id();
    world.stand_in.dispatch(
        "INTERACTION_CREATE",
        payloads::modal_submit(id, custom_id, fields, user, moderator),
    );
    support::bot::callback_body(&world.stand_in, id).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_suggestion_goes_from_modal_to_review_to_daily_post_to_answer() {
    let world = World::new(at(2026, 11, 23, 7, 0)).await;
    let bot = world.start_bot(0).await;
    world.setup_daily(8, "09:00").await;
    // /suggest question opens the modal (interaction callback type 9).
    let opened = slash(
        &world.stand_in,
        "suggest",
        json!([{"type": 1, "name": "question", "options": []}]),
        21,
        false,
    )
    .await;
    assert_eq!(opened["type"], 9, "{opened}");
    let form_id = opened["data"]["custom_id"]
        .as_str()
        .expect("custom id")
        .to_string();
    let inputs: Vec<String> = modal_inputs(&opened)
        .into_iter()
        .map(|(id, _)| id)
        .collect();
    assert_eq!(
        inputs,
        ["topic", "prompt", "choices", "answer", "explanation"]
    );
    // A refused submission, then "Edit and resubmit" reopens the modal with what was typed.
    let typed = [
        ("topic", "jwt"),
        ("prompt", "Which claim?"),
        ("choices", "exp\nnbf\niat"),
        ("answer", "B"),
        ("explanation", "Because."),
    ];
    let refused = submit_modal(&world, &form_id, &typed, 21, false).await;
    assert!(is_ephemeral(&refused["data"]));
    assert!(
        visible_text(&refused["data"]).contains("exactly 4 choices"),
        "{refused}"
    );
    let edit = custom_ids(&refused["data"]).pop().expect("edit button");
    let message = json!({"id": "1", "channel_id": CHANNEL_ID.to_string()});
    let reopened = press(
        &world.stand_in,
        &edit,
        payloads::message(1, CHANNEL_ID, &message),
        21,
    )
    .await;
    assert_eq!(reopened["type"], 9);
    let prefilled: Vec<(String, String)> = modal_inputs(&reopened);
    let expected: Vec<(String, String)> = typed
        .iter()
        .map(|(id, value)| (id.to_string(), value.to_string()))
        .collect();
    assert_eq!(prefilled, expected, "every field kept");
    let good = [
        ("topic", "jwt"),
        ("prompt", "A service decodes incoming JWTs and checks exp but never verifies the signature. What can an attacker do?"),
        ("choices", "Forge a token with any claims, since nothing proves the issuer signed it\nNothing, because exp still limits how long a token lives\nOnly read the claims, since decoding cannot change them\nOnly replay old tokens, since the payload is base64url"),
        ("answer", "A"),
        ("explanation", "Without verifying the signature the service trusts any claims a client writes. Decoding is not verifying."),
    ];
    let resubmit_id = reopened["data"]["custom_id"]
        .as_str()
        .expect("custom id")
        .to_string();
    let queued = submit_modal(&world, &resubmit_id, &good, 21, false).await;
    assert!(
        visible_text(&queued["data"]).contains("waiting for a moderator"),
        "{queued}"
    );
    // The moderator reviews and approves it, and chooses the server's own bank.
    let review = slash(
        &world.stand_in,
        "studybot",
        json!([{"type": 1, "name": "suggestions", "options": []}]),
        8,
        true,
    )
    .await;
    assert!(
        visible_text(&review["data"]).contains("Suggested by member21"),
        "{review}"
    );
    let approve = custom_ids(&review["data"])
        .into_iter()
        .find(|id| id.starts_with("v1:sgok:"))
        .expect("approve button");
    let id = world.stand_in.next_id();
    world.stand_in.dispatch(
        "INTERACTION_CREATE",
        payloads::moderator_button(id, &approve, payloads::message(2, CHANNEL_ID, &message), 8),
    );
    let approved = support::bot::callback_body(&world.stand_in, id).await;
    assert!(
        visible_text(&approved["data"]).contains("Approved as `jwt-c"),
        "{approved}"
    );
    slash(
        &world.stand_in,
        "studybot",
        json!([{"type": 1, "name": "bank", "options": [{"type": 4, "name": "source", "value": 1}]}]),
        8,
        true,
    )
    .await;
    // 09:00 in Berlin: the member's question is the daily post, credited by name.
    world.clock.set(at(2026, 11, 23, 8, 1));
    let post = world.wait_posts(1).await.remove(0);
    let footer = post.body["embeds"][0]["footer"]["text"]
        .as_str()
        .unwrap_or_default();
    assert!(footer.contains("question by member21"), "{footer}");
    assert_eq!(post.body["allowed_mentions"]["parse"], json!([]), "no ping");
    // Another member answers it (A is right), once the bot has recorded the post as sent.
    let nonce = post.body["nonce"].as_str().expect("nonce");
    let created = created_message(&world, nonce).await;
    for _ in 0..200 {
        if bot
            .db
            .open_post(payloads::GUILD_ID)
            .await
            .expect("read")
            .is_some()
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let right = answer_ids(&post).into_iter().next().expect("button A");
    let answered = press(&world.stand_in, &right, created, 22).await;
    assert!(
        visible_text(&answered["data"]).contains("Right"),
        "{answered}"
    );
    bot.stop().await;
    world.stand_in.assert_valid();
}
