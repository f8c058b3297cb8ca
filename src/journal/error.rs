//! Why a journal cannot be read or written.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// The shared journal's database: unreachable, refused, or not the
    /// schema this build knows. Never with the connection string.
    #[error("journal database {name}: {what}")]
    Database { name: String, what: String },
    #[error("cannot read journal {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// A bad line before the end: something other than a cut-off write. The
    /// file is left as it is for a person to look at.
    #[error(
        "journal {}:{line}: {message}; the journal is left untouched: fix or remove that line, or start with another --journal",
        path.display()
    )]
    Corrupt {
        path: PathBuf,
        line: u64,
        message: String,
    },
    #[error("not saved: {source} (journal {})", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The line went into the file but the disk did not confirm it: every seat
    /// will read it, so repeating the action would record it twice.
    #[error(
        "written to journal {} but the disk did not confirm it ({source}); check the log before repeating",
        path.display()
    )]
    Sync {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(
        "journal {} shrank or was replaced while open; restart warroom to read it again",
        path.display()
    )]
    Replaced { path: PathBuf },
}
