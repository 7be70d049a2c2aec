//! The bot on Discord (the only module that knows serenity and poise).
//!
//! Slash commands and button presses become [`app::Command`]s and button ids for the shared
//! handlers; replies are rendered with serenity builders. The scheduler runs beside the
//! gateway with a [`DiscordPoster`], and public answer counts are refreshed by a separate
//! loop at most once per post every [`COUNT_REFRESH`].

mod commands;
mod poster;
mod render;

use std::collections::HashSet;
use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context as _;
use poise::serenity_prelude as serenity;
use tokio::sync::Notify;

use crate::app::{Action, App, AppError, Caller, Command, Reply};
use crate::config::Config;
use crate::scheduler;

pub use poster::DiscordPoster;

type Error = anyhow::Error;
type Data = Arc<BotState>;
type Context<'a> = poise::Context<'a, Data, Error>;

/// How often the scheduler looks for due posts when nothing wakes it earlier.
pub const SCHEDULER_PERIOD: Duration = Duration::from_secs(60);
/// Public answer counts are edited at most this often per post: frequent enough to feel
/// alive, rare enough to stay far below Discord's rate limits on a busy morning.
pub const COUNT_REFRESH: Duration = Duration::from_secs(5);
/// How long shutdown waits for interactions in flight before closing the gateway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);

/// Timing knobs; tests shorten them, production uses the defaults.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    pub scheduler_period: Duration,
    pub count_refresh: Duration,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            scheduler_period: SCHEDULER_PERIOD,
            count_refresh: COUNT_REFRESH,
        }
    }
}

/// What every interaction can reach.
pub struct BotState {
    pub app: Arc<App>,
    /// Posts whose public answer count is out of date.
    dirty_posts: Mutex<HashSet<i64>>,
    shutting_down: AtomicBool,
    in_flight: AtomicUsize,
    drained: Notify,
    /// True while the gateway is connected (READY or RESUMED seen, no disconnect since).
    pub gateway_connected: Arc<AtomicBool>,
}

/// Counts an interaction as in flight until dropped.
struct InFlight<'a>(&'a BotState);

impl<'a> InFlight<'a> {
    fn start(state: &'a BotState) -> Option<InFlight<'a>> {
        if state.shutting_down.load(Ordering::SeqCst) {
            return None;
        }
        state.in_flight.fetch_add(1, Ordering::SeqCst);
        Some(InFlight(state))
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::SeqCst) == 1 {
            self.0.drained.notify_waiters();
        }
    }
}

/// Runs the bot until `shutdown` completes, then stops taking interactions, lets those in
/// flight finish, closes the shards and the database pool.
pub async fn run(
    config: &Config,
    app: Arc<App>,
    options: RunOptions,
    gateway_connected: Arc<AtomicBool>,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let token = config
        .discord
        .token
        .as_ref()
        .context("no Discord token is set")?;
    let mut http = serenity::HttpBuilder::new(token.expose());
    if let Some(proxy) = &config.discord.proxy_url {
        // serenity only sends through the proxy with its own rate limiter off; the proxy
        // is then the one that rate-limits.
        http = http
            .proxy(proxy.as_str().trim_end_matches('/'))
            .ratelimiter_disabled(true);
    }
    let http = http.build();
    let state = Arc::new(BotState {
        app: Arc::clone(&app),
        dirty_posts: Mutex::new(HashSet::new()),
        shutting_down: AtomicBool::new(false),
        in_flight: AtomicUsize::new(0),
        drained: Notify::new(),
        gateway_connected,
    });
    let guilds = config.discord.guild_commands.clone();
    let setup_state = Arc::clone(&state);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(on_error(error)),
            event_handler: |framework, event| Box::pin(on_event(framework, event)),
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                tracing::info!(bot = %ready.user.name, servers = ready.guilds.len(), "connected to Discord");
                setup_state.gateway_connected.store(true, Ordering::SeqCst);
                // A failed registration must not stop the bot: the commands registered last
                // time still work, and the next start tries again.
                if let Err(error) = register_commands_if_changed(ctx, &setup_state.app, &framework.options().commands, &guilds).await {
                    tracing::error!(error = %format!("{error:#}"), "could not register the slash commands");
                }
                spawn_background_loops(Arc::clone(&setup_state), Arc::clone(&ctx.http), options);
                spawn_latency_probe(Arc::clone(&setup_state), Arc::clone(framework.shard_manager()));
                Ok(setup_state)
            })
        })
        .build();
    let intents = serenity::GatewayIntents::GUILDS;
    let mut client = serenity::ClientBuilder::new_with_http(http, intents)
        .framework(framework)
        .await
        .context("building the Discord client")?;
    let shard_manager = Arc::clone(&client.shard_manager);
    let drain_state = Arc::clone(&state);
    tokio::spawn(async move {
        shutdown.await;
        tracing::info!("shutting down: no new interactions; finishing those in flight");
        drain_state.shutting_down.store(true, Ordering::SeqCst);
        let drained = async {
            while drain_state.in_flight.load(Ordering::SeqCst) > 0 {
                let notified = drain_state.drained.notified();
                if drain_state.in_flight.load(Ordering::SeqCst) == 0 {
                    break;
                }
                notified.await;
            }
        };
        if tokio::time::timeout(DRAIN_TIMEOUT, drained).await.is_err() {
            tracing::warn!("interactions still running after {DRAIN_TIMEOUT:?}; closing anyway");
        }
        shard_manager.shutdown_all().await;
    });
    let result = client
        .start()
        .await
        .context("the Discord gateway connection failed");
    state.gateway_connected.store(false, Ordering::SeqCst);
    app.db.close().await;
    tracing::info!("stopped");
    result
}

fn spawn_background_loops(state: Data, http: Arc<serenity::Http>, options: RunOptions) {
    let poster = Arc::new(DiscordPoster { http });
    let scheduler_state = Arc::clone(&state);
    let scheduler_poster = Arc::clone(&poster);
    tokio::spawn(async move {
        loop {
            if scheduler_state.shutting_down.load(Ordering::SeqCst) {
                break;
            }
            let report = scheduler::tick(&scheduler_state.app, scheduler_poster.as_ref()).await;
            if report != scheduler::TickReport::default() {
                tracing::info!(?report, "scheduler tick");
            }
            tokio::select! {
                () = tokio::time::sleep(options.scheduler_period) => {}
                () = scheduler_state.app.scheduler_wake.notified() => {}
            }
        }
    });
    tokio::spawn(async move {
        let mut interval = tokio::time::interval(options.count_refresh);
        interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            interval.tick().await;
            if state.shutting_down.load(Ordering::SeqCst) {
                break;
            }
            let dirty: Vec<i64> = match state.dirty_posts.lock() {
                Ok(mut dirty) => dirty.drain().collect(),
                Err(_) => continue,
            };
            for post_id in dirty {
                if let Err(error) =
                    scheduler::refresh_answer_count(&state.app, poster.as_ref(), post_id).await
                {
                    tracing::warn!(post_id, error = %format!("{error:#}"), "could not refresh the answer count");
                }
            }
        }
    });
}

/// How often the gateway heartbeat latency is copied into the metrics.
const LATENCY_PROBE: Duration = Duration::from_secs(15);

fn spawn_latency_probe(state: Data, shard_manager: Arc<serenity::ShardManager>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(LATENCY_PROBE).await;
            if state.shutting_down.load(Ordering::SeqCst) {
                break;
            }
            let runners = shard_manager.runners.lock().await;
            if let Some(latency) = runners.values().filter_map(|runner| runner.latency).max() {
                crate::telemetry::record_gateway_latency(latency);
            }
        }
    });
}

/// Registers the commands only when their definitions differ from the last registration
/// (Discord allows 200 command creations a day): globally, or to `guilds` instantly.
async fn register_commands_if_changed(
    ctx: &serenity::Context,
    app: &App,
    commands: &[poise::Command<Data, Error>],
    guilds: &[u64],
) -> anyhow::Result<()> {
    let mut definitions =
        serde_json::to_value(poise::builtins::create_application_commands(commands))?;
    permissions_as_integers(&mut definitions);
    let fingerprint = serde_json::to_string(&definitions)?;
    let count = definitions.as_array().map_or(0, Vec::len);
    let scopes: Vec<Option<u64>> = if guilds.is_empty() {
        vec![None]
    } else {
        guilds.iter().copied().map(Some).collect()
    };
    for scope in scopes {
        let key = match scope {
            None => "commands:global".to_string(),
            Some(guild) => format!("commands:guild:{guild}"),
        };
        if app.db.meta(&key).await?.as_deref() == Some(fingerprint.as_str()) {
            tracing::info!(scope = %key, "slash commands unchanged; not registering");
            continue;
        }
        match scope {
            None => {
                ctx.http.create_global_commands(&definitions).await?;
            }
            Some(guild) => {
                ctx.http
                    .create_guild_commands(serenity::GuildId::new(guild), &definitions)
                    .await?;
            }
        }
        app.db.set_meta(&key, &fingerprint).await?;
        tracing::info!(scope = %key, count, "registered slash commands");
    }
    Ok(())
}

/// serenity writes `default_member_permissions` as a string; Discord's OpenAPI description
/// types it as an integer, so the registration payload follows the description.
fn permissions_as_integers(definitions: &mut serde_json::Value) {
    for command in definitions.as_array_mut().into_iter().flatten() {
        if let Some(bits) = command
            .get("default_member_permissions")
            .and_then(serde_json::Value::as_str)
            .and_then(|text| text.parse::<u64>().ok())
        {
            command["default_member_permissions"] = serde_json::Value::from(bits);
        }
    }
}

fn caller_from(
    guild_id: Option<serenity::GuildId>,
    channel_id: serenity::ChannelId,
    user: &serenity::User,
    member: Option<&serenity::Member>,
) -> Option<Caller> {
    let guild_id = guild_id?;
    let display_name = member
        .and_then(|member| member.nick.clone())
        .or_else(|| user.global_name.clone())
        .unwrap_or_else(|| user.name.clone());
    Some(Caller {
        server_id: guild_id.get(),
        channel_id: channel_id.get(),
        user_id: user.id.get(),
        display_name,
        manage_server: member
            .and_then(|member| member.permissions)
            .is_some_and(|permissions| permissions.manage_guild()),
        role_ids: member
            .map(|member| member.roles.iter().map(|role| role.get()).collect())
            .unwrap_or_default(),
    })
}

/// The reply for a handler's result: user errors as they are, anything else logged and
/// answered with an apology.
fn reply_for(
    result: Result<Reply, AppError>,
    what: &str,
    caller: &Caller,
) -> (Reply, &'static str) {
    match result {
        Ok(reply) => (reply, "ok"),
        Err(AppError::User(message)) => (Reply::text(message).private(), "refused"),
        Err(AppError::Internal(error)) => {
            tracing::error!(what, server = caller.server_id, user = caller.user_id, error = %format!("{error:#}"), "interaction failed");
            (
                Reply::text("Sorry, something went wrong on our side. It was logged; please try again in a moment.").private(),
                "error",
            )
        }
    }
}

async fn respond_to_command(ctx: Context<'_>, command: Command) -> Result<(), Error> {
    let state = ctx.data();
    let Some(_in_flight) = InFlight::start(state) else {
        return Ok(());
    };
    let started = Instant::now();
    let name = command.name();
    let member = ctx.author_member().await;
    let Some(caller) = caller_from(
        ctx.guild_id(),
        ctx.channel_id(),
        ctx.author(),
        member.as_deref(),
    ) else {
        ctx.send(render::poise_reply(
            &Reply::text("studybot works in servers, not in direct messages.").private(),
        ))
        .await?;
        return Ok(());
    };
    let result = state.app.handle(&caller, command).await;
    let (reply, outcome) = reply_for(result, name, &caller);
    let sent = ctx.send(render::poise_reply(&reply)).await;
    record_interaction(name, None, &caller, started, outcome, sent.is_ok());
    sent?;
    Ok(())
}

/// Every interaction is counted in the metrics and logged with command, server, latency and
/// outcome.
fn record_interaction(
    command: &str,
    button: Option<&str>,
    caller: &Caller,
    started: Instant,
    outcome: &'static str,
    sent: bool,
) {
    let outcome = if sent { outcome } else { "send-failed" };
    crate::telemetry::record_interaction(command, outcome, started.elapsed());
    tracing::info!(
        command,
        button = button.unwrap_or(""),
        server = caller.server_id,
        latency_ms = started.elapsed().as_millis() as u64,
        outcome,
        "interaction"
    );
}

async fn on_event(
    framework: poise::FrameworkContext<'_, Data, Error>,
    event: &serenity::FullEvent,
) -> Result<(), Error> {
    let state = framework.user_data;
    match event {
        serenity::FullEvent::Ready { .. } | serenity::FullEvent::Resume { .. } => {
            state.gateway_connected.store(true, Ordering::SeqCst);
        }
        serenity::FullEvent::ShardStageUpdate { event } => {
            let connected = matches!(event.new, serenity::ConnectionStage::Connected);
            state.gateway_connected.store(connected, Ordering::SeqCst);
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(press),
        } => {
            handle_press(framework.serenity_context, state, press).await?;
        }
        _ => {}
    }
    Ok(())
}

async fn handle_press(
    ctx: &serenity::Context,
    state: &BotState,
    press: &serenity::ComponentInteraction,
) -> Result<(), Error> {
    let Some(_in_flight) = InFlight::start(state) else {
        return Ok(());
    };
    let started = Instant::now();
    let custom_id = press.data.custom_id.as_str();
    let Some(caller) = caller_from(
        press.guild_id,
        press.channel_id,
        &press.user,
        press.member.as_ref(),
    ) else {
        return Ok(());
    };
    let result = state.app.press(&caller, custom_id).await;
    if let Some(Action::Answer { post_id, .. }) = Action::parse(custom_id) {
        if result.is_ok() {
            if let Ok(mut dirty) = state.dirty_posts.lock() {
                dirty.insert(post_id);
            }
        }
    }
    let (reply, outcome) = reply_for(result, "button", &caller);
    let sent = press
        .create_response(
            &ctx.http,
            serenity::CreateInteractionResponse::Message(render::interaction_message(&reply)),
        )
        .await;
    let kind = custom_id.split(':').nth(1).unwrap_or("?");
    record_interaction(
        "button",
        Some(kind),
        &caller,
        started,
        outcome,
        sent.is_ok(),
    );
    sent?;
    Ok(())
}

async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
    match error {
        poise::FrameworkError::Setup { error, .. } => {
            tracing::error!(error = %format!("{error:#}"), "start-up on READY failed");
        }
        poise::FrameworkError::Command { error, ctx, .. } => {
            tracing::error!(command = %ctx.command().qualified_name, error = %format!("{error:#}"), "command failed");
        }
        other => {
            if let Err(error) = poise::builtins::on_error(other).await {
                tracing::error!(%error, "while handling an error");
            }
        }
    }
}
