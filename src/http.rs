//! The operator's HTTP endpoints on `http.listen`: `GET /healthz` and `GET /metrics`.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::routing::get;
use axum::Router;

use crate::app::App;

/// A health check that waits longer than this on the database reports it as down.
const DB_PING_TIMEOUT: Duration = Duration::from_secs(2);

#[derive(Clone)]
pub struct Health {
    pub app: Arc<App>,
    pub gateway_connected: Arc<AtomicBool>,
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

async fn healthz(State(health): State<Health>) -> impl IntoResponse {
    let mut problems = Vec::new();
    if !health.gateway_connected.load(Ordering::SeqCst) {
        problems.push("the Discord gateway is not connected".to_string());
    }
    match tokio::time::timeout(DB_PING_TIMEOUT, health.app.database_health()).await {
        Ok(Ok(())) => {}
        Ok(Err(problem)) => problems.push(problem),
        Err(_) => problems.push(format!(
            "the database did not answer within {DB_PING_TIMEOUT:?}"
        )),
    }
    if problems.is_empty() {
        (StatusCode::OK, "ok\n".to_string())
    } else {
        (
            StatusCode::SERVICE_UNAVAILABLE,
            format!("{}\n", problems.join("; ")),
        )
    }
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
