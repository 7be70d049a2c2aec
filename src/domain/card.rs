//! A topic card laid out as Discord will show it, and Discord's embed limits.
//!
//! The layout lives here, not in the Discord module, because `content check` must refuse a
//! card that would break a limit before any bot tries to send it.

use super::content::Topic;

/// Discord's documented embed limits (characters, counted as Unicode scalar values).
pub struct EmbedLimits;

impl EmbedLimits {
    pub const TITLE: usize = 256;
    pub const DESCRIPTION: usize = 4096;
    pub const FIELD_NAME: usize = 256;
    pub const FIELD_VALUE: usize = 1024;
    pub const FIELDS: usize = 25;
    pub const FOOTER: usize = 2048;
    /// Title, description, field names and values, footer and author together.
    pub const TOTAL: usize = 6000;
}

/// One named block of an embed.
#[derive(Debug, Clone, PartialEq)]
pub struct CardField {
    pub name: String,
    pub value: String,
}

/// Which part of an embed a limit applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EmbedPart {
    Title,
    Description,
    /// A field, by name.
    Field(String),
    Footer,
    FieldCount,
    Total,
}

/// One broken limit, with a sentence for whoever wrote the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitViolation {
    pub part: EmbedPart,
    pub message: String,
}

/// A card as an embed: title, description, fields, footer.
#[derive(Debug, Clone, PartialEq)]
pub struct CardView {
    pub title: String,
    pub description: String,
    pub fields: Vec<CardField>,
    pub footer: String,
}

impl CardView {
    pub fn of(topic: &Topic) -> CardView {
        let field = |name: &str, value: &str| CardField {
            name: name.to_string(),
            value: value.to_string(),
        };
        CardView {
            title: topic.title.clone(),
            description: topic.summary.clone(),
            fields: vec![
                field("Key points", &topic.key_points),
                field("Example", &topic.example),
                field("Pitfalls", &topic.pitfalls),
                field("Interview angle", &topic.interview_angle),
            ],
            footer: format!(
                "{} · {} · /explain {}",
                topic.category.label(),
                topic.level,
                topic.slug
            ),
        }
    }

    /// The card as plain text, for the terminal.
    pub fn to_plain_text(&self) -> String {
        let mut text = format!("{}\n\n{}\n", self.title, self.description);
        for field in &self.fields {
            text.push_str(&format!("\n{}\n{}\n", field.name, field.value));
        }
        text.push_str(&format!("\n{}", self.footer));
        text
    }

    /// Characters Discord counts towards the 6000 total.
    pub fn total_chars(&self) -> usize {
        chars(&self.title)
            + chars(&self.description)
            + chars(&self.footer)
            + self
                .fields
                .iter()
                .map(|field| chars(&field.name) + chars(&field.value))
                .sum::<usize>()
    }

    /// Every way this view breaks Discord's limits; empty when it fits.
    pub fn limit_violations(&self) -> Vec<LimitViolation> {
        let mut problems = Vec::new();
        let mut check = |part: EmbedPart, what: &str, text: &str, limit: usize| {
            let length = chars(text);
            if length > limit {
                problems.push(LimitViolation {
                    part,
                    message: format!(
                        "{what} is {length} characters once rendered; Discord allows {limit}"
                    ),
                });
            }
        };
        check(
            EmbedPart::Title,
            "the title",
            &self.title,
            EmbedLimits::TITLE,
        );
        check(
            EmbedPart::Description,
            "the summary",
            &self.description,
            EmbedLimits::DESCRIPTION,
        );
        check(
            EmbedPart::Footer,
            "the footer",
            &self.footer,
            EmbedLimits::FOOTER,
        );
        for field in &self.fields {
            check(
                EmbedPart::Field(field.name.clone()),
                &format!("section \"{}\"", field.name),
                &field.value,
                EmbedLimits::FIELD_VALUE,
            );
        }
        if self.fields.len() > EmbedLimits::FIELDS {
            problems.push(LimitViolation {
                part: EmbedPart::FieldCount,
                message: format!(
                    "the card has {} fields; Discord allows {}",
                    self.fields.len(),
                    EmbedLimits::FIELDS
                ),
            });
        }
        let total = self.total_chars();
        if total > EmbedLimits::TOTAL {
            problems.push(LimitViolation {
                part: EmbedPart::Total,
                message: format!(
                    "the whole card is {total} characters once rendered; Discord allows {}",
                    EmbedLimits::TOTAL
                ),
            });
        }
        problems
    }
}

fn chars(text: &str) -> usize {
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Category, Level};

    fn topic_with_example(example: String) -> Topic {
        Topic {
            slug: "jwt".into(),
            title: "JSON Web Token (JWT)".into(),
            category: Category::Security,
            aliases: vec![],
            tags: vec![],
            related: vec![],
            level: Level::Mid,
            summary: "A signed token.".into(),
            key_points: "- one".into(),
            example,
            pitfalls: "- two".into(),
            interview_angle: "Say why.".into(),
        }
    }

    #[test]
    fn a_card_within_limits_has_no_violations() {
        let view = CardView::of(&topic_with_example("x".repeat(1024)));
        assert!(view.limit_violations().is_empty());
        assert_eq!(view.fields.len(), 4);
    }

    #[test]
    fn a_field_one_character_over_the_limit_is_refused() {
        let view = CardView::of(&topic_with_example("é".repeat(1025)));
        let problems = view.limit_violations();
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].part, EmbedPart::Field("Example".into()));
    }
}
