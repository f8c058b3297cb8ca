//! The HTTP JSON source against a local server: the number at its pointer,
//! the header from the environment variable the plan names, and a reason
//! with a retry when the answer goes bad.

use std::time::Duration;

use tokio::sync::mpsc;
use warroom::metrics::Health;
use warroom::plan::HttpJsonSpec;
use warroom::sources::Reading;
use warroom::sources::http_json;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn reads_the_number_then_says_why_not() {
    let token = std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/stats"))
        .and(header("x-api-key", token.as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"latency":{"p95":212.5}}"#))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/stats"))
        .respond_with(ResponseTemplate::new(200).set_body_string("<html>maintenance</html>"))
        .mount(&server)
        .await;
    let spec = HttpJsonSpec {
        url: format!("{}/stats", server.uri()),
        pointer: "/latency/p95".into(),
        headers_env: vec![("x-api-key".into(), "CARGO_MANIFEST_DIR".into())],
    };
    let (tx, mut rx) = mpsc::channel(16);
    let task = tokio::spawn(http_json::run(0, spec, Duration::from_millis(300), tx));
    let mut seen = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while seen.len() < 3 {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("messages in time")
            .expect("the source runs");
        seen.push(msg);
    }
    task.abort();
    let Reading::Samples(0, samples) = &seen[0] else {
        panic!("a sample first: {seen:?}");
    };
    assert_eq!(samples.len(), 1);
    assert_eq!(samples[0].value, 212.5);
    assert_eq!(seen[1], Reading::Health(0, Health::Ok));
    assert_eq!(
        seen[2],
        Reading::Health(
            0,
            Health::Down("HTTP 200 with an HTML page, not JSON, retrying in 300 ms".into())
        )
    );
}
