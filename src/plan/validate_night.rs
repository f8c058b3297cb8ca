//! Validation of the night's times: when the list arrived, the timeline's
//! milestones, the check-ins after the watch, and the policies.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use toml::Spanned;

use super::Checker;
use crate::domain::gate::Severity;
use crate::domain::policy::{DateRange, Policy, Rule, WeeklyWindow};
use crate::domain::schedule::Milestone;
use crate::domain::wall_time::{Toward, WallTime};
use crate::domain::{ChecklistEntry, Schedule};
use crate::plan::file::{PolicyEntry, TimelineEntry};
use crate::plan::time::{parse_date, parse_wall_time, parse_weekday_time};

/// Check-ins run 48 hours past the watch window unless the plan says
/// otherwise: the weekend the story's lead watched.
pub(super) const DEFAULT_CHECK_INS_FOR: TimeDelta = TimeDelta::hours(48);
pub(super) const MIN_CHECK_IN: Duration = Duration::from_secs(60);
pub(super) const MAX_CHECK_IN: (Duration, &str) = (Duration::from_secs(24 * 3600), "24h");

const RULES: &str = "`friday_low_risk_only`, `list_frozen_by`, `critical_staged_by` or `freeze`";

impl Checker<'_> {
    pub(super) fn wall_time(&mut self, text: &Spanned<String>) -> Option<WallTime> {
        self.ok(text.span(), parse_wall_time(text.get_ref()))
    }

    /// A plan time read around the deploy; `None` on a bad text or when the
    /// deploy time itself is bad (that is reported already).
    pub(super) fn moment(
        &mut self,
        text: &Spanned<String>,
        schedule: Option<&Schedule>,
        toward: Toward,
    ) -> Option<DateTime<Utc>> {
        let wall = self.wall_time(text)?;
        let s = schedule?;
        Some(wall.resolve(s.deploy_at, &s.zone, toward))
    }

    pub(super) fn timeline(
        &mut self,
        entries: Vec<TimelineEntry>,
        schedule: Option<&Schedule>,
        checklist: Option<&[ChecklistEntry]>,
    ) -> Option<Vec<Milestone>> {
        let mut ok = true;
        let mut out = Vec::new();
        for entry in entries {
            let at = self.moment(&entry.at, schedule, Toward::Nearest);
            ok &= at.is_some() || schedule.is_none();
            if let (Some(group), Some(checklist)) = (&entry.group, checklist)
                && !checklist.iter().any(|c| &c.group == group.get_ref())
            {
                let mut groups: Vec<&str> = checklist.iter().map(|c| c.group.as_str()).collect();
                groups.dedup();
                self.fail::<()>(
                    group.span(),
                    format!(
                        "no checklist group \"{}\"; expected one of {}",
                        group.get_ref(),
                        groups
                            .iter()
                            .map(|g| format!("\"{g}\""))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                );
                ok = false;
            }
            if let Some(at) = at {
                out.push(Milestone {
                    at,
                    label: entry.label,
                    group: entry.group.map(Spanned::into_inner),
                });
            }
        }
        out.sort_by_key(|m| m.at);
        ok.then_some(out)
    }

    pub(super) fn policies(&mut self, entries: Vec<PolicyEntry>) -> Option<Vec<Policy>> {
        let mut ok = true;
        let mut out = Vec::new();
        for entry in entries {
            match self.policy(entry) {
                Some(p) => out.push(p),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn policy(&mut self, e: PolicyEntry) -> Option<Policy> {
        let name = e.rule.get_ref().as_str();
        // Keys that belong to other rules are mistakes, not silence.
        let unused = |key: &str, present: bool| present.then(|| key.to_string());
        let stray: Vec<String> = match name {
            "friday_low_risk_only" => [
                unused("by", e.by.is_some()),
                unused("weekly", !e.weekly.is_empty()),
                unused("dates", !e.dates.is_empty()),
            ]
            .into_iter()
            .flatten()
            .collect(),
            "list_frozen_by" | "critical_staged_by" => [
                unused("holidays", !e.holidays.is_empty()),
                unused("weekly", !e.weekly.is_empty()),
                unused("dates", !e.dates.is_empty()),
            ]
            .into_iter()
            .flatten()
            .collect(),
            "freeze" => [
                unused("by", e.by.is_some()),
                unused("holidays", !e.holidays.is_empty()),
            ]
            .into_iter()
            .flatten()
            .collect(),
            _ => {
                return self.fail(
                    e.rule.span(),
                    format!("unknown rule \"{name}\"; expected {RULES}"),
                );
            }
        };
        if let Some(key) = stray.first() {
            return self.fail(e.rule.span(), format!("rule {name} does not take `{key}`"));
        }
        let rule = match name {
            "friday_low_risk_only" => {
                let mut holidays = Vec::new();
                for h in &e.holidays {
                    holidays.push(self.ok(h.span(), parse_date(h.get_ref()))?);
                }
                Rule::FridayLowRiskOnly { holidays }
            }
            "list_frozen_by" | "critical_staged_by" => {
                let Some(by) = &e.by else {
                    return self.fail(
                        e.rule.span(),
                        format!(
                            "rule {name} needs `by`; expected a time like by = \"thursday 18:00\""
                        ),
                    );
                };
                let by = self.wall_time(by)?;
                if name == "list_frozen_by" {
                    Rule::ListFrozenBy { by }
                } else {
                    Rule::CriticalStagedBy { by }
                }
            }
            _ => {
                if e.weekly.is_empty() && e.dates.is_empty() {
                    return self.fail(
                        e.rule.span(),
                        "rule freeze needs `weekly` or `dates`; expected weekly = [\"friday 18:00 - monday 06:00\"] or dates = [\"2026-12-24 - 2027-01-02\"]",
                    );
                }
                let mut weekly = Vec::new();
                for w in &e.weekly {
                    weekly.push(self.weekly(w)?);
                }
                let mut dates = Vec::new();
                for d in &e.dates {
                    dates.push(self.dates(d)?);
                }
                Rule::Freeze { weekly, dates }
            }
        };
        let default = match rule {
            Rule::Freeze { .. } => Severity::Block,
            _ => Severity::Warn,
        };
        Some(Policy {
            rule,
            severity: e.severity.unwrap_or(default),
        })
    }

    fn weekly(&mut self, text: &Spanned<String>) -> Option<WeeklyWindow> {
        let expected = "expected a weekly window like \"friday 18:00 - monday 06:00\"";
        let Some((from, to)) = text.get_ref().split_once(" - ") else {
            return self.fail(
                text.span(),
                format!("bad window \"{}\"; {expected}", text.get_ref()),
            );
        };
        let from = self.ok(text.span(), parse_weekday_time(from));
        let to = self.ok(text.span(), parse_weekday_time(to));
        Some(WeeklyWindow {
            from: from?,
            to: to?,
        })
    }

    fn dates(&mut self, text: &Spanned<String>) -> Option<DateRange> {
        let (from, to) = match text.get_ref().split_once(" - ") {
            Some((a, b)) => (a, b),
            None => (text.get_ref().as_str(), text.get_ref().as_str()),
        };
        let from = self.ok(text.span(), parse_date(from))?;
        let to = self.ok(text.span(), parse_date(to))?;
        if to < from {
            return self.fail(
                text.span(),
                format!(
                    "dates \"{}\" end before they start; expected the earlier date first",
                    text.get_ref()
                ),
            );
        }
        Some(DateRange { from, to })
    }
}
