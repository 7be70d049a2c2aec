//! `answers` and `member_stats`: recording an answer exactly once, streaks, leaderboards,
//! and forgetting a member.

use chrono::{DateTime, Utc};

use sqlx::AnyConnection;

use super::writer::Answer;
use super::{ids, instant_to_db, Db, StoreResult};
use crate::domain::review::next_due;
use crate::domain::{
    standing::accuracy_min_answers, AnswerRecord, LeaderboardEntry, LeaderboardOrder, MemberStats,
};

/// A member's click on a daily post, as the store records it.
#[derive(Debug, Clone, Copy)]
pub struct NewAnswer<'a> {
    pub server_id: u64,
    pub post_id: i64,
    pub user_id: u64,
    pub choice: usize,
    pub correct: bool,
    pub question_id: &'a str,
    pub at: DateTime<Utc>,
}

/// SQL ordering for each leaderboard; ties fall back to the other measures, then the id, so
/// ranks are stable.
fn order_by(order: LeaderboardOrder) -> &'static str {
    match order {
        LeaderboardOrder::Streak => "shown_streak DESC, best_streak DESC, points DESC, user_id",
        LeaderboardOrder::Points => "points DESC, shown_streak DESC, user_id",
        LeaderboardOrder::Accuracy => "(correct * 1.0 / answered) DESC, answered DESC, user_id",
    }
}

/// SQL that holds when ranked row `r` comes before the caller's row `me`: the same order as
/// [`order_by`], written as comparisons, so counting such rows gives the caller's rank.
fn ahead_of_me(order: LeaderboardOrder) -> &'static str {
    match order {
        LeaderboardOrder::Streak => "r.shown_streak > me.shown_streak
            OR (r.shown_streak = me.shown_streak AND (r.best_streak > me.best_streak
            OR (r.best_streak = me.best_streak AND (r.points > me.points
            OR (r.points = me.points AND r.user_id < me.user_id)))))",
        LeaderboardOrder::Points => "r.points > me.points
            OR (r.points = me.points AND (r.shown_streak > me.shown_streak
            OR (r.shown_streak = me.shown_streak AND r.user_id < me.user_id)))",
        LeaderboardOrder::Accuracy => "(r.correct * 1.0 / r.answered) > (me.correct * 1.0 / me.answered)
            OR ((r.correct * 1.0 / r.answered) = (me.correct * 1.0 / me.answered) AND (r.answered > me.answered
            OR (r.answered = me.answered AND r.user_id < me.user_id)))",
    }
}

/// A row of `member_stats`.
#[derive(sqlx::FromRow)]
pub(super) struct StatsRow {
    streak: i64,
    best_streak: i64,
    freezes: i64,
    points: i64,
    answered: i64,
    correct: i64,
    last_answered_seq: Option<i64>,
}

impl From<StatsRow> for MemberStats {
    fn from(row: StatsRow) -> MemberStats {
        let count = |value: i64| u32::try_from(value).unwrap_or(0);
        MemberStats {
            streak: count(row.streak),
            best_streak: count(row.best_streak),
            freezes: count(row.freezes),
            points: u64::try_from(row.points).unwrap_or(0),
            answered: count(row.answered),
            correct: count(row.correct),
            last_answered_seq: row.last_answered_seq,
        }
    }
}

/// A leaderboard row with which part of the answer it is (0: the top, 1: the caller).
#[derive(sqlx::FromRow)]
struct PartRow {
    part: i64,
    #[sqlx(flatten)]
    ranked: RankedRow,
}

/// A leaderboard row: the member's stats with their rank and shown streak.
#[derive(sqlx::FromRow)]
struct RankedRow {
    rank: i64,
    user_id: i64,
    shown_streak: i64,
    #[sqlx(flatten)]
    stats: StatsRow,
}

const SELECT_STATS: &str =
    "SELECT streak, best_streak, freezes, points, answered, correct, last_answered_seq
     FROM member_stats WHERE server_id = $1 AND user_id = $2";

/// SQL for the streak a member shows now: `?1` is the server. Mirrors
/// `MemberStats::current_streak` with the newest posted question open.
pub(super) const SHOWN_STREAK: &str = "CASE
    WHEN last_answered_seq IS NULL THEN streak
    WHEN (SELECT COALESCE(MAX(seq), 0) - 1 FROM daily_posts WHERE server_id = $1 AND state = 'posted')
         - last_answered_seq <= freezes THEN streak
    ELSE 0 END";

impl Db {
    /// Records a member's answer to a daily post: the answer if it is their first and the
    /// post is open, their stats, and their review ladder, in one step that is on disk when
    /// this returns (see `writer`: answers are committed in groups).
    pub async fn record_answer(&self, answer: &NewAnswer<'_>) -> StoreResult<AnswerRecord> {
        self.writer
            .record(Answer {
                server_id: answer.server_id,
                post_id: answer.post_id,
                user_id: answer.user_id,
                choice: answer.choice,
                correct: answer.correct,
                question_id: answer.question_id.to_string(),
                at: answer.at,
            })
            .await
    }

    /// A right answer retires a question from the member's reviews; a wrong one puts it on
    /// the ladder (or one step further up it).
    pub(super) async fn update_review(
        connection: &mut AnyConnection,
        server: i64,
        user: i64,
        question_id: &str,
        correct: bool,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        if !correct {
            return Self::note_missed(connection, server, user, question_id, at).await;
        }
        sqlx::query(
            "DELETE FROM review_items WHERE server_id = $1 AND user_id = $2 AND question_id = $3",
        )
        .bind(server)
        .bind(user)
        .bind(question_id)
        .execute(&mut *connection)
        .await?;
        Ok(())
    }

    /// Puts a missed question on the review ladder (or one step further up it).
    async fn note_missed(
        connection: &mut AnyConnection,
        server: i64,
        user: i64,
        question_id: &str,
        at: DateTime<Utc>,
    ) -> StoreResult<()> {
        let times_wrong: i64 = sqlx::query_scalar(
            "SELECT COALESCE((SELECT times_wrong FROM review_items WHERE server_id = $1 AND user_id = $2 AND question_id = $3), 0) + 1",
        )
        .bind(server)
        .bind(user)
        .bind(question_id)
        .fetch_one(&mut *connection)
        .await?;
        let due = next_due(u32::try_from(times_wrong).unwrap_or(u32::MAX), at);
        sqlx::query(
            "INSERT INTO review_items (server_id, user_id, question_id, times_wrong, due_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (server_id, user_id, question_id) DO UPDATE SET times_wrong = excluded.times_wrong, due_at = excluded.due_at",
        )
        .bind(server)
        .bind(user)
        .bind(question_id)
        .bind(times_wrong)
        .bind(instant_to_db(due))
        .execute(&mut *connection)
        .await?;
        Ok(())
    }

    /// A member's stats in a server (all zero before their first answer).
    pub async fn member_stats(&self, server_id: u64, user_id: u64) -> StoreResult<MemberStats> {
        let row: Option<StatsRow> = sqlx::query_as(SELECT_STATS)
            .bind(ids::to_db(server_id))
            .bind(ids::to_db(user_id))
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(MemberStats::from).unwrap_or_default())
    }

    /// The streak a member shows now, given the server's posts.
    pub async fn shown_streak(&self, server_id: u64, stats: &MemberStats) -> StoreResult<u32> {
        let latest: Option<i64> = sqlx::query_scalar(
            "SELECT MAX(seq) FROM daily_posts WHERE server_id = $1 AND state = 'posted'",
        )
        .bind(ids::to_db(server_id))
        .fetch_one(&self.pool)
        .await?;
        Ok(stats.current_streak(latest, true))
    }

    /// The top `limit` members and, if not among them, `caller`'s own entry. With a period
    /// (`week_key`/`month_key`), points, answers and accuracy are that period's and only
    /// members who answered in it are ranked; streaks are always as they stand now.
    pub async fn leaderboard(
        &self,
        server_id: u64,
        order: LeaderboardOrder,
        period: Option<&str>,
        limit: u32,
        caller: u64,
    ) -> StoreResult<(Vec<LeaderboardEntry>, Option<LeaderboardEntry>)> {
        let eligible = match order {
            LeaderboardOrder::Accuracy => {
                // Week keys start with 'W' (domain::season::week_key).
                let weekly = period.is_some_and(|key| key.starts_with('W'));
                format!("AND answered >= {}", accuracy_min_answers(weekly))
            }
            _ => String::new(),
        };
        let source = match period {
            None => "SELECT user_id, streak, best_streak, freezes, points, answered, correct, last_answered_seq
                     FROM member_stats WHERE server_id = $1",
            Some(_) => "SELECT s.user_id, m.streak, m.best_streak, m.freezes, s.points, s.answered, s.correct, m.last_answered_seq
                        FROM period_scores s JOIN member_stats m ON m.server_id = s.server_id AND m.user_id = s.user_id
                        WHERE s.server_id = $1 AND s.period = $4",
        };
        // One statement: the ranked rows are computed once (MATERIALIZED), the top taken by a
        // bounded sort, and the caller's rank found by counting who is ahead of them; both
        // far cheaper than numbering every member of a big server.
        let sql = format!(
            "WITH scores AS ({source}), ranked AS MATERIALIZED (
                SELECT user_id, streak, best_streak, freezes, points, answered, correct, last_answered_seq,
                       {SHOWN_STREAK} AS shown_streak
                FROM scores WHERE 1 = 1 {eligible}
             ), top AS (
                SELECT * FROM ranked ORDER BY {order} LIMIT $2
             ), me AS (
                SELECT * FROM ranked WHERE user_id = $3
             )
             SELECT CAST(0 AS BIGINT) AS part, ROW_NUMBER() OVER (ORDER BY {order}) AS rank,
                    user_id, streak, best_streak, freezes, points, answered, correct, last_answered_seq, shown_streak
             FROM top
             UNION ALL
             SELECT CAST(1 AS BIGINT) AS part, (SELECT COUNT(*) FROM ranked r WHERE {ahead}) + 1 AS rank,
                    user_id, streak, best_streak, freezes, points, answered, correct, last_answered_seq, shown_streak
             FROM me
             ORDER BY part, rank",
            order = order_by(order),
            ahead = ahead_of_me(order),
        );
        let rows: Vec<(i64, RankedRow)> = sqlx::query_as::<_, PartRow>(&sql)
            .bind(ids::to_db(server_id))
            .bind(i64::from(limit))
            .bind(ids::to_db(caller))
            .bind(period.unwrap_or(""))
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|row| (row.part, row.ranked))
            .collect();
        let mut top = Vec::new();
        let mut own = None;
        for (part, row) in rows {
            let entry = LeaderboardEntry {
                rank: u32::try_from(row.rank).unwrap_or(u32::MAX),
                user_id: ids::from_db(row.user_id),
                stats: row.stats.into(),
                shown_streak: u32::try_from(row.shown_streak).unwrap_or(0),
            };
            if part == 0 {
                top.push(entry);
            } else if entry.rank > limit {
                // In the top already otherwise, and shown there.
                own = Some(entry);
            }
        }
        Ok((top, own))
    }

    /// `/forget-me`: deletes every row about a member in a server. Returns rows deleted.
    pub async fn forget_member(&self, server_id: u64, user_id: u64) -> StoreResult<u64> {
        let (server, user) = (ids::to_db(server_id), ids::to_db(user_id));
        let mut transaction = self.begin_write().await?;
        let mut deleted = 0;
        for sql in [
            "DELETE FROM answers WHERE user_id = $2 AND post_id IN (SELECT post_id FROM daily_posts WHERE server_id = $1)",
            "DELETE FROM member_stats WHERE server_id = $1 AND user_id = $2",
            "DELETE FROM review_items WHERE server_id = $1 AND user_id = $2",
            "DELETE FROM period_scores WHERE server_id = $1 AND user_id = $2",
            // Community questions: what is not in the bank goes; approved questions stay,
            // credited to "a former member".
            "DELETE FROM suggestions WHERE server_id = $1 AND author_id = $2 AND state <> 'approved'",
            "UPDATE suggestions SET author_id = NULL, author_name = NULL WHERE server_id = $1 AND author_id = $2",
            "UPDATE server_questions SET author_id = NULL, author_name = NULL WHERE server_id = $1 AND author_id = $2",
        ] {
            deleted += sqlx::query(sql)
                .bind(server)
                .bind(user)
                .execute(&mut *transaction)
                .await?
                .rows_affected();
        }
        transaction.commit().await?;
        Ok(deleted)
    }

    /// Rows about a member in a server (answers, stats, reviews, season scores): for tests
    /// and `/forget-me`.
    pub async fn member_row_count(&self, server_id: u64, user_id: u64) -> StoreResult<i64> {
        Ok(sqlx::query_scalar(
            "SELECT (SELECT COUNT(*) FROM answers WHERE user_id = $2 AND post_id IN (SELECT post_id FROM daily_posts WHERE server_id = $1))
                  + (SELECT COUNT(*) FROM member_stats WHERE server_id = $1 AND user_id = $2)
                  + (SELECT COUNT(*) FROM review_items WHERE server_id = $1 AND user_id = $2)
                  + (SELECT COUNT(*) FROM period_scores WHERE server_id = $1 AND user_id = $2)
                  + (SELECT COUNT(*) FROM suggestions WHERE server_id = $1 AND author_id = $2)
                  + (SELECT COUNT(*) FROM server_questions WHERE server_id = $1 AND author_id = $2)",
        )
        .bind(ids::to_db(server_id))
        .bind(ids::to_db(user_id))
        .fetch_one(&self.pool)
        .await?)
    }
}
