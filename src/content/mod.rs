//! Loading and checking the content folder (the only module that reads TOML or the built-in
//! copy of `content/`).
//!
//! Cards are `topics/<category>/<slug>.md` with TOML front matter between `+++` lines and five
//! `## ` sections; questions are `[[question]]` tables in `questions/*.toml`. Every problem is
//! reported as a [`Diagnostic`] with the file and line it is on, so `content check` can print
//! `path:line: message` for an editor to jump to.

mod card;
mod prose;
mod question;
mod rules;
mod source;
mod writer;

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use crate::domain::text::name_key;
use crate::domain::{Category, ContentPack, Question, Topic};

pub use question::parse_questions_file;
pub use rules::{
    check_question, FieldProblem, QuestionField, QuestionFields, CHOICE_MAX, DISCUSS_MAX,
    EXPLANATION_MAX, PROMPT_MAX,
};
pub use source::SourceFile;
pub use writer::questions_file;

/// One problem in the content, at a place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub path: String,
    /// 1-based; `None` for a problem with a whole folder.
    pub line: Option<usize>,
    pub message: String,
}

impl Diagnostic {
    fn at(path: &str, line: usize, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            path: path.to_string(),
            line: Some(line),
            message: message.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path, line, self.message),
            None => write!(f, "{}: {}", self.path, self.message),
        }
    }
}

/// The content could not be loaded; every problem found is listed.
#[derive(Debug, thiserror::Error)]
#[error("the content has {} problem(s), the first: {}", .0.len(), .0.first().map(ToString::to_string).unwrap_or_default())]
pub struct ContentError(pub Vec<Diagnostic>);

/// The content compiled into the binary (from `content/` at build time).
pub fn load_built_in() -> Result<ContentPack, ContentError> {
    load_files(source::built_in_files())
}

/// The content of a folder in the same layout as `content/`.
pub fn load_dir(dir: &Path) -> Result<ContentPack, ContentError> {
    load_files(source::dir_files(dir).map_err(|problem| ContentError(vec![problem]))?)
}

/// Every problem in a content folder; empty when it is fine.
pub fn check_dir(dir: &Path) -> Vec<Diagnostic> {
    match load_dir(dir) {
        Ok(_) => Vec::new(),
        Err(ContentError(problems)) => problems,
    }
}

/// A parsed card and where its parts are, for checks that need other cards to decide.
struct LocatedTopic {
    topic: Topic,
    path: String,
    slug_line: usize,
    related_line: usize,
    alias_lines: Vec<(String, usize)>,
}

struct LocatedQuestion {
    question: Question,
    path: String,
    topic_line: usize,
}

fn load_files(files: Vec<SourceFile>) -> Result<ContentPack, ContentError> {
    let mut problems = Vec::new();
    let mut topics = Vec::new();
    let mut typed_questions = Vec::new();
    let mut broken_slugs = HashSet::new();
    for file in &files {
        match file.kind() {
            source::FileKind::Card { category_folder } => {
                match card::parse(file, category_folder) {
                    Ok(topic) => topics.push(topic),
                    Err(mut broken) => {
                        problems.append(&mut broken.problems);
                        broken_slugs.extend(broken.slug);
                    }
                }
            }
            source::FileKind::Questions => match question::read(&file.path, file.text()) {
                Ok(mut typed) => typed_questions.append(&mut typed),
                Err(mut found) => problems.append(&mut found),
            },
            source::FileKind::Misplaced(reason) => {
                problems.push(Diagnostic::at(&file.path, 1, reason));
            }
            source::FileKind::Ignored => {}
        }
    }
    if topics.is_empty() && problems.is_empty() {
        problems.push(Diagnostic {
            path: "topics".into(),
            line: None,
            message: "no topic cards found (expected topics/<category>/<slug>.md)".into(),
        });
    }
    check_topics_together(&topics, &broken_slugs, &mut problems);
    // A card that failed to parse is reported once, not again by each of its questions.
    let known_slugs: HashSet<&str> = topics
        .iter()
        .map(|located| located.topic.slug.as_str())
        .chain(broken_slugs.iter().map(String::as_str))
        .collect();
    let mut questions = Vec::new();
    for typed in &typed_questions {
        match typed.check(|slug| known_slugs.contains(slug)) {
            Ok(located) => questions.push(located),
            Err(mut found) => problems.append(&mut found),
        }
    }
    check_question_ids(&typed_questions, &mut problems);
    check_question_files(&topics, &questions, &mut problems);
    if problems.is_empty() {
        Ok(ContentPack::new(
            topics.into_iter().map(|located| located.topic).collect(),
            questions
                .into_iter()
                .map(|located| located.question)
                .collect(),
        ))
    } else {
        problems.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        Err(ContentError(problems))
    }
}

/// Checks that need all cards: unique slugs and names, known `related` slugs.
fn check_topics_together(
    topics: &[LocatedTopic],
    broken_slugs: &HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) {
    let mut slugs: HashMap<&str, &LocatedTopic> = HashMap::new();
    for located in topics {
        if let Some(first) = slugs.insert(&located.topic.slug, located) {
            problems.push(Diagnostic::at(
                &located.path,
                located.slug_line,
                format!(
                    "duplicate slug \"{}\" (also in {})",
                    located.topic.slug, first.path
                ),
            ));
        }
    }
    // Names are what resolution matches exactly, so two cards must never share one.
    let mut owners: HashMap<String, &str> = HashMap::new();
    for located in topics {
        let mut own_keys = HashSet::new();
        for (name, line) in &located.alias_lines {
            let key = name_key(name);
            if !own_keys.insert(key.clone()) {
                continue;
            }
            match owners.get(&key) {
                Some(owner) if *owner != located.topic.slug => problems.push(Diagnostic::at(
                    &located.path,
                    *line,
                    format!("the name \"{name}\" is already used by the card \"{owner}\""),
                )),
                _ => {
                    owners.insert(key, &located.topic.slug);
                }
            }
        }
    }
    for located in topics {
        for related in &located.topic.related {
            if !slugs.contains_key(related.as_str()) && !broken_slugs.contains(related) {
                problems.push(Diagnostic::at(
                    &located.path,
                    located.related_line,
                    format!("unknown related slug \"{related}\""),
                ));
            }
        }
    }
}

/// Ids are unique across all files, checked on every question, even one with other problems.
fn check_question_ids(questions: &[question::TypedQuestion], problems: &mut Vec<Diagnostic>) {
    let mut ids: HashMap<&str, &str> = HashMap::new();
    for typed in questions {
        // An empty id is reported by the rules already.
        if typed.id().is_empty() {
            continue;
        }
        if let Some(first_path) = ids.insert(typed.id(), &typed.path) {
            problems.push(Diagnostic::at(
                &typed.path,
                typed.line(QuestionField::Id),
                format!(
                    "duplicate question id \"{}\" (also in {first_path})",
                    typed.id()
                ),
            ));
        }
    }
}

/// One questions file per category, so each writer owns one file and the balance guards
/// (answer letters, cues) can be read per file.
fn check_question_files(
    topics: &[LocatedTopic],
    questions: &[LocatedQuestion],
    problems: &mut Vec<Diagnostic>,
) {
    let categories: HashMap<&str, Category> = topics
        .iter()
        .map(|t| (t.topic.slug.as_str(), t.topic.category))
        .collect();
    for located in questions {
        let question = &located.question;
        let file = Path::new(&located.path)
            .file_stem()
            .map(|stem| stem.to_string_lossy());
        if let Some(category) = categories.get(question.topic.as_str()) {
            if file.as_deref() != Some(category.slug()) {
                problems.push(Diagnostic::at(
                    &located.path,
                    located.topic_line,
                    format!(
                        "the topic \"{}\" is in {category}, so this question belongs in \
                         questions/{category}.toml",
                        question.topic
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_content_loads_without_problems() {
        let pack = load_built_in().unwrap_or_else(|error| {
            panic!(
                "{}",
                error
                    .0
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            )
        });
        assert!(pack.topics().len() >= 15);
    }
}
