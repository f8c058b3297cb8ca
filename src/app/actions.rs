//! What a person does to the release: each action becomes a journal entry for
//! the loop to write. Nothing here changes the ledger; the entry does that
//! when it comes back from disk, so the screen never shows as done what is
//! not yet saved.

use chrono::{DateTime, SubsecRound};

use super::form::{Form, FormKind};
use super::state::{Notice, Overlay};
use super::{Effect, Msg, Pane, State};
use crate::domain::gate::new_blockers;
use crate::domain::ledger::UndoRefused;
use crate::domain::{Action, MarkState};
use crate::journal::Entry;

/// Handles an action message; returns whether anything visible changed.
pub fn act(state: &mut State, msg: Msg, effects: &mut Vec<Effect>) -> bool {
    // Posting the night's status to the chat is a word, not a mark.
    if state.read_only && !matches!(msg, Msg::PostStatus) {
        return hint(
            state,
            "this seat is read-only: it shows everything and takes no marks",
        );
    }
    match msg {
        Msg::ToggleCheck => match selected_check(state) {
            // Bound to a fact: the fact decides, a tick cannot.
            Some((_, mark))
                if mark != MarkState::NotApplicable
                    && state.night.fact(state.view.selected_check).is_some() =>
            {
                let i = state.view.selected_check;
                let text = state.night.ledger.checklist[i].text.clone();
                match state.night.fact(i) {
                    Some(fact) if fact.holds => hint(
                        state,
                        &format!(
                            "done by the facts: {}; n marks it not applicable",
                            fact.text
                        ),
                    ),
                    Some(fact) => {
                        state.view.notice = Some(Notice {
                            error: true,
                            text: format!("cannot tick \"{text}\": {}", fact.text),
                        });
                        true
                    }
                    None => false,
                }
            }
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
        Msg::NotApplicable => match state.night.ledger.checklist.get(state.view.selected_check) {
            Some(entry) if state.view.focus == Pane::Checklist => {
                state.view.overlay = Overlay::Form(Form::not_applicable(entry));
                true
            }
            _ => hint(state, "select a checklist entry first (2)"),
        },
        Msg::PickStatus => match state
            .selected_item()
            .filter(|_| state.view.focus == Pane::Items)
        {
            Some(item) => {
                state.view.overlay = Overlay::StatusPicker {
                    id: item.id.clone(),
                };
                true
            }
            None => hint(state, "select a release item first (1)"),
        },
        Msg::SetStatus(status) => {
            // From the picker, or straight from the items pane.
            let picked = match &state.view.overlay {
                Overlay::StatusPicker { id } => Some(id.clone()),
                _ => None,
            };
            if picked.is_some() {
                state.view.overlay = Overlay::None;
            }
            let item = match picked {
                Some(id) => state.night.ledger.items.iter().find(|i| i.id == id),
                None => state
                    .selected_item()
                    .filter(|_| state.view.focus == Pane::Items),
            };
            match item {
                Some(item) if item.status == status => {
                    let text = format!("{} is already {}", item.id, status.label());
                    hint(state, &text)
                }
                Some(item) => {
                    let id = item.id.clone();
                    write(state, effects, Action::ItemStatus { id, status })
                }
                None => hint(state, "select a release item first (1)"),
            }
        }
        Msg::EditItem => match state
            .selected_item()
            .filter(|_| state.view.focus == Pane::Items)
        {
            Some(item) => {
                let index = state.view.item_order[state.view.selected_item];
                let base = state.night.ledger.item_stamps[index].clone();
                state.view.overlay = Overlay::Form(Form::edit_item(item, base));
                true
            }
            None => hint(state, "select a release item first (1)"),
        },
        Msg::PostStatus => {
            if state.night.plan.chat.is_none() {
                return hint(state, "no [chat] in the plan: nothing to post to");
            }
            if let Some(why) = state.chat_off.clone() {
                state.view.notice = Some(Notice {
                    error: true,
                    text: format!("not posted: {why}"),
                });
                return true;
            }
            let text = crate::report::chat::status(&state.night, &state.actor);
            effects.push(Effect::Post(text));
            hint(state, "posting the status to the team's chat…")
        }
        Msg::ImportRun => match state
            .selected_item()
            .filter(|_| state.view.focus == Pane::Items)
        {
            Some(item) => {
                let criteria = state
                    .night
                    .plan
                    .criteria
                    .get(&item.id)
                    .filter(|c| !c.is_empty())
                    .map(|c| format!("It passes with {}.", c.describe()));
                state.view.overlay = Overlay::Form(Form::import(item, criteria));
                true
            }
            None => hint(state, "select a release item first (1)"),
        },
        Msg::RunRead(read) => match read {
            Err(why) => {
                state.view.notice = Some(Notice {
                    error: true,
                    text: format!("not imported: {why}"),
                });
                true
            }
            Ok(read) => run_read(state, effects, *read),
        },
        Msg::Approve => {
            let verdict = crate::night::verdict(&state.night);
            state.view.overlay = Overlay::Form(Form::approve(&verdict));
            true
        }
        Msg::DeployDone => match state.night.ledger.deploy.done() {
            Some(d) => {
                let who = d.stamp.actor.clone();
                let at = state
                    .night
                    .plan
                    .release
                    .schedule
                    .zone
                    .at(d.stamp.at.to_utc())
                    .format("%H:%M");
                hint(
                    state,
                    &format!("the deploy was marked done by {who} at {at}"),
                )
            }
            None => write(state, effects, Action::DeployDone),
        },
        Msg::CheckIn => {
            if state.night.phase() == crate::domain::Phase::BeforeDeploy {
                return hint(state, "check-ins start after the deploy");
            }
            let zone = state.night.plan.release.schedule.zone;
            let due = state
                .night
                .check_ins()
                .and_then(|c| c.due)
                .map(|t| format!("The check-in due {} is open.", zone.at(t).format("%H:%M")));
            let mut summary = crossed_crit(state);
            summary.extend(since_deploy(state));
            state.view.overlay = Overlay::Form(Form::check_in(due, summary));
            true
        }
        Msg::AddNote => {
            let item = state
                .selected_item()
                .filter(|_| state.view.focus == Pane::Items);
            state.view.overlay = Overlay::Form(Form::note(item));
            true
        }
        // Busy first: what undo would take back depends on the last line being read back.
        Msg::Undo => match busy(state) {
            Some(why) => hint(state, &why),
            None => undo(state, effects, false),
        },
        Msg::ConfirmUndo => {
            let asked = matches!(state.view.overlay, Overlay::ConfirmUndo { .. });
            state.view.overlay = Overlay::None;
            match busy(state) {
                Some(why) => hint(state, &why),
                None if asked => undo(state, effects, true),
                None => false,
            }
        }

        Msg::FormKey(key) => match &mut state.view.overlay {
            Overlay::Form(form) => {
                form.key(key);
                true
            }
            _ => false,
        },
        Msg::Submit => {
            if let Some(why) = busy(state) {
                return hint(state, &why);
            }
            let edited = edited_since(state);
            let stale = edited
                .as_ref()
                .map(|(why, _)| why.clone())
                .or_else(|| verdict_changed(state));
            let Overlay::Form(form) = &mut state.view.overlay else {
                return false;
            };
            if let Some(why) = stale {
                // What was typed stays; once told, a second Enter saves it
                // over the change she has now seen.
                if let (Some((_, now)), FormKind::EditItem { base, .. }) = (edited, &mut form.kind)
                {
                    *base = now;
                }
                // The approval shows the verdict as it stands now, with what
                // she typed kept: she reads the new reasons before Enter.
                let mut why = why;
                if let FormKind::Approve { .. } = form.kind {
                    let verdict = crate::night::verdict(&state.night);
                    let mut fresh = Form::approve(&verdict);
                    for field in &mut fresh.fields {
                        if let Some(old) = form.fields.iter().find(|f| f.label == field.label) {
                            field.value.clone_from(&old.value);
                        }
                    }
                    fresh.focus = form.focus.min(fresh.fields.len() - 1);
                    // Turned NO-GO: the override reason is asked for, empty.
                    if let Some(new) = fresh
                        .fields
                        .iter()
                        .position(|f| !form.fields.iter().any(|old| old.label == f.label))
                    {
                        fresh.focus = new;
                        why = "the verdict turned NO-GO while this form was open: above is how it stands now; name the risk you accept, then Enter".into();
                    }
                    *form = fresh;
                }
                form.fields[form.focus].error = Some(why);
                return true;
            }
            if let FormKind::Import { item } = &form.kind {
                let file = form.fields[0].value.trim().to_string();
                if file.is_empty() {
                    form.fields[0].error = Some("the result file's path".to_string());
                    return true;
                }
                let item = item.clone();
                let timeout = state.night.plan.criteria.get(&item).and_then(|c| c.timeout);
                state.view.overlay = Overlay::None;
                state.view.notice = Some(Notice {
                    error: false,
                    text: format!("reading {file} for {item}…"),
                });
                effects.push(Effect::ReadRun {
                    item,
                    file: file.into(),
                    timeout,
                });
                return true;
            }
            match form.submit() {
                Some(action) => {
                    state.view.overlay = Overlay::None;
                    write(state, effects, action)
                }
                // The form shows its errors and stays open.
                None => true,
            }
        }
        _ => false,
    }
}

/// A result file read for an import: journaled as the item's run unless
/// the same file is there already; what it showed is said either way.
fn run_read(
    state: &mut State,
    effects: &mut Vec<Effect>,
    read: crate::import::ReadEvidence,
) -> bool {
    let of = read.runs.len();
    let mut fresh = Vec::new();
    for evidence in read.runs {
        match state.night.ledger.imported(&evidence) {
            Some(r) if of == 1 => {
                let text = format!(
                    "{} was imported on {} already (journal line {}, by {}): nothing added",
                    evidence.file, evidence.item, r.line, r.stamp.actor
                );
                return hint(state, &text);
            }
            Some(_) => {}
            None => fresh.push(evidence),
        }
    }
    let Some(last) = fresh.last().cloned() else {
        return hint(
            state,
            &format!("all {of} runs of the file were imported already: nothing added"),
        );
    };
    let verdict = match state.night.plan.criteria.get(&last.item) {
        Some(c) if !c.is_empty() => {
            let broken = c.broken(&last.summary);
            if broken.is_empty() {
                "passes".to_string()
            } else {
                format!("FAILS: {}", broken.join(", "))
            }
        }
        _ => "no criteria to pass".to_string(),
    };
    let s = &last.summary;
    let mut text = format!(
        "{} on {}: {} samples, {}% errors, p95 {} ms; {verdict}",
        last.source(),
        last.item,
        s.samples,
        crate::metrics::format::number(s.error_rate),
        s.latency_ms.p95
    );
    if fresh.len() > 1 {
        text.push_str(&format!(" ({} runs added)", fresh.len()));
    }
    if let Some(note) = read.note {
        text.push_str(&format!(" ({note})"));
    }
    if let Some(why) = busy(state) {
        return hint(state, &why);
    }
    // The file's runs go together: one busy check, then a line each.
    for evidence in fresh {
        let entry = entry(state, Action::Evidence(Box::new(evidence)));
        state.saving += 1;
        effects.push(Effect::Append(entry));
    }
    let error = verdict.starts_with("FAILS");
    state.view.notice = Some(Notice { error, text });
    true
}

/// Takes back this seat's last action, saying which; an approval or the
/// deploy mark only once `confirmed`, as the whole room relies on them.
fn undo(state: &mut State, effects: &mut Vec<Effect>, confirmed: bool) -> bool {
    match state.night.ledger.undo_for(&state.actor, seat(state)) {
        Ok((line, action)) => {
            let target = state
                .night
                .ledger
                .log
                .iter()
                .find(|l| l.entry.line == line)
                .map(|l| l.entry.action.clone());
            let what = format!(
                "line {line}, {}",
                target.as_ref().map_or(String::new(), ToString::to_string)
            );
            let weighty = matches!(target, Some(Action::Approve { .. } | Action::DeployDone));
            if weighty && !confirmed {
                state.view.overlay = Overlay::ConfirmUndo { line, what };
                return true;
            }
            let mut entry = entry(state, action);
            entry.undoes = Some(line);
            let queued = busy(state).is_none();
            let sent = send(state, effects, entry);
            if queued {
                state.undoing = Some(what);
            }
            sent
        }
        Err(UndoRefused::Nothing) => hint(state, "nothing of yours to undo"),
        Err(UndoRefused::Kept(why)) => hint(state, &why),
        Err(UndoRefused::ChangedSince { target, by }) => {
            let zone = state.night.plan.release.schedule.zone;
            let at = zone.at(by.at.to_utc()).format("%H:%M");
            let text = format!(
                "cannot undo: {target} was changed since by {} at {at}",
                by.actor
            );
            hint(state, &text)
        }
    }
}

fn selected_check(state: &State) -> Option<(String, MarkState)> {
    if state.view.focus != Pane::Checklist {
        return None;
    }
    let entry = state
        .night
        .ledger
        .checklist
        .get(state.view.selected_check)?;
    Some((
        entry.id.clone(),
        state.night.ledger.mark_state(state.view.selected_check),
    ))
}

fn write(state: &mut State, effects: &mut Vec<Effect>, action: Action) -> bool {
    let entry = entry(state, action);
    send(state, effects, entry)
}

pub(super) fn entry(state: &State, action: Action) -> Entry {
    let mut entry = Entry::action(stamp_time(state), &state.actor, action);
    entry.seat = seat(state).map(str::to_string);
    entry
}

fn seat(state: &State) -> Option<&str> {
    Some(state.seat.as_str()).filter(|s| !s.is_empty())
}

/// Why this seat cannot act right now, if it cannot.
fn busy(state: &State) -> Option<String> {
    if let Some(why) = &state.journal_offline {
        return Some(format!(
            "no mark is taken while the journal is offline: {why}"
        ));
    }
    // Every decision (the next mark, what undo takes back) reads the ledger,
    // which shows this seat's last line only once it is read back from disk.
    (state.saving > 0 || state.unread_until.is_some())
        .then(|| "saving your last mark; try again in a moment".to_string())
}

/// For the edit form: whether the item changed since the form was opened,
/// so saving would silently put back what someone else just set; and the
/// item's stamp as it stands now.
fn edited_since(state: &State) -> Option<(String, Option<crate::domain::Stamp>)> {
    let Overlay::Form(Form {
        kind: FormKind::EditItem { id, base },
        ..
    }) = &state.view.overlay
    else {
        return None;
    };
    let i = state
        .night
        .ledger
        .items
        .iter()
        .position(|item| &item.id == id)?;
    let now = &state.night.ledger.item_stamps[i];
    (now != base).then(|| {
        let by = now
            .as_ref()
            .map_or("someone".to_string(), |s| s.actor.clone());
        (
            format!(
                "{id} was changed by {by} while this form was open; what you typed is kept: Enter saves it over theirs, Esc leaves theirs"
            ),
            now.clone(),
        )
    })
}

/// For the approval form: whether the blockers changed since it opened, so
/// she would approve something other than what she read.
fn verdict_changed(state: &State) -> Option<String> {
    let Overlay::Form(Form {
        kind: FormKind::Approve { go, reasons },
        ..
    }) = &state.view.overlay
    else {
        return None;
    };
    let verdict = crate::night::verdict(&state.night);
    let changed = verdict.go() != *go || !new_blockers(reasons, &verdict).is_empty();
    changed.then(|| {
        "the verdict changed while this form was open: above is how it stands now, what you typed is kept; Enter approves it"
            .into()
    })
}

fn send(state: &mut State, effects: &mut Vec<Effect>, entry: Entry) -> bool {
    if let Some(why) = busy(state) {
        return hint(state, &why);
    }
    state.saving += 1;
    state.view.notice = None;
    effects.push(Effect::Append(entry));
    true
}

/// The moment of an action to the second, with this seat's offset.
pub(super) fn stamp_time(state: &State) -> DateTime<chrono::FixedOffset> {
    state.local_zone.at(state.night.now.trunc_subsecs(0))
}

/// Each metric that reached its crit limit since the last check-in (or the
/// deploy, before the first), first of all: `all well` should not be typed
/// over a spike nobody looked at.
fn crossed_crit(state: &State) -> Vec<String> {
    let night = &state.night;
    let schedule = &night.plan.release.schedule;
    let zone = schedule.zone;
    let last = night
        .ledger
        .deploy
        .check_ins
        .iter()
        .map(|c| c.stamp.at.to_utc())
        .max();
    let (from, since) = match last {
        Some(t) => (
            t,
            format!("since the last check-in at {}", zone.at(t).format("%H:%M")),
        ),
        None => {
            let t = schedule.deploy_start(night.deploy_done());
            (
                t,
                format!("since the deploy at {}", zone.at(t).format("%H:%M")),
            )
        }
    };
    night
        .plan
        .metrics
        .iter()
        .enumerate()
        .filter_map(|(id, spec)| {
            let series = night.metrics.series(id);
            // Unread is not fine: said as loudly as a crossing.
            if series.is_none_or(|s| s.window(from, night.now).next().is_none()) {
                return Some(format!(
                    "⚠ {} has no sample {since}: not known to be fine",
                    spec.name
                ));
            }
            let crit = spec.limits.crit?;
            let series = series?;
            let first = series.window(from, night.now).find(|s| s.value >= crit)?;
            let peak = series
                .window(from, night.now)
                .map(|s| s.value)
                .fold(f64::MIN, f64::max);
            let value = |v: f64| crate::metrics::format::value(v, &spec.unit);
            Some(format!(
                "⚠ {} reached its crit {} at {}, up to {}, {since}",
                spec.name,
                value(crit),
                zone.at(first.at).format("%H:%M:%S"),
                value(peak)
            ))
        })
        .collect()
}

/// What each metric did since the deploy, for the check-in: what she looks
/// at before saying all is well.
fn since_deploy(state: &State) -> Vec<String> {
    let schedule = &state.night.plan.release.schedule;
    let from = schedule.deploy_start(state.night.deploy_done());
    let at = schedule.zone.at(from).format("%a %H:%M");
    state
        .night
        .plan
        .metrics
        .iter()
        .enumerate()
        .map(|(id, spec)| {
            let value = |v: f64| crate::metrics::format::value(v, &spec.unit);
            match state
                .night
                .metrics
                .series(id)
                .and_then(|s| s.stats(from, state.night.now))
            {
                Some(w) if spec.counts => format!(
                    "{}: total {}{}, highest {} since {at}",
                    spec.name,
                    value(w.total),
                    if w.covers(spec.sample_interval(), from, state.night.now) {
                        ""
                    } else {
                        " in what was seen"
                    },
                    value(w.max)
                ),
                Some(w) => format!(
                    "{}: average {}, highest {} since {at}",
                    spec.name,
                    value(w.mean),
                    value(w.max)
                ),
                None => format!("{}: no samples since {at}", spec.name),
            }
        })
        .collect()
}

fn hint(state: &mut State, text: &str) -> bool {
    state.view.notice = Some(Notice {
        error: false,
        text: text.to_string(),
    });
    true
}

#[cfg(test)]
#[path = "actions_tests.rs"]
mod tests;
