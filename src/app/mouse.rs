//! The mouse, as messages: a click focuses the pane under it and selects the
//! row; a click on a checklist box ticks it; a double click enlarges the
//! pane; the wheel scrolls the list under it, or the overlay.

use std::time::{Duration, Instant};

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::{Msg, Overlay, Pane, State};

/// Two clicks on one cell within this are a double click.
const DOUBLE_CLICK: Duration = Duration::from_millis(400);

pub fn on_mouse(state: &mut State, event: MouseEvent, at: Instant) -> Vec<Msg> {
    let (x, y) = (event.column, event.row);
    let (width, height) = state.view.screen;
    let screen = Rect::new(0, 0, width, height);
    if width < crate::ui::MIN_WIDTH || height < crate::ui::MIN_HEIGHT {
        return Vec::new();
    }
    if state.view.overlay != Overlay::None {
        // An overlay is modal: the wheel reads it, a click does nothing behind it.
        return match event.kind {
            MouseEventKind::ScrollDown => vec![Msg::SelectNext],
            MouseEventKind::ScrollUp => vec![Msg::SelectPrev],
            _ => Vec::new(),
        };
    }
    let areas = crate::ui::areas(state, screen);
    let Some((pane, rect)) = areas.pane_at(x, y) else {
        return Vec::new();
    };
    let mut msgs = Vec::new();
    if state.view.focus != pane {
        msgs.push(Msg::Focus(pane));
    }
    match event.kind {
        MouseEventKind::ScrollDown => msgs.push(Msg::SelectNext),
        MouseEventKind::ScrollUp => msgs.push(Msg::SelectPrev),
        MouseEventKind::Down(MouseButton::Left) => {
            let double = state
                .view
                .last_click
                .is_some_and(|(cx, cy, when)| (cx, cy) == (x, y) && at - when <= DOUBLE_CLICK);
            state.view.last_click = (!double).then_some((x, y, at));
            if double {
                msgs.push(Msg::FullPane);
            } else {
                msgs.extend(click(state, pane, rect, x, y));
            }
        }
        _ => {}
    }
    msgs
}

/// A single click inside a pane: the row under it selected, a box toggled.
fn click(state: &State, pane: Pane, rect: Rect, x: u16, y: u16) -> Vec<Msg> {
    match pane {
        Pane::Items => match crate::ui::items::item_at(state, rect, y) {
            Some(index) => vec![Msg::SelectAt(index)],
            None => Vec::new(),
        },
        Pane::Checklist => match crate::ui::checklist::entry_at(state, rect, x, y) {
            Some((entry, on_box)) => {
                let mut msgs = vec![Msg::SelectAt(entry)];
                if on_box {
                    msgs.push(Msg::ToggleCheck);
                }
                msgs
            }
            None => Vec::new(),
        },
        Pane::Metrics | Pane::Countdown => Vec::new(),
    }
}
