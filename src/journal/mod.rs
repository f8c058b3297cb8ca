//! The journal: the truth for everything a person did. JSON lines, appended
//! under a lock and fsynced; replayed at start; followed while running so each
//! seat sees the others' marks.

pub mod demo_runs;
mod entry;
mod error;
mod open_alerts;
pub mod postgres;
mod read;
pub mod readings;
mod store;
mod write;

pub use entry::{Entry, FORMAT_VERSION};
pub use error::JournalError;
pub use open_alerts::OpenAlerts;
pub use read::{Batch, Follower, Line, Position, SkipReason, Skipped, TornTail, read_all};
pub use store::{FileStore, Follow, Store};
pub use write::Appender;

use std::path::{Path, PathBuf};

/// The journal that goes with a plan: beside it, `tonight.toml` →
/// `tonight.journal.jsonl`.
pub fn path_for_plan(plan: &Path) -> PathBuf {
    plan.with_extension("journal.jsonl")
}

#[cfg(test)]
#[path = "journal_tests.rs"]
mod tests;
