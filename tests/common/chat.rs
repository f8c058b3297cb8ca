//! The team's chat in tests: a local server that records the posts, and
//! watchers run against it.

use std::path::Path;
use std::process::{Child, Command, Stdio};

use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server whose p95 stays at 612 ms (crit 500, held 2 s: an alert) and
/// that takes every post; the metric's plan text.
pub fn alerting_server() -> (tokio::runtime::Runtime, MockServer, String) {
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    let server = runtime.block_on(MockServer::start());
    runtime.block_on(async {
        Mock::given(method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"p95": 612}"#))
            .mount(&server)
            .await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200))
            .mount(&server)
            .await;
    });
    let metric = format!(
        r#"
[[metrics]]
name = "API p95"
unit = "ms"
source = {{ http_json = {{ url = "{}/metrics", pointer = "/p95" }} }}
interval = "1s"
crit = 500
hold = "2s"
"#,
        server.uri()
    );
    (runtime, server, metric)
}

/// The `text` of every post the server received, in order.
pub fn texts(runtime: &tokio::runtime::Runtime, server: &MockServer) -> Vec<String> {
    runtime
        .block_on(server.received_requests())
        .unwrap_or_default()
        .iter()
        .filter(|r| r.method.as_str() == "POST")
        .filter_map(|r| serde_json::from_slice::<serde_json::Value>(&r.body).ok())
        .filter_map(|v| v["text"].as_str().map(str::to_string))
        .collect()
}

/// `warroom watch` on `plan` as `name`, with the webhook in its
/// environment or without, its state kept in `state`.
pub fn watch(plan: &Path, name: &str, hook: Option<&str>, state: &Path) -> Child {
    let mut command = Command::new(super::tmux::BIN);
    command
        .arg("watch")
        .arg(plan)
        .args(["--as", name])
        .env_remove("TEAM_WEBHOOK")
        .env("XDG_STATE_HOME", state)
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    if let Some(hook) = hook {
        command.env("TEAM_WEBHOOK", hook);
    }
    command.spawn().expect("watch")
}

/// SIGTERM, as systemd stops it; its exit code.
pub fn stop(mut watcher: Child) -> Option<i32> {
    // SAFETY: a plain signal to a child the test started.
    unsafe { libc::kill(watcher.id() as i32, libc::SIGTERM) };
    watcher.wait().ok().and_then(|s| s.code())
}
