//! What a person does to the release: each action becomes a journal entry for
//! the loop to write. Nothing here changes the ledger; the entry does that
//! when it comes back from disk, so the screen never shows as done what is
//! not yet saved.

use chrono::{DateTime, SubsecRound};

use super::form::Form;
use super::state::{Notice, Overlay};
use super::{Effect, Msg, Pane, State};
use crate::domain::ledger::UndoRefused;
use crate::domain::{Action, ItemStatus, MarkState};
use crate::journal::Entry;

/// Handles an action message; returns whether anything visible changed.
pub fn act(state: &mut State, msg: Msg, effects: &mut Vec<Effect>) -> bool {
    match msg {
        Msg::ToggleCheck => match selected_check(state) {
            Some((id, mark)) => {
                let next = match mark {
                    MarkState::Open => MarkState::Done,
                    MarkState::Done | MarkState::NotApplicable => MarkState::Open,
                };
                write(
                    state,
                    effects,
                    Action::Check {
                        id,
                        mark: next,
                        reason: None,
                    },
                )
            }
            None => hint(state, "select a checklist entry first (2)"),
        },
        Msg::NotApplicable => match state.ledger.checklist.get(state.selected_check) {
            Some(entry) if state.focus == Pane::Checklist => {
                state.overlay = Overlay::Form(Form::not_applicable(entry));
                true
            }
            _ => hint(state, "select a checklist entry first (2)"),
        },
        Msg::CycleStatus => match state.selected_item().filter(|_| state.focus == Pane::Items) {
            Some(item) => {
                let status = match item.status {
                    ItemStatus::Untested => ItemStatus::InProgress,
                    ItemStatus::InProgress => ItemStatus::Passed,
                    ItemStatus::Passed => ItemStatus::Failed,
                    ItemStatus::Failed => ItemStatus::Untested,
                };
                let id = item.id.clone();
                write(state, effects, Action::ItemStatus { id, status })
            }
            None => hint(state, "select a release item first (1)"),
        },
        Msg::EditItem => match state.selected_item().filter(|_| state.focus == Pane::Items) {
            Some(item) => {
                state.overlay = Overlay::Form(Form::edit_item(item));
                true
            }
            None => hint(state, "select a release item first (1)"),
        },
        Msg::AddNote => {
            let item = state.selected_item().filter(|_| state.focus == Pane::Items);
            state.overlay = Overlay::Form(Form::note(item));
            true
        }
        Msg::Undo => match state.ledger.undo_for(&state.actor) {
            Ok((line, action)) => {
                let mut entry = Entry::action(stamp_time(state), &state.actor, action);
                entry.undoes = Some(line);
                send(state, effects, entry)
            }
            Err(UndoRefused::Nothing) => hint(state, "nothing of yours to undo"),
            Err(UndoRefused::ChangedSince { target, by }) => {
                let zone = state.plan.release.schedule.zone;
                let at = zone.at(by.at.to_utc()).format("%H:%M");
                let text = format!(
                    "cannot undo: {target} was changed since by {} at {at}",
                    by.actor
                );
                hint(state, &text)
            }
        },
        Msg::FormKey(key) => match &mut state.overlay {
            Overlay::Form(form) => {
                form.key(key);
                true
            }
            _ => false,
        },
        Msg::Submit => {
            let Overlay::Form(form) = &mut state.overlay else {
                return false;
            };
            match form.submit() {
                Some(action) => {
                    state.overlay = Overlay::None;
                    write(state, effects, action)
                }
                // The form shows its errors and stays open.
                None => true,
            }
        }
        _ => false,
    }
}

fn selected_check(state: &State) -> Option<(String, MarkState)> {
    if state.focus != Pane::Checklist {
        return None;
    }
    let entry = state.ledger.checklist.get(state.selected_check)?;
    Some((
        entry.id.clone(),
        state.ledger.mark_state(state.selected_check),
    ))
}

fn write(state: &mut State, effects: &mut Vec<Effect>, action: Action) -> bool {
    let entry = Entry::action(stamp_time(state), &state.actor, action);
    send(state, effects, entry)
}

fn send(state: &mut State, effects: &mut Vec<Effect>, entry: Entry) -> bool {
    state.saving += 1;
    state.notice = None;
    effects.push(Effect::Append(entry));
    true
}

/// The moment of an action to the second, with this seat's offset.
fn stamp_time(state: &State) -> DateTime<chrono::FixedOffset> {
    state.local_zone.at(state.now.trunc_subsecs(0))
}

fn hint(state: &mut State, text: &str) -> bool {
    state.notice = Some(Notice {
        error: false,
        text: text.to_string(),
    });
    true
}
