//! The war room in a real terminal: it opens, answers keys, leaves the
//! terminal as it found it, and fits the seat's zone and screen.

mod common;

use std::process::Command;

use common::tmux::{Tmux, path_str};

#[test]
fn demo_opens_shows_help_and_quits() {
    let Some(tmux) = Tmux::start("demo", &[]) else {
        return;
    };
    let screen = tmux.wait_for(&[
        "1 Release items",
        "2 Checklist",
        "3 Metrics",
        "4 Countdown",
        "T-6:20:0",
    ]);
    assert!(screen.contains("API-TIMEOUT"), "{screen}");
    assert_eq!(tmux.display("#{alternate_on}"), "1");

    tmux.keys("?");
    tmux.wait_for(&["Help: keys", "show or hide this help"]);
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
    assert_eq!(
        tmux.display("#{alternate_on}"),
        "0",
        "terminal not restored"
    );
}

#[test]
fn keys_move_focus_and_esc_quits() {
    let Some(tmux) = Tmux::start("keys", &[]) else {
        return;
    };
    tmux.wait_for(&["┏ 1 Release items"]);
    tmux.keys("Tab");
    tmux.wait_for(&["┏ 2 Checklist"]);
    tmux.keys("4");
    tmux.wait_for(&["┏ 4 Countdown"]);
    tmux.keys("Escape");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn sigterm_restores_the_terminal() {
    let Some(tmux) = Tmux::start("term", &[]) else {
        return;
    };
    tmux.wait_for(&["4 Countdown"]);
    let pid = tmux.warroom_pid();
    let killed = Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .expect("kill");
    assert!(killed.success());
    assert_eq!(tmux.wait_exit(), 0);
    assert_eq!(tmux.display("#{alternate_on}"), "0");
}

/// Two SIGTERMs at once: whichever path ends the process, the terminal is
/// whole again (main screen, cursor shown) and the exit code is never 1,
/// which a pipeline reads as NO-GO.
#[test]
fn two_sigterms_restore_the_terminal_and_never_exit_1() {
    let Some(tmux) = Tmux::start("term2", &[]) else {
        return;
    };
    tmux.wait_for(&["4 Countdown"]);
    assert_eq!(tmux.display("#{cursor_flag}"), "0", "hidden while drawing");
    let pid = tmux.warroom_pid();
    let killed = Command::new("sh")
        .args(["-c", &format!("kill -TERM {pid}; kill -TERM {pid}")])
        .status()
        .expect("kill");
    assert!(killed.success());
    let code = tmux.wait_exit();
    assert!(code == 0 || code == 128 + 15, "exit {code}");
    assert_eq!(tmux.display("#{alternate_on}"), "0");
    assert_eq!(tmux.display("#{cursor_flag}"), "1", "the cursor is back");
}

#[test]
fn a_small_terminal_asks_to_be_enlarged() {
    let Some(tmux) = Tmux::start("small", &[]) else {
        return;
    };
    tmux.wait_for(&["4 Countdown"]);
    tmux.run(&["resize-window", "-t", "t", "-x", "70", "-y", "20"]);
    tmux.wait_for(&["Enlarge the terminal to at least 80×24", "(now 70×20)"]);
    tmux.run(&["resize-window", "-t", "t", "-x", "120", "-y", "40"]);
    tmux.wait_for(&["4 Countdown"]);
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn a_real_plan_file_opens() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("tonight.toml");
    std::fs::write(
        &path,
        r#"
[release]
name = "Hotfix 4.2.1"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "FIX-1"
title = "Cart total rounding"
priority = "high"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"
"#,
    )
    .expect("write plan");
    let Some(tmux) = Tmux::start("plan", &[path_str(&path)]) else {
        return;
    };
    let screen = tmux.wait_for(&["Hotfix 4.2.1", "FIX-1", "Rollback plan ready"]);
    assert!(!screen.contains("DEMO"), "{screen}");
    assert!(screen.contains("No metrics in the plan"), "{screen}");
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn each_seat_sees_its_own_zone() {
    let Some(tmux) = Tmux::start_in_zone("zone", &[], "Europe/Berlin") else {
        return;
    };
    let screen = tmux.wait_for(&["now Fri 16:40:0"]);
    assert!(screen.contains("KST · 08:40 CET"), "{screen}");
    assert!(screen.contains("local Fri 27 Nov 15:00 CET"), "{screen}");
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}
