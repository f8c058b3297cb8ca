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
pub mod checklist;
mod confirm;
mod countdown;
mod footer;
mod form;
mod format;
mod header;
mod help;
mod item_detail;
pub mod items;
pub mod layout;
mod log;
mod mask;
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
use ratatui::layout::Rect;

use crate::app::{Overlay, Pane, State};

pub const MIN_WIDTH: u16 = 80;
pub const MIN_HEIGHT: u16 = 24;

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
    let areas = layout::areas(state, area, !policies.is_empty());
    header::render(state, areas.title, buf);
    band::render(state, &verdict, area, areas.band, buf);
    if areas.policy.height > 0 {
        header::policies(&policies, areas.policy, buf);
    }
    for &(pane, rect) in &areas.panes {
        match pane {
            Pane::Items => items::render(state, rect, buf),
            Pane::Checklist => checklist::render(state, rect, buf),
            Pane::Metrics => metrics::render(state, rect, buf),
            Pane::Countdown => countdown::render(state, rect, buf),
        }
    }
    footer::render(state, areas.footer, buf);
    match &state.view.overlay {
        Overlay::None | Overlay::Filter => {}
        Overlay::Help { scroll } => help::render(&state.keys, *scroll, area, buf),
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
    mask::credentials(buf);
    if state.view.present {
        mask::private(state, buf);
    }
    disarm(buf);
    theme::paint(state.look, buf);
}

/// How many keys the help shows at once on a screen this tall.
pub fn help_rows(screen_height: u16) -> usize {
    help::rows(screen_height.max(MIN_HEIGHT))
}

/// How many entries of a pane's list show at once on this seat's screen: a page.
pub fn page_rows(state: &State, pane: Pane) -> usize {
    let (width, height) = state.view.screen;
    let screen = Rect::new(0, 0, width.max(MIN_WIDTH), height.max(MIN_HEIGHT));
    let Some(rect) = areas(state, screen).of(pane) else {
        return 1;
    };
    let chrome = match pane {
        Pane::Items => items::CHROME_ROWS,
        // The borders and the gauge.
        _ => 3,
    };
    usize::from(rect.height.saturating_sub(chrome))
}

/// Where everything is on a screen of this size, as the last frame drew it.
pub fn areas(state: &State, screen: Rect) -> layout::Areas {
    let verdict = crate::night::verdict(&state.night);
    layout::areas(
        state,
        screen,
        verdict.reasons.iter().any(|r| r.rule.is_some()),
    )
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
