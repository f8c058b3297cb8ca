//! The mouse, as messages: a click focuses the pane under it and selects the
//! row; a click on a checklist box ticks it; a double click or a click on
//! its title enlarges the pane; the wheel scrolls the list under it, or the
//! overlay.

use std::time::{Duration, Instant};

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::{Msg, Overlay, Pane, State};

/// Two clicks on one cell within this are a double click.
const DOUBLE_CLICK: Duration = Duration::from_millis(400);

pub fn on_mouse(state: &mut State, event: MouseEvent, at: Instant) -> Vec<Msg> {
    // The terminal reports every move; only a left click and the wheel act,
    // so a pointer resting on a pane never moves the focus under the keys.
    if !matches!(
        event.kind,
        MouseEventKind::Down(MouseButton::Left)
            | MouseEventKind::ScrollDown
            | MouseEventKind::ScrollUp
    ) {
        return Vec::new();
    }
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
            // A double click, or a click on the pane's title, enlarges it;
            // presenting, the one pane is already the whole body.
            if double || y == rect.y {
                if !state.view.present {
                    msgs.push(Msg::FullPane);
                }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyModifiers;

    fn state() -> State {
        let plan = crate::plan::demo::plan();
        let now = crate::plan::demo::story_start(&plan);
        let mut state = State::new(plan, now, crate::domain::Zone::utc());
        state.view.screen = (120, 40);
        state
    }

    fn event(kind: MouseEventKind, column: u16, row: u16) -> MouseEvent {
        MouseEvent {
            kind,
            column,
            row,
            modifiers: KeyModifiers::NONE,
        }
    }

    fn left(column: u16, row: u16) -> MouseEvent {
        event(MouseEventKind::Down(MouseButton::Left), column, row)
    }

    fn pane(state: &State, pane: Pane) -> Rect {
        crate::ui::areas(state, Rect::new(0, 0, 120, 40))
            .of(pane)
            .expect("shown")
    }

    #[test]
    fn a_click_on_a_box_focuses_selects_and_ticks() {
        let mut state = state();
        let list = pane(&state, Pane::Checklist);
        // Under the border and the gauge: the group's name, then its first entry.
        let msgs = on_mouse(&mut state, left(list.x + 2, list.y + 3), Instant::now());
        assert_eq!(
            msgs,
            [
                Msg::Focus(Pane::Checklist),
                Msg::SelectAt(0),
                Msg::ToggleCheck
            ]
        );
        // On the text: selected, not ticked; on a group's name: nothing.
        let at = Instant::now() + DOUBLE_CLICK * 2;
        let msgs = on_mouse(&mut state, left(list.x + 10, list.y + 4), at);
        assert_eq!(msgs, [Msg::Focus(Pane::Checklist), Msg::SelectAt(1)]);
        let at = at + DOUBLE_CLICK * 2;
        let msgs = on_mouse(&mut state, left(list.x + 10, list.y + 2), at);
        assert_eq!(msgs, [Msg::Focus(Pane::Checklist)]);
    }

    #[test]
    fn a_click_on_an_item_row_selects_it() {
        let mut state = state();
        let items = pane(&state, Pane::Items);
        // Border, column names, then the rows in the shown order.
        let msgs = on_mouse(&mut state, left(items.x + 5, items.y + 4), Instant::now());
        assert_eq!(msgs, [Msg::SelectAt(2)]);
        let msgs = on_mouse(
            &mut state,
            left(items.x + 5, items.y + 1),
            Instant::now() + DOUBLE_CLICK * 2,
        );
        assert_eq!(msgs, Vec::<Msg>::new(), "the column names select nothing");
    }

    #[test]
    fn a_double_click_or_a_click_on_the_title_enlarges() {
        let mut state = state();
        let metrics = pane(&state, Pane::Metrics);
        let at = Instant::now();
        let (x, y) = (metrics.x + 5, metrics.y + 5);
        assert_eq!(
            on_mouse(&mut state, left(x, y), at),
            [Msg::Focus(Pane::Metrics)]
        );
        state.view.focus = Pane::Metrics;
        assert_eq!(
            on_mouse(&mut state, left(x, y), at + Duration::from_millis(200)),
            [Msg::FullPane]
        );
        // Slow clicks are two clicks.
        let later = at + Duration::from_secs(5);
        assert_eq!(on_mouse(&mut state, left(x, y), later), []);
        assert_eq!(
            on_mouse(&mut state, left(x, y), later + Duration::from_secs(1)),
            []
        );
        assert_eq!(
            on_mouse(&mut state, left(metrics.x + 4, metrics.y), later),
            [Msg::FullPane]
        );
    }

    #[test]
    fn a_pointer_moving_over_a_pane_leaves_the_focus() {
        let mut state = state();
        let list = pane(&state, Pane::Checklist);
        for kind in [
            MouseEventKind::Moved,
            MouseEventKind::Drag(MouseButton::Left),
            MouseEventKind::Up(MouseButton::Left),
            MouseEventKind::Down(MouseButton::Right),
        ] {
            let msgs = on_mouse(
                &mut state,
                event(kind, list.x + 2, list.y + 3),
                Instant::now(),
            );
            assert_eq!(msgs, [], "{kind:?}");
        }
    }

    #[test]
    fn the_wheel_scrolls_what_is_under_it_and_an_overlay_keeps_clicks_out() {
        let mut state = state();
        let list = pane(&state, Pane::Checklist);
        let wheel = event(MouseEventKind::ScrollDown, list.x + 5, list.y + 5);
        assert_eq!(
            on_mouse(&mut state, wheel, Instant::now()),
            [Msg::Focus(Pane::Checklist), Msg::SelectNext]
        );
        state.view.overlay = Overlay::Help { scroll: 0 };
        assert_eq!(
            on_mouse(&mut state, left(list.x + 2, list.y + 3), Instant::now()),
            []
        );
        let up = event(MouseEventKind::ScrollUp, 0, 0);
        assert_eq!(on_mouse(&mut state, up, Instant::now()), [Msg::SelectPrev]);
    }
}
