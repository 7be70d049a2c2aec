//! What members really type, and the card each must bring up first.
//!
//! Queries are ours, written as people type in a study chat: aliases, abbreviations,
//! misspellings, questions, other case. Each names the one card that must be the top hit.

use studybot::content::load_built_in;
use studybot::search::SearchIndex;

const CASES: &[(&str, &str)] = &[
    // Exact slugs, titles and aliases, in other case and punctuation.
    ("jwt", "jwt"),
    ("JWT", "jwt"),
    ("json web token", "jwt"),
    ("JSON Web Tokens", "jwt"),
    ("what is a jwt", "jwt"),
    ("What is a JWT?", "jwt"),
    ("k8s", "kubernetes"),
    ("K8S", "kubernetes"),
    ("kubernetes", "kubernetes"),
    ("kubernets", "kubernetes"),
    ("kubernetis", "kubernetes"),
    ("N+1", "n-plus-one"),
    ("n+1 query", "n-plus-one"),
    ("n plus one", "n-plus-one"),
    ("n+1 problem", "n-plus-one"),
    ("CI/CD", "ci-cd"),
    ("ci cd", "ci-cd"),
    ("continuous integration", "ci-cd"),
    ("put vs patch", "http-methods"),
    ("idempotancy", "idempotency"),
    ("idempotent", "idempotency"),
    ("cors", "cors"),
    ("what is cors", "cors"),
    ("cross origin resource sharing", "cors"),
    ("oauth", "oauth2"),
    ("OAuth 2.0", "oauth2"),
    ("openid connect", "openid-connect"),
    ("oidc", "openid-connect"),
    ("sso", "single-sign-on"),
    ("authn vs authz", "authentication-vs-authorization"),
    ("xss", "xss"),
    ("cross site scripting", "xss"),
    ("csrf", "csrf"),
    ("sql injection", "sql-injection"),
    ("sqli", "sql-injection"),
    ("bcrypt", "password-hashing"),
    ("tls", "tls"),
    ("ssl", "tls"),
    ("rbac", "rbac"),
    ("role based access control", "rbac"),
    ("cap theorem", "cap-theorem"),
    ("CAP", "cap-theorem"),
    ("acid", "acid"),
    ("database index", "database-indexes"),
    ("indexes", "database-indexes"),
    ("isolation levels", "isolation-levels"),
    ("connection pool", "connection-pooling"),
    ("sharding", "sharding"),
    ("read replica", "read-replicas"),
    ("postgres", "postgresql"),
    ("mongo", "mongodb"),
    ("reddis", "redis"),
    ("elastic search", "elasticsearch"),
    ("orm", "orm"),
    ("rest api", "rest"),
    ("RESTful", "rest"),
    ("graphql", "graphql"),
    ("grpc", "grpc"),
    ("web sockets", "websockets"),
    ("swagger", "openapi"),
    ("rate limiting", "rate-limiting"),
    ("status codes", "http-status-codes"),
    ("pagination", "pagination"),
    ("webhook", "webhooks"),
    ("kafka", "kafka"),
    ("kafak", "kafka"),
    ("rabbitmq", "rabbitmq"),
    ("rabbit mq", "rabbitmq"),
    ("pub sub", "pub-sub"),
    ("cqrs", "cqrs"),
    ("event sourcing", "event-sourcing"),
    ("saga", "saga-pattern"),
    ("circuit breaker", "circuit-breaker"),
    ("microservices", "microservices"),
    ("micro services", "microservices"),
    ("monolith", "monolith"),
    ("service mesh", "service-mesh"),
    ("serverless", "serverless"),
    ("docker", "docker"),
    ("dockerfile", "docker"),
    ("docker compose", "docker-compose"),
    ("terraform", "infrastructure-as-code"),
    ("iac", "infrastructure-as-code"),
    ("dns", "dns"),
    ("tcp/ip", "tcp-ip"),
    ("reverse proxy", "reverse-proxy"),
    ("nginx", "web-servers"),
    ("git", "git"),
    ("caching", "caching"),
    ("cache invalidation", "cache-invalidation"),
    ("cdn", "cdn"),
    ("load balancer", "load-balancing"),
    ("load balancing", "load-balancing"),
    ("horizontal scaling", "horizontal-vs-vertical-scaling"),
    ("autoscaling", "auto-scaling"),
    ("redis vs memcached", "redis-vs-memcached"),
    ("distributed tracing", "distributed-tracing"),
    ("opentelemetry", "distributed-tracing"),
    ("logging", "logging"),
    ("unit tests", "unit-testing"),
    ("tdd", "tdd"),
    ("test driven development", "tdd"),
    ("e2e tests", "end-to-end-testing"),
    ("load testing", "load-testing"),
    ("chaos engineering", "chaos-engineering"),
    ("etl", "etl"),
    ("spark", "hadoop-spark"),
    ("async await", "async-programming"),
    ("event loop", "event-loop"),
    ("dependency injection", "dependency-injection"),
    ("DI", "dependency-injection"),
    ("solid", "solid-principles"),
    ("repository pattern", "repository-pattern"),
    ("multithreading", "multithreading"),
    // Questions and longer phrases that only the text stage can answer.
    ("how do I stop sql injection attacks", "sql-injection"),
    ("how does kafka work", "kafka"),
    (
        "why is my orm running hundreds of queries for one page",
        "n-plus-one",
    ),
    ("refresh token rotation", "refresh-tokens"),
    ("hashing passwords with argon2", "password-hashing"),
    ("kubernets pods and deployments", "kubernetes"),
];

#[test]
fn every_query_brings_up_its_card_first() {
    let pack = load_built_in().expect("built-in content loads");
    let index = SearchIndex::build(&pack).expect("index builds");
    let mut misses = Vec::new();
    for (query, expected) in CASES {
        assert!(
            pack.topic(expected).is_some(),
            "the test names a missing card: {expected}"
        );
        let hits = index.resolve(query, 5);
        let top = hits.first().map(|hit| hit.slug.as_str());
        if top != Some(*expected) {
            misses.push(format!(
                "{query:?}: expected {expected}, got {:?}",
                hits.iter()
                    .map(|hit| (&hit.slug, hit.confidence))
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(CASES.len() >= 80);
    assert!(
        misses.is_empty(),
        "{} of {} queries missed:\n{}",
        misses.len(),
        CASES.len(),
        misses.join("\n")
    );
}

#[test]
fn an_exact_name_is_confident_and_nonsense_is_not() {
    let pack = load_built_in().expect("built-in content loads");
    let index = SearchIndex::build(&pack).expect("index builds");
    let exact = index.resolve("json web token", 5);
    assert!(exact[0].is_confident());
    for nonsense in ["qwertyuiop zxcvbnm", "🦀🦀🦀", "", "   ", "the of and"] {
        let hits = index.resolve(nonsense, 5);
        assert!(
            hits.iter().all(|hit| !hit.is_confident()),
            "{nonsense:?}: {hits:?}"
        );
    }
}

#[test]
fn every_card_is_the_top_hit_for_its_own_title() {
    let pack = load_built_in().expect("built-in content loads");
    let index = SearchIndex::build(&pack).expect("index builds");
    for topic in pack.topics() {
        let hits = index.resolve(&topic.title, 1);
        assert_eq!(
            hits.first().map(|hit| hit.slug.as_str()),
            Some(topic.slug.as_str()),
            "{}",
            topic.title
        );
    }
}

#[test]
fn autocomplete_offers_kubernetes_first_for_kub_and_never_more_than_25() {
    let pack = load_built_in().expect("built-in content loads");
    let index = SearchIndex::build(&pack).expect("index builds");
    assert_eq!(index.autocomplete("kub")[0].slug, "kubernetes");
    assert_eq!(index.autocomplete("kubrn")[0].slug, "kubernetes");
    assert_eq!(index.autocomplete("k8")[0].slug, "kubernetes");
    assert_eq!(index.autocomplete("json web")[0].slug, "jwt");
    assert_eq!(index.autocomplete("").len(), 25);
    for typed in ["", "a", "s", "data", "zzzz"] {
        assert!(index.autocomplete(typed).len() <= 25, "{typed:?}");
    }
}
