//! The frame around a pane: its number and title, thick and coloured when focused.

use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType};

use super::theme::THEME;
use crate::app::{Pane, State};

pub fn block(state: &State, pane: Pane) -> Block<'static> {
    let focused = state.view.focus == pane;
    let title = Line::from(vec![
        Span::raw(" "),
        Span::raw(format!("{} {}", pane.number(), pane.title())),
        Span::raw(" "),
    ]);
    let block = Block::bordered().title(title.style(if focused {
        THEME.focused_title
    } else {
        THEME.title
    }));
    if focused {
        block
            .border_type(BorderType::Thick)
            .border_style(THEME.focused_border)
    } else {
        block.border_style(THEME.border)
    }
}
