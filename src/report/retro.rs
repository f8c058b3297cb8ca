//! The retrospective (`warroom report retro`): the facts of the night laid
//! out under went well, regrets and improvements, and for each regret the
//! policy that would have caught it, as a plan snippet to paste. Monday
//! 15:00 in the story; its improvements become rules that warn next time.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::markdown::cell;
use crate::domain::gate::Severity;
use crate::domain::{ItemStatus, Priority};
use crate::night::{Night, verdict};

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Retro {
    pub version: u32,
    pub kind: &'static str,
    pub release: String,
    pub facts: Vec<String>,
    pub went_well: Vec<String>,
    pub regrets: Vec<Regret>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Regret {
    pub what: String,
    /// The rule that would have caught it, and how: added, or made to block.
    pub improvement: String,
    /// The plan text to paste.
    pub snippet: String,
}

/// Critical items passed later than this before the deploy were tested in
/// a hurry.
const STAGING_TIME: chrono::TimeDelta = chrono::TimeDelta::hours(24);

/// The usual rules the plan does not have, judged on the night as if it had
/// them: a Friday deploy with more than low risk, a list after Thursday
/// 18:00.
fn hindsight(night: &Night) -> Vec<crate::domain::gate::Reason> {
    use crate::domain::policy::{Policy, Rule};
    use crate::domain::wall_time::WallTime;
    let usual = [
        Rule::FridayLowRiskOnly {
            holidays: Vec::new(),
        },
        Rule::ListFrozenBy {
            by: WallTime::Weekday(
                chrono::Weekday::Thu,
                chrono::NaiveTime::from_hms_opt(18, 0, 0).unwrap_or_default(),
            ),
        },
    ];
    // "By Thursday" is the week's Thursday for a deploy from Thursday to
    // Sunday; earlier in the week it would be the Thursday before.
    let schedule = &night.plan.release.schedule;
    let weekday = chrono::Datelike::weekday(&schedule.zone.date_of(schedule.deploy_at));
    let late_in_week = matches!(
        weekday,
        chrono::Weekday::Thu | chrono::Weekday::Fri | chrono::Weekday::Sat | chrono::Weekday::Sun
    );
    let missing: Vec<Policy> = usual
        .into_iter()
        .filter(|rule| late_in_week || !matches!(rule, Rule::ListFrozenBy { .. }))
        .filter(|rule| {
            !night
                .plan
                .policies
                .iter()
                .any(|p| p.rule.name() == rule.name())
        })
        .map(|rule| Policy {
            rule,
            severity: Severity::Warn,
        })
        .collect();
    crate::night::policy_reasons(night, &missing)
}

pub fn gather(night: &Night) -> Retro {
    let schedule = &night.plan.release.schedule;
    let zone = schedule.zone;
    let when =
        |t: DateTime<Utc>| format!("{} {}", zone.at(t).format("%a %H:%M"), zone.abbreviation(t));
    let deploy = schedule.deploy_start(night.deploy_done());
    let ledger = &night.ledger;
    let mut facts = Vec::new();
    let mut went_well = Vec::new();
    let mut regrets = Vec::new();
    let has = |name: &str| {
        night
            .plan
            .policies
            .iter()
            .find(|p| p.rule.name() == name)
            .map(|p| p.severity)
    };
    let improve = |name: &str, snippet: &str| -> (String, String) {
        match has(name) {
            Some(Severity::Block) => (
                format!("the plan's {name} already blocks; keep it"),
                String::new(),
            ),
            Some(_) => (
                format!("make {name} block instead of warn"),
                format!("[[policy]]\n{snippet}severity = \"block\"\n"),
            ),
            None => (
                format!("add the {name} policy"),
                format!("[[policy]]\n{snippet}severity = \"warn\"\n"),
            ),
        }
    };

    // The list against its freeze.
    if let Some(list_at) = night.plan.release.list_at {
        facts.push(format!(
            "The release list arrived {}, {} before the deploy.",
            when(list_at),
            crate::metrics::format::held(
                u64::try_from((deploy - list_at).num_seconds()).unwrap_or(0)
            )
        ));
    }
    let reasons = verdict(night).reasons;
    for r in reasons.iter().filter(|r| r.rule.is_some()) {
        facts.push(format!("Policy broken: {}.", r.said()));
    }
    // What the policies the plan lacks would have said: a regret the plan
    // had no rule for is the one most worth a rule.
    let reasons: Vec<crate::domain::gate::Reason> =
        reasons.into_iter().chain(hindsight(night)).collect();
    if let Some(r) = reasons
        .iter()
        .find(|r| r.rule.as_deref() == Some("list_frozen_by"))
    {
        let (improvement, snippet) = improve(
            "list_frozen_by",
            "rule = \"list_frozen_by\"\nby = \"thursday 18:00\"\n",
        );
        regrets.push(Regret {
            what: format!("The release list came late: {}.", r.text),
            improvement,
            snippet,
        });
    }

    // How late each Critical item was tested.
    for (i, item) in ledger.items.iter().enumerate() {
        if item.priority != Priority::Critical {
            continue;
        }
        match (item.status, ledger.passed_at(i)) {
            (ItemStatus::Passed, Some(at)) => {
                let before = deploy - at;
                facts.push(format!(
                    "{} (Critical) passed {}, {} before the deploy.",
                    item.id,
                    when(at),
                    crate::metrics::format::held(u64::try_from(before.num_seconds()).unwrap_or(0))
                ));
                if before < STAGING_TIME {
                    let (improvement, snippet) = improve(
                        "critical_staged_by",
                        "rule = \"critical_staged_by\"\nby = \"wednesday 18:00\"\n",
                    );
                    regrets.push(Regret {
                        what: format!(
                            "{} (Critical) was tested on the deploy day, {} before it.",
                            item.id,
                            crate::metrics::format::held(
                                u64::try_from(before.num_seconds()).unwrap_or(0)
                            )
                        ),
                        improvement,
                        snippet,
                    });
                } else {
                    went_well.push(format!("{} (Critical) was tested well ahead.", item.id));
                }
            }
            (ItemStatus::Passed, None) => {
                facts.push(format!("{} (Critical) came passed in the plan.", item.id));
            }
            (status, _) => facts.push(format!(
                "{} (Critical) is {} at the deploy.",
                item.id,
                status.label()
            )),
        }
    }

    // A Friday deploy with more than low risk on it.
    if let Some(r) = reasons
        .iter()
        .find(|r| r.rule.as_deref() == Some("friday_low_risk_only"))
    {
        let (improvement, snippet) =
            improve("friday_low_risk_only", "rule = \"friday_low_risk_only\"\n");
        regrets.push(Regret {
            what: format!("{}: the weekend carried the risk.", r.text),
            improvement,
            snippet,
        });
    }

    // Load tests: what they caught, and when they ran.
    let runs = &ledger.evidence;
    for r in runs {
        let criteria = night
            .plan
            .criteria
            .get(&r.evidence.item)
            .filter(|c| !c.is_empty());
        let verdict = match criteria.map(|c| c.broken(&r.evidence.summary)) {
            Some(broken) if broken.is_empty() => "passed".to_string(),
            Some(broken) => format!("failed: {}", broken.join(", ")),
            None => "had no criteria".to_string(),
        };
        facts.push(format!(
            "Load test on {} ({}) at {}: {verdict}.",
            r.evidence.item,
            r.evidence.source(),
            when(r.stamp.at.to_utc())
        ));
    }
    let caught: Vec<&str> = night
        .plan
        .criteria
        .keys()
        .filter(|item| {
            let item_runs: Vec<_> = runs.iter().filter(|r| &r.evidence.item == *item).collect();
            let criteria = night.plan.criteria.get(*item);
            let passes = |r: &&crate::domain::evidence::EvidenceRecord| {
                criteria.is_some_and(|c| c.broken(&r.evidence.summary).is_empty())
            };
            item_runs.iter().any(|r| !passes(r)) && item_runs.last().is_some_and(passes)
        })
        .map(String::as_str)
        .collect();
    if !caught.is_empty() {
        went_well.push(format!(
            "The load test caught a failure before production, fixed and rerun clean: {}.",
            caught.join(", ")
        ));
    }
    let deploy_day = zone.date_of(deploy);
    let same_day_runs = runs
        .iter()
        .filter(|r| zone.date_of(r.stamp.at.to_utc()) == deploy_day)
        .count();
    if same_day_runs > 0 {
        regrets.push(Regret {
            what: format!(
                "{same_day_runs} load-test run{} on the deploy day: too little time to act on what they show.",
                if same_day_runs == 1 { "" } else { "s" }
            ),
            improvement: "bind the checklist to the evidence, and run the load from a pipeline with warroom probe --item".to_string(),
            snippet: "[[checklist]]\nid = \"load-evidence\"\ntext = \"Load-test results attached to items\"\nrequires = \"evidence\"\n".to_string(),
        });
    }

    // The approval and the watch.
    match ledger.approval() {
        Some(a) if a.go => went_well.push(format!(
            "Approved as GO by {} at {}.",
            a.stamp.actor,
            when(a.stamp.at.to_utc())
        )),
        Some(a) => regrets.push(Regret {
            what: format!(
                "Approved over a NO-GO by {} at {}: {}.",
                a.stamp.actor,
                when(a.stamp.at.to_utc()),
                a.override_reason.as_deref().unwrap_or("no reason given")
            ),
            improvement: "keep the rules that stood then; an override names the risk accepted"
                .to_string(),
            snippet: String::new(),
        }),
        None => facts.push("The deploy was not approved in warroom.".to_string()),
    }
    let alerts = ledger.alerts.all();
    if alerts.is_empty() {
        went_well.push("No alert: every metric stayed under its crit limit.".to_string());
    }
    for a in alerts {
        facts.push(format!(
            "Alert: {} at or above its limit from {}{}.",
            a.start.metric,
            when(a.start.since.to_utc()),
            a.end
                .as_ref()
                .map_or(" (still open)".to_string(), |(_, f)| format!(
                    ", {} held",
                    crate::metrics::format::held(f.held_secs)
                ))
        ));
    }
    let made = ledger.deploy.check_ins.len();
    let missed = night.check_ins().map_or(0, |c| c.missed);
    facts.push(format!(
        "Check-ins after the watch: {made} made, {missed} missed."
    ));
    if made > 0 && missed == 0 {
        went_well.push("Every check-in was made.".to_string());
    }
    if missed > 0 {
        regrets.push(Regret {
            what: format!("{missed} check-ins were missed: a tense weekend of watching by hand."),
            improvement: "run warroom watch on a host that stays up, and check in from a phone with warroom check-in".to_string(),
            snippet: String::new(),
        });
    }
    Retro {
        version: 1,
        kind: "retro",
        release: night.plan.release.name.clone(),
        facts,
        went_well,
        regrets,
    }
}

pub fn markdown(r: &Retro) -> String {
    let mut out = format!("# Retrospective: {}\n\n## The facts\n\n", cell(&r.release));
    for f in &r.facts {
        out.push_str(&format!("- {}\n", cell(f)));
    }
    out.push_str("\n## Went well\n\n");
    if r.went_well.is_empty() {
        out.push_str("- (to fill in)\n");
    }
    for w in &r.went_well {
        out.push_str(&format!("- {}\n", cell(w)));
    }
    out.push_str("\n## Regrets\n\n");
    if r.regrets.is_empty() {
        out.push_str("- (to fill in)\n");
    }
    for g in &r.regrets {
        out.push_str(&format!("- {}\n", cell(&g.what)));
    }
    out.push_str("\n## Improvements\n\n");
    for g in &r.regrets {
        out.push_str(&format!("- {}\n", cell(&g.improvement)));
        if !g.snippet.is_empty() {
            // Plan text, not outside text: fenced, with nothing to escape
            // but a fence in it.
            out.push_str(&format!(
                "\n  ```toml\n{}  ```\n\n",
                g.snippet
                    .replace("```", "'''")
                    .lines()
                    .map(|l| format!("  {l}\n"))
                    .collect::<String>()
            ));
        }
    }
    out
}

pub fn json(r: &Retro) -> String {
    let mut value = serde_json::to_value(r).unwrap_or_default();
    crate::outside::shown_json(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_default()
}
