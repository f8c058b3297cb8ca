//! The time the war room runs on: the system clock, or the system clock shifted
//! so that the demo opens at the story's 16:40 on any day.

use chrono::{DateTime, TimeDelta, Utc};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    offset: TimeDelta,
}

impl Clock {
    pub fn system() -> Clock {
        Clock {
            offset: TimeDelta::zero(),
        }
    }

    /// A clock that reads `start` now and runs at the normal pace from there.
    pub fn starting_at(start: DateTime<Utc>) -> Clock {
        Clock {
            offset: start - Utc::now(),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + self.offset
    }

    /// Real time left until this clock reads `t`; zero if it already has.
    pub fn until(&self, t: DateTime<Utc>) -> std::time::Duration {
        (t - self.now()).to_std().unwrap_or_default()
    }
}

/// The years a time of the night may fall in, as the plan bounds them: a
/// time outside (a broken clock, a sample stamped in year 0) is held to
/// them, so no sum of a time and a window can overflow.
pub fn bounded(t: DateTime<Utc>) -> DateTime<Utc> {
    let lowest = DateTime::<Utc>::UNIX_EPOCH;
    // 9999-12-31T23:59:59Z.
    let highest = DateTime::from_timestamp(253_402_300_799, 0).unwrap_or(DateTime::<Utc>::MAX_UTC);
    t.clamp(lowest, highest)
}

/// Whether `t` is within the years a time of the night may fall in.
pub fn in_bounds(t: DateTime<Utc>) -> bool {
    bounded(t) == t
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn shifted_clock_reads_its_start() {
        let start = Utc.with_ymd_and_hms(2026, 11, 27, 7, 40, 0).unwrap();
        let clock = Clock::starting_at(start);
        let drift = (clock.now() - start).num_milliseconds().abs();
        assert!(drift < 1000, "drift {drift} ms");
        assert!(clock.until(start - TimeDelta::hours(1)).is_zero());
    }
}
