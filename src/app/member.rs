//! What members do: look things up, get questions, watch their standing, forget themselves.

use super::command::MemberRef;
use super::error::user_error;
use super::library::Lookup;
use super::reply::Reply;
use super::{render, App, AppResult, Caller};
use crate::domain::season::period_key;
use crate::domain::text::truncate_chars;
use crate::domain::{Category, LeaderboardOrder, Period, Question};

/// How many suggestions "Did you mean" offers, and how many hits /search lists.
const SUGGESTIONS_MAX: usize = 5;
const LEADERBOARD_SIZE: u32 = 10;
/// Text members type is echoed back at most this long.
const ECHO_CHARS: usize = 100;

impl App {
    pub(super) fn explain(&self, typed: &str, private: bool) -> Reply {
        let echo = truncate_chars(typed.trim(), ECHO_CHARS);
        match self.library.lookup(typed, SUGGESTIONS_MAX) {
            Lookup::Card(topic, _) => {
                render::card(self.library.pack(), topic).ephemeral_if(private)
            }
            Lookup::DidYouMean(hits) => render::did_you_mean(&echo, &hits),
            Lookup::Nothing if echo.is_empty() => {
                Reply::text("Type a topic, for example `/explain jwt`.").private()
            }
            Lookup::Nothing => {
                render::nothing_found(&echo, "Try other words, /search, or /topics to browse.")
            }
        }
    }

    pub(super) fn search(&self, query: &str) -> Reply {
        let hits = self.library.resolve(query, SUGGESTIONS_MAX);
        let echo = truncate_chars(query.trim(), ECHO_CHARS);
        if hits.is_empty() {
            return render::nothing_found(&echo, "Try fewer or other words.");
        }
        render::search_results(self.library.pack(), &echo, &hits)
    }

    pub(super) fn topics(&self, category: Option<Category>) -> Reply {
        render::topic_list(self.library.pack(), category)
    }

    pub(super) async fn quiz(
        &self,
        caller: &Caller,
        practice: bool,
        topic: Option<&str>,
    ) -> AppResult<Reply> {
        let topic = topic.map(str::trim).filter(|text| !text.is_empty());
        if practice || topic.is_some() {
            let slug = match topic {
                Some(typed) => match self.library.confident_slug(typed) {
                    Some(slug) => Some(slug),
                    None => {
                        return user_error(format!(
                            "No topic matches “{}”. Try /topics to browse.",
                            truncate_chars(typed, ECHO_CHARS)
                        ))
                    }
                },
                None => None,
            };
            return self.practice_question(caller, slug.as_deref()).await;
        }
        let Some(post) = self.db.open_post(caller.server_id).await? else {
            return self.practice_question(caller, None).await;
        };
        let Some((question, _)) = self
            .question_in(caller.server_id, &post.question_id)
            .await?
        else {
            return self.practice_question(caller, None).await;
        };
        Ok(render::open_daily_question(
            self.library.pack(),
            &post,
            &question,
        ))
    }

    /// A question that never touches streaks or points: on a topic, or from the server's
    /// whole bank.
    pub(super) async fn practice_question(
        &self,
        caller: &Caller,
        slug: Option<&str>,
    ) -> AppResult<Reply> {
        let pack = self.library.pack();
        let bank = self.bank(caller.server_id).await?;
        let pool: Vec<&Question> = bank
            .candidates(pack.questions())
            .into_iter()
            .filter(|question| slug.is_none_or(|slug| question.topic == slug))
            .collect();
        if pool.is_empty() {
            return user_error("There are no practice questions on that topic yet.");
        }
        // Varies with the member and the minute, so asking again gives another question.
        let seed = caller.user_id
            ^ (self.clock.now().timestamp() as u64 / 60).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let question = pool[(seed % pool.len() as u64) as usize];
        Ok(render::practice_question(pack, question))
    }

    pub(super) async fn streak(
        &self,
        caller: &Caller,
        member: Option<MemberRef>,
    ) -> AppResult<Reply> {
        let member = member.unwrap_or_else(|| MemberRef {
            user_id: caller.user_id,
            name: caller.display_name.clone(),
        });
        let stats = self
            .db
            .member_stats(caller.server_id, member.user_id)
            .await?;
        let shown = self.db.shown_streak(caller.server_id, &stats).await?;
        Ok(render::streak(&member.name, &stats, shown))
    }

    pub(super) async fn leaderboard(
        &self,
        caller: &Caller,
        order: LeaderboardOrder,
        period: Period,
    ) -> AppResult<Reply> {
        let today = self.server_today(caller.server_id).await?;
        let key = period_key(period, today);
        let (top, own) = self
            .db
            .leaderboard(
                caller.server_id,
                order,
                key.as_deref(),
                LEADERBOARD_SIZE,
                caller.user_id,
            )
            .await?;
        Ok(render::leaderboard(
            order,
            period,
            &top,
            own.as_ref(),
            caller.user_id,
        ))
    }

    pub(super) async fn review(&self, caller: &Caller) -> AppResult<Reply> {
        let due = self
            .db
            .due_reviews(caller.server_id, caller.user_id, self.clock.now())
            .await?;
        let mut found = None;
        for item in &due {
            if let Some((question, _)) = self
                .question_in(caller.server_id, &item.question_id)
                .await?
            {
                found = Some(question.into_owned());
                break;
            }
        }
        let Some(question) = found else {
            return Ok(Reply::text(
                "Nothing to review right now. A daily question you miss comes back after 1, 3, 7 and 14 days until you get it right.",
            )
            .private());
        };
        Ok(render::review_question(
            self.library.pack(),
            &question,
            due.len(),
        ))
    }

    pub(super) async fn forget(&self, caller: &Caller, confirmed: bool) -> AppResult<Reply> {
        if !confirmed {
            return Ok(Reply::text("Nothing was deleted.").private());
        }
        let deleted = self
            .db
            .forget_member(caller.server_id, caller.user_id)
            .await?;
        Ok(Reply::text(format!(
            "Done: deleted {deleted} row(s) about you in this server (answers, streak, points, weekly and monthly scores, reviews, suggestions not in the bank)."
        ))
        .private())
    }
}
