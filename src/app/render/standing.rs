//! A member's standing: `/streak` and the leaderboards.

use super::super::reply::{Embed, Mention, Reply, Text};
use super::QUESTION_COLOUR;
use crate::domain::standing::accuracy_min_answers;
use crate::domain::streak::FREEZES_MAX;
use crate::domain::{LeaderboardEntry, LeaderboardOrder, MemberStats, Period};

/// `/streak`: `name`'s streak (shown as it stands now), freezes, answers, accuracy, points.
pub fn streak(name: &str, stats: &MemberStats, shown_streak: u32) -> Reply {
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
            Text::new()
        },
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    }
    .field("Current streak", shown_streak.to_string(), true)
    .field("Best streak", stats.best_streak.to_string(), true)
    .field(
        "Streak freezes",
        format!("{}/{FREEZES_MAX}", stats.freezes),
        true,
    )
    .field("Answered", stats.answered.to_string(), true)
    .field("Accuracy", accuracy, true)
    .field("Points", stats.points.to_string(), true);
    Reply::embed(embed)
}

fn entry_line(order: LeaderboardOrder, entry: &LeaderboardEntry) -> Text {
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
    Text::new()
        .plain(&format!("{}. ", entry.rank))
        .mention(Mention::User(entry.user_id))
        .plain(&format!(": {value}"))
}

/// The top of a leaderboard and where the caller stands: `own` is the caller's entry when
/// they are ranked below the top.
pub fn leaderboard(
    order: LeaderboardOrder,
    period: Period,
    top: &[LeaderboardEntry],
    own: Option<&LeaderboardEntry>,
    caller_id: u64,
) -> Reply {
    let mut lines: Vec<Text> = top.iter().map(|entry| entry_line(order, entry)).collect();
    if lines.is_empty() {
        lines.push(match period {
            Period::AllTime => {
                "Nobody is ranked yet: answer the daily question to get on the board.".into()
            }
            Period::Week | Period::Month => format!(
                "Nobody is ranked this {period} yet: answer the daily question to get on the board."
            )
            .into(),
        });
    }
    let min_answers = accuracy_min_answers(period == Period::Week);
    let caller_line: Text = match (own, top.iter().find(|entry| entry.user_id == caller_id)) {
        (Some(entry), _) => {
            let mut line = Text::from("You: ");
            line.append(entry_line(order, entry));
            line
        }
        (None, Some(entry)) => format!("You are #{}.", entry.rank).into(),
        (None, None) if order == LeaderboardOrder::Accuracy => format!(
            "You are not ranked yet: accuracy ranks members with {min_answers}+ answers{}.",
            match period {
                Period::AllTime => "",
                Period::Week => " this week",
                Period::Month => " this month",
            }
        )
        .into(),
        (None, None) => "You are not ranked yet.".into(),
    };
    let mut description = Text::join(lines, "\n");
    description.push("\n\n");
    description.append(caller_line);
    let embed = Embed {
        title: match period {
            Period::AllTime => format!("Leaderboard by {order}"),
            Period::Week => format!("This week's leaderboard by {order}"),
            Period::Month => format!("This month's leaderboard by {order}"),
        },
        description,
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    };
    Reply::embed(embed)
}
