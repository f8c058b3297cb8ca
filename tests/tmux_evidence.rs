//! Load-test evidence in the room, through the real binary in tmux: `i`
//! imports a JMeter result on the selected item, the gate and the checklist
//! follow it, and `Enter` opens the item with its run.

mod common;

use common::tmux::{Tmux, path_str, plan_file};

#[test]
fn i_imports_a_run_and_enter_shows_it_on_the_item() {
    let (dir, plan) = plan_file();
    let Some(tmux) = Tmux::start("evidence", &[path_str(&plan), "--as", "mina"]) else {
        return;
    };
    tmux.wait_for(&["1 Release items", "0/30 done"]);
    // API-TIMEOUT is the top risk: selected first.
    tmux.keys("1");
    tmux.keys("i");
    tmux.wait_for(&["Import a load-test run on API-TIMEOUT", "Result file"]);
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/jmeter-5-sub-results.jtl"
    );
    tmux.keys(fixture);
    tmux.keys("Enter");
    tmux.wait_for(&[
        "jmeter-5-sub-results.jtl on API-TIMEOUT: 7 samples, 28.6% errors, p95 600 ms; FAILS",
        "[ ] Load test at peak TPS passed · API-TIMEOUT's latest run fai",
    ]);
    tmux.keys("Escape");
    tmux.keys("Enter");
    let shown = tmux.wait_for(&[
        "API-TIMEOUT · API timeout setting change",
        "jmeter-5-sub-results.jtl  ✗ FAIL: 28.6% errors (at most 0.1%), 2 timeouts (at most 0)",
        "7 samples · 28.6% errors · 2 timeouts · p95 600 ms",
        "run 1: TPS",
    ]);
    assert!(shown.contains("History (1)"), "{shown}");
    let journal = std::fs::read_to_string(dir.path().join("night.journal.jsonl")).expect("journal");
    assert_eq!(journal.lines().count(), 1);
    assert!(journal.contains(r#""kind":"evidence""#), "{journal}");
    tmux.keys("Escape");
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}
