//! Matching what a member typed against the names cards answer to (slugs, titles, aliases):
//! exactly, with a typo, or as the start of a name while they type.

use std::collections::HashMap;

use crate::domain::text::{allowed_typos, bounded_edit_distance, name_key, words};
use crate::domain::ContentPack;

/// A name a card answers to (its slug, title or an alias).
struct Name {
    key: String,
    word_keys: Vec<String>,
    card: usize,
    is_title: bool,
}

/// Every card's names, keyed the way members' text is compared ([`name_key`]).
pub(super) struct NameMatcher {
    exact: HashMap<String, usize>,
    names: Vec<Name>,
}

impl NameMatcher {
    pub(super) fn build(pack: &ContentPack) -> NameMatcher {
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
        NameMatcher { exact, names }
    }

    /// The card one of whose names is exactly `key`.
    pub(super) fn exact(&self, key: &str) -> Option<usize> {
        self.exact.get(key).copied()
    }

    /// Cards whose names are within the allowed edits of the key, closest first, with the
    /// number of edits; `slug_of` breaks ties so the order is stable.
    pub(super) fn typo_matches<'a>(
        &self,
        key: &str,
        slug_of: impl Fn(usize) -> &'a str,
    ) -> Vec<(usize, usize)> {
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
        matches.sort_by(|a, b| (a.1, slug_of(a.0)).cmp(&(b.1, slug_of(b.0))));
        matches
    }

    /// For autocomplete: each card with a name that starts with what was typed, ranked by
    /// how well (0 best): a title prefix, a title word prefix, another name's prefix,
    /// another name's word prefix, then a misspelt prefix.
    pub(super) fn prefix_ranks(&self, key: &str) -> HashMap<usize, u8> {
        let mut best: HashMap<usize, u8> = HashMap::new();
        for name in &self.names {
            let rank = if name.key.starts_with(key) {
                if name.is_title {
                    0
                } else {
                    2
                }
            } else if name.word_keys.iter().any(|word| word.starts_with(key)) {
                if name.is_title {
                    1
                } else {
                    3
                }
            } else if is_typo_of_prefix(key, &name.key) {
                4
            } else {
                continue;
            };
            best.entry(name.card)
                .and_modify(|current| *current = (*current).min(rank))
                .or_insert(rank);
        }
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
        let start: String = name.chars().take(length).collect();
        start.chars().count() == length && bounded_edit_distance(typed, &start, allowed).is_some()
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
