//! Where the night stands relative to the deploy: the countdown and the
//! milestones before it, the watch window after it, then check-ins every so
//! often until the release can be left alone.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use super::zone::Zone;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Schedule {
    pub deploy_at: DateTime<Utc>,
    /// The zone the plan named the deploy time in.
    pub zone: Zone,
    /// How long to watch the metrics after the deploy.
    pub watch_for: Duration,
    /// The night's milestones from the plan, in time order.
    pub milestones: Vec<Milestone>,
    /// After the watch window, a check-in falls due this often...
    pub check_in_every: Option<Duration>,
    /// ...until then.
    pub check_ins_until: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Milestone {
    pub at: DateTime<Utc>,
    pub label: String,
    /// A checklist group that should be done by then.
    pub group: Option<String>,
}

/// Which part of the night `now` falls in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    BeforeDeploy,
    /// The deploy time has come and nobody has said it is done (`D`): the
    /// watch window runs from the deploy time all the same.
    Deploying,
    Watching,
    /// After the watch window: a check-in due every `check_in_every`.
    CheckIns,
    Done,
}

/// The check-ins as of now: the one due, if it is not yet done, and how many
/// earlier ones went by without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CheckIns {
    /// The current slot, when no check-in covers it yet.
    pub due: Option<DateTime<Utc>>,
    pub missed: usize,
    /// When the next one falls due, if another one does.
    pub next: Option<DateTime<Utc>>,
    /// The slot that ended last (its start and end), when no check-in
    /// covered it: the one before the current slot, or the last once the
    /// check-ins are over; for one interval after its end, then it is
    /// history (the reports count it), not news.
    pub just_missed: Option<(DateTime<Utc>, DateTime<Utc>)>,
}

impl Schedule {
    /// When the deploy counts from: when it was marked done if that was
    /// earlier than planned, else the planned time (a deploy that finishes
    /// late still started on time).
    pub fn deploy_start(&self, done: Option<DateTime<Utc>>) -> DateTime<Utc> {
        done.map_or(self.deploy_at, |d| d.min(self.deploy_at))
    }

    /// The end of the watch window; the plan bounds `watch_for`, and an
    /// out-of-range sum saturates rather than panics.
    pub fn watch_until(&self, done: Option<DateTime<Utc>>) -> DateTime<Utc> {
        add(self.deploy_start(done), self.watch_for)
    }

    pub fn phase(&self, now: DateTime<Utc>, done: Option<DateTime<Utc>>) -> Phase {
        let deployed = done.is_some_and(|d| d <= now) || now >= self.deploy_at;
        if !deployed {
            Phase::BeforeDeploy
        } else if now < self.watch_until(done) {
            match done {
                Some(d) if d <= now => Phase::Watching,
                _ => Phase::Deploying,
            }
        } else if self.check_in_every.is_some() && now < self.check_ins_until {
            Phase::CheckIns
        } else {
            Phase::Done
        }
    }

    /// Seconds to the deploy, or since it once it has started.
    pub fn countdown(&self, now: DateTime<Utc>, done: Option<DateTime<Utc>>) -> Countdown {
        Countdown::between(now, self.deploy_start(done))
    }

    /// The check-in slots fall due from the end of the watch window, every
    /// `check_in_every`, until `check_ins_until`; a check-in covers the slot
    /// it was made in. `None` before the first is due.
    pub fn check_ins(
        &self,
        now: DateTime<Utc>,
        done: Option<DateTime<Utc>>,
        made: &[DateTime<Utc>],
    ) -> Option<CheckIns> {
        let every = TimeDelta::from_std(self.check_in_every?)
            .ok()?
            .num_milliseconds();
        let first = self.watch_until(done);
        if now < first || every <= 0 {
            return None;
        }
        let ms = |t: DateTime<Utc>| (t - first).num_milliseconds();
        // Slots k = 0, 1, … start at first + k·every, before the end.
        let slots = (ms(self.check_ins_until) + every - 1).div_euclid(every);
        if slots <= 0 {
            return None;
        }
        let slot_start = |k: i64| first + TimeDelta::milliseconds(k * every);
        let covered = |k: i64| {
            made.iter()
                .any(|c| *c >= slot_start(k) && *c < slot_start(k + 1))
        };
        let current = (ms(now) / every).min(slots - 1);
        let over = now >= self.check_ins_until;
        // The current slot is missed too once the check-ins are over.
        let past = if over { current + 1 } else { current };
        let ended = past - 1;
        let just_missed = (ended >= 0 && !covered(ended) && now < slot_start(ended + 2))
            .then(|| (slot_start(ended), slot_start(ended + 1)));
        Some(CheckIns {
            due: (!over && !covered(current)).then(|| slot_start(current)),
            missed: (0..past).filter(|k| !covered(*k)).count(),
            next: (!over && current + 1 < slots).then(|| slot_start(current + 1)),
            just_missed,
        })
    }

    /// The milestones from `now` on, and the ones passed.
    pub fn upcoming(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Milestone> {
        self.milestones.iter().filter(move |m| m.at >= now)
    }
}

fn add(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
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
#[path = "schedule_tests.rs"]
mod tests;
