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

use super::writer::{Answer, Known};
use super::{ids, instant_to_db, StoreResult};
use crate::domain::review::next_due;
use crate::domain::season::{month_key, week_key};
use crate::domain::{AnswerRecord, MemberStats};

/// Rows per statement: below SQLite's and PostgreSQL's bind-parameter limits for the widest
/// table (9 columns).
const ROWS_PER_STATEMENT: usize = 100;

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
pub(super) async fn write(connection: &mut AnyConnection, plan: &Plan<'_>) -> StoreResult<bool> {
    for chunk in plan.inserts.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO answers (post_id, user_id, choice, correct, answered_at) VALUES {}
             ON CONFLICT (post_id, user_id) DO NOTHING",
            values(chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for answer in chunk {
            query = query
                .bind(answer.post_id)
                .bind(ids::to_db(answer.user_id))
                .bind(answer.choice as i64)
                .bind(i64::from(answer.correct))
                .bind(instant_to_db(answer.at));
        }
        if query.execute(&mut *connection).await?.rows_affected() != chunk.len() as u64 {
            return Ok(false);
        }
    }
    let stats: Vec<(&(u64, u64), &MemberStats)> = plan.stats.iter().collect();
    for chunk in stats.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO member_stats (server_id, user_id, streak, best_streak, freezes, points, answered, correct, last_answered_seq)
             VALUES {}
             ON CONFLICT (server_id, user_id) DO UPDATE SET streak = excluded.streak,
                 best_streak = excluded.best_streak, freezes = excluded.freezes, points = excluded.points,
                 answered = excluded.answered, correct = excluded.correct,
                 last_answered_seq = excluded.last_answered_seq",
            values(chunk.len(), 9)
        );
        let mut query = sqlx::query(&sql);
        for ((server, user), stats) in chunk {
            query = query
                .bind(ids::to_db(*server))
                .bind(ids::to_db(*user))
                .bind(i64::from(stats.streak))
                .bind(i64::from(stats.best_streak))
                .bind(i64::from(stats.freezes))
                .bind(i64::try_from(stats.points).unwrap_or(i64::MAX))
                .bind(i64::from(stats.answered))
                .bind(i64::from(stats.correct))
                .bind(stats.last_answered_seq);
        }
        query.execute(&mut *connection).await?;
    }
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
    let reviews: Vec<_> = plan.review_writes.iter().collect();
    for chunk in reviews.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO review_items (server_id, user_id, question_id, times_wrong, due_at) VALUES {}
             ON CONFLICT (server_id, user_id, question_id) DO UPDATE SET times_wrong = excluded.times_wrong, due_at = excluded.due_at",
            values(chunk.len(), 5)
        );
        let mut query = sqlx::query(&sql);
        for ((server, user, question), (times, due)) in chunk {
            query = query
                .bind(ids::to_db(*server))
                .bind(ids::to_db(*user))
                .bind(question.as_str())
                .bind(i64::from(*times))
                .bind(instant_to_db(*due));
        }
        query.execute(&mut *connection).await?;
    }
    let periods: Vec<_> = plan.periods.iter().collect();
    for chunk in periods.chunks(ROWS_PER_STATEMENT) {
        let sql = format!(
            "INSERT INTO period_scores (server_id, period, user_id, points, answered, correct) VALUES {}
             ON CONFLICT (server_id, period, user_id) DO UPDATE SET
                 points = period_scores.points + excluded.points,
                 answered = period_scores.answered + excluded.answered,
                 correct = period_scores.correct + excluded.correct",
            values(chunk.len(), 6)
        );
        let mut query = sqlx::query(&sql);
        for ((server, period, user), (points, answered, correct)) in chunk {
            query = query
                .bind(ids::to_db(*server))
                .bind(period.as_str())
                .bind(ids::to_db(*user))
                .bind(i64::try_from(*points).unwrap_or(i64::MAX))
                .bind(i64::from(*answered))
                .bind(i64::from(*correct));
        }
        query.execute(&mut *connection).await?;
    }
    Ok(true)
}
