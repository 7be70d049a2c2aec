//! What `/progress` shows about one member, in plain Rust: mastery per category, the 12-week
//! grid of posting days, streaks and points, and the alt text that says the same in words.
//!
//! The store fills a [`ProgressView`]; `picture` draws it. Nothing here knows how.

use chrono::{Datelike, Days, NaiveDate};

use super::content::Category;

/// A topic needs at least this many answers before it can be called one of the weakest: one
/// wrong answer says little about a member, two start to say something.
pub const MASTERY_MIN_ANSWERS: u32 = 2;

/// The grid covers this many whole weeks: about three months, enough to see a habit form,
/// and still readable on a phone.
pub const GRID_WEEKS: usize = 12;

/// Discord refuses attachment descriptions longer than this (in characters).
pub const ALT_TEXT_MAX_CHARS: usize = 1024;

/// Member names longer than this are cut in the alt text, so the facts after them always fit.
const ALT_TEXT_NAME_MAX_CHARS: usize = 80;

/// How one day of the grid reads for one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DayMark {
    /// The day's question was answered correctly while open.
    Right,
    /// The day's question was answered, wrongly.
    Wrong,
    /// A question was posted and closed without an answer from this member, after their
    /// first answer in the server.
    Missed,
    /// A question closed before the member's first answer in the server: they may not have
    /// been there yet, so it is not held against them.
    BeforeFirstAnswer,
    /// No question was posted that day (not a posting day, server paused, bot down).
    NoPost,
    /// Not decided yet: the day's question is still open and unanswered, or the day is after
    /// today.
    Upcoming,
}

/// Answers and right answers in one category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CategoryMastery {
    pub category: Category,
    pub answered: u32,
    pub correct: u32,
}

impl CategoryMastery {
    /// Share of right answers in whole percent, or `None` before the first answer.
    pub fn accuracy_percent(&self) -> Option<u32> {
        accuracy_percent(self.correct, self.answered)
    }
}

/// One member's progress in one server, ready to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct ProgressView {
    pub member_name: String,
    /// Today in the server's timezone.
    pub today: NaiveDate,
    /// One per [`Category::ALL`], in that order; zeros allowed.
    pub categories: Vec<CategoryMastery>,
    /// Exactly `GRID_WEEKS * 7` days, Monday-aligned weeks; the last week contains `today`.
    /// [`day_grid`] builds it.
    pub days: Vec<(NaiveDate, DayMark)>,
    pub current_streak: u32,
    pub best_streak: u32,
    pub freezes: u32,
    pub points: u64,
    pub answered: u32,
    pub correct: u32,
}

impl ProgressView {
    /// Share of right answers over all categories in whole percent, `None` before the first
    /// answer.
    pub fn accuracy_percent(&self) -> Option<u32> {
        accuracy_percent(self.correct, self.answered)
    }
}

/// One of the server's posts in the grid's window, seen by one member.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PostDay {
    /// The day it was posted, in the server's timezone.
    pub date: NaiveDate,
    /// `Some(correct?)` when the member answered it, `None` when they did not.
    pub answer: Option<bool>,
    /// Still taking answers.
    pub open: bool,
}

/// The first day (a Monday) of the grid that ends with the week containing `today`.
pub fn grid_start(today: NaiveDate) -> NaiveDate {
    let monday = today - Days::new(u64::from(today.weekday().num_days_from_monday()));
    monday - Days::new(7 * (GRID_WEEKS as u64 - 1))
}

/// Builds the grid: `GRID_WEEKS` Monday-aligned weeks, the last one containing `today`.
///
/// `posts` are the server's posts in the window; posts outside it are ignored. A day with no
/// post is [`DayMark::NoPost`], days after today are [`DayMark::Upcoming`], and so is a post
/// still open and unanswered, whatever its date (on a weekdays schedule Friday's question is
/// still open on Sunday, and can still be answered). A closed post left unanswered is missed
/// only from the day of the member's `first_answer` in the server on (`None`: they never
/// answered); before it, it is [`DayMark::BeforeFirstAnswer`]. A day with several posts (a
/// moderator's `post-now`) shows the member's best outcome: right, then wrong, then still
/// open, then missed.
pub fn day_grid(
    today: NaiveDate,
    posts: &[PostDay],
    first_answer: Option<NaiveDate>,
) -> Vec<(NaiveDate, DayMark)> {
    let start = grid_start(today);
    let mut marks = vec![DayMark::NoPost; GRID_WEEKS * 7];
    for post in posts {
        let Some(index) = grid_index(start, post.date) else {
            continue;
        };
        let mark = match (post.answer, post.open) {
            (Some(true), _) => DayMark::Right,
            (Some(false), _) => DayMark::Wrong,
            (None, true) => DayMark::Upcoming,
            (None, false) if first_answer.is_some_and(|first| first <= post.date) => {
                DayMark::Missed
            }
            (None, false) => DayMark::BeforeFirstAnswer,
        };
        if outcome_rank(mark) > outcome_rank(marks[index]) {
            marks[index] = mark;
        }
    }
    start
        .iter_days()
        .zip(marks)
        .map(|(date, mark)| {
            if date > today {
                (date, DayMark::Upcoming)
            } else {
                (date, mark)
            }
        })
        .collect()
}

/// A short plain-language summary of the picture, for the attachment's description (screen
/// readers, and members whose client does not load images). At most
/// [`ALT_TEXT_MAX_CHARS`] characters.
pub fn alt_text(view: &ProgressView) -> String {
    let mut text = format!(
        "Study progress of {} on {}. ",
        truncate_chars(view.member_name.trim(), ALT_TEXT_NAME_MAX_CHARS),
        view.today.format("%a %-d %b %Y"),
    );
    text.push_str(&format!(
        "{} points; current streak {}, best streak {}; {} {}. ",
        group_thousands(view.points),
        plural(u64::from(view.current_streak), "day", "days"),
        view.best_streak,
        view.freezes,
        if view.freezes == 1 {
            "freeze"
        } else {
            "freezes"
        },
    ));
    match view.accuracy_percent() {
        None => text.push_str("No answers yet. "),
        Some(percent) => text.push_str(&format!(
            "{} of {} right ({percent}%). ",
            group_thousands(u64::from(view.correct)),
            plural(u64::from(view.answered), "answer", "answers"),
        )),
    }

    let answered: Vec<String> = view
        .categories
        .iter()
        .filter_map(|mastery| {
            mastery.accuracy_percent().map(|percent| {
                format!(
                    "{} {percent}% of {}",
                    mastery.category.label(),
                    mastery.answered
                )
            })
        })
        .collect();
    let unanswered: Vec<&str> = view
        .categories
        .iter()
        .filter(|mastery| mastery.answered == 0)
        .map(|mastery| mastery.category.label())
        .collect();
    if !answered.is_empty() {
        text.push_str(&format!("By category: {}. ", answered.join(", ")));
        if !unanswered.is_empty() {
            text.push_str(&format!("No answers yet in {}. ", unanswered.join(", ")));
        }
    }

    let count = |wanted: DayMark| {
        view.days
            .iter()
            .filter(|(date, mark)| *mark == wanted && *date <= view.today)
            .count() as u64
    };
    let before_first = match count(DayMark::BeforeFirstAnswer) {
        0 => String::new(),
        days => format!("{days} before the first answer, "),
    };
    text.push_str(&format!(
        "Last {GRID_WEEKS} weeks: {} right, {} wrong, {} missed, {before_first}{} without a question.",
        plural(count(DayMark::Right), "day", "days"),
        count(DayMark::Wrong),
        count(DayMark::Missed),
        count(DayMark::NoPost),
    ));
    truncate_chars(&text, ALT_TEXT_MAX_CHARS)
}

/// `n` with thousands separated by commas: 12,345.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    grouped
}

/// `n` in at most four digits and a suffix, for places too narrow for every digit: 12,345
/// reads 12.3K, 4,294,967,295 reads 4.29B. Below 10,000 it is [`group_thousands`].
pub fn compact_count(n: u64) -> String {
    if n < 10_000 {
        return group_thousands(n);
    }
    const UNITS: [(u64, &str); 6] = [
        (1_000_000_000_000_000_000, "Qi"),
        (1_000_000_000_000_000, "Qa"),
        (1_000_000_000_000, "T"),
        (1_000_000_000, "B"),
        (1_000_000, "M"),
        (1_000, "K"),
    ];
    let (unit, suffix) = UNITS
        .into_iter()
        .find(|(unit, _)| n >= *unit)
        .unwrap_or((1_000, "K"));
    // Three significant digits, cut rather than rounded so 999,999 never reads 1000K.
    let whole = n / unit;
    let decimals = match whole {
        0..=9 => 2,
        10..=99 => 1,
        _ => 0,
    };
    let scale = 10u64.pow(decimals);
    let fraction = (u128::from(n % unit) * u128::from(scale) / u128::from(unit)) as u64;
    if decimals == 0 {
        format!("{whole}{suffix}")
    } else {
        format!(
            "{whole}.{fraction:0width$}{suffix}",
            width = decimals as usize
        )
    }
}

fn accuracy_percent(correct: u32, answered: u32) -> Option<u32> {
    (answered > 0).then(|| {
        // Rounded to the nearest percent, and never 100% unless every answer was right.
        let rounded = (u64::from(correct) * 100 + u64::from(answered) / 2) / u64::from(answered);
        let percent = rounded.min(100) as u32;
        if percent == 100 && correct < answered {
            99
        } else {
            percent
        }
    })
}

fn grid_index(start: NaiveDate, date: NaiveDate) -> Option<usize> {
    let offset = date.signed_duration_since(start).num_days();
    usize::try_from(offset)
        .ok()
        .filter(|&index| index < GRID_WEEKS * 7)
}

/// Which mark wins when a day has several posts.
fn outcome_rank(mark: DayMark) -> u8 {
    match mark {
        DayMark::NoPost => 0,
        DayMark::BeforeFirstAnswer => 1,
        DayMark::Missed => 2,
        DayMark::Upcoming => 3,
        DayMark::Wrong => 4,
        DayMark::Right => 5,
    }
}

fn plural(n: u64, one: &str, many: &str) -> String {
    format!("{} {}", group_thousands(n), if n == 1 { one } else { many })
}

/// At most `max` characters, the last one an ellipsis when anything was cut.
fn truncate_chars(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A first answer before any grid: every unanswered closed post is missed.
    const LONG_AGO: Option<NaiveDate> = NaiveDate::from_ymd_opt(2020, 1, 1);

    fn mark_on(grid: &[(NaiveDate, DayMark)], day: NaiveDate) -> DayMark {
        grid.iter().find(|(date, _)| *date == day).unwrap().1
    }

    fn view_with(
        categories: Vec<CategoryMastery>,
        days: Vec<(NaiveDate, DayMark)>,
    ) -> ProgressView {
        let answered = categories.iter().map(|c| c.answered).sum();
        let correct = categories.iter().map(|c| c.correct).sum();
        ProgressView {
            member_name: "ada".to_string(),
            today: date(2026, 12, 1),
            categories,
            days,
            current_streak: 3,
            best_streak: 9,
            freezes: 1,
            points: 12_345,
            answered,
            correct,
        }
    }

    fn no_answers() -> Vec<CategoryMastery> {
        Category::ALL
            .into_iter()
            .map(|category| CategoryMastery {
                category,
                answered: 0,
                correct: 0,
            })
            .collect()
    }

    #[test]
    fn the_grid_is_twelve_monday_aligned_weeks_ending_with_todays_week() {
        // 2026-12-01 is a Tuesday.
        let grid = day_grid(date(2026, 12, 1), &[], LONG_AGO);
        assert_eq!(grid.len(), GRID_WEEKS * 7);
        assert_eq!(grid[0].0, date(2026, 9, 14));
        assert_eq!(grid[0].0.weekday(), chrono::Weekday::Mon);
        assert_eq!(grid.last().unwrap().0, date(2026, 12, 6));
        assert!(grid
            .windows(2)
            .all(|pair| pair[1].0 == pair[0].0.succ_opt().unwrap()));
    }

    #[test]
    fn on_a_monday_or_a_sunday_the_last_week_still_contains_today() {
        for today in [date(2026, 11, 30), date(2026, 12, 6)] {
            let grid = day_grid(today, &[], LONG_AGO);
            assert_eq!(grid[GRID_WEEKS * 7 - 7].0, date(2026, 11, 30));
            assert_eq!(grid.last().unwrap().0, date(2026, 12, 6));
        }
    }

    #[test]
    fn days_without_a_post_and_posts_without_an_answer_read_differently() {
        let today = date(2026, 12, 1);
        let posts = [
            PostDay {
                date: date(2026, 11, 23),
                answer: Some(true),
                open: false,
            },
            PostDay {
                date: date(2026, 11, 24),
                answer: Some(false),
                open: false,
            },
            PostDay {
                date: date(2026, 11, 25),
                answer: None,
                open: false,
            },
        ];
        let grid = day_grid(today, &posts, LONG_AGO);
        assert_eq!(mark_on(&grid, date(2026, 11, 23)), DayMark::Right);
        assert_eq!(mark_on(&grid, date(2026, 11, 24)), DayMark::Wrong);
        assert_eq!(mark_on(&grid, date(2026, 11, 25)), DayMark::Missed);
        assert_eq!(mark_on(&grid, date(2026, 11, 26)), DayMark::NoPost);
    }

    #[test]
    fn an_open_unanswered_post_is_upcoming_and_an_answered_one_is_not() {
        let today = date(2026, 12, 1);
        let open = [PostDay {
            date: today,
            answer: None,
            open: true,
        }];
        assert_eq!(
            mark_on(&day_grid(today, &open, LONG_AGO), today),
            DayMark::Upcoming
        );

        let answered = [PostDay {
            date: today,
            answer: Some(true),
            open: true,
        }];
        assert_eq!(
            mark_on(&day_grid(today, &answered, LONG_AGO), today),
            DayMark::Right
        );

        // Friday's question on a weekdays schedule is still open on Sunday.
        let sunday = date(2026, 11, 29);
        let friday = [PostDay {
            date: date(2026, 11, 27),
            answer: None,
            open: true,
        }];
        let grid = day_grid(sunday, &friday, LONG_AGO);
        assert_eq!(mark_on(&grid, date(2026, 11, 27)), DayMark::Upcoming);
    }

    #[test]
    fn days_after_today_are_upcoming_and_today_without_a_post_is_not() {
        let today = date(2026, 12, 1);
        let grid = day_grid(today, &[], LONG_AGO);
        assert_eq!(mark_on(&grid, today), DayMark::NoPost);
        for day in today.succ_opt().unwrap().iter_days().take(5) {
            assert_eq!(mark_on(&grid, day), DayMark::Upcoming);
        }
        assert_eq!(
            grid.iter().filter(|(_, m)| *m == DayMark::Upcoming).count(),
            5
        );
    }

    #[test]
    fn posts_outside_the_window_are_ignored() {
        let today = date(2026, 12, 1);
        let posts = [
            PostDay {
                date: date(2026, 9, 13),
                answer: Some(true),
                open: false,
            },
            PostDay {
                date: date(2026, 12, 7),
                answer: Some(true),
                open: false,
            },
        ];
        let grid = day_grid(today, &posts, LONG_AGO);
        assert!(grid
            .iter()
            .all(|(_, mark)| matches!(mark, DayMark::NoPost | DayMark::Upcoming)));
    }

    #[test]
    fn a_day_with_two_posts_shows_the_best_outcome() {
        let today = date(2026, 12, 1);
        let day = date(2026, 11, 20);
        let missed = PostDay {
            date: day,
            answer: None,
            open: false,
        };
        let wrong = PostDay {
            date: day,
            answer: Some(false),
            open: false,
        };
        let right = PostDay {
            date: day,
            answer: Some(true),
            open: false,
        };
        assert_eq!(
            mark_on(&day_grid(today, &[missed, wrong], LONG_AGO), day),
            DayMark::Wrong
        );
        assert_eq!(
            mark_on(&day_grid(today, &[right, missed], LONG_AGO), day),
            DayMark::Right
        );
        assert_eq!(
            mark_on(&day_grid(today, &[wrong, right], LONG_AGO), day),
            DayMark::Right
        );
    }

    #[test]
    fn questions_closed_before_a_members_first_answer_are_not_missed() {
        let today = date(2026, 12, 1);
        let unanswered = |day| PostDay {
            date: day,
            answer: None,
            open: false,
        };
        let posts = [
            unanswered(date(2026, 11, 20)),
            PostDay {
                date: date(2026, 11, 23),
                answer: Some(true),
                open: false,
            },
            unanswered(date(2026, 11, 24)),
        ];
        let grid = day_grid(today, &posts, Some(date(2026, 11, 23)));
        assert_eq!(
            mark_on(&grid, date(2026, 11, 20)),
            DayMark::BeforeFirstAnswer
        );
        assert_eq!(mark_on(&grid, date(2026, 11, 23)), DayMark::Right);
        assert_eq!(mark_on(&grid, date(2026, 11, 24)), DayMark::Missed);

        // Someone who never answered has missed nothing, and today's question is still open.
        let open = PostDay {
            date: today,
            answer: None,
            open: true,
        };
        let grid = day_grid(today, &[unanswered(date(2026, 11, 24)), open], None);
        assert_eq!(
            mark_on(&grid, date(2026, 11, 24)),
            DayMark::BeforeFirstAnswer
        );
        assert_eq!(mark_on(&grid, today), DayMark::Upcoming);
        let text = alt_text(&view_with(no_answers(), grid));
        assert!(
            text.ends_with(
                "Last 12 weeks: 0 days right, 0 wrong, 0 missed, 1 before the first answer, 77 without a question."
            ),
            "{text}"
        );
    }

    #[test]
    fn the_alt_text_states_the_same_facts_as_the_picture() {
        let mut categories = no_answers();
        categories[0] = CategoryMastery {
            category: Category::Databases,
            answered: 20,
            correct: 18,
        };
        categories[2] = CategoryMastery {
            category: Category::Security,
            answered: 4,
            correct: 1,
        };
        let today = date(2026, 12, 1);
        let posts = [
            PostDay {
                date: date(2026, 11, 23),
                answer: Some(true),
                open: false,
            },
            PostDay {
                date: date(2026, 11, 24),
                answer: Some(true),
                open: false,
            },
            PostDay {
                date: date(2026, 11, 25),
                answer: Some(false),
                open: false,
            },
            PostDay {
                date: date(2026, 11, 26),
                answer: None,
                open: false,
            },
            PostDay {
                date: today,
                answer: None,
                open: true,
            },
        ];
        let text = alt_text(&view_with(categories, day_grid(today, &posts, LONG_AGO)));
        assert!(
            text.starts_with("Study progress of ada on Tue 1 Dec 2026."),
            "{text}"
        );
        assert!(
            text.contains("12,345 points; current streak 3 days, best streak 9; 1 freeze."),
            "{text}"
        );
        assert!(text.contains("19 of 24 answers right (79%)."), "{text}");
        assert!(
            text.contains("By category: Databases 90% of 20, Security 25% of 4."),
            "{text}"
        );
        assert!(
            text.contains("No answers yet in API design, Performance,"),
            "{text}"
        );
        assert!(
            text.ends_with(
                "Last 12 weeks: 2 days right, 1 wrong, 1 missed, 74 without a question."
            ),
            "{text}"
        );
    }

    #[test]
    fn the_alt_text_of_a_new_member_says_there_are_no_answers_yet() {
        let today = date(2026, 12, 1);
        let text = alt_text(&view_with(no_answers(), day_grid(today, &[], LONG_AGO)));
        assert!(text.contains("No answers yet."), "{text}");
        assert!(!text.contains("By category"), "{text}");
    }

    #[test]
    fn the_alt_text_fits_discords_limit_whatever_the_name() {
        let mut view = view_with(no_answers(), day_grid(date(2026, 12, 1), &[], LONG_AGO));
        view.member_name = "ŵ".repeat(5_000);
        view.points = u64::MAX;
        for mastery in &mut view.categories {
            mastery.answered = u32::MAX;
            mastery.correct = u32::MAX - 1;
        }
        let text = alt_text(&view);
        assert!(
            text.chars().count() <= ALT_TEXT_MAX_CHARS,
            "{}",
            text.chars().count()
        );
        assert!(text.contains("18,446,744,073,709,551,615 points"), "{text}");
        assert!(text.contains("Last 12 weeks"), "{text}");
    }

    #[test]
    fn accuracy_rounds_but_never_claims_a_perfect_score_that_is_not() {
        assert_eq!(accuracy_percent(0, 0), None);
        assert_eq!(accuracy_percent(2, 3), Some(67));
        assert_eq!(accuracy_percent(199, 200), Some(99));
        assert_eq!(accuracy_percent(5, 5), Some(100));
        assert_eq!(accuracy_percent(u32::MAX, u32::MAX), Some(100));
    }

    #[test]
    fn large_counts_have_a_compact_form() {
        assert_eq!(compact_count(9_999), "9,999");
        assert_eq!(compact_count(12_345), "12.3K");
        assert_eq!(compact_count(999_999), "999K");
        assert_eq!(compact_count(1_000_000), "1.00M");
        assert_eq!(compact_count(u64::from(u32::MAX)), "4.29B");
        assert_eq!(compact_count(u64::MAX), "18.4Qi");
    }

    #[test]
    fn thousands_are_grouped() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1_000), "1,000");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
    }
}
