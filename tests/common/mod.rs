#![allow(dead_code)] // shared by several test crates and the benches; each uses a part
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
    state.night.demo = true;
    state.actor = "mina".to_string();
    let deploy_at = state.night.plan.release.schedule.deploy_at;
    let feeds: Vec<Msg> = state
        .night
        .plan
        .metrics
        .iter()
        .enumerate()
        .filter_map(|(id, spec)| {
            let SourceSpec::Demo { signal, seed } = spec.source else {
                return None;
            };
            let simulator = Simulator { seed, deploy_at };
            Some(Msg::Samples(
                id,
                simulator.samples(signal, now - CHART_WINDOW, now, spec.interval),
            ))
        })
        .collect();
    for msg in feeds {
        update(&mut state, msg);
    }
    state
}

/// Applies `actions` as if read back from the journal, one line each, by
/// `actor` at `at` (the plan's zone).
pub fn record(state: &mut State, actor: &str, at: &str, actions: Vec<warroom::domain::Action>) {
    use warroom::journal::{Batch, Entry, Line};
    let at = chrono::DateTime::parse_from_rfc3339(at).expect("test time");
    let first = state.night.ledger.log.len() as u64 + 1;
    let lines = actions
        .into_iter()
        .enumerate()
        .map(|(i, action)| Line {
            number: first + i as u64,
            entry: Entry::action(at, actor, action),
            role: None,
        })
        .collect();
    warroom::app::apply_journal(
        state,
        Batch {
            lines,
            ..Batch::default()
        },
    );
}
pub mod chat;
pub mod postgres;
pub mod prometheus;
pub mod screen;
pub mod slow_server;
pub mod story;
pub mod tmux;

/// The story's clean rerun at 21:10 on API-TIMEOUT, after the pool fix: a
/// minute at 50 calls a second, none failed, none near the 500 ms timeout.
pub fn clean_rerun() -> warroom::domain::Action {
    use warroom::loadtest::{Call, Summarizer};
    let mut summarizer = Summarizer::new(Some(std::time::Duration::from_millis(500)));
    for n in 0..3000_i64 {
        summarizer.add(&Call {
            start_ms: 1_796_380_000_000 + n * 20,
            elapsed_ms: 180 + (n % 40) as u32,
            ok: true,
            label: 0,
            code: 0,
        });
    }
    warroom::domain::Action::Evidence(Box::new(warroom::domain::evidence::Evidence {
        item: "API-TIMEOUT".to_string(),
        file: "rerun-2110.jtl".to_string(),
        bytes: 180_000,
        sha256: "5e".repeat(32),
        run: None,
        summary: summarizer.finish(None),
    }))
}

/// A run like the story's 19:30 one on API-TIMEOUT: 0.3 % errors, three of
/// them at the 500 ms timeout.
pub fn failed_run() -> warroom::domain::Action {
    use warroom::loadtest::{Call, Summarizer};
    let mut s = Summarizer::new(Some(std::time::Duration::from_millis(500)));
    for n in 0..3000_i64 {
        let (ok, ms) = match n % 1000 {
            0 if n < 2700 => (false, 510),
            1 | 2 => (false, 120),
            _ => (true, 200),
        };
        s.add(&Call {
            start_ms: 1_796_380_000_000 + n,
            elapsed_ms: ms,
            ok,
            label: 0,
            code: 0,
        });
    }
    warroom::domain::Action::Evidence(Box::new(warroom::domain::evidence::Evidence {
        item: "API-TIMEOUT".into(),
        file: "run-1930.jtl".into(),
        bytes: 1,
        sha256: "aa".into(),
        run: None,
        summary: s.finish(None),
    }))
}
