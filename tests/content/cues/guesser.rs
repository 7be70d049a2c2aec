use super::features::{self, QuestionCues, ABSOLUTE, FLAGS, HEDGE, QUALIFIERS};

/// Full-batch gradient descent from zero weights for a fixed number of steps:
/// deterministic, no randomness anywhere. 150 steps with momentum reach the optimum to
/// four decimals of the loss on the first-wave bank.
const ITERATIONS: usize = 150;
const LEARNING_RATE: f64 = 0.3;
const MOMENTUM: f64 = 0.9;
/// Keeps weights small, so a cue seen a handful of times cannot dominate.
const L2: f64 = 0.01;
/// Features per choice (the names are `feature_names()`).
pub const DIM: usize = 32;

pub type Weights = [f64; DIM];

/// One question, as four feature vectors and the key.
pub struct Sample {
    /// Per choice, its non-zero features as (index, value).
    pub x: [Vec<(usize, f64)>; 4],
    pub key: usize,
}

pub fn feature_names() -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    names.extend((0..4).map(|c| format!("position {}", ['A', 'B', 'C', 'D'][c])));
    names.extend((1..=4).map(|rank| format!("length rank {rank}")));
    names.push("length z".into());
    names.push("word count z".into());
    for flag in QUALIFIERS {
        names.push(format!("has {}", FLAGS[flag]));
        names.push(format!("only one with {}", FLAGS[flag]));
    }
    for flag in [ABSOLUTE, HEDGE] {
        names.push(format!("{} count", FLAGS[flag]));
        names.push(format!("only one with {}", FLAGS[flag]));
    }
    names.push("prompt overlap z".into());
    names.push("prompt overlap unique max".into());
    names.push("convergence z".into());
    names.push("convergence unique max".into());
    names.push("negation count".into());
    names.push("first word shared with another".into());
    assert_eq!(names.len(), DIM);
    names
}

pub fn sample(cues: &QuestionCues, key: usize) -> Sample {
    let chars = z_scores(cues.choices.each_ref().map(|c| c.chars as f64));
    let words = z_scores(cues.choices.each_ref().map(|c| c.words as f64));
    let echo = z_scores(cues.echo.map(|n| n as f64));
    let convergence = z_scores(cues.convergence);
    let echo_max = features::unique_max(cues.echo.map(|n| n as f64));
    let convergence_max = features::unique_max(cues.convergence);
    let flag = |on: bool| if on { 1.0 } else { 0.0 };
    let x = std::array::from_fn(|c| {
        let choice = &cues.choices[c];
        let mut x = Vec::with_capacity(DIM);
        x.extend((0..4).map(|p| flag(p == c)));
        x.extend((1..=4).map(|rank| flag(cues.length_rank[c] == rank)));
        x.push(chars[c]);
        x.push(words[c]);
        for f in QUALIFIERS {
            x.push(flag(choice.flags[f]));
            x.push(flag(cues.only_with(f) == Some(c)));
        }
        x.push(choice.absolute as f64);
        x.push(flag(cues.only_with(ABSOLUTE) == Some(c)));
        x.push(choice.hedge as f64);
        x.push(flag(cues.only_with(HEDGE) == Some(c)));
        x.push(echo[c]);
        x.push(flag(echo_max == Some(c)));
        x.push(convergence[c]);
        x.push(flag(convergence_max == Some(c)));
        x.push(choice.negation as f64);
        x.push(flag(
            !choice.first_word.is_empty()
                && (0..4).any(|o| o != c && cues.choices[o].first_word == choice.first_word),
        ));
        assert_eq!(x.len(), DIM);
        x.into_iter()
            .enumerate()
            .filter(|(_, value)| *value != 0.0)
            .collect()
    });
    Sample { x, key }
}

fn z_scores(values: [f64; 4]) -> [f64; 4] {
    let mean = values.iter().sum::<f64>() / 4.0;
    let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 4.0).sqrt();
    values.map(|v| if sd < 1e-9 { 0.0 } else { (v - mean) / sd })
}

// The numeric core below uses plain `while` loops over sparse vectors: in a debug build
// (how tests run) iterator adaptors are not inlined, and most features are zero, so this
// keeps training over the whole bank well under a second.

fn dot(w: &Weights, x: &[(usize, f64)]) -> f64 {
    let mut sum = 0.0;
    let mut i = 0;
    while i < x.len() {
        let (j, value) = x[i];
        sum += w[j] * value;
        i += 1;
    }
    sum
}

/// The model's probability for each choice.
pub fn probabilities(weights: &Weights, sample: &Sample) -> [f64; 4] {
    let scores = [
        dot(weights, &sample.x[0]),
        dot(weights, &sample.x[1]),
        dot(weights, &sample.x[2]),
        dot(weights, &sample.x[3]),
    ];
    let max = scores[0].max(scores[1]).max(scores[2]).max(scores[3]);
    let exp = scores.map(|s| (s - max).exp());
    let total = exp[0] + exp[1] + exp[2] + exp[3];
    exp.map(|e| e / total)
}

/// The choice the model picks (ties go to the earlier letter).
pub fn pick(weights: &Weights, sample: &Sample) -> usize {
    let p = probabilities(weights, sample);
    (0..4).fold(0, |best, c| if p[c] > p[best] + 1e-12 { c } else { best })
}

/// The gradient of the mean negative log-likelihood of the keys plus L2, at `weights`.
fn gradient(weights: &Weights, samples: &[&Sample]) -> Weights {
    let n = samples.len() as f64;
    let mut gradient = weights.map(|w| L2 * w);
    for sample in samples {
        let p = probabilities(weights, sample);
        let mut c = 0;
        while c < 4 {
            let target = if c == sample.key { 1.0 } else { 0.0 };
            let coefficient = (p[c] - target) / n;
            let x = &sample.x[c];
            let mut i = 0;
            while i < x.len() {
                let (j, value) = x[i];
                gradient[j] += coefficient * value;
                i += 1;
            }
            c += 1;
        }
    }
    gradient
}

/// Full-batch gradient descent with Nesterov momentum (it reaches in 150 steps what plain
/// descent needs over a thousand for), from zero weights, a fixed number of steps.
pub fn train(samples: &[&Sample]) -> Weights {
    let mut weights = [0.0; DIM];
    let mut velocity = [0.0; DIM];
    if samples.is_empty() {
        return weights;
    }
    for _ in 0..ITERATIONS {
        let mut ahead = weights;
        let mut j = 0;
        while j < DIM {
            ahead[j] += MOMENTUM * velocity[j];
            j += 1;
        }
        let gradient = gradient(&ahead, samples);
        let mut j = 0;
        while j < DIM {
            velocity[j] = MOMENTUM * velocity[j] - LEARNING_RATE * gradient[j];
            weights[j] += velocity[j];
            j += 1;
        }
    }
    weights
}
