//! The command line. Everything else lives in the library.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use warroom::app::{self, RunOptions};
use warroom::clock::Clock;
use warroom::domain::Zone;
use warroom::plan::{self, Plan};

/// The release command center for deploy night.
///
/// Without a plan it opens the embedded demo release: the Friday night of
/// the story, six hours and twenty minutes before the 23:00 deploy.
#[derive(Parser)]
#[command(version)]
struct Cli {
    /// The release plan (TOML). Omit it for the demo release.
    plan: Option<PathBuf>,
}

fn main() -> ExitCode {
    let started = Instant::now();
    let cli = Cli::parse();
    let _log = warroom::logging::init();

    let (plan, clock, demo) = match &cli.plan {
        None => {
            let plan = plan::demo::plan();
            let clock = Clock::starting_at(plan::demo::story_start(&plan));
            (plan, clock, true)
        }
        Some(path) => match Plan::load(path) {
            Ok(plan) => (plan, Clock::system(), false),
            Err(err @ plan::PlanError::Read { .. }) => {
                eprintln!("error: {err}");
                return ExitCode::from(2);
            }
            // One `FILE:LINE:COLUMN: message` line per problem, as compilers print them.
            Err(err) => {
                eprintln!("{err}");
                return ExitCode::from(2);
            }
        },
    };

    let options = RunOptions {
        clock,
        local_zone: Zone::local(),
        demo,
        started,
    };
    let result = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(app::run(plan, options)));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // Exit code 1 means NO-GO to a pipeline; a war room that cannot run is 2.
        Err(err) => {
            tracing::error!("{err:#}");
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
