//! What each second of a load test showed, told only once it is whole.
//!
//! JMeter writes a call's line when the call ends and stamps it with when it
//! began, so a second's lines keep coming after later seconds have begun:
//! for as long as its slowest call takes. A second is whole once the file
//! has reached a call ending that much after the second ended (the longest
//! response seen, or the plan's `late`). A line that comes later still
//! revises its second, which is told again.

use std::collections::BTreeMap;

use super::Call;

/// One second of the test, all its calls in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SecondStats {
    pub calls: u32,
    pub errors: u32,
    pub mean_ms: f64,
    /// Nearest rank: the value at rank ⌈0.95 n⌉.
    pub p95_ms: u32,
    pub max_ms: u32,
}

impl SecondStats {
    fn of(elapsed: &mut [u32], errors: u32) -> SecondStats {
        let n = elapsed.len();
        let rank = (n * 95).div_ceil(100).max(1) - 1;
        let p95_ms = if n == 0 {
            0
        } else {
            *elapsed.select_nth_unstable(rank).1
        };
        let sum: u64 = elapsed.iter().map(|&e| u64::from(e)).sum();
        SecondStats {
            calls: u32::try_from(n).unwrap_or(u32::MAX),
            errors,
            mean_ms: sum as f64 / n.max(1) as f64,
            p95_ms,
            max_ms: elapsed.iter().copied().max().unwrap_or(0),
        }
    }

    /// Percent of the calls that failed.
    pub fn error_rate(&self) -> f64 {
        100.0 * f64::from(self.errors) / f64::from(self.calls.max(1))
    }
}

#[derive(Debug, Default)]
struct Open {
    elapsed: Vec<u32>,
    errors: u32,
    /// Told once already; a line since makes it `revised`.
    told: bool,
    revised: bool,
}

/// How long after a second is whole its calls are kept, for a line later
/// still to revise it; past that a line is counted as too late and dropped.
const KEEP_MS: i64 = 60_000;

#[derive(Debug, Default)]
pub struct SecondsBook {
    open: BTreeMap<i64, Open>,
    /// The latest end of a call seen: how far the file has got in time.
    watermark_ms: i64,
    longest_ms: u32,
    /// The plan's bound on how late a line may come, if it gives one.
    late_ms: Option<u32>,
    /// Seconds before this one are let go.
    forgotten_before: Option<i64>,
    /// Lines that came after their second was let go.
    pub too_late: u64,
    /// Calls that cannot be (stamped outside the years a night has, or
    /// longer than an hour): one such line must not skew every second.
    pub implausible: u64,
}

/// The longest call that is taken as a call and not a broken line.
const LONGEST_MS: u32 = 3_600_000;

const DAY_MS: i64 = 86_400_000;

impl SecondsBook {
    pub fn new(late: Option<std::time::Duration>) -> SecondsBook {
        SecondsBook {
            late_ms: late.map(|d| u32::try_from(d.as_millis()).unwrap_or(u32::MAX)),
            ..SecondsBook::default()
        }
    }

    pub fn add(&mut self, call: Call) {
        let in_bounds = chrono::DateTime::from_timestamp_millis(call.start_ms)
            .is_some_and(crate::clock::in_bounds);
        // A call a day past everything before it is a broken stamp, not a
        // test that jumped: taken, it would close every second at once.
        let leaps = self.watermark_ms > 0 && call.end_ms() > self.watermark_ms + DAY_MS;
        if !in_bounds || call.elapsed_ms > LONGEST_MS || leaps {
            self.implausible += 1;
            return;
        }
        let second = call.start_ms.div_euclid(1000);
        if self.forgotten_before.is_some_and(|f| second < f) {
            self.too_late += 1;
            return;
        }
        self.watermark_ms = self.watermark_ms.max(call.end_ms());
        self.longest_ms = self.longest_ms.max(call.elapsed_ms);
        let open = self.open.entry(second).or_default();
        open.elapsed.push(call.elapsed_ms);
        open.errors += u32::from(!call.ok);
        open.revised |= open.told;
    }

    /// How long after its end a second's lines may still come.
    fn late(&self) -> i64 {
        i64::from(self.late_ms.unwrap_or(self.longest_ms))
    }

    /// The seconds that became whole, or were revised, since the last call,
    /// oldest first.
    pub fn whole(&mut self) -> Vec<(i64, SecondStats)> {
        let until = self.watermark_ms - self.late();
        let out = self.tell(|second| (second + 1) * 1000 <= until);
        self.forget(until - KEEP_MS);
        out
    }

    /// Every second as it stands: the file stopped growing, so the test has
    /// ended (or paused; a later line still revises).
    pub fn flush(&mut self) -> Vec<(i64, SecondStats)> {
        self.tell(|_| true)
    }

    fn tell(&mut self, ready: impl Fn(i64) -> bool) -> Vec<(i64, SecondStats)> {
        let mut out = Vec::new();
        for (second, open) in &mut self.open {
            if !ready(*second) {
                break;
            }
            if open.told && !open.revised {
                continue;
            }
            open.told = true;
            open.revised = false;
            out.push((*second, SecondStats::of(&mut open.elapsed, open.errors)));
        }
        out
    }

    /// Lets go of whole seconds that ended before `before_ms`.
    fn forget(&mut self, before_ms: i64) {
        while let Some(entry) = self.open.first_entry() {
            let second = *entry.key();
            if (second + 1) * 1000 > before_ms || !entry.get().told || entry.get().revised {
                break;
            }
            entry.remove();
            self.forgotten_before = Some(second + 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T0: i64 = 1_800_000_000_000;

    fn call(start: i64, elapsed: u32, ok: bool) -> Call {
        Call {
            start_ms: T0 + start,
            elapsed_ms: elapsed,
            ok,
            label: 0,
            code: 0,
        }
    }

    fn told(out: &[(i64, SecondStats)]) -> Vec<(i64, u32, u32)> {
        out.iter()
            .map(|(s, st)| (s - T0 / 1000, st.calls, st.errors))
            .collect()
    }

    #[test]
    fn a_second_is_told_once_its_slowest_call_could_have_ended() {
        let mut book = SecondsBook::new(None);
        book.add(call(100, 300, true)); // ends 0.4 s
        book.add(call(900, 800, true)); // ends 1.7 s: the longest is 800 ms
        book.add(call(1200, 100, true)); // ends 1.3 s
        assert_eq!(
            told(&book.whole()),
            [],
            "second 0 may still get a line until 1.8 s"
        );
        book.add(call(1500, 400, false)); // ends 1.9 s
        assert_eq!(told(&book.whole()), [(0, 2, 0)]);
        assert_eq!(told(&book.whole()), [], "told once");
    }

    #[test]
    fn a_late_line_revises_its_second() {
        let mut book = SecondsBook::new(Some(std::time::Duration::from_millis(200)));
        book.add(call(100, 100, true));
        book.add(call(1500, 100, true)); // ends 1.6 s > 1.0 + 0.2
        assert_eq!(told(&book.whole()), [(0, 1, 0)]);
        // A call of second 0 slower than the plan allowed: its second again.
        book.add(call(900, 900, false));
        assert_eq!(told(&book.whole()), [(0, 2, 1)]);
    }

    #[test]
    fn a_line_after_its_second_was_let_go_is_counted() {
        let mut book = SecondsBook::new(Some(std::time::Duration::from_millis(100)));
        book.add(call(0, 10, true));
        book.add(call(120_000, 10, true));
        assert_eq!(told(&book.whole()).len(), 1);
        book.add(call(500, 10, true));
        assert_eq!(book.too_late, 1);
        assert_eq!(told(&book.flush()), [(120, 1, 0)]);
    }

    #[test]
    fn an_implausible_call_is_counted_not_booked() {
        let mut book = SecondsBook::new(None);
        book.add(call(0, 200, true));
        // Microseconds for milliseconds, and an hour and more.
        book.add(Call {
            start_ms: 1_800_000_000_000_000,
            elapsed_ms: 10,
            ok: true,
            label: 0,
            code: 0,
        });
        book.add(call(10, 3_600_001, true));
        book.add(call(90_000_000, 10, true));
        book.add(call(1500, 200, true));
        assert_eq!(book.implausible, 3);
        assert_eq!(told(&book.whole()), [(0, 1, 0)], "the test goes on");
    }

    #[test]
    fn flush_tells_the_last_seconds() {
        let mut book = SecondsBook::new(None);
        book.add(call(0, 200, true));
        book.add(call(1000, 200, false));
        assert_eq!(told(&book.flush()), [(0, 1, 0), (1, 1, 1)]);
        assert_eq!(told(&book.flush()), []);
    }

    #[test]
    fn figures_of_a_second() {
        let mut elapsed = vec![200, 350, 510, 180];
        let s = SecondStats::of(&mut elapsed, 1);
        assert_eq!((s.calls, s.p95_ms, s.max_ms), (4, 510, 510));
        assert_eq!(s.mean_ms, 310.0);
        assert_eq!(s.error_rate(), 25.0);
        let mut twenty: Vec<u32> = (1..=20).collect();
        assert_eq!(SecondStats::of(&mut twenty, 0).p95_ms, 19);
    }
}
