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

/// The list's rows: a group's name (`None`) or an entry by index.
fn rows(state: &State) -> Vec<Option<usize>> {
    let mut rows = Vec::new();
    for (_, range) in groups(&state.night.ledger.checklist) {
        rows.push(None);
        rows.extend(range.map(Some));
    }
    rows
}

/// The first row shown in a list `height` rows tall: just enough scrolled to
/// show the selection, as it is drawn.
fn offset(state: &State, rows: &[Option<usize>], height: usize) -> usize {
    let selected = rows
        .iter()
        .position(|r| *r == Some(state.view.selected_check))
        .unwrap_or(0);
    selected.saturating_sub(height.saturating_sub(1))
}

/// The list inside the pane: under the borders and the gauge.
fn list_area(area: Rect) -> Rect {
    let inner = Rect {
        x: area.x + 1,
        y: area.y + 1,
        width: area.width.saturating_sub(2),
        height: area.height.saturating_sub(2),
    };
    let [_, list] = Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(inner);
    list
}

/// The entry drawn at a cell of the pane at `area`, and whether the cell is
/// its box (`[ ]`): what a click there means.
pub fn entry_at(state: &State, area: Rect, x: u16, y: u16) -> Option<(usize, bool)> {
    let list = list_area(area);
    if !list.contains(ratatui::layout::Position { x, y }) {
        return None;
    }
    let rows = rows(state);
    let offset = offset(state, &rows, usize::from(list.height));
    let entry = (*rows.get(offset + usize::from(y - list.y))?)?;
    Some((entry, x < list.x + 3))
}

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let list_area = list_area(area);
    let rows = rows(state);
    let offset = offset(state, &rows, usize::from(list_area.height));
    let shown = offset..(offset + usize::from(list_area.height)).min(rows.len());
    let above = rows[..shown.start].iter().flatten().count();
    let below = rows[shown.end..].iter().flatten().count();
    let mut block = pane::block(state, Pane::Checklist);
    // What the list hides, said where it is hidden: PgDn shows the next page.
    if above + below > 0 {
        let mut said = String::from(" ");
        if above > 0 {
            said.push_str(&format!("↑{above} "));
        }
        if below > 0 {
            said.push_str(&format!("↓{below} more "));
        }
        said.push_str("· PgDn ");
        block = block.title_bottom(Line::styled(said, THEME.dim).right_aligned());
    }
    let inner = block.inner(area);
    block.render(area, buf);
    let [gauge_area, _] =
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
        let mut heading = vec![
            Span::styled(name.to_string(), THEME.group),
            Span::styled(format!(" {group_done}/{}", range.len()), THEME.dim),
        ];
        // A group is on one side of the deploy: said once, on its heading.
        if ledger.checklist.get(range.start).is_some_and(|e| e.after) {
            heading.push(Span::styled(" (after the deploy)", THEME.dim));
        }
        lines.push(ListItem::new(Line::from(heading)));
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
    let mut list_state = ListState::default()
        .with_offset(offset)
        .with_selected(Some(selected_line));
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
    let due = state.night.checklist_due();
    let required_open = state
        .night
        .ledger
        .checklist
        .iter()
        .enumerate()
        .filter(|(i, entry)| entry.required && due[*i] && state.night.mark(*i) == MarkState::Open)
        .count();
    let later = due.iter().filter(|d| !**d).count();
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
            Span::styled(
                match later {
                    0 => String::new(),
                    n => format!("· {n} after the deploy "),
                },
                THEME.dim,
            ),
        ]))
        .ratio(ratio)
        .render(area, buf);
}
