//! The help overlay: every key, from the keymap's own table; on a short
//! screen it scrolls, and says what is below.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Row, Table, Widget};

use super::popup;
use super::theme::THEME;
use crate::app::keymap::BINDINGS;
use crate::config::KeyOverrides;

/// A binding's key as this seat's config has it: `a (was A)`.
pub fn shown_key(keys: &KeyOverrides, default: &str) -> String {
    let mut chars = default.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => match keys.moved_to(c) {
            Some(to) => format!("{to} (was {c})"),
            None => default.to_string(),
        },
        _ => default.to_string(),
    }
}

/// Bindings the overlay shows at once on a screen this tall: the popup's
/// frame takes two rows, and it leaves one free above and below.
pub fn rows(screen_height: u16) -> usize {
    usize::from(screen_height.saturating_sub(4)).min(BINDINGS.len())
}

pub fn render(keys: &KeyOverrides, scroll: usize, area: Rect, buf: &mut Buffer) {
    let shown = rows(area.height);
    let scroll = scroll.min(BINDINGS.len() - shown);
    let below = BINDINGS.len() - shown - scroll;
    let hint = match (scroll, below) {
        (0, 0) => "? or Esc to close".to_string(),
        (_, 0) => format!("↑{scroll} · ? or Esc to close"),
        (0, _) => format!("↓{below} more (j, PgDn) · ? or Esc to close"),
        _ => format!("↑{scroll} ↓{below} more · ? or Esc to close"),
    };
    let inner = popup::open(area, 84, shown as u16 + 2, "Help: keys", &hint, buf);
    let rows = BINDINGS.iter().skip(scroll).take(shown).map(|b| {
        Row::new([
            Line::styled(shown_key(keys, b.keys), THEME.key),
            Line::raw(b.action),
        ])
    });
    Table::new(rows, [Constraint::Length(18), Constraint::Fill(1)]).render(inner, buf);
}
