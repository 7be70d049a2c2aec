//! The `/progress` picture: the only module that knows the drawing libraries (tiny-skia
//! rasterises and encodes the PNG, ab_glyph reads the font's glyph outlines).
//!
//! The card is drawn on its own opaque dark slate background, so it reads the same in
//! Discord's dark and light themes. Right and wrong differ by colour *and* shape (blue with a
//! tick, orange with a cross: a pair colour-blind members can tell apart), and a legend says
//! what every mark means.

mod text;

use chrono::{Datelike, Days, NaiveDate};
use tiny_skia::{
    ColorU8, FillRule, Paint, Path, PathBuilder, Pixmap, Rect, Stroke, StrokeDash, Transform,
};

use crate::domain::content::Category;
use crate::domain::progress::{
    compact_count, grid_start, group_thousands, CategoryMastery, DayMark, ProgressView, GRID_WEEKS,
};
use crate::domain::streak::FREEZES_MAX;
use text::{Style, Weight};

/// Wide enough for Discord to show the picture at full width on a desktop, and scaled down on
/// a phone with text still legible (the smallest text is 16 px).
pub const WIDTH: u32 = 800;
/// The layout is fixed (ten categories, twelve weeks), so is the height.
pub const HEIGHT: u32 = GRID_TOP as u32 + GRID_ROWS_HEIGHT as u32 + PADDING as u32;

#[derive(Debug, thiserror::Error)]
pub enum PictureError {
    #[error("the built-in font could not be read")]
    Font,
    #[error("the canvas could not be allocated")]
    Canvas,
    #[error("the picture could not be encoded as PNG: {0}")]
    Encode(String),
}

const PADDING: f32 = 32.0;
const CONTENT_WIDTH: f32 = WIDTH as f32 - 2.0 * PADDING;
const RIGHT_EDGE: f32 = WIDTH as f32 - PADDING;

// Vertical layout, top to bottom.
const CAPTION_BASELINE: f32 = 46.0;
const NAME_BASELINE: f32 = 88.0;
const TILES_TOP: f32 = 112.0;
const TILE_HEIGHT: f32 = 86.0;
const TILE_GAP: f32 = 12.0;
const MASTERY_TITLE_BASELINE: f32 = TILES_TOP + TILE_HEIGHT + 48.0;
const MASTERY_TOP: f32 = MASTERY_TITLE_BASELINE + 16.0;
const MASTERY_ROW: f32 = 32.0;
const GRID_TITLE_BASELINE: f32 = MASTERY_TOP + MASTERY_ROW * 10.0 + 40.0;
const MONTH_BASELINE: f32 = GRID_TITLE_BASELINE + 32.0;
const GRID_TOP: f32 = MONTH_BASELINE + 12.0;
const CELL: f32 = 30.0;
const CELL_PITCH: f32 = 36.0;
const GRID_ROWS_HEIGHT: f32 = CELL_PITCH * 7.0 - (CELL_PITCH - CELL);

// Horizontal layout of the mastery rows and the grid.
const BAR_LEFT: f32 = PADDING + 168.0;
const BAR_WIDTH: f32 = 350.0;
const BAR_HEIGHT: f32 = 14.0;
const BAR_TEXT_LEFT: f32 = BAR_LEFT + BAR_WIDTH + 18.0;
const GRID_LEFT: f32 = PADDING + 48.0;
const LEGEND_LEFT: f32 = GRID_LEFT + CELL_PITCH * GRID_WEEKS as f32 + 30.0;

/// Colours. Contrast on the background: main text 15:1, muted text 7.6:1 (6.4:1 on a tile);
/// right and wrong are Okabe-Ito sky blue and orange (7.4:1 and 7.6:1), and the tick and cross
/// on them are drawn in the background colour at the same contrast.
mod palette {
    use tiny_skia::ColorU8;

    const fn rgb(r: u8, g: u8, b: u8) -> ColorU8 {
        ColorU8::from_rgba(r, g, b, 255)
    }

    pub const BACKGROUND: ColorU8 = rgb(0x17, 0x1c, 0x26);
    pub const BORDER: ColorU8 = rgb(0x34, 0x3e, 0x50);
    pub const TILE: ColorU8 = rgb(0x22, 0x2a, 0x38);
    pub const TRACK: ColorU8 = rgb(0x2c, 0x35, 0x46);
    pub const TEXT: ColorU8 = rgb(0xee, 0xf2, 0xf7);
    pub const MUTED: ColorU8 = rgb(0xa3, 0xae, 0xc0);
    pub const RIGHT: ColorU8 = rgb(0x56, 0xb4, 0xe9);
    pub const WRONG: ColorU8 = rgb(0xe6, 0x9f, 0x00);
    pub const MISSED: ColorU8 = rgb(0xc8, 0xd0, 0xdc);
    pub const NO_POST: ColorU8 = rgb(0x25, 0x2d, 0x3a);
    pub const UPCOMING: ColorU8 = rgb(0x5a, 0x66, 0x7a);
}

/// Draws `view` as a PNG, `WIDTH` x `HEIGHT` pixels.
pub fn render_progress(view: &ProgressView) -> Result<Vec<u8>, PictureError> {
    let mut canvas = Pixmap::new(WIDTH, HEIGHT).ok_or(PictureError::Canvas)?;
    let background = palette::BACKGROUND;
    canvas.fill(tiny_skia::Color::from_rgba8(
        background.red(),
        background.green(),
        background.blue(),
        255,
    ));
    let border = rect_path(1.0, 1.0, WIDTH as f32 - 2.0, HEIGHT as f32 - 2.0, 14.0);
    stroke(&mut canvas, border.as_ref(), palette::BORDER, 2.0, None);

    draw_header(&mut canvas, view)?;
    draw_mastery(&mut canvas, view)?;
    draw_grid(&mut canvas, view)?;

    canvas
        .encode_png()
        .map_err(|error| PictureError::Encode(error.to_string()))
}

fn draw_header(canvas: &mut Pixmap, view: &ProgressView) -> Result<(), PictureError> {
    let caption = Style::new(Weight::Bold, 16.0)?;
    caption.draw(
        canvas,
        PADDING,
        CAPTION_BASELINE,
        "STUDY PROGRESS",
        palette::MUTED,
    );
    let date = Style::new(Weight::Regular, 17.0)?;
    let date_text = view.today.format("%a %-d %b %Y").to_string();
    let date_width = date.width(&date_text);
    date.draw(
        canvas,
        RIGHT_EDGE - date_width,
        CAPTION_BASELINE,
        &date_text,
        palette::MUTED,
    );

    let name = Style::new(Weight::Bold, 34.0)?;
    let shown = name.truncate(view.member_name.trim(), CONTENT_WIDTH);
    name.draw(canvas, PADDING, NAME_BASELINE, &shown, palette::TEXT);

    // Each value and label with its fallbacks, longest first: every digit when it fits, a
    // compact form (4.29B) when it does not, never digits cut off.
    let count_forms = |n: u64| vec![group_thousands(n), compact_count(n)];
    let accuracy = match view.accuracy_percent() {
        Some(percent) => {
            let (correct, answered) = (u64::from(view.correct), u64::from(view.answered));
            (
                vec![format!("{percent}%")],
                vec![
                    format!(
                        "{} of {} right",
                        group_thousands(correct),
                        group_thousands(answered)
                    ),
                    format!(
                        "{} of {} right",
                        compact_count(correct),
                        compact_count(answered)
                    ),
                    format!("of {}", compact_count(answered)),
                ],
            )
        }
        None => (vec!["–".to_string()], vec!["no answers yet".to_string()]),
    };
    let tiles = [
        (count_forms(view.points), vec!["points".to_string()]),
        (
            count_forms(view.current_streak.into()),
            vec!["current streak".to_string()],
        ),
        (
            count_forms(view.best_streak.into()),
            vec!["best streak".to_string()],
        ),
        (
            count_forms(view.freezes.into()),
            vec![
                format!("freezes (max {FREEZES_MAX})"),
                "freezes".to_string(),
            ],
        ),
        accuracy,
    ];
    let tile_width = (CONTENT_WIDTH - TILE_GAP * (tiles.len() as f32 - 1.0)) / tiles.len() as f32;
    let value_style = Style::new(Weight::Bold, 30.0)?;
    let label_style = Style::new(Weight::Regular, 16.0)?;
    for (index, (values, labels)) in tiles.iter().enumerate() {
        let left = PADDING + index as f32 * (tile_width + TILE_GAP);
        fill(
            canvas,
            rect_path(left, TILES_TOP, tile_width, TILE_HEIGHT, 10.0).as_ref(),
            palette::TILE,
        );
        let inner = tile_width - 28.0;
        let (style, value) = value_style.fit_first(&as_strs(values), 22.0, inner);
        style.draw(canvas, left + 14.0, TILES_TOP + 44.0, &value, palette::TEXT);
        let (style, label) = label_style.fit_first(&as_strs(labels), 13.0, inner);
        style.draw(
            canvas,
            left + 14.0,
            TILES_TOP + 70.0,
            &label,
            palette::MUTED,
        );
    }
    Ok(())
}

fn draw_mastery(canvas: &mut Pixmap, view: &ProgressView) -> Result<(), PictureError> {
    let title = Style::new(Weight::Bold, 21.0)?;
    title.draw(
        canvas,
        PADDING,
        MASTERY_TITLE_BASELINE,
        "Mastery by category",
        palette::TEXT,
    );
    let note = Style::new(Weight::Regular, 16.0)?;
    let note_text = "bar: share of answers right";
    note.draw(
        canvas,
        RIGHT_EDGE - note.width(note_text),
        MASTERY_TITLE_BASELINE,
        note_text,
        palette::MUTED,
    );

    let label = Style::new(Weight::Regular, 18.0)?;
    let percent_style = Style::new(Weight::Bold, 18.0)?;
    let count_style = Style::new(Weight::Regular, 16.0)?;
    for (row, category) in Category::ALL.into_iter().enumerate() {
        // Looked up rather than zipped, so a view missing a category still draws every row.
        let mastery = view
            .categories
            .iter()
            .find(|mastery| mastery.category == category)
            .copied()
            .unwrap_or(CategoryMastery {
                category,
                answered: 0,
                correct: 0,
            });
        let centre = MASTERY_TOP + MASTERY_ROW * row as f32 + MASTERY_ROW / 2.0;
        let baseline = centre + 6.0;
        label.draw(canvas, PADDING, baseline, category.label(), palette::TEXT);

        let bar_top = centre - BAR_HEIGHT / 2.0;
        let track = rect_path(BAR_LEFT, bar_top, BAR_WIDTH, BAR_HEIGHT, BAR_HEIGHT / 2.0);
        let text_width = RIGHT_EDGE - BAR_TEXT_LEFT;
        match mastery.accuracy_percent() {
            Some(percent) => {
                fill(canvas, track.as_ref(), palette::TRACK);
                let filled = BAR_WIDTH * percent as f32 / 100.0;
                if filled > 0.0 {
                    let bar = rect_path(
                        BAR_LEFT,
                        bar_top,
                        filled.max(BAR_HEIGHT),
                        BAR_HEIGHT,
                        BAR_HEIGHT / 2.0,
                    );
                    fill(canvas, bar.as_ref(), palette::RIGHT);
                }
                let percent_text = format!("{percent}%");
                let percent_width = percent_style.draw(
                    canvas,
                    BAR_TEXT_LEFT,
                    baseline,
                    &percent_text,
                    palette::TEXT,
                );
                let answers = if mastery.answered == 1 {
                    "answer"
                } else {
                    "answers"
                };
                let answered = u64::from(mastery.answered);
                let forms = [
                    format!("of {} {answers}", group_thousands(answered)),
                    format!("of {} {answers}", compact_count(answered)),
                ];
                let left = BAR_TEXT_LEFT + percent_width + 7.0;
                let (style, count) =
                    count_style.fit_first(&as_strs(&forms), 13.0, RIGHT_EDGE - left);
                style.draw(canvas, left, baseline, &count, palette::MUTED);
            }
            None => {
                // An empty dashed track: nothing to measure yet, which is not the same as 0%.
                stroke(
                    canvas,
                    track.as_ref(),
                    palette::UPCOMING,
                    1.5,
                    Some((4.0, 4.0)),
                );
                let (style, text) = count_style.fit("no answers yet", 12.0, text_width);
                style.draw(canvas, BAR_TEXT_LEFT, baseline, &text, palette::MUTED);
            }
        }
    }
    Ok(())
}

fn draw_grid(canvas: &mut Pixmap, view: &ProgressView) -> Result<(), PictureError> {
    let title = Style::new(Weight::Bold, 21.0)?;
    title.draw(
        canvas,
        PADDING,
        GRID_TITLE_BASELINE,
        &format!("Last {GRID_WEEKS} weeks"),
        palette::TEXT,
    );
    let note = Style::new(Weight::Regular, 16.0)?;
    let note_text = "one square per day";
    note.draw(
        canvas,
        RIGHT_EDGE - note.width(note_text),
        GRID_TITLE_BASELINE,
        note_text,
        palette::MUTED,
    );

    let small = Style::new(Weight::Regular, 16.0)?;
    let start = grid_start(view.today);
    draw_month_labels(canvas, small, start);

    for (row, weekday) in ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
        .into_iter()
        .enumerate()
    {
        let baseline = GRID_TOP + CELL_PITCH * row as f32 + CELL / 2.0 + 5.0;
        small.draw(canvas, PADDING, baseline, weekday, palette::MUTED);
    }

    // Placed by date, so the grid is right even if a view's list has gaps or extra days.
    let mut marks = [DayMark::NoPost; GRID_WEEKS * 7];
    for (index, mark) in marks.iter_mut().enumerate() {
        if start + Days::new(index as u64) > view.today {
            *mark = DayMark::Upcoming;
        }
    }
    for &(date, mark) in &view.days {
        let offset = date.signed_duration_since(start).num_days();
        if let Some(slot) = usize::try_from(offset)
            .ok()
            .and_then(|index| marks.get_mut(index))
        {
            *slot = mark;
        }
    }
    for (index, mark) in marks.into_iter().enumerate() {
        let (week, weekday) = (index / 7, index % 7);
        let left = GRID_LEFT + CELL_PITCH * week as f32;
        let top = GRID_TOP + CELL_PITCH * weekday as f32;
        draw_mark(canvas, left, top, CELL, mark);
        if start + Days::new(index as u64) == view.today {
            draw_today_ring(canvas, left, top, CELL);
        }
    }

    let legend = [
        (Some(DayMark::Right), "Right"),
        (Some(DayMark::Wrong), "Wrong"),
        (Some(DayMark::Missed), "Missed"),
        (Some(DayMark::BeforeFirstAnswer), "Before first answer"),
        (Some(DayMark::NoPost), "No question posted"),
        (Some(DayMark::Upcoming), "Open or still to come"),
        (None, "Today"),
    ];
    let sample = 22.0;
    let legend_pitch = GRID_ROWS_HEIGHT / legend.len() as f32;
    for (row, (mark, label)) in legend.into_iter().enumerate() {
        let top = GRID_TOP + legend_pitch * row as f32 + (legend_pitch - sample) / 2.0;
        match mark {
            Some(mark) => draw_mark(canvas, LEGEND_LEFT, top, sample, mark),
            None => {
                draw_mark(canvas, LEGEND_LEFT, top, sample, DayMark::NoPost);
                draw_today_ring(canvas, LEGEND_LEFT, top, sample);
            }
        }
        let (style, label) = small.fit(label, 12.0, RIGHT_EDGE - (LEGEND_LEFT + sample + 14.0));
        style.draw(
            canvas,
            LEGEND_LEFT + sample + 14.0,
            top + sample / 2.0 + 5.0,
            &label,
            palette::TEXT,
        );
    }
    Ok(())
}

/// Month names above the weeks in which a month begins (and above the first week, when there
/// is room before the next name).
fn draw_month_labels(canvas: &mut Pixmap, style: Style, start: NaiveDate) {
    let mut labels: Vec<(usize, NaiveDate)> = Vec::new();
    for week in 0..GRID_WEEKS {
        let monday = start + Days::new(7 * week as u64);
        let first_of_month = (0..7)
            .map(|day| monday + Days::new(day))
            .find(|date| date.day() == 1);
        if let Some(first) = first_of_month {
            labels.push((week, first));
        }
    }
    // A name takes about two columns; leave the first week unnamed if the next name is close.
    if labels.first().is_none_or(|&(week, _)| week >= 3) {
        labels.insert(0, (0, start));
    }
    for (week, date) in labels {
        let text = date.format("%b").to_string();
        style.draw(
            canvas,
            GRID_LEFT + CELL_PITCH * week as f32,
            MONTH_BASELINE,
            &text,
            palette::MUTED,
        );
    }
}

fn draw_mark(canvas: &mut Pixmap, left: f32, top: f32, size: f32, mark: DayMark) {
    let radius = size * 0.2;
    let cell = rect_path(left, top, size, size, radius);
    let line = (size * 0.11).max(2.0);
    match mark {
        DayMark::Right => {
            fill(canvas, cell.as_ref(), palette::RIGHT);
            let mut tick = PathBuilder::new();
            tick.move_to(left + size * 0.25, top + size * 0.52);
            tick.line_to(left + size * 0.43, top + size * 0.70);
            tick.line_to(left + size * 0.76, top + size * 0.32);
            stroke(
                canvas,
                tick.finish().as_ref(),
                palette::BACKGROUND,
                line,
                None,
            );
        }
        DayMark::Wrong => {
            fill(canvas, cell.as_ref(), palette::WRONG);
            let mut cross = PathBuilder::new();
            let (near, far) = (size * 0.3, size * 0.7);
            cross.move_to(left + near, top + near);
            cross.line_to(left + far, top + far);
            cross.move_to(left + far, top + near);
            cross.line_to(left + near, top + far);
            stroke(
                canvas,
                cross.finish().as_ref(),
                palette::BACKGROUND,
                line,
                None,
            );
        }
        DayMark::Missed => {
            let inset = 1.0;
            let outline = rect_path(
                left + inset,
                top + inset,
                size - 2.0 * inset,
                size - 2.0 * inset,
                radius,
            );
            stroke(canvas, outline.as_ref(), palette::MISSED, 2.0, None);
        }
        DayMark::NoPost => {
            fill(canvas, cell.as_ref(), palette::NO_POST);
        }
        DayMark::BeforeFirstAnswer => {
            // A posted question, drawn as quietly as possible: it is not held against anyone.
            fill(canvas, cell.as_ref(), palette::NO_POST);
            let dot = size * 0.12;
            let mut centre = PathBuilder::new();
            centre.push_circle(left + size / 2.0, top + size / 2.0, dot);
            fill(canvas, centre.finish().as_ref(), palette::UPCOMING);
        }
        DayMark::Upcoming => {
            let inset = 1.0;
            let outline = rect_path(
                left + inset,
                top + inset,
                size - 2.0 * inset,
                size - 2.0 * inset,
                radius,
            );
            stroke(
                canvas,
                outline.as_ref(),
                palette::UPCOMING,
                1.5,
                Some((3.0, 3.0)),
            );
        }
    }
}

fn draw_today_ring(canvas: &mut Pixmap, left: f32, top: f32, size: f32) {
    let gap = 3.0;
    let ring = rect_path(
        left - gap,
        top - gap,
        size + 2.0 * gap,
        size + 2.0 * gap,
        size * 0.2 + gap,
    );
    stroke(canvas, ring.as_ref(), palette::TEXT, 2.0, None);
}

fn as_strs(strings: &[String]) -> Vec<&str> {
    strings.iter().map(String::as_str).collect()
}

/// A rectangle with rounded corners (`radius` 0 gives square ones).
fn rect_path(left: f32, top: f32, width: f32, height: f32, radius: f32) -> Option<Path> {
    let radius = radius.min(width / 2.0).min(height / 2.0).max(0.0);
    if radius == 0.0 {
        return Rect::from_xywh(left, top, width, height).map(PathBuilder::from_rect);
    }
    let (right, bottom) = (left + width, top + height);
    // Control points at 0.552 of the radius make a cubic curve a close quarter circle.
    let k = radius * 0.552_284_8;
    let mut path = PathBuilder::new();
    path.move_to(left + radius, top);
    path.line_to(right - radius, top);
    path.cubic_to(
        right - radius + k,
        top,
        right,
        top + radius - k,
        right,
        top + radius,
    );
    path.line_to(right, bottom - radius);
    path.cubic_to(
        right,
        bottom - radius + k,
        right - radius + k,
        bottom,
        right - radius,
        bottom,
    );
    path.line_to(left + radius, bottom);
    path.cubic_to(
        left + radius - k,
        bottom,
        left,
        bottom - radius + k,
        left,
        bottom - radius,
    );
    path.line_to(left, top + radius);
    path.cubic_to(
        left,
        top + radius - k,
        left + radius - k,
        top,
        left + radius,
        top,
    );
    path.close();
    path.finish()
}

fn fill(canvas: &mut Pixmap, path: Option<&Path>, color: ColorU8) {
    if let Some(path) = path {
        canvas.fill_path(
            path,
            &paint(color),
            FillRule::Winding,
            Transform::identity(),
            None,
        );
    }
}

/// Strokes `path`; `dash` is (on, off) lengths for a dashed line.
fn stroke(
    canvas: &mut Pixmap,
    path: Option<&Path>,
    color: ColorU8,
    width: f32,
    dash: Option<(f32, f32)>,
) {
    let Some(path) = path else { return };
    let stroke = Stroke {
        width,
        line_cap: tiny_skia::LineCap::Round,
        line_join: tiny_skia::LineJoin::Round,
        dash: dash.and_then(|(on, off)| StrokeDash::new(vec![on, off], 0.0)),
        ..Stroke::default()
    };
    canvas.stroke_path(path, &paint(color), &stroke, Transform::identity(), None);
}

fn paint(color: ColorU8) -> Paint<'static> {
    let mut paint = Paint::default();
    paint.set_color_rgba8(color.red(), color.green(), color.blue(), color.alpha());
    paint.anti_alias = true;
    paint
}
