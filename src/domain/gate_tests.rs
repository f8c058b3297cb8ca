use std::time::Duration;

use super::*;
use crate::plan::demo;

struct Night {
    items: Vec<ReleaseItem>,
    checklist: Vec<ChecklistEntry>,
    marks: Vec<MarkState>,
    crit: Vec<MetricCrit>,
    unread: Vec<MetricUnread>,
}

/// The story's release with everything passed and every entry checked: GO.
fn ready() -> Night {
    let plan = demo::plan();
    let mut items = plan.items;
    for item in &mut items {
        item.status = ItemStatus::Passed;
    }
    Night {
        marks: vec![MarkState::Done; plan.checklist.len()],
        checklist: plan.checklist,
        items,
        crit: Vec::new(),
        unread: Vec::new(),
    }
}

fn judge(night: &Night, rules: &GateRules) -> Verdict {
    evaluate(
        rules,
        &GateInput {
            items: &night.items,
            checklist: &night.checklist,
            marks: &night.marks,
            metrics_crit: &night.crit,
            metrics_unread: &night.unread,
            policy: &[],
            incidents: &[],
            evidence_failed: &[],
        },
    )
}

fn set_status(night: &mut Night, id: &str, status: ItemStatus) {
    let item = night
        .items
        .iter_mut()
        .find(|i| i.id == id)
        .expect("demo id");
    item.status = status;
}

fn p95_over(ongoing: bool) -> MetricCrit {
    MetricCrit {
        name: "API latency p95".into(),
        unit: "ms".into(),
        crit: 500.0,
        peak: 612.0,
        held: Duration::from_secs(40),
        ongoing,
        load_test: false,
    }
}

fn texts(v: &Verdict) -> Vec<(Severity, &str)> {
    v.reasons
        .iter()
        .map(|r| (r.severity, r.text.as_str()))
        .collect()
}

#[test]
fn everything_done_is_go() {
    let v = judge(&ready(), &GateRules::default());
    assert!(v.go());
    assert_eq!(v.label(), "GO");
    assert!(v.reasons.is_empty());
}

/// One case per rule, with the default rules.
#[test]
fn each_rule_alone() {
    type Case = (
        &'static str,
        fn(&mut Night),
        bool,
        Vec<(Severity, &'static str)>,
    );
    let cases: Vec<Case> = vec![
        (
            "a critical item untested",
            |n| set_status(n, "API-TIMEOUT", ItemStatus::Untested),
            false,
            vec![(
                Severity::Block,
                "API-TIMEOUT: Critical item not passed (untested)",
            )],
        ),
        (
            "a low item still testing",
            |n| set_status(n, "ADMIN-UI", ItemStatus::InProgress),
            false,
            vec![(
                Severity::Block,
                "ADMIN-UI: Low item not passed (still testing)",
            )],
        ),
        (
            "a failed item",
            |n| set_status(n, "PAY-PERF", ItemStatus::Failed),
            false,
            vec![(Severity::Block, "PAY-PERF: High item failed")],
        ),
        (
            "four required entries open",
            |n| {
                for m in n.marks.iter_mut().take(4) {
                    *m = MarkState::Open;
                }
            },
            false,
            vec![(Severity::Block, "checklist: 4 required items open")],
        ),
        (
            "not applicable counts as done",
            |n| n.marks[3] = MarkState::NotApplicable,
            true,
            vec![],
        ),
        (
            "an optional entry open",
            |n| {
                n.checklist[0].required = false;
                n.marks[0] = MarkState::Open;
            },
            true,
            vec![],
        ),
        (
            "p95 above crit now",
            |n| n.crit.push(p95_over(true)),
            false,
            vec![(
                Severity::Block,
                "API latency p95 at or above 500 ms for 40 s (peak 612 ms)",
            )],
        ),
        (
            "p95 above crit earlier in the window",
            |n| n.crit.push(p95_over(false)),
            false,
            vec![(
                Severity::Block,
                "API latency p95 reached 500 ms in the last 10 min (peak 612 ms, 40 s at or above)",
            )],
        ),
        (
            "a metric not read is not known to be fine",
            |n| {
                n.unread.push(MetricUnread {
                    name: "Throughput".into(),
                    why: "connection refused".into(),
                })
            },
            false,
            vec![(Severity::Block, "Throughput: not read (connection refused)")],
        ),
    ];
    for (name, change, go, expected) in cases {
        let mut night = ready();
        change(&mut night);
        let v = judge(&night, &GateRules::default());
        assert_eq!(v.go(), go, "{name}");
        assert_eq!(texts(&v), expected, "{name}");
    }
}

/// The rules' severities change what each finding does.
#[test]
fn severities_and_thresholds() {
    let mut night = ready();
    set_status(&mut night, "ADMIN-UI", ItemStatus::Untested);
    set_status(&mut night, "API-TIMEOUT", ItemStatus::InProgress);
    night.marks[0] = MarkState::Open;
    night.crit.push(p95_over(true));

    let high_only = GateRules {
        pass_from: Priority::High,
        ..GateRules::default()
    };
    let v = judge(&night, &high_only);
    assert!(!v.go());
    assert_eq!(
        v.reasons
            .iter()
            .map(|r| (r.severity, r.subjects.join(",")))
            .collect::<Vec<_>>(),
        [
            (Severity::Block, "API-TIMEOUT".to_string()),
            (Severity::Block, "tests-complete".to_string()),
            (Severity::Block, "API latency p95".to_string()),
            (Severity::Warn, "ADMIN-UI".to_string()),
        ]
    );

    let lenient = GateRules {
        checklist: Severity::Warn,
        untested: Severity::Warn,
        metrics: Severity::Off,
        ..high_only
    };
    let v = judge(&night, &lenient);
    assert!(v.go(), "{:?}", texts(&v));
    assert_eq!(v.reasons.len(), 3, "metrics off says nothing");

    set_status(&mut night, "PAY-PERF", ItemStatus::Failed);
    let v = judge(&night, &lenient);
    assert!(!v.go(), "a failed item still blocks");
    assert_eq!(v.reasons[0].text, "PAY-PERF: High item failed");
}

#[test]
fn the_story_at_1640_is_no_go_with_the_api_timeout_first() {
    let plan = demo::plan();
    let marks = vec![MarkState::Open; plan.checklist.len()];
    let v = evaluate(
        &plan.gate,
        &GateInput {
            items: &plan.items,
            checklist: &plan.checklist,
            marks: &marks,
            metrics_crit: &[],
            metrics_unread: &[],
            policy: &[],
            incidents: &[],
            evidence_failed: &[],
        },
    );
    assert!(!v.go());
    let first: Vec<&str> = v.reasons.iter().take(5).map(|r| r.text.as_str()).collect();
    assert_eq!(
        first,
        [
            "API-TIMEOUT: Critical item not passed (untested)",
            "PAY-PERF: High item not passed (untested)",
            "SIGNUP-FLOW: Medium item not passed (untested)",
            "ADMIN-UI: Low item not passed (untested)",
            "checklist: 30 required items open",
        ]
    );
    assert_eq!(v.reasons[0].key(), "item_not_passed:API-TIMEOUT");
}

#[test]
fn pass_from_includes_its_own_priority() {
    let mut night = ready();
    set_status(&mut night, "PAY-PERF", ItemStatus::Untested);
    let from_high = GateRules {
        pass_from: Priority::High,
        ..GateRules::default()
    };
    assert!(
        !judge(&night, &from_high).go(),
        "a High item with pass_from high blocks"
    );
    let from_critical = GateRules {
        pass_from: Priority::Critical,
        ..GateRules::default()
    };
    let v = judge(&night, &from_critical);
    assert!(v.go(), "below pass_from it only warns");
    let strict_below = GateRules {
        untested_below: Severity::Block,
        ..from_critical
    };
    assert!(!judge(&night, &strict_below).go());
}

#[test]
fn unread_warn_relaxes_an_unread_metric_to_a_warning() {
    let mut night = ready();
    night.unread.push(MetricUnread {
        name: "Throughput".into(),
        why: "no reading yet".into(),
    });
    let warn = GateRules {
        unread: Severity::Warn,
        ..GateRules::default()
    };
    let v = judge(&night, &warn);
    assert!(v.go());
    assert_eq!(
        texts(&v),
        [(Severity::Warn, "Throughput: not read (no reading yet)")]
    );
}

#[test]
fn unread_metrics_say_nothing_when_metrics_are_off() {
    let mut night = ready();
    night.unread.push(MetricUnread {
        name: "Throughput".into(),
        why: "connection refused".into(),
    });
    let off = GateRules {
        metrics: Severity::Off,
        ..GateRules::default()
    };
    assert!(judge(&night, &off).reasons.is_empty());
}

#[test]
fn progress_adds_no_new_blocker_but_a_new_subject_does() {
    let mut night = ready();
    for m in night.marks.iter_mut().take(4) {
        *m = MarkState::Open;
    }
    set_status(&mut night, "API-TIMEOUT", ItemStatus::InProgress);
    let rules = GateRules::default();
    let accepted: Vec<_> = judge(&night, &rules)
        .reasons
        .iter()
        .map(Reason::stood)
        .collect();

    night.marks[0] = MarkState::Done;
    assert!(
        new_blockers(&accepted, &judge(&night, &rules)).is_empty(),
        "a tick is progress"
    );

    night.marks[5] = MarkState::Open;
    let v = judge(&night, &rules);
    let new: Vec<&str> = new_blockers(&accepted, &v)
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(
        new,
        ["checklist: 4 required items open"],
        "an entry reopened is new"
    );

    let mut night = ready();
    set_status(&mut night, "API-TIMEOUT", ItemStatus::InProgress);
    set_status(&mut night, "PAY-PERF", ItemStatus::Failed);
    let v = judge(&night, &rules);
    let new: Vec<&str> = new_blockers(&accepted, &v)
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    assert_eq!(new, ["PAY-PERF: High item failed"]);
}
