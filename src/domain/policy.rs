//! The plan's policies, the lessons of earlier nights written as rules: a
//! Friday carries only low-risk items, the list freezes before the deploy
//! week ends, Critical items are staged early, and some times are frozen.
//! Each broken rule becomes a reason for the gate, naming the rule, the items
//! and the times.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};

use super::gate::{Reason, ReasonKind, Severity};
use super::wall_time::{Toward, WallTime};
use super::{ItemStatus, Priority, ReleaseItem, Schedule};

#[derive(Debug, Clone, PartialEq)]
pub struct Policy {
    pub rule: Rule,
    pub severity: Severity,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Rule {
    /// A deploy on a Friday, or the day before one of `holidays`, carries only
    /// Low-priority items.
    FridayLowRiskOnly { holidays: Vec<NaiveDate> },
    /// Items added after this time missed the list's freeze.
    ListFrozenBy { by: WallTime },
    /// Critical items must have passed by this time.
    CriticalStagedBy { by: WallTime },
    /// No deploy inside these weekly windows or on these dates.
    Freeze {
        weekly: Vec<WeeklyWindow>,
        dates: Vec<DateRange>,
    },
}

impl Rule {
    pub fn name(&self) -> &'static str {
        match self {
            Rule::FridayLowRiskOnly { .. } => "friday_low_risk_only",
            Rule::ListFrozenBy { .. } => "list_frozen_by",
            Rule::CriticalStagedBy { .. } => "critical_staged_by",
            Rule::Freeze { .. } => "freeze",
        }
    }
}

/// From a weekday and time to another, e.g. Friday 18:00 to Monday 06:00.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WeeklyWindow {
    pub from: (Weekday, NaiveTime),
    pub to: (Weekday, NaiveTime),
}

/// Whole days, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateRange {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// What the rules judge: the items as they stand, when each arrived and
/// passed (the journal's timestamps), the deploy and the time now.
pub struct PolicyInput<'a> {
    pub schedule: &'a Schedule,
    /// When the deploy counts from: planned, or marked done earlier.
    pub deploy: DateTime<Utc>,
    pub items: &'a [ReleaseItem],
    /// When each item last became passed in the journal; `None` when it is
    /// not passed, or passed already in the plan.
    pub passed_at: &'a [Option<DateTime<Utc>>],
    pub now: DateTime<Utc>,
}

pub fn evaluate(policies: &[Policy], input: &PolicyInput) -> Vec<Reason> {
    policies
        .iter()
        .filter(|p| p.severity != Severity::Off)
        .filter_map(|p| {
            let (subjects, text) = broken(&p.rule, input)?;
            let mut all = vec![p.rule.name().to_string()];
            all.extend(subjects);
            Some(Reason {
                severity: p.severity,
                kind: ReasonKind::Policy,
                subjects: all,
                text,
                rule: Some(p.rule.name().to_string()),
            })
        })
        .collect()
}

/// The items and the sentence, when the rule is broken.
fn broken(rule: &Rule, input: &PolicyInput) -> Option<(Vec<String>, String)> {
    let zone = &input.schedule.zone;
    let when = |t: DateTime<Utc>| zone.at(t).format("%a %H:%M").to_string();
    let resolve = |w: &WallTime| w.resolve(input.schedule.deploy_at, zone, Toward::Before);
    let passed = |i: usize| input.items[i].status == ItemStatus::Passed;
    match rule {
        Rule::FridayLowRiskOnly { holidays } => {
            let day = zone.date_of(input.deploy);
            let occasion = if day.weekday() == Weekday::Fri {
                "Friday deploy".to_string()
            } else {
                let holiday = day.succ_opt().filter(|d| holidays.contains(d))?;
                format!("Deploy the day before the {holiday} holiday")
            };
            // Items passed before the deploy day began were tested in the
            // week; what is still open, or passed only that day, is the
            // risk the day carries.
            let day_start = zone.resolve_local(day.and_time(NaiveTime::MIN));
            let ids = ids(input, |i| {
                let item = &input.items[i];
                let tested_before = match input.passed_at[i] {
                    Some(t) => t < day_start,
                    None => passed(i),
                };
                item.priority < Priority::Low && !tested_before
            });
            let n = ids.len();
            (n > 0).then(|| {
                let noun = if n == 1 { "item" } else { "items" };
                (ids, format!("{occasion}: {n} {noun} above Low risk"))
            })
        }
        Rule::ListFrozenBy { by } => {
            let by = resolve(by);
            let late: Vec<usize> = (0..input.items.len())
                .filter(|i| input.items[*i].added_at.is_some_and(|t| t > by))
                .collect();
            let first = late.first()?;
            let arrived = input.items[*first].added_at?;
            let all_at_once = late.len() == input.items.len()
                && late
                    .iter()
                    .all(|i| input.items[*i].added_at == Some(arrived));
            let text = if all_at_once {
                format!(
                    "list arrived {}, after the {} freeze",
                    when(arrived),
                    when(by)
                )
            } else {
                let n = late.len();
                let noun = if n == 1 { "item" } else { "items" };
                // When they came, so the room can see how late the list was.
                let times = late.iter().filter_map(|i| input.items[*i].added_at);
                let (first, last) = (times.clone().min()?, times.max()?);
                let span = if first == last {
                    when(first)
                } else {
                    format!("{} to {}", when(first), when(last))
                };
                format!("{n} {noun} added after the {} freeze: {span}", when(by))
            };
            let ids = late.iter().map(|i| input.items[*i].id.clone()).collect();
            Some((ids, text))
        }
        Rule::CriticalStagedBy { by } => {
            let by = resolve(by);
            let late = ids(input, |i| {
                input.items[i].priority == Priority::Critical
                    && match input.passed_at[i] {
                        Some(t) => t > by,
                        None => !passed(i) && input.now > by,
                    }
            });
            let n = late.len();
            (n > 0).then(|| {
                let text = match n {
                    1 => format!("{}: Critical item not staged by {}", late[0], when(by)),
                    _ => format!("{n} Critical items not staged by {}", when(by)),
                };
                (late, text)
            })
        }
        Rule::Freeze { weekly, dates } => {
            let local = zone.at(input.deploy);
            let day = local.date_naive();
            let minute = |(d, t): (Weekday, NaiveTime)| {
                i64::from(d.num_days_from_monday()) * 1440 + (t - NaiveTime::MIN).num_minutes()
            };
            let now = minute((local.weekday(), local.time()));
            let fmt = |(d, t): (Weekday, NaiveTime)| format!("{d} {}", t.format("%H:%M"));
            let in_week = weekly.iter().find(|w| {
                let (from, to) = (minute(w.from), minute(w.to));
                if from <= to {
                    (from..to).contains(&now)
                } else {
                    now >= from || now < to
                }
            });
            let window = match in_week {
                Some(w) => format!("{} – {}", fmt(w.from), fmt(w.to)),
                None => {
                    let r = dates.iter().find(|r| (r.from..=r.to).contains(&day))?;
                    if r.from == r.to {
                        format!("{}", r.from)
                    } else {
                        format!("{} – {}", r.from, r.to)
                    }
                }
            };
            Some((
                Vec::new(),
                format!(
                    "deploy {} falls in the freeze {window}",
                    local.format("%a %Y-%m-%d %H:%M")
                ),
            ))
        }
    }
}

fn ids(input: &PolicyInput, keep: impl Fn(usize) -> bool) -> Vec<String> {
    (0..input.items.len())
        .filter(|i| keep(*i))
        .map(|i| input.items[i].id.clone())
        .collect()
}

#[cfg(test)]
#[path = "policy_tests.rs"]
mod tests;
