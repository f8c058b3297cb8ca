//! Moving about the room: focus, selection, scrolling, the filter's text
//! and the toggled overlays. Pure changes to the seat's view.

use super::keymap;
use super::state::Overlay;
use super::{Msg, Pane, State};

pub(super) fn toggle(state: &mut State, overlay: Overlay) -> bool {
    let same = std::mem::discriminant(&state.view.overlay) == std::mem::discriminant(&overlay);
    state.view.overlay = if same { Overlay::None } else { overlay };
    true
}

/// A key typed into the items' filter: the list follows at once; Enter
/// keeps the filter and goes back to the panes.
pub(super) fn filter_key(state: &mut State, msg: &Msg) -> bool {
    let text = state.view.filter.get_or_insert_with(String::new);
    match msg {
        Msg::FormKey(super::form::FormKey::Char(c)) if !c.is_control() && text.len() < 80 => {
            text.push(*c)
        }
        Msg::FormKey(super::form::FormKey::Backspace) => {
            text.pop();
        }
        Msg::Submit => {
            state.view.overlay = Overlay::None;
            if text.is_empty() {
                state.view.filter = None;
            }
        }
        _ => return false,
    }
    state.refilter();
    true
}

/// Scrolls the help by a row, to its first or its last page; the bottom is
/// where the last binding shows at the bottom of this seat's screen.
pub(super) fn scroll_help(state: &mut State, msg: &Msg) -> bool {
    let Overlay::Help { scroll } = &mut state.view.overlay else {
        return false;
    };
    let shown = crate::ui::help_rows(state.view.screen.1);
    let last = keymap::BINDINGS.len().saturating_sub(shown);
    let next = match msg {
        Msg::SelectNext => scroll.saturating_add(1),
        Msg::SelectPrev => scroll.saturating_sub(1),
        Msg::SelectFirst => 0,
        _ => last,
    }
    .min(last);
    let changed = next != *scroll;
    *scroll = next;
    changed
}

/// Scrolls the log overlay by `lines` (positive is back in time).
pub(super) fn scroll_log(state: &mut State, lines: isize) -> bool {
    let max = state.night.ledger.log.len().saturating_sub(1);
    let Overlay::Log { scroll } = &mut state.view.overlay else {
        return false;
    };
    let next = scroll.saturating_add_signed(lines).min(max);
    let changed = next != *scroll;
    *scroll = next;
    changed
}

pub(super) fn focus(state: &mut State, pane: Pane) -> bool {
    let changed = state.view.focus != pane;
    state.view.focus = pane;
    changed
}

/// Moves the focused pane's selection, kept inside its entries.
pub(super) fn select(state: &mut State, step: impl Fn(usize, usize) -> usize) -> bool {
    let count = state.selectable(state.view.focus);
    let Some(selection) = state.selection_mut(state.view.focus) else {
        return false;
    };
    if count == 0 {
        return false;
    }
    let next = step(*selection, count).min(count - 1);
    let changed = next != *selection;
    *selection = next;
    changed
}

/// Scrolls an item's detail; the bottom is held at its last line when drawn.
pub(super) fn scroll_item(state: &mut State, msg: &Msg) -> bool {
    let Overlay::Item { scroll, .. } = &mut state.view.overlay else {
        return false;
    };
    let before = *scroll;
    *scroll = match msg {
        Msg::SelectNext => scroll.saturating_add(1),
        Msg::SelectPrev => scroll.saturating_sub(1),
        Msg::SelectFirst => 0,
        _ => usize::MAX / 2,
    };
    *scroll != before
}

/// Charts the run before or after, in an item's detail.
pub(super) fn pick_run(state: &mut State, msg: &Msg) -> bool {
    let runs = match &state.view.overlay {
        Overlay::Item { id, .. } => state
            .night
            .ledger
            .evidence
            .iter()
            .filter(|r| r.evidence.item == *id)
            .count(),
        _ => return false,
    };
    let Overlay::Item { run, .. } = &mut state.view.overlay else {
        return false;
    };
    let before = *run;
    *run = match msg {
        Msg::EarlierRun => (*run + 1).min(runs.saturating_sub(1)),
        _ => run.saturating_sub(1),
    };
    *run != before
}
