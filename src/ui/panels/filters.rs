//! Learned filters: conv1's filters as k×k tiles; a deeper conv layer as one row per output
//! filter with one tile per input channel (a filter is as deep as its input). One zoom for the
//! panel, chosen by the scale chooser; signed colour scale with zero in the middle and its
//! legend; `▶` marks the selected filter.

use crate::ui::app::{App, Panel};
use crate::ui::panels::{panel_block, wrap_words};
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::Heatmap;
use crate::ui::widgets::legend::Legend;
use crate::ui::widgets::parts::{Part, fit_parts};
use crate::ui::widgets::scale::{Fit, Frame, Group, Zoom, choose, window};
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
    /// The one zoom of every filter in the panel.
    pub zoom: Zoom,
    /// Label rows: (conv layer index, row).
    pub labels: Vec<(usize, Rect)>,
    pub tiles: Vec<Tile>,
    /// Filters shown of each labelled layer, as (first, shown, total); for the grid, also the
    /// input channels shown of each filter's.
    pub windows: Vec<(usize, usize, usize)>,
    pub channels: Option<(usize, usize)>,
    /// The caption's rows, at the bottom.
    pub caption: Vec<(String, Rect)>,
}

/// The caption under the grid, wrapped to the panel's width (on at most two rows).
const CAPTION: &str =
    "row = output filter · tile = input channel: a filter is as deep as its input";
const CAPTION_SHORT: &str = "row = filter · tile = input channel";

fn caption(width: u16) -> Vec<String> {
    let lines = wrap_words(CAPTION, width as usize);
    if lines.len() <= 2 {
        lines
    } else {
        wrap_words(CAPTION_SHORT, width as usize)
            .into_iter()
            .take(1)
            .collect()
    }
}

/// conv1's filters, and the grid of the selected block's layer (conv2 when conv1 is
/// selected): one zoom for both, the largest at which all of conv1 and three rows of the
/// grid fit, every input channel of a row shown.
pub fn filter_layout(app: &App, inner: Rect) -> Option<FilterLayout> {
    let filters = &app.snapshot.as_ref()?.filters;
    let first = filters.first()?;
    let layer = app.selected_block.max(1);
    let grid = filters.get(layer);
    let caption = if grid.is_some() {
        caption(inner.width)
    } else {
        Vec::new()
    };
    let groups = filter_groups(first, grid);
    let frame = Frame {
        area: (
            inner.width,
            inner.height.saturating_sub(caption.len() as u16),
        ),
        ppc: app.glyphs.pixels_per_cell(),
        gap: (1, 1),
        max_up: 6,
        min: Zoom::Up(1),
    };
    let fit = choose(&groups, frame);
    let selected = |block: usize| (app.selected_block == block).then_some(app.selected_filter);
    let mut out = FilterLayout {
        zoom: fit.zoom,
        labels: Vec::new(),
        tiles: Vec::new(),
        windows: Vec::new(),
        channels: None,
        caption: Vec::new(),
    };
    let mut y = inner.y;
    for (i, group) in groups.iter().enumerate() {
        let block = if i == 0 { 0 } else { layer };
        y += place_layer(
            &fit,
            i,
            group,
            (block, selected(block)),
            Rect { y, ..inner },
            &mut out,
        );
    }
    let bottom = inner.bottom().saturating_sub(caption.len() as u16);
    out.caption = caption
        .into_iter()
        .enumerate()
        .map(|(i, text)| (text, Rect::new(inner.x, bottom + i as u16, inner.width, 1)))
        .collect();
    Some(out)
}

/// conv1 as one group of tiles; the grid as rows of `c` tiles, one row a filter.
fn filter_groups(first: &Array4<f32>, grid: Option<&Array4<f32>>) -> Vec<Group> {
    let (n, _, k, _) = first.dim();
    let mut conv1 = Group::maps(n, (k, k));
    conv1.indent = 1; // the `▶` marker
    let mut groups = vec![conv1];
    if let Some(w) = grid {
        let (n, c, k, _) = w.dim();
        groups.push(Group {
            count: n * c,
            map: (k, k),
            row_len: Some(c),
            indent: n.to_string().len() as u16 + 1,
            lead: None,
            min_shown: 3 * c,
            rank: 0,
        });
    }
    groups
}

/// Group `i`'s label and tiles from the top of `area`; returns the rows used.
fn place_layer(
    fit: &Fit,
    i: usize,
    group: &Group,
    (block, selected): (usize, Option<usize>),
    area: Rect,
    out: &mut FilterLayout,
) -> u16 {
    let Some(placed) = fit.groups.get(i).filter(|p| p.rows > 0) else {
        return 0;
    };
    out.labels
        .push((block, Rect::new(area.x, area.y, area.width, 1)));
    let (tw, th) = placed.tile;
    let (x0, y0) = (area.x + group.indent, area.y + 1);
    let (filters, per_filter) = match group.row_len {
        Some(c) => (group.count / c.max(1), placed.per_row),
        None => (group.count, 1),
    };
    let shown = if group.row_len.is_some() {
        placed.rows
    } else {
        placed.shown
    };
    let first = window(selected.unwrap_or(0), shown, filters);
    out.windows.push((first, shown, filters));
    if let Some(c) = group.row_len {
        out.channels = Some((per_filter, c));
    }
    for (slot, filter) in (first..first + shown).enumerate() {
        for ch in 0..per_filter {
            // conv1 fills rows left to right; the grid gives each filter a row.
            let (col, row) = match group.row_len {
                Some(_) => (ch, slot),
                None => (slot % placed.per_row, slot / placed.per_row),
            };
            let x = x0 + col as u16 * (tw + 1);
            let y = y0 + row as u16 * (th + 1);
            let rect = Rect::new(x, y, tw, th);
            out.tiles.push(Tile {
                block,
                filter,
                channel: ch,
                rect,
            });
        }
    }
    placed.height
}

pub fn render_filters(app: &App, area: Rect, buf: &mut Buffer) {
    let inner = panel_block(app, Panel::Filters, "").inner(area);
    let layout = filter_layout(app, inner);
    let mode = if app.per_layer {
        "scale per layer"
    } else {
        "scale per map"
    };
    let zoom = layout
        .as_ref()
        .map_or(String::new(), |l| format!("{} · ", l.zoom.label()));
    let extra = format!(
        "{zoom}{mode} · selected conv{} #{}",
        app.selected_block + 1,
        app.selected_filter + 1
    );
    panel_block(app, Panel::Filters, &extra).render(area, buf);
    let (Some(snap), Some(layout)) = (&app.snapshot, layout) else {
        super::render_waiting(inner, buf);
        return;
    };
    for (text, row) in &layout.caption {
        Line::from(text.as_str()).dark_gray().render(*row, buf);
    }
    for (i, &(layer, rect)) in layout.labels.iter().enumerate() {
        let channels = layout.channels.filter(|_| layer > 0);
        let line = label_line(
            app,
            &snap.filters[layer],
            layer,
            (layout.windows[i], channels),
            rect.width,
        );
        line.render(rect, buf);
    }
    for tile in &layout.tiles {
        render_tile(app, &snap.filters, tile, inner, buf);
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
