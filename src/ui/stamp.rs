//! Who and when, as a mark shows it: `mina 22:41`, in the plan's zone.

use crate::app::State;
use crate::domain::Stamp;

pub fn short(state: &State, stamp: &Stamp) -> String {
    let zone = state.night.plan.release.schedule.zone;
    let at = zone.at(stamp.at.to_utc());
    // A mark from another day says which day.
    let same_day = at.date_naive() == zone.at(state.night.now).date_naive();
    let when = if same_day {
        at.format("%H:%M").to_string()
    } else {
        at.format("%a %H:%M").to_string()
    };
    format!("{} {when}", stamp.actor)
}
