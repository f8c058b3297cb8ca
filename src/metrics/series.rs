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

#[derive(Debug, Clone)]
pub struct Series {
    capacity: usize,
    samples: VecDeque<Sample>,
}

impl Series {
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.max(1);
        Series {
            capacity,
            samples: VecDeque::with_capacity(capacity.min(4096)),
        }
    }

    /// Adds a sample, keeping time order: a late sample (a backfill arriving
    /// after live data) is inserted in place; a repeated timestamp replaces the
    /// old value. NaN and infinities are dropped. Returns whether it was kept.
    pub fn push(&mut self, sample: Sample) -> bool {
        if !sample.value.is_finite() {
            return false;
        }
        // Grow by doubling, but never past the retention: a 48 h series must
        // not hold a power-of-two buffer half again its size.
        let len = self.samples.len();
        if len == self.samples.capacity() && len < self.capacity {
            self.samples
                .reserve_exact(len.max(1024).min(self.capacity - len));
        }
        match self.samples.back() {
            Some(last) if last.at < sample.at => self.samples.push_back(sample),
            None => self.samples.push_back(sample),
            Some(_) => {
                let i = self.samples.partition_point(|s| s.at < sample.at);
                match self.samples.get_mut(i) {
                    Some(s) if s.at == sample.at => s.value = sample.value,
                    _ => self.samples.insert(i, sample),
                }
            }
        }
        while self.samples.len() > self.capacity {
            self.samples.pop_front();
        }
        true
    }

    pub fn len(&self) -> usize {
        self.samples.len()
    }

    pub fn is_empty(&self) -> bool {
        self.samples.is_empty()
    }

    pub fn latest(&self) -> Option<Sample> {
        self.samples.back().copied()
    }

    /// Every sample, newest first.
    pub fn newest_first(&self) -> impl Iterator<Item = Sample> + '_ {
        self.samples.iter().rev().copied()
    }

    /// The samples with `from <= at <= to`.
    pub fn window(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = Sample> + '_ {
        let start = self.samples.partition_point(|s| s.at < from);
        self.samples
            .range(start..)
            .take_while(move |s| s.at <= to)
            .copied()
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
        let span_ms = (to - from).num_milliseconds();
        if columns == 0 || span_ms <= 0 {
            return buckets;
        }
        // Samples are in time order: walk them once against each column's
        // end, comparing times rather than dividing for every sample.
        let end_of = |col: usize| {
            from + chrono::Duration::milliseconds(span_ms * (col as i64 + 1) / columns as i64)
        };
        let mut col = 0;
        let mut col_end = end_of(col);
        for s in self.window(from, to) {
            while s.at >= col_end && col + 1 < columns {
                col += 1;
                col_end = end_of(col);
            }
            let b = buckets[col].get_or_insert(Bucket {
                min: s.value,
                max: s.value,
            });
            b.min = b.min.min(s.value);
            b.max = b.max.max(s.value);
        }
        buckets
    }
}

/// The latest stretch of samples at or above `crit` in `[from, to]` that
/// held at least `hold`: its peak, how long it held (one interval per sample
/// counted), and whether the latest sample is still in it.
pub fn crit_stretch(
    series: &Series,
    crit: f64,
    interval: std::time::Duration,
    hold: std::time::Duration,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Option<CritStretch> {
    let step = chrono::Duration::from_std(interval).unwrap_or_default();
    let held = |start: DateTime<Utc>, end: DateTime<Utc>| {
        (end - start + step).to_std().unwrap_or_default()
    };
    // (start, end, peak) of the stretch in progress.
    let mut run: Option<(DateTime<Utc>, DateTime<Utc>, f64)> = None;
    let mut latest: Option<CritStretch> = None;
    let mut close = |run: (DateTime<Utc>, DateTime<Utc>, f64), ongoing: bool| {
        let (start, end, peak) = run;
        if held(start, end) >= hold {
            latest = Some(CritStretch {
                peak,
                held: held(start, end),
                ongoing,
            });
        }
    };
    for s in series.window(from, to) {
        if s.value >= crit {
            run = Some(match run {
                Some((start, _, peak)) => (start, s.at, f64::max(peak, s.value)),
                None => (s.at, s.at, s.value),
            });
        } else if let Some(done) = run.take() {
            close(done, false);
        }
    }
    if let Some(open) = run {
        close(open, true);
    }
    latest
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CritStretch {
    /// The highest value of the stretch.
    pub peak: f64,
    pub held: std::time::Duration,
    pub ongoing: bool,
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

    #[test]
    fn crit_stretches() {
        let mut series = Series::with_capacity(100);
        let values = [200.0, 510.0, 520.0, 300.0, 505.0, 612.0, 540.0];
        for (i, v) in values.iter().enumerate() {
            series.push(sample(i as i64, *v));
        }
        let second = std::time::Duration::from_secs(1);
        let any = std::time::Duration::ZERO;
        let stretch = crit_stretch(&series, 500.0, second, any, t(0), t(10)).unwrap();
        assert_eq!(
            stretch,
            CritStretch {
                peak: 612.0,
                held: std::time::Duration::from_secs(3),
                ongoing: true
            }
        );
        let earlier = crit_stretch(&series, 500.0, second, any, t(0), t(3)).unwrap();
        assert_eq!(earlier.held, std::time::Duration::from_secs(2));
        assert_eq!(earlier.peak, 520.0, "the peak of that stretch");
        assert!(!earlier.ongoing);
        assert_eq!(crit_stretch(&series, 700.0, second, any, t(0), t(10)), None);
        // A hold of 3 s: only the last stretch held that long.
        let three = std::time::Duration::from_secs(3);
        let held = crit_stretch(&series, 500.0, second, three, t(0), t(10)).unwrap();
        assert_eq!(held.peak, 612.0);
        let four = std::time::Duration::from_secs(4);
        assert_eq!(
            crit_stretch(&series, 500.0, second, four, t(0), t(10)),
            None
        );
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
