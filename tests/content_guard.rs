//! Guards on the content pack as a whole: every topic the study group needs has a card and
//! questions, the question bank is balanced, and every card fits Discord.

use std::collections::{HashMap, HashSet};

use studybot::content::load_built_in;
use studybot::domain::text::name_key;
use studybot::domain::{CardView, Level};

/// The floor from TOPICS.md (copied here: the project must not read ../shared).
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
        ],
    ),
];

#[test]
fn every_required_topic_has_a_card_in_its_category_and_at_least_two_questions() {
    let pack = load_built_in().expect("built-in content");
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
                    if questions < 2 {
                        missing.push(format!("{slug}: {questions} question(s)"));
                    }
                }
            }
        }
    }
    assert_eq!(
        REQUIRED.iter().map(|(_, slugs)| slugs.len()).sum::<usize>(),
        137,
        "TOPICS.md lists 137 slugs"
    );
    assert!(missing.is_empty(), "{}", missing.join("\n"));
}

#[test]
fn the_bank_has_400_questions_with_balanced_answer_positions_and_levels() {
    let pack = load_built_in().expect("built-in content");
    let questions = pack.questions();
    assert!(questions.len() >= 400, "{} questions", questions.len());
    let total = questions.len() as f64;
    let mut positions = [0usize; 4];
    for question in questions {
        positions[question.answer] += 1;
    }
    for (position, count) in positions.iter().enumerate() {
        let share = *count as f64 / total;
        assert!(
            (0.20..=0.30).contains(&share),
            "answer {position} is right in {:.1}% of questions: {positions:?}",
            share * 100.0
        );
    }
    let share = |level: Level| questions.iter().filter(|q| q.level == level).count() as f64 / total;
    assert!(
        share(Level::Junior) >= 0.30,
        "junior {:.2}",
        share(Level::Junior)
    );
    assert!(share(Level::Mid) >= 0.30, "mid {:.2}", share(Level::Mid));
    assert!(
        share(Level::Senior) >= 0.20,
        "senior {:.2}",
        share(Level::Senior)
    );
}

#[test]
fn every_rendered_card_fits_discords_embed_limits() {
    let pack = load_built_in().expect("built-in content");
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
    let pack = load_built_in().expect("built-in content");
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
    let pack = load_built_in().expect("built-in content");
    for topic in pack.topics() {
        assert!((2..=5).contains(&topic.related.len()), "{}", topic.slug);
        for related in &topic.related {
            assert!(pack.topic(related).is_some(), "{} -> {related}", topic.slug);
        }
    }
}
