//! Checklist entries for after the deploy (`phase = "after"`): they do not
//! hold up the deploy, and once it has happened they gate and show.

use chrono::{TimeDelta, Utc};
use warroom::night::{Night, verdict};
use warroom::plan::Plan;

fn plan(deploy_ago: TimeDelta) -> Plan {
    let deploy = (Utc::now() - deploy_ago).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let text = format!(
        r#"
[release]
name = "R"
deploy_at = "{deploy}"

[[items]]
id = "A"
title = "Apply"
priority = "high"
status = "passed"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"
required = false

[[checklist]]
id = "smoke"
text = "Smoke test in production"
group = "After the deploy"
phase = "after"
"#
    );
    Plan::parse(&text, "plan.toml").expect("valid")
}

#[test]
fn an_after_entry_waits_for_the_deploy_then_gates() {
    let before = Night::new(plan(TimeDelta::hours(-2)), Utc::now());
    assert!(verdict(&before).go(), "{:?}", verdict(&before).reasons);
    let after = Night::new(plan(TimeDelta::minutes(5)), Utc::now());
    let v = verdict(&after);
    assert!(!v.go());
    assert_eq!(v.reasons[0].said(), "checklist: 1 required item open");
    assert_eq!(v.reasons[0].subjects, ["smoke"]);
}

#[test]
fn a_phase_that_is_not_one_is_pointed_at() {
    let text = r#"
[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "smoke"
text = "Smoke test"
phase = "later"
"#;
    let err = Plan::parse(text.strip_prefix('\n').unwrap_or(text), "plan.toml")
        .expect_err("invalid")
        .to_string();
    assert_eq!(
        err,
        "plan.toml:13:9: phase = \"later\" is not a phase; expected \"before\" or \"after\" the deploy"
    );
}
