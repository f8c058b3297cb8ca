//! Drawing the war room. Pure: every function reads `&State` and writes a buffer.
//!
//! ```text
//! ┌ header: release · DEMO · now · deploy ───────────────────────────────────────┐
//! ┌ 1 Release items ──────────────────────────┐┌ 4 Countdown ─────────────────────┐
//! │ ID  Title  Priority  Status  Owner  Risk  ││        T-6:20:00 (big)           │
//! │ … biggest risk first                      ││ deploy 23:00 KST · local …       │
//! └───────────────────────────────────────────┘└──────────────────────────────────┘
//! ┌ 2 Checklist ──────────────────────────────┐┌ 3 Metrics ───────────────────────┐
//! │ 12/30 done ━━━━━━━━━━━━──────────         ││ p95 212 ms ┄ warn 400 ━ crit 500 │
//! │ Testing                                   ││ ⣀⡠⠤⠒⠉⠑⠢⣀ chart per metric        │
//! │ [x] Tests complete                        ││ …                                │
//! └───────────────────────────────────────────┘└──────────────────────────────────┘
//!  footer: key hints
//! ```

mod band;
mod big_text;
mod chart;
mod checklist;
mod confirm;
mod countdown;
mod footer;
mod form;
mod format;
mod header;
mod help;
mod item_detail;
mod items;
mod log;
mod metrics;
mod pane;
mod popup;
mod reasons;
mod report_preview;
mod risk_matrix;
mod stamp;
mod status_picker;
pub mod theme;
mod timeline;
mod too_small;
mod verdict;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{Overlay, State};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

/// A terminal at least this tall gives the broken policies a header line of
/// their own; a shorter one counts them among the verdict's reasons.
const POLICY_LINE_FROM: u16 = 30;
const COLUMNS: [Constraint; 2] = [Constraint::Percentage(55), Constraint::Percentage(45)];

pub fn render(state: &State, frame: &mut Frame) {
    let area = frame.area();
    let buf = frame.buffer_mut();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        too_small::render(area, buf);
        theme::paint(state.look, buf);
        return;
    }
    // Once a frame: the header, the reasons overlay and the policy line
    // read the same verdict.
    let verdict = crate::night::verdict(&state.night);
    let policies = verdict
        .reasons
        .iter()
        .filter(|r| r.rule.is_some())
        .map(|r| r.text.clone())
        .collect::<Vec<_>>();
    let policy_line = !policies.is_empty() && area.height >= POLICY_LINE_FROM;
    let [title_row, band_area, policy_row, body, footer_area] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(band::height(area)),
        Constraint::Length(u16::from(policy_line)),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(area);
    let [left, right] = Layout::horizontal(COLUMNS).areas(body);
    let [items_area, checklist_area] = split_left(state, left);
    let [countdown_area, metrics_area] = Layout::vertical([
        Constraint::Length(countdown::height(state, right)),
        Constraint::Fill(1),
    ])
    .areas(right);

    header::render(state, title_row, buf);
    band::render(state, &verdict, area, band_area, buf);
    if policy_line {
        header::policies(&policies, policy_row, buf);
    }
    items::render(state, items_area, buf);
    checklist::render(state, checklist_area, buf);
    metrics::render(state, metrics_area, buf);
    countdown::render(state, countdown_area, buf);
    footer::render(state, footer_area, buf);
    match &state.view.overlay {
        Overlay::None => {}
        Overlay::Help => help::render(area, buf),
        Overlay::Log { scroll } => log::render(state, *scroll, area, buf),
        Overlay::RiskMatrix => risk_matrix::render(state, area, buf),
        Overlay::Reasons => reasons::render(state, &verdict, area, buf),
        Overlay::Form(form) => form::render(form, area, buf),
        Overlay::ConfirmUndo { what, .. } => confirm::render(what, area, buf),
        Overlay::StatusPicker { id } => status_picker::render(state, id, area, buf),
        Overlay::Report { kind, scroll, text } => {
            report_preview::render(state, *kind, text, *scroll, area, buf)
        }
        Overlay::Item { id, scroll, run } => {
            item_detail::render(state, id, *scroll, *run, area, buf);
        }
    }
    disarm(buf);
    theme::paint(state.look, buf);
}

/// The last word on what reaches the terminal: a control or bidi character
/// that came with outside text (a plan, a journal, a server) and made it
/// into a cell is dropped there, whichever pane drew it.
fn disarm(buf: &mut Buffer) {
    for cell in &mut buf.content {
        // Most cells are plain ASCII: nothing to look at twice.
        let symbol = cell.symbol();
        if symbol.bytes().all(|b| (0x20..0x7f).contains(&b)) {
            continue;
        }
        if symbol.chars().any(crate::outside::is_hostile) {
            let kept: String = cell
                .symbol()
                .chars()
                .filter(|c| !crate::outside::is_hostile(*c))
                .collect();
            cell.set_symbol(if kept.is_empty() { " " } else { &kept });
        }
    }
}

/// The items pane takes what its rows need, up to 55% of the column; the
/// checklist gets the rest.
fn split_left(state: &State, left: Rect) -> [Rect; 2] {
    let needed = u16::try_from(state.night.ledger.items.len())
        .unwrap_or(u16::MAX)
        .saturating_add(items::CHROME_ROWS);
    let height = needed.min((u32::from(left.height) * 55 / 100) as u16);
    Layout::vertical([Constraint::Length(height), Constraint::Fill(1)]).areas(left)
}
