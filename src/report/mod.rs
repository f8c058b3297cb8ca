//! The documents of the night, written from the same headless night as the
//! room and `check`: the risk analysis before it, as Markdown to paste in a
//! mail or a wiki, or as JSON.

pub mod chat;
pub mod deploy;
pub mod markdown;
pub mod retro;
pub mod risk;

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};

use crate::journal;
use crate::night::Night;
use crate::plan::{Plan, PlanError};

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
    #[error("cannot write {file}: {why}")]
    Write { file: String, why: String },
}

/// The documents, as the room previews them (`r`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Risk,
    Deploy,
    Retro,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Risk, Kind::Deploy, Kind::Retro];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Risk => "risk",
            Kind::Deploy => "deploy",
            Kind::Retro => "retro",
        }
    }

    /// The next (or previous) kind, round.
    pub fn step(self, forward: bool) -> Kind {
        let i = Kind::ALL.iter().position(|k| *k == self).unwrap_or(0);
        let n = Kind::ALL.len();
        Kind::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }

    /// The document as Markdown, from the night as this seat holds it
    /// (its metrics as it saw them), with each report's defaults.
    pub fn markdown(self, night: &Night) -> String {
        match self {
            Kind::Risk => risk::markdown(&risk::analyse(night, risk::HIGH_RISK)),
            Kind::Deploy => deploy::markdown(&deploy::gather(night, crate::metrics::RETENTION)),
            Kind::Retro => retro::markdown(&retro::gather(night)),
        }
    }

    /// The file it is written to: the release's name and the kind.
    pub fn file_name(self, release: &str) -> String {
        let slug: String = release
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect::<String>()
            .split('-')
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        format!(
            "{}-{}.md",
            if slug.is_empty() { "release" } else { &slug },
            self.name()
        )
    }
}

/// Where a report reads the night from.
pub struct Source {
    pub journal: Option<PathBuf>,
    /// The night as it stood then: journal lines written later are not read.
    pub at: Option<DateTime<Utc>>,
}

/// The night of `plan` from its journal, as it stood at `at` (or now).
pub fn night(plan: &Path, source: &Source) -> Result<Night, ReportError> {
    read(plan, source).map(|r| r.night)
}

/// A night read for a report, with what it was read from.
pub struct Read {
    pub night: Night,
    /// The journal lines applied, in order.
    pub replay: journal::Batch,
    /// What the seats recorded of the metrics.
    pub readings: PathBuf,
}

/// The night of `plan` and the lines it was built from.
pub fn read(plan: &Path, source: &Source) -> Result<Read, ReportError> {
    let parsed = Plan::load(plan)?;
    if let Some(path) = source.journal.as_ref().filter(|p| !p.exists()) {
        return Err(ReportError::Journal(journal::JournalError::Read {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such journal"),
        }));
    }
    let place = journal::Place::of(&parsed, plan, source.journal.clone());
    let now = source.at.unwrap_or_else(Utc::now);
    let mut replay = place.open()?.replay()?;
    if source.at.is_some() {
        replay.lines.retain(|l| l.entry.at.to_utc() <= now);
    }
    let mut night = Night::new(parsed, now);
    night.apply(&replay);
    Ok(Read {
        night,
        replay,
        readings: place.readings(plan),
    })
}
