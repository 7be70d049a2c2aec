//! Community questions: members suggest questions through a form, moderators review them,
//! approved ones join the server's bank; moderators choose the bank and retire questions.
//!
//! A submission is checked by the same validator as `content check`
//! ([`crate::content::check_question`]). Whatever happens, nothing typed is lost: a refused
//! submission is kept as a draft that "Edit and resubmit" reopens with every field.

use super::action::Form;
use super::error::user_error;
use super::render;
use super::reply::Reply;
use super::{App, AppResult, Caller};
use crate::content::{check_question, QuestionField, QuestionFields};
use crate::domain::community::{
    BankSource, SuggestionDraft, SuggestionState, COMMUNITY_DISCUSS, PENDING_MAX,
};
use crate::domain::text::truncate_chars;
use crate::domain::Question;
use crate::store::Submitted;

/// The review shows this many of the closest existing questions.
const SIMILAR_SHOWN: usize = 3;
/// Typed text is echoed back at most this long.
const ECHO_CHARS: usize = 60;
/// A rejection reason is kept at most this long.
pub(super) const REASON_MAX: usize = 500;

/// The form input a problem belongs to, as the member sees it.
fn input_label(field: QuestionField) -> &'static str {
    match field {
        QuestionField::Topic => "Topic",
        QuestionField::Prompt => "Question",
        QuestionField::Choices => "Choices",
        QuestionField::Answer => "Right letter",
        QuestionField::Explanation => "Explanation",
        // The form has no inputs for these; the bot fills them.
        QuestionField::Id | QuestionField::Level | QuestionField::Discuss => "Question",
    }
}

impl App {
    /// Checks a draft with the content rules; the question (without its final id) or every
    /// problem, each naming the input it is about.
    pub(super) fn check_draft(&self, draft: &SuggestionDraft) -> Result<Question, Vec<String>> {
        let mut problems = Vec::new();
        let topic = self
            .library
            .confident_slug(&draft.topic)
            .and_then(|slug| self.library.topic(&slug));
        if topic.is_none() {
            problems.push(if draft.topic.trim().is_empty() {
                "Topic: name the card the question is about (a title, alias or slug, see /topics)."
                    .to_string()
            } else {
                format!(
                    "Topic: no card matches “{}”. Use a card's title, alias or slug (see /topics).",
                    truncate_chars(draft.topic.trim(), ECHO_CHARS)
                )
            });
        }
        let answer = draft.answer_index();
        if answer.is_none() {
            problems.push("Right letter: type A, B, C or D.".to_string());
        }
        let choices = draft.choice_lines();
        let fields = QuestionFields {
            id: "suggestion",
            topic: topic.map_or("", |topic| topic.slug.as_str()),
            level: topic.map_or("junior", |topic| topic.level.as_str()),
            prompt: &draft.prompt,
            choices: &choices,
            answer: answer.map_or(0, |index| index as i64),
            explanation: &draft.explanation,
            discuss: COMMUNITY_DISCUSS,
        };
        match check_question(&fields, self.library.pack()) {
            Ok(question) if problems.is_empty() => Ok(question),
            Ok(_) => Err(problems),
            Err(found) => {
                for problem in found {
                    // An unknown topic is already said in the member's words.
                    if problem.field == QuestionField::Topic && topic.is_none() {
                        continue;
                    }
                    problems.push(format!(
                        "{}: {}",
                        input_label(problem.field),
                        problem.message
                    ));
                }
                Err(problems)
            }
        }
    }

    /// `/suggest question`: the empty form.
    pub(super) fn suggestion_form(&self) -> Reply {
        render::suggestion_form(
            Form::Suggestion { draft: None },
            &SuggestionDraft::default(),
        )
    }

    /// A submitted suggestion form (new, or a draft resubmitted).
    pub(super) async fn submit_suggestion(
        &self,
        caller: &Caller,
        draft_id: Option<i64>,
        draft: SuggestionDraft,
    ) -> AppResult<Reply> {
        let checked = self.check_draft(&draft);
        let outcome = self
            .db
            .submit_suggestion(
                caller.server_id,
                caller.user_id,
                &caller.display_name,
                &draft,
                checked.is_ok(),
                draft_id,
                self.clock.now(),
            )
            .await?;
        Ok(match (checked, outcome) {
            (Ok(_), Submitted::Saved(_)) => {
                let waiting = self
                    .db
                    .member_suggestions(caller.server_id, caller.user_id)
                    .await?
                    .iter()
                    .filter(|suggestion| suggestion.state == SuggestionState::Pending)
                    .count();
                render::suggestion_queued(waiting, PENDING_MAX as usize)
            }
            (Ok(_), Submitted::TooManyPending(id)) => render::suggestion_refused(
                id,
                &[format!(
                    "You already have {PENDING_MAX} suggestions waiting for review; your question is kept as a draft until one of them is reviewed."
                )],
            ),
            (Err(problems), Submitted::Saved(id) | Submitted::TooManyPending(id)) => {
                render::suggestion_refused(id, &problems)
            }
        })
    }

    /// "Edit and resubmit": reopens the form with the draft as typed (its author only).
    pub(super) async fn edit_suggestion(&self, caller: &Caller, id: i64) -> AppResult<Reply> {
        match self.db.suggestion(caller.server_id, id).await? {
            Some(suggestion)
                if suggestion.author_id == Some(caller.user_id)
                    && suggestion.state == SuggestionState::Draft =>
            {
                Ok(render::suggestion_form(
                    Form::Suggestion { draft: Some(id) },
                    &suggestion.draft,
                ))
            }
            _ => user_error(
                "That draft is no longer there: it was submitted already, or it is someone else's.",
            ),
        }
    }

    /// `/suggest mine`: the member's suggestions with their state and any reason.
    pub(super) async fn my_suggestions(&self, caller: &Caller) -> AppResult<Reply> {
        let suggestions = self
            .db
            .member_suggestions(caller.server_id, caller.user_id)
            .await?;
        Ok(render::my_suggestions(&suggestions))
    }

    /// `/studybot suggestions`: the oldest pending suggestion as it would be posted, the
    /// closest existing questions, and the moderator's buttons.
    pub(super) async fn review_queue(&self, caller: &Caller) -> AppResult<Reply> {
        let (next, waiting) = self.db.next_pending(caller.server_id).await?;
        let Some(suggestion) = next else {
            return Ok(Reply::text("No suggestions are waiting for review.").private());
        };
        let question = match self.check_draft(&suggestion.draft) {
            Ok(question) => question,
            // Content changed since it was submitted (a card renamed): shown as typed, and
            // approving it will say what no longer fits.
            Err(problems) => {
                return Ok(render::suggestion_for_review_broken(
                    &suggestion,
                    &problems,
                    waiting,
                ))
            }
        };
        let closest = self
            .similar_questions(
                caller.server_id,
                &question.prompt,
                &question.choices,
                SIMILAR_SHOWN,
            )
            .await?;
        Ok(render::suggestion_for_review(
            self.library.pack(),
            &suggestion,
            &question,
            &closest,
            waiting,
        ))
    }

    pub(super) async fn approve_suggestion(&self, caller: &Caller, id: i64) -> AppResult<Reply> {
        let Some(suggestion) = self.db.suggestion(caller.server_id, id).await? else {
            return user_error("That suggestion is no longer there.");
        };
        if suggestion.state != SuggestionState::Pending {
            return user_error(format!(
                "That suggestion was already {}.",
                suggestion.state.as_str()
            ));
        }
        let question = match self.check_draft(&suggestion.draft) {
            Ok(question) => question,
            Err(problems) => {
                return user_error(format!(
                    "It no longer passes the checks: {}",
                    problems.join(" ")
                ))
            }
        };
        let approved = self
            .db
            .approve_suggestion(
                caller.server_id,
                id,
                &question,
                caller.user_id,
                self.clock.now(),
            )
            .await?;
        match approved {
            Some(question_id) => Ok(render::suggestion_approved(&question_id)),
            None => user_error("Another moderator decided on it first."),
        }
    }

    /// "Reject": asks for the reason in a form.
    pub(super) async fn reject_form(&self, caller: &Caller, id: i64) -> AppResult<Reply> {
        match self.db.suggestion(caller.server_id, id).await? {
            Some(suggestion) if suggestion.state == SuggestionState::Pending => {
                Ok(render::reject_form(id))
            }
            _ => user_error("That suggestion is no longer waiting for review."),
        }
    }

    pub(super) async fn reject_suggestion(
        &self,
        caller: &Caller,
        id: i64,
        reason: &str,
    ) -> AppResult<Reply> {
        let reason = truncate_chars(reason.trim(), REASON_MAX);
        if reason.is_empty() {
            return user_error("Say why, so the author can improve it.");
        }
        if !self
            .db
            .reject_suggestion(
                caller.server_id,
                id,
                &reason,
                caller.user_id,
                self.clock.now(),
            )
            .await?
        {
            return user_error("That suggestion is no longer waiting for review.");
        }
        Ok(Reply::text(
            "Rejected. The author sees your reason with /suggest mine. Next: /studybot suggestions.",
        )
        .private())
    }

    pub(super) async fn skip_suggestion(&self, caller: &Caller, id: i64) -> AppResult<Reply> {
        if !self.db.skip_suggestion(caller.server_id, id).await? {
            return user_error("That suggestion is no longer waiting for review.");
        }
        self.review_queue(caller).await
    }

    /// `/studybot bank source:<...>`.
    pub(super) async fn set_bank(&self, caller: &Caller, source: BankSource) -> AppResult<Reply> {
        if !self
            .db
            .set_bank_source(caller.server_id, source, caller.user_id, self.clock.now())
            .await?
        {
            return user_error("Run /studybot setup first.");
        }
        let own = self.db.server_question_count(caller.server_id).await?;
        Ok(render::bank_set(source, own))
    }

    /// `/studybot question retire id:<id>`: out of the draw; old posts keep it.
    pub(super) async fn retire_question(&self, caller: &Caller, id: &str) -> AppResult<Reply> {
        let id = id.trim();
        if self.question_in(caller.server_id, id).await?.is_none() {
            return user_error(format!(
                "There is no question “{}” in this server's bank.",
                truncate_chars(id, ECHO_CHARS)
            ));
        }
        let newly = self
            .db
            .retire_question(caller.server_id, id, caller.user_id, self.clock.now())
            .await?;
        Ok(Reply::text(if newly {
            format!("Retired `{id}`: it is no longer drawn. Posts, answers and streaks that used it stay as they are.")
        } else {
            format!("`{id}` was already retired.")
        })
        .private())
    }
}
