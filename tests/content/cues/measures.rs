use super::features::{self, QuestionCues, FLAGS};
use super::Item;

/// How one yes/no cue is spread between keys and distractors.
#[derive(Default)]
pub struct FlagStats {
    pub keys_with: usize,
    pub distractors_with: usize,
    /// Questions where exactly one choice has the cue, and those where that one is the key.
    pub unique: usize,
    pub unique_key: Vec<String>,
}

/// "The one choice that stands out is the key": how many questions have one, and the ids
/// of those where it is.
#[derive(Default)]
pub struct Standout {
    pub questions: usize,
    pub key: Vec<String>,
}

pub struct Measures {
    pub questions: usize,
    /// Ids of questions whose key has length rank 1..=4.
    pub length_rank: [Vec<String>; 4],
    /// Ids of questions whose key is A..D.
    pub position: [Vec<String>; 4],
    pub flags: Vec<FlagStats>,
    pub echo: Standout,
    pub convergence: Standout,
    /// (name, questions the heuristic gets right).
    pub heuristics: Vec<(&'static str, usize)>,
}

impl FlagStats {
    pub fn key_share(&self, questions: usize) -> f64 {
        share(self.keys_with, questions)
    }
    pub fn distractor_share(&self, questions: usize) -> f64 {
        share(self.distractors_with, 3 * questions)
    }
    pub fn unique_key_share(&self) -> f64 {
        share(self.unique_key.len(), self.unique)
    }
    /// The bank-level limit on |k - d|: 6 points, or 30% of d when d is large.
    pub fn gap_too_big(&self, questions: usize) -> bool {
        let (k, d) = (self.key_share(questions), self.distractor_share(questions));
        (k - d).abs() > f64::max(0.06, 0.3 * d) + 1e-9
    }
}

impl Standout {
    pub fn share(&self) -> f64 {
        share(self.key.len(), self.questions)
    }
}

pub fn share(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// A rule's name, and the choice it picks.
pub type Heuristic = (&'static str, fn(&QuestionCues) -> usize);

/// How a test-wise member would play, each a function from the cues to a choice.
pub const HEURISTICS: [Heuristic; 5] = [
    ("longest", |q| q.by_length()[0]),
    ("second-longest", |q| q.by_length()[1]),
    ("shortest", |q| q.by_length()[3]),
    ("only qualified, else 2nd-longest", |q| {
        only_with_any(q, &[0, 1, 2, 3, 4, 5]).unwrap_or(q.by_length()[1])
    }),
    // The rule issue 9 measured at 53%: parenthesis, example marker, colon, semicolon.
    ("same, issue 9's four qualifiers", |q| {
        only_with_any(q, &[0, 1, 2, 3]).unwrap_or(q.by_length()[1])
    }),
];

/// The only choice having any of these flags.
fn only_with_any(q: &QuestionCues, flags: &[usize]) -> Option<usize> {
    features::unique(std::array::from_fn(|c| {
        flags.iter().any(|&flag| q.choices[c].flags[flag])
    }))
}

pub fn measure(items: &[&Item]) -> Measures {
    let mut measures = Measures {
        questions: items.len(),
        length_rank: Default::default(),
        position: Default::default(),
        flags: FLAGS.iter().map(|_| FlagStats::default()).collect(),
        echo: Standout::default(),
        convergence: Standout::default(),
        heuristics: HEURISTICS.iter().map(|(name, _)| (*name, 0)).collect(),
    };
    for item in items {
        let (question, cues) = (item.question, &item.cues);
        let key = question.answer;
        let id = || question.id.clone();
        measures.length_rank[cues.length_rank[key] - 1].push(id());
        measures.position[key].push(id());
        for (flag, stats) in measures.flags.iter_mut().enumerate() {
            for (c, choice) in cues.choices.iter().enumerate() {
                if choice.flags[flag] {
                    if c == key {
                        stats.keys_with += 1;
                    } else {
                        stats.distractors_with += 1;
                    }
                }
            }
            if let Some(only) = cues.only_with(flag) {
                stats.unique += 1;
                if only == key {
                    stats.unique_key.push(id());
                }
            }
        }
        let standouts = [
            (
                &mut measures.echo,
                features::unique_max(cues.echo.map(|n| n as f64)),
            ),
            (
                &mut measures.convergence,
                features::unique_max(cues.convergence),
            ),
        ];
        for (standout, choice) in standouts {
            if let Some(choice) = choice {
                standout.questions += 1;
                if choice == key {
                    standout.key.push(id());
                }
            }
        }
        for ((_, rule), (_, hits)) in HEURISTICS.iter().zip(&mut measures.heuristics) {
            if rule(cues) == key {
                *hits += 1;
            }
        }
    }
    measures
}
