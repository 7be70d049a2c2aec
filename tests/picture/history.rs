//! Fixed member histories for the picture tests and the bench: the same input every run, so
//! the rendered picture can be compared with a checked-in reference.

use chrono::{Datelike, NaiveDate, Weekday};
use studybot::domain::progress::{
    day_grid, grid_start, CategoryMastery, PostDay, ProgressView, GRID_WEEKS,
};
use studybot::domain::{Category, MemberStats};

pub fn today() -> NaiveDate {
    // A Tuesday.
    NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()
}

/// Joined today: no answers, and today's question is still open.
pub fn new_member() -> ProgressView {
    let today = today();
    let posts = [PostDay {
        date: today,
        answer: None,
        open: true,
    }];
    view_from_posts("Newcomer", today, &posts)
}

/// Three months on a weekdays server: the first week before the member's first answer, then
/// mostly right, some wrong, some missed, a paused week, and today's question still open.
pub fn three_months() -> ProgressView {
    three_months_with(|_, answer| answer)
}

/// [`three_months`] with one day's outcome changed: the picture must show the difference.
pub fn three_months_with_one_day_changed() -> ProgressView {
    let changed = NaiveDate::from_ymd_opt(2026, 11, 18).unwrap();
    three_months_with(|date, answer| match answer {
        _ if date != changed => answer,
        Some(right) => Some(!right),
        None => Some(true),
    })
}

/// A name far too long for one line and numbers as large as the types allow.
pub fn long_name_and_huge_numbers() -> ProgressView {
    let mut view = three_months();
    view.member_name = "Wilhelmina Konstantinopoulou-Vanderbilt ".repeat(6);
    view.points = u64::MAX;
    view.current_streak = u32::MAX;
    view.best_streak = u32::MAX;
    view.answered = u32::MAX;
    view.correct = u32::MAX - 1;
    for mastery in &mut view.categories {
        mastery.answered = u32::MAX;
        mastery.correct = u32::MAX / 3;
    }
    view
}

fn three_months_with(change: impl Fn(NaiveDate, Option<bool>) -> Option<bool>) -> ProgressView {
    let today = today();
    let paused_from = NaiveDate::from_ymd_opt(2026, 10, 19).unwrap();
    let paused_until = NaiveDate::from_ymd_opt(2026, 10, 25).unwrap();
    // A small fixed pseudo-random sequence (an LCG): varied, and the same every run.
    let mut seed: u32 = 2026;
    let mut posts = Vec::new();
    for date in grid_start(today)
        .iter_days()
        .take_while(|date| *date <= today)
    {
        if matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
            || (paused_from..=paused_until).contains(&date)
        {
            continue;
        }
        seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        let roll = (seed >> 16) % 100;
        let open = date == today;
        let before_joining = date < grid_start(today) + chrono::Days::new(7);
        let answer = if open || before_joining {
            None
        } else if roll < 60 {
            Some(true)
        } else if roll < 82 {
            Some(false)
        } else {
            None
        };
        posts.push(PostDay {
            date,
            answer: change(date, answer),
            open,
        });
    }
    let answered: Vec<bool> = posts.iter().filter_map(|post| post.answer).collect();
    let correct = answered.iter().filter(|right| **right).count() as u32;
    let mut view = view_from_posts("Ada Lovelace", today, &posts);
    view.answered = answered.len() as u32;
    view.correct = correct;
    // The answers spread over eight categories, unevenly, so accuracy differs between them;
    // Data and Programming have none yet.
    const RIGHT_GOES_TO: [usize; 12] = [0, 0, 0, 1, 1, 2, 3, 3, 4, 5, 6, 7];
    const WRONG_GOES_TO: [usize; 8] = [2, 2, 4, 4, 5, 6, 0, 7];
    let (mut rights, mut wrongs) = (0, 0);
    for right in &answered {
        let index = if *right {
            rights += 1;
            RIGHT_GOES_TO[rights % RIGHT_GOES_TO.len()]
        } else {
            wrongs += 1;
            WRONG_GOES_TO[wrongs % WRONG_GOES_TO.len()]
        };
        view.categories[index].answered += 1;
        view.categories[index].correct += u32::from(*right);
    }
    // Streak, freezes and points by the bot's own rules, one post after another.
    let mut stats = MemberStats::default();
    for (seq, post) in posts.iter().enumerate() {
        if let Some(right) = post.answer {
            stats = stats.after_answer(seq as i64, right).0;
        }
    }
    view.current_streak = stats.streak;
    view.best_streak = stats.best_streak;
    view.freezes = stats.freezes;
    view.points = stats.points;
    view
}

fn view_from_posts(name: &str, today: NaiveDate, posts: &[PostDay]) -> ProgressView {
    // The history starts with the grid: the first answer in it is the member's first.
    let first_answer = posts
        .iter()
        .filter(|post| post.answer.is_some())
        .map(|post| post.date)
        .min();
    let days = day_grid(today, posts, first_answer);
    assert_eq!(days.len(), GRID_WEEKS * 7);
    ProgressView {
        member_name: name.to_string(),
        today,
        categories: Category::ALL
            .into_iter()
            .map(|category| CategoryMastery {
                category,
                answered: 0,
                correct: 0,
            })
            .collect(),
        days,
        current_streak: 0,
        best_streak: 0,
        freezes: 0,
        points: 0,
        answered: 0,
        correct: 0,
    }
}
