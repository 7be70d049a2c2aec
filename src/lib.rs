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
//! - [`config`]: layered configuration (built-in defaults, `--config FILE`, environment) and
//!   the secret token type.
//! - [`cli`]: the `studybot` command line.

pub mod app;
pub mod cli;
pub mod config;
pub mod console;
pub mod content;
pub mod domain;
pub mod quiz;
pub mod scheduler;
pub mod search;
pub mod store;
