//! The gate's verdict for the night as it stands: the ledger, the policies
//! and what the metrics did within the gate's window.

use chrono::{DateTime, Utc};

use super::Night;
use crate::domain::gate::{self, GateInput, Incident, MetricCrit, MetricUnread, Verdict};
use crate::domain::policy::{self, PolicyInput};
use crate::metrics::{Health, MetricId, alert, crit_stretch};
use crate::plan::{MetricSpec, SourceSpec};

/// Intervals without a sample after which a metric is not known now: the
/// same count as the gap that ends a run at crit.
const FRESH_INTERVALS: u32 = 3;

/// The verdict every seat and `warroom check` agree on for the same night.
/// A gating metric that cannot be read is not known to be fine. Simulated
/// metrics count only in the demo release: invented numbers never gate a
/// real deploy.
pub fn verdict(night: &Night) -> Verdict {
    // Entries done after the deploy do not hold up the deploy itself.
    let marks: Vec<_> = night
        .checklist_due()
        .into_iter()
        .enumerate()
        .map(|(i, due)| match due {
            true => night.mark(i),
            false => crate::domain::MarkState::NotApplicable,
        })
        .collect();
    let rules = &night.plan.gate;
    let approved_at = night.ledger.approval().map(|a| a.stamp.at.to_utc());
    let mut crit = Vec::new();
    let mut unread = Vec::new();
    let mut incidents = Vec::new();
    for (id, spec) in night.plan.metrics.iter().enumerate() {
        if !spec.gate {
            continue;
        }
        if let Some(why) = unread_why(night, id, spec) {
            unread.push(MetricUnread {
                name: spec.name.clone(),
                why,
            });
        }
        // What it did before going quiet still counts: a source that spiked
        // past crit and then fell silent is not fine.
        let (Some(limit), Some(series)) = (spec.limits.crit, night.metrics.series(id)) else {
            continue;
        };
        let (from, to) = gate_window(night, id, spec);
        if let Some(stretch) =
            crit_stretch(series, limit, spec.sample_interval(), spec.hold, from, to)
        {
            crit.push(MetricCrit {
                name: spec.name.clone(),
                unit: spec.unit.clone(),
                crit: limit,
                peak: stretch.peak,
                held: stretch.held,
                ongoing: stretch.ongoing,
                load_test: spec.source.is_load_test(),
            });
        }
        if let Some(given) = approved_at {
            incidents.extend(incidents_since(series, spec, limit, given, night.now));
        }
    }
    // An alert a seat journaled counts too, though this night's samples may
    // not reach back to it (`check` reads only the gate's window).
    if let Some(given) = approved_at {
        incidents.extend(
            night
                .ledger
                .alerts
                .all()
                .iter()
                .filter(|a| a.start.since.to_utc() > given)
                .map(|a| Incident {
                    metric: a.start.metric.clone(),
                    since: a.start.since.to_utc(),
                }),
        );
    }
    let policy = policy_reasons(night, &night.plan.policies);
    // Each item's latest run against its criteria: a clean rerun after a
    // fix is what counts.
    let evidence_failed: Vec<(String, String, Vec<String>)> = night
        .plan
        .criteria
        .iter()
        .filter_map(|(item, criteria)| {
            let latest = night
                .ledger
                .evidence
                .iter()
                .rev()
                .find(|r| r.evidence.item == *item)?;
            let broken = criteria.broken(&latest.evidence.summary);
            (!broken.is_empty()).then(|| (item.clone(), latest.evidence.source(), broken))
        })
        .collect();
    gate::evaluate(
        rules,
        &GateInput {
            items: &night.ledger.items,
            checklist: &night.ledger.checklist,
            marks: &marks,
            metrics_crit: &crit,
            metrics_unread: &unread,
            policy: &policy,
            incidents: &incidents,
            evidence_failed: &evidence_failed,
        },
    )
}

/// The runs held at crit that began after `given`. A run already going then
/// is the one the approval saw, so the runs are read from a gap before it;
/// and a run that starts at the series' first sample began nobody knows
/// when (`check` holds only the gate's window), so it is not taken as new.
fn incidents_since(
    series: &crate::metrics::Series,
    spec: &MetricSpec,
    crit: f64,
    given: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Vec<Incident> {
    let interval = spec.sample_interval();
    let before = chrono::Duration::from_std(interval * (FRESH_INTERVALS + 1))
        .unwrap_or(chrono::TimeDelta::MAX);
    let from = given.checked_sub_signed(before).unwrap_or(given);
    let first = series
        .window(DateTime::<Utc>::MIN_UTC, now)
        .next()
        .map(|s| s.at);
    alert::runs(series, crit, interval, from, now)
        .iter()
        .filter(|r| r.held >= spec.hold && r.since > given && Some(r.since) != first)
        .map(|r| Incident {
            metric: spec.name.clone(),
            since: r.since,
        })
        .collect()
}

/// Seconds without a call that separate two runs of a load test in one
/// file (JMeter appends a rerun to the same result file).
const BETWEEN_TESTS: chrono::TimeDelta = chrono::TimeDelta::seconds(60);

/// What the gate reads of a metric: the gate's window up to now, or, for a
/// load-test result, the whole of its latest test (it ran earlier, and is
/// evidence of what it showed then; a rerun after a fix replaces it).
pub fn gate_window(
    night: &Night,
    id: MetricId,
    spec: &MetricSpec,
) -> (DateTime<Utc>, DateTime<Utc>) {
    if spec.source.is_load_test() {
        let mut from = DateTime::<Utc>::MIN_UTC;
        if let Some(series) = night.metrics.series(id) {
            let mut later: Option<DateTime<Utc>> = None;
            for s in series.newest_first() {
                if later.is_some_and(|l| l - s.at > BETWEEN_TESTS) {
                    from = later.unwrap_or(from);
                    break;
                }
                later = Some(s.at);
            }
        }
        return (from, night.now);
    }
    let window = chrono::Duration::from_std(night.plan.gate.metrics_window)
        .unwrap_or(chrono::TimeDelta::MAX);
    (night.now - window, night.now)
}

/// Why the gate cannot say the metric is fine now, if it cannot.
pub(super) fn unread_why(night: &Night, id: MetricId, spec: &MetricSpec) -> Option<String> {
    if spec.source.is_simulated() && !night.demo {
        return Some("a simulated source; only real sources gate a deploy".to_string());
    }
    match night.metrics.health(id) {
        Some(Health::Down(reason)) => return Some(reason.clone()),
        Some(Health::Reading { read, total }) => {
            return Some(format!(
                "still reading its backlog, {}",
                crate::metrics::format::progress(*read, *total)
            ));
        }
        _ => {}
    }
    let Some(newest) = night.metrics.series(id).and_then(|s| s.latest()) else {
        return Some("no reading yet".to_string());
    };
    if matches!(spec.source, SourceSpec::Jtl { .. }) {
        // A finished test stays what it was: it is not stale, only done.
        return None;
    }
    let fresh = chrono::Duration::from_std(spec.sample_interval() * FRESH_INTERVALS)
        .unwrap_or(chrono::TimeDelta::MAX);
    (night.now - newest.at > fresh).then(|| {
        let zone = &night.plan.release.schedule.zone;
        format!("no sample since {}", zone.at(newest.at).format("%H:%M:%S"))
    })
}

/// What `policies` say of the night as it stands: the plan's, for the
/// verdict, or rules it lacks, for the retrospective's hindsight.
pub fn policy_reasons(night: &Night, policies: &[policy::Policy]) -> Vec<gate::Reason> {
    let passed_at: Vec<_> = (0..night.ledger.items.len())
        .map(|i| night.ledger.passed_at(i))
        .collect();
    let schedule = &night.plan.release.schedule;
    policy::evaluate(
        policies,
        &PolicyInput {
            schedule,
            deploy: schedule.deploy_start(night.deploy_done()),
            items: &night.ledger.items,
            passed_at: &passed_at,
            now: night.now,
        },
    )
}
