//! `warroom report retro` through the binary: Monday 15:00's retrospective
//! of the demo night, prefilled with its facts, as a reviewed golden file.

mod common;

use std::process::Command;

#[test]
fn the_retrospective_of_the_demo_night() {
    let (_dir, plan) = common::story::demo_night();
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["report", "retro"])
        .arg(&plan)
        .args(["--at", "2026-11-30T15:00:00+09:00"])
        .output()
        .expect("report");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let md = String::from_utf8(out.stdout).expect("utf-8");
    assert!(
        md.contains(
            "- The release list came late: list arrived Fri 16:00, after the Thu 18:00 freeze.\n"
        ),
        "{md}"
    );
    assert!(
        md.contains("- API-TIMEOUT (Critical) was tested on the deploy day, 103 min before it.\n"),
        "{md}"
    );
    assert!(
        md.contains("- The load test caught a failure before production, fixed and rerun clean: API-TIMEOUT.\n"),
        "{md}"
    );
    assert!(
        md.contains("- make list_frozen_by block instead of warn\n"),
        "{md}"
    );
    assert!(md.contains("  ```toml\n  [[policy]]\n  rule = \"list_frozen_by\"\n  by = \"thursday 18:00\"\n  severity = \"block\"\n  ```\n"), "{md}");
    insta::assert_snapshot!("retro_demo_markdown", md);
}

#[test]
fn the_retrospective_as_json() {
    let (_dir, plan) = common::story::demo_night();
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["report", "retro"])
        .arg(&plan)
        .args(["--at", "2026-11-30T15:00:00+09:00", "--format", "json"])
        .output()
        .expect("report");
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["kind"], "retro");
    insta::assert_snapshot!(
        "retro_demo_json",
        serde_json::to_string_pretty(&json).expect("json")
    );
}

/// A plan with no policies at all: the retrospective still finds what the
/// usual rules would have caught, and offers each as a rule to add.
#[test]
fn a_regret_the_plan_had_no_rule_for_is_offered_as_one_to_add() {
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("plan.toml");
    std::fs::write(
        &plan,
        r#"
[release]
name = "Friday hotfix"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "PAY"
title = "Payment retry"
priority = "high"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"
"#,
    )
    .expect("plan");
    let out = Command::new(env!("CARGO_BIN_EXE_warroom"))
        .args(["report", "retro"])
        .arg(&plan)
        .args(["--at", "2026-11-30T15:00:00+09:00", "--format", "json"])
        .env("XDG_STATE_HOME", dir.path())
        .output()
        .expect("report");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json["regrets"],
        serde_json::json!([{
            "what": "Friday deploy: 1 item above Low risk: the weekend carried the risk.",
            "improvement": "add the friday_low_risk_only policy",
            "snippet": "[[policy]]\nrule = \"friday_low_risk_only\"\nseverity = \"warn\"\n",
        }])
    );
}
