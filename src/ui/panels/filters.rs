//! Learned filters: conv1's filters as k×k tiles; a deeper conv layer as one row per output
//! filter with one tile per input channel (a filter is as deep as its input). Signed colour
//! scale with zero in the middle; `▶` marks the selected filter.

use crate::ui::app::{App, Panel};
use crate::ui::panels::panel_block;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::{Heatmap, legend};
use ndarray::{Array4, s};
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// One tile: filter `filter` of conv layer `block`, input channel `channel`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    pub block: usize,
    pub filter: usize,
    pub channel: usize,
    pub rect: Rect,
}

/// Where the filters panel puts its labels and tiles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterLayout {
    /// Label rows: (conv layer index, row).
    pub labels: Vec<(usize, Rect)>,
    pub tiles: Vec<Tile>,
    /// Grid rows shown, as (first, shown, total) output filters.
    pub window: Option<(usize, usize, usize)>,
}

/// Text rows for `px` pixels at two pixels a row; an even height gets one blank row below.
fn rows_for(px: usize) -> u16 {
    (px / 2 + 1) as u16
}

/// The layout of conv1's tiles and of the grid of the selected block's layer (or conv2).
pub fn filter_layout(app: &App, inner: Rect) -> Option<FilterLayout> {
    let filters = &app.snapshot.as_ref()?.filters;
    let mut out = FilterLayout {
        labels: Vec::new(),
        tiles: Vec::new(),
        window: None,
    };
    let first = filters.first()?;
    let mut y = inner.y;
    out.labels.push((0, Rect::new(inner.x, y, inner.width, 1)));
    y += 1;
    y += conv1_tiles(first, inner, y, &mut out.tiles);
    let layer = app.selected_block.max(1);
    if let Some(weights) = filters.get(layer) {
        y += 1;
        out.labels
            .push((layer, Rect::new(inner.x, y, inner.width, 1)));
        // The grid leaves the panel's last row for its explanation.
        let area = Rect::new(
            inner.x,
            y + 1,
            inner.width,
            inner.bottom().saturating_sub(y + 2),
        );
        let selected = (app.selected_block == layer).then_some(app.selected_filter);
        out.window = grid_tiles(weights, layer, area, selected, &mut out.tiles);
    }
    out.tiles
        .retain(|t| inner.contains(t.rect.as_position()) && t.rect.bottom() <= inner.bottom());
    out.labels.retain(|(_, r)| r.y < inner.bottom());
    Some(out)
}

/// conv1's tiles, as large as fits in a third of the height; returns the rows used.
fn conv1_tiles(w: &Array4<f32>, inner: Rect, y: u16, tiles: &mut Vec<Tile>) -> u16 {
    let (n, _, k, _) = w.dim();
    let avail = inner.width.saturating_sub(1) as usize;
    let budget = (inner.height / 3).max(2);
    let mut pick = (k, 1, n.div_ceil(1));
    for scale in (1..=4).rev() {
        let t = k * scale;
        let per_row = ((avail + 1) / (t + 1)).max(1);
        let rows = n.div_ceil(per_row);
        pick = (t, per_row, rows);
        if rows as u16 * rows_for(t) <= budget {
            break;
        }
    }
    let (t, per_row, rows) = pick;
    for i in 0..n {
        let x = inner.x + 1 + ((i % per_row) * (t + 1)) as u16;
        let ty = y + (i / per_row) as u16 * rows_for(t);
        tiles.push(Tile {
            block: 0,
            filter: i,
            channel: 0,
            rect: Rect::new(x, ty, t as u16, rows_for(t) - 1 + (t % 2) as u16),
        });
    }
    rows as u16 * rows_for(t)
}

/// One row per output filter, one tile per input channel; a window around the selection.
fn grid_tiles(
    w: &Array4<f32>,
    block: usize,
    area: Rect,
    selected: Option<usize>,
    tiles: &mut Vec<Tile>,
) -> Option<(usize, usize, usize)> {
    let (n, c, k, _) = w.dim();
    let label_w = n.to_string().len() as u16 + 1;
    let avail = area.width.saturating_sub(label_w) as usize;
    // The largest scale that fits the width and still shows 8 rows (or all).
    let shown_at = |t: usize| ((area.height / rows_for(t)) as usize).min(n);
    let scale = (1..=3)
        .rev()
        .find(|s| c * (k * s + 1) <= avail && shown_at(k * s) >= n.min(8))
        .unwrap_or(1);
    let t = k * scale;
    let row_h = rows_for(t);
    let shown = shown_at(t);
    if shown == 0 {
        return None;
    }
    let first = selected.map_or(0, |f| f.saturating_sub(shown / 2).min(n - shown));
    for (row, filter) in (first..first + shown).enumerate() {
        let y = area.y + row as u16 * row_h;
        for ch in 0..c.min((avail + 1) / (t + 1)) {
            let x = area.x + label_w + (ch * (t + 1)) as u16;
            tiles.push(Tile {
                block,
                filter,
                channel: ch,
                rect: Rect::new(x, y, t as u16, row_h - 1 + (t % 2) as u16),
            });
        }
    }
    Some((first, shown, n))
}

pub fn render_filters(app: &App, area: Rect, buf: &mut Buffer) {
    let mode = if app.per_layer {
        "scale per layer"
    } else {
        "scale per map"
    };
    let extra = format!(
        "{mode} · selected conv{} #{}",
        app.selected_block + 1,
        app.selected_filter + 1
    );
    let block = panel_block(app, Panel::Filters, &extra);
    let inner = block.inner(area);
    block.render(area, buf);
    let (Some(snap), Some(layout)) = (&app.snapshot, filter_layout(app, inner)) else {
        super::render_waiting(inner, buf);
        return;
    };
    if layout.labels.len() > 1 && inner.height > 0 {
        let note = "row = output filter · tile = input channel: a filter is as deep as its input";
        let row = Rect::new(inner.x, inner.bottom() - 1, inner.width, 1);
        Line::from(note).dark_gray().render(row, buf);
    }
    for &(layer, rect) in &layout.labels {
        label_line(
            app,
            &snap.filters[layer],
            layer,
            layout.window.filter(|_| layer > 0),
        )
        .render(rect, buf);
    }
    let layer_scales: Vec<Scale> = snap
        .filters
        .iter()
        .map(|w| Scale::fit(w.iter().copied(), true))
        .collect();
    for tile in &layout.tiles {
        let w = &snap.filters[tile.block];
        let data = w.slice(s![tile.filter, tile.channel, .., ..]);
        let scale = if app.per_layer {
            layer_scales[tile.block]
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
        if selected && tile.channel == 0 && tile.rect.x > area.x {
            buf[(tile.rect.x - 1, tile.rect.y)]
                .set_char('▶')
                .set_style(Style::new().fg(Color::Cyan).bold());
        }
        if tile.block > 0 && tile.channel == 0 && tile.rect.x >= 3 {
            let label = format!(
                "{:>w$}",
                tile.filter + 1,
                w = (tile.rect.x - inner.x - 1) as usize
            );
            buf.set_string(
                inner.x,
                tile.rect.y,
                label,
                Style::new().fg(Color::DarkGray),
            );
        }
    }
}

/// `conv2 16 × 8×3×3 (depth 8 = its input's channels) −0.41 ▕legend▏ +0.39`.
fn label_line(
    app: &App,
    w: &Array4<f32>,
    layer: usize,
    window: Option<(usize, usize, usize)>,
) -> Line<'static> {
    let (n, c, k, _) = w.dim();
    let mut text = format!("conv{} {n}×({c}×{k}×{k})", layer + 1);
    if let Some((first, shown, total)) = window.filter(|w| w.1 < w.2) {
        text.push_str(&format!(" {}–{}/{total}", first + 1, first + shown));
    }
    let (lo, hi) = w
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let mut spans = vec![Span::raw(text).bold(), Span::raw("  ")];
    spans.extend(legend(Scale::fit(w.iter().copied(), true), (lo, hi), app.colors, 9).spans);
    Line::from(spans)
}

/// The (conv layer, filter) of the tile at `pos`, or of the tile just right of it.
pub fn tile_at(app: &App, inner: Rect, pos: Position) -> Option<(usize, usize)> {
    let layout = filter_layout(app, inner)?;
    let hit = |p: Position| layout.tiles.iter().find(|t| t.rect.contains(p));
    let right = Position::new(pos.x.saturating_add(1), pos.y);
    hit(pos).or_else(|| hit(right)).map(|t| (t.block, t.filter))
}
