//! Appending to the journal: one line per action, under an exclusive lock so
//! several seats can share the file, fsynced before anything shows it as done.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use std::sync::atomic::{AtomicBool, Ordering};

use super::entry::{Entry, FORMAT_VERSION};
use super::error::JournalError;
use super::open_alerts::OpenAlerts;
use super::read::TORN;

pub struct Appender {
    path: PathBuf,
    /// Whether this appender has synced the journal's folder, so the file's
    /// name survives a crash even if the seat that created it did not.
    dir_synced: AtomicBool,
}

impl Appender {
    pub fn new(path: PathBuf) -> Appender {
        Appender {
            path,
            dir_synced: AtomicBool::new(false),
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Appends `entry` and syncs it to disk. If the file ends in a cut-off line
    /// (a crash mid-write), that line is first closed with a byte no entry can
    /// hold and recorded as torn, so it never merges with this one and every
    /// read, at start or while following, skips it. Returns the file's length
    /// after the append: once a reader has read that far, it has this line.
    pub fn append(&self, entry: &Entry) -> Result<u64, JournalError> {
        self.locked(|file| self.append_locked(file, entry))
    }

    /// Appends an alert's start or end unless the journal already says so
    /// (another seat saw it first): decided under the lock, after reading what
    /// the other seats appended. Returns the file's length after the append,
    /// or `None` when nothing was needed.
    pub fn append_alert(
        &self,
        entry: &Entry,
        open: &mut OpenAlerts,
    ) -> Result<Option<u64>, JournalError> {
        self.locked(|file| {
            let len = file.metadata().map_err(|e| self.write_error(e))?.len();
            open.catch_up(file, len).map_err(|e| self.write_error(e))?;
            if !entry.action.as_ref().is_some_and(|a| open.admits(a)) {
                return Ok(None);
            }
            let end = self.append_locked(file, entry)?;
            open.appended(entry, end);
            Ok(Some(end))
        })
    }

    /// Runs `f` on the journal, opened for appending (created if missing),
    /// under its exclusive lock.
    fn locked<T>(
        &self,
        f: impl FnOnce(&mut File) -> Result<T, JournalError>,
    ) -> Result<T, JournalError> {
        let mut file = crate::input::open_to_append(&self.path).map_err(|e| self.write_error(e))?;
        crate::input::lock(&file, true, &self.path).map_err(|e| self.write_error(e))?;
        let result = f(&mut file);
        let _ = file.unlock();
        result
    }

    fn write_error(&self, source: std::io::Error) -> JournalError {
        JournalError::Write {
            path: self.path.clone(),
            source,
        }
    }

    fn append_locked(&self, file: &mut File, entry: &Entry) -> Result<u64, JournalError> {
        let write_error = |source| JournalError::Write {
            path: self.path.clone(),
            source,
        };
        let len = file.metadata().map_err(write_error)?.len();
        let mut bytes = Vec::new();
        if let Some(torn_line) = torn_tail_line(file, len).map_err(write_error)? {
            // Close the cut-off line so no reader can ever take it for an
            // entry, then say so in a line of its own.
            bytes.extend_from_slice(&[TORN, b'\n']);
            let seal = Entry {
                v: FORMAT_VERSION,
                at: entry.at,
                actor: entry.actor.clone(),
                seat: entry.seat.clone(),
                action: None,
                undoes: None,
                torn_line: Some(torn_line),
            };
            bytes.extend_from_slice(seal.to_line().as_bytes());
            bytes.push(b'\n');
        }
        bytes.extend_from_slice(entry.to_line().as_bytes());
        bytes.push(b'\n');
        file.write_all(&bytes).map_err(write_error)?;
        let sync_error = |source| JournalError::Sync {
            path: self.path.clone(),
            source,
        };
        file.sync_data().map_err(sync_error)?;
        if !self.dir_synced.load(Ordering::Relaxed) {
            sync_dir(&self.path).map_err(sync_error)?;
            self.dir_synced.store(true, Ordering::Relaxed);
        }
        Ok(len + bytes.len() as u64)
    }
}

fn sync_dir(path: &Path) -> std::io::Result<()> {
    match path.parent().filter(|p| !p.as_os_str().is_empty()) {
        Some(dir) => File::open(dir)?.sync_all(),
        None => File::open(".")?.sync_all(),
    }
}

/// The number of the last line when it has no newline, else `None`.
fn torn_tail_line(file: &mut File, len: u64) -> std::io::Result<Option<u64>> {
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
