//! Domain objects laid out as replies: cards, questions, posts, reveals, announcements.

use chrono::NaiveDate;

use super::action::Action;
use super::reply::{Button, ButtonStyle, Embed, Reply};
use crate::domain::{CardView, ContentPack, DailyPost, Question, Topic, TopicWeek};

/// Side-bar colours: one per kind of message, so members learn to tell them apart.
pub const CARD_COLOUR: u32 = 0x3B82F6;
pub const QUESTION_COLOUR: u32 = 0xF59E0B;
pub const RIGHT_COLOUR: u32 = 0x22C55E;
pub const WRONG_COLOUR: u32 = 0xEF4444;
pub const WEEK_COLOUR: u32 = 0x8B5CF6;

/// A button that opens a card.
pub fn explain_button(title: &str, slug: &str) -> Button {
    Button::new(
        title,
        Action::Explain {
            slug: slug.to_string(),
        }
        .custom_id(),
        ButtonStyle::Secondary,
    )
}

/// The card as an embed, with up to 5 related-topic buttons and "Quiz me".
pub fn card(pack: &ContentPack, topic: &Topic) -> Reply {
    let view = CardView::of(topic);
    let mut embed = Embed {
        title: view.title,
        description: view.description,
        footer: Some(view.footer),
        colour: Some(CARD_COLOUR),
        ..Embed::default()
    };
    for field in view.fields {
        embed = embed.field(&field.name, &field.value, false);
    }
    let related: Vec<Button> = topic
        .related
        .iter()
        .filter_map(|slug| pack.topic(slug))
        .take(5)
        .map(|other| explain_button(&other.title, &other.slug))
        .collect();
    let mut reply = Reply::embed(embed).with_buttons(related);
    reply.buttons.push(vec![Button::new(
        "Quiz me",
        Action::QuizMe {
            slug: topic.slug.clone(),
        }
        .custom_id(),
        ButtonStyle::Primary,
    )]);
    reply
}

/// The question text with its four lettered choices.
fn question_text(question: &Question) -> String {
    let mut text = question.prompt.clone();
    text.push('\n');
    for (letter, choice) in Question::LETTERS.iter().zip(&question.choices) {
        text.push_str(&format!("\n**{letter}.** {choice}"));
    }
    text
}

fn answer_buttons(make: impl Fn(usize) -> String, disabled: bool) -> Vec<Button> {
    Question::LETTERS
        .iter()
        .enumerate()
        .map(|(choice, letter)| Button {
            disabled,
            ..Button::new(&letter.to_string(), make(choice), ButtonStyle::Primary)
        })
        .collect()
}

fn topic_footer(pack: &ContentPack, question: &Question) -> String {
    let title = pack
        .topic(&question.topic)
        .map_or(question.topic.as_str(), |topic| topic.title.as_str());
    format!("Topic: {title} · {}", question.level)
}

/// A practice or review question, answered with `make_action(choice)`.
pub fn question(
    pack: &ContentPack,
    question: &Question,
    heading: &str,
    make_action: impl Fn(usize) -> Action,
) -> Reply {
    let embed = Embed {
        title: heading.to_string(),
        description: question_text(question),
        footer: Some(topic_footer(pack, question)),
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    };
    Reply::embed(embed).with_buttons(answer_buttons(
        |choice| make_action(choice).custom_id(),
        false,
    ))
}

/// The public daily post: question, A-D buttons, "Explain the topic", and the answer count.
pub fn daily_post_message(
    pack: &ContentPack,
    post: &DailyPost,
    question: &Question,
    answered: u32,
) -> Reply {
    let embed = Embed {
        title: format!(
            "Question of the day · {}",
            post.posting_day.format("%A %-d %B")
        ),
        description: question_text(question),
        footer: Some(format!(
            "{} · {}",
            topic_footer(pack, question),
            answered_line(answered)
        )),
        colour: Some(QUESTION_COLOUR),
        ..Embed::default()
    };
    let mut reply = Reply::embed(embed).with_buttons(answer_buttons(
        |choice| {
            Action::Answer {
                post_id: post.post_id,
                choice,
            }
            .custom_id()
        },
        false,
    ));
    reply
        .buttons
        .push(vec![explain_button("Explain the topic", &question.topic)]);
    reply
}

fn answered_line(answered: u32) -> String {
    match answered {
        0 => "no answers yet".to_string(),
        1 => "1 member answered".to_string(),
        n => format!("{n} members answered"),
    }
}

/// The closed post, edited to show the right answer and how answers were spread.
pub fn reveal_message(
    pack: &ContentPack,
    post: &DailyPost,
    question: &Question,
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
    let mut reply = daily_post_message(pack, post, question, spread.iter().sum());
    if let Some(embed) = reply.embeds.first_mut() {
        embed.title = format!(
            "Question of {} (closed)",
            post.posting_day.format("%A %-d %B")
        );
        embed.colour = Some(RIGHT_COLOUR);
        *embed = std::mem::take(embed)
            .field("Answer", &answer, false)
            .field("How the server answered", &spread_line, false)
            .field(
                "Why",
                &crate::domain::text::truncate_chars(&question.explanation, 1024),
                false,
            );
    }
    for button in reply.buttons.iter_mut().flatten() {
        if button.custom_id.starts_with("v1:ans:") {
            button.disabled = true;
        }
    }
    reply
}

/// The first-day announcement of a topic week, with its study plan.
pub fn week_announcement(pack: &ContentPack, week: &TopicWeek) -> Reply {
    let plan = week.topic.study_plan(pack);
    let lines: Vec<String> = plan
        .iter()
        .enumerate()
        .map(|(day, topic)| {
            format!(
                "Day {}: **{}** (`/explain {}`)",
                day + 1,
                topic.title,
                topic.slug
            )
        })
        .collect();
    let embed = Embed {
        title: format!("Topic week: {}", week.topic.label(pack)),
        description: format!(
            "From {} to {}, the daily questions come from this topic. A card a day:\n\n{}",
            week.start,
            week.last_day(),
            lines.join("\n")
        ),
        colour: Some(WEEK_COLOUR),
        ..Embed::default()
    };
    let buttons = plan
        .iter()
        .take(5)
        .map(|topic| explain_button(&topic.title, &topic.slug))
        .collect();
    Reply::embed(embed).with_buttons(buttons)
}

pub fn forget_confirmation() -> Reply {
    Reply::text(
        "This deletes your answers, streak, points and reviews in this server. It cannot be undone.",
    )
    .with_buttons(vec![
        Button::new("Delete my data", Action::Forget { confirmed: true }.custom_id(), ButtonStyle::Danger),
        Button::new("Cancel", Action::Forget { confirmed: false }.custom_id(), ButtonStyle::Secondary),
    ])
    .private()
}

/// Discord nonces are at most 25 characters. Derived from server and day, so a resend after
/// a crash carries the same nonce even if the reservation row were somehow rebuilt.
pub fn nonce_for(server_id: u64, day: NaiveDate) -> String {
    format!("sb{}{}", base36(server_id), day.format("%Y%m%d"))
}

fn base36(mut value: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut out = Vec::new();
    loop {
        out.push(DIGITS[(value % 36) as usize]);
        value /= 36;
        if value == 0 {
            break;
        }
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nonces_fit_discords_25_characters_for_any_server() {
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).unwrap();
        assert!(nonce_for(u64::MAX, day).len() <= 25);
        assert_ne!(nonce_for(1, day), nonce_for(2, day));
    }
}
