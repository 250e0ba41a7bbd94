//! The fc-vs-cnn screen's weights page: what an FC unit looks at (its 784 weights as a 28×28
//! map) beside conv1's 3×3 filters, each used at every position of the image.

use crate::nn::plan::INPUT_SIDE;
use crate::ui::app::App;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::Heatmap;
use ndarray::{ArrayView2, Axis};
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph, Widget, Wrap};

pub fn render_weights_page(app: &App, area: Rect, buf: &mut Buffer) {
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(55), Constraint::Percentage(45)]).areas(area);
    render_units(app, left, buf);
    render_filters(app, right, buf);
}

/// A square map's size that fits `area`, in cells (width, height): a cell is about twice as
/// tall as wide, so twice as many columns as rows.
fn square(area: Rect) -> (u16, u16) {
    let rows = area.height.min(area.width / 2).max(1);
    (2 * rows, rows)
}

fn signed_map(app: &App, data: ArrayView2<'_, f32>, area: Rect, buf: &mut Buffer) {
    Heatmap {
        data,
        scale: Scale::fit(data.iter().copied(), true),
        glyphs: app.glyphs,
        colors: app.colors,
    }
    .render(area, buf);
}

/// The selected unit large, the others small under it.
fn render_units(app: &App, area: Rect, buf: &mut Buffer) {
    let c = &app.compare;
    let block = Block::bordered().title(format!(
        " MLP fc1: unit {} of {} (←/→), 784 weights each ",
        c.unit + 1,
        c.units()
    ));
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(w) = &c.weights else {
        Line::raw("waiting for the baseline's first weights").render(inner, buf);
        return;
    };
    let big_rows = inner.height * 2 / 3;
    let [big, small] =
        Layout::vertical([Constraint::Length(big_rows), Constraint::Fill(1)]).areas(inner);
    let (bw, bh) = square(big);
    let unit = w
        .first_layer
        .index_axis(Axis(0), c.unit.min(w.first_layer.nrows() - 1));
    let image = unit
        .to_shape((INPUT_SIDE, INPUT_SIDE))
        .expect("784 weights: a 28x28 map"); // (784) → (28,28)
    signed_map(
        app,
        image.view(),
        Rect::new(big.x, big.y, bw.min(big.width), bh),
        buf,
    );
    let note = Rect::new(
        big.x + bw + 1,
        big.y,
        big.width.saturating_sub(bw + 1),
        big.height,
    );
    if note.width >= 20 {
        Paragraph::new(vec![
            Line::raw("One weight per pixel."),
            Line::raw("Warm: ink there raises"),
            Line::raw("the unit; cool lowers."),
            Line::raw(""),
            Line::raw("Shift the digit and"),
            Line::raw("other weights see it.").dim(),
        ])
        .render(note, buf);
    }
    let n = w.first_layer.nrows();
    let (thumb, per_row) = thumb_grid(small, n);
    for i in 0..n {
        let (r, col) = (i as u16 / per_row, i as u16 % per_row);
        let (x, y) = (small.x + col * (2 * thumb + 1), small.y + r * (thumb + 1));
        if y + thumb > small.bottom() {
            break;
        }
        let row = w.first_layer.index_axis(Axis(0), i);
        let img = row.to_shape((INPUT_SIDE, INPUT_SIDE)).expect("784 weights");
        signed_map(app, img.view(), Rect::new(x, y, 2 * thumb, thumb), buf);
    }
}

/// The largest thumbnail height (rows; twice as many columns) at which `n` thumbnails fit in
/// `area` in a grid, and how many go in a row. At least 2 rows high.
fn thumb_grid(area: Rect, n: usize) -> (u16, u16) {
    let n = n.max(1) as u16;
    for h in (2..=area.height.max(2)).rev() {
        let per_row = ((area.width + 1) / (2 * h + 1)).max(1);
        let rows = (area.height + 1) / (h + 1);
        if per_row * rows >= n {
            return (h, per_row);
        }
    }
    (2, ((area.width + 1) / 5).max(1))
}

/// conv1's filters, each a 3×3 (or k×k) map.
fn render_filters(app: &App, area: Rect, buf: &mut Buffer) {
    let block = Block::bordered().title(" CNN conv1: its filters, each used everywhere ");
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(filters) = app.snapshot.as_ref().and_then(|s| s.filters.first()) else {
        Line::raw("waiting for the first snapshot").render(inner, buf);
        return;
    };
    let (f, _, k, _) = filters.dim();
    let params = filters.len() + f;
    let [text, maps] = Layout::vertical([Constraint::Length(4), Constraint::Fill(1)]).areas(inner);
    Paragraph::new(vec![
        Line::raw(format!(
            "{f} filters of {k}x{k}: {params} parameters in all, each filter slid over all 784 positions."
        )),
        Line::raw("Same weights everywhere: a shifted digit gives a shifted map.").dim(),
    ])
    .wrap(Wrap { trim: true })
    .render(text, buf);
    let side = thumb_grid(maps, f).0.min(6);
    let per_row = ((maps.width + 1) / (2 * side + 1)).max(1);
    for i in 0..f {
        let (r, col) = (i as u16 / per_row, i as u16 % per_row);
        let (x, y) = (maps.x + col * (2 * side + 1), maps.y + r * (side + 1));
        if y + side > maps.bottom() {
            break;
        }
        let kernel = filters.index_axis(Axis(0), i);
        let first = kernel.index_axis(Axis(0), 0); // (in,k,k) → (k,k), conv1 has one input
        signed_map(app, first, Rect::new(x, y, 2 * side, side), buf);
    }
}
