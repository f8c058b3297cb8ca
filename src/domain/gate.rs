//! GO or NO-GO: the gate's rules, and the verdict with its reasons in words.
//!
//! Pure: the verdict is a function of the items, the checklist marks and what
//! the metrics did recently, nothing else.

use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::{ChecklistEntry, ItemStatus, MarkState, Priority, ReleaseItem};

/// What breaking a rule does to the verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// NO-GO.
    Block,
    /// Said, but the verdict can still be GO.
    Warn,
    /// Not checked.
    Off,
}

/// The gate of a plan (`[gate]`); the defaults are the story's night.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GateRules {
    /// Every required checklist entry done, or not applicable with a reason.
    pub checklist: Severity,
    /// Items at or above this priority must have passed...
    pub pass_from: Priority,
    /// ...or this is what it does to the verdict.
    pub untested: Severity,
    /// Items below `pass_from` that have not passed.
    pub untested_below: Severity,
    /// Any failed item.
    pub failed: Severity,
    /// A metric at or above its crit level for `metrics_hold` within the window.
    pub metrics: Severity,
    /// A gating metric that cannot be read (its source down, no sample yet,
    /// a backlog still being read): not known to be fine.
    pub unread: Severity,
    pub metrics_window: Duration,
    /// How long a metric must stay at or above crit to count: one slow call
    /// is not an incident, and the verdict must not flicker on the call.
    pub metrics_hold: Duration,
}

impl Default for GateRules {
    fn default() -> Self {
        GateRules {
            checklist: Severity::Block,
            pass_from: Priority::Low,
            untested: Severity::Block,
            untested_below: Severity::Warn,
            failed: Severity::Block,
            metrics: Severity::Block,
            unread: Severity::Block,
            metrics_window: Duration::from_secs(10 * 60),
            metrics_hold: Duration::from_secs(30),
        }
    }
}

/// What a metric did at or above its crit level in the window, if anything.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricCrit {
    pub name: String,
    pub unit: String,
    pub crit: f64,
    /// The highest value seen at or above crit.
    pub peak: f64,
    /// How long the latest stretch at or above crit lasted.
    pub held: Duration,
    /// Whether it is still at or above crit at the latest sample.
    pub ongoing: bool,
    /// A load-test result, judged over its latest test rather than the window.
    pub load_test: bool,
}

/// A metric the gate could not read, and why (a source down, a simulated one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MetricUnread {
    pub name: String,
    pub why: String,
}

/// What a reason is about, for a pipeline to act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReasonKind {
    ItemNotPassed,
    ItemFailed,
    ChecklistOpen,
    MetricCrit,
    MetricUnread,
    /// An item's latest load-test run broke its pass criteria.
    EvidenceFailed,
    /// A policy of the plan (freeze windows and the like) is broken.
    Policy,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    pub severity: Severity,
    pub kind: ReasonKind,
    /// The item id, checklist entry ids or metric name behind it; for a
    /// policy, the rule's name and then the items it names.
    pub subjects: Vec<String>,
    /// The sentence, without the rule's name.
    pub text: String,
    /// The policy rule broken, for a policy reason.
    pub rule: Option<String>,
}

impl Reason {
    /// Kind and subjects in one word, e.g. `item_not_passed:API-TIMEOUT`.
    pub fn key(&self) -> String {
        format!("{}:{}", self.kind_name(), self.subjects.join(","))
    }

    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            ReasonKind::ItemNotPassed => "item_not_passed",
            ReasonKind::ItemFailed => "item_failed",
            ReasonKind::ChecklistOpen => "checklist_open",
            ReasonKind::MetricCrit => "metric_crit",
            ReasonKind::MetricUnread => "metric_unread",
            ReasonKind::EvidenceFailed => "evidence_failed",
            ReasonKind::Policy => "policy",
        }
    }

    /// The sentence as the room and `check` say it: a policy's with its rule.
    pub fn said(&self) -> String {
        match &self.rule {
            Some(rule) => format!("{} (policy {rule})", self.text),
            None => self.text.clone(),
        }
    }

    /// For a policy, the items it names when its sentence only counts them:
    /// `API-TIMEOUT, PAY-PERF, SIGNUP-FLOW`.
    pub fn items(&self) -> Option<String> {
        let items = self
            .subjects
            .get(1..)
            .filter(|_| self.kind == ReasonKind::Policy)?;
        let first = items.first()?;
        (!self.text.starts_with(first.as_str())).then(|| items.join(", "))
    }

    pub fn stood(&self) -> super::action::StoodReason {
        super::action::StoodReason {
            key: self.key(),
            text: self.said(),
            block: self.severity == Severity::Block,
            kind: self.kind_name().to_string(),
            subjects: self.subjects.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// Blockers first, then warnings, each group in the order the room reads
    /// them: items by priority, the checklist, metrics, policies.
    pub reasons: Vec<Reason>,
    /// Incidents (a metric held at crit) that began after the standing
    /// approval was given: each makes it stale, whatever it accepted.
    pub incidents: Vec<Incident>,
}

/// A metric held at crit, from when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub metric: String,
    pub since: chrono::DateTime<chrono::Utc>,
}

impl Verdict {
    pub fn go(&self) -> bool {
        self.blockers().next().is_none()
    }

    pub fn blockers(&self) -> impl Iterator<Item = &Reason> {
        self.reasons
            .iter()
            .filter(|r| r.severity == Severity::Block)
    }

    pub fn label(&self) -> &'static str {
        if self.go() { "GO" } else { "NO-GO" }
    }
}

/// The blockers of `verdict` that an approval which accepted `accepted` did
/// not accept: a blocker of a kind it did not accept, or naming something it
/// did not. Progress (an entry ticked, an item passed) adds none.
pub fn new_blockers<'a>(
    accepted: &[super::action::StoodReason],
    verdict: &'a Verdict,
) -> Vec<&'a Reason> {
    verdict
        .blockers()
        .filter(|now| {
            let same_kind: Vec<_> = accepted
                .iter()
                .filter(|then| then.block && then.kind == now.kind_name())
                .collect();
            same_kind.is_empty()
                || now
                    .subjects
                    .iter()
                    .any(|s| !same_kind.iter().any(|then| then.subjects.contains(s)))
        })
        .collect()
}

/// Everything the gate looks at.
pub struct GateInput<'a> {
    pub items: &'a [ReleaseItem],
    pub checklist: &'a [ChecklistEntry],
    pub marks: &'a [MarkState],
    pub metrics_crit: &'a [MetricCrit],
    pub metrics_unread: &'a [MetricUnread],
    /// Reasons from policies (a later part of the plan); added as they are.
    pub policy: &'a [Reason],
    /// Incidents since the standing approval.
    pub incidents: &'a [Incident],
    /// Items whose latest load-test run broke their criteria: the item,
    /// the file, and what it broke.
    pub evidence_failed: &'a [(String, String, Vec<String>)],
}

pub fn evaluate(rules: &GateRules, input: &GateInput<'_>) -> Verdict {
    let mut reasons = Vec::new();
    let mut items: Vec<&ReleaseItem> = input.items.iter().collect();
    items.sort_by_key(|i| (i.priority, std::cmp::Reverse(i.risk_score())));
    for item in items {
        let (severity, kind, what) = match item.status {
            ItemStatus::Passed => continue,
            ItemStatus::Failed => (rules.failed, ReasonKind::ItemFailed, "failed"),
            ItemStatus::Untested | ItemStatus::InProgress => {
                let severity = if item.priority <= rules.pass_from {
                    rules.untested
                } else {
                    rules.untested_below
                };
                let what = if item.status == ItemStatus::Untested {
                    "not passed (untested)"
                } else {
                    "not passed (still testing)"
                };
                (severity, ReasonKind::ItemNotPassed, what)
            }
        };
        push(&mut reasons, severity, kind, vec![item.id.clone()], || {
            format!("{}: {} item {what}", item.id, priority_word(item.priority))
        });
    }

    for (item, file, broken) in input.evidence_failed {
        push(
            &mut reasons,
            rules.failed,
            ReasonKind::EvidenceFailed,
            vec![item.clone()],
            || {
                format!(
                    "{item}: latest load test failed: {} ({file})",
                    broken.join(", ")
                )
            },
        );
    }

    let open: Vec<String> = input
        .checklist
        .iter()
        .zip(input.marks)
        .filter(|(entry, mark)| entry.required && **mark == MarkState::Open)
        .map(|(entry, _)| entry.id.clone())
        .collect();
    if !open.is_empty() {
        let n = open.len();
        let noun = if n == 1 { "item" } else { "items" };
        push(
            &mut reasons,
            rules.checklist,
            ReasonKind::ChecklistOpen,
            open,
            || format!("checklist: {n} required {noun} open"),
        );
    }

    for m in input.metrics_crit {
        push(
            &mut reasons,
            rules.metrics,
            ReasonKind::MetricCrit,
            vec![m.name.clone()],
            || {
                let value = |v: f64| crate::metrics::format::value(v, &m.unit);
                let held = held_words(m.held);
                if m.load_test {
                    format!(
                        "{} reached {} in its load test (peak {}, {held} at or above)",
                        m.name,
                        value(m.crit),
                        value(m.peak)
                    )
                } else if m.ongoing {
                    format!(
                        "{} at or above {} for {held} (peak {})",
                        m.name,
                        value(m.crit),
                        value(m.peak)
                    )
                } else {
                    let window = held_words(rules.metrics_window);
                    format!(
                        "{} reached {} in the last {window} (peak {}, {held} at or above)",
                        m.name,
                        value(m.crit),
                        value(m.peak)
                    )
                }
            },
        );
    }
    for m in input.metrics_unread {
        // A metric the gate cannot see is not known to be fine: it blocks
        // unless the plan relaxes `unread`, as a rollout fails on a
        // measurement it could not take. Metrics off are off, read or not.
        let severity = if rules.metrics == Severity::Off {
            Severity::Off
        } else {
            rules.unread
        };
        push(
            &mut reasons,
            severity,
            ReasonKind::MetricUnread,
            vec![m.name.clone()],
            || format!("{}: not read ({})", m.name, m.why),
        );
    }
    reasons.extend(input.policy.iter().cloned());
    // Stable: blockers first, the order above kept within each severity.
    reasons.sort_by_key(|r| r.severity);
    Verdict {
        reasons,
        incidents: input.incidents.to_vec(),
    }
}

fn push(
    reasons: &mut Vec<Reason>,
    severity: Severity,
    kind: ReasonKind,
    subjects: Vec<String>,
    text: impl FnOnce() -> String,
) {
    if severity != Severity::Off {
        reasons.push(Reason {
            severity,
            kind,
            subjects,
            text: text(),
            rule: None,
        });
    }
}

fn priority_word(p: Priority) -> &'static str {
    match p {
        Priority::Critical => "Critical",
        Priority::High => "High",
        Priority::Medium => "Medium",
        Priority::Low => "Low",
    }
}

/// `40 s`, `3 min`, `2 h 5 min`.
fn held_words(d: Duration) -> String {
    crate::metrics::format::held(d.as_secs())
}

#[cfg(test)]
#[path = "gate_tests.rs"]
mod tests;
