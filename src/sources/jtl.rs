//! Follows a JMeter result file (CSV JTL) while JMeter writes it: each second
//! of the test once it is whole (see `loadtest::seconds`), as throughput,
//! latency and the error rate. The file is read in bounded chunks on a
//! blocking thread, so a large backlog neither takes the memory nor holds up
//! the screen; until it is read, the source says how far it has got.

use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::mpsc;

use super::Reading;
use super::prometheus_api::SourceError;
use crate::loadtest::{ResultCalls, SecondStats, SecondsBook};
use crate::metrics::{Health, MetricId, Sample};
pub use crate::spec::JtlSignal;

/// How much is read at a time: the memory a backlog may take at once.
pub const CHUNK: usize = 4 * 1024 * 1024;

/// Reads without a new line after which the test counts as ended (or
/// paused), and its last seconds are told.
const QUIET_READS: u32 = 3;

/// What one read brought: the seconds told, and how far into the file.
#[derive(Debug, Default)]
pub struct Step {
    pub seconds: Vec<(i64, SecondStats)>,
    pub read: u64,
    pub total: u64,
    /// The read filled its chunk: more is waiting (a line still being
    /// written is not a backlog).
    pub more: bool,
}

impl Step {
    /// Whether a backlog is still left to read.
    pub fn behind(&self) -> bool {
        self.more
    }
}

pub struct JtlFollower {
    path: PathBuf,
    late: Option<Duration>,
    offset: u64,
    calls: ResultCalls,
    book: SecondsBook,
    buffer: Vec<u8>,
    quiet_reads: u32,
    /// Calls that ended after this were written after it: not read.
    until_ms: Option<i64>,
    /// Device and inode of the file being read, to notice a new one.
    identity: Option<(u64, u64)>,
}

impl JtlFollower {
    pub fn new(path: PathBuf, late: Option<Duration>) -> JtlFollower {
        JtlFollower {
            path,
            late,
            offset: 0,
            calls: ResultCalls::new(),
            book: SecondsBook::new(late),
            buffer: Vec::new(),
            quiet_reads: 0,
            until_ms: None,
            identity: None,
        }
    }

    /// Reads on, at most `max` bytes, up to the last whole line.
    pub fn read_chunk(&mut self, max: usize) -> Result<Step, SourceError> {
        let name = self.path.display().to_string();
        let mut file = crate::input::open_to_read(&self.path, u64::MAX).map_err(|e| {
            if e.kind() == std::io::ErrorKind::NotFound {
                SourceError::Answer(format!("waiting for {name}"))
            } else {
                SourceError::Answer(format!("cannot read {name}: {e}"))
            }
        })?;
        let meta = file.metadata().ok();
        let total = meta.as_ref().map_or(0, std::fs::Metadata::len);
        let identity = meta.as_ref().map(|m| (m.dev(), m.ino()));
        if total < self.offset || (self.identity.is_some() && identity != self.identity) {
            // A new run over the same name (truncated, or a new file): start
            // again from its header.
            let until = self.until_ms;
            *self = JtlFollower::new(self.path.clone(), self.late);
            self.until_ms = until;
        }
        self.identity = identity;
        self.buffer.clear();
        let want = u64::try_from(max).unwrap_or(u64::MAX);
        file.seek(SeekFrom::Start(self.offset))
            .and_then(|_| (&mut file).take(want).read_to_end(&mut self.buffer))
            .map_err(|e| SourceError::Answer(format!("cannot read {name}: {e}")))?;
        let (book, until) = (&mut self.book, self.until_ms);
        let whole = self
            .calls
            .feed(&self.buffer, |call| {
                if until.is_none_or(|u| call.end_ms() <= u) {
                    book.add(call);
                }
            })
            .map_err(|e| SourceError::Answer(format!("{name}: {e}")))?;
        if whole == 0 && self.buffer.len() >= max {
            return Err(SourceError::Answer(format!(
                "{name}: a record longer than {} MB; expected a JMeter or k6 result",
                max / 1024 / 1024
            )));
        }
        // Only once read: a file that is not a result stays refused.
        self.offset += whole as u64;
        self.quiet_reads = if whole == 0 { self.quiet_reads + 1 } else { 0 };
        let seconds = if self.quiet_reads >= QUIET_READS {
            self.book.flush()
        } else {
            self.book.whole()
        };
        Ok(Step {
            seconds,
            read: self.offset,
            total: total.max(self.offset),
            more: self.buffer.len() >= max,
        })
    }

    /// The file has ended: a last line without its line end is read when
    /// whole, and the calls held for a parent that never came are told.
    fn finish(&mut self) -> Result<(), SourceError> {
        let name = self.path.display().to_string();
        let mut rest = Vec::new();
        let mut file = crate::input::open_to_read(&self.path, u64::MAX)
            .map_err(|e| SourceError::Answer(format!("cannot read {name}: {e}")))?;
        let want = u64::try_from(CHUNK).unwrap_or(u64::MAX);
        file.seek(SeekFrom::Start(self.offset))
            .and_then(|_| (&mut file).take(want).read_to_end(&mut rest))
            .map_err(|e| SourceError::Answer(format!("cannot read {name}: {e}")))?;
        let (book, until) = (&mut self.book, self.until_ms);
        self.calls
            .end(&rest, |call| {
                if until.is_none_or(|u| call.end_ms() <= u) {
                    book.add(call);
                }
            })
            .map_err(|e| SourceError::Answer(format!("{name}: {e}")))?;
        Ok(())
    }

    /// Lines that did not read as a call (or not as a plausible one), and
    /// lines that came too late to count: said, never silently lost.
    pub fn dropped(&self) -> (u64, u64) {
        (
            self.calls.skipped() + self.book.implausible,
            self.book.too_late,
        )
    }

    /// The whole file as it is now (or the calls that had ended by `until`),
    /// every second told: for `check`, which judges a finished test.
    pub fn read_all(
        path: &Path,
        late: Option<Duration>,
        until: Option<DateTime<Utc>>,
    ) -> Result<Vec<(i64, SecondStats)>, SourceError> {
        let mut follower = JtlFollower::new(path.to_path_buf(), late);
        follower.until_ms = until.map(|t| t.timestamp_millis());
        let mut seconds = Vec::new();
        loop {
            let step = follower.read_chunk(CHUNK)?;
            let behind = step.behind();
            seconds.extend(step.seconds);
            if !behind {
                break;
            }
        }
        follower.finish()?;
        seconds.extend(follower.book.flush());
        Ok(seconds)
    }
}

/// A second's figure for one signal.
pub fn value(signal: JtlSignal, s: &SecondStats) -> f64 {
    match signal {
        JtlSignal::Tps => f64::from(s.calls),
        JtlSignal::ErrorRate => s.error_rate(),
        JtlSignal::LatencyAvg => s.mean_ms,
        JtlSignal::LatencyP95 => f64::from(s.p95_ms),
        JtlSignal::LatencyMax => f64::from(s.max_ms),
    }
}

/// The seconds as one signal's samples, stamped with the second's start.
pub fn samples(signal: JtlSignal, seconds: &[(i64, SecondStats)]) -> Vec<Sample> {
    seconds
        .iter()
        .filter_map(|(second, stats)| {
            DateTime::from_timestamp(*second, 0).map(|at| Sample {
                at,
                value: value(signal, stats),
            })
        })
        .collect()
}

/// One follower for a file, however many metrics chart it. Reads straight
/// on while behind, else once an interval.
pub async fn run(
    path: PathBuf,
    metrics: Vec<(MetricId, JtlSignal)>,
    interval: Duration,
    late: Option<Duration>,
    tx: mpsc::Sender<Reading>,
) {
    let mut follower = JtlFollower::new(path, late);
    let mut last_health: Option<Health> = None;
    let mut said_dropped = (0, 0);
    loop {
        let (back, result) = match tokio::task::spawn_blocking(move || {
            let result = follower.read_chunk(CHUNK);
            (follower, result)
        })
        .await
        {
            Ok(done) => done,
            Err(_) => return,
        };
        follower = back;
        let dropped = follower.dropped();
        if dropped != said_dropped {
            let (odd, too_late) = dropped;
            tracing::warn!(odd, too_late, "result file lines not charted");
            said_dropped = dropped;
        }
        let (health, wait) = match result {
            Ok(step) => {
                if !step.seconds.is_empty() {
                    for (id, signal) in &metrics {
                        let batch = samples(*signal, &step.seconds);
                        if tx.send(Reading::Samples(*id, batch)).await.is_err() {
                            return;
                        }
                    }
                }
                if step.behind() {
                    let read = Health::Reading {
                        read: step.read,
                        total: step.total,
                    };
                    (read, Duration::ZERO)
                } else {
                    (Health::Ok, interval)
                }
            }
            Err(e) => (Health::down(e), interval),
        };
        if last_health.as_ref() != Some(&health) {
            for (id, _) in &metrics {
                if tx.send(Reading::Health(*id, health.clone())).await.is_err() {
                    return;
                }
            }
            last_health = Some(health);
        }
        if wait.is_zero() {
            tokio::task::yield_now().await;
        } else {
            tokio::time::sleep(wait).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs::File;
    use std::io::Write;

    const HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

    fn line(ms: i64, elapsed: u32, ok: bool) -> String {
        let code = if ok { "200" } else { "504" };
        format!(
            "{ms},{elapsed},API,{code},OK,TG 1-1,text,{ok},,512,128,10,10,http://127.0.0.1/api,{elapsed},0,3\n"
        )
    }

    fn tps(step: Step) -> Vec<(i64, f64)> {
        samples(JtlSignal::Tps, &step.seconds)
            .iter()
            .map(|s| (s.at.timestamp() - 1_800_000_000, s.value))
            .collect()
    }

    #[test]
    fn follows_a_file_being_written_and_waits_for_a_cut_off_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jtl");
        let mut file = File::create(&path).unwrap();
        let mut follower = JtlFollower::new(path.clone(), None);
        file.write_all(HEADER.as_bytes()).unwrap();
        let t0 = 1_800_000_000_000;
        for (i, (elapsed, ok)) in [(200, true), (350, true), (510, false)].iter().enumerate() {
            file.write_all(line(t0 + i as i64 * 100, *elapsed, *ok).as_bytes())
                .unwrap();
        }
        assert_eq!(tps(follower.read_chunk(CHUNK).unwrap()), []);
        // A call of second 1 ending at 2.6 s, its line cut off mid-write.
        let next = line(t0 + 1000, 1600, true);
        file.write_all(&next.as_bytes()[..20]).unwrap();
        assert_eq!(tps(follower.read_chunk(CHUNK).unwrap()), []);
        file.write_all(&next.as_bytes()[20..]).unwrap();
        let step = follower.read_chunk(CHUNK).unwrap();
        assert_eq!(step.seconds.len(), 1);
        assert!((value(JtlSignal::ErrorRate, &step.seconds[0].1) - 100.0 / 3.0).abs() < 1e-9);
    }

    #[test]
    fn the_last_second_shows_once_the_file_stops_growing() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jtl");
        let mut file = File::create(&path).unwrap();
        let mut follower = JtlFollower::new(path.clone(), Some(Duration::ZERO));
        file.write_all(HEADER.as_bytes()).unwrap();
        let t0 = 1_800_000_000_000;
        for ms in [0, 100, 1000, 1100, 1200] {
            file.write_all(line(t0 + ms, 200, true).as_bytes()).unwrap();
        }
        let mut read = || tps(follower.read_chunk(CHUNK).unwrap());
        assert_eq!(read(), [(0, 2.0)]);
        assert_eq!(read(), []);
        assert_eq!(read(), []);
        assert_eq!(read(), [(1, 3.0)], "quiet for three reads: the test ended");
        assert_eq!(read(), [], "told once");
    }

    #[test]
    fn a_backlog_is_read_a_chunk_at_a_time() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jtl");
        let mut text = HEADER.to_string();
        for i in 0..1000 {
            text.push_str(&line(1_800_000_000_000 + i * 10, 5, true));
        }
        std::fs::write(&path, &text).unwrap();
        let mut follower = JtlFollower::new(path.clone(), None);
        let mut steps = 0;
        let mut told = 0;
        loop {
            let step = follower.read_chunk(10_000).unwrap();
            steps += 1;
            told += step.seconds.len();
            assert!(step.read <= step.total);
            assert_eq!(step.behind(), step.read < step.total);
            if !step.behind() {
                break;
            }
        }
        assert!(steps > 5, "{steps} reads of 10 kB");
        assert_eq!(
            told, 9,
            "the tenth second waits for the file to stop growing"
        );
        assert_eq!(JtlFollower::read_all(&path, None, None).unwrap().len(), 10);
    }

    #[test]
    fn a_new_file_under_the_same_name_is_read_from_its_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jtl");
        let t0 = 1_800_000_000_000;
        let first: String = (0..20).map(|i| line(t0 + i * 100, 5, true)).collect();
        std::fs::write(&path, format!("{HEADER}{first}")).unwrap();
        let mut follower = JtlFollower::new(path.clone(), Some(Duration::ZERO));
        assert_eq!(tps(follower.read_chunk(CHUNK).unwrap()), [(0, 10.0)]);
        // A rerun written to a new file, moved over the old one; larger than
        // what was read, so only its identity tells it apart.
        let t1 = t0 + 60_000;
        let second: String = (0..60).map(|i| line(t1 + i * 50, 5, false)).collect();
        let next = dir.path().join("next.jtl");
        std::fs::write(&next, format!("{HEADER}{second}")).unwrap();
        std::fs::rename(&next, &path).unwrap();
        let step = follower.read_chunk(CHUNK).unwrap();
        assert_eq!(tps(step), [(60, 20.0), (61, 20.0)]);
    }

    #[test]
    fn a_file_without_the_columns_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("run.jtl");
        std::fs::write(&path, "a,b,c\n1,2,3\n").unwrap();
        let err = JtlFollower::new(path.clone(), None)
            .read_chunk(CHUNK)
            .unwrap_err();
        assert_eq!(
            err.to_string(),
            format!(
                "{}: line 1, column 1: not a JMeter CSV result; expected a header with timeStamp, \
                 elapsed and success, or a line in JMeter's default columns",
                path.display()
            )
        );
    }

    #[test]
    fn a_k6_json_file_is_followed_as_a_jmeter_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k6.json");
        // k6 stamps a request's points at its end: ends at .2, .5 and .9 s
        // of 1_800_000_000, 100 ms each; then one at +5 s.
        let point = |end: &str| {
            format!(
                r#"{{"metric":"http_req_duration","type":"Point","data":{{"time":"{end}","value":100,"tags":{{"expected_response":"true","name":"api","status":"200"}}}}}}"#
            ) + "\n"
        };
        let text: String = [
            "2027-01-15T08:00:00.200Z",
            "2027-01-15T08:00:00.500Z",
            "2027-01-15T08:00:00.900Z",
            "2027-01-15T08:00:05.200Z",
        ]
        .iter()
        .map(|t| point(t))
        .collect();
        std::fs::write(&path, text).unwrap();
        let mut follower = JtlFollower::new(path, Some(Duration::ZERO));
        let step = follower.read_chunk(CHUNK).unwrap();
        let told: Vec<(i64, f64)> = samples(JtlSignal::Tps, &step.seconds)
            .iter()
            .map(|s| (s.at.timestamp() - 1_800_000_000, s.value))
            .collect();
        assert_eq!(told, [(0, 3.0)]);
    }

    #[test]
    fn a_missing_file_is_waited_for() {
        let err = JtlFollower::new(PathBuf::from("/nonexistent/run.jtl"), None)
            .read_chunk(CHUNK)
            .unwrap_err();
        assert_eq!(err.to_string(), "waiting for /nonexistent/run.jtl");
    }
}
