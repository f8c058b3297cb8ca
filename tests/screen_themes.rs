//! Every theme, measured on what it draws: each cell with text on it, in every
//! phase of the demo night and its overlays, at the sizes people use, has a
//! contrast ratio of at least 4.5:1 (7:1 in high contrast) between the
//! colours the theme set for it.

mod common;

use chrono::TimeDelta;
use ratatui::style::{Color, Modifier};
use warroom::app::{Msg, State, update};
use warroom::ui::theme::{Look, Rgb, ThemeName};

use common::screen::draw;

fn rgb(color: Color) -> Rgb {
    match color {
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        other => panic!("a theme left a cell in the terminal's {other:?}"),
    }
}

/// The demo night at each of its moments, with what a person opens on it.
fn nights() -> Vec<(String, State)> {
    let plan = warroom::plan::demo::plan();
    let deploy = plan.release.schedule.deploy_at;
    let mut out = vec![("opening".to_string(), common::demo_state())];
    for (name, msg) in [
        ("help", Msg::ToggleHelp),
        ("reasons", Msg::ToggleReasons),
        ("log", Msg::ToggleLog),
        ("matrix", Msg::ToggleRiskMatrix),
        ("approve", Msg::Approve),
        ("item", Msg::OpenItem),
    ] {
        let mut state = common::demo_state();
        update(&mut state, msg);
        out.push((name.to_string(), state));
    }
    let mut soon = common::demo_state_at(deploy - TimeDelta::minutes(5));
    update(&mut soon, Msg::Focus(warroom::app::Pane::Checklist));
    out.push(("five minutes before".to_string(), soon));
    let mut after = common::demo_state_at(deploy + TimeDelta::minutes(20));
    common::record(
        &mut after,
        "mina",
        "2026-11-27T23:05:00+09:00",
        vec![warroom::domain::Action::DeployDone],
    );
    out.push(("watching".to_string(), after));
    out
}

#[test]
fn every_cell_of_every_theme_meets_its_contrast() {
    for theme in ThemeName::ALL {
        let palette = theme.palette();
        for (name, mut state) in nights() {
            state.look = Look {
                theme,
                no_color: false,
            };
            for (width, height) in [(80, 24), (120, 40), (250, 70)] {
                let buf = draw(&state, width, height);
                let mut worst: Option<(f64, u16, u16)> = None;
                for y in 0..height {
                    for x in 0..width {
                        let cell = &buf[(x, y)];
                        assert!(!cell.modifier.contains(Modifier::REVERSED));
                        let bg = rgb(cell.bg);
                        let fg = rgb(cell.fg);
                        assert!(
                            bg == palette.background || palette.inks().iter().any(|i| i.1 == bg),
                            "{name}: a ground the theme does not have at {x},{y}"
                        );
                        if cell.symbol().trim().is_empty() {
                            continue;
                        }
                        let ratio = fg.contrast(bg);
                        if worst.is_none_or(|w| ratio < w.0) {
                            worst = Some((ratio, x, y));
                        }
                    }
                }
                let (ratio, x, y) = worst.expect("something drawn");
                assert!(
                    ratio >= theme.min_contrast(),
                    "{} theme, {name} at {width}×{height}: {:?} at {x},{y} is {ratio:.2}:1",
                    theme.name(),
                    buf[(x, y)].symbol()
                );
            }
        }
    }
}

#[test]
fn the_no_go_tag_is_background_on_red() {
    let mut state = common::demo_state();
    for theme in ThemeName::ALL {
        state.look.theme = theme;
        let buf = draw(&state, 120, 40);
        let text: String = (0..120).map(|x| buf[(x, 1)].symbol().to_string()).collect();
        let x = text.chars().take_while(|c| *c != 'N').count() as u16;
        assert!(text.contains(" NO-GO ✗ "), "{text}");
        let palette = theme.palette();
        assert_eq!(buf[(x, 1)].bg, palette.crit.color(), "{}", theme.name());
        assert_eq!(buf[(x, 1)].fg, palette.background.color());
        // The large letters beside it, in the same red.
        assert_eq!(buf[(1, 1)].symbol(), "█");
        assert_eq!(buf[(1, 1)].fg, palette.crit.color());
        assert!(palette.crit.contrast(palette.background) >= theme.min_contrast());
    }
}

#[test]
fn no_color_draws_no_colour_and_keeps_the_words() {
    let mut state = common::demo_state();
    state.look.no_color = true;
    let buf = draw(&state, 120, 40);
    for cell in &buf.content {
        assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
    }
    let screen: String = buf.content.iter().map(|c| c.symbol().to_string()).collect();
    // Status never rests on colour: the words and signs are all there.
    assert!(screen.contains("NO-GO ✗"));
    assert!(screen.contains("○ untested"), "{screen}");
}
