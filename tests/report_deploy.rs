//! `warroom report deploy` through the binary: Monday's completion report of
//! the demo night, from a journal that replays the story's evening and
//! weekend and what a seat recorded of one metric, as reviewed golden
//! files; and over a short window against a real Prometheus.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use warroom::domain::action::{AlertFigures, StoodReason};
use warroom::domain::{Action, ItemStatus, MarkState};
use warroom::journal::Entry;
use warroom::metrics::Sample;

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn at(time: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(time).expect("time")
}

fn report(plan: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["report", "deploy"])
        .arg(plan)
        .args(args)
        .output()
        .expect("report")
}

fn text(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

/// The story from 19:20 on Friday to Saturday 09:00.
fn the_night() -> Vec<Entry> {
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
        Entry::action(
            at("2026-11-27T19:36:00+09:00"),
            "mina",
            common::failed_run(),
        ),
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
        common::clean_rerun(),
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

/// The night's plan and journal, with what a seat recorded of the p95 from
/// 23:00 to 01:00, but for ten minutes nobody watched.
fn demo_night() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, include_str!("../assets/demo.toml")).expect("plan");
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
    warroom::journal::readings::append(
        &warroom::journal::readings::path_for_journal(&journal),
        "API latency p95",
        &samples,
    )
    .expect("readings");
    (dir, plan)
}

#[test]
fn monday_s_report_of_the_demo_night() {
    let (_dir, plan) = demo_night();
    let args = ["--at", "2026-11-28T12:00:00+09:00", "--window", "2h"];
    let md = text(&report(&plan, &args));
    assert!(
        md.contains("Marked done Fri 27 Nov 23:05:00 KST by joon.\n"),
        "{md}"
    );
    assert!(
        md.contains("Monitoring window: Fri 27 Nov 23:00:00 KST to Sat 28 Nov 01:00:00 KST.\n"),
        "{md}"
    );
    assert!(
        md.contains("| API latency p95 | 227 ms | 247 ms | 612 ms | Fri 27 Nov 23:20:10 KST | 6600 | 10 min |"),
        "{md}"
    );
    assert!(
        md.contains("- API latency p95: Fri 27 Nov 23:39:59 KST to Fri 27 Nov 23:50:00 KST\n"),
        "{md}"
    );
    assert!(md.contains("## Check-ins: 2 made, "), "{md}");
    insta::assert_snapshot!("deploy_demo_markdown", md);
    let json = text(&report(&plan, &[&args[..], &["--format", "json"]].concat()));
    insta::assert_snapshot!("deploy_demo_json", json);
}

#[test]
fn against_a_real_prometheus_over_a_short_window() {
    let Some(server) = common::prometheus::PrometheusServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("hotfix.toml");
    // Deployed two minutes ago: a constant the server answers for any time,
    // and its own `up`, which it knows only since it started.
    let deploy =
        (Utc::now() - TimeDelta::minutes(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::write(
        &plan,
        format!(
            r#"
[release]
name = "Hotfix"
deploy_at = "{deploy}"

[[items]]
id = "FIX"
title = "Fix"
priority = "high"
status = "passed"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"

[[metrics]]
name = "API p95"
unit = "ms"
source = {{ prometheus = {{ url = "{url}", query = "vector(612)" }} }}
interval = "15s"

[[metrics]]
name = "Server up"
source = {{ prometheus = {{ url = "{url}", query = "up" }} }}
interval = "1s"
"#,
            url = server.url()
        ),
    )
    .expect("plan");
    let out = report(&plan, &["--window", "1m", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let p95 = &json["monitoring"][0];
    assert_eq!(p95["name"], "API p95");
    // One a step of 15 s over the minute, both ends in.
    assert_eq!(p95["samples"], 5);
    assert_eq!(
        (
            p95["average"].clone(),
            p95["p95"].clone(),
            p95["max"].clone()
        ),
        (612.0.into(), 612.0.into(), 612.0.into())
    );
    assert_eq!(p95["unseen_s"], 0);
    // The server started after the window: nobody saw it then.
    let up = &json["monitoring"][1];
    assert_eq!(up["samples"], 0);
    assert_eq!(up["unseen_s"], 60);
}
