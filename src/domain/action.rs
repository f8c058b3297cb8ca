//! What a person can do on deploy night, as it is written to the journal.

use std::fmt;

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use super::{ItemStatus, Priority};

/// The state of one checklist entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MarkState {
    Open,
    Done,
    /// Not applicable tonight, with a reason.
    #[serde(rename = "n/a")]
    NotApplicable,
}

/// Risk figures as written in the journal; checked like the plan's when applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskFigures {
    pub impact: u8,
    pub likelihood: u8,
    /// A duration like `2h`.
    pub recovery: String,
}

// Not `Eq`: alerts carry measured values.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Action {
    /// A checklist entry marked done, reopened, or marked not applicable.
    Check {
        id: String,
        mark: MarkState,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A release item moved through testing.
    ItemStatus { id: String, status: ItemStatus },
    /// A release item's priority, owner and risk set from the edit form.
    ItemEdit {
        id: String,
        priority: Priority,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        risk: Option<RiskFigures>,
    },
    /// A note on an item, or on the release when `item` is absent.
    Note {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        item: Option<String>,
        text: String,
    },
    /// A note taken back (the undo of a note), by the journal line it was on.
    RetractNote { line: u64 },
    /// Approval of the deploy, with the verdict and reasons that stood.
    Approve {
        statement: String,
        /// Why a NO-GO is approved anyway: the risk accepted.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        override_reason: Option<String>,
        /// Whether the verdict was GO when approved.
        go: bool,
        reasons: Vec<StoodReason>,
    },
    /// An approval taken back (the undo of an approval).
    WithdrawApproval { line: u64 },
    /// The deploy is done (`D`): the watch window runs from now if that is
    /// earlier than planned.
    DeployDone,
    /// A deploy-done mark taken back (its undo), by the line it was on.
    WithdrawDeployDone { line: u64 },
    /// A check-in after the watch window: all well, or what she saw.
    CheckIn {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    },
    /// A load-test result imported on an item: what the run showed.
    Evidence(Box<super::evidence::Evidence>),
    /// A metric held at or above crit long enough to be an alert. Written by
    /// the seat that saw it first; not a person's action, so never undone.
    AlertStart(AlertFigures),
    /// The first sample back below crit after an alert.
    AlertEnd(AlertFigures),
    /// A check-in slot fell due, with what each metric did since the one
    /// before. Written by the seat or watcher that saw it first, once.
    CheckInDue {
        slot: DateTime<FixedOffset>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        digest: Vec<String>,
    },
    /// The team's chat was told of journal line `line`: the claim of the
    /// seat or watcher that posts it. Written once, so a line is posted
    /// once however many seats with a chat run, and by one of them
    /// whoever wrote the line.
    ChatPosted { line: u64 },
    /// A check-in slot ended with no check-in. Written by the seat or
    /// watcher that saw it first, once.
    CheckInMissed { slot: DateTime<FixedOffset> },
    /// Before the deploy, a mark turned the verdict: GO, or NO-GO with its
    /// first blocker. Written by the seat whose mark it was, for the chat
    /// (any seat with the webhook posts it).
    VerdictTurned {
        go: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        blocker: Option<String>,
    },
}

/// An alert's measurements, in the metric's unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlertFigures {
    pub metric: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub unit: String,
    pub limit: f64,
    /// The latest value as it started; the highest once it ended.
    pub value: f64,
    /// The first sample at or above the limit.
    pub since: DateTime<FixedOffset>,
    /// Whole seconds at or above the limit so far.
    pub held_secs: u64,
}

impl AlertFigures {
    /// One interval past its last sample at or above the limit, as far as
    /// `held_secs` says.
    pub fn until(&self) -> DateTime<FixedOffset> {
        // From the journal: any number must give a time, never a panic.
        const CENTURY: i64 = 100 * 365 * 86_400;
        let secs = i64::try_from(self.held_secs).map_or(CENTURY, |s| s.min(CENTURY));
        self.since
            .checked_add_signed(chrono::TimeDelta::seconds(secs))
            .unwrap_or_else(|| chrono::DateTime::<chrono::Utc>::MAX_UTC.fixed_offset())
    }
}

impl Action {
    /// Whether a person did it, rather than a seat's watch on the metrics.
    pub fn by_person(&self) -> bool {
        !matches!(
            self,
            Action::AlertStart(_)
                | Action::AlertEnd(_)
                | Action::CheckInDue { .. }
                | Action::CheckInMissed { .. }
                | Action::ChatPosted { .. }
                | Action::VerdictTurned { .. }
        )
    }

    /// The release item it is about, when it is about one.
    pub fn item(&self) -> Option<&str> {
        match self {
            Action::ItemStatus { id, .. } | Action::ItemEdit { id, .. } => Some(id),
            Action::Note { item, .. } => item.as_deref(),
            Action::Evidence(e) => Some(&e.item),
            _ => None,
        }
    }

    /// Whether `u` may take it back: a person's action, except a check-in,
    /// which says what was seen then and stays true.
    pub fn undoable(&self) -> bool {
        self.by_person() && !matches!(self, Action::CheckIn { .. } | Action::Evidence(_))
    }
}

impl fmt::Display for AlertFigures {
    /// `API p95 612 ms > 500 ms for 40 s`: the measured value against its limit.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = |v: f64| crate::metrics::format::value(v, &self.unit);
        let op = if self.value > self.limit { ">" } else { "≥" };
        write!(
            f,
            "{} {} {op} {} for {}",
            self.metric,
            value(self.value),
            value(self.limit),
            crate::metrics::format::held(self.held_secs)
        )
    }
}

/// A reason as it stood when an approval was given.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoodReason {
    /// Kind and subjects in one word, e.g. `item_not_passed:API-TIMEOUT`.
    pub key: String,
    pub text: String,
    /// Whether it blocked.
    pub block: bool,
    /// The reason's kind, e.g. `checklist_open`.
    #[serde(default)]
    pub kind: String,
    /// The items, checklist entries or metric it named.
    #[serde(default)]
    pub subjects: Vec<String>,
}

/// How the log and the reports say it: `checked rollback-plan`, `API-TIMEOUT → passed`.
impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Check { id, mark, reason } => match (mark, reason) {
                (MarkState::Done, _) => write!(f, "checked {id}"),
                (MarkState::Open, _) => write!(f, "reopened {id}"),
                (MarkState::NotApplicable, Some(r)) => write!(f, "{id} not applicable: {r}"),
                (MarkState::NotApplicable, None) => write!(f, "{id} not applicable"),
            },
            Action::ItemStatus { id, status } => write!(f, "{id} → {}", status.label()),
            Action::ItemEdit {
                id,
                priority,
                owner,
                risk,
            } => {
                write!(f, "{id} set to {priority}")?;
                if let Some(o) = owner {
                    write!(f, ", owner {o}")?;
                }
                match risk {
                    Some(r) => write!(
                        f,
                        ", risk {}×{} = {}, recovery {}",
                        r.impact,
                        r.likelihood,
                        u16::from(r.impact) * u16::from(r.likelihood),
                        r.recovery
                    ),
                    None => write!(f, ", no risk figures"),
                }
            }
            Action::Note {
                item: Some(id),
                text,
            } => write!(f, "note on {id}: {text}"),
            Action::Note { item: None, text } => write!(f, "note: {text}"),
            Action::RetractNote { line } => write!(f, "note of line {line} withdrawn"),
            Action::Approve {
                statement,
                override_reason,
                go,
                ..
            } => match (go, override_reason) {
                (true, _) => write!(f, "approved GO: {statement}"),
                (false, Some(why)) => {
                    write!(f, "approved despite NO-GO: {statement} (override: {why})")
                }
                (false, None) => write!(f, "approved despite NO-GO: {statement}"),
            },
            Action::WithdrawApproval { line } => write!(f, "approval of line {line} withdrawn"),
            Action::DeployDone => write!(f, "deploy done"),
            Action::WithdrawDeployDone { line } => {
                write!(f, "deploy done of line {line} withdrawn")
            }
            Action::Evidence(e) => write!(
                f,
                "evidence on {}: {} ({} samples, {}% errors, p95 {} ms)",
                e.item,
                e.file,
                e.summary.samples,
                crate::metrics::format::number(e.summary.error_rate),
                e.summary.latency_ms.p95
            ),
            Action::CheckIn { note: None } => write!(f, "checked in: all well"),
            Action::CheckIn { note: Some(n) } => write!(f, "checked in: {n}"),
            Action::AlertStart(a) => write!(f, "alert: {a}"),
            Action::CheckInDue { slot, digest } => {
                write!(f, "check-in due (the {} slot)", slot.format("%a %H:%M"))?;
                if !digest.is_empty() {
                    write!(f, ": {}", digest.join("; "))?;
                }
                Ok(())
            }
            Action::ChatPosted { line } => write!(f, "line {line} posted to the team's chat"),
            Action::VerdictTurned { go: true, .. } => write!(f, "the verdict turned GO"),
            Action::VerdictTurned { go: false, blocker } => {
                write!(f, "the verdict turned NO-GO")?;
                match blocker {
                    Some(b) => write!(f, ": {b}"),
                    None => Ok(()),
                }
            }
            Action::CheckInMissed { slot } => {
                write!(f, "check-in missed (the {} slot)", slot.format("%a %H:%M"))
            }
            Action::AlertEnd(a) => write!(
                f,
                "alert over: {} at or above {} for {} (peak {})",
                a.metric,
                crate::metrics::format::value(a.limit, &a.unit),
                crate::metrics::format::held(a.held_secs),
                crate::metrics::format::value(a.value, &a.unit),
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_as_sentences() {
        let cases = [
            (
                Action::Check {
                    id: "rollback-plan".into(),
                    mark: MarkState::Done,
                    reason: None,
                },
                "checked rollback-plan",
            ),
            (
                Action::Check {
                    id: "db-migration".into(),
                    mark: MarkState::NotApplicable,
                    reason: Some("no schema change".into()),
                },
                "db-migration not applicable: no schema change",
            ),
            (
                Action::ItemStatus {
                    id: "API-TIMEOUT".into(),
                    status: ItemStatus::Passed,
                },
                "API-TIMEOUT → passed",
            ),
            (
                Action::ItemEdit {
                    id: "PAY-PERF".into(),
                    priority: Priority::High,
                    owner: Some("payments".into()),
                    risk: Some(RiskFigures {
                        impact: 10,
                        likelihood: 2,
                        recovery: "4h".into(),
                    }),
                },
                "PAY-PERF set to high, owner payments, risk 10×2 = 20, recovery 4h",
            ),
            (
                Action::Note {
                    item: None,
                    text: "CTO approved".into(),
                },
                "note: CTO approved",
            ),
        ];
        for (action, text) in cases {
            assert_eq!(action.to_string(), text);
        }
    }
}
