//! Every message's layout, in one place: domain objects and use-case results laid out as
//! [`Reply`]s. The use cases decide *what* to say; these functions decide how it looks.
//!
//! - `cards`: topic cards, search results, the topic browser.
//! - `quiz`: questions, the daily post and its reveal, the replies to an answer.
//! - `standing`: streaks and leaderboards.
//! - `moderation`: status, topic weeks, confirmations.
//! - `insight`: `/progress`, moderators' stats, the weekly recap, the champion.

mod cards;
mod community;
mod insight;
mod moderation;
mod quiz;
mod standing;

use chrono::NaiveDate;

use super::action::Action;
use super::reply::{Button, ButtonStyle};

pub(super) use cards::{card, did_you_mean, nothing_found, search_results, topic_list};
pub(super) use community::{
    bank_set, my_suggestions, reject_form, suggestion_approved, suggestion_for_review,
    suggestion_for_review_broken, suggestion_form, suggestion_queued, suggestion_refused,
};
pub(super) use insight::{champion, progress, recap, server_stats, with_ping};
pub(super) use moderation::{
    forget_confirmation, setup_saved, status, week_announcement, week_list, week_scheduled,
};
pub(super) use quiz::{
    already_answered, closed_answer, daily_answer, daily_post, open_daily_question,
    practice_question, reveal, review_question, teaching_answer,
};
pub(super) use standing::{leaderboard, streak};

/// Side-bar colours: one per kind of message, so members learn to tell them apart.
const CARD_COLOUR: u32 = 0x3B82F6;
const QUESTION_COLOUR: u32 = 0xF59E0B;
const RIGHT_COLOUR: u32 = 0x22C55E;
const WRONG_COLOUR: u32 = 0xEF4444;
const WEEK_COLOUR: u32 = 0x8B5CF6;

/// A button that opens a card.
fn explain_button(title: &str, slug: &str) -> Button {
    Button::new(
        title,
        Action::Explain {
            slug: slug.to_string(),
        }
        .custom_id(),
        ButtonStyle::Secondary,
    )
}

/// Discord nonces are at most 25 characters. Derived from server and day, so a resend after
/// a crash carries the same nonce even if the reservation row were somehow rebuilt.
pub fn nonce_for(server_id: u64, day: NaiveDate) -> String {
    nonce_with("sb", server_id, day)
}

/// The nonce of the recap of the week starting `week`.
pub fn recap_nonce(server_id: u64, week: NaiveDate) -> String {
    nonce_with("rc", server_id, week)
}

/// The nonce of the champion announcement for the month starting `month`.
pub fn champion_nonce(server_id: u64, month: NaiveDate) -> String {
    nonce_with("ch", server_id, month)
}

/// Two letters, the server in base 36 (at most 13 characters) and the day: at most 23.
fn nonce_with(prefix: &str, server_id: u64, day: NaiveDate) -> String {
    format!("{prefix}{}{}", base36(server_id), day.format("%Y%m%d"))
}

fn base36(mut value: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(value % 36) as usize]);
        value /= 36;
        if value == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_fit_discords_25_characters_for_any_server() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert!(nonce_for(u64::MAX, day).len() <= 25);
        assert_ne!(nonce_for(1, day), nonce_for(2, day));
    }
}
