//! The one writer of `State`. Pure: it does no I/O and returns what the loop
//! should do.

use super::{Effect, Msg, State};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let changed = match msg {
        Msg::Tick(now) => {
            let moved = now != state.now;
            state.now = now;
            state.metrics.mark_stale(now) || moved
        }
        Msg::Resize => true,
        // The help overlay is modal: behind it nothing moves.
        Msg::FocusNext
        | Msg::FocusPrev
        | Msg::Focus(_)
        | Msg::SelectNext
        | Msg::SelectPrev
        | Msg::SelectFirst
        | Msg::SelectLast
            if state.help_open =>
        {
            false
        }
        Msg::FocusNext => focus(state, state.focus.next()),
        Msg::FocusPrev => focus(state, state.focus.prev()),
        Msg::Focus(pane) => focus(state, pane),
        Msg::SelectNext => select(state, |i, _| i.saturating_add(1)),
        Msg::SelectPrev => select(state, |i, _| i.saturating_sub(1)),
        Msg::SelectFirst => select(state, |_, _| 0),
        Msg::SelectLast => select(state, |_, n| n.saturating_sub(1)),
        Msg::ToggleHelp => {
            state.help_open = !state.help_open;
            true
        }
        Msg::Back if state.help_open => {
            state.help_open = false;
            true
        }
        Msg::Back | Msg::Quit => return vec![Effect::Quit],
        Msg::Samples(id, samples) => {
            let (from, _) = state.chart_window();
            let visible = samples.iter().any(|s| s.at >= from);
            state.metrics.record(id, &samples) && visible
        }
        Msg::Health(id, health) => state.metrics.set_health(id, health),
    };
    if changed {
        vec![Effect::Redraw]
    } else {
        vec![]
    }
}

fn focus(state: &mut State, pane: super::Pane) -> bool {
    let changed = state.focus != pane;
    state.focus = pane;
    changed
}

/// Moves the focused pane's selection, kept inside its entries.
fn select(state: &mut State, step: impl Fn(usize, usize) -> usize) -> bool {
    let count = state.selectable(state.focus);
    let Some(selection) = state.selection_mut(state.focus) else {
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

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
