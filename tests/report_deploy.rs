//! `warroom report deploy` through the binary: Monday's completion report of
//! the demo night, from a journal that replays the story's evening and
//! weekend and what a seat recorded of one metric, as reviewed golden
//! files; and over a short window against a real Prometheus.

mod common;

use std::path::Path;
use std::process::{Command, Output};

use chrono::{TimeDelta, Utc};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn report(plan: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(["report", "deploy"])
        .arg(plan)
        .args(args)
        .output()
        .expect("report")
}

fn text(out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout.clone()).expect("utf-8")
}

#[test]
fn monday_s_report_of_the_demo_night() {
    let (_dir, plan) = common::story::demo_night();
    let args = ["--at", "2026-11-28T12:00:00+09:00", "--window", "2h"];
    let md = text(&report(&plan, &args));
    assert!(
        md.contains("Marked done Fri 27 Nov 23:05:00 KST by joon.\n"),
        "{md}"
    );
    assert!(
        md.contains("Monitoring window: Fri 27 Nov 23:00:00 KST to Sat 28 Nov 01:00:00 KST.\n"),
        "{md}"
    );
    assert!(
        md.contains("| API latency p95 | 227 ms | 247 ms | 612 ms | Fri 27 Nov 23:20:10 KST | 6600 | 10 min |"),
        "{md}"
    );
    assert!(
        md.contains("- API latency p95: Fri 27 Nov 23:39:59 KST to Fri 27 Nov 23:50:00 KST\n"),
        "{md}"
    );
    assert!(md.contains("## Check-ins: 2 made, "), "{md}");
    insta::assert_snapshot!("deploy_demo_markdown", md);
    let json = text(&report(&plan, &[&args[..], &["--format", "json"]].concat()));
    insta::assert_snapshot!("deploy_demo_json", json);
}

#[test]
fn against_a_real_prometheus_over_a_short_window() {
    let Some(server) = common::prometheus::PrometheusServer::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("hotfix.toml");
    // Deployed two minutes ago: a constant the server answers for any time,
    // and its own `up`, which it knows only since it started.
    let deploy =
        (Utc::now() - TimeDelta::minutes(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::write(
        &plan,
        format!(
            r#"
[release]
name = "Hotfix"
deploy_at = "{deploy}"

[[items]]
id = "FIX"
title = "Fix"
priority = "high"
status = "passed"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"

[[metrics]]
name = "API p95"
unit = "ms"
source = {{ prometheus = {{ url = "{url}", query = "vector(612)" }} }}
interval = "15s"

[[metrics]]
name = "Server up"
source = {{ prometheus = {{ url = "{url}", query = "up" }} }}
interval = "1s"

[[metrics]]
name = "Timeouts"
source = {{ prometheus = {{ url = "{url}", query = "vector(2)" }} }}
interval = "15s"
counts = true
"#,
            url = server.url()
        ),
    )
    .expect("plan");
    let out = report(&plan, &["--window", "1m", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let p95 = &json["monitoring"][0];
    assert_eq!(p95["name"], "API p95");
    // One a step of 15 s over the minute, both ends in.
    assert_eq!(p95["samples"], 5);
    assert_eq!(
        (
            p95["average"].clone(),
            p95["p95"].clone(),
            p95["max"].clone()
        ),
        (612.0.into(), 612.0.into(), 612.0.into())
    );
    assert_eq!(p95["unseen_s"], 0);
    // The server started after the window: nobody saw it then.
    let up = &json["monitoring"][1];
    assert_eq!(up["samples"], 0);
    assert_eq!(up["unseen_s"], 60);
    // A count is added up: two a step, five steps.
    let timeouts = &json["monitoring"][2];
    assert_eq!(timeouts["total"], 10.0);
    assert_eq!(
        json["monitoring"][0].get("total"),
        None,
        "a level has no total"
    );
    let markdown = text(&report(&plan, &["--window", "1m"]));
    assert!(
        markdown.contains("Counted over the window:\n\n- Timeouts: 10\n"),
        "{markdown}"
    );
}

#[test]
fn a_source_that_cannot_be_read_is_said_not_blamed_on_the_team() {
    // A port nothing listens on: the range query fails.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port();
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("hotfix.toml");
    let deploy =
        (Utc::now() - TimeDelta::minutes(2)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    std::fs::write(
        &plan,
        format!(
            r#"
[release]
name = "Hotfix"
deploy_at = "{deploy}"

[[items]]
id = "FIX"
title = "Fix"
priority = "high"
status = "passed"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"

[[metrics]]
name = "API p95"
unit = "ms"
source = {{ prometheus = {{ url = "http://127.0.0.1:{port}", query = "vector(612)" }} }}
interval = "15s"
"#
        ),
    )
    .expect("plan");
    let out = report(&plan, &["--window", "1m", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let p95 = &json["monitoring"][0];
    assert_eq!(p95["samples"], 0);
    assert_eq!(p95["not_read"], "connection refused");
    let out = report(&plan, &["--window", "1m"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "Not read from the source (the figures above are only what the seats recorded):\n\n- API p95: "
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "- API p95 (not read from the source: unseen by the seats that recorded it): "
        ),
        "{text}"
    );
}

/// What the team's chat was told of the demo night, line by line, as the
/// webhook receives it: each payload's one field, `text`, exactly.
#[test]
fn the_demo_night_s_chat_payloads() {
    let plan = warroom::plan::Plan::parse(include_str!("../assets/demo.toml"), "night.toml")
        .expect("plan");
    let mut night = warroom::night::Night::new(
        plan,
        chrono::DateTime::parse_from_rfc3339("2026-11-30T15:00:00+09:00")
            .expect("time")
            .to_utc(),
    );
    let lines = common::story::the_night()
        .into_iter()
        .zip(1..)
        .map(|(entry, number)| warroom::journal::Line {
            number,
            entry,
            role: None,
        })
        .collect();
    night.apply(&warroom::journal::Batch {
        lines,
        ..warroom::journal::Batch::default()
    });
    let spec = warroom::spec::ChatSpec {
        webhook_env: "TEAM_WEBHOOK".into(),
        events: warroom::spec::ChatEvent::ALL.to_vec(),
    };
    let payloads: Vec<String> = night
        .ledger
        .log
        .iter()
        .filter_map(|l| warroom::report::chat::message(&night, l, &spec))
        .map(|text| warroom::report::chat::payload(&text))
        .collect();
    insta::assert_snapshot!("demo_chat_payloads", payloads.join("\n"));
}

/// The approval is of the pre-deploy checklist; the entries for after the
/// deploy are said as they stand, in their own section.
#[test]
fn the_after_deploy_entries_have_their_own_section() {
    use warroom::domain::action::StoodReason;
    use warroom::domain::{Action, MarkState};
    use warroom::journal::Entry;
    let dir = tempfile::tempdir().expect("dir");
    let plan = dir.path().join("night.toml");
    std::fs::write(
        &plan,
        r#"
[release]
name = "Hotfix"
deploy_at = "2026-11-27T23:00 Asia/Seoul"

[[items]]
id = "FIX"
title = "Fix"
priority = "high"
status = "passed"

[[checklist_group]]
name = "After the deploy"
phase = "after"

[[checklist]]
id = "rollback"
text = "Rollback plan ready"

[[checklist]]
id = "smoke"
text = "Smoke test in production"
group = "After the deploy"

[[checklist]]
id = "unmuted"
text = "Alerts unmuted"
group = "After the deploy"
"#,
    )
    .expect("plan");
    let at = |t: &str| chrono::DateTime::parse_from_rfc3339(t).expect("time");
    let check = |id: &str| Action::Check {
        id: id.into(),
        mark: MarkState::Done,
        reason: None,
    };
    let lines = [
        Entry::action(at("2026-11-27T22:40:00+09:00"), "mina", check("rollback")),
        Entry::action(
            at("2026-11-27T22:50:00+09:00"),
            "mina",
            Action::Approve {
                statement: "QA approves".into(),
                override_reason: None,
                go: true,
                reasons: Vec::<StoodReason>::new(),
            },
        ),
        Entry::action(at("2026-11-27T23:05:00+09:00"), "joon", Action::DeployDone),
        Entry::action(at("2026-11-27T23:12:00+09:00"), "joon", check("smoke")),
    ];
    let journal: String = lines.iter().map(|e| e.to_line() + "\n").collect();
    std::fs::write(dir.path().join("night.journal.jsonl"), journal).expect("journal");
    let md = text(&report(&plan, &["--at", "2026-11-28T09:00:00+09:00"]));
    assert!(
        md.contains(
            "## Checklist at approval: 1/1 done\n\n- [x] Rollback plan ready · mina\n\n\
             ## After the deploy: 1/2 done\n\n- [x] Smoke test in production · joon\n\
             - [ ] Alerts unmuted\n"
        ),
        "{md}"
    );
    let json = text(&report(
        &plan,
        &["--at", "2026-11-28T09:00:00+09:00", "--format", "json"],
    ));
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(
        json["checklist_at_approval"].as_array().map(Vec::len),
        Some(1)
    );
    assert_eq!(json["checklist_after_deploy"][0]["id"], "smoke");
    assert_eq!(json["checklist_after_deploy"][0]["state"], "done");
    assert_eq!(json["checklist_after_deploy"][1]["state"], "open");
}
