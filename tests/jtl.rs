//! The JTL follower on a file appended during the test, as JMeter writes it,
//! its last line torn at times; and a plan's relative path to it.

use std::io::Write;
use std::time::Duration;

use tokio::sync::mpsc;
use warroom::sources::Reading;
use warroom::sources::jtl::{self, JtlSignal};

const HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

fn line(ms: i64, elapsed: u32, ok: bool) -> String {
    format!(
        "{ms},{elapsed},API,200,OK,TG 1-1,text,{ok},,512,128,10,10,http://127.0.0.1/api,{elapsed},0,3\n"
    )
}

#[tokio::test]
async fn throughput_arrives_as_jmeter_writes() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("run.jtl");
    let mut file = std::fs::File::create(&path).expect("jtl");
    file.write_all(HEADER.as_bytes()).expect("header");
    let (tx, mut rx) = mpsc::channel(64);
    let task = tokio::spawn(jtl::run(
        path.clone(),
        vec![(0, JtlSignal::Tps)],
        Duration::from_millis(100),
        None,
        tx,
    ));
    // Three seconds of a test at 4, 5 and 6 calls a second, the last line of
    // each write cut in two.
    let t0 = 1_800_000_000_000;
    for (second, calls) in [4, 5, 6].iter().enumerate() {
        for i in 0..*calls {
            let text = line(t0 + second as i64 * 1000 + i * 10, 200, true);
            let (a, b) = text.split_at(17);
            file.write_all(a.as_bytes()).expect("write");
            tokio::time::sleep(Duration::from_millis(30)).await;
            file.write_all(b.as_bytes()).expect("write");
        }
    }
    let mut tps = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while tps.len() < 3 {
        let msg = tokio::time::timeout_at(deadline, rx.recv())
            .await
            .expect("samples in time")
            .expect("the follower runs");
        if let Reading::Samples(0, samples) = msg {
            tps.extend(samples.iter().map(|s| (s.at.timestamp(), s.value)));
        }
    }
    task.abort();
    // The third second is told once the file has stopped growing.
    assert_eq!(
        tps,
        [
            (1_800_000_000, 4.0),
            (1_800_000_001, 5.0),
            (1_800_000_002, 6.0)
        ]
    );
}

#[test]
fn a_plans_result_file_sits_beside_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(
        &plan,
        r#"
[release]
name = "Load test"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "PAY"
title = "Payment"
priority = "high"

[[checklist]]
id = "c"
text = "Check"

[[metrics]]
name = "TPS"
unit = "TPS"
source = { jtl = { path = "results/run.jtl", signal = "tps" } }
"#,
    )
    .expect("plan");
    let plan = warroom::plan::Plan::load(&plan).expect("valid plan");
    let warroom::plan::SourceSpec::Jtl { path, signal, .. } = &plan.metrics[0].source else {
        panic!("a jtl source");
    };
    assert_eq!(path, &dir.path().join("results/run.jtl"));
    assert_eq!(*signal, JtlSignal::Tps);
}
