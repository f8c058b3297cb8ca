//! Every size from 80×24 to 250×70 in each layout: the four panes, one pane
//! enlarged (`f`), and presenter mode (`p`); with the demo and with a plan of
//! long titles, long owners and Korean text. Also what presenter mode hides,
//! and what no screen shows in any mode.

mod common;

use ratatui::buffer::Buffer;
use warroom::app::{Msg, Pane, State, update};
use warroom::domain::Zone;
use warroom::metrics::Health;
use warroom::plan::{Plan, demo};

const SIZES: [(u16, u16); 4] = [(80, 24), (120, 40), (200, 60), (250, 70)];

fn draw(state: &State, width: u16, height: u16) -> Buffer {
    let mut state = state.clone();
    update(&mut state, Msg::Resize(width, height));
    common::screen::draw(&state, width, height)
}

use common::screen::text;

/// A plan that pushes every column: long titles and owners, Korean text.
fn long_words() -> State {
    let text = include_str!("../assets/demo.toml")
        .replace(
            "title = \"API timeout setting change\"",
            "title = \"API gateway timeout 500ms -> 3s for the bulk order export (customer escalations)\"",
        )
        .replace(
            "owner = \"dev-lead\"",
            "owner = \"platform-team-oncall-secondary\"",
        )
        .replace(
            "title = \"Payment module performance\"",
            "title = \"결제 모듈 성능 개선: 카드 승인 지연 해소 💳\"",
        )
        .replace("owner = \"payments\"", "owner = \"결제팀 김민아 개발리드\"");
    let plan = Plan::parse(&text, "night.toml").expect("valid plan");
    let mut state = State::new(plan, demo::story_start(&demo::plan()), Zone::utc());
    state.night.demo = true;
    state.actor = "mina".into();
    state
}

fn layouts(base: &State) -> Vec<(&'static str, State)> {
    let mut full = base.clone();
    update(&mut full, Msg::Focus(Pane::Checklist));
    update(&mut full, Msg::FullPane);
    let mut present = base.clone();
    update(&mut present, Msg::Present);
    update(&mut present, Msg::Focus(Pane::Metrics));
    vec![
        ("normal", base.clone()),
        ("full", full),
        ("present", present),
    ]
}

#[test]
fn the_demo_in_every_layout_at_every_size() {
    for (layout, state) in layouts(&common::demo_state()) {
        for (w, h) in SIZES {
            let buffer = draw(&state, w, h);
            let screen = text(&buffer);
            // Always: how to find the keys and how to leave.
            let footer = screen.lines().last().unwrap_or_default();
            assert!(
                footer.contains("? help") && footer.contains("q quit"),
                "{layout} {w}×{h}: {footer}"
            );
            // The verdict, in words and large.
            assert!(screen.contains("NO-GO ✗"), "{layout} {w}×{h}\n{screen}");
            let palette = state.look.theme.palette();
            assert_eq!(buffer[(1, 1)].symbol(), "█", "{layout} {w}×{h}");
            assert_eq!(buffer[(1, 1)].fg, palette.crit.color());
            insta::assert_snapshot!(format!("demo_{layout}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn long_titles_owners_and_korean_in_every_layout_at_every_size() {
    for (layout, state) in layouts(&long_words()) {
        for (w, h) in SIZES {
            let screen = text(&draw(&state, w, h));
            insta::assert_snapshot!(format!("long_{layout}_{w}x{h}"), screen);
        }
    }
}

#[test]
fn an_enlarged_checklist_shows_all_thirty_and_a_short_one_says_how_many_more() {
    let state = common::demo_state();
    let mut full = state.clone();
    update(&mut full, Msg::Focus(Pane::Checklist));
    update(&mut full, Msg::FullPane);
    // Enlarged on a big screen, all of it; on 120×40 a few under the fold.
    let screen = text(&draw(&full, 200, 60));
    assert!(!screen.contains("more · PgDn"), "{screen}");
    assert!(text(&draw(&full, 120, 40)).contains("↓6 more · PgDn"));
    let screen = text(&draw(&state, 120, 40));
    assert!(screen.contains("↓19 more · PgDn"), "{screen}");
    // A page down: the next entries, and what is now above.
    let mut paged = state.clone();
    update(&mut paged, Msg::Resize(120, 40));
    update(&mut paged, Msg::Focus(Pane::Checklist));
    update(&mut paged, Msg::PageDown);
    let screen = text(&draw(&paged, 120, 40));
    assert!(screen.contains("↑"), "{screen}");
    let page = warroom::ui::page_rows(&paged, Pane::Checklist);
    assert_eq!(page, 14, "the rows the list shows at 120×40");
    assert_eq!(paged.view.selected_check, page);
}

#[test]
fn presenter_mode_masks_the_private_and_no_mode_shows_a_secret() {
    const SECRET: &str = "tok-3f9a8b7c6d5e4f30";
    warroom::outside::keep_secret(SECRET);
    let mut plan = demo::plan();
    plan.private = vec!["dev-lead".into(), "payments".into()];
    let mut state = State::new(plan, demo::story_start(&demo::plan()), Zone::utc());
    update(&mut state, Msg::Focus(Pane::Metrics));
    update(
        &mut state,
        Msg::Health(
            0,
            Health::down(format!(
                "http://ops:{SECRET}@10.20.30.40:9090/api/v1/query said 401 (token {SECRET})"
            )),
        ),
    );
    for present in [false, true] {
        let mut state = state.clone();
        if present {
            update(&mut state, Msg::Present);
        }
        for (w, h) in SIZES {
            for full in [false, true] {
                let mut state = state.clone();
                if full {
                    update(&mut state, Msg::FullPane);
                }
                let screen = text(&draw(&state, w, h));
                assert!(!screen.contains(SECRET), "{w}×{h}\n{screen}");
                assert!(!screen.contains("ops:"), "credentials: {w}×{h}\n{screen}");
                if present {
                    assert!(!screen.contains("10.20.30.40"), "{w}×{h}\n{screen}");
                    assert!(!screen.contains("dev-lead"), "{w}×{h}\n{screen}");
                }
            }
        }
    }
    // The items pane shows owners: presenting, they are masked.
    let mut present = state.clone();
    update(&mut present, Msg::Present);
    update(&mut present, Msg::Focus(Pane::Items));
    let screen = text(&draw(&present, 200, 60));
    assert!(screen.contains("••••••••"), "{screen}");
    assert!(!screen.contains("dev-lead"), "{screen}");
    let mut normal = state.clone();
    update(&mut normal, Msg::Focus(Pane::Items));
    assert!(text(&draw(&normal, 200, 60)).contains("dev-lead"));
}

#[test]
fn presenter_mode_moves_through_the_panes_on_its_interval() {
    let mut state = common::demo_state();
    update(&mut state, Msg::Cycle);
    assert_eq!(state.view.focus, Pane::Items, "not presenting: no cycle");
    update(&mut state, Msg::Present);
    update(&mut state, Msg::Cycle);
    assert_eq!(state.view.focus, Pane::Checklist);
    let screen = text(&draw(&state, 120, 40));
    assert!(screen.contains("2 Checklist") && !screen.contains("1 Release items"));
    assert!(screen.contains("PRESENTING"));
    // An overlay someone opened stays put.
    update(&mut state, Msg::ToggleHelp);
    update(&mut state, Msg::Cycle);
    assert_eq!(state.view.focus, Pane::Checklist);
}

#[test]
fn short_of_rows_every_metric_bar_spans_the_same_columns() {
    let mut plan = demo::plan();
    let originals = plan.metrics.clone();
    for round in 0..2 {
        for m in &originals {
            let mut m = m.clone();
            m.name = format!("{} #{round}", m.name);
            plan.metrics.push(m);
        }
    }
    let now = demo::story_start(&plan);
    let mut state = State::new(plan, now, Zone::utc());
    state.night.demo = true;
    // Values of every width: 0.002%, 1614 TPS, 244 ms.
    for id in 0..state.night.plan.metrics.len() {
        let value = [244.0, 176.0, 329.0, 0.002, 1614.0][id % 5];
        let samples = (0..300)
            .map(|s| warroom::metrics::Sample {
                at: now - chrono::TimeDelta::seconds(299 - s),
                value,
            })
            .collect();
        update(&mut state, Msg::Samples(id, samples));
    }
    let buffer = draw(&state, 80, 24);
    let screen = text(&buffer);
    let bars = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let mut spans = Vec::new();
    for y in 0..24 {
        let xs: Vec<u16> = (44..80)
            .filter(|&x| {
                let s = buffer[(x, y)].symbol();
                s.chars().count() == 1 && s.chars().all(|c| bars.contains(&c))
            })
            .collect();
        if let (Some(first), Some(last)) = (xs.first(), xs.last()) {
            spans.push((*first, *last));
        }
    }
    assert!(spans.len() >= 5, "{screen}");
    assert!(
        spans.windows(2).all(|w| w[0] == w[1]),
        "bars start and end at one column: {spans:?}\n{screen}"
    );
}

#[test]
fn the_help_scrolls_on_a_short_screen_and_says_what_is_below() {
    let mut state = common::demo_state();
    update(&mut state, Msg::Resize(80, 24));
    update(&mut state, Msg::ToggleHelp);
    let screen = text(&draw(&state, 80, 24));
    assert!(screen.contains("↓10 more (j, PgDn)"), "{screen}");
    assert!(!screen.contains("q / Ctrl-C"), "{screen}");
    update(&mut state, Msg::PageDown);
    let screen = text(&draw(&state, 80, 24));
    assert!(screen.contains("q / Ctrl-C"), "{screen}");
    assert!(screen.contains("↑10 · ? or Esc to close"), "{screen}");
    // On a tall screen every key shows at once.
    let mut tall = common::demo_state();
    update(&mut tall, Msg::ToggleHelp);
    let screen = text(&draw(&tall, 120, 40));
    assert!(screen.contains("q / Ctrl-C") && screen.contains("Tab / Shift-Tab"));
    assert!(screen.contains(" ? or Esc to close "), "{screen}");
}

#[test]
fn slash_filters_the_items_by_id_title_or_owner() {
    use crossterm::event::{KeyCode, KeyEvent};
    let key = |c: KeyCode| Msg::Key(KeyEvent::from(c));
    let mut state = common::demo_state();
    update(&mut state, Msg::Focus(Pane::Checklist));
    update(&mut state, key(KeyCode::Char('/')));
    assert_eq!(state.view.focus, Pane::Items);
    for c in "PAY".chars() {
        update(&mut state, key(KeyCode::Char(c)));
    }
    let screen = text(&draw(&state, 120, 40));
    assert!(screen.contains("/PAY▏ 2 of 12 shown"), "{screen}");
    assert!(screen.contains("Enter keeps it"), "{screen}");
    assert!(screen.contains("? help"), "{screen}");
    // PAY-PERF by its id, COUPON-EXP by its owner, payments.
    let shown: Vec<&str> = state
        .view
        .item_order
        .iter()
        .map(|&i| state.night.ledger.items[i].id.as_str())
        .collect();
    assert_eq!(shown, ["PAY-PERF", "COUPON-EXP"]);
    // Typed keys are the filter's, not actions: `s` did not open the picker.
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Char('s')));
    assert_eq!(state.view.filter.as_deref(), Some("PAs"));
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Char('Y')));
    update(&mut state, key(KeyCode::Enter));
    let screen = text(&draw(&state, 120, 40));
    assert!(screen.contains("/PAY 2 of 12 shown"), "{screen}");
    // The selection moves among the shown items only.
    update(&mut state, Msg::SelectLast);
    assert_eq!(
        state.selected_item().map(|i| i.id.as_str()),
        Some("COUPON-EXP")
    );
    update(&mut state, key(KeyCode::Esc));
    assert_eq!(state.view.item_order.len(), 12);
    assert!(!text(&draw(&state, 120, 40)).contains("shown"));
}

#[test]
fn an_item_changed_elsewhere_out_of_the_filter_stays_selected() {
    use crossterm::event::{KeyCode, KeyEvent};
    let key = |c: KeyCode| Msg::Key(KeyEvent::from(c));
    let mut state = common::demo_state();
    update(&mut state, key(KeyCode::Char('/')));
    for c in "payments".chars() {
        update(&mut state, key(KeyCode::Char(c)));
    }
    update(&mut state, key(KeyCode::Enter));
    update(&mut state, Msg::SelectLast);
    assert_eq!(
        state.selected_item().map(|i| i.id.as_str()),
        Some("COUPON-EXP")
    );
    // Another seat gives the coupon fix to the orders team.
    let coupon = state
        .night
        .ledger
        .items
        .iter()
        .find(|i| i.id == "COUPON-EXP")
        .expect("the item")
        .clone();
    common::record(
        &mut state,
        "joon",
        "2026-11-27T16:41:00+09:00",
        vec![warroom::domain::Action::ItemEdit {
            id: coupon.id.clone(),
            priority: coupon.priority,
            owner: Some("orders".into()),
            risk: None,
        }],
    );
    // A key meant for it still lands on it, not on the item now first.
    assert_eq!(
        state.selected_item().map(|i| i.id.as_str()),
        Some("COUPON-EXP")
    );
    // Typing the filter again reads the list afresh.
    update(&mut state, key(KeyCode::Char('/')));
    update(&mut state, key(KeyCode::Backspace));
    update(&mut state, key(KeyCode::Char('s')));
    let shown: Vec<&str> = state
        .view
        .item_order
        .iter()
        .map(|&i| state.night.ledger.items[i].id.as_str())
        .collect();
    assert_eq!(shown, ["PAY-PERF"]);
}
