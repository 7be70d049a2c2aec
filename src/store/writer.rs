//! Group commit: every answer goes to one writer task, which records whatever is waiting in
//! one transaction, one savepoint per answer (so a failing answer rolls back alone), and
//! commits once. A member's reply waits for the commit that holds their answer, so "your
//! answer counted" is only ever said of an answer on disk.
//!
//! Why: a commit at `synchronous=FULL` costs an fsync (milliseconds), and each statement a
//! round trip to the database; committing answers one by one capped the store at about
//! 1,500 answers/s. In a batch the fsync is shared, and what every answer of the batch needs
//! to read (its post, the members' stats and review rows, earlier answers) is read with one
//! query per post or server instead of one per answer.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use sqlx::{AnyConnection, AnyPool, Executor};
use tokio::sync::{mpsc, oneshot};

use super::answers::StatsRow;
use super::backend::Backend;
use super::{day_from_db, ids, StoreError, StoreResult};
use crate::domain::{AnswerRecord, MemberStats};

/// At most this many answers share a transaction: enough to absorb a burst (a big server's
/// morning) in a few commits, few enough that the first answer of a batch never waits long
/// and the `IN (...)` lists stay far below the databases' parameter limits.
const BATCH_MAX: usize = 256;
/// Answers waiting for the writer before senders wait too: backpressure, not a limit anyone
/// reaches in practice (each waiting answer is a member waiting for their reply).
const QUEUE_MAX: usize = 8192;
/// How many times the writer lets other tasks run before taking a batch: a few microseconds
/// each, far below a commit's cost.
const GATHER_YIELDS: usize = 4;

/// One answer as the writer records it.
#[derive(Debug, Clone)]
pub(super) struct Answer {
    pub server_id: u64,
    pub post_id: i64,
    pub user_id: u64,
    pub choice: usize,
    pub correct: bool,
    pub question_id: String,
    pub at: DateTime<Utc>,
}

enum Message {
    Answer(Answer, oneshot::Sender<StoreResult<AnswerRecord>>),
    Stop(oneshot::Sender<()>),
}

/// The handle every clone of the store shares.
#[derive(Clone)]
pub(super) struct AnswerWriter {
    queue: mpsc::Sender<Message>,
}

impl AnswerWriter {
    pub(super) fn start(pool: AnyPool, backend: Backend) -> AnswerWriter {
        let (queue, inbox) = mpsc::channel(QUEUE_MAX);
        tokio::spawn(run(pool, backend, inbox));
        AnswerWriter { queue }
    }

    /// Records `answer` with the next commit, and says what happened once it is durable.
    pub(super) async fn record(&self, answer: Answer) -> StoreResult<AnswerRecord> {
        let (reply, outcome) = oneshot::channel();
        self.queue
            .send(Message::Answer(answer, reply))
            .await
            .map_err(|_| StoreError::WriterStopped)?;
        outcome.await.map_err(|_| StoreError::WriterStopped)?
    }

    /// Records what is queued, then stops.
    pub(super) async fn stop(&self) {
        let (done, stopped) = oneshot::channel();
        if self.queue.send(Message::Stop(done)).await.is_ok() {
            let _ = stopped.await;
        }
    }
}

type Reply = oneshot::Sender<StoreResult<AnswerRecord>>;

async fn run(pool: AnyPool, backend: Backend, mut inbox: mpsc::Receiver<Message>) {
    while let Some(first) = inbox.recv().await {
        // Members whose previous answer was just committed are waking up to send their next
        // one: give them a moment to join this batch, so one commit (and its fsync) serves
        // them all instead of a trickle of small batches.
        for _ in 0..GATHER_YIELDS {
            if inbox.len() >= BATCH_MAX {
                break;
            }
            tokio::task::yield_now().await;
        }
        let mut batch: Vec<(Answer, Reply)> = Vec::new();
        let mut stop = None;
        let mut next = Some(first);
        while let Some(message) = next.take() {
            match message {
                Message::Answer(answer, reply) => batch.push((answer, reply)),
                Message::Stop(done) => {
                    stop = Some(done);
                    break;
                }
            }
            if batch.len() < BATCH_MAX {
                next = inbox.try_recv().ok();
            }
        }
        if !batch.is_empty() {
            commit(&pool, backend, batch).await;
        }
        if let Some(done) = stop {
            let _ = done.send(());
            return;
        }
    }
}

async fn commit(pool: &AnyPool, backend: Backend, batch: Vec<(Answer, Reply)>) {
    let (answers, replies): (Vec<Answer>, Vec<Reply>) = batch.into_iter().unzip();
    let outcome = match pool.acquire().await {
        Ok(mut connection) => record_batch(&mut connection, backend, &answers).await,
        Err(error) => Err(error.into()),
    };
    match outcome {
        Ok(records) => {
            for (reply, record) in replies.into_iter().zip(records) {
                // A member who went away (timeout, shutdown) no longer waits; fine.
                let _ = reply.send(record);
            }
        }
        Err(error) => {
            tracing::error!(error = %error, answers = answers.len(), "a batch of answers could not be committed");
            let message = error.to_string();
            for reply in replies {
                let _ = reply.send(Err(StoreError::Batch(message.clone())));
            }
        }
    }
}

/// What the batch knows before writing, read with one query per post, server or question.
#[derive(Default)]
pub(super) struct Known {
    /// (server, post) -> the post; absent: no such posted post.
    pub(super) posts: HashMap<(u64, i64), KnownPost>,
    /// (post, member) -> the choice already recorded.
    pub(super) answered: HashMap<(i64, u64), usize>,
    /// (server, member) -> stats now.
    pub(super) stats: HashMap<(u64, u64), MemberStats>,
    /// (server, member, question) -> times answered wrong so far (a review row exists).
    pub(super) reviews: HashMap<(u64, u64, String), u32>,
}

/// What an answer needs to know about its post.
#[derive(Clone, Copy)]
pub(super) struct KnownPost {
    pub(super) seq: i64,
    pub(super) open: bool,
    /// The post's local day: the week and month its points count in.
    pub(super) day: NaiveDate,
}

/// Records `answers` in one transaction; the outer error means nothing was committed.
async fn record_batch(
    connection: &mut AnyConnection,
    backend: Backend,
    answers: &[Answer],
) -> StoreResult<Vec<StoreResult<AnswerRecord>>> {
    // The batch savepoint is taken with BEGIN, in the same round trip: the reads before the
    // writes change nothing, so rolling back to it is the same as rolling back to just before
    // the writes. COMMIT releases whatever savepoints are still open.
    let begin = format!("{}; SAVEPOINT batch", backend.begin_write());
    connection.execute(sqlx::raw_sql(&begin)).await?;
    match record_in_transaction(connection, backend, answers).await {
        Ok(records) => {
            connection.execute("COMMIT").await?;
            Ok(records)
        }
        Err(error) => {
            // The connection goes back to the pool clean, whatever failed.
            let _ = connection.execute("ROLLBACK").await;
            Err(error)
        }
    }
}

/// Inside the transaction, with the savepoint `batch` just taken.
async fn record_in_transaction(
    connection: &mut AnyConnection,
    backend: Backend,
    answers: &[Answer],
) -> StoreResult<Vec<StoreResult<AnswerRecord>>> {
    let mut known = load_known(connection, backend, answers).await?;
    // The fast path: the whole batch in one statement per table (see `bulk`).
    let plan = super::bulk::plan(&known, answers);
    match super::bulk::write(connection, backend, &plan).await {
        Ok(true) => return Ok(plan.records),
        Ok(false) => {
            tracing::debug!(
                "another writer recorded one of the batch's answers first; recording one by one"
            )
        }
        Err(error) => {
            tracing::warn!(%error, answers = answers.len(), "the batch could not be written at once; recording one by one")
        }
    }
    connection
        .execute(sqlx::raw_sql(
            "ROLLBACK TO SAVEPOINT batch; RELEASE SAVEPOINT batch",
        ))
        .await?;
    // Answers are written in (post, member) order, whatever order they arrived in: two
    // writers on one PostgreSQL database then take their row locks in the same order and
    // never deadlock on each other.
    let mut order: Vec<usize> = (0..answers.len()).collect();
    order.sort_by_key(|&index| (answers[index].post_id, answers[index].user_id));
    let mut records: Vec<Option<StoreResult<AnswerRecord>>> =
        (0..answers.len()).map(|_| None).collect();
    let mut savepoint_open = false;
    for index in order {
        let answer = &answers[index];
        // The same planner and writer as the fast path, for a batch of this one answer.
        let mut plan = super::bulk::plan(&known, std::slice::from_ref(answer));
        let record = if plan.writes_nothing() {
            // Unknown post, closed, or already answered: nothing to write.
            plan.records.pop()
        } else {
            // One savepoint per answer: the previous one is released in the same round trip.
            let savepoint = if savepoint_open {
                "RELEASE SAVEPOINT answer; SAVEPOINT answer"
            } else {
                "SAVEPOINT answer"
            };
            connection.execute(sqlx::raw_sql(savepoint)).await?;
            savepoint_open = true;
            match super::bulk::write(connection, backend, &plan).await {
                Ok(true) => {
                    plan.apply_to(&mut known);
                    plan.records.pop()
                }
                Ok(false) => {
                    // Another writer (another process on PostgreSQL) recorded this member
                    // first; nothing of this answer was written.
                    let first: i64 = sqlx::query_scalar(
                        "SELECT choice FROM answers WHERE post_id = $1 AND user_id = $2",
                    )
                    .bind(answer.post_id)
                    .bind(ids::to_db(answer.user_id))
                    .fetch_one(&mut *connection)
                    .await?;
                    let choice = usize::try_from(first).unwrap_or(0);
                    known
                        .answered
                        .insert((answer.post_id, answer.user_id), choice);
                    Some(Ok(AnswerRecord::AlreadyAnswered { choice }))
                }
                Err(error) => {
                    connection.execute("ROLLBACK TO SAVEPOINT answer").await?;
                    Some(Err(error))
                }
            }
        };
        records[index] = record;
    }
    Ok(records
        .into_iter()
        .map(|record| record.unwrap_or(Err(StoreError::WriterStopped)))
        .collect())
}

/// A member's stats row with whose it is.
#[derive(sqlx::FromRow)]
struct MemberRow {
    user_id: i64,
    #[sqlx(flatten)]
    stats: StatsRow,
}

/// `$first, $first+1, ...` for `count` values.
fn placeholders(first: usize, count: usize) -> String {
    (first..first + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Reads what the batch needs: the posts (is each open, its number), earlier answers, the
/// members' stats (locked against other processes on PostgreSQL) and their review rows.
async fn load_known(
    connection: &mut AnyConnection,
    backend: Backend,
    answers: &[Answer],
) -> StoreResult<Known> {
    let mut known = Known::default();
    let posts: HashSet<(u64, i64)> = answers
        .iter()
        .map(|answer| (answer.server_id, answer.post_id))
        .collect();
    for (server_id, post_id) in posts {
        let row: Option<(i64, i64, String)> = sqlx::query_as(
            "SELECT seq, CASE WHEN seq = (SELECT MAX(seq) FROM daily_posts WHERE server_id = $2 AND state = 'posted') THEN 1 ELSE 0 END, posting_day
             FROM daily_posts WHERE post_id = $1 AND server_id = $2 AND state = 'posted'",
        )
        .bind(post_id)
        .bind(ids::to_db(server_id))
        .fetch_optional(&mut *connection)
        .await?;
        let Some((seq, open, day)) = row else {
            continue;
        };
        let post = KnownPost {
            seq,
            open: open == 1,
            day: day_from_db(&day)?,
        };
        known.posts.insert((server_id, post_id), post);
        let members: Vec<u64> = members_of(answers, |answer| answer.post_id == post_id);
        let sql = format!(
            "SELECT user_id, choice FROM answers WHERE post_id = $1 AND user_id IN ({})",
            placeholders(2, members.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql).bind(post_id);
        for member in &members {
            query = query.bind(ids::to_db(*member));
        }
        for (user, choice) in query.fetch_all(&mut *connection).await? {
            known.answered.insert(
                (post_id, ids::from_db(user)),
                usize::try_from(choice).unwrap_or(0),
            );
        }
    }
    let servers: HashSet<u64> = answers.iter().map(|answer| answer.server_id).collect();
    for server_id in servers {
        let members = members_of(answers, |answer| answer.server_id == server_id);
        let sql = format!(
            "SELECT user_id, streak, best_streak, freezes, points, answered, correct, last_answered_seq
             FROM member_stats WHERE server_id = $1 AND user_id IN ({}){}",
            placeholders(2, members.len()),
            backend.for_update()
        );
        let mut query = sqlx::query_as::<_, MemberRow>(&sql).bind(ids::to_db(server_id));
        for member in &members {
            query = query.bind(ids::to_db(*member));
        }
        for row in query.fetch_all(&mut *connection).await? {
            let user = ids::from_db(row.user_id);
            known.stats.insert((server_id, user), row.stats.into());
        }
    }
    let questions: HashSet<(u64, &str)> = answers
        .iter()
        .map(|answer| (answer.server_id, answer.question_id.as_str()))
        .collect();
    for (server_id, question_id) in questions {
        let members = members_of(answers, |answer| {
            answer.server_id == server_id && answer.question_id == question_id
        });
        let sql = format!(
            "SELECT user_id, times_wrong FROM review_items WHERE server_id = $1 AND question_id = $2 AND user_id IN ({})",
            placeholders(3, members.len())
        );
        let mut query = sqlx::query_as::<_, (i64, i64)>(&sql)
            .bind(ids::to_db(server_id))
            .bind(question_id);
        for member in &members {
            query = query.bind(ids::to_db(*member));
        }
        for (user, times) in query.fetch_all(&mut *connection).await? {
            known.reviews.insert(
                (server_id, ids::from_db(user), question_id.to_string()),
                u32::try_from(times).unwrap_or(0),
            );
        }
    }
    Ok(known)
}

/// The distinct members of the answers that match.
fn members_of(answers: &[Answer], matches: impl Fn(&Answer) -> bool) -> Vec<u64> {
    let mut members: Vec<u64> = answers
        .iter()
        .filter(|answer| matches(answer))
        .map(|answer| answer.user_id)
        .collect();
    members.sort_unstable();
    members.dedup();
    members
}
