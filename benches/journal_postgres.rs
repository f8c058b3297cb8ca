//! The journal on a local PostgreSQL (a throw-away cluster, as the tests
//! start one), when PostgreSQL is installed:
//!
//! - `append_and_read_back`: one mark appended and read back by another
//!   seat's follower, as a seat shows a mark only once it is read back
//!   (aim: median under 2 ms);
//! - `replay_100k`: a release of 100,000 lines read at start (aim: under
//!   500 ms);
//! - `seat_to_seat`: a mark appended by one seat until another seat, woken
//!   by NOTIFY on a connection of its own, has read it (aim: p99 under
//!   100 ms).
//!
//! Criterion reports distributions; plain timed runs then print the median
//! and p99 of appending and of seat to seat, so the figures can be quoted.

#[allow(dead_code)] // the bench starts the cluster; it never stops it midway
#[path = "../tests/common/postgres.rs"]
mod postgres_cluster;

use std::hint::black_box;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};

use chrono::DateTime;
use criterion::{Criterion, criterion_group, criterion_main};
use warroom::domain::Action;
use warroom::journal::postgres::PgStore;
use warroom::journal::{Entry, Follow, Line, Position, Store};

const TIMED: usize = 1000;

/// One mark from `from`, until `seat` has read it after its bell rang.
fn seat_to_seat(from: &PgStore, seat: &mut Box<dyn Follow>, bell: &Receiver<()>, n: u64) {
    let end = from.append(&note(n)).expect("append");
    loop {
        bell.recv_timeout(Duration::from_secs(10))
            .expect("the listener rings");
        let batch = seat.read_new().expect("read");
        if batch.position.offset >= end {
            return;
        }
    }
}

fn print_quantiles(what: &str, mut times: Vec<Duration>) {
    times.sort_unstable();
    let quantile = |q: usize| times[(times.len() * q / 100).min(times.len() - 1)];
    println!(
        "{what}, {} timed: median {:?}, p99 {:?}, max {:?}",
        times.len(),
        quantile(50),
        quantile(99),
        times[times.len() - 1]
    );
}

fn note(n: u64) -> Entry {
    Entry::action(
        DateTime::parse_from_rfc3339("2026-11-27T22:40:00+09:00").expect("time"),
        "mina",
        Action::Note {
            item: None,
            text: format!("note {n}"),
        },
    )
}

fn journal(c: &mut Criterion) {
    let Some(pg) = postgres_cluster::PgCluster::start() else {
        eprintln!("PostgreSQL is not installed: the journal_postgres bench is left out");
        return;
    };
    let store = PgStore::connect(&pg.url(), "bench").expect("connect");
    let mut follower = store.follow(Position::default());
    let mut group = c.benchmark_group("journal_postgres");
    group.measurement_time(Duration::from_secs(10));
    let mut n = 0;
    group.bench_function("append_and_read_back", |b| {
        b.iter(|| {
            n += 1;
            let end = store.append(&note(n)).expect("append");
            loop {
                let batch = follower.read_new().expect("read");
                if batch.position.offset >= end {
                    break;
                }
            }
        });
    });

    let mut times = Vec::with_capacity(TIMED);
    for _ in 0..TIMED {
        n += 1;
        let started = Instant::now();
        let end = store.append(&note(n)).expect("append");
        while follower.read_new().expect("read").position.offset < end {}
        times.push(started.elapsed());
    }
    print_quantiles("append and read back", times);

    // Another seat, on connections of its own, woken by NOTIFY alone.
    let seat = PgStore::connect(&pg.url(), "bench").expect("connect");
    let mut seat_follower = seat.follow(seat.replay().expect("replay").position);
    let (ring, bell) = channel();
    seat_follower.on_news(Arc::new(move || {
        let _ = ring.send(());
    }));
    bell.recv_timeout(Duration::from_secs(10))
        .expect("listening");
    group.bench_function("seat_to_seat", |b| {
        b.iter(|| {
            n += 1;
            seat_to_seat(&store, &mut seat_follower, &bell, n);
        });
    });
    let mut times = Vec::with_capacity(TIMED);
    for _ in 0..TIMED {
        n += 1;
        let started = Instant::now();
        seat_to_seat(&store, &mut seat_follower, &bell, n);
        times.push(started.elapsed());
    }
    print_quantiles("seat to seat over NOTIFY", times);

    let big = PgStore::connect(&pg.url(), "replay").expect("connect");
    let lines: Vec<Line> = (1..=100_000)
        .map(|number| Line {
            number,
            entry: note(number),
            role: None,
        })
        .collect();
    big.import(&warroom::journal::Batch {
        lines,
        ..Default::default()
    })
    .expect("100k lines");
    group.sample_size(10);
    group.bench_function("replay_100k", |b| {
        b.iter(|| black_box(big.replay().expect("replay").lines.len()));
    });
    group.finish();
}

criterion_group!(benches, journal);
criterion_main!(benches);
