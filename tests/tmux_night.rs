//! After the deploy, through the real binary: the watch window ends, a
//! check-in falls due with one bell and a banner, `c` records it in the
//! journal, and `D` marks the deploy done.

mod common;

use std::time::{Duration, Instant};

use common::tmux::{Tmux, path_str};

fn plan_text(deploy_at: &str) -> String {
    format!(
        r#"[release]
name = "Saturday watch"
deploy_at = "{deploy_at}"
watch_for = "5m"
check_in_every = "30m"

[[items]]
id = "API-TIMEOUT"
title = "API timeout setting change"
priority = "critical"
status = "passed"

[[checklist]]
id = "rollback-plan"
text = "Rollback plan ready"
"#
    )
}

fn journal_kinds(path: &std::path::Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).expect("a journal line");
            v["action"]["kind"].as_str().unwrap_or_default().to_string()
        })
        .collect()
}

fn wait_for_journal(path: &std::path::Path, kinds: &[&str]) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let found = journal_kinds(path);
        if found == kinds || Instant::now() > deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_check_in_falls_due_rings_once_and_c_records_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    // The watch window ends three seconds after the seat starts.
    let deploy = chrono::Utc::now() - chrono::TimeDelta::minutes(5) + chrono::TimeDelta::seconds(3);
    let deploy = deploy.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    std::fs::write(&plan, plan_text(&deploy)).expect("plan");
    let Some(tmux) = Tmux::start("night", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    let bells = dir.path().join("bells");
    let hook = format!("run-shell \"echo rang >> '{}'\"", bells.display());
    tmux.run(&["set-hook", "-g", "alert-bell", &hook]);
    tmux.wait_for(&["Saturday watch", "deploying"]);

    let screen = tmux.wait_for(&["CHECK-IN DUE", "press c"]);
    assert!(screen.contains("check-in due"), "{screen}");
    tmux.keys("c");
    tmux.wait_for(&["Check in", "Enter on an empty note: checked, all well."]);
    tmux.keys("Enter");
    let screen = tmux.wait_for(&["checked in · next"]);
    assert!(!screen.contains("CHECK-IN DUE"), "{screen}");
    // The slot falling due is journaled once, then her check-in.
    assert_eq!(
        wait_for_journal(
            &dir.path().join("night.journal.jsonl"),
            &["check_in_due", "check_in"]
        ),
        ["check_in_due", "check_in"]
    );

    // Marked done late: the watch still counts from the planned deploy.
    tmux.keys("D");
    let journal = dir.path().join("night.journal.jsonl");
    assert_eq!(
        wait_for_journal(&journal, &["check_in_due", "check_in", "deploy_done"]),
        ["check_in_due", "check_in", "deploy_done"]
    );
    tmux.keys("L");
    tmux.wait_for(&["checked in: all well", "deploy done"]);
    let rang = std::fs::read_to_string(&bells).unwrap_or_default();
    assert_eq!(rang.lines().count(), 1, "one bell for the one check-in due");
}
