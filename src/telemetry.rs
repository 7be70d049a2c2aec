//! Logs and metrics (the only module that knows the `metrics` crates).
//!
//! Logging: tracing with `RUST_LOG` (default info) as pretty text or JSON. Metrics: a
//! Prometheus recorder installed once; `/metrics` renders it. The rest of the bot calls the
//! small `record_*` functions here and never names a metrics type.

use std::collections::BTreeMap;
use std::sync::{Mutex, OnceLock};
use std::time::Duration;

use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tracing_subscriber::EnvFilter;

use crate::config::LogFormat;

/// Installs the global log subscriber once; later calls are ignored (tests start several bots).
pub fn init_logging(format: LogFormat) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let _ = match format {
        LogFormat::Pretty => builder.try_init(),
        LogFormat::Json => builder.json().flatten_event(true).try_init(),
    };
}

/// Latency buckets in seconds: interactions and searches are expected well under 100 ms;
/// the tail buckets catch a slow database or Discord.
const LATENCY_BUCKETS: &[f64] = &[
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0,
];

static PROMETHEUS: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// The Prometheus recorder, installed on first use. `None` if another recorder was
/// installed first (then metrics go there and `/metrics` says so).
pub fn prometheus() -> Option<&'static PrometheusHandle> {
    PROMETHEUS
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new()
                .set_buckets(LATENCY_BUCKETS)
                .ok()?
                .build_recorder();
            let handle = recorder.handle();
            metrics::set_global_recorder(recorder).ok()?;
            describe();
            Some(handle)
        })
        .as_ref()
}

fn describe() {
    metrics::describe_counter!(
        "studybot_interactions_total",
        "Slash commands and button presses handled, by command and outcome"
    );
    metrics::describe_counter!(
        "studybot_interactions_deferred_total",
        "Interactions deferred because the reply was not ready within 1.5 s, by command"
    );
    metrics::describe_histogram!(
        "studybot_interaction_duration_seconds",
        metrics::Unit::Seconds,
        "Time to answer an interaction"
    );
    metrics::describe_counter!(
        "studybot_answers_recorded_total",
        "Daily-question answers recorded (first clicks only)"
    );
    metrics::describe_counter!(
        "studybot_daily_posts_total",
        "Daily posts, by outcome: posted on time, caught up late, failed"
    );
    metrics::describe_gauge!(
        "studybot_gateway_latency_seconds",
        metrics::Unit::Seconds,
        "Heartbeat round trip to the Discord gateway, by shard"
    );
    metrics::describe_gauge!(
        "studybot_gateway_connected",
        "1 while a shard's gateway connection is up, 0 while it is down, by shard"
    );
    metrics::describe_histogram!(
        "studybot_search_duration_seconds",
        metrics::Unit::Seconds,
        "Time to resolve a query or autocomplete"
    );
}

pub fn record_interaction(command: &str, outcome: &'static str, took: Duration) {
    metrics::counter!("studybot_interactions_total", "command" => command.to_string(), "outcome" => outcome).increment(1);
    metrics::histogram!("studybot_interaction_duration_seconds", "command" => command.to_string())
        .record(took.as_secs_f64());
}

/// An interaction whose reply was not ready in time, so it was deferred and completed later.
pub fn record_deferral(command: &str) {
    metrics::counter!("studybot_interactions_deferred_total", "command" => command.to_string())
        .increment(1);
}

pub fn record_answer() {
    metrics::counter!("studybot_answers_recorded_total").increment(1);
}

/// `outcome`: "posted", "caught_up" (made late, after downtime) or "failed".
pub fn record_daily_post(outcome: &'static str) {
    metrics::counter!("studybot_daily_posts_total", "outcome" => outcome).increment(1);
}

/// One gateway shard as the operator sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardHealth {
    pub id: u32,
    pub connected: bool,
    /// The last heartbeat round trip, once one was measured.
    pub latency: Option<Duration>,
}

/// The gateway shards this process runs, written by the Discord front end as connections
/// come and go, read by `/healthz`; every change is mirrored in the per-shard gauges.
#[derive(Debug, Default)]
pub struct GatewayStatus {
    shards: Mutex<BTreeMap<u32, ShardHealth>>,
}

impl GatewayStatus {
    /// Lists the shards this process is about to run, all down until they connect.
    pub fn expect_shards(&self, ids: impl IntoIterator<Item = u32>) {
        let mut shards = lock(&self.shards);
        for id in ids {
            shards.entry(id).or_insert_with(|| {
                metrics::gauge!("studybot_gateway_connected", "shard" => id.to_string()).set(0.0);
                ShardHealth {
                    id,
                    connected: false,
                    latency: None,
                }
            });
        }
    }

    pub fn set_connected(&self, id: u32, connected: bool) {
        metrics::gauge!("studybot_gateway_connected", "shard" => id.to_string())
            .set(if connected { 1.0 } else { 0.0 });
        lock(&self.shards)
            .entry(id)
            .and_modify(|shard| shard.connected = connected)
            .or_insert(ShardHealth {
                id,
                connected,
                latency: None,
            });
    }

    /// Marks every shard down (the client stopped).
    pub fn all_disconnected(&self) {
        let ids: Vec<u32> = lock(&self.shards).keys().copied().collect();
        for id in ids {
            self.set_connected(id, false);
        }
    }

    pub fn set_latency(&self, id: u32, latency: Duration) {
        metrics::gauge!("studybot_gateway_latency_seconds", "shard" => id.to_string())
            .set(latency.as_secs_f64());
        if let Some(shard) = lock(&self.shards).get_mut(&id) {
            shard.latency = Some(latency);
        }
    }

    /// Every shard of this process, by id.
    pub fn shards(&self) -> Vec<ShardHealth> {
        lock(&self.shards).values().copied().collect()
    }

    /// True when this process runs at least one shard and every one is connected.
    pub fn all_connected(&self) -> bool {
        let shards = lock(&self.shards);
        !shards.is_empty() && shards.values().all(|shard| shard.connected)
    }
}

/// A poisoned lock only means a writer panicked between two whole-entry updates; the map is
/// still consistent.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub fn record_search(kind: &'static str, took: Duration) {
    metrics::histogram!("studybot_search_duration_seconds", "kind" => kind)
        .record(took.as_secs_f64());
}
