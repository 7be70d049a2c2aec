//! The real bot (serenity, poise, SQLite file, tantivy) started against a stand-in, with a
//! clock the test moves.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use serde_json::Value;
use studybot::app::{App, BackgroundTiming};
use studybot::config::Config;
use studybot::discord::RunOptions;
use studybot::domain::ManualClock;
use studybot::store::Db;
use studybot::telemetry::GatewayStatus;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use super::discord_stand_in::{RestCall, StandIn};
use super::payloads;

pub const TEST_TOKEN: &str = "stand-in-token-8c1f0d2e";

pub struct TestBot {
    pub app: Arc<App>,
    /// A second connection to the bot's database, for checking what it stored.
    pub db: Db,
    /// The bot's gateway shards, as `/healthz` reads them.
    pub gateway: Arc<GatewayStatus>,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<anyhow::Result<()>>,
}

pub fn config_for(stand_in: &StandIn, db_url: &str, extra: &[(&str, &str)]) -> Config {
    let mut env: HashMap<String, String> = [
        ("DISCORD_TOKEN", TEST_TOKEN),
        ("STUDYBOT_DISCORD_PROXY_URL", stand_in.http_url.as_str()),
        ("STUDYBOT_DATABASE_URL", db_url),
        ("STUDYBOT_HTTP_LISTEN", ""),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (key, value) in extra {
        env.insert(key.to_string(), value.to_string());
    }
    Config::load(None, &env).expect("test config")
}

impl TestBot {
    pub async fn start(stand_in: &StandIn, config: Config, clock: Arc<ManualClock>) -> TestBot {
        TestBot::start_with(stand_in, config, clock, studybot::discord::DEFER_AFTER).await
    }

    /// Starts the bot with interactions deferred after `defer_after` instead of the default.
    pub async fn start_with(
        stand_in: &StandIn,
        config: Config,
        clock: Arc<ManualClock>,
        defer_after: Duration,
    ) -> TestBot {
        let app = Arc::new(
            studybot::cli::build_app(&config, clock)
                .await
                .expect("bot builds"),
        );
        let db = Db::open(&config.database_url).await.expect("database");
        let gateway = Arc::new(GatewayStatus::default());
        let (shutdown, on_shutdown) = oneshot::channel::<()>();
        let options = RunOptions {
            background: BackgroundTiming {
                scheduler_period: Duration::from_millis(100),
                count_refresh: Duration::from_millis(300),
            },
            defer_after,
        };
        let run_app = Arc::clone(&app);
        let run_gateway = Arc::clone(&gateway);
        let _ = stand_in;
        let task = tokio::spawn(async move {
            studybot::discord::run(&config, run_app, options, run_gateway, async move {
                let _ = on_shutdown.await;
            })
            .await
        });
        TestBot {
            app,
            db,
            gateway,
            shutdown: Some(shutdown),
            task,
        }
    }

    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        let stopped = tokio::time::timeout(Duration::from_secs(20), &mut self.task).await;
        assert!(
            stopped.is_ok(),
            "the bot stopped within 20 s of the shutdown signal"
        );
    }
}

pub fn at(y: i32, m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, min, 0)
        .single()
        .expect("valid instant")
}

/// Sends a slash command and returns the body of the bot's interaction callback.
pub async fn slash(
    stand_in: &StandIn,
    name: &str,
    options: Value,
    user: u64,
    moderator: bool,
) -> Value {
    let id = stand_in.next_id();
    stand_in.dispatch(
        "INTERACTION_CREATE",
        payloads::command(id, name, options, user, &format!("member{user}"), moderator),
    );
    callback_body(stand_in, id).await
}

/// Presses a button on a message and returns the bot's callback body.
pub async fn press(stand_in: &StandIn, custom_id: &str, message: Value, user: u64) -> Value {
    let id = stand_in.next_id();
    stand_in.dispatch(
        "INTERACTION_CREATE",
        payloads::button(id, custom_id, message, user, &format!("member{user}")),
    );
    callback_body(stand_in, id).await
}

pub async fn callback_body(stand_in: &StandIn, id: u64) -> Value {
    callback_call(stand_in, id).await.body
}

/// The bot's whole callback for interaction `id`, files included.
pub async fn callback_call(stand_in: &StandIn, id: u64) -> RestCall {
    let path = format!("/api/v10/interactions/{id}/token-{id}/callback");
    stand_in
        .wait_for_calls(1, |call| call.method == "POST" && call.path == path)
        .await
        .remove(0)
}

/// All button custom ids in a message or callback data, row by row.
pub fn custom_ids(data: &Value) -> Vec<String> {
    data["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|button| button["custom_id"].as_str().map(str::to_string))
        .collect()
}

pub fn is_ephemeral(data: &Value) -> bool {
    data["flags"].as_u64().unwrap_or(0) & 64 == 64
}

/// The text a member reads: content, embed titles, descriptions and fields.
pub fn visible_text(data: &Value) -> String {
    let mut text = data["content"].as_str().unwrap_or_default().to_string();
    for embed in data["embeds"].as_array().into_iter().flatten() {
        for key in ["title", "description"] {
            text.push('\n');
            text.push_str(embed[key].as_str().unwrap_or_default());
        }
        for field in embed["fields"].as_array().into_iter().flatten() {
            text.push_str(&format!(
                "\n{}\n{}",
                field["name"].as_str().unwrap_or_default(),
                field["value"].as_str().unwrap_or_default()
            ));
        }
        if let Some(footer) = embed["footer"]["text"].as_str() {
            text.push('\n');
            text.push_str(footer);
        }
    }
    text
}
