//! A seat that follows the journal live ends where a seat that replays the
//! whole file at start begins: the same ledger, the same item order, however
//! the reads fell between the writes.
//!
//! Actions are drawn from the demo plan's item and checklist ids plus ids the
//! plan does not have (orphaned entries), with valid and invalid figures,
//! notes, retractions of earlier lines and undos, by several actors. Every
//! entry is written with `Appender::append`, as a seat writes it.

#[path = "common/mod.rs"]
mod common;

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::Path;
use std::sync::LazyLock;

use chrono::{DateTime, FixedOffset, TimeDelta};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::strategy::ValueTree;
use warroom::app::{Msg, State, apply_journal, update};
use warroom::domain::{Action, ItemStatus, MarkState, Priority, RiskFigures};
use warroom::journal::{Appender, Entry, Follower, Position, read_all};
use warroom::plan::demo;

const ACTORS: [&str; 3] = ["mina", "joon", "ana"];
/// Ids the demo plan does not have: entries naming them are orphaned.
const GHOST_ITEMS: [&str; 2] = ["NO-SUCH-ITEM", "api-timeout"];
const GHOST_CHECKS: [&str; 2] = ["no-such-check", "API-TIMEOUT"];

/// A journal line an entry names: one already written, or one that is not.
#[derive(Debug, Clone)]
enum LineRef {
    /// One of the lines already written (line 1 when there is none yet).
    Earlier(Index),
    /// Line 0, or a line `k` past the last one written.
    Elsewhere(u64),
}

impl LineRef {
    fn resolve(&self, written: u64) -> u64 {
        match self {
            LineRef::Earlier(_) if written == 0 => 1,
            LineRef::Earlier(index) => {
                index.index(usize::try_from(written).expect("small journal")) as u64 + 1
            }
            LineRef::Elsewhere(0) => 0,
            LineRef::Elsewhere(k) => written + k,
        }
    }
}

/// An action whose line references are resolved when it is written.
#[derive(Debug, Clone)]
enum Draft {
    Ready(Action),
    Retract(LineRef),
}

#[derive(Debug, Clone)]
struct Step {
    actor: usize,
    draft: Draft,
    undoes: Option<LineRef>,
    /// Seconds after the first entry; not always increasing, as clocks of
    /// several machines are not.
    second: i64,
    /// The live seat reads what is new after this append.
    read_after: bool,
}

impl Step {
    /// The entry as written when `written` lines are already in the file.
    fn entry(&self, written: u64) -> Entry {
        let action = match &self.draft {
            Draft::Ready(action) => action.clone(),
            Draft::Retract(line) => Action::RetractNote {
                line: line.resolve(written),
            },
        };
        let mut entry = Entry::action(at(self.second), ACTORS[self.actor], action);
        entry.undoes = self.undoes.as_ref().map(|l| l.resolve(written));
        entry
    }
}

fn at(second: i64) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T22:41:00+09:00").expect("test time")
        + TimeDelta::seconds(second)
}

fn ids() -> (Vec<String>, Vec<String>) {
    let plan = demo::plan();
    let mut items: Vec<String> = plan.items.iter().map(|i| i.id.clone()).collect();
    items.extend(GHOST_ITEMS.iter().map(|s| s.to_string()));
    let mut checks: Vec<String> = plan.checklist.iter().map(|c| c.id.clone()).collect();
    checks.extend(GHOST_CHECKS.iter().map(|s| s.to_string()));
    (items, checks)
}

fn maybe_text(choices: &'static [&'static str]) -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        1 => Just(None),
        3 => prop::sample::select(choices).prop_map(|s| Some(s.to_string())),
    ]
}

fn line_ref() -> impl Strategy<Value = LineRef> {
    prop_oneof![
        6 => any::<Index>().prop_map(LineRef::Earlier),
        1 => (0u64..4).prop_map(LineRef::Elsewhere),
    ]
}

fn draft() -> impl Strategy<Value = Draft> {
    let (items, checks) = ids();
    let mark = prop::sample::select(vec![
        MarkState::Done,
        MarkState::Open,
        MarkState::NotApplicable,
    ]);
    let status = prop::sample::select(vec![
        ItemStatus::Untested,
        ItemStatus::InProgress,
        ItemStatus::Passed,
        ItemStatus::Failed,
    ]);
    let priority = prop::sample::select(vec![
        Priority::Critical,
        Priority::High,
        Priority::Medium,
        Priority::Low,
    ]);
    // Impact and likelihood 0 and 11 are out of range; so are these recoveries
    // but "2h", "90m", "1h 30m", " 4h " and "30d".
    let risk = (
        0u8..=11,
        0u8..=11,
        prop::sample::select(vec![
            "2h", "90m", "1h 30m", " 4h ", "30d", "31d", "0s", "soon", "",
        ]),
    )
        .prop_map(|(impact, likelihood, recovery)| RiskFigures {
            impact,
            likelihood,
            recovery: recovery.to_string(),
        });
    let item = prop::sample::select(items);
    prop_oneof![
        4 => (prop::sample::select(checks), mark, maybe_text(&["no schema change", "", "  "]))
            .prop_map(|(id, mark, reason)| Draft::Ready(Action::Check { id, mark, reason })),
        3 => (item.clone(), status)
            .prop_map(|(id, status)| Draft::Ready(Action::ItemStatus { id, status })),
        2 => (
            item.clone(),
            priority,
            maybe_text(&["payments", "", " "]),
            prop::option::weighted(0.8, risk),
        )
            .prop_map(|(id, priority, owner, risk)| Draft::Ready(Action::ItemEdit {
                id,
                priority,
                owner,
                risk,
            })),
        2 => (
            prop::option::weighted(0.6, item),
            prop::sample::select(vec!["CTO approved", "", "line one\nline two", "ß → ✓"]),
        )
            .prop_map(|(item, text)| Draft::Ready(Action::Note {
                item,
                text: text.to_string(),
            })),
        1 => line_ref().prop_map(Draft::Retract),
    ]
}

fn step() -> impl Strategy<Value = Step> {
    (
        0..ACTORS.len(),
        draft(),
        prop::option::weighted(0.2, line_ref()),
        -30i64..600,
        prop::bool::weighted(0.4),
    )
        .prop_map(|(actor, draft, undoes, second, read_after)| Step {
            actor,
            draft,
            undoes,
            second,
            read_after,
        })
}

fn steps() -> impl Strategy<Value = Vec<Step>> {
    prop::collection::vec(step(), 0..60)
}

/// The demo as it opens, built once (its charts take a while to fill in a
/// debug build) and cloned for each seat.
fn fresh() -> State {
    static DEMO: LazyLock<State> = LazyLock::new(common::demo_state);
    DEMO.clone()
}

/// The state of a seat that opens the war room now: the whole file replayed.
fn replayed(path: &Path) -> State {
    let batch = read_all(path).expect("the journal reads back");
    assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
    assert_eq!(batch.torn_tail, None);
    let mut state = fresh();
    apply_journal(&mut state, batch);
    state
}

fn journal() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("night.journal.jsonl");
    (dir, path)
}

/// What the follower has, fed to `state` as the loop feeds it.
fn follow(follower: &mut Follower, state: &mut State) -> Result<(), TestCaseError> {
    let batch = follower.read_new().expect("the follower reads");
    prop_assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
    prop_assert_eq!(batch.torn_tail.clone(), None);
    update(state, Msg::Journal(batch));
    Ok(())
}

/// Writes every step with the appender; the live seat reads where a step says.
fn write_and_follow(path: &Path, steps: &[Step], live: &mut State) -> Result<(), TestCaseError> {
    let appender = Appender::new(path.to_path_buf());
    let mut follower = Follower::new(path.to_path_buf(), Position::default());
    for (written, step) in (0u64..).zip(steps) {
        appender
            .append(&step.entry(written))
            .expect("the append is saved");
        if step.read_after {
            follow(&mut follower, live)?;
        }
    }
    follow(&mut follower, live)?;
    prop_assert_eq!(follower.position().lines, steps.len() as u64);
    Ok(())
}

/// 64 cases, a few seconds on two cores; `PROPTEST_CASES` asks for more.
fn config() -> ProptestConfig {
    let defaults = ProptestConfig::default();
    ProptestConfig {
        cases: match std::env::var_os("PROPTEST_CASES") {
            Some(_) => defaults.cases,
            None => 64,
        },
        // A failure prints its minimal case; nothing is written beside the tests.
        failure_persistence: None,
        ..defaults
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_live_seat_ends_where_a_replay_starts(steps in steps()) {
        let (_dir, path) = journal();
        let mut live = fresh();
        write_and_follow(&path, &steps, &mut live)?;

        let replay = replayed(&path);
        prop_assert_eq!(replay.night.ledger.log.len(), steps.len());
        prop_assert_eq!(&live.night.ledger, &replay.night.ledger);
        prop_assert_eq!(&live.view.item_order, &replay.view.item_order);
    }

    /// The same file, reappearing byte range by byte range as a writer's
    /// lines land, cut anywhere (mid-line included), read by a follower
    /// after each range.
    #[test]
    fn reads_split_anywhere_give_the_same_ledger(
        steps in steps(),
        cuts in prop::collection::vec(any::<Index>(), 0..20),
    ) {
        let (dir, path) = journal();
        let mut live = fresh();
        write_and_follow(&path, &steps, &mut live)?;
        // No step, no file: a missing journal is an empty one.
        let bytes = if steps.is_empty() {
            Vec::new()
        } else {
            fs::read(&path).expect("journal bytes")
        };

        let mut cuts: Vec<usize> = cuts.iter().map(|c| c.index(bytes.len() + 1)).collect();
        cuts.push(bytes.len());
        cuts.sort_unstable();
        let copy = dir.path().join("copy.journal.jsonl");
        let mut file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(&copy)
            .expect("copy journal");
        let mut follower = Follower::new(copy.clone(), Position::default());
        let mut split = fresh();
        let mut from = 0;
        for cut in cuts {
            file.write_all(&bytes[from..cut]).expect("write range");
            from = cut;
            follow(&mut follower, &mut split)?;
        }
        prop_assert_eq!(follower.position().offset, bytes.len() as u64);

        let replay = replayed(&path);
        prop_assert_eq!(&split.night.ledger, &replay.night.ledger);
        prop_assert_eq!(&split.view.item_order, &replay.view.item_order);
        prop_assert_eq!(&live.night.ledger, &replay.night.ledger);
    }
}

/// A writer thread appends while this thread follows at whatever moments the
/// scheduler gives it: the reads fall between (and, unlocked, possibly inside)
/// real appends.
#[test]
fn a_follower_racing_a_writer_gives_the_same_ledger() {
    let (_dir, path) = journal();
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let steps = prop::collection::vec(step(), 300)
        .new_tree(&mut runner)
        .expect("steps")
        .current();
    let writer = {
        let (path, steps) = (path.clone(), steps.clone());
        std::thread::spawn(move || {
            let appender = Appender::new(path);
            for (written, step) in (0u64..).zip(&steps) {
                appender
                    .append(&step.entry(written))
                    .expect("the append is saved");
            }
        })
    };
    let mut follower = Follower::new(path.clone(), Position::default());
    let mut live = fresh();
    let mut reads = 0;
    loop {
        let done = writer.is_finished();
        let batch = follower.read_new().expect("the follower reads");
        assert!(batch.skipped.is_empty(), "{:?}", batch.skipped);
        if !batch.lines.is_empty() {
            reads += 1;
        }
        update(&mut live, Msg::Journal(batch));
        if done {
            break;
        }
        std::thread::yield_now();
    }
    writer.join().expect("writer");
    assert_eq!(
        live.night.ledger.log.len(),
        steps.len(),
        "after {reads} reads"
    );
    let replay = replayed(&path);
    assert_eq!(live.night.ledger, replay.night.ledger);
    assert_eq!(live.view.item_order, replay.view.item_order);
}
