//! Pane 2: the pre-deploy checklist in its groups, with a done/total gauge;
//! each mark says who made it and when.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::symbols;
use ratatui::text::{Line, Span};
use ratatui::widgets::{LineGauge, List, ListItem, ListState, StatefulWidget, Widget};

use super::pane;
use super::stamp;
use super::theme::THEME;
use crate::app::{Pane, State};
use crate::domain::MarkState;
use crate::domain::checklist::groups;

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let block = pane::block(state, Pane::Checklist);
    let inner = block.inner(area);
    block.render(area, buf);
    let [gauge_area, list_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    gauge(state, gauge_area, buf);

    let ledger = &state.night.ledger;
    let mut lines = Vec::new();
    let mut selected_line = 0;
    for (name, range) in groups(&ledger.checklist) {
        let group_done = range
            .clone()
            .filter(|&i| state.night.mark(i) != MarkState::Open)
            .count();
        lines.push(ListItem::new(Line::from(vec![
            Span::styled(name.to_string(), THEME.group),
            Span::styled(format!(" {group_done}/{}", range.len()), THEME.dim),
        ])));
        for i in range {
            if i == state.view.selected_check {
                selected_line = lines.len();
            }
            let line = entry_line(state, i);
            lines.push(ListItem::new(super::format::fit_line(
                line,
                usize::from(list_area.width),
            )));
        }
    }
    let focused = state.view.focus == Pane::Checklist;
    let list = List::new(lines).highlight_style(if focused {
        THEME.selected
    } else {
        Style::new()
    });
    let mut list_state = ListState::default().with_selected(Some(selected_line));
    StatefulWidget::render(list, list_area, buf, &mut list_state);
}

/// `[x] Rollback plan ready · mina 22:41`, `[-] … · joon 22:43 · n/a: no schema change`.
fn entry_line(state: &State, i: usize) -> Line<'static> {
    let entry = &state.night.ledger.checklist[i];
    let mark = state.night.ledger.marks[i].as_ref();
    let (symbol, style) = match state.night.mark(i) {
        MarkState::Done => ("[x] ", THEME.done),
        MarkState::NotApplicable => ("[-] ", THEME.dim),
        MarkState::Open => ("[ ] ", Style::new()),
    };
    let mut spans = vec![Span::styled(symbol, style), Span::raw(entry.text.clone())];
    if !entry.required {
        spans.push(Span::styled(" (optional)", THEME.dim));
    }
    if entry.after {
        spans.push(Span::styled(" (after the deploy)", THEME.dim));
    }
    // Bound to a fact: the fact says who and when, not a tick.
    let fact = state.night.fact(i);
    if let Some(fact) = fact.filter(|_| state.night.mark(i) != MarkState::NotApplicable) {
        spans.push(Span::styled(format!(" · {}", fact.text), THEME.dim));
        return Line::from(spans);
    }
    // Who and when before the reason: a long reason is what gets cut.
    if let Some(m) = mark {
        spans.push(Span::styled(
            format!(" · {}", stamp::short(state, &m.stamp)),
            THEME.dim,
        ));
        if let Some(reason) = &m.reason {
            spans.push(Span::styled(format!(" · n/a: {reason}"), THEME.dim));
        }
    }
    Line::from(spans)
}

fn gauge(state: &State, area: Rect, buf: &mut Buffer) {
    let (done, total) = state.night.checklist_progress();
    let required_open = state
        .night
        .ledger
        .checklist
        .iter()
        .enumerate()
        .filter(|(i, entry)| entry.required && state.night.mark(*i) == MarkState::Open)
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
        .render(area, buf);
}
