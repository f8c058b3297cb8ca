//! The command line. Everything else lives in the library.

use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;
use warroom::app::{self, RunOptions};
use warroom::clock::Clock;
use warroom::domain::Zone;
use warroom::journal;
use warroom::plan::{self, Plan};
use warroom::ui::theme::Look;

#[path = "cli/args.rs"]
mod args;
#[path = "cli/commands.rs"]
mod commands;
#[path = "cli/seat.rs"]
mod seat;

use args::{Cli, Command};
use commands::{check, import, move_journal, probe, report};
use seat::{actor, actor_or_say, demo_journal, seat_config};

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
