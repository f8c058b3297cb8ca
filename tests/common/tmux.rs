//! Driving the built binary in a real terminal: tmux runs it, `send-keys`
//! types and `capture-pane` reads the screen.
//!
//! A test that needs tmux is skipped, saying so, where tmux is missing; under
//! `CI=true` a missing tmux fails.

use std::path::Path;
use std::process::{Command, Output};
use std::time::{Duration, Instant};

pub const BIN: &str = env!("CARGO_BIN_EXE_warroom");

/// One private tmux server per test, killed when the test ends.
pub struct Tmux {
    socket: String,
    /// Holds the log directory and the file the exit status is written to.
    dir: tempfile::TempDir,
}

impl Tmux {
    /// Starts `warroom ARGS` in a 120×40 pane. A shell around it writes the
    /// exit status to a file and keeps the pane open, so both the status and
    /// the terminal left behind can be read.
    pub fn start(name: &str, args: &[&str]) -> Option<Tmux> {
        Tmux::start_in_zone(name, args, "UTC")
    }

    pub fn start_in_zone(name: &str, args: &[&str], tz: &str) -> Option<Tmux> {
        Tmux::start_with(name, args, tz, &[])
    }

    /// Starts it with more environment variables set for it.
    pub fn start_with(name: &str, args: &[&str], tz: &str, env: &[(&str, &str)]) -> Option<Tmux> {
        Tmux::launch(name, args, tz, env, None)
    }

    /// Starts it with this text as the seat's config file.
    pub fn start_configured(name: &str, args: &[&str], config: &str) -> Option<Tmux> {
        Tmux::launch(name, args, "UTC", &[], Some(config))
    }

    fn launch(
        name: &str,
        args: &[&str],
        tz: &str,
        env: &[(&str, &str)],
        config: Option<&str>,
    ) -> Option<Tmux> {
        if !tmux_available() {
            return None;
        }
        let tmux = Tmux {
            socket: format!("warroom-test-{}-{name}", std::process::id()),
            dir: tempfile::tempdir().expect("temp dir"),
        };
        // The seat's config folder is the test's own: never the home's.
        let config_home = tmux.dir.path().join("config");
        if let Some(text) = config {
            std::fs::create_dir_all(config_home.join("warroom")).expect("config folder");
            std::fs::write(config_home.join("warroom/config.toml"), text).expect("config");
        }
        let config_env = format!("XDG_CONFIG_HOME={}", config_home.display());
        let state_env = format!("XDG_STATE_HOME={}", tmux.dir.path().display());
        let tz_env = format!("TZ={tz}");
        let script = format!(
            "\"$0\" \"$@\"; echo $? > '{}'; exec sleep 600",
            tmux.status_file().display()
        );
        let mut command = vec![
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            &state_env,
            "-e",
            &config_env,
            "-e",
            &tz_env,
            "sh",
            "-c",
            &script,
            BIN,
        ];
        let extra: Vec<String> = env.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let at = command.len() - 4;
        for e in extra.iter().rev() {
            command.insert(at, e);
            command.insert(at, "-e");
        }
        command.extend_from_slice(args);
        tmux.run(&command);
        Some(tmux)
    }

    fn status_file(&self) -> std::path::PathBuf {
        self.dir.path().join("exit-status")
    }

    pub fn run(&self, args: &[&str]) -> Output {
        let output = Command::new("tmux")
            .args(["-L", &self.socket, "-f", "/dev/null"])
            .args(args)
            .output()
            .expect("run tmux");
        assert!(
            output.status.success(),
            "tmux {args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// Every file the seat wrote under its state folder (its log among
    /// them), as text.
    pub fn state_files_text(&self) -> String {
        fn walk(dir: &Path, out: &mut String) {
            for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let path = entry.path();
                if path.is_dir() {
                    walk(&path, out);
                } else if let Ok(bytes) = std::fs::read(&path) {
                    out.push_str(&String::from_utf8_lossy(&bytes));
                }
            }
        }
        let mut out = String::new();
        walk(self.dir.path(), &mut out);
        out
    }

    pub fn screen(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-p", "-t", "t"]).stdout).into_owned()
    }

    /// The screen with its colours, as SGR escapes.
    pub fn screen_escaped(&self) -> String {
        String::from_utf8_lossy(&self.run(&["capture-pane", "-e", "-p", "-t", "t"]).stdout)
            .into_owned()
    }

    /// A left click at a cell (0-based), as an SGR mouse report the
    /// terminal would send: press, then release.
    pub fn click(&self, column: usize, row: usize) {
        for end in ['M', 'm'] {
            let report = format!("\x1b[<0;{};{}{end}", column + 1, row + 1);
            let hex: Vec<String> = report.bytes().map(|b| format!("{b:02x}")).collect();
            let mut args = vec!["send-keys", "-t", "t", "-H"];
            args.extend(hex.iter().map(String::as_str));
            self.run(&args);
        }
    }

    pub fn resize(&self, width: u16, height: u16) {
        self.run(&[
            "resize-window",
            "-t",
            "t",
            "-x",
            &width.to_string(),
            "-y",
            &height.to_string(),
        ]);
    }

    pub fn display(&self, format: &str) -> String {
        let out = self.run(&["display-message", "-p", "-t", "t", format]);
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }

    pub fn keys(&self, keys: &str) {
        self.run(&["send-keys", "-t", "t", keys]);
    }

    /// Waits until every text is on screen, or fails with the screen it saw.
    pub fn wait_for(&self, texts: &[&str]) -> String {
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            let screen = self.screen();
            if texts.iter().all(|t| screen.contains(t)) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {texts:?}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// Waits for the process to end and returns its exit status.
    pub fn wait_exit(&self) -> i32 {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(text) = std::fs::read_to_string(self.status_file())
                && let Ok(status) = text.trim().parse()
            {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "warroom did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// The pid of warroom: the child of the shell that holds the pane.
    pub fn warroom_pid(&self) -> String {
        let shell = self.display("#{pane_pid}");
        let out = Command::new("pgrep")
            .args(["-P", &shell])
            .output()
            .expect("pgrep");
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
    }
}

fn tmux_available() -> bool {
    let found = Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "tmux is required under CI=true"
        );
        eprintln!("skipped: tmux is not installed (apt-get install tmux)");
    }
    found
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

/// The demo's release as a real plan file, deploy a year out, in its own folder.
pub fn plan_file() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("night.toml");
    let demo = include_str!("../../assets/demo.toml").replace(
        "deploy_at = \"2026-11-27T23:00 Asia/Seoul\"",
        "deploy_at = \"2099-11-27T23:00 Asia/Seoul\"",
    );
    std::fs::write(&path, demo).expect("write plan");
    (dir, path)
}
