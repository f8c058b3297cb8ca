//! Who and when, as a mark shows it: `mina 22:41`, in the plan's zone; a
//! mark from another day with its date (`joon Sat 28 03:50`), as a weekend's
//! check-ins span days; the log to the second.

use crate::app::State;
use crate::domain::Stamp;

pub fn short(state: &State, stamp: &Stamp) -> String {
    format!("{} {}", stamp.actor, when(state, stamp, "%H:%M"))
}

/// To the second, for the log, where the order of two marks in one minute
/// matters.
pub fn precise(state: &State, stamp: &Stamp) -> String {
    format!("{} {}", stamp.actor, when(state, stamp, "%H:%M:%S"))
}

fn when(state: &State, stamp: &Stamp, time: &str) -> String {
    let zone = state.night.plan.release.schedule.zone;
    let at = zone.at(stamp.at.to_utc());
    let same_day = at.date_naive() == zone.at(state.night.now).date_naive();
    if same_day {
        at.format(time).to_string()
    } else {
        at.format(&format!("%a %d {time}")).to_string()
    }
}
