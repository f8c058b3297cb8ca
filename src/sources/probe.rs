//! A built-in probe: calls a URL itself every interval, several calls at once
//! if asked, and measures them; a call slower than its timeout counts as a
//! timeout error. The "1000 calls from a laptop" of the story, done right.

use std::time::{Duration, Instant};

use chrono::Utc;
use tokio::sync::mpsc;

use super::Reading;
use super::http;
use super::prometheus_api::SourceError;
use crate::metrics::{Health, MetricId, Sample};
pub use crate::spec::ProbeSignal;
use crate::spec::ProbeSpec;

/// One call: how long it took, or why it failed.
pub type Call = Result<Duration, String>;

/// The signal's value for a round of calls, or why there is none.
pub fn measure(signal: ProbeSignal, calls: &[Call]) -> Result<f64, SourceError> {
    if signal == ProbeSignal::ErrorRate {
        let failed = calls.iter().filter(|c| c.is_err()).count();
        return Ok(100.0 * failed as f64 / calls.len().max(1) as f64);
    }
    let mut ms: Vec<f64> = calls
        .iter()
        .filter_map(|c| c.as_ref().ok())
        .map(|d| d.as_secs_f64() * 1000.0)
        .collect();
    if ms.is_empty() {
        let why = calls
            .iter()
            .find_map(|c| c.as_ref().err())
            .cloned()
            .unwrap_or_else(|| "no call made".into());
        return Err(SourceError::Answer(format!(
            "all {} calls failed: {why}",
            calls.len()
        )));
    }
    ms.sort_by(f64::total_cmp);
    Ok(match signal {
        ProbeSignal::LatencyAvg => ms.iter().sum::<f64>() / ms.len() as f64,
        // Nearest rank: the value 95% of calls were at or under.
        ProbeSignal::LatencyP95 => ms[(ms.len() * 95).div_ceil(100).max(1) - 1],
        ProbeSignal::LatencyMax | ProbeSignal::ErrorRate => ms[ms.len() - 1],
    })
}

async fn call(client: &reqwest::Client, url: &str, timeout: Duration) -> Call {
    let start = Instant::now();
    let answer = http::fetch(client.get(url), timeout).await;
    let took = start.elapsed();
    match answer {
        Ok((status, _)) if !(200..300).contains(&status) => Err(format!("HTTP {status}")),
        Ok(_) if took > timeout => Err(format!("timeout: over {}", http::words(timeout))),
        Ok(_) => Ok(took),
        Err(e) => Err(e.to_string()),
    }
}

pub async fn run(id: MetricId, spec: ProbeSpec, interval: Duration, tx: mpsc::Sender<Reading>) {
    let client = match http::client(spec.timeout) {
        Ok(c) => c,
        Err(e) => {
            let _ = tx.send(Reading::Health(id, Health::down(e))).await;
            return;
        }
    };
    let (client, spec) = (&client, &spec);
    http::poll(id, interval, tx, |_| async move {
        let round = (0..spec.calls).map(|_| call(client, &spec.url, spec.timeout));
        let calls = futures::future::join_all(round).await;
        let value = measure(spec.signal, &calls)?;
        Ok(vec![Sample {
            at: Utc::now(),
            value,
        }])
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ms(v: u64) -> Call {
        Ok(Duration::from_millis(v))
    }

    #[test]
    fn a_round_of_calls_in_numbers() {
        let round: Vec<Call> = vec![
            ms(200),
            ms(180),
            ms(350),
            Err("timeout: over 500 ms".into()),
            ms(220),
        ];
        let value = |s| measure(s, &round).map_err(|e| e.to_string());
        assert_eq!(value(ProbeSignal::LatencyAvg), Ok(237.5));
        assert_eq!(value(ProbeSignal::LatencyP95), Ok(350.0));
        assert_eq!(value(ProbeSignal::LatencyMax), Ok(350.0));
        assert_eq!(value(ProbeSignal::ErrorRate), Ok(20.0));
    }

    #[test]
    fn when_every_call_fails() {
        let round: Vec<Call> = vec![Err("connection refused".into()); 3];
        assert_eq!(
            measure(ProbeSignal::LatencyAvg, &round).map_err(|e| e.to_string()),
            Err("all 3 calls failed: connection refused".into())
        );
        assert_eq!(measure(ProbeSignal::ErrorRate, &round), Ok(100.0));
    }

    #[test]
    fn p95_by_nearest_rank() {
        let round: Vec<Call> = (1..=100).map(ms).collect();
        assert_eq!(measure(ProbeSignal::LatencyP95, &round), Ok(95.0));
    }
}
