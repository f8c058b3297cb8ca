//! The team's chat from the war room in a real terminal: the seat whose mark
//! turns the verdict posts the turn, its approval is posted, and `S` posts
//! the status, against a local server that records the posts.

mod common;

use std::time::{Duration, Instant};

use common::tmux::{Tmux, path_str};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A hotfix with one critical item, untested: NO-GO until it passes.
fn hotfix_plan(dir: &std::path::Path) -> std::path::PathBuf {
    let plan = dir.join("night.toml");
    std::fs::write(
        &plan,
        r#"
[release]
name = "Hotfix"
deploy_at = "2099-01-04T23:00:00+09:00"

[[items]]
id = "FIX"
title = "Fix the timeout"
priority = "critical"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"
required = false

[chat]
webhook_env = "TEAM_WEBHOOK"
"#,
    )
    .expect("plan");
    plan
}

#[test]
fn a_mark_that_turns_the_verdict_is_posted_once_with_the_approval() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server),
    );
    let dir = tempfile::tempdir().expect("dir");
    let plan = hotfix_plan(dir.path());
    let hook = format!("{}/hook", server.uri());
    let Some(tmux) = Tmux::start_with(
        "chat",
        &[path_str(&plan), "--as", "mina"],
        "UTC",
        &[("TEAM_WEBHOOK", &hook)],
    ) else {
        return;
    };
    tmux.wait_for(&["NO-GO", "FIX"]);
    tmux.keys("1");
    tmux.keys("s");
    tmux.keys("p");
    tmux.wait_for(&["GO ✓"]);
    tmux.keys("A");
    tmux.wait_for(&["Approve: GO"]);
    tmux.keys("QA approves the hotfix");
    tmux.keys("Enter");
    tmux.wait_for(&["approved by mina"]);
    tmux.keys("S");
    let texts = || common::chat::texts(&runtime, &server);
    let deadline = Instant::now() + Duration::from_secs(15);
    while texts().len() < 3 {
        assert!(Instant::now() < deadline, "posts so far: {:?}", texts());
        std::thread::sleep(Duration::from_millis(100));
    }
    let all = texts();
    assert_eq!(all[0], "Hotfix: the verdict is now GO");
    // The approval is posted once its claim is read back from the journal,
    // the status at once: the two may come in either order.
    let approval = all
        .iter()
        .find(|t| t.starts_with("Hotfix: GO approved by mina at "));
    assert!(
        approval.is_some_and(|t| t.ends_with(": QA approves the hotfix")),
        "{all:?}"
    );
    let status = all.iter().find(|t| t.starts_with("Hotfix at "));
    assert!(
        status.is_some_and(|t| t.contains("posted by mina: GO.")),
        "{all:?}"
    );
    // Said once it went through, not when it was handed over.
    tmux.wait_for(&["status posted to the team's chat"]);
    std::thread::sleep(Duration::from_millis(500));
    assert_eq!(texts().len(), 3, "each once");
    assert!(!tmux.screen().contains("/hook"));
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn a_post_the_chat_refuses_is_a_notice_on_an_intact_screen() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(403))
            .mount(&server),
    );
    let dir = tempfile::tempdir().expect("dir");
    let plan = hotfix_plan(dir.path());
    let hook = format!("{}/hook/T000/B000/secret-token", server.uri());
    let Some(tmux) = Tmux::start_with(
        "chat-refused",
        &[path_str(&plan), "--as", "mina"],
        "UTC",
        &[("TEAM_WEBHOOK", &hook)],
    ) else {
        return;
    };
    tmux.wait_for(&["NO-GO", "FIX"]);
    tmux.keys("S");
    let screen = tmux.wait_for(&["status not posted: the chat refused a post: HTTP 403"]);
    // Nothing printed over the room: its title and footer are where they were.
    let lines: Vec<&str> = screen.lines().collect();
    assert!(lines[0].contains("warroom"), "{screen}");
    assert!(
        lines.last().is_some_and(|l| l.contains("q quit")),
        "{screen}"
    );
    assert!(!screen.contains("secret-token"), "{screen}");
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn a_turn_made_at_a_seat_without_the_webhook_is_posted_by_a_watcher() {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server),
    );
    let dir = tempfile::tempdir().expect("dir");
    let plan = hotfix_plan(dir.path());
    let hook = format!("{}/hook", server.uri());
    let watcher = common::chat::watch(&plan, "host", Some(&hook), dir.path());
    // The laptop's seat: no webhook in its environment.
    let Some(tmux) = Tmux::start_with(
        "chat-laptop",
        &[path_str(&plan), "--as", "mina"],
        "UTC",
        &[],
    ) else {
        common::chat::stop(watcher);
        return;
    };
    tmux.wait_for(&["NO-GO", "FIX"]);
    tmux.keys("1");
    tmux.keys("s");
    tmux.keys("p");
    tmux.wait_for(&["GO ✓"]);
    let texts = || common::chat::texts(&runtime, &server);
    let deadline = Instant::now() + Duration::from_secs(15);
    while texts().is_empty() {
        assert!(Instant::now() < deadline, "nothing posted");
        std::thread::sleep(Duration::from_millis(100));
    }
    std::thread::sleep(Duration::from_secs(1));
    assert_eq!(texts(), ["Hotfix: the verdict is now GO"]);
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
    assert_eq!(common::chat::stop(watcher), Some(0));
}

/// The issue's own case: two seats in real terminals and a watcher, all
/// with the webhook, all seeing the same crit held: one alert line, one
/// claim, one post.
#[test]
fn two_seats_and_a_watcher_post_an_alert_once() {
    let (runtime, server, metric) = common::chat::alerting_server();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    let deploy = (chrono::Utc::now() - chrono::TimeDelta::minutes(10))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::write(
        &plan,
        format!(
            r#"
[release]
name = "Hotfix"
deploy_at = "{deploy}"

[[items]]
id = "FIX"
title = "Fix the timeout"
priority = "high"
status = "passed"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"
required = false

{metric}
[chat]
webhook_env = "TEAM_WEBHOOK"
"#
        ),
    )
    .expect("plan");
    let hook = format!("{}/hook", server.uri());
    let watcher = common::chat::watch(&plan, "host", Some(&hook), dir.path());
    let seat = |name: &str, who: &str| {
        Tmux::start_with(
            name,
            &[path_str(&plan), "--as", who],
            "UTC",
            &[("TEAM_WEBHOOK", &hook)],
        )
    };
    let (Some(mina), Some(joon)) = (seat("alert-mina", "mina"), seat("alert-joon", "joon")) else {
        common::chat::stop(watcher);
        return;
    };
    let alerts = || {
        common::chat::texts(&runtime, &server)
            .iter()
            .filter(|t| t.contains("ALERT"))
            .count()
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while alerts() == 0 {
        assert!(Instant::now() < deadline, "no alert posted within 20 s");
        std::thread::sleep(Duration::from_millis(100));
    }
    // Every one of them saw it; give each every chance to post it too.
    std::thread::sleep(Duration::from_secs(3));
    assert_eq!(alerts(), 1, "posted once");
    for seat in [&mina, &joon] {
        seat.keys("q");
        assert_eq!(seat.wait_exit(), 0);
    }
    assert_eq!(common::chat::stop(watcher), Some(0));
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(
        journal.matches(r#""kind":"alert_start""#).count(),
        1,
        "{journal}"
    );
    assert_eq!(alerts(), 1, "posted once, quitting included");
}
