//! studybot: a Discord study bot for backend development.
//!
//! # Layout
//!
//! - [`domain`]: the bot's own concepts in plain Rust (topics, questions, card layout, how
//!   member-typed names compare). No Discord, database or search types; start reading here.
//! - [`content`]: loads and checks `content/` (TOML front matter, Markdown sections, question
//!   files) into a [`domain::ContentPack`], with `path:line` diagnostics.
//! - [`search`]: the only module that knows tantivy; resolves what a member typed to cards
//!   (exact name, typo, then BM25) and answers autocomplete.
//! - [`store`]: the only module that knows sqlx; the SQLite schema (`migrations/`), the
//!   exactly-once posting protocol, one-transaction answers, leaderboards, backups.
//! - [`quiz`]: drawing and reserving the day's question, recording an answer (domain + store).
//! - [`app`]: every command and button answered once, as a platform-neutral reply.
//! - [`scheduler`]: posts due questions, announces topic weeks, reveals answers, through a
//!   `Poster` the front end provides.
//! - [`discord`]: the only module that knows serenity and poise; slash commands, buttons,
//!   registration, the background loops and graceful shutdown.
//! - [`console`]: the same bot in a terminal (`studybot console`).
//! - [`config`]: layered configuration (built-in defaults, `--config FILE`, environment) and
//!   the secret token type.
//! - [`telemetry`]: logging setup.
//! - [`cli`]: the `studybot` command line.

pub mod app;
pub mod cli;
pub mod config;
pub mod console;
pub mod content;
pub mod discord;
pub mod domain;
pub mod http;
pub mod quiz;
pub mod scheduler;
pub mod search;
pub mod store;
pub mod telemetry;
