//! The demo simulator: production traffic of the story, about 1500 TPS and
//! 180 ms, with noise. Before the deploy the old API timeout still bites (a
//! few slow calls and timeout errors); after it, the night is calm.
//!
//! Every value is a pure function of the seed and the sample's time slot, so
//! the five series agree with each other, a backfill matches what live
//! sampling would have produced, and a seed replays the same night.

use std::f64::consts::TAU;
use std::time::Duration;

use chrono::{DateTime, Utc};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tokio::sync::mpsc;

use super::{Backfill, Reading};
use crate::clock::Clock;
use crate::metrics::{Health, MetricId, Sample};
pub use crate::spec::Signal;

/// The simulated traffic of one time slot.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Traffic {
    pub latency_avg_ms: f64,
    pub latency_p95_ms: f64,
    pub latency_max_ms: f64,
    pub error_rate_pct: f64,
    pub tps: f64,
    pub timeouts: f64,
}

impl Traffic {
    pub fn signal(&self, signal: Signal) -> f64 {
        match signal {
            Signal::LatencyAvg => self.latency_avg_ms,
            Signal::LatencyP95 => self.latency_p95_ms,
            Signal::LatencyMax => self.latency_max_ms,
            Signal::ErrorRate => self.error_rate_pct,
            Signal::Tps => self.tps,
            Signal::Timeouts => self.timeouts,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Simulator {
    pub seed: u64,
    /// Before this, production still runs with the old API timeout.
    pub deploy_at: DateTime<Utc>,
}

impl Simulator {
    pub fn traffic(&self, at: DateTime<Utc>) -> Traffic {
        // Seeded per millisecond slot, so sub-second intervals vary too.
        let millis = at.timestamp_millis();
        let mut rng = ChaCha8Rng::seed_from_u64(
            self.seed ^ (millis as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        let t = millis as f64 / 1000.0;
        // Slow waves of load: a 20-minute swell and a 3-minute ripple.
        let wave = (t * TAU / 1200.0).sin() * 0.6 + (t * TAU / 180.0).sin() * 0.4;
        let tps = 1500.0 + 180.0 * wave + rng.random_range(-60.0..60.0);
        let load = tps / 1500.0;
        let latency_avg_ms = 172.0 * load.powf(0.5) + rng.random_range(-8.0..8.0);
        let latency_p95_ms = latency_avg_ms * 1.42 + rng.random_range(-12.0..12.0);
        let mut latency_max_ms = latency_p95_ms * 1.25 + rng.random_range(0.0..25.0);
        let mut error_rate_pct = 0.001 + rng.random_range(0.0..0.002);
        let mut timeouts = 0.0;
        if at < self.deploy_at && rng.random_bool(0.04) {
            // The customer complaints of the story: a call hits the old timeout.
            latency_max_ms = rng.random_range(500.0..540.0);
            error_rate_pct += rng.random_range(0.02..0.06);
            timeouts = f64::from(rng.random_range(1..=3u8));
        }
        Traffic {
            latency_avg_ms,
            latency_p95_ms,
            latency_max_ms,
            error_rate_pct,
            tps,
            timeouts,
        }
    }

    /// One sample of `signal` per slot in `[from, to]`: what a source polled
    /// every `interval` would have seen.
    pub fn samples(
        &self,
        signal: Signal,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        interval: Duration,
    ) -> Vec<Sample> {
        Simulator::slots(from, to, interval)
            .into_iter()
            .map(|at| Sample {
                at,
                value: self.traffic(at).signal(signal),
            })
            .collect()
    }

    /// The slot start of every `interval` in `[from, to]`.
    pub fn slots(from: DateTime<Utc>, to: DateTime<Utc>, interval: Duration) -> Vec<DateTime<Utc>> {
        let step = i64::try_from(interval.as_millis())
            .unwrap_or(i64::MAX)
            .max(1);
        let first = from.timestamp_millis().div_euclid(step) * step;
        (0..)
            .map(|k| first + k * step)
            .skip_while(|ms| *ms < from.timestamp_millis())
            .take_while(|ms| *ms <= to.timestamp_millis())
            .filter_map(DateTime::from_timestamp_millis)
            .collect()
    }
}

/// The simulator as a source like any other: it first fills the backfill's
/// fine span at its interval, then sends what each interval brings until the
/// loop stops listening. After a pause (a suspended laptop) it catches up in
/// one batch, never more than the fine span.
pub async fn run(
    id: MetricId,
    signal: Signal,
    simulator: Simulator,
    interval: Duration,
    backfill: Backfill,
    clock: Clock,
    tx: mpsc::Sender<Reading>,
) {
    if tx.send(Reading::Health(id, Health::Ok)).await.is_err() {
        return;
    }
    let step = chrono::Duration::from_std(interval).unwrap_or(chrono::Duration::seconds(1));
    let fine = backfill.fine_delta();
    // The longer spans a chart can zoom to, at a minute a point: the demo's
    // night has a past too.
    let now = clock.now();
    let history = simulator.samples(
        signal,
        now - backfill.longest_delta(),
        now - fine,
        Duration::from_secs(60),
    );
    if tx.send(Reading::Samples(id, history)).await.is_err() {
        return;
    }
    let mut last: Option<DateTime<Utc>> = None;
    loop {
        let now = clock.now();
        let window_start = now - fine;
        let from = match last {
            Some(t) => (t + chrono::Duration::milliseconds(1)).max(window_start),
            None => window_start,
        };
        let samples = simulator.samples(signal, from, now, interval);
        if let Some(newest) = samples.last() {
            last = Some(newest.at);
            if tx.send(Reading::Samples(id, samples)).await.is_err() {
                return;
            }
        }
        let next = last.map_or(now, |t| t + step);
        tokio::time::sleep(clock.until(next)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn simulator() -> Simulator {
        Simulator {
            seed: 27,
            deploy_at: Utc.with_ymd_and_hms(2026, 11, 27, 14, 0, 0).unwrap(),
        }
    }

    #[test]
    fn same_seed_same_night() {
        let at = Utc.with_ymd_and_hms(2026, 11, 27, 7, 40, 0).unwrap();
        assert_eq!(simulator().traffic(at), simulator().traffic(at));
        let other = Simulator {
            seed: 28,
            ..simulator()
        };
        assert_ne!(simulator().traffic(at), other.traffic(at));
    }

    #[test]
    fn traffic_is_around_the_story_figures() {
        let sim = simulator();
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 14, 5, 0).unwrap();
        let hour: Vec<Traffic> = (0..3600)
            .map(|s| sim.traffic(start + chrono::Duration::seconds(s)))
            .collect();
        let mean = |f: fn(&Traffic) -> f64| hour.iter().map(f).sum::<f64>() / hour.len() as f64;
        let tps = mean(|t| t.tps);
        let avg = mean(|t| t.latency_avg_ms);
        assert!((1400.0..1600.0).contains(&tps), "tps {tps}");
        assert!((165.0..195.0).contains(&avg), "avg {avg}");
        for t in &hour {
            assert!(t.latency_avg_ms < t.latency_p95_ms && t.latency_p95_ms < t.latency_max_ms);
            // After the deploy no call reaches the 500 ms timeout.
            assert!(t.latency_max_ms < 500.0, "{t:?}");
            assert!(t.tps < 2800.0 && t.error_rate_pct < 0.1);
        }
    }

    #[test]
    fn before_the_deploy_some_calls_time_out() {
        let sim = simulator();
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 7, 40, 0).unwrap();
        let timeouts = (0..600)
            .map(|s| sim.traffic(start + chrono::Duration::seconds(s)))
            .filter(|t| t.latency_max_ms >= 500.0)
            .count();
        assert!((5..60).contains(&timeouts), "{timeouts} timeouts in 10 min");
    }

    #[test]
    fn slots_are_aligned_to_the_interval() {
        let from = Utc.timestamp_millis_opt(1_000_500).unwrap();
        let to = Utc.timestamp_millis_opt(1_004_000).unwrap();
        let slots = Simulator::slots(from, to, Duration::from_secs(1));
        let ms: Vec<i64> = slots.iter().map(|t| t.timestamp_millis()).collect();
        assert_eq!(ms, [1_001_000, 1_002_000, 1_003_000, 1_004_000]);
    }
}
