//! The journal's two costs a person can feel:
//!
//! - the replay at start: 100,000 lines read with `read_all` and applied to a
//!   fresh demo state with `apply_journal` (target: under 200 ms);
//! - one append, fsync included: what stands between a key and "saved".
//!   Criterion reports its distribution; a plain run of timed appends then
//!   prints the median and p99 so the figures can be quoted.
//!
//! The journals live under Cargo's target tmp dir, on the project's disk:
//! `/tmp` may be a tmpfs, where an fsync costs nothing.

#[path = "../tests/common/mod.rs"]
mod common;

use std::fs::File;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::{Duration, Instant};

use chrono::{DateTime, FixedOffset, TimeDelta};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use warroom::app::apply_journal;
use warroom::domain::{Action, ItemStatus, MarkState, Priority, RiskFigures};
use warroom::journal::{Appender, Entry, read_all};

const REPLAY_LINES: u64 = 100_000;
const TIMED_APPENDS: usize = 2_000;
const ACTORS: [&str; 4] = ["mina", "joon", "ana", "dev-lead"];

/// A small deterministic generator: the same journal on every run.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, sides: u64) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) % sides
    }

    fn pick<'a>(&mut self, from: &'a [String]) -> &'a str {
        &from[self.roll(from.len() as u64) as usize]
    }
}

fn at(second: u64) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T16:40:00+09:00").expect("bench time")
        + TimeDelta::seconds(i64::try_from(second).expect("small count"))
}

/// A deploy night's mix: mostly marks, status changes and notes; some edits
/// (a few with figures the plan refuses), retracted notes, undos of recent
/// lines, and ids the plan does not have.
fn night(lines: u64) -> Vec<Entry> {
    let plan = warroom::plan::demo::plan();
    let mut items: Vec<String> = plan.items.iter().map(|i| i.id.clone()).collect();
    let mut checks: Vec<String> = plan.checklist.iter().map(|c| c.id.clone()).collect();
    items.push("GONE-ITEM".into());
    checks.push("gone-check".into());
    let statuses = [
        ItemStatus::InProgress,
        ItemStatus::Passed,
        ItemStatus::Failed,
        ItemStatus::Untested,
    ];
    let priorities = [Priority::Critical, Priority::High, Priority::Medium];
    let mut dice = Dice(0x5EED_CAFE_F00D_0001);
    let mut notes: Vec<u64> = Vec::new();
    let mut entries = Vec::new();
    for line in 1..=lines {
        let actor = ACTORS[dice.roll(ACTORS.len() as u64) as usize];
        let roll = dice.roll(100);
        let action = match roll {
            0..30 => Action::Check {
                id: dice.pick(&checks).into(),
                mark: MarkState::Done,
                reason: None,
            },
            30..35 => Action::Check {
                id: dice.pick(&checks).into(),
                mark: MarkState::Open,
                reason: None,
            },
            35..40 => Action::Check {
                id: dice.pick(&checks).into(),
                mark: MarkState::NotApplicable,
                reason: Some("no schema change tonight".into()),
            },
            40..62 => Action::ItemStatus {
                id: dice.pick(&items).into(),
                status: statuses[dice.roll(4) as usize],
            },
            62..72 => Action::ItemEdit {
                id: dice.pick(&items).into(),
                priority: priorities[dice.roll(3) as usize],
                owner: Some("payments".into()),
                risk: Some(RiskFigures {
                    impact: 1 + dice.roll(11) as u8,
                    likelihood: 1 + dice.roll(10) as u8,
                    recovery: ["2h", "30m", "1h 30m"][dice.roll(3) as usize].into(),
                }),
            },
            72..95 => {
                notes.push(line);
                let item = match dice.roll(3) {
                    0 => None,
                    _ => Some(dice.pick(&items).to_string()),
                };
                Action::Note {
                    item,
                    text: format!("checked the dashboard with {actor}, all green at line {line}"),
                }
            }
            _ => match notes.len() {
                0 => Action::RetractNote { line: 1 },
                n => Action::RetractNote {
                    line: notes[n - 1 - dice.roll(n.min(20) as u64) as usize],
                },
            },
        };
        let mut entry = Entry::action(at(line), actor, action);
        // One line in 30 takes back one of the last few.
        if line > 10 && dice.roll(30) == 0 {
            entry.undoes = Some(line - 1 - dice.roll(10));
        }
        entries.push(entry);
    }
    entries
}

/// Writes the lines as `Appender::append` does (`to_line` and a newline), in
/// one go: 100,000 fsyncs would only slow the setup.
fn write_journal(path: &Path, entries: &[Entry]) {
    let mut out = BufWriter::new(File::create(path).expect("bench journal"));
    for entry in entries {
        out.write_all(entry.to_line().as_bytes()).expect("write");
        out.write_all(b"\n").expect("write");
    }
    out.flush().expect("flush");
}

fn bench_dir() -> tempfile::TempDir {
    tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).expect("bench dir")
}

fn replay(c: &mut Criterion) {
    let dir = bench_dir();
    let path = dir.path().join("night.journal.jsonl");
    write_journal(&path, &night(REPLAY_LINES));
    let size = std::fs::metadata(&path).expect("journal size").len();
    let demo = common::demo_state();
    let batch = read_all(&path).expect("the bench journal reads");
    assert_eq!(batch.lines.len() as u64, REPLAY_LINES);
    let mut check = demo.clone();
    apply_journal(&mut check, batch.clone());
    let undone = check.night.ledger.log.iter().filter(|l| l.undone).count();
    println!(
        "replay journal: {REPLAY_LINES} lines, {:.1} MB, {undone} lines undone",
        size as f64 / 1e6
    );

    let mut group = c.benchmark_group("journal replay");
    group.sample_size(10);
    group.bench_function("read_all + apply_journal, 100k lines", |b| {
        b.iter_batched(
            || demo.clone(),
            |mut state| {
                let batch = read_all(black_box(&path)).expect("read");
                apply_journal(&mut state, batch);
                state
            },
            BatchSize::LargeInput,
        );
    });
    group.bench_function("read_all only, 100k lines", |b| {
        b.iter(|| read_all(black_box(&path)).expect("read"));
    });
    group.bench_function("apply_journal only, 100k lines", |b| {
        b.iter_batched(
            || (demo.clone(), batch.clone()),
            |(mut state, batch)| {
                apply_journal(&mut state, batch);
                state
            },
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

fn one_entry(i: usize) -> Entry {
    Entry::action(
        at(i as u64),
        "mina",
        Action::Check {
            id: "rollback-plan".into(),
            mark: if i.is_multiple_of(2) {
                MarkState::Done
            } else {
                MarkState::Open
            },
            reason: None,
        },
    )
}

fn append(c: &mut Criterion) {
    let dir = bench_dir();
    let appender = Appender::new(dir.path().join("night.journal.jsonl"));
    let mut i = 0;
    c.bench_function("append one entry, fsynced", |b| {
        b.iter(|| {
            i += 1;
            appender.append(black_box(&one_entry(i))).expect("append");
        });
    });

    // A fresh journal, timed one append at a time.
    let dir = bench_dir();
    let appender = Appender::new(dir.path().join("timed.journal.jsonl"));
    let entries: Vec<Entry> = (0..TIMED_APPENDS).map(one_entry).collect();
    let mut times: Vec<Duration> = entries
        .iter()
        .map(|entry| {
            let start = Instant::now();
            appender.append(entry).expect("append");
            start.elapsed()
        })
        .collect();
    times.sort_unstable();
    let quantile = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    println!(
        "append with fsync, {TIMED_APPENDS} timed appends: median {:?}, p99 {:?}, max {:?}",
        quantile(50),
        quantile(99),
        times[times.len() - 1]
    );
}

criterion_group!(benches, replay, append);
criterion_main!(benches);
