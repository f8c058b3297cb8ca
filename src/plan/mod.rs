//! The plan: what goes out tonight, the checklist, the schedule and where the
//! metrics come from. Parsed and validated once; immutable afterwards.

pub mod demo;
mod error;
mod file;
mod time;
mod validate;

use std::path::Path;
use std::time::Duration;

pub use error::{PlanError, Problem};

use crate::domain::gate::GateRules;
use crate::domain::{ChecklistEntry, ReleaseItem, Schedule};
use crate::metrics::Limits;
use crate::sources::demo::Signal;

#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub release: Release,
    pub items: Vec<ReleaseItem>,
    pub checklist: Vec<ChecklistEntry>,
    pub metrics: Vec<MetricSpec>,
    pub gate: GateRules,
    pub policies: Vec<crate::domain::policy::Policy>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Release {
    pub name: String,
    pub schedule: Schedule,
    /// When the release list arrived, if the plan says.
    pub list_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One series to chart: where it comes from, how often, and its limits.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSpec {
    pub name: String,
    pub unit: String,
    pub source: SourceSpec,
    pub interval: Duration,
    pub limits: Limits,
    /// How long crit must hold to count: for the alert and for the gate.
    pub hold: Duration,
    /// Whether an alert rings the terminal bell, once as it starts.
    pub bell: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SourceSpec {
    /// The built-in simulator of the demo release.
    Demo { signal: Signal, seed: u64 },
    /// A Prometheus server's HTTP API.
    Prometheus(PrometheusSpec),
    /// Any HTTP endpoint answering JSON, and where in it the number is.
    HttpJson(HttpJsonSpec),
    /// Calls a URL itself and measures the answers.
    Probe(ProbeSpec),
    /// A JMeter CSV result file, followed while it is written.
    Jtl {
        /// Relative paths are taken from the plan's folder.
        path: std::path::PathBuf,
        signal: crate::sources::jtl::JtlSignal,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeSpec {
    pub url: String,
    pub signal: crate::sources::probe::ProbeSignal,
    /// Calls made at once each interval.
    pub calls: u16,
    /// A call slower than this counts as a timeout error.
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpJsonSpec {
    pub url: String,
    /// A JSON pointer (RFC 6901) to the number, like `/latency/p95`.
    pub pointer: String,
    /// Header name and the environment variable that holds its value.
    pub headers_env: Vec<(String, String)>,
}

/// Where and what to ask a Prometheus server. Secrets are never here: only the
/// names of the environment variables that hold them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrometheusSpec {
    /// The server's base URL, without credentials.
    pub url: String,
    /// A PromQL query returning one series or a scalar.
    pub query: String,
    pub token_env: Option<String>,
    pub user_env: Option<String>,
    pub password_env: Option<String>,
}

impl SourceSpec {
    /// Simulated numbers must never pass for production on a shared screen.
    pub fn is_simulated(&self) -> bool {
        matches!(self, SourceSpec::Demo { .. })
    }
}

impl Plan {
    /// Parses and validates plan text. `path` is only used to name the file in errors.
    pub fn parse(text: &str, path: &str) -> Result<Plan, PlanError> {
        validate::parse(text, path)
    }

    pub fn load(path: &Path) -> Result<Plan, PlanError> {
        let text = std::fs::read_to_string(path).map_err(|source| PlanError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let mut plan = Plan::parse(&text, &path.display().to_string())?;
        // A result file named in the plan sits beside it, wherever warroom runs.
        let folder = path.parent().unwrap_or(Path::new("."));
        for metric in &mut plan.metrics {
            if let SourceSpec::Jtl { path, .. } = &mut metric.source
                && path.is_relative()
            {
                *path = folder.join(&*path);
            }
        }
        Ok(plan)
    }
}
