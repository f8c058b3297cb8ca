use chrono::{TimeZone, Utc};

use super::*;
use crate::app::{Effect, Msg, Overlay, Pane, State};
use crate::domain::Zone;
use crate::metrics::{Health, Sample};
use crate::plan::demo;

fn state() -> State {
    let plan = demo::plan();
    let now = demo::story_start(&plan);
    State::new(plan, now, Zone::utc())
}

#[test]
fn focus_moves_by_tab_and_number() {
    let cases = [
        (vec![Msg::FocusNext], Pane::Checklist),
        (vec![Msg::FocusNext, Msg::FocusNext], Pane::Metrics),
        (vec![Msg::FocusPrev], Pane::Countdown),
        (
            vec![Msg::Focus(Pane::Metrics), Msg::FocusNext],
            Pane::Countdown,
        ),
        (vec![Msg::Focus(Pane::Items)], Pane::Items),
    ];
    for (msgs, expected) in cases {
        let mut s = state();
        for msg in msgs.clone() {
            update(&mut s, msg);
        }
        assert_eq!(s.view.focus, expected, "{msgs:?}");
    }
}

#[test]
fn refocusing_the_same_pane_draws_nothing() {
    let mut s = state();
    assert_eq!(update(&mut s, Msg::Focus(Pane::Items)), vec![]);
    assert_eq!(update(&mut s, Msg::FocusNext), vec![Effect::Redraw]);
}

#[test]
fn selection_stays_inside_the_focused_pane() {
    let mut s = state();
    assert_eq!(update(&mut s, Msg::SelectPrev), vec![]);
    assert_eq!(update(&mut s, Msg::SelectNext), vec![Effect::Redraw]);
    assert_eq!(s.view.selected_item, 1);
    update(&mut s, Msg::SelectLast);
    assert_eq!(s.view.selected_item, 11);
    assert_eq!(update(&mut s, Msg::SelectNext), vec![]);
    assert_eq!(s.view.selected_item, 11);

    update(&mut s, Msg::Focus(Pane::Checklist));
    update(&mut s, Msg::SelectLast);
    assert_eq!((s.view.selected_check, s.view.selected_item), (29, 11));
    update(&mut s, Msg::SelectFirst);
    assert_eq!(s.view.selected_check, 0);

    update(&mut s, Msg::Focus(Pane::Countdown));
    assert_eq!(update(&mut s, Msg::SelectNext), vec![]);
}

#[test]
fn esc_closes_help_before_it_quits() {
    let mut s = state();
    assert_eq!(update(&mut s, Msg::ToggleHelp), vec![Effect::Redraw]);
    assert_eq!(s.view.overlay, Overlay::Help { scroll: 0 });
    assert_eq!(update(&mut s, Msg::Back), vec![Effect::Redraw]);
    assert_eq!(s.view.overlay, Overlay::None);
    assert_eq!(update(&mut s, Msg::Back), vec![Effect::Quit]);
    assert_eq!(update(&mut s, Msg::Quit), vec![Effect::Quit]);
}

#[test]
fn help_is_modal() {
    let mut s = state();
    update(&mut s, Msg::ToggleHelp);
    for msg in [
        Msg::FocusNext,
        Msg::Focus(Pane::Metrics),
        Msg::SelectNext,
        Msg::SelectLast,
    ] {
        assert_eq!(update(&mut s, msg.clone()), vec![], "{msg:?}");
    }
    assert_eq!((s.view.focus, s.view.selected_item), (Pane::Items, 0));
    assert_eq!(update(&mut s, Msg::ToggleHelp), vec![Effect::Redraw]);
    assert_eq!(s.view.overlay, Overlay::None);
}

#[test]
fn a_silent_source_turns_stale_on_the_tick() {
    let mut s = state();
    s.night.metrics.set_health(0, Health::Ok);
    let sample = Sample {
        at: s.night.now,
        value: 200.0,
    };
    update(&mut s, Msg::Samples(0, vec![sample]));
    let later = s.night.now + chrono::Duration::seconds(4);
    update(&mut s, Msg::Tick(later));
    assert_eq!(s.night.metrics.health(0), Some(&Health::Stale));
}

#[test]
fn a_tick_moves_the_clock_and_redraws() {
    let mut s = state();
    let later = s.night.now + chrono::Duration::seconds(1);
    assert_eq!(update(&mut s, Msg::Tick(later)), vec![Effect::Redraw]);
    assert_eq!(s.night.now, later);
    assert_eq!(
        s.night
            .plan
            .release
            .schedule
            .countdown(s.night.now, None)
            .to_string(),
        "T-6:19:59"
    );
    assert_eq!(update(&mut s, Msg::Tick(later)), vec![]);
}

#[test]
fn samples_in_view_redraw_and_old_ones_do_not() {
    let mut s = state();
    let fresh = Sample {
        at: s.night.now,
        value: 212.0,
    };
    let old = Sample {
        at: Utc.with_ymd_and_hms(2026, 11, 26, 0, 0, 0).unwrap(),
        value: 180.0,
    };
    assert_eq!(update(&mut s, Msg::Samples(0, vec![old])), vec![]);
    assert_eq!(
        update(&mut s, Msg::Samples(0, vec![fresh])),
        vec![Effect::Redraw]
    );
    assert_eq!(s.night.metrics.series(0).map(|x| x.len()), Some(2));
    assert_eq!(update(&mut s, Msg::Samples(99, vec![fresh])), vec![]);
}

#[test]
fn health_changes_redraw_once() {
    let mut s = state();
    let down = Health::Down("connection refused".into());
    assert_eq!(
        update(&mut s, Msg::Health(1, down.clone())),
        vec![Effect::Redraw]
    );
    assert_eq!(update(&mut s, Msg::Health(1, down.clone())), vec![]);
    assert_eq!(s.night.metrics.health(1), Some(&down));
}

#[test]
fn resize_redraws() {
    let mut s = state();
    assert_eq!(update(&mut s, Msg::Resize(100, 30)), vec![Effect::Redraw]);
}

#[test]
fn a_torn_tail_is_reported_on_screen() {
    use crate::journal::{Batch, TornTail};
    let mut s = state();
    update(
        &mut s,
        Msg::Journal(Batch {
            torn_tail: Some(TornTail { line: 7, bytes: 31 }),
            ..Batch::default()
        }),
    );
    assert_eq!(
        s.view.notice.map(|n| (n.error, n.text)),
        Some((
            true,
            "journal line 7 cut off mid-write (31 bytes): skipped; every line before it counts"
                .to_string()
        ))
    );
}

#[test]
fn a_line_read_back_before_its_save_answer_does_not_block_the_seat() {
    use crate::journal::{Batch, Position};
    let mut s = state();
    s.saving = 1;
    update(
        &mut s,
        Msg::Journal(Batch {
            position: Position {
                offset: 300,
                lines: 3,
            },
            ..Batch::default()
        }),
    );
    update(&mut s, Msg::Saved(Ok(300)));
    assert_eq!((s.saving, s.unread_until), (0, None));
}

#[test]
fn esc_closes_a_message_before_it_ever_quits() {
    use crossterm::event::{KeyCode, KeyEvent};
    let esc = || Msg::Key(KeyEvent::from(KeyCode::Esc));
    for error in [false, true] {
        let mut s = state();
        s.view.notice = Some(crate::app::Notice {
            error,
            text: "journal line 3 skipped".into(),
        });
        assert_eq!(
            update(&mut s, esc()),
            vec![Effect::Redraw],
            "error: {error}"
        );
        assert_eq!(s.view.notice, None);
        assert_eq!(update(&mut s, esc()), vec![Effect::Quit]);
    }
}

#[test]
fn samples_from_the_future_are_refused_and_said() {
    let mut s = state();
    let now = s.night.now;
    let samples = vec![
        Sample {
            at: now,
            value: 200.0,
        },
        Sample {
            at: now + chrono::TimeDelta::days(365),
            value: 1.0,
        },
    ];
    update(&mut s, Msg::Samples(0, samples));
    assert_eq!(s.night.metrics.series(0).map(|x| x.len()), Some(1));
    assert_eq!(
        s.view.notice.map(|n| (n.error, n.text)),
        Some((
            true,
            "API latency p95: 1 samples stamped ahead of this seat's clock were not charted; is a clock wrong?".into()
        ))
    );
}
