//! Pane 1: the release items, biggest risk first, the top risk unmissable.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Cell, Row, StatefulWidget, Table, TableState};

use super::format::fit;
use super::pane;
use super::stamp;
use super::theme::{self, THEME};
use crate::app::{Pane, State};
use crate::domain::item::top_risk;
use crate::domain::{ItemStatus, ReleaseItem};

/// Borders and the header row.
pub const CHROME_ROWS: u16 = 3;

/// Which columns fit, widest layout first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Columns {
    All,
    WithTitle,
    Narrow,
}

impl Columns {
    fn for_width(inner: u16) -> Columns {
        match inner {
            100.. => Columns::All,
            60.. => Columns::WithTitle,
            _ => Columns::Narrow,
        }
    }
}

/// What each column's longest text needs, up to a limit.
struct Natural {
    id: usize,
    title: usize,
    owner: usize,
    changed: usize,
}

fn natural(state: &State) -> Natural {
    let items = &state.night.ledger.items;
    let widest = |texts: &mut dyn Iterator<Item = String>, floor: usize| {
        texts
            .map(|t| super::format::width(&t))
            .max()
            .unwrap_or(0)
            .max(floor)
    };
    Natural {
        id: widest(&mut items.iter().map(|i| i.id.clone()), 2).min(16),
        // With room for a note's `✎ `.
        title: widest(&mut items.iter().map(|i| i.title.clone()), 5) + 2,
        owner: widest(
            &mut items.iter().map(|i| i.owner.clone().unwrap_or_default()),
            "Owner".len(),
        )
        .min(OWNER_MOST),
        changed: widest(
            &mut state
                .night
                .ledger
                .item_stamps
                .iter()
                .flatten()
                .map(|s| stamp::short(state, s)),
            "Changed".len(),
        )
        .min(CHANGED_MOST),
    }
}

/// The pane's width that shows every column whole, borders included.
pub fn wanted_width(state: &State) -> u16 {
    let n = natural(state);
    // Priority, status, risk, recovery; a space between the eight columns.
    let fixed = 8 + 10 + 8 + 8 + 7;
    u16::try_from(n.id + n.title + n.owner + n.changed + fixed + 2).unwrap_or(u16::MAX)
}

/// The first item row shown: the table scrolls just enough to show the selection.
fn offset(state: &State, visible: usize) -> usize {
    state
        .view
        .selected_item
        .saturating_sub(visible.saturating_sub(1))
}

/// The item (its place in the shown order) drawn on row `y` of the pane at `area`.
pub fn item_at(state: &State, area: Rect, y: u16) -> Option<usize> {
    let visible = usize::from(area.height.saturating_sub(CHROME_ROWS));
    // Under the top border and the column names.
    let row = usize::from(y.checked_sub(area.y + 2)?);
    let index = offset(state, visible) + row;
    (row < visible && index < state.view.item_order.len()).then_some(index)
}

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let items = &state.night.ledger.items;
    let passed = items
        .iter()
        .filter(|i| i.status == ItemStatus::Passed)
        .count();
    let visible = usize::from(area.height.saturating_sub(CHROME_ROWS));
    // The table scrolls just enough to show the selection; say what it hides.
    let offset = offset(state, visible);
    // Counted among the items shown: a filter hides the others on purpose.
    let shown = state.view.item_order.len();
    let above = offset.min(shown);
    let below = shown.saturating_sub(offset + visible);
    let mut summary = String::from(" ");
    if above > 0 {
        summary.push_str(&format!("↑{above} "));
    }
    if below > 0 {
        summary.push_str(&format!("↓{below} more · "));
    }
    summary.push_str(&format!(
        "{passed}/{} passed · {} open ",
        items.len(),
        items.len() - passed
    ));
    let mut block = pane::block(state, Pane::Items)
        .title(Line::styled(format!(" by {} ", state.view.sort.label()), THEME.dim).right_aligned())
        .title_bottom(Line::from(summary).right_aligned());
    // A filtered list says so where the eye is, with what it hides.
    if let Some(filter) = &state.view.filter {
        let typing = state.view.overlay == crate::app::Overlay::Filter;
        block = block.title(Line::from(vec![
            Span::styled(
                format!(" /{filter}{} ", if typing { "▏" } else { "" }),
                THEME.key,
            ),
            Span::styled(
                format!("{} of {} shown ", state.view.item_order.len(), items.len()),
                THEME.dim,
            ),
        ]));
    }
    let inner_width = block.inner(area).width;
    let columns = Columns::for_width(inner_width);
    // Without a Changed column, the selected item's last change goes below.
    let block = match state.view.item_order.get(state.view.selected_item) {
        Some(&i) if columns != Columns::All => match &state.night.ledger.item_stamps[i] {
            Some(s) => block.title_bottom(Line::styled(
                format!(" {}: {} ", items[i].id, stamp::short(state, s)),
                THEME.dim,
            )),
            None => block,
        },
        _ => block,
    };
    let id_width = items
        .iter()
        .map(|i| super::format::width(&i.id))
        .max()
        .unwrap_or(2)
        .clamp(2, 16) as u16;
    let top = top_risk(items);

    let Natural {
        title: title_wants,
        owner: owner_wants,
        changed: changed_wants,
        ..
    } = natural(state);
    let (owner_width, changed_width) = if columns == Columns::All {
        // The fixed columns but these two: id, priority, status, risk,
        // recovery, and a space between each two of the eight.
        let others = usize::from(id_width) + 8 + 10 + 8 + 8 + 7;
        let title_room = usize::from(inner_width).saturating_sub(others);
        let short = (title_wants + owner_wants + changed_wants).saturating_sub(title_room);
        let owner_gives = short.min(owner_wants.saturating_sub(OWNER.min(owner_wants)));
        let changed_gives =
            (short - owner_gives).min(changed_wants.saturating_sub(CHANGED.min(changed_wants)));
        (owner_wants - owner_gives, changed_wants - changed_gives)
    } else {
        (0, 0)
    };
    let cut = |title: usize| Cut {
        id: usize::from(id_width),
        title,
        owner: owner_width,
        changed: changed_width,
    };

    let mut widths = vec![Constraint::Length(id_width)];
    let mut header = vec!["ID"];
    if columns != Columns::Narrow {
        widths.push(Constraint::Fill(1));
        header.push("Title");
    }
    widths.extend([Constraint::Length(8), Constraint::Length(10)]);
    header.extend(["Priority", "Status"]);
    if columns == Columns::All {
        widths.push(Constraint::Length(owner_width as u16));
        header.push("Owner");
    }
    widths.push(Constraint::Length(8));
    header.push("Risk");
    if columns == Columns::All {
        widths.push(Constraint::Length(8));
        header.push("Recovery");
    }
    if columns == Columns::All {
        widths.push(Constraint::Length(changed_width as u16));
        header.push("Changed");
    }

    // The title takes what the fixed columns leave; cut to it here, so a
    // long or wide (Korean) title ends in a visible `…`.
    let fixed: u16 = widths
        .iter()
        .map(|w| match w {
            Constraint::Length(n) => *n,
            _ => 0,
        })
        .sum();
    let gaps = u16::try_from(widths.len().saturating_sub(1)).unwrap_or(0);
    let cut = cut(usize::from(inner_width.saturating_sub(fixed + gaps)));
    let rows = state
        .view
        .item_order
        .iter()
        .map(|&i| row(state, i, Some(i) == top, columns, cut));
    let focused = state.view.focus == Pane::Items;
    let table = Table::new(rows, widths)
        .header(Row::new(header).style(THEME.table_header))
        .block(block)
        .column_spacing(1)
        .row_highlight_style(if focused {
            THEME.selected
        } else {
            Style::new()
        });
    let mut table_state = TableState::new().with_selected(Some(state.view.selected_item));
    StatefulWidget::render(table, area, buf, &mut table_state);
}

/// The columns text is cut to, in terminal columns.
#[derive(Debug, Clone, Copy)]
struct Cut {
    id: usize,
    title: usize,
    owner: usize,
    changed: usize,
}

/// The owner column's width when the title needs the room, and at most.
const OWNER: usize = 12;
const OWNER_MOST: usize = 32;
/// The Changed column's: `mina 22:41`, `joon Sat 28 03:50`.
const CHANGED: usize = 14;
const CHANGED_MOST: usize = 24;

fn row(state: &State, index: usize, is_top: bool, columns: Columns, cut: Cut) -> Row<'static> {
    let item = &state.night.ledger.items[index];
    let mut cells = vec![Cell::from(fit(&item.id, cut.id))];
    if columns != Columns::Narrow {
        let noted = state
            .night
            .ledger
            .notes
            .iter()
            .any(|n| !n.retracted && n.item.as_deref() == Some(item.id.as_str()));
        let title = if noted {
            format!("✎ {}", item.title)
        } else {
            item.title.clone()
        };
        cells.push(Cell::from(fit(&title, cut.title)));
    }
    cells.push(
        Cell::from(format!(
            "{:<3} {}",
            item.priority.symbol(),
            item.priority.label()
        ))
        .style(theme::priority(item.priority)),
    );
    cells.push(
        Cell::from(format!("{} {}", item.status.symbol(), item.status.label()))
            .style(theme::status(item.status)),
    );
    if columns == Columns::All {
        let owner = item.owner.as_deref().unwrap_or("—");
        cells.push(Cell::from(fit(owner, cut.owner)));
    }
    cells.push(risk_cell(item, is_top));
    if columns == Columns::All {
        let recovery = item
            .risk
            .map(|r| humantime::format_duration(r.recovery).to_string());
        cells.push(Cell::from(recovery.unwrap_or_else(|| "—".into())));
    }
    if columns == Columns::All {
        let changed = state.night.ledger.item_stamps[index]
            .as_ref()
            .map(|s| stamp::short(state, s));
        cells.push(Cell::from(fit(&changed.unwrap_or_default(), cut.changed)).style(THEME.dim));
    }
    let row = Row::new(cells);
    if is_top {
        row.style(Style::new().add_modifier(Modifier::BOLD))
    } else {
        row
    }
}

fn risk_cell(item: &ReleaseItem, is_top: bool) -> Cell<'static> {
    let Some(score) = item.risk_score() else {
        return Cell::from("—");
    };
    let mut spans = vec![Span::styled(
        format!("{score:>3}"),
        theme::risk_score(score),
    )];
    if is_top {
        spans.push(Span::styled(
            " TOP",
            theme::risk_score(score).add_modifier(Modifier::REVERSED),
        ));
    }
    Cell::from(Line::from(spans))
}
