//! Test support shared by the end-to-end tests: a local stand-in for Discord and a way to
//! start the real bot against it.

pub mod bot;
pub mod discord_stand_in;
pub mod openapi;
pub mod payloads;
