use chrono::{DateTime, TimeDelta, Utc};

use super::*;
use crate::app::{Msg, update};
use crate::domain::Zone;
use crate::domain::ledger::{Outcome, Recorded, Stamp};
use crate::journal::Entry;
use crate::metrics::Sample;
use crate::plan::demo;

/// The demo plan's API latency p95: 1 s interval, crit 500 ms, held 30 s.
const P95: usize = 0;

fn state() -> State {
    let plan = demo::plan();
    let now = demo::story_start(&plan);
    let mut s = State::new(plan, now, Zone::utc());
    s.actor = "mina".into();
    s.seat = "seat-1".into();
    s
}

fn at(s: &State, secs: i64) -> DateTime<Utc> {
    s.night.now + TimeDelta::seconds(secs)
}

/// Feeds one p95 sample a second from `first`; returns every effect.
fn feed(s: &mut State, first: i64, values: &[f64]) -> Vec<Vec<Effect>> {
    values
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let sample = Sample {
                at: at(s, first + i as i64),
                value: *v,
            };
            update(s, Msg::Samples(P95, vec![sample]))
        })
        .collect()
}

fn alert_actions(effects: &[Effect]) -> Vec<Action> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append(Entry {
                action: Some(a), ..
            }) => Some(a.clone()),
            _ => None,
        })
        .collect()
}

/// A p95 alert's start as another seat recorded it.
fn p95_start(s: &State, value: f64, since: i64, held_secs: u64) -> AlertFigures {
    AlertFigures {
        metric: "API latency p95".into(),
        unit: "ms".into(),
        limit: 500.0,
        value,
        since: at(s, since).fixed_offset(),
        held_secs,
    }
}

fn apply(s: &mut State, line: u64, actor: &str, action: Action) -> Outcome {
    s.night
        .ledger
        .apply(Recorded {
            line,
            stamp: Stamp {
                actor: actor.into(),
                at: s.night.now.fixed_offset(),
            },
            seat: Some(format!("{actor}-seat")),
            role: None,
            action,
            undoes: None,
        })
        .clone()
}

#[test]
fn the_alert_starts_at_the_thirtieth_second_with_one_bell_and_ends_at_the_first_sample_below() {
    let mut s = state();
    let mut values = vec![480.0];
    values.extend([612.0; 29]);
    values.push(640.0);
    values.extend([700.0, 730.0, 650.0, 612.0]);
    values.extend([420.0, 430.0]);
    let effects = feed(&mut s, 0, &values);

    let bells: Vec<usize> = (0..effects.len())
        .filter(|i| effects[*i].contains(&Effect::Bell))
        .collect();
    assert_eq!(
        bells,
        [30],
        "one bell, when the 30th second at or above 500 ms came in"
    );
    let starts: Vec<(usize, Action)> = (0..effects.len())
        .flat_map(|i| alert_actions(&effects[i]).into_iter().map(move |a| (i, a)))
        .collect();
    assert_eq!(starts.len(), 2, "one start, one end: {starts:?}");
    let (i, Action::AlertStart(start)) = &starts[0] else {
        panic!("the start first: {starts:?}");
    };
    assert_eq!(*i, 30);
    assert_eq!(
        start.to_string(),
        "API latency p95 640 ms > 500 ms for 30 s"
    );
    assert_eq!(start.since, at(&s, 1).fixed_offset());
    let (i, Action::AlertEnd(end)) = &starts[1] else {
        panic!("then the end: {starts:?}");
    };
    assert_eq!(*i, 35, "at 420 ms, the first sample below");
    assert_eq!((end.value, end.held_secs), (730.0, 34));
    assert_eq!(
        Action::AlertEnd(end.clone()).to_string(),
        "alert over: API latency p95 at or above 500 ms for 34 s (peak 730 ms)"
    );
    assert!(s.alerts[P95].is_none());
}

#[test]
fn the_banner_text_follows_the_latest_sample() {
    let mut s = state();
    feed(&mut s, 0, &[612.0; 40]);
    let texts: Vec<String> = current(&s).iter().map(ToString::to_string).collect();
    assert_eq!(texts, ["API latency p95 612 ms > 500 ms for 40 s"]);
}

#[test]
fn a_short_spike_is_no_alert() {
    let mut s = state();
    let mut values = vec![900.0; 29];
    values.push(100.0);
    let effects = feed(&mut s, 0, &values);
    assert!(effects.iter().all(|e| alert_actions(e).is_empty()));
    assert!(effects.iter().all(|e| !e.contains(&Effect::Bell)));
}

#[test]
fn a_bell_can_be_turned_off_in_the_plan() {
    let mut s = state();
    s.night.plan.metrics[P95].bell = false;
    let effects = feed(&mut s, 0, &[612.0; 31]);
    assert!(effects.iter().all(|e| !e.contains(&Effect::Bell)));
    assert_eq!(
        effects
            .iter()
            .map(|e| alert_actions(e).len())
            .sum::<usize>(),
        1
    );
}

#[test]
fn a_batch_of_samples_ends_the_alert_with_the_run_peak() {
    let mut s = state();
    feed(&mut s, 0, &[612.0; 31]);
    // The source was slow: the rest of the run and its end arrive together.
    let batch: Vec<Sample> = [(31, 900.0), (32, 300.0), (33, 200.0)]
        .iter()
        .map(|(t, v)| Sample {
            at: at(&s, *t),
            value: *v,
        })
        .collect();
    let effects = update(&mut s, Msg::Samples(P95, batch));
    let ends = alert_actions(&effects);
    let [Action::AlertEnd(end)] = &ends[..] else {
        panic!("one end: {ends:?}");
    };
    assert_eq!((end.value, end.held_secs), (900.0, 32));
}

#[test]
fn an_alert_left_open_by_a_seat_that_quit_is_closed_once() {
    let mut s = state();
    let start = p95_start(&s, 612.0, 0, 30);
    assert_eq!(
        apply(&mut s, 1, "joon", Action::AlertStart(start)),
        Outcome::Applied
    );
    // This seat's samples: the run that began then, over since second 40.
    let mut values = vec![600.0; 40];
    values.extend([200.0, 210.0, 220.0]);
    let effects = feed(&mut s, 0, &values);
    let ends: Vec<Action> = effects.iter().flat_map(|e| alert_actions(e)).collect();
    // This seat saw the alert too, so it ends it on its own; only once.
    assert_eq!(ends.len(), 2, "{ends:?}");
    assert!(matches!(&ends[0], Action::AlertStart(_)));
    assert!(matches!(&ends[1], Action::AlertEnd(e) if e.value == 600.0));
}

#[test]
fn an_alert_left_open_that_this_seat_never_saw_firing_is_closed_once() {
    let mut s = state();
    let start = p95_start(&s, 612.0, -28, 30);
    // joon's seat recorded it at the time this seat's samples begin.
    apply(&mut s, 1, "joon", Action::AlertStart(start));
    // Seen from here it held only 5 s: no alert of this seat's own.
    let effects = feed(
        &mut s,
        0,
        &[600.0, 610.0, 620.0, 630.0, 640.0, 200.0, 200.0],
    );
    let ends: Vec<Action> = effects.iter().flat_map(|e| alert_actions(e)).collect();
    let [Action::AlertEnd(end)] = &ends[..] else {
        panic!("one end: {ends:?}");
    };
    assert_eq!((end.value, end.held_secs), (640.0, 5));
}

#[test]
fn alerts_are_not_a_persons_to_undo() {
    let mut s = state();
    let start = p95_start(&s, 612.0, 0, 30);
    apply(&mut s, 1, "mina", Action::AlertStart(start));
    assert_eq!(
        s.night.ledger.undo_for("mina", Some("mina-seat")),
        Err(crate::domain::ledger::UndoRefused::Nothing)
    );
}

#[test]
fn a_batch_that_ends_one_run_and_starts_another_records_both() {
    let mut s = state();
    feed(&mut s, 0, &[612.0; 31]);
    // One read brings the dip and a new run held long enough.
    let mut values = vec![300.0];
    values.extend([700.0; 31]);
    let batch: Vec<Sample> = values
        .iter()
        .enumerate()
        .map(|(i, v)| Sample {
            at: at(&s, 31 + i as i64),
            value: *v,
        })
        .collect();
    let effects = update(&mut s, Msg::Samples(P95, batch));
    let actions = alert_actions(&effects);
    let [Action::AlertEnd(end), Action::AlertStart(start)] = &actions[..] else {
        panic!("an end, then a start: {actions:?}");
    };
    assert_eq!((end.value, end.held_secs), (612.0, 31));
    assert_eq!(
        (start.value, start.since),
        (700.0, at(&s, 32).fixed_offset())
    );
    assert!(effects.contains(&Effect::Bell), "a new alert rings");
}

#[test]
fn an_alert_left_open_before_this_seats_data_begins_is_still_closed() {
    let mut s = state();
    let start = p95_start(&s, 640.0, -3600, 45);
    apply(&mut s, 1, "joon", Action::AlertStart(start));
    // This seat's samples begin an hour later, all calm.
    let effects = feed(&mut s, 0, &[200.0, 210.0]);
    let ends: Vec<Action> = effects.iter().flat_map(|e| alert_actions(e)).collect();
    let [Action::AlertEnd(end)] = &ends[..] else {
        panic!("one end: {ends:?}");
    };
    assert_eq!(
        (end.value, end.held_secs),
        (640.0, 45),
        "what the start said"
    );
}

#[test]
fn an_alert_line_the_journal_refused_is_written_again_after_a_while() {
    let mut s = state();
    let effects = feed(&mut s, 0, &[612.0; 31]);
    let entry = effects
        .iter()
        .flatten()
        .find_map(|e| match e {
            Effect::Append(entry) => Some(entry.clone()),
            _ => None,
        })
        .expect("the start");
    update(
        &mut s,
        Msg::AlertNotSaved(entry.clone(), "disk full".into()),
    );
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.as_str()),
        Some("disk full")
    );
    let tick = |s: &mut State, secs| update(s, Msg::Tick(at(s, 0) + TimeDelta::seconds(secs)));
    let now = s.night.now;
    let appends = |effects: Vec<Effect>| {
        effects
            .into_iter()
            .filter(|e| matches!(e, Effect::Append(_)))
            .collect::<Vec<_>>()
    };
    assert!(appends(tick(&mut s, 5)).is_empty(), "not at once");
    s.night.now = now;
    assert_eq!(appends(tick(&mut s, 11)), [Effect::Append(entry)]);
    assert!(appends(tick(&mut s, 30)).is_empty(), "once written, done");
}
