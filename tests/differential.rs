//! One night, one verdict: a scripted night played step by step through the
//! room (`update`, as the loop runs it) and through `warroom check --at` on
//! the files the room left behind. At every step both give the same verdict,
//! the same reason keys and the same word on the approval.
//!
//! The night: an item and a checklist entry marked, an approval, an HTTP
//! JSON metric with an outage (check reads what the seat recorded of it), a
//! JMeter result whose lines come late, crit runs before and after a gap,
//! and a new incident after the approval.

use std::io::Write;
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset, TimeDelta, Utc};
use warroom::app::{Effect, Msg, State, update};
use warroom::check::{CheckOptions, check};
use warroom::domain::{Action, ItemStatus, MarkState, Zone};
use warroom::journal::{Appender, Entry, Follower, Position, readings};
use warroom::metrics::Sample;
use warroom::plan::Plan;
use warroom::sources::jtl::{self, JtlFollower, JtlSignal};

const PLAN: &str = r#"
[release]
name = "Timeout fix"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "API-TIMEOUT"
title = "API timeout setting change"
priority = "critical"

[[checklist]]
id = "rollback-plan"
text = "Rollback plan ready"

[[metrics]]
name = "API p95"
unit = "ms"
source = { http_json = { url = "http://127.0.0.1:9/p95", pointer = "/p95" } }
interval = "5s"
crit = 500

[[metrics]]
name = "Load test p95"
unit = "ms"
source = { jtl = { path = "load.jtl", signal = "latency_p95" } }
interval = "1s"
crit = 500
"#;

const HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

/// 20:00 in Seoul on the deploy day, and `s` seconds after.
fn t(s: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2030-01-04T20:00:00+09:00")
        .expect("time")
        .to_utc()
        + TimeDelta::seconds(s)
}

fn seoul(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&FixedOffset::east_opt(9 * 3600).expect("offset"))
}

/// The room and the files it shares with `check`.
struct Night {
    _dir: tempfile::TempDir,
    plan_path: PathBuf,
    journal: PathBuf,
    jtl: PathBuf,
    state: State,
    follower: Follower,
    appender: Appender,
    load: JtlFollower,
    /// Each step's time and the room's word then.
    steps: Vec<(DateTime<Utc>, String, Word)>,
}

impl Night {
    fn new() -> Night {
        let dir = tempfile::tempdir().expect("temp dir");
        let plan_path = dir.path().join("night.toml");
        std::fs::write(&plan_path, PLAN).expect("plan");
        let plan = Plan::load(&plan_path).expect("valid plan");
        let journal = warroom::journal::path_for_plan(&plan_path);
        let jtl = dir.path().join("load.jtl");
        let mut state = State::new(plan, t(0), Zone::utc());
        state.actor = "mina".into();
        Night {
            follower: Follower::new(journal.clone(), Position::default()),
            appender: Appender::new(journal.clone()),
            load: JtlFollower::new(jtl.clone(), None),
            steps: Vec::new(),
            _dir: dir,
            plan_path,
            journal,
            jtl,
            state,
        }
    }

    /// Time moves on to `s`.
    fn at(&mut self, s: i64) {
        self.apply(Msg::Tick(t(s)));
    }

    fn apply(&mut self, msg: Msg) {
        for effect in update(&mut self.state, msg) {
            match effect {
                // What the loop does with the journal: append, then read back.
                Effect::Append(entry) => {
                    self.appender.append(&entry).expect("append");
                }
                Effect::Record(metric, samples) => {
                    let path = readings::path_for_journal(&self.journal);
                    readings::append(&path, &metric, &samples).expect("record");
                }
                Effect::Redraw
                | Effect::Bell
                | Effect::Quit
                | Effect::ReadRun { .. }
                | Effect::Post(_)
                | Effect::ReadDeployReport
                | Effect::PostLine(_)
                | Effect::WriteFile { .. } => {}
            }
        }
        let batch = self.follower.read_new().expect("follow");
        if !batch.lines.is_empty() {
            update(&mut self.state, Msg::Journal(batch));
        }
    }

    /// A person's action, written to the journal and read back.
    fn mark(&mut self, action: Action) {
        let entry = Entry::action(seoul(self.state.night.now), "mina", action);
        self.appender.append(&entry).expect("append");
        self.apply(Msg::Tick(self.state.night.now));
    }

    /// The HTTP JSON source answering `value` every 5 s over `[from, to]`,
    /// the clock moving with it.
    fn p95(&mut self, from: i64, to: i64, value: f64) {
        for s in (from..=to).step_by(5) {
            self.at(s);
            let sample = Sample { at: t(s), value };
            self.apply(Msg::Samples(0, vec![sample]));
        }
    }

    /// JMeter writing `lines` (start ms after 20:00, elapsed, ok), then the
    /// room's follower reading for a few intervals.
    fn jmeter(&mut self, lines: &[(i64, u32, bool)]) {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&self.jtl)
            .expect("jtl");
        if file.metadata().expect("size").len() == 0 {
            file.write_all(HEADER.as_bytes()).expect("header");
        }
        for (start, elapsed, ok) in lines {
            let ms = t(0).timestamp_millis() + start;
            let code = if *ok { 200 } else { 504 };
            writeln!(
                file,
                "{ms},{elapsed},API,{code},OK,TG 1-1,text,{ok},,512,128,10,10,http://127.0.0.1/api,{elapsed},0,3"
            )
            .expect("write");
        }
        for _ in 0..4 {
            let step = self.load.read_chunk(jtl::CHUNK).expect("read");
            let samples = jtl::samples(JtlSignal::LatencyP95, &step.seconds);
            if !samples.is_empty() {
                self.apply(Msg::Samples(1, samples));
            }
            self.apply(Msg::Health(1, warroom::metrics::Health::Ok));
        }
    }

    /// `check` on the files as they are, judging the night at `now`.
    fn check_word(&self, now: DateTime<Utc>, pinned: bool) -> Word {
        let checked = check(
            &self.plan_path,
            CheckOptions {
                journal: None,
                now,
                pinned,
                require_approval: false,
            },
        )
        .expect("check");
        Word {
            go: checked.verdict.go(),
            keys: checked.verdict.reasons.iter().map(|r| r.key()).collect(),
            stale: checked
                .night
                .ledger
                .approval()
                .map(|a| a.is_stale(&checked.verdict)),
        }
    }

    /// A seat that starts now, from the files: the journal replayed, the
    /// readings the other seat recorded, the result file read from the start.
    fn late_seat(&self) -> Word {
        let plan = Plan::load(&self.plan_path).expect("plan");
        let mut seat = State::new(plan, self.state.night.now, Zone::utc());
        let replay = warroom::journal::read_all(&self.journal).expect("replay");
        warroom::app::apply_journal(&mut seat, replay);
        seat.night
            .recall_readings(&readings::path_for_journal(&self.journal));
        let mut load = JtlFollower::new(self.jtl.clone(), None);
        for _ in 0..4 {
            // No file yet is a source down, as the room's follower says.
            let health = match load.read_chunk(jtl::CHUNK) {
                Ok(step) => {
                    let samples = jtl::samples(JtlSignal::LatencyP95, &step.seconds);
                    update(&mut seat, Msg::Samples(1, samples));
                    warroom::metrics::Health::Ok
                }
                Err(e) => warroom::metrics::Health::Down(e.to_string()),
            };
            update(&mut seat, Msg::Health(1, health));
        }
        let v = warroom::night::verdict(&seat.night);
        Word {
            go: v.go(),
            keys: v.reasons.iter().map(|r| r.key()).collect(),
            stale: seat.night.ledger.approval().map(|a| a.is_stale(&v)),
        }
    }

    /// The room's word and check's word, side by side.
    fn both(&self) -> (Word, Word) {
        let room = warroom::night::verdict(&self.state.night);
        let room = Word {
            go: room.go(),
            keys: room.reasons.iter().map(|r| r.key()).collect(),
            stale: self
                .state
                .night
                .ledger
                .approval()
                .map(|a| a.is_stale(&room)),
        };
        (room, self.check_word(self.state.night.now, false))
    }

    fn agree(&mut self, step: &str) -> Word {
        let (room, check) = self.both();
        assert_eq!(room, check, "{step}: the room and check disagree");
        assert_eq!(
            self.late_seat(),
            room,
            "{step}: a seat started now disagrees"
        );
        self.steps
            .push((self.state.night.now, step.to_string(), room.clone()));
        room
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Word {
    go: bool,
    keys: Vec<String>,
    stale: Option<bool>,
}

fn keys(word: &Word) -> Vec<&str> {
    word.keys.iter().map(String::as_str).collect()
}

/// A load test of 20 seconds at 10 calls a second, 120–300 ms, each line
/// written when its call ends.
fn load_test() -> Vec<(i64, u32, bool)> {
    let mut calls: Vec<(i64, u32, bool)> = (0..200)
        .map(|n| (60_000 + n * 100, 120 + (n as u32 * 37) % 180, true))
        .collect();
    calls.sort_by_key(|(start, elapsed, _)| start + i64::from(*elapsed));
    calls
}

#[test]
fn the_room_and_check_agree_at_every_step_of_the_night() {
    let mut n = Night::new();
    assert!(Path::new(&n.plan_path).exists());

    // 20:00: nothing read, nothing marked. Unknown is not fine.
    let w = n.agree("20:00, nothing yet");
    assert!(!w.go);
    assert_eq!(
        keys(&w),
        [
            "item_not_passed:API-TIMEOUT",
            "checklist_open:rollback-plan",
            "metric_unread:API p95",
            "metric_unread:Load test p95",
        ]
    );

    // The source answers, the load test runs, the marks are made.
    n.at(5);
    n.p95(5, 90, 200.0);
    n.jmeter(&load_test());
    n.at(90);
    n.mark(Action::ItemStatus {
        id: "API-TIMEOUT".into(),
        status: ItemStatus::Passed,
    });
    n.mark(Action::Check {
        id: "rollback-plan".into(),
        mark: MarkState::Done,
        reason: None,
    });
    let w = n.agree("20:01:30, marked and read");
    assert!(w.go, "{w:?}");
    assert_eq!(keys(&w), Vec::<&str>::new());

    // Approved at 20:02.
    n.p95(95, 120, 200.0);
    n.mark(Action::Approve {
        statement: "QA approves".into(),
        override_reason: None,
        go: true,
        reasons: vec![],
    });
    let w = n.agree("20:02, approved");
    assert_eq!((w.go, w.stale), (true, Some(false)));

    // The HTTP source goes quiet: not known to be fine, in both.
    n.at(200);
    let w = n.agree("20:03:20, the source down since 20:02");
    assert!(!w.go);
    assert_eq!(keys(&w), ["metric_unread:API p95"]);
    assert_eq!(w.stale, Some(true), "a blocker the approval did not accept");

    // Back, and a JMeter line comes late for an early second of the test.
    n.p95(205, 300, 200.0);
    n.jmeter(&[(60_400, 900, false)]);
    n.at(300);
    let w = n.agree("20:05, a late JMeter line");
    assert!(w.go, "one slow call is not a held crit: {w:?}");

    // Crit before and after a gap: two short runs, not one long one.
    n.p95(305, 320, 700.0);
    n.at(500);
    n.p95(500, 515, 700.0);
    let w = n.agree("20:08:35, crit either side of a three-minute gap");
    assert!(w.go, "16 s and 16 s are not 30 s held: {w:?}");

    // A new incident after the approval: crit held 60 s.
    n.p95(520, 580, 650.0);
    n.at(580);
    let w = n.agree("20:09:40, an incident");
    assert!(!w.go);
    assert_eq!(keys(&w), ["metric_crit:API p95"]);
    assert_eq!(w.stale, Some(true));

    // It passes; the incident still makes the approval stale, in both.
    n.p95(585, 700, 200.0);
    n.at(700);
    let w = n.agree("20:11:40, over, but after the approval");
    assert_eq!(keys(&w), ["metric_crit:API p95"], "still in the window");
    n.p95(705, 1300, 200.0);
    n.at(1300);
    let w = n.agree("20:21:40, out of the window");
    assert!(w.go);
    assert_eq!(w.stale, Some(true), "an incident after it, whatever metric");

    // Afterwards, `check --at` each step's time says what the room said
    // then: what was written later is not read.
    for (at, step, room) in n.steps.clone() {
        assert_eq!(n.check_word(at, true), room, "check --at {step}");
    }
}
