//! The binary from outside, where no terminal is needed.

use std::process::{Command, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

#[test]
fn without_a_terminal_it_says_so_and_exits_2() {
    let state = tempfile::tempdir().expect("temp dir");
    let output = Command::new(BIN)
        .env("XDG_STATE_HOME", state.path())
        .stdin(Stdio::null())
        .output()
        .expect("run warroom");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        "error: warroom needs an interactive terminal; for a pipeline, `warroom check` is the headless gate"
    );
    assert!(output.stdout.is_empty(), "nothing may be drawn");
}

#[test]
fn help_and_version() {
    let help = Command::new(BIN).arg("--help").output().expect("run");
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("[PLAN]") && text.contains("demo release"),
        "{text}"
    );
    let version = Command::new(BIN).arg("--version").output().expect("run");
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("warroom {}", env!("CARGO_PKG_VERSION"))
    );
}

#[test]
fn a_corrupt_journal_line_stops_the_start_with_its_number() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, include_str!("../assets/demo.toml")).expect("plan");
    let journal = dir.path().join("night.journal.jsonl");
    let good = r#"{"v":1,"at":"2026-11-27T22:41:00+09:00","actor":"mina","action":{"kind":"check","id":"rollback-plan","mark":"done"}}"#;
    let text = format!("{good}\n{{\"v\":1,\"at\":\n{good}\n");
    std::fs::write(&journal, &text).expect("journal");
    let output = Command::new(BIN)
        .arg(&plan)
        .env("XDG_STATE_HOME", dir.path())
        .stdin(Stdio::null())
        .output()
        .expect("run warroom");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        format!(
            "error: journal {}:2: not a journal entry (EOF while parsing a value at line 1 column 12); expected one JSON object with v, at, actor and action; the journal is left untouched: fix or remove that line, or start with another --journal",
            journal.display()
        )
    );
    assert_eq!(std::fs::read_to_string(&journal).expect("journal"), text);
}

#[test]
fn an_unusable_name_is_refused() {
    let output = Command::new(BIN)
        .args(["--as", "  "])
        .stdin(Stdio::null())
        .output()
        .expect("run warroom");
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr).trim(),
        "error: who are you? \"\" is not a usable name; give one with --as NAME (up to 40 characters)"
    );
}

#[test]
fn a_bad_theme_or_cycle_is_refused_with_what_is_expected() {
    for (args, expected) in [
        (
            ["--theme", "solarized"],
            "expected dark, light or high-contrast, not \"solarized\"",
        ),
        (
            ["--cycle", "0s"],
            "0s is too short to read a pane; expected 1s or more",
        ),
    ] {
        let output = Command::new(BIN).args(args).output().expect("run warroom");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(expected), "{stderr}");
    }
}

#[test]
fn a_moment_that_is_not_one_is_refused() {
    let output = Command::new(BIN)
        .args(["--at", "25:00"])
        .stdin(Stdio::null())
        .output()
        .expect("run warroom");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("error: --at bad time \"25:00\"; expected \"18:00\""),
        "{stderr}"
    );
}

#[test]
fn a_bad_config_is_refused_with_its_place() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    std::fs::write(&path, "theme = \"dark\"\n[keys]\nundo = \"j\"\n").expect("config");
    let output = Command::new(BIN)
        .args(["--config", path.to_str().expect("utf-8")])
        .stdin(Stdio::null())
        .output()
        .expect("run warroom");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(
        stderr.trim(),
        format!(
            "error: {}:3:8: \"j\" already does `next`; move `next` too, or give `undo` another key",
            path.display()
        )
    );
}
