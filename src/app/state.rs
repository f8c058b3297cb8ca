//! The one state of the war room: the night (plan, ledger, metrics, time),
//! which every seat and command shares, and what the person at this seat is
//! looking at. Only `update` changes it.

use chrono::{DateTime, Utc};

use super::Pane;
use super::form::Form;
use crate::domain::item::{SortOrder, sorted};
use crate::domain::{ReleaseItem, Zone};
use crate::metrics::alert::Stretch;
use crate::night::Night;
use crate::plan::Plan;

/// How far back the charts look when the war room opens.
pub const CHART_WINDOW: chrono::TimeDelta = chrono::TimeDelta::minutes(5);

/// The spans the charts can show, `z` steps through them.
pub const ZOOMS: [(chrono::TimeDelta, &str); 4] = [
    (chrono::TimeDelta::minutes(5), "5 min"),
    (chrono::TimeDelta::minutes(30), "30 min"),
    (chrono::TimeDelta::hours(6), "6 h"),
    (chrono::TimeDelta::hours(48), "48 h"),
];

/// What covers the panes, if anything. Only one thing at a time.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Overlay {
    #[default]
    None,
    /// Every key; `scroll` rows down from the first when they do not fit.
    Help {
        scroll: usize,
    },
    /// The journal, newest last; `scroll` lines up from the end.
    Log {
        scroll: usize,
    },
    RiskMatrix,
    /// Every reason of the verdict.
    Reasons,
    /// Which status to give the item: one key each.
    StatusPicker {
        id: String,
    },
    /// A document of the night, previewed before it is written (`r`).
    Report {
        kind: crate::report::Kind,
        scroll: usize,
        /// The document as it was when shown: built once, not every frame
        /// (the completion report reads up to 48 h of every metric), and
        /// what `w` writes.
        text: String,
    },
    /// One item whole: its notes, history and load-test runs. `scroll`
    /// lines down from the top; `run` counts back from the latest run.
    Item {
        id: String,
        scroll: usize,
        run: usize,
    },
    Form(Form),
    /// The items' filter being typed (`/`): the list follows each key.
    Filter,
    /// Undo would take back something the whole room relies on (an
    /// approval, the deploy mark): asked first, with what it is.
    ConfirmUndo {
        line: u64,
        what: String,
    },
}

/// A line for the person at this seat: what failed, what was skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub error: bool,
    pub text: String,
}

/// What one seat is looking at: focus, what covers the panes, selections,
/// the chart span and the message of the moment. Nothing here is the night's:
/// two seats with different views agree on everything else.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct View {
    pub focus: Pane,
    pub overlay: Overlay,
    pub sort: SortOrder,
    /// Ledger indices of the items in the order they are shown.
    pub item_order: Vec<usize>,
    /// Position in `item_order`.
    pub selected_item: usize,
    pub selected_check: usize,
    pub selected_metric: usize,
    /// Which of `ZOOMS` the charts show.
    pub zoom: usize,
    pub notice: Option<Notice>,
    /// The focused pane fills the body (`f`).
    pub full_pane: bool,
    /// Presenter mode (`p`, `--present`): the band large, one pane below,
    /// private names masked.
    pub present: bool,
    /// The terminal's size, for what depends on it: a page of rows, a click.
    pub screen: (u16, u16),
    /// Only the items whose id, title or owner hold this (any case): `/`.
    pub filter: Option<String>,
    /// The last click, where and when: a second one there soon after is a
    /// double click.
    pub last_click: Option<(u16, u16, std::time::Instant)>,
}

#[derive(Debug, Clone)]
pub struct State {
    /// What every seat agrees on; the rest is this seat's view of it.
    pub night: Night,
    /// The zone of this seat, shown beside the plan's zone.
    pub local_zone: Zone,
    /// Who this seat acts as; written with every action.
    pub actor: String,
    /// What the person at this seat is looking at.
    pub view: View,
    /// Actions sent to the journal and not yet confirmed on disk.
    pub saving: usize,
    /// This seat's last line is on disk up to here but not yet read back:
    /// until it is, the ledger does not show it and new actions wait.
    pub unread_until: Option<u64>,
    /// How far into the journal this seat has read.
    pub read_until: u64,
    /// Which running warroom this is, written with every action.
    pub seat: String,
    /// The journal cannot be followed: marks would not show, so none are taken.
    pub journal_offline: Option<String>,
    /// What the undo being saved takes back, said once it is on disk.
    pub undoing: Option<String>,
    /// A seat for those who only watch (`--read-only`): it shows everything
    /// and writes nothing to the journal.
    pub read_only: bool,
    /// Each metric's alert as this seat's samples show it, by metric.
    pub alerts: Vec<Option<Stretch>>,
    /// The journal line of an alert left open (by a seat that quit) that this
    /// seat has already sent the end of, so it is sent once.
    pub alerts_closing: Vec<Option<u64>>,
    /// Alert lines the journal refused, to write again.
    pub alerts_unsaved: Vec<crate::journal::Entry>,
    /// Not before then.
    pub alerts_retry_at: DateTime<Utc>,
    /// The check-in slot this seat last rang the bell for.
    pub check_in_rung: Option<DateTime<Utc>>,
    /// The missed check-in slot this seat last wrote, so a tick before the
    /// line is read back does not write it again.
    pub missed_said: Option<DateTime<Utc>>,
    /// Why this seat cannot post to the plan's chat, when it cannot.
    pub chat_off: Option<String>,
    /// A real plan opened at another moment than now (`--at`): said on screen.
    pub rehearsal: bool,
    /// Keys this seat's config moved.
    pub keys: crate::config::KeyOverrides,
    /// The theme this seat draws with, and whether colour is off (`NO_COLOR`).
    pub look: crate::ui::theme::Look,
}

impl State {
    pub fn new(plan: Plan, now: DateTime<Utc>, local_zone: Zone) -> State {
        let night = Night::new(plan, now);
        let metrics = night.plan.metrics.len();
        State {
            view: View {
                focus: Pane::Items,
                overlay: Overlay::None,
                sort: SortOrder::Risk,
                item_order: sorted(&night.ledger.items, SortOrder::Risk),
                selected_item: 0,
                selected_check: 0,
                selected_metric: 0,
                zoom: 0,
                notice: None,
                full_pane: false,
                present: false,
                screen: (120, 40),
                last_click: None,
                filter: None,
            },
            night,
            alerts: vec![None; metrics],
            alerts_closing: vec![None; metrics],
            check_in_rung: None,
            missed_said: None,
            chat_off: None,
            alerts_unsaved: Vec::new(),
            alerts_retry_at: now,
            local_zone,
            actor: "unknown".to_string(),
            saving: 0,
            unread_until: None,
            read_until: 0,
            seat: String::new(),
            journal_offline: None,
            undoing: None,
            read_only: false,
            look: crate::ui::theme::Look::default(),
            rehearsal: false,
            keys: crate::config::KeyOverrides::default(),
        }
    }

    pub fn chart_window(&self) -> (DateTime<Utc>, DateTime<Utc>) {
        let (span, _) = ZOOMS[self.view.zoom.min(ZOOMS.len() - 1)];
        (self.night.now - span, self.night.now)
    }

    /// The span a metric's chart shows: the chart window, or for a load
    /// test that ended before it, the test's own last span, so a finished
    /// test's chart is never empty.
    pub fn metric_window(&self, id: usize) -> (DateTime<Utc>, DateTime<Utc>) {
        let (from, to) = self.chart_window();
        let finished_before = self
            .night
            .plan
            .metrics
            .get(id)
            .filter(|m| m.source.is_load_test())
            .and_then(|_| self.night.metrics.series(id)?.latest())
            .filter(|last| last.at < from);
        match finished_before {
            Some(last) => {
                let end = last.at + chrono::TimeDelta::seconds(1);
                (end - (to - from), end)
            }
            None => (from, to),
        }
    }

    pub fn zoom_label(&self) -> &'static str {
        ZOOMS[self.view.zoom.min(ZOOMS.len() - 1)].1
    }

    /// The item under the selection in the items pane.
    pub fn selected_item(&self) -> Option<&ReleaseItem> {
        let index = *self.view.item_order.get(self.view.selected_item)?;
        self.night.ledger.items.get(index)
    }

    /// Sorts the items again (their figures or the order changed), keeping the
    /// same item selected: under a filter too, even when a change elsewhere
    /// made it stop matching, so a key meant for it never lands on another.
    pub fn reorder(&mut self) {
        let selected = self.view.item_order.get(self.view.selected_item).copied();
        self.order_items(selected);
        if let Some(index) = selected {
            self.view.selected_item = self
                .view
                .item_order
                .iter()
                .position(|&i| i == index)
                .unwrap_or(0);
        }
    }

    /// The filter changed: the list as it now reads, its first item selected.
    pub fn refilter(&mut self) {
        self.order_items(None);
        self.view.selected_item = 0;
    }

    /// The shown order: sorted, and filtered but for `keep`.
    fn order_items(&mut self, keep: Option<usize>) {
        let items = &self.night.ledger.items;
        self.view.item_order = sorted(items, self.view.sort);
        if let Some(filter) = self.view.filter.as_deref().map(str::to_lowercase) {
            self.view.item_order.retain(|&i| {
                let item = &items[i];
                Some(i) == keep
                    || [Some(&item.id), Some(&item.title), item.owner.as_ref()]
                        .into_iter()
                        .flatten()
                        .any(|text| text.to_lowercase().contains(&filter))
            });
        }
    }

    /// How many entries a pane can select among.
    pub fn selectable(&self, pane: Pane) -> usize {
        match pane {
            Pane::Items => self.view.item_order.len(),
            Pane::Checklist => self.night.ledger.checklist.len(),
            Pane::Metrics => self.night.plan.metrics.len(),
            Pane::Countdown => 0,
        }
    }

    pub(super) fn selection_mut(&mut self, pane: Pane) -> Option<&mut usize> {
        match pane {
            Pane::Items => Some(&mut self.view.selected_item),
            Pane::Checklist => Some(&mut self.view.selected_check),
            Pane::Metrics => Some(&mut self.view.selected_metric),
            Pane::Countdown => None,
        }
    }
}
