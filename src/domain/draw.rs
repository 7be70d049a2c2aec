//! Which question a server gets on a posting day.
//!
//! Deterministic from (server id, posting day) and the server's draw history: the candidates
//! are the eligible questions drawn the fewest times so far, so nothing repeats until every
//! eligible question has been drawn, and then a new cycle starts. A topic week narrows the
//! eligible set, and the same rule holds inside it.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDate};

use super::content::{ContentPack, Question};
use super::topic_week::TopicWeek;

/// The questions a post may draw from: the week's topics during a topic week (when it has
/// questions), else the whole bank. Sorted by id, as the pack keeps them.
pub fn eligible_questions<'a>(
    pack: &'a ContentPack,
    week: Option<&TopicWeek>,
) -> Vec<&'a Question> {
    eligible_among(pack.questions().iter().collect(), pack, week)
}

/// The same narrowing over a server's own bank (built-in questions, its community questions,
/// or both, without the ones it retired).
pub fn eligible_among<'a>(
    bank: Vec<&'a Question>,
    pack: &ContentPack,
    week: Option<&TopicWeek>,
) -> Vec<&'a Question> {
    if let Some(week) = week {
        let slugs = week.topic.slugs(pack);
        let narrowed: Vec<&Question> = bank
            .iter()
            .copied()
            .filter(|question| slugs.contains(&question.topic))
            .collect();
        if !narrowed.is_empty() {
            return narrowed;
        }
    }
    bank
}

/// Today's question: among the eligible questions drawn least often in this server, the one
/// the (server, day) hash points at. `None` only for an empty bank.
pub fn draw<'a>(
    server_id: u64,
    day: NaiveDate,
    eligible: &[&'a Question],
    times_drawn: &HashMap<String, u32>,
) -> Option<&'a Question> {
    let count = |question: &Question| times_drawn.get(&question.id).copied().unwrap_or(0);
    let fewest = eligible.iter().map(|question| count(question)).min()?;
    let candidates: Vec<&'a Question> = eligible
        .iter()
        .copied()
        .filter(|question| count(question) == fewest)
        .collect();
    let seed = mix(server_id ^ mix(day.num_days_from_ce() as u64));
    candidates
        .get((seed % candidates.len() as u64) as usize)
        .copied()
}

/// SplitMix64's finaliser: a fixed, well-spread hash, the same on every platform and Rust
/// version (std's hasher promises neither), so a restart draws the same question.
fn mix(mut value: u64) -> u64 {
    value = value.wrapping_add(0x9E37_79B9_7F4A_7C15);
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Level;

    fn bank(size: usize) -> Vec<Question> {
        (0..size)
            .map(|n| Question {
                id: format!("q-{n:04}"),
                topic: format!("t{}", n % 7),
                level: Level::Mid,
                prompt: "p".into(),
                choices: ["a".into(), "b".into(), "c".into(), "d".into()],
                answer: n % 4,
                explanation: "e".into(),
                discuss: "d".into(),
            })
            .collect()
    }

    #[test]
    fn four_hundred_days_draw_four_hundred_different_questions_then_a_new_cycle() {
        let questions = bank(400);
        let eligible: Vec<&Question> = questions.iter().collect();
        let mut drawn: HashMap<String, u32> = HashMap::new();
        let start = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        for offset in 0..401 {
            let day = start + chrono::Duration::days(offset);
            let question = draw(42, day, &eligible, &drawn).unwrap();
            let times = drawn.entry(question.id.clone()).or_insert(0);
            *times += 1;
            if offset < 400 {
                assert_eq!(*times, 1, "repeat on day {offset}");
            }
        }
        assert_eq!(drawn.len(), 400);
        assert_eq!(drawn.values().filter(|&&times| times == 2).count(), 1);
    }

    #[test]
    fn the_same_server_and_day_give_the_same_question() {
        let questions = bank(50);
        let eligible: Vec<&Question> = questions.iter().collect();
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        let history = HashMap::new();
        let first = draw(7, day, &eligible, &history).unwrap();
        let again = draw(7, day, &eligible, &history).unwrap();
        assert_eq!(first.id, again.id);
        let other_servers: std::collections::HashSet<&str> = (0..20)
            .map(|server| draw(server, day, &eligible, &history).unwrap().id.as_str())
            .collect();
        assert!(
            other_servers.len() > 5,
            "servers should not all get one question"
        );
    }

    #[test]
    fn an_empty_bank_draws_nothing() {
        assert!(draw(1, NaiveDate::MIN, &[], &HashMap::new()).is_none());
    }
}
