//! The help overlay: every key, from the keymap's own table.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Row, Table, Widget};

use super::theme::THEME;
use crate::app::keymap::BINDINGS;

pub fn render(area: Rect, buf: &mut Buffer) {
    let height = BINDINGS.len() as u16 + 2;
    let [popup] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(64)])
        .flex(Flex::Center)
        .areas(popup);
    Clear.render(popup, buf);
    let rows = BINDINGS
        .iter()
        .map(|b| Row::new([Line::styled(b.keys, THEME.key), Line::raw(b.action)]));
    Table::new(rows, [Constraint::Length(16), Constraint::Fill(1)])
        .block(
            Block::bordered()
                .title(Line::styled(" Help: keys ", THEME.header))
                .title_bottom(Line::styled(" ? or Esc to close ", THEME.dim).right_aligned())
                .border_style(THEME.focused_border)
                .padding(ratatui::widgets::Padding::horizontal(1)),
        )
        .render(popup, buf);
}
