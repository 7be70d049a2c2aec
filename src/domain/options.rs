//! What members and moderators type into command options, parsed once at the edge.
//!
//! Both front ends (Discord and the console) turn option text into these domain values with
//! the same functions, so a bad value reads the same everywhere: every [`OptionError`] is a
//! sentence meant for the member, naming what they typed and what would work.

use std::fmt;
use std::str::FromStr;

use chrono::{NaiveDate, NaiveTime};
use chrono_tz::Tz;

use super::community::BankSource;
use super::content::Category;
use super::schedule::PostingDays;
use super::standing::{LeaderboardOrder, Period};
use super::text::{name_key, truncate_chars};

/// Typed text is echoed back at most this long: enough to recognise it, never a wall.
const ECHO_CHARS: usize = 60;

/// An option value that cannot be used, with the sentence to show the member.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionError(String);

impl OptionError {
    fn new(message: impl Into<String>) -> OptionError {
        OptionError(message.into())
    }

    pub fn message(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OptionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for OptionError {}

fn echo(text: &str) -> String {
    truncate_chars(text.trim(), ECHO_CHARS)
}

/// A fixed set of values offered as a choice list (Discord shows them as a menu; the console
/// accepts their names). `ALL` is the order they are offered in.
pub trait FixedChoice: Copy + Sized + 'static {
    const ALL: &'static [Self];
    /// The name members see and type.
    fn name(self) -> &'static str;
}

impl FixedChoice for Category {
    const ALL: &'static [Category] = &Category::ALL;
    fn name(self) -> &'static str {
        self.slug()
    }
}

impl FixedChoice for PostingDays {
    const ALL: &'static [PostingDays] = &[PostingDays::EveryDay, PostingDays::Weekdays];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl FixedChoice for LeaderboardOrder {
    const ALL: &'static [LeaderboardOrder] = &[
        LeaderboardOrder::Streak,
        LeaderboardOrder::Points,
        LeaderboardOrder::Accuracy,
    ];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl FixedChoice for Period {
    const ALL: &'static [Period] = &[Period::Week, Period::Month, Period::AllTime];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

impl FixedChoice for BankSource {
    const ALL: &'static [BankSource] = &[BankSource::BuiltIn, BankSource::Server, BankSource::Both];
    fn name(self) -> &'static str {
        self.as_str()
    }
}

/// The choice whose name matches `text`, ignoring case, spaces and punctuation.
fn fixed_choice<T: FixedChoice>(text: &str) -> Option<T> {
    let key = name_key(text);
    T::ALL
        .iter()
        .copied()
        .find(|choice| name_key(choice.name()) == key)
}

fn names<T: FixedChoice>() -> String {
    T::ALL
        .iter()
        .map(|choice| choice.name())
        .collect::<Vec<_>>()
        .join(", ")
}

impl FromStr for Category {
    type Err = OptionError;

    /// A category by slug (`api-design`) or label (`API design`).
    fn from_str(text: &str) -> Result<Category, OptionError> {
        let key = name_key(text);
        Category::ALL
            .into_iter()
            .find(|category| name_key(category.slug()) == key || name_key(category.label()) == key)
            .ok_or_else(|| {
                OptionError::new(format!(
                    "There is no category “{}”. Categories: {}.",
                    echo(text),
                    names::<Category>()
                ))
            })
    }
}

impl FromStr for PostingDays {
    type Err = OptionError;

    fn from_str(text: &str) -> Result<PostingDays, OptionError> {
        fixed_choice(text).ok_or_else(|| OptionError::new("Days must be every-day or weekdays."))
    }
}

impl FromStr for LeaderboardOrder {
    type Err = OptionError;

    fn from_str(text: &str) -> Result<LeaderboardOrder, OptionError> {
        fixed_choice(text).ok_or_else(|| OptionError::new("Rank by streak, points or accuracy."))
    }
}

impl FromStr for Period {
    type Err = OptionError;

    fn from_str(text: &str) -> Result<Period, OptionError> {
        fixed_choice(text)
            .ok_or_else(|| OptionError::new(format!("The period is one of {}.", names::<Period>())))
    }
}

impl FromStr for BankSource {
    type Err = OptionError;

    fn from_str(text: &str) -> Result<BankSource, OptionError> {
        fixed_choice(text).ok_or_else(|| {
            OptionError::new(format!("The bank is one of {}.", names::<BankSource>()))
        })
    }
}

/// `HH:MM` on a 24-hour clock (`9:05` is fine too).
pub fn parse_post_time(text: &str) -> Result<NaiveTime, OptionError> {
    let refuse = || {
        OptionError::new(format!(
            "“{}” is not a time: use HH:MM on a 24-hour clock, like 09:00 or 18:30.",
            echo(text)
        ))
    };
    let (hours, minutes) = text.trim().split_once(':').ok_or_else(refuse)?;
    let digits = |part: &str| part.bytes().all(|byte| byte.is_ascii_digit());
    if hours.is_empty()
        || hours.len() > 2
        || minutes.len() != 2
        || !digits(hours)
        || !digits(minutes)
    {
        return Err(refuse());
    }
    let (Ok(hours), Ok(minutes)) = (hours.parse(), minutes.parse()) else {
        return Err(refuse());
    };
    NaiveTime::from_hms_opt(hours, minutes, 0).ok_or_else(refuse)
}

/// An IANA timezone name such as `Europe/Berlin` or `UTC`.
pub fn parse_timezone(text: &str) -> Result<Tz, OptionError> {
    Tz::from_str(text.trim()).map_err(|_| {
        OptionError::new(format!(
            "“{}” is not an IANA timezone. Use a name like Europe/Berlin, America/New_York, Asia/Kolkata or UTC.",
            echo(text)
        ))
    })
}

/// A calendar date as `YYYY-MM-DD`.
pub fn parse_day(text: &str) -> Result<NaiveDate, OptionError> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").map_err(|_| {
        OptionError::new(format!(
            "“{}” is not a date: use YYYY-MM-DD, like 2026-12-07.",
            echo(text)
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn post_times_are_24_hour_hh_mm() {
        assert_eq!(
            parse_post_time("09:00").ok(),
            NaiveTime::from_hms_opt(9, 0, 0)
        );
        assert_eq!(
            parse_post_time("9:05").ok(),
            NaiveTime::from_hms_opt(9, 5, 0)
        );
        for bad in ["24:00", "12:60", "12", "12:5", "ab:cd", "", "+1:00"] {
            assert!(parse_post_time(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn categories_parse_by_slug_or_label_and_a_wrong_one_lists_them_all() {
        assert_eq!("api-design".parse(), Ok(Category::ApiDesign));
        assert_eq!("API design".parse(), Ok(Category::ApiDesign));
        let error = "cooking".parse::<Category>().unwrap_err();
        assert!(error.message().contains("cooking"), "{error}");
        assert!(error.message().contains("databases"), "{error}");
    }

    #[test]
    fn fixed_choices_parse_by_their_names() {
        assert_eq!("weekdays".parse(), Ok(PostingDays::Weekdays));
        assert_eq!("Every Day".parse(), Ok(PostingDays::EveryDay));
        assert_eq!("accuracy".parse(), Ok(LeaderboardOrder::Accuracy));
        assert_eq!("all-time".parse(), Ok(Period::AllTime));
        assert!("fortnight".parse::<Period>().is_err());
        assert!("hourly".parse::<PostingDays>().is_err());
    }

    #[test]
    fn timezones_and_days_name_what_was_typed_when_wrong() {
        assert_eq!(
            parse_timezone(" Europe/Berlin "),
            Ok(chrono_tz::Europe::Berlin)
        );
        assert!(parse_timezone("Mars/Olympus")
            .unwrap_err()
            .message()
            .contains("Mars/Olympus"));
        assert_eq!(
            parse_day("2026-12-07").ok(),
            NaiveDate::from_ymd_opt(2026, 12, 7)
        );
        assert!(parse_day("07/12/2026").is_err());
    }
}
