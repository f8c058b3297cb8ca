//! The question before undo takes back an approval or the deploy mark:
//! what it is, and that one key more does it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::popup;
use super::theme::THEME;

pub fn render(what: &str, area: Rect, buf: &mut Buffer) {
    let width = area.width.saturating_sub(4).clamp(20, 72);
    let inner = popup::open(
        area,
        width,
        7,
        "Undo?",
        "y take it back · any other key keeps it",
        buf,
    );
    let lines = vec![
        Line::raw(format!("Take back {}?", crate::outside::shown(what))),
        Line::raw(""),
        Line::styled(
            "Every seat sees it taken back at once, and the gate judges again.",
            THEME.dim,
        ),
    ];
    Paragraph::new(lines)
        .wrap(Wrap { trim: true })
        .render(inner, buf);
}
