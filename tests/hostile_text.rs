//! Outside text is hostile: every control and bidi character, from the plan,
//! the journal and a server, through every text output (the screen, `check`
//! as text and as JSON), and a secret a server echoes back, masked in all of
//! them.

use std::process::Command;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::app::{Msg, State, update};
use warroom::domain::{Action, Zone};
use warroom::journal::Entry;
use warroom::metrics::Health;
use warroom::plan::Plan;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Every C0 and C1 control, DEL, and the bidi controls, with the sequences a
/// tester tries first: OSC 52 (clipboard), OSC 2 (title), DCS, CSI.
fn hostile() -> String {
    let mut text: String = (0u32..0x20)
        .chain(0x7f..0xa0)
        .filter(|c| *c != u32::from('\n'))
        .filter_map(char::from_u32)
        .collect();
    text.push_str("\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}]2;owned\u{7}\u{1b}P1$r\u{1b}\\\u{1b}[2J");
    text.push_str("\u{061c}\u{200e}\u{200f}\u{202a}\u{202b}\u{202c}\u{202d}\u{202e}");
    text.push_str("\u{2066}\u{2067}\u{2068}\u{2069}");
    text
}

fn is_hostile(c: char) -> bool {
    warroom::outside::is_hostile(c) && c != '\n'
}

fn plan_text(url: &str) -> String {
    let evil = hostile().replace('\\', "\\\\").replace('"', "\\\"");
    let evil = evil
        .chars()
        .map(|c| {
            if c.is_control() {
                format!("\\u{:04X}", u32::from(c))
            } else {
                c.to_string()
            }
        })
        .collect::<String>();
    format!(
        r#"
[release]
name = "Night {evil}"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "API-TIMEOUT"
title = "Timeout {evil}"
owner = "dev {evil}"
priority = "critical"

[[checklist]]
id = "rollback-plan"
text = "Rollback {evil}"

[[metrics]]
name = "API p95"
unit = "ms"
source = {{ prometheus = {{ url = "{url}", query = "p95", user_env = "HOSTILE_TEST_USER", password_env = "HOSTILE_TEST_PASSWORD" }} }}
interval = "1s"
crit = 500
"#
    )
}

const PASSWORD: &str = "correct-horse-battery";
/// base64("mina:correct-horse-battery"), as the Authorization header has it.
const BASIC: &str = "bWluYTpjb3JyZWN0LWhvcnNlLWJhdHRlcnk=";

/// A server that answers 401 and quotes the request's credentials back.
async fn echoing_server() -> MockServer {
    let server = MockServer::start().await;
    let body = format!(
        r#"{{"status":"error","errorType":"unauthorized","error":"bad Authorization: Basic {BASIC} (password {PASSWORD}) {}"}}"#,
        "\\u001b]52;c;cHduZWQ=\\u0007\\u202e"
    );
    Mock::given(method("GET"))
        .and(path("/api/v1/query_range"))
        .respond_with(ResponseTemplate::new(401).set_body_string(body))
        .mount(&server)
        .await;
    server
}

fn set_credentials() {
    // SAFETY: set before any thread of this test reads the environment;
    // each test binary runs this file's tests, which all set the same values.
    unsafe {
        std::env::set_var("HOSTILE_TEST_USER", "mina");
        std::env::set_var("HOSTILE_TEST_PASSWORD", PASSWORD);
    }
}

fn assert_clean(what: &str, text: &str) {
    let bad: Vec<String> = text
        .chars()
        .filter(|c| is_hostile(*c))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    assert!(
        bad.is_empty(),
        "{what}: {bad:?} reach the terminal:\n{text:?}"
    );
    assert!(
        !text.contains(PASSWORD),
        "{what} shows the password:\n{text}"
    );
    assert!(
        !text.contains(BASIC),
        "{what} shows the basic-auth header:\n{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_prints_no_control_no_bidi_and_no_secret() {
    set_credentials();
    let server = echoing_server().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, plan_text(&server.uri())).expect("plan");
    // A journal whose note, name and statement carry the same.
    let at = chrono::DateTime::parse_from_rfc3339("2030-01-04T22:00:00+09:00").expect("time");
    let lines = [
        Entry::action(
            at,
            &format!("mina{}", hostile()),
            Action::Note {
                item: Some("API-TIMEOUT".into()),
                text: format!("note {}", hostile()),
            },
        ),
        Entry::action(
            at,
            "mina",
            Action::Approve {
                statement: format!("approve {}", hostile()),
                override_reason: Some(format!("risk {}", hostile())),
                go: false,
                reasons: vec![],
            },
        ),
    ];
    let text: String = lines.iter().map(|e| e.to_line() + "\n").collect();
    std::fs::write(dir.path().join("night.journal.jsonl"), text).expect("journal");
    for format in ["text", "json"] {
        let out = tokio::task::spawn_blocking({
            let plan = plan.clone();
            move || {
                Command::new(env!("CARGO_BIN_EXE_warroom"))
                    .args(["check", "--format", format])
                    .arg(&plan)
                    .env("HOSTILE_TEST_USER", "mina")
                    .env("HOSTILE_TEST_PASSWORD", PASSWORD)
                    .env("WARROOM_LOG", "debug")
                    .env("XDG_STATE_HOME", plan.parent().expect("dir"))
                    .output()
                    .expect("check")
            }
        })
        .await
        .expect("check ran");
        let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
        assert_clean(&format!("check --format {format}"), &stdout);
        assert_clean(&format!("check --format {format} (stderr)"), &stderr);
        assert!(
            stdout.contains("unauthorized: bad Authorization: Basic ••••"),
            "{stdout}"
        );
        assert!(
            stdout.contains("\\u{202e}"),
            "escaped, not dropped: {stdout}"
        );
    }
    // The log at debug level too.
    let log = std::fs::read_to_string(dir.path().join("warroom/warroom.log")).expect("a log");
    assert!(
        log.contains("not read"),
        "the server's answer is logged: {log}"
    );
    assert_clean("the log", &log);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_screen_draws_no_control_no_bidi_and_no_secret() {
    set_credentials();
    let server = echoing_server().await;
    let plan = Plan::parse(&plan_text(&server.uri()), "night.toml").expect("plan");
    let now = chrono::DateTime::parse_from_rfc3339("2030-01-04T22:00:00+09:00")
        .expect("time")
        .to_utc();
    let mut state = State::new(plan.clone(), now, Zone::utc());
    state.actor = format!("mina{}", hostile());
    // What the source says of the server's answer, as the room receives it.
    let warroom::plan::SourceSpec::Prometheus(spec) = &plan.metrics[0].source else {
        panic!("a prometheus source");
    };
    let prometheus =
        warroom::sources::prometheus::Prometheus::new(spec, std::time::Duration::from_secs(2))
            .expect("client");
    let err = prometheus
        .at_interval(
            now - chrono::TimeDelta::minutes(1),
            now,
            std::time::Duration::from_secs(1),
        )
        .await
        .expect_err("401");
    update(&mut state, Msg::Health(0, Health::down(err)));
    update(&mut state, Msg::ToggleReasons);
    for (w, h) in [(80, 24), (200, 60)] {
        let mut terminal = Terminal::new(TestBackend::new(w, h)).expect("terminal");
        terminal
            .draw(|frame| warroom::ui::render(&state, frame))
            .expect("draw");
        let cells: String = terminal
            .backend()
            .buffer()
            .content
            .iter()
            .map(|c| c.symbol().to_string())
            .collect();
        assert_clean(&format!("the screen at {w}x{h}"), &cells);
    }
}

/// A server that redirects with the secret in the address, then quotes it
/// back in a header and the body: the reason shown has none of it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_secret_in_a_redirect_or_a_header_is_not_shown() {
    set_credentials();
    let server = MockServer::start().await;
    let to = format!(
        "{}/leak?password={PASSWORD}&auth=Basic%20{BASIC}",
        server.uri()
    );
    Mock::given(method("GET"))
        .and(path("/api/v1/query"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", to.as_str()))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/leak"))
        .respond_with(
            ResponseTemplate::new(502)
                .insert_header("x-echo", format!("Basic {BASIC}").as_str())
                .set_body_string(format!("upstream rejected Basic {BASIC} / {PASSWORD}")),
        )
        .mount(&server)
        .await;
    let plan = Plan::parse(&plan_text(&server.uri()), "night.toml").expect("plan");
    let warroom::plan::SourceSpec::Prometheus(spec) = &plan.metrics[0].source else {
        panic!("a prometheus source");
    };
    let prometheus =
        warroom::sources::prometheus::Prometheus::new(spec, std::time::Duration::from_secs(2))
            .expect("client");
    let err = prometheus.instant().await.expect_err("502");
    let Health::Down(reason) = Health::down(err) else {
        panic!("down");
    };
    assert_clean("the reason", &reason);
    assert!(!reason.contains("/leak"), "no address: {reason}");
}

/// A journal line that is not an entry is quoted in the error that stops
/// the start: through the same function, so its escape sequences do not
/// reach the terminal or the CI log.
#[test]
fn a_hostile_journal_line_in_an_error_is_escaped() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, plan_text("http://127.0.0.1:9")).expect("plan");
    let line = r#"{"v":1,"at":"2030-01-04T22:00:00+09:00","actor":"a","action":{"kind":"note\u001b]0;GO\u0007\u202e","text":"x"}}"#;
    std::fs::write(dir.path().join("night.journal.jsonl"), format!("{line}\n")).expect("journal");
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .arg("check")
        .arg(&plan)
        .env("XDG_STATE_HOME", dir.path())
        .output()
        .expect("check");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(stderr.contains("not a journal entry"), "{stderr}");
    assert_clean("check's error", &stderr);
}
