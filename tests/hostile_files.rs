//! Files that are not what they should be, through `warroom check`: a FIFO,
//! `/dev/zero`, a directory, a plan that is not UTF-8, a journal locked by
//! another process. Each ends within a time limit, exit 2, with a message
//! that names the file and says what was found; none hangs or eats memory.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

const PLAN: &str = r#"
[release]
name = "Hostile files"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "FIX"
title = "Fix"
priority = "high"

[[checklist]]
id = "c"
text = "Check"
"#;

/// `warroom check` with `args`, killed (and failed) past `limit`. Its output
/// goes to files, so a long one cannot fill a pipe and stall it.
fn check_within(limit: Duration, args: &[&Path]) -> Output {
    let out_dir = tempfile::tempdir().expect("output dir");
    let (out_path, err_path) = (out_dir.path().join("out"), out_dir.path().join("err"));
    let mut child = Command::new(BIN)
        .arg("check")
        .args(args)
        .stdout(Stdio::from(std::fs::File::create(&out_path).expect("out")))
        .stderr(Stdio::from(std::fs::File::create(&err_path).expect("err")))
        .spawn()
        .expect("spawn");
    let started = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "check {args:?} still running after {limit:?}: {}",
                std::fs::read_to_string(&err_path).unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: std::fs::read(&out_path).expect("stdout"),
        stderr: std::fs::read(&err_path).expect("stderr"),
    }
}

fn fifo(dir: &Path, name: &str) -> PathBuf {
    let path = dir.join(name);
    let made = Command::new("mkfifo").arg(&path).status().expect("mkfifo");
    assert!(made.success());
    path
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_plan_that_is_not_a_regular_file_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cases = [
        (
            fifo(dir.path(), "plan.toml"),
            "a FIFO; expected a regular file",
        ),
        (
            PathBuf::from("/dev/zero"),
            "a character device; expected a regular file",
        ),
        (
            dir.path().to_path_buf(),
            "a directory; expected a regular file",
        ),
    ];
    for (plan, expected) in cases {
        let out = check_within(Duration::from_secs(5), &[&plan]);
        assert_eq!(out.status.code(), Some(2), "{plan:?}: {}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!("error: cannot read plan {}: {expected}\n", plan.display())
        );
    }
}

#[test]
fn a_journal_that_is_not_a_regular_file_is_refused_at_once() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, PLAN).expect("plan");
    for (journal, expected) in [
        (
            fifo(dir.path(), "j.jsonl"),
            "a FIFO; expected a regular file",
        ),
        (
            PathBuf::from("/dev/zero"),
            "a character device; expected a regular file",
        ),
    ] {
        let out = check_within(
            Duration::from_secs(5),
            &[&plan, Path::new("--journal"), &journal],
        );
        assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
        assert_eq!(
            stderr(&out),
            format!(
                "error: cannot read journal {}: {expected}\n",
                journal.display()
            )
        );
    }
}

#[test]
fn a_journal_locked_by_another_process_is_waited_for_then_named() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, PLAN).expect("plan");
    let journal = dir.path().join("night.journal.jsonl");
    std::fs::write(&journal, "").expect("journal");
    // Another process holds the exclusive lock, as a stuck seat would.
    let holder = std::fs::OpenOptions::new()
        .append(true)
        .open(&journal)
        .expect("journal");
    holder.lock().expect("lock");
    let out = check_within(Duration::from_secs(10), &[&plan]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert_eq!(
        stderr(&out),
        format!(
            "error: cannot read journal {}: locked by another process for over 3 s (a stuck warroom? `fuser {}` names it)\n",
            journal.display(),
            journal.display()
        )
    );
    // The room too: it says so and leaves, before it takes the terminal.
    let started = Instant::now();
    let room = Command::new(BIN)
        .arg(&plan)
        .env("XDG_STATE_HOME", dir.path())
        .output()
        .expect("room");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert_eq!(room.status.code(), Some(2));
    assert!(
        stderr(&room).contains("locked by another process for over 3 s"),
        "{}",
        stderr(&room)
    );
    holder.unlock().expect("unlock");
    let out = check_within(Duration::from_secs(10), &[&plan]);
    assert_eq!(out.status.code(), Some(1), "NO-GO, read: {}", stderr(&out));
}

#[test]
fn a_plan_that_is_not_utf8_says_where() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    let mut bytes = PLAN.as_bytes().to_vec();
    // "Fix" becomes "Fi\xFF" on line 8.
    let at = PLAN.find("Fix\"").expect("title") + 2;
    bytes[at] = 0xFF;
    std::fs::write(&plan, &bytes).expect("plan");
    let out = check_within(Duration::from_secs(5), &[&plan]);
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        stderr(&out),
        format!(
            "{}:8:12: byte 0xFF is not UTF-8; expected UTF-8 text\n",
            plan.display()
        )
    );
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(PLAN.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(&plan, utf16).expect("plan");
    let out = check_within(Duration::from_secs(5), &[&plan]);
    assert_eq!(
        stderr(&out),
        format!(
            "{}:1:1: UTF-16 text; expected UTF-8 (save the plan as UTF-8)\n",
            plan.display()
        )
    );
}

/// 20,000 problems in one plan (about 1.2 MB of duplicate ids) are all
/// reported, in time that grows with the plan, not with its square.
#[test]
fn twenty_thousand_problems_are_reported_in_time() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    let mut text = String::from(PLAN);
    for _ in 0..20_000 {
        text.push_str("\n[[items]]\nid = \"FIX\"\ntitle = \"Fix again\"\npriority = \"high\"\n");
    }
    std::fs::write(&plan, &text).expect("plan");
    let started = Instant::now();
    let out = check_within(Duration::from_secs(20), &[&plan]);
    assert_eq!(out.status.code(), Some(2));
    let err = stderr(&out);
    assert_eq!(
        err.lines().count(),
        20_000,
        "{}",
        &err[..err.len().min(500)]
    );
    assert!(
        err.lines().next().is_some_and(|l| l.ends_with(
            "duplicate item id \"FIX\" (first at line 7, column 6); expected each id once"
        )),
        "{}",
        &err[..err.len().min(500)]
    );
    eprintln!("20,000 problems reported in {:?}", started.elapsed());
}
