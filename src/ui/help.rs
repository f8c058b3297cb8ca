//! The help overlay: every key, from the keymap's own table.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table, Widget};

use super::popup;
use super::theme::THEME;
use crate::app::keymap::BINDINGS;

pub fn render(area: Rect, buf: &mut Buffer) {
    let height = BINDINGS.len() as u16 + 2;
    let inner = popup::open(area, 76, height, "Help: keys", "? or Esc to close", buf);
    let rows = BINDINGS
        .iter()
        .map(|b| Row::new([Line::styled(b.keys, THEME.key), Line::raw(b.action)]));
    Table::new(rows, [Constraint::Length(18), Constraint::Fill(1)]).render(inner, buf);
}
