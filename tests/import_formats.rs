//! Every result format warroom reads, through `warroom import` as a user
//! runs it: fixtures in the shapes JMeter and k6 write, each with its
//! figures worked out by hand from the file.

use std::path::PathBuf;
use std::process::Command;

use serde_json::{Value, json};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// Imports a fixture on API-TIMEOUT (timeout 500 ms) in a night of its own,
/// in Seoul, where the formatted timestamps were written; the JSON report.
fn import(fixture: &str) -> Value {
    let dir = tempfile::tempdir().expect("temp dir");
    import_into(dir.path(), &fixture_path(fixture))
}

fn fixture_path(fixture: &str) -> PathBuf {
    [env!("CARGO_MANIFEST_DIR"), "tests", "fixtures", fixture]
        .iter()
        .collect()
}

/// Imports `file` into the night kept in `dir` (its plan written there if
/// it is not yet): a second import sees the first.
fn import_into(dir: &std::path::Path, file: &std::path::Path) -> Value {
    let plan = dir.join("night.toml");
    if !plan.exists() {
        std::fs::write(&plan, include_str!("../assets/demo.toml")).expect("plan");
    }
    let fixture = file.display().to_string();
    let out = Command::new(BIN)
        .arg("import")
        .arg(&plan)
        .args(["--item", "API-TIMEOUT", "--format", "json", "--as", "mina"])
        .arg(file)
        .env("TZ", "Asia/Seoul")
        .env("XDG_STATE_HOME", dir)
        .output()
        .expect("import");
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{fixture}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("json")
}

/// The fields every format fills, as one value to compare.
fn figures(report: &Value) -> Value {
    json!({
        "format": report["format"],
        "samples": report["samples"],
        "errors": report["errors"],
        "timeouts": report["timeouts"],
        "duration_s": report["duration_s"],
        "latency_ms": report["latency_ms"],
        "tps": report["tps"],
        "codes": report["codes"],
        "note": report["note"],
    })
}

#[test]
fn jmeter_5_csv_with_sub_results_late_lines_and_non_http_codes() {
    // 9 rows: GET /login's two redirect rows are part of it, not calls; one
    // row started before the line above it (written when it ended); one
    // failed assertion on a 200; one socket timeout with no HTTP code.
    let report = import("jmeter-5-sub-results.jtl");
    assert_eq!(
        figures(&report),
        json!({
            "format": "JMeter CSV",
            "samples": 7,
            "errors": 2,
            "timeouts": 2,
            "duration_s": 1.6,
            "latency_ms": {"avg": 1640.0 / 7.0, "p50": 120, "p90": 600, "p95": 600, "p99": 600, "max": 600},
            "tps": {"avg": 3.5, "peak": 4},
            "codes": {"200": 6, "Non HTTP response code: java.net.SocketTimeoutException": 1},
            "note": null,
        })
    );
    assert_eq!(report["labels"]["GET /api"]["samples"], 6);
    assert_eq!(report["labels"]["GET /login"]["samples"], 1);
    assert_eq!(report["labels"].as_object().map(|l| l.len()), Some(2));
    assert_eq!(
        report["broken"],
        json!(["28.6% errors (at most 0.1%)", "2 timeouts (at most 0)"])
    );
}

#[test]
fn tab_delimited_with_formatted_timestamps() {
    let report = import("jmeter-tab-formatted.jtl");
    assert_eq!(
        figures(&report),
        json!({
            "format": "JMeter CSV",
            "samples": 3,
            "errors": 1,
            "timeouts": 1,
            "duration_s": 1.76,
            "latency_ms": {"avg": 1010.0 / 3.0, "p50": 300, "p90": 510, "p95": 510, "p99": 510, "max": 510},
            "tps": {"avg": 1.5, "peak": 2},
            "codes": {"200": 2, "504": 1},
            "note": null,
        })
    );
    // 19:30:00 in Seoul, where it was written.
    assert_eq!(report["timeline"][0]["s"], 0);
}

#[test]
fn jmeter_xml_counts_nested_samples_once() {
    let report = import("jmeter-nested.xml");
    assert_eq!(
        figures(&report),
        json!({
            "format": "JMeter XML",
            "samples": 4,
            "errors": 1,
            "timeouts": 1,
            "duration_s": 1.51,
            "latency_ms": {"avg": 183.75, "p50": 100, "p90": 510, "p95": 510, "p99": 510, "max": 510},
            "tps": {"avg": 2.0, "peak": 2},
            "codes": {"200": 3, "Non HTTP response code: java.net.SocketTimeoutException": 1},
            "note": null,
        })
    );
    assert_eq!(report["labels"]["JSR223 \"check\" & log"]["samples"], 1);
}

#[test]
fn a_killed_jmeter_xml_run_is_read_up_to_its_last_whole_sample_and_says_so() {
    let report = import("jmeter-killed.xml");
    let whole = import("jmeter-nested.xml");
    assert_eq!(report["samples"], whole["samples"]);
    assert_eq!(report["latency_ms"], whole["latency_ms"]);
    let cut = r#"<httpSample t="90" it="0" lt="88" ct="2" ts="1796380002000" s="tr"#;
    assert_eq!(
        report["note"],
        format!(
            "no closing </testResults> (the run was cut off): read up to the last whole \
             sample, line 23 (4 samples); dropped {} bytes after it",
            cut.len()
        )
    );
}

#[test]
fn k6_json_lines_stamped_at_each_request_s_end() {
    let report = import("k6-out.json");
    assert_eq!(
        figures(&report),
        json!({
            "format": "k6 JSON",
            "samples": 3,
            "errors": 1,
            "timeouts": 1,
            "duration_s": 1.512,
            "latency_ms": {"avg": 334.0, "p50": 290, "p90": 512, "p95": 512, "p99": 512, "max": 512},
            "tps": {"avg": 1.5, "peak": 2},
            "codes": {"0": 1, "200": 2},
            "note": null,
        })
    );
    assert_eq!(report["labels"]["http://127.0.0.1:8080/api"]["samples"], 3);
}

#[test]
fn k6_summary_export_gives_k6_s_own_figures_and_no_single_samples() {
    let report = import("k6-summary.json");
    assert_eq!(
        figures(&report),
        json!({
            "format": "k6 summary export",
            "samples": 900000,
            "errors": 2700,
            "timeouts": null,
            "duration_s": 900000.0 / 2999.7,
            "latency_ms": {"avg": 202.0, "p50": 198, "p90": 291, "p95": 311, "p99": 481, "max": 513},
            "tps": {"avg": 2999.7, "peak": null},
            "codes": {},
            "note": null,
        })
    );
    assert_eq!(
        report["percentiles"],
        "k6's own (interpolated), rounded up to whole milliseconds"
    );
    // Timeouts cannot be counted from figures: not known to be fine.
    assert_eq!(report["passed"], false);
    assert_eq!(
        report["broken"],
        json!([
            "0.3% errors (at most 0.1%)",
            "timeouts not counted (the file has figures, no single samples)"
        ])
    );
}

/// The JSON's fields are the README's, no more and no fewer: a pipeline
/// that reads them can rely on each, `error_rate` among them.
#[test]
fn the_json_report_has_exactly_the_documented_fields() {
    let report = import("jmeter-5-sub-results.jtl");
    let mut keys: Vec<&str> = report
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut documented = vec![
        "version",
        "item",
        "file",
        "bytes",
        "sha256",
        "added",
        "format",
        "note",
        "samples",
        "errors",
        "error_rate",
        "timeouts",
        "duration_s",
        "started",
        "runs",
        "earlier_runs",
        "latency_ms",
        "tps",
        "codes",
        "labels",
        "percentiles",
        "timeline",
        "passed",
        "broken",
    ];
    documented.sort_unstable();
    assert_eq!(keys, documented);
    let mut latency: Vec<&str> = report["latency_ms"]
        .as_object()
        .expect("latency")
        .keys()
        .map(String::as_str)
        .collect();
    latency.sort_unstable();
    assert_eq!(latency, ["avg", "max", "p50", "p90", "p95", "p99"]);
    // Its errors over its calls, in percent.
    let (errors, samples) = (report["errors"].as_f64(), report["samples"].as_f64());
    assert!(errors.is_some_and(|e| e >= 1.0), "{report}");
    let rate = report["error_rate"].as_f64().expect("a number");
    assert!(
        (rate - 100.0 * errors.expect("errors") / samples.expect("samples")).abs() < 1e-9,
        "{rate}"
    );
}

#[test]
fn jmeter_2_13_default_csv_has_no_header_and_reads_the_same() {
    // JMeter 2.13 saved no field names by default: its default columns,
    // the first line already a call. The same run with and without them.
    let dir = tempfile::tempdir().expect("temp dir");
    let with = std::fs::read_to_string(fixture_path("jmeter-2.13-late-lines.jtl")).expect("read");
    let (header, rows) = with.split_once('\n').expect("a header line");
    assert_eq!(
        header,
        "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,bytes,grpThreads,allThreads,Latency"
    );
    let headerless = dir.path().join("jmeter-2.13-default.jtl");
    std::fs::write(&headerless, rows).expect("write");
    let report = import_into(dir.path(), &headerless);
    assert_eq!(
        figures(&report),
        json!({
            "format": "JMeter CSV",
            "samples": 4293,
            "errors": 20,
            "timeouts": 80,
            "duration_s": 20.298,
            "latency_ms": {"avg": 380_730.0 / 4293.0, "p50": 74, "p90": 115, "p95": 120, "p99": 702, "max": 900},
            // 4293 / 21, as serde_json reads it back.
            "tps": {"avg": 204.428_571_428_571_44, "peak": 248},
            "codes": {"200": 4273, "500": 20},
            "note": null,
        })
    );
    let mut headed = import("jmeter-2.13-late-lines.jtl");
    let mut report = report;
    for r in [&mut headed, &mut report] {
        for key in ["file", "sha256", "bytes"] {
            r[key] = Value::Null;
        }
    }
    assert_eq!(report, headed);
}

/// Run 1 (6 calls, a socket timeout at 520 ms and a 500) and, ten minutes
/// later, the rerun JMeter appended to the same file (4 clean calls).
fn two_runs_figures() -> (Value, Value) {
    (
        json!({
            "format": "JMeter CSV",
            "samples": 6,
            "errors": 2,
            "timeouts": 1,
            "duration_s": 1.41,
            "latency_ms": {"avg": 1660.0 / 6.0, "p50": 200, "p90": 520, "p95": 520, "p99": 520, "max": 520},
            "tps": {"avg": 3.0, "peak": 4},
            "codes": {"200": 4, "500": 1, "Non HTTP response code: java.net.SocketTimeoutException": 1},
            "note": null,
        }),
        json!({
            "format": "JMeter CSV",
            "samples": 4,
            "errors": 0,
            "timeouts": 0,
            "duration_s": 1.2,
            "latency_ms": {"avg": 152.5, "p50": 100, "p90": 300, "p95": 300, "p99": 300, "max": 300},
            "tps": {"avg": 2.0, "peak": 3},
            "codes": {"200": 4},
            "note": null,
        }),
    )
}

#[test]
fn two_runs_appended_to_one_file_are_two_runs_and_the_gate_reads_the_last() {
    let report = import("jmeter-5-two-runs.jtl");
    let (first, second) = two_runs_figures();
    assert_eq!(report["runs"], 2);
    assert_eq!(figures(&report), second);
    assert_eq!(report["started"], "2027-01-15T08:10:00Z");
    assert_eq!(
        (&report["passed"], &report["added"]),
        (&json!(true), &json!(true))
    );
    let earlier = &report["earlier_runs"];
    assert_eq!(earlier.as_array().map(Vec::len), Some(1));
    let mut run1 = earlier[0].clone();
    run1["format"] = report["format"].clone();
    run1["note"] = Value::Null;
    assert_eq!(figures(&run1), first);
    assert_eq!(run1["started"], "2027-01-15T08:00:00Z");
    assert_eq!(run1["passed"], false);
    assert_eq!(
        run1["broken"],
        json!(["33.3% errors (at most 0.1%)", "1 timeouts (at most 0)"])
    );
    // Seconds from each run's own first second, not from the file's.
    assert_eq!(report["timeline"].as_array().map(Vec::len), Some(2));
}

#[test]
fn a_file_grown_by_a_rerun_adds_only_the_rerun() {
    let dir = tempfile::tempdir().expect("temp dir");
    let whole = std::fs::read_to_string(fixture_path("jmeter-5-two-runs.jtl")).expect("read");
    // The file as it stood after run 1: the header and six lines.
    let run1: String = whole.split_inclusive('\n').take(7).collect();
    let path = dir.path().join("results.jtl");
    std::fs::write(&path, &run1).expect("write");
    let first = import_into(dir.path(), &path);
    assert_eq!(
        (&first["runs"], &first["added"], &first["passed"]),
        (&json!(1), &json!(true), &json!(false))
    );
    // The rerun appended: run 1 is known, the rerun is added and passes.
    std::fs::write(&path, &whole).expect("write");
    let second = import_into(dir.path(), &path);
    assert_eq!(second["runs"], 2);
    assert_eq!(second["added"], true);
    assert_eq!(second["earlier_runs"][0]["added"], false);
    assert_eq!(second["passed"], true);
    // And again: nothing new.
    let third = import_into(dir.path(), &path);
    assert_eq!(third["added"], false);
    assert_eq!(third["earlier_runs"][0]["added"], false);
    let text = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(text.matches(r#""kind":"evidence""#).count(), 2, "{text}");
}
