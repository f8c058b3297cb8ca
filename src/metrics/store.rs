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
    /// Down: the source failed, with the reason to show.
    Down(String),
}

#[derive(Debug, Clone)]
pub struct MetricStore {
    series: Vec<Series>,
    health: Vec<Health>,
    /// When the source last answered, to tell a silent source from a live one.
    last_seen: Vec<Option<DateTime<Utc>>>,
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
            series,
            health: vec![Health::Starting; intervals.len()],
            last_seen: vec![None; intervals.len()],
        }
    }

    pub fn len(&self) -> usize {
        self.series.len()
    }

    pub fn is_empty(&self) -> bool {
        self.series.is_empty()
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

    /// Returns whether anything was added.
    pub fn record(&mut self, id: MetricId, samples: &[Sample]) -> bool {
        let Some(series) = self.series.get_mut(id) else {
            return false;
        };
        for s in samples {
            series.push(*s);
        }
        if let Some(newest) = samples.iter().map(|s| s.at).max() {
            let seen = &mut self.last_seen[id];
            *seen = Some(seen.map_or(newest, |old| old.max(newest)));
        }
        !samples.is_empty()
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
    fn health_changes_are_reported_once() {
        let mut store = MetricStore::new(&[Duration::from_secs(1)]);
        assert!(store.set_health(0, Health::Ok));
        assert!(!store.set_health(0, Health::Ok));
        assert!(store.set_health(0, Health::Down("connection refused".into())));
        assert!(!store.record(7, &[]));
    }
}
