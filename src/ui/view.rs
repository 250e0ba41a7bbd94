//! The frame: a pure function of the `App`, drawn region by region where `layout` puts them.
//! One `render_*` function per panel, in the panel's own module.

use super::app::{App, Panel};
use super::bars::{render_banner, render_hint_pairs, render_hints, render_status, render_tabs};
use super::compare::{COMPARE_KEYS, view as compare_view};
use super::inspect;
use super::keys;
use super::layout::{FULL_SIZE, MIN_SIZE, app_areas, focus_areas};
use super::lessons::{LESSON_KEYS, view as lessons_view};
use super::panels::{chart, filters, focus, focus_text, ledger, maps, prediction};
use super::screen::Screen;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Stylize;
use ratatui::widgets::{Paragraph, Widget};

impl Widget for &App {
    fn render(self, area: Rect, buf: &mut Buffer) {
        // The focus view opens over the dashboard, or over the inspect screen's filter page.
        if self.focus_view.is_some() {
            render_focus_screen(self, area, buf);
        } else if self.screen != Screen::Dashboard {
            render_other_screen(self, area, buf);
        } else {
            render_dashboard(self, area, buf);
        }
        // `q` works on every screen, so its question is drawn over whichever is shown.
        if self.keep.asking {
            super::keep::render_quit_question(self, area, buf);
        }
    }
}

fn render_dashboard(app: &App, area: Rect, buf: &mut Buffer) {
    let Some(areas) = app_areas(app, area) else {
        render_too_small(area, buf);
        return;
    };
    render_status(app, areas.status, buf);
    render_banner(app, areas.banner, buf);
    if let Some(tabs) = areas.tabs {
        render_tabs(app, tabs, buf);
    }
    for &(panel, rect) in &areas.panels {
        render_panel(app, panel, rect, buf);
    }
    render_hints(app, areas.hints, buf);
    lessons_view::render_card(app, between(areas.banner, areas.hints), buf);
    if app.help {
        super::help::render_help(app, area, buf);
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
    lessons_view::render_card(app, areas.body, buf);
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
            let own = inspect::hints(&app.inspect);
            render_hint_pairs(own.into_iter().chain(screen_hints()), app, areas.hints, buf);
        }
        Screen::Labs => {
            super::labs::view::render_labs(app, areas.body, buf);
            let own = super::labs::view::page_hints(app.labs.page);
            render_hint_pairs(own.into_iter().chain(screen_hints()), app, areas.hints, buf);
        }
        Screen::Compare => {
            compare_view::render_compare(app, areas.body, buf);
            let own = keys::hints_of(COMPARE_KEYS)
                .into_iter()
                .map(|(k, w)| match w {
                    "unit" => ("←→".to_string(), w),
                    "page" => ("Tab".to_string(), w),
                    _ => (k, w),
                });
            render_hint_pairs(own.chain(screen_hints()), app, areas.hints, buf);
        }
        Screen::Lessons => {
            lessons_view::render_lessons(app, areas.body, buf);
            let own = keys::hints_of(LESSON_KEYS)
                .into_iter()
                .map(|(k, w)| match w {
                    "choose" => ("↑↓".to_string(), w),
                    _ => (k, w),
                });
            render_hint_pairs(own.chain(screen_hints()), app, areas.hints, buf);
        }
    }
    if app.screen != Screen::Lessons {
        lessons_view::render_card(app, areas.body, buf);
    }
    if app.help {
        super::help::render_help(app, area, buf);
    }
}

/// The rows between two areas (the panels between the banner and the hint bar).
fn between(top: Rect, bottom: Rect) -> Rect {
    let y = top.bottom();
    Rect::new(top.x, y, top.width, bottom.y.saturating_sub(y))
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
