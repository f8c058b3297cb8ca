//! The team's chat: what a journal line says there, as a Slack-compatible
//! payload. Pure; posting is `crate::chat`'s.

use crate::domain::Action;
use crate::domain::ledger::{LogLine, Outcome};
use crate::metrics::format::{held, value};
use crate::night::Night;
use crate::spec::{ChatEvent, ChatSpec};

/// The message for a journal line, when the plan's chat takes its kind.
pub fn message(night: &Night, line: &LogLine, spec: &ChatSpec) -> Option<String> {
    if line.outcome != Outcome::Applied || line.entry.undoes.is_some() {
        return None;
    }
    let zone = night.plan.release.schedule.zone;
    let at = line.entry.stamp.at.to_utc();
    let when = format!(
        "{} {}",
        zone.at(at).format("%a %H:%M"),
        zone.abbreviation(at)
    );
    let who = &line.entry.stamp.actor;
    let release = &night.plan.release.name;
    let (event, text) = match &line.entry.action {
        Action::Approve {
            statement,
            override_reason,
            go,
            ..
        } => (
            ChatEvent::Approval,
            match override_reason {
                Some(why) if !go => format!(
                    "{release}: NO-GO approved anyway by {who} at {when}: {statement} (risk accepted: {why})"
                ),
                _ => format!("{release}: GO approved by {who} at {when}: {statement}"),
            },
        ),
        Action::DeployDone => (
            ChatEvent::Deploy,
            format!("{release}: deploy marked done by {who} at {when}; watching the metrics"),
        ),
        Action::AlertStart(f) => (
            ChatEvent::Alert,
            format!(
                "{release}: ALERT {} at {} (crit {}) since {}{}",
                f.metric,
                value(f.value, &f.unit),
                value(f.limit, &f.unit),
                zone.at(f.since.to_utc()).format("%H:%M:%S"),
                roll_back_after_deploy(night, &f.metric, at)
            ),
        ),
        Action::AlertEnd(f) => (
            ChatEvent::Alert,
            format!(
                "{release}: alert over, {} back under {} after {} (peak {})",
                f.metric,
                value(f.limit, &f.unit),
                held(f.held_secs),
                value(f.value, &f.unit)
            ),
        ),
        Action::CheckIn { note } => (
            ChatEvent::CheckIn,
            match note {
                Some(n) => format!("{release}: {who} checked in at {when}: {n}"),
                None => format!("{release}: {who} checked in at {when}: all well"),
            },
        ),
        Action::CheckInDue { slot, digest } => (
            ChatEvent::CheckInDue,
            match digest.is_empty() {
                true => format!(
                    "{release}: check-in due (the {} slot)",
                    slot.format("%H:%M")
                ),
                false => format!(
                    "{release}: check-in due (the {} slot). Since the one before: {}",
                    slot.format("%H:%M"),
                    digest.join("; ")
                ),
            },
        ),
        Action::VerdictTurned { go: true, .. } => (
            ChatEvent::Verdict,
            format!("{release}: the verdict is now GO"),
        ),
        Action::VerdictTurned { go: false, blocker } => (
            ChatEvent::Verdict,
            match blocker {
                Some(b) => format!("{release}: the verdict is now NO-GO: {b}"),
                None => format!("{release}: the verdict is now NO-GO"),
            },
        ),
        Action::CheckInMissed { slot } => (
            ChatEvent::CheckInMissed,
            format!(
                "{release}: the {} check-in was missed ({} missed so far)",
                slot.format("%H:%M"),
                night.check_ins().map_or(1, |c| c.missed.max(1))
            ),
        ),
        _ => return None,
    };
    spec.events.contains(&event).then_some(text)
}

/// The body Slack-compatible webhooks take.
pub fn payload(text: &str) -> String {
    serde_json::json!({ "text": slack_escaped(&crate::outside::shown(text)) }).to_string()
}

/// The three characters Slack reads as markup: a note saying `<!channel>`
/// must not ping the whole channel, nor `<http://x|here>` hide a link.
fn slack_escaped(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `; roll back? …` for an alert on production after the deploy: what the
/// one who reads it on a phone at night decides next.
fn roll_back_after_deploy(
    night: &Night,
    metric: &str,
    at: chrono::DateTime<chrono::Utc>,
) -> String {
    let schedule = &night.plan.release.schedule;
    let production = night
        .plan
        .metrics
        .iter()
        .find(|m| m.name == metric)
        .is_some_and(|m| m.gate && !m.source.is_load_test());
    if production && at >= schedule.deploy_start(night.deploy_done()) {
        format!("; {}", crate::night::health::roll_back(night))
    } else {
        String::new()
    }
}

/// The status `S` posts on demand: the verdict (or production's health
/// after the deploy), the checklist, the items and the clock.
pub fn status(night: &Night, by: &str) -> String {
    use crate::night::health::{Health, health};
    let schedule = &night.plan.release.schedule;
    let zone = schedule.zone;
    let release = &night.plan.release.name;
    let now = format!(
        "{} {}",
        zone.at(night.now).format("%a %H:%M"),
        zone.abbreviation(night.now)
    );
    let state = match health(night) {
        Some(Health::Healthy) => "HEALTHY, every metric under its crit limit".to_string(),
        Some(Health::Degraded {
            metric,
            unit,
            crit,
            peak,
            ..
        }) => format!(
            "DEGRADED, {metric} at {} (crit {}), {}",
            value(peak, &unit),
            value(crit, &unit),
            crate::night::health::roll_back(night)
        ),
        Some(Health::Unknown { metric, why }) => {
            format!("HEALTH UNKNOWN, {metric} not read: {why}")
        }
        None => {
            let verdict = crate::night::verdict(night);
            let reasons: Vec<String> = verdict.reasons.iter().take(3).map(|r| r.said()).collect();
            let more = verdict.reasons.len().saturating_sub(3);
            let mut text = verdict.label().to_string();
            if !reasons.is_empty() {
                text.push_str(&format!(": {}", reasons.join("; ")));
            }
            if more > 0 {
                text.push_str(&format!(" (+{more} more)"));
            }
            text
        }
    };
    let (done, total) = night.checklist_progress();
    let items = &night.ledger.items;
    let passed = items
        .iter()
        .filter(|i| i.status == crate::domain::ItemStatus::Passed)
        .count();
    format!(
        "{release} at {now} ({}), posted by {by}: {state}. Checklist {done}/{total}, items {passed}/{} passed.",
        schedule.countdown(night.now, night.deploy_done()),
        items.len()
    )
}

/// The verdict turned, with its first reason when it is NO-GO.
/// The journal line of a turn of the verdict: GO, or NO-GO with its first
/// blocker.
pub fn verdict_turned(verdict: &crate::domain::gate::Verdict) -> Action {
    Action::VerdictTurned {
        go: verdict.go(),
        blocker: verdict.blockers().next().map(|first| first.said()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_post_s_text_cannot_ping_or_hide_a_link() {
        assert_eq!(
            payload("p95 < 300 & <!channel> see <http://x|here>"),
            r#"{"text":"p95 &lt; 300 &amp; &lt;!channel&gt; see &lt;http://x|here&gt;"}"#
        );
    }
}
