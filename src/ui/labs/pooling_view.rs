//! The pooling lab: one map after conv1's ReLU, pooled with max and with average from the
//! same trained filters, and their difference (where the two disagree most); then the
//! validation accuracy of the current weights with every pooling layer max or average,
//! switched without retraining and after a short fine-tune of each (`pooling_text`).

use super::pooling_text::accuracy_lines;
use super::pooling_window::{widest_window, window_lines};
use super::view::picture;
use crate::nn::plan::{LayerId, PoolKind};
use crate::nn::reference::{Pooling, pool_map};
use crate::ui::app::App;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::scale::Zoom;
use ndarray::{Array2, ArrayView2, Axis};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// A pooled pixel counts as different when max and average differ by more than this share of
/// the map's peak.
const DIFFERENT: f32 = 0.1;
/// Rows under the pictures: the accuracies switched and fine-tuned, what they show, and the
/// count of pooled pixels that differ.
const BOTTOM_ROWS: u16 = 4;

/// Columns between two pictures.
const GAP: u16 = 2;
/// The largest zoom tried for the ReLU map.
const MAX_ZOOM: u16 = 4;

/// The zooms of the pictures: the ReLU map's, if it fits at 1:1 or more, and the pooled
/// maps', `window` times larger so that all four show the digit at one size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PictureFit {
    pub relu: Option<Zoom>,
    pub pooled: Zoom,
}

/// The largest zooms at which the ReLU map `relu` (h, w) and the three pooled maps `pooled`
/// fit side by side in `room` (columns, rows; a caption row above each); without the ReLU map
/// when it cannot be drawn at 1:1 (80×24 in half-blocks), the pooled maps alone then.
pub fn fit_pictures(
    room: (u16, u16),
    relu: (usize, usize),
    pooled: (usize, usize),
    ppc: (usize, usize),
) -> PictureFit {
    let window = (relu.0 / pooled.0.max(1)).max(1) as u16;
    let fits = |pics: &[(u16, u16)]| {
        let width: u16 = pics.iter().map(|c| c.0 + GAP).sum::<u16>() - GAP;
        width <= room.0 && pics.iter().all(|c| c.1 < room.1) // a caption row above each
    };
    for z in (1..=MAX_ZOOM).rev() {
        let (r, p) = (
            Zoom::Up(z).cells(relu, ppc),
            Zoom::Up(z * window).cells(pooled, ppc),
        );
        if fits(&[r, p, p, p]) {
            return PictureFit {
                relu: Some(Zoom::Up(z)),
                pooled: Zoom::Up(z * window),
            };
        }
    }
    let pooled = (1..=MAX_ZOOM * window)
        .rev()
        .map(Zoom::Up)
        .find(|z| {
            let p = z.cells(pooled, ppc);
            fits(&[p, p, p])
        })
        .unwrap_or(Zoom::Up(1));
    PictureFit { relu: None, pooled }
}

/// A picture's caption with its zoom where that fits the picture's `width`.
fn caption(text: String, zoom: Zoom, width: u16) -> String {
    let with = format!("{text} {}", zoom.label());
    if with.chars().count() <= width as usize {
        with
    } else {
        text
    }
}

/// One channel `(H, W)` pooled both ways with a `window`: (max, average).
pub fn both_ways(map: ArrayView2<f32>, window: usize) -> (Array2<f32>, Array2<f32>) {
    let x = map.insert_axis(Axis(0)); // (H,W) → (1,H,W)
    let pool = |op| pool_map(x, op, window).index_axis_move(Axis(0), 0);
    (pool(Pooling::Max), pool(Pooling::Avg))
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(snap) = &app.snapshot else {
        Line::from("waiting for the first snapshot…").render(area, buf);
        return;
    };
    let Some(relu) = snap.feature_maps.iter().find(|m| m.id == LayerId::relu(0)) else {
        return;
    };
    let block = snap.blocks.first().copied();
    let window = block.map_or(2, |b| b.pool_size.max(1));
    let kind = block.map_or(PoolKind::Max, |b| b.pool);
    let channels = relu.maps.dim().0.max(1);
    let ch = app.labs.channel % channels;
    let map = relu.maps.index_axis(Axis(0), ch);
    let (max, avg) = both_ways(map, window);
    let diff = &max - &avg; // ≥ 0: a max is never below the mean
    let peak = map.iter().fold(0.0f32, |m, &v| m.max(v));
    let differ = diff.iter().filter(|&&d| d > DIFFERENT * peak).count();
    let trained = match kind {
        PoolKind::None => format!("conv1 has no pooling; shown with a {window}×{window} window"),
        k => format!("conv1 trains with {k} pooling, {window}×{window}"),
    };
    let head = format!("relu1 map #{} of {channels} (←/→) · {trained}", ch + 1);
    Paragraph::new(Line::from(head)).render(
        Rect {
            height: 1.min(area.height),
            ..area
        },
        buf,
    );
    let pics = Rect::new(
        area.x,
        area.y + 1,
        area.width,
        area.height.saturating_sub(BOTTOM_ROWS + 1),
    );
    let scale = Scale::fit(map.iter().copied(), false);
    let (h, w) = map.dim();
    let (ph, pw) = max.dim();
    let ppc = app.glyphs.pixels_per_cell();
    let fit = fit_pictures((pics.width, pics.height), (h, w), (ph, pw), ppc);
    let mut x = pics.x;
    let mut place = |cells: (u16, u16)| {
        let rect = Rect::new(x, pics.y, cells.0, cells.1 + 1).intersection(pics);
        x += cells.0 + GAP;
        rect
    };
    let mut below = pics.y;
    if let Some(zoom) = fit.relu {
        let rect = place(zoom.cells((h, w), ppc));
        below = rect.bottom();
        let text = caption(format!("relu1 {h}×{w}"), zoom, rect.width);
        picture(app, rect, &text, map, scale, buf);
    }
    let cells = fit.pooled.cells((ph, pw), ppc);
    let rect = place(cells);
    below = below.max(rect.bottom());
    let text = caption(format!("max {ph}×{pw}"), fit.pooled, cells.0);
    picture(app, rect, &text, max.view(), scale, buf);
    let text = caption(format!("average {ph}×{pw}"), fit.pooled, cells.0);
    picture(app, place(cells), &text, avg.view(), scale, buf);
    picture(app, place(cells), "max − average", diff.view(), scale, buf);
    render_example(
        map,
        diff.view(),
        window,
        Rect::new(
            pics.x,
            below + 1,
            pics.width,
            pics.bottom().saturating_sub(below + 1),
        ),
        buf,
    );
    if fit.relu.is_none() && below < pics.bottom() {
        let rows = Zoom::Up(1).cells((h, w), ppc).1 + 1;
        let note = format!(
            "relu1 {h}×{w} left out: at 1:1 it needs {rows} rows (a taller terminal, or g: braille)"
        );
        Paragraph::new(note)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .render(
                Rect::new(pics.x, below, pics.width, pics.bottom() - below),
                buf,
            );
    }
    let mut lines = accuracy_lines(app.labs.pooling.as_ref(), app.colors);
    let mut differ_line = format!(
        "max − average > {:.0} % of the peak at {differ} of {} pooled pixels",
        100.0 * DIFFERENT,
        diff.len()
    );
    if area.width >= 110 {
        differ_line.push_str(": windows with one strong pixel among weak ones");
    }
    lines.push(Line::from(differ_line));
    let rows = BOTTOM_ROWS.min(area.height);
    let bottom = Rect::new(area.x, area.bottom().saturating_sub(rows), area.width, rows);
    Paragraph::new(lines)
        .wrap(ratatui::widgets::Wrap { trim: true })
        .render(bottom, buf);
}

/// The worked example of one window under the pictures, where the rows allow it all.
fn render_example(
    map: ArrayView2<f32>,
    diff: ArrayView2<f32>,
    window: usize,
    area: Rect,
    buf: &mut Buffer,
) {
    let Some(at) = widest_window(diff) else {
        return;
    };
    let lines = window_lines(map, window, at);
    // Wrapped, not cut: each line takes as many rows as its width needs.
    let width = area.width.max(1) as usize;
    let rows: usize = lines.iter().map(|l| l.width().div_ceil(width).max(1)).sum();
    if area.height as usize >= rows {
        Paragraph::new(lines)
            .wrap(ratatui::widgets::Wrap { trim: false })
            .render(area, buf);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::array;

    #[test]
    fn max_keeps_the_strongest_and_average_the_mean() {
        let map = array![
            [1.0, 0.0, 0.5, 0.5],
            [0.0, 0.0, 0.5, 0.5],
            [0.0, 0.0, 0.0, 0.0],
            [0.0, 0.0, 0.0, 4.0]
        ];
        let (max, avg) = both_ways(map.view(), 2);
        assert_eq!(max, array![[1.0, 0.5], [0.0, 4.0]]);
        assert_eq!(avg, array![[0.25, 0.5], [0.0, 1.0]]);
    }

    const HALF: (usize, usize) = (1, 2);

    #[test]
    fn pictures_are_never_drawn_below_one_to_one() {
        // 160x48: the page has about 160 columns and 28 rows for the pictures.
        let wide = fit_pictures((160, 28), (28, 28), (14, 14), HALF);
        assert_eq!(
            wide,
            PictureFit {
                relu: Some(Zoom::Up(1)),
                pooled: Zoom::Up(2)
            }
        );
        let big = fit_pictures((240, 60), (28, 28), (14, 14), HALF);
        assert_eq!(big.relu, Some(Zoom::Up(2)));
        // 80x24: 12 rows; the ReLU map would need 15, the pooled ones fit at 1:1.
        let small = fit_pictures((80, 12), (28, 28), (14, 14), HALF);
        assert_eq!(
            small,
            PictureFit {
                relu: None,
                pooled: Zoom::Up(1)
            }
        );
    }
}
