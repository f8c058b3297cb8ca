//! Every metric's series and its source's health, indexed like the plan's metrics.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Sample, Series};

/// Position of a metric in the plan.
pub type MetricId = usize;

/// The longest window a chart can show; series are sized to hold it.
pub const RETENTION: Duration = Duration::from_secs(48 * 3600);

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Health {
    /// No answer yet.
    Starting,
    Ok,
    /// The source said it is fine, but no sample came for three intervals.
    Stale,
    /// Down: the source failed, with the reason to show.
    Down(String),
    /// Reading a backlog (a result file written before it was opened):
    /// `read` of `total` bytes so far. Not known until it is read.
    Reading {
        read: u64,
        total: u64,
    },
}

impl Health {
    /// Down, for a reason that came from outside (a server's error text may
    /// echo a secret or carry escape sequences): made safe to show here, once.
    pub fn down(reason: impl std::fmt::Display) -> Health {
        Health::Down(crate::outside::shown(&reason.to_string()))
    }
}

/// Intervals without a sample after which a source counts as stale.
const STALE_AFTER_INTERVALS: u32 = 3;

#[derive(Debug, Clone)]
pub struct MetricStore {
    intervals: Vec<Duration>,
    series: Vec<Series>,
    health: Vec<Health>,
    /// When the source last answered, to tell a silent source from a live one.
    last_seen: Vec<Option<DateTime<Utc>>>,
    /// Series that never go stale: a finished load test is done, not silent.
    finished_ok: Vec<bool>,
}

impl MetricStore {
    /// One series per metric, each holding `RETENTION` at its interval.
    pub fn new(intervals: &[Duration]) -> Self {
        let series = intervals
            .iter()
            .map(|interval| {
                let per = interval.as_millis().max(1);
                let capacity = usize::try_from(RETENTION.as_millis() / per).unwrap_or(usize::MAX);
                Series::with_capacity(capacity)
            })
            .collect();
        MetricStore {
            intervals: intervals.to_vec(),
            series,
            health: vec![Health::Starting; intervals.len()],
            last_seen: vec![None; intervals.len()],
            finished_ok: vec![false; intervals.len()],
        }
    }

    /// Says that a quiet `id` is a finished record, never stale.
    pub fn never_stale(&mut self, id: MetricId) {
        if let Some(f) = self.finished_ok.get_mut(id) {
            *f = true;
        }
    }

    pub fn series(&self, id: MetricId) -> Option<&Series> {
        self.series.get(id)
    }

    pub fn health(&self, id: MetricId) -> Option<&Health> {
        self.health.get(id)
    }

    pub fn last_seen(&self, id: MetricId) -> Option<DateTime<Utc>> {
        self.last_seen.get(id).copied().flatten()
    }

    /// Returns whether anything was added. A fresh sample ends staleness.
    pub fn record(&mut self, id: MetricId, samples: &[Sample]) -> bool {
        let Some(series) = self.series.get_mut(id) else {
            return false;
        };
        let mut added = false;
        // A sample stamped outside the years a night can have is noise.
        for s in samples.iter().filter(|s| crate::clock::in_bounds(s.at)) {
            added |= series.push(*s);
        }
        if let Some(newest) = samples
            .iter()
            .filter(|s| s.value.is_finite() && crate::clock::in_bounds(s.at))
            .map(|s| s.at)
            .max()
        {
            let seen = &mut self.last_seen[id];
            *seen = Some(seen.map_or(newest, |old| old.max(newest)));
            if self.health[id] == Health::Stale {
                self.health[id] = Health::Ok;
            }
        }
        added
    }

    /// Marks sources that report ok but have sent nothing for three intervals
    /// as stale; returns whether any changed.
    pub fn mark_stale(&mut self, now: DateTime<Utc>) -> bool {
        let mut changed = false;
        for id in 0..self.series.len() {
            let limit = chrono::Duration::from_std(self.intervals[id] * STALE_AFTER_INTERVALS)
                .unwrap_or(chrono::TimeDelta::MAX);
            let silent =
                !self.finished_ok[id] && self.last_seen[id].is_some_and(|t| now - t > limit);
            if silent && self.health[id] == Health::Ok {
                self.health[id] = Health::Stale;
                changed = true;
            }
        }
        changed
    }

    /// Returns whether the health changed.
    pub fn set_health(&mut self, id: MetricId, health: Health) -> bool {
        match self.health.get_mut(id) {
            Some(h) if *h != health => {
                *h = health;
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn series_hold_48_hours_at_their_interval() {
        let mut store = MetricStore::new(&[Duration::from_secs(60)]);
        let start = Utc.timestamp_opt(1_800_000_000, 0).unwrap();
        let samples: Vec<Sample> = (0..3000)
            .map(|i| Sample {
                at: start + chrono::Duration::minutes(i),
                value: 1.0,
            })
            .collect();
        assert!(store.record(0, &samples));
        assert_eq!(store.series(0).map(Series::len), Some(48 * 60));
        assert_eq!(
            store.last_seen(0),
            Some(start + chrono::Duration::minutes(2999))
        );
    }

    #[test]
    fn silent_sources_turn_stale_and_recover() {
        let mut store = MetricStore::new(&[Duration::from_secs(5)]);
        let t0 = Utc.timestamp_opt(1_800_000_000, 0).unwrap();
        store.set_health(0, Health::Ok);
        store.record(0, &[Sample { at: t0, value: 1.0 }]);
        assert!(!store.mark_stale(t0 + chrono::Duration::seconds(15)));
        assert!(store.mark_stale(t0 + chrono::Duration::seconds(16)));
        assert_eq!(store.health(0), Some(&Health::Stale));
        assert!(!store.mark_stale(t0 + chrono::Duration::seconds(17)));
        let later = t0 + chrono::Duration::seconds(20);
        assert!(store.record(
            0,
            &[Sample {
                at: later,
                value: 2.0
            }]
        ));
        assert_eq!(store.health(0), Some(&Health::Ok));
    }

    #[test]
    fn a_finished_record_is_never_stale() {
        let mut store = MetricStore::new(&[Duration::from_secs(1)]);
        store.never_stale(0);
        let t0 = Utc.timestamp_opt(1_800_000_000, 0).unwrap();
        store.set_health(0, Health::Ok);
        store.record(0, &[Sample { at: t0, value: 1.0 }]);
        assert!(!store.mark_stale(t0 + chrono::Duration::hours(3)));
        assert_eq!(store.health(0), Some(&Health::Ok));
    }

    #[test]
    fn down_sources_stay_down_when_silent() {
        let mut store = MetricStore::new(&[Duration::from_secs(1)]);
        let t0 = Utc.timestamp_opt(1_800_000_000, 0).unwrap();
        store.record(0, &[Sample { at: t0, value: 1.0 }]);
        store.set_health(0, Health::Down("timeout".into()));
        assert!(!store.mark_stale(t0 + chrono::Duration::minutes(5)));
    }

    #[test]
    fn non_finite_samples_add_nothing() {
        let mut store = MetricStore::new(&[Duration::from_secs(1)]);
        let t0 = Utc.timestamp_opt(1_800_000_000, 0).unwrap();
        assert!(!store.record(
            0,
            &[Sample {
                at: t0,
                value: f64::NAN
            }]
        ));
        assert_eq!(store.last_seen(0), None);
    }

    #[test]
    fn health_changes_are_reported_once() {
        let mut store = MetricStore::new(&[Duration::from_secs(1)]);
        assert!(store.set_health(0, Health::Ok));
        assert!(!store.set_health(0, Health::Ok));
        assert!(store.set_health(0, Health::Down("connection refused".into())));
        assert!(!store.record(7, &[]));
    }
}
