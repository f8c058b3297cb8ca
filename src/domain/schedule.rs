//! Where the night stands relative to the deploy time: the countdown before,
//! the watch window after.

use std::time::Duration;

use chrono::{DateTime, Utc};

use super::zone::Zone;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub deploy_at: DateTime<Utc>,
    /// The zone the plan named the deploy time in.
    pub zone: Zone,
    /// How long to watch the metrics after the deploy.
    pub watch_for: Duration,
}

/// Which part of the night `now` falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    BeforeDeploy,
    Watching,
    AfterWatch,
}

impl Schedule {
    /// The end of the watch window; the plan bounds `watch_for`, and an
    /// out-of-range sum saturates rather than panics.
    pub fn watch_until(&self) -> DateTime<Utc> {
        chrono::Duration::from_std(self.watch_for)
            .ok()
            .and_then(|d| self.deploy_at.checked_add_signed(d))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }

    pub fn phase(&self, now: DateTime<Utc>) -> Phase {
        if now < self.deploy_at {
            Phase::BeforeDeploy
        } else if now < self.watch_until() {
            Phase::Watching
        } else {
            Phase::AfterWatch
        }
    }

    pub fn countdown(&self, now: DateTime<Utc>) -> Countdown {
        Countdown::between(now, self.deploy_at)
    }
}

/// Whole seconds to (or since) the deploy, as the room reads it: `T-6:20:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Countdown {
    /// Seconds until the deploy; negative once it has passed.
    pub seconds_left: i64,
}

impl Countdown {
    pub fn between(now: DateTime<Utc>, deploy_at: DateTime<Utc>) -> Countdown {
        // Round up before the deploy, so the display reaches T-0:00:00 exactly at
        // the deploy second and never shows T-0:00:00 a second early.
        let millis = (deploy_at - now).num_milliseconds();
        let seconds_left = if millis > 0 {
            (millis + 999) / 1000
        } else {
            millis / 1000
        };
        Countdown { seconds_left }
    }
}

impl std::fmt::Display for Countdown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let sign = if self.seconds_left > 0 { '-' } else { '+' };
        let s = self.seconds_left.unsigned_abs();
        write!(f, "T{sign}{}:{:02}:{:02}", s / 3600, s / 60 % 60, s % 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32, s: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 27, h, m, s).unwrap()
    }

    fn schedule() -> Schedule {
        Schedule {
            deploy_at: at(14, 0, 0),
            zone: Zone::utc(),
            watch_for: Duration::from_secs(50 * 60),
        }
    }

    #[test]
    fn story_countdowns() {
        let s = schedule();
        assert_eq!(s.countdown(at(7, 0, 0)).to_string(), "T-7:00:00");
        assert_eq!(s.countdown(at(7, 40, 0)).to_string(), "T-6:20:00");
        assert_eq!(s.countdown(at(14, 0, 0)).to_string(), "T+0:00:00");
        assert_eq!(s.countdown(at(14, 5, 0)).to_string(), "T+0:05:00");
    }

    #[test]
    fn partial_seconds_round_toward_the_deploy() {
        let s = schedule();
        let almost = at(13, 59, 59) + chrono::Duration::milliseconds(500);
        assert_eq!(s.countdown(almost).to_string(), "T-0:00:01");
        let just_after = at(14, 0, 0) + chrono::Duration::milliseconds(500);
        assert_eq!(s.countdown(just_after).to_string(), "T+0:00:00");
    }

    #[test]
    fn phases() {
        let s = schedule();
        assert_eq!(s.phase(at(13, 0, 0)), Phase::BeforeDeploy);
        assert_eq!(s.phase(at(14, 5, 0)), Phase::Watching);
        assert_eq!(s.phase(at(14, 50, 0)), Phase::AfterWatch);
        assert_eq!(s.watch_until(), at(14, 50, 0));
    }
}
