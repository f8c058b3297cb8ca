//! From plan text to a `Plan`, or every problem found, each with its place.

use std::collections::HashMap;
use std::time::Duration;

use toml::Spanned;

use super::error::{Locator, PlanError, Problem};
use super::file::PlanFile;
use super::time::{DEPLOY_AT_EXPECTED, parse_deploy_at, parse_duration};
use super::{Plan, Release};
use crate::domain::gate::GateRules;
use crate::domain::wall_time::Toward;
use crate::domain::{Schedule, item};

const DEFAULT_WATCH: Duration = Duration::from_secs(50 * 60);
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// Bounds that keep every later date computation in range and every chart
/// with more than a handful of points.
const MAX_INTERVAL: (Duration, &str) = (Duration::from_secs(10 * 60), "10m");
const MAX_WATCH: (Duration, &str) = (Duration::from_secs(7 * 24 * 3600), "7d");
const MAX_RECOVERY: (Duration, &str) = (item::MAX_RECOVERY, item::MAX_RECOVERY_TEXT);
const DEFAULT_GROUP: &str = "General";

#[path = "validate_checklist.rs"]
mod checklist;
#[path = "validate_items.rs"]
mod items;
#[path = "validate_metrics.rs"]
mod metrics;
#[path = "validate_night.rs"]
mod night;

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
        criteria: std::collections::BTreeMap::new(),
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

/// toml and serde speak of fields, variants and Rust types; say keys, values
/// and what to write instead, on one line.
pub(crate) fn toml_message(message: &str) -> String {
    let message = message.trim().replace('\n', "; ");
    if message.contains("expected newtype variant") {
        return "expected a table naming the source, like { demo = { signal = \"tps\" } }".into();
    }
    if message.starts_with("wanted string or table") {
        return "expected a quoted value, like \"high\"".into();
    }
    let replacements = [
        ("unknown field", "unknown key"),
        ("missing field", "missing key"),
        ("unknown variant", "unknown value"),
        ("invalid type: ", ""),
        (", expected i64", "; expected a whole number"),
        (", expected u64", "; expected a whole number, 0 or more"),
        (", expected f64", "; expected a number"),
        (", expected", "; expected"),
    ];
    replacements
        .iter()
        .fold(message, |m, (from, to)| m.replacen(from, to, 1))
}

/// `a` or `an`, for a TOML type name.
fn article(noun: &str) -> &'static str {
    if noun.starts_with(['a', 'e', 'i', 'o', 'u']) {
        "an"
    } else {
        "a"
    }
}

struct Checker<'a> {
    loc: &'a Locator<'a>,
    problems: Vec<Problem>,
    /// Items' load-test pass criteria, found with the items.
    criteria: std::collections::BTreeMap<String, crate::domain::evidence::PassCriteria>,
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
        let schedule = release.as_ref().map(|r| &r.schedule);
        let list_at = release.as_ref().and_then(|r| r.list_at);
        let items = self.items(file.items, schedule, list_at);
        let checklist = self.checklist(file.checklist, file.checklist_group, items.as_deref());
        let gate = self.gate(file.gate);
        let hold = gate
            .as_ref()
            .map_or(GateRules::default().metrics_hold, |g| g.metrics_hold);
        let metrics = self.metrics(file.metrics, hold);
        let schedule = release.as_ref().map(|r| &r.schedule);
        let milestones = self.timeline(file.timeline, schedule, checklist.as_deref());
        let policies = self.policies(file.policy);
        let chat = file.chat.map(|entry| self.chat(entry));
        let journal = file.journal.map(|entry| self.journal(entry));
        let rollback = file.rollback.map(|entry| {
            let recovery = self.bounded_duration("recovery", &entry.recovery, MAX_RECOVERY);
            recovery.map(|recovery| super::RollbackPlan {
                recovery,
                runbook: entry.runbook.filter(|r| !r.trim().is_empty()),
            })
        });
        let mut release = release?;
        release.schedule.milestones = milestones?;
        Some(Plan {
            release,
            items: items?,
            checklist: checklist?,
            metrics: metrics?,
            gate: gate?,
            policies: policies?,
            criteria: std::mem::take(&mut self.criteria),
            // A chat that does not validate refuses the plan.
            chat: match chat {
                Some(spec) => Some(spec?),
                None => None,
            },
            journal: match journal {
                Some(spec) => Some(spec?),
                None => None,
            },
            rollback: match rollback {
                Some(plan) => Some(plan?),
                None => None,
            },
            private: file
                .present
                .map(|p| p.private)
                .unwrap_or_default()
                .into_iter()
                .map(|name| name.trim().to_string())
                .filter(|name| !name.is_empty())
                .collect(),
        })
    }

    fn journal(&mut self, entry: super::file::JournalEntry) -> Option<crate::spec::JournalSpec> {
        let url_env = entry.postgres.url_env;
        let span = url_env.span();
        let name = url_env.into_inner();
        if !is_env_name(&name) {
            return self.fail(
                span,
                format!(
                    "url_env = \"{name}\" is not an environment variable's name; expected one \
                     like \"WARROOM_DATABASE_URL\" (the connection string never goes in the plan)"
                ),
            );
        }
        Some(crate::spec::JournalSpec {
            url_env: name,
            key: entry.postgres.key.filter(|k| !k.trim().is_empty()),
        })
    }

    fn chat(&mut self, entry: super::file::ChatEntry) -> Option<crate::spec::ChatSpec> {
        use crate::spec::ChatEvent;
        let span = entry.webhook_env.span();
        let name = entry.webhook_env.into_inner();
        if !is_env_name(&name) {
            return self.fail(
                span,
                format!(
                    "webhook_env = \"{name}\" is not an environment variable's name; expected \
                     one like \"WARROOM_CHAT_WEBHOOK\" (the URL itself never goes in the plan)"
                ),
            );
        }
        let mut events = Vec::new();
        match entry.events {
            None => events.extend(ChatEvent::ALL),
            Some(names) => {
                for n in names {
                    let span = n.span();
                    match ChatEvent::ALL.iter().find(|e| e.name() == n.get_ref()) {
                        Some(e) => events.push(*e),
                        None => {
                            let known: Vec<&str> =
                                ChatEvent::ALL.iter().map(|e| e.name()).collect();
                            self.fail::<()>(
                                span,
                                format!(
                                    "unknown chat event \"{}\"; expected one of {}",
                                    n.get_ref(),
                                    known.join(", ")
                                ),
                            );
                            return None;
                        }
                    }
                }
            }
        }
        events.sort();
        events.dedup();
        Some(crate::spec::ChatSpec {
            webhook_env: name,
            events,
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
            toml::Value::Datetime(dt) if dt.time.is_none() => self.fail(
                span,
                format!("{dt} is a date without a time; {DEPLOY_AT_EXPECTED}"),
            ),
            toml::Value::Datetime(dt) => self.fail(
                span,
                format!("date-time {dt} has no offset; {DEPLOY_AT_EXPECTED}"),
            ),
            other => {
                let kind = other.type_str();
                self.fail(
                    span,
                    format!(
                        "deploy_at is {} {kind}; {DEPLOY_AT_EXPECTED}",
                        article(kind)
                    ),
                )
            }
        };
        let watch_for = match entry.watch_for {
            Some(w) => self.bounded_duration("watch_for", &w, MAX_WATCH),
            None => Some(DEFAULT_WATCH),
        };
        let check_in_every = match &entry.check_in_every {
            Some(text) => {
                match self.bounded_duration("check_in_every", text, night::MAX_CHECK_IN) {
                    Some(d) if d < night::MIN_CHECK_IN => self.fail(
                        text.span(),
                        format!(
                            "check_in_every \"{}\" is too short; expected at least 1m",
                            text.get_ref()
                        ),
                    ),
                    Some(d) => Some(Some(d)),
                    None => None,
                }
            }
            None => Some(None),
        };
        let (deploy_at, zone) = deploy?;
        let mut schedule = Schedule {
            deploy_at,
            zone,
            watch_for: watch_for?,
            milestones: Vec::new(),
            check_in_every: check_in_every?,
            check_ins_until: deploy_at,
        };
        // Check-ins run on from the end of the watch, however long it is.
        schedule.check_ins_until = schedule
            .watch_until(None)
            .checked_add_signed(night::DEFAULT_CHECK_INS_FOR)
            .unwrap_or(chrono::DateTime::<chrono::Utc>::MAX_UTC);
        let list_at = match &entry.list_at {
            Some(text) => Some(self.moment(text, Some(&schedule), Toward::Before)?),
            None => None,
        };
        if let Some(text) = &entry.check_ins_until {
            let until = self.moment(text, Some(&schedule), Toward::After)?;
            if until <= schedule.watch_until(None) {
                return self.fail(
                    text.span(),
                    format!(
                        "check_ins_until \"{}\" is not after the watch window; expected a time after {}",
                        text.get_ref(),
                        schedule.zone.at(schedule.watch_until(None)).format("%a %H:%M")
                    ),
                );
            }
            schedule.check_ins_until = until;
        }
        Some(Release {
            name: entry.name,
            schedule,
            list_at,
        })
    }

    fn duration(&mut self, text: &Spanned<String>) -> Option<Duration> {
        self.ok(text.span(), parse_duration(text.get_ref()))
    }

    fn bounded_duration(
        &mut self,
        name: &str,
        text: &Spanned<String>,
        (max, max_text): (Duration, &str),
    ) -> Option<Duration> {
        let d = self.duration(text)?;
        if d > max {
            return self.fail(
                text.span(),
                format!(
                    "{name} \"{}\" is too long; expected at most {max_text}",
                    text.get_ref()
                ),
            );
        }
        Some(d)
    }
}

/// Remembers where each id (or metric name) was first seen, to point at both
/// places of a duplicate.
struct IdRegister {
    what: &'static str,
    /// Metrics are told apart by a free-form name, the rest by an id.
    by_name: bool,
    seen: HashMap<String, usize>,
}

impl IdRegister {
    fn ids(what: &'static str) -> Self {
        IdRegister {
            what,
            by_name: false,
            seen: HashMap::new(),
        }
    }

    fn names(what: &'static str) -> Self {
        IdRegister {
            by_name: true,
            ..IdRegister::ids(what)
        }
    }

    fn register(&mut self, id: &Spanned<String>, check: &mut Checker<'_>) -> bool {
        let text = id.get_ref();
        let noun = if self.by_name { "name" } else { "id" };
        let malformed = if self.by_name {
            text.trim()
                .is_empty()
                .then(|| format!("{} name is empty; expected a name", self.what))
        } else {
            let valid = !text.is_empty()
                && text
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c));
            (!valid).then(|| {
                format!(
                    "{} id \"{text}\" is not valid; expected letters, digits, '-', '_' or '.'",
                    self.what
                )
            })
        };
        if let Some(message) = malformed {
            check.fail::<()>(id.span(), message);
            return false;
        }
        if let Some(&first) = self.seen.get(text) {
            let first = check.loc.problem(Some(first..first), "");
            check.fail::<()>(
                id.span(),
                format!(
                    "duplicate {} {noun} \"{text}\" (first at line {}, column {}); expected each {noun} once",
                    self.what, first.line, first.column
                ),
            );
            return false;
        }
        self.seen.insert(text.clone(), id.span().start);
        true
    }
}

/// An environment variable's name: letters, digits and `_`, not starting
/// with a digit.
fn is_env_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}
