//! A seat opened beside a finished load test of the story's size (3000 TPS
//! for 5 minutes, about 127 MB of JMeter lines): it draws at once, says how
//! far it has read, is never GO while it reads, then charts the test over its
//! own span; Esc leaves at once, even mid-read.

mod common;

use std::io::{BufWriter, Write};

use common::tmux::{Tmux, path_str};

const PLAN: &str = r#"
[release]
name = "Backlog night"
deploy_at = "2099-11-27T23:00 Asia/Seoul"

[[items]]
id = "API-TIMEOUT"
title = "API timeout setting change"
priority = "critical"
status = "passed"

[[checklist]]
id = "rollback-plan"
text = "Rollback plan ready"
required = false

[[metrics]]
name = "Load p95"
unit = "ms"
source = { jtl = { path = "peak.jtl", signal = "latency_p95" } }
interval = "1s"
crit = 500

[[metrics]]
name = "Load TPS"
unit = "TPS"
source = { jtl = { path = "peak.jtl", signal = "tps" } }
interval = "1s"
"#;

/// 3000 calls a second for 300 s, 40-360 ms each, written in the order
/// they end.
fn write_peak_test(path: &std::path::Path) {
    // An hour ago: a test that ran earlier tonight.
    let t0 = chrono::Utc::now().timestamp_millis() - 3_600_000;
    let mut calls: Vec<(i64, i64)> = Vec::with_capacity(900_000);
    let mut seed: u64 = 27;
    for n in 0..900_000_i64 {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        calls.push((t0 + n / 3, 40 + (seed >> 33) as i64 % 320));
    }
    calls.sort_by_key(|(start, elapsed)| start + elapsed);
    let file = std::fs::File::create(path).expect("jtl");
    let mut out = BufWriter::new(file);
    out.write_all(b"timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n")
        .expect("header");
    for (n, (start, elapsed)) in calls.iter().enumerate() {
        let ok = n % 1000 >= 3;
        writeln!(
            out,
            "{start},{elapsed},POST /api/v2/orders/checkout,200,OK,Thread Group 1-{},text,{ok},,1024,256,300,300,http://127.0.0.1:8080/api/v2/orders/checkout,{elapsed},0,3",
            n % 300 + 1
        )
        .expect("line");
    }
    out.flush().expect("flush");
}

#[test]
fn a_seat_beside_a_large_result_draws_at_once_and_is_never_go_while_reading() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, PLAN).expect("plan");
    let jtl = dir.path().join("peak.jtl");
    write_peak_test(&jtl);
    let size = std::fs::metadata(&jtl).expect("size").len();
    assert!(size > 120_000_000, "{size} bytes");

    // Esc in the middle of the read leaves at once.
    let Some(early) = Tmux::start("backlog-esc", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    early.wait_for(&["Backlog night", "NO-GO"]);
    early.keys("Escape");
    assert_eq!(early.wait_exit(), 0);

    let Some(seat) = Tmux::start("backlog", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    // It draws before it has read: unknown, never GO.
    let first = seat.wait_for(&["Backlog night", "NO-GO", "Load p95"]);
    assert!(!first.contains("GO ✓"), "{first}");
    // Read: the test's own span is charted, 3000 a second, and the gate
    // holds nothing against it (p95 under 500 ms throughout).
    let done = seat.wait_for(&["3000 TPS", "GO ✓"]);
    assert!(!done.contains("reading"), "{done}");
    assert!(!done.contains("not read"), "{done}");
    seat.keys("Escape");
    assert_eq!(seat.wait_exit(), 0);
}
