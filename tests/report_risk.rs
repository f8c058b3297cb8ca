//! `warroom report risk` through the binary: the story's 16:45 mail to the
//! CTO from the demo plan, as reviewed golden files, and how it changes
//! once the runs and the tests are in.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use warroom::domain::{Action, ItemStatus};
use warroom::journal::Entry;

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn night(entries: &[Entry]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(&plan, include_str!("../assets/demo.toml")).expect("plan");
    let lines: String = entries.iter().map(|e| e.to_line() + "\n").collect();
    std::fs::write(dir.path().join("night.journal.jsonl"), lines).expect("journal");
    (dir, plan)
}

fn report(plan: &Path, at: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["report", "risk"])
        .arg(plan)
        .args(["--at", &format!("2026-11-27T{at}+09:00")])
        .args(args)
        .output()
        .expect("report")
}

fn at(time: &str) -> chrono::DateTime<chrono::FixedOffset> {
    chrono::DateTime::parse_from_rfc3339(&format!("2026-11-27T{time}+09:00")).expect("time")
}

fn text(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

#[test]
fn the_1645_mail_to_the_cto() {
    let (_dir, plan) = night(&[]);
    let mail = text(&report(&plan, "16:45:00", &[]));
    let first_row = mail
        .lines()
        .find(|l| l.starts_with("| API") || l.starts_with("| SIGNUP"))
        .expect("a row");
    assert!(first_row.starts_with("| API-TIMEOUT |") && first_row.contains("| **54** |"));
    assert!(mail.contains("- Recommend moving API-TIMEOUT to Mon 30 Nov: score 54, not tested.\n"));
    insta::assert_snapshot!("risk_demo_1645_markdown", mail);
    let json = text(&report(&plan, "16:45:00", &["--format", "json"]));
    insta::assert_snapshot!("risk_demo_1645_json", json);
}

#[test]
fn a_failed_run_keeps_the_recommendation_and_the_clean_rerun_lifts_it() {
    let failed = common::failed_run();
    let passed = Action::ItemStatus {
        id: "API-TIMEOUT".into(),
        status: ItemStatus::Passed,
    };
    let (_dir, plan) = night(&[
        Entry::action(at("19:36:00"), "mina", passed),
        Entry::action(at("19:36:00"), "mina", failed),
        Entry::action(at("21:16:00"), "mina", common::clean_rerun()),
    ]);
    let evening = text(&report(&plan, "20:00:00", &[]));
    assert!(
        evening.contains(
            "- Recommend moving API-TIMEOUT to Mon 30 Nov: score 54, its latest load test fails: \
             0.3% errors (at most 0.1%), 3 timeouts (at most 0).\n"
        ),
        "{evening}"
    );
    assert!(
        evening.contains("run-1930.jtl: 3000 samples, 0.3% errors, p95 200 ms, fails"),
        "{evening}"
    );
    let night = text(&report(&plan, "21:20:00", &[]));
    assert!(
        night.contains("Every item scoring 40 or over is proven"),
        "{night}"
    );
    assert!(
        night.contains("rerun-2110.jtl: 3000 samples, 0% errors"),
        "{night}"
    );
    // A lower threshold brings the untested medium items in.
    let lower = text(&report(&plan, "21:20:00", &["--threshold", "20"]));
    assert!(lower.contains("Recommend moving SIGNUP-FLOW to Mon 30 Nov: score 21, not tested."));
    assert!(lower.contains("Recommend moving PAY-PERF to Mon 30 Nov: score 20, not tested."));
}

#[test]
fn written_to_a_file_and_bad_input_is_exit_2() {
    let (dir, plan) = night(&[]);
    let out = dir.path().join("risk.md");
    let run = report(&plan, "16:45:00", &["-o", out.to_str().expect("utf-8")]);
    assert_eq!(run.status.code(), Some(0));
    assert!(run.stdout.is_empty());
    assert!(
        std::fs::read_to_string(&out)
            .expect("written")
            .starts_with("# Risk analysis: ")
    );
    let missing = report(&plan, "16:45:00", &["--journal", "/nonexistent/j.jsonl"]);
    assert_eq!(missing.status.code(), Some(2));
    let bad_plan = dir.path().join("bad.toml");
    std::fs::write(&bad_plan, "[release]\nname = 1\n").expect("plan");
    let bad = report(&bad_plan, "16:45:00", &[]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).starts_with(&format!("{}:", bad_plan.display())));
}
