//! The countdown pane through the night, cut from the whole screen at
//! 120×40: hours before, seconds before, minutes after the deploy, and a
//! check-in due on the Saturday morning.

mod common;

use chrono::TimeDelta;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::app::{Effect, Msg, State, update};
use warroom::domain::Action;

/// The countdown pane's rows: the right column from the pane's top border
/// to its bottom one.
fn pane(state: &State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|frame| warroom::ui::render(state, frame))
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    let rows: Vec<String> = (0..40)
        .map(|y| (66..120).map(|x| buffer[(x, y)].symbol()).collect())
        .collect();
    let top = rows
        .iter()
        .position(|r| r.contains("4 Countdown"))
        .expect("the countdown pane");
    let bottom = top
        + rows[top..]
            .iter()
            .position(|r| r.starts_with('└'))
            .expect("its bottom");
    rows[top..=bottom].join("\n")
}

fn screen(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal
        .draw(|frame| warroom::ui::render(state, frame))
        .expect("draw");
    terminal.backend().to_string()
}

fn at(offset: TimeDelta) -> State {
    let deploy = warroom::plan::demo::plan().release.schedule.deploy_at;
    common::demo_state_at(deploy + offset)
}

#[test]
fn six_hours_twenty_before() {
    let state = at(-TimeDelta::minutes(6 * 60 + 20));
    let pane = pane(&state);
    assert!(pane.contains("T-6:20:00"));
    insta::assert_snapshot!(pane);
}

#[test]
fn five_seconds_before() {
    let state = at(-TimeDelta::seconds(5));
    let pane = pane(&state);
    assert!(pane.contains("T-0:00:05"));
    insta::assert_snapshot!(pane);
}

#[test]
fn five_minutes_after_with_the_deploy_done() {
    let mut state = at(TimeDelta::minutes(5));
    common::record(
        &mut state,
        "mina",
        "2026-11-27T23:05:00+09:00",
        vec![Action::DeployDone],
    );
    let pane = pane(&state);
    assert!(pane.contains("T+0:05:00"));
    assert!(pane.contains("watching until 23:50 · 45:00 left"), "{pane}");
    assert!(
        pane.contains("23:00 · 14:00 UTC  deploy done 23:05 by mina"),
        "{pane}"
    );
    insta::assert_snapshot!(pane);
}

#[test]
fn five_minutes_after_without_a_word_it_is_still_deploying() {
    let state = at(TimeDelta::minutes(5));
    let pane = pane(&state);
    assert!(
        pane.contains("deploying · watch to 23:50 · D when done"),
        "{pane}"
    );
    // At 80 columns the hint still fits whole.
    assert!(screen(&state, 80, 24).contains("deploying · D when done"));
}

#[test]
fn saturday_morning_a_check_in_is_due() {
    // Sat 08:30: she checked in at 23:52 and then slept.
    let mut state = at(TimeDelta::minutes(9 * 60 + 30));
    common::record(
        &mut state,
        "mina",
        "2026-11-27T23:05:00+09:00",
        vec![Action::DeployDone],
    );
    common::record(
        &mut state,
        "mina",
        "2026-11-27T23:52:00+09:00",
        vec![Action::CheckIn { note: None }],
    );
    let now = state.night.now;
    let effects = update(&mut state, Msg::Tick(now));
    assert!(effects.contains(&Effect::Bell), "one bell as it falls due");
    let later = now + TimeDelta::seconds(1);
    assert!(
        !update(&mut state, Msg::Tick(later)).contains(&Effect::Bell),
        "and only one"
    );
    // The next slot rings again.
    let next = now + TimeDelta::minutes(20);
    assert!(update(&mut state, Msg::Tick(next)).contains(&Effect::Bell));
    update(&mut state, Msg::Tick(now));
    let pane = pane(&state);
    assert!(
        pane.contains("check-in due 08:20 · c · 16 missed"),
        "{pane}"
    );
    let narrow = screen(&state, 80, 24);
    assert!(
        narrow.contains("CHECK-IN DUE 08:20 · c · 16 missed"),
        "{narrow}"
    );
    insta::assert_snapshot!(pane);
}

#[test]
fn the_check_in_form_says_what_the_metrics_did_since_the_deploy() {
    let mut state = at(TimeDelta::minutes(9 * 60 + 30));
    update(&mut state, Msg::CheckIn);
    let screen = screen(&state, 120, 40);
    assert!(
        screen.contains("The check-in due 08:20 is open."),
        "{screen}"
    );
    // The seeded simulator: the same figures on every machine.
    assert!(
        screen.contains("API latency p95: average 249 ms, highest 279 ms since Fri 23:00"),
        "{screen}"
    );
    assert!(screen.contains("Enter on an empty note: checked, all well."));
    insta::assert_snapshot!(screen);
}

#[test]
fn the_check_in_form_says_a_metric_reached_crit_since_the_last_check_in() {
    // Deploy 23:00 done at 23:00, watch to 23:50; 00:40 now, checked in at 00:20.
    let mut state = at(TimeDelta::minutes(100));
    common::record(
        &mut state,
        "mina",
        "2026-11-28T00:20:00+09:00",
        vec![Action::CheckIn { note: None }],
    );
    let deploy = state.night.plan.release.schedule.deploy_at;
    let spike = |minutes: i64, value: f64| warroom::metrics::Sample {
        at: deploy + TimeDelta::minutes(minutes),
        value,
    };
    // p95 (crit 500 ms): 700 ms before the last check-in, seen then; 612 ms
    // at 00:31 and 640 ms at 00:32 after it.
    update(
        &mut state,
        Msg::Samples(
            0,
            vec![spike(70, 700.0), spike(91, 612.0), spike(92, 640.0)],
        ),
    );
    update(&mut state, Msg::CheckIn);
    let screen = screen(&state, 120, 40);
    assert!(
        screen.contains(
            "⚠ API latency p95 reached its crit 500 ms at 00:31:00, up to 640 ms, since the last check-in at 00:20"
        ),
        "{screen}"
    );
    // The 700 ms before the last check-in was seen then: one warning only.
    assert_eq!(screen.matches("reached its crit").count(), 1, "{screen}");
}
