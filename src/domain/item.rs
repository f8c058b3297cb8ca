//! A release item: one change that goes out tonight.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

/// How much an item matters to the release. Ordered from most to least urgent,
/// so sorting ascending puts Critical first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Critical,
    High,
    Medium,
    Low,
}

impl Priority {
    pub fn label(self) -> &'static str {
        match self {
            Priority::Critical => "Crit",
            Priority::High => "High",
            Priority::Medium => "Med",
            Priority::Low => "Low",
        }
    }

    /// Rank as a count of marks, so the column reads without colour.
    pub fn symbol(self) -> &'static str {
        match self {
            Priority::Critical => "▲▲▲",
            Priority::High => "▲▲",
            Priority::Medium => "▲",
            Priority::Low => "·",
        }
    }
}

impl fmt::Display for Priority {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Priority::Critical => "critical",
            Priority::High => "high",
            Priority::Medium => "medium",
            Priority::Low => "low",
        })
    }
}

/// Where an item stands in testing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    Untested,
    InProgress,
    Passed,
    Failed,
}

impl ItemStatus {
    pub fn label(self) -> &'static str {
        match self {
            ItemStatus::Untested => "untested",
            ItemStatus::InProgress => "testing",
            ItemStatus::Passed => "passed",
            ItemStatus::Failed => "failed",
        }
    }

    pub fn symbol(self) -> &'static str {
        match self {
            ItemStatus::Untested => "○",
            ItemStatus::InProgress => "◐",
            ItemStatus::Passed => "✓",
            ItemStatus::Failed => "✗",
        }
    }
}

/// The longest recovery time a risk may name, in the plan and in the journal.
pub const MAX_RECOVERY: Duration = Duration::from_secs(30 * 24 * 3600);
pub const MAX_RECOVERY_TEXT: &str = "30d";

/// Impact and likelihood on a 1..=10 scale, and how long it takes to recover
/// if it goes wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Risk {
    pub impact: u8,
    pub likelihood: u8,
    pub recovery: Duration,
}

impl Risk {
    /// The score the room compares: impact × likelihood, 1..=100.
    pub fn score(&self) -> u16 {
        u16::from(self.impact) * u16::from(self.likelihood)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseItem {
    pub id: String,
    pub title: String,
    pub priority: Priority,
    pub status: ItemStatus,
    pub owner: Option<String>,
    pub risk: Option<Risk>,
    /// When it joined the release list, for the list's freeze.
    pub added_at: Option<chrono::DateTime<chrono::Utc>>,
}

impl ReleaseItem {
    pub fn risk_score(&self) -> Option<u16> {
        self.risk.as_ref().map(Risk::score)
    }
}

/// Indices of `items` ordered by risk score, biggest first; items without a risk
/// figure go last. Ties fall back to priority, then to plan order, so the order
/// is stable from frame to frame.
pub fn by_risk(items: &[ReleaseItem]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by(|&a, &b| {
        let (ia, ib) = (&items[a], &items[b]);
        ib.risk_score()
            .cmp(&ia.risk_score())
            .then(ia.priority.cmp(&ib.priority))
            .then(a.cmp(&b))
    });
    order
}

/// How the items pane orders the items.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    /// Biggest risk score first.
    #[default]
    Risk,
    /// Critical first, then by risk.
    Priority,
    /// What still needs attention first: failed, untested, in progress, passed.
    Status,
}

impl SortOrder {
    pub fn next(self) -> SortOrder {
        match self {
            SortOrder::Risk => SortOrder::Priority,
            SortOrder::Priority => SortOrder::Status,
            SortOrder::Status => SortOrder::Risk,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortOrder::Risk => "risk",
            SortOrder::Priority => "priority",
            SortOrder::Status => "status",
        }
    }
}

fn status_rank(status: ItemStatus) -> u8 {
    match status {
        ItemStatus::Failed => 0,
        ItemStatus::Untested => 1,
        ItemStatus::InProgress => 2,
        ItemStatus::Passed => 3,
    }
}

/// Indices of `items` in `order`; ties fall back to risk, then plan order.
pub fn sorted(items: &[ReleaseItem], order: SortOrder) -> Vec<usize> {
    let mut indices = by_risk(items);
    match order {
        SortOrder::Risk => {}
        // A stable sort on top of the risk order keeps risk as the tie-break.
        SortOrder::Priority => indices.sort_by_key(|&i| items[i].priority),
        SortOrder::Status => indices.sort_by_key(|&i| status_rank(items[i].status)),
    }
    indices
}

/// The item with the biggest risk score, if any item has one.
pub fn top_risk(items: &[ReleaseItem]) -> Option<usize> {
    by_risk(items)
        .first()
        .copied()
        .filter(|&i| items[i].risk.is_some())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: &str, priority: Priority, risk: Option<(u8, u8)>) -> ReleaseItem {
        ReleaseItem {
            id: id.into(),
            title: id.into(),
            priority,
            status: ItemStatus::Untested,
            owner: None,
            risk: risk.map(|(impact, likelihood)| Risk {
                impact,
                likelihood,
                recovery: Duration::from_secs(3600),
            }),
            added_at: None,
        }
    }

    #[test]
    fn score_is_impact_times_likelihood() {
        let api = item("API", Priority::Critical, Some((9, 6)));
        assert_eq!(api.risk_score(), Some(54));
    }

    #[test]
    fn story_risks_sort_api_timeout_first() {
        let items = vec![
            item("PAY", Priority::High, Some((10, 2))),
            item("ADMIN", Priority::Low, Some((3, 1))),
            item("API", Priority::Critical, Some((9, 6))),
            item("SIGNUP", Priority::Medium, Some((7, 3))),
            item("NONE", Priority::Critical, None),
        ];
        let ids: Vec<&str> = by_risk(&items)
            .into_iter()
            .map(|i| items[i].id.as_str())
            .collect();
        assert_eq!(ids, ["API", "SIGNUP", "PAY", "ADMIN", "NONE"]);
        assert_eq!(top_risk(&items), Some(2));
    }

    #[test]
    fn equal_scores_fall_back_to_priority() {
        let items = vec![
            item("LOW", Priority::Low, Some((4, 5))),
            item("HIGH", Priority::High, Some((5, 4))),
        ];
        assert_eq!(by_risk(&items), [1, 0]);
    }

    #[test]
    fn other_orders_keep_risk_as_the_tie_break() {
        let mut items = vec![
            item("PAY", Priority::High, Some((10, 2))),
            item("ADMIN", Priority::Low, Some((3, 1))),
            item("API", Priority::Critical, Some((9, 6))),
            item("COUPON", Priority::High, Some((5, 2))),
        ];
        items[0].status = ItemStatus::Passed;
        items[1].status = ItemStatus::Failed;
        let ids = |order: Vec<usize>| -> Vec<String> {
            order.into_iter().map(|i| items[i].id.clone()).collect()
        };
        assert_eq!(
            ids(sorted(&items, SortOrder::Priority)),
            ["API", "PAY", "COUPON", "ADMIN"]
        );
        assert_eq!(
            ids(sorted(&items, SortOrder::Status)),
            ["ADMIN", "API", "COUPON", "PAY"]
        );
        assert_eq!(SortOrder::Status.next(), SortOrder::Risk);
    }

    #[test]
    fn no_top_risk_without_figures() {
        let items = vec![item("A", Priority::Low, None)];
        assert_eq!(top_risk(&items), None);
    }
}
