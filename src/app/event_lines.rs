//! The night without a terminal (`warroom watch`): a line on stdout for each
//! thing that happens (a journal entry from any seat, an alert, a source
//! going down or back, a check-in falling due, all but the sources said by
//! their journal lines), for a log or `journalctl`.

use std::io::Write;

use chrono::{DateTime, Utc};

use super::State;
use crate::metrics::Health;

pub struct EventLines {
    /// Journal lines already said.
    said: usize,
    health: Vec<Option<Health>>,
}

impl EventLines {
    /// Says what is being watched; what the journal held before is not
    /// said again.
    pub fn start(state: &State) -> EventLines {
        let night = &state.night;
        let schedule = &night.plan.release.schedule;
        let zone = schedule.zone;
        let line = format!(
            "{} watching {} as {}: {} journal lines, {} metrics, deploy {} {}",
            stamp(state, night.now),
            night.plan.release.name,
            state.actor,
            night.ledger.log.len(),
            night.plan.metrics.len(),
            zone.at(schedule.deploy_at).format("%a %d %b %H:%M"),
            zone.abbreviation(schedule.deploy_at),
        );
        say(&line);
        EventLines {
            said: night.ledger.log.len(),
            health: vec![None; night.plan.metrics.len()],
        }
    }

    /// Says what changed since the last call.
    pub fn show(&mut self, state: &State) {
        let night = &state.night;
        for l in night.ledger.log.iter().skip(self.said) {
            let became = match &l.outcome {
                crate::domain::ledger::Outcome::Applied => String::new(),
                crate::domain::ledger::Outcome::Orphaned(why)
                | crate::domain::ledger::Outcome::Rejected(why) => format!(" (ignored: {why})"),
            };
            let role = l
                .entry
                .connected_as()
                .map(|role| format!(" (db role {role})"))
                .unwrap_or_default();
            say(&format!(
                "{} journal {} {}{role}: {}{became}",
                stamp(state, l.entry.stamp.at.to_utc()),
                l.entry.line,
                l.entry.stamp.actor,
                l.entry.action
            ));
        }
        self.said = night.ledger.log.len();
        for (id, spec) in night.plan.metrics.iter().enumerate() {
            let now = night.metrics.health(id).cloned();
            let before = self.health.get(id).cloned().flatten();
            if now == before {
                continue;
            }
            let what = match &now {
                Some(Health::Down(why)) => Some(format!("down: {why}")),
                Some(Health::Ok) if before.is_some() => Some("reading again".to_string()),
                _ => None,
            };
            if let Some(what) = what {
                say(&format!(
                    "{} source {}: {what}",
                    stamp(state, night.now),
                    spec.name
                ));
            }
            if let Some(slot) = self.health.get_mut(id) {
                *slot = now;
            }
        }
        // A slot due is said by its journal line, written once by whoever
        // saw it first: every watcher says it as it reads it back.
    }
}

fn stamp(state: &State, at: DateTime<Utc>) -> String {
    let zone = state.night.plan.release.schedule.zone;
    zone.at(at).format("%Y-%m-%dT%H:%M:%S%:z").to_string()
}

/// One line, escaped, flushed: a log reader sees it at once.
fn say(line: &str) {
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{}", crate::outside::shown(line));
    let _ = out.flush();
}
