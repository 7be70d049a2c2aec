//! A local stand-in for Discord on 127.0.0.1: the HTTP API (recording every call) and the
//! gateway (HELLO, IDENTIFY, READY, heartbeats, injected dispatches). The real serenity
//! client talks to it through `discord.proxy_url`.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use serde_json::{json, Value};
use tokio::net::TcpListener;
use tokio::sync::{mpsc, watch};
use tokio_tungstenite::tungstenite::Message as WsMessage;

use super::{openapi, payloads};

/// One REST call the bot made. A multipart body (a message with files) is recorded as its
/// `payload_json` part in `body` and its file parts in `files`.
#[derive(Debug, Clone)]
pub struct RestCall {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub files: Vec<RestFile>,
}

/// A file part of a multipart request.
#[derive(Debug, Clone)]
pub struct RestFile {
    /// The form field, `files[0]`, `files[1]`, ...
    pub field: String,
    pub filename: String,
    pub content_type: String,
    pub bytes: Vec<u8>,
}

#[derive(Default)]
struct Shared {
    calls: Mutex<Vec<RestCall>>,
    /// Sender to the current gateway session, if one is identified.
    session: Mutex<Option<mpsc::UnboundedSender<Value>>>,
    sessions_identified: AtomicU64,
    next_id: AtomicU64,
    /// (channel, nonce) → message already created, for enforce_nonce.
    nonces: Mutex<HashMap<(String, String), Value>>,
    messages: Mutex<HashMap<u64, Value>>,
    ws_url: Mutex<String>,
    /// Request bodies that broke Discord's OpenAPI schema: (method path, problems).
    violations: Mutex<Vec<(String, Vec<String>)>>,
    /// Gateway sessions by shard, interaction timings, uploads (see "Shards" below).
    shards: ShardedGateway,
    timeline: Mutex<Timeline>,
}

pub struct StandIn {
    pub http_url: String,
    shared: Arc<Shared>,
    identified: watch::Receiver<u64>,
}

impl StandIn {
    pub async fn start() -> StandIn {
        let shared = Arc::new(Shared {
            next_id: AtomicU64::new(1_500_000_000_000_000_000),
            shards: ShardedGateway {
                recommended: AtomicU64::new(1),
                ..ShardedGateway::default()
            },
            ..Shared::default()
        });
        let http_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind http");
        let ws_listener = TcpListener::bind("127.0.0.1:0").await.expect("bind ws");
        let http_url = format!("http://{}", http_listener.local_addr().expect("addr"));
        *shared.ws_url.lock().unwrap() =
            format!("ws://{}", ws_listener.local_addr().expect("addr"));
        let app = Router::new().fallback(rest).with_state(Arc::clone(&shared));
        tokio::spawn(async move {
            let _ = axum::serve(http_listener, app).await;
        });
        let (identified_tx, identified) = watch::channel(0u64);
        let identified_tx = Arc::new(identified_tx);
        let gateway_shared = Arc::clone(&shared);
        tokio::spawn(async move {
            while let Ok((stream, _)) = ws_listener.accept().await {
                let shared = Arc::clone(&gateway_shared);
                let identified_tx = Arc::clone(&identified_tx);
                tokio::spawn(async move {
                    let _ = gateway_session(stream, shared, identified_tx).await;
                });
            }
        });
        StandIn {
            http_url,
            shared,
            identified,
        }
    }

    /// Waits until `count` gateway sessions have identified (and got READY) in all.
    pub async fn wait_identified(&self, count: u64) {
        let mut identified = self.identified.clone();
        tokio::time::timeout(
            Duration::from_secs(30),
            identified.wait_for(|seen| *seen >= count),
        )
        .await
        .expect("the bot identified on the gateway in time")
        .expect("gateway alive");
    }

    /// Sends a dispatch (`t`, `d`) to the connected bot.
    pub fn dispatch(&self, event: &str, data: Value) {
        record_dispatch(&self.shared, &data);
        let session = self.shared.session.lock().unwrap();
        let sender = session.as_ref().expect("a gateway session");
        sender
            .send(json!({"op": 0, "t": event, "d": data}))
            .expect("session open");
    }

    /// Requests whose body broke Discord's OpenAPI schema (each was answered with a 400,
    /// as Discord would).
    pub fn violations(&self) -> Vec<(String, Vec<String>)> {
        self.shared.violations.lock().unwrap().clone()
    }

    pub fn assert_valid(&self) {
        let violations = self.violations();
        assert!(
            violations.is_empty(),
            "requests that break Discord's OpenAPI schema: {violations:#?}"
        );
    }

    pub fn calls(&self) -> Vec<RestCall> {
        self.shared.calls.lock().unwrap().clone()
    }

    pub fn next_id(&self) -> u64 {
        self.shared.next_id.fetch_add(1, Ordering::SeqCst)
    }

    /// Waits until `count` calls satisfy `matches`, and returns them.
    pub async fn wait_for_calls(
        &self,
        count: usize,
        matches: impl Fn(&RestCall) -> bool,
    ) -> Vec<RestCall> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let found: Vec<RestCall> = self
                .calls()
                .into_iter()
                .filter(|call| matches(call))
                .collect();
            if found.len() >= count {
                return found;
            }
            if tokio::time::Instant::now() > deadline {
                panic!(
                    "expected {count} matching calls, saw {}; all calls:\n{:#?}",
                    found.len(),
                    self.calls()
                        .iter()
                        .map(|c| format!("{} {}", c.method, c.path))
                        .collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// How many distinct messages exist (a resend deduplicated by nonce makes none).
    pub fn message_count(&self) -> usize {
        self.shared.messages.lock().unwrap().len()
    }

    /// The message the bot created with this nonce, as Discord would show it now.
    pub fn message_with_nonce(&self, nonce: &str) -> Option<Value> {
        self.shared
            .messages
            .lock()
            .unwrap()
            .values()
            .find(|message| message["nonce"].as_str() == Some(nonce))
            .cloned()
    }
}

async fn gateway_session(
    stream: tokio::net::TcpStream,
    shared: Arc<Shared>,
    identified_tx: Arc<watch::Sender<u64>>,
) -> anyhow::Result<()> {
    let websocket = tokio_tungstenite::accept_async(stream).await?;
    let (mut write, mut read) = websocket.split();
    let (outgoing_tx, mut outgoing) = mpsc::unbounded_channel::<Value>();
    write
        .send(WsMessage::Text(
            json!({"op": 10, "d": {"heartbeat_interval": 41_250}}).to_string(),
        ))
        .await?;
    let mut seq: u64 = 0;
    loop {
        tokio::select! {
            frame = read.next() => {
                let Some(Ok(frame)) = frame else { break };
                let text = match frame {
                    WsMessage::Text(text) => text,
                    WsMessage::Binary(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
                    WsMessage::Close(_) => break,
                    _ => continue,
                };
                let Ok(payload) = serde_json::from_str::<Value>(&text) else { continue };
                match payload["op"].as_u64() {
                    Some(1) => {
                        write.send(WsMessage::Text(json!({"op": 11}).to_string())).await?;
                    }
                    Some(2) | Some(6) => {
                        seq += 1;
                        let session_id = format!("session-{}", shared.sessions_identified.load(Ordering::SeqCst) + 1);
                        let ws_url = shared.ws_url.lock().unwrap().clone();
                        let ready = json!({"op": 0, "t": "READY", "s": seq, "d": payloads::ready(&session_id, &ws_url)});
                        write.send(WsMessage::Text(ready.to_string())).await?;
                        *shared.session.lock().unwrap() = Some(outgoing_tx.clone());
                        shared.shards.identified(&payload, &outgoing_tx);
                        let count = shared.sessions_identified.fetch_add(1, Ordering::SeqCst) + 1;
                        identified_tx.send_replace(count);
                    }
                    _ => {}
                }
            }
            Some(mut dispatch) = outgoing.recv() => {
                seq += 1;
                dispatch["s"] = json!(seq);
                write.send(WsMessage::Text(dispatch.to_string())).await?;
            }
        }
    }
    Ok(())
}

async fn rest(
    State(shared): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (origin, path) = split_origin(uri.path());
    let content_type = headers
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    let (body, files) = match content_type
        .strip_prefix("multipart/form-data")
        .and_then(|rest| rest.split("boundary=").nth(1))
    {
        Some(boundary) => {
            match multipart(&body, boundary.trim_matches('"')) {
                Ok(parsed) => parsed,
                Err(problem) => {
                    let problems = vec![format!("malformed multipart body: {problem}")];
                    shared
                        .violations
                        .lock()
                        .unwrap()
                        .push((format!("{method} {path}"), problems.clone()));
                    return (StatusCode::BAD_REQUEST, axum::Json(json!({"message": "Invalid Form Body", "code": 50035, "errors": problems}))).into_response();
                }
            }
        }
        None => (
            serde_json::from_slice(&body).unwrap_or(Value::Null),
            Vec::new(),
        ),
    };
    let file_names = files.iter().map(|file| file.filename.clone()).collect();
    record_timing(&shared, method.as_str(), &path, &body, file_names);
    hold_if_slowed(&shared, method.as_str(), &path).await;
    let call = RestCall {
        method: method.to_string(),
        path: path.clone(),
        body: body.clone(),
        files,
    };
    if let Some(origin) = origin {
        shared
            .timeline
            .lock()
            .unwrap()
            .routed
            .push((origin, call.clone()));
    }
    shared.calls.lock().unwrap().push(call);
    let parts: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let schema_route = match (method.as_str(), parts.as_slice()) {
        ("POST", ["interactions", _, _, "callback"]) => Some((
            "/interactions/{interaction_id}/{interaction_token}/callback",
            "post",
        )),
        ("POST", ["channels", _, "messages"]) => Some(("/channels/{channel_id}/messages", "post")),
        ("PATCH", ["channels", _, "messages", _]) => {
            Some(("/channels/{channel_id}/messages/{message_id}", "patch"))
        }
        ("PUT", ["applications", _, "commands"]) => {
            Some(("/applications/{application_id}/commands", "put"))
        }
        ("PUT", ["applications", _, "guilds", _, "commands"]) => Some((
            "/applications/{application_id}/guilds/{guild_id}/commands",
            "put",
        )),
        ("PATCH", ["webhooks", _, _, "messages", "@original"]) => Some((
            "/webhooks/{webhook_id}/{webhook_token}/messages/@original",
            "patch",
        )),
        ("POST", ["webhooks", _, _]) => Some(("/webhooks/{webhook_id}/{webhook_token}", "post")),
        _ => None,
    };
    if let Some((route, verb)) = schema_route {
        let problems = openapi::violations(&body, openapi::request_schema(route, verb));
        if !problems.is_empty() {
            shared
                .violations
                .lock()
                .unwrap()
                .push((format!("{method} {path}"), problems.clone()));
            return (
                StatusCode::BAD_REQUEST,
                axum::Json(
                    json!({"message": "Invalid Form Body", "code": 50035, "errors": problems}),
                ),
            )
                .into_response();
        }
    }
    let ws_url = shared.ws_url.lock().unwrap().clone();
    match (method.as_str(), parts.as_slice()) {
        ("GET", ["gateway"]) => axum::Json(json!({"url": ws_url})).into_response(),
        ("GET", ["gateway", "bot"]) => axum::Json(json!({
            "url": ws_url,
            "shards": shared.shards.recommended.load(Ordering::SeqCst),
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        }))
        .into_response(),
        ("POST", ["interactions", _, _, "callback"]) => StatusCode::NO_CONTENT.into_response(),
        ("PUT", ["applications", _, "commands"]) | ("PUT", ["applications", _, "guilds", _, "commands"]) => {
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut command| {
                    command["id"] = json!(shared.next_id.fetch_add(1, Ordering::SeqCst).to_string());
                    command["application_id"] = json!(payloads::APPLICATION_ID.to_string());
                    command["version"] = json!("1");
                    if command.get("type").is_none() {
                        command["type"] = json!(1);
                    }
                    command
                })
                .collect();
            axum::Json(Value::Array(commands)).into_response()
        }
        ("POST", ["channels", channel, "messages"]) => {
            let channel_id: u64 = channel.parse().unwrap_or(0);
            let nonce = body.get("nonce").and_then(Value::as_str).map(str::to_string);
            let enforce = body.get("enforce_nonce").and_then(Value::as_bool).unwrap_or(false);
            if let (Some(nonce), true) = (&nonce, enforce) {
                if let Some(existing) = shared.nonces.lock().unwrap().get(&(channel.to_string(), nonce.clone())) {
                    return axum::Json(existing.clone()).into_response();
                }
            }
            let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
            let message = payloads::message(id, channel_id, &body);
            shared.messages.lock().unwrap().insert(id, message.clone());
            if let (Some(nonce), true) = (nonce, enforce) {
                shared.nonces.lock().unwrap().insert((channel.to_string(), nonce), message.clone());
            }
            axum::Json(message).into_response()
        }
        ("PATCH", ["channels", channel, "messages", message]) => {
            let id: u64 = message.parse().unwrap_or(0);
            let mut edited = payloads::message(id, channel.parse().unwrap_or(0), &body);
            let mut messages = shared.messages.lock().unwrap();
            // An edit changes the content, not which message it is: the nonce it was
            // created with stays, so tests can still find it.
            if let Some(nonce) = messages.get(&id).and_then(|old| old.get("nonce")).cloned() {
                edited["nonce"] = nonce;
            }
            messages.insert(id, edited.clone());
            drop(messages);
            axum::Json(edited).into_response()
        }
        ("PATCH", ["webhooks", _, _, "messages", _]) | ("POST", ["webhooks", _, _]) => {
            let id = shared.next_id.fetch_add(1, Ordering::SeqCst);
            axum::Json(payloads::message(id, payloads::CHANNEL_ID, &body)).into_response()
        }
        _ => (StatusCode::NOT_FOUND, axum::Json(json!({"message": "Unknown route in the stand-in", "code": 0}))).into_response(),
    }
}

/// Splits a `multipart/form-data` body as Discord reads it: the `payload_json` part is the
/// JSON body, every `files[n]` part a file. Anything else (a part without a name, a file
/// without a filename, no `payload_json`) is an error, as Discord would refuse it.
fn multipart(body: &[u8], boundary: &str) -> Result<(Value, Vec<RestFile>), String> {
    let delimiter = format!("--{boundary}");
    let mut payload = None;
    let mut files = Vec::new();
    let mut rest = body;
    let start = find(rest, delimiter.as_bytes()).ok_or("no opening boundary")?;
    rest = &rest[start + delimiter.len()..];
    loop {
        if rest.starts_with(b"--") {
            break; // the closing boundary
        }
        rest = rest
            .strip_prefix(b"\r\n")
            .ok_or("no line break after a boundary")?;
        let end = find(rest, format!("\r\n{delimiter}").as_bytes()).ok_or("a part never ends")?;
        let part = &rest[..end];
        rest = &rest[end + 2 + delimiter.len()..];
        let split = find(part, b"\r\n\r\n").ok_or("a part without headers")?;
        let head = String::from_utf8_lossy(&part[..split]).to_string();
        let content = part[split + 4..].to_vec();
        let header = |name: &str| {
            head.lines()
                .find(|line| line.to_ascii_lowercase().starts_with(&format!("{name}:")))
                .map(|line| line[name.len() + 1..].trim().to_string())
        };
        let disposition =
            header("content-disposition").ok_or("a part without Content-Disposition")?;
        let parameter = |key: &str| {
            disposition
                .split(';')
                .map(str::trim)
                .find_map(|item| item.strip_prefix(&format!("{key}=")))
                .map(|value| value.trim_matches('"').to_string())
        };
        let field = parameter("name").ok_or("a part without a name")?;
        if field == "payload_json" {
            payload = Some(
                serde_json::from_slice(&content)
                    .map_err(|error| format!("payload_json: {error}"))?,
            );
        } else if field.starts_with("files[") {
            files.push(RestFile {
                field,
                filename: parameter("filename").ok_or("a file without a filename")?,
                content_type: header("content-type").unwrap_or_default(),
                bytes: content,
            });
        } else {
            return Err(format!("unexpected form field {field:?}"));
        }
    }
    Ok((payload.ok_or("no payload_json part")?, files))
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack
        .windows(needle.len())
        .position(|window| window == needle)
}

// ---------------------------------------------------------------------------------------
// Shards, deferrals and timings: a gateway session per shard with each server's events
// routed to its shard, when each interaction was dispatched and answered, uploads, and
// routes made slow on purpose.

/// The gateway sessions by shard, as the bot identified them (`shard: [id, total]`).
#[derive(Default)]
struct ShardedGateway {
    /// What `GET /gateway/bot` recommends.
    recommended: AtomicU64,
    sessions: Mutex<HashMap<u64, mpsc::UnboundedSender<Value>>>,
    total: AtomicU64,
    /// Every IDENTIFY's `[id, total]`, in order.
    identified: Mutex<Vec<[u64; 2]>>,
}

impl ShardedGateway {
    fn identified(&self, identify: &Value, session: &mpsc::UnboundedSender<Value>) {
        let shard = &identify["d"]["shard"];
        let (id, total) = match (shard[0].as_u64(), shard[1].as_u64()) {
            (Some(id), Some(total)) => (id, total),
            // RESUME (op 6) carries no shard; the session keeps its shard.
            _ => return,
        };
        self.total.store(total, Ordering::SeqCst);
        self.sessions.lock().unwrap().insert(id, session.clone());
        self.identified.lock().unwrap().push([id, total]);
    }
}

/// When each interaction was dispatched and what the bot sent back for it, by interaction id.
#[derive(Default)]
struct Timeline {
    dispatched: HashMap<u64, Instant>,
    /// Interaction callbacks: (callback type, when it arrived).
    responses: HashMap<u64, Vec<(u64, Instant)>>,
    /// Edits of `@original` and follow-ups, by the interaction their token belongs to.
    completions: HashMap<u64, Vec<Instant>>,
    /// Channel message edits: (message id, when the edit arrived).
    message_edits: Vec<(u64, Instant)>,
    /// Files uploaded with a request: (method and path, file names).
    uploads: Vec<(String, Vec<String>)>,
    /// Requests held this long before the stand-in answers: (method, path fragment, delay).
    slowed: Vec<(String, String, Duration)>,
    /// Calls that came through `/via/{origin}/...`: (origin, call).
    routed: Vec<(String, RestCall)>,
}

/// A process whose proxy URL is `{stand-in}/via/{origin}` is told apart by `origin`.
fn split_origin(path: &str) -> (Option<String>, String) {
    if let Some(rest) = path.strip_prefix("/via/") {
        if let Some((origin, path)) = rest.split_once('/') {
            return (Some(origin.to_string()), format!("/{path}"));
        }
    }
    (None, path.to_string())
}

/// What happened to one interaction, measured from its dispatch.
#[derive(Debug, Clone)]
pub struct InteractionTiming {
    /// Interaction callbacks: (type, time after the dispatch). 4 is a message, 5 a deferral.
    pub responses: Vec<(u64, Duration)>,
    /// `@original` edits and follow-ups, after the dispatch.
    pub completions: Vec<Duration>,
}

impl InteractionTiming {
    /// Answered for good: a message, or a deferral followed by its completion.
    pub fn is_answered(&self) -> bool {
        match self.responses.first() {
            Some((5, _)) => !self.completions.is_empty(),
            Some(_) => true,
            None => false,
        }
    }
}

fn record_dispatch(shared: &Shared, data: &Value) {
    if let Some(id) = data["token"].as_str().and_then(interaction_of_token) {
        shared
            .timeline
            .lock()
            .unwrap()
            .dispatched
            .insert(id, Instant::now());
    }
}

/// Interaction tokens are `token-{id}` (see `payloads::interaction_base`).
fn interaction_of_token(token: &str) -> Option<u64> {
    token.strip_prefix("token-")?.parse().ok()
}

fn record_timing(shared: &Shared, method: &str, path: &str, body: &Value, files: Vec<String>) {
    let now = Instant::now();
    let parts: Vec<&str> = path.trim_start_matches("/api/v10/").split('/').collect();
    let mut timeline = shared.timeline.lock().unwrap();
    if !files.is_empty() {
        timeline.uploads.push((format!("{method} {path}"), files));
    }
    match (method, parts.as_slice()) {
        ("POST", ["interactions", id, _, "callback"]) => {
            if let Ok(id) = id.parse() {
                let kind = body["type"].as_u64().unwrap_or(0);
                timeline.responses.entry(id).or_default().push((kind, now));
            }
        }
        ("PATCH", ["webhooks", _, token, "messages", _]) | ("POST", ["webhooks", _, token]) => {
            if let Some(id) = interaction_of_token(token) {
                timeline.completions.entry(id).or_default().push(now);
            }
        }
        ("PATCH", ["channels", _, "messages", message]) => {
            if let Ok(message) = message.parse() {
                timeline.message_edits.push((message, now));
            }
        }
        _ => {}
    }
}

async fn hold_if_slowed(shared: &Shared, method: &str, path: &str) {
    let delay = shared
        .timeline
        .lock()
        .unwrap()
        .slowed
        .iter()
        .find(|(verb, fragment, _)| verb == method && path.contains(fragment.as_str()))
        .map(|(_, _, delay)| *delay);
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
}

impl StandIn {
    /// What `GET /gateway/bot` recommends from now on.
    pub fn recommend_shards(&self, count: u64) {
        self.shared
            .shards
            .recommended
            .store(count, Ordering::SeqCst);
    }

    /// Every IDENTIFY's `[shard id, total]`, in order.
    pub fn identified_shards(&self) -> Vec<[u64; 2]> {
        self.shared.shards.identified.lock().unwrap().clone()
    }

    /// Sends a dispatch about `server_id` on the shard Discord routes it to,
    /// `(server_id >> 22) % total`.
    pub fn dispatch_to_server(&self, server_id: u64, event: &str, data: Value) {
        let total = self.shared.shards.total.load(Ordering::SeqCst).max(1);
        let shard = (server_id >> 22) % total;
        record_dispatch(&self.shared, &data);
        let sessions = self.shared.shards.sessions.lock().unwrap();
        let sender = sessions
            .get(&shard)
            .unwrap_or_else(|| panic!("no gateway session for shard {shard} of {total}"));
        sender
            .send(json!({"op": 0, "t": event, "d": data}))
            .expect("session open");
    }

    /// Holds requests whose method is `method` and whose path contains `fragment` for
    /// `delay` before answering them.
    pub fn slow_down(&self, method: &str, fragment: &str, delay: Duration) {
        self.shared.timeline.lock().unwrap().slowed.push((
            method.to_string(),
            fragment.to_string(),
            delay,
        ));
    }

    /// What happened to interaction `id` so far; `None` if it was never dispatched.
    pub fn interaction_timing(&self, id: u64) -> Option<InteractionTiming> {
        let timeline = self.shared.timeline.lock().unwrap();
        let dispatched = *timeline.dispatched.get(&id)?;
        let after = |at: &Instant| at.saturating_duration_since(dispatched);
        Some(InteractionTiming {
            responses: timeline
                .responses
                .get(&id)
                .into_iter()
                .flatten()
                .map(|(kind, at)| (*kind, after(at)))
                .collect(),
            completions: timeline
                .completions
                .get(&id)
                .into_iter()
                .flatten()
                .map(after)
                .collect(),
        })
    }

    /// Waits until every interaction in `ids` is answered for good (or `limit` passes), and
    /// returns their timings.
    pub async fn wait_answered(&self, ids: &[u64], limit: Duration) -> Vec<InteractionTiming> {
        let deadline = tokio::time::Instant::now() + limit;
        loop {
            let timings: Vec<InteractionTiming> = ids
                .iter()
                .map(|id| {
                    self.interaction_timing(*id).unwrap_or(InteractionTiming {
                        responses: Vec::new(),
                        completions: Vec::new(),
                    })
                })
                .collect();
            if timings.iter().all(InteractionTiming::is_answered)
                || tokio::time::Instant::now() > deadline
            {
                return timings;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// When each edit of channel message `message_id` arrived, in order.
    pub fn message_edit_times(&self, message_id: u64) -> Vec<Instant> {
        self.shared
            .timeline
            .lock()
            .unwrap()
            .message_edits
            .iter()
            .filter(|(message, _)| *message == message_id)
            .map(|(_, at)| *at)
            .collect()
    }

    /// Calls made through `/via/{origin}` proxy URLs: (origin, call), in order.
    pub fn routed_calls(&self) -> Vec<(String, RestCall)> {
        self.shared.timeline.lock().unwrap().routed.clone()
    }

    /// Files uploaded so far: (method and path, file names).
    pub fn uploads(&self) -> Vec<(String, Vec<String>)> {
        self.shared.timeline.lock().unwrap().uploads.clone()
    }
}
