//! Drawing one section of the maps panel: its label (shape, what the layer does, which maps
//! are shown, the colour legend) and its maps.

use super::{Section, stage_note};
use crate::nn::plan::Stage;
use crate::train::messages::Snapshot;
use crate::ui::app::App;
use crate::ui::widgets::colormap::Scale;
use crate::ui::widgets::heatmap::Heatmap;
use crate::ui::widgets::legend::Legend;
use crate::ui::widgets::parts::{Part, fit_parts};
use ndarray::{ArrayView3, Axis};
use ratatui::buffer::Buffer;
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

/// The section's label and maps.
pub fn render_section(app: &App, snap: &Snapshot, section: &Section, buf: &mut Buffer) {
    let image = snap.probe_image.view().insert_axis(Axis(0)); // (H, W) → (1, H, W)
    let (maps, signed) = match section.source {
        Some(i) => {
            let fm = &snap.feature_maps[i];
            (fm.maps.view(), fm.id.is(Stage::Conv))
        }
        None => (image.view(), false),
    };
    let layer_scale = Scale::fit(maps.iter().copied(), signed);
    let per_layer = app.per_layer || section.source.is_none();
    label(app, snap, section, (maps, layer_scale)).render(section.label, buf);
    let selected = section
        .source
        .is_some_and(|i| snap.feature_maps[i].id.block() == Some(app.selected_block));
    for &(ch, rect) in &section.tiles {
        let data = maps.index_axis(Axis(0), ch);
        let scale = if per_layer {
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

/// `conv1 8×28×28 · 1–5 of 8 ↑↓ · -0.31 ▕…0…▏ +0.42 · after conv, signed`, dropping the
/// least useful parts when narrow; the input's is `input #7`.
fn label(
    app: &App,
    snap: &Snapshot,
    section: &Section,
    (maps, scale): (ArrayView3<f32>, Scale),
) -> Line<'static> {
    let width = section.label.width as usize;
    let Some(i) = section.source else {
        let text = format!("input #{}", snap.probe_index);
        // A blank column before the next label.
        let text = if text.len() < width {
            text
        } else {
            "input".into()
        };
        return Line::from(text).bold();
    };
    let fm = &snap.feature_maps[i];
    let (c, h, w) = maps.dim();
    let mut parts = vec![Part::new(
        9,
        vec![format!("{} {c}×{h}×{w}", fm.layer).bold()],
    )];
    let (first, shown, total) = section.window;
    if shown < total {
        let more = if fm.id.block() == Some(app.selected_block) {
            "↑↓"
        } else {
            "[ ]"
        };
        let range = format!("{}–{} of {total} {more}", first + 1, first + shown);
        // "maps" goes first when the legend would not fit beside it.
        let text = if width >= 72 {
            format!("maps {range}")
        } else {
            range
        };
        parts.push(Part::new(8, vec![Span::raw(text).yellow()]));
    }
    let (lo, hi) = maps
        .iter()
        .fold((f32::INFINITY, f32::NEG_INFINITY), |(a, b), &v| {
            (a.min(v), b.max(v))
        });
    let legend = Legend {
        scale,
        range: app.per_layer.then_some((lo, hi)),
        glyphs: app.glyphs,
        colors: app.colors,
    };
    parts.push(Part::new(6, legend.spans(7)));
    let note = stage_note(app, fm.id, maps);
    parts.push(Part::new(4, vec![Span::raw(note).dark_gray()]));
    fit_parts(parts, Span::raw(" · ").dark_gray(), width)
}
