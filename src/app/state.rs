//! The one state of the war room: the plan, the time, the metrics and what the
//! person at this seat is looking at. Only `update` changes it.

use chrono::{DateTime, Utc};

use super::Pane;
use crate::domain::{Zone, item::by_risk};
use crate::metrics::MetricStore;
use crate::plan::Plan;

/// How far back the charts look.
pub const CHART_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

#[derive(Debug, Clone)]
pub struct State {
    pub plan: Plan,
    pub now: DateTime<Utc>,
    /// The zone of this seat's machine, shown beside the plan's zone.
    pub local_zone: Zone,
    /// The embedded demo release: the header says so.
    pub demo: bool,
    pub focus: Pane,
    pub help_open: bool,
    /// Plan indices of the items in the order they are shown: biggest risk first.
    pub item_order: Vec<usize>,
    /// Position in `item_order`.
    pub selected_item: usize,
    pub selected_check: usize,
    pub selected_metric: usize,
    /// Per checklist entry, in plan order.
    pub checklist_done: Vec<bool>,
    pub metrics: MetricStore,
}

impl State {
    pub fn new(plan: Plan, now: DateTime<Utc>, local_zone: Zone) -> State {
        let intervals: Vec<_> = plan.metrics.iter().map(|m| m.interval).collect();
        State {
            item_order: by_risk(&plan.items),
            checklist_done: vec![false; plan.checklist.len()],
            metrics: MetricStore::new(&intervals),
            plan,
            now,
            local_zone,
            demo: false,
            focus: Pane::Items,
            help_open: false,
            selected_item: 0,
            selected_check: 0,
            selected_metric: 0,
        }
    }

    pub fn chart_window(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        (self.now - CHART_WINDOW, self.now)
    }

    pub fn checklist_progress(&self) -> (usize, usize) {
        let done = self.checklist_done.iter().filter(|d| **d).count();
        (done, self.checklist_done.len())
    }

    /// How many entries a pane can select among.
    pub fn selectable(&self, pane: Pane) -> usize {
        match pane {
            Pane::Items => self.plan.items.len(),
            Pane::Checklist => self.plan.checklist.len(),
            Pane::Metrics => self.plan.metrics.len(),
            Pane::Countdown => 0,
        }
    }

    pub(super) fn selection_mut(&mut self, pane: Pane) -> Option<&mut usize> {
        match pane {
            Pane::Items => Some(&mut self.selected_item),
            Pane::Checklist => Some(&mut self.selected_check),
            Pane::Metrics => Some(&mut self.selected_metric),
            Pane::Countdown => None,
        }
    }
}
