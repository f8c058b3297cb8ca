//! The plan: what goes out tonight, the checklist, the schedule and where the
//! metrics come from. Parsed and validated once; immutable afterwards.

pub mod demo;
pub(crate) mod error;
mod file;
mod time;
pub(crate) mod validate;

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
    /// Items' pass criteria for load-test evidence, by item id.
    pub criteria: std::collections::BTreeMap<String, crate::domain::evidence::PassCriteria>,
    /// The team's chat, when the plan names one.
    pub chat: Option<crate::spec::ChatSpec>,
    /// The journal on a database, when not the file beside the plan.
    pub journal: Option<crate::spec::JournalSpec>,
    /// Names masked in presenter mode (`[present] private`): hosts, people,
    /// customers; the sources' hosts are masked without being listed.
    pub private: Vec<String>,
    /// The rollback plan, when the plan has one.
    pub rollback: Option<RollbackPlan>,
}

/// `[rollback]`: how long rolling back takes, and where the steps are.
#[derive(Debug, Clone, PartialEq)]
pub struct RollbackPlan {
    pub recovery: Duration,
    pub runbook: Option<String>,
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
    /// Whether each sample counts events of its interval (`counts =
    /// true`: timeouts per interval), so a window's total is their sum.
    pub counts: bool,
}

/// The largest plan read: far past any release's, short of a memory problem.
const MAX_PLAN: u64 = 16_000_000;

/// The plan's bytes as text, or where they stop being UTF-8.
fn utf8(bytes: Vec<u8>, name: &str) -> Result<String, PlanError> {
    let e = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(e) => e,
    };
    let bytes = e.as_bytes();
    let at = e.utf8_error().valid_up_to();
    let message = if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        "UTF-16 text; expected UTF-8 (save the plan as UTF-8)".to_string()
    } else {
        format!(
            "byte 0x{:02X} is not UTF-8; expected UTF-8 text",
            bytes.get(at).copied().unwrap_or(0)
        )
    };
    // Line and column of the first bad byte, counted in what reads before it.
    let before = String::from_utf8_lossy(&bytes[..at]);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    Err(PlanError::Invalid {
        path: name.to_string(),
        problems: vec![Problem {
            line,
            column,
            message,
        }],
    })
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
    /// A moment of the night as a person writes it: `22:59:50` (the deploy's
    /// day), `sat 00:30` (that day within three days of the deploy), or a
    /// full date-time; in the plan's zone.
    pub fn moment(&self, text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
        let schedule = &self.release.schedule;
        let wall = time::parse_wall_time(text)?;
        Ok(wall.resolve(
            schedule.deploy_at,
            &schedule.zone,
            crate::domain::wall_time::Toward::Nearest,
        ))
    }

    /// Parses and validates plan text. `path` is only used to name the file in errors.
    pub fn parse(text: &str, path: &str) -> Result<Plan, PlanError> {
        validate::parse(text, path)
    }

    pub fn load(path: &Path) -> Result<Plan, PlanError> {
        let read_error = |source| PlanError::Read {
            path: path.to_path_buf(),
            source,
        };
        let mut bytes = Vec::new();
        crate::input::open_to_read(path, MAX_PLAN)
            .and_then(|mut f| crate::input::read_capped(&mut f, MAX_PLAN, &mut bytes))
            .map_err(read_error)?;
        let name = path.display().to_string();
        let text = utf8(bytes, &name)?;
        let mut plan = Plan::parse(&text, &name)?;
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
