//! From plan text to a `Plan`, or every problem found, each with its place.

use std::collections::HashMap;
use std::time::Duration;

use toml::Spanned;

use super::error::{Locator, PlanError, Problem};
use super::file::{
    ChecklistEntryFile, GateEntry, HttpJsonEntry, ItemEntry, MetricEntry, PlanFile, ProbeEntry,
    PrometheusEntry, RiskEntry, SourceEntry,
};
use super::time::{DEPLOY_AT_EXPECTED, parse_deploy_at, parse_duration};
use super::{HttpJsonSpec, MetricSpec, Plan, ProbeSpec, PrometheusSpec, Release, SourceSpec};
use crate::domain::gate::GateRules;
use crate::domain::{ChecklistEntry, ReleaseItem, Risk, Schedule, item};
use crate::metrics::Limits;

const DEFAULT_WATCH: Duration = Duration::from_secs(50 * 60);
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);
const MIN_INTERVAL: Duration = Duration::from_millis(100);
/// Bounds that keep every later date computation in range and every chart
/// with more than a handful of points.
const MAX_INTERVAL: (Duration, &str) = (Duration::from_secs(10 * 60), "10m");
const MAX_WATCH: (Duration, &str) = (Duration::from_secs(7 * 24 * 3600), "7d");
const MAX_RECOVERY: (Duration, &str) = (item::MAX_RECOVERY, item::MAX_RECOVERY_TEXT);
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

/// toml and serde speak of fields, variants and Rust types; say keys, values
/// and what to write instead, on one line.
fn toml_message(message: &str) -> String {
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
        let gate = self.gate(file.gate);
        Some(Plan {
            release: release?,
            items: items?,
            checklist: checklist?,
            metrics: metrics?,
            gate: gate?,
        })
    }

    fn gate(&mut self, entry: Option<GateEntry>) -> Option<GateRules> {
        let defaults = GateRules::default();
        let Some(e) = entry else {
            return Some(defaults);
        };
        let metrics_window = match &e.metrics_window {
            Some(w) => self.bounded_duration("metrics_window", w, MAX_WATCH)?,
            None => defaults.metrics_window,
        };
        let metrics_hold = match &e.metrics_hold {
            Some(h) => self.bounded_duration("metrics_hold", h, MAX_WATCH)?,
            None => defaults.metrics_hold,
        };
        Some(GateRules {
            checklist: e.checklist.unwrap_or(defaults.checklist),
            pass_from: e.pass_from.unwrap_or(defaults.pass_from),
            untested: e.untested.unwrap_or(defaults.untested),
            untested_below: e.untested_below.unwrap_or(defaults.untested_below),
            failed: e.failed.unwrap_or(defaults.failed),
            metrics: e.metrics.unwrap_or(defaults.metrics),
            metrics_window,
            metrics_hold,
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

    fn items(&mut self, entries: Option<Spanned<Vec<ItemEntry>>>) -> Option<Vec<ReleaseItem>> {
        let span = entries.as_ref().map(Spanned::span);
        let Some(entries) = entries.filter(|e| !e.get_ref().is_empty()) else {
            self.problems.push(self.loc.problem(
                span,
                "the plan has no [[items]]; expected at least one release item",
            ));
            return None;
        };
        let mut ids = IdRegister::ids("item");
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
        let recovery = self.bounded_duration("risk recovery", &entry.recovery, MAX_RECOVERY);
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
        let mut ids = IdRegister::ids("checklist");
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
        let mut names = IdRegister::names("metric");
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

    /// Checks every part of a metric, so one run reports all its problems.
    fn metric(&mut self, entry: MetricEntry) -> Option<MetricSpec> {
        let interval = match &entry.interval {
            Some(text) => self
                .bounded_duration("interval", text, MAX_INTERVAL)
                .and_then(|d| {
                    if d < MIN_INTERVAL {
                        self.fail(
                            text.span(),
                            format!(
                                "interval \"{}\" is too short; expected at least 100ms",
                                text.get_ref()
                            ),
                        )
                    } else {
                        Some(d)
                    }
                }),
            None => Some(DEFAULT_INTERVAL),
        };
        let warn = entry.warn.as_ref().and_then(|w| self.limit("warn", w));
        let crit = entry.crit.as_ref().and_then(|c| self.limit("crit", c));
        let mut limits_ok =
            entry.warn.is_none() == warn.is_none() && entry.crit.is_none() == crit.is_none();
        if let (Some(w), Some(c), Some(crit_span)) = (warn, crit, entry.crit.as_ref())
            && w >= c
        {
            limits_ok = false;
            self.fail::<()>(
                crit_span.span(),
                format!("crit {c} is not above warn {w}; expected crit > warn"),
            );
        }
        let source = match entry.source {
            SourceEntry::Demo(d) => SourceSpec::Demo {
                signal: d.signal,
                seed: d.seed,
            },
            SourceEntry::Prometheus(p) => SourceSpec::Prometheus(self.prometheus(p)?),
            SourceEntry::HttpJson(h) => SourceSpec::HttpJson(self.http_json(h)?),
            SourceEntry::Probe(p) => SourceSpec::Probe(self.probe(p, interval?)?),
            SourceEntry::Jtl(j) => SourceSpec::Jtl {
                path: j.path.into(),
                signal: j.signal,
            },
        };
        Some(MetricSpec {
            name: entry.name.into_inner(),
            unit: entry.unit,
            source,
            interval: interval?,
            limits: limits_ok.then_some(Limits { warn, crit })?,
        })
    }

    fn probe(&mut self, p: ProbeEntry, interval: Duration) -> Option<ProbeSpec> {
        let url = self.url(&p.url, true)?;
        let calls = match &p.calls {
            Some(c) => match u16::try_from(*c.get_ref()) {
                Ok(n @ 1..=100) => n,
                _ => {
                    return self.fail(
                        c.span(),
                        format!("calls is {}; expected 1 to 100 at once", c.get_ref()),
                    );
                }
            },
            None => 1,
        };
        let timeout = match &p.timeout {
            Some(t) => {
                let d = self.duration(t)?;
                if d >= interval {
                    return self.fail(
                        t.span(),
                        format!(
                            "timeout \"{}\" is not shorter than the interval; a call must end before the next is due",
                            t.get_ref()
                        ),
                    );
                }
                d
            }
            None => crate::sources::http::timeout_for(interval),
        };
        Some(ProbeSpec {
            url,
            signal: p.signal,
            calls,
            timeout,
        })
    }

    fn http_json(&mut self, h: HttpJsonEntry) -> Option<HttpJsonSpec> {
        let url = self.url(&h.url, true)?;
        let pointer = h.pointer.get_ref().trim().to_string();
        if !(pointer.is_empty() || pointer.starts_with('/')) {
            return self.fail(
                h.pointer.span(),
                "expected a JSON pointer like \"/latency/p95\" (or \"\" for the whole answer)",
            );
        }
        for name in h.headers_env.keys() {
            if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return self.fail(
                    h.url.span(),
                    format!("\"{name}\" is not an HTTP header name"),
                );
            }
        }
        Some(HttpJsonSpec {
            url,
            pointer,
            headers_env: h.headers_env.into_iter().collect(),
        })
    }

    /// An http(s) URL without credentials (it may be drawn on a shared
    /// screen); a query only where `query_allowed`.
    fn url(&mut self, text: &Spanned<String>, query_allowed: bool) -> Option<String> {
        let url = text.get_ref().trim().trim_end_matches('/').to_string();
        match reqwest::Url::parse(&url) {
            Ok(u) if !matches!(u.scheme(), "http" | "https") => {
                self.fail(text.span(), "expected an http:// or https:// URL")
            }
            Ok(u) if !u.username().is_empty() || u.password().is_some() => self.fail(
                text.span(),
                "the URL holds credentials; name environment variables for them instead",
            ),
            Ok(u) if !query_allowed && u.query().is_some() => self.fail(
                text.span(),
                "expected the server's base URL, without a query",
            ),
            Ok(_) => Some(url),
            Err(e) => self.fail(
                text.span(),
                format!("bad URL ({e}); expected e.g. \"http://127.0.0.1:9090\""),
            ),
        }
    }

    fn prometheus(&mut self, p: PrometheusEntry) -> Option<PrometheusSpec> {
        let url = self.url(&p.url, false)?;
        if p.query.get_ref().trim().is_empty() {
            return self.fail(p.query.span(), "the query is empty; expected PromQL");
        }
        if p.user_env.is_some() != p.password_env.is_some() {
            return self.fail(
                p.url.span(),
                "basic auth needs both user_env and password_env",
            );
        }
        Some(PrometheusSpec {
            url,
            query: p.query.get_ref().trim().to_string(),
            token_env: p.token_env,
            user_env: p.user_env,
            password_env: p.password_env,
        })
    }

    fn limit(&mut self, name: &str, value: &Spanned<f64>) -> Option<f64> {
        let v = *value.get_ref();
        if v.is_finite() {
            Some(v)
        } else {
            self.fail(
                value.span(),
                format!("{name} is {v}; expected a finite number"),
            )
        }
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
