//! The journal on a real PostgreSQL (a throw-away cluster of the test's
//! own): replay and follow in order, two seat processes' lines interleaved but
//! never lost, the order a follower reads a true prefix even when two
//! appends race, an alert written once, and the connection string never in
//! an error.

mod common;

use std::sync::Arc;
use std::time::Duration;

use chrono::DateTime;
use warroom::domain::Action;
use warroom::domain::action::AlertFigures;
use warroom::journal::postgres::PgStore;
use warroom::journal::{Entry, Position, Store};

fn note(n: usize) -> Entry {
    Entry::action(
        DateTime::parse_from_rfc3339("2026-11-27T22:40:00+09:00").expect("time"),
        "mina",
        Action::Note {
            item: None,
            text: format!("note {n}"),
        },
    )
}

fn texts(store: &PgStore) -> Vec<String> {
    store
        .replay()
        .expect("replay")
        .lines
        .iter()
        .map(|l| {
            l.entry
                .action
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default()
        })
        .collect()
}

#[test]
fn appends_replay_and_follow_in_order() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    let store = PgStore::connect(&pg.url(), "friday").expect("connect");
    assert_eq!(store.replay().expect("empty").lines.len(), 0);
    let mut follower = store.follow(Position::default());
    for n in 1..=3 {
        assert_eq!(store.append(&note(n)).expect("append"), n as u64);
    }
    let batch = follower.read_new().expect("follow");
    let numbers: Vec<u64> = batch.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, [1, 2, 3]);
    // Each line with the role that wrote it, beside the name it gives.
    assert_eq!(batch.lines[0].entry.actor, "mina");
    assert_eq!(batch.lines[0].role.as_deref(), Some("warroom"));
    assert_eq!(
        texts(&store),
        ["note: note 1", "note: note 2", "note: note 3"]
    );
    assert!(follower.read_new().expect("nothing new").lines.is_empty());
    // Another release in the same database is a journal of its own.
    let other = PgStore::connect(&pg.url(), "monday").expect("connect");
    assert!(other.replay().expect("replay").lines.is_empty());
}

const URL_VAR: &str = "WARROOM_TEST_PG_SEAT_URL";
const ACTOR_VAR: &str = "WARROOM_TEST_PG_SEAT_ACTOR";
const PER_SEAT: usize = 500;

/// One seat in a process of its own: appends its 500 lines, then follows
/// until it has read all 1,000 and prints its night's log, as a seat would
/// show it. Does nothing unless the parent named a database for it.
#[test]
fn pg_seat_child() {
    let Ok(url) = std::env::var(URL_VAR) else {
        return;
    };
    let actor = std::env::var(ACTOR_VAR).expect("actor");
    let store = PgStore::connect(&url, "friday").expect("connect");
    for n in 0..PER_SEAT {
        let action = if n % 2 == 0 {
            Action::Note {
                item: None,
                text: format!("{actor} {n}"),
            }
        } else {
            Action::ItemStatus {
                id: "API-TIMEOUT".into(),
                status: if n % 4 == 1 {
                    warroom::domain::ItemStatus::Passed
                } else {
                    warroom::domain::ItemStatus::Failed
                },
            }
        };
        let at = DateTime::parse_from_rfc3339("2026-11-27T22:40:00+09:00").expect("t");
        store
            .append(&Entry::action(at, &actor, action))
            .expect("append");
    }
    let mut night = warroom::night::Night::new(warroom::plan::demo::plan(), chrono::Utc::now());
    let mut follower = store.follow(Position::default());
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while night.ledger.log.len() < 2 * PER_SEAT {
        assert!(
            std::time::Instant::now() < deadline,
            "the other seat's lines"
        );
        night.apply(&follower.read_new().expect("follow"));
        std::thread::sleep(Duration::from_millis(20));
    }
    for l in &night.ledger.log {
        println!(
            "SEAT {} {} {} {:?}",
            l.entry.line, l.entry.stamp.actor, l.entry.action, l.outcome
        );
    }
    println!("SEAT status {:?}", night.ledger.items[0].status);
}

#[test]
fn two_processes_500_lines_each_one_order_for_all() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    PgStore::connect(&pg.url(), "friday").expect("the schema, made once");
    let seats: Vec<_> = ["mina", "joon"]
        .into_iter()
        .map(|actor| {
            std::process::Command::new(std::env::current_exe().expect("test binary"))
                .args([
                    "--exact",
                    "pg_seat_child",
                    "--nocapture",
                    "--test-threads=1",
                ])
                .env(URL_VAR, pg.url())
                .env(ACTOR_VAR, actor)
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::piped())
                .spawn()
                .expect("seat process")
        })
        .collect();
    // A seat that hangs is killed after two minutes rather than holding
    // the suite.
    let pids: Vec<i32> = seats.iter().map(|s| s.id() as i32).collect();
    let (finished, watchdog) = std::sync::mpsc::channel::<()>();
    std::thread::spawn(move || {
        if watchdog.recv_timeout(Duration::from_secs(120)).is_err() {
            for pid in pids {
                // SAFETY: a plain signal to a child this test started.
                unsafe { libc::kill(pid, libc::SIGKILL) };
            }
        }
    });
    let logs: Vec<Vec<String>> = seats
        .into_iter()
        .map(|seat| {
            let out = seat.wait_with_output().expect("seat ends");
            assert!(out.status.success(), "a seat failed");
            String::from_utf8_lossy(&out.stdout)
                .lines()
                // The harness may print its own words before the first.
                .filter_map(|l| l.split_once("SEAT ").map(|(_, seat)| seat))
                .map(str::to_string)
                .collect()
        })
        .collect();
    let _ = finished.send(());
    assert_eq!(logs[0].len(), 2 * PER_SEAT + 1, "every line and the state");
    assert_eq!(logs[0], logs[1], "the same night on both");
    let store = PgStore::connect(&pg.url(), "friday").expect("connect");
    let batch = store.replay().expect("replay");
    let numbers: Vec<u64> = batch.lines.iter().map(|l| l.number).collect();
    assert_eq!(numbers, (1..=1000).collect::<Vec<u64>>());
    // Each seat's own lines kept their order inside the one sequence.
    for actor in ["mina", "joon"] {
        let notes: Vec<String> = batch
            .lines
            .iter()
            .filter(|l| l.entry.actor == actor)
            .filter_map(|l| match &l.entry.action {
                Some(Action::Note { text, .. }) => Some(text.clone()),
                _ => None,
            })
            .collect();
        let expected: Vec<String> = (0..PER_SEAT)
            .step_by(2)
            .map(|n| format!("{actor} {n}"))
            .collect();
        assert_eq!(notes, expected);
    }
}

#[test]
fn a_follower_never_reads_past_an_append_still_committing() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    let store = Arc::new(PgStore::connect(&pg.url(), "friday").expect("connect"));
    store.append(&note(1)).expect("first");
    // A writer holds the release's lock mid-append, its line inserted but
    // not committed, as a slow seat would.
    let mut slow = postgres::Client::connect(&pg.url(), postgres::NoTls).expect("connect");
    let mut tx = slow.transaction().expect("begin");
    tx.execute(
        "SELECT pg_advisory_xact_lock(hashtextextended('friday', 0))",
        &[],
    )
    .expect("lock");
    tx.execute(
        "INSERT INTO warroom_journal (release, seq, line) VALUES ('friday', 2, $1)",
        &[&note(2).to_line()],
    )
    .expect("insert");
    // Another seat appends meanwhile: it waits for the lock, not past it.
    let fast = {
        let store = store.clone();
        std::thread::spawn(move || store.append(&note(3)).expect("append"))
    };
    std::thread::sleep(Duration::from_millis(300));
    let mut follower = store.follow(Position {
        offset: 1,
        lines: 1,
    });
    assert!(
        follower.read_new().expect("read").lines.is_empty(),
        "nothing committed after line 1 yet"
    );
    tx.commit().expect("commit");
    assert_eq!(fast.join().expect("fast"), 3, "numbered after the slow one");
    let read: Vec<u64> = follower
        .read_new()
        .expect("read")
        .lines
        .iter()
        .map(|l| l.number)
        .collect();
    assert_eq!(read, [2, 3], "a true prefix, in order");
}

#[test]
fn an_alert_seen_by_two_seats_is_written_once() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    let a = PgStore::connect(&pg.url(), "friday").expect("connect");
    let b = PgStore::connect(&pg.url(), "friday").expect("connect");
    let alert = Entry::action(
        DateTime::parse_from_rfc3339("2026-11-27T23:20:40+09:00").expect("time"),
        "mina",
        Action::AlertStart(AlertFigures {
            metric: "API latency p95".into(),
            unit: "ms".into(),
            limit: 500.0,
            value: 612.0,
            since: DateTime::parse_from_rfc3339("2026-11-27T23:20:10+09:00").expect("time"),
            held_secs: 30,
        }),
    );
    assert_eq!(a.append_once(&alert).expect("first"), Some(1));
    assert_eq!(b.append_once(&alert).expect("second"), None);
    assert_eq!(a.replay().expect("replay").lines.len(), 1);
}

#[test]
fn a_newer_schema_and_a_dead_server_are_said_without_the_connection_string() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    PgStore::connect(&pg.url(), "friday").expect("creates the schema");
    let mut admin = postgres::Client::connect(&pg.url(), postgres::NoTls).expect("connect");
    admin
        .execute("INSERT INTO warroom_schema (version) VALUES (99)", &[])
        .expect("bump");
    let err = PgStore::connect(&pg.url(), "friday")
        .err()
        .expect("refused")
        .to_string();
    assert_eq!(
        err,
        "journal database friday: the schema is version 99, newer than this warroom's 1; upgrade warroom"
    );
    let secret = format!("{} password=hunter2-s3cret", pg.url());
    pg.stop();
    let err = PgStore::connect(&secret, "friday")
        .err()
        .expect("down")
        .to_string();
    assert!(err.starts_with("journal database friday: "), "{err}");
    assert!(!err.contains("hunter2"), "{err}");
}

/// Waits for the follower to read `want` lines in all, trying again as its
/// backoff allows.
fn read_until(follower: &mut Box<dyn warroom::journal::Follow>, want: usize) -> Vec<u64> {
    let mut numbers = Vec::new();
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    while numbers.len() < want && std::time::Instant::now() < deadline {
        match follower.read_new() {
            Ok(batch) => numbers.extend(batch.lines.iter().map(|l| l.number)),
            Err(_) => std::thread::sleep(Duration::from_millis(100)),
        }
    }
    numbers
}

#[test]
fn a_seat_is_rung_by_another_seats_append_and_again_after_a_restart() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    let writer = PgStore::connect(&pg.url(), "friday").expect("connect");
    let elsewhere = PgStore::connect(&pg.url(), "monday").expect("connect");
    let reader = PgStore::connect(&pg.url(), "friday").expect("connect");
    let mut follower = reader.follow(Position::default());
    assert_eq!(follower.poll_every(), Duration::from_secs(1), "a slow poll");
    let (rang, bell) = std::sync::mpsc::channel();
    follower.on_news(Arc::new(move || {
        let _ = rang.send(());
    }));
    let patience = Duration::from_secs(10);
    bell.recv_timeout(patience).expect("rung once listening");

    elsewhere.append(&note(1)).expect("append");
    assert!(
        bell.recv_timeout(Duration::from_millis(500)).is_err(),
        "another release's append rings nobody here"
    );
    writer.append(&note(2)).expect("append");
    bell.recv_timeout(patience).expect("rung by the append");
    assert_eq!(read_until(&mut follower, 1), [1]);

    pg.stop();
    assert!(follower.read_new().is_err(), "the server is away");
    assert!(writer.append(&note(3)).is_err(), "no mark is taken");
    pg.restart();
    bell.recv_timeout(Duration::from_secs(20))
        .expect("rung when listening again, for what it may have missed");
    writer.append(&note(4)).expect("append once back");
    bell.recv_timeout(patience).expect("rung by the append");
    assert_eq!(read_until(&mut follower, 1), [2]);
    assert_eq!(texts(&reader), ["note: note 2", "note: note 4"]);
}

/// A host that takes the connection and then says nothing (a server
/// frozen mid-failover) is not waited for: the seat goes offline, saying so.
#[test]
fn a_server_that_answers_nothing_is_given_up_on() {
    let silent = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = silent.local_addr().expect("addr").port();
    let held = std::thread::spawn(move || {
        // Accepted, held open, never answered.
        let conn = silent.accept();
        std::thread::sleep(Duration::from_secs(4));
        drop(conn);
    });
    let url = format!("host=127.0.0.1 port={port} user=warroom connect_timeout=1 sslmode=disable");
    let err = PgStore::connect(&url, "friday")
        .err()
        .expect("given up")
        .to_string();
    assert_eq!(
        err,
        "journal database friday: the server took the connection but did not finish the handshake within 2 s"
    );
    held.join().expect("listener");
}
