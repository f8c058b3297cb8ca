//! The team's chat through the binary, against a local server that records
//! the posts: a check-in is posted with its fields, a server answering 500
//! then 200 still gets it, `watch` posts the alert it journals, and the
//! webhook's URL never shows.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET_PATH: &str = "/services/T000/B000/s3cr3t-hook";

fn plan_text(deploy_ago: chrono::TimeDelta, metrics: &str) -> String {
    let deploy =
        (chrono::Utc::now() - deploy_ago).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
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

[rollback]
recovery = "15m"
runbook = "wiki/weekend-rollback"

[chat]
webhook_env = "TEAM_WEBHOOK"
{metrics}"#
    )
}

fn posts(runtime: &tokio::runtime::Runtime, server: &MockServer) -> Vec<serde_json::Value> {
    runtime
        .block_on(server.received_requests())
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .map(|r| serde_json::from_slice(&r.body).expect("a JSON post"))
        .collect()
}

#[test]
fn a_check_in_is_posted_through_a_server_that_fails_first() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(async {
        Mock::given(method("POST"))
            .and(path(SECRET_PATH))
            .respond_with(ResponseTemplate::new(500))
            .up_to_n_times(1)
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .and(path(SECRET_PATH))
            .respond_with(ResponseTemplate::new(200).set_body_string("ok"))
            .mount(&server)
            .await;
    });
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, plan_text(chrono::TimeDelta::hours(2), "")).expect("plan");
    let hook = format!("{}{SECRET_PATH}", server.uri());
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("check-in")
        .arg(&plan)
        .args(["--as", "mina", "--note", "p95 fine, peak 2800 TPS at 03:00"])
        .env("TEAM_WEBHOOK", &hook)
        .output()
        .expect("check-in");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all = posts(&runtime, &server);
    assert_eq!(
        all.len(),
        2,
        "one refused with 500, then the same post again"
    );
    let text = all[1]["text"].as_str().expect("text");
    assert!(
        text.starts_with("Weekend watch: mina checked in at "),
        "{text}"
    );
    assert!(
        text.ends_with(": p95 fine, peak 2800 TPS at 03:00"),
        "{text}"
    );
    assert_eq!(all[0], all[1]);
    for shown in [out.stdout, out.stderr] {
        assert!(!String::from_utf8_lossy(&shown).contains("s3cr3t"));
    }
}

#[test]
fn a_failed_post_is_a_warning_without_the_url_and_the_check_in_stands() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(404))
            .mount(&server),
    );
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, plan_text(chrono::TimeDelta::hours(2), "")).expect("plan");
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("check-in")
        .arg(&plan)
        .args(["--as", "mina"])
        .env("TEAM_WEBHOOK", format!("{}{SECRET_PATH}", server.uri()))
        .output()
        .expect("check-in");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        err,
        "warning: the chat refused a post: HTTP 404; the check-in is recorded\n"
    );
    assert!(
        std::fs::read_to_string(dir.path().join("night.journal.jsonl"))
            .expect("journal")
            .contains("check_in")
    );
}

#[test]
fn watch_posts_the_alert_it_journals_and_dry_run_prints_it() {
    let (runtime, server, metric) = common::chat::alerting_server();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, plan_text(chrono::TimeDelta::minutes(10), &metric)).expect("plan");
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("watch")
        .arg(&plan)
        .args(["--as", "watcher"])
        .env("TEAM_WEBHOOK", format!("{}{SECRET_PATH}", server.uri()))
        .env("XDG_STATE_HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .expect("watch");
    let deadline = Instant::now() + Duration::from_secs(20);
    let alert = loop {
        if let Some(p) = posts(&runtime, &server)
            .into_iter()
            .find(|p| p["text"].as_str().is_some_and(|t| t.contains("ALERT")))
        {
            break p;
        }
        assert!(Instant::now() < deadline, "no alert posted within 20 s");
        std::thread::sleep(Duration::from_millis(100));
    };
    assert!(
        alert["text"].as_str().is_some_and(|t| t
            .starts_with("Weekend watch: ALERT API p95 at 612 ms (crit 500 ms) since ")
            // After the deploy the alert says the way back.
            && t.ends_with("; roll back? 15m by the rollback plan, runbook wiki/weekend-rollback")),
        "{alert}"
    );
    // SAFETY: a plain signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let status = child.wait().expect("wait");
    assert_eq!(status.code(), Some(0));
    let out = child
        .stdout
        .take()
        .map(std::io::read_to_string)
        .and_then(Result::ok)
        .unwrap_or_default();
    assert!(!out.contains("s3cr3t"), "{out}");
    // Nor in the log it kept.
    let logs: Vec<std::path::PathBuf> = std::fs::read_dir(dir.path().join("warroom"))
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(!logs.is_empty(), "a log was kept");
    for log in logs {
        let text = std::fs::read_to_string(&log).unwrap_or_default();
        assert!(!text.contains("s3cr3t"), "{}: {text}", log.display());
    }
    let posted = posts(&runtime, &server);
    assert_eq!(
        posted
            .iter()
            .filter(|p| p["text"].as_str().is_some_and(|t| t.contains("ALERT")))
            .count(),
        1,
        "posted once"
    );

    // --dry-run prints the payload and posts nothing.
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("check-in")
        .arg(&plan)
        .args(["--as", "mina", "--dry-run"])
        .output()
        .expect("check-in");
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(
        said.starts_with("chat (dry run): {\"text\":\"Weekend watch: mina checked in at "),
        "{said}"
    );
}

#[test]
fn two_watchers_on_one_journal_post_an_alert_once() {
    let (runtime, server, metric) = common::chat::alerting_server();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, plan_text(chrono::TimeDelta::minutes(10), &metric)).expect("plan");
    let watcher = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_warroom"))
            .arg("watch")
            .arg(&plan)
            .args(["--as", name])
            .env("TEAM_WEBHOOK", format!("{}{SECRET_PATH}", server.uri()))
            .env("XDG_STATE_HOME", dir.path())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("watch")
    };
    let mut watchers = [watcher("host-a"), watcher("host-b")];
    let alerts = || {
        posts(&runtime, &server)
            .iter()
            .filter(|p| p["text"].as_str().is_some_and(|t| t.contains("ALERT")))
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while alerts() == 0 {
        assert!(Instant::now() < deadline, "no alert posted within 20 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Both saw the crit held; give the second every chance to post it too.
    std::thread::sleep(Duration::from_secs(3));
    for w in &mut watchers {
        // SAFETY: a plain signal to a child this test started.
        unsafe { libc::kill(w.id() as i32, libc::SIGTERM) };
        let _ = w.wait();
    }
    assert_eq!(alerts(), 1, "posted once");
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(
        journal.matches(r#""kind":"alert_start""#).count(),
        1,
        "{journal}"
    );
}

#[test]
fn a_check_in_slot_falling_due_is_posted_with_its_digest() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server),
    );
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    // Deployed an hour ago: the watch ended ten minutes ago, a slot is due.
    std::fs::write(&plan, plan_text(chrono::TimeDelta::hours(1), "")).expect("plan");
    let mut child = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("watch")
        .arg(&plan)
        .args(["--as", "watcher"])
        .env("TEAM_WEBHOOK", format!("{}{SECRET_PATH}", server.uri()))
        .env("XDG_STATE_HOME", dir.path())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("watch");
    let deadline = Instant::now() + Duration::from_secs(20);
    let due = loop {
        if let Some(p) = posts(&runtime, &server).into_iter().find(|p| {
            p["text"]
                .as_str()
                .is_some_and(|t| t.contains("check-in due"))
        }) {
            break p;
        }
        assert!(
            Instant::now() < deadline,
            "no check-in due posted within 20 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    // SAFETY: a plain signal to the child this test started.
    unsafe { libc::kill(child.id() as i32, libc::SIGTERM) };
    let _ = child.wait();
    let text = due["text"].as_str().expect("text");
    assert!(
        text.starts_with("Weekend watch: check-in due (the "),
        "{text}"
    );
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(
        journal.matches(r#""kind":"check_in_due""#).count(),
        1,
        "{journal}"
    );
}

#[test]
fn a_line_from_a_seat_without_the_webhook_is_posted_once_by_one_that_has_it() {
    let (runtime, server, metric) = common::chat::alerting_server();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, plan_text(chrono::TimeDelta::minutes(10), &metric)).expect("plan");
    let hook = format!("{}{SECRET_PATH}", server.uri());
    // The laptop's watcher has no webhook; the host's has.
    let watcher =
        |name: &str, hook: Option<&str>| common::chat::watch(&plan, name, hook, dir.path());
    let mut watchers = [watcher("laptop", None), watcher("host", Some(&hook))];
    let count = |what: &str| {
        posts(&runtime, &server)
            .iter()
            .filter(|p| p["text"].as_str().is_some_and(|t| t.contains(what)))
            .count()
    };
    let wait_for = |what: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while count(what) == 0 {
            assert!(Instant::now() < deadline, "no {what} posted within 20 s");
            std::thread::sleep(Duration::from_millis(100));
        }
    };
    wait_for("ALERT");
    // A check-in from a phone's shell, no webhook there: the host posts it.
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("check-in")
        .arg(&plan)
        .args(["--as", "mina", "--note", "seen the alert"])
        .env_remove("TEAM_WEBHOOK")
        .output()
        .expect("check-in");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: the chat's webhook is not set: TEAM_WEBHOOK is empty or not set; \
         a seat or watcher with the chat posts the check-in\n"
    );
    wait_for("seen the alert");
    // One with the webhook, racing the host for the claim: one post still.
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("check-in")
        .arg(&plan)
        .args(["--as", "joon", "--note", "still at 612"])
        .env("TEAM_WEBHOOK", &hook)
        .output()
        .expect("check-in");
    assert_eq!(out.status.code(), Some(0));
    wait_for("still at 612");
    std::thread::sleep(Duration::from_secs(3));
    for w in &mut watchers {
        // SAFETY: a plain signal to a child this test started.
        unsafe { libc::kill(w.id() as i32, libc::SIGTERM) };
        let _ = w.wait();
    }
    assert_eq!(
        (
            count("ALERT"),
            count("seen the alert"),
            count("still at 612")
        ),
        (1, 1, 1),
        "each posted once"
    );
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(
        journal.matches(r#""kind":"chat_posted""#).count(),
        3,
        "a claim each: {journal}"
    );
}

#[test]
fn a_slot_that_ended_without_a_check_in_is_posted_as_missed_once() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server),
    );
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    // Deployed 90 minutes ago: the first slot (50 minutes after) ended
    // with no check-in, the second is due.
    let deploy = chrono::Utc::now() - chrono::TimeDelta::minutes(90);
    std::fs::write(&plan, plan_text(chrono::TimeDelta::minutes(90), "")).expect("plan");
    let watcher = |name: &str| {
        Command::new(env!("CARGO_BIN_EXE_warroom"))
            .arg("watch")
            .arg(&plan)
            .args(["--as", name])
            .env("TEAM_WEBHOOK", format!("{}{SECRET_PATH}", server.uri()))
            .env("XDG_STATE_HOME", dir.path())
            .env("TZ", "UTC")
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("watch")
    };
    let mut watchers = [watcher("host-a"), watcher("host-b")];
    let missed = || {
        posts(&runtime, &server)
            .into_iter()
            .filter_map(|p| p["text"].as_str().map(str::to_string))
            .filter(|t| t.contains("was missed"))
            .collect::<Vec<_>>()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while missed().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no missed check-in posted within 20 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(3));
    for w in &mut watchers {
        // SAFETY: a plain signal to a child this test started.
        unsafe { libc::kill(w.id() as i32, libc::SIGTERM) };
        let _ = w.wait();
    }
    // The first slot: the 50-minute watch after the deploy.
    let slot = (deploy + chrono::TimeDelta::minutes(50)).format("%H:%M");
    assert_eq!(
        missed(),
        [format!(
            "Weekend watch: the {slot} check-in was missed (1 missed so far)"
        )]
    );
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(
        journal.matches(r#""kind":"check_in_missed""#).count(),
        1,
        "{journal}"
    );
}
