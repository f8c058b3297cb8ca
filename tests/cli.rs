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
