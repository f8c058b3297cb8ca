//! Where everything goes on a screen of a given size, in one place: drawing
//! uses it, and so do the mouse (what was clicked) and paging (how many rows
//! a pane shows).

use ratatui::layout::{Constraint, Layout, Rect};

use super::{band, countdown, items};
use crate::app::{Pane, State};

/// A terminal at least this tall gives the broken policies a line of their
/// own; a shorter one counts them among the verdict's reasons.
pub const POLICY_LINE_FROM: u16 = 30;
/// The items' column takes 55% of the width, and up to 65% on a wide
/// screen when its titles and owners need it, before any is cut.
const LEFT_SHARE: u16 = 55;
const LEFT_SHARE_MOST: u16 = 65;
const WIDE: u16 = 160;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Areas {
    pub title: Rect,
    pub band: Rect,
    pub policy: Rect,
    /// The panes shown and where: four, or the one enlarged.
    pub panes: Vec<(Pane, Rect)>,
    pub footer: Rect,
}

impl Areas {
    pub fn of(&self, pane: Pane) -> Option<Rect> {
        self.panes.iter().find(|(p, _)| *p == pane).map(|(_, r)| *r)
    }

    /// The pane under a cell.
    pub fn pane_at(&self, x: u16, y: u16) -> Option<(Pane, Rect)> {
        let at = ratatui::layout::Position { x, y };
        self.panes.iter().copied().find(|(_, r)| r.contains(at))
    }
}

/// Whether one pane fills the body: zoomed with `f`, or in presenter mode.
pub fn one_pane(state: &State) -> bool {
    state.view.full_pane || state.view.present
}

pub fn areas(state: &State, screen: Rect, policy_line: bool) -> Areas {
    let [title, band_area, policy, body, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(band::height(state, screen)),
        Constraint::Length(u16::from(policy_line && screen.height >= POLICY_LINE_FROM)),
        Constraint::Fill(1),
        Constraint::Length(1),
    ])
    .areas(screen);
    let panes = if one_pane(state) {
        vec![(state.view.focus, body)]
    } else {
        let share = u32::from(body.width);
        let least = (share * u32::from(LEFT_SHARE) / 100) as u16;
        // A narrower screen keeps its charts their room.
        let most_share = if body.width >= WIDE {
            LEFT_SHARE_MOST
        } else {
            LEFT_SHARE
        };
        let most = (share * u32::from(most_share) / 100) as u16;
        let left_width = items::wanted_width(state).clamp(least, most.max(least));
        let [left, right] =
            Layout::horizontal([Constraint::Length(left_width), Constraint::Fill(1)]).areas(body);
        let [items_area, checklist_area] = split_left(state, left);
        let [countdown_area, metrics_area] = Layout::vertical([
            Constraint::Length(countdown::height(state, right)),
            Constraint::Fill(1),
        ])
        .areas(right);
        vec![
            (Pane::Items, items_area),
            (Pane::Checklist, checklist_area),
            (Pane::Metrics, metrics_area),
            (Pane::Countdown, countdown_area),
        ]
    };
    Areas {
        title,
        band: band_area,
        policy,
        panes,
        footer,
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
