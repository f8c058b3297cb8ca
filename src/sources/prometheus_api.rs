//! The Prometheus HTTP API's answers, turned into samples or a reason a
//! person can act on. Pure: bytes in, samples or an error out.

use chrono::{DateTime, Utc};
use serde::Deserialize;

use crate::metrics::Sample;

/// Why a source gave no sample, in the words shown on screen. Never holds a
/// URL or a credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SourceError {
    #[error("{0}")]
    Transport(String),
    /// An error the API reports, with its type (`bad_data`, `timeout`, …).
    #[error("{kind}: {message}")]
    Api { kind: String, message: String },
    #[error("{0}")]
    Answer(String),
    #[error("environment variable {0} is not set")]
    MissingSecret(String),
}

#[derive(Deserialize)]
struct Envelope {
    status: String,
    data: Option<Data>,
    #[serde(rename = "errorType")]
    error_type: Option<String>,
    error: Option<String>,
}

#[derive(Deserialize)]
#[serde(tag = "resultType", content = "result", rename_all = "lowercase")]
enum Data {
    Vector(Vec<Series>),
    Matrix(Vec<Series>),
    Scalar((f64, String)),
    String(serde::de::IgnoredAny),
}

#[derive(Deserialize)]
struct Series {
    #[serde(default)]
    value: Option<(f64, String)>,
    #[serde(default)]
    values: Vec<(f64, String)>,
    /// A native histogram's sample (instant) or samples (range).
    #[serde(default)]
    histogram: Option<serde::de::IgnoredAny>,
    #[serde(default)]
    histograms: Option<serde::de::IgnoredAny>,
}

/// The samples of an answer: one for an instant query, many for a range.
/// An answer with several series is refused: a chart line is one series.
pub fn samples(status: u16, body: &[u8]) -> Result<Vec<Sample>, SourceError> {
    let envelope: Envelope = serde_json::from_slice(body).map_err(|_| {
        let start = String::from_utf8_lossy(&body[..body.len().min(200)]).to_lowercase();
        let what = if start.contains("<html") || start.contains("<!doctype") {
            "an HTML page"
        } else {
            "something else"
        };
        SourceError::Answer(format!(
            "HTTP {status} with {what}, not a Prometheus API answer (is the URL the server's?)"
        ))
    })?;
    if envelope.status != "success" {
        return Err(SourceError::Api {
            kind: envelope
                .error_type
                .unwrap_or_else(|| format!("HTTP {status}")),
            message: envelope.error.unwrap_or_else(|| "no message".into()),
        });
    }
    let points: Vec<(f64, String)> = match envelope.data {
        None => return Err(SourceError::Answer("an answer without data".into())),
        Some(Data::Scalar(p)) => vec![p],
        Some(Data::String(_)) => {
            return Err(SourceError::Answer(
                "the query returns a string; expected a number".into(),
            ));
        }
        Some(Data::Vector(series) | Data::Matrix(series)) => match series.len() {
            0 => return Err(SourceError::Answer("the query returns no data".into())),
            1 if series
                .iter()
                .any(|s| s.histogram.is_some() || s.histograms.is_some()) =>
            {
                return Err(SourceError::Answer(
                    "the query returns a native histogram; expected a number (take a quantile, e.g. histogram_quantile(0.95, ...))".into(),
                ));
            }
            1 => {
                let s = series.into_iter().next().map(|s| (s.value, s.values));
                match s {
                    Some((Some(v), _)) => vec![v],
                    Some((None, values)) => values,
                    None => Vec::new(),
                }
            }
            n => {
                return Err(SourceError::Answer(format!(
                    "the query returns {n} series; expected one (aggregate it, e.g. sum(...))"
                )));
            }
        },
    };
    let mut out = Vec::with_capacity(points.len());
    let mut not_numbers = 0;
    for (t, v) in points {
        let value: f64 = v.parse().unwrap_or(f64::NAN);
        let at = DateTime::<Utc>::from_timestamp_millis((t * 1000.0).round() as i64);
        match at {
            Some(at) if value.is_finite() => out.push(Sample { at, value }),
            _ => not_numbers += 1,
        }
    }
    if out.is_empty() && not_numbers > 0 {
        return Err(SourceError::Answer(
            "the query returns NaN or infinity, not a number".into(),
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(r: Result<Vec<Sample>, SourceError>) -> Result<Vec<f64>, String> {
        r.map(|s| s.iter().map(|s| s.value).collect())
            .map_err(|e| e.to_string())
    }

    #[test]
    fn answers_and_what_they_give() {
        type Case = (u16, &'static str, Result<Vec<f64>, &'static str>);
        let cases: [Case; 10] = [
            (
                200,
                r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000.5,"212.5"]}]}}"#,
                Ok(vec![212.5]),
            ),
            (
                200,
                r#"{"status":"success","data":{"resultType":"scalar","result":[1700000000,"3"]}}"#,
                Ok(vec![3.0]),
            ),
            (
                200,
                r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1700000000,"1"],[1700000001,"NaN"],[1700000002,"2"]]}]}}"#,
                Ok(vec![1.0, 2.0]),
            ),
            (
                200,
                r#"{"status":"success","data":{"resultType":"vector","result":[]}}"#,
                Err("the query returns no data"),
            ),
            (
                200,
                r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"histogram":[1,{"count":"10","sum":"2","buckets":[[0,"0.1","0.2","10"]]}]}]}}"#,
                Err(
                    "the query returns a native histogram; expected a number (take a quantile, e.g. histogram_quantile(0.95, ...))",
                ),
            ),
            (
                200,
                r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{"a":"1"},"value":[1,"1"]},{"metric":{"a":"2"},"value":[1,"2"]}]}}"#,
                Err("the query returns 2 series; expected one (aggregate it, e.g. sum(...))"),
            ),
            (
                200,
                r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"+Inf"]}]}}"#,
                Err("the query returns NaN or infinity, not a number"),
            ),
            (
                400,
                r#"{"status":"error","errorType":"bad_data","error":"invalid parameter \"query\": 1:5: parse error"}"#,
                Err("bad_data: invalid parameter \"query\": 1:5: parse error"),
            ),
            (
                502,
                "<html><body>Bad Gateway</body></html>",
                Err(
                    "HTTP 502 with an HTML page, not a Prometheus API answer (is the URL the server's?)",
                ),
            ),
            (
                200,
                r#"{"status":"success","data":{"resultType":"string","result":[1,"x"]}}"#,
                Err("the query returns a string; expected a number"),
            ),
        ];
        for (status, body, expected) in cases {
            let expected = expected.map_err(str::to_string);
            assert_eq!(values(samples(status, body.as_bytes())), expected, "{body}");
        }
    }
}
