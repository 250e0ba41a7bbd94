//! The architecture ledger: every layer's output shape, window, parameters and the shape
//! formula with the current numbers, down to the softmax that turns the dense layer's scores
//! into probabilities; the parameter total beside a fully connected net's.

use super::thousands;
use crate::nn::plan::{ArchPlan, CLASSES, INPUT_CHANNELS, INPUT_SIDE, LayerInfo, LayerKind};
use crate::ui::app::{App, Panel};
use crate::ui::panels::panel_block;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::{Color, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Row, Table, Widget, Wrap};

const WIDTHS: [Constraint; 6] = [
    Constraint::Length(10),
    Constraint::Length(10),
    Constraint::Length(6),
    Constraint::Length(7),
    Constraint::Fill(1),
    Constraint::Length(7),
];

pub fn render_ledger(app: &App, area: Rect, buf: &mut Buffer) {
    let pending = if app.pending_arch.is_some() {
        "· rebuilding…"
    } else {
        ""
    };
    let extra = format!(
        "block {} of {} selected {pending}",
        app.selected_block + 1,
        app.shown_arch().blocks.len()
    );
    let block = panel_block(app, Panel::Ledger, &extra);
    let inner = block.inner(area);
    block.render(area, buf);
    let plan = match app.shown_arch().plan() {
        Ok(plan) => plan,
        Err(e) => {
            Paragraph::new(e.to_string())
                .red()
                .wrap(Wrap { trim: true })
                .render(inner, buf);
            return;
        }
    };
    // Header, input, the layers and the softmax.
    let rows = plan.layers.len() as u16 + 3;
    let [table, footer] =
        Layout::vertical([Constraint::Length(rows), Constraint::Fill(1)]).areas(inner);
    ledger_table(app, &plan).render(table, buf);
    Paragraph::new(footer_lines(&plan))
        .wrap(Wrap { trim: true })
        .render(footer, buf);
}

fn ledger_table<'a>(app: &App, plan: &'a ArchPlan) -> Table<'a> {
    let header = Row::new([
        "layer",
        "out C×H×W",
        "k/s/p",
        "params",
        "shape ⌊(W + 2P − K)/S⌋ + 1",
        "drops",
    ])
    .style(Style::new().fg(Color::Gray).bold());
    let [c, s] = [INPUT_CHANNELS, INPUT_SIDE];
    let input = Row::new(vec!["input".to_string(), format!("{c}×{s}×{s}")]).dark_gray();
    let rows = plan.layers.iter().map(|layer| {
        let selected = layer.id.block() == Some(app.selected_block);
        let style = if selected {
            Style::new().fg(Color::Cyan)
        } else {
            Style::new()
        };
        layer_row(layer, selected).style(style)
    });
    Table::new(
        std::iter::once(input).chain(rows).chain([softmax_row()]),
        WIDTHS,
    )
    .header(header)
    .column_spacing(1)
}

/// The classifier's last step: the dense layer's 10 scores become 10 probabilities.
fn softmax_row() -> Row<'static> {
    Row::new(vec![
        Line::from(" softmax"),
        Line::from(CLASSES.to_string()),
        Line::from(""),
        Line::from(""),
        Line::from("p = exp(z) / Σ exp(z), sum 1"),
        Line::from(""),
    ])
}

fn layer_row(layer: &LayerInfo, selected: bool) -> Row<'static> {
    let [c, h, w] = layer.out_shape;
    let marker = if selected && layer.kind == LayerKind::Conv {
        "▶"
    } else {
        " "
    };
    let shape = if layer.kind == LayerKind::Flatten || layer.kind == LayerKind::Dense {
        format!("{c}")
    } else {
        format!("{c}×{h}×{w}")
    };
    let window = if layer.kernel > 0 {
        format!("{}/{}/{}", layer.kernel, layer.stride, layer.padding)
    } else {
        String::new()
    };
    let params = if layer.params > 0 {
        thousands(layer.params)
    } else {
        String::new()
    };
    let dropped = if layer.dropped > 0 {
        format!("{} px", layer.dropped)
    } else {
        String::new()
    };
    let dropped = Line::from(dropped).yellow();
    Row::new(vec![
        Line::from(format!("{marker}{}", layer.name)),
        Line::from(shape),
        Line::from(window),
        Line::from(params).right_aligned(),
        Line::from(layer.formula().unwrap_or_default()),
        dropped,
    ])
}

fn footer_lines(plan: &ArchPlan) -> Vec<Line<'static>> {
    let total = plan.total_params();
    let dense = plan.dense_equivalent_params();
    let ratio = dense as f64 / total.max(1) as f64;
    vec![
        Line::from(vec![
            Span::raw("total ").dark_gray(),
            Span::raw(thousands(total)).bold(),
            Span::raw(" parameters · a fully connected net of the same widths needs ").dark_gray(),
            Span::raw(thousands(dense)).yellow().bold(),
            Span::raw(format!(" ({ratio:.0}× more)")).dark_gray(),
        ]),
        Line::from(
            "a conv filter's weights are shared across positions (translation-equivariant); \
             pooling adds only partial invariance to small shifts",
        )
        .dark_gray(),
    ]
}

/// The conv block of the ledger row at `pos` (header and input rows have none).
pub fn block_at(app: &App, inner: Rect, pos: Position) -> Option<usize> {
    let row = pos.y.checked_sub(inner.y)?.checked_sub(2)? as usize;
    let plan = app.shown_arch().plan().ok()?;
    plan.layers.get(row)?.id.block()
}
