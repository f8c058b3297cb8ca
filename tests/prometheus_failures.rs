//! What a real server will not easily do, from a mock: each bad answer
//! becomes a reason in words and no sample, never a crash or a hang.

use std::time::Duration;

use warroom::plan::PrometheusSpec;
use warroom::sources::prometheus::Prometheus;
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const TIMEOUT: Duration = Duration::from_millis(500);

fn spec(server: &MockServer) -> PrometheusSpec {
    PrometheusSpec {
        url: server.uri(),
        query: "up".into(),
        token_env: None,
        user_env: None,
        password_env: None,
    }
}

async fn reason(server: &MockServer, response: ResponseTemplate) -> String {
    Mock::given(method("GET"))
        .and(path("/api/v1/query"))
        .respond_with(response)
        .mount(server)
        .await;
    let prometheus = Prometheus::new(&spec(server), TIMEOUT).expect("client");
    match prometheus.instant().await {
        Ok(samples) => panic!("expected a reason, got {samples:?}"),
        Err(e) => e.to_string(),
    }
}

#[tokio::test]
async fn bad_answers_become_reasons() {
    let cases = [
        (
            ResponseTemplate::new(400).set_body_string(
                r#"{"status":"error","errorType":"bad_data","error":"1:1: parse error: unexpected end of input"}"#,
            ),
            "bad_data: 1:1: parse error: unexpected end of input",
        ),
        (
            ResponseTemplate::new(503).set_body_string(
                r#"{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}"#,
            ),
            "timeout: query timed out in expression evaluation",
        ),
        (
            ResponseTemplate::new(200).set_body_string("<!DOCTYPE html><html>Grafana</html>"),
            "HTTP 200 with an HTML page, not a Prometheus API answer (is the URL the server's?)",
        ),
        (
            ResponseTemplate::new(200).set_body_string(""),
            "HTTP 200 with something else, not a Prometheus API answer (is the URL the server's?)",
        ),
        (
            ResponseTemplate::new(200)
                .set_body_string(r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"NaN"]}]}}"#),
            "the query returns NaN or infinity, not a number",
        ),
        (
            ResponseTemplate::new(200).set_delay(Duration::from_secs(3)),
            "no answer within 500 ms",
        ),
    ];
    for (response, expected) in cases {
        let server = MockServer::start().await;
        assert_eq!(reason(&server, response).await, expected);
    }
}

#[tokio::test]
async fn a_huge_answer_is_refused_unread() {
    let server = MockServer::start().await;
    let body = vec![b' '; 17 * 1024 * 1024];
    let got = reason(&server, ResponseTemplate::new(200).set_body_bytes(body)).await;
    assert_eq!(got, "the answer is over 16 MB; expected one value");
}

#[tokio::test]
async fn a_redirect_loop_is_a_reason() {
    let server = MockServer::start().await;
    let to_self = format!("{}/api/v1/query?query=up", server.uri());
    let got = reason(
        &server,
        ResponseTemplate::new(302).insert_header("Location", to_self.as_str()),
    )
    .await;
    assert_eq!(got, "too many redirects");
}

#[tokio::test]
async fn the_token_comes_from_the_environment_variable_the_plan_names() {
    // A variable cargo sets for every test run, so the test sets none itself.
    let token = std::env::var("CARGO_MANIFEST_DIR").expect("set by cargo");
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/query"))
        .and(query_param("query", "up"))
        .and(header("authorization", format!("Bearer {token}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1700000000,"1"]}]}}"#,
        ))
        .mount(&server)
        .await;
    let mut with_token = spec(&server);
    with_token.token_env = Some("CARGO_MANIFEST_DIR".into());
    let samples = Prometheus::new(&with_token, TIMEOUT)
        .expect("client")
        .instant()
        .await
        .expect("answered");
    assert_eq!(samples.len(), 1);

    let mut missing = spec(&server);
    missing.token_env = Some("WARROOM_TEST_NO_SUCH_TOKEN".into());
    let err = Prometheus::new(&missing, TIMEOUT).err().expect("refused");
    assert_eq!(
        err.to_string(),
        "environment variable WARROOM_TEST_NO_SUCH_TOKEN is not set"
    );
}

/// A window longer than the server's 11,000 points a query at the source's
/// interval is asked for in pieces, never at a coarser step: a coarser step
/// would break every run at crit into single samples.
#[tokio::test]
async fn a_long_window_is_read_at_the_interval_in_pieces() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/api/v1/query_range"))
        .and(query_param("step", "5.000"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1800000000,"612"]]}]}}"#,
        ))
        .mount(&server)
        .await;
    let prometheus = Prometheus::new(&spec(&server), TIMEOUT).expect("client");
    let to = chrono::DateTime::from_timestamp(1_800_000_000, 0).expect("time");
    let week = chrono::TimeDelta::days(7);
    let samples = prometheus
        .at_interval(to - week, to, Duration::from_secs(5))
        .await
        .expect("samples");
    assert!(!samples.is_empty());
    let asked = server.received_requests().await.expect("requests").len();
    // 7 days at 5 s is 120,960 points: 11 pieces of at most 10,999 steps.
    assert_eq!(asked, 11);
}

/// A server behind a proxy that compresses: a gzip answer is read, not
/// taken for "something else".
#[tokio::test]
async fn a_gzip_answer_is_read() {
    use std::io::Write;
    let server = MockServer::start().await;
    let body = r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1800000000,"212"]}]}}"#;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    gz.write_all(body.as_bytes()).expect("gzip");
    let zipped = gz.finish().expect("gzip");
    Mock::given(method("GET"))
        .and(path("/api/v1/query"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-encoding", "gzip")
                .set_body_bytes(zipped),
        )
        .mount(&server)
        .await;
    let prometheus = Prometheus::new(&spec(&server), TIMEOUT).expect("client");
    let samples = prometheus.instant().await.expect("samples");
    assert_eq!(samples.len(), 1);
    assert_eq!(samples[0].value, 212.0);
}
