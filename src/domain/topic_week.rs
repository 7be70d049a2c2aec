//! Topic weeks: seven days from a start date (in the server's timezone) when the daily
//! questions come from one category, or one topic and its related topics.

use std::fmt;

use chrono::{Duration, NaiveDate};

use super::content::{Category, ContentPack, Topic};
use super::text::name_key;

/// A week lasts this many local days, start included.
pub const WEEK_DAYS: i64 = 7;
/// The study plan suggests one card a day.
pub const STUDY_PLAN_MAX: usize = 7;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WeekTopic {
    Category(Category),
    Topic(String),
}

impl WeekTopic {
    /// A category slug or a topic slug (or its title/alias, ignoring case and punctuation).
    pub fn parse(pack: &ContentPack, text: &str) -> Option<WeekTopic> {
        let key = name_key(text);
        if let Some(category) = Category::ALL
            .into_iter()
            .find(|category| name_key(category.slug()) == key || name_key(category.label()) == key)
        {
            return Some(WeekTopic::Category(category));
        }
        pack.topics()
            .iter()
            .find(|topic| {
                name_key(&topic.slug) == key
                    || name_key(&topic.title) == key
                    || topic.aliases.iter().any(|alias| name_key(alias) == key)
            })
            .map(|topic| WeekTopic::Topic(topic.slug.clone()))
    }

    /// Stored form: `category:security` or `topic:jwt`.
    pub fn to_stored(&self) -> String {
        match self {
            WeekTopic::Category(category) => format!("category:{}", category.slug()),
            WeekTopic::Topic(slug) => format!("topic:{slug}"),
        }
    }

    pub fn from_stored(text: &str) -> Option<WeekTopic> {
        match text.split_once(':')? {
            ("category", slug) => Category::parse(slug).map(WeekTopic::Category),
            ("topic", slug) if !slug.is_empty() => Some(WeekTopic::Topic(slug.to_string())),
            _ => None,
        }
    }

    /// The topic slugs whose questions the week draws: a category's topics, or a topic
    /// and its related topics.
    pub fn slugs(&self, pack: &ContentPack) -> Vec<String> {
        match self {
            WeekTopic::Category(category) => pack
                .topics_in(*category)
                .map(|topic| topic.slug.clone())
                .collect(),
            WeekTopic::Topic(slug) => std::iter::once(slug.clone())
                .chain(
                    pack.topic(slug)
                        .map(|topic| topic.related.clone())
                        .unwrap_or_default(),
                )
                .collect(),
        }
    }

    /// Up to seven cards to read, one a day: a topic and then its related cards; a
    /// category's cards from junior to senior.
    pub fn study_plan<'a>(&self, pack: &'a ContentPack) -> Vec<&'a Topic> {
        let mut cards: Vec<&Topic> = match self {
            WeekTopic::Category(category) => {
                let mut cards: Vec<&Topic> = pack.topics_in(*category).collect();
                cards.sort_by(|a, b| (a.level, &a.title).cmp(&(b.level, &b.title)));
                cards
            }
            WeekTopic::Topic(_) => self
                .slugs(pack)
                .iter()
                .filter_map(|slug| pack.topic(slug))
                .collect(),
        };
        cards.truncate(STUDY_PLAN_MAX);
        cards
    }

    /// How the week is named to members.
    pub fn label(&self, pack: &ContentPack) -> String {
        match self {
            WeekTopic::Category(category) => category.label().to_string(),
            WeekTopic::Topic(slug) => pack
                .topic(slug)
                .map_or_else(|| slug.clone(), |topic| topic.title.clone()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicWeek {
    pub id: i64,
    pub topic: WeekTopic,
    pub start: NaiveDate,
}

impl TopicWeek {
    pub fn last_day(&self) -> NaiveDate {
        self.start + Duration::days(WEEK_DAYS - 1)
    }

    pub fn covers(&self, day: NaiveDate) -> bool {
        self.start <= day && day <= self.last_day()
    }

    pub fn overlaps(&self, start: NaiveDate) -> bool {
        (self.start - start).num_days().abs() < WEEK_DAYS
    }
}

/// Why a new week cannot be scheduled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WeekRefusal {
    InThePast {
        today: NaiveDate,
    },
    Overlaps {
        id: i64,
        start: NaiveDate,
        last_day: NaiveDate,
    },
}

impl fmt::Display for WeekRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WeekRefusal::InThePast { today } => write!(
                f,
                "That start date has passed: it is already {today} in this server's timezone. Pick today or a later date."
            ),
            WeekRefusal::Overlaps { id, start, last_day } => write!(
                f,
                "That week would overlap topic week #{id} ({start} to {last_day}). Cancel it first or pick a start at least 7 days away."
            ),
        }
    }
}

/// Whether a week starting on `start` can be added next to `existing` (active, not
/// cancelled) weeks, given the server's `today`.
pub fn check_new_week(
    existing: &[TopicWeek],
    start: NaiveDate,
    today: NaiveDate,
) -> Result<(), WeekRefusal> {
    if start < today {
        return Err(WeekRefusal::InThePast { today });
    }
    match existing.iter().find(|week| week.overlaps(start)) {
        Some(week) => Err(WeekRefusal::Overlaps {
            id: week.id,
            start: week.start,
            last_day: week.last_day(),
        }),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    fn week(id: i64, start: NaiveDate) -> TopicWeek {
        TopicWeek {
            id,
            topic: WeekTopic::Category(Category::Security),
            start,
        }
    }

    #[test]
    fn a_week_covers_seven_days_from_its_start() {
        let w = week(1, date(2026, 11, 23));
        assert!(w.covers(date(2026, 11, 23)));
        assert!(w.covers(date(2026, 11, 29)));
        assert!(!w.covers(date(2026, 11, 30)));
        assert!(!w.covers(date(2026, 11, 22)));
    }

    #[test]
    fn overlapping_weeks_are_refused_and_adjacent_ones_are_not() {
        let existing = [week(1, date(2026, 11, 23))];
        let today = date(2026, 11, 21);
        assert!(matches!(
            check_new_week(&existing, date(2026, 11, 29), today),
            Err(WeekRefusal::Overlaps { id: 1, .. })
        ));
        assert!(matches!(
            check_new_week(&existing, date(2026, 11, 17), today),
            Err(WeekRefusal::InThePast { .. })
        ));
        assert!(check_new_week(&existing, date(2026, 11, 30), today).is_ok());
        assert!(check_new_week(&[], today, today).is_ok());
    }

    #[test]
    fn stored_forms_round_trip() {
        for topic in [
            WeekTopic::Category(Category::ApiDesign),
            WeekTopic::Topic("jwt".into()),
        ] {
            assert_eq!(WeekTopic::from_stored(&topic.to_stored()), Some(topic));
        }
        assert_eq!(WeekTopic::from_stored("bogus"), None);
    }
}
