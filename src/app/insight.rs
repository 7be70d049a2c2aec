//! Progress and insight: `/progress` (a member's picture and weakest topics) and
//! `/studybot stats` (how the group is doing, for moderators). Both read the answers already
//! recorded; nothing here changes a score.

use std::collections::HashMap;

use chrono::Duration;

use super::bank::AnsweredQuestions;
use super::command::MemberRef;
use super::render;
use super::reply::Reply;
use super::{App, AppResult, Caller};
use crate::domain::progress::MASTERY_MIN_ANSWERS;
use crate::domain::progress::{day_grid, grid_start, CategoryMastery, ProgressView};
use crate::domain::season::{week_key, week_start};
use crate::domain::{Category, Topic};
use crate::store::{PeriodTotals, QuestionResult};

/// `/progress` lists this many weakest topics, each with buttons.
const WEAKEST_TOPICS: usize = 3;
/// `/studybot stats` covers this many weeks, and lists this many hardest questions.
const STATS_WEEKS: usize = 4;
const HARDEST_QUESTIONS: usize = 5;
/// A question counts as one of the hardest only with this many answers: one wrong answer
/// does not make a question hard.
const HARDEST_MIN_ANSWERS: u32 = 3;
/// "On a streak" in the stats: a week of daily questions in a row.
const STREAK_OF_NOTE: u32 = 7;

/// A topic a member answers wrong most often.
#[derive(Debug, Clone, PartialEq)]
pub struct WeakTopic<'a> {
    pub topic: &'a Topic,
    pub answered: u32,
    pub correct: u32,
}

/// One week of the stats.
#[derive(Debug, Clone, PartialEq)]
pub struct WeekStats {
    pub monday: chrono::NaiveDate,
    pub totals: PeriodTotals,
}

/// What `/studybot stats` shows.
#[derive(Debug, Clone, PartialEq)]
pub struct ServerStats<'a> {
    /// Oldest first, the current week last.
    pub weeks: Vec<WeekStats>,
    /// Per category: (answered, right), all time.
    pub categories: Vec<(Category, u32, u32)>,
    /// The hardest questions (lowest share right), all time.
    pub hardest: Vec<(&'a crate::domain::Question, QuestionResult)>,
    pub on_streak: u32,
}

/// Orders (right, answered) tallies by the share right, lowest first, then by more answers:
/// the fractions are compared without floats (a/b < c/d exactly when a*d < c*b).
fn weakest_first(a: (u32, u32), b: (u32, u32)) -> std::cmp::Ordering {
    (u64::from(a.0) * u64::from(b.1))
        .cmp(&(u64::from(b.0) * u64::from(a.1)))
        .then(b.1.cmp(&a.1))
}

/// The questions with the lowest share of right answers (ties: more answers first), among
/// those answered at least `min_answers` times and still in the content.
pub(super) fn hardest<'a>(
    questions: &'a AnsweredQuestions<'_>,
    results: Vec<QuestionResult>,
    min_answers: u32,
    limit: usize,
) -> Vec<(&'a crate::domain::Question, QuestionResult)> {
    let mut known: Vec<_> = results
        .into_iter()
        .filter(|result| result.answered() >= min_answers)
        .filter_map(|result| {
            questions
                .question(&result.question_id)
                .map(|question| (question, result))
        })
        .collect();
    known.sort_by(|(_, a), (_, b)| {
        weakest_first((a.correct, a.answered()), (b.correct, b.answered()))
            .then(a.question_id.cmp(&b.question_id))
    });
    known.truncate(limit);
    known
}

impl App {
    pub(super) async fn progress(
        &self,
        caller: &Caller,
        member: Option<MemberRef>,
        public: bool,
    ) -> AppResult<Reply> {
        let member = member.unwrap_or_else(|| MemberRef {
            user_id: caller.user_id,
            name: caller.display_name.clone(),
        });
        let settings = self.settings_or_defaults(caller.server_id).await?;
        let today = settings.schedule.local_date(self.clock.now());
        let stats = self
            .db
            .member_stats(caller.server_id, member.user_id)
            .await?;
        let shown_streak = self.db.shown_streak(caller.server_id, &stats).await?;
        let results = self
            .db
            .member_results(caller.server_id, member.user_id)
            .await?;
        let days = self
            .db
            .member_days(caller.server_id, member.user_id, grid_start(today))
            .await?;
        let first_answer = results.first().map(|answered| answered.day);
        let ids: Vec<&str> = results
            .iter()
            .map(|answered| answered.question_id.as_str())
            .collect();
        let questions = self.answered_questions(caller.server_id, &ids).await?;

        let mut by_category: HashMap<Category, (u32, u32)> = HashMap::new();
        let mut by_topic: HashMap<&str, (u32, u32)> = HashMap::new();
        for answered in &results {
            // A question no longer in the content still counted; it just has no category.
            let Some(question) = questions.question(&answered.question_id) else {
                continue;
            };
            let Some(topic) = self.library.topic(&question.topic) else {
                continue;
            };
            for tally in [
                by_category.entry(topic.category).or_default(),
                by_topic.entry(topic.slug.as_str()).or_default(),
            ] {
                tally.0 += 1;
                tally.1 += u32::from(answered.correct);
            }
        }
        let categories = Category::ALL
            .iter()
            .map(|&category| {
                let (answered, correct) = by_category.get(&category).copied().unwrap_or_default();
                CategoryMastery {
                    category,
                    answered,
                    correct,
                }
            })
            .collect();
        let mut weakest: Vec<WeakTopic> = by_topic
            .into_iter()
            .filter(|(_, (answered, _))| *answered >= MASTERY_MIN_ANSWERS)
            .filter_map(|(slug, (answered, correct))| {
                self.library.topic(slug).map(|topic| WeakTopic {
                    topic,
                    answered,
                    correct,
                })
            })
            .collect();
        weakest.sort_by(|a, b| {
            weakest_first((a.correct, a.answered), (b.correct, b.answered))
                .then(a.topic.slug.cmp(&b.topic.slug))
        });
        weakest.truncate(WEAKEST_TOPICS);

        let view = ProgressView {
            member_name: member.name.clone(),
            today,
            categories,
            days: day_grid(today, &days, first_answer),
            current_streak: shown_streak,
            best_streak: stats.best_streak,
            freezes: stats.freezes,
            points: stats.points,
            answered: stats.answered,
            correct: stats.correct,
        };
        let picture = crate::picture::render_progress(&view)
            .map_err(|error| anyhow::anyhow!("drawing the progress picture failed: {error}"))?;
        Ok(render::progress(&view, &weakest, picture).ephemeral_if(!public))
    }

    pub(super) async fn stats(&self, caller: &Caller) -> AppResult<Reply> {
        let settings = self.settings_or_defaults(caller.server_id).await?;
        let today = settings.schedule.local_date(self.clock.now());
        let this_week = week_start(today);
        let mut weeks = Vec::with_capacity(STATS_WEEKS);
        for back in (0..STATS_WEEKS as i64).rev() {
            let monday = this_week - Duration::weeks(back);
            let totals = self
                .db
                .period_totals(caller.server_id, &week_key(monday))
                .await?;
            weeks.push(WeekStats { monday, totals });
        }
        // The same four weeks: what the group is weak in now, and a query that stays quick on
        // a server with a year of answers (all time took seconds at 10,000 members).
        let first_day = weeks.first().map(|week| week.monday);
        let results = self
            .db
            .question_results(caller.server_id, first_day, Some(today))
            .await?;
        let ids: Vec<&str> = results
            .iter()
            .map(|result| result.question_id.as_str())
            .collect();
        let questions = self.answered_questions(caller.server_id, &ids).await?;
        let mut categories: HashMap<Category, (u32, u32)> = HashMap::new();
        for result in &results {
            let Some(category) = questions
                .question(&result.question_id)
                .and_then(|question| self.library.topic(&question.topic))
                .map(|topic| topic.category)
            else {
                continue;
            };
            let tally = categories.entry(category).or_default();
            tally.0 += result.answered();
            tally.1 += result.correct;
        }
        let categories = Category::ALL
            .iter()
            .map(|&category| {
                let (answered, correct) = categories.get(&category).copied().unwrap_or_default();
                (category, answered, correct)
            })
            .collect();
        let stats = ServerStats {
            weeks,
            categories,
            hardest: hardest(&questions, results, HARDEST_MIN_ANSWERS, HARDEST_QUESTIONS),
            on_streak: self
                .db
                .members_on_streak(caller.server_id, STREAK_OF_NOTE)
                .await?,
        };
        Ok(render::server_stats(&stats, HARDEST_MIN_ANSWERS, STREAK_OF_NOTE).private())
    }
}
