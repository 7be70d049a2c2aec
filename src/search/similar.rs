//! Near-duplicates of a suggested question among a server's question prompts (built-in and
//! the server's own), for the moderator who reviews the suggestion.
//!
//! Two steps:
//! 1. **Candidates**: tantivy's BM25 over each question's prompt and choices retrieves the
//!    [`CANDIDATES`] questions that share the most telling words with the draft.
//! 2. **Similarity**: each candidate gets a figure a moderator can read as a percentage: the
//!    cosine similarity of the *sets* of normalised words and adjacent word pairs of the two
//!    questions, that is shared items / √(items of one × items of the other). Words are
//!    lowercased, folded to ASCII, stemmed ("caches" = "caching" = "cache") and stripped of
//!    stop words ("the", "which"). Pairs are taken within the prompt and within each choice,
//!    never across them, so the order of the choices does not matter; they are what tell a
//!    retold question from one that merely uses the same words in other places.
//!
//! On the built-in bank: an exact copy (choices shuffled or not) scores 1.0; the reworded
//! copies in the tests score 0.5 to 0.75; the closest *other* built-in question to each
//! built-in question (usually one on the same topic) scores 0.14 at the median and 0.31 at
//! most; a question about something else scores about 0.1.
//!
//! Candidates are then ordered by that figure, not by BM25, which favours rare words over
//! overall likeness.

use std::collections::hash_map::DefaultHasher;
use std::collections::HashMap;
use std::hash::{Hash, Hasher};

use tantivy::collector::TopDocs;
use tantivy::query::{BooleanQuery, Query, TermQuery};
use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    StopWordFilter, TextAnalyzer, TokenizerManager,
};
use tantivy::{DocAddress, Index, IndexReader, ReloadPolicy, TantivyDocument, Term};

use super::{clip, SearchError};

/// How many BM25 hits get a similarity figure. A real near-duplicate shares most of its
/// telling words with the draft and lands in BM25's first few; 20 leaves room for a reworded
/// one that lost some of them, and keeps the exact comparison at a few microseconds.
pub const CANDIDATES: usize = 20;
/// Only this much of a draft is looked at: the most a valid prompt and choice may hold
/// (`content check` allows 1,000 and 200 characters). A valid question is never clipped, so
/// its exact copy still scores 1.0, and a pasted 10,000-character essay costs no more than a
/// long prompt.
const PROMPT_CHARS_MAX: usize = 1000;
const CHOICE_CHARS_MAX: usize = 200;
/// At most this many distinct words go into the BM25 query: a 1,000-character prompt has
/// about 70 after stop words, so valid drafts are searched whole while a pathological one
/// stays a bounded query.
const QUERY_TERMS_MAX: usize = 80;
/// Longer "words" are base64, hashes or a held-down key: never what makes two questions alike.
const WORD_CHARS_MAX: usize = 40;
/// Words that every question uses, so sharing them says nothing about being the same
/// question. Lowercase, before stemming.
const STOP_WORDS: &[&str] = &[
    "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
    "before", "but", "by", "can", "could", "do", "does", "each", "for", "from", "has", "have",
    "how", "i", "if", "in", "into", "is", "it", "its", "may", "more", "most", "of", "on", "one",
    "only", "or", "should", "so", "some", "than", "that", "the", "their", "them", "then", "there",
    "these", "they", "this", "to", "was", "we", "were", "what", "when", "where", "which", "while",
    "who", "why", "will", "with", "would", "you", "your",
];
/// Memory for the writer of one approved question: tantivy's minimum, far more than one
/// question needs.
const ADD_WRITER_BYTES: usize = 15_000_000;
/// Memory for the one-shot writer at build: enough for ~6,000 questions in one segment.
const BUILD_WRITER_BYTES: usize = 50_000_000;
const ANALYZER: &str = "question_words";

/// One existing question that looks like the draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Similar {
    pub question_id: String,
    /// Cosine similarity in `0.0..=1.0` of the two questions' sets of words and word pairs
    /// (see the module documentation): 1.0 is an exact copy.
    pub similarity: f32,
}

/// Question prompts of one server (built-in and its own), indexed to find near-duplicates of
/// a suggested question.
pub struct PromptIndex {
    index: Index,
    reader: IndexReader,
    id: Field,
    position: Field,
    text: Field,
    analyzer: TextAnalyzer,
    /// Indexed by the `position` fast field of each document.
    questions: Vec<IndexedQuestion>,
    position_of: HashMap<String, usize>,
}

struct IndexedQuestion {
    id: String,
    profile: Profile,
}

impl PromptIndex {
    /// Builds the index (tantivy, in RAM) over (question id, prompt, choices) triples. When an
    /// id appears twice the later question wins, as [`PromptIndex::add`] would have it.
    pub fn build<'a>(
        questions: impl IntoIterator<Item = (&'a str, &'a str, &'a [String; 4])>,
    ) -> Result<PromptIndex, SearchError> {
        let mut schema = Schema::builder();
        let id = schema.add_text_field("id", STRING);
        let position = schema.add_u64_field("position", FAST);
        let text = schema.add_text_field(
            "text",
            TextOptions::default().set_indexing_options(
                TextFieldIndexing::default()
                    .set_tokenizer(ANALYZER)
                    .set_index_option(IndexRecordOption::WithFreqs),
            ),
        );
        let tokenizers = TokenizerManager::default();
        tokenizers.register(ANALYZER, question_analyzer());
        // Built once per server at start: one segment written in this thread, with no merge
        // or indexing threads to start and stop.
        let mut writer = Index::builder()
            .schema(schema.build())
            .tokenizers(tokenizers.clone())
            .single_segment_index_writer(
                tantivy::directory::RamDirectory::create(),
                BUILD_WRITER_BYTES,
            )?;
        let mut position_of: HashMap<String, usize> = HashMap::new();
        let mut latest: Vec<(&str, &str, &[String; 4])> = Vec::new();
        for question in questions {
            match position_of.get(question.0) {
                Some(&at) => latest[at] = question,
                None => {
                    position_of.insert(question.0.to_string(), latest.len());
                    latest.push(question);
                }
            }
        }
        let mut analyzer = question_analyzer();
        let mut indexed = Vec::with_capacity(latest.len());
        for (at, (question_id, prompt, choices)) in latest.into_iter().enumerate() {
            writer.add_document(document_of(
                (id, position, text),
                at,
                question_id,
                prompt,
                choices,
            ))?;
            indexed.push(IndexedQuestion {
                id: question_id.to_string(),
                profile: Profile::of(&mut analyzer, prompt, choices),
            });
        }
        let index = writer.finalize()?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        Ok(PromptIndex {
            index,
            reader,
            id,
            position,
            text,
            analyzer,
            questions: indexed,
            position_of,
        })
    }

    /// Adds one question (an approved suggestion) without rebuilding; a question with the same
    /// id is replaced.
    pub fn add(
        &mut self,
        id: &str,
        prompt: &str,
        choices: &[String; 4],
    ) -> Result<(), SearchError> {
        let at = self
            .position_of
            .get(id)
            .copied()
            .unwrap_or(self.questions.len());
        // A writer only for this question: approvals are rare, and a writer kept open would
        // hold a thread and its memory per server for nothing.
        let mut writer = self
            .index
            .writer_with_num_threads::<TantivyDocument>(1, ADD_WRITER_BYTES)?;
        writer.delete_term(Term::from_field_text(self.id, id));
        writer.add_document(document_of(
            (self.id, self.position, self.text),
            at,
            id,
            prompt,
            choices,
        ))?;
        writer.commit()?;
        writer.wait_merging_threads()?;
        self.reader.reload()?;
        let question = IndexedQuestion {
            id: id.to_string(),
            profile: Profile::of(&mut self.analyzer, prompt, choices),
        };
        if at == self.questions.len() {
            self.position_of.insert(id.to_string(), at);
            self.questions.push(question);
        } else {
            self.questions[at] = question;
        }
        Ok(())
    }

    /// How many questions are indexed.
    pub fn len(&self) -> usize {
        self.questions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.questions.is_empty()
    }

    /// The `limit` most similar questions to a draft, best first, each with a similarity in
    /// 0.0..=1.0 that a moderator can read as a percentage. Questions that share no word with
    /// the draft are left out, so an unrelated draft may get fewer than `limit`.
    pub fn similar(&self, prompt: &str, choices: &[String; 4], limit: usize) -> Vec<Similar> {
        if limit == 0 {
            return Vec::new();
        }
        let mut analyzer = self.analyzer.clone();
        let draft = Profile::of(&mut analyzer, prompt, choices);
        let terms = query_terms(&mut analyzer, prompt, choices);
        if terms.is_empty() {
            return Vec::new();
        }
        let query = BooleanQuery::union(
            terms
                .into_iter()
                .map(|word| {
                    Box::new(TermQuery::new(
                        Term::from_field_text(self.text, &word),
                        IndexRecordOption::WithFreqs,
                    )) as Box<dyn Query>
                })
                .collect(),
        );
        let searcher = self.reader.searcher();
        let top = match searcher.search(
            &query,
            &TopDocs::with_limit(CANDIDATES.max(limit)).order_by_score(),
        ) {
            Ok(top) => top,
            Err(error) => {
                tracing::warn!(%error, "near-duplicate search failed; answering with none");
                return Vec::new();
            }
        };
        let mut found: Vec<Similar> = top
            .into_iter()
            .filter_map(|(_, address)| self.question_at(&searcher, address))
            .map(|question| Similar {
                question_id: question.id.clone(),
                similarity: draft.similarity(&question.profile),
            })
            .filter(|similar| similar.similarity > 0.0)
            .collect();
        // Stable: equal figures keep BM25's order.
        found.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
        found.truncate(limit);
        found
    }

    fn question_at(
        &self,
        searcher: &tantivy::Searcher,
        address: DocAddress,
    ) -> Option<&IndexedQuestion> {
        let positions = searcher
            .segment_reader(address.segment_ord)
            .fast_fields()
            .u64("position")
            .ok()?;
        let at = usize::try_from(positions.first(address.doc_id)?).ok()?;
        self.questions.get(at)
    }
}

fn document_of(
    (id_field, position_field, text_field): (Field, Field, Field),
    at: usize,
    id: &str,
    prompt: &str,
    choices: &[String; 4],
) -> TantivyDocument {
    let mut document = TantivyDocument::default();
    document.add_text(id_field, id);
    document.add_u64(position_field, at as u64);
    for piece in pieces(prompt, choices) {
        document.add_text(text_field, piece);
    }
    document
}

/// Lowercase, ASCII-folded, stemmed words without stop words: the same for the index, the
/// query and the similarity figure, so all three agree on what a word is.
fn question_analyzer() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(WORD_CHARS_MAX))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(StopWordFilter::remove(
            STOP_WORDS.iter().map(|word| word.to_string()),
        ))
        .filter(Stemmer::new(Language::English))
        .build()
}

/// The prompt and the four choices, each clipped to what a valid question may hold.
fn pieces<'a>(prompt: &'a str, choices: &'a [String; 4]) -> impl Iterator<Item = &'a str> {
    std::iter::once(clip(prompt, PROMPT_CHARS_MAX))
        .chain(choices.iter().map(|choice| clip(choice, CHOICE_CHARS_MAX)))
}

fn analysed_words(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut stream = analyzer.token_stream(text);
    while stream.advance() {
        words.push(stream.token().text.clone());
    }
    words
}

/// The draft's distinct words, in order of first appearance, at most [`QUERY_TERMS_MAX`].
fn query_terms(analyzer: &mut TextAnalyzer, prompt: &str, choices: &[String; 4]) -> Vec<String> {
    let mut terms: Vec<String> = Vec::new();
    for piece in pieces(prompt, choices) {
        for word in analysed_words(analyzer, piece) {
            if terms.len() == QUERY_TERMS_MAX {
                return terms;
            }
            if !terms.contains(&word) {
                terms.push(word);
            }
        }
    }
    terms
}

/// A question as the set of its words and adjacent word pairs, each kept as a hash, sorted
/// so two profiles compare in one merge.
#[derive(Debug, Clone, PartialEq)]
struct Profile {
    keys: Vec<u64>,
}

impl Profile {
    fn of(analyzer: &mut TextAnalyzer, prompt: &str, choices: &[String; 4]) -> Profile {
        let mut keys: Vec<u64> = Vec::new();
        for piece in pieces(prompt, choices) {
            let words = analysed_words(analyzer, piece);
            keys.extend(words.iter().map(|word| key_of(&[word])));
            keys.extend(words.windows(2).map(|pair| key_of(&[&pair[0], &pair[1]])));
        }
        keys.sort_unstable();
        keys.dedup();
        Profile { keys }
    }

    /// Cosine similarity of the two sets (shared items over the geometric mean of the sizes,
    /// also known as the Ochiai coefficient), in `0.0..=1.0`. Sets rather than counts: a
    /// word a prompt repeats ("search" six times) would otherwise outweigh everything else,
    /// and unrelated questions that both repeat a common word would look alike.
    fn similarity(&self, other: &Profile) -> f32 {
        if self.keys.is_empty() || other.keys.is_empty() {
            return 0.0;
        }
        let (mut mine, mut theirs) = (self.keys.iter().peekable(), other.keys.iter().peekable());
        let mut shared = 0_usize;
        while let (Some(&a), Some(&b)) = (mine.peek(), theirs.peek()) {
            match a.cmp(b) {
                std::cmp::Ordering::Less => {
                    mine.next();
                }
                std::cmp::Ordering::Greater => {
                    theirs.next();
                }
                std::cmp::Ordering::Equal => {
                    shared += 1;
                    mine.next();
                    theirs.next();
                }
            }
        }
        let sizes = self.keys.len() as f64 * other.keys.len() as f64;
        // Computed in f64, so an exact copy rounds to exactly 1.0 as f32.
        ((shared as f64 / sizes.sqrt()) as f32).clamp(0.0, 1.0)
    }
}

/// A word's or a pair's key. The separator keeps the pair ("ab", "c") apart from ("a", "bc"),
/// and a pair apart from a single word.
fn key_of(words: &[&String]) -> u64 {
    let mut hasher = DefaultHasher::new();
    words.len().hash(&mut hasher);
    for word in words {
        word.hash(&mut hasher);
    }
    hasher.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::load_built_in;
    use crate::domain::{ContentPack, Question};

    fn built_in() -> (ContentPack, PromptIndex) {
        let pack = load_built_in().expect("built-in content loads");
        let index = PromptIndex::build(pack.questions().iter().map(|question| {
            (
                question.id.as_str(),
                question.prompt.as_str(),
                &question.choices,
            )
        }))
        .expect("index builds");
        (pack, index)
    }

    fn question<'a>(pack: &'a ContentPack, id: &str) -> &'a Question {
        pack.questions()
            .iter()
            .find(|question| question.id == id)
            .expect("question exists")
    }

    fn choices(texts: [&str; 4]) -> [String; 4] {
        texts.map(str::to_string)
    }

    #[test]
    fn every_built_in_question_finds_itself_first_and_no_other_built_in_looks_like_a_copy() {
        let (pack, index) = built_in();
        for original in pack.questions() {
            let found = index.similar(&original.prompt, &original.choices, 2);
            assert_eq!(found[0].question_id, original.id);
            assert_eq!(found[0].similarity, 1.0);
            // The bank has no duplicates; its closest pairs share a topic and score about 0.3.
            assert!(found[1].similarity < 0.45, "{}: {found:?}", original.id);
        }
    }

    #[test]
    fn shuffled_choices_are_still_an_exact_copy() {
        let (pack, index) = built_in();
        let original = question(&pack, "rest-1");
        let mut shuffled = original.choices.clone();
        shuffled.reverse();
        let found = index.similar(&original.prompt, &shuffled, 1);
        assert_eq!(found[0].question_id, "rest-1");
        assert_eq!(found[0].similarity, 1.0);
    }

    #[test]
    fn a_reworded_built_in_question_ranks_it_first_with_a_high_figure() {
        let (pack, index) = built_in();
        let original = question(&pack, "rest-1");
        // rest-1, retold by a member: other verbs, other order, choices in their own words.
        let draft_prompt = "A colleague's new API for users has the endpoints `GET /getUsers`, \
            `POST /createUser` and `POST /deleteUser?id=7`. Which endpoints would make this \
            design more RESTful?";
        let draft_choices = choices([
            "GET /users, POST /users and DELETE /users/7",
            "GET /users/list, POST /users/create, POST /users/7/delete",
            "GET /users, PUT /users and POST /users/7?delete",
            "GET /user?action=list, POST /user?action=create, GET /user?action=delete&id=7",
        ]);
        let found = index.similar(draft_prompt, &draft_choices, 5);
        assert_eq!(found[0].question_id, original.id, "{found:?}");
        assert!(found[0].similarity >= 0.6, "{found:?}");
        assert!(found[1].similarity < found[0].similarity - 0.2, "{found:?}");
    }

    #[test]
    fn an_unrelated_question_gets_a_low_figure() {
        let (_, index) = built_in();
        // Shares everyday backend words ("team", "service", "database") with many built-in
        // questions, so BM25 finds candidates, but asks about something none of them does.
        let found = index.similar(
            "Your team is planning the office party and the booking service needs a database \
             of who eats what. Which snack should the team order for the party?",
            &choices(["Pizza", "Sushi", "Tacos", "Salad"]),
            5,
        );
        assert!(!found.is_empty());
        assert!(
            found.iter().all(|similar| similar.similarity < 0.15),
            "{found:?}"
        );
    }

    #[test]
    fn a_heavily_reworded_question_still_ranks_its_original_first() {
        let (pack, index) = built_in();
        let original = question(&pack, "rest-4");
        // rest-4 as a member might retell it from memory: same scenario, own sentences.
        let found = index.similar(
            "A search endpoint remembers on the server where each user is: POST /search begins \
             a search and GET /search/next gives the next 20 results. With two tabs open, users \
             see results of the other search, and a shared next link shows different results to \
             different people. What redesign respects REST's stateless constraint?",
            &choices([
                "Store a position per tab on the server, keyed by a tab id header",
                "Put the query and an opaque cursor in every request instead of a server-side position",
                "Turn /search/next into a POST since every call moves the stored position",
                "Lock the session during a search so two tabs cannot interleave requests",
            ]),
            5,
        );
        assert_eq!(found[0].question_id, original.id, "{found:?}");
        assert!(found[0].similarity >= 0.45, "{found:?}");
        assert!(found[1].similarity < found[0].similarity - 0.2, "{found:?}");
    }

    #[test]
    fn an_added_question_is_found_and_a_repeated_id_replaces_it() {
        let (_, mut index) = built_in();
        let before = index.len();
        let prompt = "Our Elasticsearch cluster turns yellow after a node restart. What does a yellow cluster health mean?";
        let first = choices([
            "All primary shards are assigned but some replicas are not",
            "Some primary shards are unassigned",
            "The cluster is read-only",
            "Disk usage passed the high watermark",
        ]);
        index.add("server-9", prompt, &first).expect("added");
        assert_eq!(index.len(), before + 1);
        let found = index.similar(prompt, &first, 3);
        assert_eq!(found[0].question_id, "server-9");
        assert_eq!(found[0].similarity, 1.0);

        let replaced = "Which Kubernetes object keeps a fixed number of identical pods running?";
        let second = choices(["ReplicaSet", "ConfigMap", "Service", "Ingress"]);
        index.add("server-9", replaced, &second).expect("replaced");
        assert_eq!(index.len(), before + 1);
        let old = index.similar(prompt, &first, 5);
        assert!(
            old.iter().all(|similar| similar.similarity < 1.0),
            "{old:?}"
        );
        let new = index.similar(replaced, &second, 1);
        assert_eq!(new[0].question_id, "server-9");
        assert_eq!(new[0].similarity, 1.0);
    }

    #[test]
    fn the_later_of_two_questions_with_one_id_wins_at_build() {
        let first = choices(["one", "two", "three", "four"]);
        let second = choices(["red", "green", "blue", "yellow"]);
        let index = PromptIndex::build([
            ("q-1", "How many replicas does a quorum need?", &first),
            ("q-1", "Which colour is a healthy cluster?", &second),
        ])
        .expect("index builds");
        assert_eq!(index.len(), 1);
        let found = index.similar("Which colour is a healthy cluster?", &second, 5);
        assert_eq!(found[0].similarity, 1.0);
        assert!(index
            .similar("How many replicas does a quorum need?", &first, 5)
            .is_empty());
    }

    #[test]
    fn hostile_drafts_answer_without_panicking() {
        let (_, index) = built_in();
        let empty = choices(["", "", "", ""]);
        let long_word = "a".repeat(10_000);
        let crabs = "🦀".repeat(10_000);
        let kubernetes = "kubernetes pods ".repeat(700);
        let hostile = [
            "\" OR 1=1 -- (text:* AND id:[a TO z]) NOT NOT ((((((",
            long_word.as_str(),
            crabs.as_str(),
            kubernetes.as_str(),
            "\u{0}\u{7}\t\n\u{202e}",
            "",
        ];
        for prompt in hostile {
            for draft_choices in [&empty, &choices([prompt, prompt, prompt, prompt])] {
                let found = index.similar(prompt, draft_choices, 5);
                assert!(found.len() <= 5);
                assert!(found
                    .iter()
                    .all(|similar| (0.0..=1.0).contains(&similar.similarity)));
            }
        }
        assert!(index.similar("rest api endpoints", &empty, 0).is_empty());
        assert!(index.similar(&crabs, &empty, 5).is_empty());
    }

    #[test]
    fn a_long_draft_is_looked_at_only_up_to_a_valid_prompt() {
        let text = "é".repeat(PROMPT_CHARS_MAX * 3);
        assert_eq!(
            clip(&text, PROMPT_CHARS_MAX).chars().count(),
            PROMPT_CHARS_MAX
        );
        let mut analyzer = question_analyzer();
        let many_words: String = (0..2_000).map(|n| format!("word{n} ")).collect();
        let empty = choices(["", "", "", ""]);
        assert_eq!(
            query_terms(&mut analyzer, &many_words, &empty).len(),
            QUERY_TERMS_MAX
        );
    }

    #[test]
    fn word_pairs_tell_the_same_words_in_another_order_apart() {
        let mut analyzer = question_analyzer();
        let empty = choices(["", "", "", ""]);
        let original = Profile::of(
            &mut analyzer,
            "cache invalidation database replica lag",
            &empty,
        );
        let reordered = Profile::of(
            &mut analyzer,
            "replica lag cache database invalidation",
            &empty,
        );
        let same = Profile::of(
            &mut analyzer,
            "Caching invalidations: the database replicas lag",
            &empty,
        );
        assert_eq!(original.similarity(&same), 1.0);
        let shuffled = original.similarity(&reordered);
        assert!(shuffled > 0.5 && shuffled < 0.9, "{shuffled}");
        assert_eq!(
            original.similarity(&Profile::of(&mut analyzer, "", &empty)),
            0.0
        );
    }
}
