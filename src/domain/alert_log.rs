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

    /// Whether a start is a new alert. Seats time the same run a little
    /// apart, and one may be seconds behind another: a start is the same
    /// alert as one still open, or as one whose run it began inside.
    pub fn check_start(&self, figures: &AlertFigures) -> Result<(), String> {
        if let Some(open) = self.open(&figures.metric) {
            return Err(format!(
                "the alert on {} is already recorded, line {}",
                figures.metric, open.line
            ));
        }
        let last = self
            .records
            .iter()
            .rev()
            .find(|r| r.start.metric == figures.metric);
        if let Some((_, end)) = last.and_then(|r| r.end.as_ref())
            && figures.since < end.until()
        {
            return Err(format!(
                "the alert on {} that began then is already recorded as over",
                figures.metric
            ));
        }
        Ok(())
    }

    /// Whether an end closes the open alert: its run must reach the open
    /// one's start, or it is the late end of an earlier alert.
    pub fn check_end(&self, figures: &AlertFigures) -> Result<(), String> {
        match self.open(&figures.metric) {
            None => Err(format!("no alert on {} is open", figures.metric)),
            Some(open) if figures.until() < open.start.since => Err(format!(
                "the end of an earlier alert on {}; the open one began later",
                figures.metric
            )),
            Some(_) => Ok(()),
        }
    }

    /// Two seats that both saw an alert start record it once.
    pub fn start(&mut self, line: u64, stamp: Stamp, figures: &AlertFigures) -> Outcome {
        if let Err(why) = self.check_start(figures) {
            return Outcome::Rejected(why);
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
        if let Err(why) = self.check_end(figures) {
            return Outcome::Rejected(why);
        }
        let open = self
            .records
            .iter_mut()
            .rev()
            .find(|r| r.start.metric == figures.metric && r.end.is_none());
        if let Some(record) = open {
            record.end = Some((stamp, figures.clone()));
        }
        Outcome::Applied
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
        // A seat seconds behind sends its start after the end: the same run.
        let mut late = figures("API p95", 612.0, 30);
        late.since += chrono::TimeDelta::seconds(3);
        assert!(matches!(
            log.start(9, stamp("joon", end), &late),
            Outcome::Rejected(_)
        ));
        // The next time it goes over is a new alert.
        let mut next = figures("API p95", 640.0, 30);
        next.since += chrono::TimeDelta::seconds(60);
        assert_eq!(log.start(12, stamp("mina", end), &next), Outcome::Applied);
        assert_eq!(log.all().len(), 2);
        // The late end of the first alert does not close the second.
        let first_end = figures("API p95", 730.0, 41);
        assert!(matches!(
            log.end(stamp("joon", end), &first_end),
            Outcome::Rejected(_)
        ));
        assert_eq!(log.open("API p95").map(|r| r.line), Some(12));
    }
}
