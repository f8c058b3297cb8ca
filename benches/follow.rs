//! Following a JMeter result file: what the follower's per-second statistics
//! cost over merely reading the CSV. On the same file (the story's load test,
//! 3000 calls/s for 300 s: 900,000 lines), side by side:
//!
//! - the bare csv pass: the `csv` crate reading every record into one reused
//!   `ByteRecord` and counting them, nothing else;
//! - the follower: `JtlFollower::read_all`, 4 MB chunks, the calls of each
//!   chunk read and booked into seconds, every second told.
//!
//! - the import summary: what `warroom import` reads, labels and codes
//!   included, summarized and fingerprinted (SHA-256).
//!
//! Target: the follower and the import read at no less than half the speed
//! of the bare csv pass. All report bytes of the file per second.
//!
//! Printed once, not measured by criterion: the file's size, and the
//! process's peak RSS (VmHWM) after one `read_all`. The file is written
//! line by line through a `BufWriter`, never held whole, so the peak is the
//! follower's (and the harness's), not the generator's.

use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::fs::File;
use std::hint::black_box;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::time::Duration;

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use warroom::sources::jtl::JtlFollower;

const CALLS_PER_SECOND: u64 = 3000;
const SECONDS: u64 = 300;
const CALLS: u64 = CALLS_PER_SECOND * SECONDS;
/// 2027-01-15T08:00:00Z, in milliseconds: thirteen digits, as JMeter writes.
const T0_MS: i64 = 1_800_000_000_000;

const HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

/// A linear congruential generator (Knuth's MMIX constants): the same file
/// on every run.
struct Lcg(u64);

impl Lcg {
    fn roll(&mut self, sides: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % sides
    }
}

/// A call still running: its line is written once the calls that end before
/// it are. Ordered by end, then by start order.
type Running = Reverse<(i64, u64, i64, u32, bool)>;

fn write_line(out: &mut impl Write, call: Running, labels: u64) -> std::io::Result<()> {
    let Reverse((_, seq, start, elapsed, ok)) = call;
    let (code, message) = if ok {
        ("200", "OK")
    } else {
        ("504", "Gateway Timeout")
    };
    // One label, or (as k6 names calls by their URL) one per order.
    let label = if labels == 1 {
        "POST /api/v2/orders/checkout".to_string()
    } else {
        format!("POST /api/v2/orders/{}/checkout", seq % labels)
    };
    writeln!(
        out,
        "{start},{elapsed},{label},{code},{message},Thread Group 1-1,text,{ok},,1024,256,300,300,http://127.0.0.1:8080/api/v2/orders/checkout,{elapsed},0,3"
    )
}

/// Writes the test's result file and returns its size. The calls start
/// evenly, 3000 a second; each takes 40..360 ms, and 0.3 % fail with a 504.
/// JMeter writes a line when its call ends, stamped with its start, so the
/// lines are in order of start + elapsed: a heap holds the calls still
/// running (a few hundred ms of them), never the file.
fn write_jtl(path: &Path, labels: u64) -> std::io::Result<u64> {
    let mut out = BufWriter::with_capacity(1 << 16, File::create(path)?);
    out.write_all(HEADER.as_bytes())?;
    let mut dice = Lcg(0x5EED_0000_0000_3000);
    let mut running: BinaryHeap<Running> = BinaryHeap::new();
    for seq in 0..CALLS {
        let start = T0_MS + i64::try_from(seq * 1000 / CALLS_PER_SECOND).expect("small");
        // Every call from here on ends at least 40 ms after `start`: those
        // ending by then are complete, in order.
        while running.peek().is_some_and(|Reverse(r)| r.0 <= start) {
            write_line(&mut out, running.pop().expect("peeked"), labels)?;
        }
        let elapsed = 40 + u32::try_from(dice.roll(320)).expect("small");
        let ok = dice.roll(1000) >= 3;
        running.push(Reverse((
            start + i64::from(elapsed),
            seq,
            start,
            elapsed,
            ok,
        )));
    }
    while let Some(call) = running.pop() {
        write_line(&mut out, call, labels)?;
    }
    out.into_inner().map_err(|e| e.into_error())?.sync_all()?;
    Ok(std::fs::metadata(path)?.len())
}

fn bare_csv_pass(path: &Path) -> u64 {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_path(path)
        .expect("open the result file");
    let mut record = csv::ByteRecord::new();
    let mut records = 0;
    while reader.read_byte_record(&mut record).expect("a record") {
        records += 1;
    }
    records
}

fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The import's peak memory over one file: the high-water mark is reset
/// first (Linux's `clear_refs`), so what came before does not count.
fn import_peak(path: &Path, what: &str) {
    let reset = std::fs::write("/proc/self/clear_refs", "5").is_ok();
    let read = warroom::import::summarize(path, Some(Duration::from_millis(500))).expect("summary");
    let hwm = status_kib("VmHWM:");
    println!(
        "import summary, {what}: {} samples, {} labels, p95 {} ms; peak RSS {:.1} MB{}",
        read.runs.iter().map(|r| r.samples).sum::<u64>(),
        read.runs.last().map_or(0, |r| r.labels.len()),
        read.runs.last().map_or(0, |r| r.latency_ms.p95),
        hwm as f64 / 1024.0,
        if reset {
            ""
        } else {
            " (the process's, not reset)"
        }
    );
}

fn follow(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("loadtest.jtl");
    let size = write_jtl(&path, 1).expect("write the result file");
    println!(
        "result file: {CALLS} lines, {size} bytes = {:.1} MB ({:.1} MiB)",
        size as f64 / 1e6,
        size as f64 / (1024.0 * 1024.0)
    );

    // Once, outside criterion: the answers, and the peak memory.
    let hwm_before = status_kib("VmHWM:");
    let seconds = JtlFollower::read_all(&path, None, None).expect("read_all");
    let hwm_after = status_kib("VmHWM:");
    println!(
        "peak RSS (VmHWM): {:.1} MB before the first read_all (file written), {:.1} MB after it",
        hwm_before as f64 / 1024.0,
        hwm_after as f64 / 1024.0
    );
    import_peak(&path, "one label");
    let many = dir.path().join("loadtest-1000-labels.jtl");
    write_jtl(&many, 1000).expect("write the result file");
    import_peak(&many, "1,000 labels");
    let calls: u64 = seconds.iter().map(|(_, s)| u64::from(s.calls)).sum();
    let errors: u64 = seconds.iter().map(|(_, s)| u64::from(s.errors)).sum();
    println!(
        "read_all: {} seconds, {calls} calls, {errors} errors",
        seconds.len()
    );
    assert_eq!(seconds.len() as u64, SECONDS, "one figure per second");
    assert_eq!(calls, CALLS, "every line a call");
    assert_eq!(bare_csv_pass(&path), CALLS, "every line a record");
    drop(seconds);

    let mut group = c.benchmark_group("follow 900,000-line JTL");
    group
        .throughput(Throughput::Bytes(size))
        .sampling_mode(SamplingMode::Flat)
        .sample_size(10)
        .warm_up_time(Duration::from_secs(3))
        .measurement_time(Duration::from_secs(20));
    group.bench_function("bare csv pass", |b| {
        b.iter(|| black_box(bare_csv_pass(black_box(&path))));
    });
    group.bench_function("follower", |b| {
        b.iter(|| {
            black_box(JtlFollower::read_all(black_box(&path), None, None).expect("read_all"))
        });
    });
    // `warroom import`'s read: labels and codes, the summary, the SHA-256.
    group.bench_function("import summary", |b| {
        b.iter(|| {
            black_box(
                warroom::import::summarize(black_box(&path), Some(Duration::from_millis(500)))
                    .expect("summary"),
            )
        });
    });
    group.finish();
}

criterion_group!(benches, follow);
criterion_main!(benches);
