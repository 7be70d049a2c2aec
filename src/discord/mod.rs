//! The bot on Discord (the only module that knows serenity and poise). It adapts and does
//! nothing else: Discord's events become [`crate::app`] calls, replies become serenity
//! builders.
//!
//! - `lifecycle`: starting the client, the background work, graceful shutdown.
//! - `registration`: slash-command definitions, registered only when they changed.
//! - `commands`: the slash commands and their options, parsed into typed app commands.
//! - `interactions`: who is calling, handing commands and buttons to the app, replying.
//! - `render`: the platform-neutral reply as serenity builders, mentions as `<@id>`.
//! - `poster`: channel messages for the app's background work.
//! - `roles`: giving and taking roles (quiz ping, monthly champion).

mod commands;
mod interactions;
mod lifecycle;
mod poster;
mod registration;
mod render;
mod roles;

pub use lifecycle::{run, RunOptions, DEFER_AFTER};
pub use poster::DiscordPoster;
