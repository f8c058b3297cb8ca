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
pub use crate::spec::{HttpJsonSpec, ProbeSpec, PrometheusSpec, SourceSpec};

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
    /// Whether it gates the deploy (`gate = false`: only watched).
    pub gate: bool,
}

impl MetricSpec {
    /// How far apart its samples are meant to be, for the rules that read a
    /// series (a run at crit, its gaps, the series' size): a load test's
    /// samples are its seconds, whatever the interval it is read at.
    pub fn sample_interval(&self) -> Duration {
        if self.source.is_load_test() {
            Duration::from_secs(1)
        } else {
            self.interval
        }
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
