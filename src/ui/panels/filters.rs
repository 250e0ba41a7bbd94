//! Learned filters: conv1's filters as k×k tiles; a deeper conv layer as one row per output
//! filter with one tile per input channel (a filter is as deep as its input). One zoom for the
//! panel, chosen by the scale chooser; signed colour scale with zero in the middle and its
//! legend; `▶` marks the selected filter.

use crate::ui::app::{App, Panel};
use crate::ui::panels::{panel_block, title_extra};
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::Heatmap;
use crate::ui::widgets::legend::Legend;
use crate::ui::widgets::parts::{Part, fit_parts};
use ndarray::{Array4, s};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

#[path = "filters_layout.rs"]
mod layout;
pub use layout::{FilterLayout, Tile, filter_layout, filter_layout_of};

pub fn render_filters(app: &App, area: Rect, buf: &mut Buffer) {
    let inner = panel_block(app, Panel::Filters, "").inner(area);
    let layout = filter_layout(app, inner);
    let mode = if app.per_layer {
        "scale per layer"
    } else {
        "scale per map"
    };
    let mut parts = vec![
        (6, mode.to_string()),
        (
            7,
            format!(
                "selected conv{} #{}",
                app.selected_block + 1,
                app.selected_filter + 1
            ),
        ),
    ];
    if let Some(l) = &layout {
        parts.insert(0, (9, l.zoom.label()));
    }
    let extra = title_extra(Panel::Filters, parts, area.width);
    panel_block(app, Panel::Filters, &extra).render(area, buf);
    let (Some(snap), Some(layout)) = (&app.snapshot, layout) else {
        super::render_waiting(inner, buf);
        return;
    };
    draw_filters(app, &snap.filters, &layout, inner, buf);
    mark_dead(app, &layout, inner, buf);
}

/// Draw `filters` (each conv layer's `(out, in, k, k)`) where `layout` puts them in `inner`:
/// the panel's, or a time-lapse frame's.
pub fn draw_filters(
    app: &App,
    filters: &[Array4<f32>],
    layout: &FilterLayout,
    inner: Rect,
    buf: &mut Buffer,
) {
    for (text, row) in &layout.caption {
        Line::from(text.as_str()).dark_gray().render(*row, buf);
    }
    for (i, &(layer, rect)) in layout.labels.iter().enumerate() {
        let channels = layout.channels.filter(|_| layer > 0);
        let line = label_line(
            app,
            &filters[layer],
            layer,
            (layout.windows[i], channels),
            rect.width,
        );
        line.render(rect, buf);
    }
    for tile in &layout.tiles {
        render_tile(app, filters, tile, inner, buf);
    }
}

/// A red ✗ left of each dead filter's first tile (below the `▶` of a selected one).
fn mark_dead(app: &App, layout: &FilterLayout, inner: Rect, buf: &mut Buffer) {
    let Some(found) = super::dead::dead_filters(app) else {
        return;
    };
    for tile in &layout.tiles {
        if tile.channel != 0 || tile.rect.x <= inner.x || !found.contains(tile.block, tile.filter) {
            continue;
        }
        let selected = (tile.block, tile.filter) == (app.selected_block, app.selected_filter);
        let y = tile.rect.y + u16::from(selected) * tile.rect.height.saturating_sub(1);
        if selected && tile.rect.height < 2 {
            continue;
        }
        let red = app.colors.color((255, 90, 90)).unwrap_or(Color::Reset);
        buf[(tile.rect.x - 1, y)]
            .set_char(super::dead::cross(app.glyphs))
            .set_style(Style::new().fg(red).bold());
    }
}

/// One filter tile, its `▶` when selected and its row number in the grid.
fn render_tile(app: &App, filters: &[Array4<f32>], tile: &Tile, inner: Rect, buf: &mut Buffer) {
    let w = &filters[tile.block];
    let data = w.slice(s![tile.filter, tile.channel, .., ..]);
    let scale = if app.per_layer {
        Scale::fit(w.iter().copied(), true)
    } else {
        Scale::fit(data.iter().copied(), true)
    };
    Heatmap {
        data,
        scale,
        glyphs: app.glyphs,
        colors: app.colors,
    }
    .render(tile.rect, buf);
    let selected = tile.block == app.selected_block && tile.filter == app.selected_filter;
    if selected && tile.channel == 0 && tile.rect.x > inner.x {
        buf[(tile.rect.x - 1, tile.rect.y)]
            .set_char('▶')
            .set_style(Style::new().fg(Color::Cyan).bold());
    }
    if tile.block > 0 && tile.channel == 0 && tile.rect.x >= inner.x + 2 {
        let width = (tile.rect.x - inner.x - 1) as usize;
        let label = format!("{:>width$}", tile.filter + 1);
        buf.set_string(
            inner.x,
            tile.rect.y,
            label,
            Style::new().fg(Color::DarkGray),
        );
    }
}

/// `conv2 16×(8×3×3) · 1–5 of 16 ↑↓ · -0.82 ▕legend▏ +0.80`: the shape, the filters (and
/// input channels) shown when not all are, and the colour legend; the least useful parts
/// dropped when narrow.
fn label_line(
    app: &App,
    w: &Array4<f32>,
    layer: usize,
    (window, channels): ((usize, usize, usize), Option<(usize, usize)>),
    width: u16,
) -> Line<'static> {
    let (n, c, k, _) = w.dim();
    let mut parts = vec![Part::new(
        9,
        vec![format!("conv{} {n}×({c}×{k}×{k})", layer + 1).bold()],
    )];
    let (first, shown, total) = window;
    if shown < total {
        let keys = if app.selected_block == layer {
            "↑↓"
        } else {
            "[ ]"
        };
        let text = format!("{}–{} of {total} {keys}", first + 1, first + shown);
        parts.push(Part::new(8, vec![Span::raw(text).yellow()]));
    }
    if let Some((shown, all)) = channels.filter(|(s, a)| s < a) {
        let text = format!("{shown} of {all} channels");
        parts.push(Part::new(7, vec![Span::raw(text).yellow()]));
    }
    let (lo, hi) = w
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let legend = Legend {
        scale: Scale::fit(w.iter().copied(), true),
        range: app.per_layer.then_some((lo, hi)),
        glyphs: app.glyphs,
        colors: app.colors,
    };
    parts.push(Part::new(6, legend.spans(7)));
    fit_parts(parts, Span::raw(" · ").dark_gray(), width as usize)
}

/// The (conv layer, filter) of the tile at `pos`, or of the tile just right of it.
pub fn tile_at(app: &App, inner: Rect, pos: Position) -> Option<(usize, usize)> {
    let layout = filter_layout(app, inner)?;
    let hit = |p: Position| layout.tiles.iter().find(|t| t.rect.contains(p));
    let right = Position::new(pos.x.saturating_add(1), pos.y);
    hit(pos).or_else(|| hit(right)).map(|t| (t.block, t.filter))
}
