//! Alerts as this seat sees them: when a metric's samples start or end an
//! alert, ring the bell once and record it in the journal (the writer makes
//! sure two seats record it once).

use chrono::{DateTime, FixedOffset, Utc};

use super::{Effect, State, actions};
use crate::domain::Action;
use crate::domain::action::AlertFigures;
use crate::metrics::MetricId;
use crate::metrics::alert::{self, Stretch};

/// Looks at a metric after new samples; returns whether its alert changed.
pub fn assess(state: &mut State, id: MetricId, effects: &mut Vec<Effect>) -> bool {
    let Some(spec) = state.night.plan.metrics.get(id) else {
        return false;
    };
    let (Some(crit), Some(series)) = (spec.limits.crit, state.night.metrics.series(id)) else {
        return false;
    };
    let now = alert::firing(series, crit, spec.sample_interval(), spec.hold);
    let before = state.alerts[id];
    let (start, end) = match (before, now) {
        (None, Some(started)) => {
            if spec.bell {
                effects.push(Effect::Bell);
            }
            (Some(started), None)
        }
        (Some(old), None) => {
            // Read forward from its start: samples may have come in a batch,
            // and the peak and the end are the run's, not the last look's.
            let run =
                alert::run_from(series, crit, spec.sample_interval(), old.since).unwrap_or(old);
            (None, Some(run))
        }
        (None, None) => (None, closing_left_open(state, id, crit)),
        // A batch of samples can hold the end of one run and the start of
        // the next: record both. (A run that only reaches further back, a
        // late backfill, is the same alert.)
        (Some(old), Some(new)) if new.since > old.since => {
            if spec.bell {
                effects.push(Effect::Bell);
            }
            let ended =
                alert::run_from(series, crit, spec.sample_interval(), old.since).unwrap_or(old);
            (Some(new), Some(ended))
        }
        (Some(_), Some(_)) => (None, None),
    };
    state.alerts[id] = now;
    let spec = &state.night.plan.metrics[id];
    if let Some(s) = end {
        let figures = figures(state, id, crit, &s, s.peak);
        if let Some(open) = state.night.ledger.alerts.open(&spec.name) {
            state.alerts_closing[id] = Some(open.line);
        }
        effects.push(Effect::Append(actions::entry(
            state,
            Action::AlertEnd(figures),
        )));
    }
    if let Some(s) = start {
        let figures = figures(state, id, crit, &s, s.last.value);
        effects.push(Effect::Append(actions::entry(
            state,
            Action::AlertStart(figures),
        )));
    }
    before != now
}

/// The alerts on now, as the banner says them: the latest value and how long
/// it has held.
pub fn current(state: &State) -> Vec<AlertFigures> {
    state
        .alerts
        .iter()
        .enumerate()
        .filter_map(|(id, run)| {
            let run = run.as_ref()?;
            let crit = state.night.plan.metrics.get(id)?.limits.crit?;
            Some(figures(state, id, crit, run, run.last.value))
        })
        .collect()
}

/// The end of an alert the journal holds open while this seat sees none:
/// one a seat started and quit before it ended. Sent once, when this seat's
/// newest sample, later than the start was recorded, is below the limit.
fn closing_left_open(state: &State, id: MetricId, crit: f64) -> Option<Stretch> {
    let spec = &state.night.plan.metrics[id];
    let open = state.night.ledger.alerts.open(&spec.name)?;
    if state.alerts_closing[id] == Some(open.line) {
        return None;
    }
    let series = state.night.metrics.series(id)?;
    let latest = series.latest()?;
    if latest.value >= crit || latest.at <= open.started.at.to_utc() {
        return None;
    }
    // Its start as another seat's samples timed it: this seat's first run
    // from then on is the same one, when its samples reach back that far.
    let since = open.start.since.to_utc();
    alert::run_from(series, crit, spec.sample_interval(), since)
        .filter(|run| run.ended_at.is_some())
        .or_else(|| {
            // They do not: all this seat knows is what the start said.
            Some(Stretch {
                since,
                last: latest,
                peak: open.start.value,
                held: std::time::Duration::from_secs(open.start.held_secs),
                ended_at: Some(latest.at),
            })
        })
}

fn figures(state: &State, id: MetricId, crit: f64, run: &Stretch, value: f64) -> AlertFigures {
    let spec = &state.night.plan.metrics[id];
    AlertFigures {
        metric: spec.name.clone(),
        unit: spec.unit.clone(),
        limit: crit,
        value,
        since: seat_time(state, run.since),
        held_secs: run.held.as_secs(),
    }
}

fn seat_time(state: &State, at: DateTime<Utc>) -> DateTime<FixedOffset> {
    state.local_zone.at(at)
}

#[cfg(test)]
#[path = "alerts_tests.rs"]
mod tests;
