//! The whole screen, drawn into a test buffer at the sizes people use, compared
//! with reviewed snapshots.

mod common;

use chrono::TimeDelta;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::app::{Msg, Pane, State, update};
use warroom::metrics::Health;

fn draw(state: &State, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| warroom::ui::render(state, frame))
        .expect("draw");
    terminal
}

fn text(terminal: &Terminal<TestBackend>) -> String {
    terminal.backend().to_string()
}

#[test]
fn demo_at_80x24() {
    insta::assert_snapshot!(text(&draw(&common::demo_state(), 80, 24)));
}

#[test]
fn demo_at_120x40() {
    insta::assert_snapshot!(text(&draw(&common::demo_state(), 120, 40)));
}

#[test]
fn demo_at_200x60() {
    insta::assert_snapshot!(text(&draw(&common::demo_state(), 200, 60)));
}

#[test]
fn help_overlay() {
    let mut state = common::demo_state();
    update(&mut state, Msg::ToggleHelp);
    insta::assert_snapshot!(text(&draw(&state, 120, 40)));
}

#[test]
fn too_small_terminal() {
    let screen = text(&draw(&common::demo_state(), 79, 24));
    assert!(screen.contains("Enlarge the terminal to at least 80×24"));
    assert!(screen.contains("(now 79×24)"));
    insta::assert_snapshot!(screen);
    let short = text(&draw(&common::demo_state(), 120, 23));
    assert!(short.contains("(now 120×23)"));
}

#[test]
fn five_minutes_after_the_deploy() {
    let plan = warroom::plan::demo::plan();
    let at = plan.release.schedule.deploy_at + TimeDelta::minutes(5);
    let mut state = common::demo_state_at(at);
    common::record(
        &mut state,
        "mina",
        "2026-11-27T23:05:00+09:00",
        vec![warroom::domain::Action::DeployDone],
    );
    update(&mut state, Msg::Focus(Pane::Metrics));
    update(
        &mut state,
        Msg::Health(4, Health::Down("connection refused".into())),
    );
    let screen = text(&draw(&state, 120, 40));
    assert!(
        screen.contains("watching until 23:50 · 45:00 left"),
        "{screen}"
    );
    assert!(screen.contains("down: connection refused"));
    insta::assert_snapshot!(screen);
}

/// After the deploy the header says how production is: healthy, unknown
/// while a source is down, degraded while a metric holds at crit, with the
/// way back and how long it may take.
#[test]
fn after_the_deploy_the_header_says_healthy_or_degraded() {
    let plan = warroom::plan::demo::plan();
    let at = plan.release.schedule.deploy_at + TimeDelta::minutes(20);
    let mut state = common::demo_state_at(at);
    // The band under the title line: the verdict large, its words beside it.
    let header = |state: &State| {
        text(&draw(state, 120, 40))
            .lines()
            .skip(1)
            .take(5)
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert!(
        header(&state).contains(" HEALTHY ✓  every metric under its crit limit"),
        "{}",
        header(&state)
    );
    // p95 at 612 ms for the last 40 s: held past the 30 s the demo asks.
    let samples: Vec<warroom::metrics::Sample> = (0..40)
        .map(|i| warroom::metrics::Sample {
            at: state.night.now - TimeDelta::seconds(39 - i),
            value: 612.0,
        })
        .collect();
    update(&mut state, Msg::Samples(0, samples));
    let degraded = header(&state);
    assert!(
        degraded.contains(" DEGRADED ✗  API latency p95 612 ms ≥ 500 ms since")
            && degraded.contains("23:19:21")
            && degraded.contains("roll back? recovery up to 4h (PAY-PERF)"),
        "{degraded}"
    );
    // The countdown beside it is not green while production is not.
    let buffer = common::screen::draw(&state, 120, 40);
    let x = (0..120)
        .rev()
        .find(|&x| buffer[(x, 1)].symbol() == "█")
        .expect("the countdown's digits");
    assert_eq!(buffer[(x, 1)].fg, state.look.theme.palette().crit.color());
    insta::assert_snapshot!(degraded);
}

#[test]
fn opening_screen_tells_the_story() {
    let screen = text(&draw(&common::demo_state(), 120, 40));
    for expected in [
        "1 Release items",
        "2 Checklist",
        "3 Metrics",
        "4 Countdown",
        "DEMO",
        "now Fri 16:40:00 KST",
        "deploy Fri 23:00 KST",
        "8/12 passed · 4 open",
        "0/30 done",
        "54 TOP",
    ] {
        assert!(screen.contains(expected), "missing {expected:?}");
    }
    // The biggest risk is the first row.
    // Below the two header lines, which name the item too.
    let first_row = screen
        .lines()
        .skip(2)
        .find(|l| l.contains("API-TIMEOUT"))
        .expect("API-TIMEOUT row");
    assert!(first_row.contains("Crit") && first_row.contains("54"));
}

#[test]
fn simulated_metrics_in_a_real_plan_are_marked() {
    let text = r#"
[release]
name = "Hotfix"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "FIX"
title = "Fix"
priority = "high"

[[checklist]]
id = "c"
text = "Check"

[[metrics]]
name = "TPS"
unit = "TPS"
source = { demo = { signal = "tps" } }
"#;
    let plan = warroom::plan::Plan::parse(text, "plan.toml").expect("valid plan");
    let now = plan.release.schedule.deploy_at - TimeDelta::hours(1);
    let state = State::new(plan, now, warroom::domain::Zone::utc());
    let screen = text_of(&state, 120, 40);
    assert!(screen.contains("SIMULATED METRICS"), "{screen}");
    assert!(screen.contains("TPS (simulated)"), "{screen}");
}

#[test]
fn a_silent_source_says_it_is_stale() {
    let mut state = common::demo_state();
    let later = state.night.now + TimeDelta::seconds(45);
    update(&mut state, Msg::Health(0, Health::Ok));
    update(&mut state, Msg::Tick(later));
    let screen = text_of(&state, 120, 40);
    assert!(screen.contains("stale: no sample for 45s"), "{screen}");
}

#[test]
fn more_metrics_than_rows_say_how_many_are_left_out() {
    let mut plan = warroom::plan::demo::plan();
    let extra = plan.metrics[0].clone();
    for i in 0..10 {
        let mut m = extra.clone();
        m.name = format!("Extra {i}");
        plan.metrics.push(m);
    }
    let now = warroom::plan::demo::story_start(&plan);
    let state = State::new(plan, now, warroom::domain::Zone::utc());
    let screen = text_of(&state, 80, 24);
    assert!(screen.contains("+6 more: enlarge the terminal"), "{screen}");
    // The pane's bottom border is intact.
    assert!(screen.contains("┘└──────"), "{screen}");
}

fn text_of(state: &State, width: u16, height: u16) -> String {
    text(&draw(state, width, height))
}

mod marks {
    use super::*;
    use warroom::app::form::FormKey;
    use warroom::domain::{Action, ItemStatus, MarkState};

    /// The story at 19:45: the API timeout under test, the rerun green, a few
    /// checklist entries walked, one not applicable, a note.
    fn evening() -> State {
        let mut state = common::demo_state();
        state.actor = "mina".into();
        common::record(
            &mut state,
            "mina",
            "2026-11-27T19:45:00+09:00",
            vec![
                Action::ItemStatus {
                    id: "API-TIMEOUT".into(),
                    status: ItemStatus::InProgress,
                },
                Action::ItemStatus {
                    id: "PAY-PERF".into(),
                    status: ItemStatus::Passed,
                },
                Action::Check {
                    id: "critical-staging".into(),
                    mark: MarkState::Done,
                    reason: None,
                },
                Action::Note {
                    item: Some("API-TIMEOUT".into()),
                    text: "JMeter 3000 TPS: 0.3% errors, DB pool too small; fixed, rerun clean"
                        .into(),
                },
            ],
        );
        common::record(
            &mut state,
            "joon",
            "2026-11-27T19:50:00+01:00",
            vec![
                Action::Check {
                    id: "db-migration".into(),
                    mark: MarkState::NotApplicable,
                    reason: Some("no schema change tonight".into()),
                },
                Action::Check {
                    id: "gone-entry".into(),
                    mark: MarkState::Done,
                    reason: None,
                },
            ],
        );
        state
    }

    #[test]
    fn marks_show_who_and_when() {
        let state = evening();
        let screen = text_of(&state, 200, 60);
        assert!(screen.contains("[x] Critical items tested on staging · mina 19:45"));
        // Bound to a fact, not a tick: what the fact says, not who.
        assert!(screen.contains(
            "[ ] Tests complete for every release item · 3 of 12 items not passed: API-TIMEOUT,"
        ));
        assert!(screen.contains(
            "[-] Database migrations reviewed · joon Sat 28 03:50 · n/a: no schema change tonight"
        ));
        assert!(screen.contains("2/30 done · 28 required open"));
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn log_overlay() {
        let mut state = evening();
        update(&mut state, Msg::ToggleLog);
        let screen = text_of(&state, 120, 40);
        assert!(
            screen.contains("orphaned: no checklist entry \"gone-entry\" in the plan; ignored")
        );
        insta::assert_snapshot!(screen);
    }

    /// `?` and `q` stay in the footer at every width, a long message cut
    /// with `…` to leave them room.
    #[test]
    fn help_and_quit_are_always_in_the_footer() {
        let mut state = evening();
        for (width, height) in [(80, 24), (120, 40), (250, 70)] {
            let screen = text_of(&state, width, height);
            let footer = screen.lines().last().expect("a footer").trim_matches('"');
            assert!(footer.ends_with("? help  q quit  "), "{footer}");
        }
        state.view.notice = Some(warroom::app::Notice {
            error: true,
            text: "not saved: No space left on device (os error 28) (journal /var/lib/warroom/tonight.journal.jsonl)".into(),
        });
        let screen = text_of(&state, 80, 24);
        let footer = screen.lines().last().expect("a footer").trim_matches('"');
        assert_eq!(
            footer,
            " not saved: No space left on device (os error 28) (journal /va… ? help  q quit  "
        );
    }

    /// Undo of an approval asks first, naming what it would take back.
    #[test]
    fn undo_of_an_approval_asks_first() {
        let mut state = evening();
        state.view.overlay = warroom::app::Overlay::ConfirmUndo {
            line: 14,
            what: "line 14, approved GO: all green".into(),
        };
        let screen = text_of(&state, 80, 24);
        assert!(
            screen.contains("Take back line 14, approved GO: all green?"),
            "{screen}"
        );
        assert!(screen.contains("y take it back · any other key keeps it"));
        insta::assert_snapshot!(screen);
    }

    /// A line from a journal on a database says who connected when the
    /// name typed with `--as` is another.
    #[test]
    fn log_names_the_database_role_beside_a_typed_name() {
        use warroom::journal::{Batch, Entry, Line};
        let mut state = evening();
        let at = chrono::DateTime::parse_from_rfc3339("2026-11-27T23:30:00+09:00").expect("time");
        let first = state.night.ledger.log.len() as u64 + 1;
        let note = |text: &str| warroom::domain::Action::Note {
            item: None,
            text: text.into(),
        };
        let lines = vec![
            Line {
                number: first,
                entry: Entry::action(at, "cto", note("typed as the CTO")),
                role: Some("intern".into()),
            },
            Line {
                number: first + 1,
                entry: Entry::action(at, "mina", note("as herself")),
                role: Some("mina".into()),
            },
        ];
        warroom::app::apply_journal(
            &mut state,
            Batch {
                lines,
                ..Batch::default()
            },
        );
        update(&mut state, Msg::ToggleLog);
        let screen = text_of(&state, 120, 40);
        assert!(
            screen.contains("cto 23:30:00          (db role intern) note: typed as the CTO"),
            "{screen}"
        );
        let herself = screen
            .lines()
            .find(|l| l.contains("as herself"))
            .expect("her line");
        assert!(!herself.contains("db role"), "{herself}");
    }

    /// Home in the log goes to the oldest entries, a whole page of them.
    #[test]
    fn log_home_shows_the_first_page() {
        let mut state = evening();
        let notes = (1..=40)
            .map(|n| warroom::domain::Action::Note {
                item: None,
                text: format!("note {n:02}"),
            })
            .collect();
        common::record(&mut state, "mina", "2026-11-27T23:30:00+09:00", notes);
        update(&mut state, Msg::ToggleLog);
        update(&mut state, Msg::SelectFirst);
        let screen = text_of(&state, 120, 24);
        // 18 rows inside the box: the first 18 entries, the oldest first.
        let entry =
            |l: &&str| (l.contains(" mina ") || l.contains(" joon ")) && !l.contains("as mina");
        let rows: Vec<&str> = screen.lines().filter(entry).collect();
        assert_eq!(rows.len(), 18, "{screen}");
        assert!(rows[0].contains("     1 mina"), "{screen}");
        assert!(!screen.contains("note 40"), "{screen}");
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn risk_matrix_overlay() {
        let mut state = evening();
        update(&mut state, Msg::ToggleRiskMatrix);
        insta::assert_snapshot!("risk_matrix_120x40", text_of(&state, 120, 40));
        insta::assert_snapshot!("risk_matrix_80x24", text_of(&state, 80, 24));
    }

    #[test]
    fn edit_form_shows_what_is_wrong() {
        let mut state = evening();
        update(&mut state, Msg::EditItem);
        for key in [
            FormKey::Next,
            FormKey::Next,
            FormKey::Backspace,
            FormKey::Char('0'),
        ] {
            update(&mut state, Msg::FormKey(key));
        }
        update(&mut state, Msg::Submit);
        let screen = text_of(&state, 120, 40);
        assert!(
            screen.contains("expected a whole number from 1 to 10"),
            "{screen}"
        );
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn items_sorted_by_status() {
        let mut state = evening();
        update(&mut state, Msg::CycleSort);
        update(&mut state, Msg::CycleSort);
        let screen = text_of(&state, 120, 40);
        assert!(screen.contains("by status"), "{screen}");
        let row = |id: &str| {
            screen
                .lines()
                .skip(2)
                .position(|l| l.contains(id))
                .unwrap_or_else(|| panic!("{id} is listed"))
        };
        // Untested first (biggest risk first among them), then testing, then passed.
        assert!(row("SIGNUP-FLOW") < row("ADMIN-UI"), "{screen}");
        assert!(row("ADMIN-UI") < row("API-TIMEOUT"), "{screen}");
        assert!(row("API-TIMEOUT") < row("PAY-PERF"), "{screen}");
    }
}

mod verdict {
    use super::*;
    use warroom::domain::action::StoodReason;
    use warroom::domain::{Action, ItemStatus, MarkState};

    /// The header's two lines at 120 columns.
    fn header(state: &State) -> String {
        text_of(state, 120, 40)
            .lines()
            .take(6)
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The evening walked: every item passed, every entry checked, metrics calm.
    fn ready() -> State {
        let plan = warroom::plan::demo::plan();
        let deploy = plan.release.schedule.deploy_at;
        let mut state = common::demo_state_at(deploy - TimeDelta::minutes(5));
        let mut actions: Vec<Action> = ["API-TIMEOUT", "PAY-PERF", "SIGNUP-FLOW", "ADMIN-UI"]
            .iter()
            .map(|id| Action::ItemStatus {
                id: id.to_string(),
                status: ItemStatus::Passed,
            })
            .collect();
        actions.push(common::clean_rerun());
        actions.extend(state.night.plan.checklist.iter().map(|c| Action::Check {
            id: c.id.clone(),
            mark: MarkState::Done,
            reason: None,
        }));
        common::record(&mut state, "mina", "2026-11-27T22:40:00+09:00", actions);
        state
    }

    #[test]
    fn no_go_at_1640() {
        let state = common::demo_state();
        let verdict = warroom::night::verdict(&state.night);
        assert!(!verdict.go());
        assert_eq!(
            verdict.reasons[0].text,
            "API-TIMEOUT: Critical item not passed (untested)"
        );
        insta::assert_snapshot!(header(&state));
    }

    #[test]
    fn an_alert_turns_the_header_red_and_says_the_value_against_its_limit() {
        let mut state = common::demo_state();
        let samples: Vec<warroom::metrics::Sample> = (0..40)
            .map(|i| warroom::metrics::Sample {
                at: state.night.now - TimeDelta::seconds(39 - i),
                value: 612.0,
            })
            .collect();
        let effects = update(&mut state, Msg::Samples(0, samples));
        assert!(effects.contains(&warroom::app::Effect::Bell));
        insta::assert_snapshot!(header(&state));
        let terminal = draw(&state, 120, 40);
        let buffer = terminal.backend().buffer();
        let red = (0..120)
            .filter(|x| buffer[(*x, 0)].bg == state.look.theme.palette().crit.color())
            .count();
        assert!(
            red > 100,
            "the whole first row is red, but for the DEMO tag: {red}"
        );
    }

    #[test]
    fn go_after_the_evening() {
        let state = ready();
        assert!(warroom::night::verdict(&state.night).go());
        insta::assert_snapshot!(header(&state));
    }

    #[test]
    fn approved() {
        let mut state = ready();
        common::record(
            &mut state,
            "mina",
            "2026-11-27T22:50:00+09:00",
            vec![Action::Approve {
                statement: "QA approves".into(),
                override_reason: None,
                go: true,
                reasons: vec![],
            }],
        );
        let screen = header(&state);
        assert!(
            screen.contains("approved by mina 22:50 (5m ago)"),
            "{screen}"
        );
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn stale_approval() {
        let mut state = ready();
        common::record(
            &mut state,
            "mina",
            "2026-11-27T22:50:00+09:00",
            vec![
                Action::ItemStatus {
                    id: "API-TIMEOUT".into(),
                    status: ItemStatus::InProgress,
                },
                Action::Approve {
                    statement: "Deploy tonight".into(),
                    override_reason: Some("one staging error, fixed".into()),
                    go: false,
                    reasons: vec![
                        StoodReason {
                            key: "item_not_passed:API-TIMEOUT".into(),
                            text: "API-TIMEOUT: Critical item not passed (still testing)".into(),
                            block: true,
                            kind: "item_not_passed".into(),
                            subjects: vec!["API-TIMEOUT".into()],
                        },
                        StoodReason {
                            key: "checklist_open:tests-complete".into(),
                            text: "checklist: 1 required item open".into(),
                            block: true,
                            kind: "checklist_open".into(),
                            subjects: vec!["tests-complete".into()],
                        },
                    ],
                },
            ],
        );
        let accepted = header(&state);
        assert!(
            accepted.contains("override approved by mina 22:50"),
            "{accepted}"
        );
        common::record(
            &mut state,
            "joon",
            "2026-11-27T22:52:00+09:00",
            vec![Action::ItemStatus {
                id: "PAY-PERF".into(),
                status: ItemStatus::Failed,
            }],
        );
        let screen = header(&state);
        assert!(screen.contains("APPROVAL STALE"), "{screen}");
        insta::assert_snapshot!(screen);
    }

    #[test]
    fn every_reason_overlay() {
        let mut state = common::demo_state();
        update(&mut state, Msg::ToggleReasons);
        insta::assert_snapshot!(text_of(&state, 120, 40));
    }
}
