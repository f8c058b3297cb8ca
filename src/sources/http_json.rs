//! Any HTTP endpoint that answers JSON: GET it every interval and take the
//! number a JSON pointer names. Headers (a token, say) come from environment
//! variables the plan names.

use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use super::Reading;
use super::http::{self, timeout_for};
use super::prometheus_api::SourceError;
use crate::metrics::{Health, MetricId, Sample};
use crate::spec::HttpJsonSpec;

pub struct HttpJson {
    client: reqwest::Client,
    url: String,
    pointer: String,
    headers: Vec<(String, String)>,
    timeout: Duration,
}

impl HttpJson {
    pub fn new(spec: &HttpJsonSpec, timeout: Duration) -> Result<HttpJson, SourceError> {
        let headers = spec
            .headers_env
            .iter()
            .map(|(name, env)| {
                std::env::var(env)
                    .inspect(|value| {
                        crate::outside::keep_secret(value);
                        // `Bearer abc…`: a server may echo the token alone.
                        if let Some((_, token)) = value.split_once(' ') {
                            crate::outside::keep_secret(token.trim());
                        }
                    })
                    .map(|value| (name.clone(), value))
                    .map_err(|_| SourceError::MissingSecret(env.clone()))
            })
            .collect::<Result<_, _>>()?;
        Ok(HttpJson {
            client: http::client(timeout)?,
            url: spec.url.clone(),
            pointer: spec.pointer.clone(),
            headers,
            timeout,
        })
    }

    pub async fn read(&self) -> Result<Sample, SourceError> {
        let mut request = self.client.get(&self.url);
        for (name, value) in &self.headers {
            request = request.header(name, value);
        }
        let (status, body) = http::fetch(request, self.timeout).await?;
        let value = value_at(status, &body, &self.pointer)?;
        Ok(Sample {
            at: Utc::now(),
            value,
        })
    }
}

/// The number at `pointer` in a JSON answer, or why there is none.
pub fn value_at(status: u16, body: &[u8], pointer: &str) -> Result<f64, SourceError> {
    if !(200..300).contains(&status) {
        return Err(SourceError::Answer(format!("HTTP {status}")));
    }
    let json: serde_json::Value = serde_json::from_slice(body).map_err(|_| {
        let start = String::from_utf8_lossy(&body[..body.len().min(200)]).to_lowercase();
        let what = if start.contains("<html") || start.contains("<!doctype") {
            "an HTML page"
        } else {
            "something else"
        };
        SourceError::Answer(format!("HTTP {status} with {what}, not JSON"))
    })?;
    let found = json
        .pointer(pointer)
        .ok_or_else(|| SourceError::Answer(format!("nothing at {pointer} in the answer")))?;
    let value = match found {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    };
    match value {
        Some(v) if v.is_finite() => Ok(v),
        _ => Err(SourceError::Answer(format!(
            "the value at {pointer} is {}; expected a number",
            kind(found)
        ))),
    }
}

fn kind(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Null => "null".into(),
        serde_json::Value::Bool(b) => format!("{b}"),
        serde_json::Value::Number(n) => format!("{n}"),
        serde_json::Value::String(s) => {
            format!("the text \"{}\"", s.chars().take(40).collect::<String>())
        }
        serde_json::Value::Array(a) => format!("a list of {}", a.len()),
        serde_json::Value::Object(_) => "an object".into(),
    }
}

pub async fn run(id: MetricId, spec: HttpJsonSpec, interval: Duration, tx: mpsc::Sender<Reading>) {
    let source = match HttpJson::new(&spec, timeout_for(interval)) {
        Ok(s) => s,
        Err(e) => {
            let _ = tx.send(Reading::Health(id, Health::down(e))).await;
            return;
        }
    };
    let source = &source;
    http::poll(id, interval, tx, |_| async move {
        source.read().await.map(|s| vec![s])
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_and_reasons() {
        let cases: [(u16, &str, &str, Result<f64, &str>); 8] = [
            (
                200,
                r#"{"latency":{"p95":212.5}}"#,
                "/latency/p95",
                Ok(212.5),
            ),
            (200, r#"{"rate":"0.003"}"#, "/rate", Ok(0.003)),
            (200, "42", "", Ok(42.0)),
            (
                200,
                r#"{"latency":{}}"#,
                "/latency/p95",
                Err("nothing at /latency/p95 in the answer"),
            ),
            (
                200,
                r#"{"p95":[1,2]}"#,
                "/p95",
                Err("the value at /p95 is a list of 2; expected a number"),
            ),
            (
                200,
                r#"{"p95":"n/a"}"#,
                "/p95",
                Err("the value at /p95 is the text \"n/a\"; expected a number"),
            ),
            (
                200,
                "<html>login</html>",
                "/p95",
                Err("HTTP 200 with an HTML page, not JSON"),
            ),
            (503, r#"{"p95":1}"#, "/p95", Err("HTTP 503")),
        ];
        for (status, body, pointer, expected) in cases {
            let got = value_at(status, body.as_bytes(), pointer).map_err(|e| e.to_string());
            assert_eq!(got, expected.map_err(str::to_string), "{body}");
        }
    }
}
