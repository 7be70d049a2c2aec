//! Guards on the content pack as a whole: every topic the study group needs has a card and
//! questions, the question bank is balanced by level, and every card fits Discord. (Answer
//! letters and the cues that give the key away are guarded per file in `cues/`.)
//!
//! The content is read from disk (env `STUDYBOT_CUES_CONTENT_DIR`, default `content/`), so a
//! built test binary checks the files as they are now.

use std::collections::{HashMap, HashSet};

use crate::common::pack;
use studybot::domain::text::name_key;
use studybot::domain::{CardView, Level};

/// Every card needs this many questions: enough that a topic week does not repeat itself.
const QUESTIONS_PER_CARD_MIN: usize = 3;

/// The floor from TOPICS.md, both tables (copied here: the project must not read ../shared).
const REQUIRED: &[(&str, &[&str])] = &[
    (
        "databases",
        &[
            "relational-databases",
            "sql-joins",
            "subqueries",
            "database-indexes",
            "query-optimization",
            "normalization",
            "denormalization",
            "transactions",
            "acid",
            "isolation-levels",
            "orm",
            "n-plus-one",
            "connection-pooling",
            "database-migrations",
            "nosql",
            "postgresql",
            "mongodb",
            "redis",
            "cassandra",
            "elasticsearch",
            "sharding",
            "partitioning",
            "replication",
            "read-replicas",
            "cap-theorem",
            "consistency-models",
            "data-modeling",
            // second wave (issue 9)
            "mysql",
            "sqlite",
            "storage-engines",
            "time-series-databases",
            "graph-databases",
            "vector-databases",
            "columnar-databases",
            "unique-ids",
            "database-scaling",
            "change-data-capture",
        ],
    ),
    (
        "api-design",
        &[
            "rest",
            "http-methods",
            "http-status-codes",
            "pagination",
            "hateoas",
            "idempotency",
            "api-versioning",
            "rate-limiting",
            "graphql",
            "grpc",
            "websockets",
            "openapi",
            "api-gateway",
            "webhooks",
            "data-serialization",
            // second wave (issue 9)
            "soap",
            "http-versions",
            "error-responses",
            "file-uploads",
            "backend-for-frontend",
            "api-authentication",
        ],
    ),
    (
        "security",
        &[
            "authentication-vs-authorization",
            "jwt",
            "refresh-tokens",
            "oauth2",
            "openid-connect",
            "single-sign-on",
            "session-cookies",
            "rbac",
            "abac",
            "password-hashing",
            "sql-injection",
            "xss",
            "csrf",
            "cors",
            "security-headers",
            "owasp-top-10",
            "tls",
            "encryption-at-rest",
            "symmetric-vs-asymmetric-encryption",
            "key-management",
            "input-validation",
            "secrets-management",
            "data-privacy-compliance",
            // second wave (issue 9)
            "zero-trust",
            "supply-chain-security",
            "ssrf",
            "passkeys",
            "ddos-protection",
        ],
    ),
    (
        "performance",
        &[
            "caching",
            "cache-invalidation",
            "http-caching",
            "redis-vs-memcached",
            "cdn",
            "load-balancing",
            "horizontal-vs-vertical-scaling",
            "auto-scaling",
            "high-availability",
            "profiling",
            "capacity-planning",
            // second wave (issue 9)
            "latency-numbers",
            "background-jobs",
            "load-shedding",
        ],
    ),
    (
        "architecture",
        &[
            "monolith",
            "microservices",
            "service-discovery",
            "circuit-breaker",
            "bulkhead",
            "sidecar-pattern",
            "service-mesh",
            "event-driven-architecture",
            "message-queues",
            "kafka",
            "rabbitmq",
            "pub-sub",
            "event-sourcing",
            "cqrs",
            "saga-pattern",
            "serverless",
            "mvc",
            "clean-architecture",
            "design-patterns",
            // second wave (issue 9)
            "consensus",
            "distributed-locks",
            "consistent-hashing",
            "logical-clocks",
            "delivery-semantics",
            "transactional-outbox",
            "two-phase-commit",
            "retries-and-timeouts",
            "graceful-degradation",
            "strangler-fig",
            "service-oriented-architecture",
            "enterprise-integration-patterns",
        ],
    ),
    (
        "devops",
        &[
            "git",
            "branching-strategies",
            "ci-cd",
            "docker",
            "docker-compose",
            "kubernetes",
            "infrastructure-as-code",
            "cloud-platforms",
            "web-servers",
            "reverse-proxy",
            "dns",
            "tcp-ip",
            "http-basics",
            "object-storage",
            "backups",
            // second wave (issue 9)
            "linux-basics",
            "osi-model",
            "deployment-strategies",
            "feature-flags",
            "gitops",
        ],
    ),
    (
        "observability",
        &[
            "logging",
            "monitoring",
            "metrics",
            "distributed-tracing",
            "alerting",
            // second wave (issue 9)
            "opentelemetry",
            "slos-and-error-budgets",
            "health-checks",
            "incident-response",
        ],
    ),
    (
        "testing",
        &[
            "unit-testing",
            "integration-testing",
            "end-to-end-testing",
            "tdd",
            "load-testing",
            "contract-testing",
            "chaos-engineering",
            "security-testing",
            // second wave (issue 9)
            "test-doubles",
            "property-based-testing",
            "test-pyramid",
            "fuzzing",
        ],
    ),
    (
        "data",
        &[
            "data-pipelines",
            "etl",
            "stream-processing",
            "batch-processing",
            "hadoop-spark",
            // second wave (issue 9)
            "data-warehouses",
            "schema-evolution",
        ],
    ),
    (
        "programming",
        &[
            "concurrency",
            "async-programming",
            "event-loop",
            "multithreading",
            "functional-programming",
            "error-handling",
            "dependency-injection",
            "repository-pattern",
            "solid-principles",
            // second wave (issue 9)
            "data-structures",
            "big-o",
            "garbage-collection",
            "probabilistic-data-structures",
            "character-encoding",
            "dates-and-timezones",
            "floating-point-and-money",
        ],
    ),
];

#[test]
fn every_required_topic_has_a_card_in_its_category_and_at_least_three_questions() {
    let pack = pack();
    let mut missing = Vec::new();
    for (category, slugs) in REQUIRED {
        for slug in *slugs {
            match pack.topic(slug) {
                None => missing.push(format!("{slug}: no card")),
                Some(topic) if topic.category.slug() != *category => missing.push(format!(
                    "{slug}: in {} instead of {category}",
                    topic.category
                )),
                Some(_) => {
                    let questions = pack.questions_about(slug).count();
                    if questions < QUESTIONS_PER_CARD_MIN {
                        missing.push(format!("{slug}: {questions} question(s)"));
                    }
                }
            }
        }
    }
    let listed: Vec<&str> = REQUIRED
        .iter()
        .flat_map(|(_, slugs)| slugs.iter().copied())
        .collect();
    assert_eq!(
        listed.len(),
        137 + 58,
        "TOPICS.md lists 137 first-wave and 58 second-wave slugs"
    );
    assert_eq!(
        listed.iter().collect::<HashSet<_>>().len(),
        listed.len(),
        "a slug is listed twice"
    );
    assert!(
        missing.is_empty(),
        "{} problem(s):\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn every_card_has_at_least_three_questions() {
    let pack = pack();
    let thin: Vec<String> = pack
        .topics()
        .iter()
        .filter_map(|topic| {
            let questions = pack.questions_about(&topic.slug).count();
            (questions < QUESTIONS_PER_CARD_MIN).then(|| {
                format!(
                    "{} ({}): {questions} question(s)",
                    topic.slug, topic.category
                )
            })
        })
        .collect();
    assert!(
        thin.is_empty(),
        "{} card(s) with fewer than {QUESTIONS_PER_CARD_MIN} questions:\n{}",
        thin.len(),
        thin.join("\n")
    );
}

#[test]
fn the_bank_has_at_least_30_percent_junior_30_mid_and_20_senior_questions() {
    let questions = pack().questions();
    assert!(!questions.is_empty());
    let total = questions.len() as f64;
    let share = |level: Level| questions.iter().filter(|q| q.level == level).count() as f64 / total;
    let floors = [
        (Level::Junior, 0.30),
        (Level::Mid, 0.30),
        (Level::Senior, 0.20),
    ];
    let low: Vec<String> = floors
        .iter()
        .filter(|(level, floor)| share(*level) < *floor)
        .map(|(level, floor)| {
            format!(
                "{level}: {:.1}% (at least {:.0}%)",
                100.0 * share(*level),
                100.0 * floor
            )
        })
        .collect();
    assert!(low.is_empty(), "{}", low.join("; "));
}

#[test]
fn every_rendered_card_fits_discords_embed_limits() {
    let pack = pack();
    let broken: Vec<String> = pack
        .topics()
        .iter()
        .flat_map(|topic| {
            CardView::of(topic)
                .limit_violations()
                .into_iter()
                .map(move |violation| format!("{}: {}", topic.slug, violation.message))
        })
        .collect();
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

#[test]
fn no_two_cards_share_a_name_or_alias() {
    let pack = pack();
    let mut owners: HashMap<String, &str> = HashMap::new();
    let mut clashes = Vec::new();
    for topic in pack.topics() {
        let names: HashSet<String> = std::iter::once(&topic.slug)
            .chain(std::iter::once(&topic.title))
            .chain(topic.aliases.iter())
            .map(|name| name_key(name))
            .collect();
        for key in names {
            if let Some(owner) = owners.insert(key.clone(), &topic.slug) {
                clashes.push(format!("{key}: {owner} and {}", topic.slug));
            }
        }
    }
    assert!(clashes.is_empty(), "{}", clashes.join("\n"));
}

#[test]
fn every_card_lists_two_to_five_related_cards_that_exist() {
    let pack = pack();
    for topic in pack.topics() {
        assert!((2..=5).contains(&topic.related.len()), "{}", topic.slug);
        for related in &topic.related {
            assert!(pack.topic(related).is_some(), "{} -> {related}", topic.slug);
        }
    }
}
