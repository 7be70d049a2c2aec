//! Logs and metrics (the only module that knows the `metrics` crates).
//!
//! Logging: tracing with `RUST_LOG` (default info) as pretty text or JSON. Metrics: a
//! Prometheus recorder installed once; `/metrics` renders it. The rest of the bot calls the
//! small `record_*` functions here and never names a metrics type.

use std::sync::OnceLock;
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
        "Heartbeat round trip to the Discord gateway"
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

pub fn record_answer() {
    metrics::counter!("studybot_answers_recorded_total").increment(1);
}

/// `outcome`: "posted", "caught_up" (made late, after downtime) or "failed".
pub fn record_daily_post(outcome: &'static str) {
    metrics::counter!("studybot_daily_posts_total", "outcome" => outcome).increment(1);
}

pub fn record_gateway_latency(latency: Duration) {
    metrics::gauge!("studybot_gateway_latency_seconds").set(latency.as_secs_f64());
}

pub fn record_search(kind: &'static str, took: Duration) {
    metrics::histogram!("studybot_search_duration_seconds", "kind" => kind)
        .record(took.as_secs_f64());
}
