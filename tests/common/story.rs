//! The story's night as a journal, and what a seat recorded of it: the
//! documents of the night are read from it.

use std::path::PathBuf;

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use warroom::domain::action::{AlertFigures, StoodReason};
use warroom::domain::{Action, ItemStatus, MarkState};
use warroom::journal::Entry;
use warroom::metrics::Sample;

fn at(time: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(time).expect("time")
}

/// The story from 19:20 on Friday to Saturday 09:00.
pub fn the_night() -> Vec<Entry> {
    let plan = warroom::plan::demo::plan();
    let mut e = vec![
        Entry::action(
            at("2026-11-27T19:20:00+09:00"),
            "mina",
            Action::ItemStatus {
                id: "API-TIMEOUT".into(),
                status: ItemStatus::InProgress,
            },
        ),
        Entry::action(at("2026-11-27T19:36:00+09:00"), "mina", super::failed_run()),
    ];
    for id in ["PAY-PERF", "SIGNUP-FLOW", "ADMIN-UI"] {
        e.push(Entry::action(
            at("2026-11-27T19:45:00+09:00"),
            "mina",
            Action::ItemStatus {
                id: id.into(),
                status: ItemStatus::Passed,
            },
        ));
    }
    e.push(Entry::action(
        at("2026-11-27T19:50:00+09:00"),
        "joon",
        Action::Note {
            item: Some("API-TIMEOUT".into()),
            text: "DB pool 20 -> 50; rerun at 21:00".into(),
        },
    ));
    e.push(Entry::action(
        at("2026-11-27T21:16:00+09:00"),
        "mina",
        super::clean_rerun(),
    ));
    e.push(Entry::action(
        at("2026-11-27T21:17:00+09:00"),
        "mina",
        Action::ItemStatus {
            id: "API-TIMEOUT".into(),
            status: ItemStatus::Passed,
        },
    ));
    for c in &plan.checklist {
        e.push(Entry::action(
            at("2026-11-27T22:40:00+09:00"),
            "mina",
            Action::Check {
                id: c.id.clone(),
                mark: MarkState::Done,
                reason: None,
            },
        ));
    }
    e.push(Entry::action(
        at("2026-11-27T22:55:00+09:00"),
        "mina",
        Action::Approve {
            statement: "QA approves the Friday release".into(),
            override_reason: None,
            go: true,
            reasons: Vec::<StoodReason>::new(),
        },
    ));
    e.push(Entry::action(
        at("2026-11-27T23:05:00+09:00"),
        "joon",
        Action::DeployDone,
    ));
    let alert = AlertFigures {
        metric: "API latency p95".into(),
        unit: "ms".into(),
        limit: 500.0,
        value: 540.0,
        since: at("2026-11-27T23:20:10+09:00"),
        held_secs: 30,
    };
    e.push(Entry::action(
        at("2026-11-27T23:20:40+09:00"),
        "mina",
        Action::AlertStart(alert.clone()),
    ));
    e.push(Entry::action(
        at("2026-11-27T23:20:51+09:00"),
        "mina",
        Action::AlertEnd(AlertFigures {
            value: 612.0,
            held_secs: 41,
            ..alert
        }),
    ));
    e.push(Entry::action(
        at("2026-11-28T08:30:00+09:00"),
        "mina",
        Action::CheckIn { note: None },
    ));
    e.push(Entry::action(
        at("2026-11-28T09:00:00+09:00"),
        "mina",
        Action::CheckIn {
            note: Some("peak 2800 TPS at 03:00, p95 fine".into()),
        },
    ));
    e
}

/// The night's plan and journal, with what a seat recorded of the p95, the
/// error rate and the throughput from 23:00 to 01:00, but for ten minutes
/// nobody watched.
pub fn demo_night() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, include_str!("../../assets/demo.toml")).expect("plan");
    let journal = dir.path().join("night.journal.jsonl");
    let lines: String = the_night().iter().map(|e| e.to_line() + "\n").collect();
    std::fs::write(&journal, lines).expect("journal");
    let start: DateTime<Utc> = at("2026-11-27T23:00:00+09:00").to_utc();
    let samples: Vec<Sample> = (0..7200)
        .filter(|s| !(2400..3000).contains(s))
        .map(|s| Sample {
            at: start + TimeDelta::seconds(s),
            value: match s {
                1210..=1250 => 612.0,
                _ => 200.0 + (s % 50) as f64,
            },
        })
        .collect();
    let readings = warroom::journal::readings::path_for_journal(&journal);
    warroom::journal::readings::append(&readings, "API latency p95", &samples).expect("readings");
    // The error rate and the throughput over the same hours: errors up with
    // the p95's spike at 23:20, the peak of traffic at 00:10.
    let over = |value: &dyn Fn(i64) -> f64| -> Vec<Sample> {
        (0..7200)
            .filter(|s| !(2400..3000).contains(s))
            .map(|s| Sample {
                at: start + TimeDelta::seconds(s),
                value: value(s),
            })
            .collect()
    };
    let errors = over(&|s| match s {
        1210..=1250 => 0.4,
        _ => 0.02 + (s % 5) as f64 / 100.0,
    });
    warroom::journal::readings::append(&readings, "Error rate", &errors).expect("readings");
    let tps = over(&|s| match s {
        4200 => 2780.0,
        _ => 1500.0 + (s % 100) as f64,
    });
    warroom::journal::readings::append(&readings, "Throughput", &tps).expect("readings");
    // Three calls cut off by the timeout in the spike, none else.
    let timeouts = over(&|s| match s {
        1215 | 1230 | 1245 => 1.0,
        _ => 0.0,
    });
    warroom::journal::readings::append(&readings, "Timeouts", &timeouts).expect("readings");
    (dir, plan)
}
