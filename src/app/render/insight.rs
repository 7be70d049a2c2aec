//! Progress and seasons: the `/progress` reply, moderators' stats, the weekly recap and the
//! champion announcement.

use chrono::{Duration, NaiveDate};

use super::super::action::Action;
use super::super::insight::{ServerStats, WeakTopic};
use super::super::recap::Recap;
use super::super::reply::{Attachment, Button, ButtonStyle, Embed, Mention, Reply, Text};
use super::super::roles::missing_permission;
use super::{explain_button, QUESTION_COLOUR, WEEK_COLOUR};
use crate::domain::progress::{alt_text, ProgressView, MASTERY_MIN_ANSWERS};
use crate::domain::season::month_name;
use crate::domain::{ContentPack, LeaderboardEntry, Question};

/// The picture's file name: Discord shows it under the image.
const PROGRESS_FILE: &str = "progress.png";

fn percent(part: u32, whole: u32) -> String {
    if whole == 0 {
        "n/a".to_string()
    } else {
        format!("{:.0}%", f64::from(part) * 100.0 / f64::from(whole))
    }
}

/// "A 20% · B 50% · C 10% · D 20%", the right letter in bold.
fn choice_shares(spread: [u32; 4], answer: usize) -> String {
    let total: u32 = spread.iter().sum();
    Question::LETTERS
        .iter()
        .zip(spread)
        .enumerate()
        .map(|(index, (letter, count))| {
            let share = percent(count, total);
            if index == answer {
                format!("**{letter} {share}**")
            } else {
                format!("{letter} {share}")
            }
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `/progress`: the picture, and beside it the weakest topics with a card and a practice
/// button each.
pub fn progress(view: &ProgressView, weakest: &[WeakTopic], picture: Vec<u8>) -> Reply {
    let mut text = Text::from(format!("**{}'s progress**", view.member_name));
    if weakest.is_empty() {
        text.push(&format!(
            "\nNo weak topics yet: a topic shows up here after {MASTERY_MIN_ANSWERS} answers on it."
        ));
    } else {
        text.push("\nWeakest topics, worth a review:");
        for weak in weakest {
            text.push(&format!(
                "\n• **{}**: {} of {} right",
                weak.topic.title, weak.correct, weak.answered
            ));
        }
    }
    let mut reply = Reply::text(text);
    for weak in weakest {
        reply.buttons.push(vec![
            explain_button(&weak.topic.title, &weak.topic.slug),
            Button::new(
                &format!("Practise {}", weak.topic.title),
                Action::QuizMe {
                    slug: weak.topic.slug.clone(),
                }
                .custom_id(),
                ButtonStyle::Primary,
            ),
        ]);
    }
    reply.attachments.push(Attachment {
        filename: PROGRESS_FILE.to_string(),
        bytes: picture,
        description: alt_text(view),
    });
    reply
}

/// `/studybot stats`: the last weeks, accuracy per category, the hardest questions and the
/// members on a streak.
pub fn server_stats(stats: &ServerStats, hardest_min: u32, streak_of_note: u32) -> Reply {
    let weeks: Vec<String> = stats
        .weeks
        .iter()
        .map(|week| {
            format!(
                "Week of {}: {} member(s), {} answer(s), {} right",
                week.monday.format("%-d %b"),
                week.totals.members,
                week.totals.answered,
                percent(week.totals.correct, week.totals.answered)
            )
        })
        .collect();
    let categories: Vec<String> = stats
        .categories
        .iter()
        .map(|(category, answered, correct)| {
            if *answered == 0 {
                format!("{}: no answers yet", category.label())
            } else {
                format!(
                    "{}: {} right of {answered}",
                    category.label(),
                    percent(*correct, *answered)
                )
            }
        })
        .collect();
    let hardest = if stats.hardest.is_empty() {
        format!("None yet: a question is ranked here after {hardest_min} answers.")
    } else {
        stats
            .hardest
            .iter()
            .enumerate()
            .map(|(index, (question, result))| {
                format!(
                    "{}. `{}` {}: {} right of {}\n   {}",
                    index + 1,
                    question.id,
                    crate::domain::text::truncate_chars(&question.prompt, 90),
                    percent(result.correct, result.answered()),
                    result.answered(),
                    choice_shares(result.spread, question.answer)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    let embed = Embed {
        title: "Study group stats".into(),
        colour: Some(QUESTION_COLOUR),
        footer: Some("Weeks run Monday to Sunday in the server's timezone; categories and questions count the daily answers of these 4 weeks.".into()),
        ..Embed::default()
    }
    .field("Last 4 weeks", weeks.join("\n"), false)
    .field("Accuracy by category (4 weeks)", categories.join("\n"), false)
    .field(
        "Hardest questions of the 4 weeks (share of each choice, right one in bold)",
        hardest,
        false,
    )
    .field(
        &format!("On a {streak_of_note}+ streak"),
        format!("{} member(s)", stats.on_streak),
        false,
    );
    Reply::embed(embed)
}

/// The weekly recap, posted before the first question of a week.
pub fn recap(pack: &ContentPack, recap: &Recap) -> Reply {
    let last_day: NaiveDate = recap.week + Duration::days(6);
    let totals = &recap.totals;
    let mut description = Text::from(format!(
        "{} member(s) answered {} question(s), {} right.",
        totals.members,
        totals.answered,
        percent(totals.correct, totals.answered)
    ));
    let top = Text::join(
        recap.top.iter().map(|entry| {
            Text::new()
                .plain(&format!("{}. ", entry.rank))
                .mention(Mention::User(entry.user_id))
                .plain(&format!(": {} points", entry.stats.points))
        }),
        "\n",
    );
    if let Some(week) = &recap.coming_week {
        description.push(&format!(
            "\nThis week is topic week: **{}** (until {}).",
            week.topic.label(pack),
            week.last_day().format("%A %-d %B")
        ));
    }
    let mut embed = Embed {
        title: format!(
            "Last week in review: {} to {}",
            recap.week.format("%-d %b"),
            last_day.format("%-d %b")
        ),
        description,
        colour: Some(WEEK_COLOUR),
        ..Embed::default()
    }
    .field("Top 5 by points", top, false);
    if let Some((question, result)) = &recap.hardest {
        embed = embed.field(
            "Hardest question",
            format!(
                "{}\n{} right of {} · {}",
                crate::domain::text::truncate_chars(&question.prompt, 200),
                percent(result.correct, result.answered()),
                result.answered(),
                choice_shares(result.spread, question.answer)
            ),
            false,
        );
    }
    if let Some(role_id) = recap.role_problem {
        embed = embed.field("For moderators", missing_permission(role_id), false);
    }
    Reply::embed(embed)
}

/// The champion announcement: names the member without pinging them.
pub fn champion(role_id: u64, winner: &LeaderboardEntry, month: NaiveDate) -> Reply {
    Reply::text(
        Text::new()
            .plain(&format!("🏆 **{}**: ", month_name(month)))
            .mention(Mention::User(winner.user_id))
            .plain(&format!(
                " was the top member with {} points, and now holds ",
                winner.stats.points
            ))
            .mention(Mention::Role(role_id))
            .plain(" for the month. Congratulations!"),
    )
}

/// Adds the opt-in quiz role's mention to a daily post, the one mention that pings.
pub fn with_ping(mut reply: Reply, role_id: u64) -> Reply {
    let mut text = Text::new().mention(Mention::Role(role_id));
    if let Some(existing) = reply.text.take() {
        text.push(" ");
        text.append(existing);
    }
    reply.text = Some(text);
    reply.pings = vec![Mention::Role(role_id)];
    reply
}
