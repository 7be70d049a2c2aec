//! JSON payloads as Discord sends them: READY, INTERACTION_CREATE (commands, autocomplete,
//! buttons) and message objects. Each builder has a test that serenity deserializes it,
//! because serenity silently drops a dispatch with a missing field.

use serde_json::{json, Value};

pub const APPLICATION_ID: u64 = 1_100_000_000_000_000_001;
pub const BOT_USER_ID: u64 = 1_100_000_000_000_000_002;
pub const GUILD_ID: u64 = 1_200_000_000_000_000_001;
pub const CHANNEL_ID: u64 = 1_300_000_000_000_000_001;
const TIMESTAMP: &str = "2026-11-21T09:00:00.000000+00:00";

pub fn user(id: u64, name: &str, bot: bool) -> Value {
    json!({
        "id": id.to_string(),
        "username": name,
        "discriminator": "0",
        "global_name": name,
        "avatar": null,
        "bot": bot,
        "public_flags": 0
    })
}

/// Manage Server is bit 5 (0x20); members get Send Messages and View Channel only.
pub fn member(user_id: u64, name: &str, moderator: bool) -> Value {
    let permissions: u64 = if moderator {
        0x20 | 0x800 | 0x400
    } else {
        0x800 | 0x400
    };
    json!({
        "user": user(user_id, name, false),
        "roles": [],
        "deaf": false,
        "mute": false,
        "flags": 0,
        "joined_at": TIMESTAMP,
        "permissions": permissions.to_string(),
        "nick": null
    })
}

pub fn ready(session_id: &str, resume_url: &str) -> Value {
    json!({
        "v": 10,
        "user": user(BOT_USER_ID, "studybot", true),
        "guilds": [{"id": GUILD_ID.to_string(), "unavailable": true}],
        "session_id": session_id,
        "resume_gateway_url": resume_url,
        "application": {"id": APPLICATION_ID.to_string(), "flags": 0}
    })
}

fn interaction_base(id: u64, kind: u8, user_id: u64, name: &str, moderator: bool) -> Value {
    json!({
        "id": id.to_string(),
        "application_id": APPLICATION_ID.to_string(),
        "type": kind,
        "token": format!("token-{id}"),
        "version": 1,
        "guild_id": GUILD_ID.to_string(),
        "channel_id": CHANNEL_ID.to_string(),
        "locale": "en-US",
        "guild_locale": "en-US",
        "entitlements": [],
        "authorizing_integration_owners": {},
        "attachment_size_limit": 8_388_608,
        "app_permissions": "0",
        "member": member(user_id, name, moderator)
    })
}

/// A slash command. `options` is Discord's option array (for subcommands, one option of
/// type 1 holding the rest).
pub fn command(
    id: u64,
    name: &str,
    options: Value,
    user_id: u64,
    user_name: &str,
    moderator: bool,
) -> Value {
    let mut payload = interaction_base(id, 2, user_id, user_name, moderator);
    payload["data"] = json!({
        "id": "1400000000000000001",
        "name": name,
        "type": 1,
        "options": options,
        "resolved": {
            "channels": {
                CHANNEL_ID.to_string(): {"id": CHANNEL_ID.to_string(), "name": "study", "type": 0, "permissions": "0"}
            }
        }
    });
    payload
}

/// Autocomplete while typing `name`'s option `option`.
pub fn autocomplete(id: u64, name: &str, option: &str, typed: &str, user_id: u64) -> Value {
    let mut payload = interaction_base(id, 4, user_id, "member", false);
    payload["data"] = json!({
        "id": "1400000000000000001",
        "name": name,
        "type": 1,
        "options": [{"type": 3, "name": option, "value": typed, "focused": true}]
    });
    payload
}

/// A button press on `message`.
pub fn button(id: u64, custom_id: &str, message: Value, user_id: u64, user_name: &str) -> Value {
    let mut payload = interaction_base(id, 3, user_id, user_name, false);
    payload["data"] = json!({"custom_id": custom_id, "component_type": 2});
    payload["message"] = message;
    payload
}

/// A button pressed by a moderator (Manage Server).
pub fn moderator_button(id: u64, custom_id: &str, message: Value, user_id: u64) -> Value {
    let mut payload = button(id, custom_id, message, user_id, &format!("member{user_id}"));
    payload["member"] = member(user_id, &format!("member{user_id}"), true);
    payload
}

/// A submitted modal: its custom id and the (input id, value) pairs, one input per row, as
/// Discord sends them back.
pub fn modal_submit(
    id: u64,
    custom_id: &str,
    fields: &[(&str, &str)],
    user_id: u64,
    moderator: bool,
) -> Value {
    let mut payload = interaction_base(id, 5, user_id, &format!("member{user_id}"), moderator);
    let rows: Vec<Value> = fields
        .iter()
        .map(|(input, value)| {
            json!({"type": 1, "components": [{"type": 4, "custom_id": input, "value": value}]})
        })
        .collect();
    payload["data"] = json!({"custom_id": custom_id, "components": rows});
    payload
}

/// A message as Discord returns it from create or edit, echoing what the bot sent.
pub fn message(id: u64, channel_id: u64, sent: &Value) -> Value {
    json!({
        "id": id.to_string(),
        "channel_id": channel_id.to_string(),
        "guild_id": GUILD_ID.to_string(),
        "author": user(BOT_USER_ID, "studybot", true),
        "content": sent.get("content").cloned().unwrap_or(json!("")),
        "timestamp": TIMESTAMP,
        "edited_timestamp": null,
        "tts": false,
        "mention_everyone": false,
        "mentions": [],
        "mention_roles": [],
        "attachments": [],
        "embeds": sent.get("embeds").cloned().unwrap_or(json!([])),
        "components": sent.get("components").cloned().unwrap_or(json!([])),
        "pinned": false,
        "type": 0,
        "flags": 0,
        "nonce": sent.get("nonce").cloned().unwrap_or(Value::Null)
    })
}

/// `payload` (an interaction or a message) moved to server `server_id`, with the message it
/// carries, if any.
pub fn in_server(mut payload: Value, server_id: u64) -> Value {
    payload["guild_id"] = json!(server_id.to_string());
    if payload.get("message").is_some() {
        payload["message"]["guild_id"] = json!(server_id.to_string());
    }
    payload
}

#[cfg(test)]
mod tests {
    use poise::serenity_prelude as serenity;
    use serde_json::json;

    use super::*;

    #[test]
    fn ready_deserializes_into_serenitys_ready() {
        let ready: serenity::Ready =
            serde_json::from_value(ready("s1", "ws://127.0.0.1:1")).expect("READY");
        assert_eq!(ready.application.id.get(), APPLICATION_ID);
    }

    #[test]
    fn a_command_deserializes_into_serenitys_interaction() {
        let payload = command(
            1,
            "explain",
            json!([{"type": 3, "name": "topic", "value": "jwt"}]),
            7,
            "ann",
            false,
        );
        let interaction: serenity::Interaction =
            serde_json::from_value(payload).expect("command interaction");
        assert!(matches!(interaction, serenity::Interaction::Command(_)));
    }

    #[test]
    fn an_autocomplete_deserializes_into_serenitys_interaction() {
        let interaction: serenity::Interaction =
            serde_json::from_value(autocomplete(2, "explain", "topic", "kub", 7))
                .expect("autocomplete");
        assert!(matches!(
            interaction,
            serenity::Interaction::Autocomplete(_)
        ));
    }

    #[test]
    fn a_modal_submit_deserializes_into_serenitys_interaction() {
        let payload = modal_submit(7, "v1:form:suggest", &[("topic", "jwt")], 3, false);
        let interaction: serenity::Interaction =
            serde_json::from_value(payload).expect("deserializes");
        let serenity::Interaction::Modal(submit) = interaction else {
            panic!("not a modal submit");
        };
        assert_eq!(submit.data.custom_id, "v1:form:suggest");
    }

    #[test]
    fn a_button_press_deserializes_into_serenitys_interaction() {
        let message = message(5, CHANNEL_ID, &json!({"content": "hi"}));
        let interaction: serenity::Interaction =
            serde_json::from_value(button(3, "v1:exp:jwt", message, 7, "ann")).expect("button");
        assert!(matches!(interaction, serenity::Interaction::Component(_)));
    }

    #[test]
    fn a_message_deserializes_into_serenitys_message() {
        let message: serenity::Message =
            serde_json::from_value(message(9, CHANNEL_ID, &json!({"nonce": "abc"})))
                .expect("message");
        assert_eq!(message.id.get(), 9);
    }
}
