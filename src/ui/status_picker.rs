//! The status picker: which status to give an item, one key each. Set
//! directly, so the journal never says an item passed on its way to failed.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::popup;
use super::theme::{self, THEME};
use crate::app::State;
use crate::domain::ItemStatus;

/// The keys of the picker, in the order a test goes.
pub const CHOICES: [(char, ItemStatus); 4] = [
    ('u', ItemStatus::Untested),
    ('t', ItemStatus::InProgress),
    ('p', ItemStatus::Passed),
    ('f', ItemStatus::Failed),
];

pub fn render(state: &State, id: &str, area: Rect, buf: &mut Buffer) {
    let current = state
        .night
        .ledger
        .items
        .iter()
        .find(|i| i.id == id)
        .map(|i| i.status);
    let title = format!("Status: {}", super::format::fit(id, 30));
    let height = CHOICES.len() as u16 + 2;
    let inner = popup::open(area, 40, height, &title, "Esc leave as it is", buf);
    let lines: Vec<Line> = CHOICES
        .iter()
        .map(|(key, status)| {
            let now = if Some(*status) == current {
                "  (now)"
            } else {
                ""
            };
            Line::from(vec![
                Span::styled(format!("{key}  "), THEME.key),
                Span::styled(
                    format!("{} {}", status.symbol(), status.label()),
                    theme::status(*status),
                ),
                Span::styled(now, THEME.dim),
            ])
        })
        .collect();
    Paragraph::new(lines).render(inner, buf);
}
