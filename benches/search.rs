//! Explain resolution and autocomplete on the real content, against SQLite FTS5 with bm25
//! over the same cards (what a bot author would otherwise reach for), measured in one run.
//!
//! `cargo bench --bench search` runs criterion's groups, then prints p50/p99 latencies from a
//! plain timing loop (criterion reports means and medians, not tail percentiles).

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::Criterion;
use sqlx::sqlite::SqlitePoolOptions;
use sqlx::{Row, SqlitePool};
use studybot::content::load_built_in;
use studybot::domain::ContentPack;
use studybot::search::SearchIndex;

mod support;
use support::{percentiles, print_row};

/// What members type: exact names, aliases, typos, questions and longer phrases.
const EXPLAIN_QUERIES: &[&str] = &[
    "jwt",
    "json web token",
    "k8s",
    "kubernets",
    "N+1",
    "what is a jwt",
    "idempotancy",
    "put vs patch",
    "how do I stop sql injection attacks",
    "why is my orm running hundreds of queries for one page",
    "cache invalidation strategies",
    "reddis",
    "kafka consumer groups",
    "difference between oauth and openid",
    "qwertyuiop",
];

/// Inputs that break naive search code: query syntax, quotes, control characters, emoji,
/// and very long text. `ask` must answer these well under 50 ms too.
fn hostile_queries() -> Vec<String> {
    vec![
        "\" OR 1=1 -- (title:* AND body:[a TO z]".to_string(),
        "((((((((((".to_string(),
        "🦀".repeat(2_000),
        "a".repeat(10_000),
        "kubernetes ".repeat(900),
        "\u{0}\u{7}\t\n".repeat(100),
        "NOT NOT NOT AND OR".to_string(),
    ]
}

/// What members have typed so far when autocomplete fires.
const AUTOCOMPLETE_INPUTS: &[&str] = &[
    "", "k", "kub", "kubrn", "jw", "json w", "sql", "ca", "idem", "redi", "event", "zz",
];

struct Fts5 {
    runtime: tokio::runtime::Runtime,
    pool: SqlitePool,
}

impl Fts5 {
    fn build(pack: &ContentPack) -> Fts5 {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let pool = runtime.block_on(async {
            let pool = SqlitePoolOptions::new()
                .max_connections(1)
                .connect("sqlite::memory:")
                .await
                .expect("in-memory sqlite");
            sqlx::query(
                "CREATE VIRTUAL TABLE cards USING fts5(slug UNINDEXED, title, aliases, tags, category, body, tokenize = 'porter unicode61')",
            )
            .execute(&pool)
            .await
            .expect("fts5 table");
            for topic in pack.topics() {
                let body = [
                    &topic.summary,
                    &topic.key_points,
                    &topic.example,
                    &topic.pitfalls,
                    &topic.interview_angle,
                ]
                .map(String::as_str)
                .join("\n");
                sqlx::query("INSERT INTO cards VALUES (?, ?, ?, ?, ?, ?)")
                    .bind(&topic.slug)
                    .bind(&topic.title)
                    .bind(topic.aliases.join(" | "))
                    .bind(topic.tags.join(" "))
                    .bind(topic.category.slug())
                    .bind(body)
                    .execute(&pool)
                    .await
                    .expect("insert");
            }
            pool
        });
        Fts5 { runtime, pool }
    }

    /// FTS5's MATCH has its own syntax, so each word is quoted; the same field weights as ours.
    fn search(&self, match_expression: &str) -> Vec<String> {
        if match_expression.is_empty() {
            return Vec::new();
        }
        self.runtime.block_on(async {
            sqlx::query(
                "SELECT slug FROM cards WHERE cards MATCH ? ORDER BY bm25(cards, 0.0, 4.0, 3.0, 1.5, 1.0, 1.0) LIMIT 5",
            )
            .bind(match_expression)
            .fetch_all(&self.pool)
            .await
            .map(|rows| rows.iter().map(|row| row.get::<String, _>(0)).collect())
            .unwrap_or_default()
        })
    }

    fn explain(&self, query: &str) -> Vec<String> {
        self.search(&quoted_words(query, " OR ", ""))
    }

    fn autocomplete(&self, typed: &str) -> Vec<String> {
        self.search(&quoted_words(typed, " ", "*"))
    }
}

fn quoted_words(text: &str, separator: &str, suffix: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|word| !word.is_empty())
        .map(|word| format!("\"{word}\"{suffix}"))
        .collect::<Vec<_>>()
        .join(separator)
}

/// p50 and p99 of each input alone, from samples taken by `time_each` (input after input,
/// round after round), slowest p99 first: which query makes the tail.
fn per_input<'a>(inputs: &[&'a str], samples: &[Duration]) -> Vec<(&'a str, Duration, Duration)> {
    let mut rows: Vec<(&str, Duration, Duration)> = inputs
        .iter()
        .enumerate()
        .map(|(position, input)| {
            let own: Vec<Duration> = samples
                .iter()
                .skip(position)
                .step_by(inputs.len())
                .copied()
                .collect();
            let (p50, p99) = percentiles(own);
            (*input, p50, p99)
        })
        .collect();
    rows.sort_by_key(|row| std::cmp::Reverse(row.2));
    rows
}

fn shown(input: &str) -> String {
    let mut shown: String = input
        .chars()
        .take(40)
        .collect::<String>()
        .escape_debug()
        .to_string();
    if input.chars().count() > 40 {
        shown.push_str(&format!("… ({} chars)", input.chars().count()));
    }
    shown
}

fn time_each(inputs: &[&str], rounds: usize, mut operation: impl FnMut(&str)) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(inputs.len() * rounds);
    for _ in 0..rounds {
        for input in inputs {
            let started = Instant::now();
            operation(input);
            samples.push(started.elapsed());
        }
    }
    samples
}

fn main() {
    let pack = load_built_in().expect("built-in content");
    let index = SearchIndex::build(&pack).expect("index");
    let fts5 = Fts5::build(&pack);
    let round_trip = || {
        fts5.runtime.block_on(async {
            sqlx::query("SELECT 1")
                .fetch_one(&fts5.pool)
                .await
                .expect("select 1");
        })
    };

    let mut criterion = Criterion::default().configure_from_args();
    let mut explain = criterion.benchmark_group("explain");
    explain.bench_function("studybot resolve (all queries)", |b| {
        b.iter(|| {
            for query in EXPLAIN_QUERIES {
                black_box(index.resolve(black_box(query), 5));
            }
        })
    });
    explain.bench_function("sqlite fts5 bm25 (all queries)", |b| {
        b.iter(|| {
            for query in EXPLAIN_QUERIES {
                black_box(fts5.explain(black_box(query)));
            }
        })
    });
    explain.finish();
    let mut autocomplete = criterion.benchmark_group("autocomplete");
    autocomplete.bench_function("studybot autocomplete (all inputs)", |b| {
        b.iter(|| {
            for typed in AUTOCOMPLETE_INPUTS {
                black_box(index.autocomplete(black_box(typed)));
            }
        })
    });
    autocomplete.bench_function("sqlite fts5 prefix (all inputs)", |b| {
        b.iter(|| {
            for typed in AUTOCOMPLETE_INPUTS {
                black_box(fts5.autocomplete(black_box(typed)));
            }
        })
    });
    autocomplete.finish();
    criterion.final_summary();

    // Tail latencies, per call, over many rounds of the same inputs.
    let rounds = 300;
    let rows = [
        (
            "explain: studybot resolve",
            time_each(EXPLAIN_QUERIES, rounds, |q| {
                drop(black_box(index.resolve(q, 5)))
            }),
        ),
        (
            "explain: sqlite fts5 bm25",
            time_each(EXPLAIN_QUERIES, rounds, |q| {
                drop(black_box(fts5.explain(q)))
            }),
        ),
        (
            "autocomplete: studybot",
            time_each(AUTOCOMPLETE_INPUTS, rounds, |q| {
                drop(black_box(index.autocomplete(q)))
            }),
        ),
        (
            "autocomplete: sqlite fts5 prefix",
            time_each(AUTOCOMPLETE_INPUTS, rounds, |q| {
                drop(black_box(fts5.autocomplete(q)))
            }),
        ),
        (
            "sqlx round trip (SELECT 1)",
            time_each(&["x"], rounds * 10, |_| round_trip()),
        ),
    ];
    let hostile = hostile_queries();
    let hostile: Vec<&str> = hostile.iter().map(String::as_str).collect();
    let hostile_rows = [
        (
            "explain: hostile inputs (up to 10,000 chars)",
            time_each(&hostile, 50, |q| drop(black_box(index.resolve(q, 5)))),
        ),
        (
            "autocomplete: hostile inputs",
            time_each(&hostile, 50, |q| drop(black_box(index.autocomplete(q)))),
        ),
    ];
    let mut by_input = Vec::new();
    for (name, inputs, samples) in [
        ("explain", EXPLAIN_QUERIES, &rows[0].1),
        ("autocomplete", AUTOCOMPLETE_INPUTS, &rows[2].1),
        ("explain", &hostile[..], &hostile_rows[0].1),
        ("autocomplete", &hostile[..], &hostile_rows[1].1),
    ] {
        for (input, p50, p99) in per_input(inputs, samples) {
            by_input.push((name, shown(input), p50, p99));
        }
    }
    println!("\n| operation | p50 | p99 | calls |");
    println!("| --- | ---: | ---: | ---: |");
    let medians: Vec<Duration> = rows
        .into_iter()
        .map(|(name, samples)| print_row(name, samples))
        .collect();
    for (name, samples) in hostile_rows {
        print_row(name, samples);
    }
    println!("\nstudybot per input, slowest p99 first within each set:\n");
    println!("| operation | input | p50 | p99 |");
    println!("| --- | --- | ---: | ---: |");
    for (name, input, p50, p99) in by_input {
        println!(
            "| {name} | `{input}` | {:.1} µs | {:.1} µs |",
            p50.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6
        );
    }
    println!(
        "\nratio studybot / fts5 (p50): explain {:.2}, autocomplete {:.2}",
        medians[0].as_secs_f64() / medians[1].as_secs_f64(),
        medians[2].as_secs_f64() / medians[3].as_secs_f64()
    );
    println!("cards indexed: {}", pack.topics().len());
}
