//! `warroom check`: the gate without a terminal, for a deploy pipeline.
//! Prints the verdict and every reason; the caller exits 0 on GO, 1 on NO-GO.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, SubsecRound, Utc};
use serde::Serialize;

use crate::domain::gate::{Reason, Verdict};
use crate::journal;
use crate::metrics::Health;
use crate::night::{Night, verdict};
use crate::plan::{Plan, PlanError, SourceSpec};
use crate::sources::jtl::{self, JtlFollower};
use crate::sources::prometheus::Prometheus;

#[derive(Debug, thiserror::Error)]
pub enum CheckError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
}

/// What `check` found: the night the journal and the sources lead to, and
/// its verdict.
pub struct Checked {
    pub night: Night,
    pub verdict: Verdict,
    pub journal: PathBuf,
    pub journal_lines: u64,
    /// Whether the pipeline asked for an approval, not only a GO.
    pub require_approval: bool,
}

/// What `check` was asked.
pub struct CheckOptions {
    pub journal: Option<PathBuf>,
    /// The time to judge at: now, or pinned by `--at`.
    pub now: DateTime<Utc>,
    /// `--at` was given: the night as it stood then, so what was written
    /// after it (marks, alerts, result lines) is not read.
    pub pinned: bool,
    /// Pass only an approved night whose approval is not stale.
    pub require_approval: bool,
}

impl Checked {
    /// Whether the pipeline may go on, and why not. By default the verdict
    /// decides; with `--require-approval` an approval that still holds (an
    /// override of a NO-GO counts: someone accepted the risk by name).
    pub fn outcome(&self) -> Result<(), String> {
        if !self.require_approval {
            return match self.verdict.blockers().next() {
                None => Ok(()),
                Some(first) => Err(format!("NO-GO: {}", first.said())),
            };
        }
        if self.night.ledger.approval().is_none() {
            return Err("not approved".to_string());
        }
        match self.night.ledger.approval_stale_because(&self.verdict) {
            Some(what) => Err(format!("the approval is stale: {what} since it was given")),
            None => Ok(()),
        }
    }
}

pub fn check(plan: &Path, options: CheckOptions) -> Result<Checked, CheckError> {
    let CheckOptions {
        journal,
        now,
        pinned,
        require_approval,
    } = options;
    let plan_text = Plan::load(plan)?;
    // A journal named on the command line must exist: a typo would otherwise
    // read as an empty night and gate on nothing anyone marked.
    if let Some(path) = &journal
        && !path.exists()
    {
        return Err(CheckError::Journal(journal::JournalError::Read {
            path: path.clone(),
            source: std::io::Error::new(std::io::ErrorKind::NotFound, "no such journal"),
        }));
    }
    let place = journal::Place::of(&plan_text, plan, journal);
    let store = place.open()?;
    let journal = match &place {
        journal::Place::File(path) => path.clone(),
        journal::Place::Postgres { .. } => PathBuf::from(store.name()),
    };
    let readings = place.readings(plan);
    let mut replay = store.replay()?;
    if pinned {
        replay.lines.retain(|l| l.entry.at.to_utc() <= now);
    }
    let journal_lines = replay.position.lines;
    let mut night = Night::new(plan_text, now);
    night.apply(&replay);
    read_metrics(&mut night, &readings, pinned);
    let verdict = verdict(&night);
    Ok(Checked {
        night,
        verdict,
        journal,
        journal_lines,
        require_approval,
    })
}

/// How long `check` waits for each source: a pipeline must not hang on one.
const READ_TIMEOUT: Duration = Duration::from_secs(3);

/// Reads each gating metric the way the room does: a Prometheus query over
/// the gate's window at the source's own interval, a result file whole, and
/// for sources that keep no history (an HTTP JSON value, the probe) what the
/// seats recorded of them. A source that does not answer is down, and so
/// not known to be fine; what the seats recorded of it before still counts,
/// as what the room saw before it went quiet counts there.
fn read_metrics(night: &mut Night, readings: &Path, pinned: bool) {
    let window = night.plan.gate.metrics_window;
    let to = night.now;
    let from = to - chrono::Duration::from_std(window).unwrap_or_default();
    read_window(night, readings, (from, to), pinned, Metrics::Gating);
}

/// Which metrics to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metrics {
    /// Those the gate judges: `check`.
    Gating,
    /// Every one, simulated ones from what the seats recorded: a report.
    All,
    /// Only those with a history of their own to query (Prometheus): the
    /// room keeps what it saw of the others.
    Prometheus,
}

/// Reads the metrics over `from..to` into the night, each from where it
/// keeps its history: Prometheus at the source's interval, a result file
/// whole, the rest from what the seats recorded (in `readings`).
pub fn read_window(
    night: &mut Night,
    readings: &Path,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    pinned: bool,
    which: Metrics,
) {
    // What the seats recorded, read once for every metric that needs it.
    let recorded = journal::readings::read(readings, from, to).map_err(|e| {
        format!(
            "cannot read what the seats recorded ({}): {e}",
            readings.display()
        )
    });
    let mut queries = Vec::new();
    let specs = night.plan.metrics.clone();
    for (id, spec) in specs.iter().enumerate() {
        if which == Metrics::Gating && !spec.gate {
            continue;
        }
        if which == Metrics::Prometheus && !matches!(spec.source, SourceSpec::Prometheus(_)) {
            continue;
        }
        let read = match &spec.source {
            SourceSpec::Prometheus(p) => {
                queries.push((id, p.clone(), spec.interval));
                continue;
            }
            // The verdict says what a simulated source is worth.
            SourceSpec::Demo { .. } if which == Metrics::Gating => continue,
            SourceSpec::Jtl { path, signal, late } => {
                // JMeter writes a line as its call ends: pinned, the lines
                // written by then.
                let until = pinned.then_some(to);
                JtlFollower::read_all(path, *late, until)
                    .map(|seconds| jtl::samples(*signal, &seconds))
                    .map_err(|e| e.to_string())
            }
            SourceSpec::HttpJson(_) | SourceSpec::Probe(_) | SourceSpec::Demo { .. } => {
                match &recorded {
                    Ok(all) => Ok(all.get(&spec.name).cloned().unwrap_or_default()),
                    Err(why) => Err(why.clone()),
                }
            }
        };
        settle(night, id, read);
    }
    if queries.is_empty() {
        return;
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build();
    let answers = match runtime {
        Ok(rt) => rt.block_on(futures::future::join_all(queries.into_iter().map(
            |(id, spec, interval)| async move {
                let answer = match Prometheus::new(&spec, READ_TIMEOUT) {
                    Ok(p) => p.at_interval(from, to, interval).await,
                    Err(e) => Err(e),
                };
                (id, answer.map_err(|e| e.to_string()))
            },
        ))),
        Err(e) => {
            tracing::error!(%e, "no runtime to read metrics");
            return;
        }
    };
    for (id, answer) in answers {
        let failed = answer.is_err();
        settle(night, id, answer);
        // Down now, it is not known to be fine; what the seats saw of it
        // before still counts, as it does in the room.
        if failed {
            let name = night.plan.metrics[id].name.clone();
            if let Ok(Some(seen)) = recorded.as_ref().map(|all| all.get(&name)) {
                night.metrics.record(id, seen);
            }
        }
    }
}

fn settle(night: &mut Night, id: usize, read: Result<Vec<crate::metrics::Sample>, String>) {
    match read {
        Ok(mut samples) => {
            // As in the room: a sample stamped past the clock is not taken.
            let latest_believed = night.now + crate::night::FUTURE_SKEW;
            samples.retain(|s| s.at <= latest_believed);
            night.metrics.set_health(id, Health::Ok);
            night.metrics.record(id, &samples);
        }
        Err(why) => {
            tracing::debug!(metric = id, %why, "not read");
            night.metrics.set_health(id, Health::down(why));
        }
    }
}

/// The report a person reads in a pipeline's log.
pub fn text(c: &Checked) -> String {
    let plan = &c.night.plan;
    let zone = plan.release.schedule.zone;
    let deploy = plan.release.schedule.deploy_at;
    let mut out = format!(
        "{}  {} (deploy {} {})\n",
        c.verdict.label(),
        plan.release.name,
        zone.at(deploy).format("%a %d %b %H:%M"),
        zone.abbreviation(deploy)
    );
    for r in &c.verdict.reasons {
        let mark = if r.severity == crate::domain::gate::Severity::Block {
            "✗"
        } else {
            "!"
        };
        out.push_str(&format!("  {mark} {}\n", r.said()));
        if let Some(items) = r.items() {
            out.push_str(&format!("      items: {items}\n"));
        }
    }
    match c.night.ledger.approval() {
        Some(a) => {
            let at = zone.at(a.stamp.at.to_utc()).format("%a %H:%M");
            let stale = if c.night.ledger.approval_stale_because(&c.verdict).is_some() {
                " (stale)"
            } else {
                ""
            };
            out.push_str(&format!(
                "approved by {} at {at}{stale}: {}\n",
                a.stamp.actor, a.statement
            ));
            if let Some(why) = &a.override_reason {
                out.push_str(&format!("  risk accepted: {why}\n"));
            }
        }
        None => out.push_str("not approved\n"),
    }
    if c.require_approval {
        match c.outcome() {
            Ok(()) => out.push_str("approval required: holds\n"),
            Err(why) => out.push_str(&format!("approval required: {why}\n")),
        }
    }
    // Names, notes and reasons come from the plan, the journal and servers.
    crate::outside::shown(&out)
}

/// The report a pipeline parses. Its fields are documented in the README and
/// only ever added to.
pub fn json(c: &Checked) -> String {
    let plan = &c.night.plan;
    let zone = plan.release.schedule.zone;
    let report = JsonReport {
        version: 1,
        release: &plan.release.name,
        verdict: c.verdict.label(),
        go: c.verdict.go(),
        checked_at: zone.at(c.night.now.trunc_subsecs(0)).to_rfc3339(),
        deploy_at: zone.at(plan.release.schedule.deploy_at).to_rfc3339(),
        reasons: c.verdict.reasons.iter().map(JsonReason::from).collect(),
        pass: c.outcome().is_ok(),
        require_approval: c.require_approval,
        why_not: c.outcome().err(),
        approval: c.night.ledger.approval().map(|a| JsonApproval {
            by: &a.stamp.actor,
            at: zone.at(a.stamp.at.to_utc()).to_rfc3339(),
            accepted: &a.reasons,
            statement: &a.statement,
            override_reason: a.override_reason.as_deref(),
            approved_go: a.go,
            stale: c.night.ledger.approval_stale_because(&c.verdict).is_some(),
        }),
        journal: JsonJournal {
            path: c.journal.display().to_string(),
            lines: c.journal_lines,
        },
    };
    // Only strings, numbers and booleans: serde_json cannot refuse it.
    let mut value = serde_json::to_value(&report).expect("a check report always serializes");
    // Every string came from outside, or may quote what did.
    crate::outside::shown_json(&mut value);
    serde_json::to_string_pretty(&value).expect("a check report always serializes")
}

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    release: &'a str,
    verdict: &'a str,
    go: bool,
    checked_at: String,
    deploy_at: String,
    reasons: Vec<JsonReason<'a>>,
    /// What the exit code says: 0 when true.
    pass: bool,
    require_approval: bool,
    /// Why it does not pass, in words.
    why_not: Option<String>,
    approval: Option<JsonApproval<'a>>,
    journal: JsonJournal,
}

#[derive(Serialize)]
struct JsonReason<'a> {
    severity: crate::domain::gate::Severity,
    kind: &'a crate::domain::gate::ReasonKind,
    subjects: &'a [String],
    key: String,
    text: String,
    /// The policy rule, for a policy reason.
    rule: Option<&'a str>,
}

impl<'a> From<&'a Reason> for JsonReason<'a> {
    fn from(r: &'a Reason) -> Self {
        JsonReason {
            severity: r.severity,
            kind: &r.kind,
            subjects: &r.subjects,
            key: r.key(),
            text: r.said(),
            rule: r.rule.as_deref(),
        }
    }
}

#[derive(Serialize)]
struct JsonApproval<'a> {
    by: &'a str,
    at: String,
    /// The reasons that stood when it was given.
    accepted: &'a [crate::domain::action::StoodReason],
    statement: &'a str,
    override_reason: Option<&'a str>,
    approved_go: bool,
    stale: bool,
}

#[derive(Serialize)]
struct JsonJournal {
    path: String,
    lines: u64,
}
