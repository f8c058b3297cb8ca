//! The built binary in a real terminal: tmux runs it, `send-keys` types and
//! `capture-pane` reads the screen.
//!
//! Skipped, saying so, where tmux is missing; under `CI=true` a missing tmux fails.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// One private tmux server per test, killed when the test ends.
struct Tmux {
    socket: String,
    /// Holds the log directory and the file the exit status is written to.
    dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts `warroom ARGS` in a 120×40 pane. A shell around it writes the
    /// exit status to a file and keeps the pane open, so both the status and
    /// the terminal left behind can be read.
    fn start(name: &str, args: &[&str]) -> Option<Tmux> {
        Tmux::start_in_zone(name, args, "UTC")
    }

    fn start_in_zone(name: &str, args: &[&str], tz: &str) -> Option<Tmux> {
        if !tmux_available() {
            return None;
        }
        let tmux = Tmux {
            socket: format!("warroom-test-{}-{name}", std::process::id()),
            dir: tempfile::tempdir().expect("temp dir"),
        };
        let state_env = format!("XDG_STATE_HOME={}", tmux.dir.path().display());
        let tz_env = format!("TZ={tz}");
        let script = format!(
            "\"$0\" \"$@\"; echo $? > '{}'; exec sleep 600",
            tmux.status_file().display()
        );
        let mut command = vec![
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            &state_env,
            "-e",
            &tz_env,
            "sh",
            "-c",
            &script,
            BIN,
        ];
        command.extend_from_slice(args);
        tmux.run(&command);
        Some(tmux)
    }

    fn status_file(&self) -> std::path::PathBuf {
        self.dir.path().join("exit-status")
    }

    fn run(&self, args: &[&str]) -> Output {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("run tmux");
        assert!(
            output.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    fn display(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    fn keys(&self, keys: &str) {
        self.run(&["send-keys", "-t", "t", keys]);
    }

    /// Waits until every text is on screen, or fails with the screen it saw.
    fn wait_for(&self, texts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {texts:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the process to end and returns its exit status.
    fn wait_exit(&self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(text) = std::fs::read_to_string(self.status_file())
                && let Ok(status) = text.trim().parse()
            {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "warroom did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The pid of warroom: the child of the shell that holds the pane.
    fn warroom_pid(&self) -> String {
        let shell = self.display("#{pane_pid}");
        let out = Command::new("pgrep")
            .args(["-P", &shell])
            .output()
            .expect("pgrep");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is required under CI=true"
        );
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
    }
    found
}

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

fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
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

/// The demo's release as a real plan file, deploy a year out, in its own folder.
fn plan_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("night.toml");
    let demo = include_str!("../assets/demo.toml").replace(
        "deploy_at = \"2026-11-27T23:00 Asia/Seoul\"",
        "deploy_at = \"2099-11-27T23:00 Asia/Seoul\"",
    );
    std::fs::write(&path, demo).expect("write plan");
    (dir, path)
}

#[test]
fn marks_survive_a_kill() {
    let (dir, plan) = plan_file();
    let Some(tmux) = Tmux::start("crash", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    tmux.wait_for(&["1 Release items", "0/30 done"]);
    // Two checklist entries, one not applicable, one item status.
    tmux.keys("2");
    tmux.keys("Space");
    tmux.wait_for(&["[x] Tests complete for every release item · mina"]);
    tmux.keys("j");
    tmux.keys("Space");
    tmux.wait_for(&["[x] Critical items tested on staging · mina"]);
    tmux.keys("j");
    tmux.keys("n");
    tmux.wait_for(&["Not applicable: Regression suite green"]);
    for key in ["n", "o", "Space", "s", "u", "i", "t", "e", "Enter"] {
        tmux.keys(key);
    }
    tmux.wait_for(&["[-] Regression suite green n/a: no suite · mina"]);
    tmux.keys("1");
    tmux.keys("s");
    tmux.wait_for(&["API-TIMEOUT: mina"]);
    let shown = tmux.screen();
    assert!(shown.contains("◐ testing"), "{shown}");

    let killed = Command::new("kill")
        .args(["-KILL", &tmux.warroom_pid()])
        .status()
        .expect("kill");
    assert!(killed.success());
    assert_eq!(tmux.wait_exit(), 137, "killed by SIGKILL");

    let Some(again) = Tmux::start("crash2", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    let screen = again.wait_for(&[
        "[x] Tests complete for every release item · mina",
        "[x] Critical items tested on staging · mina",
        "[-] Regression suite green n/a: no suite · mina",
        "3/30 done",
    ]);
    assert!(screen.contains("◐ testing"), "{screen}");
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(journal.lines().count(), 4, "{journal}");
    again.keys("q");
    assert_eq!(again.wait_exit(), 0);
}

#[test]
fn a_teammate_sees_a_mark_with_its_name() {
    let (_dir, plan) = plan_file();
    let (Some(mina), Some(joon)) = (
        Tmux::start("seat-a", &[path_str(&plan), "--as", "mina"]),
        Tmux::start("seat-b", &[path_str(&plan), "--as", "joon"]),
    ) else {
        return;
    };
    mina.wait_for(&["0/30 done"]);
    joon.wait_for(&["0/30 done"]);
    mina.keys("2");
    mina.keys("Space");
    mina.wait_for(&["[x] Tests complete for every release item · mina"]);
    let marked = Instant::now();
    joon.wait_for(&[
        "[x] Tests complete for every release item · mina",
        "1/30 done",
    ]);
    let seen_after = marked.elapsed();
    assert!(
        seen_after < Duration::from_secs(2),
        "the mark took {seen_after:?} to reach the other seat"
    );

    // And back: his mark reaches her.
    joon.keys("1");
    joon.keys("s");
    mina.wait_for(&["API-TIMEOUT: joon"]);
    for seat in [&mina, &joon] {
        seat.keys("q");
        assert_eq!(seat.wait_exit(), 0);
    }
}

/// A read-only file system of our own: a tmpfs mounted `ro`, unmounted on drop.
struct ReadOnlyMount(std::path::PathBuf);

impl ReadOnlyMount {
    fn new(at: std::path::PathBuf) -> Option<ReadOnlyMount> {
        std::fs::create_dir_all(&at).ok()?;
        let mounted = Command::new("mount")
            .args(["-t", "tmpfs", "-o", "ro,size=1m", "tmpfs"])
            .arg(&at)
            .output()
            .is_ok_and(|o| o.status.success());
        mounted.then_some(ReadOnlyMount(at))
    }
}

impl Drop for ReadOnlyMount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_read_only_disk_refuses_the_mark_visibly() {
    let (dir, plan) = plan_file();
    let Some(mount) = ReadOnlyMount::new(dir.path().join("ro")) else {
        eprintln!("skipped: cannot mount a read-only tmpfs here (needs root)");
        return;
    };
    let journal = mount.0.join("night.journal.jsonl");
    let Some(tmux) = Tmux::start(
        "rofs",
        &[
            path_str(&plan),
            "--as",
            "mina",
            "--journal",
            path_str(&journal),
        ],
    ) else {
        return;
    };
    tmux.wait_for(&["0/30 done"]);
    tmux.keys("2");
    tmux.keys("Space");
    let screen = tmux.wait_for(&["Read-only file system (os error 30)"]);
    assert!(
        screen.contains("not saved: cannot write journal"),
        "{screen}"
    );
    assert!(screen.contains("0/30 done"), "{screen}");
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn an_unwritable_journal_refuses_the_mark_visibly() {
    let (dir, plan) = plan_file();
    let journal = dir
        .path()
        .join("no-such-folder")
        .join("night.journal.jsonl");
    let Some(tmux) = Tmux::start(
        "readonly",
        &[
            path_str(&plan),
            "--as",
            "mina",
            "--journal",
            path_str(&journal),
        ],
    ) else {
        return;
    };
    tmux.wait_for(&["0/30 done"]);
    tmux.keys("2");
    tmux.keys("Space");
    let screen = tmux.wait_for(&["not saved: cannot write journal"]);
    assert!(screen.contains("0/30 done"), "{screen}");
    assert!(
        screen.contains("[ ] Tests complete for every release item"),
        "{screen}"
    );
    tmux.keys("Escape");
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}
