//! A Prometheus server as a metric source: on start a range query fills the
//! chart window, then an instant query every interval. Each request has a
//! timeout shorter than the interval; failures back off, doubling up to a
//! minute, and the pane says why and when the next try is.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::prometheus_api::{SourceError, samples};
use crate::app::{CHART_WINDOW, Msg};
use crate::metrics::{Health, MetricId, Sample};
use crate::plan::PrometheusSpec;

/// Answers larger than this are refused, not read: a wrong query must not
/// take the war room's memory.
const MAX_BODY: usize = 16 * 1024 * 1024;
/// Prometheus refuses range queries of more points than this per series.
const MAX_POINTS: u32 = 11_000;
const MAX_BACKOFF: Duration = Duration::from_secs(60);

enum Auth {
    None,
    Bearer(String),
    Basic(String, String),
}

pub struct Prometheus {
    client: reqwest::Client,
    base: String,
    query: String,
    auth: Auth,
    timeout: Duration,
}

impl Prometheus {
    /// Reads the secrets the plan names from the environment.
    pub fn new(spec: &PrometheusSpec, timeout: Duration) -> Result<Prometheus, SourceError> {
        let secret = |name: &String| {
            std::env::var(name).map_err(|_| SourceError::MissingSecret(name.clone()))
        };
        let auth = match (&spec.token_env, &spec.user_env, &spec.password_env) {
            (Some(token), _, _) => Auth::Bearer(secret(token)?),
            (None, Some(user), Some(password)) => Auth::Basic(secret(user)?, secret(password)?),
            _ => Auth::None,
        };
        let client = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(timeout)
            .redirect(reqwest::redirect::Policy::limited(3))
            .build()
            .map_err(|e| SourceError::Transport(format!("cannot set up HTTP: {e}")))?;
        Ok(Prometheus {
            client,
            base: spec.url.clone(),
            query: spec.query.clone(),
            auth,
            timeout,
        })
    }

    /// The query's value now.
    pub async fn instant(&self) -> Result<Vec<Sample>, SourceError> {
        self.get("/api/v1/query", &[("query", self.query.clone())])
            .await
    }

    /// The query over `[from, to]`, one point per `step`.
    pub async fn range(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        step: Duration,
    ) -> Result<Vec<Sample>, SourceError> {
        let params = [
            ("query", self.query.clone()),
            (
                "start",
                format!("{:.3}", from.timestamp_millis() as f64 / 1000.0),
            ),
            (
                "end",
                format!("{:.3}", to.timestamp_millis() as f64 / 1000.0),
            ),
            ("step", format!("{:.3}", step.as_secs_f64())),
        ];
        self.get("/api/v1/query_range", &params).await
    }

    async fn get(&self, path: &str, params: &[(&str, String)]) -> Result<Vec<Sample>, SourceError> {
        let mut request = self
            .client
            .get(format!("{}{path}", self.base))
            .query(params);
        request = match &self.auth {
            Auth::None => request,
            Auth::Bearer(token) => request.bearer_auth(token),
            Auth::Basic(user, password) => request.basic_auth(user, Some(password)),
        };
        let mut response = request.send().await.map_err(|e| self.transport(&e))?;
        let status = response.status().as_u16();
        if response
            .content_length()
            .is_some_and(|n| n > MAX_BODY as u64)
        {
            return Err(too_large());
        }
        let mut body = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|e| self.transport(&e))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        samples(status, &body)
    }

    /// A transport failure in words, without the URL (it may be on a shared
    /// screen) and without reqwest's chain of causes.
    fn transport(&self, e: &reqwest::Error) -> SourceError {
        let text = if e.is_timeout() {
            format!("no answer within {}", words(self.timeout))
        } else if e.is_connect() {
            "connection refused".to_string()
        } else if e.is_redirect() {
            "too many redirects".to_string()
        } else if e.is_body() || e.is_decode() {
            "the answer was cut off".to_string()
        } else {
            "the request failed".to_string()
        };
        SourceError::Transport(text)
    }
}

fn too_large() -> SourceError {
    SourceError::Answer(format!(
        "the answer is over {} MB; expected one series",
        MAX_BODY / 1024 / 1024
    ))
}

/// A request must end before the next is due.
pub fn timeout_for(interval: Duration) -> Duration {
    (interval * 4 / 5).clamp(Duration::from_millis(500), Duration::from_secs(10))
}

/// About two points per chart column at 200 columns, never finer than the
/// interval nor more points than the server allows.
pub fn backfill_step(window: Duration, interval: Duration) -> Duration {
    let per_column = window / 400;
    let floor = window / MAX_POINTS;
    per_column
        .max(interval)
        .max(floor)
        .max(Duration::from_millis(100))
}

pub async fn run(id: MetricId, spec: PrometheusSpec, interval: Duration, tx: mpsc::Sender<Msg>) {
    let prometheus = match Prometheus::new(&spec, timeout_for(interval)) {
        Ok(p) => p,
        Err(e) => {
            let _ = tx.send(Msg::Health(id, Health::Down(e.to_string()))).await;
            return;
        }
    };
    let window = CHART_WINDOW.to_std().unwrap_or(Duration::from_secs(300));
    let mut filled = false;
    let mut backoff = interval;
    loop {
        let answer = if filled {
            prometheus.instant().await
        } else {
            let now = Utc::now();
            let from = now - CHART_WINDOW;
            prometheus
                .range(from, now, backfill_step(window, interval))
                .await
        };
        let (health, wait) = match answer {
            Ok(samples) => {
                filled = true;
                backoff = interval;
                if tx.send(Msg::Samples(id, samples)).await.is_err() {
                    return;
                }
                (Health::Ok, interval)
            }
            Err(e) => {
                let wait = backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                (
                    Health::Down(format!("{e}, retrying in {}", words(wait))),
                    wait,
                )
            }
        };
        if tx.send(Msg::Health(id, health)).await.is_err() {
            return;
        }
        tokio::time::sleep(wait).await;
    }
}

/// `800 ms`, `8 s`, `1 min`.
fn words(d: Duration) -> String {
    match d.as_millis() {
        ms @ 0..=999 => format!("{ms} ms"),
        ms @ 1000..=119_999 => format!("{} s", ms / 1000),
        ms => format!("{} min", ms / 60_000),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_end_before_the_next_is_due() {
        assert_eq!(timeout_for(Duration::from_secs(5)), Duration::from_secs(4));
        assert_eq!(
            timeout_for(Duration::from_millis(200)),
            Duration::from_millis(500)
        );
        assert_eq!(
            timeout_for(Duration::from_secs(60)),
            Duration::from_secs(10)
        );
    }

    #[test]
    fn backfill_steps() {
        let five_min = Duration::from_secs(300);
        assert_eq!(
            backfill_step(five_min, Duration::from_secs(1)),
            Duration::from_secs(1)
        );
        let two_days = Duration::from_secs(48 * 3600);
        let step = backfill_step(two_days, Duration::from_secs(1));
        assert_eq!(step, Duration::from_secs(432));
        assert!(two_days.as_secs() / step.as_secs() <= u64::from(MAX_POINTS));
    }
}
