//! `warroom probe` through the binary against a local server: the delay it
//! answers with is what the probe reports, a stall shows in latency and not
//! as a lower rate (open loop), the JTL it writes imports to the same
//! figures, and the exit code follows the item's pass criteria.

mod common;

use std::path::Path;
use std::process::{Command, Output};
use std::time::Duration;

use common::slow_server::SlowServer;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn probe(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("probe")
        .args(args)
        .args(["--format", "json", "--as", "mina"])
        .env("XDG_STATE_HOME", dir)
        .current_dir(dir)
        .output()
        .expect("probe")
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "{e}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}

#[test]
fn a_fixed_delay_is_what_the_probe_reports() {
    let server = SlowServer::start(Duration::from_millis(50));
    let dir = tempfile::tempdir().expect("dir");
    let out = probe(
        dir.path(),
        &[
            &server.url(),
            "--rps",
            "200",
            "--duration",
            "2s",
            "-o",
            "run.jtl",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["due"], 400);
    assert_eq!(report["dropped"], 0);
    assert_eq!(report["samples"], 400);
    assert_eq!(report["errors"], 0);
    let p50 = report["latency_ms"]["p50"].as_u64().expect("p50");
    assert!((50..=55).contains(&p50), "p50 {p50} ms for a 50 ms server");
    assert_eq!(
        server.answered.load(std::sync::atomic::Ordering::Relaxed),
        400
    );
    assert!(dir.path().join("run.jtl").exists());
}

#[test]
fn a_stalling_server_shows_in_latency_not_in_a_lower_rate() {
    let server = SlowServer::start(Duration::from_millis(5));
    let dir = tempfile::tempdir().expect("dir");
    let stall = std::thread::scope(|scope| {
        scope.spawn(|| {
            // A second in, the server stalls: 600 ms an answer.
            std::thread::sleep(Duration::from_secs(1));
            server.set_delay(Duration::from_millis(600));
        });
        probe(
            dir.path(),
            &[
                &server.url(),
                "--rps",
                "100",
                "--duration",
                "3s",
                "--timeout",
                "2s",
            ],
        )
    });
    assert_eq!(
        stall.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&stall.stderr)
    );
    let report = json(&stall);
    // Every request went out on schedule: 300 in 3 s.
    assert_eq!(report["due"], 300);
    assert_eq!(report["dropped"], 0);
    assert_eq!(report["samples"], 300);
    // Two thirds of them waited out the stall.
    assert!(report["latency_ms"]["p50"].as_u64().expect("p50") >= 600);
    assert!(report["latency_ms"]["p90"].as_u64().expect("p90") >= 600);
    // No second got more or fewer than the rate: none made up for the stall.
    let peak = report["tps"]["peak"].as_u64().expect("peak");
    assert!((100..=101).contains(&peak), "peak second {peak}");
}

#[test]
fn the_run_imports_on_its_item_and_the_exit_follows_its_criteria() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, include_str!("../assets/demo.toml")).expect("plan");
    let plan = plan.to_str().expect("utf-8");
    // API-TIMEOUT: a 500 ms timeout, no timeout allowed.
    let fast = SlowServer::start(Duration::from_millis(20));
    let out = probe(
        dir.path(),
        &[
            &fast.url(),
            "--rps",
            "100",
            "--duration",
            "1s",
            "--timeout",
            "500ms",
            "-o",
            "fast.jtl",
            "--item",
            "API-TIMEOUT",
            "--plan",
            plan,
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["passed"], true);
    // The file it wrote imports to the very figures it printed.
    let import = Command::new(BIN)
        .args([
            "import",
            plan,
            "--item",
            "API-TIMEOUT",
            "--format",
            "json",
            "--as",
            "mina",
        ])
        .arg(dir.path().join("fast.jtl"))
        .env("XDG_STATE_HOME", dir.path())
        .output()
        .expect("import");
    let imported: Value = serde_json::from_slice(&import.stdout).expect("json");
    assert_eq!(imported["added"], false, "the probe imported it already");
    for field in [
        "samples",
        "errors",
        "timeouts",
        "latency_ms",
        "tps",
        "codes",
        "labels",
        "duration_s",
    ] {
        assert_eq!(imported[field], report[field], "{field}");
    }

    let slow = SlowServer::start(Duration::from_millis(600));
    let out = probe(
        dir.path(),
        &[
            &slow.url(),
            "--rps",
            "50",
            "--duration",
            "1s",
            "--timeout",
            "500ms",
            "-o",
            "slow.jtl",
            "--item",
            "API-TIMEOUT",
            "--plan",
            plan,
        ],
    );
    assert_eq!(out.status.code(), Some(1), "fails the item's criteria");
    let report = json(&out);
    assert_eq!(report["passed"], false);
    assert_eq!(report["timeouts"], 50);
    assert_eq!(report["codes"]["Non HTTP response code: timeout"], 50);
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(journal.lines().count(), 2, "both runs on the item");
}

#[test]
fn no_server_is_errors_said_and_a_bad_url_is_exit_2() {
    let dir = tempfile::tempdir().expect("dir");
    // A port nobody listens on.
    let closed = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let url = format!(
        "http://user:s3cret-pw@{}/api",
        closed.local_addr().expect("addr")
    );
    drop(closed);
    let out = probe(
        dir.path(),
        &[&url, "--rps", "20", "--duration", "500ms", "-o", "x.jtl"],
    );
    assert_eq!(out.status.code(), Some(0));
    let report = json(&out);
    assert_eq!(report["errors"], 10);
    assert_eq!(
        report["codes"]["Non HTTP response code: connection refused"],
        10
    );
    // The password never shows: not printed, not written.
    let jtl = std::fs::read_to_string(dir.path().join("x.jtl")).expect("jtl");
    for text in [
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
        jtl,
    ] {
        assert!(!text.contains("s3cret-pw"), "{text}");
    }

    let out = probe(
        dir.path(),
        &["ftp://127.0.0.1/x", "--rps", "1", "--duration", "1s"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: ftp://127.0.0.1/x: the scheme ftp is not HTTP; expected an http:// or https:// URL\n"
    );
    let out = probe(
        dir.path(),
        &["http://127.0.0.1/", "--rps", "fast", "--duration", "1s"],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "\"fast\" is not a rate; expected requests a second, from 1 to 1000000, or max"
        ),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_run_short_of_connections_counts_its_drops_and_proves_nothing() {
    // One connection, each answer 300 ms, 20 requests due a second: the
    // requests due while it is busy are dropped, not queued.
    let server = SlowServer::start(Duration::from_millis(300));
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, include_str!("../assets/demo.toml")).expect("plan");
    let out = probe(
        dir.path(),
        &[
            &server.url(),
            "--rps",
            "20",
            "--duration",
            "1s",
            "-c",
            "1",
            "--timeout",
            "1s",
            "-o",
            "short.jtl",
            "--item",
            "API-TIMEOUT",
            "--plan",
            plan.to_str().expect("utf-8"),
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = json(&out);
    assert_eq!(report["due"], 20);
    let (dropped, samples) = (
        report["dropped"].as_u64().expect("dropped"),
        report["samples"].as_u64().expect("samples"),
    );
    assert_eq!(dropped + samples, 20, "each due request sent or dropped");
    assert!(
        (2..=5).contains(&samples),
        "{samples} sent on one 300 ms connection in 1 s"
    );
    assert_eq!(report["passed"], false);
    assert_eq!(
        report["broken"][0],
        format!(
            "{dropped} of 20 requests dropped (every connection busy; raise -c): the rate was not held"
        )
    );
    // Nothing journaled: the run did not make the load it was to prove.
    let journal =
        std::fs::read_to_string(dir.path().join("night.journal.jsonl")).unwrap_or_default();
    assert!(!journal.contains("short.jtl"), "{journal}");
}
