//! A document of the night before it is written (`r`): its Markdown as it
//! will be pasted, scrolled with j/k, the kind changed with ← →.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::popup;
use crate::app::State;
use crate::report::Kind;

pub fn render(state: &State, kind: Kind, text: &str, scroll: usize, area: Rect, buf: &mut Buffer) {
    let width = area.width.saturating_sub(4).max(20);
    let height = area.height.saturating_sub(2).max(6);
    let file = kind.file_name(&state.night.plan.release.name);
    let title = format!("Report: {} → {file}", kind.name());
    let hint = "← → risk · deploy · retro · j/k scroll · w write · Esc close";
    let inner = popup::open(area, width, height, &title, hint, buf);
    let lines: Vec<&str> = text.lines().collect();
    let rows = usize::from(inner.height);
    let top = scroll.min(lines.len().saturating_sub(rows));
    let shown: Vec<Line> = lines
        .iter()
        .skip(top)
        .take(rows)
        .map(|l| super::format::fit_line(Line::raw(l.to_string()), usize::from(inner.width)))
        .collect();
    Paragraph::new(shown).render(inner, buf);
}
