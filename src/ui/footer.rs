//! Key hints along the bottom.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::{self, THEME};
use crate::app::State;
use crate::app::keymap::BINDINGS;
use crate::metrics::Level;

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    // What this seat must know beats the key hints: a failed save, a skipped line.
    if let Some(notice) = &state.notice {
        let style = if notice.error {
            theme::level(Level::Crit)
        } else {
            theme::level(Level::Warn)
        };
        Line::from(vec![
            Span::raw(" "),
            Span::styled(notice.text.clone(), style),
        ])
        .render(area, buf);
        return;
    }
    let mut spans = vec![Span::raw(" ")];
    if state.saving > 0 {
        spans.push(Span::styled("saving… ", theme::level(Level::Warn)));
    }
    for (key, what) in BINDINGS.iter().filter_map(|b| b.hint) {
        spans.push(Span::styled(key, THEME.key));
        spans.push(Span::raw(format!(" {what}   ")));
    }
    Line::from(spans).render(area, buf);
    // Whose marks this seat writes, where everyone can see it.
    Line::from(vec![
        Span::styled("as ", THEME.dim),
        Span::styled(state.actor.clone(), THEME.header),
        Span::raw(" "),
    ])
    .right_aligned()
    .render(area, buf);
}
