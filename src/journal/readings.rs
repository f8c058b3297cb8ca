//! What the seats read of sources that keep no history (an HTTP JSON value,
//! the probe): appended beside the journal, so that `check` judges those
//! metrics from the same samples the room saw rather than from nothing.
//! Machine readings, not a person's action: appended under the lock, not
//! fsynced one by one.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::metrics::Sample;

/// `tonight.journal.jsonl` → `tonight.readings.jsonl`.
pub fn path_for_journal(journal: &Path) -> PathBuf {
    let name = journal
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name
        .strip_suffix(".journal.jsonl")
        .or_else(|| name.strip_suffix(".jsonl"))
        .unwrap_or(&name);
    journal.with_file_name(format!("{stem}.readings.jsonl"))
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Line {
    metric: String,
    at: DateTime<Utc>,
    value: f64,
}

/// Appends one metric's samples.
pub fn append(path: &Path, metric: &str, samples: &[Sample]) -> std::io::Result<()> {
    let mut text = String::new();
    for s in samples.iter().filter(|s| s.value.is_finite()) {
        let line = Line {
            metric: metric.to_string(),
            at: s.at,
            value: s.value,
        };
        // Only strings, a time and a finite number: serde_json cannot refuse it.
        if let Ok(json) = serde_json::to_string(&line) {
            text.push_str(&json);
            text.push('\n');
        }
    }
    if text.is_empty() {
        return Ok(());
    }
    let file = crate::input::open_to_append(path)?;
    crate::input::lock(&file, true, path)?;
    let result = (&file).write_all(text.as_bytes());
    let _ = file.unlock();
    result
}

/// Every metric's samples recorded within `[from, to]`, oldest first, read
/// in one pass. A line that does not read (cut off by a crash) is passed
/// over. No file is no samples.
pub fn read(
    path: &Path,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> std::io::Result<HashMap<String, Vec<Sample>>> {
    let file = match crate::input::open_to_read(path, super::read::MAX_JOURNAL) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(HashMap::new()),
        Err(e) => return Err(e),
    };
    crate::input::lock(&file, false, path)?;
    let mut out: HashMap<String, Vec<Sample>> = HashMap::new();
    let mut reader = BufReader::new(&file);
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        if reader.read_until(b'\n', &mut bytes)? == 0 {
            break;
        }
        // Bytes, not text: a line cut mid-character by a crash is passed
        // over like any other line that does not read.
        let Ok(line) = serde_json::from_slice::<Line>(&bytes) else {
            continue;
        };
        if line.at >= from && line.at <= to {
            out.entry(line.metric).or_default().push(Sample {
                at: line.at,
                value: line.value,
            });
        }
    }
    for samples in out.values_mut() {
        samples.sort_by_key(|s| s.at);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn beside_the_journal() {
        assert_eq!(
            path_for_journal(Path::new("/r/tonight.journal.jsonl")),
            PathBuf::from("/r/tonight.readings.jsonl")
        );
        assert_eq!(
            path_for_journal(Path::new("marks.jsonl")),
            PathBuf::from("marks.readings.jsonl")
        );
    }

    #[test]
    fn what_one_seat_recorded_another_reads_back_by_metric_and_window() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("n.readings.jsonl");
        let t = |s: i64| Utc.timestamp_opt(1_800_000_000 + s, 0).unwrap();
        let sample = |s, value| Sample { at: t(s), value };
        append(&path, "p95", &[sample(0, 1.0), sample(5, 2.0)]).unwrap();
        append(&path, "tps", &[sample(5, 9.0)]).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .unwrap()
            .write_all(b"{\"metric\":\"p9\xea\xb0")
            .unwrap();
        append(&path, "p95", &[sample(10, 3.0), sample(2, f64::NAN)]).unwrap();
        let seen = read(&path, t(1), t(10)).unwrap();
        assert_eq!(
            seen["p95"],
            [sample(5, 2.0)],
            "the line cut mid-character swallowed the next; the rest reads"
        );
        assert_eq!(read(&path, t(0), t(10)).unwrap()["tps"], [sample(5, 9.0)]);
        assert!(
            read(&dir.path().join("none"), t(0), t(9))
                .unwrap()
                .is_empty()
        );
    }
}
