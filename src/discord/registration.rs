//! Slash-command registration, only when the definitions changed since the last one
//! (Discord allows 200 command creations a day): globally, or to test servers instantly.

use poise::serenity_prelude as serenity;

use super::lifecycle::{Data, Error};
use crate::app::App;

/// Registers `commands` where `guilds` says (everywhere when empty), skipping each scope
/// whose definitions are unchanged.
pub(super) async fn register_if_changed(
    ctx: &serenity::Context,
    app: &App,
    commands: &[poise::Command<Data, Error>],
    guilds: &[u64],
) -> anyhow::Result<()> {
    let definitions = definitions(commands)?;
    let fingerprint = serde_json::to_string(&definitions)?;
    let count = definitions.as_array().map_or(0, Vec::len);
    let scopes: Vec<Option<u64>> = if guilds.is_empty() {
        vec![None]
    } else {
        guilds.iter().copied().map(Some).collect()
    };
    for guild in scopes {
        let scope = match guild {
            None => "global".to_string(),
            Some(guild) => format!("guild:{guild}"),
        };
        if !app.commands_changed(&scope, &fingerprint).await? {
            tracing::info!(%scope, "slash commands unchanged; not registering");
            continue;
        }
        match guild {
            None => {
                ctx.http.create_global_commands(&definitions).await?;
            }
            Some(guild) => {
                ctx.http
                    .create_guild_commands(serenity::GuildId::new(guild), &definitions)
                    .await?;
            }
        }
        app.commands_registered(&scope, &fingerprint).await?;
        tracing::info!(%scope, count, "registered slash commands");
    }
    Ok(())
}

/// The registration payload, exactly as sent.
fn definitions(commands: &[poise::Command<Data, Error>]) -> anyhow::Result<serde_json::Value> {
    let mut definitions =
        serde_json::to_value(poise::builtins::create_application_commands(commands))?;
    permissions_as_integers(&mut definitions);
    Ok(definitions)
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
