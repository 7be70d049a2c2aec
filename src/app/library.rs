//! The content and its search index together: what the bot knows, and the one rule for when
//! a lookup is sure enough to show a card. `studybot ask` uses it without a database.

use std::path::Path;
use std::sync::Arc;

use anyhow::Context as _;

use crate::content;
use crate::domain::{Category, ContentPack, Question, Topic};
use crate::search::SearchIndex;

pub use crate::search::{Hit, AUTOCOMPLETE_MAX};

/// What a typed topic resolves to.
#[derive(Debug)]
pub enum Lookup<'a> {
    /// A confident match: show this card.
    Card(&'a Topic, Vec<Hit>),
    /// Candidates, none sure enough: offer them ("Did you mean").
    DidYouMean(Vec<Hit>),
    Nothing,
}

impl Lookup<'_> {
    /// Every hit, best first (empty for nothing).
    pub fn hits(&self) -> &[Hit] {
        match self {
            Lookup::Card(_, hits) | Lookup::DidYouMean(hits) => hits,
            Lookup::Nothing => &[],
        }
    }
}

/// One choice offered while a member types: the name shown, the value sent back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    pub name: String,
    pub value: String,
}

#[derive(Clone)]
pub struct Library {
    pack: Arc<ContentPack>,
    index: Arc<SearchIndex>,
}

impl Library {
    pub fn new(pack: ContentPack) -> anyhow::Result<Library> {
        let index = SearchIndex::build(&pack).context("building the search index")?;
        Ok(Library {
            pack: Arc::new(pack),
            index: Arc::new(index),
        })
    }

    /// The built-in content, or the folder `dir` in the same format.
    pub fn load(dir: Option<&Path>) -> anyhow::Result<Library> {
        let pack = match dir {
            Some(dir) => content::load_dir(dir),
            None => content::load_built_in(),
        }
        .context("loading the content")?;
        Library::new(pack)
    }

    pub fn pack(&self) -> &ContentPack {
        &self.pack
    }

    pub fn topic(&self, slug: &str) -> Option<&Topic> {
        self.pack.topic(slug)
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.pack.question(id)
    }

    /// The cards that best answer `typed`, best first; timed for the search metric.
    pub fn resolve(&self, typed: &str, limit: usize) -> Vec<Hit> {
        let started = std::time::Instant::now();
        let hits = self.index.resolve(typed, limit);
        crate::telemetry::record_search("resolve", started.elapsed());
        hits
    }

    /// What `/explain` shows for `typed`.
    pub fn lookup(&self, typed: &str, limit: usize) -> Lookup<'_> {
        let hits = self.resolve(typed, limit);
        match hits.first() {
            None => Lookup::Nothing,
            Some(best) if best.is_confident() => match self.pack.topic(&best.slug) {
                Some(topic) => Lookup::Card(topic, hits),
                None => Lookup::DidYouMean(hits),
            },
            Some(_) => Lookup::DidYouMean(hits),
        }
    }

    /// The slug of the card `typed` confidently names, if any.
    pub fn confident_slug(&self, typed: &str) -> Option<String> {
        match self.lookup(typed, 1) {
            Lookup::Card(topic, _) => Some(topic.slug.clone()),
            _ => None,
        }
    }

    /// Topic titles for what has been typed so far.
    pub fn autocomplete_topics(&self, typed: &str) -> Vec<Suggestion> {
        let started = std::time::Instant::now();
        let suggestions = self.index.autocomplete(typed);
        crate::telemetry::record_search("autocomplete", started.elapsed());
        suggestions
            .into_iter()
            .map(|suggestion| Suggestion {
                name: suggestion.title,
                value: suggestion.slug,
            })
            .collect()
    }

    /// Categories first, then topics, for `/topicweek schedule`.
    pub fn autocomplete_week_topics(&self, typed: &str) -> Vec<Suggestion> {
        let key = crate::domain::text::name_key(typed);
        let mut choices: Vec<Suggestion> = Category::ALL
            .into_iter()
            .filter(|category| {
                key.is_empty() || crate::domain::text::name_key(category.slug()).starts_with(&key)
            })
            .map(|category| Suggestion {
                name: format!("{} (category)", category.label()),
                value: category.slug().to_string(),
            })
            .collect();
        choices.extend(self.autocomplete_topics(typed));
        choices.truncate(AUTOCOMPLETE_MAX);
        choices
    }
}
