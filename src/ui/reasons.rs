//! The reasons overlay (`g`): every reason of the verdict, and the approval
//! with what it accepted.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget, Wrap};

use super::popup;
use super::stamp;
use super::theme::{self, THEME};
use crate::app::State;
use crate::domain::gate::{Severity, Verdict};
use crate::metrics::Level;

const WIDTH: u16 = 100;
const INDENT: &str = "        ";

pub fn render(state: &State, verdict: &Verdict, area: Rect, buf: &mut Buffer) {
    let height = (lines(state, verdict, usize::MAX).len() as u16 + 2).max(5);
    let n = verdict.reasons.len();
    let title = format!(
        "{}: {n} reason{}",
        verdict.label(),
        if n == 1 { "" } else { "s" }
    );
    let hint = "A approve · g or Esc to close";
    let inner = popup::open(area, WIDTH, height, &title, hint, buf);
    // The items lines are cut to the popup, never wrapped, so its height
    // counts every line.
    let room = usize::from(inner.width).saturating_sub(INDENT.len());
    Paragraph::new(lines(state, verdict, room))
        .wrap(Wrap { trim: false })
        .render(inner, buf);
}

fn lines(state: &State, verdict: &Verdict, room: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    if verdict.reasons.is_empty() {
        lines.push(Line::styled("Every rule of the gate holds.", THEME.dim));
    }
    for reason in &verdict.reasons {
        let (mark, style) = match reason.severity {
            Severity::Block => ("✗ block ", theme::level(Level::Crit)),
            _ => ("! warn  ", theme::level(Level::Warn)),
        };
        lines.push(Line::from(vec![
            Span::styled(mark, style),
            Span::raw(reason.said()),
        ]));
        if let Some(items) = reason.items() {
            lines.push(Line::from(vec![
                Span::raw(INDENT),
                Span::styled(
                    super::format::fit(&format!("items: {items}"), room),
                    THEME.dim,
                ),
            ]));
        }
    }
    if let Some(a) = state.night.ledger.approval() {
        lines.push(Line::raw(""));
        let stale = if state.night.ledger.approval_stale_because(verdict).is_some() {
            " (stale: a blocker stands that was not there then)"
        } else {
            ""
        };
        lines.push(Line::from(vec![
            Span::styled(
                format!("Approved by {}{stale}: ", stamp::short(state, &a.stamp)),
                THEME.header,
            ),
            Span::raw(a.statement.clone()),
        ]));
        if let Some(why) = &a.override_reason {
            lines.push(Line::from(vec![
                Span::styled("Risk accepted: ", THEME.header),
                Span::raw(why.clone()),
            ]));
        }
    }
    lines
}
