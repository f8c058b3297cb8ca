//! What a terminal under 80×24 shows instead of a broken layout.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::theme::THEME;
use super::{MIN_HEIGHT, MIN_WIDTH};

pub fn render(area: Rect, buf: &mut Buffer) {
    let lines = vec![
        Line::styled("warroom", THEME.header),
        Line::raw(format!(
            "Enlarge the terminal to at least {MIN_WIDTH}×{MIN_HEIGHT}"
        )),
        Line::styled(format!("(now {}×{})", area.width, area.height), THEME.dim),
    ];
    let height = (lines.len() as u16 + 2).min(area.height);
    let [middle] = Layout::vertical([Constraint::Length(height)])
        .flex(ratatui::layout::Flex::Center)
        .areas(area);
    Paragraph::new(lines)
        .centered()
        .wrap(Wrap { trim: true })
        .render(middle, buf);
}
