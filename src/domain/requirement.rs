//! Checklist entries bound to facts (`requires = "items_passed"`): the
//! ledger says whether they hold, so they show as done or open by
//! themselves, and a tick the facts contradict is refused.

use std::collections::BTreeMap;

use super::evidence::{EvidenceRecord, PassCriteria};
use super::{ItemStatus, ReleaseItem};

/// What a checklist entry requires.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Requirement {
    /// Every release item passed its tests.
    ItemsPassed,
    /// Every item the plan gives pass criteria has a latest load-test run
    /// that passes them.
    Evidence,
    /// This item's latest load-test run passes its criteria (or, without
    /// criteria, there is one).
    EvidenceOn(String),
}

/// Whether a requirement holds now, and why, in words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fact {
    pub holds: bool,
    pub text: String,
}

/// How many names a fact lists before it counts the rest.
const NAMED: usize = 3;

impl Requirement {
    /// Reads `items_passed`, `evidence` or `evidence:ITEM`.
    pub fn parse(text: &str) -> Result<Requirement, String> {
        match text.trim() {
            "items_passed" => Ok(Requirement::ItemsPassed),
            "evidence" => Ok(Requirement::Evidence),
            other => match other.strip_prefix("evidence:") {
                Some(item) if !item.trim().is_empty() => {
                    Ok(Requirement::EvidenceOn(item.trim().to_string()))
                }
                _ => Err(format!(
                    "requires = \"{other}\" is not a fact warroom knows; expected \
                     \"items_passed\", \"evidence\" or \"evidence:ITEM-ID\""
                )),
            },
        }
    }

    pub fn judge(
        &self,
        items: &[ReleaseItem],
        evidence: &[EvidenceRecord],
        criteria: &BTreeMap<String, PassCriteria>,
    ) -> Fact {
        match self {
            Requirement::ItemsPassed => {
                let open: Vec<&str> = items
                    .iter()
                    .filter(|i| i.status != ItemStatus::Passed)
                    .map(|i| i.id.as_str())
                    .collect();
                if open.is_empty() {
                    Fact {
                        holds: true,
                        text: format!("all {} items passed", items.len()),
                    }
                } else {
                    Fact {
                        holds: false,
                        text: format!(
                            "{} of {} items not passed: {}",
                            open.len(),
                            items.len(),
                            named(&open)
                        ),
                    }
                }
            }
            Requirement::Evidence => {
                let wanted: Vec<&String> = criteria
                    .iter()
                    .filter(|(_, c)| !c.is_empty())
                    .map(|(id, _)| id)
                    .collect();
                if wanted.is_empty() {
                    return Fact {
                        holds: false,
                        text: "the plan gives no item pass criteria to prove".to_string(),
                    };
                }
                let unproven: Vec<&str> = wanted
                    .iter()
                    .filter(|id| !run_passes(id, evidence, criteria).0)
                    .map(|id| id.as_str())
                    .collect();
                if unproven.is_empty() {
                    Fact {
                        holds: true,
                        text: match wanted.as_slice() {
                            [one] => format!("{one}'s latest run passes"),
                            all => format!("the latest runs of all {} items pass", all.len()),
                        },
                    }
                } else {
                    Fact {
                        holds: false,
                        text: format!("no passing run on {}", named(&unproven)),
                    }
                }
            }
            Requirement::EvidenceOn(item) => {
                let (holds, text) = run_passes(item, evidence, criteria);
                Fact { holds, text }
            }
        }
    }
}

/// Whether `item`'s latest run passes, and what it showed.
fn run_passes(
    item: &str,
    evidence: &[EvidenceRecord],
    criteria: &BTreeMap<String, PassCriteria>,
) -> (bool, String) {
    let Some(latest) = evidence.iter().rev().find(|r| r.evidence.item == item) else {
        return (false, format!("no load-test run on {item}"));
    };
    let file = &latest.evidence.file;
    match criteria.get(item).filter(|c| !c.is_empty()) {
        None => (true, format!("{item} has a run ({file})")),
        Some(c) => {
            let broken = c.broken(&latest.evidence.summary);
            if broken.is_empty() {
                (true, format!("{item}'s latest run passes ({file})"))
            } else {
                (
                    false,
                    format!("{item}'s latest run fails: {}", broken.join(", ")),
                )
            }
        }
    }
}

fn named(ids: &[&str]) -> String {
    let mut text = ids[..ids.len().min(NAMED)].join(", ");
    if ids.len() > NAMED {
        text.push_str(&format!(" and {} more", ids.len() - NAMED));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Priority;
    use crate::domain::evidence::Evidence;
    use crate::domain::ledger::Stamp;
    use crate::loadtest::{Call, Summarizer};

    fn item(id: &str, status: ItemStatus) -> ReleaseItem {
        ReleaseItem {
            id: id.into(),
            title: id.into(),
            priority: Priority::High,
            status,
            owner: None,
            risk: None,
            added_at: None,
        }
    }

    fn run(item: &str, file: &str, timeouts: u32) -> EvidenceRecord {
        let mut s = Summarizer::new(Some(std::time::Duration::from_millis(500)));
        for n in 0..100 {
            let slow = n < timeouts;
            s.add(&Call {
                start_ms: i64::from(n) * 10,
                elapsed_ms: if slow { 600 } else { 100 },
                ok: true,
                label: 0,
                code: 0,
            });
        }
        EvidenceRecord {
            line: 1,
            stamp: Stamp {
                actor: "mina".into(),
                at: chrono::DateTime::parse_from_rfc3339("2026-11-27T19:30:00+09:00").unwrap(),
            },
            evidence: Evidence {
                item: item.into(),
                file: file.into(),
                bytes: 1,
                sha256: file.into(),
                run: None,
                summary: s.finish(None),
            },
        }
    }

    fn criteria() -> BTreeMap<String, PassCriteria> {
        BTreeMap::from([(
            "API".to_string(),
            PassCriteria {
                timeout: Some(std::time::Duration::from_millis(500)),
                max_timeouts: Some(0),
                ..PassCriteria::default()
            },
        )])
    }

    #[test]
    fn items_passed_names_what_is_not() {
        let items: Vec<ReleaseItem> = ["A", "B", "C", "D", "E"]
            .iter()
            .enumerate()
            .map(|(i, id)| {
                item(
                    id,
                    if i == 0 {
                        ItemStatus::Passed
                    } else {
                        ItemStatus::Untested
                    },
                )
            })
            .collect();
        let fact = Requirement::ItemsPassed.judge(&items, &[], &BTreeMap::new());
        assert_eq!(
            fact,
            Fact {
                holds: false,
                text: "4 of 5 items not passed: B, C, D and 1 more".into()
            }
        );
        let all: Vec<ReleaseItem> = ["A", "B"]
            .iter()
            .map(|id| item(id, ItemStatus::Passed))
            .collect();
        let fact = Requirement::ItemsPassed.judge(&all, &[], &BTreeMap::new());
        assert_eq!(
            (fact.holds, fact.text.as_str()),
            (true, "all 2 items passed")
        );
    }

    #[test]
    fn evidence_follows_the_latest_run() {
        let on_api = Requirement::EvidenceOn("API".into());
        let all = Requirement::Evidence;
        let c = criteria();
        assert_eq!(on_api.judge(&[], &[], &c).text, "no load-test run on API");
        let failed = [run("API", "run-1.jtl", 9)];
        let fact = on_api.judge(&[], &failed, &c);
        assert_eq!(
            (fact.holds, fact.text.as_str()),
            (false, "API's latest run fails: 9 timeouts (at most 0)")
        );
        assert_eq!(all.judge(&[], &failed, &c).text, "no passing run on API");
        let rerun = [run("API", "run-1.jtl", 9), run("API", "run-2.jtl", 0)];
        let fact = on_api.judge(&[], &rerun, &c);
        assert_eq!(
            (fact.holds, fact.text.as_str()),
            (true, "API's latest run passes (run-2.jtl)")
        );
        assert!(all.judge(&[], &rerun, &c).holds);
    }

    #[test]
    fn parse_says_what_it_expected() {
        assert_eq!(
            Requirement::parse(" evidence:API "),
            Ok(Requirement::EvidenceOn("API".into()))
        );
        assert!(Requirement::parse("evidence:").is_err());
    }
}
