//! A Prometheus server as a metric source: on start a range query fills the
//! chart window, then an instant query every interval. Each request has a
//! timeout shorter than the interval; failures back off, doubling up to a
//! minute, and the pane says why and when the next try is.

use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::http::{self, timeout_for};
use super::prometheus_api::{SourceError, samples};
use super::{Backfill, Reading};
use crate::metrics::{Health, MetricId, Sample};
use crate::spec::PrometheusSpec;

/// Prometheus refuses range queries of more points than this per series.
const MAX_POINTS: u32 = 11_000;

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
        // A server may echo them back in an error: masked wherever they turn up.
        match &auth {
            Auth::Bearer(token) => crate::outside::keep_secret(token),
            Auth::Basic(user, password) => crate::outside::keep_basic_auth(user, password),
            Auth::None => {}
        }
        Ok(Prometheus {
            client: http::client(timeout)?,
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

    /// The query over `[from, to]` at the source's own interval, so a run at
    /// crit is seen as the alerts see it: in as many range queries as the
    /// server's limit on points asks for, one after another.
    pub async fn at_interval(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        interval: Duration,
    ) -> Result<Vec<Sample>, SourceError> {
        let step = interval.max(Duration::from_millis(100));
        let span =
            chrono::Duration::from_std(step * (MAX_POINTS - 1)).unwrap_or(chrono::TimeDelta::MAX);
        let mut samples = Vec::new();
        let mut start = from;
        while start < to {
            let end = start.checked_add_signed(span).map_or(to, |e| e.min(to));
            samples.extend(self.range(start, end, step).await?);
            start = end;
        }
        Ok(samples)
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
        let (status, body) = http::fetch(request, self.timeout).await?;
        samples(status, &body)
    }
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

pub async fn run(
    id: MetricId,
    spec: PrometheusSpec,
    interval: Duration,
    backfill: Backfill,
    tx: mpsc::Sender<Reading>,
) {
    let prometheus = match Prometheus::new(&spec, timeout_for(interval)) {
        Ok(p) => p,
        Err(e) => {
            let _ = tx.send(Reading::Health(id, Health::down(e))).await;
            return;
        }
    };
    let (prometheus, spans) = (&prometheus, &backfill);
    http::poll(id, interval, tx, |first| async move {
        if first {
            fill(prometheus, spans, interval).await
        } else {
            prometheus.instant().await
        }
    })
    .await;
}

/// History for every span of the backfill, each at about two points per
/// column: one query at a time, coarse for the long spans, then the fine span
/// at the step the gate reads it with. Missing long history is not a
/// failure; the fine span is.
async fn fill(
    prometheus: &Prometheus,
    backfill: &Backfill,
    interval: Duration,
) -> Result<Vec<Sample>, SourceError> {
    let now = Utc::now();
    let fine = backfill.fine_delta();
    let mut samples = Vec::new();
    for span in backfill.spans.iter().rev().filter(|s| **s > backfill.fine) {
        let back = chrono::Duration::from_std(*span).unwrap_or(fine);
        if let Ok(older) = prometheus
            .range(now - back, now - fine, backfill_step(*span, interval))
            .await
        {
            samples.extend(older);
        }
    }
    let recent = prometheus.at_interval(now - fine, now, interval).await?;
    samples.extend(recent);
    Ok(samples)
}

#[cfg(test)]
mod tests {
    use super::*;

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
