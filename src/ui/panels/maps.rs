//! Feature maps of the probe digit: the input, the selected block's layers in full (after
//! conv, after ReLU, after pooling) and every other block's output, so that the hierarchy —
//! strokes first, then parts — is side by side; each labelled with its shape, tiles as large
//! as fit. `▶` marks the channel of the selected filter.

use crate::nn::plan::{LayerId, Stage};
use crate::train::messages::Snapshot;
use crate::ui::app::{App, Panel};
use crate::ui::panels::panel_block;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::Heatmap;
use ndarray::{ArrayView3, Axis};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::Line;
use ratatui::widgets::Widget;

/// One labelled row of maps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `None` for the input image, else an index into `Snapshot::feature_maps`.
    pub source: Option<usize>,
    pub label: Rect,
    pub tiles: Vec<(usize, Rect)>,
}

/// The maps to draw, in layer order, as (source, (C, H, W)): the input, every layer of the
/// selected block, and the last layer (the output) of each other block.
fn sources(app: &App, snap: &Snapshot) -> Vec<(Option<usize>, (usize, usize, usize))> {
    let (h, w) = snap.probe_image.dim();
    let maps = &snap.feature_maps;
    let mut out = vec![(None, (1, h, w))];
    for (i, fm) in maps.iter().enumerate() {
        let block = fm.id.block();
        let block_output = maps.get(i + 1).is_none_or(|next| next.id.block() != block);
        if block == Some(app.selected_block) || block_output {
            out.push((Some(i), fm.maps.dim()));
        }
    }
    out
}

/// Tile width (pixels = columns) and height (rows) for a map at most `t` pixels a side.
fn tile_size((_, h, w): (usize, usize, usize), t: usize) -> (u16, u16) {
    let s = t.min(h.max(w)).max(1);
    let (tw, th) = ((w * s).div_ceil(h.max(w)), (h * s).div_ceil(h.max(w)));
    (tw.max(1) as u16, th.div_ceil(2).max(1) as u16)
}

/// Rows a section needs at tile size `t` in `width` columns.
fn section_rows(shape: (usize, usize, usize), t: usize, width: u16) -> u16 {
    let (tw, th) = tile_size(shape, t);
    let per_row = (width / (tw + 1)).max(1) as usize;
    1 + shape.0.div_ceil(per_row) as u16 * th
}

/// The largest tile size at which every section fits, then each section's rectangles.
pub fn maps_layout(app: &App, inner: Rect) -> Vec<Section> {
    let Some(snap) = &app.snapshot else {
        return Vec::new();
    };
    let srcs = sources(app, snap);
    let fits = |t: usize| {
        srcs.iter()
            .map(|&(_, sh)| section_rows(sh, t, inner.width))
            .sum::<u16>()
            <= inner.height
    };
    let t = (2..=28).rev().find(|&t| fits(t)).unwrap_or(2);
    // Rows left over go to the input image, which is a single map.
    let used: u16 = srcs
        .iter()
        .map(|&(_, sh)| section_rows(sh, t, inner.width))
        .sum();
    let input_t = (t + 2 * inner.height.saturating_sub(used) as usize)
        .min((inner.width as usize).saturating_sub(1));
    let mut y = inner.y;
    let mut out = Vec::new();
    for (source, shape) in srcs {
        let t = if source.is_none() { input_t.max(t) } else { t };
        let rows = section_rows(shape, t, inner.width);
        if y + rows > inner.bottom() {
            break;
        }
        let (tw, th) = tile_size(shape, t);
        let per_row = (inner.width / (tw + 1)).max(1) as usize;
        let tiles = (0..shape.0)
            .map(|c| {
                let x = inner.x + 1 + (c % per_row) as u16 * (tw + 1);
                (c, Rect::new(x, y + 1 + (c / per_row) as u16 * th, tw, th))
            })
            .filter(|(_, r)| r.right() <= inner.right())
            .collect();
        out.push(Section {
            source,
            label: Rect::new(inner.x, y, inner.width, 1),
            tiles,
        });
        y += rows;
    }
    out
}

pub fn render_maps(app: &App, area: Rect, buf: &mut Buffer) {
    let mode = if app.per_layer {
        "scale per layer"
    } else {
        "scale per map"
    };
    let extra = format!(
        "block {} of {} in full, the others' outputs ([ ] switch) · {mode}",
        app.selected_block + 1,
        app.shown_arch().blocks.len()
    );
    let block = panel_block(app, Panel::Maps, &extra);
    let inner = block.inner(area);
    block.render(area, buf);
    let Some(snap) = &app.snapshot else {
        super::render_waiting(inner, buf);
        return;
    };
    let image = snap.probe_image.view().insert_axis(Axis(0));
    for section in maps_layout(app, inner) {
        let (id, name, maps) = match section.source {
            Some(i) => {
                let fm = &snap.feature_maps[i];
                (Some(fm.id), fm.layer.as_str(), fm.maps.view())
            }
            None => (None, "input", image.view()),
        };
        render_section(app, (id, name), maps, &section, buf);
    }
    if snap
        .feature_maps
        .iter()
        .all(|fm| fm.id.block() != Some(app.selected_block))
    {
        let y = inner.bottom().saturating_sub(1);
        Line::from("this block's maps arrive with the next snapshot")
            .dark_gray()
            .render(Rect::new(inner.x, y, inner.width, 1), buf);
    }
}

/// One section; `id` is `None` for the input image, `name` is for display.
fn render_section(
    app: &App,
    (id, name): (Option<LayerId>, &str),
    maps: ArrayView3<f32>,
    section: &Section,
    buf: &mut Buffer,
) {
    let (c, h, w) = maps.dim();
    let signed = id.is_some_and(|id| id.is(Stage::Conv));
    let block = id.and_then(LayerId::block);
    let selected = block == Some(app.selected_block);
    let note = match id {
        None => format!(
            " · probe #{}",
            app.snapshot.as_ref().map_or(0, |s| s.probe_index)
        ),
        _ if !selected => format!(" · output of block {}", block.map_or(0, |b| b + 1)),
        _ if signed => " · after conv, signed (zero in the middle)".into(),
        Some(id) if id.is(Stage::Relu) => " · after ReLU".into(),
        _ => " · after pooling".into(),
    };
    Line::from(vec![format!("{name} {c}×{h}×{w}").bold(), note.dark_gray()])
        .render(section.label, buf);
    let layer_scale = Scale::fit(maps.iter().copied(), signed);
    for &(ch, rect) in &section.tiles {
        let data = maps.index_axis(Axis(0), ch);
        let scale = if app.per_layer || id.is_none() {
            layer_scale
        } else {
            Scale::fit(data.iter().copied(), signed)
        };
        Heatmap {
            data,
            scale,
            glyphs: app.glyphs,
            colors: app.colors,
        }
        .render(rect, buf);
        if selected && ch == app.selected_filter && rect.x > 0 {
            buf[(rect.x - 1, rect.y)]
                .set_char('▶')
                .set_style(Style::new().fg(Color::Cyan).bold());
        }
    }
}

/// The map under a click at `pos` in the panel's `inner` area: its layer (`None` for the
/// input digit) and channel. The focus view opens on it.
pub fn tile_at(
    app: &App,
    inner: Rect,
    pos: ratatui::layout::Position,
) -> Option<(Option<LayerId>, usize)> {
    let snap = app.snapshot.as_deref()?;
    maps_layout(app, inner).into_iter().find_map(|section| {
        let (ch, _) = section.tiles.iter().find(|(_, r)| r.contains(pos))?;
        let id = section.source.map(|i| snap.feature_maps[i].id);
        Some((id, *ch))
    })
}
