//! Full-text search over the cards with tantivy's BM25: titles, aliases, tags, category and
//! body, each with its own weight; misspelt words searched together with their correction.

use tantivy::collector::TopDocs;
use tantivy::query::QueryParser;
use tantivy::schema::{IndexRecordOption, Schema, TextFieldIndexing, TextOptions, Value, STORED};
use tantivy::{DocAddress, Index, ReloadPolicy, Searcher, TantivyDocument};

use super::lexicon::{Lexicon, TypoAutomata};
use super::SearchError;
use crate::domain::text::{allowed_typos, words};
use crate::domain::ContentPack;

/// At most this many distinct words go into the text query: nobody means a topic with the
/// 30th word of what they typed, and it keeps a pasted essay as cheap as a word.
const QUERY_WORDS_MAX: usize = 24;
/// At most this many unknown words of a query are corrected: each correction builds a typo
/// automaton (tens of microseconds), and a member's query has one or two misspellings, not
/// twenty.
const CORRECTIONS_MAX: usize = 3;
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

/// The tantivy index over all cards, built once at start: one searcher over the one
/// segment (the index never changes), the typed fields, and the vocabulary misspellings are
/// corrected to.
pub(super) struct TextIndex {
    searcher: Searcher,
    parser: QueryParser,
    /// The card of each document, by segment then document id: read once from the stored
    /// fields here, so a query never opens the document store.
    cards_by_address: Vec<Vec<Option<usize>>>,
    /// Lowercase words of every title, alias and tag: what typo correction corrects to.
    vocabulary: Lexicon,
}

impl TextIndex {
    pub(super) fn build(pack: &ContentPack) -> Result<TextIndex, SearchError> {
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
        let vocabulary = Lexicon::build(
            pack.topics()
                .iter()
                .flat_map(|topic| {
                    std::iter::once(topic.title.as_str())
                        .chain(topic.aliases.iter().map(String::as_str))
                        .chain(topic.tags.iter().map(String::as_str))
                        .flat_map(words)
                        .collect::<Vec<_>>()
                })
                .filter(|word| word.chars().all(char::is_alphanumeric))
                .map(|word| (word, 0)),
        );
        let searcher = reader.searcher();
        let mut cards_by_address = Vec::new();
        for (segment, segment_reader) in searcher.segment_readers().iter().enumerate() {
            let mut cards_here = Vec::new();
            for document in 0..segment_reader.max_doc() {
                let stored: TantivyDocument =
                    searcher.doc(DocAddress::new(segment as u32, document))?;
                let card = stored.get_first(position).and_then(|value| value.as_u64());
                cards_here.push(card.map(|card| card as usize));
            }
            cards_by_address.push(cards_here);
        }
        Ok(TextIndex {
            searcher,
            parser,
            cards_by_address,
            vocabulary,
        })
    }

    /// Whether a query word may be a misspelling: not a known word, and long enough to
    /// allow a typo.
    fn may_be_misspelt(&self, word: &str) -> bool {
        allowed_typos(word.chars().count()) > 0 && self.vocabulary.get(word).is_none()
    }

    /// The vocabulary word a misspelt query word most likely means: the closest, then the
    /// first in alphabetical order.
    fn corrected(&self, word: &str, automata: &mut TypoAutomata) -> Option<String> {
        let allowed = allowed_typos(word.chars().count());
        let mut best: Option<(usize, String)> = None;
        self.vocabulary
            .within_typos(word, allowed, automata, |known, _, distance| {
                let closer = match &best {
                    None => true,
                    Some((best_distance, best_word)) => {
                        (distance, known) < (*best_distance, best_word.as_str())
                    }
                };
                if closer {
                    best = Some((distance, known.to_string()));
                }
            });
        best.map(|(_, known)| known)
    }

    fn card_at(&self, address: DocAddress) -> Option<usize> {
        *self
            .cards_by_address
            .get(address.segment_ord as usize)?
            .get(address.doc_id as usize)?
    }

    /// BM25 over all fields, misspelt words searched together with their correction.
    /// Returns card positions with a confidence, best first. `automata` holds those already
    /// built for this query.
    pub(super) fn matches(
        &self,
        query: &str,
        limit: usize,
        automata: &mut TypoAutomata,
    ) -> Vec<(usize, f32)> {
        let mut meaningful: Vec<String> = Vec::new();
        for word in words(query) {
            if meaningful.len() == QUERY_WORDS_MAX {
                break;
            }
            if STOP_WORDS.contains(&word.as_str()) {
                continue;
            }
            let word: String = word.chars().filter(|c| c.is_alphanumeric()).collect();
            // A repeated word adds nothing but work ("kubernetes kubernetes ...").
            if !word.is_empty() && !meaningful.contains(&word) {
                meaningful.push(word);
            }
        }
        if meaningful.is_empty() {
            return Vec::new();
        }
        let mut terms = meaningful.clone();
        terms.extend(
            meaningful
                .iter()
                .filter(|word| self.may_be_misspelt(word))
                .take(CORRECTIONS_MAX)
                .filter_map(|word| self.corrected(word, automata)),
        );
        // Only plain lowercase words reach the parser: no field names, operators or quotes,
        // so lenient parsing never has anything to forgive.
        let (query, _ignored_errors) = self.parser.parse_query_lenient(&terms.join(" "));
        let top = match self
            .searcher
            .search(&query, &TopDocs::with_limit(limit.max(2)).order_by_score())
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
                let card = self.card_at(*address)?;
                Some((card, text_confidence(&scores, rank)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::CONFIDENT;

    #[test]
    fn a_clear_text_winner_is_confident_and_a_close_race_is_not() {
        assert!(text_confidence(&[10.0, 2.0], 0) >= CONFIDENT);
        assert!(text_confidence(&[10.0, 9.0], 0) < CONFIDENT);
        assert!(text_confidence(&[10.0, 9.0], 1) < text_confidence(&[10.0, 9.0], 0));
        assert_eq!(text_confidence(&[], 0), 0.0);
    }
}
