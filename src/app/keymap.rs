//! Keys to messages. The only place that knows which key does what; the help
//! overlay is drawn from the same table.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::form::FormKey;
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
        hint: Some(("Tab", "pane")),
    },
    Binding {
        keys: "1 2 3 4",
        action: "focus items, checklist, metrics, countdown",
        hint: None,
    },
    Binding {
        keys: "j / ↓, k / ↑",
        action: "select the next / previous entry",
        hint: None,
    },
    Binding {
        keys: "Home / End, G",
        action: "select the first / last entry",
        hint: None,
    },
    Binding {
        keys: "PgDn PgUp ^F ^B",
        action: "a page down / up the list or the overlay",
        hint: None,
    },
    Binding {
        keys: "f",
        action: "enlarge the focused pane to the whole body, or back",
        hint: Some(("f", "full")),
    },
    Binding {
        keys: "p",
        action: "presenter mode: verdict and countdown large, one pane, names masked",
        hint: None,
    },
    Binding {
        keys: "g",
        action: "show or hide every reason of the GO / NO-GO verdict",
        hint: Some(("g", "reasons")),
    },
    Binding {
        keys: "A",
        action: "approve the deploy (a NO-GO needs an override reason)",
        hint: Some(("A", "approve")),
    },
    Binding {
        keys: "Space",
        action: "checklist: mark done, or open again",
        hint: Some(("Space", "check")),
    },
    Binding {
        keys: "n",
        action: "checklist: not applicable, with a reason",
        hint: None,
    },
    Binding {
        keys: "s",
        action: "item: set its status (u, t, p or f)",
        hint: Some(("s", "status")),
    },
    Binding {
        keys: "Enter",
        action: "item: open it whole: load-test runs, notes, history",
        hint: None,
    },
    Binding {
        keys: "i",
        action: "item: import a JMeter or k6 result as its evidence",
        hint: None,
    },
    Binding {
        keys: "e",
        action: "item: edit priority, owner and risk",
        hint: Some(("e", "edit")),
    },
    Binding {
        keys: "N",
        action: "add a note (on the selected item in the items pane)",
        hint: None,
    },
    Binding {
        keys: "r",
        action: "preview a report (← → risk, deploy, retro); w writes it",
        hint: None,
    },
    Binding {
        keys: "S",
        action: "post the night's status to the team's chat",
        hint: None,
    },
    Binding {
        keys: "D",
        action: "mark the deploy done: the watch window runs from then",
        hint: None,
    },
    Binding {
        keys: "c",
        action: "check in after the deploy: all well, or a note",
        hint: None,
    },
    Binding {
        keys: "u",
        action: "undo your last action; an approval or D asks first",
        hint: Some(("u", "undo")),
    },
    Binding {
        keys: "o",
        action: "sort items by risk, priority or status",
        hint: None,
    },
    Binding {
        keys: "/",
        action: "filter the items by id, title or owner; Esc shows all again",
        hint: Some(("/", "filter")),
    },
    Binding {
        keys: "z",
        action: "charts: next span (5 min, 30 min, 6 h, 48 h)",
        hint: None,
    },
    Binding {
        keys: "T",
        action: "next theme: dark, light, high contrast",
        hint: None,
    },
    Binding {
        keys: "m",
        action: "show or hide the risk matrix",
        hint: None,
    },
    Binding {
        keys: "L",
        action: "show or hide the journal log",
        hint: Some(("L", "log")),
    },
    Binding {
        keys: "?",
        action: "show or hide this help",
        hint: Some(("?", "help")),
    },
    Binding {
        keys: "Esc",
        action: "close what is open; quit when nothing is",
        hint: None,
    },
    Binding {
        keys: "q / Ctrl-C",
        action: "quit",
        hint: Some(("q", "quit")),
    },
];

/// What the keys are for right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyMode {
    /// The panes.
    Panes,
    /// An overlay to read (help, log, risk matrix): it scrolls and closes.
    Reading,
    /// A form: keys type.
    Typing,
    /// The status picker: a key a status.
    Picking,
    /// A question: `y`, or anything else to keep things as they are.
    Confirming,
}

pub fn map_key(key: KeyEvent, mode: KeyMode) -> Option<Msg> {
    if key.kind == KeyEventKind::Release {
        return None;
    }
    if key.modifiers.contains(KeyModifiers::CONTROL) {
        // k9s and vi habits: a page with Ctrl-F/Ctrl-D down, Ctrl-B/Ctrl-U up,
        // wherever a list or an overlay scrolls.
        let paging = matches!(mode, KeyMode::Panes | KeyMode::Reading);
        return match key.code {
            KeyCode::Char('c') => Some(Msg::Quit),
            KeyCode::Char('f' | 'd') if paging => Some(Msg::PageDown),
            KeyCode::Char('b' | 'u') if paging => Some(Msg::PageUp),
            _ => None,
        };
    }
    match mode {
        KeyMode::Typing => typing(key),
        KeyMode::Reading => reading(key),
        KeyMode::Picking => picking(key),
        KeyMode::Confirming => Some(match key.code {
            KeyCode::Char('y') => Msg::ConfirmUndo,
            _ => Msg::Back,
        }),
        KeyMode::Panes => panes(key),
    }
}

fn typing(key: KeyEvent) -> Option<Msg> {
    Some(match key.code {
        KeyCode::Esc => Msg::Back,
        KeyCode::Enter => Msg::Submit,
        KeyCode::Tab | KeyCode::Down => Msg::FormKey(FormKey::Next),
        KeyCode::BackTab | KeyCode::Up => Msg::FormKey(FormKey::Prev),
        KeyCode::Backspace => Msg::FormKey(FormKey::Backspace),
        KeyCode::Char(c) => Msg::FormKey(FormKey::Char(c)),
        _ => return None,
    })
}

/// The status picker: one key a status, Esc to leave it as it is.
fn picking(key: KeyEvent) -> Option<Msg> {
    use crate::domain::ItemStatus;
    Some(match key.code {
        KeyCode::Char('u') => Msg::SetStatus(ItemStatus::Untested),
        KeyCode::Char('t') => Msg::SetStatus(ItemStatus::InProgress),
        KeyCode::Char('p') => Msg::SetStatus(ItemStatus::Passed),
        KeyCode::Char('f') => Msg::SetStatus(ItemStatus::Failed),
        KeyCode::Esc | KeyCode::Char('s') => Msg::Back,
        KeyCode::Char('q') => Msg::Quit,
        _ => return None,
    })
}

fn reading(key: KeyEvent) -> Option<Msg> {
    Some(match key.code {
        KeyCode::Char('j') | KeyCode::Down => Msg::SelectNext,
        KeyCode::Char('k') | KeyCode::Up => Msg::SelectPrev,
        KeyCode::Home => Msg::SelectFirst,
        KeyCode::Char('g') => Msg::ToggleReasons,
        KeyCode::Char('G') | KeyCode::End => Msg::SelectLast,
        KeyCode::PageDown => Msg::PageDown,
        KeyCode::PageUp => Msg::PageUp,
        KeyCode::Left | KeyCode::Char('h') => Msg::EarlierRun,
        KeyCode::Right | KeyCode::Char('l') => Msg::LaterRun,
        KeyCode::Char('?') => Msg::ToggleHelp,
        KeyCode::Char('L') => Msg::ToggleLog,
        KeyCode::Char('m') => Msg::ToggleRiskMatrix,
        KeyCode::Char('T') => Msg::CycleTheme,
        // Approving straight from the list of reasons she just read.
        KeyCode::Char('A') => Msg::Approve,
        KeyCode::Char('w') => Msg::WriteReport,
        KeyCode::Esc => Msg::Back,
        KeyCode::Char('q') => Msg::Quit,
        _ => return None,
    })
}

fn panes(key: KeyEvent) -> Option<Msg> {
    Some(match key.code {
        KeyCode::Tab => Msg::FocusNext,
        KeyCode::BackTab => Msg::FocusPrev,
        KeyCode::Char(c @ '1'..='4') => Msg::Focus(Pane::from_number(c as usize - '0' as usize)?),
        KeyCode::Char(' ') => Msg::ToggleCheck,
        KeyCode::Char('n') => Msg::NotApplicable,
        KeyCode::Char('s') => Msg::PickStatus,
        KeyCode::Char('e') => Msg::EditItem,
        KeyCode::Enter => Msg::OpenItem,
        KeyCode::Char('i') => Msg::ImportRun,
        KeyCode::Char('S') => Msg::PostStatus,
        KeyCode::Char('r') => Msg::OpenReport,
        KeyCode::Left | KeyCode::Right | KeyCode::Char('h') | KeyCode::Char('l') => return None,
        KeyCode::Char('N') => Msg::AddNote,
        KeyCode::Char('u') => Msg::Undo,
        KeyCode::Char('D') => Msg::DeployDone,
        KeyCode::Char('c') => Msg::CheckIn,
        KeyCode::Char('o') => Msg::CycleSort,
        KeyCode::Char('z') => Msg::Zoom,
        KeyCode::Char('f') => Msg::FullPane,
        KeyCode::Char('/') => Msg::Filter,
        KeyCode::Char('p') => Msg::Present,
        _ => return reading(key),
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
        let map_key = |k| map_key(k, KeyMode::Panes);
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
            (
                KeyEvent::new(KeyCode::Char('f'), KeyModifiers::CONTROL),
                Some(Msg::PageDown),
            ),
            (
                KeyEvent::new(KeyCode::Char('u'), KeyModifiers::CONTROL),
                Some(Msg::PageUp),
            ),
            (key(KeyCode::PageDown), Some(Msg::PageDown)),
            (key(KeyCode::Char('f')), Some(Msg::FullPane)),
            (key(KeyCode::Char('p')), Some(Msg::Present)),
            (key(KeyCode::Char('/')), Some(Msg::Filter)),
            (key(KeyCode::Char('T')), Some(Msg::CycleTheme)),
            (key(KeyCode::Char('x')), None),
            (key(KeyCode::Char(' ')), Some(Msg::ToggleCheck)),
            (key(KeyCode::Char('n')), Some(Msg::NotApplicable)),
            (key(KeyCode::Char('s')), Some(Msg::PickStatus)),
            (key(KeyCode::Char('e')), Some(Msg::EditItem)),
            (key(KeyCode::Char('N')), Some(Msg::AddNote)),
            (key(KeyCode::Char('u')), Some(Msg::Undo)),
            (key(KeyCode::Char('o')), Some(Msg::CycleSort)),
            (key(KeyCode::Char('m')), Some(Msg::ToggleRiskMatrix)),
            (key(KeyCode::Char('L')), Some(Msg::ToggleLog)),
            (key(KeyCode::Enter), Some(Msg::OpenItem)),
            (key(KeyCode::Char('i')), Some(Msg::ImportRun)),
            (key(KeyCode::Left), None),
        ];
        for (event, expected) in cases {
            assert_eq!(map_key(event), expected, "{event:?}");
        }
    }

    #[test]
    fn in_a_form_keys_type() {
        let cases = [
            (
                key(KeyCode::Char('q')),
                Some(Msg::FormKey(FormKey::Char('q'))),
            ),
            (
                key(KeyCode::Char('s')),
                Some(Msg::FormKey(FormKey::Char('s'))),
            ),
            (key(KeyCode::Enter), Some(Msg::Submit)),
            (key(KeyCode::Esc), Some(Msg::Back)),
            (key(KeyCode::Tab), Some(Msg::FormKey(FormKey::Next))),
            (key(KeyCode::BackTab), Some(Msg::FormKey(FormKey::Prev))),
            (
                key(KeyCode::Backspace),
                Some(Msg::FormKey(FormKey::Backspace)),
            ),
            (
                KeyEvent::new(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Some(Msg::Quit),
            ),
        ];
        for (event, expected) in cases {
            assert_eq!(map_key(event, KeyMode::Typing), expected, "{event:?}");
        }
    }

    #[test]
    fn reading_an_overlay_takes_no_actions() {
        for c in [' ', 's', 'e', 'u', 'n'] {
            assert_eq!(map_key(key(KeyCode::Char(c)), KeyMode::Reading), None);
        }
        assert_eq!(
            map_key(key(KeyCode::Char('j')), KeyMode::Reading),
            Some(Msg::SelectNext)
        );
        assert_eq!(
            map_key(key(KeyCode::Left), KeyMode::Reading),
            Some(Msg::EarlierRun)
        );
    }

    #[test]
    fn key_releases_are_ignored() {
        let mut release = key(KeyCode::Char('q'));
        release.kind = KeyEventKind::Release;
        assert_eq!(map_key(release, KeyMode::Panes), None);
    }
}
