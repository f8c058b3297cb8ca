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

    /// The document as first shown in the room; the deploy report's window
    /// is read from the sources after (`deploy_from_sources`), and this one
    /// says so until then.
    pub fn preview(self, night: &Night) -> String {
        match self {
            Kind::Deploy => format!(
                "{READING}; until then this is what this seat saw.\n\n{}",
                self.markdown(night)
            ),
            _ => self.markdown(night),
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

/// How a deploy report still being read begins.
pub const READING: &str = "> Reading the monitoring window from the sources";

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

/// The deploy report from the room: its night, with each Prometheus
/// metric's window read afresh at the source's interval (what the charts
/// hold of older hours is coarse), and the others as this seat saw and
/// recorded them. Blocking: run off the loop.
pub fn deploy_from_sources(night: &Night, readings: &Path) -> String {
    let window = crate::metrics::RETENTION;
    let (from, to) = deploy::window_of(night, window);
    let mut read = night.clone();
    read.metrics = Night::new(night.plan.clone(), night.now).metrics;
    for (id, spec) in night.plan.metrics.iter().enumerate() {
        if matches!(spec.source, crate::plan::SourceSpec::Prometheus(_)) {
            continue;
        }
        let seen: Vec<crate::metrics::Sample> = night
            .metrics
            .series(id)
            .map(|s| s.window(from, to).collect())
            .unwrap_or_default();
        read.metrics.record(id, &seen);
        if let Some(health) = night.metrics.health(id) {
            read.metrics.set_health(id, health.clone());
        }
    }
    crate::check::read_window(
        &mut read,
        readings,
        (from, to),
        false,
        crate::check::Metrics::Prometheus,
    );
    deploy::markdown(&deploy::gather(&read, window))
}
