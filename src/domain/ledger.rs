//! The release as people changed it: the plan's items and checklist with every
//! journal entry applied, who did what and when, and how to take each back.
//!
//! Replaying a journal and applying the same entries live go through the one
//! `apply`, so every seat that read the same lines shows the same state.

use chrono::{DateTime, FixedOffset};

use super::action::{Action, MarkState, RiskFigures, StoodReason};
use super::alert_log::AlertLog;
use super::deploy_log::DeployLog;
use super::item::{MAX_RECOVERY, MAX_RECOVERY_TEXT};
use super::{ChecklistEntry, ReleaseItem, Risk};

/// Who did something, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    pub actor: String,
    pub at: DateTime<FixedOffset>,
}

/// One journal entry as the ledger sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Recorded {
    /// Line number in the journal file, from 1.
    pub line: u64,
    pub stamp: Stamp,
    /// The running warroom that wrote it, when known.
    pub seat: Option<String>,
    /// The database role that wrote it, where the journal is on a database.
    pub role: Option<String>,
    pub action: Action,
    /// The line this entry undoes, if it is an undo.
    pub undoes: Option<u64>,
}

impl Recorded {
    /// The database role that wrote the line, when it is not the name the
    /// line gives: a name typed with `--as` told apart from who connected.
    pub fn connected_as(&self) -> Option<&str> {
        self.role
            .as_deref()
            .filter(|role| *role != self.stamp.actor)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    pub state: MarkState,
    pub reason: Option<String>,
    pub stamp: Stamp,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    pub line: u64,
    pub item: Option<String>,
    pub text: String,
    pub stamp: Stamp,
    pub retracted: bool,
}

/// Why an undo was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UndoRefused {
    /// This actor has nothing left to take back.
    Nothing,
    /// Someone changed the same thing since; undoing would silently revert it.
    ChangedSince { target: String, by: Stamp },
    /// The actor's last action is one that is never taken back (a check-in).
    Kept(String),
}

/// What became of an entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Applied,
    /// It names an item or checklist entry the plan does not have.
    Orphaned(String),
    /// Its values are not ones the plan would accept.
    Rejected(String),
}

/// An entry in the order it was read, with its outcome: the log overlay.
#[derive(Debug, Clone, PartialEq)]
pub struct LogLine {
    pub entry: Recorded,
    pub outcome: Outcome,
    /// The action that takes this one back, while it can still be taken back.
    pub inverse: Option<Action>,
    pub undone: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Ledger {
    pub items: Vec<ReleaseItem>,
    /// The last change to each item, in plan order.
    pub item_stamps: Vec<Option<Stamp>>,
    pub checklist: Vec<ChecklistEntry>,
    /// Each checklist entry's mark, in plan order; `None` while nobody touched it.
    pub marks: Vec<Option<Mark>>,
    pub notes: Vec<Note>,
    /// Approvals in journal order; the last one not withdrawn counts.
    pub approvals: Vec<Approval>,
    pub alerts: AlertLog,
    pub deploy: DeployLog,
    /// Load-test runs imported on items, in journal order.
    pub evidence: Vec<super::evidence::EvidenceRecord>,
    pub log: Vec<LogLine>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Approval {
    pub line: u64,
    pub stamp: Stamp,
    pub statement: String,
    pub override_reason: Option<String>,
    pub go: bool,
    pub reasons: Vec<StoodReason>,
    pub withdrawn: bool,
}

impl Approval {
    /// Stale once a blocker stands that was not there when it was given, or
    /// an incident began after it: what she approved is no longer the night.
    pub fn is_stale(&self, verdict: &super::gate::Verdict) -> bool {
        self.stale_because(verdict).is_some()
    }

    /// What made it stale, in a few words: the new blocker's subject, or the
    /// metric of an incident that began after it.
    pub fn stale_because(&self, verdict: &super::gate::Verdict) -> Option<String> {
        if let Some(new) = super::gate::new_blockers(&self.reasons, verdict).first() {
            return Some(new.subjects.first().cloned().unwrap_or_default());
        }
        let given = self.stamp.at.to_utc();
        verdict
            .incidents
            .iter()
            .find(|i| i.since > given)
            .map(|i| format!("{} incident", i.metric))
    }
}

impl Ledger {
    pub fn new(items: Vec<ReleaseItem>, checklist: Vec<ChecklistEntry>) -> Ledger {
        Ledger {
            item_stamps: vec![None; items.len()],
            marks: vec![None; checklist.len()],
            items,
            checklist,
            notes: Vec::new(),
            approvals: Vec::new(),
            alerts: AlertLog::default(),
            deploy: DeployLog::default(),
            evidence: Vec::new(),
            log: Vec::new(),
        }
    }

    pub fn mark_state(&self, index: usize) -> MarkState {
        self.marks
            .get(index)
            .and_then(|m| m.as_ref())
            .map_or(MarkState::Open, |m| m.state)
    }

    /// Applies one entry; an entry that cannot apply is kept in the log with
    /// the reason, never fatal.
    pub fn apply(&mut self, entry: Recorded) -> &Outcome {
        let before = self.inverse_of(&entry.action);
        // An undo counts only if it still may happen where the file puts it:
        // every seat and every replay judges it at the same line.
        let refused = entry.undoes.and_then(|line| {
            match self.undo_of(line, &entry.stamp.actor, entry.seat.as_deref()) {
                Ok(expected) if expected == entry.action => None,
                Ok(_) => Some(format!("not the undo of line {line}")),
                Err(UndoRefused::Nothing) => {
                    Some(format!("line {line} is not this seat's to take back"))
                }
                Err(UndoRefused::ChangedSince { target, by }) => Some(format!(
                    "cannot undo line {line}: {target} was changed since by {}",
                    by.actor
                )),
                Err(UndoRefused::Kept(why)) => Some(why),
            }
        });
        let outcome = match refused {
            Some(why) => Outcome::Rejected(why),
            None => self.change(&entry),
        };
        // The log and the notes are in line order: find by binary search, so a
        // long night's replay stays linear.
        if let (Outcome::Applied, Some(undone)) = (&outcome, entry.undoes)
            && let Ok(i) = self.log.binary_search_by_key(&undone, |l| l.entry.line)
        {
            self.log[i].undone = true;
        }
        let inverse = match (&outcome, entry.undoes) {
            (Outcome::Applied, None) => before,
            _ => None,
        };
        self.log.push(LogLine {
            entry,
            outcome,
            inverse,
            undone: false,
        });
        &self.log[self.log.len() - 1].outcome
    }

    fn change(&mut self, entry: &Recorded) -> Outcome {
        let stamp = entry.stamp.clone();
        match &entry.action {
            Action::Check { id, mark, reason } => {
                let Some(i) = self.checklist.iter().position(|c| &c.id == id) else {
                    return Outcome::Orphaned(format!("no checklist entry \"{id}\" in the plan"));
                };
                let reason = reason.clone().filter(|r| !r.trim().is_empty());
                if *mark == MarkState::NotApplicable && reason.is_none() {
                    return Outcome::Rejected("not applicable without a reason".into());
                }
                self.marks[i] = Some(Mark {
                    state: *mark,
                    reason,
                    stamp,
                });
                Outcome::Applied
            }
            Action::ItemStatus { id, status } => {
                let Some(i) = self.item_index(id) else {
                    return orphaned_item(id);
                };
                self.items[i].status = *status;
                self.item_stamps[i] = Some(stamp);
                Outcome::Applied
            }
            Action::ItemEdit {
                id,
                priority,
                owner,
                risk,
            } => {
                let Some(i) = self.item_index(id) else {
                    return orphaned_item(id);
                };
                let risk = match risk.as_ref().map(risk_from_figures).transpose() {
                    Ok(r) => r,
                    Err(why) => return Outcome::Rejected(why),
                };
                let item = &mut self.items[i];
                item.priority = *priority;
                item.owner = owner.clone().filter(|o| !o.trim().is_empty());
                item.risk = risk;
                self.item_stamps[i] = Some(stamp);
                Outcome::Applied
            }
            Action::Note { item, text } => {
                if let Some(id) = item
                    && self.item_index(id).is_none()
                {
                    return orphaned_item(id);
                }
                self.notes.push(Note {
                    line: entry.line,
                    item: item.clone(),
                    text: text.clone(),
                    stamp,
                    retracted: false,
                });
                Outcome::Applied
            }
            Action::RetractNote { line } => match self.notes.binary_search_by_key(line, |n| n.line)
            {
                Ok(i) => {
                    self.notes[i].retracted = true;
                    Outcome::Applied
                }
                Err(_) => Outcome::Rejected(format!("no note on journal line {line}")),
            },
            Action::Approve {
                statement,
                override_reason,
                go,
                reasons,
            } => {
                let override_reason = override_reason.clone().filter(|r| !r.trim().is_empty());
                if statement.trim().is_empty() {
                    return Outcome::Rejected("an approval without a statement".into());
                }
                if !go && override_reason.is_none() {
                    return Outcome::Rejected("a NO-GO approved without an override reason".into());
                }
                self.approvals.push(Approval {
                    line: entry.line,
                    stamp,
                    statement: statement.clone(),
                    override_reason,
                    go: *go,
                    reasons: reasons.clone(),
                    withdrawn: false,
                });
                Outcome::Applied
            }
            Action::WithdrawApproval { line } => {
                match self.approvals.binary_search_by_key(line, |a| a.line) {
                    Ok(i) => {
                        self.approvals[i].withdrawn = true;
                        Outcome::Applied
                    }
                    Err(_) => Outcome::Rejected(format!("no approval on journal line {line}")),
                }
            }
            Action::DeployDone => self.deploy.mark_done(entry.line, stamp),
            Action::WithdrawDeployDone { line } => self.deploy.withdraw(*line),
            Action::CheckIn { note } => self.deploy.check_in(entry.line, stamp, note.clone()),
            // Said in the log; the slots themselves follow from the plan.
            Action::CheckInDue { .. }
            | Action::CheckInMissed { .. }
            | Action::VerdictTurned { .. }
            | Action::ChatPosted { .. } => Outcome::Applied,
            Action::Evidence(e) => {
                if self.item_index(&e.item).is_none() {
                    return orphaned_item(&e.item);
                }
                self.evidence.push(super::evidence::EvidenceRecord {
                    line: entry.line,
                    stamp,
                    evidence: (**e).clone(),
                });
                Outcome::Applied
            }
            Action::AlertStart(figures) => self.alerts.start(entry.line, stamp, figures),
            Action::AlertEnd(figures) => self.alerts.end(stamp, figures),
        }
    }

    /// When the item became passed, by the journal: the time of the line
    /// that set its status as it stands now, when that status is passed.
    /// `None` when it is not passed, or was passed already in the plan.
    pub fn passed_at(&self, index: usize) -> Option<chrono::DateTime<chrono::Utc>> {
        let item = self.items.get(index)?;
        if item.status != super::ItemStatus::Passed {
            return None;
        }
        self.log
            .iter()
            .rev()
            // An undo that put "passed" back is not a new pass: the pass it
            // restored, further up, says when.
            .filter(|l| l.outcome == Outcome::Applied && !l.undone && l.entry.undoes.is_none())
            .find_map(|l| match &l.entry.action {
                Action::ItemStatus { id, status } if *id == item.id => {
                    Some((*status == super::ItemStatus::Passed).then(|| l.entry.stamp.at.to_utc()))
                }
                _ => None,
            })
            .flatten()
    }

    /// The approval that counts: the latest not withdrawn.
    /// The earlier import of this run on its item, if there was one: `warroom
    /// import` and the room's `i` alike add a run once.
    pub fn imported(
        &self,
        run: &super::evidence::Evidence,
    ) -> Option<&super::evidence::EvidenceRecord> {
        self.evidence.iter().find(|r| r.evidence.same_run(run))
    }

    pub fn approval(&self) -> Option<&Approval> {
        self.approvals.iter().rev().find(|a| !a.withdrawn)
    }

    /// What made the approval stale, if it is. An approval the deploy
    /// followed did its work: what the watch finds after (an alert, the
    /// smoke test still open) is production's health, not a GO gone bad.
    pub fn approval_stale_because(&self, verdict: &super::gate::Verdict) -> Option<String> {
        let approval = self.approval()?;
        let deployed = self
            .deploy
            .done()
            .is_some_and(|d| d.stamp.at >= approval.stamp.at);
        if deployed {
            return None;
        }
        approval.stale_because(verdict)
    }

    pub(super) fn item_index(&self, id: &str) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }
}

fn orphaned_item(id: &str) -> Outcome {
    Outcome::Orphaned(format!("no item \"{id}\" in the plan"))
}

/// Checks figures as the plan does: 1..=10, a recovery duration up to 30 days.
pub fn risk_from_figures(f: &RiskFigures) -> Result<Risk, String> {
    for (name, v) in [("impact", f.impact), ("likelihood", f.likelihood)] {
        if !(1..=10).contains(&v) {
            return Err(format!("risk {name} is {v}; expected 1 to 10"));
        }
    }
    let recovery = humantime::parse_duration(f.recovery.trim())
        .ok()
        .filter(|d| !d.is_zero() && *d <= MAX_RECOVERY)
        .ok_or_else(|| {
            format!(
                "recovery \"{}\" is not a duration up to {MAX_RECOVERY_TEXT}, like \"2h\"",
                f.recovery
            )
        })?;
    Ok(Risk {
        impact: f.impact,
        likelihood: f.likelihood,
        recovery,
    })
}

pub fn figures_from_risk(r: &Risk) -> RiskFigures {
    RiskFigures {
        impact: r.impact,
        likelihood: r.likelihood,
        recovery: humantime::format_duration(r.recovery).to_string(),
    }
}

#[cfg(test)]
#[path = "ledger_tests.rs"]
mod tests;
