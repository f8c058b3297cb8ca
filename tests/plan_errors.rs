//! The built binary on a bad plan: it names the file, line and column of every
//! problem on stderr and exits with status 2, before any terminal is touched.
//!
//! Every run has stdin, stdout and stderr on pipes, so none of these tests
//! needs a terminal; a binary that tried to draw would fail or hang here.

use std::path::Path;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// Runs `warroom PATH` with its log directory inside `state`.
fn run(plan: &Path, state: &Path) -> Output {
    Command::new(BIN)
        .arg(plan)
        .env("XDG_STATE_HOME", state)
        .env("TZ", "UTC")
        .stdin(Stdio::null())
        .output()
        .expect("run warroom")
}

/// Writes `text` to `plan.toml` in a fresh directory and runs the binary on it.
/// Returns the path as the binary names it, and what it did.
fn run_on(text: &str) -> (String, Output) {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, text).expect("write plan");
    let output = run(&plan, dir.path());
    (plan.display().to_string(), output)
}

/// Exit status 2, nothing on stdout, no escape sequences, and on stderr exactly
/// one line per expected `line:column: message`, each prefixed with the path.
fn assert_rejected(path: &str, output: &Output, expected: &[&str]) {
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert_eq!(stdout, "", "nothing belongs on stdout");
    assert!(
        !stderr.contains("\x1b["),
        "stderr has terminal escape sequences: {stderr:?}"
    );
    for place_and_message in expected {
        let line = format!("{path}:{place_and_message}");
        assert!(
            stderr.lines().any(|l| l.ends_with(&line)),
            "stderr lacks the line {line:?}:\n{stderr}"
        );
    }
    assert_eq!(
        stderr.lines().count(),
        expected.len(),
        "one line per problem:\n{stderr}"
    );
}

#[test]
fn bad_deploy_at_names_file_line_and_column() {
    let (path, output) = run_on(
        r#"[release]
name = "R"
deploy_at = "tonight"

[[items]]
id = "A"
title = "Apply"
priority = "high"

[[checklist]]
id = "c"
text = "Check"
"#,
    );
    assert_rejected(
        &path,
        &output,
        &[
            r#"3:13: bad date-time "tonight"; expected a date-time with an offset or a zone, like "2026-11-27T23:00:00+09:00" or "2026-11-27T23:00 Asia/Seoul""#,
        ],
    );
}

#[test]
fn unknown_key_names_file_line_and_column() {
    let (path, output) = run_on(
        r#"[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A"
title = "Apply"
priority = "high"
owner_name = "dev-lead"
"#,
    );
    assert_rejected(
        &path,
        &output,
        &[
            "9:1: unknown key `owner_name`; expected one of `id`, `title`, `priority`, `status`, `owner`, `risk`, `added_at`, `timeout`, `max_error_rate`, `max_timeouts`, `p95_under`",
        ],
    );
}

#[test]
fn every_problem_is_listed_in_line_order() {
    let (path, output) = run_on(
        r#"[[checklist]]
id = "c"
text = "Check"

[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"
watch_for = "0m"

[[items]]
id = "A"
title = "Apply"
priority = "high"
risk = { impact = 11, likelihood = 1, recovery = "1h" }

[[items]]
id = "A"
title = "Again"
priority = "low"
"#,
    );
    assert_rejected(
        &path,
        &output,
        &[
            r#"8:13: duration "0m" is zero; expected a duration like "30s", "50m", "2h" or "1h30m""#,
            "14:19: risk impact is 11; expected a whole number from 1 to 10",
            r#"17:6: duplicate item id "A" (first at line 11, column 6); expected each id once"#,
        ],
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    let places: Vec<&str> = stderr
        .lines()
        .map(|l| l.rsplit_once(&format!("{path}:")).unwrap().1)
        .map(|rest| rest.split(": ").next().unwrap())
        .collect();
    assert_eq!(places, ["8:13", "14:19", "17:6"]);
}

#[test]
fn empty_checklist_is_rejected() {
    let (path, output) = run_on(
        r#"[release]
name = "R"
deploy_at = "2026-11-27T23:00 Asia/Seoul"

[[items]]
id = "A"
title = "Apply"
priority = "high"
"#,
    );
    assert_rejected(
        &path,
        &output,
        &["1:1: the checklist is empty; expected at least one [[checklist]] entry"],
    );
}

#[test]
fn toml_syntax_error_is_rejected() {
    let (path, output) = run_on("[release\nname = \"R\"\n");
    assert_rejected(&path, &output, &["1:9: unclosed table; expected `]`"]);
}

#[test]
fn missing_file_cannot_be_read() {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("no-such-plan.toml");
    let output = run(&plan, dir.path());
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(&format!("cannot read plan {}: ", plan.display())),
        "stderr names neither the failure nor the path:\n{stderr}"
    );
    assert!(!stderr.contains("\x1b["), "escape sequences: {stderr:?}");
}

/// Values from the plan are echoed in errors; an escape sequence in an id must
/// not reach the terminal the error is printed on.
#[test]
fn escape_sequences_in_the_plan_are_not_echoed() {
    let (path, output) = run_on(
        r#"[release]
name = "R"
deploy_at = "2026-11-27T23:00:00+09:00"

[[items]]
id = "A\u001b[31mRED"
title = "Apply"
priority = "high"

[[checklist]]
id = "c"
text = "Check"
"#,
    );
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "stderr:\n{stderr}");
    assert!(
        stderr.contains(&format!("{path}:6:6: item id ")),
        "{stderr}"
    );
    assert!(!stderr.contains("\x1b["), "escape sequences: {stderr:?}");
}

#[test]
fn a_unit_that_is_markup_or_control_characters_is_refused() {
    // Drawn after every value, in the room and the reports: a unit is a
    // few printable characters, not a way into a Markdown table or a
    // terminal.
    let (path, output) = run_on(
        "[release]\nname = \"R\"\ndeploy_at = \"2099-01-04T23:00:00+09:00\"\n\n\
         [[metrics]]\nname = \"p95\"\nunit = \"ms|<b>\\u001b[2J\"\n\
         source = { demo = { signal = \"latency_p95\" } }\n\n\
         [[items]]\nid = \"FIX\"\ntitle = \"Fix\"\npriority = \"high\"\n\n\
         [[checklist]]\nid = \"rollback\"\ntext = \"Rollback plan ready\"\n",
    );
    assert_rejected(
        &path,
        &output,
        &[
            "7:8: unit \"ms|<b>\\u{1b}[2J\" is not a unit; expected up to 16 printable characters like ms, % or req/s",
        ],
    );
}
