//! Feature maps of the probe digit: the input, the selected block's layers in full (after
//! conv, after ReLU, after pooling) and every other block's output, so that the hierarchy —
//! strokes first, then parts — is side by side. One zoom for the whole panel (the scale
//! chooser's), so a map drawn smaller *is* smaller: stride and pooling visibly shrink the
//! maps. The input digit sits left of the first layer's maps. `▶` marks the channel of the
//! selected filter; when not all maps fit, the label says which are shown.

use crate::nn::plan::{LayerId, LayerKind, Stage};
use crate::train::messages::Snapshot;
use crate::ui::app::{App, Panel};
use crate::ui::panels::{panel_block, title_extra};
use crate::ui::widgets::colormap::ColorMode;
use crate::ui::widgets::heatmap::Glyphs;
use crate::ui::widgets::scale::{Fit, Frame, Group, Zoom, choose, window};
use ndarray::ArrayView3;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::text::Line;
use ratatui::widgets::Widget;

#[path = "maps_draw.rs"]
mod draw;

/// One labelled group of maps of one layer (or the input digit).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// `None` for the input image, else an index into `Snapshot::feature_maps`.
    pub source: Option<usize>,
    pub label: Rect,
    /// (channel, where it is drawn).
    pub tiles: Vec<(usize, Rect)>,
    /// Channels shown, as (first, shown, total).
    pub window: (usize, usize, usize),
}

/// The panel's zoom, its sections, and the layers left out for want of room.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MapsLayout {
    pub zoom: Zoom,
    pub sections: Vec<Section>,
    /// Indices into `Snapshot::feature_maps` of the layers not shown.
    pub left_out: Vec<usize>,
    /// The row that says which layers were left out.
    pub note: Option<Rect>,
}

/// The layers to draw, in order, as (index into `feature_maps`, (C, H, W)): every layer of
/// the selected block, and the last layer (the output) of each other block.
fn sources(app: &App, snap: &Snapshot) -> Vec<(usize, (usize, usize, usize))> {
    let maps = &snap.feature_maps;
    let mut out = Vec::new();
    for (i, fm) in maps.iter().enumerate() {
        let block = fm.id.block();
        let block_output = maps.get(i + 1).is_none_or(|next| next.id.block() != block);
        if block == Some(app.selected_block) || block_output {
            out.push((i, fm.maps.dim()));
        }
    }
    out
}

/// Maps of every layer a zoom must show to be chosen: larger maps of fewer channels beat
/// smaller maps of all, down to this many (the rest a key away).
const MIN_SHOWN: usize = 3;

/// The scale chooser's groups: one a layer, the input digit as the first one's lead. When
/// not all fit, the ReLU goes first (it is the conv's map with the negatives cleared), then
/// the other blocks' outputs; the first layer (with the input) and the selected block's conv
/// and pooling stay longest.
fn groups(app: &App, snap: &Snapshot, srcs: &[(usize, (usize, usize, usize))]) -> Vec<Group> {
    srcs.iter()
        .enumerate()
        .map(|(i, &(source, (c, h, w)))| {
            let mut g = Group::maps(c, (h, w));
            g.indent = 1; // the `▶` marker
            g.min_shown = MIN_SHOWN;
            if i == 0 {
                g.lead = Some(snap.probe_image.dim());
            }
            let id = snap.feature_maps[source].id;
            g.rank = match id.stage() {
                // The first layer carries the input digit beside it.
                _ if i == 0 => 10,
                _ if id.block() != Some(app.selected_block) => 6,
                Some(Stage::Conv) => 9,
                Some(Stage::Pool) => 8,
                _ => 5,
            };
            g
        })
        .collect()
}

/// The scale chooser's fit for `inner`; when some layer is left out, a fit that keeps the
/// last row free to say so, and `true`. Maps are drawn with every pixel (1:1 at least), the
/// layers that do not fit left out and named; only when not even one fits (a 28×28 map in
/// ASCII at 24 rows) at half their pixels (1:2), which the title says.
fn fit_panel(app: &App, groups: &[Group], inner: Rect) -> (Fit, bool) {
    let mut frame = Frame {
        area: (inner.width, inner.height),
        ppc: app.glyphs.pixels_per_cell(),
        gap: (1, 0),
        max_up: 8,
        min: Zoom::Up(1),
    };
    let fit = choose(groups, frame);
    if fit.groups.iter().all(|g| g.rows > 0) {
        return (fit, false);
    }
    frame.area.1 = inner.height.saturating_sub(1);
    let fit = choose(groups, frame);
    if fit.groups.iter().any(|g| g.rows > 0) {
        return (fit, true);
    }
    frame.min = Zoom::Half;
    (choose(groups, frame), true)
}

/// The chosen zoom and every section's rectangles in `inner`.
pub fn maps_layout(app: &App, inner: Rect) -> Option<MapsLayout> {
    let snap = app.snapshot.as_deref()?;
    let srcs = sources(app, snap);
    let groups = groups(app, snap, &srcs);
    let (fit, partial) = fit_panel(app, &groups, inner);
    let mut layout = MapsLayout {
        zoom: fit.zoom,
        sections: Vec::new(),
        left_out: Vec::new(),
        note: partial.then(|| Rect::new(inner.x, inner.bottom().saturating_sub(1), inner.width, 1)),
    };
    let mut y = inner.y;
    for (i, &(source, (c, _, _))) in srcs.iter().enumerate() {
        let placed = fit.groups[i];
        if placed.rows == 0 {
            layout.left_out.push(source);
            continue;
        }
        let selected = snap.feature_maps[source].id.block() == Some(app.selected_block);
        let first = window(
            if selected { app.selected_filter } else { 0 },
            placed.shown,
            c,
        );
        place(
            &fit,
            i,
            (source, first, c),
            Rect { y, ..inner },
            &mut layout,
        );
        y += placed.height;
    }
    Some(layout)
}

/// Group `i`'s sections (the lead's too) from the top of `area`: a column for the `▶`
/// marker, the lead, a blank column, the maps.
fn place(
    fit: &Fit,
    i: usize,
    (source, first, total): (usize, usize, usize),
    area: Rect,
    out: &mut MapsLayout,
) {
    let placed = fit.groups[i];
    let mut x0 = area.x + 1;
    if let Some((lw, lh)) = placed.lead {
        out.sections.push(Section {
            source: None,
            label: Rect::new(area.x, area.y, lw + 1, 1),
            tiles: vec![(0, Rect::new(x0, area.y + 1, lw, lh))],
            window: (0, 1, 1),
        });
        x0 += lw + 1;
    }
    let (tw, th) = placed.tile;
    let tiles = (0..placed.shown)
        .map(|slot| {
            let col = (slot % placed.per_row) as u16;
            let row = (slot / placed.per_row) as u16;
            let rect = Rect::new(x0 + col * (tw + 1), area.y + 1 + row * th, tw, th);
            (first + slot, rect)
        })
        .collect();
    let label_x = x0 - 1;
    out.sections.push(Section {
        source: Some(source),
        label: Rect::new(label_x, area.y, area.right().saturating_sub(label_x), 1),
        tiles,
        window: (first, placed.shown, total),
    });
}

pub fn render_maps(app: &App, area: Rect, buf: &mut Buffer) {
    let inner = panel_block(app, Panel::Maps, "").inner(area);
    let layout = maps_layout(app, inner);
    let mode = if app.per_layer {
        "scale per layer"
    } else {
        "scale per map"
    };
    let mut parts = vec![
        (
            5,
            format!(
                "block {} of {} in full, the others' outputs ([ ] switch)",
                app.selected_block + 1,
                app.shown_arch().blocks.len()
            ),
        ),
        (6, mode.to_string()),
    ];
    if let Some(l) = &layout {
        parts.insert(0, (9, l.zoom.label()));
    }
    let extra = title_extra(Panel::Maps, parts, area.width);
    panel_block(app, Panel::Maps, &extra).render(area, buf);
    let (Some(snap), Some(layout)) = (&app.snapshot, layout) else {
        super::render_waiting(inner, buf);
        return;
    };
    for section in &layout.sections {
        draw::render_section(app, snap, section, buf);
    }
    render_notes(app, snap, &layout, inner, buf);
}

/// Which layers are left out, or that the selected block's maps are still to come.
fn render_notes(app: &App, snap: &Snapshot, layout: &MapsLayout, inner: Rect, buf: &mut Buffer) {
    if let Some(row) = layout.note.filter(|_| !layout.left_out.is_empty()) {
        let names: Vec<&str> = layout
            .left_out
            .iter()
            .map(|&i| snap.feature_maps[i].layer.as_str())
            .collect();
        let names = names.join(", ");
        let g = app.glyphs == Glyphs::Ascii && app.colors != ColorMode::Monochrome;
        let (how, short) = match g {
            true => (
                "a taller terminal or half-blocks (g) show them",
                "taller terminal or g",
            ),
            false => ("a taller terminal shows them", "taller terminal"),
        };
        let texts = [
            format!("not shown here: {names}; {how}"),
            format!("not shown: {names} ({short})"),
            format!("not shown: {names}"),
        ];
        let fits = |t: &&String| t.chars().count() <= row.width as usize;
        let text = texts.iter().find(fits).unwrap_or(&texts[2]);
        Line::from(text.as_str()).dark_gray().render(row, buf);
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

/// What a layer's maps are, for its label: `after conv`, `max pool 2×2: …`.
pub fn stage_note(app: &App, id: LayerId, maps: ArrayView3<f32>) -> String {
    let block = id.block().unwrap_or(0);
    if block != app.selected_block {
        return format!("output of block {}", block + 1);
    }
    let (c, h, w) = maps.dim();
    // The confirmed plan describes the snapshot's maps when the shapes agree.
    let row = app.arch.plan().ok().and_then(|plan| {
        plan.layer(id)
            .filter(|r| r.out_shape == [c, h, w])
            .map(|r| (r.kind, r.kernel))
    });
    match (id.stage(), row) {
        (Some(Stage::Conv), _) => "after conv, signed".into(),
        (Some(Stage::Relu), _) => "after ReLU: negatives become 0".into(),
        (_, Some((LayerKind::MaxPool, k))) => format!("max pool {k}×{k}: each window's largest"),
        (_, Some((LayerKind::AvgPool, k))) => format!("average pool {k}×{k}: each window's mean"),
        _ => "after pooling".into(),
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
    maps_layout(app, inner)?
        .sections
        .into_iter()
        .find_map(|section| {
            let (ch, _) = section.tiles.iter().find(|(_, r)| r.contains(pos))?;
            let id = section.source.map(|i| snap.feature_maps[i].id);
            Some((id, *ch))
        })
}
