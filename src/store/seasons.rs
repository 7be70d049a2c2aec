//! Seasons and insight: `period_scores` (points per calendar week and month), and the read
//! models behind `/progress`, the weekly recap and `/studybot stats`. Nothing here changes a
//! score: periods are views over the answers already recorded, kept as running sums so a
//! weekly board never scans a year of answers.

use std::collections::HashMap;

use chrono::NaiveDate;

use super::bulk::{insert_rows, Param};
use super::{count, day_from_db, day_to_db, ids, Db, StoreResult};
use crate::domain::progress::PostDay;
use crate::domain::season::{month_key, week_key};
use crate::domain::MemberStats;

/// What a server did in one period, all members together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PeriodTotals {
    pub members: u32,
    pub answered: u32,
    pub correct: u32,
}

/// How the members answered one question, over every post of it in a span of days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionResult {
    pub question_id: String,
    /// Answers per choice (A to D).
    pub spread: [u32; 4],
    /// Answers that were right (as scored when recorded).
    pub correct: u32,
}

/// One daily question a member answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnsweredQuestion {
    pub question_id: String,
    pub correct: bool,
    /// The post's local day.
    pub day: NaiveDate,
}

impl QuestionResult {
    pub fn answered(&self) -> u32 {
        self.spread.iter().sum()
    }
}

impl Db {
    /// Rebuilds `period_scores` from the recorded answers when a database from before seasons
    /// has answers but no scores yet. Points are replayed with the same streak rules the
    /// writer used, so the sums are what they would have been. Idempotent (and safe when two
    /// processes open the same PostgreSQL at once): rows are inserted with their final value
    /// and `DO NOTHING` on conflict.
    pub(super) async fn backfill_period_scores(&self) -> StoreResult<()> {
        let needed: i64 = sqlx::query_scalar(
            "SELECT CASE WHEN EXISTS (SELECT 1 FROM answers) AND NOT EXISTS (SELECT 1 FROM period_scores) THEN 1 ELSE 0 END",
        )
        .fetch_one(&self.pool)
        .await?;
        if needed == 0 {
            return Ok(());
        }
        let rows: Vec<(i64, i64, i64, String, i64)> = sqlx::query_as(
            "SELECT p.server_id, a.user_id, p.seq, p.posting_day, a.correct
             FROM answers a JOIN daily_posts p ON p.post_id = a.post_id
             ORDER BY p.server_id, a.user_id, p.seq",
        )
        .fetch_all(&self.pool)
        .await?;
        let mut sums: HashMap<(i64, String, i64), (i64, i64, i64)> = HashMap::new();
        let mut member: Option<(i64, i64)> = None;
        let mut stats = MemberStats::default();
        for (server, user, seq, day, correct) in rows {
            if member != Some((server, user)) {
                member = Some((server, user));
                stats = MemberStats::default();
            }
            let day = day_from_db(&day)?;
            let (after, outcome) = stats.after_answer(seq, correct != 0);
            stats = after;
            for period in [week_key(day), month_key(day)] {
                let sum = sums.entry((server, period, user)).or_default();
                sum.0 += i64::from(outcome.points_awarded);
                sum.1 += 1;
                sum.2 += correct;
            }
        }
        let rows: Vec<Vec<Param>> = sums
            .into_iter()
            .map(|((server, period, user), (points, answered, correct))| {
                vec![
                    Param::Int(server),
                    Param::Text(period),
                    Param::Int(user),
                    Param::Int(points),
                    Param::Int(answered),
                    Param::Int(correct),
                ]
            })
            .collect();
        let count = rows.len();
        let mut transaction = self.begin_write().await?;
        insert_rows(
            &mut transaction,
            self.backend,
            "INSERT INTO period_scores (server_id, period, user_id, points, answered, correct)",
            "ON CONFLICT (server_id, period, user_id) DO NOTHING",
            rows,
        )
        .await?;
        transaction.commit().await?;
        tracing::info!(
            rows = count,
            "rebuilt weekly and monthly scores from the recorded answers"
        );
        Ok(())
    }

    /// Members answering, answers and right answers in a period (`week_key`/`month_key`).
    pub async fn period_totals(&self, server_id: u64, period: &str) -> StoreResult<PeriodTotals> {
        let (members, answered, correct): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), CAST(COALESCE(SUM(answered), 0) AS BIGINT), CAST(COALESCE(SUM(correct), 0) AS BIGINT)
             FROM period_scores WHERE server_id = $1 AND period = $2",
        )
        .bind(ids::to_db(server_id))
        .bind(period)
        .fetch_one(&self.pool)
        .await?;
        Ok(PeriodTotals {
            members: count(members),
            answered: count(answered),
            correct: count(correct),
        })
    }

    /// How members answered each question posted between `from` and `to` (inclusive local
    /// days; `None` for no bound).
    pub async fn question_results(
        &self,
        server_id: u64,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> StoreResult<Vec<QuestionResult>> {
        let rows: Vec<(String, i64, i64, i64)> = sqlx::query_as(
            "SELECT p.question_id, a.choice, COUNT(*), CAST(SUM(a.correct) AS BIGINT)
             FROM answers a JOIN daily_posts p ON p.post_id = a.post_id
             WHERE p.server_id = $1 AND p.posting_day >= $2 AND p.posting_day <= $3
             GROUP BY p.question_id, a.choice
             ORDER BY p.question_id",
        )
        .bind(ids::to_db(server_id))
        .bind(from.map_or_else(|| "0000-01-01".to_string(), day_to_db))
        .bind(to.map_or_else(|| "9999-12-31".to_string(), day_to_db))
        .fetch_all(&self.pool)
        .await?;
        let mut results: Vec<QuestionResult> = Vec::new();
        for (question_id, choice, answers, correct) in rows {
            if results.last().map(|last| &last.question_id) != Some(&question_id) {
                results.push(QuestionResult {
                    question_id,
                    spread: [0; 4],
                    correct: 0,
                });
            }
            let Some(result) = results.last_mut() else {
                continue;
            };
            if let Some(slot) = usize::try_from(choice)
                .ok()
                .and_then(|choice| result.spread.get_mut(choice))
            {
                *slot += count(answers);
            }
            result.correct += count(correct);
        }
        Ok(results)
    }

    /// Every daily question a member answered in a server, oldest first: the first one is the
    /// day their `/progress` grid starts counting unanswered questions as missed.
    pub async fn member_results(
        &self,
        server_id: u64,
        user_id: u64,
    ) -> StoreResult<Vec<AnsweredQuestion>> {
        // Through the server's posts and the answers' primary key: one probe per post.
        let rows: Vec<(String, i64, String)> = sqlx::query_as(
            "SELECT p.question_id, a.correct, p.posting_day
             FROM answers a JOIN daily_posts p ON p.post_id = a.post_id
             WHERE a.user_id = $2 AND p.server_id = $1
             ORDER BY p.seq",
        )
        .bind(ids::to_db(server_id))
        .bind(ids::to_db(user_id))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(question_id, correct, day)| {
                Ok(AnsweredQuestion {
                    question_id,
                    correct: correct != 0,
                    day: day_from_db(&day)?,
                })
            })
            .collect()
    }

    /// The server's posts from `from` on, each with the member's answer (if any) and whether
    /// it is still open: the days of the `/progress` grid.
    pub async fn member_days(
        &self,
        server_id: u64,
        user_id: u64,
        from: NaiveDate,
    ) -> StoreResult<Vec<PostDay>> {
        let rows: Vec<(String, Option<i64>, i64)> = sqlx::query_as(
            "SELECT p.posting_day, a.correct,
                    CASE WHEN p.seq = (SELECT MAX(seq) FROM daily_posts WHERE server_id = $1 AND state = 'posted') THEN 1 ELSE 0 END
             FROM daily_posts p LEFT JOIN answers a ON a.post_id = p.post_id AND a.user_id = $2
             WHERE p.server_id = $1 AND p.state = 'posted' AND p.posting_day >= $3
             ORDER BY p.posting_day",
        )
        .bind(ids::to_db(server_id))
        .bind(ids::to_db(user_id))
        .bind(day_to_db(from))
        .fetch_all(&self.pool)
        .await?;
        rows.into_iter()
            .map(|(day, correct, open)| {
                Ok(PostDay {
                    date: day_from_db(&day)?,
                    answer: correct.map(|correct| correct != 0),
                    open: open == 1,
                })
            })
            .collect()
    }

    /// How many members hold a streak of at least `min` right now.
    pub async fn members_on_streak(&self, server_id: u64, min: u32) -> StoreResult<u32> {
        let sql = format!(
            "SELECT COUNT(*) FROM member_stats WHERE server_id = $1 AND ({}) >= $2",
            super::answers::SHOWN_STREAK
        );
        let members: i64 = sqlx::query_scalar(&sql)
            .bind(ids::to_db(server_id))
            .bind(i64::from(min))
            .fetch_one(&self.pool)
            .await?;
        Ok(count(members))
    }

    /// Whether the server has a post (reserved or sent) on a day in `from..before`.
    pub async fn has_post_between(
        &self,
        server_id: u64,
        from: NaiveDate,
        before: NaiveDate,
    ) -> StoreResult<bool> {
        let posts: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM daily_posts WHERE server_id = $1 AND posting_day >= $2 AND posting_day < $3",
        )
        .bind(ids::to_db(server_id))
        .bind(day_to_db(from))
        .bind(day_to_db(before))
        .fetch_one(&self.pool)
        .await?;
        Ok(posts > 0)
    }
}
