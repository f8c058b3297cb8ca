//! Load-test evidence on a release item: which file, its fingerprint, and
//! what it showed. Journaled by `warroom import`; a run says what it showed
//! and stays, so it is never undone.

use serde::{Deserialize, Serialize};

use super::ledger::Stamp;
use crate::loadtest::Summary;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The item it proves.
    pub item: String,
    /// The result file's name (not its path: a path says nothing on another
    /// machine), size and SHA-256.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    /// Which of the file's runs, where it holds more than one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run: Option<FileRun>,
    pub summary: Summary,
}

/// A run's place in a file that holds several, appended one after another.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRun {
    /// From 1, in the file's order.
    pub n: u32,
    pub of: u32,
}

impl Evidence {
    /// Whether `other` is this same run on the same item, imported before:
    /// the same file's same run (a file imported whole, before its runs
    /// were told apart, covers them all), or (the file has grown since, by
    /// a run appended) a run of that name that started when this one did
    /// with as many samples.
    pub fn same_run(&self, other: &Evidence) -> bool {
        let same_file = self.sha256 == other.sha256;
        self.item == other.item
            && ((same_file && (self.run == other.run || other.run.is_none()))
                || (self.file == other.file
                    && self.summary.started.is_some()
                    && self.summary.started == other.summary.started
                    && self.summary.samples == other.summary.samples))
    }

    /// The file's name, and which of its runs where it holds several:
    /// `results.jtl, run 2 of 2`.
    pub fn source(&self) -> String {
        match self.run {
            Some(r) => format!("{}, run {} of {}", self.file, r.n, r.of),
            None => self.file.clone(),
        }
    }
}

/// Evidence as the journal recorded it: which line, who, when.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRecord {
    pub line: u64,
    pub stamp: Stamp,
    pub evidence: Evidence,
}

/// What a load-test run must show for its item to pass, from the plan.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct PassCriteria {
    /// A call at or over this counts as a timeout (500 ms in the story).
    pub timeout: Option<std::time::Duration>,
    /// Percent of calls that may fail.
    pub max_error_rate: Option<f64>,
    pub max_timeouts: Option<u64>,
    /// The p95 must be under this.
    pub p95_under: Option<std::time::Duration>,
}

impl PassCriteria {
    pub fn is_empty(&self) -> bool {
        self.max_error_rate.is_none() && self.max_timeouts.is_none() && self.p95_under.is_none()
    }

    /// The criteria in words: `errors at most 0.1%, timeouts at 500ms at most 0`.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if let Some(max) = self.max_error_rate {
            parts.push(format!(
                "errors at most {}%",
                crate::metrics::format::number(max)
            ));
        }
        if let Some(max) = self.max_timeouts {
            let at = self.timeout.map_or(String::new(), |t| {
                format!(" at {}", humantime::format_duration(t))
            });
            parts.push(format!("timeouts{at} at most {max}"));
        }
        if let Some(under) = self.p95_under {
            parts.push(format!("p95 under {}", humantime::format_duration(under)));
        }
        parts.join(", ")
    }

    /// What a run broke, in words; empty when it passes.
    pub fn broken(&self, s: &Summary) -> Vec<String> {
        let mut out = Vec::new();
        if let Some(max) = self.max_error_rate
            && s.error_rate > max
        {
            out.push(format!(
                "{}% errors (at most {}%)",
                crate::metrics::format::number(s.error_rate),
                crate::metrics::format::number(max)
            ));
        }
        if let Some(max) = self.max_timeouts {
            match s.timeouts {
                Some(n) if n > max => out.push(format!("{n} timeouts (at most {max})")),
                Some(_) => {}
                // Not counted: not known to be fine.
                None if self.timeout.is_some() => out.push(
                    "timeouts not counted (the file has figures, no single samples)".to_string(),
                ),
                None => out.push("timeouts not counted (no timeout given)".to_string()),
            }
        }
        if let Some(under) = self.p95_under {
            let limit = u64::try_from(under.as_millis()).unwrap_or(u64::MAX);
            if s.latency_ms.p95 >= limit {
                out.push(format!("p95 {} ms (under {limit} ms)", s.latency_ms.p95));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(sha: &str, run: Option<(u32, u32)>, started_ms: Option<i64>, samples: u64) -> Evidence {
        let mut summarizer = crate::loadtest::Summarizer::new(None);
        for n in 0..samples {
            summarizer.add(&crate::loadtest::Call {
                start_ms: started_ms.unwrap_or(1_800_000_000_000) + i64::try_from(n).unwrap_or(0),
                elapsed_ms: 10,
                ok: true,
                label: 0,
                code: 0,
            });
        }
        let mut summary = summarizer.finish(None);
        if started_ms.is_none() {
            summary.started = None;
        }
        Evidence {
            item: "API".into(),
            file: "results.jtl".into(),
            bytes: 1,
            sha256: sha.into(),
            run: run.map(|(n, of)| FileRun { n, of }),
            summary,
        }
    }

    #[test]
    fn the_same_run_is_known_however_it_was_imported() {
        let first = run("aa", Some((1, 2)), Some(1_800_000_000_000), 5);
        let second = run("aa", Some((2, 2)), Some(1_800_000_600_000), 3);
        assert!(first.same_run(&first.clone()));
        assert!(!second.same_run(&first), "another run of the same file");
        // The file grew by a third run: its first two are known by their
        // start and samples.
        let grown = run("bb", Some((1, 3)), Some(1_800_000_000_000), 5);
        assert!(grown.same_run(&first));
        // Imported whole before runs were told apart: it covers them all.
        let whole = run("aa", None, None, 8);
        assert!(first.same_run(&whole) && second.same_run(&whole));
        // Another item is another question.
        let mut other = first.clone();
        other.item = "PAY".into();
        assert!(!other.same_run(&first));
    }
}
