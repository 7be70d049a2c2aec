use std::fmt::Write;

use super::features::{FLAGS, QUALIFIERS};
use super::measures::{share, Measures, HEURISTICS};
use super::*;

fn pct(part: usize, whole: usize) -> String {
    if whole == 0 {
        "-".into()
    } else {
        format!("{:.0}%", 100.0 * part as f64 / whole as f64)
    }
}

fn mark(bad: bool) -> &'static str {
    if bad {
        " !"
    } else {
        ""
    }
}

fn out_of_band(part: usize, whole: usize) -> bool {
    let s = share(part, whole);
    whole > 0 && !(SHARE_MIN - 1e-9..=SHARE_MAX + 1e-9).contains(&s)
}

pub fn render(analysis: &Analysis) -> String {
    let mut out = String::new();
    let (n, right) = analysis.right_guesses();
    let _ = writeln!(
        out,
        "# Content cue report: {} questions in {} files, read from {}\n\
         Limits: each length rank and answer letter 20-30% of keys; a unique cue is the key \
         in <= 30%;\n|k-d| <= max(6 points, 30% of d); odd one out is key <= 35%; blind \
         guesser <= 32%. '!' marks a guarded value past its limit.\n",
        analysis.items.len(),
        analysis.files.len(),
        crate::common::content_dir().display()
    );
    overview(&mut out, analysis);
    for (category, measures) in &analysis.files {
        let guess = analysis
            .guesser
            .per_file
            .iter()
            .find(|file| file.0 == *category);
        let _ = writeln!(
            out,
            "\n## {category} (questions/{category}.toml, {} questions)",
            measures.questions
        );
        section(&mut out, measures, false);
        if let Some((_, n, right, sure)) = guess {
            let _ = writeln!(
                out,
                "blind guesser (trained on the other files): {right}/{n} = {}",
                pct(*right, *n)
            );
            if !sure.is_empty() {
                let _ = writeln!(
                    out,
                    "  the guesser is sure (p >= 50%) and right on: {}",
                    sure.join(", ")
                );
            }
        }
        trips(&mut out, measures);
    }
    let _ = writeln!(
        out,
        "\n## whole bank ({} questions)",
        analysis.bank.questions
    );
    section(&mut out, &analysis.bank, true);
    let _ = writeln!(
        out,
        "blind guesser, leave-one-file-out: {right}/{n} = {}{}",
        pct(right, n),
        mark(share(right, n) > GUESSER_MAX)
    );
    weights(&mut out, &analysis.guesser.whole_bank_weights);
    out
}

fn overview(out: &mut String, analysis: &Analysis) {
    let _ = writeln!(
        out,
        "{:<14} {:>4} | {:>4} {:>4} {:>4} {:>4} | {:>4} {:>4} {:>4} {:>4} | {:>6} {:>6} | {:>7}",
        "file", "n", "rk1", "rk2", "rk3", "rk4", "A", "B", "C", "D", "2nd-l", "qual", "guesser"
    );
    let rows = analysis
        .files
        .iter()
        .map(|(c, m)| (c.slug().to_string(), m))
        .chain(std::iter::once(("WHOLE BANK".to_string(), &analysis.bank)));
    for (name, m) in rows {
        let guess = analysis
            .guesser
            .per_file
            .iter()
            .find(|file| file.0.slug() == name)
            .map(|file| (file.1, file.2))
            .unwrap_or_else(|| analysis.right_guesses());
        let cell = |ids: &Vec<String>| {
            format!(
                "{}{}",
                pct(ids.len(), m.questions),
                if out_of_band(ids.len(), m.questions) {
                    "!"
                } else {
                    ""
                }
            )
        };
        let _ = writeln!(
            out,
            "{:<14} {:>4} | {:>4} {:>4} {:>4} {:>4} | {:>4} {:>4} {:>4} {:>4} | {:>6} {:>6} | {:>7}",
            name,
            m.questions,
            cell(&m.length_rank[0]),
            cell(&m.length_rank[1]),
            cell(&m.length_rank[2]),
            cell(&m.length_rank[3]),
            cell(&m.position[0]),
            cell(&m.position[1]),
            cell(&m.position[2]),
            cell(&m.position[3]),
            pct(m.heuristics[1].1, m.questions),
            pct(m.heuristics[3].1, m.questions),
            pct(guess.1, guess.0),
        );
    }
    let _ = writeln!(
        out,
        "(rk = key's length rank, 1 = longest; 2nd-l / qual = hit rate of \"second-longest\" \
         and \"only qualified, else second-longest\")"
    );
}

fn section(out: &mut String, m: &Measures, bank: bool) {
    let n = m.questions;
    let histogram = |label: &str, names: [&str; 4], bins: &[Vec<String>; 4]| {
        let cells: Vec<String> = (0..4)
            .map(|b| {
                format!(
                    "{} {:>3} ({:>3}){}",
                    names[b],
                    bins[b].len(),
                    pct(bins[b].len(), n),
                    mark(out_of_band(bins[b].len(), n))
                )
            })
            .collect();
        format!("{label:<18}{}", cells.join("   "))
    };
    let _ = writeln!(
        out,
        "{}",
        histogram(
            "key length rank",
            ["1st", "2nd", "3rd", "4th"],
            &m.length_rank
        )
    );
    let _ = writeln!(
        out,
        "{}",
        histogram("answer position", ["A", "B", "C", "D"], &m.position)
    );
    let _ = writeln!(
        out,
        "{:<16} {:>6} {:>6} {:>6} | {:>7} {:>8}",
        "cue", "keys k", "distr d", "|k-d|", "unique", "key if u"
    );
    for (flag, stats) in m.flags.iter().enumerate() {
        let (k, d) = (stats.key_share(n), stats.distractor_share(n));
        let u = stats.unique_key_share();
        let u_guarded = stats.unique > 0 && (bank || stats.unique >= FILE_MIN_UNIQUE);
        let _ = writeln!(
            out,
            "{:<16} {:>6} {:>7} {:>5}{:<1} | {:>7} {:>6}{}",
            FLAGS[flag],
            format!("{:.0}%", 100.0 * k),
            format!("{:.0}%", 100.0 * d),
            format!("{:.0}", 100.0 * (k - d).abs()),
            if bank && stats.gap_too_big(n) {
                "!"
            } else {
                ""
            },
            stats.unique,
            pct(stats.unique_key.len(), stats.unique),
            mark(u_guarded && u > UNIQUE_KEY_MAX + 1e-9),
        );
    }
    for (name, standout, limit, guarded) in [
        (
            "prompt echo",
            &m.echo,
            UNIQUE_KEY_MAX,
            bank || m.echo.questions >= FILE_MIN_UNIQUE,
        ),
        ("odd one out", &m.convergence, CONVERGENCE_MAX, bank),
    ] {
        let _ = writeln!(
            out,
            "{name:<16} one choice stands out in {} questions; it is the key in {} = {}{}",
            standout.questions,
            standout.key.len(),
            pct(standout.key.len(), standout.questions),
            mark(guarded && standout.share() > limit + 1e-9)
        );
    }
    let rules: Vec<String> = HEURISTICS
        .iter()
        .zip(&m.heuristics)
        .map(|((name, _), (_, hits))| format!("{name} {}", pct(*hits, n)))
        .collect();
    let _ = writeln!(out, "heuristics       {}", rules.join("; "));
}

/// The question ids behind each cue, so a writer knows which questions to rework.
fn trips(out: &mut String, m: &Measures) {
    let n = m.questions;
    let mut lines = Vec::new();
    for (bins, what) in [(&m.length_rank, "length rank"), (&m.position, "answer")] {
        for (b, ids) in bins.iter().enumerate() {
            let label = if what == "answer" {
                ['A', 'B', 'C', 'D'][b].to_string()
            } else {
                (b + 1).to_string()
            };
            if share(ids.len(), n) > SHARE_MAX + 1e-9 {
                lines.push(format!(
                    "key at {what} {label} too often ({}; move some away): {}",
                    pct(ids.len(), n),
                    ids.join(", ")
                ));
            } else if share(ids.len(), n) < SHARE_MIN - 1e-9 {
                lines.push(format!(
                    "key at {what} {label} too rarely ({}): make some keys {}",
                    pct(ids.len(), n),
                    if what == "answer" {
                        label.clone()
                    } else {
                        format!("length rank {label}")
                    }
                ));
            }
        }
    }
    for (flag, stats) in m.flags.iter().enumerate() {
        if !stats.unique_key.is_empty() {
            let kind = if QUALIFIERS.contains(&flag) {
                "qualifier"
            } else {
                "hedging"
            };
            lines.push(format!(
                "unique {} is key ({kind}, {}/{}): {}",
                FLAGS[flag],
                stats.unique_key.len(),
                stats.unique,
                stats.unique_key.join(", ")
            ));
        }
    }
    if !m.echo.key.is_empty() {
        lines.push(format!(
            "key echoes the prompt most ({}/{}): {}",
            m.echo.key.len(),
            m.echo.questions,
            m.echo.key.join(", ")
        ));
    }
    if !m.convergence.key.is_empty() {
        lines.push(format!(
            "key is the odd one out, closest to the others ({}/{}): {}",
            m.convergence.key.len(),
            m.convergence.questions,
            m.convergence.key.join(", ")
        ));
    }
    if !lines.is_empty() {
        let _ = writeln!(out, "cues tripped:");
        for line in lines {
            let _ = writeln!(out, "  - {line}");
        }
    }
}

fn weights(out: &mut String, weights: &[f64]) {
    let names = guesser::feature_names();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| weights[b].abs().total_cmp(&weights[a].abs()));
    let _ = writeln!(
        out,
        "guesser weights trained on the whole bank, strongest first (+ points to the key, \
         - away from it):"
    );
    for &f in order.iter().take(10) {
        let _ = writeln!(out, "  {:+.2}  {}", weights[f], names[f]);
    }
    let _ = writeln!(
        out,
        "A negative weight is a tell too: the cue marks distractors, so a reader can rule \
         those choices out. Aim for \"key if u\" near 25% (not 0%) and k close to d."
    );
}
