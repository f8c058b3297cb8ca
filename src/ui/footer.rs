//! Key hints along the bottom.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::THEME;
use crate::app::State;
use crate::app::keymap::BINDINGS;

pub fn render(_state: &State, area: Rect, buf: &mut Buffer) {
    let mut spans = vec![Span::raw(" ")];
    for (key, what) in BINDINGS.iter().filter_map(|b| b.hint) {
        spans.push(Span::styled(key, THEME.key));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    Line::from(spans).render(area, buf);
}
