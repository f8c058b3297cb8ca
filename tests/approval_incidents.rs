//! An approval goes stale when an incident begins after it, whatever metric,
//! and only then: a run at crit already going when she approved is the one
//! she saw.

use chrono::{DateTime, TimeDelta, Utc};
use warroom::domain::Action;
use warroom::journal::{Batch, Entry, Line};
use warroom::metrics::Sample;
use warroom::night::{Night, verdict};
use warroom::plan::Plan;

const PLAN: &str = r#"
[release]
name = "Timeout fix"
deploy_at = "2030-01-04T23:00:00+09:00"

[[items]]
id = "API-TIMEOUT"
title = "API timeout setting change"
priority = "critical"
status = "passed"

[[checklist]]
id = "rollback-plan"
text = "Rollback plan ready"
required = false

[[metrics]]
name = "API p95"
unit = "ms"
source = { prometheus = { url = "http://127.0.0.1:9", query = "p95" } }
interval = "5s"
crit = 500

[[metrics]]
name = "Error rate"
unit = "%"
source = { prometheus = { url = "http://127.0.0.1:9", query = "errors" } }
interval = "5s"
crit = 1
"#;

fn t(s: i64) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2030-01-04T22:00:00+09:00")
        .expect("time")
        .to_utc()
        + TimeDelta::seconds(s)
}

/// The night at `now`, approved at `approved` (seconds), with each metric's
/// samples every 5 s over `[0, now]` given by `value(metric, second)`.
fn night(now: i64, approved: i64, value: impl Fn(usize, i64) -> f64) -> Night {
    let plan = Plan::parse(PLAN, "night.toml").expect("plan");
    let mut night = Night::new(plan, t(now));
    for id in 0..2 {
        let samples: Vec<Sample> = (0..=now)
            .step_by(5)
            .map(|s| Sample {
                at: t(s),
                value: value(id, s),
            })
            .collect();
        night.metrics.record(id, &samples);
    }
    let zone = chrono::FixedOffset::east_opt(9 * 3600).expect("zone");
    let approve = Entry::action(
        t(approved).with_timezone(&zone),
        "mina",
        Action::Approve {
            statement: "Deploy".into(),
            override_reason: Some("the p95 is the old timeout; this fixes it".into()),
            go: false,
            // She accepted the p95 at crit by name.
            reasons: vec![warroom::domain::action::StoodReason {
                key: "metric_crit:API p95".into(),
                text: "API p95 at or above 500 ms".into(),
                block: true,
                kind: "metric_crit".into(),
                subjects: vec!["API p95".into()],
            }],
        },
    );
    night.apply(&Batch {
        lines: vec![Line {
            number: 1,
            entry: approve,
            role: None,
        }],
        ..Batch::default()
    });
    night
}

#[test]
fn a_run_going_when_she_approved_does_not_make_it_stale() {
    // p95 at 600 ms from 5 min before the approval (at 22:05:02) to now.
    let n = night(600, 302, |id, s| match id {
        0 if s >= 0 => 600.0,
        _ => 0.1,
    });
    let v = verdict(&n);
    assert_eq!(v.incidents, []);
    assert!(!v.go());
    let approval = n.ledger.approval().expect("approved");
    assert_eq!(approval.stale_because(&v), None);
}

#[test]
fn a_new_incident_on_any_metric_after_it_does() {
    // p95 fine; the error rate held at 2 % from 400 s on, after the approval.
    let n = night(600, 300, |id, s| match id {
        1 if s >= 400 => 2.0,
        1 => 0.1,
        _ => 200.0,
    });
    let v = verdict(&n);
    assert_eq!(v.incidents.len(), 1);
    assert_eq!(v.incidents[0].metric, "Error rate");
    assert_eq!(v.incidents[0].since, t(400));
    // And it is over by now: the approval stays stale.
    let n = night(1300, 300, |id, s| match id {
        1 if (400..500).contains(&s) => 2.0,
        1 => 0.1,
        _ => 200.0,
    });
    let v = verdict(&n);
    assert!(v.go(), "{:?}", v.reasons);
    let approval = n.ledger.approval().expect("approved");
    assert_eq!(
        approval.stale_because(&v),
        Some("Error rate incident".into())
    );
}

#[test]
fn a_run_that_starts_where_the_history_starts_began_nobody_knows_when() {
    // What `check` holds: the last 10 min only, all of it at crit, the
    // approval half an hour before.
    let plan = Plan::parse(PLAN, "night.toml").expect("plan");
    let mut n = night(0, -1800, |_, _| 0.0);
    n = {
        let mut fresh = Night::new(plan, t(2400));
        fresh.ledger = n.ledger.clone();
        fresh
    };
    let samples: Vec<Sample> = (1800..=2400)
        .step_by(5)
        .map(|s| Sample {
            at: t(s),
            value: 700.0,
        })
        .collect();
    n.metrics.record(0, &samples);
    assert_eq!(verdict(&n).incidents, []);
}

#[test]
fn an_approval_the_deploy_followed_stays_good_whatever_the_watch_finds() {
    // Approved at 300 s, deployed at 350 s, the error rate at crit from
    // 400 s: production's health, not a GO gone bad.
    let mut n = night(600, 300, |id, s| match id {
        1 if s >= 400 => 2.0,
        1 => 0.1,
        _ => 200.0,
    });
    let zone = chrono::FixedOffset::east_opt(9 * 3600).expect("zone");
    n.apply(&Batch {
        lines: vec![Line {
            number: 2,
            entry: Entry::action(t(350).with_timezone(&zone), "mina", Action::DeployDone),
            role: None,
        }],
        ..Batch::default()
    });
    let v = verdict(&n);
    let approval = n.ledger.approval().expect("approved");
    assert!(
        approval.stale_because(&v).is_some(),
        "the approval alone would say stale"
    );
    assert_eq!(n.ledger.approval_stale_because(&v), None);
}
