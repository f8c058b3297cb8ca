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
pub use store::{FileStore, Follow, Ring, Store};
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

/// Where a night's journal is: the file beside the plan (or the one named),
/// or a release on the database the plan names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    File(PathBuf),
    Postgres { url_env: String, key: String },
}

impl Place {
    /// The journal a plan asks for; `file` (from `--journal`) names a file
    /// journal instead of the one beside the plan.
    pub fn of(plan: &crate::plan::Plan, plan_path: &Path, file: Option<PathBuf>) -> Place {
        match (&plan.journal, file) {
            (_, Some(path)) => Place::File(path),
            (Some(spec), None) => Place::Postgres {
                url_env: spec.url_env.clone(),
                key: spec.key.clone().unwrap_or_else(|| release_key(plan)),
            },
            (None, None) => Place::File(path_for_plan(plan_path)),
        }
    }

    /// Where what the seats record of the metrics is kept: beside the file
    /// journal, or beside the plan (this machine's) for a database journal.
    pub fn readings(&self, plan_path: &Path) -> PathBuf {
        match self {
            Place::File(path) => readings::path_for_journal(path),
            Place::Postgres { .. } => readings::path_for_journal(&path_for_plan(plan_path)),
        }
    }

    /// The store, connected.
    pub fn open(&self) -> Result<std::sync::Arc<dyn Store>, JournalError> {
        match self {
            Place::File(path) => Ok(std::sync::Arc::new(FileStore::new(path.clone()))),
            Place::Postgres { url_env, key } => {
                let url = std::env::var(url_env).map_err(|_| JournalError::Database {
                    name: key.clone(),
                    what: format!("{url_env} is not set; it must hold the connection string"),
                })?;
                Ok(std::sync::Arc::new(postgres::PgStore::connect(&url, key)?))
            }
        }
    }
}

/// A release's key in a shared database: its name and deploy time, so two
/// releases of the same name stay apart.
pub fn release_key(plan: &crate::plan::Plan) -> String {
    format!(
        "{}@{}",
        plan.release.name,
        plan.release.schedule.deploy_at.format("%Y-%m-%dT%H:%M:%SZ")
    )
}
