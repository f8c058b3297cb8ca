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

/// Always at the right end, whatever else the line holds: how to find every
/// other key, and how to leave.
const ALWAYS: [(&str, &str); 2] = [("?", "help"), ("q", "quit")];

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let tail: Vec<Span> = ALWAYS
        .iter()
        .flat_map(|&(key, what)| {
            [
                Span::styled(moved(state, key), THEME.key),
                Span::raw(format!(" {what}  ")),
            ]
        })
        .collect();
    let tail_width: usize = tail.iter().map(Span::width).sum();
    // On a footer too narrow for them, the rest of the line comes first.
    let tail_width = if tail_width * 2 <= usize::from(area.width) {
        tail_width
    } else {
        0
    };
    let room = usize::from(area.width) - tail_width;
    let mut spans = vec![Span::raw(" ")];
    if state.saving > 0 {
        spans.push(Span::styled("saving… ", theme::level(Level::Warn)));
    }
    if state.view.overlay == crate::app::Overlay::Filter {
        spans.extend([
            Span::styled("filter items: ", THEME.dim),
            Span::styled("Enter", THEME.key),
            Span::raw(" keeps it  "),
            Span::styled("Esc", THEME.key),
            Span::raw(" shows all  "),
        ]);
    } else {
        hints_or_notice(state, room, tail_width > 0, &mut spans);
    }
    Line::from(spans).render(area, buf);
    if tail_width > 0 {
        let right = Rect {
            x: area.x + area.width - tail_width as u16,
            width: tail_width as u16,
            ..area
        };
        Line::from(tail).render(right, buf);
    }
}

/// What this seat must know, or else the key hints that fit in `room`.
fn hints_or_notice(state: &State, room: usize, tail_shown: bool, spans: &mut Vec<Span<'static>>) {
    match &state.view.notice {
        // What this seat must know beats the key hints: a failed save, a skipped line.
        Some(notice) => {
            let style = theme::level(if notice.error {
                Level::Crit
            } else {
                Level::Warn
            });
            let used: usize = spans.iter().map(Span::width).sum();
            let text = super::format::fit(&notice.text, room.saturating_sub(used + 1));
            spans.push(Span::styled(text, style));
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
            let hints = BINDINGS
                .iter()
                .filter_map(|b| b.hint.as_ref())
                .filter(|(key, _)| !tail_shown || !ALWAYS.iter().any(|(k, _)| k == key));
            // Presenting, the hints are how to move on and how to stop.
            let presenting: &[(&str, &str)] = if state.view.present {
                &[("Tab", "next pane"), ("p", "stop presenting")]
            } else {
                &[]
            };
            for &(key, what) in presenting.iter().chain(now).chain(hints) {
                let key = moved(state, key);
                let text = format!(" {what}  ");
                let width = super::format::width(&key) + super::format::width(&text);
                if used + width > room {
                    break;
                }
                used += width;
                spans.push(Span::styled(key, THEME.key));
                spans.push(Span::raw(text));
            }
        }
    }
}

/// A hint's key where this seat's config moved it.
fn moved(state: &State, key: &str) -> String {
    let mut chars = key.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) => state
            .keys
            .moved_to(c)
            .map_or_else(|| key.to_string(), String::from),
        _ => key.to_string(),
    }
}
