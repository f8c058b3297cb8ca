//! Logs go to a file in the user's state directory, never to the screen the
//! war room draws on.

use std::path::PathBuf;

use tracing_appender::non_blocking::WorkerGuard;

/// `$XDG_STATE_HOME/warroom/warroom.log` or the platform's equivalent.
pub fn log_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "warroom")?;
    Some(
        dirs.state_dir()
            .unwrap_or_else(|| dirs.data_local_dir())
            .to_path_buf(),
    )
}

/// The log file is a file someone will `cat`: what is written to it passes
/// the one function for outside text, as everything shown does.
struct Disarmed<W>(W);

impl<W: std::io::Write> std::io::Write for Disarmed<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let text = String::from_utf8_lossy(buf);
        // One event, one line: a line break inside a message is escaped
        // too, so no outside text can forge a line of the log.
        let (body, end) = match text.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (text.as_ref(), ""),
        };
        let safe = crate::outside::shown(body).replace('\n', "\\n");
        self.0.write_all(format!("{safe}{end}").as_bytes())?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// Starts logging; keep the guard alive until exit so the last lines are written.
/// Logging that cannot start is not a reason to refuse deploy night.
pub fn init() -> Option<WorkerGuard> {
    let dir = log_dir()?;
    std::fs::create_dir_all(&dir).ok()?;
    let appender = tracing_appender::rolling::never(dir, "warroom.log");
    let (writer, guard) = tracing_appender::non_blocking(Disarmed(appender));
    let filter = tracing_subscriber::EnvFilter::try_from_env("WARROOM_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_env_filter(filter)
        .try_init()
        .ok()?;
    Some(guard)
}
