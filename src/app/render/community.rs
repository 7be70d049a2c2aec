//! Community questions: the suggestion form, what a member is told about a submission, their
//! list, the moderators' review card, and the bank settings.

use super::super::action::{Action, Form};
use super::super::community::REASON_MAX;
use super::super::reply::{Button, ButtonStyle, Embed, FormInput, FormView, Reply};
use super::quiz::{question_text, topic_footer};
use super::QUESTION_COLOUR;
use crate::content::{CHOICE_MAX, EXPLANATION_MAX, PROMPT_MAX};
use crate::domain::community::{
    BankSource, Suggestion, SuggestionDraft, SuggestionState, FORM_INPUTS,
};
use crate::domain::text::truncate_chars;
use crate::domain::{ContentPack, Question};

/// Discord caps a modal title at 45 characters and an input label at 45.
const LABEL_MAX: usize = 45;

/// The suggestion form, filled with `draft` (empty for a new one).
pub fn suggestion_form(form: Form, draft: &SuggestionDraft) -> Reply {
    let limits = [
        (false, 100),
        (true, PROMPT_MAX),
        // Four choices, each up to the cap, one per line, with room for "A. " prefixes.
        (true, 4 * (CHOICE_MAX + 4)),
        (false, 3),
        (true, EXPLANATION_MAX),
    ];
    let inputs = FORM_INPUTS
        .iter()
        .zip(draft.values())
        .zip(limits)
        .map(|(((id, label), value), (multiline, max_chars))| FormInput {
            id: id.to_string(),
            label: truncate_chars(label, LABEL_MAX),
            multiline,
            required: true,
            max_chars,
            value: truncate_chars(value, max_chars),
        })
        .collect();
    Reply::form(FormView {
        custom_id: form.custom_id(),
        title: "Suggest a question".into(),
        inputs,
    })
}

/// The reason a moderator gives for rejecting suggestion `id`.
pub fn reject_form(id: i64) -> Reply {
    Reply::form(FormView {
        custom_id: Form::RejectReason { id }.custom_id(),
        title: "Reject the suggestion".into(),
        inputs: vec![FormInput {
            id: "reason".into(),
            label: "Why (the author sees this)".into(),
            multiline: true,
            required: true,
            max_chars: REASON_MAX,
            value: String::new(),
        }],
    })
}

pub fn suggestion_queued(waiting: usize, max: usize) -> Reply {
    Reply::text(format!(
        "Thanks! Your question is waiting for a moderator ({waiting} of {max} pending). /suggest mine shows where it stands."
    ))
    .private()
}

/// A refused submission: every problem, and the button that reopens the form as typed.
pub fn suggestion_refused(draft_id: i64, problems: &[String]) -> Reply {
    let mut text = String::from("Not submitted yet; nothing you typed is lost:");
    for problem in problems {
        text.push_str("\n• ");
        text.push_str(problem);
    }
    Reply::text(text)
        .with_buttons(vec![Button::new(
            "Edit and resubmit",
            Action::EditSuggestion { id: draft_id }.custom_id(),
            ButtonStyle::Primary,
        )])
        .private()
}

/// `/suggest mine`.
pub fn my_suggestions(suggestions: &[Suggestion]) -> Reply {
    if suggestions.is_empty() {
        return Reply::text(
            "You have not suggested a question in this server yet: /suggest question opens the form.",
        )
        .private();
    }
    let lines: Vec<String> = suggestions
        .iter()
        .map(|suggestion| {
            let prompt = truncate_chars(suggestion.draft.prompt.trim(), 80);
            match (
                suggestion.state,
                &suggestion.reason,
                &suggestion.question_id,
            ) {
                (SuggestionState::Approved, _, Some(id)) => {
                    format!("✅ approved as `{id}`: {prompt}")
                }
                (SuggestionState::Rejected, Some(reason), _) => {
                    format!("❌ rejected: {prompt}\n   Reason: {reason}")
                }
                (state, _, _) => format!("⏳ {}: {prompt}", state.as_str()),
            }
        })
        .collect();
    Reply::embed(Embed {
        title: "Your suggested questions".into(),
        description: lines.join("\n").into(),
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    })
    .private()
}

fn review_buttons(id: i64) -> Vec<Button> {
    vec![
        Button::new(
            "Approve",
            Action::Approve { id }.custom_id(),
            ButtonStyle::Success,
        ),
        Button::new(
            "Reject",
            Action::Reject { id }.custom_id(),
            ButtonStyle::Danger,
        ),
        Button::new(
            "Skip",
            Action::Skip { id }.custom_id(),
            ButtonStyle::Secondary,
        ),
    ]
}

fn author(suggestion: &Suggestion) -> String {
    super::super::bank::shown_author(suggestion.author_name.as_deref())
}

/// The review card: the question as it would be posted, its explanation, the closest
/// existing questions with their similarity, and Approve / Reject / Skip.
pub fn suggestion_for_review(
    pack: &ContentPack,
    suggestion: &Suggestion,
    question: &Question,
    closest: &[(Question, f32)],
    waiting: u32,
) -> Reply {
    let similar = if closest.is_empty() {
        "Nothing similar in the bank.".to_string()
    } else {
        closest
            .iter()
            .map(|(existing, similarity)| {
                format!(
                    "{:.0}% `{}`: {}",
                    similarity * 100.0,
                    existing.id,
                    truncate_chars(&existing.prompt, 90)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let embed = Embed {
        title: format!("Suggested by {} · {waiting} waiting", author(suggestion)),
        description: question_text(question).into(),
        footer: Some(topic_footer(pack, question)),
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    }
    .field(
        &format!("Answer: {}", question.answer_letter()),
        truncate_chars(&question.explanation, 1000),
        false,
    )
    .field("Closest existing questions (similarity)", similar, false);
    Reply::embed(embed)
        .with_buttons(review_buttons(suggestion.id))
        .private()
}

/// A pending suggestion that no longer passes the checks (the content changed since).
pub fn suggestion_for_review_broken(
    suggestion: &Suggestion,
    problems: &[String],
    waiting: u32,
) -> Reply {
    let embed = Embed {
        title: format!("Suggested by {} · {waiting} waiting", author(suggestion)),
        description: format!(
            "{}\n\nIt no longer passes the checks:\n• {}",
            truncate_chars(&suggestion.draft.prompt, 1000),
            problems.join("\n• ")
        )
        .into(),
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    };
    Reply::embed(embed)
        .with_buttons(review_buttons(suggestion.id))
        .private()
}

pub fn suggestion_approved(question_id: &str) -> Reply {
    Reply::text(format!(
        "Approved as `{question_id}`: it joins this server's bank and is drawn like the built-in questions. Next: /studybot suggestions."
    ))
    .private()
}

pub fn bank_set(source: BankSource, own: u32) -> Reply {
    let what = match source {
        BankSource::BuiltIn => "the built-in questions only".to_string(),
        BankSource::Server => format!(
            "this server's own questions only ({own}; the built-in ones step in while there are none)"
        ),
        BankSource::Both => format!("the built-in questions and this server's own ({own})"),
    };
    Reply::text(format!(
        "Daily questions and practice now come from {what}."
    ))
    .private()
}
