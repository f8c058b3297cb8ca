//! The gate's verdict for the night as it stands: the ledger, the policies
//! and what the metrics did within the gate's window.

use super::Night;
use crate::domain::gate::{self, GateInput, MetricCrit, MetricUnread, Verdict};
use crate::domain::policy::{self, PolicyInput};
use crate::metrics::{Health, crit_stretch};

/// The verdict every seat and `warroom check` agree on for the same night.
/// Simulated metrics count only in the demo release: invented numbers never
/// gate a real deploy.
pub fn verdict(night: &Night) -> Verdict {
    let marks: Vec<_> = (0..night.ledger.checklist.len())
        .map(|i| night.ledger.mark_state(i))
        .collect();
    let rules = &night.plan.gate;
    let window = chrono::Duration::from_std(rules.metrics_window).unwrap_or_default();
    let (from, to) = (night.now - window, night.now);
    let mut crit = Vec::new();
    let mut unread = Vec::new();
    for (id, spec) in night.plan.metrics.iter().enumerate() {
        if spec.source.is_simulated() && !night.demo {
            unread.push(MetricUnread {
                name: spec.name.clone(),
                why: "a simulated source; only real sources gate a deploy".to_string(),
            });
            continue;
        }
        let series = night.metrics.series(id);
        let why = match night.metrics.health(id) {
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
    let passed_at: Vec<_> = (0..night.ledger.items.len())
        .map(|i| night.ledger.passed_at(i))
        .collect();
    let schedule = &night.plan.release.schedule;
    let policy = policy::evaluate(
        &night.plan.policies,
        &PolicyInput {
            schedule,
            deploy: schedule.deploy_start(night.deploy_done()),
            items: &night.ledger.items,
            passed_at: &passed_at,
            now: night.now,
        },
    );
    gate::evaluate(
        rules,
        &GateInput {
            items: &night.ledger.items,
            checklist: &night.ledger.checklist,
            marks: &marks,
            metrics_crit: &crit,
            metrics_unread: &unread,
            policy: &policy,
        },
    )
}
