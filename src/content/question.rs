//! Reading a questions file: `[[question]]` tables, each field with the line it is on.
//!
//! Reading and checking are two steps: the rules need the topics (see `rules`), which the
//! loader only knows once every card is parsed, and an import checks against a loaded pack.

use std::collections::hash_map::{Entry, HashMap};

use serde::Deserialize;
use toml::Spanned;

use super::rules::{self, FieldProblem, QuestionField, QuestionFields};
use super::{Diagnostic, LocatedQuestion};
use crate::domain::{ContentPack, Question};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct QuestionFile {
    #[serde(default)]
    question: Vec<RawQuestion>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Spanned<String>,
    topic: Spanned<String>,
    level: Spanned<String>,
    prompt: Spanned<String>,
    choices: Spanned<Vec<String>>,
    answer: Spanned<i64>,
    explanation: Spanned<String>,
    discuss: Spanned<String>,
}

/// One `[[question]]` table as written, not yet checked, and where it is.
pub(super) struct TypedQuestion {
    pub path: String,
    id: String,
    topic: String,
    level: String,
    prompt: String,
    choices: Vec<String>,
    answer: i64,
    explanation: String,
    discuss: String,
    lines: FieldLines,
}

/// The 1-based line each field's value starts on.
struct FieldLines {
    id: usize,
    topic: usize,
    level: usize,
    prompt: usize,
    choices: usize,
    answer: usize,
    explanation: usize,
    discuss: usize,
}

impl TypedQuestion {
    pub fn fields(&self) -> QuestionFields<'_> {
        QuestionFields {
            id: &self.id,
            topic: &self.topic,
            level: &self.level,
            prompt: &self.prompt,
            choices: &self.choices,
            answer: self.answer,
            explanation: &self.explanation,
            discuss: &self.discuss,
        }
    }

    /// The id as the checked question will have it, for checks across questions.
    pub fn id(&self) -> &str {
        self.id.trim()
    }

    pub fn line(&self, field: QuestionField) -> usize {
        let lines = &self.lines;
        match field {
            QuestionField::Id => lines.id,
            QuestionField::Topic => lines.topic,
            QuestionField::Level => lines.level,
            QuestionField::Prompt => lines.prompt,
            QuestionField::Choices => lines.choices,
            QuestionField::Answer => lines.answer,
            QuestionField::Explanation => lines.explanation,
            QuestionField::Discuss => lines.discuss,
        }
    }

    /// The question if it obeys every rule, or each problem at its field's line.
    pub fn check(
        &self,
        topic_exists: impl Fn(&str) -> bool,
    ) -> Result<LocatedQuestion, Vec<Diagnostic>> {
        match rules::check_question_with(&self.fields(), topic_exists) {
            Ok(question) => Ok(LocatedQuestion {
                question,
                path: self.path.clone(),
                topic_line: self.lines.topic,
            }),
            Err(problems) => Err(problems
                .into_iter()
                .map(|FieldProblem { field, message }| {
                    Diagnostic::at(&self.path, self.line(field), message)
                })
                .collect()),
        }
    }
}

/// Every `[[question]]` table in `text`, or the TOML error at its line.
pub(super) fn read(path: &str, text: &str) -> Result<Vec<TypedQuestion>, Vec<Diagnostic>> {
    let line_of = |offset: usize| 1 + text[..offset.min(text.len())].matches('\n').count();
    let parsed: QuestionFile = toml::from_str(text).map_err(|error| {
        let line = error.span().map_or(1, |span| line_of(span.start));
        vec![Diagnostic::at(
            path,
            line,
            error.message().trim().to_string(),
        )]
    })?;
    Ok(parsed
        .question
        .into_iter()
        .map(|raw| TypedQuestion {
            path: path.to_string(),
            lines: FieldLines {
                id: line_of(raw.id.span().start),
                topic: line_of(raw.topic.span().start),
                level: line_of(raw.level.span().start),
                prompt: line_of(raw.prompt.span().start),
                choices: line_of(raw.choices.span().start),
                answer: line_of(raw.answer.span().start),
                explanation: line_of(raw.explanation.span().start),
                discuss: line_of(raw.discuss.span().start),
            },
            id: raw.id.into_inner(),
            topic: raw.topic.into_inner(),
            level: raw.level.into_inner(),
            prompt: raw.prompt.into_inner(),
            choices: raw.choices.into_inner(),
            answer: raw.answer.into_inner(),
            explanation: raw.explanation.into_inner(),
            discuss: raw.discuss.into_inner(),
        })
        .collect())
}

/// The questions of one file brought in from elsewhere (an import into a server's bank),
/// checked against `pack`'s topics; all of them, or every problem as `path:line: message`.
///
/// Besides the rules of each question: TOML errors, and an id used twice in the file. Ids
/// already in a bank, and which category file a question would belong in upstream, are the
/// caller's concern.
pub fn parse_questions_file(
    path: &str,
    text: &str,
    pack: &ContentPack,
) -> Result<Vec<Question>, Vec<Diagnostic>> {
    let typed = read(path, text)?;
    let mut problems = Vec::new();
    let mut questions = Vec::new();
    let mut first_lines: HashMap<&str, usize> = HashMap::new();
    for question in &typed {
        let id_line = question.line(QuestionField::Id);
        // An empty id is reported by the rules already; twice empty is not news.
        if !question.id().is_empty() {
            match first_lines.entry(question.id()) {
                Entry::Occupied(first) => problems.push(Diagnostic::at(
                    path,
                    id_line,
                    format!(
                        "duplicate question id \"{}\" (also on line {})",
                        question.id(),
                        first.get()
                    ),
                )),
                Entry::Vacant(first) => {
                    first.insert(id_line);
                }
            }
        }
        match question.check(|slug| pack.topic(slug).is_some()) {
            Ok(located) => questions.push(located.question),
            Err(mut found) => problems.append(&mut found),
        }
    }
    if problems.is_empty() {
        Ok(questions)
    } else {
        problems.sort_by_key(|problem| problem.line);
        Err(problems)
    }
}
