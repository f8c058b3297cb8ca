use std::fs;

use chrono::DateTime;

use super::*;
use crate::domain::{Action, MarkState};

fn entry(actor: &str, id: &str) -> Entry {
    Entry::action(
        DateTime::parse_from_rfc3339("2026-11-27T22:41:00+09:00").unwrap(),
        actor,
        Action::Check {
            id: id.into(),
            mark: MarkState::Done,
            reason: None,
        },
    )
}

fn journal() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("night.journal.jsonl");
    (dir, path)
}

#[test]
fn a_missing_journal_is_an_empty_one() {
    let (_dir, path) = journal();
    assert_eq!(read_all(&path).unwrap(), Batch::default());
}

#[test]
fn appended_lines_read_back_in_order() {
    let (_dir, path) = journal();
    let appender = Appender::new(path.clone());
    for id in ["a", "b", "c"] {
        appender.append(&entry("mina", id)).unwrap();
    }
    let batch = read_all(&path).unwrap();
    let numbers: Vec<u64> = batch.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    assert_eq!(batch.lines[2].entry, entry("mina", "c"));
    assert_eq!(batch.position.lines, 3);
    assert_eq!(batch.position.offset, fs::metadata(&path).unwrap().len());
    assert_eq!(batch.torn_tail, None);
}

#[test]
fn a_torn_tail_is_reported_and_skipped_and_the_file_left_alone() {
    let (_dir, path) = journal();
    let appender = Appender::new(path.clone());
    appender.append(&entry("mina", "a")).unwrap();
    appender.append(&entry("mina", "b")).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(br#"{"v":1,"at":"2026-11-27T22:4"#);
    fs::write(&path, &bytes).unwrap();

    let batch = read_all(&path).unwrap();
    assert_eq!(batch.lines.len(), 2, "every earlier line counts");
    assert_eq!(batch.torn_tail, Some(TornTail { line: 3, bytes: 28 }));
    assert_eq!(fs::read(&path).unwrap(), bytes, "never rewritten");
}

#[test]
fn appending_after_a_torn_tail_seals_it_so_later_starts_skip_it() {
    let (_dir, path) = journal();
    let appender = Appender::new(path.clone());
    appender.append(&entry("mina", "a")).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(b"{\"v\":1,\"at");
    fs::write(&path, &bytes).unwrap();
    appender.append(&entry("joon", "b")).unwrap();

    let text = fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with(std::str::from_utf8(&bytes).unwrap()),
        "earlier bytes kept"
    );
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[2].contains(r#""torn_line":2"#), "{}", lines[2]);

    let batch = read_all(&path).unwrap();
    let actors: Vec<&str> = batch.lines.iter().map(|l| l.entry.actor.as_str()).collect();
    assert_eq!(actors, ["mina", "joon"]);
    assert_eq!(batch.lines[1].number, 4);
    assert_eq!(batch.skipped.len(), 1);
    assert_eq!(batch.skipped[0].line, 2);
    assert_eq!(batch.torn_tail, None);
}

#[test]
fn a_corrupt_line_in_the_middle_stops_the_start() {
    let (_dir, path) = journal();
    let appender = Appender::new(path.clone());
    appender.append(&entry("mina", "a")).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(b"this is not json\n");
    fs::write(&path, &bytes).unwrap();
    appender.append(&entry("mina", "b")).unwrap();
    let before = fs::read(&path).unwrap();

    let err = read_all(&path).unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "journal {}:2: not a journal entry (expected ident at line 1 column 2); expected one JSON object with v, at, actor and action; the journal is left untouched: fix or remove that line, or start with another --journal",
            path.display()
        )
    );
    assert_eq!(fs::read(&path).unwrap(), before, "never rewritten");
}

#[test]
fn a_newer_format_version_is_named() {
    let (_dir, path) = journal();
    fs::write(
        &path,
        "{\"v\":2,\"at\":\"2026-11-27T22:41:00+09:00\",\"actor\":\"m\",\"action\":{\"kind\":\"note\",\"text\":\"x\"}}\n",
    )
    .unwrap();
    let err = read_all(&path).unwrap_err();
    assert!(
        err.to_string()
            .contains(":1: journal format version 2; this warroom reads version 1"),
        "{err}"
    );
}

#[test]
fn the_follower_reads_only_complete_new_lines() {
    let (_dir, path) = journal();
    let appender = Appender::new(path.clone());
    appender.append(&entry("mina", "a")).unwrap();
    let start = read_all(&path).unwrap().position;
    let mut follower = Follower::new(path.clone(), start);
    assert!(follower.read_new().unwrap().lines.is_empty());

    // Another seat's write, seen half done, then whole.
    let line = format!("{}\n", entry("joon", "b").to_line());
    let (first, second) = line.split_at(20);
    let mut file = fs::OpenOptions::new().append(true).open(&path).unwrap();
    std::io::Write::write_all(&mut file, first.as_bytes()).unwrap();
    assert!(follower.read_new().unwrap().lines.is_empty());
    std::io::Write::write_all(&mut file, second.as_bytes()).unwrap();
    let batch = follower.read_new().unwrap();
    assert_eq!(batch.lines.len(), 1);
    assert_eq!(batch.lines[0].number, 2);
    assert_eq!(batch.lines[0].entry.actor, "joon");
}

#[test]
fn the_journal_sits_beside_its_plan() {
    assert_eq!(
        path_for_plan(std::path::Path::new("/srv/release/tonight.toml")),
        std::path::Path::new("/srv/release/tonight.journal.jsonl")
    );
}

#[test]
fn an_unwritable_journal_says_so() {
    let (dir, _) = journal();
    let path = dir.path().join("no-such-dir").join("j.jsonl");
    let err = Appender::new(path.clone())
        .append(&entry("mina", "a"))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "not saved: No such file or directory (os error 2) (journal {})",
            path.display()
        )
    );
}

#[test]
fn a_whole_entry_cut_off_before_its_newline_never_counts() {
    // A short write on a full disk can leave a complete JSON object without
    // its newline: the seat was told "not saved", so no seat may apply it.
    let (_dir, path) = journal();
    let appender = Appender::new(path.clone());
    appender.append(&entry("mina", "a")).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    bytes.extend_from_slice(entry("mina", "lost").to_line().as_bytes());
    fs::write(&path, &bytes).unwrap();
    let start = read_all(&path).unwrap();
    assert_eq!(start.lines.len(), 1);
    let mut follower = Follower::new(path.clone(), start.position);

    appender.append(&entry("joon", "b")).unwrap();
    let live = follower.read_new().unwrap();
    let replay = read_all(&path).unwrap();
    for batch in [&live, &replay] {
        assert!(
            batch.lines.iter().all(|l| l.entry != entry("mina", "lost")),
            "{batch:?}"
        );
        assert_eq!(batch.skipped[0].line, 2);
    }
    assert_eq!(live.lines.len(), 1);
    assert_eq!(replay.lines.len(), 2);
}

#[test]
fn a_cut_off_recovery_is_recovered_too() {
    let (_dir, path) = journal();
    let appender = Appender::new(path.clone());
    appender.append(&entry("mina", "a")).unwrap();
    let mut bytes = fs::read(&path).unwrap();
    // A torn line, then a closing write itself cut short.
    bytes.extend_from_slice(b"{\"v\":1,\"at\0\n{\"v\":1,\"at\":\"2026");
    fs::write(&path, &bytes).unwrap();
    appender.append(&entry("joon", "b")).unwrap();
    let batch = read_all(&path).unwrap();
    let actors: Vec<&str> = batch.lines.iter().map(|l| l.entry.actor.as_str()).collect();
    assert_eq!(actors, ["mina", "joon"]);
    let skipped: Vec<u64> = batch.skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, [2, 3]);
}

#[test]
fn a_journal_that_shrinks_under_a_follower_is_reported() {
    let (_dir, path) = journal();
    let appender = Appender::new(path.clone());
    appender.append(&entry("mina", "a")).unwrap();
    appender.append(&entry("mina", "b")).unwrap();
    let mut follower = Follower::new(path.clone(), read_all(&path).unwrap().position);
    fs::write(&path, "").unwrap();
    let err = follower.read_new().unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "journal {} shrank or was replaced while open; restart warroom to read it again",
            path.display()
        )
    );
}

#[test]
fn a_journal_rewritten_in_place_under_a_follower_is_reported() {
    let (dir, path) = journal();
    let appender = Appender::new(path.clone());
    appender.append(&entry("mina", "a")).unwrap();
    let mut follower = Follower::new(path.clone(), read_all(&path).unwrap().position);
    appender.append(&entry("mina", "b")).unwrap();
    assert_eq!(follower.read_new().unwrap().lines.len(), 1);
    // Another night's journal copied over this one: the same file, longer.
    let other = dir.path().join("other.jsonl");
    let appender = Appender::new(other.clone());
    for note in ["x", "y", "z"] {
        appender.append(&entry("joon", note)).unwrap();
    }
    let inode = std::os::unix::fs::MetadataExt::ino(&fs::metadata(&path).unwrap());
    fs::write(&path, fs::read(&other).unwrap()).unwrap();
    assert_eq!(
        std::os::unix::fs::MetadataExt::ino(&fs::metadata(&path).unwrap()),
        inode
    );
    let err = follower.read_new().unwrap_err();
    assert!(
        err.to_string()
            .contains("shrank or was replaced while open"),
        "{err}"
    );
}

fn alert(actor: &str, start: bool) -> Entry {
    let figures = crate::domain::action::AlertFigures {
        metric: "API latency p95".into(),
        unit: "ms".into(),
        limit: 500.0,
        value: 612.0,
        since: DateTime::parse_from_rfc3339("2026-11-27T23:05:02+09:00").unwrap(),
        held_secs: 30,
    };
    let action = if start {
        Action::AlertStart(figures)
    } else {
        Action::AlertEnd(figures)
    };
    Entry::action(
        DateTime::parse_from_rfc3339("2026-11-27T23:05:32+09:00").unwrap(),
        actor,
        action,
    )
}

#[test]
fn two_seats_seeing_one_alert_record_it_once() {
    let (_dir, path) = journal();
    // Two seats, each with its own writer and its own view of what is open.
    let (mina, joon) = (Appender::new(path.clone()), Appender::new(path.clone()));
    let (mut mina_open, mut joon_open) = (OpenAlerts::default(), OpenAlerts::default());
    mina.append(&entry("mina", "a")).unwrap();
    assert!(
        mina.append_alert(&alert("mina", true), &mut mina_open)
            .unwrap()
            .is_some()
    );
    joon.append(&entry("joon", "b")).unwrap();
    assert_eq!(
        joon.append_alert(&alert("joon", true), &mut joon_open)
            .unwrap(),
        None
    );
    assert!(
        joon.append_alert(&alert("joon", false), &mut joon_open)
            .unwrap()
            .is_some()
    );
    assert_eq!(
        mina.append_alert(&alert("mina", false), &mut mina_open)
            .unwrap(),
        None
    );
    // joon's seat ran behind: its start of the same run comes after the end.
    assert_eq!(
        joon.append_alert(&alert("joon", true), &mut joon_open)
            .unwrap(),
        None
    );
    // Over and back a minute later: a new alert is a new start.
    let mut again = alert("mina", true);
    if let Some(Action::AlertStart(f)) = &mut again.action {
        f.since += chrono::TimeDelta::seconds(60);
    }
    assert!(mina.append_alert(&again, &mut mina_open).unwrap().is_some());

    let kinds: Vec<String> = read_all(&path)
        .unwrap()
        .lines
        .iter()
        .map(|l| format!("{} {}", l.entry.actor, l.entry.action.as_ref().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            "mina checked a",
            "mina alert: API latency p95 612 ms > 500 ms for 30 s",
            "joon checked b",
            "joon alert over: API latency p95 at or above 500 ms for 30 s (peak 612 ms)",
            "mina alert: API latency p95 612 ms > 500 ms for 30 s",
        ]
    );
}

#[test]
fn alerts_race_from_two_threads_and_land_once() {
    let (_dir, path) = journal();
    let threads: Vec<_> = ["mina", "joon", "sora", "jin"]
        .into_iter()
        .map(|actor| {
            let path = path.clone();
            std::thread::spawn(move || {
                let appender = Appender::new(path);
                let mut open = OpenAlerts::default();
                appender
                    .append_alert(&alert(actor, true), &mut open)
                    .unwrap()
            })
        })
        .collect();
    let written = threads
        .into_iter()
        .map(|t| t.join().unwrap())
        .filter(Option::is_some)
        .count();
    assert_eq!(written, 1);
    assert_eq!(read_all(&path).unwrap().lines.len(), 1);
}

#[test]
fn two_seats_claiming_one_chat_post_write_one_claim() {
    let (_dir, path) = journal();
    let (mina, joon) = (Appender::new(path.clone()), Appender::new(path.clone()));
    let (mut mina_open, mut joon_open) = (OpenAlerts::default(), OpenAlerts::default());
    mina.append(&entry("mina", "a")).unwrap();
    let claim = |actor: &str, line: u64| {
        Entry::action(
            DateTime::parse_from_rfc3339("2026-11-27T23:05:32+09:00").unwrap(),
            actor,
            Action::ChatPosted { line },
        )
    };
    assert!(
        mina.append_alert(&claim("mina", 1), &mut mina_open)
            .unwrap()
            .is_some()
    );
    assert_eq!(
        joon.append_alert(&claim("joon", 1), &mut joon_open)
            .unwrap(),
        None
    );
    // Another line is another claim, whoever makes it.
    assert!(
        joon.append_alert(&claim("joon", 2), &mut joon_open)
            .unwrap()
            .is_some()
    );
    let claims: Vec<String> = read_all(&path)
        .unwrap()
        .lines
        .iter()
        .skip(1)
        .map(|l| format!("{} {}", l.entry.actor, l.entry.action.as_ref().unwrap()))
        .collect();
    assert_eq!(
        claims,
        [
            "mina line 1 posted to the team's chat",
            "joon line 2 posted to the team's chat"
        ]
    );
}
