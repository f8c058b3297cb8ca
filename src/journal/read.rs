//! Reading the journal: all of it at start, then what other seats append.
//!
//! Lines are complete when they end in a newline. A last line without one was
//! cut off mid-write: at start it is reported and skipped; while running it may
//! be another seat's write in progress, so it is left for the next read.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use super::entry::{Entry, FORMAT_VERSION};
use super::error::JournalError;

/// A readable journal line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// From 1, counting every line of the file.
    pub number: u64,
    pub entry: Entry,
    /// Who the database says wrote it, where the journal is on one: the
    /// name in the entry is typed (`--as`), this one logged in.
    pub role: Option<String>,
}

/// A cut-off last line, skipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TornTail {
    pub line: u64,
    pub bytes: usize,
}

/// A complete line that was not applied, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// From 1, counting every line of the file.
    pub line: u64,
    pub why: SkipReason,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipReason {
    /// Cut off mid-write by a crash and sealed by a later append: harmless,
    /// every line before and after it counts.
    Torn,
    /// Not an entry: the next start will stop on it.
    NotAnEntry(String),
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SkipReason::Torn => f.write_str(TORN_MESSAGE),
            SkipReason::NotAnEntry(why) => f.write_str(why),
        }
    }
}

/// Where reading stopped: the byte after the last complete line, and its number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    pub offset: u64,
    pub lines: u64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Batch {
    pub lines: Vec<Line>,
    /// Complete lines that were not applied (a torn write sealed by the next
    /// append, a line that is not an entry), with the reason.
    pub skipped: Vec<Skipped>,
    pub torn_tail: Option<TornTail>,
    pub position: Position,
}

/// The largest journal read: some millions of marks, far past any night.
pub const MAX_JOURNAL: u64 = 2_000_000_000;

/// Reads every line of the journal at start. A missing journal is an empty one.
pub fn read_all(path: &Path) -> Result<Batch, JournalError> {
    let mut file = match crate::input::open_to_read(path, MAX_JOURNAL) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Batch::default()),
        Err(source) => return Err(read_error(path, source)),
    };
    // Wait out a seat that is writing, so a line in progress is not taken for torn.
    crate::input::lock(&file, false, path).map_err(|e| read_error(path, e))?;
    let size = file.metadata().map_or(0, |m| m.len());
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    let read = crate::input::read_capped(&mut file, MAX_JOURNAL, &mut bytes);
    let _ = file.unlock();
    read.map_err(|e| read_error(path, e))?;
    let mut batch = parse(path, &bytes, Position::default(), true)?;
    // Bytes after the last newline: a line cut off mid-write.
    let rest = bytes.len() - usize::try_from(batch.position.offset).unwrap_or(bytes.len());
    if rest > 0 {
        batch.torn_tail = Some(TornTail {
            line: batch.position.lines + 1,
            bytes: rest,
        });
    }
    Ok(batch)
}

/// Follows the journal from a position: new complete lines since then.
pub struct Follower {
    path: PathBuf,
    position: Position,
    /// Device and inode of the file first read, to notice it being replaced.
    identity: Option<(u64, u64)>,
    /// The last bytes read, to notice the file rewritten in place (`cp
    /// other.jsonl tonight.journal.jsonl`): same inode, but not what this
    /// seat read.
    tail: Option<Vec<u8>>,
}

/// How many of the last bytes read are compared at each read.
const TAIL: u64 = 64;

impl Follower {
    pub fn new(path: PathBuf, position: Position) -> Follower {
        Follower {
            path,
            position,
            identity: None,
            tail: None,
        }
    }

    pub fn position(&self) -> Position {
        self.position
    }

    /// New complete lines, if the file grew. Lines that do not parse are
    /// skipped with their reason rather than stopping a running war room; the
    /// next start judges them. Reads under a shared lock, so a line a writer
    /// has not yet fsynced (it holds the exclusive lock until then) is never
    /// seen, by this seat or any other.
    pub fn read_new(&mut self) -> Result<Batch, JournalError> {
        let mut file = match crate::input::open_to_read(&self.path, MAX_JOURNAL) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && self.position.offset == 0 => {
                return Ok(self.nothing_new());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(self.replaced()),
            Err(e) => return Err(read_error(&self.path, e)),
        };
        crate::input::lock(&file, false, &self.path).map_err(|e| read_error(&self.path, e))?;
        let result = self.read_locked(&mut file);
        let _ = file.unlock();
        result
    }

    fn read_locked(&mut self, file: &mut File) -> Result<Batch, JournalError> {
        let meta = file.metadata().map_err(|e| read_error(&self.path, e))?;
        let identity = (meta.dev(), meta.ino());
        if *self.identity.get_or_insert(identity) != identity || meta.len() < self.position.offset {
            return Err(self.replaced());
        }
        let tail = self.tail_bytes(file)?;
        if *self.tail.get_or_insert_with(|| tail.clone()) != tail {
            return Err(self.replaced());
        }
        if meta.len() == self.position.offset {
            return Ok(self.nothing_new());
        }
        file.seek(SeekFrom::Start(self.position.offset))
            .map_err(|e| read_error(&self.path, e))?;
        let mut bytes = Vec::new();
        file.take(meta.len() - self.position.offset)
            .read_to_end(&mut bytes)
            .map_err(|e| read_error(&self.path, e))?;
        let batch = parse(&self.path, &bytes, self.position, false)?;
        // The new tail from what was just read, set with the position: a
        // failed read moves neither.
        let consumed = usize::try_from(batch.position.offset - self.position.offset)
            .unwrap_or(bytes.len())
            .min(bytes.len());
        let mut tail = self.tail.take().unwrap_or_default();
        tail.extend_from_slice(&bytes[..consumed]);
        let keep = tail.len().saturating_sub(TAIL as usize);
        tail.drain(..keep);
        self.tail = Some(tail);
        self.position = batch.position;
        Ok(batch)
    }

    /// The bytes just before the read position.
    fn tail_bytes(&self, file: &mut File) -> Result<Vec<u8>, JournalError> {
        let from = self.position.offset.saturating_sub(TAIL);
        let mut tail = Vec::new();
        file.seek(SeekFrom::Start(from))
            .and_then(|_| {
                file.take(self.position.offset - from)
                    .read_to_end(&mut tail)
            })
            .map_err(|e| read_error(&self.path, e))?;
        Ok(tail)
    }

    fn nothing_new(&self) -> Batch {
        Batch {
            position: self.position,
            ..Batch::default()
        }
    }

    fn replaced(&self) -> JournalError {
        JournalError::Replaced {
            path: self.path.clone(),
        }
    }
}

/// The byte a writer puts at the end of a cut-off line before closing it with
/// a newline: no JSON text can hold it, so every reader, whenever it reads,
/// knows the line was torn and skips it.
pub(crate) const TORN: u8 = 0;

/// Parses the complete lines of `bytes`, which start at `start`. At start
/// (`strict`), a line that is neither an entry nor a closed torn line is fatal.
fn parse(path: &Path, bytes: &[u8], start: Position, strict: bool) -> Result<Batch, JournalError> {
    let mut batch = Batch {
        position: start,
        ..Batch::default()
    };
    let mut offset = start.offset;
    let mut number = start.lines;
    for chunk in bytes.split_inclusive(|b| *b == b'\n') {
        let Some(line) = chunk.strip_suffix(b"\n") else {
            break;
        };
        offset += chunk.len() as u64;
        number += 1;
        if line.last() == Some(&TORN) {
            batch.skipped.push(Skipped {
                line: number,
                why: SkipReason::Torn,
            });
            continue;
        }
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match parse_line(line) {
            // A record that a torn line was closed: nothing to apply.
            Ok(entry) if entry.action.is_none() => {}
            Ok(entry) => batch.lines.push(Line {
                number,
                entry,
                role: None,
            }),
            Err(message) if strict => {
                return Err(JournalError::Corrupt {
                    path: path.to_path_buf(),
                    line: number,
                    message,
                });
            }
            Err(message) => batch.skipped.push(Skipped {
                line: number,
                why: SkipReason::NotAnEntry(message),
            }),
        }
    }
    batch.position = Position {
        offset,
        lines: number,
    };
    Ok(batch)
}

const TORN_MESSAGE: &str = "cut off mid-write (a crash) and closed by a later append";

pub(super) fn parse_line(line: &[u8]) -> Result<Entry, String> {
    let entry: Entry = serde_json::from_slice(line).map_err(|e| {
        // serde quotes the line's own text (an unknown field's name).
        crate::outside::shown(&format!(
            "not a journal entry ({e}); expected one JSON object with v, at, actor and action"
        ))
    })?;
    if entry.v != FORMAT_VERSION {
        return Err(format!(
            "journal format version {}; this warroom reads version {FORMAT_VERSION}",
            entry.v
        ));
    }
    if entry.action.is_none() && entry.torn_line.is_none() {
        return Err("entry without an action".into());
    }
    Ok(entry)
}

fn read_error(path: &Path, source: std::io::Error) -> JournalError {
    JournalError::Read {
        path: path.to_path_buf(),
        source,
    }
}
