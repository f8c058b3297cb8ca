//! The bottom line: a message for this seat when there is one, else the key
//! hints.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::{self, THEME};
use crate::app::State;
use crate::app::keymap::BINDINGS;
use crate::domain::Phase;
use crate::metrics::Level;

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let room = usize::from(area.width);
    let mut spans = vec![Span::raw(" ")];
    if state.saving > 0 {
        spans.push(Span::styled("saving… ", theme::level(Level::Warn)));
    }
    match &state.view.notice {
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
            // What the night asks for now first, then as many hints as fit,
            // in the keymap's order.
            let now: &[(&str, &str)] = match state.night.phase() {
                Phase::Deploying => &[("D", "deploy done")],
                Phase::Watching | Phase::CheckIns => &[("c", "check in")],
                Phase::BeforeDeploy | Phase::Done => &[],
            };
            let mut used: usize = spans.iter().map(Span::width).sum();
            for &(key, what) in now
                .iter()
                .chain(BINDINGS.iter().filter_map(|b| b.hint.as_ref()))
            {
                let text = format!(" {what}  ");
                let width = super::format::width(key) + super::format::width(&text);
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
