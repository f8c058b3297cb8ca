//! The journal on a local PostgreSQL (a throw-away cluster, as the tests
//! start one), when PostgreSQL is installed:
//!
//! - `append_and_read_back`: one mark appended and read back by another
//!   seat's follower, as a seat shows a mark only once it is read back
//!   (aim: median under 2 ms);
//! - `replay_100k`: a release of 100,000 lines read at start (aim: under
//!   500 ms).

#[allow(dead_code)] // the bench starts the cluster; it never stops it midway
#[path = "../tests/common/postgres.rs"]
mod postgres_cluster;

use std::hint::black_box;
use std::time::Duration;

use chrono::DateTime;
use criterion::{Criterion, criterion_group, criterion_main};
use warroom::domain::Action;
use warroom::journal::postgres::PgStore;
use warroom::journal::{Entry, Line, Position, Store};

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

    let big = PgStore::connect(&pg.url(), "replay").expect("connect");
    let lines: Vec<Line> = (1..=100_000)
        .map(|number| Line {
            number,
            entry: note(number),
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
