//! The rules every question obeys, wherever it comes from: a questions file, a member's
//! suggestion typed into a Discord modal, or an imported file.
//!
//! One validator, so a question the bot accepts from a member is one `content check` accepts
//! upstream, and the other way round. Problems name the field they are about, so a questions
//! file can report them at that field's line and a modal can show them next to the input.

use std::collections::HashSet;
use std::fmt;

use super::prose;
use crate::domain::{ContentPack, Level, Question};

/// Length caps that keep a question inside one Discord embed (4096-character description)
/// with its four choices, and its explanation inside the ephemeral answer reply. The modal
/// uses them as its inputs' maximum lengths too.
pub const PROMPT_MAX: usize = 1000;
pub const CHOICE_MAX: usize = 200;
pub const EXPLANATION_MAX: usize = 1500;
pub const DISCUSS_MAX: usize = 500;

/// The part of a question a problem is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QuestionField {
    Id,
    Topic,
    Level,
    Prompt,
    Choices,
    Answer,
    Explanation,
    Discuss,
}

impl QuestionField {
    /// The key of the field in a questions file (`[[question]]` table).
    pub fn key(self) -> &'static str {
        match self {
            QuestionField::Id => "id",
            QuestionField::Topic => "topic",
            QuestionField::Level => "level",
            QuestionField::Prompt => "prompt",
            QuestionField::Choices => "choices",
            QuestionField::Answer => "answer",
            QuestionField::Explanation => "explanation",
            QuestionField::Discuss => "discuss",
        }
    }
}

impl fmt::Display for QuestionField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// One broken rule, and the field that breaks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: QuestionField,
    pub message: String,
}

impl FieldProblem {
    fn new(field: QuestionField, message: impl Into<String>) -> FieldProblem {
        FieldProblem {
            field,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

/// A question as typed (a file's table, a member's suggestion, an import), before checks.
#[derive(Debug, Clone, Copy)]
pub struct QuestionFields<'a> {
    pub id: &'a str,
    pub topic: &'a str,
    pub level: &'a str,
    pub prompt: &'a str,
    pub choices: &'a [String],
    /// 0 = A; an `i64` because that is what a file holds, so a wrong value can be reported.
    pub answer: i64,
    pub explanation: &'a str,
    pub discuss: &'a str,
}

/// Every rule a question obeys wherever it comes from; the question, or every problem.
///
/// The question comes back as it will be shown: texts trimmed, and the prompt, explanation
/// and `discuss` with wrapped lines joined (see `prose`), which is also how their lengths are
/// measured. The topic must be the slug of one of `pack_topics`' cards.
pub fn check_question(
    fields: &QuestionFields,
    pack_topics: &ContentPack,
) -> Result<Question, Vec<FieldProblem>> {
    check_question_with(fields, |slug| pack_topics.topic(slug).is_some())
}

/// [`check_question`] with the topic rule given as a function, for the loader: it knows the
/// slugs of cards that failed to parse too, and must not also call their questions unknown.
pub(super) fn check_question_with(
    fields: &QuestionFields,
    topic_exists: impl Fn(&str) -> bool,
) -> Result<Question, Vec<FieldProblem>> {
    let mut problems = Vec::new();
    let id = fields.id.trim();
    if id.is_empty() {
        problems.push(FieldProblem::new(
            QuestionField::Id,
            "the question id is empty",
        ));
    }
    let topic = fields.topic.trim();
    if topic.is_empty() {
        problems.push(FieldProblem::new(
            QuestionField::Topic,
            "the topic is empty",
        ));
    } else if !topic_exists(topic) {
        problems.push(FieldProblem::new(
            QuestionField::Topic,
            format!("unknown topic slug \"{topic}\""),
        ));
    }
    let level = Level::parse(fields.level);
    if level.is_none() {
        problems.push(FieldProblem::new(
            QuestionField::Level,
            format!("level \"{}\" must be junior, mid or senior", fields.level),
        ));
    }
    let prompt = shown_text(
        QuestionField::Prompt,
        fields.prompt,
        PROMPT_MAX,
        &mut problems,
    );
    let choices = checked_choices(fields.choices, &mut problems);
    let answer = usize::try_from(fields.answer)
        .ok()
        .filter(|answer| *answer < Question::LETTERS.len());
    if answer.is_none() {
        problems.push(FieldProblem::new(
            QuestionField::Answer,
            format!("answer {} must be 0, 1, 2 or 3 (A to D)", fields.answer),
        ));
    }
    let explanation = shown_text(
        QuestionField::Explanation,
        fields.explanation,
        EXPLANATION_MAX,
        &mut problems,
    );
    let discuss = shown_text(
        QuestionField::Discuss,
        fields.discuss,
        DISCUSS_MAX,
        &mut problems,
    );
    match (level, choices, answer) {
        (Some(level), Some(choices), Some(answer)) if problems.is_empty() => Ok(Question {
            id: id.to_string(),
            topic: topic.to_string(),
            level,
            prompt,
            choices,
            answer,
            explanation,
            discuss,
        }),
        _ => Err(problems),
    }
}

/// The text as it will be shown, after checking it is neither empty nor over `max`.
fn shown_text(
    field: QuestionField,
    text: &str,
    max: usize,
    problems: &mut Vec<FieldProblem>,
) -> String {
    let shown = prose::join_wrapped_lines(text.trim());
    let length = shown.chars().count();
    if length == 0 {
        problems.push(FieldProblem::new(field, format!("the {field} is empty")));
    } else if length > max {
        problems.push(FieldProblem::new(
            field,
            format!("the {field} is {length} characters; at most {max} fit the reply"),
        ));
    }
    shown
}

/// The four trimmed choices, or `None` with the problems recorded.
fn checked_choices(choices: &[String], problems: &mut Vec<FieldProblem>) -> Option<[String; 4]> {
    let before = problems.len();
    let trimmed: Vec<String> = choices
        .iter()
        .map(|choice| choice.trim().to_string())
        .collect();
    // Case is ignored: "Yes" and "yes" read as the same answer to a member.
    let distinct: HashSet<String> = trimmed.iter().map(|choice| choice.to_lowercase()).collect();
    if trimmed.len() != 4 {
        problems.push(FieldProblem::new(
            QuestionField::Choices,
            format!(
                "a question has exactly 4 choices, this one {}",
                trimmed.len()
            ),
        ));
    } else if distinct.len() != 4 || distinct.contains("") {
        problems.push(FieldProblem::new(
            QuestionField::Choices,
            "the 4 choices must be distinct and non-empty",
        ));
    }
    for (position, choice) in trimmed.iter().enumerate() {
        let length = choice.chars().count();
        if length > CHOICE_MAX {
            // Past four choices there is no letter; the position still finds it.
            let name = Question::LETTERS.get(position).map_or_else(
                || format!("choice {}", position + 1),
                |letter| format!("choice {letter}"),
            );
            problems.push(FieldProblem::new(
                QuestionField::Choices,
                format!("{name} is {length} characters; at most {CHOICE_MAX} fit the post"),
            ));
        }
    }
    if problems.len() > before {
        return None;
    }
    <[String; 4]>::try_from(trimmed).ok()
}
