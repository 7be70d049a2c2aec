//! Text on the canvas: glyph outlines from ab_glyph, filled by tiny-skia as paths, so text is
//! anti-aliased the same way as every other shape.

use std::sync::LazyLock;

use ab_glyph::{Font, FontRef, GlyphId, OutlineCurve, PxScale, ScaleFont};
use tiny_skia::{ColorU8, FillRule, Paint, PathBuilder, Pixmap, Transform};

use super::PictureError;

/// DejaVu Sans (Bitstream Vera licence, see `assets/fonts/LICENSE-DejaVu.txt`): wide coverage
/// of Latin, Greek and Cyrillic names, and clear digits at small sizes.
static REGULAR_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_FONT: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

const ELLIPSIS: char = '…';

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Weight {
    Regular,
    Bold,
}

struct Fonts {
    regular: FontRef<'static>,
    bold: FontRef<'static>,
}

// Parsed once: the font files are compiled in and never change.
static FONTS: LazyLock<Result<Fonts, ab_glyph::InvalidFont>> = LazyLock::new(|| {
    Ok(Fonts {
        regular: FontRef::try_from_slice(REGULAR_FONT)?,
        bold: FontRef::try_from_slice(BOLD_FONT)?,
    })
});

/// A font at one size: measures and draws single lines.
#[derive(Clone, Copy)]
pub(super) struct Style {
    font: &'static FontRef<'static>,
    pub(super) px: f32,
}

impl Style {
    pub(super) fn new(weight: Weight, px: f32) -> Result<Style, PictureError> {
        let fonts = FONTS.as_ref().map_err(|_| PictureError::Font)?;
        let font = match weight {
            Weight::Regular => &fonts.regular,
            Weight::Bold => &fonts.bold,
        };
        Ok(Style { font, px })
    }

    pub(super) fn with_px(self, px: f32) -> Style {
        Style { px, ..self }
    }

    /// Width of `text` on one line, in pixels.
    pub(super) fn width(&self, text: &str) -> f32 {
        let scaled = self.font.as_scaled(PxScale::from(self.px));
        let mut caret = 0.0;
        let mut previous: Option<GlyphId> = None;
        for id in self.glyph_ids(text) {
            if let Some(previous) = previous {
                caret += scaled.kern(previous, id);
            }
            caret += scaled.h_advance(id);
            previous = Some(id);
        }
        caret
    }

    /// Draws `text` with its left end at `x` and its baseline at `baseline`; returns the width.
    pub(super) fn draw(
        &self,
        canvas: &mut Pixmap,
        x: f32,
        baseline: f32,
        text: &str,
        color: ColorU8,
    ) -> f32 {
        let scaled = self.font.as_scaled(PxScale::from(self.px));
        let (h_scale, v_scale) = (scaled.h_scale_factor(), scaled.v_scale_factor());
        let mut path = PathBuilder::new();
        let mut caret = 0.0;
        let mut previous: Option<GlyphId> = None;
        for id in self.glyph_ids(text) {
            if let Some(previous) = previous {
                caret += scaled.kern(previous, id);
            }
            if let Some(outline) = self.font.outline(id) {
                let origin = x + caret;
                let place = |point: ab_glyph::Point| {
                    (origin + point.x * h_scale, baseline - point.y * v_scale)
                };
                // Outlines come as a flat list of curves; a curve that does not start where the
                // previous one ended opens a new contour.
                let mut contour_end: Option<ab_glyph::Point> = None;
                for curve in &outline.curves {
                    let (start, end) = match *curve {
                        OutlineCurve::Line(a, b) => (a, b),
                        OutlineCurve::Quad(a, _, b) => (a, b),
                        OutlineCurve::Cubic(a, _, _, b) => (a, b),
                    };
                    if contour_end != Some(start) {
                        if contour_end.is_some() {
                            path.close();
                        }
                        let (sx, sy) = place(start);
                        path.move_to(sx, sy);
                    }
                    match *curve {
                        OutlineCurve::Line(_, b) => {
                            let (bx, by) = place(b);
                            path.line_to(bx, by);
                        }
                        OutlineCurve::Quad(_, c, b) => {
                            let ((cx, cy), (bx, by)) = (place(c), place(b));
                            path.quad_to(cx, cy, bx, by);
                        }
                        OutlineCurve::Cubic(_, c1, c2, b) => {
                            let ((c1x, c1y), (c2x, c2y), (bx, by)) =
                                (place(c1), place(c2), place(b));
                            path.cubic_to(c1x, c1y, c2x, c2y, bx, by);
                        }
                    }
                    contour_end = Some(end);
                }
                if contour_end.is_some() {
                    path.close();
                }
            }
            caret += scaled.h_advance(id);
            previous = Some(id);
        }
        if let Some(path) = path.finish() {
            let mut paint = Paint::default();
            paint.set_color_rgba8(color.red(), color.green(), color.blue(), color.alpha());
            paint.anti_alias = true;
            // TrueType contours are wound so that holes (the inside of an "o") cancel out.
            canvas.fill_path(
                &path,
                &paint,
                FillRule::Winding,
                Transform::identity(),
                None,
            );
        }
        caret
    }

    /// `text` as it fits in `max_width`: at this size if it can, else at a smaller size down to
    /// `min_px`, else cut with an ellipsis at `min_px`.
    pub(super) fn fit(&self, text: &str, min_px: f32, max_width: f32) -> (Style, String) {
        let mut style = *self;
        // Shrink in steps of a pixel: few enough to stay cheap, fine enough to look deliberate.
        while style.width(text) > max_width && style.px - 1.0 >= min_px {
            style = style.with_px(style.px - 1.0);
        }
        if style.width(text) <= max_width {
            return (style, text.to_string());
        }
        (style, style.truncate(text, max_width))
    }

    /// The first of `candidates` (longest first) that fits in `max_width` at a size down to
    /// `min_px`; when none does, the last one cut by [`Style::fit`].
    pub(super) fn fit_first(
        &self,
        candidates: &[&str],
        min_px: f32,
        max_width: f32,
    ) -> (Style, String) {
        for candidate in candidates {
            let (style, fitted) = self.fit(candidate, min_px, max_width);
            if fitted == *candidate {
                return (style, fitted);
            }
        }
        let last = candidates.last().copied().unwrap_or_default();
        self.fit(last, min_px, max_width)
    }

    /// The longest start of `text` that, with an ellipsis, fits in `max_width`.
    pub(super) fn truncate(&self, text: &str, max_width: f32) -> String {
        if self.width(text) <= max_width {
            return text.to_string();
        }
        let mut kept: Vec<char> = text.chars().collect();
        while !kept.is_empty() {
            kept.pop();
            let candidate: String = kept.iter().collect::<String>().trim_end().to_string() + "…";
            if self.width(&candidate) <= max_width {
                return candidate;
            }
        }
        ELLIPSIS.to_string()
    }

    fn glyph_ids<'a>(&'a self, text: &'a str) -> impl Iterator<Item = GlyphId> + 'a {
        // Control characters (a newline in a nickname) would draw as boxes; they carry nothing.
        text.chars()
            .filter(|c| !c.is_control())
            .map(|c| self.font.glyph_id(c))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_line_is_cut_with_an_ellipsis_and_fits() {
        let style = Style::new(Weight::Bold, 34.0).unwrap();
        let long = "Wilhelmina Konstantinopoulou-Vanderbilt ".repeat(4);
        let cut = style.truncate(&long, 300.0);
        assert!(cut.ends_with('…'), "{cut}");
        assert!(style.width(&cut) <= 300.0);
        assert!(cut.chars().count() > 5, "{cut}");
        assert_eq!(style.truncate("Ada", 300.0), "Ada");
    }

    #[test]
    fn text_shrinks_before_it_is_cut_and_a_shorter_form_wins_over_cutting() {
        let style = Style::new(Weight::Regular, 20.0).unwrap();
        let text = "4,294,967,295";
        let width = style.width(text);
        let (shrunk, kept) = style.fit(text, 12.0, width * 0.8);
        assert_eq!(kept, text);
        assert!(shrunk.px < 20.0 && shrunk.width(text) <= width * 0.8);

        let (_, chosen) = style.fit_first(&[text, "4.29B"], 18.0, width * 0.6);
        assert_eq!(chosen, "4.29B");
    }

    #[test]
    fn control_characters_take_no_space() {
        let style = Style::new(Weight::Regular, 16.0).unwrap();
        assert_eq!(style.width("a\nb"), style.width("ab"));
    }
}
