//! Named styles. The panes draw with roles named after the terminal's colours
//! (red is crit, yellow warn, dark grey dim); `paint` gives each its theme's
//! colour. Nothing relies on colour alone: every status has its word or sign.

mod paint;
mod palette;

pub use paint::{Look, paint, pair};
pub use palette::{Palette, Rgb, ThemeName};

use ratatui::style::{Color, Modifier, Style};

use crate::domain::{ItemStatus, Priority};
use crate::metrics::Level;

pub struct Theme {
    pub text: Style,
    pub dim: Style,
    pub title: Style,
    pub focused_title: Style,
    pub border: Style,
    pub focused_border: Style,
    pub header: Style,
    pub demo_tag: Style,
    pub selected: Style,
    pub table_header: Style,
    pub group: Style,
    pub done: Style,
    pub key: Style,
    pub warn_line: Style,
    pub crit_line: Style,
    pub series_line: Style,
    /// The header while an alert is on: the whole row, readable from across a room.
    pub alert_banner: Style,
    /// The header while a check-in is due.
    pub check_in_banner: Style,
}

pub const THEME: Theme = Theme {
    text: Style::new(),
    dim: Style::new().fg(Color::DarkGray),
    title: Style::new().add_modifier(Modifier::BOLD),
    focused_title: Style::new()
        .fg(Color::Cyan)
        .add_modifier(Modifier::BOLD.union(Modifier::REVERSED)),
    border: Style::new().fg(Color::DarkGray),
    focused_border: Style::new().fg(Color::Cyan),
    header: Style::new().add_modifier(Modifier::BOLD),
    demo_tag: Style::new()
        .fg(Color::Magenta)
        .add_modifier(Modifier::BOLD.union(Modifier::REVERSED)),
    selected: Style::new().add_modifier(Modifier::REVERSED),
    table_header: Style::new().add_modifier(Modifier::BOLD.union(Modifier::UNDERLINED)),
    group: Style::new().add_modifier(Modifier::BOLD),
    done: Style::new().fg(Color::Green),
    key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
    warn_line: Style::new().fg(Color::Yellow),
    crit_line: Style::new().fg(Color::Red),
    series_line: Style::new(),
    alert_banner: Style::new()
        .fg(Color::White)
        .bg(Color::Red)
        .add_modifier(Modifier::BOLD),
    check_in_banner: Style::new()
        .fg(Color::Black)
        .bg(Color::Yellow)
        .add_modifier(Modifier::BOLD),
};

pub fn priority(p: Priority) -> Style {
    match p {
        Priority::Critical => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        Priority::High => Style::new().fg(Color::LightRed),
        Priority::Medium => Style::new().fg(Color::Yellow),
        Priority::Low => Style::new(),
    }
}

pub fn status(s: ItemStatus) -> Style {
    match s {
        ItemStatus::Untested => Style::new().fg(Color::Yellow),
        ItemStatus::InProgress => Style::new().fg(Color::Cyan),
        ItemStatus::Passed => Style::new().fg(Color::Green),
        ItemStatus::Failed => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}

/// Risk scores: 40 and over is a red-zone risk, 15 and over amber.
pub fn risk_score(score: u16) -> Style {
    match score {
        40.. => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        15.. => Style::new().fg(Color::Yellow),
        _ => Style::new(),
    }
}

pub fn level(l: Level) -> Style {
    match l {
        Level::Ok => Style::new().fg(Color::Green),
        Level::Warn => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
        Level::Crit => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
    }
}
