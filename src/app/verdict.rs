//! The gate's verdict for what this seat knows now: the ledger, and what the
//! metrics did within the gate's window.

use super::State;
use crate::domain::gate::{self, GateInput, MetricCrit, MetricUnread, Verdict};
use crate::domain::policy::{self, PolicyInput};
use crate::metrics::{Health, crit_stretch};

/// The texts of a verdict's policy reasons, without the rule's name: the
/// header's policy line.
pub fn policy_reasons(verdict: &Verdict) -> Vec<String> {
    verdict
        .reasons
        .iter()
        .filter(|r| r.kind == gate::ReasonKind::Policy)
        .map(|r| match r.text.rfind(" (policy ") {
            Some(i) => r.text[..i].to_string(),
            None => r.text.clone(),
        })
        .collect()
}

/// The verdict every seat and `warroom check` agree on for the same state.
/// Simulated metrics count only in the demo release: invented numbers never
/// gate a real deploy.
pub fn verdict(state: &State) -> Verdict {
    let marks: Vec<_> = (0..state.ledger.checklist.len())
        .map(|i| state.ledger.mark_state(i))
        .collect();
    let rules = &state.plan.gate;
    let window = chrono::Duration::from_std(rules.metrics_window).unwrap_or_default();
    let (from, to) = (state.now - window, state.now);
    let mut crit = Vec::new();
    let mut unread = Vec::new();
    for (id, spec) in state.plan.metrics.iter().enumerate() {
        if spec.source.is_simulated() && !state.demo {
            unread.push(MetricUnread {
                name: spec.name.clone(),
                why: "a simulated source; only real sources gate a deploy".to_string(),
            });
            continue;
        }
        let series = state.metrics.series(id);
        let why = match state.metrics.health(id) {
            Some(Health::Down(reason)) => Some(reason.clone()),
            Some(Health::Stale) => Some("no fresh sample".to_string()),
            _ if series.is_none_or(|s| s.is_empty()) => Some("no reading yet".to_string()),
            _ => None,
        };
        if let Some(why) = why {
            unread.push(MetricUnread {
                name: spec.name.clone(),
                why,
            });
        }
        // What it did before going quiet still counts: a source that spiked
        // past crit and then fell silent is not fine.
        let (Some(limit), Some(series)) = (spec.limits.crit, series) else {
            continue;
        };
        let hold = spec.hold;
        if let Some(stretch) = crit_stretch(series, limit, spec.interval, hold, from, to) {
            crit.push(MetricCrit {
                name: spec.name.clone(),
                unit: spec.unit.clone(),
                crit: limit,
                peak: stretch.peak,
                held: stretch.held,
                ongoing: stretch.ongoing,
            });
        }
    }
    let passed_at: Vec<_> = (0..state.ledger.items.len())
        .map(|i| state.ledger.passed_at(i))
        .collect();
    let schedule = &state.plan.release.schedule;
    let policy = policy::evaluate(
        &state.plan.policies,
        &PolicyInput {
            schedule,
            deploy: schedule.deploy_start(state.deploy_done()),
            items: &state.ledger.items,
            passed_at: &passed_at,
            now: state.now,
        },
    );
    gate::evaluate(
        rules,
        &GateInput {
            items: &state.ledger.items,
            checklist: &state.ledger.checklist,
            marks: &marks,
            metrics_crit: &crit,
            metrics_unread: &unread,
            policy: &policy,
        },
    )
}
