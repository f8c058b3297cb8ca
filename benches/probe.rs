//! The probe against a local server that answers at once, on loopback.
//!
//! - `scheduled_5000_per_s`: 10,000 requests due at 5,000 a second. The
//!   time measured is the sending window, from the start to the last
//!   request sent, so the throughput criterion reports is the rate the
//!   probe held. Target: 5,000/s within 1 %, none dropped. Late and
//!   dropped counts are printed.
//! - `max_50_connections`: 20,000 requests as fast as 50 connections
//!   allow, against `oha -n 20000 -c 50` on the same server, when `oha` is
//!   installed (`cargo install oha`): side by side in one run. Target: at
//!   least oha's requests a second. oha is timed as a whole process, its
//!   start included (a few milliseconds of a second's run).

#[allow(dead_code)] // the bench uses the server, not its stall
#[path = "../tests/common/slow_server.rs"]
mod slow_server;

use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use slow_server::SlowServer;
use tokio::sync::mpsc;
use warroom::loadtest::open_loop::{self, Counters, Load, Rate};

const SCHEDULED: u64 = 10_000;
const MAX_REQUESTS: u64 = 20_000;
const CONNECTIONS: usize = 50;

/// One run of the load; the sending window and the counters.
fn run(runtime: &tokio::runtime::Runtime, load: Load) -> (Duration, Arc<Counters>) {
    let counters = Arc::new(Counters::default());
    let sending = runtime.block_on(async {
        let transport = open_loop::Transport::for_url(&load.url, load.connections)
            .await
            .expect("transport");
        let (tx, mut rx) = mpsc::unbounded_channel();
        let drain = tokio::spawn(async move { while rx.recv().await.is_some() {} });
        let sending = open_loop::run(load, transport, counters.clone(), tx).await;
        let _ = drain.await;
        sending
    });
    (sending, counters)
}

fn probe(c: &mut Criterion) {
    let server = SlowServer::start(Duration::ZERO);
    let url = reqwest::Url::parse(&server.url()).expect("url");
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");

    let mut group = c.benchmark_group("probe");
    group.sampling_mode(SamplingMode::Flat);
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(25));

    group.throughput(Throughput::Elements(SCHEDULED));
    group.bench_function("scheduled_5000_per_s", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let load = Load {
                    url: url.clone(),
                    rate: Rate::PerSecond(5000.0),
                    duration: Duration::from_secs(2),
                    timeout: Duration::from_secs(1),
                    connections: 500,
                    requests: None,
                };
                let (sending, counters) = run(&runtime, load);
                eprintln!(
                    "scheduled 5000/s: sent {} in {:.4} s = {:.1}/s, late {}, dropped {}",
                    counters.sent.load(Ordering::Relaxed),
                    sending.as_secs_f64(),
                    counters.sent.load(Ordering::Relaxed) as f64 / sending.as_secs_f64(),
                    counters.late.load(Ordering::Relaxed),
                    counters.dropped.load(Ordering::Relaxed),
                );
                total += sending;
            }
            total
        });
    });

    group.throughput(Throughput::Elements(MAX_REQUESTS));
    group.bench_function("max_50_connections", |b| {
        b.iter_custom(|iterations| {
            let mut total = Duration::ZERO;
            for _ in 0..iterations {
                let load = Load {
                    url: url.clone(),
                    rate: Rate::Max,
                    duration: Duration::from_secs(60),
                    timeout: Duration::from_secs(1),
                    connections: CONNECTIONS,
                    requests: Some(MAX_REQUESTS),
                };
                let started = Instant::now();
                let (_, counters) = run(&runtime, load);
                total += started.elapsed();
                assert_eq!(counters.answered.load(Ordering::Relaxed), MAX_REQUESTS);
            }
            total
        });
    });

    let oha = std::env::var("OHA").unwrap_or_else(|_| "oha".to_string());
    if Command::new(&oha).arg("--version").output().is_ok() {
        group.bench_function("oha_50_connections", |b| {
            b.iter_custom(|iterations| {
                let mut total = Duration::ZERO;
                for _ in 0..iterations {
                    let started = Instant::now();
                    let out = Command::new(&oha)
                        .args([
                            "-n",
                            &MAX_REQUESTS.to_string(),
                            "-c",
                            &CONNECTIONS.to_string(),
                        ])
                        .args(["--no-tui", "--output-format", "json"])
                        .arg(server.url())
                        .output()
                        .expect("oha");
                    total += started.elapsed();
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
                total
            });
        });
    } else {
        eprintln!(
            "oha not found (cargo install oha, or OHA=path): its side of the comparison is left out"
        );
    }
    group.finish();
}

criterion_group!(benches, probe);
criterion_main!(benches);
