use chrono::TimeZone;

use super::*;
use crate::domain::{Risk, Zone};

fn kst(m: u32, d: u32, h: u32, min: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, m, d, h, min, 0)
        .unwrap()
        .to_utc()
}

fn schedule(deploy_at: DateTime<Utc>) -> Schedule {
    Schedule {
        deploy_at,
        zone: Zone::Named(chrono_tz::Asia::Seoul),
        watch_for: std::time::Duration::from_secs(50 * 60),
        milestones: Vec::new(),
        check_in_every: None,
        check_ins_until: deploy_at,
    }
}

fn item(id: &str, priority: Priority, status: ItemStatus) -> ReleaseItem {
    ReleaseItem {
        id: id.into(),
        title: id.into(),
        priority,
        status,
        owner: None,
        risk: Some(Risk {
            impact: 5,
            likelihood: 5,
            recovery: std::time::Duration::from_secs(3600),
        }),
        added_at: Some(kst(11, 27, 16, 0)),
    }
}

/// The story's list at 16:00 on Friday: four open, eight passed earlier.
fn story_items() -> Vec<ReleaseItem> {
    use ItemStatus::{Passed, Untested};
    vec![
        item("API-TIMEOUT", Priority::Critical, Untested),
        item("PAY-PERF", Priority::High, Untested),
        item("SIGNUP-FLOW", Priority::Medium, Untested),
        item("ADMIN-UI", Priority::Low, Untested),
        item("COUPON-EXP", Priority::High, Passed),
        item("ORDER-HIST", Priority::Medium, Passed),
        item("PWD-MAIL", Priority::Low, Passed),
    ]
}

fn weekday(text: &str) -> WallTime {
    let (day, time) = text.split_once(' ').unwrap();
    WallTime::Weekday(
        day.parse().unwrap(),
        NaiveTime::parse_from_str(time, "%H:%M").unwrap(),
    )
}

fn story_policies() -> Vec<Policy> {
    vec![
        Policy {
            rule: Rule::FridayLowRiskOnly {
                holidays: Vec::new(),
            },
            severity: Severity::Warn,
        },
        Policy {
            rule: Rule::ListFrozenBy {
                by: weekday("thursday 18:00"),
            },
            severity: Severity::Warn,
        },
        Policy {
            rule: Rule::CriticalStagedBy {
                by: weekday("wednesday 18:00"),
            },
            severity: Severity::Block,
        },
    ]
}

fn judge(
    policies: &[Policy],
    deploy: DateTime<Utc>,
    items: &[ReleaseItem],
    passed_at: &[Option<DateTime<Utc>>],
    now: DateTime<Utc>,
) -> Vec<String> {
    let schedule = schedule(deploy);
    let input = PolicyInput {
        schedule: &schedule,
        deploy,
        items,
        passed_at,
        now,
    };
    evaluate(policies, &input)
        .iter()
        .map(|r| format!("{:?} {} [{}]", r.severity, r.said(), r.subjects.join(",")))
        .collect()
}

#[test]
fn the_story_night_breaks_three_rules() {
    let items = story_items();
    let none = vec![None; items.len()];
    let deploy = kst(11, 27, 23, 0);
    let at = |h, m| judge(&story_policies(), deploy, &items, &none, kst(11, 27, h, m));
    let expected = [
        "Warn Friday deploy: 3 items above Low risk (policy friday_low_risk_only) [friday_low_risk_only,API-TIMEOUT,PAY-PERF,SIGNUP-FLOW]",
        "Warn list arrived Fri 16:00, after the Thu 18:00 freeze (policy list_frozen_by) [list_frozen_by,API-TIMEOUT,PAY-PERF,SIGNUP-FLOW,ADMIN-UI,COUPON-EXP,ORDER-HIST,PWD-MAIL]",
        "Block API-TIMEOUT: Critical item not staged by Wed 18:00 (policy critical_staged_by) [critical_staged_by,API-TIMEOUT]",
    ];
    assert_eq!(at(16, 0), expected);
    assert_eq!(at(16, 40), expected);
    assert_eq!(at(22, 59), expected);
}

#[test]
fn items_passed_on_the_friday_still_count_for_the_friday_rule() {
    let mut items = story_items();
    for item in &mut items[..4] {
        item.status = ItemStatus::Passed;
    }
    // Passed during the evening: the journal says when.
    let evening = Some(kst(11, 27, 19, 40));
    let passed_at = [evening, evening, evening, evening, None, None, None];
    let deploy = kst(11, 27, 23, 0);
    let reasons = judge(
        &story_policies(),
        deploy,
        &items,
        &passed_at,
        kst(11, 27, 22, 30),
    );
    assert!(
        reasons[0].starts_with("Warn Friday deploy: 3 items above Low risk"),
        "{reasons:?}"
    );
    // Staged on Friday, two days late: the journal's time decides.
    assert!(reasons[2].starts_with("Block API-TIMEOUT: Critical item not staged by Wed 18:00"));
    // Passed on Wednesday at noon instead: the week carried them, not Friday.
    let wednesday = Some(kst(11, 25, 12, 0));
    let passed_at = [wednesday; 7];
    let reasons = judge(
        &story_policies(),
        deploy,
        &items,
        &passed_at,
        kst(11, 27, 22, 30),
    );
    assert_eq!(reasons.len(), 1, "only the list's freeze: {reasons:?}");
}

#[test]
fn a_critical_item_is_not_late_before_its_deadline() {
    let items = story_items();
    let none = vec![None; items.len()];
    // A deploy the next Friday: Wednesday 18:00 has not come yet on Tuesday.
    let deploy = kst(12, 4, 23, 0);
    let policies = &story_policies()[2..];
    assert!(judge(policies, deploy, &items, &none, kst(12, 1, 10, 0)).is_empty());
    assert_eq!(
        judge(policies, deploy, &items, &none, kst(12, 2, 18, 1)).len(),
        1
    );
}

#[test]
fn the_day_before_a_holiday_counts_as_a_friday_and_other_days_do_not() {
    let items = story_items();
    let none = vec![None; items.len()];
    let policy = [Policy {
        rule: Rule::FridayLowRiskOnly {
            holidays: vec![NaiveDate::from_ymd_opt(2026, 12, 25).unwrap()],
        },
        severity: Severity::Block,
    }];
    let thursday = kst(12, 24, 22, 0);
    assert_eq!(
        judge(&policy, thursday, &items, &none, thursday),
        [
            "Block Deploy the day before the 2026-12-25 holiday: 3 items above Low risk (policy friday_low_risk_only) [friday_low_risk_only,API-TIMEOUT,PAY-PERF,SIGNUP-FLOW]"
        ]
    );
    let tuesday = kst(12, 22, 22, 0);
    assert!(judge(&policy, tuesday, &items, &none, tuesday).is_empty());
}

#[test]
fn items_added_late_are_named() {
    let mut items = story_items();
    for item in &mut items {
        item.added_at = Some(kst(11, 24, 10, 0));
    }
    items[1].added_at = Some(kst(11, 27, 9, 0));
    let none = vec![None; items.len()];
    let deploy = kst(11, 27, 23, 0);
    assert_eq!(
        judge(&story_policies()[1..2], deploy, &items, &none, deploy),
        [
            "Warn 1 item added after the Thu 18:00 freeze: Fri 09:00 (policy list_frozen_by) [list_frozen_by,PAY-PERF]"
        ]
    );
    // Several, at several times: the first and the last.
    items[0].added_at = Some(kst(11, 26, 19, 15));
    items[2].added_at = Some(kst(11, 27, 16, 0));
    assert_eq!(
        judge(&story_policies()[1..2], deploy, &items, &none, deploy),
        [
            "Warn 3 items added after the Thu 18:00 freeze: Thu 19:15 to Fri 16:00 (policy list_frozen_by) [list_frozen_by,API-TIMEOUT,PAY-PERF,SIGNUP-FLOW]"
        ]
    );
    items[0].added_at = Some(kst(11, 24, 10, 0));
    items[2].added_at = Some(kst(11, 24, 10, 0));
    items[1].added_at = None;
    assert!(judge(&story_policies()[1..2], deploy, &items, &none, deploy).is_empty());
}

#[test]
fn freeze_windows_block_a_deploy_inside_them() {
    let items = story_items();
    let none = vec![None; items.len()];
    let hm = |h, m| NaiveTime::from_hms_opt(h, m, 0).unwrap();
    let policy = [Policy {
        rule: Rule::Freeze {
            weekly: vec![WeeklyWindow {
                from: (Weekday::Fri, hm(18, 0)),
                to: (Weekday::Mon, hm(6, 0)),
            }],
            dates: vec![DateRange {
                from: NaiveDate::from_ymd_opt(2026, 12, 24).unwrap(),
                to: NaiveDate::from_ymd_opt(2027, 1, 2).unwrap(),
            }],
        },
        severity: Severity::Block,
    }];
    let judge_at = |deploy| judge(&policy, deploy, &items, &none, deploy);
    assert_eq!(
        judge_at(kst(11, 27, 23, 0)),
        [
            "Block deploy Fri 2026-11-27 23:00 falls in the freeze Fri 18:00 – Mon 06:00 (policy freeze) [freeze]"
        ]
    );
    assert_eq!(
        judge_at(kst(11, 30, 5, 59)).len(),
        1,
        "Monday 05:59, still frozen"
    );
    assert!(
        judge_at(kst(11, 30, 6, 0)).is_empty(),
        "Monday 06:00, open again"
    );
    assert!(judge_at(kst(11, 26, 23, 0)).is_empty(), "Thursday night");
    assert_eq!(
        judge_at(kst(12, 29, 14, 0)),
        [
            "Block deploy Tue 2026-12-29 14:00 falls in the freeze 2026-12-24 – 2027-01-02 (policy freeze) [freeze]"
        ]
    );
}

#[test]
fn a_rule_set_off_says_nothing() {
    let items = story_items();
    let none = vec![None; items.len()];
    let mut policies = story_policies();
    for p in &mut policies {
        p.severity = Severity::Off;
    }
    let deploy = kst(11, 27, 23, 0);
    assert!(judge(&policies, deploy, &items, &none, deploy).is_empty());
}

#[test]
fn weekly_rules_hold_across_the_spring_change_in_berlin() {
    // Monday 30 March 2026 10:00 CEST; clocks went forward on Sunday.
    let berlin = chrono_tz::Europe::Berlin;
    let deploy = berlin
        .with_ymd_and_hms(2026, 3, 30, 10, 0, 0)
        .unwrap()
        .to_utc();
    let schedule = Schedule {
        zone: Zone::Named(berlin),
        ..schedule(deploy)
    };
    let mut items = story_items();
    // Thursday 18:30 CET: after the 18:00 freeze by half an hour.
    items[0].added_at = Some(
        berlin
            .with_ymd_and_hms(2026, 3, 26, 18, 30, 0)
            .unwrap()
            .to_utc(),
    );
    for item in &mut items[1..] {
        item.added_at = Some(
            berlin
                .with_ymd_and_hms(2026, 3, 26, 17, 59, 0)
                .unwrap()
                .to_utc(),
        );
    }
    let none = vec![None; items.len()];
    let input = PolicyInput {
        schedule: &schedule,
        deploy,
        items: &items,
        passed_at: &none,
        now: deploy,
    };
    let reasons = evaluate(&story_policies()[1..2], &input);
    assert_eq!(reasons.len(), 1);
    assert_eq!(
        reasons[0].said(),
        "1 item added after the Thu 18:00 freeze: Thu 18:30 (policy list_frozen_by)"
    );
    assert_eq!(reasons[0].subjects, ["list_frozen_by", "API-TIMEOUT"]);
}
