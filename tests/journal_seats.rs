//! Seats in separate processes share one journal: their appends never tear or
//! interleave inside a line, each seat's lines keep its order, and every seat
//! that follows the file ends with the same ledger, whenever it read.
//!
//! The writers are this test binary itself, started again to run only
//! `seat_child`, which does nothing unless the parent named a journal for it.

#[path = "common/mod.rs"]
mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeDelta};
use warroom::app::{Msg, State, apply_journal, update};
use warroom::domain::{Action, ItemStatus, MarkState};
use warroom::journal::{Appender, Entry, Follower, JournalError, Position, read_all};

const JOURNAL_VAR: &str = "WARROOM_TEST_SEAT_JOURNAL";
const ACTOR_VAR: &str = "WARROOM_TEST_SEAT_ACTOR";
const COUNT_VAR: &str = "WARROOM_TEST_SEAT_COUNT";

const PER_SEAT: usize = 500;
/// The writers normally finish in well under a second; this only keeps a hung
/// child from hanging the suite.
const TIMEOUT: Duration = Duration::from_secs(120);

fn at(second: usize) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T22:41:00+09:00").expect("test time")
        + TimeDelta::seconds(i64::try_from(second).expect("small count"))
}

/// The `i`th entry of `actor`: actions alternating over demo ids, the last of
/// which names an item the plan does not have.
fn seat_entry(actor: &str, i: usize) -> Entry {
    const CHECKS: [&str; 3] = ["rollback-plan", "db-backup", "on-call"];
    const ITEMS: [&str; 3] = ["API-TIMEOUT", "PAY-PERF", "NO-SUCH-ITEM"];
    const STATUSES: [ItemStatus; 3] = [
        ItemStatus::InProgress,
        ItemStatus::Passed,
        ItemStatus::Failed,
    ];
    let action = match i % 4 {
        0 => Action::Check {
            id: CHECKS[i % 3].into(),
            mark: MarkState::Done,
            reason: None,
        },
        1 => Action::ItemStatus {
            id: ITEMS[i % 3].into(),
            status: STATUSES[i % 3],
        },
        2 => Action::Check {
            id: CHECKS[i % 3].into(),
            mark: MarkState::Open,
            reason: None,
        },
        _ => Action::Note {
            item: Some(ITEMS[i % 3].into()),
            text: format!("{actor} #{i}"),
        },
    };
    Entry::action(at(i), actor, action)
}

/// One seat in a child process: appends its entries, as fast as it can.
#[test]
fn seat_child() {
    let Ok(journal) = std::env::var(JOURNAL_VAR) else {
        return;
    };
    let actor = std::env::var(ACTOR_VAR).expect("actor");
    let count: usize = std::env::var(COUNT_VAR)
        .expect("count")
        .parse()
        .expect("a count");
    let appender = Appender::new(PathBuf::from(journal));
    for i in 0..count {
        appender
            .append(&seat_entry(&actor, i))
            .expect("the append is saved");
    }
}

fn spawn_seat(journal: &Path, actor: &str) -> Child {
    Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", "seat_child", "--nocapture"])
        .env(JOURNAL_VAR, journal)
        .env(ACTOR_VAR, actor)
        .env(COUNT_VAR, PER_SEAT.to_string())
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .spawn()
        .expect("seat process")
}

/// A seat following the file: what it read, as its loop would apply it.
struct Seat {
    state: State,
    follower: Follower,
    batches: usize,
}

impl Seat {
    /// A seat opened now: the journal replayed, then followed from there.
    fn open(path: &Path) -> Seat {
        let batch = read_all(path).expect("the journal reads at start");
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        assert_eq!(batch.torn_tail, None, "a write in progress taken for torn");
        let follower = Follower::new(path.to_path_buf(), batch.position);
        let mut state = common::demo_state();
        apply_journal(&mut state, batch);
        Seat {
            state,
            follower,
            batches: 0,
        }
    }

    fn follow(&mut self) {
        let batch = self.follower.read_new().expect("the follower reads");
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        if !batch.lines.is_empty() {
            self.batches += 1;
        }
        update(&mut self.state, Msg::Journal(batch));
    }
}

/// The two seat processes; any still running when the test ends (a failed
/// assertion, the timeout) is killed rather than left behind.
struct Seats([Child; 2]);

impl Drop for Seats {
    fn drop(&mut self) {
        for child in &mut self.0 {
            if let Ok(None) = child.try_wait() {
                let _ = child.kill();
                let _ = child.wait();
            }
        }
    }
}

/// Waits for both seat processes, following the journal with `seat`
/// meanwhile and opening a second seat once `join_at` lines are written.
/// Fails after the timeout.
fn wait_following(seats: &mut Seats, path: &Path, seat: &mut Seat, join_at: u64) -> Seat {
    let started = Instant::now();
    let mut late: Option<Seat> = None;
    let mut done = [false, false];
    while done != [true, true] {
        for (child, done) in seats.0.iter_mut().zip(&mut done) {
            if !*done && let Some(status) = child.try_wait().expect("child status") {
                assert!(status.success(), "a seat process failed: {status}");
                *done = true;
            }
        }
        seat.follow();
        if late.is_none() && seat.follower.position().lines >= join_at {
            late = Some(Seat::open(path));
        }
        assert!(
            started.elapsed() < TIMEOUT,
            "the seat processes did not finish in {TIMEOUT:?}"
        );
        std::thread::sleep(Duration::from_millis(2));
    }
    // The last poll came after both had finished, so it saw every line.
    late.expect("a late seat opened by the last poll at the latest")
}

#[test]
fn two_seat_processes_share_one_journal() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("night.journal.jsonl");
    let started = Instant::now();
    let mut seats = Seats([spawn_seat(&path, "mina"), spawn_seat(&path, "joon")]);
    let mut polling = Seat {
        state: common::demo_state(),
        follower: Follower::new(path.clone(), Position::default()),
        batches: 0,
    };
    let mut late = wait_following(&mut seats, &path, &mut polling, 300);
    let late_from = late.follower.position().lines;
    let elapsed = started.elapsed();
    polling.follow();

    let total = 2 * PER_SEAT;
    let text = fs::read_to_string(&path).expect("journal text");
    assert!(text.ends_with('\n'), "the last line is complete");
    assert_eq!(text.matches('\n').count(), total);

    let batch = read_all(&path).expect("the journal reads");
    assert_eq!(batch.lines.len(), total);
    assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
    assert_eq!(batch.torn_tail, None);
    assert_eq!(batch.position.lines, total as u64);
    let numbers: Vec<u64> = batch.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=total as u64).collect::<Vec<_>>());

    let mut switches = 0;
    for pair in batch.lines.windows(2) {
        if pair[0].entry.actor != pair[1].entry.actor {
            switches += 1;
        }
    }
    for actor in ["mina", "joon"] {
        let written: Vec<&Entry> = batch
            .lines
            .iter()
            .map(|l| &l.entry)
            .filter(|e| e.actor == actor)
            .collect();
        let expected: Vec<Entry> = (0..PER_SEAT).map(|i| seat_entry(actor, i)).collect();
        assert_eq!(written.len(), PER_SEAT, "{actor}");
        for (i, (got, want)) in written.iter().zip(&expected).enumerate() {
            assert_eq!(*got, want, "{actor}'s entry {i}");
        }
    }

    // Read at the end only: a seat that followed from the first byte, once.
    let mut at_end = Seat {
        state: common::demo_state(),
        follower: Follower::new(path.clone(), Position::default()),
        batches: 0,
    };
    at_end.follow();
    let mut replay = common::demo_state();
    apply_journal(&mut replay, batch);

    eprintln!(
        "2 × {PER_SEAT} appends in {elapsed:?}; the lines change seat {switches} times; \
         the polling seat read {} batches; the late seat opened at line {late_from}",
        polling.batches
    );
    assert_eq!(polling.state.night.ledger.log.len(), total);
    assert_eq!(polling.state.night.ledger, replay.night.ledger);
    assert_eq!(at_end.state.night.ledger, replay.night.ledger);
    assert_eq!(polling.state.view.item_order, replay.view.item_order);
    assert_eq!(at_end.state.view.item_order, replay.view.item_order);
    late.follow();
    assert_eq!(
        late.state.night.ledger, replay.night.ledger,
        "the seat that joined late"
    );
}

fn entry(actor: &str, id: &str) -> Entry {
    Entry::action(
        at(0),
        actor,
        Action::Check {
            id: id.into(),
            mark: MarkState::Done,
            reason: None,
        },
    )
}

/// Appends `entry` and checks that only bytes after the old end changed: `tail`
/// then the entry's own line.
fn append_keeps_earlier_bytes(path: &Path, entry: &Entry, tail: &dyn Fn(&[u8]) -> bool) {
    let before = fs::read(path).expect("journal bytes");
    Appender::new(path.to_path_buf())
        .append(entry)
        .expect("the append is saved");
    let after = fs::read(path).expect("journal bytes");
    assert!(after.len() > before.len());
    assert_eq!(&after[..before.len()], &before[..], "earlier bytes kept");
    let added = &after[before.len()..];
    let line = format!("{}\n", entry.to_line());
    assert!(
        added.ends_with(line.as_bytes()),
        "{:?}",
        String::from_utf8_lossy(added)
    );
    assert!(
        tail(&added[..added.len() - line.len()]),
        "{:?}",
        String::from_utf8_lossy(added)
    );
}

fn corrupt_line(path: &Path) -> u64 {
    match read_all(path) {
        Err(JournalError::Corrupt { line, .. }) => line,
        other => panic!("expected the start to stop on a corrupt line, got {other:?}"),
    }
}

#[test]
fn appends_never_rewrite_a_journal_corrupt_in_the_middle() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("night.journal.jsonl");
    let appender = Appender::new(path.clone());
    appender
        .append(&entry("mina", "rollback-plan"))
        .expect("append");
    appender
        .append(&entry("joon", "db-backup"))
        .expect("append");
    // Line 3: not JSON, not UTF-8, NULs as a lost block leaves them.
    let mut bytes = fs::read(&path).expect("journal bytes");
    bytes.extend_from_slice(b"\0\0\0{\"v\":1,\"at\xff\xfe garbage\n");
    fs::write(&path, &bytes).expect("corrupt the journal");
    assert_eq!(corrupt_line(&path), 3);

    let nothing_before = |added: &[u8]| added.is_empty();
    append_keeps_earlier_bytes(&path, &entry("mina", "on-call"), &nothing_before);
    append_keeps_earlier_bytes(&path, &entry("ana", "db-migration"), &nothing_before);
    assert_eq!(corrupt_line(&path), 3, "still stops on the same line");

    // A cut-off last line on top: the append closes that one with a NUL byte
    // and records it, and only adds.
    let mut bytes = fs::read(&path).expect("journal bytes");
    bytes.extend_from_slice(b"{\"v\":1,\"at\":\"2026-11");
    fs::write(&path, &bytes).expect("cut off the last line");
    let seal = |added: &[u8]| {
        let text = String::from_utf8_lossy(added);
        text.starts_with("\0\n") && text.contains(r#""torn_line":6"#) && text.ends_with('\n')
    };
    append_keeps_earlier_bytes(&path, &entry("joon", "on-call"), &seal);
    assert_eq!(
        corrupt_line(&path),
        3,
        "the sealed line is not the one named"
    );

    // A running seat skips the bad line and keeps every other.
    let batch = Follower::new(path.clone(), Position::default())
        .read_new()
        .expect("the follower reads");
    let skipped: Vec<u64> = batch.skipped.iter().map(|s| s.line).collect();
    assert_eq!(skipped, [3, 6]);
    let numbers: Vec<u64> = batch.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [1, 2, 4, 5, 8]);
}
