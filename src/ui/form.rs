//! A form over the panes: its fields, the one being typed in, and what is
//! wrong with each.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::theme::{self, THEME};
use super::{format, popup};
use crate::app::form::Form;
use crate::metrics::Level;

const LABEL_WIDTH: usize = 16;

pub fn render(form: &Form, area: Rect, buf: &mut Buffer) {
    let errors = form.fields.iter().filter(|f| f.error.is_some()).count() as u16;
    // As wide as the longest context line wants, on a screen with the room;
    // what is still too long goes on to the next line, never cut.
    let longest = form
        .context
        .iter()
        .map(|c| format::width(c))
        .max()
        .unwrap_or(0);
    let width = (longest as u16 + 4).clamp(90, area.width.saturating_sub(4).max(90));
    let text_width = usize::from(width.min(area.width).saturating_sub(4));
    let mut context: Vec<String> = form
        .context
        .iter()
        .flat_map(|c| format::wrap(c, text_width))
        .collect();
    // The fields always show: on a short screen the context gives way, and
    // says how much of it did.
    let fields_rows = form.fields.len() + usize::from(errors);
    let room = usize::from(area.height).saturating_sub(fields_rows + 3);
    if context.len() > room {
        let cut = context.len() - room.saturating_sub(1);
        context.truncate(room.saturating_sub(1));
        context.push(format!(
            "… {cut} more lines: enlarge the terminal to read them"
        ));
    }
    let context_rows = context.len() as u16 + u16::from(!context.is_empty());
    let height = context_rows + form.fields.len() as u16 + errors + 2;
    let hint = "Enter save · Tab next field · Esc cancel";
    let inner = popup::open(area, width, height, &form.title, hint, buf);
    // One line a field: a long value shows its end, where the typing is.
    let room = usize::from(inner.width).saturating_sub(LABEL_WIDTH + 1);
    let mut lines: Vec<Line> = context
        .into_iter()
        .map(|c| Line::styled(c, THEME.dim))
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
