//! A plan whose journal is on PostgreSQL, through the binary: check-in,
//! import, check and a report all read and append the one journal; two
//! seats in tmux see each other's marks, go offline with the server and
//! catch up when it is back, nothing lost or doubled.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::tmux::{Tmux, path_str};
use warroom::journal::Store;

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

/// The release the plan's journal is under.
fn key(plan: &str) -> String {
    let plan = warroom::plan::Plan::load(Path::new(plan)).expect("plan");
    warroom::journal::release_key(&plan)
}

/// A child that is killed however the test ends, a failed assertion included.
struct Killed(std::process::Child);

impl Drop for Killed {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
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
    // A watcher, whose log names who connected where it is not the name typed.
    let mut watch = Killed(
        Command::new(BIN)
            .args(["watch", plan, "--as", "watcher"])
            .env("WARROOM_DATABASE_URL", pg.url())
            .env("XDG_STATE_HOME", dir.path())
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::null())
            .spawn()
            .expect("watch"),
    );
    let stdout = watch.0.stdout.take().expect("stdout");
    let (said, heard) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::BufRead::lines(std::io::BufReader::new(stdout)).map_while(Result::ok) {
            if said.send(line).is_err() {
                return;
            }
        }
    });
    let mut watched = Vec::new();
    let mut wait_for = |what: &str| {
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        while !watched.iter().any(|l: &String| l.contains(what)) {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match heard.recv_timeout(left) {
                Ok(line) => watched.push(line),
                Err(_) => panic!("no {what:?} within 20 s:\n{}", watched.join("\n")),
            }
        }
    };
    wait_for("watching ");
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
    wait_for(" journal 1 mina (db role warroom): checked in");
    // The watcher writes what it sees (a check-in falling due) to the same
    // journal: stopped before the lines are counted.
    drop(watch);
    let replayed = warroom::journal::postgres::PgStore::connect(&pg.url(), &key(plan))
        .expect("connect")
        .replay()
        .expect("replay");
    let mina = replayed
        .lines
        .iter()
        .filter(|l| l.entry.actor == "mina")
        .count();
    assert_eq!(mina, 2, "the check-in and the evidence");
    let out = run(&pg.url(), &["check", plan, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(json["journal"]["lines"], replayed.lines.len());
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
    // The server trusts loopback, so the password is never checked: it is
    // here to be looked for where it must never be.
    const PASSWORD: &str = "hunter2-s3cret-pw";
    let url = format!("{} password={PASSWORD}", pg.url());
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
    let offline = joon.wait_for(&["no mark is taken while the journal is offline"]);
    assert!(!offline.contains(PASSWORD), "{offline}");
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
        let written = seat.state_files_text();
        assert!(written.contains("journal"), "the log was looked at");
        assert!(!written.contains(PASSWORD), "{written}");
        assert!(!written.contains("user=warroom"), "{written}");
    }
}

#[test]
fn a_night_moves_from_a_file_to_the_database_and_back_line_for_line() {
    let Some(pg) = common::postgres::PgCluster::start() else {
        return;
    };
    // The story's night in a file journal, a torn line in it sealed.
    let (dir, file_plan) = common::story::demo_night();
    let file = dir.path().join("night.journal.jsonl");
    let mut original = std::fs::read(&file).expect("journal");
    let keep = original.clone();
    original.extend_from_slice(b"\0\n");
    original.extend_from_slice(&keep[..keep.iter().position(|b| *b == b'\n').expect("a line") + 1]);
    std::fs::write(&file, &original).expect("journal");
    let db_plan = dir.path().join("shared.toml");
    std::fs::write(
        &db_plan,
        std::fs::read_to_string(&file_plan).expect("plan")
            + "\n[journal]\npostgres = { url_env = \"WARROOM_DATABASE_URL\" }\n",
    )
    .expect("plan");
    let (db_plan, file_str) = (path_str(&db_plan), path_str(&file));
    let out = run(&pg.url(), &["journal", "import", db_plan, file_str]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines = original.iter().filter(|b| **b == b'\n').count() - 1;
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        format!(
            "{lines} lines of {file_str} moved into 2026-11-27 Friday release@2026-11-27T14:00:00Z\n"
        )
    );
    // The same night either way.
    let at = ["--at", "2026-11-28T12:00:00+09:00", "--format", "json"];
    let from_file = run(
        &pg.url(),
        &[&["check", path_str(&file_plan)][..], &at].concat(),
    );
    let from_db = run(&pg.url(), &[&["check", db_plan][..], &at].concat());
    let verdict = |o: &Output| {
        let mut v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
        v["journal"] = serde_json::Value::Null;
        v
    };
    assert_eq!(verdict(&from_file), verdict(&from_db));
    // Twice is refused: never two nights in one release.
    let again = run(&pg.url(), &["journal", "import", db_plan, file_str]);
    assert_eq!(again.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&again.stderr)
            .contains("a journal is imported into an empty release only")
    );
    // And back to a file, byte for byte.
    let back = dir.path().join("back.journal.jsonl");
    let out = run(&pg.url(), &["journal", "export", db_plan, path_str(&back)]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(std::fs::read(&back).expect("exported"), original);
}
