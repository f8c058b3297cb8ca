//! `warroom check` through the binary: the verdict a deploy pipeline acts on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use chrono::DateTime;
use warroom::domain::{Action, ItemStatus, MarkState};
use warroom::journal::Entry;

mod common;

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// The story's plan in a folder of its own, with a journal of `entries`.
/// Its metrics are simulated, so they cannot be read: not known to be fine.
fn night(entries: &[Entry]) -> (tempfile::TempDir, PathBuf) {
    night_with(entries, "")
}

/// The story's plan with its simulated metrics said to be only a warning.
fn relaxed(entries: &[Entry]) -> (tempfile::TempDir, PathBuf) {
    night_with(entries, "\n[gate]\nunread = \"warn\"\n")
}

fn night_with(entries: &[Entry], more: &str) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let plan = dir.path().join("night.toml");
    let text = format!("{}{more}", include_str!("../assets/demo.toml"));
    std::fs::write(&plan, text).expect("plan");
    let lines: String = entries.iter().map(|e| e.to_line() + "\n").collect();
    std::fs::write(dir.path().join("night.journal.jsonl"), lines).expect("journal");
    (dir, plan)
}

/// `warroom check` as the night stood at `time`, Friday in Seoul.
fn check_at(plan: &Path, time: &str, args: &[&str]) -> Output {
    let at = format!("2026-11-27T{time}+09:00");
    let mut all = vec!["--at", at.as_str()];
    all.extend_from_slice(args);
    check(plan, &all)
}

fn check(plan: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .arg("check")
        .arg(plan)
        .args(args)
        .env("XDG_STATE_HOME", plan.parent().expect("folder"))
        .output()
        .expect("run warroom check")
}

fn at(time: &str) -> chrono::DateTime<chrono::FixedOffset> {
    DateTime::parse_from_rfc3339(&format!("2026-11-27T{time}+09:00")).expect("time")
}

/// The story's evening: the four open items pass, the clean rerun is
/// imported on API-TIMEOUT, the 30 entries are walked.
fn evening() -> Vec<Entry> {
    let plan = warroom::plan::demo::plan();
    let mut entries: Vec<Entry> = ["API-TIMEOUT", "PAY-PERF", "SIGNUP-FLOW", "ADMIN-UI"]
        .iter()
        .map(|id| {
            Entry::action(
                at("19:45:00"),
                "mina",
                Action::ItemStatus {
                    id: id.to_string(),
                    status: ItemStatus::Passed,
                },
            )
        })
        .collect();
    entries.push(Entry::action(at("21:16:00"), "mina", common::clean_rerun()));
    entries.extend(plan.checklist.iter().map(|c| {
        Entry::action(
            at("22:40:00"),
            "mina",
            Action::Check {
                id: c.id.clone(),
                mark: MarkState::Done,
                reason: None,
            },
        )
    }));
    entries
}

const SIMULATED: &str = "not read (a simulated source; only real sources gate a deploy)";

#[test]
fn the_list_as_it_arrived_is_no_go_exit_1() {
    let (_dir, plan) = night(&[]);
    let out = check_at(&plan, "16:40:00", &[]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    let mut expected = String::from(
        "NO-GO  2026-11-27 Friday release (deploy Fri 27 Nov 23:00 KST)\n\
         \x20 ✗ API-TIMEOUT: Critical item not passed (untested)\n\
         \x20 ✗ PAY-PERF: High item not passed (untested)\n\
         \x20 ✗ SIGNUP-FLOW: Medium item not passed (untested)\n\
         \x20 ✗ ADMIN-UI: Low item not passed (untested)\n\
         \x20 ✗ checklist: 30 required items open\n",
    );
    for m in [
        "API latency p95",
        "API latency avg",
        "API latency max",
        "Error rate",
        "Throughput",
        "Timeouts",
    ] {
        expected.push_str(&format!("  ✗ {m}: {SIMULATED}\n"));
    }
    // The plan's policies: the night broke the rules its retrospective wrote.
    expected.push_str(
        "  ! Friday deploy: 3 items above Low risk (policy friday_low_risk_only)\n\
         \x20     items: API-TIMEOUT, PAY-PERF, SIGNUP-FLOW\n\
         \x20 ! list arrived Fri 16:00, after the Thu 18:00 freeze (policy list_frozen_by)\n\
         \x20     items: API-TIMEOUT, PAY-PERF, SIGNUP-FLOW, ADMIN-UI, ORDER-HIST, COUPON-EXP, PWD-MAIL, SEARCH-AC, PUSH-OPTOUT, CSV-EXPORT, SHIP-FEE, AVATAR-LIMIT\n\
         \x20 ! API-TIMEOUT: Critical item not staged by Wed 18:00 (policy critical_staged_by)\n",
    );
    expected.push_str("not approved\n");
    assert_eq!(text, expected);
}

#[test]
fn after_the_evening_it_is_go_exit_0_and_the_approval_counts() {
    let mut entries = evening();
    entries.push(Entry::action(
        at("22:55:00"),
        "mina",
        Action::Approve {
            statement: "QA approves the Friday release".into(),
            override_reason: None,
            go: true,
            reasons: vec![],
        },
    ));
    let (_dir, plan) = relaxed(&entries);
    let out = check_at(&plan, "22:56:00", &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["version"], 1);
    assert_eq!(json["release"], "2026-11-27 Friday release");
    assert_eq!(json["verdict"], "GO");
    assert_eq!(json["go"], true);
    assert_eq!(json["deploy_at"], "2026-11-27T23:00:00+09:00");
    assert_eq!(json["checked_at"], "2026-11-27T22:56:00+09:00");
    assert_eq!(json["pass"], true);
    assert_eq!(json["why_not"], serde_json::Value::Null);
    let reasons = json["reasons"].as_array().expect("reasons");
    assert_eq!(
        reasons.len(),
        9,
        "the simulated metrics and the policies, as warnings"
    );
    let policies: Vec<&str> = reasons[6..]
        .iter()
        .map(|r| r["key"].as_str().unwrap_or_default())
        .collect();
    // API-TIMEOUT passed on the Friday evening: still late for Wednesday.
    assert_eq!(
        policies,
        [
            "policy:friday_low_risk_only,API-TIMEOUT,PAY-PERF,SIGNUP-FLOW",
            "policy:list_frozen_by,API-TIMEOUT,PAY-PERF,SIGNUP-FLOW,ADMIN-UI,ORDER-HIST,COUPON-EXP,PWD-MAIL,SEARCH-AC,PUSH-OPTOUT,CSV-EXPORT,SHIP-FEE,AVATAR-LIMIT",
            "policy:critical_staged_by,API-TIMEOUT",
        ]
    );
    assert_eq!(reasons[0]["severity"], "warn");
    assert_eq!(reasons[0]["kind"], "metric_unread");
    assert_eq!(reasons[0]["subjects"][0], "API latency p95");
    assert_eq!(reasons[0]["key"], "metric_unread:API latency p95");
    assert_eq!(reasons[0]["text"], format!("API latency p95: {SIMULATED}"));
    assert_eq!(json["approval"]["by"], "mina");
    assert_eq!(json["approval"]["at"], "2026-11-27T22:55:00+09:00");
    assert_eq!(
        json["approval"]["statement"],
        "QA approves the Friday release"
    );
    assert_eq!(json["approval"]["override_reason"], serde_json::Value::Null);
    assert_eq!(json["approval"]["approved_go"], true);
    assert_eq!(json["approval"]["stale"], false);
    assert_eq!(json["journal"]["lines"], 36);
    assert!(
        json["journal"]["path"]
            .as_str()
            .is_some_and(|p| p.ends_with("night.journal.jsonl"))
    );
}

#[test]
fn an_override_approval_of_a_no_go_is_recorded_with_its_reason_and_goes_stale() {
    let mut entries = evening();
    // The API timeout is back to testing; she approves anyway, naming the risk.
    entries.push(Entry::action(
        at("22:50:00"),
        "mina",
        Action::ItemStatus {
            id: "API-TIMEOUT".into(),
            status: ItemStatus::InProgress,
        },
    ));
    entries.push(Entry::action(
        at("22:55:00"),
        "mina",
        Action::Approve {
            statement: "Deploy tonight".into(),
            override_reason: Some("one staging error, fixed; production traffic differs".into()),
            go: false,
            // "Tests complete" is bound to the items: open again with it.
            reasons: vec![
                warroom::domain::action::StoodReason {
                    key: "item_not_passed:API-TIMEOUT".into(),
                    text: "API-TIMEOUT: Critical item not passed (still testing)".into(),
                    block: true,
                    kind: "item_not_passed".into(),
                    subjects: vec!["API-TIMEOUT".into()],
                },
                warroom::domain::action::StoodReason {
                    key: "checklist_open:tests-complete".into(),
                    text: "checklist: 1 required item open".into(),
                    block: true,
                    kind: "checklist_open".into(),
                    subjects: vec!["tests-complete".into()],
                },
            ],
        },
    ));
    let (dir, plan) = relaxed(&entries);
    let out = check_at(&plan, "22:56:00", &["--format", "json"]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "an approval does not turn NO-GO into GO"
    );
    let approved = check_at(&plan, "22:56:00", &["--require-approval"]);
    assert_eq!(
        approved.status.code(),
        Some(0),
        "an approved override passes a pipeline that asks for the approval"
    );
    assert!(String::from_utf8_lossy(&approved.stdout).ends_with("approval required: holds\n"));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(
        json["approval"]["override_reason"],
        "one staging error, fixed; production traffic differs"
    );
    assert_eq!(json["approval"]["approved_go"], false);
    assert_eq!(json["approval"]["stale"], false);

    // Then the payment module fails: a blocker she did not accept.
    let failed = Entry::action(
        at("22:58:00"),
        "joon",
        Action::ItemStatus {
            id: "PAY-PERF".into(),
            status: ItemStatus::Failed,
        },
    );
    let journal = dir.path().join("night.journal.jsonl");
    let mut text = std::fs::read_to_string(&journal).expect("journal");
    text.push_str(&(failed.to_line() + "\n"));
    std::fs::write(&journal, text).expect("journal");
    let out = check_at(&plan, "22:59:00", &["--require-approval"]);
    assert_eq!(out.status.code(), Some(1), "a stale approval holds nothing");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.ends_with("approval required: the approval is stale: PAY-PERF since it was given\n"),
        "{text}"
    );
    assert!(
        text.starts_with("NO-GO  2026-11-27 Friday release"),
        "{text}"
    );
    assert!(text.contains("  ✗ PAY-PERF: High item failed\n"), "{text}");
    assert!(
        text.contains("approved by mina at Fri 22:55 (stale): Deploy tonight\n"),
        "{text}"
    );
}

#[test]
fn bad_input_is_exit_2() {
    let (dir, plan) = night(&[]);
    std::fs::write(dir.path().join("night.journal.jsonl"), "not json\n").expect("journal");
    let out = check(&plan, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(out.stdout.is_empty());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("night.journal.jsonl:1: not a journal entry"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    std::fs::write(&plan, "[release]\nname = 1\n").expect("plan");
    let out = check(&plan, &[]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("night.toml:2:8: "), "{stderr}");

    let out = check(&dir.path().join("missing.toml"), &[]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn a_journal_can_be_named() {
    let (dir, plan) = relaxed(&[]);
    let other = dir.path().join("elsewhere.jsonl");
    let lines: String = evening().iter().map(|e| e.to_line() + "\n").collect();
    std::fs::write(&other, lines).expect("journal");
    let out = check_at(
        &plan,
        "22:56:00",
        &["--journal", other.to_str().expect("utf-8")],
    );
    assert_eq!(out.status.code(), Some(0));
    let unapproved = check_at(
        &plan,
        "22:56:00",
        &[
            "--journal",
            other.to_str().expect("utf-8"),
            "--require-approval",
            "--format",
            "json",
        ],
    );
    assert_eq!(unapproved.status.code(), Some(1), "GO, but nobody approved");
    let json: serde_json::Value = serde_json::from_slice(&unapproved.stdout).expect("json");
    assert_eq!(json["pass"], false);
    assert_eq!(json["why_not"], "not approved");
}
