//! The `/progress` picture: it decodes, has the stated size, matches a checked-in reference
//! for a known member history, and keeps everything inside the card.
//!
//! To accept a deliberate change of the drawing, run
//! `STUDYBOT_UPDATE_PICTURES=1 cargo test --test picture`: it rewrites
//! `tests/fixtures/progress-reference.png` and the two examples in `docs/`. Look at them
//! before committing.

mod history;

use std::path::{Path, PathBuf};
use std::sync::LazyLock;

use studybot::picture::{render_progress, HEIGHT, WIDTH};
use tiny_skia::Pixmap;

const UPDATE_VARIABLE: &str = "STUDYBOT_UPDATE_PICTURES";

// Rendered once per run and shared by the tests: an unoptimised build draws slowly.
static NEW_MEMBER: LazyLock<Vec<u8>> =
    LazyLock::new(|| render_progress(&history::new_member()).unwrap());
static THREE_MONTHS: LazyLock<Vec<u8>> =
    LazyLock::new(|| render_progress(&history::three_months()).unwrap());
static LONG_NAME: LazyLock<Vec<u8>> =
    LazyLock::new(|| render_progress(&history::long_name_and_huge_numbers()).unwrap());

/// How far two renderings may drift and still count as the same picture: anti-aliasing may
/// differ a little between CPUs (tiny-skia picks SIMD paths at run time), but one day's mark
/// changed (about 900 pixels) must not pass.
const MAX_MEAN_CHANNEL_DIFFERENCE: f64 = 0.5;
const MAX_SHARE_OF_CHANGED_PIXELS: f64 = 0.000_5;
const CHANGED_PIXEL_THRESHOLD: u8 = 32;

fn manifest_path(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(relative)
}

fn reference_path() -> PathBuf {
    manifest_path("tests/fixtures/progress-reference.png")
}

fn updating() -> bool {
    std::env::var(UPDATE_VARIABLE).is_ok_and(|value| value == "1")
}

fn decode(png: &[u8]) -> Pixmap {
    Pixmap::decode_png(png).expect("the picture is a valid PNG")
}

#[derive(Debug)]
struct Difference {
    mean_channel_difference: f64,
    share_of_changed_pixels: f64,
}

impl Difference {
    fn within_tolerance(&self) -> bool {
        self.mean_channel_difference < MAX_MEAN_CHANNEL_DIFFERENCE
            && self.share_of_changed_pixels < MAX_SHARE_OF_CHANGED_PIXELS
    }
}

/// `None` when the sizes differ.
fn compare(actual: &Pixmap, expected: &Pixmap) -> Option<Difference> {
    if (actual.width(), actual.height()) != (expected.width(), expected.height()) {
        return None;
    }
    let mut total: u64 = 0;
    let mut changed: u64 = 0;
    for (a, e) in actual
        .data()
        .chunks_exact(4)
        .zip(expected.data().chunks_exact(4))
    {
        let mut largest = 0;
        for (x, y) in a.iter().zip(e) {
            let difference = x.abs_diff(*y);
            total += u64::from(difference);
            largest = largest.max(difference);
        }
        if largest > CHANGED_PIXEL_THRESHOLD {
            changed += 1;
        }
    }
    let pixels = u64::from(actual.width()) * u64::from(actual.height());
    Some(Difference {
        mean_channel_difference: total as f64 / (pixels * 4) as f64,
        share_of_changed_pixels: changed as f64 / pixels as f64,
    })
}

fn write(path: &Path, png: &[u8]) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, png).unwrap_or_else(|error| panic!("writing {}: {error}", path.display()));
}

#[test]
fn the_picture_is_a_png_of_the_stated_size_for_every_history() {
    assert_eq!(WIDTH, 800);
    for (name, png) in [
        ("new member", &NEW_MEMBER),
        ("3 months", &THREE_MONTHS),
        ("long name", &LONG_NAME),
    ] {
        let pixmap = decode(png);
        assert_eq!((pixmap.width(), pixmap.height()), (WIDTH, HEIGHT), "{name}");
    }
}

#[test]
fn a_known_history_matches_the_reference_picture() {
    let png: &[u8] = &THREE_MONTHS;
    if updating() {
        write(&reference_path(), png);
        write(&manifest_path("docs/progress-3-months.png"), png);
        write(&manifest_path("docs/progress-new-member.png"), &NEW_MEMBER);
        // Not kept in the repository, but worth a look after a change.
        write(
            &Path::new(env!("CARGO_TARGET_TMPDIR")).join("progress-long-name.png"),
            &LONG_NAME,
        );
        return;
    }
    let reference = std::fs::read(reference_path()).unwrap_or_else(|error| {
        panic!(
            "{}: {error}; create it with {UPDATE_VARIABLE}=1 cargo test --test picture",
            reference_path().display()
        )
    });
    let difference = compare(&decode(png), &decode(&reference));
    if !difference
        .as_ref()
        .is_some_and(Difference::within_tolerance)
    {
        let actual = Path::new(env!("CARGO_TARGET_TMPDIR")).join("progress-actual.png");
        write(&actual, png);
        panic!(
            "the picture differs from {} ({difference:?}). The new one is {}; look at both, and if the \
             change is intended, run {UPDATE_VARIABLE}=1 cargo test --test picture",
            reference_path().display(),
            actual.display(),
        );
    }
}

#[test]
fn the_comparison_tells_a_different_history_apart() {
    let reference = decode(&THREE_MONTHS);
    assert!(compare(&reference, &reference).unwrap().within_tolerance());

    let new_member = decode(&NEW_MEMBER);
    let difference = compare(&new_member, &reference).unwrap();
    assert!(!difference.within_tolerance(), "{difference:?}");

    // One right answer turned wrong: a single day's square and a few numbers.
    let one_day = decode(&render_progress(&history::three_months_with_one_day_changed()).unwrap());
    let difference = compare(&one_day, &reference).unwrap();
    assert!(!difference.within_tolerance(), "{difference:?}");
}

#[test]
fn the_picture_is_opaque_so_it_reads_the_same_on_dark_and_light_themes() {
    for png in [&NEW_MEMBER, &THREE_MONTHS, &LONG_NAME] {
        let pixmap = decode(png);
        assert!(pixmap.pixels().iter().all(|pixel| pixel.alpha() == 255));
    }
}

#[test]
fn long_names_and_huge_numbers_stay_inside_the_card() {
    // The strip between the content's right edge and the border must stay background: text
    // that does not fit is shrunk or cut with an ellipsis, never drawn past the edge.
    let pixmap = decode(&LONG_NAME);
    let background = pixmap.pixel(WIDTH / 2, HEIGHT - 8).unwrap();
    for y in 8..HEIGHT - 8 {
        for x in WIDTH - 28..WIDTH - 8 {
            assert_eq!(
                pixmap.pixel(x, y).unwrap(),
                background,
                "pixel ({x}, {y}) is drawn on"
            );
        }
    }
}

#[test]
fn the_same_history_always_gives_the_same_bytes() {
    assert_eq!(
        render_progress(&history::three_months()).unwrap(),
        *THREE_MONTHS
    );
}
