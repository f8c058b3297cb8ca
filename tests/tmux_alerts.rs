//! An alert through the real binary: two seats follow one JMeter result as it
//! is written; when p95 holds over its limit both headers turn red, each
//! terminal rings once, and the journal they share records the alert once.

mod common;

use std::io::Write;
use std::time::{Duration, Instant};

use common::tmux::{Tmux, path_str};

const JTL_HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

const PLAN: &str = r#"
[release]
name = "Alert night"
deploy_at = "2099-11-27T23:00 Asia/Seoul"

[[items]]
id = "API-TIMEOUT"
title = "API timeout setting change"
priority = "critical"

[[checklist]]
id = "rollback-plan"
text = "Rollback plan ready"

[[metrics]]
name = "API p95"
unit = "ms"
source = { jtl = { path = "run.jtl", signal = "latency_p95" } }
interval = "1s"
warn = 400
crit = 500
"#;

/// `seconds` seconds of calls at `elapsed` ms, ten a second, from `from` (ms).
fn calls(from: i64, seconds: i64, elapsed: u32) -> String {
    (0..seconds * 10)
        .map(|i| {
            let at = from + i * 100;
            format!("{at},{elapsed},API,200,OK,TG 1-1,text,true,,512,128,10,10,http://127.0.0.1/api,{elapsed},0,3\n")
        })
        .collect()
}

/// Has tmux append a line to `file` at every bell in its terminal.
fn count_bells(tmux: &Tmux, file: &std::path::Path) {
    let hook = format!("run-shell \"echo rang >> '{}'\"", file.display());
    tmux.run(&["set-hook", "-g", "alert-bell", &hook]);
}

fn bells(file: &std::path::Path) -> usize {
    std::fs::read_to_string(file).map_or(0, |t| t.lines().count())
}

#[test]
fn two_seats_see_an_alert_ring_once_each_and_record_it_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, PLAN).expect("plan");
    let jtl = dir.path().join("run.jtl");
    std::fs::write(&jtl, JTL_HEADER).expect("jtl");

    let Some(mina) = Tmux::start("alert-a", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    let Some(joon) = Tmux::start("alert-b", &[path_str(&plan), "--as", "joon"]) else {
        return;
    };
    for seat in [&mina, &joon] {
        seat.wait_for(&["Alert night", "API p95"]);
    }
    let (mina_bells, joon_bells) = (dir.path().join("bells-a"), dir.path().join("bells-b"));
    count_bells(&mina, &mina_bells);
    count_bells(&joon, &joon_bells);

    // JMeter writes 40 s of 612 ms calls ending a few seconds ago.
    let now_ms = chrono::Utc::now().timestamp_millis() / 1000 * 1000;
    let start = now_ms - 45_000;
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&jtl)
        .expect("open jtl");
    file.write_all(calls(start, 40, 612).as_bytes())
        .expect("write");
    for seat in [&mina, &joon] {
        let screen = seat.wait_for(&["ALERT API p95 612 ms > 500 ms for "]);
        assert!(
            !screen.contains("Alert night"),
            "the alert takes the name's place:\n{screen}"
        );
    }
    // Back under the limit.
    file.write_all(calls(start + 40_000, 3, 210).as_bytes())
        .expect("write");
    for seat in [&mina, &joon] {
        seat.wait_for(&["Alert night"]);
    }

    let journal = dir.path().join("night.journal.jsonl");
    let deadline = Instant::now() + Duration::from_secs(5);
    let kinds = loop {
        let text = std::fs::read_to_string(&journal).unwrap_or_default();
        let kinds: Vec<String> = text
            .lines()
            .map(|l| {
                let v: serde_json::Value = serde_json::from_str(l).expect("a journal line");
                v["action"]["kind"].as_str().unwrap_or_default().to_string()
            })
            .collect();
        if kinds.len() >= 2 || Instant::now() > deadline {
            break kinds;
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    assert_eq!(
        kinds,
        ["alert_start", "alert_end"],
        "recorded once by the two seats"
    );
    let text = std::fs::read_to_string(&journal).expect("journal");
    let end: serde_json::Value =
        serde_json::from_str(text.lines().nth(1).expect("end line")).expect("json");
    assert_eq!(end["action"]["value"], 612.0);
    assert_eq!(end["action"]["held_secs"], 40);
    assert_eq!(end["action"]["metric"], "API p95");

    // The log shows it to everyone.
    mina.keys("L");
    mina.wait_for(&["alert: API p95 612 ms > 500 ms for", "alert over: API p95"]);
    assert_eq!(
        (bells(&mina_bells), bells(&joon_bells)),
        (1, 1),
        "one bell per seat"
    );
    for seat in [&mina, &joon] {
        seat.keys("q");
        if seat.screen().contains("Log") {
            seat.keys("q");
        }
    }
}
