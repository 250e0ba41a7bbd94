//! The frame: a pure function of the `App`, drawn region by region where `layout` puts them.
//! One `render_*` function per panel, in the panel's own module.

use super::app::{App, Panel};
use super::bars::{render_banner, render_hint_pairs, render_hints, render_status, render_tabs};
use super::inspect;
use super::keys;
use super::layout::{FULL_SIZE, MIN_SIZE, app_areas, focus_areas};
use super::panels::{chart, filters, focus, focus_text, ledger, maps, prediction};
use super::screen::Screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::widgets::{Paragraph, Widget};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        if self.screen != Screen::Dashboard {
            render_other_screen(self, area, buf);
            return;
        }
        if self.focus_view.is_some() {
            render_focus_screen(self, area, buf);
            return;
        }
        let Some(areas) = app_areas(self, area) else {
            render_too_small(area, buf);
            return;
        };
        render_status(self, areas.status, buf);
        render_banner(self, areas.banner, buf);
        if let Some(tabs) = areas.tabs {
            render_tabs(self, tabs, buf);
        }
        for &(panel, rect) in &areas.panels {
            render_panel(self, panel, rect, buf);
        }
        render_hints(self, areas.hints, buf);
        if self.help {
            super::help::render_help(self, area, buf);
        }
    }
}

/// The focus view covers the panels; the status line and the banner stay.
fn render_focus_screen(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(areas) = focus_areas(app, area) else {
        render_too_small(area, buf);
        return;
    };
    render_status(app, areas.status, buf);
    render_banner(app, areas.banner, buf);
    focus::render_focus(app, areas.body, buf);
    focus_text::render_focus_hints(areas.hints, buf);
    if app.help {
        super::help::render_help(app, area, buf);
    }
}

/// A screen beside the dashboard covers the panels; the status line, the banner and the hint
/// bar stay.
fn render_other_screen(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(areas) = focus_areas(app, area) else {
        render_too_small(area, buf);
        return;
    };
    render_status(app, areas.status, buf);
    render_banner(app, areas.banner, buf);
    match app.screen {
        Screen::Dashboard => {}
        Screen::Inspect => {
            inspect::render_inspect(app, areas.body, buf);
            let own = inspect::page_hints(app.inspect.page);
            render_hint_pairs(own.into_iter().chain(screen_hints()), app, areas.hints, buf);
        }
    }
    if app.help {
        super::help::render_help(app, area, buf);
    }
}

/// The hints every screen shares: the screens' digits, quit, help, pause.
fn screen_hints() -> Vec<(String, &'static str)> {
    let last = Screen::ALL.last().map_or('1', |s| s.key());
    let mut hints = vec![(format!("1–{last}"), "screens")];
    hints.extend(
        keys::hints()
            .into_iter()
            .filter(|(k, _)| ["q", "?", "space"].contains(&k.as_str())),
    );
    hints
}

fn render_panel(app: &App, panel: Panel, area: Rect, buf: &mut Buffer) {
    match panel {
        Panel::Chart => chart::render_chart(app, area, buf),
        Panel::Ledger => ledger::render_ledger(app, area, buf),
        Panel::Filters => filters::render_filters(app, area, buf),
        Panel::Maps => maps::render_maps(app, area, buf),
        Panel::Prediction => prediction::render_prediction(app, area, buf),
    }
}

pub fn render_too_small(area: Rect, buf: &mut Buffer) {
    let text = format!(
        "terminal too small: {}×{}, need {}×{} (all panels from {}×{})",
        area.width, area.height, MIN_SIZE.0, MIN_SIZE.1, FULL_SIZE.0, FULL_SIZE.1
    );
    Paragraph::new(text)
        .wrap(ratatui::widgets::Wrap { trim: true })
        .yellow()
        .render(area, buf);
}
