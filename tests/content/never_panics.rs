//! Whatever a member types, resolution and autocomplete answer without panicking, with
//! well-formed results: at most the limit, no duplicate cards, confidences in 0..=1,
//! every slug a real card.

use std::collections::HashSet;
use std::sync::OnceLock;

use proptest::prelude::*;
use studybot::content::load_built_in;
use studybot::domain::ContentPack;
use studybot::search::{SearchIndex, AUTOCOMPLETE_MAX};

fn shared() -> &'static (ContentPack, SearchIndex) {
    static SHARED: OnceLock<(ContentPack, SearchIndex)> = OnceLock::new();
    SHARED.get_or_init(|| {
        let pack = load_built_in().expect("built-in content loads");
        let index = SearchIndex::build(&pack).expect("index builds");
        (pack, index)
    })
}

fn assert_well_formed(query: &str) {
    let (pack, index) = shared();
    let hits = index.resolve(query, 5);
    assert!(hits.len() <= 5);
    let mut seen = HashSet::new();
    for hit in &hits {
        assert!((0.0..=1.0).contains(&hit.confidence), "{query:?}: {hit:?}");
        assert!(pack.topic(&hit.slug).is_some(), "{query:?}: {hit:?}");
        assert!(
            seen.insert(&hit.slug),
            "duplicate {} for {query:?}",
            hit.slug
        );
    }
    let suggestions = index.autocomplete(query);
    assert!(suggestions.len() <= AUTOCOMPLETE_MAX);
    let mut seen = HashSet::new();
    for suggestion in &suggestions {
        assert!(pack.topic(&suggestion.slug).is_some());
        assert!(seen.insert(&suggestion.slug));
        assert!(
            suggestion.title.chars().count() <= 100,
            "Discord caps choice names at 100"
        );
    }
}

/// Strings built from the characters that break naive query handling.
fn hostile() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "\"",
        "'",
        "(",
        ")",
        "[",
        "]",
        "{",
        "}",
        "*",
        "?",
        "~",
        "^",
        ":",
        "+",
        "-",
        "!",
        "\\",
        "/",
        "AND",
        "OR",
        "NOT",
        "title:",
        "body:jwt",
        "IN [",
        "\"unclosed",
        "' OR 1=1 --",
        "DROP TABLE answers;",
        "🦀",
        "👩‍💻",
        "\u{0}",
        "\u{7}",
        "\u{200b}",
        "\n",
        "\t",
        "é",
        "ß",
        "中文",
        "jwt",
        "kub",
        "n+1",
        "k8s",
        " ",
        "%",
        "_",
        "%%",
        "<script>",
        "${x}",
    ]);
    prop::collection::vec(pieces, 0..40).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5_000, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_breaks_search(query in any::<String>()) {
        assert_well_formed(&query);
    }

    #[test]
    fn query_syntax_and_control_characters_never_break_search(query in hostile()) {
        assert_well_formed(&query);
    }
}

#[test]
fn edge_cases_are_answered_too() {
    let long_word = "a".repeat(10_000);
    let long_words = "jwt ".repeat(2_500);
    let emoji = "🦀".repeat(3_000);
    let cases = [
        "",
        " ",
        "\u{0}",
        "\"",
        "(",
        ")",
        "*",
        "title:",
        "AND",
        "OR OR OR",
        "\"\"\"",
        long_word.as_str(),
        long_words.as_str(),
        emoji.as_str(),
        "- -- ---",
        "+",
        "++",
        "n++1",
    ];
    for query in cases {
        assert_well_formed(query);
    }
}
