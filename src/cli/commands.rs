//! The commands that run without a terminal: each reads its input, does
//! one thing through the library, prints, and says how it ended.

use std::process::ExitCode;

use warroom::journal;
use warroom::plan::{self, Plan};

use crate::args::{DocFormat, Format, JournalWay, ReportKind};

/// A release's journal from the database to a file, or back.
pub(crate) fn move_journal(way: JournalWay) -> Result<String, String> {
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

pub(crate) fn report(kind: ReportKind) -> ExitCode {
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

pub(crate) fn probe(options: warroom::probe::ProbeOptions, format: Format) -> ExitCode {
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

pub(crate) fn import(
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

pub(crate) fn check(
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
