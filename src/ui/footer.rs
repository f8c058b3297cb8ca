//! The bottom line: a message for this seat when there is one, else the key
//! hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::{self, THEME};
use crate::app::State;
use crate::app::keymap::BINDINGS;
use crate::metrics::Level;

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let room = usize::from(area.width);
    let mut spans = vec![Span::raw(" ")];
    if state.saving > 0 {
        spans.push(Span::styled("saving… ", theme::level(Level::Warn)));
    }
    match &state.notice {
        // What this seat must know beats the key hints: a failed save, a skipped line.
        Some(notice) => {
            let style = theme::level(if notice.error {
                Level::Crit
            } else {
                Level::Warn
            });
            spans.push(Span::styled(notice.text.clone(), style));
        }
        None => {
            // As many hints as fit, in the keymap's order.
            let mut used: usize = spans.iter().map(Span::width).sum();
            for (key, what) in BINDINGS.iter().filter_map(|b| b.hint) {
                let text = format!(" {what}  ");
                let width = key.chars().count() + text.chars().count();
                if used + width > room {
                    break;
                }
                used += width;
                spans.push(Span::styled(key, THEME.key));
                spans.push(Span::raw(text));
            }
        }
    }
    Line::from(spans).render(area, buf);
}
