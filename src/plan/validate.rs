//! From plan text to a `Plan`, or every problem found, each with its place.

use std::collections::HashMap;
use std::time::Duration;

use toml::Spanned;

use super::error::{Locator, PlanError, Problem};
use super::file::{ChecklistEntryFile, ItemEntry, MetricEntry, PlanFile, RiskEntry, SourceEntry};
use super::time::{DEPLOY_AT_EXPECTED, parse_deploy_at, parse_duration};
use super::{MetricSpec, Plan, Release, SourceSpec};
use crate::domain::{ChecklistEntry, ReleaseItem, Risk, Schedule};
use crate::metrics::Limits;

const DEFAULT_WATCH: Duration = Duration::from_secs(50 * 60);
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const MIN_INTERVAL: Duration = Duration::from_millis(100);
const DEFAULT_GROUP: &str = "General";

pub fn parse(text: &str, path: &str) -> Result<Plan, PlanError> {
    let loc = Locator::new(text);
    let invalid = |problems: Vec<Problem>| PlanError::Invalid {
        path: path.to_string(),
        problems,
    };
    let file: PlanFile = toml::from_str(text)
        .map_err(|e| invalid(vec![loc.problem(e.span(), toml_message(e.message()))]))?;
    let mut check = Checker {
        loc: &loc,
        problems: Vec::new(),
    };
    let plan = check.plan(file);
    let mut problems = check.problems;
    match plan {
        Some(plan) if problems.is_empty() => Ok(plan),
        _ => {
            problems.sort_by_key(|p| (p.line, p.column));
            Err(invalid(problems))
        }
    }
}

/// toml's messages end with a newline and sometimes repeat themselves; keep one line.
fn toml_message(message: &str) -> String {
    message.trim().replace('\n', "; ")
}

struct Checker<'a> {
    loc: &'a Locator<'a>,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn fail<T>(
        &mut self,
        span: std::ops::Range<usize>,
        message: impl std::fmt::Display,
    ) -> Option<T> {
        self.problems.push(self.loc.problem(Some(span), message));
        None
    }

    fn ok<T>(&mut self, span: std::ops::Range<usize>, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => self.fail(span, message),
        }
    }

    fn plan(&mut self, file: PlanFile) -> Option<Plan> {
        let release = self.release(file.release);
        let items = self.items(file.items);
        let checklist = self.checklist(file.checklist);
        let metrics = self.metrics(file.metrics);
        Some(Plan {
            release: release?,
            items: items?,
            checklist: checklist?,
            metrics: metrics?,
        })
    }

    fn release(&mut self, entry: super::file::ReleaseEntry) -> Option<Release> {
        let span = entry.deploy_at.span();
        let deploy = match entry.deploy_at.into_inner() {
            toml::Value::String(s) => self.ok(span, parse_deploy_at(&s)),
            // An unquoted TOML date-time is fine as long as it carries an offset.
            toml::Value::Datetime(dt) if dt.offset.is_some() => {
                self.ok(span, parse_deploy_at(&dt.to_string()))
            }
            toml::Value::Datetime(dt) => self.fail(
                span,
                format!("date-time {dt} has no offset; {DEPLOY_AT_EXPECTED}"),
            ),
            other => self.fail(
                span,
                format!("deploy_at is a {}; {DEPLOY_AT_EXPECTED}", other.type_str()),
            ),
        };
        let watch_for = match entry.watch_for {
            Some(w) => self.duration(&w),
            None => Some(DEFAULT_WATCH),
        };
        let (deploy_at, zone) = deploy?;
        Some(Release {
            name: entry.name,
            schedule: Schedule {
                deploy_at,
                zone,
                watch_for: watch_for?,
            },
        })
    }

    fn duration(&mut self, text: &Spanned<String>) -> Option<Duration> {
        self.ok(text.span(), parse_duration(text.get_ref()))
    }

    fn items(&mut self, entries: Option<Spanned<Vec<ItemEntry>>>) -> Option<Vec<ReleaseItem>> {
        let Some(entries) = entries.filter(|e| !e.get_ref().is_empty()) else {
            self.problems.push(self.loc.problem(
                None,
                "the plan has no [[items]]; expected at least one release item",
            ));
            return None;
        };
        let mut ids = IdRegister::new("item");
        let mut ok = true;
        let mut items = Vec::new();
        for entry in entries.into_inner() {
            ok &= ids.register(&entry.id, self);
            let risk = match entry.risk {
                Some(r) => match self.risk(r) {
                    Some(r) => Some(r),
                    None => {
                        ok = false;
                        None
                    }
                },
                None => None,
            };
            items.push(ReleaseItem {
                id: entry.id.into_inner(),
                title: entry.title,
                priority: entry.priority,
                status: entry.status,
                owner: entry.owner.filter(|o| !o.trim().is_empty()),
                risk,
            });
        }
        ok.then_some(items)
    }

    fn risk(&mut self, entry: RiskEntry) -> Option<Risk> {
        let impact = self.figure("impact", &entry.impact);
        let likelihood = self.figure("likelihood", &entry.likelihood);
        let recovery = self.duration(&entry.recovery);
        Some(Risk {
            impact: impact?,
            likelihood: likelihood?,
            recovery: recovery?,
        })
    }

    fn figure(&mut self, name: &str, value: &Spanned<i64>) -> Option<u8> {
        match u8::try_from(*value.get_ref()) {
            Ok(v @ 1..=10) => Some(v),
            _ => self.fail(
                value.span(),
                format!(
                    "risk {name} is {}; expected a whole number from 1 to 10",
                    value.get_ref()
                ),
            ),
        }
    }

    fn checklist(
        &mut self,
        entries: Option<Spanned<Vec<ChecklistEntryFile>>>,
    ) -> Option<Vec<ChecklistEntry>> {
        let span = entries.as_ref().map(Spanned::span);
        let Some(entries) = entries.filter(|e| !e.get_ref().is_empty()) else {
            self.problems.push(self.loc.problem(
                span,
                "the checklist is empty; expected at least one [[checklist]] entry",
            ));
            return None;
        };
        let mut ids = IdRegister::new("checklist");
        let mut ok = true;
        let mut out = Vec::new();
        for entry in entries.into_inner() {
            ok &= ids.register(&entry.id, self);
            out.push(ChecklistEntry {
                id: entry.id.into_inner(),
                text: entry.text,
                group: entry
                    .group
                    .filter(|g| !g.trim().is_empty())
                    .unwrap_or_else(|| DEFAULT_GROUP.to_string()),
                required: entry.required,
            });
        }
        ok.then_some(out)
    }

    fn metrics(&mut self, entries: Vec<MetricEntry>) -> Option<Vec<MetricSpec>> {
        let mut names = IdRegister::new("metric");
        let mut ok = true;
        let mut out = Vec::new();
        for entry in entries {
            ok &= names.register(&entry.name, self);
            match self.metric(entry) {
                Some(m) => out.push(m),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    fn metric(&mut self, entry: MetricEntry) -> Option<MetricSpec> {
        let interval = match &entry.interval {
            Some(text) => match self.duration(text)? {
                d if d < MIN_INTERVAL => {
                    return self.fail(
                        text.span(),
                        format!(
                            "interval \"{}\" is too short; expected at least 100ms",
                            text.get_ref()
                        ),
                    );
                }
                d => d,
            },
            None => DEFAULT_INTERVAL,
        };
        let warn = entry.warn.as_ref().map(|w| *w.get_ref());
        let crit = entry.crit.as_ref().map(|c| *c.get_ref());
        for limit in [&entry.warn, &entry.crit].into_iter().flatten() {
            if !limit.get_ref().is_finite() {
                return self.fail(limit.span(), "expected a finite number");
            }
        }
        if let (Some(w), Some(c), Some(crit_span)) = (warn, crit, entry.crit.as_ref())
            && w >= c
        {
            return self.fail(
                crit_span.span(),
                format!("crit {c} is not above warn {w}; expected crit > warn"),
            );
        }
        let source = match entry.source {
            SourceEntry::Demo(d) => SourceSpec::Demo {
                signal: d.signal,
                seed: d.seed,
            },
        };
        Some(MetricSpec {
            name: entry.name.into_inner(),
            unit: entry.unit,
            source,
            interval,
            limits: Limits { warn, crit },
        })
    }
}

/// Remembers where each id was first seen, to point at both places of a duplicate.
struct IdRegister {
    what: &'static str,
    seen: HashMap<String, usize>,
}

impl IdRegister {
    fn new(what: &'static str) -> Self {
        IdRegister {
            what,
            seen: HashMap::new(),
        }
    }

    fn register(&mut self, id: &Spanned<String>, check: &mut Checker<'_>) -> bool {
        let text = id.get_ref();
        let valid = !text.is_empty()
            && text
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
        if !valid {
            let message = if self.what == "metric" {
                if !text.trim().is_empty() {
                    return self.remember(id, check);
                }
                "metric name is empty; expected a name".to_string()
            } else {
                format!(
                    "{} id \"{text}\" is not valid; expected letters, digits, '-', '_' or '.'",
                    self.what
                )
            };
            check
                .problems
                .push(check.loc.problem(Some(id.span()), message));
            return false;
        }
        self.remember(id, check)
    }

    fn remember(&mut self, id: &Spanned<String>, check: &mut Checker<'_>) -> bool {
        let text = id.get_ref();
        if let Some(&first) = self.seen.get(text) {
            let first = check.loc.problem(Some(first..first), "");
            let noun = if self.what == "metric" { "name" } else { "id" };
            check.problems.push(check.loc.problem(
                Some(id.span()),
                format!(
                    "duplicate {} {noun} \"{text}\" (first at line {}, column {}); expected each {noun} once",
                    self.what, first.line, first.column
                ),
            ));
            return false;
        }
        self.seen.insert(text.clone(), id.span().start);
        true
    }
}

#[cfg(test)]
#[path = "validate_tests.rs"]
mod tests;
