//! `r` in the room: a report previewed as it will be written, the kind
//! changed with ← →, and `w` asking the loop to write it.

mod common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::app::{Effect, Msg, Overlay, update};
use warroom::report::Kind;

fn screen(state: &warroom::app::State) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
    terminal
        .draw(|frame| warroom::ui::render(state, frame))
        .expect("draw");
    terminal.backend().to_string()
}

#[test]
fn r_previews_the_risk_analysis_and_w_writes_the_one_shown() {
    let mut state = common::demo_state();
    update(&mut state, Msg::OpenReport);
    let shown = screen(&state);
    assert!(
        shown.contains("Report: risk → 2026-11-27-friday-release-risk.md"),
        "{shown}"
    );
    assert!(
        shown.contains("# Risk analysis: 2026-11-27 Friday release"),
        "{shown}"
    );
    insta::assert_snapshot!(shown);
    let effects = update(&mut state, Msg::LaterRun);
    // The window is read from the sources off the loop; until then the
    // preview says it is what this seat saw.
    assert!(effects.contains(&Effect::ReadDeployReport));
    assert!(screen(&state).contains("> Reading the monitoring window from the sources"));
    let dir = tempfile::tempdir().expect("dir");
    let read = warroom::report::deploy_from_sources(&state.night, &dir.path().join("r.jsonl"));
    assert!(
        read.starts_with("# Deploy report: 2026-11-27 Friday release"),
        "{read}"
    );
    // Not written half read.
    let effects = update(&mut state, Msg::WriteReport);
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::WriteFile { .. }))
    );
    assert_eq!(
        state.view.notice.clone().map(|n| n.text),
        Some(
            "still reading the monitoring window from the sources; w once it is shown".to_string()
        )
    );
    update(&mut state, Msg::ReportRead(read));
    assert!(!screen(&state).contains("Reading the monitoring window"));
    assert!(matches!(
        state.view.overlay,
        Overlay::Report {
            kind: Kind::Deploy,
            scroll: 0,
            ..
        }
    ));
    assert!(screen(&state).contains("# Deploy report: 2026-11-27 Friday release"));
    let effects = update(&mut state, Msg::WriteReport);
    let written: Vec<&String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::WriteFile { name, .. } => Some(name),
            _ => None,
        })
        .collect();
    assert_eq!(written, ["2026-11-27-friday-release-deploy.md"]);
    update(
        &mut state,
        Msg::Wrote(Ok("/tmp/x/2026-11-27-friday-release-deploy.md".into())),
    );
    assert_eq!(
        state.view.notice.clone().map(|n| n.text),
        Some("written to /tmp/x/2026-11-27-friday-release-deploy.md".to_string())
    );
    update(&mut state, Msg::EarlierRun);
    update(&mut state, Msg::EarlierRun);
    assert!(screen(&state).contains("# Retrospective: 2026-11-27 Friday release"));
}
