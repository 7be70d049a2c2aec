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

/// Member queries for the second-wave cards (issue 9): a title, an abbreviation or product
/// name, a misspelling. Kept apart from `CASES` so the first-wave test stays green while the
/// second wave is being written. ("opentelemetry" moved here from `CASES`: it has its own card
/// now.)
const SECOND_WAVE_CASES: &[(&str, &str)] = &[
    // databases
    ("MySQL", "mysql"),
    ("mariadb", "mysql"),
    ("mysqll", "mysql"),
    ("sqlite", "sqlite"),
    ("sqlite3", "sqlite"),
    ("sqllite", "sqlite"),
    ("storage engines", "storage-engines"),
    ("lsm tree", "storage-engines"),
    ("b-tree vs lsm", "storage-engines"),
    ("time series database", "time-series-databases"),
    ("influxdb", "time-series-databases"),
    ("timescaledb", "time-series-databases"),
    ("graph database", "graph-databases"),
    ("neo4j", "graph-databases"),
    ("grpah databases", "graph-databases"),
    ("vector database", "vector-databases"),
    ("pgvector", "vector-databases"),
    ("vector databse", "vector-databases"),
    ("columnar database", "columnar-databases"),
    ("clickhouse", "columnar-databases"),
    ("column store", "columnar-databases"),
    ("uuid", "unique-ids"),
    ("ULID", "unique-ids"),
    ("uuid vs auto increment", "unique-ids"),
    ("scaling databases", "database-scaling"),
    ("db scaling", "database-scaling"),
    ("scaling databses", "database-scaling"),
    ("change data capture", "change-data-capture"),
    ("CDC", "change-data-capture"),
    ("debezium", "change-data-capture"),
    // api-design
    ("SOAP", "soap"),
    ("wsdl", "soap"),
    ("soap vs rest", "soap"),
    ("http/2", "http-versions"),
    ("HTTP3", "http-versions"),
    ("quic", "http-versions"),
    ("error responses", "error-responses"),
    ("problem details", "error-responses"),
    ("rfc 9457", "error-responses"),
    ("file uploads", "file-uploads"),
    ("multipart/form-data", "file-uploads"),
    ("file uplaods", "file-uploads"),
    ("backend for frontend", "backend-for-frontend"),
    ("BFF", "backend-for-frontend"),
    ("backends for frontends", "backend-for-frontend"),
    ("api authentication", "api-authentication"),
    ("api keys", "api-authentication"),
    ("basic auth", "api-authentication"),
    // security
    ("zero trust", "zero-trust"),
    ("ZTNA", "zero-trust"),
    ("zero trust architecture", "zero-trust"),
    ("supply chain security", "supply-chain-security"),
    ("SBOM", "supply-chain-security"),
    ("supply chain attack", "supply-chain-security"),
    ("ssrf", "ssrf"),
    ("server side request forgery", "ssrf"),
    ("server-side request forgery", "ssrf"),
    ("passkeys", "passkeys"),
    ("webauthn", "passkeys"),
    ("passkey", "passkeys"),
    ("ddos", "ddos-protection"),
    ("DDoS protection", "ddos-protection"),
    ("denial of service", "ddos-protection"),
    // performance
    ("latency numbers", "latency-numbers"),
    (
        "latency numbers every programmer should know",
        "latency-numbers",
    ),
    ("latancy numbers", "latency-numbers"),
    ("background jobs", "background-jobs"),
    ("background job", "background-jobs"),
    ("backround jobs", "background-jobs"),
    ("load shedding", "load-shedding"),
    ("load-shedding", "load-shedding"),
    ("load sheding", "load-shedding"),
    // architecture
    ("raft", "consensus"),
    ("paxos", "consensus"),
    ("consensus algorithm", "consensus"),
    ("distributed lock", "distributed-locks"),
    ("redlock", "distributed-locks"),
    ("distributed locks", "distributed-locks"),
    ("consistent hashing", "consistent-hashing"),
    ("hash ring", "consistent-hashing"),
    ("consistant hashing", "consistent-hashing"),
    ("lamport clock", "logical-clocks"),
    ("vector clocks", "logical-clocks"),
    ("logical clocks", "logical-clocks"),
    ("exactly once", "delivery-semantics"),
    ("at least once delivery", "delivery-semantics"),
    ("delivery semantics", "delivery-semantics"),
    ("outbox pattern", "transactional-outbox"),
    ("transactional outbox", "transactional-outbox"),
    ("dual write problem", "transactional-outbox"),
    ("2PC", "two-phase-commit"),
    ("two phase commit", "two-phase-commit"),
    ("two-phase commit", "two-phase-commit"),
    ("exponential backoff", "retries-and-timeouts"),
    ("retries", "retries-and-timeouts"),
    ("timeouts", "retries-and-timeouts"),
    ("graceful degradation", "graceful-degradation"),
    ("fallback", "graceful-degradation"),
    ("graceful degredation", "graceful-degradation"),
    ("strangler fig", "strangler-fig"),
    ("strangler pattern", "strangler-fig"),
    ("strangler fig pattern", "strangler-fig"),
    ("SOA", "service-oriented-architecture"),
    (
        "service oriented architecture",
        "service-oriented-architecture",
    ),
    ("ESB", "service-oriented-architecture"),
    ("EIP", "enterprise-integration-patterns"),
    (
        "enterprise integration patterns",
        "enterprise-integration-patterns",
    ),
    ("apache camel", "enterprise-integration-patterns"),
    // devops
    ("linux", "linux-basics"),
    ("bash", "linux-basics"),
    ("linux basics", "linux-basics"),
    ("osi model", "osi-model"),
    ("OSI", "osi-model"),
    ("osi layers", "osi-model"),
    ("blue green deployment", "deployment-strategies"),
    ("canary release", "deployment-strategies"),
    ("deployment strategies", "deployment-strategies"),
    ("feature flags", "feature-flags"),
    ("feature toggle", "feature-flags"),
    ("feture flags", "feature-flags"),
    ("gitops", "gitops"),
    ("argocd", "gitops"),
    ("git ops", "gitops"),
    // observability
    ("opentelemetry", "opentelemetry"),
    ("otel", "opentelemetry"),
    ("open telemetry", "opentelemetry"),
    ("SLO", "slos-and-error-budgets"),
    ("error budget", "slos-and-error-budgets"),
    ("sli slo sla", "slos-and-error-budgets"),
    ("health checks", "health-checks"),
    ("liveness probe", "health-checks"),
    ("readiness probe", "health-checks"),
    ("incident response", "incident-response"),
    ("postmortem", "incident-response"),
    ("on-call", "incident-response"),
    // testing
    ("test doubles", "test-doubles"),
    ("mocks", "test-doubles"),
    ("mock vs stub", "test-doubles"),
    ("property based testing", "property-based-testing"),
    ("quickcheck", "property-based-testing"),
    ("property testing", "property-based-testing"),
    ("test pyramid", "test-pyramid"),
    ("testing pyramid", "test-pyramid"),
    ("testing trophy", "test-pyramid"),
    ("fuzzing", "fuzzing"),
    ("fuzz testing", "fuzzing"),
    ("fuzzer", "fuzzing"),
    // data
    ("data warehouse", "data-warehouses"),
    ("OLAP", "data-warehouses"),
    ("star schema", "data-warehouses"),
    ("schema evolution", "schema-evolution"),
    ("schema registry", "schema-evolution"),
    ("schema evoluton", "schema-evolution"),
    // programming
    ("data structures", "data-structures"),
    ("hash table", "data-structures"),
    ("DSA", "data-structures"),
    ("big o", "big-o"),
    ("time complexity", "big-o"),
    ("big o notation", "big-o"),
    ("GC", "garbage-collection"),
    ("garbage collection", "garbage-collection"),
    ("garbage collector", "garbage-collection"),
    ("bloom filter", "probabilistic-data-structures"),
    ("hyperloglog", "probabilistic-data-structures"),
    ("count-min sketch", "probabilistic-data-structures"),
    ("utf-8", "character-encoding"),
    ("unicode", "character-encoding"),
    ("character encoding", "character-encoding"),
    ("timezones", "dates-and-timezones"),
    ("daylight saving time", "dates-and-timezones"),
    ("time zones", "dates-and-timezones"),
    ("floating point", "floating-point-and-money"),
    ("money in code", "floating-point-and-money"),
    ("IEEE 754", "floating-point-and-money"),
];

/// The cases a pack misses: `(query, expected, what came up)`. A miss is a top hit that is
/// another card, or the right card without the confidence `/explain` needs to show it.
fn misses(
    pack: &studybot::domain::ContentPack,
    index: &SearchIndex,
    cases: &[(String, String)],
) -> Vec<String> {
    let mut misses = Vec::new();
    for (query, expected) in cases {
        if pack.topic(expected).is_none() {
            misses.push(format!("{query:?}: the card {expected} does not exist"));
            continue;
        }
        let hits = index.resolve(query, 5);
        match hits.first() {
            Some(top) if top.slug == *expected && top.is_confident() => {}
            _ => misses.push(format!(
                "{query:?}: expected {expected}, got {:?}",
                hits.iter()
                    .map(|hit| (&hit.slug, hit.confidence))
                    .collect::<Vec<_>>()
            )),
        }
    }
    misses
}

/// The content on disk (env `STUDYBOT_CUES_CONTENT_DIR`), so a prebuilt test binary checks the
/// files as they are now.
fn disk_index() -> (&'static studybot::domain::ContentPack, SearchIndex) {
    let pack = crate::common::pack();
    let index = SearchIndex::build(pack).expect("index builds");
    (pack, index)
}

#[test]
fn every_second_wave_query_brings_up_its_card_first() {
    let (pack, index) = disk_index();
    let cases: Vec<(String, String)> = SECOND_WAVE_CASES
        .iter()
        .map(|(query, slug)| (query.to_string(), slug.to_string()))
        .collect();
    assert!(cases.len() >= 3 * 58);
    let misses = misses(pack, &index, &cases);
    assert!(
        misses.is_empty(),
        "{} of {} queries missed:\n{}",
        misses.len(),
        cases.len(),
        misses.join("\n")
    );
}

/// `Node title => expected-slug` lines of `tests/fixtures/roadmap-backend-nodes.txt`.
fn roadmap_nodes() -> Vec<(String, String)> {
    let text = include_str!("../fixtures/roadmap-backend-nodes.txt");
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            let (title, slug) = line
                .split_once(" => ")
                .unwrap_or_else(|| panic!("not `Title => slug`: {line:?}"));
            (title.trim().to_string(), slug.trim().to_string())
        })
        .collect()
}

#[test]
fn every_roadmap_sh_backend_node_resolves_to_its_card() {
    let (pack, index) = disk_index();
    let nodes = roadmap_nodes();
    assert!(nodes.len() >= 100, "{} nodes", nodes.len());
    let misses = misses(pack, &index, &nodes);
    assert!(
        misses.is_empty(),
        "{} of {} roadmap.sh backend nodes do not bring up their card (add the node title \
         as an alias of the expected card):\n{}",
        misses.len(),
        nodes.len(),
        misses.join("\n")
    );
}
