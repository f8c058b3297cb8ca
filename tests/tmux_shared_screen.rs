//! The shared screen in a real terminal: presenter mode, a theme switch, a
//! mouse click on a checklist box, and a resize from 200×60 to 80×24 and
//! back with no broken frame and nothing left behind after quitting.

mod common;

use common::tmux::Tmux;

/// Where `needle` starts on a captured screen: (column, row), by character.
fn find(screen: &str, needle: &str) -> Option<(usize, usize)> {
    screen.lines().enumerate().find_map(|(row, line)| {
        let at = line.find(needle)?;
        Some((line[..at].chars().count(), row))
    })
}

#[test]
fn presenter_mode_and_a_theme_switch() {
    let Some(tmux) = Tmux::start("present", &["--as", "mina"]) else {
        return;
    };
    tmux.wait_for(&["NO-GO ✗", "1 Release items", "2 Checklist"]);
    // The dark theme sets the background itself.
    assert!(tmux.screen_escaped().contains("48;2;22;24;28"));
    tmux.keys("p");
    let screen = tmux.wait_for(&["PRESENTING", "1 Release items", "presenting: Tab"]);
    assert!(!screen.contains("2 Checklist"), "one pane:\n{screen}");
    tmux.keys("Tab");
    let screen = tmux.wait_for(&["PRESENTING", "2 Checklist", "p stop presenting"]);
    assert!(!screen.contains("1 Release items"), "{screen}");
    tmux.keys("p");
    tmux.wait_for(&["1 Release items", "2 Checklist", "3 Metrics"]);
    tmux.keys("T");
    tmux.wait_for(&["theme: light"]);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while !tmux.screen_escaped().contains("48;2;251;251;248") {
        assert!(std::time::Instant::now() < deadline, "no light background");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn present_with_a_cycle_moves_through_the_panes_by_itself() {
    let Some(tmux) = Tmux::start("cycle", &["--present", "--cycle", "1s"]) else {
        return;
    };
    tmux.wait_for(&["PRESENTING", "1 Release items"]);
    tmux.wait_for(&["PRESENTING", "2 Checklist"]);
    tmux.wait_for(&["PRESENTING", "3 Metrics"]);
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn a_click_on_a_checklist_box_ticks_it() {
    let Some(tmux) = Tmux::start("click", &["--as", "mina"]) else {
        return;
    };
    let screen = tmux.wait_for(&["[ ] Risk assessment complete", "0/30 done"]);
    let (column, row) = find(&screen, "[ ] Risk assessment complete").expect("the entry");
    tmux.click(column + 1, row);
    let screen = tmux.wait_for(&["[x] Risk assessment complete · mina", "1/30 done"]);
    // The click focused the checklist too.
    assert!(screen.contains("┏ 2 Checklist"), "{screen}");
    // A click on the text selects without ticking.
    let (column, row) = find(&screen, "Risk analysis sent to the CTO").expect("the entry");
    tmux.click(column + 4, row);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(tmux.screen().contains("[ ] Risk analysis sent to the CTO"));
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn a_resize_draws_whole_frames_and_quitting_leaves_nothing() {
    let Some(tmux) = Tmux::start("resize", &["--as", "mina"]) else {
        return;
    };
    tmux.resize(200, 60);
    let screen = whole_frame(&tmux, |s| s.contains("NO-GO ✗") && s.contains("Recovery"));
    check_frame(&screen, 200, 60);
    tmux.resize(80, 24);
    let screen = whole_frame(&tmux, |s| !s.contains("Recovery"));
    check_frame(&screen, 80, 24);
    tmux.resize(200, 60);
    let screen = whole_frame(&tmux, |s| s.contains("Recovery"));
    check_frame(&screen, 200, 60);
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
    // The normal screen the room was opened on, and nothing of the room.
    let after = tmux.screen();
    for leftover in ["NO-GO", "Release items", "█", "q quit", "Checklist"] {
        assert!(!after.contains(leftover), "{leftover:?} left:\n{after}");
    }
}

/// The screen once `ready` holds and a frame has been written to its last
/// row: a capture may catch a frame half written.
fn whole_frame(tmux: &Tmux, ready: impl Fn(&str) -> bool) -> String {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    loop {
        let screen = tmux.screen();
        let footer = screen.lines().last().unwrap_or_default();
        if ready(&screen) && footer.contains("q quit") {
            return screen;
        }
        assert!(std::time::Instant::now() < deadline, "{screen}");
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
}

/// A whole frame of this size: the title on top, the footer at the bottom
/// with its `?` and `q`, each pane's title once, nothing past the edge.
fn check_frame(screen: &str, width: usize, height: usize) {
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(lines.len(), height, "{screen}");
    assert!(
        lines[0].starts_with(" warroom") || lines[0].contains("DEMO"),
        "{screen}"
    );
    let footer = lines[height - 1];
    assert!(
        footer.contains("? help") && footer.contains("q quit"),
        "{screen}"
    );
    for pane in ["1 Release items", "2 Checklist", "3 Metrics", "4 Countdown"] {
        assert_eq!(screen.matches(pane).count(), 1, "{pane}:\n{screen}");
    }
    for line in &lines {
        assert!(
            unicode_width::UnicodeWidthStr::width(*line) <= width,
            "{line}"
        );
    }
}

#[test]
fn the_demo_opened_ten_seconds_before_the_deploy_runs_into_it() {
    let Some(tmux) = Tmux::start("at", &["--at", "22:59:50", "--as", "mina"]) else {
        return;
    };
    tmux.wait_for(&["now Fri 22:59:5", "T-0:00:"]);
    // Its clock runs: the deploy comes, and the room asks for D.
    tmux.wait_for(&["T+0:00:0", "deploying"]);
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}

#[test]
fn a_rehearsal_of_a_real_plan_keeps_its_marks_apart() {
    let (dir, plan) = common::tmux::plan_file();
    let Some(tmux) = Tmux::start(
        "rehearse",
        &[
            common::tmux::path_str(&plan),
            "--at",
            "fri 16:40",
            "--as",
            "mina",
        ],
    ) else {
        return;
    };
    tmux.wait_for(&["REHEARSAL", "now Fri 16:40"]);
    let screen = tmux.wait_for(&["[ ] Risk assessment complete"]);
    let (column, row) = find(&screen, "[ ] Risk assessment complete").expect("the entry");
    tmux.click(column + 1, row);
    tmux.wait_for(&["[x] Risk assessment complete · mina", "1/30 done"]);
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
    let beside: Vec<_> = std::fs::read_dir(dir.path())
        .expect("plan folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(beside, ["night.toml"], "the night's journal is untouched");
}

#[test]
fn the_seat_config_sets_theme_name_and_keys() {
    let config = "theme = \"light\"\nname = \"joon\"\nbell = false\n\n[keys]\napprove = \"a\"\n";
    let Some(tmux) = Tmux::start_configured("config", &[], config) else {
        return;
    };
    // The footer's hint follows the key (waited for too: a frame may be
    // caught half written).
    tmux.wait_for(&["as joon", "NO-GO ✗", "a approve"]);
    assert!(tmux.screen_escaped().contains("48;2;251;251;248"), "light");
    // The old key does nothing; the new one opens the approval.
    tmux.keys("A");
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert!(!tmux.screen().contains("Approve"), "{}", tmux.screen());
    tmux.keys("a");
    tmux.wait_for(&["Approve"]);
    tmux.keys("Escape");
    tmux.keys("?");
    tmux.wait_for(&["a (was A)"]);
    tmux.keys("q");
    assert_eq!(tmux.wait_exit(), 0);
}
