//! When to try the server again after a failed connection: soon at first,
//! then less often, so a dozen seats do not hammer a database that is
//! restarting, and never so seldom that a seat stays offline long after it
//! is back.

use std::time::{Duration, Instant};

const FIRST: Duration = Duration::from_millis(250);
const LONGEST: Duration = Duration::from_secs(4);

#[derive(Debug, Default)]
pub struct Backoff {
    failures: u32,
    next_try: Option<Instant>,
}

impl Backoff {
    /// Notes a failure at `now`; returns how long to wait before the next try.
    pub fn failed(&mut self, now: Instant) -> Duration {
        let wait = FIRST.saturating_mul(1 << self.failures.min(8)).min(LONGEST);
        self.failures = self.failures.saturating_add(1);
        self.next_try = Some(now + wait);
        wait
    }

    pub fn succeeded(&mut self) {
        *self = Backoff::default();
    }

    /// Whether a try at `now` is due.
    pub fn due(&self, now: Instant) -> bool {
        self.next_try.is_none_or(|at| now >= at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_up_to_four_seconds_and_starts_over_on_success() {
        let now = Instant::now();
        let mut backoff = Backoff::default();
        assert!(backoff.due(now));
        let waits: Vec<u128> = (0..7).map(|_| backoff.failed(now).as_millis()).collect();
        assert_eq!(waits, [250, 500, 1000, 2000, 4000, 4000, 4000]);
        assert!(!backoff.due(now + Duration::from_millis(3999)));
        assert!(backoff.due(now + Duration::from_millis(4000)));
        backoff.succeeded();
        assert!(backoff.due(now));
        assert_eq!(backoff.failed(now), FIRST);
    }
}
