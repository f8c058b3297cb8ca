//! Appending to the journal: one line per action, under an exclusive lock so
//! several seats can share the file, fsynced before anything shows it as done.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, FixedOffset};

use super::entry::{Entry, FORMAT_VERSION};
use super::error::JournalError;

pub struct Appender {
    path: PathBuf,
}

impl Appender {
    pub fn new(path: PathBuf) -> Appender {
        Appender { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry` and syncs it to disk. If the file ends in a cut-off line
    /// (a crash mid-write), that line is first closed and recorded as torn, so
    /// it never merges with this one and every later read knows to skip it.
    pub fn append(&self, entry: &Entry) -> Result<(), JournalError> {
        let write_error = |source| JournalError::Write {
            path: self.path.clone(),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .open(&self.path)
            .map_err(write_error)?;
        file.lock().map_err(write_error)?;
        let result = self.append_locked(&mut file, entry, entry.at);
        let _ = file.unlock();
        result.map_err(write_error)
    }

    fn append_locked(
        &self,
        file: &mut File,
        entry: &Entry,
        at: DateTime<FixedOffset>,
    ) -> std::io::Result<()> {
        let mut text = String::new();
        if let Some(torn_line) = torn_tail_line(file)? {
            let seal = Entry {
                v: FORMAT_VERSION,
                at,
                actor: entry.actor.clone(),
                action: None,
                undoes: None,
                torn_line: Some(torn_line),
            };
            text.push('\n');
            text.push_str(&seal.to_line());
            text.push('\n');
        }
        text.push_str(&entry.to_line());
        text.push('\n');
        file.write_all(text.as_bytes())?;
        file.sync_data()
    }
}

/// The number of the last line when it has no newline, else `None`.
fn torn_tail_line(file: &mut File) -> std::io::Result<Option<u64>> {
    let len = file.metadata()?.len();
    if len == 0 {
        return Ok(None);
    }
    file.seek(SeekFrom::Start(len - 1))?;
    let mut last = [0u8; 1];
    file.read_exact(&mut last)?;
    if last[0] == b'\n' {
        return Ok(None);
    }
    // Rare (only after a crash): count the lines to name the torn one.
    file.seek(SeekFrom::Start(0))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    let complete = bytes.iter().filter(|b| **b == b'\n').count() as u64;
    Ok(Some(complete + 1))
}
