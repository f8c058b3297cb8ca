//! One metric's samples in a bounded ring buffer, and a decimated view of a
//! time window for a chart of a given width.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub at: DateTime<Utc>,
    pub value: f64,
}

/// The lowest and highest value that fell into one chart column, so a spike
/// shorter than a column is still drawn.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bucket {
    pub min: f64,
    pub max: f64,
}

/// A sample as kept: milliseconds since the epoch and the value, 16 bytes,
/// so the hot loops read plain integers and floats.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Point {
    ms: i64,
    value: f64,
}

impl Point {
    fn sample(self) -> Sample {
        Sample {
            at: DateTime::from_timestamp_millis(self.ms).unwrap_or_default(),
            value: self.value,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Series {
    capacity: usize,
    points: VecDeque<Point>,
}

/// What a window holds, in one pass: for the legend and the chart's ceiling.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct WindowStats {
    pub count: usize,
    pub mean: f64,
    pub max: f64,
    /// The samples added up: what a metric that counts events (timeouts
    /// an interval) says of a span, rather than an average.
    pub total: f64,
}

impl WindowStats {
    /// Whether the samples cover nine tenths of `[from, to]` at one each
    /// `every`. A total of fewer (a source down, history filled at a coarser
    /// step) is only of what was seen: at least that many.
    pub fn covers(
        &self,
        every: std::time::Duration,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> bool {
        self.count.saturating_mul(10) >= expected_samples(every, from, to).saturating_mul(9)
    }
}

/// How many samples one each `every` makes over `[from, to]`.
pub fn expected_samples(
    every: std::time::Duration,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> usize {
    let span_ms = u128::try_from((to - from).num_milliseconds()).unwrap_or(0);
    usize::try_from(span_ms / every.as_millis().max(1)).unwrap_or(usize::MAX)
}

impl Series {
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Series {
            capacity,
            points: VecDeque::with_capacity(capacity.min(4096)),
        }
    }

    /// Adds a sample, keeping time order: a late sample (a backfill arriving
    /// after live data) is inserted in place; a repeated timestamp replaces the
    /// old value. NaN and infinities are dropped. Returns whether it was kept.
    pub fn push(&mut self, sample: Sample) -> bool {
        if !sample.value.is_finite() {
            return false;
        }
        let point = Point {
            ms: sample.at.timestamp_millis(),
            value: sample.value,
        };
        // Grow by doubling, but never past the retention: a 48 h series must
        // not hold a power-of-two buffer half again its size.
        let len = self.points.len();
        if len == self.points.capacity() && len < self.capacity {
            self.points
                .reserve_exact(len.max(1024).min(self.capacity - len));
        }
        match self.points.back() {
            Some(last) if last.ms < point.ms => self.points.push_back(point),
            None => self.points.push_back(point),
            Some(_) => {
                let i = self.points.partition_point(|p| p.ms < point.ms);
                match self.points.get_mut(i) {
                    Some(p) if p.ms == point.ms => p.value = point.value,
                    _ => self.points.insert(i, point),
                }
            }
        }
        while self.points.len() > self.capacity {
            self.points.pop_front();
        }
        true
    }

    pub fn len(&self) -> usize {
        self.points.len()
    }

    pub fn is_empty(&self) -> bool {
        self.points.is_empty()
    }

    pub fn latest(&self) -> Option<Sample> {
        self.points.back().map(|p| p.sample())
    }

    /// Every sample, newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = Sample> + '_ {
        self.points.iter().rev().map(|p| p.sample())
    }

    /// The points with `from <= at <= to`, as the ring's (at most two)
    /// contiguous runs: loops over slices are what the compiler makes fast.
    fn runs(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> [&[Point]; 2] {
        let (from, to) = (from.timestamp_millis(), to.timestamp_millis());
        let start = self.points.partition_point(|p| p.ms < from);
        let end = self.points.partition_point(|p| p.ms <= to).max(start);
        let (a, b) = self.points.as_slices();
        let split = a.len();
        [
            &a[start.min(split)..end.min(split)],
            &b[start.max(split) - split..end.max(split) - split],
        ]
    }

    /// The samples with `from <= at <= to`.
    pub fn window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = Sample> + '_ {
        self.runs(from, to)
            .into_iter()
            .flatten()
            .map(|p| p.sample())
    }

    /// Count, mean and highest value of the samples in `[from, to]`.
    pub fn stats(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Option<WindowStats> {
        let (mut count, mut sum, mut max) = (0, 0.0, f64::MIN);
        for run in self.runs(from, to) {
            if run.is_empty() {
                continue;
            }
            count += run.len();
            // Four partial sums: each add need not wait for the one before.
            let mut lanes = [0.0; 4];
            let chunks = run.chunks_exact(4);
            for p in chunks.remainder() {
                lanes[0] += p.value;
            }
            for c in chunks {
                for lane in 0..4 {
                    lanes[lane] += c[lane].value;
                }
            }
            sum += (lanes[0] + lanes[1]) + (lanes[2] + lanes[3]);
            max = max.max(extremes(run).1);
        }
        (count > 0).then(|| WindowStats {
            count,
            mean: sum / count as f64,
            max,
            total: sum,
        })
    }

    /// One bucket per column over `[from, to]`, `None` where no sample fell; a
    /// sample at `to` itself falls in the last column.
    pub fn decimate(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        columns: usize,
    ) -> Vec<Option<Bucket>> {
        let mut buckets = vec![None; columns];
        let start = from.timestamp_millis();
        let span = to.timestamp_millis() - start;
        if columns == 0 || span <= 0 {
            return buckets;
        }
        // Each column's points are a contiguous part of a run: find where the
        // column ends by binary search, then take the extremes in a tight loop.
        let end_of = |col: usize| start + span * (col as i64 + 1) / columns as i64;
        let mut col = 0;
        for mut run in self.runs(from, to) {
            while let Some(first) = run.first() {
                while first.ms >= end_of(col) && col + 1 < columns {
                    col += 1;
                }
                let col_end = end_of(col);
                let n = match col + 1 < columns {
                    true => run.partition_point(|p| p.ms < col_end),
                    false => run.len(),
                };
                let (here, rest) = run.split_at(n);
                let (min, max) = extremes(here);
                let bucket = buckets[col].get_or_insert(Bucket { min, max });
                bucket.min = bucket.min.min(min);
                bucket.max = bucket.max.max(max);
                run = rest;
            }
        }
        buckets
    }
}

/// The lowest and highest value of some points (never empty), four lanes at
/// a time so the comparisons do not wait on each other.
fn extremes(points: &[Point]) -> (f64, f64) {
    let first = points.first().map_or(0.0, |p| p.value);
    let (mut lo, mut hi) = ([first; 4], [first; 4]);
    let chunks = points.chunks_exact(4);
    let tail = chunks.remainder();
    for c in chunks {
        for lane in 0..4 {
            lo[lane] = lo[lane].min(c[lane].value);
            hi[lane] = hi[lane].max(c[lane].value);
        }
    }
    for p in tail {
        lo[0] = lo[0].min(p.value);
        hi[0] = hi[0].max(p.value);
    }
    (
        lo[0].min(lo[1]).min(lo[2].min(lo[3])),
        hi[0].max(hi[1]).max(hi[2].max(hi[3])),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap()
    }

    fn sample(s: i64, value: f64) -> Sample {
        Sample { at: t(s), value }
    }

    #[test]
    fn ring_buffer_keeps_the_newest() {
        let mut series = Series::with_capacity(3);
        for i in 0..5 {
            series.push(sample(i, i as f64));
        }
        let values: Vec<f64> = series.window(t(0), t(10)).map(|s| s.value).collect();
        assert_eq!(values, [2.0, 3.0, 4.0]);
    }

    #[test]
    fn late_samples_are_put_in_order_and_repeats_replace() {
        let mut series = Series::with_capacity(10);
        series.push(sample(5, 5.0));
        series.push(sample(1, 1.0));
        series.push(sample(3, 3.0));
        series.push(sample(3, 30.0));
        series.push(sample(5, f64::NAN));
        let values: Vec<f64> = series.window(t(0), t(10)).map(|s| s.value).collect();
        assert_eq!(values, [1.0, 30.0, 5.0]);
        assert_eq!(series.latest(), Some(sample(5, 5.0)));
    }

    #[test]
    fn decimation_keeps_spikes() {
        let mut series = Series::with_capacity(100);
        for i in 0..10 {
            let v = if i == 3 { 900.0 } else { 200.0 };
            series.push(sample(i, v));
        }
        let buckets = series.decimate(t(0), t(10), 2);
        assert_eq!(
            buckets,
            [
                Some(Bucket {
                    min: 200.0,
                    max: 900.0
                }),
                Some(Bucket {
                    min: 200.0,
                    max: 200.0
                })
            ]
        );
    }

    /// The column a sample belongs to, found the slow and obvious way.
    fn naive(series: &Series, from: i64, to: i64, columns: usize) -> Vec<Option<Bucket>> {
        let mut buckets: Vec<Option<Bucket>> = vec![None; columns];
        let span = to - from;
        for s in series.window(t(from), t(to)) {
            let at = s.at.timestamp() - 1_800_000_000;
            let col = (0..columns)
                .find(|c| at * 1000 < from * 1000 + span * 1000 * (*c as i64 + 1) / columns as i64)
                .unwrap_or(columns - 1);
            let b = buckets[col].get_or_insert(Bucket {
                min: s.value,
                max: s.value,
            });
            b.min = b.min.min(s.value);
            b.max = b.max.max(s.value);
        }
        buckets
    }

    proptest::proptest! {
        #[test]
        fn decimation_matches_the_obvious_way_and_stats_add_up(
            values in proptest::collection::vec((0i64..400, -1e3f64..1e3), 0..300),
            capacity in 1usize..200,
            from in 0i64..200,
            len in 1i64..300,
            columns in 1usize..50,
        ) {
            let mut series = Series::with_capacity(capacity);
            for (at, v) in &values {
                series.push(sample(*at, *v));
            }
            let to = from + len;
            proptest::prop_assert_eq!(
                series.decimate(t(from), t(to), columns),
                naive(&series, from, to, columns)
            );
            let inside: Vec<f64> = series.window(t(from), t(to)).map(|s| s.value).collect();
            let stats = series.stats(t(from), t(to));
            proptest::prop_assert_eq!(stats.map(|s| s.count), (!inside.is_empty()).then_some(inside.len()));
            if let Some(stats) = stats {
                let mean = inside.iter().sum::<f64>() / inside.len() as f64;
                proptest::prop_assert!((stats.mean - mean).abs() < 1e-9);
                proptest::prop_assert!((stats.total - inside.iter().sum::<f64>()).abs() < 1e-9);
                proptest::prop_assert_eq!(stats.max, inside.iter().copied().fold(f64::MIN, f64::max));
            }
        }
    }

    /// A count's total is the span's only when the samples cover it: a
    /// sample each second over 100 s does, one each 10 s (history filled at
    /// a coarser step) does not.
    #[test]
    fn a_total_covers_the_span_only_when_sampled_at_the_interval() {
        let every = std::time::Duration::from_secs(1);
        let mut dense = Series::with_capacity(200);
        let mut sparse = Series::with_capacity(200);
        for i in 0..=100 {
            dense.push(sample(i, 1.0));
            if i % 10 == 0 {
                sparse.push(sample(i, 1.0));
            }
        }
        let dense = dense.stats(t(0), t(100)).expect("samples");
        assert_eq!(
            (dense.total, dense.covers(every, t(0), t(100))),
            (101.0, true)
        );
        let sparse = sparse.stats(t(0), t(100)).expect("samples");
        assert_eq!(
            (sparse.total, sparse.covers(every, t(0), t(100))),
            (11.0, false)
        );
        // Ninety of a hundred seconds is enough; eighty-nine is not.
        let mut most = Series::with_capacity(200);
        for i in 0..90 {
            most.push(sample(i, 0.0));
        }
        let most = most.stats(t(0), t(100)).expect("samples");
        assert!(most.covers(every, t(0), t(100)));
        assert!(!most.covers(every, t(0), t(101)));
    }

    #[test]
    fn decimation_leaves_gaps_empty() {
        let mut series = Series::with_capacity(100);
        series.push(sample(0, 1.0));
        series.push(sample(9, 2.0));
        let buckets = series.decimate(t(0), t(10), 5);
        assert_eq!(buckets.iter().filter(|b| b.is_some()).count(), 2);
        assert!(buckets[2].is_none());
        assert!(series.decimate(t(0), t(10), 0).is_empty());
    }
}
