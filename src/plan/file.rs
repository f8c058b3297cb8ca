//! The plan file as written: serde shapes that keep the position of every value
//! that validation may need to point at.

use serde::Deserialize;
use toml::Spanned;

use crate::domain::gate::Severity;
use crate::domain::{ItemStatus, Priority};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub release: ReleaseEntry,
    #[serde(default)]
    pub items: Option<Spanned<Vec<ItemEntry>>>,
    #[serde(default)]
    pub checklist: Option<Spanned<Vec<ChecklistEntryFile>>>,
    #[serde(default)]
    pub checklist_group: Vec<ChecklistGroupEntry>,
    #[serde(default)]
    pub metrics: Vec<MetricEntry>,
    pub gate: Option<GateEntry>,
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
    #[serde(default)]
    pub policy: Vec<PolicyEntry>,
    pub chat: Option<ChatEntry>,
    pub journal: Option<JournalEntry>,
    pub present: Option<PresentEntry>,
    pub rollback: Option<RollbackEntry>,
}

/// `[rollback]`: the rollback plan, said beside "roll back?" once degraded.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RollbackEntry {
    /// How long rolling the release back takes.
    pub recovery: Spanned<String>,
    /// Where the steps are: a runbook's name or address.
    pub runbook: Option<String>,
}

/// `[present]`: what presenter mode keeps off a shared screen.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PresentEntry {
    #[serde(default)]
    pub private: Vec<String>,
}

/// `[journal]`: the journal on a shared database.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalEntry {
    pub postgres: PostgresEntry,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostgresEntry {
    pub url_env: Spanned<String>,
    pub key: Option<String>,
}

/// `[chat]`: the team's chat, by an incoming webhook.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChatEntry {
    pub webhook_env: Spanned<String>,
    pub events: Option<Vec<Spanned<String>>>,
}

/// `[[timeline]]`: a milestone of the night.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEntry {
    pub at: Spanned<String>,
    pub label: String,
    /// A checklist group due by then.
    pub group: Option<Spanned<String>>,
}

/// `[[policy]]`: one rule; which keys apply depends on `rule`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyEntry {
    pub rule: Spanned<String>,
    pub severity: Option<Severity>,
    /// For `list_frozen_by` and `critical_staged_by`.
    pub by: Option<Spanned<String>>,
    /// For `friday_low_risk_only`: the day before each counts as a Friday.
    #[serde(default)]
    pub holidays: Vec<Spanned<String>>,
    /// For `freeze`: `"friday 18:00 - monday 06:00"`.
    #[serde(default)]
    pub weekly: Vec<Spanned<String>>,
    /// For `freeze`: `"2026-12-25"` or `"2026-12-24 - 2027-01-02"`.
    #[serde(default)]
    pub dates: Vec<Spanned<String>>,
}

/// `[gate]`: each rule's severity; what is left out keeps the default.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GateEntry {
    pub checklist: Option<Severity>,
    pub pass_from: Option<Priority>,
    pub untested: Option<Severity>,
    pub untested_below: Option<Severity>,
    pub failed: Option<Severity>,
    pub metrics: Option<Severity>,
    /// A gating metric that cannot be read: not known to be fine.
    pub unread: Option<Severity>,
    pub metrics_window: Option<Spanned<String>>,
    pub metrics_hold: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReleaseEntry {
    pub name: String,
    /// A string or a TOML date-time; checked by validation.
    pub deploy_at: Spanned<toml::Value>,
    pub watch_for: Option<Spanned<String>>,
    /// When the release list arrived: every item's `added_at` unless it says.
    pub list_at: Option<Spanned<String>>,
    /// After the watch window, a check-in this often...
    pub check_in_every: Option<Spanned<String>>,
    /// ...until then (default 48 h after the deploy).
    pub check_ins_until: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemEntry {
    pub id: Spanned<String>,
    pub title: String,
    pub priority: Priority,
    #[serde(default = "untested")]
    pub status: ItemStatus,
    pub owner: Option<String>,
    pub risk: Option<RiskEntry>,
    /// When it joined the list, if not with the list (`list_at`).
    pub added_at: Option<Spanned<String>>,
    /// What a load test must show for the item to pass.
    pub timeout: Option<Spanned<String>>,
    pub max_error_rate: Option<Spanned<String>>,
    pub max_timeouts: Option<u64>,
    pub p95_under: Option<Spanned<String>>,
}

fn untested() -> ItemStatus {
    ItemStatus::Untested
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RiskEntry {
    pub impact: Spanned<i64>,
    pub likelihood: Spanned<i64>,
    pub recovery: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistEntryFile {
    pub id: Spanned<String>,
    pub text: String,
    pub group: Option<String>,
    #[serde(default = "yes")]
    pub required: bool,
    /// `items_passed`, `evidence` or `evidence:ITEM`.
    pub requires: Option<Spanned<String>>,
    /// `before` (the default) or `after` the deploy; the whole group's.
    pub phase: Option<Spanned<String>>,
}

/// `[[checklist_group]]`: what a group of the checklist shares.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChecklistGroupEntry {
    pub name: Spanned<String>,
    /// `before` or `after` the deploy, for every entry of the group.
    pub phase: Spanned<String>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MetricEntry {
    pub name: Spanned<String>,
    pub unit: Option<Spanned<String>>,
    pub source: SourceEntry,
    pub interval: Option<Spanned<String>>,
    pub warn: Option<Spanned<f64>>,
    pub crit: Option<Spanned<f64>>,
    /// How long crit must hold before it is an alert; the gate's
    /// `metrics_hold` when left out.
    pub hold: Option<Spanned<String>>,
    /// Whether an alert rings the terminal bell (once).
    pub bell: Option<bool>,
    /// Whether the metric gates the deploy, or is only watched.
    pub gate: Option<bool>,
    /// Whether each sample counts events of its interval (timeouts):
    /// the reports add them up.
    pub counts: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum SourceEntry {
    Demo(DemoEntry),
    Prometheus(PrometheusEntry),
    HttpJson(HttpJsonEntry),
    Probe(ProbeEntry),
    Jtl(JtlEntry),
    /// A k6 `--out json` file: read by the same follower, told by its bytes.
    K6(JtlEntry),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PrometheusEntry {
    pub url: Spanned<String>,
    pub query: Spanned<String>,
    pub token_env: Option<String>,
    pub user_env: Option<String>,
    pub password_env: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HttpJsonEntry {
    pub url: Spanned<String>,
    pub pointer: Spanned<String>,
    /// Header name to the environment variable that holds its value.
    #[serde(default)]
    pub headers_env: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProbeEntry {
    pub url: Spanned<String>,
    pub signal: crate::spec::ProbeSignal,
    pub calls: Option<Spanned<i64>>,
    pub timeout: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JtlEntry {
    pub path: String,
    pub signal: crate::spec::JtlSignal,
    /// How long after its second a sample's line may still come: the
    /// longest response the test allows (default: the longest seen).
    pub late: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DemoEntry {
    pub signal: crate::spec::Signal,
    #[serde(default)]
    pub seed: u64,
}
