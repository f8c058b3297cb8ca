//! After the deploy: when it was marked done, and the check-ins that followed.

use super::ledger::{Outcome, Stamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeployDone {
    pub line: u64,
    pub stamp: Stamp,
    pub withdrawn: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub line: u64,
    pub stamp: Stamp,
    /// What she saw; `None` for "checked, all well".
    pub note: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DeployLog {
    done: Vec<DeployDone>,
    pub check_ins: Vec<CheckIn>,
}

impl DeployLog {
    /// The mark that counts: the latest not withdrawn.
    pub fn done(&self) -> Option<&DeployDone> {
        self.done.iter().rev().find(|d| !d.withdrawn)
    }

    pub(super) fn mark_done(&mut self, line: u64, stamp: Stamp) -> Outcome {
        if let Some(d) = self.done() {
            return Outcome::Rejected(format!(
                "the deploy was already marked done by {} at {}",
                d.stamp.actor,
                // With its offset: seats in other zones read this line too.
                d.stamp.at.format("%H:%M %:z")
            ));
        }
        self.done.push(DeployDone {
            line,
            stamp,
            withdrawn: false,
        });
        Outcome::Applied
    }

    pub(super) fn withdraw(&mut self, line: u64) -> Outcome {
        match self
            .done
            .iter_mut()
            .find(|d| d.line == line && !d.withdrawn)
        {
            Some(d) => {
                d.withdrawn = true;
                Outcome::Applied
            }
            None => Outcome::Rejected(format!("no deploy-done mark on journal line {line}")),
        }
    }

    pub(super) fn check_in(&mut self, line: u64, stamp: Stamp, note: Option<String>) -> Outcome {
        self.check_ins.push(CheckIn { line, stamp, note });
        Outcome::Applied
    }
}
