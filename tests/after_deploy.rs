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

/// The digest a check-in slot carries says what it could not see: a metric
/// read for a third of the span, and one whose source is down now.
#[test]
fn a_digest_says_what_was_seen_of_each_metric() {
    let deploy = Utc::now() - TimeDelta::hours(1);
    let text = format!(
        r#"
[release]
name = "R"
deploy_at = "{}"

[[items]]
id = "A"
title = "Apply"
priority = "high"
status = "passed"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"

[[metrics]]
name = "p95"
unit = "ms"
source = {{ prometheus = {{ url = "http://127.0.0.1:9", query = "p95" }} }}
interval = "10s"

[[metrics]]
name = "errors"
unit = "%"
source = {{ prometheus = {{ url = "http://127.0.0.1:9", query = "errors" }} }}
interval = "10s"
"#,
        deploy.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let plan = Plan::parse(&text, "plan.toml").expect("valid");
    let now = deploy + TimeDelta::minutes(30);
    let mut night = Night::new(plan, now);
    // p95 seen every 10 s for the last 10 minutes of the 30: 60 of 180.
    let samples: Vec<warroom::metrics::Sample> = (0..60)
        .map(|i| warroom::metrics::Sample {
            at: now - TimeDelta::seconds(10 * i),
            value: if i == 0 { 300.0 } else { 200.0 },
        })
        .collect();
    night.metrics.record(0, &samples);
    night
        .metrics
        .set_health(1, warroom::metrics::Health::down("connection refused"));
    assert_eq!(
        night.digest(deploy),
        [
            "p95 avg 202 ms, max 300 ms (60 of 180 samples)",
            "errors no sample, down now: connection refused"
        ]
    );
}
