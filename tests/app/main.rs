//! Behaviour tests that drive the app directly, as every front end does: commands, buttons,
//! and the scheduler on a test clock. The real content, search index and a SQLite file;
//! a recording poster instead of a channel. One binary (`cargo test --test app`).

mod helpers;

mod community;
mod console;
mod daily;
mod insight;
mod lookup;
mod moderation;
mod seasons;
mod standing;
