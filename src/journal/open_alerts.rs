//! The alerts the journal holds, kept by a seat's writer and brought up to
//! date under the file's exclusive lock just before an alert is appended:
//! seats that see the same alert, at the same moment or seconds apart,
//! record it once.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use super::entry::Entry;
use crate::domain::Action;
use crate::domain::alert_log::AlertLog;
use crate::domain::ledger::Stamp;

#[derive(Debug, Default)]
pub struct OpenAlerts {
    /// How far into the file this has read: complete lines only.
    offset: u64,
    /// The alert lines read so far, judged by the ledger's own rules.
    log: AlertLog,
    /// The check-in slots already said to be due.
    due: std::collections::BTreeSet<chrono::DateTime<chrono::Utc>>,
    /// The check-in slots already said to be missed.
    missed: std::collections::BTreeSet<chrono::DateTime<chrono::Utc>>,
    /// The lines a seat has claimed to post to the chat.
    posted: std::collections::BTreeSet<u64>,
}

impl OpenAlerts {
    /// Reads the lines appended since the last call, up to `len`.
    pub(super) fn catch_up(&mut self, file: &mut File, len: u64) -> std::io::Result<()> {
        if len < self.offset {
            // Not the file it was: start over.
            *self = OpenAlerts::default();
        }
        file.seek(SeekFrom::Start(self.offset))?;
        let mut bytes = Vec::new();
        file.take(len - self.offset).read_to_end(&mut bytes)?;
        let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        for line in bytes[..complete].split(|b| *b == b'\n') {
            // Torn and foreign lines hold no alert.
            if let Ok(entry) = serde_json::from_slice::<Entry>(line) {
                self.note(&entry);
            }
        }
        self.offset += complete as u64;
        Ok(())
    }

    /// Whether the journal needs this: a new alert's start, or the end of
    /// the open one. Anything else always.
    pub(super) fn admits(&self, action: &Action) -> bool {
        match action {
            Action::AlertStart(a) => self.log.check_start(a).is_ok(),
            Action::AlertEnd(a) => self.log.check_end(a).is_ok(),
            Action::CheckInDue { slot, .. } => !self.due.contains(&slot.to_utc()),
            Action::ChatPosted { line } => !self.posted.contains(line),
            Action::CheckInMissed { slot } => !self.missed.contains(&slot.to_utc()),
            _ => true,
        }
    }

    /// Takes in a line this writer appended, ending at `end`.
    pub(super) fn appended(&mut self, entry: &Entry, end: u64) {
        self.note(entry);
        self.offset = end;
    }

    pub(super) fn note(&mut self, entry: &Entry) {
        let stamp = || Stamp {
            actor: entry.actor.clone(),
            at: entry.at,
        };
        match &entry.action {
            Some(Action::AlertStart(a)) => {
                self.log.start(0, stamp(), a);
            }
            Some(Action::AlertEnd(a)) => {
                self.log.end(stamp(), a);
            }
            Some(Action::CheckInDue { slot, .. }) => {
                self.due.insert(slot.to_utc());
            }
            Some(Action::CheckInMissed { slot }) => {
                self.missed.insert(slot.to_utc());
            }
            Some(Action::ChatPosted { line }) => {
                self.posted.insert(*line);
            }
            _ => {}
        }
    }
}
