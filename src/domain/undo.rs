//! Taking an action back: the inverse of each action, and whether this
//! seat's actor may still take its latest one back where the journal stands.

use super::action::{Action, MarkState};
use super::ledger::{Ledger, Outcome, UndoRefused, figures_from_risk};

impl Ledger {
    /// The action that would restore what `action` is about to change, from
    /// the state before it.
    pub(super) fn inverse_of(&self, action: &Action) -> Option<Action> {
        match action {
            Action::Check { id, .. } => {
                let i = self.checklist.iter().position(|c| &c.id == id)?;
                let (mark, reason) = match &self.marks[i] {
                    Some(m) => (m.state, m.reason.clone()),
                    None => (MarkState::Open, None),
                };
                Some(Action::Check {
                    id: id.clone(),
                    mark,
                    reason,
                })
            }
            Action::ItemStatus { id, .. } => {
                let item = &self.items[self.item_index(id)?];
                Some(Action::ItemStatus {
                    id: id.clone(),
                    status: item.status,
                })
            }
            Action::ItemEdit { id, .. } => {
                let item = &self.items[self.item_index(id)?];
                Some(Action::ItemEdit {
                    id: id.clone(),
                    priority: item.priority,
                    owner: item.owner.clone(),
                    risk: item.risk.as_ref().map(figures_from_risk),
                })
            }
            // A note or an approval is taken back by its line, known once written.
            Action::Note { .. }
            | Action::RetractNote { .. }
            | Action::Approve { .. }
            | Action::WithdrawApproval { .. }
            | Action::DeployDone
            | Action::WithdrawDeployDone { .. }
            | Action::CheckIn { .. }
            | Action::Evidence(_)
            | Action::AlertStart(_)
            | Action::AlertEnd(_)
            | Action::CheckInDue { .. }
            | Action::ChatPosted { .. }
            | Action::VerdictTurned { .. }
            | Action::CheckInMissed { .. } => None,
        }
    }

    /// What this seat would undo now: its actor's latest entry from this seat
    /// that can still be taken back, and the action that does it; or why not.
    pub fn undo_for(&self, actor: &str, seat: Option<&str>) -> Result<(u64, Action), UndoRefused> {
        let last = self
            .log
            .iter()
            .rev()
            .find(|l| {
                l.entry.stamp.actor == actor
                    && l.entry.seat.as_deref() == seat
                    && l.entry.action.by_person()
                    && l.entry.undoes.is_none()
                    && !l.undone
                    && l.outcome == Outcome::Applied
            })
            .ok_or(UndoRefused::Nothing)?;
        // The last action is the one undo is about: one that stays must not
        // let undo reach past it to something older.
        if !last.entry.action.undoable() {
            return Err(UndoRefused::Kept(format!(
                "your last action stays: {}",
                last.entry.action
            )));
        }
        let line = last.entry.line;
        self.undo_of(line, actor, seat).map(|action| (line, action))
    }

    /// The action that takes back `line` for `actor` on `seat`, if it may be
    /// taken back now.
    pub(super) fn undo_of(
        &self,
        line: u64,
        actor: &str,
        seat: Option<&str>,
    ) -> Result<Action, UndoRefused> {
        let i = self
            .log
            .binary_search_by_key(&line, |l| l.entry.line)
            .map_err(|_| UndoRefused::Nothing)?;
        let target = &self.log[i];
        let takeable = target.entry.stamp.actor == actor
            && target.entry.seat.as_deref() == seat
            && target.entry.undoes.is_none()
            && !target.undone
            && target.outcome == Outcome::Applied;
        if !takeable {
            return Err(UndoRefused::Nothing);
        }
        let action = match &target.entry.action {
            Action::Note { .. } => Action::RetractNote { line },
            Action::Approve { .. } => Action::WithdrawApproval { line },
            Action::DeployDone => Action::WithdrawDeployDone { line },
            _ => target.inverse.clone().ok_or(UndoRefused::Nothing)?,
        };
        // Undo only what still stands: a later change by anyone to the same
        // thing wins, and undoing would silently revert it. Changes since taken
        // back, and the undos that took them back, no longer stand.
        let later = self.log[i + 1..].iter().find(|l| {
            l.outcome == Outcome::Applied
                && !l.undone
                && l.entry.undoes.is_none()
                && same_target(&l.entry.action, &target.entry.action)
        });
        if let Some(l) = later {
            return Err(UndoRefused::ChangedSince {
                target: target_name(&target.entry.action),
                by: l.entry.stamp.clone(),
            });
        }
        Ok(action)
    }
}

fn same_target(a: &Action, b: &Action) -> bool {
    match (a, b) {
        (Action::Check { id: x, .. }, Action::Check { id: y, .. }) => x == y,
        (
            Action::ItemStatus { id: x, .. } | Action::ItemEdit { id: x, .. },
            Action::ItemStatus { id: y, .. } | Action::ItemEdit { id: y, .. },
        ) => x == y,
        _ => false,
    }
}

fn target_name(action: &Action) -> String {
    match action {
        Action::Check { id, .. } => format!("checklist entry {id}"),
        Action::ItemStatus { id, .. } | Action::ItemEdit { id, .. } => format!("item {id}"),
        Action::Note { .. } | Action::RetractNote { .. } => "the note".into(),
        Action::Approve { .. } | Action::WithdrawApproval { .. } => "the approval".into(),
        Action::AlertStart(a) | Action::AlertEnd(a) => format!("the alert on {}", a.metric),
        Action::DeployDone | Action::WithdrawDeployDone { .. } => "the deploy-done mark".into(),
        Action::CheckIn { .. } | Action::CheckInDue { .. } | Action::CheckInMissed { .. } => {
            "the check-in".into()
        }
        Action::Evidence(e) => format!("the evidence on item {}", e.item),
        Action::ChatPosted { line } => format!("the chat post of line {line}"),
        Action::VerdictTurned { .. } => "the verdict".into(),
    }
}
