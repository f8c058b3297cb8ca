//! A plan whose journal is on PostgreSQL, through the binary: check-in,
//! import, check and a report all read and append the one journal; two
//! seats in tmux see each other's marks, go offline with the server and
//! catch up when it is back, nothing lost or doubled.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::tmux::{Tmux, path_str};

const BIN: &str = env!("CARGO_BIN_EXE_warroom");

fn plan(dir: &Path, deploy: &str) -> PathBuf {
    let text = include_str!("../assets/demo.toml")
        .replace(
            "deploy_at = \"2026-11-27T23:00 Asia/Seoul\"",
            &format!("deploy_at = \"{deploy}\""),
        )
        .replace("check_ins_until = \"monday 09:00\"", "")
        + "\n[journal]\npostgres = { url_env = \"WARROOM_DATABASE_URL\" }\n";
    let path = dir.join("night.toml");
    std::fs::write(&path, text).expect("plan");
    path
}

fn run(url: &str, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("WARROOM_DATABASE_URL", url)
        .output()
        .expect("warroom")
}

#[test]
fn every_command_reads_and_appends_the_one_journal() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let deploy = (chrono::Utc::now() - chrono::TimeDelta::hours(2))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let plan = plan(dir.path(), &deploy);
    let plan = path_str(&plan);
    let out = run(&pg.url(), &["check-in", plan, "--as", "mina"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/jmeter-5-sub-results.jtl"
    );
    let out = run(
        &pg.url(),
        &[
            "import",
            plan,
            "--item",
            "API-TIMEOUT",
            fixture,
            "--as",
            "mina",
        ],
    );
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = run(&pg.url(), &["check", plan, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["journal"]["lines"], 2);
    let out = run(&pg.url(), &["report", "deploy", plan, "--window", "1h"]);
    let md = String::from_utf8_lossy(&out.stdout);
    assert!(md.contains("## Check-ins: 1 made"), "{md}");
    assert!(md.contains("jmeter-5-sub-results.jtl"), "{md}");
    // No file journal was made beside the plan.
    assert!(!dir.path().join("night.journal.jsonl").exists());
    // Without the variable, the journal is refused in words, exit 2.
    let out = Command::new(BIN)
        .args(["check", plan])
        .env_remove("WARROOM_DATABASE_URL")
        .output()
        .expect("check");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("WARROOM_DATABASE_URL is not set; it must hold the connection string"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn two_seats_on_one_database_through_an_outage() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    let dir = tempfile::tempdir().expect("dir");
    let plan = plan(dir.path(), "2099-11-27T23:00 Asia/Seoul");
    let url = pg.url();
    let env = [("WARROOM_DATABASE_URL", url.as_str())];
    let (Some(mina), Some(joon)) = (
        Tmux::start_with("pg-a", &[path_str(&plan), "--as", "mina"], "UTC", &env),
        Tmux::start_with("pg-b", &[path_str(&plan), "--as", "joon"], "UTC", &env),
    ) else {
        return;
    };
    mina.wait_for(&["0/30 done"]);
    joon.wait_for(&["0/30 done"]);
    mina.keys("2");
    mina.keys("j");
    mina.keys("Space");
    mina.wait_for(&["[x] Critical items tested on staging · mina"]);
    let started = std::time::Instant::now();
    joon.wait_for(&["[x] Critical items tested on staging · mina"]);
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );

    pg.stop();
    mina.wait_for(&["JOURNAL OFFLINE"]);
    joon.wait_for(&["JOURNAL OFFLINE"]);
    joon.keys("2");
    joon.keys("j");
    joon.keys("j");
    joon.keys("Space");
    joon.wait_for(&["no mark is taken while the journal is offline"]);
    pg.restart();
    mina.wait_for(&["the journal is back"]);
    joon.wait_for(&["the journal is back"]);
    joon.keys("Space");
    joon.wait_for(&["[x] Regression suite green · joon"]);
    mina.wait_for(&["[x] Regression suite green · joon", "2/30 done"]);
    let out = run(&url, &["check", path_str(&plan), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["journal"]["lines"], 2, "nothing lost, nothing doubled");
    for seat in [&mina, &joon] {
        seat.keys("q");
        assert_eq!(seat.wait_exit(), 0);
    }
}
