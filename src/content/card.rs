//! Parsing one topic card: TOML front matter between `+++` lines, then five `## ` sections.

use serde::Deserialize;
use toml::Spanned;

use super::prose;
use super::source::SourceFile;
use super::{Diagnostic, LocatedTopic};
use crate::domain::{CardView, Category, EmbedPart, Level, Topic};

/// The sections every card has, in this order.
pub const SECTIONS: [&str; 5] = [
    "Summary",
    "Key points",
    "Example",
    "Pitfalls",
    "Interview angle",
];

/// How many `related` slugs a card lists: enough to explore, few enough for one row of buttons.
const RELATED_MIN: usize = 2;
const RELATED_MAX: usize = 5;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    slug: Spanned<String>,
    title: Spanned<String>,
    category: Spanned<String>,
    aliases: Spanned<Vec<String>>,
    #[serde(default)]
    tags: Vec<String>,
    related: Spanned<Vec<String>>,
    level: Spanned<String>,
}

/// A card with problems; its slug, when it could be read, still counts as known so that one
/// broken card does not also report every reference to it. When the front matter cannot be
/// read, the file name stands in for the slug (the check requires them to be equal).
pub(super) struct BrokenCard {
    pub slug: Option<String>,
    pub problems: Vec<Diagnostic>,
}

struct Section {
    name: String,
    line: usize,
    body: Vec<String>,
}

pub(super) fn parse(file: &SourceFile, category_folder: &str) -> Result<LocatedTopic, BrokenCard> {
    let path = file.path.as_str();
    let problem = |line: usize, message: String| Diagnostic::at(path, line, message);
    let stem = file
        .relative
        .rsplit('/')
        .next()
        .and_then(|name| name.strip_suffix(".md"))
        .unwrap_or_default();
    let unnamed = |problems| BrokenCard {
        slug: Some(stem.to_string()),
        problems,
    };
    let text = file.text().strip_prefix('\u{feff}').unwrap_or(file.text());
    let lines: Vec<&str> = text.lines().collect();

    if lines.first().map(|line| line.trim_end()) != Some("+++") {
        return Err(unnamed(vec![problem(
            1,
            "a card starts with a `+++` line, then TOML front matter, then another `+++` line"
                .into(),
        )]));
    }
    let Some(close) = lines
        .iter()
        .skip(1)
        .position(|line| line.trim_end() == "+++")
        .map(|offset| offset + 1)
    else {
        return Err(unnamed(vec![problem(
            1,
            "the front matter is never closed by a `+++` line".into(),
        )]));
    };
    // Front matter starts on line 2; spans inside it are offsets into this joined text.
    let front_text = lines[1..close].join("\n");
    let line_of = |offset: usize| {
        2 + front_text[..offset.min(front_text.len())]
            .matches('\n')
            .count()
    };
    let front: FrontMatter = toml::from_str(&front_text).map_err(|error| {
        let line = error.span().map_or(2, |span| line_of(span.start));
        unnamed(vec![problem(
            line,
            format!("front matter: {}", error.message().trim()),
        )])
    })?;

    let mut problems = Vec::new();
    let slug = front.slug.get_ref();
    let slug_line = line_of(front.slug.span().start);
    if !is_valid_slug(slug) {
        problems.push(problem(
            slug_line,
            format!("slug \"{slug}\" must be lowercase letters, digits and single dashes"),
        ));
    } else if slug != stem {
        problems.push(problem(
            slug_line,
            format!("slug \"{slug}\" does not match the file name \"{stem}.md\""),
        ));
    }
    let category_line = line_of(front.category.span().start);
    let category = Category::parse(front.category.get_ref());
    match category {
        None => problems.push(problem(
            category_line,
            format!(
                "unknown category \"{}\" (one of: {})",
                front.category.get_ref(),
                Category::ALL.map(Category::slug).join(", ")
            ),
        )),
        Some(category) if category.slug() != category_folder => problems.push(problem(
            category_line,
            format!("category \"{category}\" does not match the folder \"{category_folder}\""),
        )),
        Some(_) => {}
    }
    let level = Level::parse(front.level.get_ref());
    if level.is_none() {
        problems.push(problem(
            line_of(front.level.span().start),
            format!(
                "level \"{}\" must be junior, mid or senior",
                front.level.get_ref()
            ),
        ));
    }
    let title_line = line_of(front.title.span().start);
    if front.title.get_ref().trim().is_empty() {
        problems.push(problem(title_line, "the title is empty".into()));
    }
    let aliases_line = line_of(front.aliases.span().start);
    for alias in front.aliases.get_ref() {
        if crate::domain::text::name_key(alias).is_empty() {
            problems.push(problem(
                aliases_line,
                format!("alias \"{alias}\" has no letters or digits, so it can never match"),
            ));
        }
    }
    let related_line = line_of(front.related.span().start);
    let related = front.related.get_ref();
    if !(RELATED_MIN..=RELATED_MAX).contains(&related.len()) {
        problems.push(problem(
            related_line,
            format!(
                "a card lists {RELATED_MIN} to {RELATED_MAX} related slugs, this one {}",
                related.len()
            ),
        ));
    }
    if related.iter().any(|other| other == slug) {
        problems.push(problem(
            related_line,
            "a card cannot be related to itself".into(),
        ));
    }

    let sections = split_sections(&lines[close + 1..], close + 2, &mut problems, path);
    let body_start_line = close + 1;
    let mut texts: Vec<String> = Vec::new();
    for (position, expected) in SECTIONS.iter().enumerate() {
        match sections.get(position) {
            Some(section) if section.name == *expected => {
                // Hard-wrapped prose becomes one line per paragraph (Discord shows newlines).
                let body = prose::join_wrapped_lines(section.body.join("\n").trim());
                if body.is_empty() {
                    problems.push(problem(
                        section.line,
                        format!("section \"## {expected}\" is empty"),
                    ));
                }
                texts.push(body);
            }
            Some(section) => {
                problems.push(problem(
                    section.line,
                    format!(
                        "expected \"## {expected}\" here, found \"## {}\" (sections, in order: {})",
                        section.name,
                        SECTIONS.join(", ")
                    ),
                ));
                texts.push(String::new());
            }
            None => {
                problems.push(problem(
                    lines.len().max(body_start_line),
                    format!("missing section \"## {expected}\""),
                ));
                texts.push(String::new());
            }
        }
    }
    for extra in sections.iter().skip(SECTIONS.len()) {
        problems.push(problem(
            extra.line,
            format!(
                "unexpected section \"## {}\" after \"## Interview angle\"",
                extra.name
            ),
        ));
    }

    let broken = |problems| BrokenCard {
        slug: Some(slug.clone()),
        problems,
    };
    let (Some(category), Some(level)) = (category, level) else {
        return Err(broken(problems));
    };
    if !problems.is_empty() {
        return Err(broken(problems));
    }
    let mut texts = texts.into_iter();
    let mut next_text = || texts.next().unwrap_or_default();
    let alias_lines = std::iter::once((slug.clone(), slug_line))
        .chain(std::iter::once((front.title.get_ref().clone(), title_line)))
        .chain(
            front
                .aliases
                .get_ref()
                .iter()
                .map(|alias| (alias.clone(), aliases_line)),
        )
        .collect();
    let topic = Topic {
        slug: slug.clone(),
        title: front.title.get_ref().trim().to_string(),
        category,
        aliases: front.aliases.get_ref().clone(),
        tags: front.tags,
        related: related.clone(),
        level,
        summary: next_text(),
        key_points: next_text(),
        example: next_text(),
        pitfalls: next_text(),
        interview_angle: next_text(),
    };
    let section_line = |name: &str| {
        sections
            .iter()
            .find(|section| section.name == name)
            .map_or(1, |section| section.line)
    };
    for violation in CardView::of(&topic).limit_violations() {
        let line = match &violation.part {
            EmbedPart::Title => title_line,
            EmbedPart::Description => section_line("Summary"),
            EmbedPart::Field(name) => section_line(name),
            EmbedPart::Footer | EmbedPart::FieldCount | EmbedPart::Total => slug_line,
        };
        problems.push(problem(line, violation.message));
    }
    if problems.is_empty() {
        Ok(LocatedTopic {
            topic,
            path: path.to_string(),
            slug_line,
            related_line,
            alias_lines,
        })
    } else {
        Err(broken(problems))
    }
}

/// Splits the body into `## ` sections, ignoring `## ` lines inside fenced code blocks.
fn split_sections(
    lines: &[&str],
    first_line_number: usize,
    problems: &mut Vec<Diagnostic>,
    path: &str,
) -> Vec<Section> {
    let mut sections: Vec<Section> = Vec::new();
    let mut in_fence = false;
    let mut reported_stray_text = false;
    for (offset, line) in lines.iter().enumerate() {
        let number = first_line_number + offset;
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
        }
        if !in_fence {
            if let Some(name) = line.strip_prefix("## ") {
                sections.push(Section {
                    name: name.trim().to_string(),
                    line: number,
                    body: Vec::new(),
                });
                continue;
            }
        }
        match sections.last_mut() {
            Some(section) => section.body.push(line.to_string()),
            None if !line.trim().is_empty() && !reported_stray_text => {
                reported_stray_text = true;
                problems.push(Diagnostic::at(
                    path,
                    number,
                    "text before the first section; start with \"## Summary\"",
                ));
            }
            None => {}
        }
    }
    if in_fence {
        problems.push(Diagnostic::at(
            path,
            first_line_number + lines.len().saturating_sub(1),
            "a fenced code block (```) is never closed",
        ));
    }
    sections
}

fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--")
        && slug
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
