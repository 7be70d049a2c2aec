//! Answering: the daily question (one use case, from the click to the member's new
//! standing), practice questions, and reviews.

use super::error::user_error;
use super::reply::Reply;
use super::{render, App, AppResult, Caller};
use crate::domain::AnswerRecord;
use crate::store::NewAnswer;

impl App {
    /// A member clicks `choice` (already checked to be A-D) on the daily post `post_id`.
    /// The post is loaded once; the store records the answer in one transaction and says
    /// exactly what happened.
    pub(super) async fn answer_daily(
        &self,
        caller: &Caller,
        post_id: i64,
        choice: usize,
    ) -> AppResult<Reply> {
        const GONE: &str = "That question is no longer available.";
        let Some(post) = self
            .db
            .post(post_id)
            .await?
            .filter(|post| post.server_id == caller.server_id)
        else {
            return user_error(GONE);
        };
        let Some((question, _)) = self
            .question_in(caller.server_id, &post.question_id)
            .await?
        else {
            return user_error(GONE);
        };
        let question = question.as_ref();
        let record = self
            .db
            .record_answer(&NewAnswer {
                server_id: caller.server_id,
                post_id,
                user_id: caller.user_id,
                choice,
                correct: choice == question.answer,
                question_id: &question.id,
                at: self.clock.now(),
            })
            .await?;
        match record {
            AnswerRecord::Recorded { stats, outcome } => {
                crate::telemetry::record_answer();
                self.signals.answer_recorded(post_id);
                Ok(render::daily_answer(question, choice, &stats, &outcome))
            }
            AnswerRecord::AlreadyAnswered { choice } => Ok(render::already_answered(choice)),
            AnswerRecord::Closed => Ok(render::closed_answer(question)),
            AnswerRecord::UnknownPost | AnswerRecord::QuestionRetired => user_error(GONE),
        }
    }

    pub(super) async fn answer_practice(
        &self,
        caller: &Caller,
        question_id: &str,
        choice: usize,
    ) -> AppResult<Reply> {
        let Some((question, _)) = self.question_in(caller.server_id, question_id).await? else {
            return user_error("That question is no longer available. Try /quiz practice.");
        };
        Ok(render::teaching_answer(
            &question,
            choice,
            "Practice never touches streaks or points.",
        ))
    }

    pub(super) async fn answer_review(
        &self,
        caller: &Caller,
        question_id: &str,
        choice: usize,
    ) -> AppResult<Reply> {
        let Some((question, _)) = self.question_in(caller.server_id, question_id).await? else {
            return user_error("That question is no longer available.");
        };
        let right = choice == question.answer;
        self.db
            .record_review(
                caller.server_id,
                caller.user_id,
                question_id,
                right,
                self.clock.now(),
            )
            .await?;
        let note = if right {
            "Retired from your reviews."
        } else {
            "It comes back later on the 1, 3, 7, 14-day ladder."
        };
        Ok(render::teaching_answer(&question, choice, note))
    }
}
