//! The journal behind a small interface: replay from the start, follow from
//! a cursor, append (durable before it returns), and append an alert once
//! however many seats saw it. The file under a lock is the first store; a
//! store shared across machines is another implementation of the same five
//! calls, and nothing above this module changes.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use super::{Appender, Batch, Entry, Follower, JournalError, OpenAlerts, Position};

pub trait Store: Send + Sync {
    /// Where the journal is, to name it in messages.
    fn name(&self) -> String;
    /// Every line from the start. A journal that does not exist yet is empty.
    fn replay(&self) -> Result<Batch, JournalError>;
    /// A reader of what any seat appends after `cursor`.
    fn follow(&self, cursor: Position) -> Box<dyn Follow>;
    /// Appends a person's action; returns the cursor just past it once it is
    /// durable, so a seat shows it only once it has read that far.
    fn append(&self, entry: &Entry) -> Result<u64, JournalError>;
    /// Appends an alert's start or end unless the journal already says so;
    /// `None` when another seat recorded it first.
    fn append_once(&self, entry: &Entry) -> Result<Option<u64>, JournalError>;
}

/// Rung when another seat may have appended: read now, not at the next poll.
pub type Ring = Arc<dyn Fn() + Send + Sync>;

/// How often a file journal is looked at: well under the second within
/// which a teammate's mark must appear.
const FILE_POLL: Duration = Duration::from_millis(200);

pub trait Follow: Send {
    /// The lines appended since the last call.
    fn read_new(&mut self) -> Result<Batch, JournalError>;
    /// How long to wait between reads when nothing rings.
    fn poll_every(&self) -> Duration {
        FILE_POLL
    }
    /// Hands the follower a bell to ring when it hears of an append from
    /// elsewhere; a store that cannot hear of them reads on its poll alone.
    fn on_news(&mut self, _ring: Ring) {}
}

impl Follow for Follower {
    fn read_new(&mut self) -> Result<Batch, JournalError> {
        Follower::read_new(self)
    }
}

/// The journal as one JSON-lines file, shared by the seats of one host.
pub struct FileStore {
    appender: Appender,
    open_alerts: Mutex<OpenAlerts>,
}

impl FileStore {
    pub fn new(path: PathBuf) -> FileStore {
        FileStore {
            appender: Appender::new(path),
            open_alerts: Mutex::new(OpenAlerts::default()),
        }
    }

    pub fn path(&self) -> PathBuf {
        self.appender.path().to_path_buf()
    }
}

impl Store for FileStore {
    fn name(&self) -> String {
        self.appender.path().display().to_string()
    }

    fn replay(&self) -> Result<Batch, JournalError> {
        super::read_all(self.appender.path())
    }

    fn follow(&self, cursor: Position) -> Box<dyn Follow> {
        Box::new(Follower::new(self.path(), cursor))
    }

    fn append(&self, entry: &Entry) -> Result<u64, JournalError> {
        self.appender.append(entry)
    }

    fn append_once(&self, entry: &Entry) -> Result<Option<u64>, JournalError> {
        // A poisoned lock only means an earlier append panicked; what it
        // read of the file is still true.
        let mut open = self
            .open_alerts
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        self.appender.append_alert(entry, &mut open)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Action;
    use chrono::DateTime;

    #[test]
    fn what_is_appended_is_replayed_and_followed() {
        let dir = tempfile::tempdir().unwrap();
        let store: Box<dyn Store> = Box::new(FileStore::new(dir.path().join("j.jsonl")));
        assert!(store.replay().unwrap().lines.is_empty());
        let mut follow = store.follow(Position::default());
        let at = DateTime::parse_from_rfc3339("2026-11-27T22:40:00+09:00").unwrap();
        let entry = Entry::action(at, "mina", Action::DeployDone);
        let end = store.append(&entry).unwrap();
        let batch = follow.read_new().unwrap();
        assert_eq!(batch.position.offset, end);
        assert_eq!(batch.lines.len(), 1);
        assert_eq!(store.replay().unwrap().lines[0].entry, entry);
        assert!(store.name().ends_with("j.jsonl"));
    }
}
