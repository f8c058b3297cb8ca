//! The story's team writes Korean names and notes: text is measured and cut
//! in terminal columns, so wide characters fit and the `…` of a cut stays
//! on screen. And a few colours the room reads at a glance, asserted cell by
//! cell, since a text snapshot passes with every colour wrong.

mod common;

use ratatui::buffer::Buffer;
use warroom::app::{Msg, Pane, State, update};
use warroom::domain::Zone;
use warroom::plan::{Plan, demo};

use common::screen::{draw, text};

/// The demo night with the team's own words: Korean titles and owners.
fn korean() -> State {
    let text = include_str!("../assets/demo.toml")
        .replace(
            "title = \"API timeout setting change\"",
            "title = \"API 타임아웃 설정 변경 (운영 고객 불만 대응)\"",
        )
        .replace("owner = \"dev-lead\"", "owner = \"김민아 개발리드\"")
        .replace(
            "title = \"Payment module performance\"",
            "title = \"결제 모듈 성능 개선 💳\"",
        )
        .replace("owner = \"payments\"", "owner = \"결제팀\"");
    let plan = Plan::parse(&text, "night.toml").expect("valid plan");
    let mut state = State::new(plan, demo::story_start(&demo::plan()), Zone::utc());
    state.night.demo = true;
    state.actor = "민아".into();
    state
}

fn line_with<'a>(screen: &'a str, needle: &str) -> &'a str {
    screen
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no line with {needle}:\n{screen}"))
}

#[test]
fn korean_at_80x24() {
    let screen = text(&draw(&korean(), 80, 24));
    assert!(line_with(&screen, "DEMO").contains("as 민아"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn korean_titles_are_cut_by_columns_at_120x40() {
    let screen = text(&draw(&korean(), 120, 40));
    let row = line_with(&screen, "┃API-TIMEOUT");
    assert!(row.contains("API 타임아웃 설정 변… "), "{row}");
    let row = line_with(&screen, "┃PAY-PERF");
    assert!(row.contains("결제 모듈 성능 개선 💳 "), "{row}");
}

#[test]
fn korean_titles_and_owners_at_200x60() {
    let screen = text(&draw(&korean(), 200, 60));
    let row = line_with(&screen, "┃PAY-PERF");
    assert!(row.contains("결제 모듈 성능 개선 💳"), "{row}");
    assert!(row.contains("결제팀"), "{row}");
    let row = line_with(&screen, "┃API-TIMEOUT");
    // A wide screen gives the items' columns the room to show them whole.
    assert!(
        row.contains("API 타임아웃 설정 변경 (운영 고객 불만 대응)"),
        "{row}"
    );
    assert!(row.contains("김민아 개발리드 "), "{row}");
    insta::assert_snapshot!(screen);
}

/// The status picker over the items: one key a status.
#[test]
fn the_status_picker() {
    let mut state = common::demo_state();
    update(&mut state, Msg::PickStatus);
    let screen = text(&draw(&state, 120, 40));
    assert!(screen.contains("Status: API-TIMEOUT"), "{screen}");
    insta::assert_snapshot!(screen);
}

#[test]
fn no_go_is_red_the_top_risk_is_marked_and_focus_is_cyan() {
    let state = common::demo_state();
    let buffer = draw(&state, 120, 40);
    let screen = text(&buffer);
    // The verdict: NO-GO on the second line, in red.
    let (x, y) = find(&buffer, "NO-GO").expect("the verdict");
    let palette = state.look.theme.palette();
    // A badge: the theme's background on its crit colour.
    assert_eq!(
        buffer[(x, y)].style().bg,
        Some(palette.crit.color()),
        "{screen}"
    );
    assert!(
        (1..=5).contains(&y),
        "in the band under the title: {screen}"
    );
    // The focused pane (items) has a cyan border; the others do not.
    assert_eq!(state.view.focus, Pane::Items);
    let cyan = Some(palette.accent.color());
    let (ix, iy) = find(&buffer, "1 Release items").expect("items title");
    assert_eq!(buffer[(ix - 2, iy)].style().fg, cyan);
    let (cx, cy) = find(&buffer, "2 Checklist").expect("checklist title");
    assert_ne!(buffer[(cx - 2, cy)].style().fg, cyan);
}

#[test]
fn a_crit_value_is_red_and_a_warn_value_amber() {
    let mut state = common::demo_state();
    let now = state.night.now;
    let at = |s: i64| now + chrono::TimeDelta::seconds(s);
    // API latency p95 (warn 400, crit 500) and avg (warn 300, crit 500).
    update(
        &mut state,
        Msg::Samples(
            0,
            vec![warroom::metrics::Sample {
                at: at(1),
                value: 612.0,
            }],
        ),
    );
    update(
        &mut state,
        Msg::Samples(
            1,
            vec![warroom::metrics::Sample {
                at: at(1),
                value: 420.0,
            }],
        ),
    );
    update(&mut state, Msg::Tick(at(1)));
    let buffer = draw(&state, 120, 40);
    let (x, y) = find(&buffer, "612 ms").expect("the p95 value");
    let palette = state.look.theme.palette();
    assert_eq!(buffer[(x, y)].style().fg, Some(palette.crit.color()));
    let (x, y) = find(&buffer, "420 ms").expect("the avg value");
    assert_eq!(buffer[(x, y)].style().fg, Some(palette.warn.color()));
}

/// Where `needle` starts on the screen, by cell.
fn find(buffer: &Buffer, needle: &str) -> Option<(u16, u16)> {
    let area = buffer.area;
    let first = needle.chars().next()?.to_string();
    for y in 0..area.height {
        for x in 0..area.width {
            if buffer[(x, y)].symbol() != first {
                continue;
            }
            let here: String = (x..area.width.min(x + needle.chars().count() as u16))
                .map(|i| buffer[(i, y)].symbol().to_string())
                .collect();
            if here == needle {
                return Some((x, y));
            }
        }
    }
    None
}
