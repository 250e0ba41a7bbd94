//! The confusion matrix drawn: one row per true digit, one column per predicted class, the
//! count in each cell on a background as strong as the cell's share of its row (right
//! answers on the diagonal, mistakes off it), the per-class accuracy at the right, and the
//! pairs confused most below, and the selected cell's wrong digits (`thumbs_view`).

use crate::number::thousands;
use crate::train::analysis::JobKind;
use crate::train::analysis::confusion::Confusion;
use crate::train::messages::EvalSet;
use crate::ui::app::App;
use crate::ui::theme;
use crate::ui::widgets::colormap::ColorMode;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Color, Modifier, Style, Stylize};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

/// Columns of one count.
const CELL_W: usize = 6;

pub fn set_name(set: EvalSet) -> &'static str {
    match set {
        EvalSet::Validation => "validation set",
        EvalSet::Test => "test set",
    }
}

/// Columns the matrix takes.
pub const MATRIX_W: u16 = 80;
/// The least room beside the matrix for the thumbnails to go there rather than below.
const THUMBS_BESIDE_W: u16 = 5 * 15;

/// Where the confusion page puts its parts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfusionLayout {
    /// Blank lines around the matrix.
    pub roomy: bool,
    /// The pairs confused most, under the matrix.
    pub pairs: bool,
    /// The text (title, matrix, pairs) and the thumbnails.
    pub text: Rect,
    pub thumbs: Rect,
}

impl ConfusionLayout {
    /// The row of true digit 0's counts.
    fn first_row(&self) -> u16 {
        self.text.y + 2 + u16::from(self.roomy)
    }
}

/// The layout of the confusion page in `area`, as drawn and as clicked.
pub fn confusion_layout(area: Rect) -> ConfusionLayout {
    let beside = area.width >= MATRIX_W + 1 + THUMBS_BESIDE_W;
    // Below the matrix the thumbnails want 7 rows and need 5: the blank lines go first when
    // there is not room for all, then the pairs confused most.
    let spare = if beside {
        area.height
    } else {
        area.height.saturating_sub(5)
    };
    let roomy = spare >= 17 + 2 * u16::from(!beside);
    let pairs = spare >= 13;
    let rows = 12 + 2 * u16::from(roomy) + u16::from(pairs);
    let text_h = rows.min(area.height);
    let thumbs = if beside {
        let x = area.x + MATRIX_W + 1;
        Rect::new(
            x,
            area.y + 1,
            area.right() - x,
            area.height.saturating_sub(1),
        )
    } else {
        Rect::new(area.x, area.y + text_h, area.width, area.height - text_h)
    };
    let text = Rect {
        width: area.width.min(MATRIX_W),
        height: text_h,
        ..area
    };
    ConfusionLayout {
        roomy,
        pairs,
        text,
        thumbs,
    }
}

/// The cell (true digit, predicted class) at `pos` of a page drawn in `area`.
pub fn cell_at(area: Rect, pos: Position) -> Option<(u8, u8)> {
    let layout = confusion_layout(area);
    let row = pos.y.checked_sub(layout.first_row())?;
    let col = pos.x.checked_sub(area.x + 10)? / CELL_W as u16;
    let shown = layout.text.contains(pos);
    (shown && row < 10 && col < 10).then_some((row as u8, col as u8))
}

/// The confusion page: the matrix and, beside it or below, the selected cell's wrong digits.
pub fn render_confusion(app: &App, area: Rect, buf: &mut Buffer) {
    let c = app.colors;
    let layout = confusion_layout(area);
    let mut lines = vec![title_line(app)];
    let Some(conf) = &app.inspect.confusion else {
        lines.push(Line::styled(
            "computing the confusion matrix on a copy of the current weights…",
            theme::QUIET.style(c),
        ));
        Paragraph::new(lines)
            .wrap(Wrap { trim: false })
            .render(area, buf);
        return;
    };
    if layout.roomy {
        lines.push(Line::raw(""));
    }
    lines.extend(matrix_lines(conf, app.inspect.cell, c));
    if layout.roomy {
        lines.push(Line::raw(""));
    }
    if layout.pairs {
        lines.extend(confused_lines(conf, c));
    }
    Paragraph::new(lines).render(layout.text, buf);
    super::thumbs_view::render_thumbs(&app.inspect, (app.glyphs, c), layout.thumbs, buf);
}

/// What is shown, on which weights, and the progress of a newer computation.
fn title_line(app: &App) -> Line<'static> {
    let c = app.colors;
    let mut spans = vec![Span::styled(" Confusion matrix ", theme::TEXT.style(c)).bold()];
    if let Some(conf) = &app.inspect.confusion {
        let right = conf.correct() as f32 / conf.total().max(1) as f32;
        spans.push(Span::raw(format!(
            "· {} · {} digits · step {}: {:.2} % right",
            set_name(conf.set),
            thousands(conf.total() as usize),
            thousands(conf.step),
            100.0 * right
        )));
    }
    let progress = app.inspect.progress;
    if let Some((kind, done, total)) = progress.filter(|p| p.0 == JobKind::Confusion) {
        let pct = 100 * done / total.max(1);
        spans.push(Span::styled(
            format!(
                "  ⟳ {} on the {}: {pct} %",
                kind.label(),
                set_name(app.inspect.set)
            ),
            theme::PROGRESS.style(c),
        ));
    }
    Line::from(spans)
}

/// The header and ten rows of counts.
fn matrix_lines(conf: &Confusion, cell: (u8, u8), c: ColorMode) -> Vec<Line<'static>> {
    // "predicted →" is a column wider than the rows' "true 4": the first digit one narrower,
    // so that each stands over its column's counts.
    let mut header = vec![Span::raw("predicted →")];
    header.extend(
        (0..10)
            .map(|p| match p {
                0 => Span::raw(format!("{p:>w$}", w = CELL_W - 1)),
                _ => Span::raw(format!("{p:>CELL_W$}")),
            })
            .collect::<Vec<_>>(),
    );
    header.push(Span::raw("   right"));
    let mut lines = vec![Line::from(header).bold()];
    for t in 0..10 {
        let row_total: u32 = conf.counts[t].iter().sum();
        let mut spans = vec![Span::raw(format!("{:>10}", format!("true {t}")))];
        for p in 0..10 {
            let n = conf.counts[t][p];
            let share = n as f32 / row_total.max(1) as f32;
            let mut style = cell_style(share, t == p, c);
            if (t as u8, p as u8) == cell {
                style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
            }
            spans.push(Span::styled(
                format!("{:>CELL_W$}", thousands(n as usize)),
                style,
            ));
        }
        let acc = conf
            .class_accuracy(t)
            .map_or("   —".into(), |a| format!("{:>7.1} %", 100.0 * a));
        spans.push(Span::raw(acc));
        lines.push(Line::from(spans));
    }
    lines
}

/// A cell's colours: right answers green, mistakes orange, as strong as their share of the
/// row; an empty cell plain. Without colours, mistakes are bold.
fn cell_style(share: f32, diagonal: bool, c: ColorMode) -> Style {
    if share == 0.0 {
        return theme::QUIET.style(c);
    }
    let (r, g, b) = if diagonal {
        (60, 170, 90)
    } else {
        (235, 120, 40)
    };
    // Even one mistake in a thousand shows: the strength grows with the square root.
    let t = share.sqrt().clamp(0.15, 1.0);
    let mix = |v: u8| (30.0 + (v as f32 - 30.0) * t) as u8;
    match c.color((mix(r), mix(g), mix(b))) {
        Some(bg) => Style::new()
            .bg(bg)
            .fg(if t > 0.6 { Color::Black } else { Color::White }),
        None if diagonal => Style::new(),
        None => Style::new().bold(),
    }
}

/// The pairs confused most, e.g. "4 → 9: 23".
fn confused_lines(conf: &Confusion, c: ColorMode) -> Vec<Line<'static>> {
    let pairs = conf.most_confused(3);
    if pairs.is_empty() {
        return vec![Line::raw(" no digit is confused with another")];
    }
    let mut spans = vec![Span::styled(" confused most: ", theme::TEXT.style(c)).bold()];
    for (t, p, n) in pairs {
        spans.push(Span::raw(format!("true {t} called {p}: {n}   ")));
    }
    vec![Line::from(spans)]
}
