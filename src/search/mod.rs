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

use std::collections::HashMap;

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED,
};
use tantivy::{Index, IndexReader, ReloadPolicy, TantivyDocument};

use crate::domain::text::{allowed_typos, bounded_edit_distance, name_key, topic_words, words};
use crate::domain::{Category, ContentPack};

/// Below this confidence `/explain` shows "Did you mean" rather than a card. A text match
/// reaches it only when its score clearly beats the runner-up (see `text_confidence`).
pub const CONFIDENT: f32 = 0.6;
/// Discord shows at most 25 autocomplete choices.
pub const AUTOCOMPLETE_MAX: usize = 25;
/// Only the start of a very long query is looked at: nobody means a topic with the 3,000th
/// character of what they typed, and it keeps a pasted essay as cheap as a word.
const QUERY_CHARS_MAX: usize = 256;
/// At most this many words go into the text query, for the same reason.
const QUERY_WORDS_MAX: usize = 24;
/// Field boosts for the text stage: a word in the title says more about what a card is than
/// the same word in its body. Tuned on the relevance test in `tests/content/relevance.rs`.
const TITLE_BOOST: f32 = 4.0;
const ALIASES_BOOST: f32 = 3.0;
const TAGS_BOOST: f32 = 1.5;
const CATEGORY_BOOST: f32 = 1.0;
const BODY_BOOST: f32 = 1.0;
/// Words too common in questions to say anything about the topic.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "by", "can", "do", "does", "for", "how", "i", "in",
    "is", "it", "me", "my", "of", "on", "or", "should", "the", "to", "vs", "what", "whats", "when",
    "where", "which", "why", "with", "you",
];

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

/// A name a card answers to (its slug, title or an alias).
struct Name {
    key: String,
    word_keys: Vec<String>,
    card: usize,
    is_title: bool,
}

struct Fields {
    position: Field,
}

/// The in-memory index over all cards, built once at start.
pub struct SearchIndex {
    reader: IndexReader,
    parser: QueryParser,
    fields: Fields,
    /// Lowercase words of every title, alias and tag: what typo correction corrects to.
    vocabulary: Vec<String>,
    cards: Vec<Card>,
    exact: HashMap<String, usize>,
    names: Vec<Name>,
    titles_alphabetical: Vec<usize>,
}

impl SearchIndex {
    pub fn build(pack: &ContentPack) -> Result<SearchIndex, SearchError> {
        let stemmed = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_tokenizer("en_stem")
                .set_index_option(IndexRecordOption::WithFreqsAndPositions),
        );
        let mut schema = Schema::builder();
        let position = schema.add_u64_field("position", STORED);
        let title = schema.add_text_field("title", stemmed.clone());
        let aliases = schema.add_text_field("aliases", stemmed.clone());
        let tags = schema.add_text_field("tags", stemmed.clone());
        let category = schema.add_text_field("category", stemmed.clone());
        let body = schema.add_text_field("body", stemmed);
        // A few hundred small documents, built once: one segment written in this thread, with
        // no merge or indexing threads to start and stop (about twice as fast at start-up).
        let mut writer = Index::builder()
            .schema(schema.build())
            .single_segment_index_writer(tantivy::directory::RamDirectory::create(), 15_000_000)?;
        for (card_position, topic) in pack.topics().iter().enumerate() {
            let mut document = TantivyDocument::default();
            document.add_u64(position, card_position as u64);
            document.add_text(title, &topic.title);
            document.add_text(title, topic.slug.replace('-', " "));
            for alias in &topic.aliases {
                document.add_text(aliases, alias);
            }
            for tag in &topic.tags {
                document.add_text(tags, tag);
            }
            document.add_text(category, topic.category.slug().replace('-', " "));
            document.add_text(category, topic.category.label());
            for text in [
                &topic.summary,
                &topic.key_points,
                &topic.example,
                &topic.pitfalls,
                &topic.interview_angle,
            ] {
                document.add_text(body, text);
            }
            writer.add_document(document)?;
        }
        let index = writer.finalize()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, vec![title, aliases, tags, category, body]);
        for (field, boost) in [
            (title, TITLE_BOOST),
            (aliases, ALIASES_BOOST),
            (tags, TAGS_BOOST),
            (category, CATEGORY_BOOST),
            (body, BODY_BOOST),
        ] {
            parser.set_field_boost(field, boost);
        }
        let mut vocabulary: Vec<String> = pack
            .topics()
            .iter()
            .flat_map(|topic| {
                std::iter::once(topic.title.as_str())
                    .chain(topic.aliases.iter().map(String::as_str))
                    .chain(topic.tags.iter().map(String::as_str))
                    .flat_map(words)
                    .collect::<Vec<_>>()
            })
            .filter(|word| word.chars().all(char::is_alphanumeric))
            .collect();
        vocabulary.sort();
        vocabulary.dedup();

        let cards: Vec<Card> = pack
            .topics()
            .iter()
            .map(|topic| Card {
                slug: topic.slug.clone(),
                title: topic.title.clone(),
                category: topic.category,
            })
            .collect();
        let mut names = Vec::new();
        let mut exact = HashMap::new();
        for (card, topic) in pack.topics().iter().enumerate() {
            let own_names = std::iter::once((topic.title.as_str(), true))
                .chain(std::iter::once((topic.slug.as_str(), false)))
                .chain(topic.aliases.iter().map(|alias| (alias.as_str(), false)));
            for (name, is_title) in own_names {
                let key = name_key(name);
                if key.is_empty() {
                    continue;
                }
                // The content check refuses shared names; first one wins if it ever slips.
                exact.entry(key.clone()).or_insert(card);
                names.push(Name {
                    key,
                    word_keys: words(name).iter().map(|word| name_key(word)).collect(),
                    card,
                    is_title,
                });
            }
        }
        let mut titles_alphabetical: Vec<usize> = (0..cards.len()).collect();
        titles_alphabetical.sort_by_key(|&card| cards[card].title.to_lowercase());
        Ok(SearchIndex {
            reader,
            parser,
            fields: Fields { position },
            vocabulary,
            cards,
            exact,
            names,
            titles_alphabetical,
        })
    }

    /// The cards that best answer `query`, best first, at most `limit`.
    pub fn resolve(&self, query: &str, limit: usize) -> Vec<Hit> {
        if limit == 0 {
            return Vec::new();
        }
        let query = clip(query);
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
            if let Some(&card) = self.exact.get(&key) {
                push(&mut hits, card, 1.0, MatchKind::Exact);
            }
        }
        for (card, distance) in self.typo_matches(&topic_key) {
            // One edit is a slip of the finger; two already leave room for another topic.
            let confidence = if distance <= 1 { 0.9 } else { 0.75 };
            push(&mut hits, card, confidence, MatchKind::Typo);
        }
        if hits.len() < limit {
            for (card, confidence) in self.text_matches(query, limit) {
                push(&mut hits, card, confidence, MatchKind::Text);
            }
        }
        hits.truncate(limit);
        hits
    }

    /// Up to 25 titles for what has been typed so far, for Discord's autocomplete.
    pub fn autocomplete(&self, typed: &str) -> Vec<Suggestion> {
        let typed = clip(typed);
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
        let mut best: HashMap<usize, u8> = HashMap::new();
        for name in &self.names {
            let rank = if name.key.starts_with(&key) {
                if name.is_title {
                    0
                } else {
                    2
                }
            } else if name.word_keys.iter().any(|word| word.starts_with(&key)) {
                if name.is_title {
                    1
                } else {
                    3
                }
            } else if is_typo_of_prefix(&key, &name.key) {
                4
            } else {
                continue;
            };
            best.entry(name.card)
                .and_modify(|current| *current = (*current).min(rank))
                .or_insert(rank);
        }
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
            for (card, _) in self.text_matches(typed, AUTOCOMPLETE_MAX) {
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

    /// Cards whose names are within the allowed edits of the key, closest first.
    fn typo_matches(&self, key: &str) -> Vec<(usize, usize)> {
        let key_chars = key.chars().count();
        let mut best: HashMap<usize, usize> = HashMap::new();
        if allowed_typos(key_chars) == 0 {
            return Vec::new();
        }
        for name in &self.names {
            let limit = allowed_typos(key_chars.min(name.key.chars().count()));
            if let Some(distance) = bounded_edit_distance(key, &name.key, limit) {
                if distance > 0 {
                    best.entry(name.card)
                        .and_modify(|current| *current = (*current).min(distance))
                        .or_insert(distance);
                }
            }
        }
        let mut matches: Vec<(usize, usize)> = best.into_iter().collect();
        matches.sort_by(|a, b| (a.1, &self.cards[a.0].slug).cmp(&(b.1, &self.cards[b.0].slug)));
        matches
    }

    /// The vocabulary word a misspelt query word most likely means, if it is not a known
    /// word itself.
    fn corrected(&self, word: &str) -> Option<&str> {
        if self
            .vocabulary
            .binary_search_by(|known| known.as_str().cmp(word))
            .is_ok()
        {
            return None;
        }
        let allowed = allowed_typos(word.chars().count());
        if allowed == 0 {
            return None;
        }
        self.vocabulary
            .iter()
            .filter_map(|known| {
                bounded_edit_distance(word, known, allowed).map(|distance| (distance, known))
            })
            .min()
            .map(|(_, known)| known.as_str())
    }

    /// BM25 over all fields, misspelt words searched together with their correction.
    /// Returns cards with a confidence, best first.
    fn text_matches(&self, query: &str, limit: usize) -> Vec<(usize, f32)> {
        let meaningful: Vec<String> = words(query)
            .into_iter()
            .filter(|word| !STOP_WORDS.contains(&word.as_str()))
            .map(|word| {
                word.chars()
                    .filter(|c| c.is_alphanumeric())
                    .collect::<String>()
            })
            .filter(|word| !word.is_empty())
            .take(QUERY_WORDS_MAX)
            .collect();
        if meaningful.is_empty() {
            return Vec::new();
        }
        let mut terms = meaningful.clone();
        terms.extend(
            meaningful
                .iter()
                .filter_map(|word| self.corrected(word))
                .map(str::to_string),
        );
        // Only plain lowercase words reach the parser: no field names, operators or quotes,
        // so lenient parsing never has anything to forgive.
        let (query, _ignored_errors) = self.parser.parse_query_lenient(&terms.join(" "));
        let searcher = self.reader.searcher();
        let top = match searcher.search(&query, &TopDocs::with_limit(limit.max(2)).order_by_score())
        {
            Ok(top) => top,
            Err(error) => {
                tracing::warn!(%error, "text search failed; answering with no text matches");
                return Vec::new();
            }
        };
        let scores: Vec<f32> = top.iter().map(|(score, _)| *score).collect();
        top.iter()
            .enumerate()
            .filter_map(|(rank, (_, address))| {
                let document: TantivyDocument = searcher.doc(*address).ok()?;
                let card = document.get_first(self.fields.position)?.as_u64()? as usize;
                (card < self.cards.len()).then(|| (card, text_confidence(&scores, rank)))
            })
            .collect()
    }
}

/// How sure a text match is: high when the best score clearly beats the runner-up, lower
/// for the rest in proportion to their score. A lone match is fairly, not fully, sure.
fn text_confidence(scores: &[f32], rank: usize) -> f32 {
    let best = scores.first().copied().unwrap_or(0.0);
    if best <= 0.0 {
        return 0.0;
    }
    let runner_up = scores.get(1).copied().unwrap_or(0.0);
    let lead = 0.35 + 0.5 * (1.0 - runner_up / best);
    let own = scores.get(rank).copied().unwrap_or(0.0);
    (lead * own / best).clamp(0.0, 0.85)
}

/// Whether `typed` is a misspelt start of `name` ("kuber" of "kubernetes").
fn is_typo_of_prefix(typed: &str, name: &str) -> bool {
    let typed_chars = typed.chars().count();
    let allowed = allowed_typos(typed_chars);
    if allowed == 0 {
        return false;
    }
    if name.chars().count() + 1 < typed_chars {
        return false;
    }
    // A typo can make the typed text one longer or shorter than the name's start it means.
    (typed_chars.saturating_sub(1)..=typed_chars + 1).any(|length| {
        let start: String = name.chars().take(length).collect();
        start.chars().count() == length && bounded_edit_distance(typed, &start, allowed).is_some()
    })
}

fn clip(text: &str) -> &str {
    match text.char_indices().nth(QUERY_CHARS_MAX) {
        Some((end, _)) => &text[..end],
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_text_winner_is_confident_and_a_close_race_is_not() {
        assert!(text_confidence(&[10.0, 2.0], 0) >= CONFIDENT);
        assert!(text_confidence(&[10.0, 9.0], 0) < CONFIDENT);
        assert!(text_confidence(&[10.0, 9.0], 1) < text_confidence(&[10.0, 9.0], 0));
        assert_eq!(text_confidence(&[], 0), 0.0);
    }

    #[test]
    fn a_misspelt_start_of_a_name_counts_as_its_prefix() {
        assert!(is_typo_of_prefix("kubrnet", "kubernetes"));
        assert!(is_typo_of_prefix("kuberntes", "kubernetes"));
        assert!(!is_typo_of_prefix("kub", "rest"));
    }

    #[test]
    fn clipping_keeps_char_boundaries() {
        let long = "é".repeat(1000);
        assert_eq!(clip(&long).chars().count(), QUERY_CHARS_MAX);
        assert_eq!(clip("jwt"), "jwt");
    }
}
