//! Community questions: `suggestions` (drafts, the review queue, decisions),
//! `server_questions` (a server's own bank), `retired_questions` and the bank source.

use std::collections::HashSet;

use chrono::{DateTime, Utc};

use super::{count, ids, instant_to_db, Db, StoreError, StoreResult};
use crate::domain::community::{server_question_id, BankSource, PENDING_MAX};
use crate::domain::community::{Suggestion, SuggestionDraft, SuggestionState};
use crate::domain::{Level, Question};

/// What happened to a submission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Submitted {
    /// Stored with this id, in the state asked for.
    Saved(i64),
    /// The member already has [`PENDING_MAX`] suggestions waiting; nothing was queued (a
    /// draft is still kept, so nothing typed is lost).
    TooManyPending(i64),
}

/// A question of a server's own bank, with who wrote it.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerQuestion {
    pub question: Question,
    /// `None`: a former member, or an imported question.
    pub author_name: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SuggestionRow {
    suggestion_id: i64,
    server_id: i64,
    author_id: Option<i64>,
    author_name: Option<String>,
    state: String,
    topic: String,
    prompt: String,
    choices: String,
    answer: String,
    explanation: String,
    reason: Option<String>,
    question_id: Option<String>,
}

const SELECT_SUGGESTION: &str = "SELECT suggestion_id, server_id, author_id, author_name, state, topic, prompt, choices, answer, explanation, reason, question_id FROM suggestions";

fn suggestion_from_row(row: SuggestionRow) -> StoreResult<Suggestion> {
    Ok(Suggestion {
        id: row.suggestion_id,
        server_id: ids::from_db(row.server_id),
        author_id: row.author_id.map(ids::from_db),
        author_name: row.author_name,
        state: SuggestionState::parse(&row.state)
            .ok_or_else(|| StoreError::Corrupt(format!("suggestion state {:?}", row.state)))?,
        draft: SuggestionDraft {
            topic: row.topic,
            prompt: row.prompt,
            choices: row.choices,
            answer: row.answer,
            explanation: row.explanation,
        },
        reason: row.reason,
        question_id: row.question_id,
    })
}

#[derive(sqlx::FromRow)]
struct QuestionRow {
    question_id: String,
    author_name: Option<String>,
    topic: String,
    level: String,
    prompt: String,
    choice_a: String,
    choice_b: String,
    choice_c: String,
    choice_d: String,
    answer: i64,
    explanation: String,
    discuss: String,
}

const SELECT_QUESTION: &str = "SELECT question_id, author_name, topic, level, prompt, choice_a, choice_b, choice_c, choice_d, answer, explanation, discuss FROM server_questions";

fn question_from_row(row: QuestionRow) -> StoreResult<ServerQuestion> {
    Ok(ServerQuestion {
        question: Question {
            level: Level::parse(&row.level)
                .ok_or_else(|| StoreError::Corrupt(format!("question level {:?}", row.level)))?,
            answer: usize::try_from(row.answer)
                .ok()
                .filter(|answer| *answer < 4)
                .ok_or_else(|| StoreError::Corrupt(format!("answer {}", row.answer)))?,
            id: row.question_id,
            topic: row.topic,
            prompt: row.prompt,
            choices: [row.choice_a, row.choice_b, row.choice_c, row.choice_d],
            explanation: row.explanation,
            discuss: row.discuss,
        },
        author_name: row.author_name,
    })
}

/// Inserts a question into a server's bank and gives it its stable id. `placeholder` must be
/// unique (the id is known only once the row has its number).
async fn insert_question(
    connection: &mut sqlx::AnyConnection,
    server: i64,
    question: &Question,
    author: Option<(u64, &str)>,
    placeholder: &str,
    at: DateTime<Utc>,
) -> StoreResult<String> {
    let number: i64 = sqlx::query_scalar(
        "INSERT INTO server_questions (question_id, server_id, author_id, author_name, topic, level, prompt,
             choice_a, choice_b, choice_c, choice_d, answer, explanation, discuss, created_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING number",
    )
    .bind(placeholder)
    .bind(server)
    .bind(author.map(|(id, _)| ids::to_db(id)))
    .bind(author.map(|(_, name)| name.to_string()))
    .bind(&question.topic)
    .bind(question.level.as_str())
    .bind(&question.prompt)
    .bind(&question.choices[0])
    .bind(&question.choices[1])
    .bind(&question.choices[2])
    .bind(&question.choices[3])
    .bind(question.answer as i64)
    .bind(&question.explanation)
    .bind(&question.discuss)
    .bind(instant_to_db(at))
    .fetch_one(&mut *connection)
    .await?;
    let id = server_question_id(&question.topic, number);
    sqlx::query("UPDATE server_questions SET question_id = $1 WHERE number = $2")
        .bind(&id)
        .bind(number)
        .execute(&mut *connection)
        .await?;
    Ok(id)
}

impl Db {
    /// Stores a submission as a draft (refused by the checks) or as pending (queued for
    /// review, if the member has room). `replacing`: the member's own draft being resubmitted,
    /// updated in place.
    #[allow(clippy::too_many_arguments)]
    pub async fn submit_suggestion(
        &self,
        server_id: u64,
        author_id: u64,
        author_name: &str,
        draft: &SuggestionDraft,
        pending: bool,
        replacing: Option<i64>,
        at: DateTime<Utc>,
    ) -> StoreResult<Submitted> {
        let (server, author) = (ids::to_db(server_id), ids::to_db(author_id));
        let mut transaction = self.begin_write().await?;
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM suggestions WHERE server_id = $1 AND author_id = $2 AND state = 'pending'",
        )
        .bind(server)
        .bind(author)
        .fetch_one(&mut *transaction)
        .await?;
        let full = pending && count(waiting) >= PENDING_MAX;
        let state = if pending && !full {
            SuggestionState::Pending
        } else {
            SuggestionState::Draft
        };
        let existing = match replacing {
            Some(id) => sqlx::query_scalar::<_, i64>(
                "SELECT suggestion_id FROM suggestions WHERE suggestion_id = $1 AND server_id = $2 AND author_id = $3 AND state = 'draft'",
            )
            .bind(id)
            .bind(server)
            .bind(author)
            .fetch_optional(&mut *transaction)
            .await?,
            None => None,
        };
        let id = match existing {
            Some(id) => {
                sqlx::query(
                    "UPDATE suggestions SET state = $2, topic = $3, prompt = $4, choices = $5, answer = $6, explanation = $7,
                         author_name = $8,
                         queue_order = (SELECT COALESCE(MAX(queue_order), 0) + 1 FROM suggestions WHERE server_id = $9)
                     WHERE suggestion_id = $1",
                )
                .bind(id)
                .bind(state.as_str())
                .bind(&draft.topic)
                .bind(&draft.prompt)
                .bind(&draft.choices)
                .bind(&draft.answer)
                .bind(&draft.explanation)
                .bind(author_name)
                .bind(server)
                .execute(&mut *transaction)
                .await?;
                id
            }
            None => {
                sqlx::query_scalar(
                    "INSERT INTO suggestions (server_id, author_id, author_name, state, topic, prompt, choices, answer, explanation, queue_order, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9,
                             (SELECT COALESCE(MAX(queue_order), 0) + 1 FROM suggestions WHERE server_id = $1), $10)
                     RETURNING suggestion_id",
                )
                .bind(server)
                .bind(author)
                .bind(author_name)
                .bind(state.as_str())
                .bind(&draft.topic)
                .bind(&draft.prompt)
                .bind(&draft.choices)
                .bind(&draft.answer)
                .bind(&draft.explanation)
                .bind(instant_to_db(at))
                .fetch_one(&mut *transaction)
                .await?
            }
        };
        transaction.commit().await?;
        Ok(if full {
            Submitted::TooManyPending(id)
        } else {
            Submitted::Saved(id)
        })
    }

    pub async fn suggestion(&self, server_id: u64, id: i64) -> StoreResult<Option<Suggestion>> {
        let row: Option<SuggestionRow> = sqlx::query_as(&format!(
            "{SELECT_SUGGESTION} WHERE suggestion_id = $1 AND server_id = $2"
        ))
        .bind(id)
        .bind(ids::to_db(server_id))
        .fetch_optional(&self.pool)
        .await?;
        row.map(suggestion_from_row).transpose()
    }

    /// A member's suggestions in a server (not drafts), newest first.
    pub async fn member_suggestions(
        &self,
        server_id: u64,
        author_id: u64,
    ) -> StoreResult<Vec<Suggestion>> {
        let rows: Vec<SuggestionRow> = sqlx::query_as(&format!(
            "{SELECT_SUGGESTION} WHERE server_id = $1 AND author_id = $2 AND state <> 'draft' ORDER BY suggestion_id DESC"
        ))
        .bind(ids::to_db(server_id))
        .bind(ids::to_db(author_id))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(suggestion_from_row).collect()
    }

    /// The suggestion at the front of the review queue, and how many are waiting.
    pub async fn next_pending(&self, server_id: u64) -> StoreResult<(Option<Suggestion>, u32)> {
        let row: Option<SuggestionRow> = sqlx::query_as(&format!(
            "{SELECT_SUGGESTION} WHERE server_id = $1 AND state = 'pending' ORDER BY queue_order LIMIT 1"
        ))
        .bind(ids::to_db(server_id))
        .fetch_optional(&self.pool)
        .await?;
        let waiting: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM suggestions WHERE server_id = $1 AND state = 'pending'",
        )
        .bind(ids::to_db(server_id))
        .fetch_one(&self.pool)
        .await?;
        Ok((row.map(suggestion_from_row).transpose()?, count(waiting)))
    }

    /// Moves a pending suggestion to the back of the queue. False if it is not pending.
    pub async fn skip_suggestion(&self, server_id: u64, id: i64) -> StoreResult<bool> {
        Ok(sqlx::query(
            "UPDATE suggestions SET queue_order = (SELECT COALESCE(MAX(queue_order), 0) + 1 FROM suggestions WHERE server_id = $2)
             WHERE suggestion_id = $1 AND server_id = $2 AND state = 'pending'",
        )
        .bind(id)
        .bind(ids::to_db(server_id))
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// Approves a pending suggestion into the server's bank as `question` (its id is given
    /// here). `None` when it is no longer pending (another moderator was first).
    pub async fn approve_suggestion(
        &self,
        server_id: u64,
        id: i64,
        question: &Question,
        by: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<Option<String>> {
        let server = ids::to_db(server_id);
        let mut transaction = self.begin_write().await?;
        let row: Option<(Option<i64>, Option<String>)> = sqlx::query_as(&format!(
            "SELECT author_id, author_name FROM suggestions WHERE suggestion_id = $1 AND server_id = $2 AND state = 'pending'{}",
            self.backend.for_update()
        ))
        .bind(id)
        .bind(server)
        .fetch_optional(&mut *transaction)
        .await?;
        let Some((author_id, author_name)) = row else {
            return Ok(None);
        };
        let author = author_id.map(ids::from_db).zip(author_name.as_deref());
        let question_id = insert_question(
            &mut transaction,
            server,
            question,
            author,
            &format!("suggestion-{id}"),
            at,
        )
        .await?;
        sqlx::query(
            "UPDATE suggestions SET state = 'approved', question_id = $2, reviewed_by = $3, reviewed_at = $4 WHERE suggestion_id = $1",
        )
        .bind(id)
        .bind(&question_id)
        .bind(ids::to_db(by))
        .bind(instant_to_db(at))
        .execute(&mut *transaction)
        .await?;
        super::audit(
            &mut transaction,
            server_id,
            by,
            "approve-suggestion",
            &question_id,
            at,
        )
        .await?;
        transaction.commit().await?;
        Ok(Some(question_id))
    }

    /// Rejects a pending suggestion with a reason. False when it is no longer pending.
    pub async fn reject_suggestion(
        &self,
        server_id: u64,
        id: i64,
        reason: &str,
        by: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        Ok(sqlx::query(
            "UPDATE suggestions SET state = 'rejected', reason = $3, reviewed_by = $4, reviewed_at = $5
             WHERE suggestion_id = $1 AND server_id = $2 AND state = 'pending'",
        )
        .bind(id)
        .bind(ids::to_db(server_id))
        .bind(reason)
        .bind(ids::to_db(by))
        .bind(instant_to_db(at))
        .execute(&self.pool)
        .await?
        .rows_affected()
            == 1)
    }

    /// The server's own questions, oldest first.
    pub async fn server_questions(&self, server_id: u64) -> StoreResult<Vec<ServerQuestion>> {
        let rows: Vec<QuestionRow> = sqlx::query_as(&format!(
            "{SELECT_QUESTION} WHERE server_id = $1 ORDER BY number"
        ))
        .bind(ids::to_db(server_id))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter().map(question_from_row).collect()
    }

    pub async fn server_question(
        &self,
        server_id: u64,
        question_id: &str,
    ) -> StoreResult<Option<ServerQuestion>> {
        let row: Option<QuestionRow> = sqlx::query_as(&format!(
            "{SELECT_QUESTION} WHERE server_id = $1 AND question_id = $2"
        ))
        .bind(ids::to_db(server_id))
        .bind(question_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map(question_from_row).transpose()
    }

    /// How many questions the server's own bank holds.
    pub async fn server_question_count(&self, server_id: u64) -> StoreResult<u32> {
        let total: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM server_questions WHERE server_id = $1")
                .bind(ids::to_db(server_id))
                .fetch_one(&self.pool)
                .await?;
        Ok(count(total))
    }

    /// Adds imported questions to a server's bank, all in one transaction. Returns their ids.
    pub async fn import_questions(
        &self,
        server_id: u64,
        questions: &[Question],
        at: DateTime<Utc>,
    ) -> StoreResult<Vec<String>> {
        let server = ids::to_db(server_id);
        let mut transaction = self.begin_write().await?;
        let mut added = Vec::with_capacity(questions.len());
        let stamp = at.timestamp_nanos_opt().unwrap_or_default();
        for (index, question) in questions.iter().enumerate() {
            let placeholder = format!("import-{stamp}-{index}");
            added.push(
                insert_question(&mut transaction, server, question, None, &placeholder, at).await?,
            );
        }
        transaction.commit().await?;
        Ok(added)
    }

    /// Takes a question out of a server's draw. False if it was already retired.
    pub async fn retire_question(
        &self,
        server_id: u64,
        question_id: &str,
        by: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let added = sqlx::query(
            "INSERT INTO retired_questions (server_id, question_id, retired_by, retired_at) VALUES ($1, $2, $3, $4)
             ON CONFLICT (server_id, question_id) DO NOTHING",
        )
        .bind(ids::to_db(server_id))
        .bind(question_id)
        .bind(ids::to_db(by))
        .bind(instant_to_db(at))
        .execute(&mut *transaction)
        .await?
        .rows_affected()
            == 1;
        if added {
            super::audit(
                &mut transaction,
                server_id,
                by,
                "retire-question",
                question_id,
                at,
            )
            .await?;
        }
        transaction.commit().await?;
        Ok(added)
    }

    pub async fn retired_questions(&self, server_id: u64) -> StoreResult<HashSet<String>> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT question_id FROM retired_questions WHERE server_id = $1")
                .bind(ids::to_db(server_id))
                .fetch_all(&self.pool)
                .await?;
        Ok(rows.into_iter().collect())
    }

    /// Which bank a server draws from (both before it was ever set).
    pub async fn bank_source(&self, server_id: u64) -> StoreResult<BankSource> {
        let source: Option<String> =
            sqlx::query_scalar("SELECT bank_source FROM servers WHERE server_id = $1")
                .bind(ids::to_db(server_id))
                .fetch_optional(&self.pool)
                .await?;
        match source.as_deref() {
            None | Some("both") => Ok(BankSource::Both),
            Some("built-in") => Ok(BankSource::BuiltIn),
            Some("server") => Ok(BankSource::Server),
            Some(other) => Err(StoreError::Corrupt(format!("bank source {other:?}"))),
        }
    }

    /// False when the server is not set up yet.
    pub async fn set_bank_source(
        &self,
        server_id: u64,
        source: BankSource,
        by: u64,
        at: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let mut transaction = self.begin_write().await?;
        let updated = sqlx::query("UPDATE servers SET bank_source = $2 WHERE server_id = $1")
            .bind(ids::to_db(server_id))
            .bind(source.as_str())
            .execute(&mut *transaction)
            .await?
            .rows_affected();
        if updated == 0 {
            return Ok(false);
        }
        super::audit(
            &mut transaction,
            server_id,
            by,
            "bank-source",
            source.as_str(),
            at,
        )
        .await?;
        transaction.commit().await?;
        Ok(true)
    }
}
