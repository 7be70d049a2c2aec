//! What members do: look things up, answer questions, watch their standing.

use super::action::Action;
use super::reply::{Button, Embed, Reply};
use super::{render, user_error, App, AppResult, Caller};
use crate::domain::streak::FREEZES_MAX;
use crate::domain::text::truncate_chars;
use crate::domain::{AnswerRecord, Category, Question};
use crate::store::{LeaderboardOrder, ACCURACY_MIN_ANSWERS};

/// How many suggestions "Did you mean" offers, and how many hits /search lists.
const SUGGESTIONS_MAX: usize = 5;
const LEADERBOARD_SIZE: u32 = 10;
/// One-line snippets in /search: long enough to recognise the card, short for a phone.
const SNIPPET_CHARS: usize = 110;
/// Text members type is echoed back at most this long.
const ECHO_CHARS: usize = 100;

impl App {
    pub(super) fn explain(&self, typed: &str, private: bool) -> Reply {
        let hits = self.timed_resolve(typed);
        let echo = truncate_chars(typed.trim(), ECHO_CHARS);
        match hits.first() {
            Some(best) if best.is_confident() => match self.pack.topic(&best.slug) {
                Some(topic) => render::card(&self.pack, topic).ephemeral_if(private),
                None => Reply::text("That card is not available right now.").private(),
            },
            Some(_) => Reply::text(format!("No card matches “{echo}” exactly. Did you mean:"))
                .with_buttons(explain_buttons(&hits))
                .private(),
            None if echo.is_empty() => {
                Reply::text("Type a topic, for example `/explain jwt`.").private()
            }
            None => Reply::text(format!(
                "Nothing found for “{echo}”. Try other words, /search, or /topics to browse."
            ))
            .private(),
        }
    }

    /// Resolution, timed for the search latency metric.
    fn timed_resolve(&self, typed: &str) -> Vec<crate::search::Hit> {
        let started = std::time::Instant::now();
        let hits = self.index.resolve(typed, SUGGESTIONS_MAX);
        crate::telemetry::record_search("resolve", started.elapsed());
        hits
    }

    pub(super) fn search(&self, query: &str) -> Reply {
        let hits = self.timed_resolve(query);
        let echo = truncate_chars(query.trim(), ECHO_CHARS);
        if hits.is_empty() {
            return Reply::text(format!(
                "Nothing found for “{echo}”. Try fewer or other words."
            ))
            .private();
        }
        let lines: Vec<String> = hits
            .iter()
            .filter_map(|hit| self.pack.topic(&hit.slug))
            .map(|topic| {
                format!(
                    "**{}** (`{}`)\n{}",
                    topic.title,
                    topic.slug,
                    truncate_chars(first_sentence(&topic.summary), SNIPPET_CHARS)
                )
            })
            .collect();
        let embed = Embed {
            title: format!("Search: {echo}"),
            description: lines.join("\n\n"),
            colour: Some(render::CARD_COLOUR),
            ..Embed::default()
        };
        Reply::embed(embed)
            .with_buttons(explain_buttons(&hits))
            .private()
    }

    pub(super) fn topics(&self, category: Option<&str>) -> AppResult<Reply> {
        let Some(typed) = category.map(str::trim).filter(|text| !text.is_empty()) else {
            let lines: Vec<String> = Category::ALL
                .into_iter()
                .map(|category| {
                    format!(
                        "**{}** (`{}`): {} cards",
                        category.label(),
                        category.slug(),
                        self.pack.topics_in(category).count()
                    )
                })
                .collect();
            let embed = Embed {
                title: "Topics".into(),
                description: format!(
                    "{}\n\nOpen one with `/topics category:<name>`, or a card with `/explain`.",
                    lines.join("\n")
                ),
                colour: Some(render::CARD_COLOUR),
                ..Embed::default()
            };
            return Ok(Reply::embed(embed).private());
        };
        let key = crate::domain::text::name_key(typed);
        let Some(category) = Category::ALL.into_iter().find(|category| {
            crate::domain::text::name_key(category.slug()) == key
                || crate::domain::text::name_key(category.label()) == key
        }) else {
            return user_error(format!(
                "There is no category “{}”. Categories: {}.",
                truncate_chars(typed, ECHO_CHARS),
                Category::ALL.map(Category::slug).join(", ")
            ));
        };
        let mut topics: Vec<_> = self.pack.topics_in(category).collect();
        topics.sort_by(|a, b| (a.level, &a.title).cmp(&(b.level, &b.title)));
        let lines: Vec<String> = topics
            .iter()
            .map(|topic| format!("• **{}** (`{}`) · {}", topic.title, topic.slug, topic.level))
            .collect();
        let embed = Embed {
            title: format!("{} · {} cards", category.label(), topics.len()),
            description: truncate_chars(&lines.join("\n"), crate::domain::EmbedLimits::DESCRIPTION),
            colour: Some(render::CARD_COLOUR),
            ..Embed::default()
        };
        Ok(Reply::embed(embed).private())
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
                Some(typed) => match self.index.resolve(typed, 1).into_iter().next() {
                    Some(hit) if hit.is_confident() => Some(hit.slug),
                    _ => {
                        return user_error(format!(
                            "No topic matches “{}”. Try /topics to browse.",
                            truncate_chars(typed, ECHO_CHARS)
                        ))
                    }
                },
                None => None,
            };
            return self.practice_question(caller, slug.as_deref());
        }
        let Some(post) = self.db.open_post(caller.server_id).await? else {
            return self.practice_question(caller, None);
        };
        let Some(question) = self.pack.question(&post.question_id) else {
            return self.practice_question(caller, None);
        };
        let mut reply = render::question(&self.pack, question, "Today's question", |choice| {
            Action::Answer {
                post_id: post.post_id,
                choice,
            }
        });
        reply.text = Some("Today's question is open: only your first answer counts.".into());
        Ok(reply.private())
    }

    /// A question that never touches streaks or points: on a topic, or from the whole bank.
    pub(super) fn practice_question(
        &self,
        caller: &Caller,
        slug: Option<&str>,
    ) -> AppResult<Reply> {
        let pool: Vec<&Question> = match slug {
            Some(slug) => self.pack.questions_about(slug).collect(),
            None => self.pack.questions().iter().collect(),
        };
        if pool.is_empty() {
            return user_error("There are no practice questions on that topic yet.");
        }
        // Varies with the member and the minute, so asking again gives another question.
        let seed = caller.user_id
            ^ (self.clock.now().timestamp() as u64 / 60).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        let question = pool[(seed % pool.len() as u64) as usize];
        let mut reply = render::question(&self.pack, question, "Practice question", |choice| {
            Action::Practice {
                question_id: question.id.clone(),
                choice,
            }
        });
        reply.text = Some("Practice: no streaks or points at stake.".into());
        Ok(reply.private())
    }

    pub(super) async fn answer_daily(
        &self,
        caller: &Caller,
        post_id: i64,
        choice: usize,
    ) -> AppResult<Reply> {
        let now = self.clock.now();
        let record = crate::quiz::answer_daily(
            &self.db,
            &self.pack,
            caller.server_id,
            post_id,
            caller.user_id,
            choice,
            now,
        )
        .await?;
        let post = self.db.post(post_id).await?;
        let question = post
            .as_ref()
            .and_then(|post| self.pack.question(&post.question_id));
        let Some(question) = question else {
            return user_error("That question is no longer available.");
        };
        match record {
            AnswerRecord::Recorded { stats, outcome } => {
                crate::telemetry::record_answer();
                let right = choice == question.answer;
                let mut lines = vec![verdict(question, choice)];
                lines.push(String::new());
                lines.push(question.explanation.clone());
                lines.push(String::new());
                let mut standing = format!(
                    "Streak **{}** (best {}) · +{} points · {} total",
                    stats.streak, stats.best_streak, outcome.points_awarded, stats.points
                );
                if outcome.freezes_used > 0 && !outcome.streak_reset {
                    standing.push_str(&format!(" · a streak freeze covered {} missed question(s)", outcome.freezes_used));
                }
                if outcome.freeze_earned {
                    standing.push_str(&format!(" · earned a streak freeze ({}/{FREEZES_MAX})", stats.freezes));
                }
                lines.push(standing);
                let embed = Embed {
                    title: if right { "Right!".into() } else { "Not quite".into() },
                    description: truncate_chars(&lines.join("\n"), crate::domain::EmbedLimits::DESCRIPTION),
                    colour: Some(if right { render::RIGHT_COLOUR } else { render::WRONG_COLOUR }),
                    ..Embed::default()
                }
                .field("Discuss it", &question.discuss, false);
                Ok(Reply::embed(embed).private())
            }
            AnswerRecord::AlreadyAnswered { choice } => Ok(Reply::text(format!(
                "You already answered this one with **{}**. Only the first click counts.",
                Question::LETTERS.get(choice).copied().unwrap_or('?')
            ))
            .private()),
            AnswerRecord::Closed => Ok(Reply::text(format!(
                "This question is closed: a newer one was posted. The answer was **{}**. Try /quiz for today's.",
                question.answer_letter()
            ))
            .private()),
        }
    }

    pub(super) fn answer_practice(&self, question_id: &str, choice: usize) -> AppResult<Reply> {
        let Some(question) = self.pack.question(question_id) else {
            return user_error("That question is no longer available. Try /quiz practice.");
        };
        Ok(self.teaching_reply(
            question,
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
        let Some(question) = self.pack.question(question_id) else {
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
        Ok(self.teaching_reply(question, choice, note))
    }

    fn teaching_reply(&self, question: &Question, choice: usize, note: &str) -> Reply {
        let right = choice == question.answer;
        let embed = Embed {
            title: if right {
                "Right!".into()
            } else {
                "Not quite".into()
            },
            description: truncate_chars(
                &format!(
                    "{}\n\n{}\n\n{note}",
                    verdict(question, choice),
                    question.explanation
                ),
                crate::domain::EmbedLimits::DESCRIPTION,
            ),
            colour: Some(if right {
                render::RIGHT_COLOUR
            } else {
                render::WRONG_COLOUR
            }),
            ..Embed::default()
        }
        .field("Discuss it", &question.discuss, false);
        Reply::embed(embed).private()
    }

    pub(super) async fn streak(
        &self,
        caller: &Caller,
        member: Option<(u64, String)>,
    ) -> AppResult<Reply> {
        let (user_id, name) = member.unwrap_or((caller.user_id, caller.display_name.clone()));
        let stats = self.db.member_stats(caller.server_id, user_id).await?;
        let shown = self.db.shown_streak(caller.server_id, &stats).await?;
        let accuracy = if stats.answered == 0 {
            "n/a".to_string()
        } else {
            format!("{:.0}%", stats.accuracy() * 100.0)
        };
        let embed = Embed {
            title: format!("{name}'s streak"),
            description: if stats.answered == 0 {
                "No daily questions answered in this server yet.".into()
            } else {
                String::new()
            },
            colour: Some(render::QUESTION_COLOUR),
            ..Embed::default()
        }
        .field("Current streak", &shown.to_string(), true)
        .field("Best streak", &stats.best_streak.to_string(), true)
        .field(
            "Streak freezes",
            &format!("{}/{FREEZES_MAX}", stats.freezes),
            true,
        )
        .field("Answered", &stats.answered.to_string(), true)
        .field("Accuracy", &accuracy, true)
        .field("Points", &stats.points.to_string(), true);
        Ok(Reply::embed(embed))
    }

    pub(super) async fn leaderboard(
        &self,
        caller: &Caller,
        order: LeaderboardOrder,
    ) -> AppResult<Reply> {
        let (top, own) = self
            .db
            .leaderboard(caller.server_id, order, LEADERBOARD_SIZE, caller.user_id)
            .await?;
        let line = |entry: &crate::store::LeaderboardEntry| {
            let value = match order {
                LeaderboardOrder::Streak => format!(
                    "streak {} (best {})",
                    entry.shown_streak, entry.stats.best_streak
                ),
                LeaderboardOrder::Points => format!("{} points", entry.stats.points),
                LeaderboardOrder::Accuracy => format!(
                    "{:.0}% of {}",
                    entry.stats.accuracy() * 100.0,
                    entry.stats.answered
                ),
            };
            format!("{}. <@{}>: {value}", entry.rank, entry.user_id)
        };
        let mut lines: Vec<String> = top.iter().map(line).collect();
        if lines.is_empty() {
            lines.push(
                "Nobody is ranked yet: answer the daily question to get on the board.".into(),
            );
        }
        let caller_line = match (
            &own,
            top.iter().find(|entry| entry.user_id == caller.user_id),
        ) {
            (Some(entry), _) => format!("You: {}", line(entry)),
            (None, Some(entry)) => format!("You are #{}.", entry.rank),
            (None, None) if order == LeaderboardOrder::Accuracy => {
                format!("You are not ranked yet: accuracy ranks members with {ACCURACY_MIN_ANSWERS}+ answers.")
            }
            (None, None) => "You are not ranked yet.".into(),
        };
        let by = match order {
            LeaderboardOrder::Streak => "streak",
            LeaderboardOrder::Points => "points",
            LeaderboardOrder::Accuracy => "accuracy",
        };
        let embed = Embed {
            title: format!("Leaderboard by {by}"),
            description: format!("{}\n\n{caller_line}", lines.join("\n")),
            colour: Some(render::QUESTION_COLOUR),
            ..Embed::default()
        };
        Ok(Reply::embed(embed))
    }

    pub(super) async fn review(&self, caller: &Caller) -> AppResult<Reply> {
        let due = self
            .db
            .due_reviews(caller.server_id, caller.user_id, self.clock.now())
            .await?;
        let Some(question) = due
            .iter()
            .find_map(|item| self.pack.question(&item.question_id))
        else {
            return Ok(Reply::text(
                "Nothing to review right now. A daily question you miss comes back after 1, 3, 7 and 14 days until you get it right.",
            )
            .private());
        };
        let mut reply = render::question(&self.pack, question, "Review", |choice| Action::Review {
            question_id: question.id.clone(),
            choice,
        });
        reply.text = Some(match due.len() {
            1 => "1 question is due for review. Reviews never touch streaks or points.".into(),
            n => format!("{n} questions are due for review; here is the first. Reviews never touch streaks or points."),
        });
        Ok(reply.private())
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
            "Done: deleted {deleted} row(s) about you in this server (answers, streak, points, reviews)."
        ))
        .private())
    }
}

fn explain_buttons(hits: &[crate::search::Hit]) -> Vec<Button> {
    hits.iter()
        .map(|hit| render::explain_button(&hit.title, &hit.slug))
        .collect()
}

fn verdict(question: &Question, choice: usize) -> String {
    let letter = Question::LETTERS.get(choice).copied().unwrap_or('?');
    if choice == question.answer {
        format!("**{letter}** is right.")
    } else {
        format!(
            "You picked **{letter}**; the answer is **{}.** {}",
            question.answer_letter(),
            question.choices[question.answer]
        )
    }
}

fn first_sentence(text: &str) -> &str {
    text.split_inclusive(". ").next().unwrap_or(text).trim()
}
