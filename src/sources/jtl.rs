//! Follows a JMeter result file (CSV JTL) while JMeter is still writing it:
//! per second of the test, throughput, latency and the error rate. A last
//! line still being written is left for the next read.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::PathBuf;
use std::time::Duration;

use chrono::DateTime;
use serde::Deserialize;
use tokio::sync::mpsc;

use super::http;
use super::prometheus_api::SourceError;
use crate::app::Msg;
use crate::metrics::{MetricId, Sample};

/// Which number of each second of the test a metric shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JtlSignal {
    /// Samples per second.
    Tps,
    LatencyAvg,
    LatencyP95,
    LatencyMax,
    /// Percent of samples that failed.
    ErrorRate,
}

/// Where the columns the follower needs are, from the file's header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    time: usize,
    elapsed: usize,
    success: usize,
}

/// One second of the test: each sample's elapsed ms and whether it succeeded.
type Second = Vec<(f64, bool)>;

pub struct JtlFollower {
    path: PathBuf,
    offset: u64,
    columns: Option<Columns>,
    /// Seconds not yet complete: a later line may still add to the newest.
    open: BTreeMap<i64, Second>,
    /// Reads in a row that found nothing new.
    quiet_reads: u32,
    /// The newest second as it was sent while the file was quiet, and how
    /// many calls it had then.
    flushed: Option<(i64, usize)>,
}

/// Reads without a new line after which the newest second counts as complete:
/// the test has ended or paused, and its last second should show.
const QUIET_READS: u32 = 3;

impl JtlFollower {
    pub fn new(path: PathBuf) -> JtlFollower {
        JtlFollower {
            path,
            offset: 0,
            columns: None,
            open: BTreeMap::new(),
            quiet_reads: 0,
            flushed: None,
        }
    }

    /// The seconds completed since the last read, as `signal` values. A
    /// second is complete once a line of a later second has arrived, or once
    /// the file has not grown for a few reads. Should a line of it come after
    /// all, the second is sent again, whole, and replaces the first value.
    pub fn read_new(&mut self, signal: JtlSignal) -> Result<Vec<Sample>, SourceError> {
        let name = self.path.display().to_string();
        let mut file = File::open(&self.path)
            .map_err(|_| SourceError::Answer(format!("waiting for {name}")))?;
        let len = file.metadata().map(|m| m.len()).unwrap_or(0);
        if len < self.offset {
            // A new run over the same file: start again.
            *self = JtlFollower::new(self.path.clone());
        }
        let mut bytes = Vec::new();
        file.seek(SeekFrom::Start(self.offset))
            .and_then(|_| file.read_to_end(&mut bytes))
            .map_err(|e| SourceError::Answer(format!("cannot read {name}: {e}")))?;
        let complete = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        self.offset += complete as u64;
        self.quiet_reads = if complete == 0 {
            self.quiet_reads + 1
        } else {
            0
        };
        for line in bytes[..complete].split(|b| *b == b'\n') {
            self.line(line)?;
        }
        let sample = |second: i64, calls: &Second| {
            DateTime::from_timestamp(second, 0).map(|at| Sample {
                at,
                value: measure(signal, calls),
            })
        };
        let newest = self.open.pop_last();
        let mut done: Vec<Sample> = std::mem::take(&mut self.open)
            .iter()
            .filter_map(|(second, calls)| sample(*second, calls))
            .collect();
        if let Some((second, calls)) = newest {
            // Sent once as it stands; kept, in case it grows after all.
            let flush = (second, calls.len());
            if self.quiet_reads >= QUIET_READS && self.flushed != Some(flush) {
                done.extend(sample(second, &calls));
                self.flushed = Some(flush);
            }
            self.open.insert(second, calls);
        }
        Ok(done)
    }

    fn line(&mut self, line: &[u8]) -> Result<(), SourceError> {
        if line.iter().all(u8::is_ascii_whitespace) {
            return Ok(());
        }
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(line);
        let Some(Ok(record)) = reader.records().next() else {
            return Ok(());
        };
        let Some(columns) = self.columns else {
            let find = |name: &str| record.iter().position(|c| c.trim() == name);
            let columns = match (find("timeStamp"), find("elapsed"), find("success")) {
                (Some(time), Some(elapsed), Some(success)) => Columns {
                    time,
                    elapsed,
                    success,
                },
                _ => {
                    return Err(SourceError::Answer(
                        "not a JMeter CSV result: expected a header with timeStamp, elapsed and success"
                            .into(),
                    ));
                }
            };
            self.columns = Some(columns);
            return Ok(());
        };
        // A line that does not read is skipped: JMeter writes whole lines,
        // and one odd line must not stop the chart.
        let field = |i: usize| record.get(i).map(str::trim);
        let (Some(Ok(time)), Some(Ok(elapsed)), Some(success)) = (
            field(columns.time).map(str::parse::<i64>),
            field(columns.elapsed).map(str::parse::<f64>),
            field(columns.success),
        ) else {
            return Ok(());
        };
        self.open
            .entry(time.div_euclid(1000))
            .or_default()
            .push((elapsed, success.eq_ignore_ascii_case("true")));
        Ok(())
    }
}

fn measure(signal: JtlSignal, calls: &Second) -> f64 {
    let mut ms: Vec<f64> = calls.iter().map(|(e, _)| *e).collect();
    ms.sort_by(f64::total_cmp);
    let n = ms.len().max(1);
    match signal {
        JtlSignal::Tps => calls.len() as f64,
        JtlSignal::ErrorRate => {
            100.0 * calls.iter().filter(|(_, ok)| !ok).count() as f64 / n as f64
        }
        JtlSignal::LatencyAvg => ms.iter().sum::<f64>() / n as f64,
        JtlSignal::LatencyP95 => ms
            .get((n * 95).div_ceil(100).max(1) - 1)
            .copied()
            .unwrap_or(0.0),
        JtlSignal::LatencyMax => ms.last().copied().unwrap_or(0.0),
    }
}

pub async fn run(
    id: MetricId,
    path: PathBuf,
    signal: JtlSignal,
    interval: Duration,
    tx: mpsc::Sender<Msg>,
) {
    let follower = std::sync::Mutex::new(JtlFollower::new(path));
    let follower = &follower;
    http::poll(id, interval, tx, |_| async move {
        match follower.lock() {
            Ok(mut f) => f.read_new(signal),
            Err(_) => Err(SourceError::Answer("the follower stopped".into())),
        }
    })
    .await;
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

    fn line(ms: i64, elapsed: u32, ok: bool) -> String {
        let code = if ok { "200" } else { "504" };
        format!(
            "{ms},{elapsed},API,{code},OK,TG 1-1,text,{ok},,512,128,10,10,http://127.0.0.1/api,{elapsed},0,3\n"
        )
    }

    #[test]
    fn follows_a_file_being_written_second_by_second() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jtl");
        let mut file = File::create(&path).unwrap();
        let mut follower = JtlFollower::new(path.clone());
        file.write_all(HEADER.as_bytes()).unwrap();
        let t0 = 1_800_000_000_000;
        for (i, (elapsed, ok)) in [(200, true), (350, true), (510, false)].iter().enumerate() {
            file.write_all(line(t0 + i as i64 * 100, *elapsed, *ok).as_bytes())
                .unwrap();
        }
        // The first second may still grow: nothing yet.
        assert_eq!(follower.read_new(JtlSignal::Tps).unwrap(), vec![]);
        // The next second starts, its line cut off mid-write.
        let next = line(t0 + 1000, 180, true);
        file.write_all(&next.as_bytes()[..20]).unwrap();
        let first = follower.read_new(JtlSignal::ErrorRate).unwrap();
        assert_eq!(first.len(), 0, "a cut-off line proves nothing");
        file.write_all(&next.as_bytes()[20..]).unwrap();
        let done = follower.read_new(JtlSignal::ErrorRate).unwrap();
        assert_eq!(done.len(), 1);
        assert_eq!(done[0].at.timestamp(), 1_800_000_000);
        assert!((done[0].value - 100.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn the_last_second_shows_once_the_file_stops_growing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jtl");
        let mut file = File::create(&path).unwrap();
        let mut follower = JtlFollower::new(path.clone());
        file.write_all(HEADER.as_bytes()).unwrap();
        let t0 = 1_800_000_000_000;
        for ms in [0, 100, 1000, 1100, 1200] {
            file.write_all(line(t0 + ms, 200, true).as_bytes()).unwrap();
        }
        let tps = |f: &mut JtlFollower| -> Vec<(i64, f64)> {
            let samples = f.read_new(JtlSignal::Tps).unwrap();
            samples
                .iter()
                .map(|s| (s.at.timestamp() - 1_800_000_000, s.value))
                .collect()
        };
        assert_eq!(tps(&mut follower), [(0, 2.0)]);
        assert_eq!(tps(&mut follower), []);
        assert_eq!(tps(&mut follower), []);
        assert_eq!(
            tps(&mut follower),
            [(1, 3.0)],
            "quiet for three reads: the test ended"
        );
        assert_eq!(tps(&mut follower), [], "sent once");
        // It had only paused: the second grows, and is sent again whole.
        file.write_all(line(t0 + 1300, 200, true).as_bytes())
            .unwrap();
        file.write_all(line(t0 + 2000, 200, true).as_bytes())
            .unwrap();
        assert_eq!(tps(&mut follower), [(1, 4.0)]);
    }

    #[test]
    fn each_signal_of_one_second() {
        let calls: Second = vec![(200.0, true), (350.0, true), (510.0, false), (180.0, true)];
        assert_eq!(measure(JtlSignal::Tps, &calls), 4.0);
        assert_eq!(measure(JtlSignal::ErrorRate, &calls), 25.0);
        assert_eq!(measure(JtlSignal::LatencyAvg, &calls), 310.0);
        assert_eq!(measure(JtlSignal::LatencyP95, &calls), 510.0);
        assert_eq!(measure(JtlSignal::LatencyMax, &calls), 510.0);
    }

    #[test]
    fn a_file_without_the_columns_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jtl");
        std::fs::write(&path, "a,b,c\n1,2,3\n").unwrap();
        let err = JtlFollower::new(path).read_new(JtlSignal::Tps).unwrap_err();
        assert_eq!(
            err.to_string(),
            "not a JMeter CSV result: expected a header with timeStamp, elapsed and success"
        );
    }

    #[test]
    fn a_missing_file_is_waited_for() {
        let err = JtlFollower::new(PathBuf::from("/nonexistent/run.jtl"))
            .read_new(JtlSignal::Tps)
            .unwrap_err();
        assert_eq!(err.to_string(), "waiting for /nonexistent/run.jtl");
    }
}
