//! A form over the panes: its fields, the one being typed in, and what is
//! wrong with each.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::popup;
use super::theme::{self, THEME};
use crate::app::form::Form;
use crate::metrics::Level;

const LABEL_WIDTH: usize = 16;

pub fn render(form: &Form, area: Rect, buf: &mut Buffer) {
    let errors = form.fields.iter().filter(|f| f.error.is_some()).count() as u16;
    let context = form.context.len() as u16 + u16::from(!form.context.is_empty());
    let height = context + form.fields.len() as u16 + errors + 2;
    let hint = "Enter save · Tab next field · Esc cancel";
    let inner = popup::open(area, 90, height, &form.title, hint, buf);
    // One line a field: a long value shows its end, where the typing is.
    let room = usize::from(inner.width).saturating_sub(LABEL_WIDTH + 1);
    let mut lines: Vec<Line> = form
        .context
        .iter()
        .map(|c| Line::styled(c.clone(), THEME.dim))
        .collect();
    if !lines.is_empty() {
        lines.push(Line::raw(""));
    }
    for (i, field) in form.fields.iter().enumerate() {
        let focused = i == form.focus;
        let label = format!("{:<LABEL_WIDTH$}", field.label);
        let mut spans = vec![Span::styled(label, THEME.header)];
        let count = field.value.chars().count();
        let shown: String = field
            .value
            .chars()
            .skip(count.saturating_sub(room))
            .collect();
        if focused {
            spans.push(Span::styled(format!("{shown}▏"), THEME.selected));
        } else {
            spans.push(Span::raw(shown));
        }
        lines.push(Line::from(spans));
        if let Some(error) = &field.error {
            lines.push(Line::from(vec![
                Span::raw(" ".repeat(LABEL_WIDTH)),
                Span::styled(error.clone(), theme::level(Level::Crit)),
            ]));
        }
    }
    Paragraph::new(lines).render(inner, buf);
}
