//! One summary of a load test, for an import, the probe and the follower
//! alike: counts exact, latency percentiles nearest-rank on whole
//! milliseconds (calls counted by their milliseconds), throughput from
//! whole seconds, and the figures by response code and by label.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::Call;
use super::millisecond_counts::MillisecondCounts;
use super::names::Names;
use crate::metrics::format::number;

/// Latency in whole milliseconds.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Latency {
    pub avg: f64,
    pub p50: u64,
    pub p90: u64,
    pub p95: u64,
    pub p99: u64,
    pub max: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Throughput {
    /// Samples over the test's whole seconds.
    pub avg: f64,
    /// The busiest second; `None` where the file has no single samples
    /// (a k6 summary export).
    pub peak: Option<u64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LabelSummary {
    pub samples: u64,
    pub errors: u64,
    pub latency: Latency,
}

/// The run over time: one point a second, or a few seconds in a long run.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct RunPoint {
    /// Seconds from the run's first second to the point's.
    pub s: u64,
    /// Calls a second over the point's seconds.
    pub tps: f64,
    pub errors: u64,
    /// `None` where no call started in the point's seconds.
    pub avg_ms: Option<f64>,
    pub max_ms: Option<u64>,
}

/// Points at most in a run's timeline: a chart's width, and a journal line
/// that stays small however long the run.
pub const TIMELINE_POINTS: u64 = 600;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    pub samples: u64,
    pub errors: u64,
    /// Percent of samples that failed.
    pub error_rate: f64,
    /// Samples at or over the timeout, when one was given.
    pub timeouts: Option<u64>,
    /// From the first sample's start to the last one's end, in seconds.
    pub duration_s: f64,
    /// When the first sample started; `None` where the file has no single
    /// samples (a k6 summary export), and in runs journaled before it was
    /// kept.
    #[serde(default)]
    pub started: Option<chrono::DateTime<chrono::Utc>>,
    pub latency_ms: Latency,
    pub tps: Throughput,
    pub codes: BTreeMap<String, u64>,
    pub labels: BTreeMap<String, LabelSummary>,
    /// How the percentiles are taken, said wherever they are shown.
    pub percentiles: String,
    /// Throughput and latency over the run (empty where the file has no
    /// single samples, and in runs journaled before it was kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<RunPoint>,
}

#[derive(Debug, Default)]
struct Tally {
    counts: MillisecondCounts,
    samples: u64,
    errors: u64,
    sum_ms: u64,
}

impl Tally {
    fn add(&mut self, call: &Call) {
        self.counts.record(call.elapsed_ms);
        self.samples += 1;
        self.errors += u64::from(!call.ok);
        self.sum_ms += u64::from(call.elapsed_ms);
    }

    fn latency(&self) -> Latency {
        let at = |percent| u64::from(self.counts.percentile(percent));
        Latency {
            avg: self.sum_ms as f64 / self.samples.max(1) as f64,
            p50: at(50),
            p90: at(90),
            p95: at(95),
            p99: at(99),
            max: u64::from(self.counts.max()),
        }
    }
}

/// What the calls that started in one second showed.
#[derive(Debug, Clone, Copy, Default)]
struct Second {
    calls: u64,
    errors: u64,
    sum_ms: u64,
    max_ms: u32,
}

impl Second {
    fn merge(&mut self, other: &Second) {
        self.calls += other.calls;
        self.errors += other.errors;
        self.sum_ms += other.sum_ms;
        self.max_ms = self.max_ms.max(other.max_ms);
    }
}

/// Nothing running for this long between two calls parts two runs: JMeter
/// appends a rerun to the file of the run before. A run whose calls are
/// themselves far apart (one a minute) needs a gap ten times their
/// spacing.
pub const RUN_GAP_MS: i64 = 60_000;

/// How many times a run's own spacing between calls a gap must be.
const GAP_OVER_SPACING: i64 = 10;

/// Takes a test's calls one by one; memory grows with its seconds and
/// labels, never with its rows.
#[derive(Debug)]
pub struct Summarizer {
    /// The file's runs in order, the one being read last; never empty.
    runs: Vec<Run>,
    timeout_ms: Option<u32>,
    /// Whether a gap of `RUN_GAP_MS` starts a new run (a file), or not (a
    /// probe, whose calls are its own).
    split: bool,
}

/// What one run's calls showed so far.
#[derive(Debug, Default)]
struct Run {
    all: Tally,
    /// By label and by code id: ids are dense from 1, and a vector is
    /// what 900,000 lookups can afford.
    by_label: Vec<Option<Tally>>,
    by_code: Vec<u64>,
    per_second: BTreeMap<i64, Second>,
    /// The second calls are coming in now, booked into `per_second` when
    /// another one starts: most calls follow the one before.
    current: Option<(i64, Second)>,
    first_ms: Option<i64>,
    last_start_ms: Option<i64>,
    last_end_ms: Option<i64>,
    timeouts: u64,
}

impl Run {
    /// Whether `call`, starting this long after every call of the run has
    /// ended, starts the next run.
    fn parted_by(&self, call: &Call) -> bool {
        let (Some(first), Some(last), Some(end)) =
            (self.first_ms, self.last_start_ms, self.last_end_ms)
        else {
            return false;
        };
        let spacing = (last - first) / i64::try_from(self.all.samples.max(2) - 1).unwrap_or(1);
        call.start_ms.saturating_sub(end)
            >= RUN_GAP_MS.max(spacing.saturating_mul(GAP_OVER_SPACING))
    }
}

impl Summarizer {
    /// A summarizer of one run, whatever the gaps between its calls.
    pub fn new(timeout: Option<std::time::Duration>) -> Summarizer {
        Summarizer {
            runs: vec![Run::default()],
            timeout_ms: timeout.map(|t| u32::try_from(t.as_millis()).unwrap_or(u32::MAX)),
            split: false,
        }
    }

    /// A summarizer of a result file, which may hold runs appended one
    /// after the other: a call that starts `RUN_GAP_MS` or more after every
    /// call before it has ended starts the next run.
    pub fn of_runs(timeout: Option<std::time::Duration>) -> Summarizer {
        Summarizer {
            split: true,
            ..Summarizer::new(timeout)
        }
    }

    pub fn add(&mut self, call: &Call) {
        let n = self.runs.len();
        if self.split && self.runs.last().is_some_and(|r| r.parted_by(call)) {
            self.runs.push(Run::default());
        } else if n > 1 && self.runs[n - 1].first_ms.is_some_and(|f| call.start_ms < f) {
            // Written when it ended, after the next run began: a call of
            // the run before.
            self.runs[n - 2].add(call, self.timeout_ms);
            return;
        }
        if let Some(run) = self.runs.last_mut() {
            run.add(call, self.timeout_ms);
        }
    }

    /// The summary of the last run (the only one of a probe).
    pub fn finish(&self, names: Option<(&Names, &Names)>) -> Summary {
        let mut runs = self.finish_runs(names);
        runs.pop()
            .unwrap_or_else(|| Run::default().finish(names, self.timeout_ms))
    }

    /// Every run's summary, in the file's order; one at least.
    pub fn finish_runs(&self, names: Option<(&Names, &Names)>) -> Vec<Summary> {
        self.runs
            .iter()
            .map(|run| run.finish(names, self.timeout_ms))
            .collect()
    }
}

impl Run {
    fn add(&mut self, call: &Call, timeout_ms: Option<u32>) {
        self.all.add(call);
        if call.label != 0 {
            let i = call.label as usize;
            if self.by_label.len() <= i {
                self.by_label.resize_with(i + 1, || None);
            }
            self.by_label[i]
                .get_or_insert_with(Tally::default)
                .add(call);
        }
        if call.code != 0 {
            let i = call.code as usize;
            if self.by_code.len() <= i {
                self.by_code.resize(i + 1, 0);
            }
            self.by_code[i] += 1;
        }
        let at = call.start_ms.div_euclid(1000);
        if self.current.as_ref().is_none_or(|(s, _)| *s != at)
            && let Some((s, booked)) = self.current.replace((at, Second::default()))
        {
            self.per_second.entry(s).or_default().merge(&booked);
        }
        let Some((_, second)) = self.current.as_mut() else {
            return;
        };
        second.calls += 1;
        second.errors += u64::from(!call.ok);
        second.sum_ms += u64::from(call.elapsed_ms);
        second.max_ms = second.max_ms.max(call.elapsed_ms);
        self.first_ms = Some(
            self.first_ms
                .map_or(call.start_ms, |f| f.min(call.start_ms)),
        );
        self.last_start_ms = Some(
            self.last_start_ms
                .map_or(call.start_ms, |l| l.max(call.start_ms)),
        );
        let end = call.end_ms();
        self.last_end_ms = Some(self.last_end_ms.map_or(end, |l| l.max(end)));
        if timeout_ms.is_some_and(|t| call.elapsed_ms >= t) {
            self.timeouts += 1;
        }
    }

    /// The summary; `names` are the labels and codes the reader met.
    fn finish(&self, names: Option<(&Names, &Names)>, timeout_ms: Option<u32>) -> Summary {
        let duration_ms = match (self.first_ms, self.last_end_ms) {
            (Some(f), Some(l)) => (l - f).max(0),
            _ => 0,
        };
        let per_second = self.seconds();
        let seconds = per_second.len().max(1) as f64;
        let (labels, codes) = match names {
            Some((labels, codes)) => (
                self.by_label
                    .iter()
                    .enumerate()
                    .filter_map(|(id, t)| {
                        let t = t.as_ref()?;
                        let summary = LabelSummary {
                            samples: t.samples,
                            errors: t.errors,
                            latency: t.latency(),
                        };
                        let id = u32::try_from(id).ok()?;
                        Some((labels.name(id).to_string(), summary))
                    })
                    .collect(),
                self.by_code
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .filter_map(|(id, n)| {
                        let id = u32::try_from(id).ok()?;
                        Some((codes.name(id).to_string(), *n))
                    })
                    .collect(),
            ),
            None => (BTreeMap::new(), BTreeMap::new()),
        };
        Summary {
            samples: self.all.samples,
            errors: self.all.errors,
            error_rate: 100.0 * self.all.errors as f64 / self.all.samples.max(1) as f64,
            timeouts: timeout_ms.map(|_| self.timeouts),
            duration_s: duration_ms as f64 / 1000.0,
            started: self
                .first_ms
                .and_then(chrono::DateTime::from_timestamp_millis),
            latency_ms: self.all.latency(),
            tps: Throughput {
                avg: self.all.samples as f64 / seconds,
                peak: per_second.values().map(|s| s.calls).max(),
            },
            codes,
            labels,
            percentiles: "nearest rank, whole milliseconds".to_string(),
            timeline: timeline(&per_second),
        }
    }

    /// Every second so far, the one being filled included.
    fn seconds(&self) -> BTreeMap<i64, Second> {
        let mut all = self.per_second.clone();
        if let Some((at, second)) = &self.current {
            all.entry(*at).or_default().merge(second);
        }
        all
    }
}

/// The run's seconds in at most `TIMELINE_POINTS` points of equal span; a
/// second without calls in the run is a point at zero, not left out.
fn timeline(per_second: &BTreeMap<i64, Second>) -> Vec<RunPoint> {
    let (Some((&first, _)), Some((&last, _))) =
        (per_second.first_key_value(), per_second.last_key_value())
    else {
        return Vec::new();
    };
    let seconds = u64::try_from(last - first).unwrap_or(0) + 1;
    let span = seconds.div_ceil(TIMELINE_POINTS).max(1);
    let mut points = Vec::new();
    let mut start = 0;
    while start < seconds {
        let from = first + i64::try_from(start).unwrap_or(i64::MAX);
        let to = from.saturating_add(i64::try_from(span).unwrap_or(i64::MAX));
        let mut sum = Second::default();
        for (_, s) in per_second.range(from..to) {
            sum.merge(s);
        }
        // The last point may span fewer seconds than the others.
        let covered = span.min(seconds - start);
        points.push(RunPoint {
            s: start,
            tps: sum.calls as f64 / covered as f64,
            errors: sum.errors,
            avg_ms: (sum.calls > 0).then(|| sum.sum_ms as f64 / sum.calls as f64),
            max_ms: (sum.calls > 0).then_some(u64::from(sum.max_ms)),
        });
        start += span;
    }
    points
}

/// The summary as people read it, one figure group a line, indented to sit
/// under a heading; the same for an import and a probe.
pub fn text(s: &Summary) -> String {
    let l = &s.latency_ms;
    let mut out = String::new();
    out.push_str(&format!(
        "  samples {}  errors {} ({}%)  duration {} s\n",
        s.samples,
        s.errors,
        number(s.error_rate),
        number(s.duration_s)
    ));
    if let Some(t) = s.timeouts {
        out.push_str(&format!("  timeouts {t}\n"));
    }
    out.push_str(&format!(
        "  latency ms  avg {}  p50 {}  p90 {}  p95 {}  p99 {}  max {}  ({})\n",
        number(l.avg),
        l.p50,
        l.p90,
        l.p95,
        l.p99,
        l.max,
        s.percentiles
    ));
    out.push_str(&format!(
        "  TPS  avg {}  peak {}\n",
        number(s.tps.avg),
        s.tps
            .peak
            .map_or("not in the file".to_string(), |p| p.to_string())
    ));
    if !s.codes.is_empty() {
        let codes: Vec<String> = s.codes.iter().map(|(c, n)| format!("{c}: {n}")).collect();
        out.push_str(&format!("  codes  {}\n", codes.join("  ")));
    }
    for (label, ls) in &s.labels {
        out.push_str(&format!(
            "  {label}: {} samples, {} errors, p95 {} ms, max {} ms\n",
            ls.samples, ls.errors, ls.latency.p95, ls.latency.max
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(start: i64, elapsed: u32, ok: bool) -> Call {
        Call {
            start_ms: 1_800_000_000_000 + start,
            elapsed_ms: elapsed,
            ok,
            label: 0,
            code: 0,
        }
    }

    #[test]
    fn counts_are_exact_and_percentiles_nearest_rank() {
        let mut s = Summarizer::new(Some(std::time::Duration::from_millis(500)));
        // 1..=100 ms, one call each, in two seconds; three failed.
        for ms in 1..=100u32 {
            s.add(&call(i64::from(ms) * 10, ms, ms % 40 != 0));
        }
        let sum = s.finish(None);
        assert_eq!((sum.samples, sum.errors), (100, 2));
        assert_eq!(sum.error_rate, 2.0);
        assert_eq!(
            (
                sum.latency_ms.p50,
                sum.latency_ms.p90,
                sum.latency_ms.p95,
                sum.latency_ms.p99
            ),
            (50, 90, 95, 99)
        );
        assert_eq!(sum.latency_ms.max, 100);
        assert_eq!(sum.latency_ms.avg, 50.5);
        assert_eq!(sum.timeouts, Some(0));
        assert_eq!((sum.tps.peak, sum.tps.avg), (Some(99), 50.0));
        // From the first start (10 ms) to the last end (1000 + 100 ms).
        assert_eq!(sum.duration_s, 1.09);
    }

    #[test]
    fn the_timeline_has_every_second_of_the_run() {
        let mut s = Summarizer::new(None);
        // Second 0: two calls; second 1: none; second 2: one failed.
        s.add(&call(0, 100, true));
        s.add(&call(500, 300, true));
        s.add(&call(2100, 50, false));
        let t = s.finish(None).timeline;
        assert_eq!(
            t,
            [
                RunPoint {
                    s: 0,
                    tps: 2.0,
                    errors: 0,
                    avg_ms: Some(200.0),
                    max_ms: Some(300)
                },
                RunPoint {
                    s: 1,
                    tps: 0.0,
                    errors: 0,
                    avg_ms: None,
                    max_ms: None
                },
                RunPoint {
                    s: 2,
                    tps: 1.0,
                    errors: 1,
                    avg_ms: Some(50.0),
                    max_ms: Some(50)
                },
            ]
        );
    }

    #[test]
    fn a_long_run_s_timeline_is_a_chart_wide() {
        let mut s = Summarizer::new(None);
        // An hour and a second: 3601 seconds in points of 7 seconds.
        for second in 0..=3600 {
            s.add(&call(second * 1000, 10, true));
        }
        let t = s.finish(None).timeline;
        assert_eq!(t.len(), 515);
        assert_eq!((t[1].s, t[1].tps), (7, 1.0));
        assert_eq!(t.last().map(|p| (p.s, p.tps)), Some((3598, 1.0)));
    }

    #[test]
    fn the_story_s_nine_timeouts() {
        let mut s = Summarizer::new(Some(std::time::Duration::from_millis(500)));
        for n in 0..3000 {
            let elapsed = if n % 333 == 0 && n > 0 { 512 } else { 200 };
            s.add(&call(n / 3, elapsed, elapsed < 500));
        }
        let sum = s.finish(None);
        assert_eq!((sum.samples, sum.errors, sum.timeouts), (3000, 9, Some(9)));
        assert_eq!(sum.error_rate, 0.3);
        assert_eq!(sum.latency_ms.max, 512);
    }

    #[test]
    fn a_minute_with_nothing_running_parts_two_runs() {
        let mut s = Summarizer::of_runs(None);
        // Ten calls a second for ten seconds.
        for n in 0..100 {
            s.add(&call(n * 100, 100, true));
        }
        // A call of 50 s: nothing ends between 10 s and 60 s, yet one runs.
        s.add(&call(10_000, 50_000, true));
        s.add(&call(100_000, 20, true)); // 40 s after the last end: same run
        s.add(&call(160_020, 30, false)); // 60 s after it: the rerun
        // Written as it ended, after the rerun began: the first run's.
        s.add(&call(99_990, 60_050, true));
        s.add(&call(160_500, 30, true));
        let runs = s.finish_runs(None);
        assert_eq!(
            runs.iter()
                .map(|r| (r.samples, r.errors))
                .collect::<Vec<_>>(),
            [(103, 0), (2, 1)]
        );
        assert_eq!(runs[1].duration_s, 0.51);
        assert_eq!(
            runs[1].started.map(|t| t.timestamp_millis()),
            Some(1_800_000_160_020)
        );
        assert_eq!(s.finish(None), runs[1], "the last run");
        // A run paced at one call a minute is one run.
        let mut paced = Summarizer::of_runs(None);
        for n in 0..10 {
            paced.add(&call(n * 60_000, 200, true));
        }
        assert_eq!(paced.finish_runs(None).len(), 1);
        // A probe's calls are one run whatever the gaps.
        let mut probe = Summarizer::new(None);
        probe.add(&call(0, 10, true));
        probe.add(&call(600_000, 10, true));
        assert_eq!(probe.finish_runs(None).len(), 1);
    }
}
