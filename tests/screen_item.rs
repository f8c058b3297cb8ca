//! An item opened whole (`Enter`): its runs with their verdicts and a chart
//! of the one picked, its notes and its history, as reviewed snapshots.

mod common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::app::{Msg, Overlay, State, update};
use warroom::domain::evidence::Evidence;
use warroom::domain::{Action, ItemStatus};
use warroom::loadtest::{Call, Summarizer};

fn screen(state: &State, width: u16, height: u16) -> String {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| warroom::ui::render(state, frame))
        .expect("draw");
    terminal.backend().to_string()
}

/// A minute at 50 calls a second; the first run slows down from second 20
/// and fails 1 call in 300, some at the timeout.
fn run(slow: bool) -> Evidence {
    let mut summarizer = Summarizer::new(Some(std::time::Duration::from_millis(500)));
    for n in 0..3000_i64 {
        let second = n / 50;
        let failed = slow && n % 300 == 0;
        let elapsed = match (slow, second >= 20) {
            _ if failed && n % 900 == 0 => 510,
            (true, true) => 260,
            _ => 180,
        };
        summarizer.add(&Call {
            start_ms: 1_796_380_000_000 + n * 20,
            elapsed_ms: elapsed,
            ok: !failed,
            label: 0,
            code: 0,
        });
    }
    Evidence {
        item: "API-TIMEOUT".to_string(),
        file: if slow { "run-1930.jtl" } else { "run-2110.jtl" }.to_string(),
        bytes: 1_000,
        sha256: if slow { "aa" } else { "bb" }.to_string(),
        run: None,
        summary: summarizer.finish(None),
    }
}

fn night_with_runs() -> State {
    let mut state = common::demo_state();
    common::record(
        &mut state,
        "mina",
        "2026-11-27T19:20:00+09:00",
        vec![Action::ItemStatus {
            id: "API-TIMEOUT".into(),
            status: ItemStatus::InProgress,
        }],
    );
    common::record(
        &mut state,
        "mina",
        "2026-11-27T19:36:00+09:00",
        vec![Action::Evidence(Box::new(run(true)))],
    );
    common::record(
        &mut state,
        "joon",
        "2026-11-27T19:50:00+09:00",
        vec![Action::Note {
            item: Some("API-TIMEOUT".into()),
            text: "DB pool 20 -> 50; rerun at 21:00".into(),
        }],
    );
    common::record(
        &mut state,
        "mina",
        "2026-11-27T21:16:00+09:00",
        vec![
            Action::Evidence(Box::new(run(false))),
            Action::ItemStatus {
                id: "API-TIMEOUT".into(),
                status: ItemStatus::Passed,
            },
        ],
    );
    state
}

fn open_api_timeout(state: &mut State) {
    let at = state
        .view
        .item_order
        .iter()
        .position(|&i| state.night.ledger.items[i].id == "API-TIMEOUT")
        .expect("API-TIMEOUT in the demo");
    state.view.selected_item = at;
    update(state, Msg::OpenItem);
}

#[test]
fn enter_opens_the_item_with_its_runs_notes_and_history() {
    let mut state = night_with_runs();
    open_api_timeout(&mut state);
    assert!(matches!(state.view.overlay, Overlay::Item { .. }));
    let shown = screen(&state, 120, 40);
    assert!(
        shown.contains("✗ FAIL: 0.333% errors (at most 0.1%), 4 timeouts (at most 0)"),
        "{shown}"
    );
    assert!(shown.contains("✓ PASS"), "{shown}");
    assert!(
        shown.contains("run 2: TPS"),
        "the latest run is charted: {shown}"
    );
    insta::assert_snapshot!(shown);
}

#[test]
fn left_charts_the_earlier_run_and_esc_closes() {
    let mut state = night_with_runs();
    open_api_timeout(&mut state);
    update(&mut state, Msg::EarlierRun);
    let shown = screen(&state, 120, 40);
    assert!(shown.contains("run 1: TPS"), "{shown}");
    // There is no run before the first.
    update(&mut state, Msg::EarlierRun);
    assert!(screen(&state, 120, 40).contains("run 1: TPS"));
    update(&mut state, Msg::LaterRun);
    assert!(screen(&state, 120, 40).contains("run 2: TPS"));
    update(&mut state, Msg::Back);
    assert_eq!(state.view.overlay, Overlay::None);
}

#[test]
fn an_item_without_runs_says_how_to_add_one() {
    let mut state = common::demo_state();
    open_api_timeout(&mut state);
    let shown = screen(&state, 100, 30);
    assert!(
        shown.contains(
            "none yet: i imports one, or warroom import PLAN --item API-TIMEOUT RESULT-FILE"
        ),
        "{shown}"
    );
    assert!(shown.contains("History (0)"), "{shown}");
}

#[test]
fn enter_elsewhere_than_the_items_opens_nothing() {
    let mut state = night_with_runs();
    update(&mut state, Msg::Focus(warroom::app::Pane::Checklist));
    update(&mut state, Msg::OpenItem);
    assert_eq!(state.view.overlay, Overlay::None);
}
