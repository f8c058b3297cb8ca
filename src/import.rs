//! `warroom import`: a load-test result on the item it proves. The file is
//! read once, streaming, through the same reader and summarizer as the live
//! follower, fingerprinted, and journaled on the item; the same summary is
//! printed for people or, with `--format json`, for a pipeline.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::domain::Action;
use crate::domain::evidence::{Evidence, EvidenceRecord, FileRun};
use crate::domain::zone::Zone;
use crate::journal::{self, Entry};
use crate::loadtest::{Format, ResultCalls, ResultError, Summarizer, Summary, k6_summary};
use crate::night::Night;
use crate::plan::{Plan, PlanError};

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Journal(#[from] journal::JournalError),
    #[error("no item \"{item}\" in plan {plan}; expected one of: {known}")]
    NoItem {
        item: String,
        plan: String,
        known: String,
    },
    #[error("cannot read {file}: {why}")]
    Read { file: String, why: String },
    #[error("{file}: no samples; expected a JMeter or k6 result with at least one")]
    Empty { file: String },
    #[error("{file}: {error}{}; nothing imported", more_like_it(*more))]
    Malformed {
        file: String,
        error: ResultError,
        /// Further records that did not read either.
        more: u64,
    },
}

fn more_like_it(more: u64) -> String {
    match more {
        0 => String::new(),
        1 => " (and 1 more line like it)".to_string(),
        n => format!(" (and {n} more lines like it)"),
    }
}

pub struct ImportOptions {
    pub item: String,
    pub file: PathBuf,
    pub journal: Option<PathBuf>,
    pub actor: String,
    /// Samples at or over this count as timeouts.
    pub timeout: Option<std::time::Duration>,
}

/// What an import did.
pub struct Imported {
    /// The file's runs in order: one, unless runs were appended to it.
    pub runs: Vec<ImportedRun>,
    pub journal: PathBuf,
    pub format: Format,
    /// What was left out of a file cut off mid-write.
    pub note: Option<String>,
    /// The plan's zone, for when each run started.
    pub zone: Zone,
}

/// One run of the file, and what its import did.
pub struct ImportedRun {
    pub evidence: Evidence,
    /// The earlier import of the same run on the item, when there was one:
    /// nothing was added then.
    pub already: Option<EvidenceRecord>,
    /// What the run broke of the item's pass criteria; `None` when the
    /// plan gives the item none.
    pub broken: Option<Vec<String>>,
}

impl ImportedRun {
    /// Whether the run passes its item's criteria (or the item has none).
    pub fn passes(&self) -> bool {
        self.broken.as_ref().is_none_or(Vec::is_empty)
    }
}

impl Imported {
    /// The file's last run: the one the gate reads.
    pub fn last(&self) -> &ImportedRun {
        self.runs
            .last()
            .expect("an import holds a run: an empty file is refused")
    }

    /// Whether the last run passes its item's criteria (or the item has
    /// none): the gate reads the latest run.
    pub fn passes(&self) -> bool {
        self.last().passes()
    }
}

/// Bytes read at a time: memory stays flat whatever the file's size.
const CHUNK: usize = 4 * 1024 * 1024;

pub fn import(plan_path: &Path, options: ImportOptions) -> Result<Imported, ImportError> {
    let plan = Plan::load(plan_path)?;
    if !plan.items.iter().any(|i| i.id == options.item) {
        let known: Vec<&str> = plan.items.iter().map(|i| i.id.as_str()).collect();
        return Err(ImportError::NoItem {
            item: options.item,
            plan: plan_path.display().to_string(),
            known: known.join(", "),
        });
    }
    let criteria = plan.criteria.get(&options.item).copied();
    let timeout = options.timeout.or(criteria.and_then(|c| c.timeout));
    let read = read_evidence(&options.item, &options.file, timeout)?;
    let place = journal::Place::of(&plan, plan_path, options.journal);
    let store = place.open()?;
    let journal_path = match &place {
        journal::Place::File(path) => path.clone(),
        journal::Place::Postgres { .. } => PathBuf::from(store.name()),
    };
    let zone = plan.release.schedule.zone;
    let mut night = Night::new(plan, chrono::Utc::now());
    night.apply(&store.replay()?);
    let mut runs = Vec::new();
    for evidence in read.runs {
        let already = night.ledger.imported(&evidence).cloned();
        if already.is_none() {
            let entry = Entry::action(
                chrono::Local::now().fixed_offset(),
                &options.actor,
                Action::Evidence(Box::new(evidence.clone())),
            );
            store.append(&entry)?;
        }
        let broken = criteria
            .filter(|c| !c.is_empty())
            .map(|c| c.broken(&evidence.summary));
        runs.push(ImportedRun {
            evidence,
            already,
            broken,
        });
    }
    Ok(Imported {
        runs,
        journal: journal_path,
        format: read.format,
        note: read.note,
        zone,
    })
}

/// A result file read as evidence on an item, journaled by nobody yet.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadEvidence {
    /// A run each, in the file's order; one at least.
    pub runs: Vec<Evidence>,
    pub format: Format,
    /// What was left out of a file cut off mid-write.
    pub note: Option<String>,
}

/// Reads a result file whole as evidence on `item`: for `warroom import`
/// and for `i` in the room alike.
pub fn read_evidence(
    item: &str,
    file: &Path,
    timeout: Option<std::time::Duration>,
) -> Result<ReadEvidence, ImportError> {
    let read = summarize(file, timeout)?;
    if read.runs.iter().all(|s| s.samples == 0) {
        return Err(ImportError::Empty {
            file: file.display().to_string(),
        });
    }
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    let of = u32::try_from(read.runs.len()).unwrap_or(u32::MAX);
    let runs = read
        .runs
        .into_iter()
        .zip(1..)
        .map(|(summary, n)| Evidence {
            item: item.to_string(),
            file: name.clone(),
            bytes: read.bytes,
            sha256: read.sha256.clone(),
            run: (of > 1).then_some(FileRun { n, of }),
            summary,
        })
        .collect();
    Ok(ReadEvidence {
        runs,
        format: read.format,
        note: read.note,
    })
}

/// What reading a result file found.
#[derive(Debug)]
pub struct ReadResult {
    /// A summary for each run in the file, in its order; one at least.
    pub runs: Vec<Summary>,
    pub bytes: u64,
    pub sha256: String,
    pub format: Format,
    /// What was left out of a file cut off mid-write, in words.
    pub note: Option<String>,
}

/// Reads the whole file once: its summary, size and SHA-256. A line that
/// does not read refuses the file: evidence is all of a run or none of it.
pub fn summarize(
    path: &Path,
    timeout: Option<std::time::Duration>,
) -> Result<ReadResult, ImportError> {
    let file_name = path.display().to_string();
    let read_error = |why: String| ImportError::Read {
        file: file_name.clone(),
        why,
    };
    let malformed = |error: ResultError, more: u64| ImportError::Malformed {
        file: file_name.clone(),
        error,
        more,
    };
    let mut file =
        crate::input::open_to_read(path, u64::MAX).map_err(|e| read_error(e.to_string()))?;
    let mut calls = ResultCalls::with_names();
    let mut summarizer = Summarizer::of_runs(timeout);
    // The fingerprint on the second core, beside the reading: hashing costs
    // about what parsing does.
    let (chunks, to_hash) = std::sync::mpsc::sync_channel::<Vec<u8>>(2);
    let hasher = std::thread::spawn(move || {
        let mut hash = Sha256::new();
        for chunk in to_hash {
            hash.update(&chunk);
        }
        hash.finalize()
    });
    let mut bytes = 0u64;
    let mut buffer = vec![0u8; CHUNK];
    // The record cut by the chunk's end, carried to the next one.
    let mut carry: Vec<u8> = Vec::new();
    // A k6 summary export is one document, not a stream of calls.
    let mut export: Option<Vec<u8>> = None;
    loop {
        let n = file
            .read(&mut buffer)
            .map_err(|e| read_error(e.to_string()))?;
        if n == 0 {
            break;
        }
        // A hasher that stopped (it cannot) would leave the fingerprint
        // short; the join below says so.
        let _ = chunks.send(buffer[..n].to_vec());
        bytes += n as u64;
        if let Some(whole) = export.as_mut() {
            whole.extend_from_slice(&buffer[..n]);
            continue;
        }
        carry.extend_from_slice(&buffer[..n]);
        if bytes == n as u64 && k6_summary::is_summary_export(&carry) {
            export = Some(std::mem::take(&mut carry));
            continue;
        }
        let read = calls
            .feed(&carry, |call| summarizer.add(&call))
            .map_err(|e| malformed(e, 0))?;
        if read == 0 && carry.len() > CHUNK * 4 {
            return Err(read_error(format!(
                "a record longer than {} MB; expected a {} file",
                CHUNK * 4 / 1024 / 1024,
                calls.format().map_or("result", Format::name)
            )));
        }
        carry.drain(..read);
    }
    drop(chunks);
    let digest = hasher
        .join()
        .map_err(|_| read_error("the fingerprint could not be taken".to_string()))?;
    let sha256 = digest.iter().map(|b| format!("{b:02x}")).collect();
    if let Some(document) = export {
        let summary = k6_summary::read(&document).map_err(|e| malformed(e, 0))?;
        return Ok(ReadResult {
            runs: vec![summary],
            bytes,
            sha256,
            format: Format::K6Summary,
            note: None,
        });
    }
    let note = calls
        .end(&carry, |call| summarizer.add(&call))
        .map_err(|e| malformed(e, 0))?;
    if let Some(first) = calls.first_skip() {
        return Err(malformed(first.clone(), calls.skipped() - 1));
    }
    let format = calls.format().ok_or_else(|| ImportError::Empty {
        file: file_name.clone(),
    })?;
    Ok(ReadResult {
        runs: summarizer.finish_runs(calls.names()),
        bytes,
        sha256,
        format,
        note,
    })
}

/// The summary as people read it: each run of the file, its verdict, and
/// whether this import added it.
pub fn text(imported: &Imported) -> String {
    let first = &imported.last().evidence;
    let mut out = String::new();
    if imported.runs.len() > 1 {
        out.push_str(&format!(
            "{} ({}) holds {} runs, apart where no call ran for a minute; the last is the one the gate reads\n",
            first.file,
            imported.format.name(),
            imported.runs.len()
        ));
    }
    for run in &imported.runs {
        let e = &run.evidence;
        match (&run.already, imported.runs.len()) {
            (Some(r), _) => out.push_str(&format!(
                "{} was imported on {} already (journal line {}, by {}): nothing added\n",
                e.source(),
                e.item,
                r.line,
                r.stamp.actor
            )),
            (None, 1) => out.push_str(&format!(
                "{} ({}) imported on {}\n",
                e.file,
                imported.format.name(),
                e.item
            )),
            (None, _) => out.push_str(&format!("{} imported on {}\n", e.source(), e.item)),
        }
        if let Some(t) = e.summary.started {
            out.push_str(&format!(
                "  started {}\n",
                imported.zone.at(t).format("%Y-%m-%d %H:%M:%S %:z")
            ));
        }
        if let Some(note) = imported
            .note
            .as_ref()
            .filter(|_| e.run.is_none_or(|r| r.n == r.of))
        {
            out.push_str(&format!("  {note}\n"));
        }
        out.push_str(&crate::loadtest::summary::text(&e.summary));
        match &run.broken {
            Some(broken) if broken.is_empty() => {
                out.push_str(&format!("  passes {}'s criteria\n", e.item));
            }
            Some(broken) => out.push_str(&format!(
                "  FAILS {}'s criteria: {}\n",
                e.item,
                broken.join(", ")
            )),
            None => {}
        }
    }
    out.push_str(&format!(
        "  sha256 {}  {} bytes\n",
        first.sha256, first.bytes
    ));
    crate::outside::shown(&out)
}

/// The summary for a pipeline; fields documented in the README. Its
/// top-level figures are the last run's, the one the gate reads; a file of
/// several runs lists the ones before it in `earlier_runs`.
pub fn json(imported: &Imported) -> String {
    #[derive(Serialize)]
    struct Run<'a> {
        /// Whether this import added the run, or found it already there.
        added: bool,
        /// Whether the run passes the item's criteria (`null`: none given),
        /// and what it broke.
        passed: Option<bool>,
        broken: &'a [String],
        #[serde(flatten)]
        summary: &'a Summary,
    }
    #[derive(Serialize)]
    struct Report<'a> {
        version: u32,
        item: &'a str,
        file: &'a str,
        bytes: u64,
        sha256: &'a str,
        format: &'a str,
        /// What was left out of a file cut off mid-write.
        note: Option<&'a str>,
        /// Runs in the file, this one the last.
        runs: usize,
        #[serde(flatten)]
        last: Run<'a>,
        earlier_runs: Vec<Run<'a>>,
    }
    fn of(run: &ImportedRun) -> Run<'_> {
        Run {
            added: run.already.is_none(),
            passed: run.broken.as_ref().map(Vec::is_empty),
            broken: run.broken.as_deref().unwrap_or(&[]),
            summary: &run.evidence.summary,
        }
    }
    let last = imported.last();
    let e = &last.evidence;
    let report = Report {
        version: 1,
        item: &e.item,
        file: &e.file,
        bytes: e.bytes,
        sha256: &e.sha256,
        format: imported.format.name(),
        note: imported.note.as_deref(),
        runs: imported.runs.len(),
        last: of(last),
        earlier_runs: imported.runs[..imported.runs.len() - 1]
            .iter()
            .map(of)
            .collect(),
    };
    // Only strings, numbers and maps of them: serde_json cannot refuse it.
    let mut value = serde_json::to_value(&report).expect("an import report always serializes");
    crate::outside::shown_json(&mut value);
    serde_json::to_string_pretty(&value).expect("an import report always serializes")
}
