//! Checklist entries for after the deploy (`phase = "after"`): they do not
//! hold up the deploy, and once it has happened they gate and show.

mod common;

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
        night.digest(deploy, now),
        [
            "p95 avg 202 ms, max 300 ms (60 of 180 samples)",
            "errors no sample, down now: connection refused"
        ]
    );
}

/// A plan with one metric at crit after the deploy, and what else `extra`
/// adds: `[rollback]`, groups.
fn night_with(extra: &str) -> Result<Night, String> {
    let deploy = Utc::now() - TimeDelta::hours(1);
    let text = format!(
        r#"[release]
name = "R"
deploy_at = "{}"

[[items]]
id = "PAY"
title = "Payment"
priority = "high"
status = "passed"
risk = {{ impact = 10, likelihood = 2, recovery = "4h" }}

[[metrics]]
name = "p95"
unit = "ms"
source = {{ prometheus = {{ url = "http://127.0.0.1:9", query = "p95" }} }}
interval = "10s"
crit = 500
{extra}"#,
        deploy.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
    );
    let plan = Plan::parse(&text, "plan.toml").map_err(|e| e.to_string())?;
    let now = deploy + TimeDelta::minutes(30);
    let mut night = Night::new(plan, now);
    let samples: Vec<warroom::metrics::Sample> = (0..12)
        .map(|i| warroom::metrics::Sample {
            at: now - TimeDelta::seconds(10 * i),
            value: 612.0,
        })
        .collect();
    night.metrics.record(0, &samples);
    Ok(night)
}

const ONE_ENTRY: &str = r#"
[[checklist]]
id = "rollback"
text = "Rollback plan ready"
"#;

#[test]
fn degraded_says_the_rollback_plans_time_and_runbook() {
    let night = night_with(&format!(
        "{ONE_ENTRY}\n[rollback]\nrecovery = \"25m\"\nrunbook = \"wiki/REL-1127-rollback\"\n"
    ))
    .expect("valid");
    assert!(matches!(
        warroom::night::health::health(&night),
        Some(warroom::night::health::Health::Degraded { .. })
    ));
    assert_eq!(
        warroom::night::health::roll_back(&night),
        "roll back? 25m by the rollback plan, runbook wiki/REL-1127-rollback"
    );
    // The status posted to the chat says it too.
    let status = warroom::report::chat::status(&night, "mina");
    assert!(
        status
            .contains("DEGRADED, p95 at 612 ms (crit 500 ms), roll back? 25m by the rollback plan"),
        "{status}"
    );
}

#[test]
fn without_a_rollback_plan_the_longest_item_recovery_is_said_as_such() {
    let night = night_with(ONE_ENTRY).expect("valid");
    assert_eq!(
        warroom::night::health::roll_back(&night),
        "roll back? recovery up to 4h (PAY)"
    );
}

#[test]
fn a_rollback_plan_without_a_time_is_pointed_at() {
    let err = night_with(&format!("{ONE_ENTRY}\n[rollback]\nrecovery = \"soon\"\n"))
        .expect_err("invalid");
    assert!(err.starts_with("plan.toml:24:12: "), "{err}");
    assert!(err.contains("soon"), "{err}");
}

/// `[[checklist_group]]` puts a whole group after the deploy; its entries
/// need not each say so.
#[test]
fn a_group_declared_after_takes_its_entries_with_it() {
    let night = night_with(
        r#"
[[checklist_group]]
name = "After the deploy"
phase = "after"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"

[[checklist]]
id = "smoke"
text = "Smoke test in production"
group = "After the deploy"

[[checklist]]
id = "unmuted"
text = "Alerts unmuted"
group = "After the deploy"
"#,
    )
    .expect("valid");
    let after: Vec<(&str, bool)> = night
        .plan
        .checklist
        .iter()
        .map(|e| (e.id.as_str(), e.after))
        .collect();
    assert_eq!(
        after,
        [("rollback", false), ("smoke", true), ("unmuted", true)]
    );
    let v = verdict(&night);
    let open = v
        .reasons
        .iter()
        .find(|r| r.said().starts_with("checklist"))
        .expect("the open after-deploy entries gate");
    assert_eq!(open.said(), "checklist: 3 required items open");
}

/// One entry saying `phase = "after"` takes the rest of its group along.
#[test]
fn an_entry_after_the_deploy_takes_its_group_along() {
    let night = night_with(
        r#"
[[checklist]]
id = "smoke"
text = "Smoke test in production"
group = "After"
phase = "after"

[[checklist]]
id = "unmuted"
text = "Alerts unmuted"
group = "After"
"#,
    )
    .expect("valid");
    assert!(night.plan.checklist.iter().all(|e| e.after));
}

#[test]
fn a_group_on_both_sides_of_the_deploy_is_pointed_at() {
    let err = night_with(
        r#"
[[checklist]]
id = "smoke"
text = "Smoke test in production"
group = "Deploy"
phase = "after"

[[checklist]]
id = "runbook"
text = "Runbook reviewed"
group = "Deploy"
phase = "before"
"#,
    )
    .expect_err("invalid");
    assert_eq!(
        err,
        "plan.toml:29:9: phase = \"before\" but group \"Deploy\" is after the deploy \
         (an entry on line 23); expected one phase per group"
    );
    let err = night_with(
        r#"
[[checklist_group]]
name = "Deploy"
phase = "before"

[[checklist]]
id = "smoke"
text = "Smoke test in production"
group = "Deploy"
phase = "after"
"#,
    )
    .expect_err("invalid");
    assert_eq!(
        err,
        "plan.toml:27:9: phase = \"after\" but group \"Deploy\" is before the deploy \
         (its [[checklist_group]] on line 20); expected one phase per group"
    );
}

#[test]
fn a_group_declared_without_entries_is_pointed_at() {
    let err = night_with(&format!(
        "{ONE_ENTRY}\n[[checklist_group]]\nname = \"After the depoly\"\nphase = \"after\"\n"
    ))
    .expect_err("invalid");
    assert_eq!(
        err,
        "plan.toml:24:8: checklist group \"After the depoly\" has no entries; expected a \
         [[checklist]] entry with group = \"After the depoly\""
    );
}

/// A metric that counts (timeouts a second) is added up in the digest.
#[test]
fn a_count_is_totalled_in_the_digest() {
    let mut night = night_with(&format!(
        "{ONE_ENTRY}\n[[metrics]]\nname = \"Timeouts\"\nsource = {{ prometheus = {{ url = \"http://127.0.0.1:9\", query = \"t\" }} }}\ninterval = \"10s\"\ncounts = true\n"
    ))
    .expect("valid");
    let now = night.now;
    // The one on the span's start edge (5, at 60 s ago) was the slot
    // before's: it is not counted again.
    let samples: Vec<warroom::metrics::Sample> = (0..7)
        .map(|i| warroom::metrics::Sample {
            at: now - TimeDelta::seconds(10 * i),
            value: [0.0, 2.0, 0.0, 1.0, 0.0, 0.0, 5.0][i as usize],
        })
        .collect();
    night.metrics.record(1, &samples);
    assert_eq!(
        night.digest(now - TimeDelta::seconds(60), now)[1],
        "Timeouts total 3, max 2"
    );
}

/// Before the deploy the gauge counts the pre-deploy checklist (the room's
/// 30/30) and says what waits for after; after it, every entry.
#[test]
fn the_progress_counts_what_is_due() {
    let text = |deploy_ago: TimeDelta| {
        let night = Night::new(plan(deploy_ago), Utc::now());
        let state =
            warroom::app::State::new(night.plan.clone(), night.now, warroom::domain::Zone::utc());
        (night.checklist_progress(), screen(&state))
    };
    let (before, screen_before) = text(TimeDelta::hours(-2));
    assert_eq!(before, (0, 1));
    assert!(
        screen_before.contains("0/1 done · 0 required open · 1 after the deploy"),
        "{screen_before}"
    );
    assert!(screen_before.contains("After the deploy 0/1 (after the deploy)"));
    let (after, screen_after) = text(TimeDelta::minutes(5));
    assert_eq!(after, (0, 2));
    assert!(
        screen_after.contains("0/2 done · 1 required open"),
        "{screen_after}"
    );
}

fn screen(state: &warroom::app::State) -> String {
    common::screen::text(&common::screen::draw(state, 120, 40))
}
