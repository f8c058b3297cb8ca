//! A box centred over the panes, cleared underneath.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Clear, Widget};

use super::theme::THEME;

/// Clears a `width`×`height` box in the middle of `area` (shrunk to fit),
/// draws its frame and returns the inside.
pub fn open(
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    hint: &str,
    buf: &mut Buffer,
) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    Clear.render(popup, buf);
    let block = Block::bordered()
        .title(Line::styled(format!(" {title} "), THEME.header))
        .title_bottom(Line::styled(format!(" {hint} "), THEME.dim).right_aligned())
        .border_style(THEME.focused_border)
        .padding(ratatui::widgets::Padding::horizontal(1));
    let inner = block.inner(popup);
    block.render(popup, buf);
    inner
}
