use chrono::TimeZone;

use super::*;

/// The story's night: Friday 27 November 2026, deploy 23:00 in Seoul, watch
/// 50 minutes, then a check-in every 30 minutes until Monday 09:00.
fn story() -> Schedule {
    Schedule {
        deploy_at: kst(27, 23, 0, 0),
        zone: Zone::Named(chrono_tz::Asia::Seoul),
        watch_for: Duration::from_secs(50 * 60),
        milestones: vec![
            milestone(kst(27, 18, 0, 0), "staging deploy"),
            milestone(kst(27, 19, 30, 0), "load test"),
            milestone(kst(27, 22, 30, 0), "go/no-go meeting"),
        ],
        check_in_every: Some(Duration::from_secs(30 * 60)),
        check_ins_until: kst(30, 9, 0, 0),
    }
}

fn kst(d: u32, h: u32, m: u32, s: u32) -> DateTime<Utc> {
    chrono_tz::Asia::Seoul
        .with_ymd_and_hms(2026, 11, d, h, m, s)
        .unwrap()
        .to_utc()
}

fn milestone(at: DateTime<Utc>, label: &str) -> Milestone {
    Milestone {
        at,
        label: label.into(),
        group: None,
    }
}

#[test]
fn the_story_moments() {
    let s = story();
    let cases = [
        (kst(27, 16, 0, 0), None, Phase::BeforeDeploy, "T-7:00:00"),
        (kst(27, 16, 40, 0), None, Phase::BeforeDeploy, "T-6:20:00"),
        (kst(27, 22, 59, 55), None, Phase::BeforeDeploy, "T-0:00:05"),
        (kst(27, 23, 5, 0), None, Phase::Deploying, "T+0:05:00"),
        (
            kst(27, 23, 5, 0),
            Some(kst(27, 23, 5, 0)),
            Phase::Watching,
            "T+0:05:00",
        ),
        (
            kst(27, 23, 51, 0),
            Some(kst(27, 23, 5, 0)),
            Phase::CheckIns,
            "T+0:51:00",
        ),
        (
            kst(28, 8, 30, 0),
            Some(kst(27, 23, 5, 0)),
            Phase::CheckIns,
            "T+9:30:00",
        ),
        (
            kst(30, 9, 0, 0),
            Some(kst(27, 23, 5, 0)),
            Phase::Done,
            "T+58:00:00",
        ),
    ];
    for (now, done, phase, countdown) in cases {
        assert_eq!(s.phase(now, done), phase, "{now} done {done:?}");
        assert_eq!(s.countdown(now, done).to_string(), countdown, "{now}");
    }
    // The watch ends at 23:50 whether or not she pressed D at 23:05.
    assert_eq!(s.watch_until(None), kst(27, 23, 50, 0));
    assert_eq!(s.watch_until(Some(kst(27, 23, 5, 0))), kst(27, 23, 50, 0));
}

#[test]
fn a_deploy_done_early_starts_the_watch_early() {
    let s = story();
    let early = Some(kst(27, 22, 55, 0));
    assert_eq!(s.phase(kst(27, 22, 56, 0), early), Phase::Watching);
    assert_eq!(
        s.countdown(kst(27, 22, 56, 0), early).to_string(),
        "T+0:01:00"
    );
    assert_eq!(s.watch_until(early), kst(27, 23, 45, 0));
}

#[test]
fn upcoming_milestones() {
    let s = story();
    let labels = |now| {
        s.upcoming(now)
            .map(|m| m.label.as_str())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        labels(kst(27, 16, 40, 0)),
        ["staging deploy", "load test", "go/no-go meeting"]
    );
    assert_eq!(
        labels(kst(27, 19, 30, 0)),
        ["load test", "go/no-go meeting"]
    );
    assert!(labels(kst(27, 23, 0, 0)).is_empty());
}

#[test]
fn check_ins_fall_due_every_30_minutes_after_the_watch() {
    let s = story();
    let done = Some(kst(27, 23, 5, 0));
    assert_eq!(
        s.check_ins(kst(27, 23, 49, 0), done, &[]),
        None,
        "still watching"
    );
    assert_eq!(
        s.check_ins(kst(27, 23, 51, 0), done, &[]),
        Some(CheckIns {
            due: Some(kst(27, 23, 50, 0)),
            missed: 0,
            next: Some(kst(28, 0, 20, 0)),
            just_missed: None,
        })
    );
    let made = [kst(27, 23, 52, 0)];
    assert_eq!(
        s.check_ins(kst(27, 23, 53, 0), done, &made).unwrap().due,
        None
    );
    // Saturday 08:30: the 08:20 slot is due; she slept through 00:20 to 07:50.
    let saturday = s.check_ins(kst(28, 8, 30, 0), done, &made).unwrap();
    assert_eq!(saturday.due, Some(kst(28, 8, 20, 0)));
    assert_eq!(saturday.missed, 16);
    let checked = [kst(27, 23, 52, 0), kst(28, 8, 25, 0)];
    assert_eq!(
        s.check_ins(kst(28, 8, 30, 0), done, &checked).unwrap().due,
        None
    );
    // Monday 09:00: over. 115 slots, 23:50 to Monday 08:50; two were covered.
    let over = s.check_ins(kst(30, 9, 0, 0), done, &checked).unwrap();
    assert_eq!((over.due, over.next), (None, None));
    assert_eq!(over.missed, 113);
}

#[test]
fn no_check_ins_without_an_interval() {
    let mut s = story();
    s.check_in_every = None;
    assert_eq!(s.check_ins(kst(28, 8, 30, 0), None, &[]), None);
    assert_eq!(s.phase(kst(28, 8, 30, 0), None), Phase::Done);
}

#[test]
fn across_the_autumn_change_in_berlin() {
    // Saturday 24 October 2026, 23:00 CEST; at Sunday 03:00 CEST clocks go back
    // to 02:00 CET. The countdown counts real time, not the wall clock.
    let berlin = chrono_tz::Europe::Berlin;
    let s = Schedule {
        deploy_at: berlin
            .with_ymd_and_hms(2026, 10, 24, 23, 0, 0)
            .unwrap()
            .to_utc(),
        zone: Zone::Named(berlin),
        watch_for: Duration::from_secs(50 * 60),
        milestones: Vec::new(),
        check_in_every: Some(Duration::from_secs(30 * 60)),
        check_ins_until: berlin
            .with_ymd_and_hms(2026, 10, 25, 12, 0, 0)
            .unwrap()
            .to_utc(),
    };
    // 02:30 CET, the second 02:30 of the night: 4 h 30 min after the deploy.
    let later = Utc.with_ymd_and_hms(2026, 10, 25, 1, 30, 0).unwrap();
    assert_eq!(
        s.zone.at(later).format("%H:%M %Z").to_string(),
        "02:30 +01:00"
    );
    assert_eq!(s.countdown(later, None).to_string(), "T+4:30:00");
    assert_eq!(s.phase(later, None), Phase::CheckIns);
    // Slots every 30 real minutes from 23:50 CEST (21:50 UTC): 02:20 CET is
    // 01:20 UTC, the eighth slot after the first.
    let due = s.check_ins(later, None, &[]).unwrap();
    assert_eq!(
        due.due,
        Some(Utc.with_ymd_and_hms(2026, 10, 25, 1, 20, 0).unwrap())
    );
    assert_eq!(due.missed, 7);
}

#[test]
fn story_countdowns_round_toward_the_deploy() {
    let s = story();
    let almost = kst(27, 22, 59, 59) + TimeDelta::milliseconds(500);
    assert_eq!(s.countdown(almost, None).to_string(), "T-0:00:01");
    let just_after = kst(27, 23, 0, 0) + TimeDelta::milliseconds(500);
    assert_eq!(s.countdown(just_after, None).to_string(), "T+0:00:00");
}

fn missed_at(
    s: &Schedule,
    now: DateTime<Utc>,
    done: Option<DateTime<Utc>>,
    made: &[DateTime<Utc>],
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    s.check_ins(now, done, made).and_then(|c| c.just_missed)
}

#[test]
fn the_slot_just_ended_without_a_check_in_is_missed_for_one_interval() {
    let s = story();
    let done = Some(kst(27, 23, 5, 0));
    let made = [kst(27, 23, 52, 0)];
    // 00:21: the 23:50 slot was covered, nothing missed yet.
    assert_eq!(missed_at(&s, kst(28, 0, 21, 0), done, &made), None);
    // 00:51: the 00:20 slot ended at 00:50 with no check-in.
    assert_eq!(
        missed_at(&s, kst(28, 0, 51, 0), done, &made),
        Some((kst(28, 0, 20, 0), kst(28, 0, 50, 0)))
    );
    // 01:21: the 00:50 slot now; the 00:20 one is history.
    assert_eq!(
        missed_at(&s, kst(28, 1, 21, 0), done, &made),
        Some((kst(28, 0, 50, 0), kst(28, 1, 20, 0)))
    );
    // Monday: the last slot (08:50) was missed, said until 09:50, then not.
    assert_eq!(
        missed_at(&s, kst(30, 9, 10, 0), done, &made),
        Some((kst(30, 8, 50, 0), kst(30, 9, 20, 0)))
    );
    assert_eq!(missed_at(&s, kst(30, 12, 0, 0), done, &made), None);
}
