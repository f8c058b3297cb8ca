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
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    assert!(
        shown.starts_with("jmeter-2.13-late-lines.jtl imported on API-TIMEOUT\n"),
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
    let journal = dir.path().join("night.journal.jsonl");
    let lines = std::fs::read_to_string(&journal).expect("journal");
    assert_eq!(lines.lines().count(), 1);
    assert!(lines.contains(r#""kind":"evidence""#), "{lines}");

    // The same file again: said, nothing added.
    let again = import(&plan, &["--item", "API-TIMEOUT", file, "--format", "json"]);
    assert_eq!(again.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&again.stdout).expect("json");
    assert_eq!(json["version"], 1);
    assert_eq!(json["added"], false);
    assert_eq!(json["item"], "API-TIMEOUT");
    assert_eq!(json["samples"], 4293);
    assert_eq!(json["errors"], 20);
    assert_eq!(json["latency_ms"]["p95"], 120);
    assert_eq!(json["tps"]["peak"], 248);
    assert_eq!(json["codes"]["500"], 20);
    assert_eq!(json["labels"]["GET /api"]["samples"], 4293);
    assert_eq!(json["sha256"].as_str().map(str::len), Some(64));
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
            "error: cannot read {}: line 1: not a JMeter CSV result; expected a header with timeStamp, elapsed and success\n",
            other.display()
        )
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
            "error: {}: no samples; expected a JMeter result with at least one\n",
            empty.display()
        )
    );
    assert!(
        !dir.path().join("night.journal.jsonl").exists(),
        "no partial evidence journaled"
    );
}
