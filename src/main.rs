//! The command line. Everything else lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::{Parser, Subcommand, ValueEnum};
use warroom::app::{self, RunOptions};
use warroom::clock::Clock;
use warroom::config::Config;
use warroom::domain::Zone;
use warroom::journal;
use warroom::plan::{self, Plan};
use warroom::ui::theme::{Look, ThemeName};

/// The release command center for deploy night.
///
/// Without a plan it opens the embedded demo release: the Friday night of
/// the story, six hours and twenty minutes before the 23:00 deploy.
#[derive(Parser)]
#[command(version, args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,

    /// The release plan (TOML). Omit it for the demo release.
    plan: Option<PathBuf>,

    /// Who you are in the journal [default: $WARROOM_USER, else your login name]
    #[arg(long = "as", value_name = "NAME")]
    actor: Option<String>,

    /// The journal to keep marks in [default: beside the plan, PLAN.journal.jsonl;
    /// for the demo, a new one in the state directory]
    #[arg(long, value_name = "PATH")]
    journal: Option<PathBuf>,

    /// A seat for those who only watch: it shows everything and takes no
    /// marks (nothing is written to the journal).
    #[arg(long)]
    read_only: bool,

    /// Colours: dark, light or high-contrast (every text at least 7:1).
    /// NO_COLOR in the environment turns colour off whatever the theme.
    #[arg(long, value_name = "THEME", value_parser = parse_theme)]
    theme: Option<ThemeName>,

    /// Open in presenter mode, for a shared screen: the verdict and the
    /// countdown large, one pane below, the plan's private names masked.
    #[arg(long)]
    present: bool,

    /// The seat's settings (theme, name, bell, keys) [default:
    /// warroom/config.toml in the platform's config folder, ~/.config on Linux]
    #[arg(long, value_name = "PATH", global = true)]
    config: Option<PathBuf>,

    /// Open the room at a moment of the night, its clock running from there,
    /// to rehearse it: 22:59:50 (the deploy's day), "sat 00:30", or a full
    /// date-time. Marks go to a rehearsal journal of their own, not the
    /// night's, unless --journal names one.
    #[arg(long, value_name = "TIME")]
    at: Option<String>,

    /// In presenter mode, move to the next pane this often (e.g. 15s).
    #[arg(long, value_name = "DURATION", value_parser = parse_cycle)]
    cycle: Option<std::time::Duration>,
}

#[derive(Subcommand)]
enum Command {
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
enum JournalWay {
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
enum ReportKind {
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
struct ReportOutput {
    /// The journal [default: beside the plan, PLAN.journal.jsonl]
    #[arg(long, value_name = "PATH")]
    journal: Option<PathBuf>,
    /// The night as it stood at this time (RFC 3339) instead of now.
    #[arg(long, value_name = "TIME", value_parser = parse_at)]
    at: Option<chrono::DateTime<chrono::Utc>>,
    /// Markdown to paste into a mail or a wiki, or JSON.
    #[arg(long, value_enum, default_value = "markdown")]
    format: DocFormat,
    /// Write it here instead of to standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    out: Option<PathBuf>,
}

#[derive(Clone, Copy, ValueEnum)]
enum DocFormat {
    #[value(alias = "md")]
    Markdown,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = Cli::parse();
    // Read once; only the commands that act as someone or draw the room
    // need it, so a broken config never stops a pipeline's `check`.
    let config = seat_config(cli.config.as_deref());
    let _log = warroom::logging::init();
    if let Some(Command::Check {
        plan,
        journal,
        format,
        at,
        require_approval,
    }) = cli.command
    {
        let options = warroom::check::CheckOptions {
            journal,
            now: at.unwrap_or_else(chrono::Utc::now),
            pinned: at.is_some(),
            require_approval,
        };
        return check(&plan, options, format);
    }

    if let Some(Command::Import {
        plan,
        item,
        file,
        journal,
        timeout,
        actor: who,
        format,
    }) = cli.command
    {
        let Some(actor) = actor_or_say(who, &config) else {
            return ExitCode::from(2);
        };
        let options = warroom::import::ImportOptions {
            item,
            file,
            journal,
            actor,
            timeout,
        };
        return import(&plan, options, format);
    }

    if let Some(Command::CheckIn {
        plan,
        note,
        journal,
        actor: who,
        dry_run,
    }) = cli.command
    {
        let Some(actor) = actor_or_say(who, &config) else {
            return ExitCode::from(2);
        };
        let options = warroom::check_in::CheckInOptions {
            journal,
            actor,
            note,
            chat_dry_run: dry_run,
        };
        return match warroom::check_in::check_in(&plan, options) {
            Ok(said) => {
                let _ = std::io::Write::write_all(&mut std::io::stdout(), said.as_bytes());
                ExitCode::SUCCESS
            }
            Err(warroom::check_in::CheckInError::Plan(err @ plan::PlanError::Invalid { .. })) => {
                eprintln!("{err}");
                ExitCode::from(2)
            }
            Err(err) => {
                eprintln!("error: {}", warroom::outside::shown(&err.to_string()));
                ExitCode::from(2)
            }
        };
    }

    if let Some(Command::Journal { way }) = cli.command {
        return match move_journal(way) {
            Ok(said) => {
                println!("{}", warroom::outside::shown(&said));
                ExitCode::SUCCESS
            }
            Err(why) => {
                eprintln!("error: {}", warroom::outside::shown(&why));
                ExitCode::from(2)
            }
        };
    }

    if let Some(Command::Report { kind }) = cli.command {
        return report(kind);
    }

    if let Some(Command::Probe {
        url,
        rps,
        duration,
        timeout,
        connections,
        out,
        item,
        plan,
        journal,
        actor: who,
        format,
    }) = cli.command
    {
        let Some(actor) = actor_or_say(who, &config) else {
            return ExitCode::from(2);
        };
        let options = warroom::probe::ProbeOptions {
            url,
            rate: rps,
            duration,
            timeout,
            connections,
            out: out.unwrap_or_else(|| warroom::probe::default_out(chrono::Local::now())),
            item: plan.zip(item),
            journal,
            actor,
        };
        return probe(options, format);
    }

    // The war room, or the same night with a line per event.
    let config = match config {
        Ok(config) => config,
        Err(why) => {
            eprintln!("error: {why}");
            return ExitCode::from(2);
        }
    };
    let read_only = cli.read_only;
    let cli_theme = cli.theme;
    let (present, cycle) = (cli.present || cli.cycle.is_some(), cli.cycle);
    let rehearse_at = cli.at.clone();
    let (plan_path, journal, who, face, chat_dry_run) = match cli.command {
        Some(Command::Watch {
            plan,
            journal,
            actor,
            dry_run,
        }) => (Some(plan), journal, actor, app::Face::Lines, dry_run),
        _ => (cli.plan, cli.journal, cli.actor, app::Face::Screen, false),
    };
    let actor = match actor(who, Ok(&config)) {
        Ok(actor) => actor,
        Err(why) => {
            eprintln!("error: {}", warroom::outside::shown(&why));
            return ExitCode::from(2);
        }
    };
    let (plan, clock, demo) = match &plan_path {
        None => {
            let plan = plan::demo::plan();
            let clock = Clock::starting_at(plan::demo::story_start(&plan));
            (plan, clock, true)
        }
        Some(path) => match Plan::load(path) {
            Ok(plan) => (plan, Clock::system(), false),
            Err(err @ plan::PlanError::Read { .. }) => {
                eprintln!("error: {}", warroom::outside::shown(&err.to_string()));
                return ExitCode::from(2);
            }
            // One `FILE:LINE:COLUMN: message` line per problem, as compilers print them.
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::from(2);
            }
        },
    };
    let (clock, rehearsal) = match &rehearse_at {
        None => (clock, false),
        Some(text) => match plan.moment(text) {
            Ok(at) => (Clock::starting_at(at), !demo),
            Err(why) => {
                eprintln!("error: --at {}", warroom::outside::shown(&why));
                return ExitCode::from(2);
            }
        },
    };
    let (place, readings) = match &plan_path {
        // A rehearsal's marks are stamped with its own clock: they never go
        // to the night's journal unless asked.
        Some(_) if rehearsal => {
            let file = journal.unwrap_or_else(demo_journal);
            let readings = journal::readings::path_for_journal(&file);
            (journal::Place::File(file), readings)
        }
        Some(path) => {
            let place = journal::Place::of(&plan, path, journal);
            let readings = place.readings(path);
            (place, readings)
        }
        None => {
            let file = journal.unwrap_or_else(demo_journal);
            let readings = journal::readings::path_for_journal(&file);
            (journal::Place::File(file), readings)
        }
    };

    let options = RunOptions {
        face,
        chat_dry_run,
        clock,
        local_zone: Zone::local(),
        demo,
        actor,
        place,
        readings,
        started,
        read_only,
        look: Look {
            theme: cli_theme.or(config.theme).unwrap_or_default(),
            no_color: std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()),
        },
        present,
        cycle,
        rehearsal,
        bell: config.bell,
        keys: config.keys,
    };
    let result = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| {
            let result = rt.block_on(app::run(plan, options));
            // A result file being read is a blocking task: quitting does not
            // wait for it past a moment.
            rt.shutdown_timeout(std::time::Duration::from_millis(200));
            result
        });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Exit code 1 means NO-GO to a pipeline; a war room that cannot run is 2.
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("error: {}", warroom::outside::shown(&format!("{err:#}")));
            ExitCode::from(2)
        }
    }
}

/// `--as`, else `WARROOM_USER`, else the login name.
/// The seat's config: `--config`, else `warroom/config.toml` in the
/// platform's config folder; none there is the defaults.
fn seat_config(flag: Option<&std::path::Path>) -> Result<Config, String> {
    let Some(path) = flag.map(PathBuf::from).or_else(warroom::config::path) else {
        return Ok(Config::default_on());
    };
    warroom::config::load(&path).map_err(|e| e.to_string())
}

/// Who marks: `--as`, else `WARROOM_USER`, else the config's name, else the login.
/// A config that does not read matters only when its name is needed.
fn actor(flag: Option<String>, config: Result<&Config, &String>) -> Result<String, String> {
    let given = |name: &String| !name.trim().is_empty();
    let name = match flag.or_else(|| std::env::var("WARROOM_USER").ok().filter(given)) {
        Some(name) => Some(name),
        None => config.map_err(String::clone)?.name.clone(),
    };
    let name = name
        .or_else(|| whoami::username().ok().filter(given))
        .unwrap_or_default();
    let name = name.trim().to_string();
    if name.is_empty() || name.chars().any(char::is_control) || name.chars().count() > 40 {
        return Err(format!(
            "who are you? \"{}\" is not a usable name; give one with --as NAME (up to 40 characters)",
            name.escape_default()
        ));
    }
    Ok(name)
}

/// Each demo run opens the story fresh at 16:40, in a journal of its own; the
/// newest few stay on disk, older rehearsals are removed.
fn demo_journal() -> PathBuf {
    let dir = warroom::logging::log_dir().unwrap_or_else(std::env::temp_dir);
    let _ = std::fs::create_dir_all(&dir);
    // This run's journal is created later, so keep room for it.
    let keep = warroom::journal::demo_runs::KEPT - 1;
    if let Ok(removed) = warroom::journal::demo_runs::prune(&dir, keep)
        && !removed.is_empty()
    {
        tracing::info!(count = removed.len(), "old demo journals removed");
    }
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    dir.join(format!("demo-{stamp}-{}.journal.jsonl", std::process::id()))
}

/// Who acts, or `None` once said why there is nobody.
fn actor_or_say(given: Option<String>, config: &Result<Config, String>) -> Option<String> {
    actor(given, config.as_ref())
        .map_err(|why| eprintln!("error: {}", warroom::outside::shown(&why)))
        .ok()
}

/// A release's journal from the database to a file, or back.
fn move_journal(way: JournalWay) -> Result<String, String> {
    let (plan_path, file) = match &way {
        JournalWay::Export { plan, file } | JournalWay::Import { plan, file } => (plan, file),
    };
    let plan = Plan::load(plan_path).map_err(|e| e.to_string())?;
    let journal::Place::Postgres { url_env, key } = journal::Place::of(&plan, plan_path, None)
    else {
        return Err(format!(
            "{} has no [journal] on a database; its journal is already the file beside it",
            plan_path.display()
        ));
    };
    let url = std::env::var(&url_env)
        .map_err(|_| format!("{url_env} is not set; it must hold the connection string"))?;
    let store = journal::postgres::PgStore::connect(&url, &key).map_err(|e| e.to_string())?;
    match way {
        JournalWay::Export { .. } => {
            let batch = journal::Store::replay(&store).map_err(|e| e.to_string())?;
            let bytes = journal::postgres::as_file(&batch);
            let mut out = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(file)
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            std::io::Write::write_all(&mut out, &bytes)
                .and_then(|()| out.sync_all())
                .map_err(|e| format!("cannot write {}: {e}", file.display()))?;
            Ok(format!(
                "{} lines of {key} written to {}",
                batch.lines.len(),
                file.display()
            ))
        }
        JournalWay::Import { .. } => {
            if !file.exists() {
                return Err(format!("no journal {}", file.display()));
            }
            let batch = journal::read_all(file).map_err(|e| e.to_string())?;
            let n = store.import(&batch).map_err(|e| e.to_string())?;
            Ok(format!("{n} lines of {} moved into {key}", file.display()))
        }
    }
}

fn report(kind: ReportKind) -> ExitCode {
    let (plan, output) = match &kind {
        ReportKind::Risk { plan, output, .. }
        | ReportKind::Deploy { plan, output, .. }
        | ReportKind::Retro { plan, output } => (plan.clone(), output),
    };
    let source = warroom::report::Source {
        journal: output.journal.clone(),
        at: output.at,
    };
    let mut read = match warroom::report::read(&plan, &source) {
        Ok(read) => read,
        Err(warroom::report::ReportError::Plan(err @ plan::PlanError::Invalid { .. })) => {
            eprintln!("{err}");
            return ExitCode::from(2);
        }
        Err(err) => {
            eprintln!("error: {}", warroom::outside::shown(&err.to_string()));
            return ExitCode::from(2);
        }
    };
    let text = match &kind {
        ReportKind::Risk { threshold, .. } => {
            let analysis = warroom::report::risk::analyse(&read.night, *threshold);
            match output.format {
                DocFormat::Markdown => warroom::report::risk::markdown(&analysis),
                DocFormat::Json => warroom::report::risk::json(&analysis) + "\n",
            }
        }
        ReportKind::Retro { .. } => {
            let retro = warroom::report::retro::gather(&read.night);
            match output.format {
                DocFormat::Markdown => warroom::report::retro::markdown(&retro),
                DocFormat::Json => warroom::report::retro::json(&retro) + "\n",
            }
        }
        ReportKind::Deploy { window, .. } => {
            let span = warroom::report::deploy::window_of(&read.night, *window);
            let readings = read.readings.clone();
            warroom::check::read_window(
                &mut read.night,
                &readings,
                span,
                output.at.is_some(),
                warroom::check::Metrics::All,
            );
            let report = warroom::report::deploy::gather(&read.night, *window);
            match output.format {
                DocFormat::Markdown => warroom::report::deploy::markdown(&report),
                DocFormat::Json => warroom::report::deploy::json(&report) + "\n",
            }
        }
    };
    match &output.out {
        Some(path) => match std::fs::write(path, text) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: cannot write {}: {e}", path.display());
                ExitCode::from(2)
            }
        },
        None => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            ExitCode::SUCCESS
        }
    }
}

fn parse_rate(text: &str) -> Result<warroom::loadtest::open_loop::Rate, String> {
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

fn probe(options: warroom::probe::ProbeOptions, format: Format) -> ExitCode {
    let duration = options.duration;
    let mut out = warroom::probe::ProgressOut::new();
    let result = warroom::probe::probe(options, |counters, elapsed, failed| {
        out.show(&warroom::probe::progress_line(
            counters, elapsed, failed, duration, 24,
        ));
    });
    out.end();
    match result {
        Ok(probed) => {
            let text = match format {
                Format::Text => warroom::probe::text(&probed),
                Format::Json => warroom::probe::json(&probed) + "\n",
            };
            let _ = std::io::Write::write_all(&mut std::io::stdout(), text.as_bytes());
            if probed.passes() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(err) => {
            eprintln!("error: {}", warroom::outside::shown(&err.to_string()));
            ExitCode::from(2)
        }
    }
}

fn parse_duration(text: &str) -> Result<std::time::Duration, String> {
    humantime::parse_duration(text).map_err(|e| format!("{e}; expected a duration like 500ms"))
}

fn import(
    plan: &std::path::Path,
    options: warroom::import::ImportOptions,
    format: Format,
) -> ExitCode {
    match warroom::import::import(plan, options) {
        Ok(imported) => {
            let out = match format {
                Format::Text => warroom::import::text(&imported),
                Format::Json => warroom::import::json(&imported) + "\n",
            };
            let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
            // 1, as for NO-GO: the run breaks its item's criteria.
            if imported.passes() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(warroom::import::ImportError::Plan(err @ plan::PlanError::Invalid { .. })) => {
            eprintln!("{err}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("error: {}", warroom::outside::shown(&err.to_string()));
            ExitCode::from(2)
        }
    }
}

fn parse_cycle(text: &str) -> Result<std::time::Duration, String> {
    let every = parse_duration(text)?;
    if every < std::time::Duration::from_secs(1) {
        return Err(format!(
            "{text} is too short to read a pane; expected 1s or more"
        ));
    }
    Ok(every)
}

fn parse_theme(text: &str) -> Result<ThemeName, String> {
    ThemeName::parse(text)
        .ok_or_else(|| format!("expected dark, light or high-contrast, not {text:?}"))
}

fn parse_at(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.to_utc())
        .map_err(|e| format!("{e}; expected a time like 2026-11-27T22:30:00+09:00"))
}

fn check(
    plan: &std::path::Path,
    options: warroom::check::CheckOptions,
    format: Format,
) -> ExitCode {
    match warroom::check::check(plan, options) {
        Ok(checked) => {
            let out = match format {
                Format::Text => warroom::check::text(&checked),
                Format::Json => warroom::check::json(&checked) + "\n",
            };
            // A closed pipe (`check | head`) is the reader's choice, not an error.
            let _ = std::io::Write::write_all(&mut std::io::stdout(), out.as_bytes());
            if checked.outcome().is_ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(warroom::check::CheckError::Plan(err @ plan::PlanError::Invalid { .. })) => {
            eprintln!("{err}");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("error: {}", warroom::outside::shown(&err.to_string()));
            ExitCode::from(2)
        }
    }
}
