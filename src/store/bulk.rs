//! The writer's fast path: a whole batch of answers planned in memory (the same streak,
//! review and season rules as one by one) and written with one multi-row statement per
//! table, instead of five statements per answer.
//!
//! Why: with sqlx every statement is a round trip to the connection's worker thread, and at
//! about 40 µs each, five per answer capped SQLite near 3,000 answers/s however the commits
//! were grouped. If anything in the plan does not hold when written (another process on
//! PostgreSQL recorded one of these members first, a constraint fails), the caller rolls the
//! fast path back and records the batch answer by answer, each in its own savepoint.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sqlx::AnyConnection;

use super::backend::Backend;
use super::writer::{Answer, Known};
use super::{ids, instant_to_db, StoreResult};
use crate::domain::review::next_due;
use crate::domain::season::{month_key, week_key};
use crate::domain::{AnswerRecord, MemberStats};

/// Rows per statement on PostgreSQL: far below its bind-parameter limit for the widest table
/// (9 columns). SQLite takes a chunk's rows as one parameter, so a few thousand rows stay a
/// modest string and a batch (at most 256 answers, two season rows each) is one statement.
const ROWS_PER_STATEMENT: usize = 100;
const ROWS_PER_SQLITE_STATEMENT: usize = 4096;

/// What the batch will write.
#[derive(Default)]
pub(super) struct Plan<'a> {
    /// One per answer, in order: what the member is told once the batch is committed.
    pub records: Vec<StoreResult<AnswerRecord>>,
    inserts: Vec<&'a Answer>,
    /// (server, member) -> stats after the batch.
    stats: HashMap<(u64, u64), MemberStats>,
    /// Review rows to delete (answered right) and to write (times wrong, due).
    review_deletes: Vec<(u64, u64, String)>,
    review_writes: HashMap<(u64, u64, String), (u32, DateTime<Utc>)>,
    /// (server, period key, member) -> (points, answers, right answers) to add.
    periods: HashMap<(u64, String, u64), (u64, u32, u32)>,
}

impl Plan<'_> {
    /// Nothing to write: every answer is to an unknown or closed post, or already answered.
    pub(super) fn writes_nothing(&self) -> bool {
        self.inserts.is_empty()
    }

    /// What the batch knows once this plan is written, for the answers recorded after it.
    pub(super) fn apply_to(&self, known: &mut Known) {
        for answer in &self.inserts {
            known
                .answered
                .insert((answer.post_id, answer.user_id), answer.choice);
        }
        known
            .stats
            .extend(self.stats.iter().map(|(member, stats)| (*member, *stats)));
        for review in &self.review_deletes {
            known.reviews.remove(review);
        }
        known.reviews.extend(
            self.review_writes
                .iter()
                .map(|(review, (times, _))| (review.clone(), *times)),
        );
    }
}

/// Plans `answers` against what the batch read, answer by answer, as the one-by-one path
/// would record them.
pub(super) fn plan<'a>(known: &Known, answers: &'a [Answer]) -> Plan<'a> {
    let mut plan = Plan::default();
    let mut answered = known.answered.clone();
    let mut reviews = known.reviews.clone();
    for answer in answers {
        let Some(post) = known.posts.get(&(answer.server_id, answer.post_id)) else {
            plan.records.push(Ok(AnswerRecord::UnknownPost));
            continue;
        };
        if let Some(&choice) = answered.get(&(answer.post_id, answer.user_id)) {
            plan.records
                .push(Ok(AnswerRecord::AlreadyAnswered { choice }));
            continue;
        }
        if !post.open {
            plan.records.push(Ok(AnswerRecord::Closed));
            continue;
        }
        let member = (answer.server_id, answer.user_id);
        let before = plan
            .stats
            .get(&member)
            .or_else(|| known.stats.get(&member))
            .copied()
            .unwrap_or_default();
        let (after, outcome) = before.after_answer(post.seq, answer.correct);
        plan.stats.insert(member, after);
        answered.insert((answer.post_id, answer.user_id), answer.choice);
        plan.inserts.push(answer);
        let review = (answer.server_id, answer.user_id, answer.question_id.clone());
        if answer.correct {
            if reviews.remove(&review).is_some() {
                plan.review_writes.remove(&review);
                plan.review_deletes.push(review);
            }
        } else {
            let times = reviews.get(&review).copied().unwrap_or(0) + 1;
            reviews.insert(review.clone(), times);
            plan.review_writes
                .insert(review, (times, next_due(times, answer.at)));
        }
        for key in [week_key(post.day), month_key(post.day)] {
            let sum = plan
                .periods
                .entry((answer.server_id, key, answer.user_id))
                .or_default();
            sum.0 += u64::from(outcome.points_awarded);
            sum.1 += 1;
            sum.2 += u32::from(answer.correct);
        }
        plan.records.push(Ok(AnswerRecord::Recorded {
            stats: after,
            outcome,
        }));
    }
    plan
}

/// One value of a row to write.
pub(super) enum Param {
    Int(i64),
    MaybeInt(Option<i64>),
    Text(String),
}

impl Param {
    fn json(&self) -> serde_json::Value {
        match self {
            Param::Int(value) => (*value).into(),
            Param::MaybeInt(value) => (*value).into(),
            Param::Text(value) => value.as_str().into(),
        }
    }
}

/// Writes `rows` with `insert` (`INSERT INTO table (columns)`) and `tail` (its `ON CONFLICT`
/// clause), in chunks; returns the rows affected.
///
/// On SQLite the rows travel as one JSON parameter read back with `json_each`: binding every
/// value through sqlx costs more than SQLite's whole insert, and one parameter per statement
/// makes a batch of 64 answers several times cheaper. PostgreSQL gets a multi-row VALUES.
pub(super) async fn insert_rows(
    connection: &mut AnyConnection,
    backend: Backend,
    insert: &str,
    tail: &str,
    rows: Vec<Vec<Param>>,
) -> StoreResult<u64> {
    let Some(columns) = rows.first().map(Vec::len) else {
        return Ok(0);
    };
    let mut affected = 0;
    let rows_per_statement = match backend {
        Backend::Sqlite => ROWS_PER_SQLITE_STATEMENT,
        Backend::Postgres => ROWS_PER_STATEMENT,
    };
    for chunk in rows.chunks(rows_per_statement) {
        let done = match backend {
            Backend::Sqlite => {
                let picks: Vec<String> = (0..columns)
                    .map(|column| format!("value ->> {column}"))
                    .collect();
                let sql = format!(
                    "{insert} SELECT {} FROM json_each($1) WHERE true {tail}",
                    picks.join(", ")
                );
                let json: Vec<serde_json::Value> = chunk
                    .iter()
                    .map(|row| serde_json::Value::Array(row.iter().map(Param::json).collect()))
                    .collect();
                sqlx::query(&sql)
                    .bind(serde_json::Value::Array(json).to_string())
                    .execute(&mut *connection)
                    .await?
            }
            Backend::Postgres => {
                let sql = format!("{insert} VALUES {} {tail}", values(chunk.len(), columns));
                let mut query = sqlx::query(&sql);
                for param in chunk.iter().flatten() {
                    query = match param {
                        Param::Int(value) => query.bind(*value),
                        Param::MaybeInt(value) => query.bind(*value),
                        Param::Text(value) => query.bind(value.clone()),
                    };
                }
                query.execute(&mut *connection).await?
            }
        };
        affected += done.rows_affected();
    }
    Ok(affected)
}

/// `($1, $2, ...), ($n, ...)` for `rows` rows of `columns` values.
fn values(rows: usize, columns: usize) -> String {
    (0..rows)
        .map(|row| {
            let list: Vec<String> = (1..=columns)
                .map(|column| format!("${}", row * columns + column))
                .collect();
            format!("({})", list.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes the plan. `Ok(false)`: an answer was already there (another process was first),
/// so the plan no longer holds and the caller must roll back to before this call.
pub(super) async fn write(
    connection: &mut AnyConnection,
    backend: Backend,
    plan: &Plan<'_>,
) -> StoreResult<bool> {
    // Every table's rows in key order: two writers on one PostgreSQL database then lock rows
    // in the same order and never deadlock on each other.
    let mut inserts = plan.inserts.clone();
    inserts.sort_by_key(|answer| (answer.post_id, answer.user_id));
    let answers = inserts
        .iter()
        .map(|answer| {
            vec![
                Param::Int(answer.post_id),
                Param::Int(ids::to_db(answer.user_id)),
                Param::Int(answer.choice as i64),
                Param::Int(i64::from(answer.correct)),
                Param::Text(instant_to_db(answer.at)),
            ]
        })
        .collect();
    let inserted = insert_rows(
        connection,
        backend,
        "INSERT INTO answers (post_id, user_id, choice, correct, answered_at)",
        "ON CONFLICT (post_id, user_id) DO NOTHING",
        answers,
    )
    .await?;
    if inserted != plan.inserts.len() as u64 {
        return Ok(false);
    }
    let mut stats: Vec<_> = plan.stats.iter().collect();
    stats.sort_by_key(|(key, _)| **key);
    let stats = stats
        .into_iter()
        .map(|((server, user), stats)| {
            vec![
                Param::Int(ids::to_db(*server)),
                Param::Int(ids::to_db(*user)),
                Param::Int(i64::from(stats.streak)),
                Param::Int(i64::from(stats.best_streak)),
                Param::Int(i64::from(stats.freezes)),
                Param::Int(i64::try_from(stats.points).unwrap_or(i64::MAX)),
                Param::Int(i64::from(stats.answered)),
                Param::Int(i64::from(stats.correct)),
                Param::MaybeInt(stats.last_answered_seq),
            ]
        })
        .collect();
    insert_rows(
        connection,
        backend,
        "INSERT INTO member_stats (server_id, user_id, streak, best_streak, freezes, points, answered, correct, last_answered_seq)",
        "ON CONFLICT (server_id, user_id) DO UPDATE SET streak = excluded.streak,
             best_streak = excluded.best_streak, freezes = excluded.freezes, points = excluded.points,
             answered = excluded.answered, correct = excluded.correct,
             last_answered_seq = excluded.last_answered_seq",
        stats,
    )
    .await?;
    for chunk in plan.review_deletes.chunks(ROWS_PER_STATEMENT) {
        let conditions: Vec<String> = (0..chunk.len())
            .map(|row| {
                format!(
                    "(server_id = ${} AND user_id = ${} AND question_id = ${})",
                    row * 3 + 1,
                    row * 3 + 2,
                    row * 3 + 3
                )
            })
            .collect();
        let sql = format!("DELETE FROM review_items WHERE {}", conditions.join(" OR "));
        let mut query = sqlx::query(&sql);
        for (server, user, question) in chunk {
            query = query
                .bind(ids::to_db(*server))
                .bind(ids::to_db(*user))
                .bind(question.as_str());
        }
        query.execute(&mut *connection).await?;
    }
    let mut reviews: Vec<_> = plan.review_writes.iter().collect();
    reviews.sort_by(|a, b| a.0.cmp(b.0));
    let reviews = reviews
        .into_iter()
        .map(|((server, user, question), (times, due))| {
            vec![
                Param::Int(ids::to_db(*server)),
                Param::Int(ids::to_db(*user)),
                Param::Text(question.clone()),
                Param::Int(i64::from(*times)),
                Param::Text(instant_to_db(*due)),
            ]
        })
        .collect();
    insert_rows(
        connection,
        backend,
        "INSERT INTO review_items (server_id, user_id, question_id, times_wrong, due_at)",
        "ON CONFLICT (server_id, user_id, question_id) DO UPDATE SET times_wrong = excluded.times_wrong, due_at = excluded.due_at",
        reviews,
    )
    .await?;
    let mut periods: Vec<_> = plan.periods.iter().collect();
    periods.sort_by(|a, b| a.0.cmp(b.0));
    let periods = periods
        .into_iter()
        .map(|((server, period, user), (points, answered, correct))| {
            vec![
                Param::Int(ids::to_db(*server)),
                Param::Text(period.clone()),
                Param::Int(ids::to_db(*user)),
                Param::Int(i64::try_from(*points).unwrap_or(i64::MAX)),
                Param::Int(i64::from(*answered)),
                Param::Int(i64::from(*correct)),
            ]
        })
        .collect();
    insert_rows(
        connection,
        backend,
        "INSERT INTO period_scores (server_id, period, user_id, points, answered, correct)",
        "ON CONFLICT (server_id, period, user_id) DO UPDATE SET
             points = period_scores.points + excluded.points,
             answered = period_scores.answered + excluded.answered,
             correct = period_scores.correct + excluded.correct",
        periods,
    )
    .await?;
    Ok(true)
}
