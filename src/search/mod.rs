//! Finding the card a member means (the only module that knows tantivy).
//!
//! Resolution runs in three stages, each a fallback for the one before:
//! 1. **Exact name**: the query, with question wording such as "what is a" removed, equals a
//!    slug, title or alias once case, spaces and punctuation are ignored ("N+1", "ci cd").
//! 2. **Typo**: it is within a few edits of a name, the number allowed growing with length
//!    ("kubernets", "idempotancy").
//! 3. **Text**: BM25 over titles, aliases, tags, category and body, parsed leniently from the
//!    query's words only, so no input can be a syntax error. A word that is not in the
//!    vocabulary of titles, aliases and tags but within a typo of one of its words is searched
//!    as both ("kubernets pods" also searches "kubernetes").
//!
//! Every hit carries a confidence in `0.0..=1.0`; below [`CONFIDENT`], `/explain` offers
//! "Did you mean" instead of a card.

mod bm25;
mod lexicon;
mod names;
pub mod similar;

use crate::domain::text::{name_key, topic_words};
use crate::domain::{Category, ContentPack};

use bm25::TextIndex;
use lexicon::TypoAutomata;
use names::NameMatcher;

/// Below this confidence `/explain` shows "Did you mean" rather than a card. A text match
/// reaches it only when its score clearly beats the runner-up (see `text_confidence`).
pub const CONFIDENT: f32 = 0.6;
/// Discord shows at most 25 autocomplete choices.
pub const AUTOCOMPLETE_MAX: usize = 25;
/// Only the start of a very long query is looked at: nobody means a topic with the 3,000th
/// character of what they typed, and it keeps a pasted essay as cheap as a word.
const QUERY_CHARS_MAX: usize = 256;
/// How a hit was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MatchKind {
    Exact,
    Typo,
    Text,
}

/// One card that answers a query.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub slug: String,
    pub title: String,
    pub category: Category,
    /// 1.0 for an exact name, lower the less sure the match is.
    pub confidence: f32,
    pub matched: MatchKind,
}

impl Hit {
    pub fn is_confident(&self) -> bool {
        self.confidence >= CONFIDENT
    }
}

/// One autocomplete choice: the title shown, the slug sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub slug: String,
    pub title: String,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot build the search index: {0}")]
pub struct SearchError(#[from] tantivy::TantivyError);

struct Card {
    slug: String,
    title: String,
    category: Category,
}

/// The in-memory search over all cards, built once at start: names for exact, typo and
/// prefix matches, and a tantivy index for text.
pub struct SearchIndex {
    cards: Vec<Card>,
    names: NameMatcher,
    text: TextIndex,
    titles_alphabetical: Vec<usize>,
}

impl SearchIndex {
    pub fn build(pack: &ContentPack) -> Result<SearchIndex, SearchError> {
        let cards: Vec<Card> = pack
            .topics()
            .iter()
            .map(|topic| Card {
                slug: topic.slug.clone(),
                title: topic.title.clone(),
                category: topic.category,
            })
            .collect();
        let mut titles_alphabetical: Vec<usize> = (0..cards.len()).collect();
        titles_alphabetical.sort_by_key(|&card| cards[card].title.to_lowercase());
        Ok(SearchIndex {
            names: NameMatcher::build(pack),
            text: TextIndex::build(pack)?,
            cards,
            titles_alphabetical,
        })
    }

    /// The cards that best answer `query`, best first, at most `limit`.
    pub fn resolve(&self, query: &str, limit: usize) -> Vec<Hit> {
        if limit == 0 {
            return Vec::new();
        }
        let query = clip(query, QUERY_CHARS_MAX);
        let topic_key = name_key(&topic_words(query).concat());
        let mut hits: Vec<Hit> = Vec::new();
        let push = |hits: &mut Vec<Hit>, card: usize, confidence: f32, matched: MatchKind| {
            let slug = &self.cards[card].slug;
            if hits.iter().any(|hit| &hit.slug == slug) {
                return;
            }
            hits.push(Hit {
                slug: slug.clone(),
                title: self.cards[card].title.clone(),
                category: self.cards[card].category,
                confidence,
                matched,
            });
        };
        for key in [topic_key.clone(), name_key(query)] {
            if let Some(card) = self.names.exact(&key) {
                push(&mut hits, card, 1.0, MatchKind::Exact);
            }
        }
        // A one-word query is looked up within typos among the names, then among the words
        // corrections go to: one automaton serves both.
        let mut automata = TypoAutomata::default();
        let slug_of = |card: usize| self.cards[card].slug.as_str();
        for (card, distance) in self.names.typo_matches(&topic_key, &mut automata, slug_of) {
            // One edit is a slip of the finger; two already leave room for another topic.
            let confidence = if distance <= 1 { 0.9 } else { 0.75 };
            push(&mut hits, card, confidence, MatchKind::Typo);
        }
        if hits.len() < limit {
            for (card, confidence) in self.text.matches(query, limit, &mut automata) {
                push(&mut hits, card, confidence, MatchKind::Text);
            }
        }
        hits.truncate(limit);
        hits
    }

    /// Up to 25 titles for what has been typed so far, for Discord's autocomplete.
    pub fn autocomplete(&self, typed: &str) -> Vec<Suggestion> {
        let typed = clip(typed, QUERY_CHARS_MAX);
        let key = name_key(typed);
        let suggestion = |card: usize| Suggestion {
            slug: self.cards[card].slug.clone(),
            title: self.cards[card].title.clone(),
        };
        if key.is_empty() {
            return self
                .titles_alphabetical
                .iter()
                .take(AUTOCOMPLETE_MAX)
                .map(|&card| suggestion(card))
                .collect();
        }
        // Rank per card: the best way any of its names matches what was typed.
        let best = self.names.prefix_ranks(&key);
        let mut ranked: Vec<(u8, usize)> =
            best.into_iter().map(|(card, rank)| (rank, card)).collect();
        ranked.sort_by(|a, b| {
            let (title_a, title_b) = (&self.cards[a.1].title, &self.cards[b.1].title);
            (a.0, title_a.len(), title_a).cmp(&(b.0, title_b.len(), title_b))
        });
        let mut suggestions: Vec<Suggestion> = ranked
            .into_iter()
            .take(AUTOCOMPLETE_MAX)
            .map(|(_, card)| suggestion(card))
            .collect();
        // A few characters of a word in the body ("idempot", "foreign key") still help.
        if suggestions.len() < AUTOCOMPLETE_MAX && key.chars().count() >= 3 {
            let mut automata = TypoAutomata::default();
            for (card, _) in self.text.matches(typed, AUTOCOMPLETE_MAX, &mut automata) {
                if suggestions.len() == AUTOCOMPLETE_MAX {
                    break;
                }
                if !suggestions.iter().any(|s| s.slug == self.cards[card].slug) {
                    suggestions.push(suggestion(card));
                }
            }
        }
        suggestions
    }
}

/// The first `max_chars` characters of `text` (all of it when shorter), cut on a character
/// boundary: how every part of search bounds what it works on.
pub(super) fn clip(text: &str, max_chars: usize) -> &str {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_keeps_char_boundaries() {
        let long = "é".repeat(1000);
        assert_eq!(
            clip(&long, QUERY_CHARS_MAX).chars().count(),
            QUERY_CHARS_MAX
        );
        assert_eq!(clip("jwt", QUERY_CHARS_MAX), "jwt");
    }
}
