//! The one rule for "held at crit", for alerts and the gate alike: a run of
//! samples at or above crit, ended by the first sample back below it or by a
//! gap longer than the source can explain. It must hold for a while (one slow
//! call is not an incident).

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::{Sample, Series};

/// A run of samples at or above crit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stretch {
    /// The first sample of the run.
    pub since: DateTime<Utc>,
    /// The last sample of the run at or above crit.
    pub last: Sample,
    pub peak: f64,
    /// From the first sample to one interval after the last: one sample at a
    /// 1 s interval held for 1 s.
    pub held: Duration,
    /// The first sample back below crit, once there is one.
    pub ended_at: Option<DateTime<Utc>>,
}

impl Stretch {
    /// A run of one sample.
    fn starting(s: Sample, interval: Duration) -> Stretch {
        Stretch {
            since: s.at,
            last: s,
            peak: s.value,
            held: held(s.at, s.at, interval),
            ended_at: None,
        }
    }
}

/// Samples further apart than this many intervals are not one run: the
/// source was down in between, and nobody knows what happened there.
const GAP_INTERVALS: u32 = 3;

fn gap(interval: Duration) -> chrono::TimeDelta {
    chrono::TimeDelta::from_std(interval * GAP_INTERVALS).unwrap_or(chrono::TimeDelta::MAX)
}

/// Every run at or above crit among the samples in `[from, to]`, oldest
/// first. A run ends at the first sample below crit (its `ended_at`) or at a
/// gap in the data, where nobody knows what happened (no `ended_at`, and the
/// next run starts after the gap).
pub fn runs(
    series: &Series,
    crit: f64,
    interval: Duration,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Vec<Stretch> {
    let mut done = Vec::new();
    let mut run: Option<Stretch> = None;
    let mut previous: Option<DateTime<Utc>> = None;
    for s in series.window(from, to) {
        let after_gap = previous.is_some_and(|p| s.at - p > gap(interval));
        previous = Some(s.at);
        if after_gap && let Some(r) = run.take() {
            done.push(r);
        }
        match &mut run {
            None if s.value < crit => {}
            None => run = Some(Stretch::starting(s, interval)),
            Some(r) if s.value < crit => {
                r.ended_at = Some(s.at);
                done.extend(run.take());
            }
            Some(r) => {
                r.last = s;
                r.peak = r.peak.max(s.value);
                r.held = held(r.since, s.at, interval);
            }
        }
    }
    done.extend(run);
    done
}

/// The run the newest sample belongs to, if the newest sample is at or above
/// crit. Reads back from the newest sample only as far as the run goes.
pub fn ongoing(series: &Series, crit: f64, interval: Duration) -> Option<Stretch> {
    let mut samples = series.newest_first();
    let last = samples.next().filter(|s| s.value >= crit)?;
    let (mut since, mut peak) = (last.at, last.value);
    for s in samples {
        if s.value < crit || since - s.at > gap(interval) {
            break;
        }
        since = s.at;
        peak = peak.max(s.value);
    }
    Some(Stretch {
        since,
        last,
        peak,
        held: held(since, last.at, interval),
        ended_at: None,
    })
}

/// The first run at or above crit from `since` on, read forward to its first
/// sample below crit (or the first after a gap in the data). `None` when no
/// sample from `since` on is at or above crit.
pub fn run_from(
    series: &Series,
    crit: f64,
    interval: Duration,
    since: DateTime<Utc>,
) -> Option<Stretch> {
    let mut run: Option<Stretch> = None;
    for s in series.window(since, DateTime::<Utc>::MAX_UTC) {
        match &mut run {
            None if s.value < crit => {}
            None => run = Some(Stretch::starting(s, interval)),
            Some(r) if s.value < crit || s.at - r.last.at > gap(interval) => {
                r.ended_at = Some(s.at);
                break;
            }
            Some(r) => {
                r.last = s;
                r.peak = r.peak.max(s.value);
                r.held = held(r.since, s.at, interval);
            }
        }
    }
    run
}

/// What the gate says of a metric in its window: the latest run that held
/// at least `hold`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CritStretch {
    /// When the run began.
    pub since: DateTime<Utc>,
    /// The highest value of the run.
    pub peak: f64,
    pub held: Duration,
    /// Whether the newest sample of the window is still in it.
    pub ongoing: bool,
}

/// The latest run in `[from, to]` that held at least `hold`, by the same
/// rule as the alerts.
pub fn crit_stretch(
    series: &Series,
    crit: f64,
    interval: Duration,
    hold: Duration,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Option<CritStretch> {
    let all = runs(series, crit, interval, from, to);
    let newest = series.window(from, to).last().map(|s| s.at);
    all.iter()
        .rev()
        .find(|r| r.held >= hold)
        .map(|r| CritStretch {
            since: r.since,
            peak: r.peak,
            held: r.held,
            ongoing: r.ended_at.is_none() && Some(r.last.at) == newest,
        })
}

/// The alert for a metric now: its ongoing run, once it has held for `hold`.
pub fn firing(series: &Series, crit: f64, interval: Duration, hold: Duration) -> Option<Stretch> {
    ongoing(series, crit, interval).filter(|s| s.held >= hold)
}

fn held(since: DateTime<Utc>, last: DateTime<Utc>, interval: Duration) -> Duration {
    (last - since).to_std().unwrap_or_default() + interval
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const SECOND: Duration = Duration::from_secs(1);

    fn t(s: i64) -> DateTime<Utc> {
        Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap()
    }

    fn series(values: &[f64]) -> Series {
        let mut series = Series::with_capacity(1000);
        for (i, v) in values.iter().enumerate() {
            series.push(Sample {
                at: t(i as i64),
                value: *v,
            });
        }
        series
    }

    /// The alert, sample by sample: what `firing` says after each one arrives.
    fn firing_after_each(values: &[f64], hold: Duration) -> Vec<bool> {
        (1..=values.len())
            .map(|n| firing(&series(&values[..n]), 500.0, SECOND, hold).is_some())
            .collect()
    }

    #[test]
    fn an_alert_starts_at_the_sample_that_completes_the_hold_and_ends_at_the_first_below() {
        let values = [200.0, 510.0, 520.0, 612.0, 530.0, 499.0, 505.0];
        let hold = Duration::from_secs(3);
        assert_eq!(
            firing_after_each(&values, hold),
            [false, false, false, true, true, false, false],
            "held 3 s at the fourth sample (510, 520, 612); over at 499"
        );
        let run = run_from(&series(&values), 500.0, SECOND, t(1)).unwrap();
        assert_eq!(run.since, t(1));
        assert_eq!(run.peak, 612.0);
        assert_eq!(run.held, Duration::from_secs(4));
        assert_eq!(run.last.value, 530.0);
        assert_eq!(run.ended_at, Some(t(5)));
    }

    #[test]
    fn the_ongoing_run_is_read_back_only_to_its_start() {
        let s = series(&[600.0, 100.0, 700.0, 800.0]);
        let run = ongoing(&s, 500.0, SECOND).unwrap();
        assert_eq!(run.since, t(2));
        assert_eq!(run.peak, 800.0);
        assert_eq!(run.held, Duration::from_secs(2));
        assert_eq!(ongoing(&series(&[600.0, 100.0]), 500.0, SECOND), None);
        assert_eq!(ongoing(&Series::with_capacity(4), 500.0, SECOND), None);
    }

    #[test]
    fn a_gap_in_the_data_breaks_a_run() {
        let mut s = Series::with_capacity(100);
        for (at, v) in [
            (0, 600.0),
            (1, 600.0),
            (2, 600.0),
            (600, 600.0),
            (601, 610.0),
        ] {
            s.push(Sample {
                at: t(at),
                value: v,
            });
        }
        // The source was down for ten minutes: the run is the last two samples.
        let run = ongoing(&s, 500.0, SECOND).unwrap();
        assert_eq!((run.since, run.held), (t(600), Duration::from_secs(2)));
        let first = run_from(&s, 500.0, SECOND, t(0)).unwrap();
        assert_eq!(
            (first.held, first.ended_at),
            (Duration::from_secs(3), Some(t(600)))
        );
    }

    #[test]
    fn exactly_at_crit_counts_and_just_below_does_not() {
        let at = [500.0; 30];
        assert!(firing(&series(&at), 500.0, SECOND, Duration::from_secs(30)).is_some());
        let below = [499.999; 30];
        assert!(firing(&series(&below), 500.0, SECOND, Duration::ZERO).is_none());
    }

    #[test]
    fn a_run_is_the_first_from_its_start_on() {
        let s = series(&[100.0, 600.0, 650.0, 100.0, 900.0]);
        let first = run_from(&s, 500.0, SECOND, t(0)).unwrap();
        assert_eq!(
            (first.since, first.peak, first.ended_at),
            (t(1), 650.0, Some(t(3)))
        );
        let open = run_from(&s, 500.0, SECOND, t(4)).unwrap();
        assert_eq!(open.ended_at, None);
        assert_eq!(
            run_from(&series(&[100.0, 200.0]), 500.0, SECOND, t(0)),
            None
        );
    }
    #[test]
    fn crit_stretches() {
        let mut series = Series::with_capacity(100);
        let values = [200.0, 510.0, 520.0, 300.0, 505.0, 612.0, 540.0];
        for (i, v) in values.iter().enumerate() {
            series.push(Sample {
                at: t(i as i64),
                value: *v,
            });
        }
        let second = std::time::Duration::from_secs(1);
        let any = std::time::Duration::ZERO;
        let stretch = crit_stretch(&series, 500.0, second, any, t(0), t(10)).unwrap();
        assert_eq!(
            stretch,
            CritStretch {
                since: t(4),
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
    fn the_gate_and_the_alerts_break_a_run_at_the_same_gap() {
        // Crit before and after a ten-minute outage: two runs of 3 s, not
        // one of ten minutes.
        let mut s = Series::with_capacity(100);
        for at in [0, 1, 2, 600, 601, 602] {
            s.push(Sample {
                at: t(at),
                value: 600.0,
            });
        }
        let thirty = Duration::from_secs(30);
        assert_eq!(crit_stretch(&s, 500.0, SECOND, thirty, t(0), t(700)), None);
        let all = runs(&s, 500.0, SECOND, t(0), t(700));
        assert_eq!(
            all.iter()
                .map(|r| (r.since, r.held, r.ended_at))
                .collect::<Vec<_>>(),
            [
                (t(0), Duration::from_secs(3), None),
                (t(600), Duration::from_secs(3), None)
            ]
        );
        assert_eq!(firing(&s, 500.0, SECOND, thirty), None);
    }
}
