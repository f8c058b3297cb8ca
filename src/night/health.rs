//! After the deploy the verdict changes meaning: not "may we go?" but "is
//! production well?". Degraded while a metric holds at crit (by the same
//! rule as the alerts), unknown while one cannot be read, healthy else.

use chrono::{DateTime, Utc};

use super::Night;
use super::verdict::unread_why;
use crate::domain::Phase;
use crate::metrics::crit_stretch;

#[derive(Debug, Clone, PartialEq)]
pub enum Health {
    Healthy,
    /// A metric held at crit, still: which, since when, how high.
    Degraded {
        metric: String,
        unit: String,
        crit: f64,
        peak: f64,
        since: DateTime<Utc>,
    },
    /// A metric that cannot be read: not known to be fine.
    Unknown {
        metric: String,
        why: String,
    },
}

/// Production's health once the deploy has happened; `None` before it.
pub fn health(night: &Night) -> Option<Health> {
    if night.phase() == Phase::BeforeDeploy {
        return None;
    }
    let from = night
        .plan
        .release
        .schedule
        .deploy_start(night.deploy_done());
    let mut unknown = None;
    for (id, spec) in night.plan.metrics.iter().enumerate() {
        // A load test is not production.
        if !spec.gate || spec.source.is_load_test() {
            continue;
        }
        if let (Some(crit), Some(series)) = (spec.limits.crit, night.metrics.series(id))
            && let Some(stretch) = crit_stretch(
                series,
                crit,
                spec.sample_interval(),
                spec.hold,
                from,
                night.now,
            )
            && stretch.ongoing
        {
            return Some(Health::Degraded {
                metric: spec.name.clone(),
                unit: spec.unit.clone(),
                crit,
                peak: stretch.peak,
                since: stretch.since,
            });
        }
        if unknown.is_none()
            && let Some(why) = unread_why(night, id, spec)
        {
            unknown = Some(Health::Unknown {
                metric: spec.name.clone(),
                why,
            });
        }
    }
    Some(unknown.unwrap_or(Health::Healthy))
}

/// "roll back?" with how long it takes: the rollback plan's recovery and
/// runbook when the plan has one, else the longest recovery among the
/// release's items, said as such.
pub fn roll_back(night: &Night) -> String {
    let took = |d: std::time::Duration| humantime::format_duration(d).to_string();
    if let Some(plan) = &night.plan.rollback {
        let runbook = plan
            .runbook
            .as_deref()
            .map_or(String::new(), |r| format!(", runbook {r}"));
        return format!(
            "roll back? {} by the rollback plan{runbook}",
            took(plan.recovery)
        );
    }
    let longest = night
        .ledger
        .items
        .iter()
        .filter_map(|i| i.risk.as_ref().map(|r| (&i.id, r.recovery)))
        .max_by_key(|(_, d)| *d);
    match longest {
        Some((item, d)) => format!("roll back? recovery up to {} ({item})", took(d)),
        None => "roll back? (no rollback plan in the plan)".to_string(),
    }
}
