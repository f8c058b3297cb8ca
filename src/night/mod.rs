//! The headless night: what every seat and every command must compute the
//! same way. The plan, the ledger of what people did (the journal replayed),
//! the metric history and the time. The verdict is a function of it alone;
//! `check`, the room and the commands to come each build one, and only the
//! room adds a view on top.

pub mod health;
mod verdict;

pub use verdict::{policy_reasons, verdict};

use chrono::{DateTime, Utc};

use crate::domain::ledger::{Recorded, Stamp};
use crate::domain::requirement::Fact;
use crate::domain::schedule::CheckIns;
use crate::domain::{Ledger, MarkState, Phase};
use crate::journal::Batch;
use crate::metrics::MetricStore;
use crate::plan::Plan;

/// How far past the night's clock a sample may be stamped and still be
/// taken: clocks on a network differ by seconds, not by minutes. Later ones
/// would stay the current value and never go stale.
pub const FUTURE_SKEW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

#[derive(Debug, Clone)]
pub struct Night {
    pub plan: Plan,
    /// The plan's items and checklist with every journal entry applied.
    pub ledger: Ledger,
    pub now: DateTime<Utc>,
    /// Every metric's history and its source's health.
    pub metrics: MetricStore,
    /// The embedded demo release: its simulated metrics gate, as the story's.
    pub demo: bool,
}

impl Night {
    pub fn new(plan: Plan, now: DateTime<Utc>) -> Night {
        let intervals: Vec<_> = plan.metrics.iter().map(|m| m.sample_interval()).collect();
        let mut metrics = MetricStore::new(&intervals);
        for (id, spec) in plan.metrics.iter().enumerate() {
            if spec.source.is_load_test() {
                metrics.never_stale(id);
            }
        }
        Night {
            ledger: Ledger::new(plan.items.clone(), plan.checklist.clone()),
            metrics,
            plan,
            now: crate::clock::bounded(now),
            demo: false,
        }
    }

    /// Applies journal lines in file order: the same path for a seat's own
    /// actions, other seats' and a replay.
    pub fn apply(&mut self, batch: &Batch) {
        for line in &batch.lines {
            let Some(action) = line.entry.action.clone() else {
                continue;
            };
            self.ledger.apply(Recorded {
                line: line.number,
                stamp: Stamp {
                    actor: line.entry.actor.clone(),
                    at: line.entry.at,
                },
                seat: line.entry.seat.clone(),
                role: line.role.clone(),
                action,
                undoes: line.entry.undoes,
            });
        }
    }

    /// What the seats recorded of the sources that keep no history, over the
    /// gate's window: a seat that starts late judges those metrics from the
    /// same samples as `check` and the seats before it.
    pub fn recall_readings(&mut self, readings: &std::path::Path) {
        let window = chrono::Duration::from_std(self.plan.gate.metrics_window)
            .unwrap_or(chrono::TimeDelta::MAX);
        let from = self.now.checked_sub_signed(window).unwrap_or(self.now);
        let recorded = match crate::journal::readings::read(readings, from, self.now) {
            Ok(recorded) => recorded,
            Err(e) => {
                tracing::warn!(%e, "readings not recalled");
                return;
            }
        };
        for (id, spec) in self.plan.metrics.iter().enumerate() {
            if let Some(seen) = recorded
                .get(&spec.name)
                .filter(|_| spec.source.keeps_no_history())
            {
                self.metrics.record(id, seen);
            }
        }
    }

    /// When someone marked the deploy done (`D`), if anyone has.
    pub fn deploy_done(&self) -> Option<DateTime<Utc>> {
        self.ledger.deploy.done().map(|d| d.stamp.at.to_utc())
    }

    pub fn phase(&self) -> Phase {
        self.plan
            .release
            .schedule
            .phase(self.now, self.deploy_done())
    }

    /// The check-ins as of now, once the first has fallen due.
    pub fn check_ins(&self) -> Option<CheckIns> {
        let made: Vec<DateTime<Utc>> = self
            .ledger
            .deploy
            .check_ins
            .iter()
            .map(|c| c.stamp.at.to_utc())
            .collect();
        self.plan
            .release
            .schedule
            .check_ins(self.now, self.deploy_done(), &made)
    }

    /// What each metric did after `from` up to `to`, a line each: the
    /// digest a check-in slot carries. The span leaves `from` out, so a
    /// sample on a slot's edge is in one digest, not two.
    pub fn digest(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Vec<String> {
        let after = from + chrono::TimeDelta::milliseconds(1);
        self.plan
            .metrics
            .iter()
            .enumerate()
            .map(|(id, spec)| {
                match self.metrics.series(id).and_then(|s| s.stats(after, to)) {
                    Some(w) => format!(
                        "{} {} {}, max {}{}{}",
                        spec.name,
                        // A count adds up: "Timeouts total 3", not an average.
                        if spec.counts { "total" } else { "avg" },
                        crate::metrics::format::value(
                            if spec.counts { w.total } else { w.mean },
                            &spec.unit
                        ),
                        crate::metrics::format::value(w.max, &spec.unit),
                        // A load test's file is read whole: no gaps to say.
                        if spec.source.is_load_test() {
                            String::new()
                        } else {
                            coverage(&w, spec.sample_interval(), (from, to))
                        },
                        self.down_now(id)
                    ),
                    None => format!("{} no sample{}", spec.name, self.down_now(id)),
                }
            })
            .collect()
    }

    /// `, down now: why` for a source that is down.
    fn down_now(&self, id: usize) -> String {
        match self.metrics.health(id) {
            Some(crate::metrics::Health::Down(why)) => format!(", down now: {why}"),
            _ => String::new(),
        }
    }

    /// Entries done or marked not applicable, of the entries due: before
    /// the deploy those of the pre-deploy checklist (the room's 30/30), after
    /// it every entry.
    pub fn checklist_progress(&self) -> (usize, usize) {
        let due = self.checklist_due();
        let done = (0..due.len())
            .filter(|&i| due[i] && self.mark(i) != MarkState::Open)
            .count();
        (done, due.iter().filter(|d| **d).count())
    }

    /// Whether each entry is due now: one for after the deploy is not,
    /// before it. The gate, the gauge and the chat's status read this one.
    pub fn checklist_due(&self) -> Vec<bool> {
        let before = self.phase() == Phase::BeforeDeploy;
        self.ledger
            .checklist
            .iter()
            .map(|e| !(e.after && before))
            .collect()
    }

    /// A checklist entry as it stands. One bound to a fact is what the
    /// fact says, whatever was ticked, unless a person marked it not
    /// applicable (with a reason); any other is its mark.
    pub fn mark(&self, i: usize) -> MarkState {
        let marked = self.ledger.mark_state(i);
        match self.fact(i) {
            Some(_) if marked == MarkState::NotApplicable => marked,
            Some(fact) if fact.holds => MarkState::Done,
            Some(_) => MarkState::Open,
            None => marked,
        }
    }

    /// What the fact an entry is bound to says now; `None` for an entry
    /// that is ticked by hand.
    pub fn fact(&self, i: usize) -> Option<Fact> {
        let requirement = self.ledger.checklist.get(i)?.requires.as_ref()?;
        Some(requirement.judge(
            &self.ledger.items,
            &self.ledger.evidence,
            &self.plan.criteria,
        ))
    }
}

/// `(120 of 360 samples)` when a metric was read for less than nine tenths
/// of the span: its average and max are of what was seen.
fn coverage(
    seen: &crate::metrics::WindowStats,
    every: std::time::Duration,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
) -> String {
    if seen.covers(every, from, to) {
        return String::new();
    }
    let expected = crate::metrics::expected_samples(every, from, to);
    format!(" ({} of {expected} samples)", seen.count)
}
