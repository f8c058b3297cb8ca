//! The 48 h charts: decimating a day and a half of one-second samples to a
//! chart's width (target under 1 ms), drawing the metrics pane with four such
//! series (target under 2 ms), and the memory they take (target under 20 MB).

use std::time::Duration;

use chrono::{TimeDelta, TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::app::{Msg, State, update};
use warroom::domain::Zone;
use warroom::metrics::{Sample, Series};

const POINTS: usize = 172_800;

fn day_and_a_half(start: chrono::DateTime<Utc>) -> Vec<Sample> {
    (0..POINTS)
        .map(|i| Sample {
            at: start + TimeDelta::seconds(i as i64),
            value: 180.0 + ((i * 7919) % 97) as f64 + if i % 5000 == 0 { 400.0 } else { 0.0 },
        })
        .collect()
}

fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

fn metrics(c: &mut Criterion) {
    let start = Utc.with_ymd_and_hms(2026, 11, 25, 23, 0, 0).unwrap();
    let end = start + TimeDelta::seconds(POINTS as i64);
    let samples = day_and_a_half(start);

    let mut series = Series::with_capacity(POINTS);
    for s in &samples {
        series.push(*s);
    }
    c.bench_function("decimate 172,800 points to 200 columns", |b| {
        b.iter(|| std::hint::black_box(series.decimate(start, end, 200)));
    });

    // Four 48 h series in the demo's war room, zoomed out to 48 h.
    let mut plan = warroom::plan::demo::plan();
    plan.metrics.truncate(4);
    for m in &mut plan.metrics {
        m.interval = Duration::from_secs(1);
    }
    let before = rss_kib();
    let mut state = State::new(plan, end, Zone::utc());
    state.night.demo = true;
    for id in 0..4 {
        update(&mut state, Msg::Samples(id, samples.clone()));
    }
    let after = rss_kib();
    println!(
        "memory for four 48 h series at 1 s: {:.1} MB of RSS",
        after.saturating_sub(before) as f64 / 1024.0
    );
    state.view.zoom = warroom::app::ZOOMS.len() - 1;
    state.view.focus = warroom::app::Pane::Metrics;
    let mut terminal = Terminal::new(TestBackend::new(200, 60)).expect("test terminal");
    c.bench_function("draw 200x60 with four 48 h series", |b| {
        b.iter(|| {
            terminal
                .draw(|frame| warroom::ui::render(std::hint::black_box(&state), frame))
                .expect("draw");
        });
    });
}

criterion_group!(benches, metrics);
criterion_main!(benches);
