//! The night's times in the plan: timeline, list arrival, check-ins and
//! policies, read right and refused with file, line and column.

mod common;

use chrono::{TimeZone, Utc};
use warroom::domain::gate::{ReasonKind, Severity};
use warroom::domain::policy::Rule;
use warroom::plan::Plan;

const WALL_TIME_EXPECTED: &str = r#"expected "18:00", a weekday and a time like "thursday 18:00", or a date-time like "2026-11-26T18:00 Asia/Seoul""#;

/// A small plan for a Friday 23:00 deploy in Seoul; `night` goes at line 15.
fn plan(release_extra: &str, night: &str) -> String {
    format!(
        r#"[release]
name = "R"
deploy_at = "2026-11-27T23:00 Asia/Seoul"
{release_extra}
[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "c"
text = "Check"
group = "Testing"
{night}"#
    )
}

fn error(text: &str) -> String {
    match Plan::parse(text, "plan.toml") {
        Ok(_) => panic!("expected an invalid plan"),
        Err(err) => err.to_string(),
    }
}

fn kst(d: u32, h: u32, m: u32) -> chrono::DateTime<Utc> {
    chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 11, d, h, m, 0)
        .unwrap()
        .to_utc()
}

#[test]
fn a_whole_night_reads_as_written() {
    let text = plan(
        "list_at = \"16:00\"\ncheck_in_every = \"30m\"\ncheck_ins_until = \"monday 09:00\"\n",
        r#"
[[items]]
id = "B"
title = "Backfill"
priority = "low"
added_at = "wednesday 10:00"

[[timeline]]
at = "19:30"
label = "load test"
group = "Testing"

[[timeline]]
at = "18:00"
label = "staging deploy"

[[timeline]]
at = "sat 08:30"
label = "morning check"

[[policy]]
rule = "freeze"
weekly = ["saturday 00:00 - monday 06:00"]
dates = ["2026-12-25", "2026-12-31 - 2027-01-01"]

[[policy]]
rule = "list_frozen_by"
by = "thursday 18:00"
severity = "block"
"#,
    );
    let plan = Plan::parse(&text, "plan.toml").expect("a valid plan");
    let s = &plan.release.schedule;
    let milestones: Vec<_> = s
        .milestones
        .iter()
        .map(|m| (m.at, m.label.as_str()))
        .collect();
    assert_eq!(
        milestones,
        [
            (kst(27, 18, 0), "staging deploy"),
            (kst(27, 19, 30), "load test"),
            (kst(28, 8, 30), "morning check"),
        ]
    );
    assert_eq!(s.milestones[1].group.as_deref(), Some("Testing"));
    assert_eq!(s.check_in_every, Some(std::time::Duration::from_secs(1800)));
    assert_eq!(s.check_ins_until, kst(30, 9, 0));
    assert_eq!(plan.release.list_at, Some(kst(27, 16, 0)));
    let added: Vec<_> = plan.items.iter().map(|i| i.added_at).collect();
    assert_eq!(added, [Some(kst(27, 16, 0)), Some(kst(25, 10, 0))]);
    assert_eq!(plan.policies.len(), 2);
    assert_eq!(
        plan.policies[0].severity,
        Severity::Block,
        "a freeze blocks"
    );
    assert!(
        matches!(&plan.policies[0].rule, Rule::Freeze { weekly, dates } if weekly.len() == 1 && dates.len() == 2)
    );
    assert_eq!(plan.policies[1].severity, Severity::Block);
}

#[test]
fn check_ins_run_48_hours_past_the_watch_unless_the_plan_says() {
    let plan = Plan::parse(&plan("", ""), "plan.toml").expect("valid");
    assert_eq!(plan.release.schedule.check_ins_until, kst(29, 23, 50));
    assert_eq!(plan.release.schedule.check_in_every, None);
}

#[test]
fn bad_timeline_entries() {
    let text = plan(
        "",
        r#"
[[timeline]]
at = "half past six"
label = "x"

[[timeline]]
at = "18:00"
label = "y"
group = "Deploy"
"#,
    );
    assert_eq!(
        error(&text),
        format!(
            "plan.toml:16:6: bad time \"half past six\"; {WALL_TIME_EXPECTED}\n\
             plan.toml:22:9: no checklist group \"Deploy\"; expected one of \"Testing\""
        )
    );
}

#[test]
fn bad_policies() {
    let cases = [
        (
            "rule = \"no_fridays\"",
            "plan.toml:16:8: unknown rule \"no_fridays\"; expected `friday_low_risk_only`, `list_frozen_by`, `critical_staged_by` or `freeze`",
        ),
        (
            "rule = \"list_frozen_by\"",
            "plan.toml:16:8: rule list_frozen_by needs `by`; expected a time like by = \"thursday 18:00\"",
        ),
        (
            "rule = \"friday_low_risk_only\"\nby = \"friday 12:00\"",
            "plan.toml:16:8: rule friday_low_risk_only does not take `by`",
        ),
        (
            "rule = \"freeze\"",
            "plan.toml:16:8: rule freeze needs `weekly` or `dates`; expected weekly = [\"friday 18:00 - monday 06:00\"] or dates = [\"2026-12-24 - 2027-01-02\"]",
        ),
        (
            "rule = \"freeze\"\nweekly = [\"friday 18:00 to monday 06:00\"]",
            "plan.toml:17:11: bad window \"friday 18:00 to monday 06:00\"; expected a weekly window like \"friday 18:00 - monday 06:00\"",
        ),
        (
            "rule = \"freeze\"\nweekly = [\"18:00 - monday 06:00\"]",
            "plan.toml:17:11: bad weekday and time \"18:00\"; expected a weekday and a time like \"friday 18:00\"",
        ),
        (
            "rule = \"freeze\"\ndates = [\"2027-01-02 - 2026-12-24\"]",
            "plan.toml:17:10: dates \"2027-01-02 - 2026-12-24\" end before they start; expected the earlier date first",
        ),
        (
            "rule = \"friday_low_risk_only\"\nholidays = [\"25.12.2026\"]",
            "plan.toml:17:13: bad date \"25.12.2026\"; expected a date like \"2026-12-25\"",
        ),
        (
            "rule = \"critical_staged_by\"\nby = \"wed\"",
            &format!("plan.toml:17:6: bad time \"wed\"; {WALL_TIME_EXPECTED}"),
        ),
    ];
    for (policy, expected) in cases {
        let text = plan("", &format!("\n[[policy]]\n{policy}\n"));
        assert_eq!(error(&text), expected, "{policy}");
    }
}

#[test]
fn bad_release_times() {
    let cases = [
        (
            "check_in_every = \"10s\"",
            "plan.toml:4:18: check_in_every \"10s\" is too short; expected at least 1m",
        ),
        (
            "check_ins_until = \"2026-11-27T23:30 Asia/Seoul\"",
            "plan.toml:4:19: check_ins_until \"2026-11-27T23:30 Asia/Seoul\" is not after the watch window; expected a time after Fri 23:50",
        ),
        (
            "list_at = \"teatime\"",
            &format!("plan.toml:4:11: bad time \"teatime\"; {WALL_TIME_EXPECTED}"),
        ),
    ];
    for (line, expected) in cases {
        let text = plan(&format!("{line}\n"), "");
        assert_eq!(error(&text), expected, "{line}");
    }
}

#[test]
fn the_demo_night_breaks_the_rules_the_story_broke() {
    let state = common::demo_state();
    let verdict = warroom::night::verdict(&state.night);
    let policies: Vec<String> = verdict
        .reasons
        .iter()
        .filter(|r| r.kind == ReasonKind::Policy)
        .map(|r| r.said())
        .collect();
    assert_eq!(
        policies,
        [
            "Friday deploy: 3 items above Low risk (policy friday_low_risk_only)",
            "list arrived Fri 16:00, after the Thu 18:00 freeze (policy list_frozen_by)",
            "API-TIMEOUT: Critical item not staged by Wed 18:00 (policy critical_staged_by)",
        ]
    );
}
