//! studybot: a Discord study bot for backend development.
//!
//! # Layout
//!
//! - [`domain`]: the bot's own concepts in plain Rust (topics, questions, card layout, the
//!   daily draw, schedules, streaks and points, topic weeks, parsed command options). No
//!   Discord, database or search types; start reading here.
//! - [`content`]: loads and checks `content/` (TOML front matter, Markdown sections, question
//!   files) into a [`domain::ContentPack`], with `path:line` diagnostics.
//! - [`search`]: the only module that knows tantivy; resolves what a member typed to cards
//!   (exact name, typo, then BM25) and answers autocomplete.
//! - [`picture`]: the only module that knows tiny-skia and ab_glyph; draws a member's
//!   [`domain::ProgressView`] as the `/progress` PNG with the font that ships in `assets/fonts/`.
//! - [`store`]: the only module that knows sqlx; the SQLite schema (`migrations/`), the
//!   exactly-once posting protocol, one-transaction answers, leaderboards, backups.
//! - [`app`]: the one application boundary. Every command and button is answered once, as a
//!   platform-neutral reply; the scheduler and answer-count refreshes run inside it.
//! - [`discord`]: the only module that knows serenity and poise; adapts Discord's events and
//!   payloads to the app (commands, buttons, registration, shutdown).
//! - [`console`]: the same app in a terminal (`studybot console`).
//! - [`config`]: layered configuration (built-in defaults, `--config FILE`, environment) and
//!   the secret token type.
//! - [`http`]: the operator's `/healthz` and `/metrics` endpoints (axum).
//! - [`telemetry`]: logging and metrics setup.
//! - [`cli`]: the `studybot` command line, and the composition root that builds the app.
//!
//! `docs/ARCHITECTURE.md` draws the layers and follows one click from Discord to SQLite and
//! back.

pub mod app;
pub mod cli;
pub mod config;
pub mod console;
pub mod content;
pub mod discord;
pub mod domain;
pub mod http;
pub mod picture;
pub mod search;
pub mod store;
pub mod telemetry;
