//! The command line as clap reads it: the commands, their flags, and the
//! parsers of their values.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};
use warroom::ui::theme::ThemeName;

/// The release command center for deploy night.
///
/// Without a plan it opens the embedded demo release: the Friday night of
/// the story, six hours and twenty minutes before the 23:00 deploy.
#[derive(Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    #[command(subcommand)]
    pub(crate) command: Option<Command>,

    /// The release plan (TOML). Omit it for the demo release.
    pub(crate) plan: Option<PathBuf>,

    /// Who you are in the journal [default: $WARROOM_USER, else your login name]
    #[arg(long = "as", value_name = "NAME")]
    pub(crate) actor: Option<String>,

    /// The journal to keep marks in [default: beside the plan, PLAN.journal.jsonl;
    /// for the demo, a new one in the state directory]
    #[arg(long, value_name = "PATH")]
    pub(crate) journal: Option<PathBuf>,

    /// A seat for those who only watch: it shows everything and takes no
    /// marks (nothing is written to the journal).
    #[arg(long)]
    pub(crate) read_only: bool,

    /// Colours: dark, light or high-contrast (every text at least 7:1).
    /// NO_COLOR in the environment turns colour off whatever the theme.
    #[arg(long, value_name = "THEME", value_parser = parse_theme)]
    pub(crate) theme: Option<ThemeName>,

    /// Open in presenter mode, for a shared screen: the verdict and the
    /// countdown large, one pane below, the plan's private names masked.
    #[arg(long)]
    pub(crate) present: bool,

    /// The seat's settings (theme, name, bell, keys) [default:
    /// warroom/config.toml in the platform's config folder, ~/.config on Linux]
    #[arg(long, value_name = "PATH", global = true)]
    pub(crate) config: Option<PathBuf>,

    /// Open the room at a moment of the night, its clock running from there,
    /// to rehearse it: 22:59:50 (the deploy's day), "sat 00:30", or a full
    /// date-time. Marks go to a rehearsal journal of their own, not the
    /// night's, unless --journal names one.
    #[arg(long, value_name = "TIME")]
    pub(crate) at: Option<String>,

    /// In presenter mode, move to the next pane this often (e.g. 15s).
    #[arg(long, value_name = "DURATION", value_parser = parse_cycle)]
    pub(crate) cycle: Option<std::time::Duration>,
}

#[derive(Subcommand)]
pub(crate) enum Command {
    /// The GO / NO-GO gate without a terminal, for a deploy pipeline:
    /// exit 0 on GO, 1 on NO-GO, 2 on bad input.
    Check {
        /// The release plan (TOML).
        plan: PathBuf,
        /// The journal of marks [default: beside the plan, PLAN.journal.jsonl]
        #[arg(long, value_name = "PATH")]
        journal: Option<PathBuf>,
        /// How to print the verdict.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Judge the night as it stood at this time (RFC 3339, e.g.
        /// 2026-11-27T22:30:00+09:00) instead of now.
        #[arg(long, value_name = "TIME", value_parser = parse_at)]
        at: Option<chrono::DateTime<chrono::Utc>>,
        /// Exit 0 only when the night is approved and the approval is not
        /// stale (an approved override counts); 1 otherwise.
        #[arg(long)]
        require_approval: bool,
    },
    /// Attaches a load-test result (JMeter CSV or XML, k6 JSON or its
    /// summary export) to the item it proves: its summary is journaled on
    /// the item and printed.
    Import {
        /// The release plan (TOML).
        plan: PathBuf,
        /// The item the run is evidence for.
        #[arg(long, value_name = "ID")]
        item: String,
        /// The result file.
        file: PathBuf,
        /// The journal [default: beside the plan, PLAN.journal.jsonl]
        #[arg(long, value_name = "PATH")]
        journal: Option<PathBuf>,
        /// Samples at or over this are counted as timeouts (e.g. 500ms).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        timeout: Option<std::time::Duration>,
        /// Who imports it [default: $WARROOM_USER, else your login name]
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// How to print the summary.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
    /// The night without a terminal, for a host that stays up (systemd,
    /// nohup): the same sources, alerts and check-in slots as the room,
    /// journaled the same way, a line per event on stdout. Ends on SIGTERM.
    Watch {
        /// The release plan (TOML).
        plan: PathBuf,
        /// The journal [default: beside the plan, PLAN.journal.jsonl]
        #[arg(long, value_name = "PATH")]
        journal: Option<PathBuf>,
        /// Who the watcher writes as [default: $WARROOM_USER, else your login name]
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// Print the chat's posts instead of posting them.
        #[arg(long)]
        dry_run: bool,
    },
    /// Moves a release's journal between a file and the plan's database,
    /// line for line.
    Journal {
        #[command(subcommand)]
        way: JournalWay,
    },
    /// Records a check-in after the deploy, as `c` in the room does: all
    /// well, or with a note of what you saw.
    CheckIn {
        /// The release plan (TOML).
        plan: PathBuf,
        /// What you saw; without it, all is well.
        #[arg(long, value_name = "TEXT")]
        note: Option<String>,
        /// The journal [default: beside the plan, PLAN.journal.jsonl]
        #[arg(long, value_name = "PATH")]
        journal: Option<PathBuf>,
        /// Who checks in [default: $WARROOM_USER, else your login name]
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// Print the chat's post instead of posting it.
        #[arg(long)]
        dry_run: bool,
    },
    /// Writes a document of the night: `risk`, the risk analysis of the
    /// items; `deploy`, the completion report over the window after it;
    /// `retro`, the retrospective prefilled with the night's facts.
    Report {
        #[command(subcommand)]
        kind: ReportKind,
    },
    /// Makes load on schedule against a URL (open loop: a slow server shows
    /// as slow answers, not fewer requests), writes a JTL file, prints the
    /// summary; with --item, imports the run on the item and exits 1 when
    /// it fails the item's criteria.
    Probe {
        /// The URL to call with GET.
        url: String,
        /// Requests a second, on schedule; `max` sends as fast as the
        /// connections allow, each its next when the last answered.
        #[arg(long, value_name = "N|max", value_parser = parse_rate)]
        rps: warroom::loadtest::open_loop::Rate,
        /// How long to make load (e.g. 5m).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration)]
        duration: std::time::Duration,
        /// From when a request is due to its whole answer; later is a
        /// timeout and an error.
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "1s")]
        timeout: std::time::Duration,
        /// Requests in flight at most [default: what the rate needs at the
        /// timeout; 50 with --rps max]
        #[arg(long, short = 'c', value_name = "N")]
        connections: Option<usize>,
        /// The JTL file to write [default: probe-TIME.jtl here]
        #[arg(long, short = 'o', value_name = "PATH")]
        out: Option<PathBuf>,
        /// Import the run on this item (needs --plan).
        #[arg(long, value_name = "ID", requires = "plan")]
        item: Option<String>,
        /// The release plan of --item.
        #[arg(long, value_name = "PLAN", requires = "item")]
        plan: Option<PathBuf>,
        /// The journal [default: beside the plan, PLAN.journal.jsonl]
        #[arg(long, value_name = "PATH")]
        journal: Option<PathBuf>,
        /// Who runs it [default: $WARROOM_USER, else your login name]
        #[arg(long = "as", value_name = "NAME")]
        actor: Option<String>,
        /// How to print the summary.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
    },
}

#[derive(Subcommand)]
pub(crate) enum JournalWay {
    /// Writes the plan's database journal to a file journal.
    Export {
        /// The release plan, whose [journal] names the database.
        plan: PathBuf,
        /// The file to write (not overwritten).
        file: PathBuf,
    },
    /// Moves a file journal into the plan's database, into an empty release.
    Import {
        /// The release plan, whose [journal] names the database.
        plan: PathBuf,
        /// The file journal to read.
        file: PathBuf,
    },
}

#[derive(Subcommand)]
pub(crate) enum ReportKind {
    /// Items by risk score, their status and load-test evidence, and a
    /// recommendation for each at or over the threshold not yet proven.
    Risk {
        /// The release plan (TOML).
        plan: PathBuf,
        /// Recommend moving unproven items scoring at least this.
        #[arg(long, value_name = "SCORE", default_value_t = warroom::report::risk::HIGH_RISK)]
        threshold: u16,
        #[command(flatten)]
        output: ReportOutput,
    },
    /// The retrospective: the night's facts under went well, regrets and
    /// improvements, each regret with the policy that would have caught it.
    Retro {
        /// The release plan (TOML).
        plan: PathBuf,
        #[command(flatten)]
        output: ReportOutput,
    },
    /// The completion report: the night's timeline, the approval and the
    /// checklist it saw, load tests, alerts, check-ins, and what every
    /// metric did over the window after the deploy (and what nobody saw).
    Deploy {
        /// The release plan (TOML).
        plan: PathBuf,
        /// How long after the deploy to report on (at most 48h, what is kept).
        #[arg(long, value_name = "DURATION", value_parser = parse_duration, default_value = "48h")]
        window: std::time::Duration,
        #[command(flatten)]
        output: ReportOutput,
    },
}

#[derive(clap::Args)]
pub(crate) struct ReportOutput {
    /// The journal [default: beside the plan, PLAN.journal.jsonl]
    #[arg(long, value_name = "PATH")]
    pub(crate) journal: Option<PathBuf>,
    /// The night as it stood at this time (RFC 3339) instead of now.
    #[arg(long, value_name = "TIME", value_parser = parse_at)]
    pub(crate) at: Option<chrono::DateTime<chrono::Utc>>,
    /// Markdown to paste into a mail or a wiki, or JSON.
    #[arg(long, value_enum, default_value = "markdown")]
    pub(crate) format: DocFormat,
    /// Write it here instead of to standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub(crate) out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum DocFormat {
    #[value(alias = "md")]
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

pub(crate) fn parse_rate(text: &str) -> Result<warroom::loadtest::open_loop::Rate, String> {
    use warroom::loadtest::open_loop::Rate;
    if text == "max" {
        return Ok(Rate::Max);
    }
    match text.parse::<f64>() {
        Ok(r) if r > 0.0 && r <= 1_000_000.0 => Ok(Rate::PerSecond(r)),
        _ => Err(format!(
            "\"{text}\" is not a rate; expected requests a second, from 1 to 1000000, or max"
        )),
    }
}

pub(crate) fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e}; expected a duration like 500ms"))
}

pub(crate) fn parse_cycle(text: &str) -> Result<std::time::Duration, String> {
    let every = parse_duration(text)?;
    if every < std::time::Duration::from_secs(1) {
        return Err(format!(
            "{text} is too short to read a pane; expected 1s or more"
        ));
    }
    Ok(every)
}

pub(crate) fn parse_theme(text: &str) -> Result<ThemeName, String> {
    ThemeName::parse(text)
        .ok_or_else(|| format!("expected dark, light or high-contrast, not {text:?}"))
}

pub(crate) fn parse_at(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{e}; expected a time like 2026-11-27T22:30:00+09:00"))
}
