//! Interactions: who is calling, handing slash commands and button presses to the app, and
//! sending its reply. Every interaction is counted in the metrics and logged with command,
//! server, latency and outcome.

use std::sync::atomic::Ordering;
use std::time::Instant;

use poise::serenity_prelude as serenity;

use super::lifecycle::{BotState, Context, Data, Error, InFlight};
use super::render;
use crate::app::{reply_for, AppResult, Caller, Command, Outcome, Reply};

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

/// Answers a slash command whose options were parsed into `command` (or refused while
/// parsing: the member reads why, through the same mapping as every other refusal).
pub(super) async fn respond_to_command(
    ctx: Context<'_>,
    command: AppResult<Command>,
) -> Result<(), Error> {
    let state = ctx.data();
    let Some(_in_flight) = InFlight::start(state) else {
        return Ok(());
    };
    let started = Instant::now();
    let name = ctx.command().qualified_name.clone();
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
    let result = match command {
        Ok(command) => state.app.handle(&caller, command).await,
        Err(refusal) => Err(refusal),
    };
    let (reply, outcome) = reply_for(result, &name, &caller);
    let sent = ctx.send(render::poise_reply(&reply)).await;
    record_interaction(&name, None, &caller, started, outcome, sent.is_ok());
    sent?;
    Ok(())
}

fn record_interaction(
    command: &str,
    button: Option<&str>,
    caller: &Caller,
    started: Instant,
    outcome: Outcome,
    sent: bool,
) {
    let outcome = if sent {
        outcome.as_str()
    } else {
        "send-failed"
    };
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

pub(super) async fn on_event(
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

pub(super) async fn on_error(error: poise::FrameworkError<'_, Data, Error>) {
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
