//! The one writer of `State`. Pure: it does no I/O and returns what the loop
//! should do.

use super::check_in_slots::ring_for_check_in;
use super::keymap::{self, KeyMode};
use super::navigate::{
    filter_key, focus, pick_run, scroll_help, scroll_item, scroll_log, select, toggle,
};
use super::state::{Notice, Overlay};
use super::{Effect, Msg, Pane, State, actions};

pub fn update(state: &mut State, msg: Msg) -> Vec<Effect> {
    let mut effects = Vec::new();
    let changed = match msg {
        Msg::Key(key) => {
            // Esc closes what is open, a message included, before it quits.
            if key.code == crossterm::event::KeyCode::Esc
                && state.view.overlay == Overlay::None
                && state.view.notice.is_some()
            {
                state.view.notice = None;
                return vec![Effect::Redraw];
            }
            // A hint lasts until the next key; an error until it is dealt with.
            if state.view.notice.as_ref().is_some_and(|n| !n.error) {
                state.view.notice = None;
                effects.push(Effect::Redraw);
            }
            let mode = key_mode(state);
            let mut key = key;
            // Keys the config moved; a form types them as they are.
            let plain = !key.modifiers.intersects(
                crossterm::event::KeyModifiers::CONTROL | crossterm::event::KeyModifiers::ALT,
            );
            if let (crossterm::event::KeyCode::Char(c), KeyMode::Panes | KeyMode::Reading) =
                (key.code, mode)
                && plain
                && !state.keys.is_empty()
            {
                match state.keys.translate(c) {
                    Some(to) => key.code = crossterm::event::KeyCode::Char(to),
                    None => return effects,
                }
            }
            return match keymap::map_key(key, mode) {
                Some(msg) => {
                    effects.extend(update(state, msg));
                    effects
                }
                None => effects,
            };
        }
        Msg::Tick(now) => {
            let now = crate::clock::bounded(now);
            let moved = now != state.night.now;
            state.night.now = now;
            ring_for_check_in(state, &mut effects);
            retry_alerts(state, &mut effects);
            state.night.metrics.mark_stale(now) || moved
        }
        Msg::Mouse(event, at) => {
            let msgs = super::mouse::on_mouse(state, event, at);
            let mut changed = false;
            for msg in msgs {
                let more = update(state, msg);
                changed |= more.contains(&Effect::Redraw);
                effects.extend(more.into_iter().filter(|e| *e != Effect::Redraw));
            }
            changed
        }
        Msg::Resize(width, height) => {
            state.view.screen = (width, height);
            true
        }
        Msg::FullPane if state.view.overlay == Overlay::None => {
            state.view.full_pane = !state.view.full_pane;
            true
        }
        Msg::Present if state.view.overlay == Overlay::None => {
            state.view.present = !state.view.present;
            let text = if state.view.present {
                "presenting: Tab or the interval moves through the panes; p to stop"
            } else {
                "presenter mode off"
            };
            state.view.notice = Some(super::Notice {
                error: false,
                text: text.to_string(),
            });
            true
        }
        // An overlay someone opened stays until they close it.
        Msg::Cycle if state.view.present && state.view.overlay == Overlay::None => {
            focus(state, state.view.focus.next())
        }
        Msg::FullPane | Msg::Present | Msg::Cycle => false,
        Msg::PageDown | Msg::PageUp if state.view.overlay == Overlay::None => {
            let page = crate::ui::page_rows(state, state.view.focus).max(1);
            if msg == Msg::PageDown {
                select(state, |i, _| i.saturating_add(page))
            } else {
                select(state, |i, _| i.saturating_sub(page))
            }
        }
        // Over an overlay, a page of its lines.
        Msg::PageDown | Msg::PageUp => {
            let step = if msg == Msg::PageDown {
                Msg::SelectNext
            } else {
                Msg::SelectPrev
            };
            let page = state.view.screen.1.saturating_sub(8).max(1);
            let mut moved = false;
            for _ in 0..page {
                moved |= update(state, step.clone()).contains(&Effect::Redraw);
            }
            moved
        }
        Msg::SelectNext | Msg::SelectPrev | Msg::SelectFirst | Msg::SelectLast
            if matches!(state.view.overlay, Overlay::Help { .. }) =>
        {
            scroll_help(state, &msg)
        }
        Msg::SelectNext if matches!(state.view.overlay, Overlay::Log { .. }) => {
            scroll_log(state, -1)
        }
        Msg::SelectPrev if matches!(state.view.overlay, Overlay::Log { .. }) => {
            scroll_log(state, 1)
        }
        Msg::SelectFirst if matches!(state.view.overlay, Overlay::Log { .. }) => {
            scroll_log(state, isize::MAX)
        }
        Msg::SelectLast if matches!(state.view.overlay, Overlay::Log { .. }) => {
            scroll_log(state, isize::MIN)
        }
        Msg::SelectNext | Msg::SelectPrev | Msg::SelectFirst | Msg::SelectLast
            if matches!(state.view.overlay, Overlay::Item { .. }) =>
        {
            scroll_item(state, &msg)
        }
        Msg::EarlierRun | Msg::LaterRun if matches!(state.view.overlay, Overlay::Report { .. }) => {
            if let Overlay::Report { kind, scroll, text } = &mut state.view.overlay {
                *kind = kind.step(msg == Msg::LaterRun);
                *scroll = 0;
                *text = kind.preview(&state.night);
                if *kind == crate::report::Kind::Deploy {
                    effects.push(Effect::ReadDeployReport);
                }
            }
            true
        }
        Msg::SelectNext | Msg::SelectPrev | Msg::SelectFirst | Msg::SelectLast
            if matches!(state.view.overlay, Overlay::Report { .. }) =>
        {
            if let Overlay::Report { scroll, .. } = &mut state.view.overlay {
                *scroll = match msg {
                    Msg::SelectNext => scroll.saturating_add(1),
                    Msg::SelectPrev => scroll.saturating_sub(1),
                    Msg::SelectFirst => 0,
                    _ => usize::MAX / 2,
                };
            }
            true
        }
        Msg::OpenReport => {
            let kind = crate::report::Kind::Risk;
            state.view.overlay = Overlay::Report {
                kind,
                scroll: 0,
                text: kind.preview(&state.night),
            };
            true
        }
        Msg::ChatClaimed(line) => return vec![Effect::PostLine(line)],
        Msg::ReportRead(read) => match &mut state.view.overlay {
            // Still on the deploy report: the whole window replaces the
            // preview.
            Overlay::Report {
                kind: crate::report::Kind::Deploy,
                text,
                ..
            } => {
                *text = read;
                true
            }
            _ => false,
        },
        Msg::WriteReport => match &state.view.overlay {
            // Half a report is not Monday's mail: wait for the window.
            Overlay::Report { text, .. } if text.starts_with(crate::report::READING) => {
                state.view.notice = Some(Notice {
                    error: false,
                    text:
                        "still reading the monitoring window from the sources; w once it is shown"
                            .to_string(),
                });
                true
            }
            Overlay::Report { kind, text, .. } => {
                // What she read is what is written.
                effects.push(Effect::WriteFile {
                    name: kind.file_name(&state.night.plan.release.name),
                    text: text.clone(),
                });
                true
            }
            _ => false,
        },
        Msg::Wrote(result) => {
            state.view.notice = Some(match result {
                Ok(path) => Notice {
                    error: false,
                    text: format!("written to {path}"),
                },
                Err(why) => Notice {
                    error: true,
                    text: format!("not written: {why}"),
                },
            });
            true
        }
        Msg::ChatPosted(outcome) => {
            state.view.notice = Some(match outcome.result {
                Ok(()) => Notice {
                    error: false,
                    text: "status posted to the team's chat".to_string(),
                },
                Err(why) => Notice {
                    error: true,
                    text: format!(
                        "{} not posted: {why}",
                        if outcome.on_demand {
                            "status"
                        } else {
                            "chat message"
                        }
                    ),
                },
            });
            true
        }
        Msg::EarlierRun | Msg::LaterRun => pick_run(state, &msg),
        Msg::OpenItem if state.view.overlay == Overlay::None => match state.selected_item() {
            Some(item) if state.view.focus == Pane::Items => {
                state.view.overlay = Overlay::Item {
                    id: item.id.clone(),
                    scroll: 0,
                    run: 0,
                };
                true
            }
            _ => false,
        },
        // The charts and the countdown have nothing to open: Enter enlarges them.
        Msg::OpenItem
            if state.view.overlay == Overlay::None
                && matches!(state.view.focus, Pane::Metrics | Pane::Countdown) =>
        {
            state.view.full_pane = !state.view.full_pane;
            true
        }
        Msg::OpenItem => false,
        // An overlay is modal: behind it nothing moves.
        Msg::FocusNext
        | Msg::FocusPrev
        | Msg::Focus(_)
        | Msg::SelectNext
        | Msg::SelectPrev
        | Msg::SelectFirst
        | Msg::SelectLast
        | Msg::SelectAt(_)
            if state.view.overlay != Overlay::None =>
        {
            false
        }
        Msg::FocusNext => focus(state, state.view.focus.next()),
        Msg::FocusPrev => focus(state, state.view.focus.prev()),
        Msg::Focus(pane) => focus(state, pane),
        Msg::SelectNext => select(state, |i, _| i.saturating_add(1)),
        Msg::SelectPrev => select(state, |i, _| i.saturating_sub(1)),
        Msg::SelectFirst => select(state, |_, _| 0),
        Msg::SelectLast => select(state, |_, n| n.saturating_sub(1)),
        Msg::SelectAt(index) => select(state, |_, n| index.min(n.saturating_sub(1))),
        Msg::ToggleHelp => toggle(state, Overlay::Help { scroll: 0 }),
        Msg::ToggleLog => toggle(state, Overlay::Log { scroll: 0 }),
        Msg::ToggleRiskMatrix => toggle(state, Overlay::RiskMatrix),
        Msg::ToggleReasons => toggle(state, Overlay::Reasons),
        Msg::CycleTheme => {
            let theme = state.look.theme.next();
            state.look.theme = theme;
            let text = if state.look.no_color {
                format!("theme: {} (NO_COLOR is set: no colours)", theme.name())
            } else {
                format!("theme: {}", theme.name())
            };
            state.view.notice = Some(super::Notice { error: false, text });
            true
        }
        Msg::Zoom => {
            state.view.zoom = (state.view.zoom + 1) % super::ZOOMS.len();
            true
        }
        Msg::CycleSort => {
            state.view.sort = state.view.sort.next();
            state.reorder();
            true
        }
        Msg::FormKey(_) | Msg::Submit if state.view.overlay == Overlay::Filter => {
            filter_key(state, &msg)
        }
        Msg::ToggleCheck
        | Msg::NotApplicable
        | Msg::PickStatus
        | Msg::SetStatus(_)
        | Msg::EditItem
        | Msg::ImportRun
        | Msg::RunRead(_)
        | Msg::PostStatus
        | Msg::AddNote
        | Msg::Undo
        | Msg::ConfirmUndo
        | Msg::DeployDone
        | Msg::CheckIn
        | Msg::Approve
        | Msg::FormKey(_)
        | Msg::Submit => actions::act(state, msg, &mut effects),
        // Esc while typing a filter, or with one kept: every item again.
        Msg::Back
            if state.view.overlay == Overlay::Filter
                || (state.view.overlay == Overlay::None && state.view.filter.is_some()) =>
        {
            state.view.overlay = Overlay::None;
            state.view.filter = None;
            state.reorder();
            true
        }
        Msg::Filter if state.view.overlay == Overlay::None => {
            state.view.overlay = Overlay::Filter;
            state.view.focus = Pane::Items;
            if state.view.filter.is_none() {
                state.view.filter = Some(String::new());
            }
            true
        }
        Msg::Filter => false,
        Msg::Back if state.view.overlay != Overlay::None => {
            state.view.overlay = Overlay::None;
            true
        }
        Msg::Back if state.view.notice.is_some() => {
            state.view.notice = None;
            true
        }
        Msg::Back | Msg::Quit => return vec![Effect::Quit],
        Msg::Samples(id, mut samples) => {
            // A sample stamped past this seat's clock (beyond a little skew)
            // would be the current value forever and never go stale.
            let latest_believed = state.night.now + crate::night::FUTURE_SKEW;
            let before = samples.len();
            samples.retain(|s| s.at <= latest_believed);
            // Said unless something worse is already on screen.
            let quiet = state.view.notice.as_ref().is_some_and(|n| n.error);
            if samples.len() < before
                && !quiet
                && let Some(spec) = state.night.plan.metrics.get(id)
            {
                state.view.notice = Some(Notice {
                    error: true,
                    text: crate::outside::shown(&format!(
                        "{}: {} samples stamped ahead of this seat's clock were not charted; is a clock wrong?",
                        spec.name,
                        before - samples.len()
                    )),
                });
                effects.push(Effect::Redraw);
            }
            if let Some(spec) = state.night.plan.metrics.get(id)
                && spec.source.is_recorded()
                && !samples.is_empty()
            {
                effects.push(Effect::Record(spec.name.clone(), samples.clone()));
            }
            let (from, _) = state.chart_window();
            let visible = samples.iter().any(|s| s.at >= from);
            let added = state.night.metrics.record(id, &samples);
            // The banner shows how long it has held: every sample counts.
            let alert = added && super::alerts::assess(state, id, &mut effects);
            let firing = state.alerts.get(id).is_some_and(Option::is_some);
            added && (visible || alert || firing)
        }
        Msg::Health(id, health) => state.night.metrics.set_health(id, health),
        Msg::Journal(batch) => {
            apply_journal(state, batch);
            true
        }
        Msg::AlertNotSaved(entry, text) => {
            // Kept to write again: an alert's start or end lost to a full
            // disk would leave the night's record wrong.
            state.alerts_unsaved.push(entry);
            state.alerts_retry_at = state.alerts_retry_at.max(state.night.now + ALERT_RETRY);
            state.view.notice = Some(Notice { error: true, text });
            true
        }
        Msg::JournalError(text) => {
            state.journal_offline = Some(text.clone());
            state.view.notice = Some(Notice { error: true, text });
            true
        }
        Msg::JournalBack => {
            state.journal_offline = None;
            state.view.notice = Some(Notice {
                error: false,
                text: "the journal is back; every mark made meanwhile is read".to_string(),
            });
            true
        }
        Msg::Saved(result) => {
            state.saving = state.saving.saturating_sub(1);
            match result {
                // The follower may have read the line back before this answer came.
                Ok(end) => {
                    if end > state.read_until {
                        state.unread_until = Some(state.unread_until.map_or(end, |u| u.max(end)));
                    }
                    if let Some(what) = state.undoing.take() {
                        state.view.notice = Some(Notice {
                            error: false,
                            text: format!("undone: {what}"),
                        });
                    }
                }
                Err(text) => {
                    state.undoing = None;
                    state.view.notice = Some(Notice { error: true, text });
                }
            }
            true
        }
    };
    if changed {
        effects.push(Effect::Redraw);
    }
    effects
}

/// How long a failed alert line waits before it is written again.
const ALERT_RETRY: chrono::TimeDelta = chrono::TimeDelta::seconds(10);

/// Writes again the alert lines that failed, in their order; the writer
/// skips any that another seat has recorded meanwhile.
fn retry_alerts(state: &mut State, effects: &mut Vec<Effect>) {
    if state.alerts_unsaved.is_empty() || state.night.now < state.alerts_retry_at {
        return;
    }
    state.alerts_retry_at = state.night.now + ALERT_RETRY;
    effects.extend(state.alerts_unsaved.drain(..).map(Effect::Append));
}

/// What the keys mean with what is on screen now.
pub fn key_mode(state: &State) -> KeyMode {
    match state.view.overlay {
        Overlay::None => KeyMode::Panes,
        Overlay::Form(_) | Overlay::Filter => KeyMode::Typing,
        Overlay::StatusPicker { .. } => KeyMode::Picking,
        Overlay::ConfirmUndo { .. } => KeyMode::Confirming,
        Overlay::Help { .. }
        | Overlay::Log { .. }
        | Overlay::RiskMatrix
        | Overlay::Reasons
        | Overlay::Report { .. }
        | Overlay::Item { .. } => KeyMode::Reading,
    }
}

/// Applies journal lines in file order: the same path for this seat's own
/// actions, other seats' and the replay at start.
pub fn apply_journal(state: &mut State, batch: crate::journal::Batch) {
    state.read_until = state.read_until.max(batch.position.offset);
    if state
        .unread_until
        .is_some_and(|end| state.read_until >= end)
    {
        state.unread_until = None;
    }
    state.night.apply(&batch);
    // Lines that do not parse (not torn ones, which are closed and fine) will
    // stop the next start: say so now, while someone can look.
    let bad = batch.skipped.iter().rev().find_map(|s| match &s.why {
        crate::journal::SkipReason::NotAnEntry(why) => Some((s.line, why)),
        crate::journal::SkipReason::Torn => None,
    });
    if let Some((line, why)) = bad {
        state.view.notice = Some(Notice {
            error: true,
            text: format!(
                "journal line {line} is not an entry, skipped; the next start will stop on it: {why}"
            ),
        });
    } else if let Some(last) = batch.skipped.last() {
        let more = match batch.skipped.len() {
            1 => String::new(),
            n => format!(" ({n} lines skipped)"),
        };
        state.view.notice = Some(Notice {
            error: false,
            text: format!("journal line {} skipped: {}{more}", last.line, last.why),
        });
    }
    if let Some(torn) = batch.torn_tail {
        state.view.notice = Some(Notice {
            error: true,
            text: format!(
                "journal line {} cut off mid-write ({} bytes): skipped; every line before it counts",
                torn.line, torn.bytes
            ),
        });
    }
    state.reorder();
}

#[cfg(test)]
#[path = "update_tests.rs"]
mod tests;
