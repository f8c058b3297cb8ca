//! Calls counted by their whole milliseconds, for nearest-rank percentiles
//! that are exact at any latency.
//!
//! An HDR histogram exact to the millisecond up to 100 s holds about 6 MB of
//! counters from its first call, and a summary keeps one for every label: a
//! k6 run whose labels are its URLs would grow with them. Counted here, a
//! label costs what its slowest call needs: 4 KB for calls under half a
//! second, half a megabyte at most, and a few bytes for each distinct
//! latency past a minute.

use std::collections::BTreeMap;

/// Latencies below this are counted in a vector indexed by milliseconds.
const DENSE_MS: usize = 65_536;

#[derive(Debug, Clone, Default)]
pub struct MillisecondCounts {
    /// Calls by their milliseconds, grown to the slowest call seen.
    dense: Vec<u64>,
    /// Calls of a minute and more, by their milliseconds.
    sparse: BTreeMap<u32, u64>,
    calls: u64,
    max: u32,
}

impl MillisecondCounts {
    pub fn record(&mut self, ms: u32) {
        let i = ms as usize;
        if i < DENSE_MS {
            if self.dense.len() <= i {
                // Doubling keeps the grows few while the slowest call climbs.
                let len = (i + 1).next_power_of_two().clamp(512, DENSE_MS);
                self.dense.resize(len, 0);
            }
            self.dense[i] += 1;
        } else {
            *self.sparse.entry(ms).or_default() += 1;
        }
        self.calls += 1;
        self.max = self.max.max(ms);
    }

    pub fn calls(&self) -> u64 {
        self.calls
    }

    /// The slowest call; 0 before any.
    pub fn max(&self) -> u32 {
        self.max
    }

    /// The nearest rank at `percent`: the latency of the call at rank
    /// ⌈percent × n / 100⌉ in order of latency; 0 before any call.
    pub fn percentile(&self, percent: u64) -> u32 {
        if self.calls == 0 {
            return 0;
        }
        let rank = (self.calls * percent.min(100)).div_ceil(100).max(1);
        let mut seen = 0u64;
        for (ms, n) in self.dense.iter().enumerate() {
            seen += n;
            if seen >= rank {
                return u32::try_from(ms).unwrap_or(u32::MAX);
            }
        }
        for (ms, n) in &self.sparse {
            seen += n;
            if seen >= rank {
                return *ms;
            }
        }
        self.max
    }

    /// Bytes held for the counts: what a label costs.
    pub fn held_bytes(&self) -> usize {
        self.dense.capacity() * std::mem::size_of::<u64>()
            + self.sparse.len() * 2 * std::mem::size_of::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_on_whole_milliseconds() {
        let mut c = MillisecondCounts::default();
        for ms in 1..=100 {
            c.record(ms);
        }
        let got: Vec<u32> = [50, 90, 95, 99, 100].map(|p| c.percentile(p)).to_vec();
        assert_eq!(got, [50, 90, 95, 99, 100]);
        // Twenty calls: rank ⌈0.95 × 20⌉ = 19.
        let mut twenty = MillisecondCounts::default();
        (1..=20).for_each(|ms| twenty.record(ms));
        assert_eq!(twenty.percentile(95), 19);
    }

    #[test]
    fn a_zero_millisecond_call_is_counted_as_zero() {
        let mut c = MillisecondCounts::default();
        c.record(0);
        c.record(0);
        c.record(7);
        assert_eq!((c.percentile(50), c.percentile(99), c.max()), (0, 7, 7));
    }

    #[test]
    fn slow_calls_stay_exact_past_the_vector() {
        let mut c = MillisecondCounts::default();
        for _ in 0..98 {
            c.record(200);
        }
        c.record(3_600_001);
        c.record(65_537);
        assert_eq!(c.percentile(98), 200);
        assert_eq!(c.percentile(99), 65_537);
        assert_eq!(c.percentile(100), 3_600_001);
        assert_eq!(c.max(), 3_600_001);
    }

    #[test]
    fn memory_follows_the_slowest_call_not_the_calls() {
        let mut c = MillisecondCounts::default();
        for n in 0..1_000_000u32 {
            c.record(n % 350);
        }
        assert_eq!(c.held_bytes(), 4096, "512 counters of 8 bytes");
        c.record(65_535);
        assert_eq!(c.held_bytes(), 512 * 1024, "the vector's cap");
        for n in 0..1000 {
            c.record(120_000 + n % 10);
        }
        assert_eq!(c.held_bytes(), 512 * 1024 + 10 * 16);
        assert_eq!(c.calls(), 1_001_001);
    }

    #[test]
    fn before_any_call_everything_is_zero() {
        let c = MillisecondCounts::default();
        assert_eq!((c.percentile(50), c.max(), c.calls()), (0, 0, 0));
    }
}
