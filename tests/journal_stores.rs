//! The journal's guarantees, once for each store: the file beside the plan
//! and a release on a real PostgreSQL. Each scenario runs two seats on one
//! journal and replays it as a night: order, follow, lines the night
//! refuses, undo and its refusals across seats, an alert written once, a
//! torn line, and both seats ending in the same state.

mod common;

use std::sync::Arc;

use chrono::{DateTime, FixedOffset, Utc};
use warroom::domain::action::AlertFigures;
use warroom::domain::ledger::{Outcome, UndoRefused};
use warroom::domain::{Action, MarkState};
use warroom::journal::postgres::{PgStore, as_file};
use warroom::journal::{Entry, FileStore, Position, Store};
use warroom::night::Night;
use warroom::plan::demo;

/// Opens a seat on the journal under test.
type Seat = Box<dyn Fn() -> Arc<dyn Store>>;

type Scenario = fn(&Seat);

fn at() -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339("2026-11-27T22:41:00+09:00").expect("time")
}

fn by(actor: &str, seat: &str, action: Action) -> Entry {
    let mut entry = Entry::action(at(), actor, action);
    entry.seat = Some(seat.to_string());
    entry
}

fn check(id: &str) -> Action {
    Action::Check {
        id: id.into(),
        mark: MarkState::Done,
        reason: None,
    }
}

/// The night as a seat that starts now would see it.
fn night_of(store: &dyn Store) -> Night {
    let plan = demo::plan();
    let mut night = Night::new(plan, Utc::now());
    night.apply(&store.replay().expect("replay"));
    night
}

/// An entry of the demo's checklist, by position.
fn entry_id(n: usize) -> String {
    demo::plan().checklist[n].id.clone()
}

fn replay_and_follow(seat: &Seat) {
    let (a, b) = (seat(), seat());
    let mut follow = b.follow(Position::default());
    for n in 0..3 {
        a.append(&by("mina", "laptop-1", check(&entry_id(n))))
            .expect("append");
    }
    let read = follow.read_new().expect("follow");
    let numbers: Vec<u64> = read.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    b.append(&by("joon", "laptop-2", check(&entry_id(3))))
        .expect("append");
    let read = follow.read_new().expect("follow");
    assert_eq!(read.lines.len(), 1, "its own line too");
    assert_eq!(read.lines[0].entry.actor, "joon");
    let replayed = seat().replay().expect("replay");
    assert_eq!(replayed.lines.len(), 4);
    assert_eq!(replayed.position, read.position);
    assert!(follow.read_new().expect("nothing new").lines.is_empty());
}

fn refused_lines_are_refused_by_every_seat(seat: &Seat) {
    let a = seat();
    a.append(&by("mina", "laptop-1", check("no-such-entry")))
        .expect("append");
    a.append(&by("mina", "laptop-1", check(&entry_id(0))))
        .expect("append");
    for store in [a, seat()] {
        let night = night_of(store.as_ref());
        let outcomes: Vec<bool> = night
            .ledger
            .log
            .iter()
            .map(|l| l.outcome == Outcome::Applied)
            .collect();
        assert_eq!(outcomes, [false, true], "the same on every seat");
    }
}

fn undo_and_its_refusals_across_seats(seat: &Seat) {
    let (a, b) = (seat(), seat());
    let first = entry_id(0);
    a.append(&by("mina", "laptop-1", check(&first)))
        .expect("append");
    // Another machine has nothing of its own to take back.
    let night = night_of(b.as_ref());
    assert_eq!(
        night.ledger.undo_for("joon", Some("laptop-2")),
        Err(UndoRefused::Nothing)
    );
    // Another person changes the same entry since: mina's undo would
    // silently revert it, so it is refused on her machine.
    b.append(&by(
        "joon",
        "laptop-2",
        Action::Check {
            id: first.clone(),
            mark: MarkState::NotApplicable,
            reason: Some("covered by the smoke test".into()),
        },
    ))
    .expect("append");
    let night = night_of(a.as_ref());
    assert!(matches!(
        night.ledger.undo_for("mina", Some("laptop-1")),
        Err(UndoRefused::ChangedSince { ref by, .. }) if by.actor == "joon"
    ));
    // joon takes his back from his machine; mina's mark shows again on both.
    let night = night_of(b.as_ref());
    let (line, undo) = night
        .ledger
        .undo_for("joon", Some("laptop-2"))
        .expect("his own, latest");
    assert_eq!(line, 2);
    let mut entry = by("joon", "laptop-2", undo);
    entry.undoes = Some(line);
    b.append(&entry).expect("append the undo");
    let marks = [&a, &b].map(|store| night_of(store.as_ref()).ledger.marks[0].clone());
    let mark = marks[0].as_ref().expect("marked");
    assert_eq!(mark.state, MarkState::Done, "mina's mark again");
    assert_eq!(mark.stamp.actor, "joon", "by joon's undo");
    assert_eq!(marks[0], marks[1], "the same on both machines");
    // An undo of a line already taken back is refused when replayed, the
    // same on both machines.
    let mut again = by(
        "joon",
        "laptop-2",
        Action::Check {
            id: first,
            mark: MarkState::Done,
            reason: None,
        },
    );
    again.undoes = Some(2);
    a.append(&again).expect("append");
    let outcome = |store: &Arc<dyn Store>| {
        night_of(store.as_ref())
            .ledger
            .log
            .last()
            .map(|l| l.outcome.clone())
    };
    assert_ne!(outcome(&a), Some(Outcome::Applied));
    assert_eq!(outcome(&a), outcome(&b));
}

fn an_alert_is_written_once(seat: &Seat) {
    let (a, b) = (seat(), seat());
    let figures = AlertFigures {
        metric: "API p95".into(),
        unit: "ms".into(),
        value: 612.0,
        limit: 500.0,
        since: DateTime::parse_from_rfc3339("2026-11-27T23:20:10+09:00").expect("time"),
        held_secs: 30,
    };
    let start = Entry::action(at(), "mina", Action::AlertStart(figures.clone()));
    assert!(a.append_once(&start).expect("first").is_some());
    assert_eq!(b.append_once(&start).expect("second"), None);
    let end = Entry::action(at(), "joon", Action::AlertEnd(figures.clone()));
    assert!(b.append_once(&end).expect("end").is_some());
    assert_eq!(a.append_once(&end).expect("end again"), None);
    // The same alert never starts twice; held again later, it is a new one.
    assert_eq!(a.append_once(&start).expect("the same again"), None);
    let later = AlertFigures {
        since: DateTime::parse_from_rfc3339("2026-11-27T23:40:00+09:00").expect("time"),
        ..figures
    };
    let again = Entry::action(at(), "joon", Action::AlertStart(later));
    assert!(b.append_once(&again).expect("again").is_some());
    assert_eq!(a.append_once(&again).expect("again, other seat"), None);
    assert_eq!(seat().replay().expect("replay").lines.len(), 3);
}

fn both_seats_end_in_one_state(seat: &Seat) {
    let (a, b) = (seat(), seat());
    let writers: Vec<_> = [(a.clone(), "mina"), (b.clone(), "joon")]
        .into_iter()
        .map(|(store, who)| {
            std::thread::spawn(move || {
                for n in 0..30 {
                    store
                        .append(&by(who, who, check(&entry_id(n))))
                        .expect("append");
                }
            })
        })
        .collect();
    for w in writers {
        w.join().expect("writer");
    }
    let (one, two) = (night_of(a.as_ref()), night_of(b.as_ref()));
    assert_eq!(one.ledger.log.len(), 60);
    assert_eq!(one.ledger.marks, two.ledger.marks);
    assert_eq!(one.ledger.log, two.ledger.log);
}

fn every_scenario(name: &str, make: impl Fn() -> Seat) {
    let scenarios: [(&str, Scenario); 5] = [
        ("replay and follow", replay_and_follow),
        ("refused lines", refused_lines_are_refused_by_every_seat),
        ("undo across seats", undo_and_its_refusals_across_seats),
        ("an alert once", an_alert_is_written_once),
        ("one state", both_seats_end_in_one_state),
    ];
    for (scenario, run) in scenarios {
        eprintln!("{name}: {scenario}");
        run(&make());
    }
}

#[test]
fn the_file_store_keeps_every_guarantee() {
    let dir = tempfile::tempdir().expect("dir");
    let n = std::cell::Cell::new(0);
    every_scenario("file", || {
        // A journal of its own for each scenario.
        n.set(n.get() + 1);
        let path = dir.path().join(format!("night-{}.journal.jsonl", n.get()));
        Box::new(move || Arc::new(FileStore::new(path.clone())) as Arc<dyn Store>)
    });
}

#[test]
fn the_postgres_store_keeps_every_guarantee() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    let url = pg.url();
    let n = std::cell::Cell::new(0);
    every_scenario("postgres", || {
        // A release of its own for each scenario, in the one database.
        n.set(n.get() + 1);
        let (url, release) = (url.clone(), format!("night-{}", n.get()));
        Box::new(move || {
            Arc::new(PgStore::connect(&url, &release).expect("connect")) as Arc<dyn Store>
        })
    });
}

/// A line cut off by a crash in a file journal keeps its number on the
/// database, so an undo naming a later line still names the right one.
#[test]
fn a_torn_line_keeps_its_number_in_both_stores() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("night.journal.jsonl");
    let file = FileStore::new(path.clone());
    file.append(&by("mina", "laptop-1", check(&entry_id(0))))
        .expect("append");
    let mut bytes = std::fs::read(&path).expect("read");
    bytes.extend_from_slice(br#"{"v":1,"at":"2026-11-27T22:4"#);
    std::fs::write(&path, &bytes).expect("a crash mid-write");
    file.append(&by("mina", "laptop-1", check(&entry_id(1))))
        .expect("append seals the torn line");
    let from_file = file.replay().expect("replay");
    let numbers: Vec<u64> = from_file.lines.iter().map(|l| l.number).collect();
    // Line 2 is the torn one, line 3 the record that closed it.
    assert_eq!(numbers, [1, 4]);
    assert_eq!(from_file.skipped.len(), 1, "the torn line, said");

    let db = PgStore::connect(&pg.url(), "friday").expect("connect");
    db.import(&from_file).expect("import");
    let night = night_of(&db);
    let (line, undo) = night
        .ledger
        .undo_for("mina", Some("laptop-1"))
        .expect("her latest");
    assert_eq!(line, 4, "the number it had in the file");
    let mut entry = by("mina", "laptop-1", undo);
    entry.undoes = Some(line);
    assert_eq!(db.append(&entry).expect("append"), 5);
    let roles: Vec<Option<String>> = db
        .replay()
        .expect("replay")
        .lines
        .into_iter()
        .map(|l| l.role)
        .collect();
    assert_eq!(
        roles,
        [None, None, Some("warroom".to_string())],
        "imported lines were written by no role"
    );
    let night = night_of(&db);
    assert!(
        night.ledger.marks[1]
            .as_ref()
            .is_none_or(|m| m.state == MarkState::Open),
        "taken back"
    );
    assert!(night.ledger.marks[0].is_some());
    // And back to a file, the torn line a closed gap of its own.
    let back = as_file(&db.replay().expect("replay"));
    let back_path = dir.path().join("back.journal.jsonl");
    std::fs::write(&back_path, back).expect("write");
    let numbers: Vec<u64> = FileStore::new(back_path)
        .replay()
        .expect("replay")
        .lines
        .iter()
        .map(|l| l.number)
        .collect();
    assert_eq!(numbers, [1, 4, 5]);
}
