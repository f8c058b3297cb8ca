//! `warroom check-in`: a check-in after the deploy from any shell (a phone's
//! SSH app at 08:30 on Saturday), journaled as the room's `c` journals it.

use std::path::{Path, PathBuf};

use crate::domain::{Action, Phase};
use crate::journal::{self, Entry, Store};
use crate::night::Night;
use crate::plan::{Plan, PlanError};

#[derive(Debug, thiserror::Error)]
pub enum CheckInError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
    #[error("check-ins start after the deploy, {0}; nothing recorded")]
    TooEarly(String),
}

pub struct CheckInOptions {
    pub journal: Option<PathBuf>,
    pub actor: String,
    /// What she saw; none says all is well.
    pub note: Option<String>,
    /// Print the chat's post instead of posting it.
    pub chat_dry_run: bool,
}

/// Posts the check-in just written (`entry`) to the plan's chat, if it
/// takes them, under a claim written once, as a seat claims the lines it
/// posts: a watcher that claimed it first posts it instead. Without the
/// webhook here nothing is claimed, and a seat or watcher with one posts
/// it. A post that fails is a warning: the check-in is in the journal.
fn post(store: &std::sync::Arc<dyn Store>, night: Night, entry: &Entry, dry_run: bool) {
    let Some(spec) = night.plan.chat.clone() else {
        return;
    };
    let sink = match crate::chat::sink(&spec, dry_run) {
        Ok(sink) => sink,
        Err(why) => {
            eprintln!(
                "warning: {}; a seat or watcher with the chat posts the check-in",
                crate::outside::shown(&why)
            );
            return;
        }
    };
    let Ok(batch) = store.replay() else {
        return;
    };
    let mut night = Night::new(night.plan, night.now);
    night.apply(&batch);
    // This check-in's line: the latest of this one's, not merely the last
    // line (a watcher may have written since).
    let Some(line) = night.ledger.log.iter().rev().find(|l| {
        l.entry.stamp.actor == entry.actor
            && l.entry.stamp.at == entry.at
            && Some(&l.entry.action) == entry.action.as_ref()
    }) else {
        return;
    };
    let Some(text) = crate::report::chat::message(&night, line, &spec) else {
        return;
    };
    if matches!(sink, crate::chat::Sink::DryRun) {
        // Printed, not posted: the claim stays for whoever posts for real.
        let _ = crate::chat::post_now(&sink, &text);
        return;
    }
    let claim = Entry::action(
        entry.at,
        &entry.actor,
        Action::ChatPosted {
            line: line.entry.line,
        },
    );
    match store.append_once(&claim) {
        Ok(Some(_)) => {}
        // A watcher claimed it first, and posts it.
        Ok(None) => return,
        Err(why) => {
            eprintln!(
                "warning: {}; the check-in is recorded, not posted",
                crate::outside::shown(&why.to_string())
            );
            return;
        }
    }
    if let Err(why) = crate::chat::post_now(&sink, &text) {
        eprintln!(
            "warning: {}; the check-in is recorded",
            crate::outside::shown(&why)
        );
    }
}

/// What was recorded, in words.
pub fn check_in(plan: &Path, options: CheckInOptions) -> Result<String, CheckInError> {
    let parsed = Plan::load(plan)?;
    let store = journal::Place::of(&parsed, plan, options.journal).open()?;
    let now = chrono::Utc::now();
    let mut night = Night::new(parsed, now);
    night.apply(&store.replay()?);
    let zone = night.plan.release.schedule.zone;
    let when = |t| format!("{} {}", zone.at(t).format("%a %H:%M"), zone.abbreviation(t));
    if night.phase() == Phase::BeforeDeploy {
        let deploy = night.plan.release.schedule.deploy_at;
        return Err(CheckInError::TooEarly(when(deploy)));
    }
    let due = night.check_ins().and_then(|c| c.due);
    let note = options
        .note
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty());
    let entry = Entry::action(
        zone.at(now),
        &options.actor,
        Action::CheckIn { note: note.clone() },
    );
    // Written and fsynced before it is said.
    store.append(&entry)?;
    post(&store, night, &entry, options.chat_dry_run);
    let what = note.map_or("all well".to_string(), |n| format!("\"{n}\""));
    let slot = match due {
        Some(t) => format!(", the check-in due {}", when(t)),
        None => String::new(),
    };
    Ok(crate::outside::shown(&format!(
        "checked in at {} as {}: {what}{slot}\n",
        when(now),
        options.actor
    )))
}
