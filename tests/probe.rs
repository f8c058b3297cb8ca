//! The probe against a local server with a known delay: latency measured,
//! slow calls counted as timeout errors.

use std::time::Duration;

use tokio::sync::mpsc;
use warroom::plan::ProbeSpec;
use warroom::sources::Reading;
use warroom::sources::probe::{self, ProbeSignal};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

async fn first_value(server: &MockServer, signal: ProbeSignal, timeout: Duration) -> f64 {
    let spec = ProbeSpec {
        url: server.uri(),
        signal,
        calls: 5,
        timeout,
    };
    let (tx, mut rx) = mpsc::channel(16);
    let task = tokio::spawn(probe::run(0, spec, Duration::from_secs(2), tx));
    let msg = tokio::time::timeout(Duration::from_secs(10), rx.recv())
        .await
        .expect("a round in time")
        .expect("the probe runs");
    task.abort();
    match msg {
        Reading::Samples(0, samples) if samples.len() == 1 => samples[0].value,
        other => panic!("expected one sample, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn latency_of_a_known_delay() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(150)))
        .mount(&server)
        .await;
    let timeout = Duration::from_secs(1);
    let avg = first_value(&server, ProbeSignal::LatencyAvg, timeout).await;
    assert!(
        (150.0..600.0).contains(&avg),
        "avg {avg} ms for a 150 ms delay"
    );
    let errors = first_value(&server, ProbeSignal::ErrorRate, timeout).await;
    assert_eq!(errors, 0.0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn slower_than_the_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(800)))
        .mount(&server)
        .await;
    let errors = first_value(&server, ProbeSignal::ErrorRate, Duration::from_millis(300)).await;
    assert_eq!(errors, 100.0);
}
