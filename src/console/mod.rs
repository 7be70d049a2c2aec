//! `studybot console`: the bot in a terminal, on the same [`App`] and store as on Discord.
//! One local server with one channel, `#study`; slash commands are typed as text, buttons
//! are pressed with `:press`, and `:advance` moves the console's own clock forward and runs
//! the scheduler, so tomorrow's question and streaks can be tried now.
//!
//! - `repl`: reading lines, the `:` commands, driving the app's background work.
//! - `parse`: a typed line into a [`crate::app::Command`], with the domain's parsers.
//! - `render`: a reply as terminal text; mentions as `@name` and `#study`.
//! - `poster`: the channel, printed.

mod parse;
mod poster;
mod render;
mod repl;

use crate::domain::text::name_key;

pub use render::render;
pub use repl::run;

/// The console's one server and channel.
pub const SERVER_ID: u64 = 1;
pub const CHANNEL_ID: u64 = 10;
const CHANNEL_NAME: &str = "study";

/// A stable id per console name, so `:as alice` is the same member every time.
pub fn user_id_for(name: &str) -> u64 {
    let key = name_key(name);
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in key.bytes() {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    // Keep clear of the server and channel ids.
    hash | (1 << 62)
}

/// A stable id per console role name (`/studybot role role:mods`).
fn role_id_for(name: &str) -> u64 {
    user_id_for(&format!("role {name}"))
}
