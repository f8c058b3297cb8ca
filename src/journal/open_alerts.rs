//! Which alerts the journal holds open, kept by a seat's writer and brought up
//! to date under the file's exclusive lock just before an alert is appended:
//! two seats that see the same alert at the same moment record it once.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};

use super::entry::Entry;
use crate::domain::Action;

#[derive(Debug, Default)]
pub struct OpenAlerts {
    /// How far into the file this has read: complete lines only.
    offset: u64,
    open: HashSet<String>,
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
            if let Ok(entry) = serde_json::from_slice::<Entry>(line)
                && let Some(action) = &entry.action
            {
                self.note(action);
            }
        }
        self.offset += complete as u64;
        Ok(())
    }

    /// Whether the journal needs this: a start while the metric has no open
    /// alert, an end while it has one. Anything else always.
    pub(super) fn admits(&self, action: &Action) -> bool {
        match action {
            Action::AlertStart(a) => !self.open.contains(&a.metric),
            Action::AlertEnd(a) => self.open.contains(&a.metric),
            _ => true,
        }
    }

    /// Takes in a line this writer appended, ending at `end`.
    pub(super) fn appended(&mut self, action: &Action, end: u64) {
        self.note(action);
        self.offset = end;
    }

    fn note(&mut self, action: &Action) {
        match action {
            Action::AlertStart(a) => {
                self.open.insert(a.metric.clone());
            }
            Action::AlertEnd(a) => {
                self.open.remove(&a.metric);
            }
            _ => {}
        }
    }
}
