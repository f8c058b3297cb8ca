//! The JTL follower on a file appended during the test, as JMeter writes it,
//! its last line torn at times; and a plan's relative path to it.

use std::io::Write;
use std::time::Duration;

use tokio::sync::mpsc;
use warroom::sources::Reading;
use warroom::sources::jtl::{self, JtlSignal};

const HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

fn line(ms: i64, elapsed: u32, ok: bool) -> String {
    format!(
        "{ms},{elapsed},API,200,OK,TG 1-1,text,{ok},,512,128,10,10,http://127.0.0.1/api,{elapsed},0,3\n"
    )
}

#[tokio::test]
async fn throughput_arrives_as_jmeter_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("run.jtl");
    let mut file = std::fs::File::create(&path).expect("jtl");
    file.write_all(HEADER.as_bytes()).expect("header");
    let (tx, mut rx) = mpsc::channel(64);
    let task = tokio::spawn(jtl::run(
        path.clone(),
        vec![(0, JtlSignal::Tps)],
        Duration::from_millis(100),
        None,
        tx,
    ));
    // Three seconds of a test at 4, 5 and 6 calls a second, the last line of
    // each write cut in two.
    let t0 = 1_800_000_000_000;
    for (second, calls) in [4, 5, 6].iter().enumerate() {
        for i in 0..*calls {
            let text = line(t0 + second as i64 * 1000 + i * 10, 200, true);
            let (a, b) = text.split_at(17);
            file.write_all(a.as_bytes()).expect("write");
            tokio::time::sleep(Duration::from_millis(30)).await;
            file.write_all(b.as_bytes()).expect("write");
        }
    }
    let mut tps = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while tps.len() < 3 {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("samples in time")
            .expect("the follower runs");
        if let Reading::Samples(0, samples) = msg {
            tps.extend(samples.iter().map(|s| (s.at.timestamp(), s.value)));
        }
    }
    task.abort();
    // The third second is told once the file has stopped growing.
    assert_eq!(
        tps,
        [
            (1_800_000_000, 4.0),
            (1_800_000_001, 5.0),
            (1_800_000_002, 6.0)
        ]
    );
}

#[test]
fn a_plans_result_file_sits_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(
        &plan,
        r#"
[release]
name = "Load test"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "PAY"
title = "Payment"
priority = "high"

[[checklist]]
id = "c"
text = "Check"

[[metrics]]
name = "TPS"
unit = "TPS"
source = { jtl = { path = "results/run.jtl", signal = "tps" } }
"#,
    )
    .expect("plan");
    let plan = warroom::plan::Plan::load(&plan).expect("valid plan");
    let warroom::plan::SourceSpec::Jtl { path, signal, .. } = &plan.metrics[0].source else {
        panic!("a jtl source");
    };
    assert_eq!(path, &dir.path().join("results/run.jtl"));
    assert_eq!(*signal, JtlSignal::Tps);
}

/// The truth of the real JMeter file, worked out apart from warroom: per
/// second, calls, errors, mean, nearest-rank p95 and max.
fn truth() -> Vec<(i64, u32, u32, f64, u32, u32)> {
    include_str!("fixtures/jmeter-2.13-late-lines.truth.csv")
        .lines()
        .skip(1)
        .map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            (
                f[0].parse().expect("second"),
                f[1].parse().expect("tps"),
                f[2].parse().expect("errors"),
                f[4].parse().expect("avg"),
                f[5].parse().expect("p95"),
                f[6].parse().expect("max"),
            )
        })
        .collect()
}

type Told = std::collections::BTreeMap<i64, warroom::loadtest::SecondStats>;

fn assert_matches_truth(told: &Told) {
    let truth = truth();
    assert_eq!(
        told.len(),
        truth.len(),
        "every second, the first and last too"
    );
    for (second, calls, errors, mean, p95, max) in truth {
        let s = told
            .get(&second)
            .unwrap_or_else(|| panic!("second {second}"));
        assert_eq!(
            (s.calls, s.errors, s.p95_ms, s.max_ms),
            (calls, errors, p95, max),
            "second {second}"
        );
        assert!((s.mean_ms - mean).abs() < 1e-6, "second {second}: mean");
    }
}

/// A real JMeter 2.13 result: 4,293 lines over 21 seconds, 171 of them
/// arriving after a line of a later second (written at their end, stamped
/// with their start). Followed as it was written, a piece at a time, the
/// seconds come out exactly as the whole file says.
#[test]
fn a_real_jmeter_file_followed_as_written_gives_its_exact_seconds() {
    let whole = include_bytes!("fixtures/jmeter-2.13-late-lines.jtl");
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("run.jtl");
    let mut file = std::fs::File::create(&path).expect("jtl");
    let mut follower = jtl::JtlFollower::new(path.clone(), None);
    let mut told = Told::new();
    let mut revised = 0;
    // JMeter flushes in pieces that do not end at a line's end.
    for piece in whole.chunks(1500) {
        file.write_all(piece).expect("write");
        let step = follower.read_chunk(jtl::CHUNK).expect("read");
        for (second, stats) in step.seconds {
            revised += usize::from(told.insert(second, stats).is_some());
        }
    }
    for _ in 0..3 {
        let step = follower.read_chunk(jtl::CHUNK).expect("read");
        told.extend(step.seconds);
    }
    assert_matches_truth(&told);
    // The longest response seen grows as the test runs: the one second told
    // before a slower call of it had come was told again, whole.
    assert_eq!(revised, 1);
    assert_eq!(follower.dropped(), (0, 0));
    // What `check` reads: the same seconds.
    let all: Told = jtl::JtlFollower::read_all(&path, None, None)
        .expect("read all")
        .into_iter()
        .collect();
    assert_matches_truth(&all);
}

/// The story's load test: 3000 TPS for 5 minutes with 0.3 % errors, 900,000
/// lines in the order JMeter writes them (by end). Every second
/// says 3000 and 0.3 %, the last one included.
#[test]
fn the_story_s_five_minutes_at_3000_tps() {
    const TPS: i64 = 3000;
    const SECONDS: i64 = 300;
    let t0 = 1_800_000_000_000_i64;
    let mut calls: Vec<(i64, i64, bool)> = Vec::with_capacity((TPS * SECONDS) as usize);
    let mut seed: u64 = 27;
    for n in 0..TPS * SECONDS {
        seed = seed
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        let elapsed = 40 + (seed >> 33) as i64 % 320;
        let start = t0 + n * 1000 / TPS;
        // 9 calls in 3000 fail, spread through each second.
        let failed = n % 1000 < 3;
        calls.push((start, elapsed, failed));
    }
    calls.sort_by_key(|(start, elapsed, _)| start + elapsed);
    let mut text = String::from(HEADER);
    for (start, elapsed, failed) in &calls {
        text.push_str(&line(*start, *elapsed as u32, !failed));
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("peak.jtl");
    std::fs::write(&path, &text).expect("jtl");
    let seconds = jtl::JtlFollower::read_all(&path, None, None).expect("read");
    assert_eq!(seconds.len(), SECONDS as usize);
    assert!(
        seconds
            .iter()
            .all(|(_, s)| s.calls == 3000 && s.errors == 9)
    );
    let rate = jtl::samples(JtlSignal::ErrorRate, &seconds);
    assert!(rate.iter().all(|s| (s.value - 0.3).abs() < 1e-12));
    assert_eq!(
        seconds.last().map(|(s, _)| *s),
        Some(t0 / 1000 + SECONDS - 1)
    );
}

/// JMeter appends a rerun to the same result file. The story's first run at
/// 3000 TPS failed on the DB pool; the rerun after the fix was clean. The
/// gate judges the latest test in the file, so the fix counts.
#[test]
fn a_rerun_after_a_fix_is_what_the_gate_judges() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(
        &plan,
        r#"
[release]
name = "Load test"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "PAY"
title = "Payment"
priority = "high"
status = "passed"

[[checklist]]
id = "c"
text = "Check"
required = false

[[metrics]]
name = "Load p95"
unit = "ms"
source = { jtl = { path = "run.jtl", signal = "latency_p95" } }
interval = "1s"
crit = 500
"#,
    )
    .expect("plan");
    let t0 = 1_800_000_000_000_i64;
    // 40 s at `elapsed`, ten calls a second, from `from` ms after t0.
    let run = |from: i64, elapsed: u32| -> String {
        (0..400)
            .map(|i| line(t0 + from + i * 100, elapsed, true))
            .collect()
    };
    let jtl = dir.path().join("run.jtl");
    std::fs::write(&jtl, format!("{HEADER}{}", run(0, 700))).expect("first run");
    let at = chrono::DateTime::from_timestamp(1_800_003_600, 0).expect("time");
    let judge = || {
        let checked = warroom::check::check(
            &plan,
            warroom::check::CheckOptions {
                journal: None,
                now: at,
                pinned: false,
                require_approval: false,
            },
        )
        .expect("check");
        checked
            .verdict
            .reasons
            .iter()
            .map(|r| r.said())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        judge(),
        ["Load p95 reached 500 ms in its load test (peak 700 ms, 40 s at or above)"]
    );
    // Ten minutes later, the rerun, appended as JMeter does.
    let mut file = std::fs::OpenOptions::new()
        .append(true)
        .open(&jtl)
        .expect("jtl");
    file.write_all(run(600_000, 200).as_bytes()).expect("rerun");
    assert_eq!(judge(), Vec::<String>::new());
}

/// The one summarizer over the real JMeter file: counts exact, percentiles
/// nearest rank on whole milliseconds, as worked out apart from warroom.
#[test]
fn a_real_jmeter_file_summarized() {
    use warroom::loadtest::{ResultCalls, Summarizer};
    let mut csv = ResultCalls::with_names();
    let mut summary = Summarizer::new(Some(Duration::from_millis(500)));
    csv.feed(
        include_bytes!("fixtures/jmeter-2.13-late-lines.jtl"),
        |call| summary.add(&call),
    )
    .expect("a JMeter file");
    assert_eq!(csv.skipped(), 0);
    let s = summary.finish(csv.names());
    assert_eq!((s.samples, s.errors, s.timeouts), (4293, 20, Some(80)));
    let l = s.latency_ms;
    assert_eq!(
        (l.p50, l.p90, l.p95, l.p99, l.max),
        (74, 115, 120, 702, 900)
    );
    assert!((l.avg - 88.686_233_403).abs() < 1e-6);
    assert_eq!(s.tps.peak, Some(248));
    assert!((s.tps.avg - 4293.0 / 21.0).abs() < 1e-9);
    assert_eq!(s.duration_s, 20.298);
    assert_eq!(
        s.codes.into_iter().collect::<Vec<_>>(),
        [("200".to_string(), 4273), ("500".to_string(), 20)]
    );
    assert_eq!(s.labels.len(), 1);
    assert_eq!(s.labels["GET /api"].samples, 4293);
    assert_eq!(s.percentiles, "nearest rank, whole milliseconds");
}

/// The live follower and `warroom import` read the same file through the
/// same reader: second by second, the chart's figures and the run's
/// timeline are the same calls, errors, mean and max.
#[test]
fn the_follower_and_the_import_agree_second_by_second() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/jmeter-2.13-late-lines.jtl");
    let told: Told = jtl::JtlFollower::read_all(&path, None, None)
        .expect("followed")
        .into_iter()
        .collect();
    let read = warroom::import::summarize(&path, Some(std::time::Duration::from_millis(500)))
        .expect("imported");
    assert_eq!(read.runs.len(), 1);
    let run = &read.runs[0];
    let first = *told.keys().next().expect("a second");
    assert_eq!(run.timeline.len(), told.len());
    for point in &run.timeline {
        let second = first + i64::try_from(point.s).expect("seconds");
        let s = told
            .get(&second)
            .unwrap_or_else(|| panic!("second {second}"));
        assert_eq!(point.tps, f64::from(s.calls), "second {second}: calls");
        assert_eq!(point.errors, u64::from(s.errors), "second {second}: errors");
        assert_eq!(
            point.max_ms,
            Some(u64::from(s.max_ms)),
            "second {second}: max"
        );
        let avg = point.avg_ms.expect("calls in every second");
        assert!((avg - s.mean_ms).abs() < 1e-9, "second {second}: mean");
    }
    let calls: u64 = told.values().map(|s| u64::from(s.calls)).sum();
    let errors: u64 = told.values().map(|s| u64::from(s.errors)).sum();
    assert_eq!((calls, errors), (run.samples, run.errors));
    assert_eq!(
        run.tps.peak,
        told.values().map(|s| u64::from(s.calls)).max()
    );
}
