//! The Prometheus source against a real Prometheus server on loopback: the
//! backfill, live samples, down when the server goes, back when it returns;
//! and `warroom check` reading it.

mod common;

use std::process::Command;
use std::time::Duration;

use common::prometheus::PrometheusServer;
use tokio::sync::mpsc;
use warroom::metrics::Health;
use warroom::plan::PrometheusSpec;
use warroom::sources::Reading;
use warroom::sources::prometheus;

fn spec(url: &str, query: &str) -> PrometheusSpec {
    PrometheusSpec {
        url: url.to_string(),
        query: query.to_string(),
        token_env: None,
        user_env: None,
        password_env: None,
    }
}

/// The next message that matches, within `within`.
async fn next(
    rx: &mut mpsc::Receiver<Reading>,
    within: Duration,
    what: &str,
    matches: impl Fn(&Reading) -> bool,
) -> Reading {
    let found = tokio::time::timeout(within, async {
        while let Some(msg) = rx.recv().await {
            if matches(&msg) {
                return Some(msg);
            }
        }
        None
    })
    .await;
    match found {
        Ok(Some(msg)) => msg,
        _ => panic!("no {what} within {within:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn samples_arrive_then_down_and_back() {
    let Some(server) = tokio::task::spawn_blocking(PrometheusServer::start)
        .await
        .expect("start")
    else {
        return;
    };
    // A few scrapes, so the rate has two points to work with.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let (tx, mut rx) = mpsc::channel(64);
    let source = tokio::spawn(prometheus::run(
        0,
        spec(
            &server.url(),
            "sum(rate(prometheus_http_requests_total[30s]))",
        ),
        Duration::from_secs(1),
        warroom::sources::Backfill {
            spans: vec![Duration::from_secs(3600)],
            fine: Duration::from_secs(300),
        },
        tx,
    ));

    let backfill = next(
        &mut rx,
        Duration::from_secs(10),
        "backfill",
        |m| matches!(m, Reading::Samples(0, s) if !s.is_empty()),
    )
    .await;
    let Reading::Samples(_, backfill) = backfill else {
        unreachable!()
    };
    assert!(
        backfill
            .iter()
            .all(|s| s.value >= 0.0 && s.value.is_finite())
    );
    next(&mut rx, Duration::from_secs(5), "health ok", |m| {
        *m == Reading::Health(0, Health::Ok)
    })
    .await;
    let live = next(
        &mut rx,
        Duration::from_secs(5),
        "a live sample",
        |m| matches!(m, Reading::Samples(0, s) if s.len() == 1),
    )
    .await;
    let Reading::Samples(_, live) = live else {
        unreachable!()
    };
    assert!(live[0].at >= backfill[backfill.len() - 1].at);

    let mut server = server;
    let mut server = tokio::task::spawn_blocking(move || {
        server.stop();
        server
    })
    .await
    .expect("stop");
    let down = next(&mut rx, Duration::from_secs(10), "down", |m| {
        matches!(m, Reading::Health(0, Health::Down(_)))
    })
    .await;
    assert_eq!(
        down,
        Reading::Health(
            0,
            Health::Down("connection refused, retrying in 1 s".into())
        )
    );

    let server = tokio::task::spawn_blocking(move || {
        server.restart();
        server
    })
    .await
    .expect("restart");
    next(&mut rx, Duration::from_secs(20), "back up", |m| {
        *m == Reading::Health(0, Health::Ok)
    })
    .await;
    source.abort();
    drop(server);
}

#[test]
fn check_reads_a_real_server_over_the_gate_window() {
    let Some(server) = PrometheusServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    let write_plan = |url: &str, more: &str| {
        std::fs::write(
            &plan,
            format!(
                r#"
[release]
name = "Hotfix"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "FIX"
title = "Fix"
priority = "high"
status = "passed"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"
required = false

[[metrics]]
name = "API p95"
unit = "ms"
source = {{ prometheus = {{ url = "{url}", query = "vector(612)" }} }}
interval = "15s"
crit = 500
{more}"#
            ),
        )
        .expect("plan");
    };
    // `warroom check` on the plan: its exit code and what it printed.
    let check = || {
        let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
            .arg("check")
            .arg(&plan)
            .env("XDG_STATE_HOME", dir.path())
            .output()
            .expect("run check");
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
        )
    };
    write_plan(&server.url(), "");
    let (code, text) = check();
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("  ✗ API p95 at or above 500 ms for 10 min (peak 612 ms)\n"),
        "{text}"
    );

    // Nobody answering is not known to be fine: NO-GO, never a pass by
    // silence, unless the plan relaxes `unread` to a warning.
    let port = server.port;
    drop(server);
    write_plan(&format!("http://127.0.0.1:{port}"), "");
    let (code, text) = check();
    assert_eq!(code, Some(1), "{text}");
    assert!(
        text.contains("  ✗ API p95: not read (connection refused)\n"),
        "{text}"
    );
    write_plan(
        &format!("http://127.0.0.1:{port}"),
        "\n[gate]\nunread = \"warn\"\n",
    );
    let (code, text) = check();
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains("  ! API p95: not read (connection refused)\n"),
        "{text}"
    );

    // What a seat saw before the server went down still counts, as it does
    // on the seat's screen: a crit held for the last two minutes.
    let now = chrono::Utc::now();
    let seen: Vec<warroom::metrics::Sample> = (0..9)
        .map(|i| warroom::metrics::Sample {
            at: now - chrono::TimeDelta::seconds(120 - i * 15),
            value: 640.0,
        })
        .collect();
    warroom::journal::readings::append(&dir.path().join("night.readings.jsonl"), "API p95", &seen)
        .expect("readings");
    let (code, text) = check();
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("  ✗ API p95 at or above 500 ms"), "{text}");
    assert!(
        text.contains("  ! API p95: not read (connection refused)\n"),
        "{text}"
    );
}
