//! Questions and what answering them says: practice and review questions, the public daily
//! post and its reveal, and the private replies to an answer.

use super::super::action::Action;
use super::super::reply::{Button, ButtonStyle, Embed, Reply};
use super::{explain_button, QUESTION_COLOUR, RIGHT_COLOUR, WRONG_COLOUR};
use crate::domain::streak::{AnswerOutcome, FREEZES_MAX};
use crate::domain::text::truncate_chars;
use crate::domain::{ContentPack, DailyPost, EmbedLimits, MemberStats, Question};

/// The question text with its four lettered choices.
pub(super) fn question_text(question: &Question) -> String {
    let mut text = question.prompt.clone();
    text.push('\n');
    for (letter, choice) in Question::LETTERS.iter().zip(&question.choices) {
        text.push_str(&format!("\n**{letter}.** {choice}"));
    }
    text
}

fn answer_buttons(make: impl Fn(usize) -> Action, disabled: bool) -> Vec<Button> {
    Question::LETTERS
        .iter()
        .enumerate()
        .map(|(choice, letter)| Button {
            disabled,
            ..Button::new(
                &letter.to_string(),
                make(choice).custom_id(),
                ButtonStyle::Primary,
            )
        })
        .collect()
}

pub(super) fn topic_footer(pack: &ContentPack, question: &Question) -> String {
    let title = pack
        .topic(&question.topic)
        .map_or(question.topic.as_str(), |topic| topic.title.as_str());
    format!("Topic: {title} · {}", question.level)
}

/// A private question answered with `make_action(choice)`, under `heading`, with `note`
/// above it.
fn private_question(
    pack: &ContentPack,
    question: &Question,
    heading: &str,
    note: String,
    make_action: impl Fn(usize) -> Action,
) -> Reply {
    let embed = Embed {
        title: heading.to_string(),
        description: question_text(question).into(),
        footer: Some(topic_footer(pack, question)),
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    };
    let mut reply = Reply::embed(embed).with_buttons(answer_buttons(make_action, false));
    reply.text = Some(note.into());
    reply.private()
}

/// `/quiz` while today's question is open: answerable, only the first answer counts.
pub fn open_daily_question(pack: &ContentPack, post: &DailyPost, question: &Question) -> Reply {
    private_question(
        pack,
        question,
        "Today's question",
        "Today's question is open: only your first answer counts.".into(),
        |choice| Action::Answer {
            post_id: post.post_id,
            choice,
        },
    )
}

pub fn practice_question(pack: &ContentPack, question: &Question) -> Reply {
    private_question(
        pack,
        question,
        "Practice question",
        "Practice: no streaks or points at stake.".into(),
        |choice| Action::Practice {
            question_id: question.id.clone(),
            choice,
        },
    )
}

/// The first due review question; `due` is how many are due in all.
pub fn review_question(pack: &ContentPack, question: &Question, due: usize) -> Reply {
    let note = match due {
        1 => "1 question is due for review. Reviews never touch streaks or points.".into(),
        n => format!("{n} questions are due for review; here is the first. Reviews never touch streaks or points."),
    };
    private_question(pack, question, "Review", note, |choice| Action::Review {
        question_id: question.id.clone(),
        choice,
    })
}

/// The public daily post: question, A-D buttons, "Explain the topic", and the answer count.
pub fn daily_post(
    pack: &ContentPack,
    post: &DailyPost,
    question: &Question,
    credit: Option<&str>,
    answered: u32,
) -> Reply {
    let embed = Embed {
        title: format!(
            "Question of the day · {}",
            post.posting_day.format("%A %-d %B")
        ),
        description: question_text(question).into(),
        footer: Some(format!(
            "{}{} · {}",
            topic_footer(pack, question),
            credit_line(credit),
            answered_line(answered)
        )),
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    };
    let mut reply = Reply::embed(embed).with_buttons(answer_buttons(
        |choice| Action::Answer {
            post_id: post.post_id,
            choice,
        },
        false,
    ));
    reply
        .buttons
        .push(vec![explain_button("Explain the topic", &question.topic)]);
    reply
}

/// " · question by NAME" for a community question: by name, never a ping.
fn credit_line(credit: Option<&str>) -> String {
    credit.map_or(String::new(), |name| format!(" · question by {name}"))
}

fn answered_line(answered: u32) -> String {
    match answered {
        0 => "no answers yet".to_string(),
        1 => "1 member answered".to_string(),
        n => format!("{n} members answered"),
    }
}

/// The closed post, edited to show the right answer and how answers were spread.
pub fn reveal(
    pack: &ContentPack,
    post: &DailyPost,
    question: &Question,
    credit: Option<&str>,
    spread: [u32; 4],
) -> Reply {
    let spread_line = Question::LETTERS
        .iter()
        .zip(spread)
        .map(|(letter, count)| format!("{letter}: {count}"))
        .collect::<Vec<_>>()
        .join(" · ");
    let answer = format!(
        "**{}.** {}",
        question.answer_letter(),
        question.choices[question.answer]
    );
    // The same post, closed: its layout and buttons stay, the answer buttons are disabled.
    let mut reply = daily_post(pack, post, question, credit, spread.iter().sum());
    if let Some(embed) = reply.embeds.first_mut() {
        embed.title = format!(
            "Question of {} (closed)",
            post.posting_day.format("%A %-d %B")
        );
        embed.colour = Some(RIGHT_COLOUR);
        *embed = std::mem::take(embed)
            .field("Answer", answer, false)
            .field("How the server answered", spread_line, false)
            .field("Why", truncate_chars(&question.explanation, 1024), false);
    }
    for button in reply.buttons.iter_mut().flatten() {
        if matches!(
            Action::parse(&button.custom_id),
            Some(Action::Answer { .. })
        ) {
            button.disabled = true;
        }
    }
    reply
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

/// The private verdict embed: right or not, `body` under it, and the discussion prompt.
fn verdict_embed(question: &Question, choice: usize, body: &str) -> Reply {
    let right = choice == question.answer;
    let embed = Embed {
        title: if right { "Right!" } else { "Not quite" }.into(),
        description: truncate_chars(body, EmbedLimits::DESCRIPTION).into(),
        colour: Some(if right { RIGHT_COLOUR } else { WRONG_COLOUR }),
        ..Embed::default()
    }
    .field("Discuss it", question.discuss.as_str(), false);
    Reply::embed(embed).private()
}

/// The reply to a recorded daily answer: verdict, explanation, the member's new standing.
pub fn daily_answer(
    question: &Question,
    choice: usize,
    stats: &MemberStats,
    outcome: &AnswerOutcome,
) -> Reply {
    let mut standing = format!(
        "Streak **{}** (best {}) · +{} points · {} total",
        stats.streak, stats.best_streak, outcome.points_awarded, stats.points
    );
    if outcome.freezes_used > 0 && !outcome.streak_reset {
        standing.push_str(&format!(
            " · a streak freeze covered {} missed question(s)",
            outcome.freezes_used
        ));
    }
    if outcome.freeze_earned {
        standing.push_str(&format!(
            " · earned a streak freeze ({}/{FREEZES_MAX})",
            stats.freezes
        ));
    }
    let body = format!(
        "{}\n\n{}\n\n{standing}",
        verdict(question, choice),
        question.explanation
    );
    verdict_embed(question, choice, &body)
}

/// The reply to a practice or review answer, which changes no standing; `note` says so.
pub fn teaching_answer(question: &Question, choice: usize, note: &str) -> Reply {
    let body = format!(
        "{}\n\n{}\n\n{note}",
        verdict(question, choice),
        question.explanation
    );
    verdict_embed(question, choice, &body)
}

pub fn already_answered(choice: usize) -> Reply {
    Reply::text(format!(
        "You already answered this one with **{}**. Only the first click counts.",
        Question::LETTERS.get(choice).copied().unwrap_or('?')
    ))
    .private()
}

pub fn closed_answer(question: &Question) -> Reply {
    Reply::text(format!(
        "This question is closed: a newer one was posted. The answer was **{}**. Try /quiz for today's.",
        question.answer_letter()
    ))
    .private()
}
