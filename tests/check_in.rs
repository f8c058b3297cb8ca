//! `warroom check-in` through the binary: a check-in from any shell lands in
//! the journal as the room's `c` would write it, says which slot it covers,
//! and is refused before the deploy.

use std::path::PathBuf;
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// The demo plan deployed `ago` before now (or after, when negative).
fn plan_deployed(ago: chrono::TimeDelta) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("dir");
    let deploy = (chrono::Utc::now() - ago).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let text = include_str!("../assets/demo.toml")
        .replace(
            "deploy_at = \"2026-11-27T23:00 Asia/Seoul\"",
            &format!("deploy_at = \"{deploy}\""),
        )
        .replace("check_ins_until = \"monday 09:00\"", "");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, text).expect("plan");
    (dir, plan)
}

fn check_in(plan: &PathBuf, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("check-in")
        .arg(plan)
        .args(["--as", "mina"])
        .args(args)
        .output()
        .expect("check-in")
}

#[test]
fn a_check_in_from_a_shell_covers_the_slot_due() {
    // Deployed two hours ago: the watch ended 70 minutes ago, so a slot is
    // due every 30 minutes since.
    let (dir, plan) = plan_deployed(chrono::TimeDelta::hours(2));
    let out = check_in(&plan, &[]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let said = String::from_utf8_lossy(&out.stdout);
    assert!(said.starts_with("checked in at "), "{said}");
    assert!(
        said.contains(" as mina: all well, the check-in due "),
        "{said}"
    );
    let out = check_in(&plan, &["--note", "p95 up to 420 ms at 08:10, back at 200"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(
        String::from_utf8_lossy(&out.stdout)
            .contains(": \"p95 up to 420 ms at 08:10, back at 200\""),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    let lines: Vec<&str> = journal.lines().collect();
    assert_eq!(lines.len(), 2);
    assert!(lines[0].contains(r#""kind":"check_in""#), "{}", lines[0]);
    assert!(lines[1].contains("p95 up to 420 ms"), "{}", lines[1]);
}

#[test]
fn before_the_deploy_nothing_is_recorded() {
    let (dir, plan) = plan_deployed(chrono::TimeDelta::hours(-3));
    let out = check_in(&plan, &[]);
    assert_eq!(out.status.code(), Some(2));
    let said = String::from_utf8_lossy(&out.stderr);
    assert!(
        said.starts_with("error: check-ins start after the deploy, "),
        "{said}"
    );
    assert!(said.ends_with("; nothing recorded\n"), "{said}");
    assert!(!dir.path().join("night.journal.jsonl").exists());
}
