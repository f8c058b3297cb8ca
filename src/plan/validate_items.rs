//! Validation of the release items: ids, risk figures, when each joined the
//! list, and what a load test must show for it to pass.

use toml::Spanned;

use super::{Checker, IdRegister, MAX_RECOVERY};
use crate::domain::evidence::PassCriteria;
use crate::domain::wall_time::Toward;
use crate::domain::{ReleaseItem, Risk, Schedule};
use crate::plan::file::{ItemEntry, RiskEntry};

impl Checker<'_> {
    /// An item's load-test pass criteria: `timeout = "500ms"`,
    /// `max_error_rate = "0.1%"`, `max_timeouts = 0`, `p95_under = "300ms"`.
    fn criteria(&mut self, entry: &ItemEntry) -> Option<PassCriteria> {
        let mut ok = true;
        let mut duration = |check: &mut Self, text: &Option<Spanned<String>>| match text {
            Some(t) => {
                let d = check.bounded_duration(
                    "duration",
                    t,
                    (std::time::Duration::from_secs(3600), "1h"),
                );
                ok &= d.is_some();
                d
            }
            None => None,
        };
        let timeout = duration(self, &entry.timeout);
        let p95_under = duration(self, &entry.p95_under);
        let max_error_rate = match &entry.max_error_rate {
            Some(t) => {
                let text = t.get_ref().trim();
                let rate = text
                    .strip_suffix('%')
                    .and_then(|n| n.trim().parse::<f64>().ok())
                    .filter(|r| (0.0..=100.0).contains(r));
                if rate.is_none() {
                    self.fail::<()>(
                        t.span(),
                        format!(
                            "max_error_rate \"{text}\" is not a percentage; expected e.g. \"0.1%\""
                        ),
                    );
                    ok = false;
                }
                rate
            }
            None => None,
        };
        ok.then_some(PassCriteria {
            timeout,
            max_error_rate,
            max_timeouts: entry.max_timeouts,
            p95_under,
        })
    }

    pub(super) fn items(
        &mut self,
        entries: Option<Spanned<Vec<ItemEntry>>>,
        schedule: Option<&Schedule>,
        list_at: Option<chrono::DateTime<chrono::Utc>>,
    ) -> Option<Vec<ReleaseItem>> {
        let span = entries.as_ref().map(Spanned::span);
        let Some(entries) = entries.filter(|e| !e.get_ref().is_empty()) else {
            self.problems.push(self.loc.problem(
                span,
                "the plan has no [[items]]; expected at least one release item",
            ));
            return None;
        };
        let mut ids = IdRegister::ids("item");
        let mut ok = true;
        let mut items = Vec::new();
        for entry in entries.into_inner() {
            ok &= ids.register(&entry.id, self);
            let criteria = self.criteria(&entry);
            ok &= criteria.is_some();
            if let Some(c) = criteria.filter(|c| !c.is_empty() || c.timeout.is_some()) {
                self.criteria.insert(entry.id.get_ref().clone(), c);
            }
            let risk = match entry.risk {
                Some(r) => match self.risk(r) {
                    Some(r) => Some(r),
                    None => {
                        ok = false;
                        None
                    }
                },
                None => None,
            };
            let added_at = match &entry.added_at {
                Some(text) => {
                    let at = self.moment(text, schedule, Toward::Before);
                    ok &= at.is_some() || schedule.is_none();
                    at
                }
                None => list_at,
            };
            items.push(ReleaseItem {
                id: entry.id.into_inner(),
                title: entry.title,
                priority: entry.priority,
                status: entry.status,
                owner: entry.owner.filter(|o| !o.trim().is_empty()),
                risk,
                added_at,
            });
        }
        ok.then_some(items)
    }

    fn risk(&mut self, entry: RiskEntry) -> Option<Risk> {
        let impact = self.figure("impact", &entry.impact);
        let likelihood = self.figure("likelihood", &entry.likelihood);
        let recovery = self.bounded_duration("risk recovery", &entry.recovery, MAX_RECOVERY);
        Some(Risk {
            impact: impact?,
            likelihood: likelihood?,
            recovery: recovery?,
        })
    }

    fn figure(&mut self, name: &str, value: &Spanned<i64>) -> Option<u8> {
        match u8::try_from(*value.get_ref()) {
            Ok(v @ 1..=10) => Some(v),
            _ => self.fail(
                value.span(),
                format!(
                    "risk {name} is {}; expected a whole number from 1 to 10",
                    value.get_ref()
                ),
            ),
        }
    }
}
