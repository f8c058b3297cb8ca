//! The completion report (`warroom report deploy`): what happened on the
//! night and in the window after it, from the journal and the metrics. The
//! mail the lead sent on Monday at 09:00, built from what was marked.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::MarkState;
use crate::domain::ledger::Outcome;
use crate::metrics::format::value;
use crate::night::Night;

#[path = "deploy_markdown.rs"]
mod markdown;
pub use markdown::markdown;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DeployReport {
    pub version: u32,
    pub kind: &'static str,
    pub release: String,
    pub zone: String,
    pub deploy_at: String,
    /// When the deploy was marked done, and by whom.
    pub deploy_done: Option<Marked>,
    /// The window the monitoring covers: from the deploy, `window` long,
    /// or until now if that is sooner.
    pub window_from: String,
    pub window_to: String,
    pub timeline: Vec<TimelineLine>,
    pub approval: Option<ApprovalNote>,
    /// The pre-deploy checklist as it stood when the approval was given.
    pub checklist_at_approval: Vec<ChecklistLine>,
    /// The entries for after the deploy (`phase = "after"`), as they stand.
    pub checklist_after_deploy: Vec<ChecklistLine>,
    pub load_tests: Vec<RunNote>,
    pub alerts: Vec<AlertNote>,
    pub check_ins: Vec<CheckInNote>,
    pub check_ins_missed: usize,
    pub monitoring: Vec<MetricNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Marked {
    pub by: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TimelineLine {
    pub line: u64,
    pub at: String,
    pub by: String,
    pub what: String,
    /// `undone`, or why it was ignored; `null` when it stands.
    pub became: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ApprovalNote {
    pub by: String,
    pub at: String,
    pub statement: String,
    pub override_reason: Option<String>,
    pub approved_go: bool,
    /// The reasons that stood when it was given.
    pub accepted: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChecklistLine {
    pub id: String,
    pub text: String,
    pub state: String,
    pub by: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunNote {
    pub item: String,
    pub file: String,
    pub by: String,
    pub at: String,
    pub samples: u64,
    pub error_rate: f64,
    pub timeouts: Option<u64>,
    pub p95_ms: u64,
    pub passed: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AlertNote {
    pub metric: String,
    pub started: String,
    pub ended: Option<String>,
    pub limit: String,
    pub peak: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckInNote {
    pub by: String,
    pub at: String,
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricNote {
    pub name: String,
    pub unit: String,
    pub samples: usize,
    pub average: Option<f64>,
    /// Nearest rank over the samples of the window.
    pub p95: Option<f64>,
    pub max: Option<f64>,
    pub max_at: Option<String>,
    /// For a metric that counts events (`counts = true`): their sum over
    /// what was seen of the window.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub total: Option<f64>,
    /// Spans of the window with no sample for more than three intervals:
    /// nobody saw them.
    pub unseen: Vec<Span>,
    pub unseen_s: u64,
    /// Why its source could not be read, when it could not: its figures
    /// are then only what the seats recorded, and a span nobody recorded
    /// may have been seen on the source.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_read: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Span {
    pub from: String,
    pub to: String,
}

/// Intervals without a sample after which a span counts as unseen: the
/// same three as a stale source.
const UNSEEN_INTERVALS: u32 = 3;

/// The report over `window` after the deploy. The metrics must have been
/// read into the night over `window_of(night, window)`.
pub fn gather(night: &Night, window: Duration) -> DeployReport {
    let schedule = &night.plan.release.schedule;
    let zone = schedule.zone;
    let when = |t: DateTime<Utc>| {
        format!(
            "{} {}",
            zone.at(t).format("%a %d %b %H:%M:%S"),
            zone.abbreviation(t)
        )
    };
    let (from, to) = window_of(night, window);
    let ledger = &night.ledger;
    let timeline = ledger
        .log
        .iter()
        // Which seat told the chat is the tool's bookkeeping, not the night's.
        .filter(|l| !matches!(l.entry.action, crate::domain::Action::ChatPosted { .. }))
        .map(|l| TimelineLine {
            line: l.entry.line,
            at: when(l.entry.stamp.at.to_utc()),
            by: l.entry.stamp.actor.clone(),
            what: l.entry.action.to_string(),
            became: match &l.outcome {
                Outcome::Applied if l.undone => Some("undone".to_string()),
                Outcome::Applied => None,
                Outcome::Orphaned(why) | Outcome::Rejected(why) => Some(format!("ignored: {why}")),
            },
        })
        .collect();
    let approval = ledger.approval();
    // The approval is of the pre-deploy checklist; what comes after the
    // deploy is said as it stands at the end of the journal.
    let checklist_at_approval = approval
        .map(|a| checklist_at(night, a.line))
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(after, c)| (!after).then_some(c))
        .collect();
    let checklist_after_deploy = checklist_at(night, u64::MAX)
        .into_iter()
        .filter_map(|(after, c)| after.then_some(c))
        .collect();
    let load_tests = ledger
        .evidence
        .iter()
        .map(|r| {
            let s = &r.evidence.summary;
            let criteria = night
                .plan
                .criteria
                .get(&r.evidence.item)
                .filter(|c| !c.is_empty());
            RunNote {
                item: r.evidence.item.clone(),
                file: r.evidence.file.clone(),
                by: r.stamp.actor.clone(),
                at: when(r.stamp.at.to_utc()),
                samples: s.samples,
                error_rate: s.error_rate,
                timeouts: s.timeouts,
                p95_ms: s.latency_ms.p95,
                passed: criteria.map(|c| c.broken(s).is_empty()),
            }
        })
        .collect();
    let alerts = ledger
        .alerts
        .all()
        .iter()
        .map(|a| AlertNote {
            metric: a.start.metric.clone(),
            started: when(a.start.since.to_utc()),
            ended: a.end.as_ref().map(|(_, f)| when(f.until().to_utc())),
            limit: value(a.start.limit, &a.start.unit),
            peak: value(
                a.end.as_ref().map_or(a.start.value, |(_, f)| f.value),
                &a.start.unit,
            ),
        })
        .collect();
    let check_ins = ledger
        .deploy
        .check_ins
        .iter()
        .map(|c| CheckInNote {
            by: c.stamp.actor.clone(),
            at: when(c.stamp.at.to_utc()),
            note: c.note.clone(),
        })
        .collect();
    let monitoring = night
        .plan
        .metrics
        .iter()
        .enumerate()
        .map(|(id, spec)| metric_note(night, id, spec, (from, to), &when))
        .collect();
    DeployReport {
        version: 1,
        kind: "deploy",
        release: night.plan.release.name.clone(),
        zone: zone.to_string(),
        deploy_at: when(schedule.deploy_at),
        deploy_done: ledger.deploy.done().map(|d| Marked {
            by: d.stamp.actor.clone(),
            at: when(d.stamp.at.to_utc()),
        }),
        window_from: when(from),
        window_to: when(to),
        timeline,
        approval: approval.map(|a| ApprovalNote {
            by: a.stamp.actor.clone(),
            at: when(a.stamp.at.to_utc()),
            statement: a.statement.clone(),
            override_reason: a.override_reason.clone(),
            approved_go: a.go,
            accepted: a.reasons.iter().map(|r| r.text.clone()).collect(),
        }),
        checklist_at_approval,
        checklist_after_deploy,
        load_tests,
        alerts,
        check_ins,
        check_ins_missed: night.check_ins().map_or(0, |c| c.missed),
        monitoring,
    }
}

/// The window after the deploy: from when it counts, `window` long, no
/// later than the night's now, no longer than the metrics are kept.
pub fn window_of(night: &Night, window: Duration) -> (DateTime<Utc>, DateTime<Utc>) {
    let from = night
        .plan
        .release
        .schedule
        .deploy_start(night.deploy_done());
    let kept = window.min(crate::metrics::RETENTION);
    let to = from
        .checked_add_signed(chrono::Duration::from_std(kept).unwrap_or_default())
        .unwrap_or(from)
        .min(night.now);
    (from, to.max(from))
}

/// The checklist as the journal stood at line `line`: its entries up to
/// there applied again, in order; each with whether it is for after the
/// deploy.
fn checklist_at(night: &Night, line: u64) -> Vec<(bool, ChecklistLine)> {
    let mut then = Night::new(night.plan.clone(), night.now);
    for l in night.ledger.log.iter().take_while(|l| l.entry.line <= line) {
        then.ledger.apply(l.entry.clone());
    }
    (0..then.ledger.checklist.len())
        .map(|i| {
            let entry = &then.ledger.checklist[i];
            let mark = then.ledger.marks[i].as_ref();
            let state = then.mark(i);
            let line = ChecklistLine {
                id: entry.id.clone(),
                text: entry.text.clone(),
                state: match state {
                    MarkState::Done => "done",
                    MarkState::NotApplicable => "not applicable",
                    MarkState::Open => "open",
                }
                .to_string(),
                by: match then.fact(i) {
                    Some(fact) if state != MarkState::NotApplicable => {
                        Some(format!("the facts: {}", fact.text))
                    }
                    _ => mark.map(|m| m.stamp.actor.clone()),
                },
                reason: mark.and_then(|m| m.reason.clone()),
            };
            (entry.after, line)
        })
        .collect()
}

fn metric_note(
    night: &Night,
    id: usize,
    spec: &crate::plan::MetricSpec,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    when: &dyn Fn(DateTime<Utc>) -> String,
) -> MetricNote {
    let samples: Vec<crate::metrics::Sample> = night
        .metrics
        .series(id)
        .map(|s| s.window(from, to).collect())
        .unwrap_or_default();
    let interval = chrono::Duration::from_std(spec.sample_interval() * UNSEEN_INTERVALS)
        .unwrap_or(chrono::TimeDelta::MAX);
    // What nobody saw: before the first sample, between two too far apart,
    // after the last.
    let mut unseen = Vec::new();
    let mut seen_until = from;
    for s in samples
        .iter()
        .chain(std::iter::once(&crate::metrics::Sample {
            at: to,
            value: 0.0,
        }))
    {
        if s.at - seen_until > interval {
            unseen.push((seen_until, s.at));
        }
        seen_until = seen_until.max(s.at);
    }
    let unseen_s = unseen
        .iter()
        .map(|(a, b)| u64::try_from((*b - *a).num_seconds()).unwrap_or(0))
        .sum();
    let mut values: Vec<f64> = samples.iter().map(|s| s.value).collect();
    values.sort_by(f64::total_cmp);
    let p95 = (!values.is_empty()).then(|| values[(values.len() * 95).div_ceil(100).max(1) - 1]);
    let top = samples
        .iter()
        .copied()
        .reduce(|a, b| if b.value > a.value { b } else { a });
    MetricNote {
        name: spec.name.clone(),
        unit: spec.unit.clone(),
        samples: samples.len(),
        average: (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64),
        p95,
        max: top.map(|s| s.value),
        max_at: top.map(|s| when(s.at)),
        total: (spec.counts && !values.is_empty()).then(|| values.iter().sum()),
        unseen: unseen
            .iter()
            .map(|(a, b)| Span {
                from: when(*a),
                to: when(*b),
            })
            .collect(),
        unseen_s,
        not_read: match night.metrics.health(id) {
            Some(crate::metrics::Health::Down(why)) => Some(why.clone()),
            _ => None,
        },
    }
}

pub fn json(r: &DeployReport) -> String {
    let mut value = serde_json::to_value(r).unwrap_or_default();
    crate::outside::shown_json(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
