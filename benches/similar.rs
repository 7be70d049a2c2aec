//! Near-duplicate search for a suggested question: the built-in bank plus 5,000 server
//! questions, and 50 drafts (reworded copies and new questions).
//!
//! `cargo bench --bench similar` runs criterion's groups, then prints p50/p99 latencies from a
//! plain timing loop (criterion reports means and medians, not tail percentiles), and how well
//! the reworded copies are found.

use std::hint::black_box;
use std::time::Instant;

use criterion::Criterion;
use studybot::content::load_built_in;
use studybot::search::similar::PromptIndex;

mod support;
use support::print_row;

const SERVER_QUESTIONS: usize = 5_000;

/// A question as the index takes it.
#[derive(Clone)]
struct Draft {
    id: String,
    prompt: String,
    choices: [String; 4],
}

fn sentences(text: &str) -> Vec<&str> {
    text.split_inclusive(['.', '?', ':'])
        .map(str::trim)
        .filter(|sentence| !sentence.is_empty())
        .collect()
}

/// Server questions made from the built-in ones by deterministic recombination: the opening
/// sentence of one prompt, the closing sentence (the question) of another, two choices from
/// each of two more. Realistic words and lengths, and none is a copy of a built-in question.
fn server_questions(bank: &[Draft]) -> Vec<Draft> {
    let n = bank.len();
    (0..SERVER_QUESTIONS)
        .map(|i| {
            // The round moves the partners, so question i and i + n share an opening
            // (the same scenario) but never the whole question.
            let (a, round) = (i % n, i / n);
            let b = (a * 7 + round * 101 + 1) % n;
            let c = (a * 13 + round * 37 + 5) % n;
            let d = (a * 31 + round * 53 + 11) % n;
            let opening = sentences(&bank[a].prompt);
            let closing = sentences(&bank[b].prompt);
            let prompt = format!(
                "{} {}",
                opening.first().copied().unwrap_or_default(),
                closing.last().copied().unwrap_or_default()
            );
            Draft {
                id: format!("server-{i}"),
                prompt,
                choices: [
                    bank[c].choices[0].clone(),
                    bank[d].choices[1].clone(),
                    bank[c].choices[2].clone(),
                    bank[d].choices[3].clone(),
                ],
            }
        })
        .collect()
}

/// How a member retells a question from memory: some words dropped, a few swapped for
/// synonyms, the choices in another order and shortened.
fn reworded(original: &Draft) -> Draft {
    const SYNONYMS: &[(&str, &str)] = &[
        ("Which", "What"),
        ("service", "app"),
        ("team", "group"),
        ("users", "customers"),
        ("request", "call"),
        ("database", "DB"),
        ("should", "must"),
        ("because", "since"),
    ];
    let prompt: Vec<String> = original
        .prompt
        .split_whitespace()
        .enumerate()
        .filter(|(at, _)| at % 6 != 5)
        .map(|(_, word)| {
            SYNONYMS
                .iter()
                .find(|(from, _)| *from == word)
                .map_or(word, |(_, to)| to)
                .to_string()
        })
        .collect();
    let shortened = |choice: &String| {
        let words: Vec<&str> = choice.split_whitespace().collect();
        words[..words.len().saturating_sub(1).max(1)].join(" ")
    };
    Draft {
        id: original.id.clone(),
        prompt: prompt.join(" "),
        choices: [3, 0, 2, 1].map(|at| shortened(&original.choices[at])),
    }
}

/// Questions nobody has asked in this bank yet.
const NEW_QUESTIONS: &[(&str, [&str; 4])] = &[
    ("Your nightly report job runs on three instances and the report is emailed three times. Which change makes it run once?", ["A distributed lock or leader election around the job", "A longer cron interval", "A bigger instance", "Retrying the email on failure"]),
    ("A PDF export takes 40 seconds and the load balancer cuts requests at 30. What should the endpoint do?", ["Start a background job and return 202 with a status URL", "Raise the timeout to 60 seconds", "Compress the PDF", "Return 500 and let the client retry"]),
    ("Which HTTP header tells a browser it may reuse a response for an hour without asking again?", ["Cache-Control: max-age=3600", "ETag", "Expires: 0", "Vary: *"]),
    ("A Go service leaks goroutines under load. Which tool shows where they are blocked?", ["The pprof goroutine profile", "go vet", "The race detector", "gofmt"]),
    ("What does the Postgres VACUUM command reclaim?", ["Space held by dead row versions", "Unused indexes", "Idle connections", "Old WAL archives"]),
    ("Your mobile app ships with a hard-coded API key. What is the main risk?", ["Anyone can extract it from the app binary", "The key expires faster", "The app gets slower", "App stores reject the app"]),
    ("A Kafka topic has 6 partitions and your consumer group has 10 consumers. How many sit idle?", ["4", "0", "6", "10"]),
    ("Which Linux command shows which process listens on port 8080?", ["ss -ltnp", "top", "df -h", "uname -a"]),
    ("Your Dockerfile copies the whole repository before installing dependencies, so every build reinstalls them. What fixes the cache misses?", ["Copy the lockfile and install before copying the rest", "Use a larger base image", "Add --no-cache", "Run the build as root"]),
    ("What is the purpose of a dead letter queue?", ["Holding messages that repeatedly fail processing", "Storing deleted users", "Archiving old logs", "Buffering writes during a deploy"]),
    ("Which isolation level prevents non-repeatable reads but still allows phantoms in the SQL standard?", ["Repeatable read", "Read uncommitted", "Read committed", "Serializable"]),
    ("A feature needs the user's timezone for daily reminders. Where should it be stored?", ["As an IANA zone name on the user's profile", "As a fixed UTC offset", "In the browser only", "Nowhere: use the server's zone"]),
    ("Your GraphQL API is slow because each post resolves its author with a separate query. What batches them?", ["A DataLoader per request", "A bigger connection pool", "Persisted queries", "Query complexity limits"]),
    ("Which signal does Kubernetes send to a container before killing it at the end of the grace period?", ["SIGTERM", "SIGKILL", "SIGHUP", "SIGUSR1"]),
    ("Why are UUIDv7 keys kinder to B-tree indexes than UUIDv4 keys?", ["They are time-ordered, so inserts land at the end of the index", "They are shorter", "They are numeric", "They cannot collide"]),
    ("A webhook receiver must reject forged calls. What should it verify?", ["An HMAC signature of the body with a shared secret", "The caller's User-Agent", "That the body is valid JSON", "The request's Content-Length"]),
    ("What does a circuit breaker do when the downstream service keeps failing?", ["Fails calls fast for a while instead of waiting on timeouts", "Retries forever", "Restarts the downstream service", "Queues calls on disk"]),
    ("Which Git command finds the commit that introduced a bug by binary search?", ["git bisect", "git blame", "git reflog", "git cherry-pick"]),
    ("Your p99 latency doubled after enabling debug logging. What is the likely cause?", ["Synchronous log writes on the request path", "Clock skew", "DNS caching", "TLS renegotiation"]),
    ("What does CORS protect?", ["Users' browsers from pages reading other origins' responses", "Servers from DDoS", "Cookies from being stolen over HTTP", "APIs from SQL injection"]),
    ("Which data structure answers 'have we seen this URL?' for billions of URLs in little memory, with rare false positives?", ["A Bloom filter", "A B-tree", "A linked list", "A trie of full URLs"]),
    ("A cron job scheduled at 02:30 local time did not run one Sunday in March. Why?", ["That time did not exist: clocks jumped forward for daylight saving", "The server rebooted", "Cron skips Sundays", "The job was too long"]),
    ("What does the 'S' in SOLID stand for?", ["Single responsibility", "Separation of concerns", "Statelessness", "Substitution"]),
    ("Your S3 bucket serves user uploads directly. Which setting stops a stored HTML file from running scripts on your domain?", ["Serve uploads from a separate domain with Content-Disposition: attachment", "Enable versioning", "Turn on server-side encryption", "Use a lifecycle rule"]),
    ("Which metric type should count HTTP requests so that rates survive restarts?", ["A counter", "A gauge", "A histogram bucket", "A summary quantile"]),
];

fn build(questions: &[Draft]) -> PromptIndex {
    PromptIndex::build(questions.iter().map(|question| {
        (
            question.id.as_str(),
            question.prompt.as_str(),
            &question.choices,
        )
    }))
    .expect("index builds")
}

fn main() {
    let pack = load_built_in().expect("built-in content");
    let bank: Vec<Draft> = pack
        .questions()
        .iter()
        .map(|question| Draft {
            id: question.id.clone(),
            prompt: question.prompt.clone(),
            choices: question.choices.clone(),
        })
        .collect();
    let mut questions = bank.clone();
    questions.extend(server_questions(&bank));
    // Half the near-duplicates retell built-in questions, half retell server ones.
    let near_duplicates: Vec<Draft> = (0..25)
        .map(|k| {
            let source = if k % 2 == 0 {
                &bank[(k * 23) % bank.len()]
            } else {
                &questions[bank.len() + (k * 197) % SERVER_QUESTIONS]
            };
            reworded(source)
        })
        .collect();
    let new_questions: Vec<Draft> = NEW_QUESTIONS
        .iter()
        .enumerate()
        .map(|(at, (prompt, choices))| Draft {
            id: format!("new-{at}"),
            prompt: prompt.to_string(),
            choices: choices.map(str::to_string),
        })
        .collect();
    let drafts: Vec<Draft> = near_duplicates
        .iter()
        .chain(&new_questions)
        .cloned()
        .collect();

    let started = Instant::now();
    let mut index = build(&questions);
    let first_build = started.elapsed();

    let mut criterion = Criterion::default().configure_from_args();
    let mut group = criterion.benchmark_group("near-duplicates");
    group.bench_function("similar (50 drafts, 5,612 questions)", |b| {
        b.iter(|| {
            for draft in &drafts {
                black_box(index.similar(black_box(&draft.prompt), &draft.choices, 5));
            }
        })
    });
    group.sample_size(10);
    group.bench_function("build (5,612 questions)", |b| {
        b.iter(|| black_box(build(black_box(&questions))))
    });
    group.finish();
    criterion.final_summary();

    let rounds = 100;
    let mut samples = Vec::with_capacity(rounds * drafts.len());
    for _ in 0..rounds {
        for draft in &drafts {
            let started = Instant::now();
            black_box(index.similar(&draft.prompt, &draft.choices, 5));
            samples.push(started.elapsed());
        }
    }
    let hostile: Vec<(String, [String; 4])> = vec![
        ("🦀".repeat(10_000), Default::default()),
        ("a".repeat(10_000), Default::default()),
        ("cache database ".repeat(700), Default::default()),
        (
            "\" OR 1=1 -- (text:* AND id:[a TO z]) NOT ((((".to_string(),
            [
                "*".repeat(1_000),
                "((".to_string(),
                "~2^3".to_string(),
                "".to_string(),
            ],
        ),
    ];
    let mut hostile_samples = Vec::new();
    for _ in 0..50 {
        for (prompt, choices) in &hostile {
            let started = Instant::now();
            black_box(index.similar(prompt, choices, 5));
            hostile_samples.push(started.elapsed());
        }
    }
    let mut builds = Vec::new();
    for _ in 0..5 {
        let started = Instant::now();
        black_box(build(&questions));
        builds.push(started.elapsed());
    }
    // How well it works on the same drafts, not only how fast (before any question is added).
    let mut found_first = 0;
    let mut figures: Vec<f32> = Vec::new();
    for draft in &near_duplicates {
        let found = index.similar(&draft.prompt, &draft.choices, 5);
        if found
            .first()
            .is_some_and(|best| best.question_id == draft.id)
        {
            found_first += 1;
            figures.push(found[0].similarity);
        }
    }
    figures.sort_by(f32::total_cmp);
    let mut best_for_new: Vec<f32> = new_questions
        .iter()
        .map(|draft| {
            index
                .similar(&draft.prompt, &draft.choices, 1)
                .first()
                .map_or(0.0, |best| best.similarity)
        })
        .collect();
    best_for_new.sort_by(f32::total_cmp);
    let quality = format!(
        "reworded copies ranked first: {found_first}/{}, figure min {:.2} median {:.2}; \
         new questions' closest match: median {:.2} max {:.2}",
        near_duplicates.len(),
        figures.first().copied().unwrap_or(0.0),
        figures.get(figures.len() / 2).copied().unwrap_or(0.0),
        best_for_new[best_for_new.len() / 2],
        best_for_new[best_for_new.len() - 1],
    );

    let mut adds = Vec::new();
    for (at, draft) in new_questions.iter().enumerate() {
        let started = Instant::now();
        index
            .add(&format!("approved-{at}"), &draft.prompt, &draft.choices)
            .expect("added");
        adds.push(started.elapsed());
    }

    println!("\n| operation | p50 | p99 | calls |");
    println!("| --- | ---: | ---: | ---: |");
    print_row("similar: 50 drafts, limit 5", samples);
    print_row(
        "similar: hostile drafts (up to 10,000 chars)",
        hostile_samples,
    );
    print_row("add: one approved question", adds);
    print_row("build: 5,612 questions", builds);
    println!(
        "first build (cold): {:.1} ms",
        first_build.as_secs_f64() * 1e3
    );

    println!("{quality}");
    println!("questions indexed: {}", questions.len());
}
