//! Topic cards, search results and the topic browser.

use super::super::action::Action;
use super::super::library::Hit;
use super::super::reply::{Button, ButtonStyle, Embed, Reply};
use super::{explain_button, CARD_COLOUR};
use crate::domain::text::truncate_chars;
use crate::domain::{CardView, Category, ContentPack, EmbedLimits, Topic};

/// One-line snippets in /search: long enough to recognise the card, short for a phone.
const SNIPPET_CHARS: usize = 110;

/// The card as an embed, with up to 5 related-topic buttons and "Quiz me".
pub fn card(pack: &ContentPack, topic: &Topic) -> Reply {
    let view = CardView::of(topic);
    let mut embed = Embed {
        title: view.title,
        description: view.description.into(),
        footer: Some(view.footer),
        colour: Some(CARD_COLOUR),
        ..Embed::default()
    };
    for field in view.fields {
        embed = embed.field(&field.name, field.value, false);
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

fn hit_buttons(hits: &[Hit]) -> Vec<Button> {
    hits.iter()
        .map(|hit| explain_button(&hit.title, &hit.slug))
        .collect()
}

/// Candidates for a topic typed loosely, as buttons.
pub fn did_you_mean(echo: &str, hits: &[Hit]) -> Reply {
    Reply::text(format!("No card matches “{echo}” exactly. Did you mean:"))
        .with_buttons(hit_buttons(hits))
        .private()
}

/// Nothing matched `echo` (the typed text, shortened); `hint` says what to try instead.
pub fn nothing_found(echo: &str, hint: &str) -> Reply {
    Reply::text(format!("Nothing found for “{echo}”. {hint}")).private()
}

/// `/search`: the best matches with a line each, and buttons to open them.
pub fn search_results(pack: &ContentPack, echo: &str, hits: &[Hit]) -> Reply {
    let lines: Vec<String> = hits
        .iter()
        .filter_map(|hit| pack.topic(&hit.slug))
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
        description: lines.join("\n\n").into(),
        colour: Some(CARD_COLOUR),
        ..Embed::default()
    };
    Reply::embed(embed)
        .with_buttons(hit_buttons(hits))
        .private()
}

fn first_sentence(text: &str) -> &str {
    text.split_inclusive(". ").next().unwrap_or(text).trim()
}

/// `/topics`: the categories with their card counts, or one category's cards.
pub fn topic_list(pack: &ContentPack, category: Option<Category>) -> Reply {
    let Some(category) = category else {
        let lines: Vec<String> = Category::ALL
            .into_iter()
            .map(|category| {
                format!(
                    "**{}** (`{}`): {} cards",
                    category.label(),
                    category.slug(),
                    pack.topics_in(category).count()
                )
            })
            .collect();
        let embed = Embed {
            title: "Topics".into(),
            description: format!(
                "{}\n\nOpen one with `/topics category:<name>`, or a card with `/explain`.",
                lines.join("\n")
            )
            .into(),
            colour: Some(CARD_COLOUR),
            ..Embed::default()
        };
        return Reply::embed(embed).private();
    };
    let mut topics: Vec<_> = pack.topics_in(category).collect();
    topics.sort_by(|a, b| (a.level, &a.title).cmp(&(b.level, &b.title)));
    let lines: Vec<String> = topics
        .iter()
        .map(|topic| format!("• **{}** (`{}`) · {}", topic.title, topic.slug, topic.level))
        .collect();
    let embed = Embed {
        title: format!("{} · {} cards", category.label(), topics.len()),
        description: truncate_chars(&lines.join("\n"), EmbedLimits::DESCRIPTION).into(),
        colour: Some(CARD_COLOUR),
        ..Embed::default()
    };
    Reply::embed(embed).private()
}
