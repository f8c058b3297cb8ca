//! Keys to messages. The only place that knows which key does what; the help
//! overlay is drawn from the same table.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{Msg, Pane};

/// A key as the help overlay and the footer describe it.
pub struct Binding {
    pub keys: &'static str,
    pub action: &'static str,
    /// The footer's short form, for the keys worth a hint there.
    pub hint: Option<(&'static str, &'static str)>,
}

/// Every key, in reading order; the help overlay and the footer are drawn from it.
pub const BINDINGS: &[Binding] = &[
    Binding {
        keys: "Tab / Shift-Tab",
        action: "focus the next / previous pane",
        hint: Some(("Tab", "next pane")),
    },
    Binding {
        keys: "1 2 3 4",
        action: "focus items, checklist, metrics, countdown",
        hint: Some(("1-4", "pane")),
    },
    Binding {
        keys: "j / ↓",
        action: "select the next entry",
        hint: Some(("j/k", "select")),
    },
    Binding {
        keys: "k / ↑",
        action: "select the previous entry",
        hint: None,
    },
    Binding {
        keys: "g / Home",
        action: "select the first entry",
        hint: None,
    },
    Binding {
        keys: "G / End",
        action: "select the last entry",
        hint: None,
    },
    Binding {
        keys: "?",
        action: "show or hide this help",
        hint: Some(("?", "help")),
    },
    Binding {
        keys: "Esc",
        action: "close this help; quit when nothing is open",
        hint: None,
    },
    Binding {
        keys: "q / Ctrl-C",
        action: "quit",
        hint: Some(("q", "quit")),
    },
];

pub fn map_key(key: KeyEvent) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        return matches!(key.code, KeyCode::Char('c')).then_some(Msg::Quit);
    }
    Some(match key.code {
        KeyCode::Tab => Msg::FocusNext,
        KeyCode::BackTab => Msg::FocusPrev,
        KeyCode::Char(c @ '1'..='4') => Msg::Focus(Pane::from_number(c as usize - '0' as usize)?),
        KeyCode::Char('j') | KeyCode::Down => Msg::SelectNext,
        KeyCode::Char('k') | KeyCode::Up => Msg::SelectPrev,
        KeyCode::Char('g') | KeyCode::Home => Msg::SelectFirst,
        KeyCode::Char('G') | KeyCode::End => Msg::SelectLast,
        KeyCode::Char('?') => Msg::ToggleHelp,
        KeyCode::Esc => Msg::Back,
        KeyCode::Char('q') => Msg::Quit,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode) -> KeyEvent {
        KeyEvent::new(code, KeyModifiers::NONE)
    }

    #[test]
    fn keys_map_to_messages() {
        let cases = [
            (key(KeyCode::Tab), Some(Msg::FocusNext)),
            (key(KeyCode::BackTab), Some(Msg::FocusPrev)),
            (key(KeyCode::Char('3')), Some(Msg::Focus(Pane::Metrics))),
            (key(KeyCode::Char('5')), None),
            (key(KeyCode::Char('j')), Some(Msg::SelectNext)),
            (key(KeyCode::Up), Some(Msg::SelectPrev)),
            (key(KeyCode::Char('?')), Some(Msg::ToggleHelp)),
            (key(KeyCode::Esc), Some(Msg::Back)),
            (key(KeyCode::Char('q')), Some(Msg::Quit)),
            (
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(Msg::Quit),
            ),
            (
                KeyEvent::new(KeyCode::Char('j'), KeyModifiers::CONTROL),
                None,
            ),
            (key(KeyCode::Char('x')), None),
        ];
        for (event, expected) in cases {
            assert_eq!(map_key(event), expected, "{event:?}");
        }
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut release = key(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(map_key(release), None);
    }
}
