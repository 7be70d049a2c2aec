//! The study bot's own concepts, in plain Rust.
//!
//! Nothing here knows Discord, SQLite or tantivy: this is where the rules live and where most
//! unit tests are. The outer modules translate between their library and these types.

pub mod card;
pub mod content;
pub mod text;

pub use card::{CardView, EmbedLimits, EmbedPart, LimitViolation};
pub use content::{Category, ContentPack, Level, Question, Topic};
