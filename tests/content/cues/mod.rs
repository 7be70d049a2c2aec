//! The cue report and guard: could a member who does not know the subject find the key of a
//! daily question from its surface alone (length, qualifiers, hedging, echo, odd one out)?
//!
//! Run: `cargo test --test content cues -- --nocapture --test-threads 1`, or a built copy of
//! the test binary with `cues --nocapture --test-threads 1`. It reads the content from disk
//! (env `STUDYBOT_CUES_CONTENT_DIR`, default `content/`), so a built binary measures the files
//! as they are now. `cue_report` prints the whole report and always passes; each `guard_*`
//! test then fails past its limit (issue 9 part 1), naming what to fix.
//!
//! A "file" is a category: a question lives in `questions/<category of its topic>.toml`.
//!
//! Layout: `features` (what a test-wise reader sees in one question), `measures` (counts over
//! a set of questions), `guesser` (a small learner of those cues), `report` (the tables).

use std::sync::OnceLock;

use studybot::domain::{Category, Question};

/// Each key length rank and each answer position holds this share of keys, in every file.
const SHARE_MIN: f64 = 0.20;
const SHARE_MAX: f64 = 0.30;
/// When exactly one choice has a cue, it may be the key at most this often.
const UNIQUE_KEY_MAX: f64 = 0.30;
/// A file's own unique-cue rate is guarded only when it has this many such questions (below
/// that, one question moves the rate by 10 points or more).
const FILE_MIN_UNIQUE: usize = 12;
/// The odd one out (the choice closest to the other three) may be the key this often.
const CONVERGENCE_MAX: f64 = 0.35;
/// The blind guesser's leave-one-file-out accuracy (chance is 25%).
const GUESSER_MAX: f64 = 0.32;

/// What a test-wise reader can see in a question without knowing the subject.
mod features;

/// Counts over a set of questions (one file, or the whole bank).
mod measures;

/// The blind guesser: a conditional logit (softmax over a question's four choices) on surface
/// features of each choice relative to its question. It learns on nine category files and
/// guesses the tenth, so it finds any cue the writers share across files, including ones no
/// single measure above looks for (e.g. length combined with a hedge).
mod guesser;

/// One question with its cues and the file (category) it belongs to.
pub struct Item {
    question: &'static Question,
    category: Category,
    cues: features::QuestionCues,
    sample: guesser::Sample,
}

/// The guesser's results: per held-out file, and a model trained on the whole bank whose
/// weights show writers which cue carries signal.
struct GuesserResult {
    /// (file, questions, right guesses, ids it was sure of (p >= 0.5) and right about).
    per_file: Vec<(Category, usize, usize, Vec<String>)>,
    whole_bank_weights: guesser::Weights,
}

struct Analysis {
    items: Vec<Item>,
    files: Vec<(Category, measures::Measures)>,
    bank: measures::Measures,
    guesser: GuesserResult,
}

impl Analysis {
    fn right_guesses(&self) -> (usize, usize) {
        self.guesser
            .per_file
            .iter()
            .fold((0, 0), |(n, right), file| (n + file.1, right + file.2))
    }
}

fn analysis() -> &'static Analysis {
    static ANALYSIS: OnceLock<Analysis> = OnceLock::new();
    ANALYSIS.get_or_init(|| {
        let pack = crate::common::pack();
        let items: Vec<Item> = pack
            .questions()
            .iter()
            .map(|question| {
                let cues = features::QuestionCues::of(question);
                let sample = guesser::sample(&cues, question.answer);
                Item {
                    question,
                    category: crate::common::category_of(pack, question),
                    cues,
                    sample,
                }
            })
            .collect();
        let in_file = |category: Category| -> Vec<&Item> {
            items.iter().filter(|i| i.category == category).collect()
        };
        let files: Vec<(Category, measures::Measures)> = Category::ALL
            .into_iter()
            .filter(|&category| !in_file(category).is_empty())
            .map(|category| (category, measures::measure(&in_file(category))))
            .collect();
        let bank = measures::measure(&items.iter().collect::<Vec<_>>());
        let per_file = files
            .iter()
            .map(|(category, _)| {
                let train: Vec<&guesser::Sample> = items
                    .iter()
                    .filter(|i| i.category != *category)
                    .map(|i| &i.sample)
                    .collect();
                let weights = guesser::train(&train);
                let held_out = in_file(*category);
                let right: Vec<&&Item> = held_out
                    .iter()
                    .filter(|i| guesser::pick(&weights, &i.sample) == i.question.answer)
                    .collect();
                let sure = right
                    .iter()
                    .filter(|i| {
                        guesser::probabilities(&weights, &i.sample)[i.question.answer] >= 0.5
                    })
                    .map(|i| i.question.id.clone())
                    .collect();
                (*category, held_out.len(), right.len(), sure)
            })
            .collect();
        let whole_bank_weights =
            guesser::train(&items.iter().map(|i| &i.sample).collect::<Vec<_>>());
        Analysis {
            items,
            files,
            bank,
            guesser: GuesserResult {
                per_file,
                whole_bank_weights,
            },
        }
    })
}

/// The printed report: an overview table, then one section per file and one for the bank.
mod report;

#[test]
fn cue_report() {
    println!("{}", report::render(analysis()));
}

/// Every out-of-band bin of a histogram, named with its file.
fn histogram_failures(
    what: &str,
    labels: [&str; 4],
    bins: impl Fn(&measures::Measures) -> &[Vec<String>; 4],
) -> Vec<String> {
    let a = analysis();
    let scopes = a
        .files
        .iter()
        .map(|(c, m)| (c.slug().to_string(), m))
        .chain(std::iter::once(("whole bank".to_string(), &a.bank)));
    let mut failures = Vec::new();
    for (scope, m) in scopes {
        for (b, ids) in bins(m).iter().enumerate() {
            let s = measures::share(ids.len(), m.questions);
            if !(SHARE_MIN - 1e-9..=SHARE_MAX + 1e-9).contains(&s) {
                failures.push(format!(
                    "{scope}: {what} {} holds {:.0}% of keys ({}/{})",
                    labels[b],
                    100.0 * s,
                    ids.len(),
                    m.questions
                ));
            }
        }
    }
    failures
}

fn assert_none(failures: Vec<String>, what: &str) {
    assert!(
        failures.is_empty(),
        "{what}: {} problem(s) (see the report above for question ids):\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn guard_key_length_rank_is_spread_evenly() {
    assert_none(
        histogram_failures("length rank", ["1", "2", "3", "4"], |m| &m.length_rank),
        "each key length rank must hold 20-30% of keys",
    );
}

#[test]
fn guard_answer_positions_are_spread_evenly() {
    assert_none(
        histogram_failures("answer", ["A", "B", "C", "D"], |m| &m.position),
        "each answer letter must hold 20-30% of keys",
    );
}

/// The k/d/u guards for a set of flags (qualifiers, or hedging).
fn flag_failures(flags: impl Iterator<Item = usize>) -> Vec<String> {
    let a = analysis();
    let mut failures = Vec::new();
    for flag in flags {
        let stats = &a.bank.flags[flag];
        let n = a.bank.questions;
        if stats.gap_too_big(n) {
            failures.push(format!(
                "whole bank: {}: keys {:.0}% vs distractors {:.0}%",
                features::FLAGS[flag],
                100.0 * stats.key_share(n),
                100.0 * stats.distractor_share(n)
            ));
        }
        let scopes = std::iter::once(("whole bank", &a.bank, 1))
            .chain(a.files.iter().map(|(c, m)| (c.slug(), m, FILE_MIN_UNIQUE)));
        for (scope, m, min_unique) in scopes {
            let stats = &m.flags[flag];
            if stats.unique >= min_unique && stats.unique_key_share() > UNIQUE_KEY_MAX + 1e-9 {
                failures.push(format!(
                    "{scope}: the only choice with a {} is the key in {:.0}% ({}/{})",
                    features::FLAGS[flag],
                    100.0 * stats.unique_key_share(),
                    stats.unique_key.len(),
                    stats.unique
                ));
            }
        }
    }
    failures
}

#[test]
fn guard_qualifiers_carry_no_signal() {
    assert_none(
        flag_failures(features::QUALIFIERS),
        "qualifiers must not point at the key",
    );
}

#[test]
fn guard_hedging_carries_no_signal() {
    assert_none(
        flag_failures([features::ABSOLUTE, features::HEDGE].into_iter()),
        "absolute and hedge words must not point at the key",
    );
}

#[test]
fn guard_no_choice_echoes_the_prompt_more_than_the_key_allows() {
    let a = analysis();
    let scopes = std::iter::once(("whole bank", &a.bank, 1))
        .chain(a.files.iter().map(|(c, m)| (c.slug(), m, FILE_MIN_UNIQUE)));
    let failures = scopes
        .filter(|(_, m, min)| m.echo.questions >= *min && m.echo.share() > UNIQUE_KEY_MAX + 1e-9)
        .map(|(scope, m, _)| {
            format!(
                "{scope}: the choice sharing most words with the prompt is the key in {:.0}% ({}/{})",
                100.0 * m.echo.share(),
                m.echo.key.len(),
                m.echo.questions
            )
        })
        .collect();
    assert_none(failures, "the key must not be the prompt's echo");
}

#[test]
fn guard_the_key_is_not_the_odd_one_out() {
    let bank = &analysis().bank;
    assert!(
        bank.convergence.share() <= CONVERGENCE_MAX + 1e-9,
        "the choice closest to the other three is the key in {:.0}% ({}/{}) of questions; \
         limit {:.0}%",
        100.0 * bank.convergence.share(),
        bank.convergence.key.len(),
        bank.convergence.questions,
        100.0 * CONVERGENCE_MAX
    );
}

#[test]
fn guard_a_blind_guesser_stays_near_chance() {
    let a = analysis();
    let (n, right) = a.right_guesses();
    let rate = measures::share(right, n);
    assert!(
        rate <= GUESSER_MAX + 1e-9,
        "the blind guesser (trained on nine files, tested on the tenth) finds {right}/{n} = \
         {:.1}% of keys; limit {:.0}%. Its strongest cues are at the end of the report.",
        100.0 * rate,
        100.0 * GUESSER_MAX
    );
}
