//! Pane 2: the pre-deploy checklist in its groups, with a done/total gauge.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, List, ListItem, ListState, StatefulWidget, Widget};

use super::pane;
use super::theme::THEME;
use crate::app::{Pane, State};
use crate::domain::checklist::groups;

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let block = pane::block(state, Pane::Checklist);
    let inner = block.inner(area);
    block.render(area, buf);
    let [gauge_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);

    let (done, total) = state.checklist_progress();
    let required_open = state
        .plan
        .checklist
        .iter()
        .zip(&state.checklist_done)
        .filter(|(entry, done)| entry.required && !**done)
        .count();
    let ratio = if total == 0 {
        0.0
    } else {
        done as f64 / total as f64
    };
    LineGauge::default()
        .filled_symbol(symbols::line::THICK_HORIZONTAL)
        .unfilled_symbol(symbols::line::HORIZONTAL)
        .filled_style(if done == total {
            THEME.done
        } else {
            THEME.text
        })
        .unfilled_style(THEME.dim)
        .label(Line::from(vec![
            Span::styled(format!("{done}/{total} done"), THEME.header),
            Span::styled(format!(" · {required_open} required open "), THEME.dim),
        ]))
        .ratio(ratio)
        .render(gauge_area, buf);

    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (name, range) in groups(&state.plan.checklist) {
        let group_done = state.checklist_done[range.clone()]
            .iter()
            .filter(|d| **d)
            .count();
        lines.push(ListItem::new(Line::from(vec![
            Span::styled(name.to_string(), THEME.group),
            Span::styled(format!(" {group_done}/{}", range.len()), THEME.dim),
        ])));
        for i in range {
            if i == state.selected_check {
                selected_line = lines.len();
            }
            let entry = &state.plan.checklist[i];
            let done = state.checklist_done[i];
            let (mark, style) = if done {
                ("[x] ", THEME.done)
            } else {
                ("[ ] ", Style::new())
            };
            let mut spans = vec![Span::styled(mark, style), Span::raw(entry.text.clone())];
            if !entry.required {
                spans.push(Span::styled(" (optional)", THEME.dim));
            }
            lines.push(ListItem::new(Line::from(spans)));
        }
    }
    let focused = state.focus == Pane::Checklist;
    let list = List::new(lines).highlight_style(if focused {
        THEME.selected
    } else {
        Style::new()
    });
    let mut list_state = ListState::default().with_selected(Some(selected_line));
    StatefulWidget::render(list, list_area, buf, &mut list_state);
}
