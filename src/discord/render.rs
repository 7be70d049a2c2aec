//! The platform-neutral [`Reply`] as serenity builders.

use poise::serenity_prelude as serenity;

use crate::app::{ButtonStyle, Embed, FormView, Mention, Reply, Text};

/// A mention in Discord's own markup.
fn mention(mention: Mention) -> String {
    match mention {
        Mention::User(id) => format!("<@{id}>"),
        Mention::Channel(id) => format!("<#{id}>"),
        Mention::Role(id) => format!("<@&{id}>"),
    }
}

fn text(text: &Text) -> String {
    text.render(mention)
}

pub fn embed(embed: &Embed) -> serenity::CreateEmbed {
    let mut built = serenity::CreateEmbed::new();
    if !embed.title.is_empty() {
        built = built.title(&embed.title);
    }
    if !embed.description.is_empty() {
        built = built.description(text(&embed.description));
    }
    for field in &embed.fields {
        built = built.field(&field.name, text(&field.value), field.inline);
    }
    if let Some(footer) = &embed.footer {
        built = built.footer(serenity::CreateEmbedFooter::new(footer));
    }
    if let Some(colour) = embed.colour {
        built = built.colour(colour);
    }
    built
}

pub fn components(reply: &Reply) -> Vec<serenity::CreateActionRow> {
    reply
        .buttons
        .iter()
        .filter(|row| !row.is_empty())
        .map(|row| {
            serenity::CreateActionRow::Buttons(
                row.iter()
                    .map(|button| {
                        serenity::CreateButton::new(&button.custom_id)
                            .label(&button.label)
                            .style(match button.style {
                                ButtonStyle::Primary => serenity::ButtonStyle::Primary,
                                ButtonStyle::Secondary => serenity::ButtonStyle::Secondary,
                                ButtonStyle::Success => serenity::ButtonStyle::Success,
                                ButtonStyle::Danger => serenity::ButtonStyle::Danger,
                            })
                            .disabled(button.disabled)
                    })
                    .collect(),
            )
        })
        .collect()
}

/// A form as a Discord modal: one text input per row.
pub fn modal(form: &FormView) -> serenity::CreateModal {
    let rows = form
        .inputs
        .iter()
        .map(|input| {
            let style = if input.multiline {
                serenity::InputTextStyle::Paragraph
            } else {
                serenity::InputTextStyle::Short
            };
            let mut built = serenity::CreateInputText::new(style, &input.label, &input.id)
                .required(input.required)
                .max_length(u16::try_from(input.max_chars).unwrap_or(u16::MAX));
            // An empty prefill is left out: Discord shows the placeholder-free empty input.
            if !input.value.is_empty() {
                built = built.value(&input.value);
            }
            serenity::CreateActionRow::InputText(built)
        })
        .collect();
    serenity::CreateModal::new(&form.custom_id, &form.title).components(rows)
}

/// Mentions never ping, except the ones a reply asks for (the daily post's opt-in quiz
/// role): leaderboards and streaks name members without notifying them, and `@everyone`
/// never pings.
fn allowed_mentions(reply: &Reply) -> serenity::CreateAllowedMentions {
    let roles: Vec<serenity::RoleId> = reply
        .pings
        .iter()
        .filter_map(|mention| match mention {
            Mention::Role(id) => Some(serenity::RoleId::new(*id)),
            Mention::User(_) | Mention::Channel(_) => None,
        })
        .collect();
    let users: Vec<serenity::UserId> = reply
        .pings
        .iter()
        .filter_map(|mention| match mention {
            Mention::User(id) => Some(serenity::UserId::new(*id)),
            Mention::Role(_) | Mention::Channel(_) => None,
        })
        .collect();
    serenity::CreateAllowedMentions::new()
        .roles(roles)
        .users(users)
}

/// The reply's files, with their alt text.
fn attachments(reply: &Reply) -> Vec<serenity::CreateAttachment> {
    reply
        .attachments
        .iter()
        .map(|file| {
            serenity::CreateAttachment::bytes(file.bytes.clone(), file.filename.clone())
                .description(file.description.clone())
        })
        .collect()
}

pub fn poise_reply(reply: &Reply) -> poise::CreateReply {
    let mut built = poise::CreateReply::default()
        .ephemeral(reply.ephemeral)
        .components(components(reply))
        .allowed_mentions(allowed_mentions(reply));
    for file in attachments(reply) {
        built = built.attachment(file);
    }
    if let Some(body) = &reply.text {
        built = built.content(text(body));
    }
    for item in &reply.embeds {
        built = built.embed(embed(item));
    }
    built
}

pub fn interaction_message(reply: &Reply) -> serenity::CreateInteractionResponseMessage {
    let mut built = serenity::CreateInteractionResponseMessage::new()
        .ephemeral(reply.ephemeral)
        .components(components(reply))
        .allowed_mentions(allowed_mentions(reply))
        .add_files(attachments(reply));
    if let Some(body) = &reply.text {
        built = built.content(text(body));
    }
    built.embeds(reply.embeds.iter().map(embed).collect())
}

pub fn channel_message(reply: &Reply) -> serenity::CreateMessage {
    let mut built = serenity::CreateMessage::new()
        .components(components(reply))
        .allowed_mentions(allowed_mentions(reply))
        .add_files(attachments(reply));
    if let Some(body) = &reply.text {
        built = built.content(text(body));
    }
    built.embeds(reply.embeds.iter().map(embed).collect())
}

pub fn edited_message(reply: &Reply) -> serenity::EditMessage {
    let mut built = serenity::EditMessage::new()
        .components(components(reply))
        .allowed_mentions(allowed_mentions(reply));
    if let Some(body) = &reply.text {
        built = built.content(text(body));
    }
    built.embeds(reply.embeds.iter().map(embed).collect())
}

/// The reply as the edit that completes a deferred interaction (`PATCH .../@original`).
pub fn deferred_completion(reply: &Reply) -> serenity::EditInteractionResponse {
    let mut built = serenity::EditInteractionResponse::new()
        .components(components(reply))
        .allowed_mentions(allowed_mentions(reply))
        .embeds(reply.embeds.iter().map(embed).collect());
    for file in attachments(reply) {
        built = built.new_attachment(file);
    }
    if let Some(body) = &reply.text {
        built = built.content(text(body));
    }
    built
}

/// The reply as a follow-up message, for a public reply whose deferral was private.
pub fn followup(reply: &Reply) -> serenity::CreateInteractionResponseFollowup {
    let mut built = serenity::CreateInteractionResponseFollowup::new()
        .ephemeral(reply.ephemeral)
        .components(components(reply))
        .allowed_mentions(allowed_mentions(reply))
        .add_files(attachments(reply))
        .embeds(reply.embeds.iter().map(embed).collect());
    if let Some(body) = &reply.text {
        built = built.content(text(body));
    }
    built
}
