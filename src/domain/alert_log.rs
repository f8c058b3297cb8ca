//! The alerts of the night as the journal recorded them: when each metric
//! went over its limit and when it came back, whichever seat saw it first.

use super::action::AlertFigures;
use super::ledger::{Outcome, Stamp};

#[derive(Debug, Clone, PartialEq)]
pub struct AlertRecord {
    /// The journal line of its start.
    pub line: u64,
    pub started: Stamp,
    pub start: AlertFigures,
    /// When it ended, with its peak and how long it held.
    pub end: Option<(Stamp, AlertFigures)>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct AlertLog {
    records: Vec<AlertRecord>,
}

impl AlertLog {
    pub fn all(&self) -> &[AlertRecord] {
        &self.records
    }

    /// The metric's alert that has started and not ended, if any.
    pub fn open(&self, metric: &str) -> Option<&AlertRecord> {
        self.records
            .iter()
            .rev()
            .find(|r| r.start.metric == metric && r.end.is_none())
    }

    /// Two seats that both saw an alert start record it once: the second
    /// start, while the first is open, is the same alert.
    pub fn start(&mut self, line: u64, stamp: Stamp, figures: &AlertFigures) -> Outcome {
        if let Some(open) = self.open(&figures.metric) {
            return Outcome::Rejected(format!(
                "the alert on {} is already recorded, line {}",
                figures.metric, open.line
            ));
        }
        self.records.push(AlertRecord {
            line,
            started: stamp,
            start: figures.clone(),
            end: None,
        });
        Outcome::Applied
    }

    pub fn end(&mut self, stamp: Stamp, figures: &AlertFigures) -> Outcome {
        let open = self
            .records
            .iter_mut()
            .rev()
            .find(|r| r.start.metric == figures.metric && r.end.is_none());
        match open {
            Some(record) => {
                record.end = Some((stamp, figures.clone()));
                Outcome::Applied
            }
            None => Outcome::Rejected(format!("no alert on {} is open", figures.metric)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::DateTime;

    fn stamp(actor: &str, at: &str) -> Stamp {
        Stamp {
            actor: actor.into(),
            at: DateTime::parse_from_rfc3339(at).unwrap(),
        }
    }

    fn figures(metric: &str, value: f64, held_secs: u64) -> AlertFigures {
        AlertFigures {
            metric: metric.into(),
            unit: "ms".into(),
            limit: 500.0,
            value,
            since: DateTime::parse_from_rfc3339("2026-11-27T23:05:02+09:00").unwrap(),
            held_secs,
        }
    }

    #[test]
    fn a_second_seat_starting_the_same_alert_records_nothing() {
        let mut log = AlertLog::default();
        let at = "2026-11-27T23:05:32+09:00";
        assert_eq!(
            log.start(7, stamp("mina", at), &figures("API p95", 612.0, 30)),
            Outcome::Applied
        );
        assert_eq!(
            log.start(8, stamp("joon", at), &figures("API p95", 615.0, 31)),
            Outcome::Rejected("the alert on API p95 is already recorded, line 7".into())
        );
        assert_eq!(log.open("API p95").map(|r| r.line), Some(7));
        assert_eq!(log.open("Error rate"), None);
        let end = "2026-11-27T23:05:42+09:00";
        assert_eq!(
            log.end(stamp("joon", end), &figures("API p95", 730.0, 40)),
            Outcome::Applied
        );
        assert_eq!(
            log.end(stamp("mina", end), &figures("API p95", 730.0, 41)),
            Outcome::Rejected("no alert on API p95 is open".into())
        );
        assert_eq!(log.open("API p95"), None);
        assert_eq!(log.all().len(), 1);
        let (by, peak) = log.all()[0].end.clone().unwrap();
        assert_eq!(
            (by.actor.as_str(), peak.value, peak.held_secs),
            ("joon", 730.0, 40)
        );
        // The next time it goes over is a new alert.
        log.start(12, stamp("mina", end), &figures("API p95", 640.0, 30));
        assert_eq!(log.all().len(), 2);
    }
}
