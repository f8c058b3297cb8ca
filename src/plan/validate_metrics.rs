//! Validation of the plan's metrics, their sources, and the gate's rules.

use std::time::Duration;

use toml::Spanned;

use super::{Checker, DEFAULT_INTERVAL, IdRegister, MAX_INTERVAL, MAX_WATCH, MIN_INTERVAL};
use crate::domain::gate::GateRules;
use crate::metrics::Limits;
use crate::plan::file::{
    GateEntry, HttpJsonEntry, MetricEntry, ProbeEntry, PrometheusEntry, SourceEntry,
};
use crate::plan::{HttpJsonSpec, MetricSpec, ProbeSpec, PrometheusSpec, SourceSpec};

impl Checker<'_> {
    pub(super) fn gate(&mut self, entry: Option<GateEntry>) -> Option<GateRules> {
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
            unread: e.unread.unwrap_or(defaults.unread),
            metrics_window,
            metrics_hold,
        })
    }

    /// `hold` is the gate's: how long crit must hold where a metric does not say.
    pub(super) fn metrics(
        &mut self,
        entries: Vec<MetricEntry>,
        hold: Duration,
    ) -> Option<Vec<MetricSpec>> {
        let mut names = IdRegister::names("metric");
        let mut ok = true;
        let mut out = Vec::new();
        for entry in entries {
            ok &= names.register(&entry.name, self);
            match self.metric(entry, hold) {
                Some(m) => out.push(m),
                None => ok = false,
            }
        }
        ok.then_some(out)
    }

    /// Checks every part of a metric, so one run reports all its problems.
    fn metric(&mut self, entry: MetricEntry, default_hold: Duration) -> Option<MetricSpec> {
        let hold = match &entry.hold {
            Some(h) => self.bounded_duration("hold", h, MAX_WATCH),
            None => Some(default_hold),
        };
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
            SourceEntry::Jtl(j) | SourceEntry::K6(j) => SourceSpec::Jtl {
                path: j.path.into(),
                signal: j.signal,
                late: match &j.late {
                    Some(l) => Some(self.bounded_duration("late", l, MAX_INTERVAL)?),
                    None => None,
                },
            },
        };
        let unit = match &entry.unit {
            Some(u) => self.unit(u),
            None => Some(String::new()),
        };
        Some(MetricSpec {
            name: entry.name.into_inner(),
            unit: unit?,
            source,
            interval: interval?,
            limits: limits_ok.then_some(Limits { warn, crit })?,
            hold: hold?,
            bell: entry.bell.unwrap_or(true),
            gate: entry.gate.unwrap_or(true),
            counts: entry.counts.unwrap_or(false),
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
        for (name, env) in &h.headers_env {
            if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
                return self.fail(
                    h.url.span(),
                    format!("\"{name}\" is not an HTTP header name"),
                );
            }
            if !is_env_name(env) {
                return self.fail(h.url.span(), not_env_name(&format!("headers_env.{name}")));
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
        for (key, env) in [
            ("token_env", &p.token_env),
            ("user_env", &p.user_env),
            ("password_env", &p.password_env),
        ] {
            if env.as_deref().is_some_and(|e| !is_env_name(e)) {
                return self.fail(p.url.span(), not_env_name(key));
            }
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

    /// A unit is drawn after every value, in charts, reports and posts: a
    /// few printable characters (`ms`, `%`, `req/s`), never markup or
    /// control characters.
    fn unit(&mut self, unit: &Spanned<String>) -> Option<String> {
        let text = unit.get_ref();
        let printable = text
            .chars()
            .all(|c| !crate::outside::is_hostile(c) && !"<>|`*[]\\#".contains(c));
        if printable && text.chars().count() <= MAX_UNIT {
            Some(text.clone())
        } else {
            self.fail(
                unit.span(),
                format!(
                    "unit \"{}\" is not a unit; expected up to {MAX_UNIT} printable characters like ms, % or req/s",
                    crate::outside::shown(text)
                ),
            )
        }
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

/// The longest unit: it follows every value drawn.
const MAX_UNIT: usize = 16;

/// Whether `text` can be an environment variable's name: letters, digits
/// and `_`, not starting with a digit.
fn is_env_name(text: &str) -> bool {
    let mut chars = text.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Said without the value: a secret pasted where its variable's name
/// belongs must not be echoed to the screen that reads the error.
fn not_env_name(key: &str) -> String {
    format!(
        "{key} is not the name of an environment variable (a secret pasted in its place?); expected a name like PROM_TOKEN"
    )
}
