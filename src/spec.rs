//! Where a metric's numbers come from, and which number: the source specs
//! and signals that the plan reads and the sources run. Neither the plan nor
//! the sources own them, so neither imports the other.

use std::time::Duration;

use serde::Deserialize;

/// Which number of the simulated traffic a metric shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    LatencyAvg,
    LatencyP95,
    LatencyMax,
    ErrorRate,
    Tps,
    /// Calls that hit the API timeout in the slot: a count.
    Timeouts,
}

/// Which number of a round of calls a metric shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbeSignal {
    LatencyAvg,
    LatencyP95,
    LatencyMax,
    /// Percent of calls that failed or timed out.
    ErrorRate,
}

/// Which number of each second of the test a metric shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JtlSignal {
    /// Samples per second.
    Tps,
    LatencyAvg,
    LatencyP95,
    LatencyMax,
    /// Percent of samples that failed.
    ErrorRate,
}

#[derive(Debug, Clone, PartialEq)]
pub enum SourceSpec {
    /// The built-in simulator of the demo release.
    Demo { signal: Signal, seed: u64 },
    /// A Prometheus server's HTTP API.
    Prometheus(PrometheusSpec),
    /// Any HTTP endpoint answering JSON, and where in it the number is.
    HttpJson(HttpJsonSpec),
    /// Calls a URL itself and measures the answers.
    Probe(ProbeSpec),
    /// A JMeter CSV result file, followed while it is written.
    Jtl {
        /// Relative paths are taken from the plan's folder.
        path: std::path::PathBuf,
        signal: JtlSignal,
        /// How long after its second a line may still arrive, if the plan
        /// says; else the longest response seen.
        late: Option<Duration>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeSpec {
    pub url: String,
    pub signal: ProbeSignal,
    /// Calls made at once each interval.
    pub calls: u16,
    /// A call slower than this counts as a timeout error.
    pub timeout: Duration,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpJsonSpec {
    pub url: String,
    /// A JSON pointer (RFC 6901) to the number, like `/latency/p95`.
    pub pointer: String,
    /// Header name and the environment variable that holds its value.
    pub headers_env: Vec<(String, String)>,
}

/// Where and what to ask a Prometheus server. Secrets are never here: only the
/// names of the environment variables that hold them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PrometheusSpec {
    /// The server's base URL, without credentials.
    pub url: String,
    /// A PromQL query returning one series or a scalar.
    pub query: String,
    pub token_env: Option<String>,
    pub user_env: Option<String>,
    pub password_env: Option<String>,
}

impl SourceSpec {
    /// The host the source reads from, when it reads one: masked in presenter mode.
    pub fn host(&self) -> Option<String> {
        let url = match self {
            SourceSpec::Prometheus(p) => &p.url,
            SourceSpec::HttpJson(h) => &h.url,
            SourceSpec::Probe(p) => &p.url,
            SourceSpec::Demo { .. } | SourceSpec::Jtl { .. } => return None,
        };
        reqwest::Url::parse(url)
            .ok()?
            .host_str()
            .map(|h| h.trim_matches(['[', ']']).to_string())
    }

    /// Simulated numbers must never pass for production on a shared screen.
    pub fn is_simulated(&self) -> bool {
        matches!(self, SourceSpec::Demo { .. })
    }

    /// A source that keeps no history of its own: only the seats' record of
    /// it tells what it did.
    pub fn keeps_no_history(&self) -> bool {
        matches!(self, SourceSpec::HttpJson(_) | SourceSpec::Probe(_))
    }

    /// A live production source whose readings the seats record beside the
    /// journal: all of them but a simulator and a result file, which `check`
    /// can compute again by itself.
    pub fn is_recorded(&self) -> bool {
        !matches!(self, SourceSpec::Demo { .. } | SourceSpec::Jtl { .. })
    }

    /// A load-test result: what a test showed when it ran, not production now.
    pub fn is_load_test(&self) -> bool {
        matches!(self, SourceSpec::Jtl { .. })
    }
}

/// `[chat]`: a Slack-compatible incoming webhook for the team's chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChatSpec {
    /// The environment variable holding the webhook's URL: a secret, never
    /// in the plan.
    pub webhook_env: String,
    pub events: Vec<ChatEvent>,
}

/// What is posted: each a journal line, posted by the one seat or watcher
/// whose claim on it was written, so once however many run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ChatEvent {
    /// GO turned NO-GO or back, by a mark this process wrote.
    Verdict,
    Approval,
    Deploy,
    Alert,
    CheckIn,
    /// A check-in slot fell due, with the digest of the metrics since the
    /// one before.
    CheckInDue,
    /// A check-in slot ended with no check-in.
    CheckInMissed,
}

impl ChatEvent {
    pub const ALL: [ChatEvent; 7] = [
        ChatEvent::Verdict,
        ChatEvent::Approval,
        ChatEvent::Deploy,
        ChatEvent::Alert,
        ChatEvent::CheckIn,
        ChatEvent::CheckInDue,
        ChatEvent::CheckInMissed,
    ];

    pub fn name(self) -> &'static str {
        match self {
            ChatEvent::Verdict => "verdict",
            ChatEvent::Approval => "approval",
            ChatEvent::Deploy => "deploy",
            ChatEvent::Alert => "alert",
            ChatEvent::CheckIn => "check_in",
            ChatEvent::CheckInDue => "check_in_due",
            ChatEvent::CheckInMissed => "check_in_missed",
        }
    }
}

/// `[journal]`: where the night's marks are kept when not in the file
/// beside the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalSpec {
    /// The environment variable holding the PostgreSQL connection string.
    pub url_env: String,
    /// The release's key in the database; by default from its name and
    /// deploy time.
    pub key: Option<String>,
}
