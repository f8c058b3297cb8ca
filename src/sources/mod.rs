//! Metric sources: one tokio task per metric (one per result file), each
//! turning its spec into `Reading`s on a channel. They know nothing of the
//! app, which wraps the readings into its own messages.

pub mod demo;
pub mod http;
pub mod http_json;
pub mod jtl;
pub mod probe;
pub mod prometheus;
pub mod prometheus_api;

use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::clock::Clock;
use crate::metrics::{Health, MetricId, Sample};
use crate::plan::{Plan, SourceSpec};

/// What a source says: samples of a metric, or how the source is.
#[derive(Debug, Clone, PartialEq)]
pub enum Reading {
    Samples(MetricId, Vec<Sample>),
    Health(MetricId, Health),
}

/// The history a source fetches when it starts, where it has any: every
/// span back from now, coarse; and the `fine` span at the source's own
/// interval (the chart's opening span, and the gate's window).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Backfill {
    pub spans: Vec<Duration>,
    pub fine: Duration,
}

impl Backfill {
    pub fn fine_delta(&self) -> chrono::TimeDelta {
        chrono::TimeDelta::from_std(self.fine).unwrap_or(chrono::TimeDelta::MAX)
    }

    pub fn longest_delta(&self) -> chrono::TimeDelta {
        let longest = self.spans.iter().copied().max().unwrap_or(self.fine);
        chrono::TimeDelta::from_std(longest.max(self.fine)).unwrap_or(chrono::TimeDelta::MAX)
    }
}

/// A result file and the metrics that chart it.
struct ResultFile {
    path: PathBuf,
    late: Option<Duration>,
    interval: Duration,
    metrics: Vec<(MetricId, jtl::JtlSignal)>,
}

/// Starts one task per metric of the plan; metrics charting the same result
/// file share one follower, so the file is read once.
pub fn spawn_all(
    plan: &Plan,
    clock: Clock,
    backfill: &Backfill,
    tx: &mpsc::Sender<Reading>,
) -> Vec<JoinHandle<()>> {
    let mut tasks = Vec::new();
    let mut files: Vec<ResultFile> = Vec::new();
    for (id, spec) in plan.metrics.iter().enumerate() {
        let tx = tx.clone();
        let task = match spec.source {
            SourceSpec::Demo { signal, seed } => {
                let simulator = demo::Simulator {
                    seed,
                    deploy_at: plan.release.schedule.deploy_at,
                };
                tokio::spawn(demo::run(
                    id,
                    signal,
                    simulator,
                    spec.interval,
                    backfill.clone(),
                    clock,
                    tx,
                ))
            }
            SourceSpec::Prometheus(ref p) => tokio::spawn(prometheus::run(
                id,
                p.clone(),
                spec.interval,
                backfill.clone(),
                tx,
            )),
            SourceSpec::HttpJson(ref h) => {
                tokio::spawn(http_json::run(id, h.clone(), spec.interval, tx))
            }
            SourceSpec::Probe(ref p) => tokio::spawn(probe::run(id, p.clone(), spec.interval, tx)),
            SourceSpec::Jtl {
                ref path,
                signal,
                late,
            } => {
                match files.iter_mut().find(|f| f.path == *path && f.late == late) {
                    Some(file) => {
                        file.interval = file.interval.min(spec.interval);
                        file.metrics.push((id, signal));
                    }
                    None => files.push(ResultFile {
                        path: path.clone(),
                        late,
                        interval: spec.interval,
                        metrics: vec![(id, signal)],
                    }),
                }
                continue;
            }
        };
        tasks.push(task);
    }
    for f in files {
        tasks.push(tokio::spawn(jtl::run(
            f.path,
            f.metrics,
            f.interval,
            f.late,
            tx.clone(),
        )));
    }
    tasks
}
