//! The risk analysis (`warroom report risk`): every item by its score, with
//! its status and its load-test evidence, and for each item at or over the
//! threshold that is not proven a recommendation to move it to the next
//! deploy day. The mail the lead sent the CTO at 16:45.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::Serialize;

use super::markdown::cell;
use crate::domain::evidence::PassCriteria;
use crate::domain::item::by_risk;
use crate::domain::{ItemStatus, ReleaseItem};
use crate::night::{Night, verdict};

/// Scores at or over this are high risk (the risk matrix's red).
pub const HIGH_RISK: u16 = 40;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskReport {
    pub version: u32,
    pub kind: &'static str,
    pub release: String,
    pub deploy_at: String,
    /// The same, as people read it: `Fri 27 Nov 23:00 KST`.
    pub deploy_text: String,
    pub zone: String,
    /// The moment the night is taken at.
    pub as_of: String,
    pub as_of_text: String,
    pub threshold: u16,
    pub items: Vec<RiskRow>,
    pub recommendations: Vec<Recommendation>,
    pub policies: Vec<PolicyNote>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskRow {
    pub id: String,
    pub title: String,
    pub priority: String,
    pub status: String,
    pub owner: Option<String>,
    pub impact: Option<u8>,
    pub likelihood: Option<u8>,
    pub score: Option<u16>,
    pub recovery: Option<String>,
    /// The latest load-test run, in words, or `null` without one.
    pub load_test: Option<String>,
    /// Whether the item is proven: passed, and its latest run passes its
    /// criteria when it has some.
    pub proven: bool,
    /// Why not, in words.
    pub unproven_because: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Recommendation {
    pub item: String,
    pub score: u16,
    /// The deploy day to move it to.
    pub move_to: NaiveDate,
    pub why: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PolicyNote {
    pub rule: String,
    pub text: String,
}

/// The analysis of the night as it stands.
pub fn analyse(night: &Night, threshold: u16) -> RiskReport {
    let schedule = &night.plan.release.schedule;
    let zone = schedule.zone;
    let when = |t| {
        format!(
            "{} {}",
            zone.at(t).format("%a %d %b %H:%M"),
            zone.abbreviation(t)
        )
    };
    let items = &night.ledger.items;
    let move_to = next_deploy_day(zone.date_of(schedule.deploy_at));
    let mut rows = Vec::new();
    let mut recommendations = Vec::new();
    for i in by_risk(items) {
        let item = &items[i];
        let criteria = night.plan.criteria.get(&item.id).copied();
        let latest = night
            .ledger
            .evidence
            .iter()
            .rev()
            .find(|r| r.evidence.item == item.id);
        let load_test = match (latest, criteria.filter(|c| !c.is_empty())) {
            (Some(r), _) => Some(run_words(
                &r.evidence.summary,
                &r.evidence.source(),
                criteria,
            )),
            (None, Some(c)) => Some(format!("none yet; to pass: {}", c.describe())),
            (None, None) => None,
        };
        let unproven = unproven_because(item, criteria, latest.map(|r| &r.evidence.summary));
        if let (Some(score), Some(why)) = (item.risk_score(), &unproven)
            && score >= threshold
        {
            recommendations.push(Recommendation {
                item: item.id.clone(),
                score,
                move_to,
                why: why.clone(),
                text: format!(
                    "recommend moving {} to {}: score {score}, {why}",
                    item.id,
                    move_to.format("%a %d %b")
                ),
            });
        }
        rows.push(RiskRow {
            id: item.id.clone(),
            title: item.title.clone(),
            priority: item.priority.to_string(),
            status: item.status.label().to_string(),
            owner: item.owner.clone(),
            impact: item.risk.as_ref().map(|r| r.impact),
            likelihood: item.risk.as_ref().map(|r| r.likelihood),
            score: item.risk_score(),
            recovery: item
                .risk
                .as_ref()
                .map(|r| humantime::format_duration(r.recovery).to_string()),
            load_test,
            proven: unproven.is_none(),
            unproven_because: unproven,
        });
    }
    let policies = verdict(night)
        .reasons
        .iter()
        .filter_map(|r| {
            Some(PolicyNote {
                rule: r.rule.clone()?,
                text: match r.items() {
                    Some(items) => format!("{} ({items})", r.text),
                    None => r.text.clone(),
                },
            })
        })
        .collect();
    RiskReport {
        version: 1,
        kind: "risk",
        release: night.plan.release.name.clone(),
        deploy_at: zone.at(schedule.deploy_at).to_rfc3339(),
        deploy_text: when(schedule.deploy_at),
        zone: zone.to_string(),
        as_of: zone.at(night.now).to_rfc3339(),
        as_of_text: when(night.now),
        threshold,
        items: rows,
        recommendations,
        policies,
    }
}

/// Why an item is not proven yet, or `None` when it is.
fn unproven_because(
    item: &ReleaseItem,
    criteria: Option<PassCriteria>,
    latest: Option<&crate::loadtest::Summary>,
) -> Option<String> {
    match item.status {
        ItemStatus::Untested => return Some("not tested".to_string()),
        ItemStatus::InProgress => return Some("still in testing".to_string()),
        ItemStatus::Failed => return Some("failed its tests".to_string()),
        ItemStatus::Passed => {}
    }
    let criteria = criteria.filter(|c| !c.is_empty())?;
    match latest {
        None => Some("no load-test run to prove it".to_string()),
        Some(summary) => {
            let broken = criteria.broken(summary);
            (!broken.is_empty())
                .then(|| format!("its latest load test fails: {}", broken.join(", ")))
        }
    }
}

fn run_words(s: &crate::loadtest::Summary, file: &str, criteria: Option<PassCriteria>) -> String {
    let verdict = match criteria.filter(|c| !c.is_empty()) {
        Some(c) if c.broken(s).is_empty() => ", passes",
        Some(_) => ", fails",
        None => "",
    };
    format!(
        "{file}: {} samples, {}% errors, p95 {} ms{verdict}",
        s.samples,
        crate::metrics::format::number(s.error_rate),
        s.latency_ms.p95
    )
}

/// The first day after `deploy` that is a Monday to Thursday: not the
/// weekend, and not the Friday the story learned to keep for low risk.
fn next_deploy_day(deploy: NaiveDate) -> NaiveDate {
    let mut day = deploy;
    loop {
        day = day.succ_opt().unwrap_or(day);
        if matches!(
            day.weekday(),
            Weekday::Mon | Weekday::Tue | Weekday::Wed | Weekday::Thu
        ) || day == NaiveDate::MAX
        {
            return day;
        }
    }
}

/// The analysis as Markdown: a mail body or a wiki page.
pub fn markdown(r: &RiskReport) -> String {
    let mut out = format!("# Risk analysis: {}\n\n", cell(&r.release));
    let passed = r.items.iter().filter(|i| i.status == "passed").count();
    out.push_str(&format!(
        "Deploy {} ({}). As of {}: {} items, {passed} passed, {} open.\n\n",
        r.deploy_text,
        r.zone,
        r.as_of_text,
        r.items.len(),
        r.items.len() - passed
    ));
    out.push_str("| Item | Title | Priority | Status | Impact | Likelihood | Score | Recovery | Load test |\n");
    out.push_str("|---|---|---|---|--:|--:|--:|---|---|\n");
    let dash = || "–".to_string();
    for row in &r.items {
        let score = match row.score {
            Some(s) if s >= HIGH_RISK => format!("**{s}**"),
            Some(s) => s.to_string(),
            None => dash(),
        };
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {score} | {} | {} |\n",
            cell(&row.id),
            cell(&row.title),
            row.priority,
            row.status,
            row.impact.map_or_else(dash, |v| v.to_string()),
            row.likelihood.map_or_else(dash, |v| v.to_string()),
            row.recovery.as_deref().map_or_else(dash, cell),
            row.load_test
                .as_deref()
                .map_or_else(|| "none".to_string(), cell),
        ));
    }
    out.push_str(&format!(
        "\nScore is impact × likelihood, each out of 10; {HIGH_RISK} and over is high.\n\n"
    ));
    out.push_str("## Recommendation\n\n");
    if r.recommendations.is_empty() {
        out.push_str(&format!(
            "Every item scoring {} or over is proven: tested, and its load test passed where it has criteria.\n",
            r.threshold
        ));
    }
    for rec in &r.recommendations {
        let mut text = cell(&rec.text);
        if let Some(first) = text.get(..1) {
            text = first.to_uppercase() + &text[1..];
        }
        out.push_str(&format!("- {text}.\n"));
    }
    if !r.policies.is_empty() {
        out.push_str("\n## Policies\n\n");
        for p in &r.policies {
            out.push_str(&format!(
                "- {} (policy `{}`)\n",
                cell(&p.text),
                p.rule.replace('`', "'")
            ));
        }
    }
    out
}

/// The analysis for a program: the fields above, documented in the README.
pub fn json(r: &RiskReport) -> String {
    let mut value = serde_json::to_value(r).unwrap_or_default();
    crate::outside::shown_json(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_deploy_day_skips_the_weekend_and_friday() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(next_deploy_day(day("2026-11-27")), day("2026-11-30"));
        assert_eq!(next_deploy_day(day("2026-11-25")), day("2026-11-26"));
        assert_eq!(next_deploy_day(day("2026-11-26")), day("2026-11-30"));
    }
}
