//! The check-in slots after the watch, as a seat or watcher sees them come:
//! a bell and a digest as each falls due, a line when one ends missed.
//! Each is written once, by whichever seat or watcher sees it first.

use super::{Effect, State};

/// One bell as each check-in falls due, on every seat: whoever is at the
/// keyboard answers it. A slot that ended with no check-in is said in the
/// journal, once, by whichever seat or watcher sees it first.
pub(super) fn ring_for_check_in(state: &mut State, effects: &mut Vec<Effect>) {
    say_missed(state, effects);
    let due = state.night.check_ins().and_then(|c| c.due);
    if let Some(due) = due
        && state.check_in_rung != Some(due)
    {
        state.check_in_rung = Some(due);
        effects.push(Effect::Bell);
        // Said in the journal once, by whichever seat or watcher sees it
        // first, with what the metrics did since the slot before.
        let schedule = &state.night.plan.release.schedule;
        let start = schedule.deploy_start(state.night.deploy_done());
        let since = schedule
            .check_in_every
            .and_then(|every| chrono::Duration::from_std(every).ok())
            .and_then(|every| due.checked_sub_signed(every))
            .map_or(start, |before| before.max(start));
        let mut digest = state.night.digest(since, due.max(since));
        let missed = state.night.check_ins().map_or(0, |c| c.missed);
        if missed > 0 {
            let noun = if missed == 1 { "check-in" } else { "check-ins" };
            digest.push(format!("{missed} {noun} missed so far"));
        }
        let action = crate::domain::Action::CheckInDue {
            slot: schedule.zone.at(due),
            digest,
        };
        effects.push(Effect::Append(super::actions::entry(state, action)));
    }
}

fn say_missed(state: &mut State, effects: &mut Vec<Effect>) {
    let night = &state.night;
    let schedule = &night.plan.release.schedule;
    let Some((slot, ended)) = night.check_ins().and_then(|c| c.just_missed) else {
        return;
    };
    // A check-in made in the slot's last seconds may still be on its way
    // to the journal, from this seat or another.
    if night.now < ended + MISSED_GRACE || state.saving > 0 || state.unread_until.is_some() {
        return;
    }
    let said = night.ledger.log.iter().any(|l| {
        matches!(&l.entry.action, crate::domain::Action::CheckInMissed { slot: s } if s.to_utc() == slot)
    });
    if said || state.missed_said == Some(slot) {
        return;
    }
    state.missed_said = Some(slot);
    let action = crate::domain::Action::CheckInMissed {
        slot: schedule.zone.at(slot),
    };
    effects.push(Effect::Append(super::actions::entry(state, action)));
}

/// How long after a slot ends it is said to be missed.
const MISSED_GRACE: chrono::TimeDelta = chrono::TimeDelta::seconds(30);
