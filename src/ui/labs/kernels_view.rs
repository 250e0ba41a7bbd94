//! The kernels lab: the chosen kernel's numbers and its output on the probe digit at conv1's
//! stride and padding, with the shape arithmetic; the learned conv1 filter most like it (up to
//! sign) with its numbers and its own output, conv1's map of the probe.

use super::kernels::{HAND_KERNELS, Kernel3, apply, most_similar};
use super::view::{note, picture, square};
use crate::nn::plan::LayerId;
use crate::train::messages::Snapshot;
use crate::ui::app::App;
use crate::ui::theme;
use crate::ui::widgets::colormap::Scale;
use ndarray::Axis;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

/// Columns of a 3×3 grid of numbers.
const GRID_W: u16 = 22;

/// A kernel's nine numbers, three rows; `cell` bracketed when given.
fn grid(title: String, k: &Kernel3, cell: Option<(usize, usize)>) -> Vec<Line<'static>> {
    let mut lines = vec![Line::from(title)];
    for (r, row) in k.iter().enumerate() {
        let spans: Vec<Span> = row
            .iter()
            .enumerate()
            .map(|(c, v)| {
                let text = format!("{v:>6.2} ");
                if cell == Some((r, c)) {
                    Span::raw(text).add_modifier(Modifier::REVERSED | Modifier::BOLD)
                } else {
                    Span::raw(text)
                }
            })
            .collect();
        lines.push(Line::from(spans));
    }
    lines
}

/// The name of the kernel shown, and what it finds.
pub(super) fn kernel_title(index: usize) -> (String, &'static str) {
    let n = HAND_KERNELS.len() + 1;
    match HAND_KERNELS.get(index) {
        Some(k) => (format!("kernel {}/{n}: {}", index + 1, k.name), k.finds),
        None => (
            format!("kernel {n}/{n}: your own"),
            "what you make it find (+/− edit the marked cell)",
        ),
    }
}

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if app.labs.scope.is_some() {
        return super::kernels_scope::render(app, area, buf);
    }
    let Some(snap) = &app.snapshot else {
        Line::from("waiting for the first snapshot…").render(area, buf);
        return;
    };
    let c = app.colors;
    let labs = &app.labs;
    let kernel = labs.kernel_weights();
    let (title, finds) = kernel_title(labs.kernel);
    let conv1 = snap.blocks.first().copied();
    let (stride, padding) = conv1.map_or((1, 1), |b| (b.stride, b.padding));
    let out = apply(snap.probe_image.view(), &kernel, stride, padding);
    let mut head = vec![Line::from(vec![
        Span::raw(title).bold(),
        Span::raw(format!(": finds {finds}")),
    ])];
    head.push(match &out {
        Some(o) => Line::from(format!(
            "output {}×{} = ⌊(28 + 2·{padding} − 3)/{stride}⌋ + 1 at conv1's stride {stride} and padding {padding}",
            o.nrows(),
            o.ncols()
        )),
        None => Line::styled("a 3×3 kernel does not fit at conv1's stride and padding", theme::WARNING.style(c)),
    });
    Paragraph::new(head).render(
        Rect {
            height: 2.min(area.height),
            ..area
        },
        buf,
    );
    let grids_y = area.y + 2;
    let column = |i: u16| columns(area, i);
    let unit = Scale::Unsigned { min: 0.0, max: 1.0 };
    picture(
        app,
        column(0),
        "probe digit",
        snap.probe_image.view(),
        unit,
        buf,
    );
    let cell = (labs.kernel == HAND_KERNELS.len()).then_some(labs.cell);
    let grid_at = |i: u16| Rect::new(column(i).x, grids_y, GRID_W, 4).intersection(area);
    Paragraph::new(grid("kernel".into(), &kernel, cell)).render(grid_at(1), buf);
    if let Some(o) = &out {
        let scale = Scale::fit(o.iter().copied(), true);
        picture(
            app,
            column(1),
            &format!("output {}×{}", o.nrows(), o.ncols()),
            o.view(),
            scale,
            buf,
        );
    }
    let menu = Rect::new(area.x, area.bottom().saturating_sub(2), area.width, 1);
    if area.width >= 120 {
        menu_line(labs.kernel).render(menu, buf);
    }
    let bottom = Rect::new(area.x, area.bottom().saturating_sub(1), area.width, 1);
    render_learned(app, snap, &kernel, (grid_at(2), column(2)), bottom, buf);
}

/// Below the two head lines: the two grids of numbers, then a row of pictures (digit, output,
/// learned output), then the similarity. Column `i`'s picture with its caption row.
fn columns(area: Rect, i: u16) -> Rect {
    let pics = Rect::new(
        area.x,
        area.y + 6,
        area.width,
        area.height.saturating_sub(7),
    );
    let ph = pics.height.saturating_sub(2).min(14);
    let pw = square(ph).0.min(pics.width.saturating_sub(6) / 3);
    // A column holds a grid of numbers above a picture.
    let col_w = (pw + 2).max(GRID_W + 1);
    Rect::new(pics.x + i * col_w, pics.y, pw, ph + 1).intersection(pics)
}

/// The output pixel of a `dim` output under `pos`, when the page (in `area`) shows it.
pub fn output_pixel(area: Rect, dim: (usize, usize), pos: Position) -> Option<(usize, usize)> {
    let r = columns(area, 1);
    let pic = Rect::new(r.x, r.y + 1, r.width, r.height.saturating_sub(1));
    if !pic.contains(pos) {
        return None;
    }
    // The heatmap spreads the map over the picture's cells evenly.
    let y = (pos.y - pic.y) as usize * dim.0 / pic.height.max(1) as usize;
    let x = (pos.x - pic.x) as usize * dim.1 / pic.width.max(1) as usize;
    Some((y.min(dim.0 - 1), x.min(dim.1 - 1)))
}

/// The kernels to choose from, the chosen one marked.
fn menu_line(chosen: usize) -> Line<'static> {
    let names = HAND_KERNELS.iter().map(|k| k.name).chain(["your own"]);
    let spans: Vec<Span> = names
        .enumerate()
        .flat_map(|(i, name)| {
            let sep = Span::raw(if i == 0 { "k/K: " } else { " · " });
            let name = if i == chosen {
                Span::raw(format!("[{name}]")).bold()
            } else {
                Span::raw(name)
            };
            [sep, name]
        })
        .collect();
    Line::from(spans)
}

/// The learned filter most like the kernel: its numbers (in `grid_at`) and conv1's map of it
/// (in `pic`), and the similarity (in `bottom`).
fn render_learned(
    app: &App,
    snap: &Snapshot,
    kernel: &Kernel3,
    (grid_at, pic): (Rect, Rect),
    bottom: Rect,
    buf: &mut Buffer,
) {
    let c = app.colors;
    let Some(filters) = snap.filters.first() else {
        return;
    };
    let Some((f, cos)) = most_similar(kernel, filters.view()) else {
        let k = filters.dim().2;
        note(format!("conv1's filters are {k}×{k}: only 3×3 ones compare with these kernels (k on the dashboard)"), c).render(bottom, buf);
        return;
    };
    let w = filters
        .index_axis(Axis(0), f)
        .index_axis(Axis(0), 0)
        .to_owned(); // (1,3,3) → (3,3)
    let learned: Kernel3 = std::array::from_fn(|r| std::array::from_fn(|col| w[[r, col]]));
    Paragraph::new(grid(format!("conv1 filter #{}", f + 1), &learned, None)).render(grid_at, buf);
    let map = snap.feature_maps.iter().find(|m| m.id == LayerId::conv(0));
    if let Some(m) = map.filter(|m| f < m.maps.dim().0) {
        let own = m.maps.index_axis(Axis(0), f);
        let scale = Scale::fit(own.iter().copied(), true);
        picture(app, pic, "its output (conv1)", own, scale, buf);
    }
    let sign = if cos < 0.0 {
        "; negative: the same pattern with light and dark swapped"
    } else {
        ""
    };
    let text = format!(
        "most like it: conv1 filter #{}, cosine {cos:+.2} (up to sign{sign})",
        f + 1
    );
    Line::from(text).render(bottom, buf);
}
