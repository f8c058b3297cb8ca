//! What the HTTP sources share: a client whose every request ends before the
//! next is due, answers read up to a cap, failures said in words without the
//! URL, and the polling loop with its backoff.

use std::future::Future;
use std::time::Duration;

use tokio::sync::mpsc;

use super::Reading;
use super::prometheus_api::SourceError;
use crate::metrics::{Health, MetricId, Sample};

/// Answers larger than this are refused, not read: a wrong URL or query must
/// not take the war room's memory.
pub const MAX_BODY: usize = 16 * 1024 * 1024;
const MAX_BACKOFF: Duration = Duration::from_secs(60);

/// A request must end before the next is due.
pub fn timeout_for(interval: Duration) -> Duration {
    (interval * 4 / 5).clamp(Duration::from_millis(500), Duration::from_secs(10))
}

pub fn client(timeout: Duration) -> Result<reqwest::Client, SourceError> {
    reqwest::Client::builder()
        .timeout(timeout)
        .connect_timeout(timeout)
        .redirect(reqwest::redirect::Policy::limited(3))
        .build()
        .map_err(|e| SourceError::Transport(format!("cannot set up HTTP: {e}")))
}

/// Sends `request` and reads the answer, refusing one over `MAX_BODY`.
pub async fn fetch(
    request: reqwest::RequestBuilder,
    timeout: Duration,
) -> Result<(u16, Vec<u8>), SourceError> {
    let mut response = request.send().await.map_err(|e| transport(&e, timeout))?;
    let status = response.status().as_u16();
    if response
        .content_length()
        .is_some_and(|n| n > MAX_BODY as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(|e| transport(&e, timeout))? {
        if body.len() + chunk.len() > MAX_BODY {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok((status, body))
}

fn too_large() -> SourceError {
    SourceError::Answer(format!(
        "the answer is over {} MB; expected one value",
        MAX_BODY / 1024 / 1024
    ))
}

/// A transport failure in words, without the URL (it may be on a shared
/// screen) and without reqwest's chain of causes.
fn transport(e: &reqwest::Error, timeout: Duration) -> SourceError {
    let text = if e.is_timeout() {
        format!("no answer within {}", words(timeout))
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

/// Asks `fetch` every `interval` (`true` the first time, for a backfill) and
/// sends what it gives; after a failure it waits longer each time, up to a
/// minute, and says why and when it tries again.
pub async fn poll<F, Fut>(id: MetricId, interval: Duration, tx: mpsc::Sender<Reading>, mut fetch: F)
where
    F: FnMut(bool) -> Fut,
    Fut: Future<Output = Result<Vec<Sample>, SourceError>>,
{
    let mut first = true;
    let mut backoff = interval;
    loop {
        let (health, wait) = match fetch(first).await {
            Ok(samples) => {
                first = false;
                backoff = interval;
                if tx.send(Reading::Samples(id, samples)).await.is_err() {
                    return;
                }
                (Health::Ok, interval)
            }
            Err(e) => {
                let wait = backoff;
                backoff = (backoff * 2).min(MAX_BACKOFF);
                let reason = format!("{e}, retrying in {}", words(wait));
                (Health::down(reason), wait)
            }
        };
        if tx.send(Reading::Health(id, health)).await.is_err() {
            return;
        }
        tokio::time::sleep(wait).await;
    }
}

/// `800 ms`, `8 s`, `1 min`.
pub fn words(d: Duration) -> String {
    match d.as_millis() {
        ms @ 0..=999 => format!("{ms} ms"),
        // 1.6 s is not "1 s": the tenth says how long it really waited.
        ms @ 1000..=9_999 if ms % 1000 != 0 => format!("{:.1} s", ms as f64 / 1000.0),
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
    fn durations_in_words() {
        assert_eq!(words(Duration::from_millis(800)), "800 ms");
        assert_eq!(words(Duration::from_secs(8)), "8 s");
        assert_eq!(words(Duration::from_millis(1600)), "1.6 s");
        assert_eq!(words(Duration::from_secs(60)), "60 s");
        assert_eq!(words(Duration::from_secs(240)), "4 min");
    }
}
