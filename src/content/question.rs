//! Parsing a questions file: `[[question]]` tables.

use std::collections::HashSet;

use serde::Deserialize;
use toml::Spanned;

use super::prose;
use super::source::SourceFile;
use super::{Diagnostic, LocatedQuestion};
use crate::domain::{Level, Question};

/// Length caps that keep a question inside one Discord embed (4096-character description)
/// with its four choices, and its explanation inside the ephemeral answer reply.
const PROMPT_MAX: usize = 1000;
const CHOICE_MAX: usize = 200;
const EXPLANATION_MAX: usize = 1500;
const DISCUSS_MAX: usize = 500;

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

pub(super) fn parse(file: &SourceFile) -> Result<Vec<LocatedQuestion>, Vec<Diagnostic>> {
    let path = file.path.as_str();
    let text = file.text();
    let line_of = |offset: usize| 1 + text[..offset.min(text.len())].matches('\n').count();
    let parsed: QuestionFile = toml::from_str(text).map_err(|error| {
        let line = error.span().map_or(1, |span| line_of(span.start));
        vec![Diagnostic::at(
            path,
            line,
            error.message().trim().to_string(),
        )]
    })?;
    let mut problems = Vec::new();
    let mut questions = Vec::new();
    for raw in parsed.question {
        let mut problem = |spanned_start: usize, message: String| {
            problems.push(Diagnostic::at(path, line_of(spanned_start), message));
        };
        let id = raw.id.get_ref().trim().to_string();
        if id.is_empty() {
            problem(raw.id.span().start, "the question id is empty".into());
        }
        let level = Level::parse(raw.level.get_ref());
        if level.is_none() {
            problem(
                raw.level.span().start,
                format!(
                    "level \"{}\" must be junior, mid or senior",
                    raw.level.get_ref()
                ),
            );
        }
        let choices = raw.choices.get_ref();
        let distinct: HashSet<String> = choices
            .iter()
            .map(|choice| choice.trim().to_lowercase())
            .collect();
        if choices.len() != 4 {
            problem(
                raw.choices.span().start,
                format!(
                    "a question has exactly 4 choices, this one {}",
                    choices.len()
                ),
            );
        } else if distinct.len() != 4 || distinct.contains("") {
            problem(
                raw.choices.span().start,
                "the 4 choices must be distinct and non-empty".into(),
            );
        }
        let answer = *raw.answer.get_ref();
        if !(0..=3).contains(&answer) {
            problem(
                raw.answer.span().start,
                format!("answer {answer} must be 0, 1, 2 or 3 (A to D)"),
            );
        }
        let texts = [
            ("prompt", &raw.prompt, PROMPT_MAX),
            ("explanation", &raw.explanation, EXPLANATION_MAX),
            ("discuss", &raw.discuss, DISCUSS_MAX),
        ];
        for (name, value, max) in texts {
            // Measured as it will be shown: wrapped lines joined.
            let length = prose::join_wrapped_lines(value.get_ref().trim())
                .chars()
                .count();
            if length == 0 {
                problem(value.span().start, format!("the {name} is empty"));
            } else if length > max {
                problem(
                    value.span().start,
                    format!("the {name} is {length} characters; at most {max} fit the reply"),
                );
            }
        }
        for choice in choices {
            let length = choice.trim().chars().count();
            if length > CHOICE_MAX {
                problem(
                    raw.choices.span().start,
                    format!("a choice is {length} characters; at most {CHOICE_MAX} fit the post"),
                );
            }
        }
        let (Some(level), Ok(choices), Ok(answer)) = (
            level,
            <[String; 4]>::try_from(choices.clone()),
            usize::try_from(answer),
        ) else {
            continue;
        };
        if answer > 3 {
            continue;
        }
        questions.push(LocatedQuestion {
            question: Question {
                id,
                topic: raw.topic.get_ref().trim().to_string(),
                level,
                prompt: prose::join_wrapped_lines(raw.prompt.get_ref().trim()),
                choices: choices.map(|choice| choice.trim().to_string()),
                answer,
                explanation: prose::join_wrapped_lines(raw.explanation.get_ref().trim()),
                discuss: prose::join_wrapped_lines(raw.discuss.get_ref().trim()),
            },
            path: path.to_string(),
            id_line: line_of(raw.id.span().start),
            topic_line: line_of(raw.topic.span().start),
        });
    }
    if problems.is_empty() {
        Ok(questions)
    } else {
        Err(problems)
    }
}
