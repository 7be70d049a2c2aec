//! Starting the Discord client and stopping it gracefully: on shutdown no new interactions
//! are taken, those in flight finish (up to a limit), the background work stops, the shards
//! close, and the database is closed last.

use std::future::Future;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;
use poise::serenity_prelude as serenity;
use tokio::sync::{watch, Notify};

use super::poster::DiscordPoster;
use super::roles::DiscordRoles;
use super::{commands, interactions, registration};
use crate::app::{App, BackgroundTiming};
use crate::config::Config;
use crate::domain::{ShardPlan, ShardRange};
use crate::telemetry::GatewayStatus;

/// How long an interaction's reply may take before it is deferred. Discord shows "This
/// interaction failed" when the first response comes later than 3 s after the click;
/// deferring at 1.5 s leaves the other half for the deferral to reach Discord, even from a
/// busy process on a slow link.
pub const DEFER_AFTER: Duration = Duration::from_millis(1500);

/// Timing knobs of the Discord front end; tests shorten them, production uses the defaults.
#[derive(Debug, Clone, Copy)]
pub struct RunOptions {
    /// The scheduler and answer-count loops.
    pub background: BackgroundTiming,
    /// See [`DEFER_AFTER`]; zero defers every interaction.
    pub defer_after: Duration,
}

impl Default for RunOptions {
    fn default() -> RunOptions {
        RunOptions {
            background: BackgroundTiming::default(),
            defer_after: DEFER_AFTER,
        }
    }
}

pub(super) type Error = anyhow::Error;
pub(super) type Data = Arc<BotState>;
pub(super) type Context<'a> = poise::Context<'a, Data, Error>;

/// How long shutdown waits for interactions in flight before closing the gateway.
const DRAIN_TIMEOUT: Duration = Duration::from_secs(10);
/// How often the gateway heartbeat latency is copied into the metrics.
const LATENCY_PROBE: Duration = Duration::from_secs(15);

/// What every interaction can reach.
pub(super) struct BotState {
    pub(super) app: Arc<App>,
    shutting_down: AtomicBool,
    in_flight: AtomicUsize,
    drained: Notify,
    /// How long a reply may take before the interaction is deferred.
    pub(super) defer_after: Duration,
    /// Each shard's connection (READY or RESUMED seen, no disconnect since) and latency.
    pub(super) gateway: Arc<GatewayStatus>,
    /// Flips to true when shutdown starts; the background work watches it.
    stop_background: watch::Sender<bool>,
}

/// Counts an interaction as in flight until dropped.
pub(super) struct InFlight<'a>(&'a BotState);

impl<'a> InFlight<'a> {
    /// `None` once shutdown has started: the interaction is not taken.
    pub(super) fn start(state: &'a BotState) -> Option<InFlight<'a>> {
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
    gateway: Arc<GatewayStatus>,
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
    let shards = shards_to_run(config.discord.shards, &http).await?;
    gateway.expect_shards(shards.ids());
    let (stop_background, _) = watch::channel(false);
    let state = Arc::new(BotState {
        app: Arc::clone(&app),
        shutting_down: AtomicBool::new(false),
        in_flight: AtomicUsize::new(0),
        drained: Notify::new(),
        defer_after: options.defer_after,
        gateway,
        stop_background,
    });
    let guilds = config.discord.guild_commands.clone();
    let setup_state = Arc::clone(&state);
    let framework = poise::Framework::builder()
        .options(poise::FrameworkOptions {
            commands: commands::all(),
            on_error: |error| Box::pin(interactions::on_error(error)),
            event_handler: |framework, event| Box::pin(interactions::on_event(framework, event)),
            initialize_owners: false,
            ..Default::default()
        })
        .setup(move |ctx, ready, framework| {
            Box::pin(async move {
                // poise runs this once, on the first shard's READY; the others report READY
                // through `interactions::on_event`.
                tracing::info!(bot = %ready.user.name, shard = ctx.shard_id.0, servers = ready.guilds.len(), "connected to Discord");
                setup_state.gateway.set_connected(ctx.shard_id.0, true);
                // A failed registration must not stop the bot: the commands registered last
                // time still work, and the next start tries again.
                if let Err(error) = registration::register_if_changed(ctx, &setup_state.app, &framework.options().commands, &guilds).await {
                    tracing::error!(error = %format!("{error:#}"), "could not register the slash commands");
                }
                spawn_background(&setup_state, Arc::clone(&ctx.http), options.background);
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
        drain_state.stop_background.send_replace(true);
        if tokio::time::timeout(DRAIN_TIMEOUT, drain(&drain_state))
            .await
            .is_err()
        {
            tracing::warn!("interactions still running after {DRAIN_TIMEOUT:?}; closing anyway");
        }
        shard_manager.shutdown_all().await;
    });
    tracing::info!(%shards, "starting the gateway shards");
    // serenity's range is inclusive of its end, unlike Rust's `Range`.
    let result = client
        .start_shard_range(shards.first()..shards.last(), shards.total())
        .await
        .context("the Discord gateway connection failed");
    state.gateway.all_disconnected();
    app.close().await;
    tracing::info!("stopped");
    result
}

/// The shards this process runs: the configured range, or for "auto" every shard of
/// Discord's recommended count (`GET /gateway/bot`, as serenity's `start_autosharded` does).
async fn shards_to_run(plan: ShardPlan, http: &serenity::Http) -> anyhow::Result<ShardRange> {
    match plan {
        ShardPlan::Range(range) => Ok(range),
        ShardPlan::Auto => {
            let gateway = http
                .get_bot_gateway()
                .await
                .context("asking Discord for the recommended shard count (GET /gateway/bot)")?;
            tracing::info!(
                shards = gateway.shards,
                max_concurrency = gateway.session_start_limit.max_concurrency,
                sessions_remaining = gateway.session_start_limit.remaining,
                "Discord's recommended shard count"
            );
            ShardRange::all(gateway.shards).map_err(|why| {
                anyhow::anyhow!("Discord recommended {} shards: {why}", gateway.shards)
            })
        }
    }
}

/// Completes when no interaction is in flight.
async fn drain(state: &BotState) {
    while state.in_flight.load(Ordering::SeqCst) > 0 {
        let notified = state.drained.notified();
        if state.in_flight.load(Ordering::SeqCst) == 0 {
            break;
        }
        notified.await;
    }
}

/// The app's background work (scheduler, answer counts) until shutdown starts.
fn spawn_background(state: &Data, http: Arc<serenity::Http>, timing: BackgroundTiming) {
    let app = Arc::clone(&state.app);
    let mut stop = state.stop_background.subscribe();
    app.use_roles(Arc::new(DiscordRoles {
        http: Arc::clone(&http),
    }));
    tokio::spawn(async move {
        let poster = DiscordPoster { http };
        let stopped = async move {
            // An error means the sender is gone, which also means stop.
            let _ = stop.wait_for(|stop| *stop).await;
        };
        app.run_background(&poster, timing, stopped).await;
    });
}

fn spawn_latency_probe(state: Data, shard_manager: Arc<serenity::ShardManager>) {
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(LATENCY_PROBE).await;
            if state.shutting_down.load(Ordering::SeqCst) {
                break;
            }
            let runners = shard_manager.runners.lock().await;
            for (id, runner) in runners.iter() {
                if let Some(latency) = runner.latency {
                    state.gateway.set_latency(id.0, latency);
                }
            }
        }
    });
}
