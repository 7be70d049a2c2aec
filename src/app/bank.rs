//! A server's question bank: the built-in questions, its own community questions, or both,
//! without the ones it retired. Daily posts, practice and old posts all find their question
//! here, so a community question behaves like a built-in one everywhere.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use super::library::Library;
use super::{App, AppResult};
use crate::domain::community::BankSource;
use crate::domain::Question;
use crate::search::similar::{PromptIndex, Similar};
use crate::store::ServerQuestion;

/// Who a question is credited to on the daily post: `None` for the built-in bank.
pub(super) type Credit = Option<String>;

/// The name shown for a community question whose author asked to be forgotten.
pub(super) const FORMER_MEMBER: &str = "a former member";

/// What a server draws from, loaded once per draw.
pub(super) struct Bank {
    pub source: BankSource,
    pub own: Vec<ServerQuestion>,
    pub retired: HashSet<String>,
}

impl Bank {
    /// The questions to draw from. A source with nothing in it (a server bank still empty)
    /// falls back to the built-in questions, so a server never goes without its question.
    pub fn candidates<'a>(&'a self, built_in: &'a [Question]) -> Vec<&'a Question> {
        let mut candidates: Vec<&Question> = Vec::new();
        if self.source.includes_built_in() {
            candidates.extend(built_in.iter());
        }
        if self.source.includes_server() {
            candidates.extend(self.own.iter().map(|own| &own.question));
        }
        candidates.retain(|question| !self.retired.contains(&question.id));
        if candidates.is_empty() {
            candidates = built_in
                .iter()
                .filter(|question| !self.retired.contains(&question.id))
                .collect();
        }
        if candidates.is_empty() {
            candidates = built_in.iter().collect();
        }
        candidates
    }
}

/// Every question a server's answers can be to: the built-in library, and the server's own
/// questions (retired ones included) when some of the answers are to one of them.
pub(super) struct AnsweredQuestions<'a> {
    library: &'a Library,
    own: HashMap<String, Question>,
}

impl AnsweredQuestions<'_> {
    pub fn question(&self, id: &str) -> Option<&Question> {
        self.library.question(id).or_else(|| self.own.get(id))
    }
}

/// The name a community question or suggestion is shown with: its author's, or
/// [`FORMER_MEMBER`] once they asked to be forgotten.
pub(super) fn shown_author(name: Option<&str>) -> String {
    name.unwrap_or(FORMER_MEMBER).to_string()
}

fn credit_of(own: &ServerQuestion) -> Credit {
    Some(shown_author(own.author_name.as_deref()))
}

impl App {
    pub(super) async fn bank(&self, server_id: u64) -> AppResult<Bank> {
        Ok(Bank {
            source: self.db.bank_source(server_id).await?,
            own: self.db.server_questions(server_id).await?,
            retired: self.db.retired_questions(server_id).await?,
        })
    }

    /// The questions behind `ids` (answers' question ids) as `server_id` sees them. The
    /// server's own bank is read only when an id is not built in, so a server without
    /// community questions pays nothing.
    pub(super) async fn answered_questions(
        &self,
        server_id: u64,
        ids: &[&str],
    ) -> AppResult<AnsweredQuestions<'_>> {
        let own = if ids.iter().any(|id| self.library.question(id).is_none()) {
            self.db
                .server_questions(server_id)
                .await?
                .into_iter()
                .map(|own| (own.question.id.clone(), own.question))
                .collect()
        } else {
            HashMap::new()
        };
        Ok(AnsweredQuestions {
            library: &self.library,
            own,
        })
    }

    /// A question by id as a server sees it (retired ones included: old posts keep theirs),
    /// with its credit.
    pub(super) async fn question_in(
        &self,
        server_id: u64,
        question_id: &str,
    ) -> AppResult<Option<(Cow<'_, Question>, Credit)>> {
        if let Some(question) = self.library.question(question_id) {
            return Ok(Some((Cow::Borrowed(question), None)));
        }
        Ok(self
            .db
            .server_question(server_id, question_id)
            .await?
            .map(|own| {
                let credit = credit_of(&own);
                (Cow::Owned(own.question), credit)
            }))
    }

    /// The questions closest to a draft among the server's bank (built-in and its own), with
    /// their similarity, from an index kept per server and rebuilt when its own bank changed
    /// size.
    pub(super) async fn similar_questions(
        &self,
        server_id: u64,
        prompt: &str,
        choices: &[String; 4],
        limit: usize,
    ) -> AppResult<Vec<(Question, f32)>> {
        let own = self.db.server_questions(server_id).await?;
        let mut indexes = self.prompt_indexes.lock().await;
        let stale = indexes
            .get(&server_id)
            .is_none_or(|(size, _)| *size != own.len());
        if stale {
            let built_in = self.library.pack().questions().iter();
            let index =
                PromptIndex::build(built_in.chain(own.iter().map(|own| &own.question)).map(
                    |question| {
                        (
                            question.id.as_str(),
                            question.prompt.as_str(),
                            &question.choices,
                        )
                    },
                ))
                .map_err(|error| anyhow::anyhow!("building the similarity index: {error}"))?;
            indexes.insert(server_id, (own.len(), index));
        }
        let found: Vec<Similar> = indexes
            .get(&server_id)
            .map(|(_, index)| index.similar(prompt, choices, limit))
            .unwrap_or_default();
        // The questions themselves, from what is already loaded.
        Ok(found
            .into_iter()
            .filter_map(|found| {
                self.library
                    .question(&found.question_id)
                    .or_else(|| {
                        own.iter()
                            .map(|own| &own.question)
                            .find(|question| question.id == found.question_id)
                    })
                    .map(|question| (question.clone(), found.similarity))
            })
            .collect())
    }
}
