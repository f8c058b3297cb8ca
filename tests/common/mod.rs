//! The demo release at a fixed moment, with its charts filled by the seeded
//! simulator: the same screen on every machine.

use chrono::{DateTime, Utc};
use warroom::app::{CHART_WINDOW, Msg, State, update};
use warroom::domain::Zone;
use warroom::plan::{SourceSpec, demo};
use warroom::sources::demo::Simulator;

/// The demo as it opens at 16:40, seen from a seat on UTC.
pub fn demo_state() -> State {
    let plan = demo::plan();
    let start = demo::story_start(&plan);
    demo_state_at(start)
}

pub fn demo_state_at(now: DateTime<Utc>) -> State {
    let plan = demo::plan();
    let mut state = State::new(plan, now, Zone::utc());
    state.demo = true;
    let deploy_at = state.plan.release.schedule.deploy_at;
    let feeds: Vec<Msg> = state
        .plan
        .metrics
        .iter()
        .enumerate()
        .map(|(id, spec)| {
            let SourceSpec::Demo { signal, seed } = spec.source;
            let simulator = Simulator { seed, deploy_at };
            Msg::Samples(
                id,
                simulator.samples(signal, now - CHART_WINDOW, now, spec.interval),
            )
        })
        .collect();
    for msg in feeds {
        update(&mut state, msg);
    }
    state
}
