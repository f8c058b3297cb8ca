//! The log overlay (`L`): the journal as the ledger read it, newest last:
//! time, who, what, and what became of it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::popup;
use super::stamp;
use super::theme::{self, THEME};
use crate::app::State;
use crate::domain::ledger::{LogLine, Outcome};
use crate::metrics::Level;

pub fn render(state: &State, scroll: usize, area: Rect, buf: &mut Buffer) {
    let width = area.width.saturating_sub(4).max(20);
    let height = area.height.saturating_sub(4).max(6);
    let log = &state.night.ledger.log;
    let hint = "j/k scroll · L or Esc to close";
    let title = format!("Journal: {} entries", log.len());
    let inner = popup::open(area, width, height, &title, hint, buf);
    if log.is_empty() {
        Paragraph::new(Line::styled(
            "Nothing marked yet. Every mark is written here, with who and when.",
            THEME.dim,
        ))
        .render(inner, buf);
        return;
    }
    let rows = usize::from(inner.height);
    // Scrolled back to the start (Home), the first page is full, not one line.
    let end = log.len().saturating_sub(scroll).max(rows.min(log.len()));
    let start = end.saturating_sub(rows);
    let width = usize::from(inner.width);
    let lines: Vec<Line> = log[start..end]
        .iter()
        .map(|l| super::format::fit_line(line(state, l), width))
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

fn line(state: &State, l: &LogLine) -> Line<'static> {
    let mut spans = vec![
        Span::styled(format!("{:>5} ", l.entry.line), THEME.dim),
        Span::raw(format!("{:<21} ", stamp::precise(state, &l.entry.stamp))),
    ];
    if let Some(role) = l.entry.connected_as() {
        spans.push(Span::styled(
            format!("(db role {}) ", crate::outside::shown(role)),
            THEME.dim,
        ));
    }
    if let Some(undone) = l.entry.undoes {
        spans.push(Span::styled(format!("undo of {undone}: "), THEME.dim));
    }
    spans.extend(outcome_spans(l));
    Line::from(spans)
}

/// What a journal line did, and what became of it: dimmed when undone or
/// ignored, with why.
pub fn outcome_spans(l: &LogLine) -> Vec<Span<'static>> {
    // Never more of a note than a line can show: a huge one costs nothing.
    let text = super::format::bounded(&l.entry.action, 4096);
    match &l.outcome {
        Outcome::Applied if l.undone => vec![
            Span::styled(text, THEME.dim),
            Span::styled(" (undone)", THEME.dim),
        ],
        Outcome::Applied => vec![Span::raw(text)],
        Outcome::Orphaned(why) => vec![
            Span::styled(text, THEME.dim),
            Span::styled(
                format!(" (orphaned: {why}; ignored)"),
                theme::level(Level::Warn),
            ),
        ],
        Outcome::Rejected(why) => vec![
            Span::styled(text, THEME.dim),
            Span::styled(
                format!(" (rejected: {why}; ignored)"),
                theme::level(Level::Warn),
            ),
        ],
    }
}
