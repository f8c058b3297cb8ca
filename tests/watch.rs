//! `warroom watch` through the binary, with no terminal: a metric that holds
//! at crit is journaled as an alert and said on stdout, a check-in slot due
//! is said, and SIGTERM ends it cleanly.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[test]
fn a_crit_held_is_an_alert_line_and_sigterm_ends_it() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"p95": 612}"#))
            .mount(&server),
    );
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    // Deployed an hour ago: the 50-minute watch is over and a check-in is due.
    let deploy = (chrono::Utc::now() - chrono::TimeDelta::hours(1))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::write(
        &plan,
        format!(
            r#"
[release]
name = "Weekend watch"
deploy_at = "{deploy}"
watch_for = "50m"
check_in_every = "30m"

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
source = {{ http_json = {{ url = "{}/metrics", pointer = "/p95" }} }}
interval = "1s"
crit = 500
hold = "2s"
"#,
            server.uri()
        ),
    )
    .expect("plan");
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("watch")
        .arg(&plan)
        .args(["--as", "watcher"])
        .env("XDG_STATE_HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("watch");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                return;
            }
        }
    });
    let mut said = Vec::new();
    let wait_for = |said: &mut Vec<String>, what: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !said.iter().any(|l| l.contains(what)) {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok(line) => said.push(line),
                Err(_) => panic!(
                    "no line with {what:?} within 20 s; said:\n{}",
                    said.join("\n")
                ),
            }
        }
    };
    wait_for(
        &mut said,
        "watching Weekend watch as watcher: 0 journal lines, 1 metrics",
    );
    wait_for(&mut said, "check-in due (the ");
    wait_for(&mut said, "watcher: alert: API p95");
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert!(journal.contains(r#""kind":"alert_start""#), "{journal}");

    // SAFETY: a plain signal to the child this test started.
    let killed = unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    assert_eq!(killed, 0);
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(0), "a clean end");
}
