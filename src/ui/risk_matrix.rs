//! The risk matrix overlay (`m`): impact up, likelihood across, each item in
//! its cell, coloured by score, the biggest risk named.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::popup;
use super::theme::{self, THEME};
use crate::app::State;
use crate::domain::item::{by_risk, top_risk};

const SIDE: u16 = 10;

/// Room for the axis labels left of the grid.
const LABEL: u16 = 4;

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let items = &state.night.ledger.items;
    // Cells wide enough for the longest id, as far as the screen allows.
    let longest = items
        .iter()
        .map(|i| super::format::width(&i.id))
        .max()
        .unwrap_or(1) as u16;
    let width = (LABEL + SIDE * (longest + 1) + 4).min(area.width.saturating_sub(4));
    let scored = items.iter().filter(|i| i.risk.is_some()).count() as u16;
    let height = (SIDE + 2 + 2 + scored).min(area.height.saturating_sub(2));
    let inner = popup::open(area, width, height, "Risk matrix", "m or Esc to close", buf);
    let [grid_area, list_area] =
        Layout::vertical([Constraint::Length(SIDE + 2), Constraint::Fill(1)]).areas(inner);
    grid(state, grid_area, buf);
    list(state, list_area, buf);
}

/// Rows impact 10 to 1, columns likelihood 1 to 10: the first id in each cell,
/// `+N` when more share it.
fn grid(state: &State, area: Rect, buf: &mut Buffer) {
    let items = &state.night.ledger.items;
    let cell = ((area.width.saturating_sub(LABEL)) / SIDE).max(3);
    let top = top_risk(items);
    let order = by_risk(items);
    let mut lines = Vec::new();
    for impact in (1..=SIDE as u8).rev() {
        let mut spans = vec![Span::styled(format!("{impact:>3} "), THEME.dim)];
        for likelihood in 1..=SIDE as u8 {
            let here: Vec<usize> = order
                .iter()
                .copied()
                .filter(|&i| {
                    items[i]
                        .risk
                        .is_some_and(|r| r.impact == impact && r.likelihood == likelihood)
                })
                .collect();
            let score = u16::from(impact) * u16::from(likelihood);
            let width = usize::from(cell);
            let text = match here.as_slice() {
                [] => format!("{:^width$}", "·"),
                [one] => fit(&items[*one].id, width),
                [first, rest @ ..] => fit(&format!("{}+{}", items[*first].id, rest.len()), width),
            };
            let mut style = if here.is_empty() {
                THEME.dim
            } else {
                theme::risk_score(score)
            };
            if here.iter().any(|&i| Some(i) == top) {
                style = style.add_modifier(Modifier::REVERSED | Modifier::BOLD);
            }
            spans.push(Span::styled(text, style));
        }
        lines.push(Line::from(spans));
    }
    let mut axis = format!("{:>3} ", "");
    for likelihood in 1..=SIDE {
        axis.push_str(&format!("{:^w$}", likelihood, w = usize::from(cell)));
    }
    lines.push(Line::styled(axis, THEME.dim));
    lines.push(Line::styled(
        "impact ↑   likelihood →   score = impact × likelihood",
        THEME.dim,
    ));
    Paragraph::new(lines).render(area, buf);
}

/// The items with risk figures, biggest first: the figures the matrix places;
/// those that do not fit are counted.
fn list(state: &State, area: Rect, buf: &mut Buffer) {
    let items = &state.night.ledger.items;
    let mut lines: Vec<Line> = by_risk(items)
        .into_iter()
        .filter_map(|i| {
            let item = &items[i];
            let r = item.risk?;
            Some(Line::from(vec![
                Span::styled(format!("{:>3} ", r.score()), theme::risk_score(r.score())),
                Span::raw(format!(
                    "{:<14} {}×{}, recovery {}  ",
                    item.id,
                    r.impact,
                    r.likelihood,
                    humantime::format_duration(r.recovery)
                )),
                Span::styled(item.title.clone(), THEME.dim),
            ]))
        })
        .collect();
    let rows = usize::from(area.height);
    if lines.len() > rows && rows > 0 {
        let hidden = lines.len() - (rows - 1);
        lines.truncate(rows - 1);
        lines.push(Line::styled(format!("+{hidden} more"), THEME.dim));
    }
    Paragraph::new(lines).render(area, buf);
}

/// `text` cut or padded to `width`, with a space to keep cells apart.
fn fit(text: &str, width: usize) -> String {
    let room = width.saturating_sub(1);
    format!("{} ", super::format::pad(text, room))
}
