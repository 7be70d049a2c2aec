//! The content pack and search over it, as one test binary (`cargo test --test content`):
//!
//! - `check`: `content check` refuses each kind of broken file with `path:line: message`.
//! - `guard`: the pack as a whole (every required topic, 3+ questions a card, levels, limits).
//! - `cues`: no surface cue points at a question's key; a blind guesser stays near chance.
//! - `relevance`: what members type (titles, aliases, misspellings, roadmap nodes) finds its card.
//! - `question_files`: one validator for every question, the questions-file writer, imports.
//! - `never_panics`: any text at all gets an answer from search, never a panic.
//!
//! The pack is read from disk (`common`), so a built binary checks the files as they are now.

mod check;
mod common;
mod cues;
mod guard;
mod never_panics;
mod question_files;
mod relevance;
