//! Topic cards and quiz questions, as loaded and checked content.

use std::collections::HashMap;
use std::fmt;

/// How advanced a topic or a question is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Level {
    Junior,
    Mid,
    Senior,
}

impl Level {
    pub const ALL: [Level; 3] = [Level::Junior, Level::Mid, Level::Senior];

    pub fn parse(text: &str) -> Option<Level> {
        match text {
            "junior" => Some(Level::Junior),
            "mid" => Some(Level::Mid),
            "senior" => Some(Level::Senior),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Level::Junior => "junior",
            Level::Mid => "mid",
            Level::Senior => "senior",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The ten areas the content is organised in; each is a folder under `content/topics/`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Databases,
    ApiDesign,
    Security,
    Performance,
    Architecture,
    Devops,
    Observability,
    Testing,
    Data,
    Programming,
}

impl Category {
    pub const ALL: [Category; 10] = [
        Category::Databases,
        Category::ApiDesign,
        Category::Security,
        Category::Performance,
        Category::Architecture,
        Category::Devops,
        Category::Observability,
        Category::Testing,
        Category::Data,
        Category::Programming,
    ];

    /// The folder name, which is also how members and moderators name it.
    pub fn slug(self) -> &'static str {
        match self {
            Category::Databases => "databases",
            Category::ApiDesign => "api-design",
            Category::Security => "security",
            Category::Performance => "performance",
            Category::Architecture => "architecture",
            Category::Devops => "devops",
            Category::Observability => "observability",
            Category::Testing => "testing",
            Category::Data => "data",
            Category::Programming => "programming",
        }
    }

    /// How the category reads in a heading.
    pub fn label(self) -> &'static str {
        match self {
            Category::Databases => "Databases",
            Category::ApiDesign => "API design",
            Category::Security => "Security",
            Category::Performance => "Performance",
            Category::Architecture => "Architecture",
            Category::Devops => "DevOps",
            Category::Observability => "Observability",
            Category::Testing => "Testing",
            Category::Data => "Data",
            Category::Programming => "Programming",
        }
    }

    pub fn parse(text: &str) -> Option<Category> {
        Category::ALL
            .into_iter()
            .find(|category| category.slug() == text)
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.slug())
    }
}

/// One topic card: what `/explain` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    pub slug: String,
    pub title: String,
    pub category: Category,
    pub aliases: Vec<String>,
    pub tags: Vec<String>,
    pub related: Vec<String>,
    pub level: Level,
    pub summary: String,
    pub key_points: String,
    pub example: String,
    pub pitfalls: String,
    pub interview_angle: String,
}

/// One multiple-choice interview question.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub topic: String,
    pub level: Level,
    pub prompt: String,
    pub choices: [String; 4],
    /// Index into `choices` of the right answer (0 = A).
    pub answer: usize,
    pub explanation: String,
    pub discuss: String,
}

impl Question {
    pub const LETTERS: [char; 4] = ['A', 'B', 'C', 'D'];

    pub fn answer_letter(&self) -> char {
        Self::LETTERS[self.answer]
    }
}

/// All cards and questions, checked and ready to serve. Cards are sorted by slug and
/// questions by id, so every derived order (draws, listings) is stable across restarts.
#[derive(Debug, Clone, Default)]
pub struct ContentPack {
    topics: Vec<Topic>,
    questions: Vec<Question>,
    topic_index: HashMap<String, usize>,
}

impl ContentPack {
    pub fn new(mut topics: Vec<Topic>, mut questions: Vec<Question>) -> ContentPack {
        topics.sort_by(|a, b| a.slug.cmp(&b.slug));
        questions.sort_by(|a, b| a.id.cmp(&b.id));
        let topic_index = topics
            .iter()
            .enumerate()
            .map(|(position, topic)| (topic.slug.clone(), position))
            .collect();
        ContentPack {
            topics,
            questions,
            topic_index,
        }
    }

    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    pub fn questions(&self) -> &[Question] {
        &self.questions
    }

    pub fn topic(&self, slug: &str) -> Option<&Topic> {
        self.topic_index
            .get(slug)
            .map(|&position| &self.topics[position])
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions
            .binary_search_by(|question| question.id.as_str().cmp(id))
            .ok()
            .map(|position| &self.questions[position])
    }

    pub fn topics_in(&self, category: Category) -> impl Iterator<Item = &Topic> {
        self.topics
            .iter()
            .filter(move |topic| topic.category == category)
    }

    pub fn questions_about<'a>(&'a self, slug: &'a str) -> impl Iterator<Item = &'a Question> {
        self.questions
            .iter()
            .filter(move |question| question.topic == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_round_trips_through_its_slug() {
        for category in Category::ALL {
            assert_eq!(Category::parse(category.slug()), Some(category));
        }
        assert_eq!(Category::parse("Databases"), None);
    }

    #[test]
    fn levels_parse_only_their_lowercase_names() {
        for level in Level::ALL {
            assert_eq!(Level::parse(level.as_str()), Some(level));
        }
        assert_eq!(Level::parse("expert"), None);
    }
}
