//! Matching what a member typed against the names cards answer to (slugs, titles, aliases):
//! exactly, with a typo, or as the start of a name while they type.

use std::collections::HashMap;

use super::lexicon::{Lexicon, TypoAutomata};
use crate::domain::text::{allowed_typos, bounded_edit_distance, name_key, words};
use crate::domain::ContentPack;

/// A card that answers to a name, and whether the name is its title.
#[derive(Clone, Copy)]
struct Owner {
    card: usize,
    is_title: bool,
}

/// Every card's names, keyed the way members' text is compared ([`name_key`]), and the words
/// of those names (for "json w" of "JSON Web Token").
pub(super) struct NameMatcher {
    /// Each distinct name key; its value indexes `name_owners`.
    names: Lexicon,
    name_owners: Vec<Vec<Owner>>,
    /// Each distinct key of a word of a name; its value indexes `word_owners`.
    name_words: Lexicon,
    word_owners: Vec<Vec<Owner>>,
}

impl NameMatcher {
    pub(super) fn build(pack: &ContentPack) -> NameMatcher {
        let mut name_owners: Vec<Vec<Owner>> = Vec::new();
        let mut name_slots: HashMap<String, usize> = HashMap::new();
        let mut word_owners: Vec<Vec<Owner>> = Vec::new();
        let mut word_slots: HashMap<String, usize> = HashMap::new();
        let add = |slots: &mut HashMap<String, usize>,
                   owners: &mut Vec<Vec<Owner>>,
                   key: String,
                   owner: Owner| {
            let slot = *slots.entry(key).or_insert_with(|| {
                owners.push(Vec::new());
                owners.len() - 1
            });
            owners[slot].push(owner);
        };
        for (card, topic) in pack.topics().iter().enumerate() {
            let own_names = std::iter::once((topic.title.as_str(), true))
                .chain(std::iter::once((topic.slug.as_str(), false)))
                .chain(topic.aliases.iter().map(|alias| (alias.as_str(), false)));
            for (name, is_title) in own_names {
                let key = name_key(name);
                if key.is_empty() {
                    continue;
                }
                let owner = Owner { card, is_title };
                // The content check refuses shared names; the first card wins if one slips.
                add(&mut name_slots, &mut name_owners, key, owner);
                for word in words(name) {
                    let word_key = name_key(&word);
                    if !word_key.is_empty() {
                        add(&mut word_slots, &mut word_owners, word_key, owner);
                    }
                }
            }
        }
        let lexicon = |slots: HashMap<String, usize>| {
            Lexicon::build(slots.into_iter().map(|(key, slot)| (key, slot as u64)))
        };
        NameMatcher {
            names: lexicon(name_slots),
            name_owners,
            name_words: lexicon(word_slots),
            word_owners,
        }
    }

    fn owners_of_name(&self, slot: u64) -> &[Owner] {
        self.name_owners
            .get(slot as usize)
            .map_or(&[], Vec::as_slice)
    }

    fn owners_of_word(&self, slot: u64) -> &[Owner] {
        self.word_owners
            .get(slot as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// The card one of whose names is exactly `key`.
    pub(super) fn exact(&self, key: &str) -> Option<usize> {
        let slot = self.names.get(key)?;
        self.owners_of_name(slot).first().map(|owner| owner.card)
    }

    /// Cards whose names are within the allowed edits of the key, closest first, with the
    /// number of edits; `slug_of` breaks ties so the order is stable.
    pub(super) fn typo_matches<'a>(
        &self,
        key: &str,
        automata: &mut TypoAutomata,
        slug_of: impl Fn(usize) -> &'a str,
    ) -> Vec<(usize, usize)> {
        let key_chars = key.chars().count();
        let allowed = allowed_typos(key_chars);
        if allowed == 0 {
            return Vec::new();
        }
        let mut best: HashMap<usize, usize> = HashMap::new();
        self.names
            .within_typos(key, allowed, automata, |name, slot, distance| {
                // A short name allows fewer typos than the key: "redis" is not two edits of
                // "reddiss".
                let limit = allowed_typos(key_chars.min(name.chars().count()));
                if distance == 0 || distance > limit {
                    return;
                }
                for owner in self.owners_of_name(slot) {
                    best.entry(owner.card)
                        .and_modify(|current| *current = (*current).min(distance))
                        .or_insert(distance);
                }
            });
        let mut matches: Vec<(usize, usize)> = best.into_iter().collect();
        matches.sort_by(|a, b| (a.1, slug_of(a.0)).cmp(&(b.1, slug_of(b.0))));
        matches
    }

    /// For autocomplete: each card with a name that starts with what was typed, ranked by
    /// how well (0 best): a title prefix, a title word prefix, another name's prefix,
    /// another name's word prefix, then a misspelt prefix.
    pub(super) fn prefix_ranks(&self, key: &str) -> HashMap<usize, u8> {
        let mut best: HashMap<usize, u8> = HashMap::new();
        let mut rank_owners = |owners: &[Owner], title_rank: u8, other_rank: u8| {
            for owner in owners {
                let rank = if owner.is_title {
                    title_rank
                } else {
                    other_rank
                };
                best.entry(owner.card)
                    .and_modify(|current| *current = (*current).min(rank))
                    .or_insert(rank);
            }
        };
        self.names
            .with_prefix(key, |_, slot| rank_owners(self.owners_of_name(slot), 0, 2));
        self.name_words
            .with_prefix(key, |_, slot| rank_owners(self.owners_of_word(slot), 1, 3));
        let allowed = allowed_typos(key.chars().count());
        self.names
            .with_prefix_within_typos(key, allowed, |name, slot| {
                // The automaton accepts any close start; keep exactly the starts one
                // character shorter or longer than what was typed, as members mistype them.
                if is_typo_of_prefix(key, name) {
                    rank_owners(self.owners_of_name(slot), 4, 4)
                }
            });
        best
    }
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
        let start = super::clip(name, length);
        start.chars().count() == length && bounded_edit_distance(typed, start, allowed).is_some()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_misspelt_start_of_a_name_counts_as_its_prefix() {
        assert!(is_typo_of_prefix("kubrnet", "kubernetes"));
        assert!(is_typo_of_prefix("kuberntes", "kubernetes"));
        assert!(!is_typo_of_prefix("kub", "rest"));
    }
}
