//! Marks through the real binary in tmux: they survive a kill, reach the
//! other seats with the actor's name, and are refused visibly when the journal
//! cannot be written.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use common::tmux::{Tmux, path_str, plan_file};

#[test]
fn marks_survive_a_kill() {
    let (dir, plan) = plan_file();
    let Some(tmux) = Tmux::start("crash", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    tmux.wait_for(&["1 Release items", "0/30 done"]);
    // A tick the facts contradict is refused; then one checklist entry,
    // one not applicable, one item status.
    tmux.keys("2");
    tmux.keys("Space");
    tmux.wait_for(&[
        "cannot tick \"Tests complete for every release item\": 4 of 12 items not passed",
        "[ ] Tests complete for every release item · 4 of 12 items not p",
    ]);
    tmux.keys("j");
    tmux.keys("Space");
    tmux.wait_for(&["[x] Critical items tested on staging · mina"]);
    tmux.keys("j");
    tmux.keys("n");
    tmux.wait_for(&["Not applicable: Regression suite green"]);
    for key in ["n", "o", "Space", "s", "u", "i", "t", "e", "Enter"] {
        tmux.keys(key);
    }
    tmux.wait_for(&["[-] Regression suite green · mina"]);
    tmux.keys("1");
    tmux.keys("s");
    tmux.wait_for(&["Status: API-TIMEOUT", "p  ✓ passed"]);
    tmux.keys("t");
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
        "[ ] Tests complete for every release item · 4 of 12 items not p",
        "[x] Critical items tested on staging · mina",
        "[-] Regression suite green · mina",
        "2/30 done",
    ]);
    assert!(screen.contains("◐ testing"), "{screen}");
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(
        journal.lines().count(),
        3,
        "the refused tick wrote nothing: {journal}"
    );
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
    mina.keys("j");
    mina.keys("Space");
    mina.wait_for(&["[x] Critical items tested on staging · mina"]);
    let marked = Instant::now();
    joon.wait_for(&["[x] Critical items tested on staging · mina", "1/30 done"]);
    let seen_after = marked.elapsed();
    assert!(
        seen_after < Duration::from_secs(2),
        "the mark took {seen_after:?} to reach the other seat"
    );

    // And back: his mark reaches her.
    joon.keys("1");
    joon.keys("s");
    joon.keys("t");
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
    refuses_marks(
        "rofs",
        &plan,
        &journal,
        "Read-only file system (os error 30)",
    );
}

/// A seat whose journal cannot be written: the mark is refused with the reason
/// in the footer, and nothing shows as done.
fn refuses_marks(name: &str, plan: &Path, journal: &Path, reason: &str) {
    let args = [
        path_str(plan),
        "--as",
        "mina",
        "--journal",
        path_str(journal),
    ];
    let Some(tmux) = Tmux::start(name, &args) else {
        return;
    };
    tmux.wait_for(&["0/30 done"]);
    tmux.keys("2");
    tmux.keys("j");
    tmux.keys("Space");
    let screen = tmux.wait_for(&["not saved: ", reason]);
    assert!(screen.contains("0/30 done"), "{screen}");
    assert!(
        screen.contains("[ ] Critical items tested on staging"),
        "{screen}"
    );
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn an_unwritable_journal_refuses_the_mark_visibly() {
    let (dir, plan) = plan_file();
    let journal = dir.path().join("no-such-folder").join("j.jsonl");
    refuses_marks("nofolder", &plan, &journal, "No such file or directory");
}

#[test]
fn a_torn_last_line_is_reported_on_screen_and_the_rest_counts() {
    let (dir, plan) = plan_file();
    let journal = dir.path().join("night.journal.jsonl");
    let good = r#"{"v":1,"at":"2026-11-27T22:41:00+09:00","actor":"mina","action":{"kind":"check","id":"rollback-plan","mark":"done"}}"#;
    let torn = format!("{good}\n{{\"v\":1,\"at\":\"2026-11-27T22:4");
    std::fs::write(&journal, &torn).expect("journal");
    let Some(tmux) = Tmux::start("torn", &[path_str(&plan), "--as", "joon"]) else {
        return;
    };
    tmux.wait_for(&[
        "journal line 2 cut off mid-write (28 bytes): skipped; every line before it counts",
        "Rollback 1/5",
        "1/30 done",
    ]);
    assert_eq!(
        std::fs::read_to_string(&journal).expect("journal"),
        torn,
        "opening never rewrites the journal"
    );
    // The next mark closes the torn line and counts.
    tmux.keys("Escape");
    tmux.keys("2");
    tmux.keys("j");
    tmux.keys("Space");
    tmux.wait_for(&["[x] Critical items tested on staging · joon", "2/30 done"]);
    let after = std::fs::read_to_string(&journal).expect("journal");
    assert!(after.starts_with(&format!("{torn}\0\n")), "{after:?}");
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

/// A seat for someone who only watches: everything shown, a teammate's
/// marks arriving, its own keys refused in words, nothing written.
#[test]
fn a_read_only_seat_shows_the_night_and_writes_nothing() {
    let (dir, plan) = plan_file();
    let journal = dir.path().join("night.journal.jsonl");
    let Some(guest) = Tmux::start("guest", &[path_str(&plan), "--as", "guest", "--read-only"])
    else {
        return;
    };
    guest.wait_for(&["READ-ONLY", "0/30 done"]);
    guest.keys("2");
    guest.keys("j");
    guest.keys("Space");
    guest.wait_for(&["this seat is read-only: it shows everything and takes no marks"]);
    assert!(!journal.exists(), "nothing written");

    let Some(mina) = Tmux::start("mina-rw", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    mina.wait_for(&["0/30 done"]);
    mina.keys("2");
    mina.keys("j");
    mina.keys("Space");
    guest.wait_for(&["[x] Critical items tested on staging · mina", "1/30 done"]);
    let lines = std::fs::read_to_string(&journal).expect("mina's journal");
    assert_eq!(lines.lines().count(), 1, "{lines}");
    for seat in [&guest, &mina] {
        seat.keys("q");
        assert_eq!(seat.wait_exit(), 0);
    }
}
