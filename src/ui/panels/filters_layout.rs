//! Where the filters panel puts its labels, tiles and caption: conv1's filters and the grid
//! of the selected block's layer at one zoom, from the scale chooser.

use crate::ui::app::App;
use crate::ui::panels::wrap_words;
use crate::ui::widgets::scale::{Fit, Frame, Group, Zoom, choose, window};
use ndarray::Array4;
use ratatui::layout::Rect;

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
/// The last filter scan's dead filters, when it found any, head the caption.
pub fn filter_layout(app: &App, inner: Rect) -> Option<FilterLayout> {
    let dead = crate::ui::panels::dead::dead_line(app);
    layout_with(app, &app.snapshot.as_ref()?.filters, inner, dead)
}

/// `filter_layout` for `filters` (each conv layer's `(out, in, k, k)`), e.g. a time-lapse
/// frame's.
pub fn filter_layout_of(app: &App, filters: &[Array4<f32>], inner: Rect) -> Option<FilterLayout> {
    layout_with(app, filters, inner, None)
}

/// The layout with `first_line` (wrapped) heading the caption.
fn layout_with(
    app: &App,
    filters: &[Array4<f32>],
    inner: Rect,
    first_line: Option<String>,
) -> Option<FilterLayout> {
    let first = filters.first()?;
    let layer = app.selected_block.max(1);
    let grid = filters.get(layer);
    let mut caption = if grid.is_some() {
        caption(inner.width)
    } else {
        Vec::new()
    };
    if let Some(line) = first_line {
        // The grid's explanation keeps one row beside it, short.
        let short = wrap_words(CAPTION_SHORT, inner.width as usize);
        caption = if grid.is_some() && short.len() == 1 {
            short
        } else {
            Vec::new()
        };
        let mut lines = wrap_words(&line, inner.width as usize);
        lines.truncate(2);
        caption.splice(0..0, lines);
    }
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
