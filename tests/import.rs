//! `warroom import` through the binary: a real JMeter result journaled on the
//! item it proves, printed for people and for a pipeline; the same file
//! twice adds nothing; bad input is exit 2 with the file named.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");
const FIXTURE: &str = "tests/fixtures/jmeter-2.13-late-lines.jtl";

fn night() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, include_str!("../assets/demo.toml")).expect("plan");
    (dir, plan)
}

fn import(plan: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("import")
        .arg(plan)
        .args(args)
        .args(["--as", "mina"])
        .env("XDG_STATE_HOME", plan.parent().expect("dir"))
        .output()
        .expect("import")
}

fn text(out: &[u8]) -> String {
    String::from_utf8_lossy(out).into_owned()
}

#[test]
fn a_real_result_is_journaled_on_its_item_once() {
    let (dir, plan) = night();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let file = file.to_str().expect("utf-8");
    let out = import(
        &plan,
        &["--item", "API-TIMEOUT", "--timeout", "500ms", file],
    );
    // The demo's API-TIMEOUT allows no timeout and 0.1 % errors: this run
    // breaks both, and says so with exit 1.
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.starts_with(
            "jmeter-2.13-late-lines.jtl (JMeter CSV) imported on API-TIMEOUT\n  \
             started 2026-12-02 12:45:38 +09:00\n"
        ),
        "{shown}"
    );
    assert!(
        shown.contains("  samples 4293  errors 20 (0.466%)  duration 20.3 s\n"),
        "{shown}"
    );
    assert!(shown.contains("  timeouts 80\n"), "{shown}");
    assert!(
        shown.contains(
            "  latency ms  avg 88.7  p50 74  p90 115  p95 120  p99 702  max 900  (nearest rank, whole milliseconds)\n"
        ),
        "{shown}"
    );
    assert!(shown.contains("  codes  200: 4273  500: 20\n"), "{shown}");
    assert!(
        shown.contains(
            "  FAILS API-TIMEOUT's criteria: 0.466% errors (at most 0.1%), 80 timeouts (at most 0)\n"
        ),
        "{shown}"
    );
    let journal = dir.path().join("night.journal.jsonl");
    let lines = std::fs::read_to_string(&journal).expect("journal");
    assert_eq!(lines.lines().count(), 1);
    assert!(lines.contains(r#""kind":"evidence""#), "{lines}");

    // The same file again: said, nothing added.
    let again = import(&plan, &["--item", "API-TIMEOUT", file, "--format", "json"]);
    assert_eq!(again.status.code(), Some(1));
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).expect("json");
    assert_eq!(json["version"], 1);
    assert_eq!(json["added"], false);
    assert_eq!(json["passed"], false);
    assert_eq!(json["broken"][1], "80 timeouts (at most 0)");
    assert_eq!(json["item"], "API-TIMEOUT");
    assert_eq!(json["samples"], 4293);
    assert_eq!(json["errors"], 20);
    assert_eq!(json["latency_ms"]["p95"], 120);
    assert_eq!(json["tps"]["peak"], 248);
    assert_eq!(json["codes"]["500"], 20);
    assert_eq!(json["labels"]["GET /api"]["samples"], 4293);
    // As `sha256sum` gives it.
    assert_eq!(
        json["sha256"],
        "60ab3a07773f2b65200587fef64c092f1f8ad46c6dc09d241375321be8f8922d"
    );
    assert_eq!(
        std::fs::read_to_string(&journal)
            .expect("journal")
            .lines()
            .count(),
        1
    );

    // The journal with evidence reads everywhere: check still judges it.
    let check = Command::new(BIN)
        .args(["check", "--at", "2026-11-27T16:40:00+09:00"])
        .arg(&plan)
        .env("XDG_STATE_HOME", dir.path())
        .output()
        .expect("check");
    assert_eq!(check.status.code(), Some(1), "{}", text(&check.stderr));
}

#[test]
fn bad_input_is_exit_2_with_the_file_named() {
    let (dir, plan) = night();
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    let out = import(&plan, &["--item", "NOPE", file.to_str().expect("utf-8")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).starts_with("error: no item \"NOPE\" in plan "),
        "{}",
        text(&out.stderr)
    );

    let other = dir.path().join("other.csv");
    std::fs::write(&other, "a,b,c\n1,2,3\n").expect("csv");
    let out = import(
        &plan,
        &["--item", "API-TIMEOUT", other.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {}: line 1, column 1: not a JMeter CSV result; expected a header with \
             timeStamp, elapsed and success, or a line in JMeter's default columns; nothing imported\n",
            other.display()
        )
    );

    // One malformed row among good ones refuses the whole file, by line.
    let torn = dir.path().join("torn.jtl");
    std::fs::write(
        &torn,
        "timeStamp,elapsed,label,responseCode,success\n\
         1800000000000,200,API,200,true\n\
         1800000000100,2x0,API,200,true\n\
         1800000000200,200,API,200,maybe\n\
         1800000000300,200,API,200,true\n",
    )
    .expect("jtl");
    let out = import(
        &plan,
        &["--item", "API-TIMEOUT", torn.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {}: line 3, column 2: expected elapsed as whole milliseconds, found \"2x0\" \
             (and 1 more line like it); nothing imported\n",
            torn.display()
        )
    );

    // A binary file is not a result.
    let binary = dir.path().join("core.bin");
    std::fs::write(
        &binary,
        [0x7f, b'E', b'L', b'F', 2, 1, 1, 0, 0, b'\n', 0xff, 0xfe],
    )
    .expect("bin");
    let out = import(
        &plan,
        &["--item", "API-TIMEOUT", binary.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains(": line 1, column 1: not a JMeter CSV result;"),
        "{}",
        text(&out.stderr)
    );

    let empty = dir.path().join("empty.jtl");
    std::fs::write(&empty, "timeStamp,elapsed,label,responseCode,success\n").expect("jtl");
    let out = import(
        &plan,
        &["--item", "API-TIMEOUT", empty.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(
        text(&out.stderr),
        format!(
            "error: {}: no samples; expected a JMeter or k6 result with at least one\n",
            empty.display()
        )
    );
    assert!(
        !dir.path().join("night.journal.jsonl").exists(),
        "no partial evidence journaled"
    );
}

/// The story's two runs at 3000 TPS for 5 minutes: the first with 0.3 %
/// errors and 9 calls at the 500 ms timeout fails the item's criteria and
/// the gate says so; the rerun after the pool fix passes, and the gate
/// follows the latest run.
#[test]
fn the_story_s_two_runs_fail_then_pass_and_the_gate_follows() {
    use std::io::Write;
    let (dir, plan) = night();
    let write_run = |name: &str, slow: bool| -> PathBuf {
        let path = dir.path().join(name);
        let file = std::fs::File::create(&path).expect("jtl");
        let mut out = std::io::BufWriter::new(file);
        writeln!(out, "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect").expect("header");
        let t0 = 1_800_000_000_000_i64;
        for n in 0..900_000_i64 {
            // 2,700 failures in 900,000 (0.3 %), 9 of them at the timeout.
            let failed = slow && n % 1000 < 3;
            let elapsed = if failed && n % 100_000 == 0 {
                512
            } else {
                180 + n % 90
            };
            let code = if failed { 504 } else { 200 };
            writeln!(
                out,
                "{},{elapsed},POST /api/orders,{code},OK,TG 1-{},text,{},,1024,256,300,300,http://127.0.0.1/api,{elapsed},0,3",
                t0 + n / 3,
                n % 300 + 1,
                !failed
            )
            .expect("line");
        }
        out.flush().expect("flush");
        path
    };
    // Judged now: the evidence is stamped when it was imported.
    let check = || -> String {
        let out = Command::new(BIN)
            .args(["check", "--format", "json"])
            .arg(&plan)
            .env("XDG_STATE_HOME", dir.path())
            .output()
            .expect("check");
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        json["reasons"]
            .as_array()
            .expect("reasons")
            .iter()
            .filter(|r| r["kind"] == "evidence_failed")
            .map(|r| r["text"].as_str().unwrap_or_default().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };

    let first = write_run("peak-run1.jtl", true);
    let out = import(
        &plan,
        &["--item", "API-TIMEOUT", first.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.contains("  samples 900000  errors 2700 (0.3%)  duration 300 s\n"),
        "{shown}"
    );
    assert!(shown.contains("  timeouts 9\n"), "{shown}");
    assert!(shown.contains("  TPS  avg 3000  peak 3000\n"), "{shown}");
    assert!(
        shown.contains(
            "  FAILS API-TIMEOUT's criteria: 0.3% errors (at most 0.1%), 9 timeouts (at most 0)\n"
        ),
        "{shown}"
    );
    assert_eq!(
        check(),
        "API-TIMEOUT: latest load test failed: 0.3% errors (at most 0.1%), 9 timeouts (at most 0) (peak-run1.jtl)"
    );

    let rerun = write_run("peak-run2.jtl", false);
    let out = import(
        &plan,
        &["--item", "API-TIMEOUT", rerun.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("  passes API-TIMEOUT's criteria\n"));
    assert_eq!(check(), "");
}
