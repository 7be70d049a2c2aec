//! The content pack as the files on disk are now, shared by the content tests.
//!
//! These tests load from disk rather than the copy compiled into the binary, so that a test
//! binary built once measures the files as writers edit
//! them, with no rebuild.

use std::path::PathBuf;
use std::sync::OnceLock;

use studybot::content::load_dir;
use studybot::domain::{Category, ContentPack, Question};

/// Set it to measure another content folder (e.g. an old copy from `git archive`).
pub const CONTENT_DIR_VAR: &str = "STUDYBOT_CUES_CONTENT_DIR";

pub fn content_dir() -> PathBuf {
    std::env::var_os(CONTENT_DIR_VAR)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/content")))
}

/// Loaded once per test process; a broken folder fails with every `path:line: message`.
pub fn pack() -> &'static ContentPack {
    static PACK: OnceLock<ContentPack> = OnceLock::new();
    PACK.get_or_init(|| {
        let dir = content_dir();
        load_dir(&dir).unwrap_or_else(|error| {
            let problems: Vec<String> = error.0.iter().map(ToString::to_string).collect();
            panic!(
                "the content in {} does not load (run `studybot content check --dir {0}`):\n{}",
                dir.display(),
                problems.join("\n")
            )
        })
    })
}

/// The category whose questions file a question belongs in: its topic card's category.
#[allow(dead_code)] // not every test file groups by category
pub fn category_of(pack: &ContentPack, question: &Question) -> Category {
    pack.topic(&question.topic)
        .map(|topic| topic.category)
        .expect("the loader refuses questions about unknown topics")
}
