//! Fuzzing on stable Rust, as property tests: every reader of outside input
//! (the plan parser, the journal reader, the JMeter reader, the Prometheus
//! and HTTP JSON answer parsers) given arbitrary bytes and inputs shaped
//! like the real thing but broken: no panic, no hang, every rejection a
//! message.
//!
//! `cargo test` runs a few hundred cases of each; for a long run:
//!
//! ```sh
//! PROPTEST_CASES=100000 cargo test --release --test fuzz_parsers
//! ```

use proptest::prelude::*;
use warroom::journal;
use warroom::loadtest::{ResultCalls, SecondsBook};
use warroom::plan::Plan;
use warroom::sources::http_json::value_at;
use warroom::sources::prometheus_api::samples;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Pieces the real inputs are made of, to be glued together wrongly.
fn plan_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("[release]\n".to_string()),
        Just("name = \"x\"\n".to_string()),
        Just("deploy_at = \"2030-01-04T23:00:00+09:00\"\n".to_string()),
        Just("deploy_at = \"thursday 18:00\"\n".to_string()),
        Just("watch_for = \"50m\"\n".to_string()),
        Just("[[items]]\nid = \"A\"\ntitle = \"t\"\npriority = \"critical\"\n".to_string()),
        Just("risk = { impact = 9, likelihood = 6, recovery = \"2h\" }\n".to_string()),
        Just("[[checklist]]\nid = \"c\"\ntext = \"t\"\n".to_string()),
        Just("[[metrics]]\nname = \"m\"\nsource = { jtl = { path = \"r.jtl\", signal = \"tps\" } }\n".to_string()),
        Just("crit = 500\nwarn = 900\n".to_string()),
        Just("[gate]\nunread = \"warn\"\nmetrics_window = \"99999d\"\n".to_string()),
        Just("[[policy]]\nrule = \"freeze\"\n".to_string()),
        Just("[[timeline]]\nat = \"25:99\"\nlabel = \"x\"\n".to_string()),
        "[ -~\u{80}-\u{10ffff}]{0,40}",
        Just("\u{feff}".to_string()),
        Just("\"\"\"\n".to_string()),
    ]
}

fn journal_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(br#"{"v":1,"at":"2030-01-04T22:00:00+09:00","actor":"mina","action":{"kind":"note","text":"x"}}"#.to_vec()),
        Just(br#"{"v":1,"at":"2030-01-04T22:00:00+09:00","actor":"mina","action":{"kind":"check","id":"c","mark":"done"}}"#.to_vec()),
        Just(br#"{"v":1,"at":"2030-01-04T22:00:00+09:00","actor":"mina","undoes":1,"action":{"kind":"item_status","id":"A","status":"passed"}}"#.to_vec()),
        Just(br#"{"v":99,"at":"x"}"#.to_vec()),
        Just(b"\n".to_vec()),
        Just(b"\0\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..40),
    ]
}

fn jtl_piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        Just(
            b"timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success\n"
                .to_vec()
        ),
        Just(b"1800000000000,200,API,200,OK,T,text,true\n".to_vec()),
        Just(b"9223372036854775807,4294967295,API,200,OK,T,text,false\n".to_vec()),
        Just(b"-9223372036854775808,0,API,200,OK,T,text,true\n".to_vec()),
        Just(b"\"1800000000000\",\"20\n0\",API,200,OK,T,text,true\n".to_vec()),
        Just(b",,,,,,,,,,,,\n".to_vec()),
        proptest::collection::vec(any::<u8>(), 0..60),
    ]
}

fn answer_piece() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(r#"{"status":"success","data":{"resultType":"vector","result":[{"metric":{},"value":[1,"1"]}]}}"#.to_string()),
        Just(r#"{"status":"success","data":{"resultType":"matrix","result":[{"metric":{},"values":[[1e300,"1"],[-1e300,"NaN"]]}]}}"#.to_string()),
        Just(r#"{"status":"success","data":{"resultType":"scalar","result":[1,"+Inf"]}}"#.to_string()),
        Just(r#"{"status":"error","errorType":"bad_data","error":"x"}"#.to_string()),
        Just(r#"{"a":{"b":[1,2,{"c":"3.5"}]}}"#.to_string()),
        "[ -~]{0,30}",
        Just("[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[".to_string()),
    ]
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_plan_parser_says_why_or_accepts(pieces in proptest::collection::vec(plan_piece(), 0..20)) {
        let text = pieces.concat();
        if let Err(e) = Plan::parse(&text, "fuzz.toml") {
            let message = e.to_string();
            prop_assert!(message.starts_with("fuzz.toml:"), "{message}");
            prop_assert!(!e.problems().is_empty());
        }
    }

    #[test]
    fn the_journal_reader_says_why_or_reads(pieces in proptest::collection::vec(journal_piece(), 0..20)) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("j.jsonl");
        std::fs::write(&path, pieces.concat()).expect("journal");
        match journal::read_all(&path) {
            Ok(batch) => prop_assert!(batch.position.offset <= pieces.iter().map(Vec::len).sum::<usize>() as u64),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let mut follower = journal::Follower::new(path, journal::Position::default());
        let _ = follower.read_new();
    }

    #[test]
    fn the_jmeter_reader_never_panics(pieces in proptest::collection::vec(jtl_piece(), 0..30)) {
        let bytes = pieces.concat();
        let mut calls = ResultCalls::new();
        let mut book = SecondsBook::new(None);
        match calls.feed(&bytes, |call| book.add(call)) {
            Ok(read) => {
                prop_assert!(read <= bytes.len());
                let _ = calls.end(&bytes[read..], |call| book.add(call));
            }
            Err(e) => prop_assert!(e.to_string().starts_with("line ")),
        }
        for (_, second) in book.whole().into_iter().chain(book.flush()) {
            prop_assert!(second.error_rate().is_finite());
            prop_assert!(second.mean_ms.is_finite());
        }
    }

    #[test]
    fn the_answer_parsers_say_why_or_give_finite_numbers(
        pieces in proptest::collection::vec(answer_piece(), 0..4),
        status in 100u16..600,
        pointer in "(/[a-c0-9~]{0,3}){0,4}",
    ) {
        let body = pieces.concat();
        match samples(status, body.as_bytes()) {
            Ok(points) => prop_assert!(points.iter().all(|s| s.value.is_finite())),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        match value_at(status, body.as_bytes(), &pointer) {
            Ok(v) => prop_assert!(v.is_finite()),
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
    }

    #[test]
    fn arbitrary_bytes_are_refused_in_words(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
        let text = String::from_utf8_lossy(&bytes);
        if let Err(e) = Plan::parse(&text, "fuzz.toml") {
            prop_assert!(e.to_string().starts_with("fuzz.toml:"));
        }
        let _ = samples(200, &bytes);
        let _ = value_at(200, &bytes, "/a");
        let mut calls = ResultCalls::new();
        let mut book = SecondsBook::new(Some(std::time::Duration::from_millis(10)));
        if let Ok(read) = calls.feed(&bytes, |call| book.add(call)) {
            let _ = calls.end(&bytes[read..], |call| book.add(call));
        }
        let _ = book.flush();
    }
}
