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
