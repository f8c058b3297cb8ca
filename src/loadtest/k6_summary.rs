//! k6's end-of-test summary as `--summary-export` writes it: one JSON
//! document, indented, `{"root_group": {..}, "metrics": {"name": {..}}}`.
//! A trend metric holds the `--summary-trend-stats` the test ran with
//! (`avg`, `min`, `med`, `max`, `p(90)`, `p(95)` by default; k6 interpolates
//! its percentiles between samples); a counter its `count` and its `rate`,
//! per second of the whole run; a rate metric `passes` (samples that were
//! true), `fails` and `value` (k6's `internal/js/summary.go`,
//! `metricValueGetter`, and `summary-wrapper.js`, `oldJSONSummary`). In
//! `http_req_failed` true means failed, so its passes are the failed
//! requests.
//!
//! k6's newer `--new-machine-readable-summary` export is another document
//! (`version`, `config`, `results`) and is not read here.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;

use super::error::{Place, ResultError, json_message, json_place, offset_in};
use super::summary::{Latency, Summary, Throughput};

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The keys a summary export starts with: k6 builds it from a map, so any
/// of them can come first. k6's JSON lines start with `type` or `metric`.
const EXPORT_KEYS: [&[u8]; 3] = [b"root_group", b"metrics", b"setup_data"];

#[derive(Deserialize)]
struct Export<'a> {
    #[serde(borrow, default)]
    metrics: Option<&'a RawValue>,
}

/// The three metrics read, each kept raw to be placed if it does not read.
#[derive(Deserialize)]
struct Metrics<'a> {
    #[serde(borrow, default)]
    http_reqs: Option<&'a RawValue>,
    #[serde(borrow, default)]
    http_req_duration: Option<&'a RawValue>,
    #[serde(borrow, default)]
    http_req_failed: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Counter {
    count: Option<f64>,
    rate: Option<f64>,
}

#[derive(Deserialize)]
struct Rate {
    passes: Option<f64>,
}

#[derive(Deserialize)]
struct Trend {
    avg: Option<f64>,
    med: Option<f64>,
    max: Option<f64>,
    #[serde(rename = "p(90)")]
    p90: Option<f64>,
    #[serde(rename = "p(95)")]
    p95: Option<f64>,
    #[serde(rename = "p(99)")]
    p99: Option<f64>,
}

/// Whether a file starting with `first` is a summary export rather than
/// `--out json` lines: both start with `{`, but not with the same key.
pub fn is_summary_export(first: &[u8]) -> bool {
    let first = first.strip_prefix(BOM).unwrap_or(first);
    let Some(rest) = first.trim_ascii_start().strip_prefix(b"{") else {
        return false;
    };
    let Some(key) = rest.trim_ascii_start().strip_prefix(b"\"") else {
        return false;
    };
    key.iter()
        .position(|b| *b == b'"')
        .is_some_and(|end| EXPORT_KEYS.contains(&&key[..end]))
}

/// The summary of a k6 test from its summary export.
pub fn read(bytes: &[u8]) -> Result<Summary, ResultError> {
    let json = bytes.strip_prefix(BOM).unwrap_or(bytes);
    // serde would take a list for a struct, its fields in order.
    if !json.trim_ascii_start().starts_with(b"{") {
        let blank = json.len() - json.trim_ascii_start().len();
        return Err(Place::START
            .after(&json[..blank])
            .error("expected a k6 --summary-export document, a JSON object"));
    }
    let export = serde_json::from_slice::<Export>(json).map_err(|e| {
        json_place(json, &e).error(format!(
            "expected a k6 --summary-export document; {}",
            json_message(&e)
        ))
    })?;
    let Some(metrics_raw) = export.metrics else {
        return Err(Place::START
            .error("expected a k6 --summary-export document, with \"metrics\", found none"));
    };
    let metrics: Metrics = parse(json, metrics_raw, "metrics")?;

    let (reqs, reqs_at) = metric::<Counter>(json, metrics_raw, metrics.http_reqs, "http_reqs")?;
    let count = number(reqs.count, "http_reqs", "count", reqs_at)?;
    let rate = number(reqs.rate, "http_reqs", "rate", reqs_at)?;
    let (failed, failed_at) = metric::<Rate>(
        json,
        metrics_raw,
        metrics.http_req_failed,
        "http_req_failed",
    )?;
    let failed = number(failed.passes, "http_req_failed", "passes", failed_at)?;
    let (took, took_at) = metric::<Trend>(
        json,
        metrics_raw,
        metrics.http_req_duration,
        "http_req_duration",
    )?;
    let ms = |value: Option<f64>, stat: &str| {
        number(value, "http_req_duration", stat, took_at).map(f64::ceil)
    };
    if took.p99.is_none() {
        return Err(took_at.error(
            "expected p(99) in metrics.http_req_duration, found none: run k6 with \
             --summary-trend-stats \"avg,min,med,max,p(90),p(95),p(99)\"",
        ));
    }
    let latency_ms = Latency {
        avg: ms(took.avg, "avg")?,
        p50: ms(took.med, "med")? as u64,
        p90: ms(took.p90, "p(90)")? as u64,
        p95: ms(took.p95, "p(95)")? as u64,
        p99: ms(took.p99, "p(99)")? as u64,
        max: ms(took.max, "max")? as u64,
    };

    let samples = count.round() as u64;
    let errors = failed.round() as u64;
    Ok(Summary {
        samples,
        errors,
        error_rate: 100.0 * errors as f64 / samples.max(1) as f64,
        timeouts: None,
        // k6's rate is the count over the whole run.
        duration_s: if rate > 0.0 { count / rate } else { 0.0 },
        started: None,
        latency_ms,
        tps: Throughput {
            avg: rate,
            peak: None,
        },
        codes: BTreeMap::new(),
        labels: BTreeMap::new(),
        percentiles: "k6's own (interpolated), rounded up to whole milliseconds".to_string(),
        // The export has no seconds to chart.
        timeline: Vec::new(),
    })
}

/// Where `raw`, a part of `json`, starts.
fn place_of(json: &[u8], raw: &RawValue) -> Place {
    let at = offset_in(json, raw.get().as_bytes()).unwrap_or(0);
    Place::START.after(&json[..at])
}

/// `raw` read as a `T`; an error is placed at its start.
fn parse<'a, T: Deserialize<'a>>(
    json: &[u8],
    raw: &'a RawValue,
    name: &str,
) -> Result<T, ResultError> {
    let at = || place_of(json, raw);
    if !raw.get().starts_with('{') {
        return Err(at().error(format!("expected {name} as a JSON object")));
    }
    serde_json::from_str(raw.get()).map_err(|e| {
        at().error(format!(
            "expected {name} as k6 writes it; {}",
            json_message(&e)
        ))
    })
}

/// The metric `name` of the summary, and where it is.
fn metric<T: for<'a> Deserialize<'a>>(
    json: &[u8],
    metrics: &RawValue,
    raw: Option<&RawValue>,
    name: &str,
) -> Result<(T, Place), ResultError> {
    let Some(raw) = raw else {
        let why = match name {
            "http_req_failed" => {
                " (k6 counts failed requests there unless the script set no response callback)"
            }
            _ => " (did the test make no HTTP request?)",
        };
        return Err(
            place_of(json, metrics).error(format!("expected metrics.{name}, found none{why}"))
        );
    };
    Ok((
        parse(json, raw, &format!("metrics.{name}"))?,
        place_of(json, raw),
    ))
}

/// A stat of a metric: a number, not negative.
fn number(value: Option<f64>, metric: &str, stat: &str, at: Place) -> Result<f64, ResultError> {
    match value {
        Some(v) if v.is_finite() && v >= 0.0 => Ok(v),
        Some(v) => Err(at.error(format!(
            "expected {stat} in metrics.{metric} as a number from 0, found {v}"
        ))),
        None => Err(at.error(format!("expected {stat} in metrics.{metric}, found none"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An export as k6 writes one, run with p(99) among the trend stats.
    const EXPORT: &str = r#"{
    "root_group": {
        "name": "",
        "path": "",
        "id": "d41d8cd98f00b204e9800998ecf8427e",
        "groups": {},
        "checks": {}
    },
    "metrics": {
        "iterations": {
            "count": 900000,
            "rate": 2999.7
        },
        "http_req_duration": {
            "avg": 201.5,
            "min": 12.1,
            "med": 198,
            "max": 512.3,
            "p(90)": 290.1,
            "p(95)": 310.2,
            "p(99)": 480.01,
            "thresholds": {
                "p(95)<500": false
            }
        },
        "http_reqs": {
            "count": 900000,
            "rate": 2999.7
        },
        "http_req_failed": {
            "passes": 2700,
            "fails": 897300,
            "thresholds": {
                "rate<0.01": false
            },
            "value": 0.003
        }
    }
}"#;

    #[test]
    fn reads_k6_s_own_figures_rounded_up_to_whole_milliseconds() {
        let summary = read(EXPORT.as_bytes()).unwrap();
        assert_eq!(
            summary,
            Summary {
                samples: 900_000,
                errors: 2700,
                error_rate: 0.3,
                timeouts: None,
                duration_s: 900_000.0 / 2999.7,
                started: None,
                latency_ms: Latency {
                    avg: 202.0,
                    p50: 198,
                    p90: 291,
                    p95: 311,
                    p99: 481,
                    max: 513,
                },
                tps: Throughput {
                    avg: 2999.7,
                    peak: None,
                },
                codes: BTreeMap::new(),
                labels: BTreeMap::new(),
                percentiles: "k6's own (interpolated), rounded up to whole milliseconds"
                    .to_string(),
                timeline: Vec::new(),
            }
        );
        // 300.03 s, the run k6 measured.
        assert_eq!((summary.duration_s * 100.0).round(), 30003.0);
    }

    #[test]
    fn without_p99_it_says_how_to_run_k6() {
        let export = EXPORT.replace("\"p(99)\": 480.01,", "");
        assert_eq!(
            read(export.as_bytes()).unwrap_err().to_string(),
            "line 14, column 30: expected p(99) in metrics.http_req_duration, found none: run k6 \
             with --summary-trend-stats \"avg,min,med,max,p(90),p(95),p(99)\""
        );
    }

    #[test]
    fn a_missing_metric_or_a_document_that_is_no_export_says_so() {
        let error = |text: &str| read(text.as_bytes()).unwrap_err().to_string();
        assert_eq!(
            error(&EXPORT.replace("\"http_reqs\"", "\"http_reqz\"")),
            "line 9, column 16: expected metrics.http_reqs, found none (did the test make no HTTP request?)"
        );
        assert_eq!(
            error(&EXPORT.replace("\"passes\": 2700,", "")),
            "line 30, column 28: expected passes in metrics.http_req_failed, found none"
        );
        assert_eq!(
            error(&EXPORT.replace("\"count\": 900000,\n            \"rate\": 2999.7\n        },\n        \"http_req_failed\"", "\"count\": -1,\n            \"rate\": 2999.7\n        },\n        \"http_req_failed\"")),
            "line 26, column 22: expected count in metrics.http_reqs as a number from 0, found -1"
        );
        assert_eq!(
            error("{\"metrics\": {\"http_reqs\": [1, 2]}}"),
            "line 1, column 27: expected metrics.http_reqs as a JSON object"
        );
        assert_eq!(
            error("{\"root_group\": {}}"),
            "line 1, column 1: expected a k6 --summary-export document, with \"metrics\", found none"
        );
        assert_eq!(
            error("{\n  \"metrics\": {\n    \"http_reqs\": {\"count\": 1,}\n  }\n}"),
            "line 3, column 30: expected a k6 --summary-export document; key must be a string"
        );
        assert_eq!(
            error("[1]"),
            "line 1, column 1: expected a k6 --summary-export document, a JSON object"
        );
    }

    #[test]
    fn an_export_is_told_from_json_lines_by_its_first_key() {
        assert!(is_summary_export(EXPORT.as_bytes()));
        assert!(is_summary_export(b"\xEF\xBB\xBF\n{\n    \"metrics\": {"));
        assert!(is_summary_export(b"{\"setup_data\":"));
        assert!(!is_summary_export(
            br#"{"type":"Metric","data":{"name":"http_req_duration"}}"#
        ));
        assert!(!is_summary_export(
            br#"{"metric":"http_reqs","type":"Point","data":{}}"#
        ));
        assert!(!is_summary_export(b"{\n    \"root_gr"));
        assert!(!is_summary_export(b"[]"));
        assert!(!is_summary_export(b""));
    }
}
