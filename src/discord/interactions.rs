//! Interactions: who is calling, handing slash commands and button presses to the app, and
//! sending its reply. Every interaction is counted in the metrics and logged with command,
//! server, latency and outcome.

use std::future::Future;
use std::time::{Duration, Instant};

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
    let work = async {
        let result = match command {
            Ok(command) => state.app.handle(&caller, command).await,
            Err(refusal) => Err(refusal),
        };
        reply_for(result, &name, &caller)
    };
    let answered = match ctx {
        poise::Context::Application(command) => {
            answer_in_time(
                &ctx.serenity_context().http,
                Answering::Command(command.interaction),
                state.defer_after,
                work,
            )
            .await
        }
        // Only slash commands are registered; a prefix context cannot be deferred.
        poise::Context::Prefix(_) => {
            let (reply, outcome) = work.await;
            let sent = ctx.send(render::poise_reply(&reply)).await.map(|_| ());
            Answered {
                outcome,
                sent,
                deferred: false,
            }
        }
    };
    record_interaction(&name, None, &caller, started, &answered);
    answered.sent?;
    Ok(())
}

/// The interaction being answered.
#[derive(Clone, Copy)]
enum Answering<'a> {
    Command(&'a serenity::CommandInteraction),
    Press(&'a serenity::ComponentInteraction),
    /// A submitted modal (Discord allows no modal in answer to one).
    Submit(&'a serenity::ModalInteraction),
}

impl Answering<'_> {
    async fn respond(
        self,
        http: &serenity::Http,
        response: serenity::CreateInteractionResponse,
    ) -> serenity::Result<()> {
        match self {
            Answering::Command(command) => command.create_response(http, response).await,
            Answering::Press(press) => press.create_response(http, response).await,
            Answering::Submit(submit) => submit.create_response(http, response).await,
        }
    }

    async fn edit_original(
        self,
        http: &serenity::Http,
        edit: serenity::EditInteractionResponse,
    ) -> serenity::Result<()> {
        match self {
            Answering::Command(command) => command.edit_response(http, edit).await.map(|_| ()),
            Answering::Press(press) => press.edit_response(http, edit).await.map(|_| ()),
            Answering::Submit(submit) => submit.edit_response(http, edit).await.map(|_| ()),
        }
    }

    async fn follow_up(
        self,
        http: &serenity::Http,
        message: serenity::CreateInteractionResponseFollowup,
    ) -> serenity::Result<()> {
        match self {
            Answering::Command(command) => command.create_followup(http, message).await.map(|_| ()),
            Answering::Press(press) => press.create_followup(http, message).await.map(|_| ()),
            Answering::Submit(submit) => submit.create_followup(http, message).await.map(|_| ()),
        }
    }
}

/// How an interaction was answered.
struct Answered {
    outcome: Outcome,
    /// Whether Discord took the reply (and the deferral, if there was one).
    sent: serenity::Result<()>,
    deferred: bool,
}

/// Answers with `work`'s reply at once if it is ready within `defer_after`; otherwise
/// defers first (Discord shows "thinking...") and completes the deferral when the reply is
/// ready, so a slow database never costs a member an answer that counted.
///
/// The deferral is private, because whether a reply is private is only known once it is
/// ready and a deferral's privacy cannot change later: a private reply replaces the deferral;
/// a public one goes out as a follow-up, after the deferral says so.
async fn answer_in_time(
    http: &serenity::Http,
    target: Answering<'_>,
    defer_after: Duration,
    work: impl Future<Output = (Reply, Outcome)>,
) -> Answered {
    tokio::pin!(work);
    // Zero means always defer (tests use it to take this path with every kind of reply).
    let ready_in_time = if defer_after.is_zero() {
        None
    } else {
        tokio::select! {
            // A reply ready at the same moment as the deadline is sent as it is.
            biased;
            answered = &mut work => Some(answered),
            () = tokio::time::sleep(defer_after) => None,
        }
    };
    if let Some((reply, outcome)) = ready_in_time {
        let response = match (&reply.form, target) {
            (Some(form), Answering::Command(_) | Answering::Press(_)) => {
                serenity::CreateInteractionResponse::Modal(render::modal(form))
            }
            _ => serenity::CreateInteractionResponse::Message(render::interaction_message(&reply)),
        };
        let sent = target.respond(http, response).await;
        return Answered {
            outcome,
            sent,
            deferred: false,
        };
    }
    let deferral = serenity::CreateInteractionResponse::Defer(
        serenity::CreateInteractionResponseMessage::new().ephemeral(true),
    );
    // The app keeps working while the deferral travels.
    let (deferred, (reply, outcome)) = tokio::join!(target.respond(http, deferral), &mut work);
    if let Err(error) = deferred {
        return Answered {
            outcome,
            sent: Err(error),
            deferred: true,
        };
    }
    let sent = if reply.form.is_some() {
        // A form can only be the first answer, and the deferral already was.
        let again = serenity::EditInteractionResponse::new()
            .content("That took too long to open the form here: please try again.");
        target.edit_original(http, again).await
    } else if reply.ephemeral {
        target
            .edit_original(http, render::deferred_completion(&reply))
            .await
    } else {
        let note = serenity::EditInteractionResponse::new().content("Posted below for everyone.");
        match target.edit_original(http, note).await {
            Ok(()) => target.follow_up(http, render::followup(&reply)).await,
            Err(error) => Err(error),
        }
    };
    Answered {
        outcome,
        sent,
        deferred: true,
    }
}

fn record_interaction(
    command: &str,
    button: Option<&str>,
    caller: &Caller,
    started: Instant,
    answered: &Answered,
) {
    let outcome = if answered.sent.is_ok() {
        answered.outcome.as_str()
    } else {
        "send-failed"
    };
    crate::telemetry::record_interaction(command, outcome, started.elapsed());
    if answered.deferred {
        crate::telemetry::record_deferral(command);
    }
    tracing::info!(
        command,
        button = button.unwrap_or(""),
        server = caller.server_id,
        latency_ms = started.elapsed().as_millis() as u64,
        outcome,
        deferred = answered.deferred,
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
            let shard = framework.serenity_context.shard_id.0;
            state.gateway.set_connected(shard, true);
        }
        serenity::FullEvent::ShardStageUpdate { event } => {
            let connected = matches!(event.new, serenity::ConnectionStage::Connected);
            state.gateway.set_connected(event.shard_id.0, connected);
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Component(press),
        } => {
            handle_press(framework.serenity_context, state, press).await?;
        }
        serenity::FullEvent::InteractionCreate {
            interaction: serenity::Interaction::Modal(submit),
        } => {
            handle_submit(framework.serenity_context, state, submit).await?;
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
    let work = async {
        let result = state.app.press(&caller, custom_id).await;
        reply_for(result, "button", &caller)
    };
    let answered =
        answer_in_time(&ctx.http, Answering::Press(press), state.defer_after, work).await;
    let kind = custom_id.split(':').nth(1).unwrap_or("?");
    record_interaction("button", Some(kind), &caller, started, &answered);
    answered.sent?;
    Ok(())
}

/// A submitted form: the values typed into each input, by input id.
async fn handle_submit(
    ctx: &serenity::Context,
    state: &BotState,
    submit: &serenity::ModalInteraction,
) -> Result<(), Error> {
    let Some(_in_flight) = InFlight::start(state) else {
        return Ok(());
    };
    let started = Instant::now();
    let Some(caller) = caller_from(
        submit.guild_id,
        submit.channel_id,
        &submit.user,
        submit.member.as_ref(),
    ) else {
        return Ok(());
    };
    let fields: Vec<(String, String)> = submit
        .data
        .components
        .iter()
        .flat_map(|row| row.components.iter())
        .filter_map(|component| match component {
            serenity::ActionRowComponent::InputText(input) => Some((
                input.custom_id.clone(),
                input.value.clone().unwrap_or_default(),
            )),
            _ => None,
        })
        .collect();
    let custom_id = submit.data.custom_id.as_str();
    let work = async {
        let result = state.app.submit(&caller, custom_id, &fields).await;
        reply_for(result, "form", &caller)
    };
    let answered = answer_in_time(
        &ctx.http,
        Answering::Submit(submit),
        state.defer_after,
        work,
    )
    .await;
    let kind = custom_id.split(':').nth(2).unwrap_or("?");
    record_interaction("form", Some(kind), &caller, started, &answered);
    answered.sent?;
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
