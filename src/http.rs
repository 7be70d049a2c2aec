//! The operator's HTTP endpoints on `http.listen`: `GET /healthz` and `GET /metrics`.

use std::fmt::Write as _;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::app::App;
use crate::telemetry::GatewayStatus;

/// A health check that waits longer than this on the database reports it as down.
const DB_PING_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Health {
    pub app: Arc<App>,
    /// The gateway shards of this process, as the Discord front end reports them.
    pub gateway: Arc<GatewayStatus>,
}

/// Binds `addr` and serves in the background; returns the bound address (port 0 picks one).
pub async fn start(addr: SocketAddr, health: Health) -> std::io::Result<SocketAddr> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    crate::telemetry::prometheus();
    let router = Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .with_state(health);
    tokio::spawn(async move {
        if let Err(error) = axum::serve(listener, router).await {
            tracing::error!(%error, "the health and metrics server stopped");
        }
    });
    tracing::info!(%bound, "serving /healthz and /metrics");
    Ok(bound)
}

/// `ok` (200) or the problems (503) on the first line, then one line per shard of this
/// process: `shard 0: connected, heartbeat 41 ms`.
async fn healthz(State(health): State<Health>) -> impl IntoResponse {
    let mut problems = Vec::new();
    let shards = health.gateway.shards();
    let down: Vec<String> = shards
        .iter()
        .filter(|shard| !shard.connected)
        .map(|shard| shard.id.to_string())
        .collect();
    if shards.is_empty() {
        problems.push("the Discord gateway is not connected (no shard started)".to_string());
    } else if !down.is_empty() {
        problems.push(format!(
            "the Discord gateway is not connected (shard {})",
            down.join(", ")
        ));
    }
    match tokio::time::timeout(DB_PING_TIMEOUT, health.app.database_health()).await {
        Ok(Ok(())) => {}
        Ok(Err(problem)) => problems.push(problem),
        Err(_) => problems.push(format!(
            "the database did not answer within {DB_PING_TIMEOUT:?}"
        )),
    }
    let mut body = if problems.is_empty() {
        "ok\n".to_string()
    } else {
        format!("{}\n", problems.join("; "))
    };
    for shard in &shards {
        let _ = write!(
            body,
            "shard {}: {}",
            shard.id,
            if shard.connected {
                "connected"
            } else {
                "disconnected"
            }
        );
        if let Some(latency) = shard.latency {
            let _ = write!(body, ", heartbeat {} ms", latency.as_millis());
        }
        body.push('\n');
    }
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, body)
}

async fn metrics() -> impl IntoResponse {
    match crate::telemetry::prometheus() {
        Some(handle) => (
            StatusCode::OK,
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            handle.render(),
        ),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
            "# another metrics recorder is installed\n".to_string(),
        ),
    }
}
