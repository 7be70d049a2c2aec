use std::collections::BTreeSet;

use studybot::domain::Question;

/// Qualifiers, then the two hedging flags: each a yes/no property of one choice.
pub const FLAGS: [&str; 8] = [
    "parenthesis",
    "example marker",
    "colon",
    "semicolon",
    "backtick",
    "digit",
    "absolute word",
    "hedge word",
];
/// The first six flags are the qualifiers (a key made "more precise" than its rivals).
pub const QUALIFIERS: std::ops::Range<usize> = 0..6;
pub const ABSOLUTE: usize = 6;
pub const HEDGE: usize = 7;

const EXAMPLE_MARKERS: [&str; 4] = ["e.g.", "such as", "for example", "i.e."];
const ABSOLUTE_WORDS: [&str; 12] = [
    "always",
    "never",
    "only",
    "all",
    "every",
    "cannot",
    "can't",
    "must",
    "guarantee",
    "guarantees",
    "guaranteed",
    "none",
];
const HEDGE_WORDS: [&str; 12] = [
    "may",
    "might",
    "can",
    "could",
    "usually",
    "often",
    "typically",
    "generally",
    "some",
    "sometimes",
    "likely",
    "tends",
];
/// Negations flip a statement; a distractor written as "X does not ..." is a classic tell.
/// Contractions (`doesn't`, `isn't`) count too.
const NEGATION_WORDS: [&str; 4] = ["not", "no", "without", "never"];
/// Words of 4+ letters that carry no subject matter, so they do not count as an echo.
const STOP_WORDS: [&str; 52] = [
    "about", "above", "after", "again", "also", "because", "been", "before", "being", "between",
    "both", "does", "doing", "during", "each", "from", "have", "having", "here", "into", "just",
    "more", "most", "much", "only", "other", "over", "same", "should", "some", "such", "than",
    "that", "their", "them", "then", "there", "these", "they", "this", "those", "through", "under",
    "very", "what", "when", "where", "which", "while", "will", "with", "would",
];

/// One choice, as a surface.
pub struct Choice {
    pub chars: usize,
    pub words: usize,
    pub flags: [bool; 8],
    pub absolute: usize,
    pub hedge: usize,
    pub negation: usize,
    pub first_word: String,
    pub content: BTreeSet<String>,
}

/// One question, with the cues that compare a choice to the others or to the prompt.
pub struct QuestionCues {
    pub choices: [Choice; 4],
    /// 1 + how many choices are strictly longer (in characters).
    pub length_rank: [usize; 4],
    /// Content words a choice shares with the prompt.
    pub echo: [usize; 4],
    /// Sum of the choice's Jaccard similarity with the other three: the choice the others
    /// "converge" on, which a reader guesses as the one the writer varied the others from.
    pub convergence: [f64; 4],
}

impl QuestionCues {
    pub fn of(question: &Question) -> QuestionCues {
        let choices = question.choices.each_ref().map(|text| Choice::of(text));
        let length_rank = std::array::from_fn(|c| {
            1 + choices
                .iter()
                .filter(|other| other.chars > choices[c].chars)
                .count()
        });
        let prompt = content_words(&question.prompt);
        let echo = std::array::from_fn(|c| choices[c].content.intersection(&prompt).count());
        let convergence = std::array::from_fn(|c| {
            (0..4)
                .filter(|&other| other != c)
                .map(|other| jaccard(&choices[c].content, &choices[other].content))
                .sum()
        });
        QuestionCues {
            choices,
            length_rank,
            echo,
            convergence,
        }
    }

    /// The one choice with this flag, if exactly one has it.
    pub fn only_with(&self, flag: usize) -> Option<usize> {
        unique(std::array::from_fn(|c| self.choices[c].flags[flag]))
    }

    /// Choice indices from longest to shortest (ties keep A-D order).
    pub fn by_length(&self) -> [usize; 4] {
        let mut order = [0, 1, 2, 3];
        order.sort_by_key(|&c| std::cmp::Reverse(self.choices[c].chars));
        order
    }
}

/// The index of the only `true`, if there is exactly one.
pub fn unique(has: [bool; 4]) -> Option<usize> {
    let mut with = (0..4).filter(|&c| has[c]);
    match (with.next(), with.next()) {
        (Some(only), None) => Some(only),
        _ => None,
    }
}

/// The index of the strictly greatest value, if it is unique and positive.
pub fn unique_max(values: [f64; 4]) -> Option<usize> {
    let max = values.iter().copied().fold(f64::MIN, f64::max);
    if max <= 1e-9 {
        return None;
    }
    unique(values.map(|value| (value - max).abs() < 1e-9))
}

impl Choice {
    fn of(text: &str) -> Choice {
        let lower = text.to_lowercase();
        let words = words(&lower);
        let count = |list: &[&str]| words.iter().filter(|w| list.contains(&w.as_str())).count();
        let absolute = count(&ABSOLUTE_WORDS);
        let hedge = count(&HEDGE_WORDS);
        let negation = count(&NEGATION_WORDS)
            + words
                .iter()
                .filter(|w| w.ends_with("n't") && w.as_str() != "can't")
                .count();
        let flags = [
            text.contains('('),
            EXAMPLE_MARKERS.iter().any(|marker| lower.contains(marker)),
            text.contains(':'),
            text.contains(';'),
            text.contains('`'),
            text.chars().any(|c| c.is_ascii_digit()),
            absolute > 0,
            hedge > 0,
        ];
        Choice {
            chars: text.chars().count(),
            words: text.split_whitespace().count(),
            flags,
            absolute,
            hedge,
            negation,
            first_word: words.first().cloned().unwrap_or_default(),
            content: content_words(text),
        }
    }
}

/// Lowercase words with their apostrophes (`can't` stays one word and is not `can`).
fn words(lower: &str) -> Vec<String> {
    lower
        .replace('’', "'")
        .split(|c: char| !(c.is_alphanumeric() || c == '\''))
        .map(|word| word.trim_matches('\''))
        .filter(|word| !word.is_empty())
        .map(str::to_string)
        .collect()
}

/// Lowercase alphanumeric tokens of 4+ characters that carry meaning.
pub fn content_words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|word| word.chars().count() >= 4 && !STOP_WORDS.contains(word))
        .map(str::to_string)
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        0.0
    } else {
        a.intersection(b).count() as f64 / union as f64
    }
}
