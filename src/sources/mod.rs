//! Metric sources: one tokio task per metric, sending samples and health to
//! the app loop as messages.

pub mod demo;
pub mod http;
pub mod http_json;
pub mod jtl;
pub mod probe;
pub mod prometheus;
pub mod prometheus_api;

use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::app::Msg;
use crate::clock::Clock;
use crate::plan::{Plan, SourceSpec};

/// Starts one task per metric of the plan.
pub fn spawn_all(plan: &Plan, clock: Clock, tx: &mpsc::Sender<Msg>) -> Vec<JoinHandle<()>> {
    plan.metrics
        .iter()
        .enumerate()
        .map(|(id, spec)| match spec.source {
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
                    clock,
                    tx.clone(),
                ))
            }
            SourceSpec::Prometheus(ref p) => {
                tokio::spawn(prometheus::run(id, p.clone(), spec.interval, tx.clone()))
            }
            SourceSpec::HttpJson(ref h) => {
                tokio::spawn(http_json::run(id, h.clone(), spec.interval, tx.clone()))
            }
            SourceSpec::Probe(ref p) => {
                tokio::spawn(probe::run(id, p.clone(), spec.interval, tx.clone()))
            }
            SourceSpec::Jtl { ref path, signal } => tokio::spawn(jtl::run(
                id,
                path.clone(),
                signal,
                spec.interval,
                tx.clone(),
            )),
        })
        .collect()
}
