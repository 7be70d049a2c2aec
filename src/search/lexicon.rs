//! A sorted set of keys searched exactly, by prefix and within a few typos: the only module
//! that knows `tantivy-fst` and `levenshtein_automata`.
//!
//! The keys live in an FST. A typo search builds a Levenshtein automaton for the query and
//! runs it over the FST, so only the branches the automaton can still accept are walked,
//! instead of measuring the distance to every key. Building the automaton costs about
//! 1 KiB per state, and a 2-typo automaton has about 27 states per character of the query:
//! 30 µs for 10 characters, 90 µs for 24. So when few keys have a length within reach of
//! the query's, they are compared directly instead, each first by a letter-count bound that
//! rejects almost all of them in a few nanoseconds.

use std::sync::OnceLock;

use levenshtein_automata::{Distance, LevenshteinAutomatonBuilder, DFA, SINK_STATE};
use tantivy_fst::{Automaton, IntoStreamer, Map, MapBuilder, Streamer};

use super::clip;
use crate::domain::text::bounded_edit_distance;

/// The most typos a search may allow; `allowed_typos` never gives more.
pub(super) const TYPOS_MAX: usize = 2;
/// Comparing keys directly beats building the automaton while there are fewer than this
/// many keys within reach per character of the query. Measured (release, the build machine):
/// a 2-typo automaton costs about 3 µs per query character, a letter-count check about
/// 20 ns per key, so about 150 keys per character break even; half that leaves room for
/// the few keys that pass the check and need the full comparison.
const DIRECT_KEYS_PER_QUERY_CHAR: usize = 75;
/// The same for starts of keys, where the automaton also walks every key below an accepted
/// start: measured on the built-in names, direct comparison wins from about 10 typed
/// characters (1,400 keys long enough, 79 µs against 117 µs), loses at 5 (1,950 keys,
/// 96 µs against 60 µs).
const DIRECT_PREFIX_KEYS_PER_QUERY_CHAR: usize = 200;
/// Letter counts are kept for `a`-`z` and `0`-`9`; every other character shares one slot.
const COUNTED_SYMBOLS: usize = 37;

/// The typo automata built while answering one query, kept so that a word looked up in
/// two lexicons (a single-word query in the names, then in the correction vocabulary) is
/// compiled once. Lives for one query only.
#[derive(Default)]
pub(super) struct TypoAutomata {
    built: Vec<(String, usize, TypoAutomaton)>,
}

impl TypoAutomata {
    fn for_query(&mut self, query: &str, typos: usize) -> &TypoAutomaton {
        let position = match self
            .built
            .iter()
            .position(|(built_for, built_typos, _)| built_for == query && *built_typos == typos)
        {
            Some(position) => position,
            None => {
                let automaton = TypoAutomaton(automaton_builder(typos).build_dfa(query));
                self.built.push((query.to_string(), typos, automaton));
                self.built.len() - 1
            }
        };
        &self.built[position].2
    }
}

/// Keys with a `u64` each, searched exactly, by prefix, or within a few typos.
pub(super) struct Lexicon {
    fst: Map<Vec<u8>>,
    /// The same keys grouped by their length in characters, for direct comparison.
    by_length: Vec<Vec<DirectKey>>,
}

impl Lexicon {
    /// Builds from `(key, value)` pairs in any order; for a key given twice, the first value
    /// wins.
    pub(super) fn build(entries: impl IntoIterator<Item = (String, u64)>) -> Lexicon {
        let mut entries: Vec<(String, u64)> = entries.into_iter().collect();
        // Stable, so the first value of a repeated key stays first and wins the dedup.
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|later, earlier| later.0 == earlier.0);
        let mut builder = MapBuilder::memory();
        let mut by_length: Vec<Vec<DirectKey>> = Vec::new();
        for (key, value) in &entries {
            builder
                .insert(key, *value)
                .expect("keys are inserted sorted and unique");
            let length = key.chars().count();
            if by_length.len() <= length {
                by_length.resize_with(length + 1, Vec::new);
            }
            by_length[length].push(DirectKey {
                counts: LetterCounts::of(key),
                key: key.clone(),
                value: *value,
            });
        }
        let bytes = builder
            .into_inner()
            .expect("an in-memory FST cannot fail to write");
        let fst = Map::from_bytes(bytes).expect("an FST just built is well-formed");
        // The automaton builders take a few milliseconds: pay that at start, not in a query.
        for typos in 1..=TYPOS_MAX {
            automaton_builder(typos);
        }
        Lexicon { fst, by_length }
    }

    pub(super) fn get(&self, key: &str) -> Option<u64> {
        self.fst.get(key)
    }

    /// Calls `visit` with every key that starts with `prefix`, in key order.
    pub(super) fn with_prefix(&self, prefix: &str, mut visit: impl FnMut(&str, u64)) {
        let mut stream = self.fst.range().ge(prefix).into_stream();
        while let Some((key, value)) = stream.next() {
            if !key.starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(key) = std::str::from_utf8(key) {
                visit(key, value);
            }
        }
    }

    /// Calls `visit` with every key within `typos` edits of `query` (insertions, deletions,
    /// substitutions and swaps of neighbours each cost one), and its number of edits.
    /// The order is unspecified.
    pub(super) fn within_typos(
        &self,
        query: &str,
        typos: usize,
        automata: &mut TypoAutomata,
        mut visit: impl FnMut(&str, u64, usize),
    ) {
        let typos = typos.min(TYPOS_MAX);
        let length = query.chars().count();
        let reachable = length.saturating_sub(typos)..=length + typos;
        let candidates: usize = reachable
            .clone()
            .filter_map(|length| self.by_length.get(length))
            .map(Vec::len)
            .sum();
        if candidates == 0 {
            return;
        }
        if typos == 0 {
            if let Some(value) = self.get(query) {
                visit(query, value, 0);
            }
        } else if candidates <= DIRECT_KEYS_PER_QUERY_CHAR * length {
            self.within_typos_directly(query, typos, reachable, &mut visit);
        } else {
            let automaton = automata.for_query(query, typos);
            self.within_typos_by_automaton(automaton, &mut visit);
        }
    }

    fn within_typos_directly(
        &self,
        query: &str,
        typos: usize,
        reachable: std::ops::RangeInclusive<usize>,
        visit: &mut impl FnMut(&str, u64, usize),
    ) {
        let counts = LetterCounts::of(query);
        for group in reachable.filter_map(|length| self.by_length.get(length)) {
            for candidate in group {
                if counts.difference(&candidate.counts) > 2 * typos {
                    continue;
                }
                if let Some(distance) = bounded_edit_distance(query, &candidate.key, typos) {
                    visit(&candidate.key, candidate.value, distance);
                }
            }
        }
    }

    fn within_typos_by_automaton(
        &self,
        automaton: &TypoAutomaton,
        visit: &mut impl FnMut(&str, u64, usize),
    ) {
        let mut stream = self.fst.search(automaton).with_state().into_stream();
        while let Some((key, value, state)) = stream.next() {
            if let (Ok(key), Distance::Exact(distance)) =
                (std::str::from_utf8(key), automaton.0.distance(state))
            {
                visit(key, value, usize::from(distance));
            }
        }
    }

    /// Calls `visit` with every key that has a start within `typos` edits of `typed`, in key
    /// order: what a member may mean while still typing ("kubrn" of "kubernetes").
    pub(super) fn with_prefix_within_typos(
        &self,
        typed: &str,
        typos: usize,
        mut visit: impl FnMut(&str, u64),
    ) {
        let typos = typos.min(TYPOS_MAX);
        let length = typed.chars().count();
        // A start within `typos` edits is at least this long, and so is its key.
        let shortest_reachable = length.saturating_sub(typos);
        if typos == 0 || self.by_length.len() <= shortest_reachable {
            return;
        }
        let candidates: usize = self.by_length[shortest_reachable..]
            .iter()
            .map(Vec::len)
            .sum();
        if candidates <= DIRECT_PREFIX_KEYS_PER_QUERY_CHAR * length {
            self.with_prefix_within_typos_directly(typed, typos, &mut visit);
        } else {
            self.with_prefix_within_typos_by_automaton(typed, typos, &mut visit);
        }
    }

    fn with_prefix_within_typos_directly(
        &self,
        typed: &str,
        typos: usize,
        visit: &mut impl FnMut(&str, u64),
    ) {
        let length = typed.chars().count();
        let counts = LetterCounts::of(typed);
        let shortest_reachable = length.saturating_sub(typos);
        for candidate in self.by_length.iter().skip(shortest_reachable).flatten() {
            // A close start is at most `typos` characters shorter or longer than the key's
            // start as long as what was typed: their counts differ by up to `typos` more.
            let same_length_start = LetterCounts::of(clip(&candidate.key, length));
            if counts.difference(&same_length_start) > 3 * typos {
                continue;
            }
            let close = (shortest_reachable..=length + typos).any(|start_length| {
                let start = clip(&candidate.key, start_length);
                start.chars().count() == start_length
                    && bounded_edit_distance(typed, start, typos).is_some()
            });
            if close {
                visit(&candidate.key, candidate.value);
            }
        }
    }

    fn with_prefix_within_typos_by_automaton(
        &self,
        typed: &str,
        typos: usize,
        visit: &mut impl FnMut(&str, u64),
    ) {
        // The whole-word automaton, accepting a key as soon as a start of it is accepted.
        // (The crate's own prefix automaton misses a start that is followed by a character
        // leading away from `typed`: "éaaéé" of "éaaééa" for "éaéébé".)
        let automaton = TypoAutomaton(automaton_builder(typos).build_dfa(typed)).starts_with();
        let mut stream = self.fst.search(&automaton).into_stream();
        while let Some((key, value)) = stream.next() {
            if let Ok(key) = std::str::from_utf8(key) {
                visit(key, value);
            }
        }
    }
}

/// A key kept for direct comparison, with its letter counts.
struct DirectKey {
    key: String,
    value: u64,
    counts: LetterCounts,
}

/// How many times each letter and digit occurs in a key. One edit changes these counts by
/// at most 2 in total (a substitution takes one away and adds another; a swap changes
/// nothing), so keys whose counts differ by more than twice the typos cannot be that close.
#[derive(Clone, Copy, PartialEq, Eq)]
struct LetterCounts([u8; COUNTED_SYMBOLS]);

impl LetterCounts {
    fn of(text: &str) -> LetterCounts {
        let mut counts = [0u8; COUNTED_SYMBOLS];
        for c in text.chars() {
            let slot = match c {
                'a'..='z' => c as usize - 'a' as usize,
                '0'..='9' => 26 + (c as usize - '0' as usize),
                _ => COUNTED_SYMBOLS - 1,
            };
            // Saturating: a count past 255 only makes the bound looser, never wrong.
            counts[slot] = counts[slot].saturating_add(1);
        }
        LetterCounts(counts)
    }

    /// How far apart two keys' counts are: at most 2 per edit between the keys.
    fn difference(&self, other: &LetterCounts) -> usize {
        self.0
            .iter()
            .zip(&other.0)
            .map(|(a, b)| usize::from(a.abs_diff(*b)))
            .sum()
    }
}

/// One shared automaton builder per number of typos, with swaps of neighbours costing one
/// edit as in `bounded_edit_distance`.
fn automaton_builder(typos: usize) -> &'static LevenshteinAutomatonBuilder {
    static BUILDERS: [OnceLock<LevenshteinAutomatonBuilder>; TYPOS_MAX] =
        [OnceLock::new(), OnceLock::new()];
    let typos = typos.clamp(1, TYPOS_MAX);
    BUILDERS[typos - 1].get_or_init(|| LevenshteinAutomatonBuilder::new(typos as u8, true))
}

/// A Levenshtein DFA as an FST automaton (the DFA works on UTF-8 bytes, like the FST).
struct TypoAutomaton(DFA);

impl Automaton for TypoAutomaton {
    type State = u32;

    fn start(&self) -> u32 {
        self.0.initial_state()
    }

    fn is_match(&self, state: &u32) -> bool {
        matches!(self.0.distance(*state), Distance::Exact(_))
    }

    fn can_match(&self, state: &u32) -> bool {
        *state != SINK_STATE
    }

    fn accept(&self, state: &u32, byte: u8) -> u32 {
        self.0.transition(*state, byte)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn lexicon(keys: &[&str]) -> Lexicon {
        Lexicon::build(
            keys.iter()
                .enumerate()
                .map(|(value, key)| (key.to_string(), value as u64)),
        )
    }

    fn sorted(mut found: Vec<(String, u64, usize)>) -> Vec<(String, u64, usize)> {
        found.sort();
        found
    }

    /// What every key's distance to `query` says, the slow way.
    fn brute_force(keys: &[String], query: &str, typos: usize) -> Vec<(String, u64, usize)> {
        let lexicon = Lexicon::build(keys.iter().cloned().zip(0..));
        let mut found = Vec::new();
        lexicon.with_prefix("", |key, value| {
            if let Some(distance) = bounded_edit_distance(query, key, typos) {
                found.push((key.to_string(), value, distance));
            }
        });
        sorted(found)
    }

    #[test]
    fn exact_and_prefix_lookups_find_only_their_keys() {
        let lexicon = lexicon(&["kafka", "kubernetes", "kubectl", "redis", "kubernetes"]);
        assert_eq!(lexicon.get("kafka"), Some(0));
        assert_eq!(lexicon.get("kubernetes"), Some(1), "the first value wins");
        assert_eq!(lexicon.get("kube"), None);
        let mut found = Vec::new();
        lexicon.with_prefix("kube", |key, _| found.push(key.to_string()));
        assert_eq!(found, ["kubectl", "kubernetes"]);
    }

    #[test]
    fn the_automaton_finds_member_typos_with_their_distance() {
        let lexicon = lexicon(&["kubernetes", "idempotency", "redis", "kafka", "rest"]);
        let mut found = Vec::new();
        let mut automata = TypoAutomata::default();
        let automaton = automata.for_query("kubernets", 2);
        lexicon.within_typos_by_automaton(automaton, &mut |key, _, distance| {
            found.push((key.to_string(), distance))
        });
        assert_eq!(found, [("kubernetes".to_string(), 1)]);
        let mut found = Vec::new();
        let automaton = automata.for_query("kafak", 1);
        lexicon.within_typos_by_automaton(automaton, &mut |key, _, distance| {
            found.push((key.to_string(), distance))
        });
        assert_eq!(automata.built.len(), 2);
        automata.for_query("kubernets", 2);
        assert_eq!(automata.built.len(), 2, "a query's automaton is built once");
        assert_eq!(found, [("kafka".to_string(), 1)], "a swap is one edit");
    }

    #[test]
    fn a_query_longer_than_every_key_builds_nothing_and_finds_nothing() {
        let lexicon = lexicon(&["kubernetes", "redis"]);
        let mut found = 0;
        let mut automata = TypoAutomata::default();
        lexicon.within_typos(&"a".repeat(10_000), 2, &mut automata, |_, _, _| found += 1);
        lexicon.with_prefix_within_typos(&"a".repeat(10_000), 2, |_, _| found += 1);
        assert_eq!(found, 0);
        assert!(automata.built.is_empty());
    }

    #[test]
    fn a_misspelt_start_finds_the_key_it_begins() {
        let lexicon = lexicon(&["kubernetes", "kafka", "rest"]);
        let mut found = Vec::new();
        lexicon.with_prefix_within_typos("kubrn", 1, |key, _| found.push(key.to_string()));
        assert_eq!(found, ["kubernetes"]);
    }

    proptest! {
        /// Both ways of searching (the automaton and direct comparison) agree with the
        /// distance to every key, on a small alphabet so that near misses are common.
        #[test]
        fn typo_search_agrees_with_the_distance_to_every_key(
            keys in prop::collection::vec("[abcé]{0,7}", 1..40),
            query in "[abcé]{0,7}",
            typos in 1..=TYPOS_MAX,
        ) {
            let lexicon = Lexicon::build(keys.iter().cloned().zip(0..));
            let expected = brute_force(&keys, &query, typos);
            let mut by_automaton = Vec::new();
            let mut automata = TypoAutomata::default();
            let automaton = automata.for_query(&query, typos);
            lexicon.within_typos_by_automaton(automaton, &mut |key, value, distance| {
                by_automaton.push((key.to_string(), value, distance))
            });
            let length = query.chars().count();
            let mut directly = Vec::new();
            lexicon.within_typos_directly(
                &query,
                typos,
                length.saturating_sub(typos)..=length + typos,
                &mut |key, value, distance| directly.push((key.to_string(), value, distance)),
            );
            prop_assert_eq!(sorted(by_automaton), expected.clone());
            prop_assert_eq!(sorted(directly), expected);
        }

        /// Every key with a start within the typos of what was typed is found.
        #[test]
        fn prefix_typo_search_finds_every_key_with_a_close_start(
            keys in prop::collection::vec("[abcé]{0,8}", 1..40),
            typed in "[abcé]{1,6}",
            typos in 1..=TYPOS_MAX,
        ) {
            let lexicon = Lexicon::build(keys.iter().cloned().zip(0..));
            let mut directly = Vec::new();
            lexicon.with_prefix_within_typos_directly(&typed, typos, &mut |key, _| {
                directly.push(key.to_string())
            });
            let mut by_automaton = Vec::new();
            lexicon.with_prefix_within_typos_by_automaton(&typed, typos, &mut |key, _| {
                by_automaton.push(key.to_string())
            });
            for key in &keys {
                let chars: Vec<char> = key.chars().collect();
                let close_start = (0..=chars.len()).any(|end| {
                    let start: String = chars[..end].iter().collect();
                    bounded_edit_distance(&typed, &start, typos).is_some()
                });
                prop_assert_eq!(directly.contains(key), close_start, "{:?} typed {:?}", key, typed);
                prop_assert_eq!(by_automaton.contains(key), close_start, "{:?} typed {:?}", key, typed);
            }
        }
    }
}
