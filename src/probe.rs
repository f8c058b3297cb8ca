//! `warroom probe`: load on schedule against a URL when no load tool is set
//! up, with a live progress line, the same summary as an import at the end,
//! and a JTL file that imports the same way. With `--item` the run is
//! imported on the item and the exit code follows its pass criteria, so a
//! pipeline can run it.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use tokio::sync::mpsc;

use crate::import::{ImportError, ImportOptions, Imported};
use crate::loadtest::open_loop::{self, Answer, Counters, Load, Rate};
use crate::loadtest::{Call, Names, Summarizer, Summary};

#[derive(Debug, thiserror::Error)]
pub enum ProbeError {
    #[error("{url}: {why}; expected an http:// or https:// URL")]
    Url { url: String, why: String },
    #[error("cannot write {file}: {why}")]
    Write { file: String, why: String },
    #[error(transparent)]
    Import(#[from] ImportError),
    #[error("{0}")]
    Setup(String),
}

pub struct ProbeOptions {
    pub url: String,
    pub rate: Rate,
    pub duration: Duration,
    pub timeout: Duration,
    /// Requests in flight at most [default: what the rate needs at the
    /// timeout, within the open-file limit].
    pub connections: Option<usize>,
    /// The JTL file to write.
    pub out: PathBuf,
    /// Import the run on this item of this plan.
    pub item: Option<(PathBuf, String)>,
    pub journal: Option<PathBuf>,
    pub actor: String,
}

/// What a probe did.
pub struct Probed {
    pub url: String,
    pub summary: Summary,
    pub due: u64,
    pub late: u64,
    pub dropped: u64,
    pub connections: usize,
    pub out: PathBuf,
    /// The import on the item, when asked for.
    pub imported: Option<Imported>,
    /// Why the run was not imported on the item it was asked for.
    pub not_imported: Option<String>,
}

impl Probed {
    /// Whether the run passes its item's criteria (or was not on an item).
    /// A run that dropped requests never passes: it did not make the load
    /// it was asked for, so it proves nothing of the item.
    pub fn passes(&self) -> bool {
        self.dropped == 0 && self.imported.as_ref().is_none_or(Imported::passes)
    }

    /// What the run broke: of the item's criteria, or of the load itself.
    pub fn broken(&self) -> Option<Vec<String>> {
        let mut broken = self.imported.as_ref().and_then(|i| i.last().broken.clone());
        if self.dropped > 0 {
            broken
                .get_or_insert_with(Vec::new)
                .insert(0, self.dropped_words());
        }
        broken
    }

    fn dropped_words(&self) -> String {
        format!(
            "{} of {} requests dropped (every connection busy; raise -c): the rate was not held",
            self.dropped, self.due
        )
    }
}

/// The columns the probe writes: a subset JMeter writes too, under its names.
const HEADER: [&str; 10] = [
    "timeStamp",
    "elapsed",
    "label",
    "responseCode",
    "responseMessage",
    "threadName",
    "success",
    "failureMessage",
    "bytes",
    "URL",
];

/// Runs the load, calling `progress` about four times a second.
pub fn probe(
    options: ProbeOptions,
    mut progress: impl FnMut(&Counters, Duration, u64) + Send,
) -> Result<Probed, ProbeError> {
    let url = reqwest::Url::parse(&options.url).map_err(|e| ProbeError::Url {
        url: crate::outside::shown(&options.url),
        why: e.to_string(),
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(ProbeError::Url {
            url: shown_url(&url),
            why: format!("the scheme {} is not HTTP", url.scheme()),
        });
    }
    // A password in the URL is a secret: masked wherever it turns up.
    if let Some(password) = url.password() {
        crate::outside::keep_basic_auth(url.username(), password);
    }
    let connections = options
        .connections
        .unwrap_or_else(|| default_connections(options.rate, options.timeout));
    let load = Load {
        url: url.clone(),
        rate: options.rate,
        duration: options.duration,
        timeout: options.timeout,
        connections,
        requests: None,
    };
    let file = std::fs::File::create(&options.out).map_err(|e| ProbeError::Write {
        file: options.out.display().to_string(),
        why: e.to_string(),
    })?;
    let mut jtl = csv::Writer::from_writer(std::io::BufWriter::with_capacity(1 << 16, file));
    let write_error = |e: &dyn std::fmt::Display| ProbeError::Write {
        file: options.out.display().to_string(),
        why: e.to_string(),
    };
    jtl.write_record(HEADER).map_err(|e| write_error(&e))?;

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Setup(format!("cannot start: {e}")))?;
    let counters = Arc::new(Counters::default());
    let (tx, mut rx) = mpsc::unbounded_channel::<Answer>();
    let label = format!("GET {}", url.path());
    let shown = shown_url(&url);
    let mut labels = Names::default();
    let mut codes = Names::default();
    let label_id = labels.id(label.as_bytes());
    let mut summarizer = Summarizer::new(Some(options.timeout));
    let started = Instant::now();
    let failed = std::sync::atomic::AtomicU64::new(0);

    let written: Result<(), ProbeError> = runtime.block_on(async {
        let transport = open_loop::Transport::for_url(&url, connections)
            .await
            .map_err(ProbeError::Setup)?;
        let run = tokio::spawn(open_loop::run(load, transport, counters.clone(), tx));
        let mut tick = tokio::time::interval(Duration::from_millis(250));
        loop {
            tokio::select! {
                answer = rx.recv() => {
                    let Some(answer) = answer else { break };
                    let code = answer.code();
                    let call = Call {
                        start_ms: answer.due_ms,
                        elapsed_ms: u32::try_from(answer.elapsed.as_millis()).unwrap_or(u32::MAX),
                        ok: answer.ok(),
                        label: label_id,
                        code: codes.id(code.as_bytes()),
                    };
                    if !call.ok {
                        failed.fetch_add(1, Ordering::Relaxed);
                    }
                    summarizer.add(&call);
                    let elapsed = call.elapsed_ms.to_string();
                    let (message, failure) = match &answer.outcome {
                        Ok(_) if call.ok => ("OK", ""),
                        Ok(_) => ("", "not a 2xx or 3xx answer"),
                        Err(f) => ("", f.words()),
                    };
                    jtl.write_record([
                        call.start_ms.to_string().as_str(),
                        &elapsed,
                        &label,
                        &code,
                        message,
                        "probe",
                        if call.ok { "true" } else { "false" },
                        failure,
                        &answer.bytes.to_string(),
                        &shown,
                    ])
                    .map_err(|e| write_error(&e))?;
                }
                _ = tick.tick() => {
                    // Flushed as it goes: a room can follow the file live.
                    jtl.flush().map_err(|e| write_error(&e))?;
                    progress(&counters, started.elapsed(), failed.load(Ordering::Relaxed));
                }
            }
        }
        let _ = run.await;
        progress(&counters, started.elapsed(), failed.load(Ordering::Relaxed));
        Ok(())
    });
    written?;
    jtl.flush().map_err(|e| write_error(&e))?;
    drop(jtl);
    let summary = summarizer.finish(Some((&labels, &codes)));
    let dropped = counters.dropped.load(Ordering::Relaxed);
    let (imported, not_imported) = match options.item {
        // Evidence of a load that was not made would tell the gate the
        // item held it.
        Some((_, item)) if dropped > 0 => (
            None,
            Some(format!(
                "not imported on {item}: {dropped} requests were dropped, so the run did not hold its rate"
            )),
        ),
        Some((plan, item)) => (
            Some(crate::import::import(
                &plan,
                ImportOptions {
                    item,
                    file: options.out.clone(),
                    journal: options.journal,
                    actor: options.actor,
                    timeout: Some(options.timeout),
                },
            )?),
            None,
        ),
        None => (None, None),
    };
    Ok(Probed {
        url: shown,
        summary,
        due: counters.due.load(Ordering::Relaxed),
        late: counters.late.load(Ordering::Relaxed),
        dropped,
        connections,
        out: options.out,
        imported,
        not_imported,
    })
}

/// Enough slots for the rate at the timeout, within what the process may
/// open (each slot is a socket).
fn default_connections(rate: Rate, timeout: Duration) -> usize {
    let wanted = match rate {
        Rate::PerSecond(r) => (r * timeout.as_secs_f64() * 1.2).ceil() as usize,
        Rate::Max => 50,
    };
    wanted.clamp(1, open_file_room())
}

/// Sockets this process may still open: its open-file limit raised to the
/// most it is allowed, less some for everything else.
fn open_file_room() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit only read and write the struct given.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 900;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                rlim_max: limit.rlim_max,
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    usize::try_from(limit.rlim_cur)
        .unwrap_or(usize::MAX)
        .saturating_sub(100)
        .clamp(1, 20_000)
}

/// The URL without its user and password, to show and to write.
pub fn shown_url(url: &reqwest::Url) -> String {
    let mut bare = url.clone();
    let _ = bare.set_username("");
    let _ = bare.set_password(None);
    crate::outside::shown(bare.as_str())
}

/// The progress line: how far, how fast, what is late or dropped.
pub fn progress_line(
    counters: &Counters,
    elapsed: Duration,
    failed: u64,
    duration: Duration,
    width: usize,
) -> String {
    let due = counters.due.load(Ordering::Relaxed);
    let done = (elapsed.as_secs_f64() / duration.as_secs_f64().max(1e-9)).min(1.0);
    let bar = (done * width as f64).round() as usize;
    let rate = due as f64 / elapsed.as_secs_f64().max(1e-9);
    format!(
        "[{}{}] {:>3.0}%  {} of {}  sent {} ({:.0}/s)  in flight {}  late {}  dropped {}  failed {}",
        "█".repeat(bar),
        "░".repeat(width.saturating_sub(bar)),
        done * 100.0,
        humantime::format_duration(Duration::from_secs(elapsed.as_secs())),
        humantime::format_duration(duration),
        counters.sent.load(Ordering::Relaxed),
        rate,
        counters.in_flight(),
        counters.late.load(Ordering::Relaxed),
        counters.dropped.load(Ordering::Relaxed),
        failed,
    )
}

/// The run as people read it.
pub fn text(probed: &Probed) -> String {
    let mut out = format!(
        "probe {}: {} requests due, {} late (over {} ms), {} dropped ({} connections)\n",
        probed.url,
        probed.due,
        probed.late,
        open_loop::LATE.as_millis(),
        probed.dropped,
        probed.connections
    );
    out.push_str(&crate::loadtest::summary::text(&probed.summary));
    out.push_str(&format!("  written to {}\n", probed.out.display()));
    if let Some(imported) = &probed.imported {
        out.push_str(&crate::import::text(imported));
    }
    if let Some(why) = &probed.not_imported {
        out.push_str(&format!("{why}\n"));
    }
    if probed.dropped > 0 {
        out.push_str(&format!("  FAILS: {}\n", probed.dropped_words()));
    }
    crate::outside::shown(&out)
}

/// The run for a pipeline: the summary's fields, and the import's.
pub fn json(probed: &Probed) -> String {
    let mut value = serde_json::json!({
        "version": 1,
        "url": probed.url,
        "due": probed.due,
        "late": probed.late,
        "dropped": probed.dropped,
        "connections": probed.connections,
        "file": probed.out.display().to_string(),
        "passed": probed.broken().map(|b| b.is_empty()),
        "broken": probed.broken().unwrap_or_default(),
    });
    if let (Some(map), Ok(serde_json::Value::Object(summary))) =
        (value.as_object_mut(), serde_json::to_value(&probed.summary))
    {
        map.extend(summary);
    }
    crate::outside::shown_json(&mut value);
    serde_json::to_string_pretty(&value).unwrap_or_default()
}

/// Where a probe writes its file when not told: the current folder, named
/// by the time it started.
pub fn default_out(now: chrono::DateTime<chrono::Local>) -> PathBuf {
    Path::new(&format!("probe-{}.jtl", now.format("%Y%m%d-%H%M%S"))).to_path_buf()
}

/// Writes the progress line over itself on a terminal; elsewhere a line
/// every ten seconds.
pub struct ProgressOut {
    terminal: bool,
    last: Option<Instant>,
}

impl ProgressOut {
    pub fn new() -> ProgressOut {
        ProgressOut {
            terminal: std::io::IsTerminal::is_terminal(&std::io::stderr()),
            last: None,
        }
    }

    pub fn show(&mut self, line: &str) {
        let mut err = std::io::stderr();
        if self.terminal {
            let _ = write!(err, "\r\x1b[2K{line}");
        } else if self
            .last
            .is_none_or(|l| l.elapsed() >= Duration::from_secs(10))
        {
            let _ = writeln!(err, "{line}");
            self.last = Some(Instant::now());
        }
        let _ = err.flush();
    }

    pub fn end(&self) {
        if self.terminal {
            let _ = writeln!(std::io::stderr());
        }
    }
}

impl Default for ProgressOut {
    fn default() -> ProgressOut {
        ProgressOut::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_progress_line_says_how_far_how_fast_and_what_fell_behind() {
        let counters = Counters::default();
        counters.due.store(1500, Ordering::Relaxed);
        counters.sent.store(1480, Ordering::Relaxed);
        counters.answered.store(1400, Ordering::Relaxed);
        counters.late.store(12, Ordering::Relaxed);
        counters.dropped.store(20, Ordering::Relaxed);
        let line = progress_line(
            &counters,
            Duration::from_millis(1500),
            3,
            Duration::from_secs(5),
            10,
        );
        assert_eq!(
            line,
            "[███░░░░░░░]  30%  1s of 5s  sent 1480 (1000/s)  in flight 80  late 12  dropped 20  failed 3"
        );
    }
}
