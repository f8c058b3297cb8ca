//! One reader for every result format warroom takes, fed in chunks by
//! `warroom import` and by the live follower alike, so both see the same
//! calls. The format is told by the file's first bytes.

use super::error::ResultError;
use super::names::Names;
use super::{Call, CsvCalls, K6Calls, XmlCalls};

/// What every format's reader does.
pub trait ReadCalls {
    /// Reads the whole records at the start of `bytes`, handing each call to
    /// `call`, and returns how many bytes it read: what is left is a record
    /// still being written, to be fed again with what follows it.
    ///
    /// A record that does not read is counted and skipped (`skipped`,
    /// `first_skip`): one odd line must not stop a live chart, and an import
    /// refuses the file for it afterwards. An error is a file that is not
    /// this format at all.
    fn feed(&mut self, bytes: &[u8], call: &mut dyn FnMut(Call)) -> Result<usize, ResultError>;

    /// The file has ended with `rest` unread (what `feed` left). Reads what
    /// of it is whole, and says in words what was dropped, as a run killed
    /// mid-write leaves it.
    fn end(
        &mut self,
        rest: &[u8],
        call: &mut dyn FnMut(Call),
    ) -> Result<Option<String>, ResultError>;

    /// Records that did not read as a call.
    fn skipped(&self) -> u64;

    /// Where the first of them was, and why.
    fn first_skip(&self) -> Option<&ResultError>;

    /// The labels and response codes met, when asked for.
    fn names(&self) -> Option<(&Names, &Names)>;
}

/// The formats warroom reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JMeter's CSV, with a header or in its default order.
    JmeterCsv,
    /// JMeter's XML (`<testResults>`).
    JmeterXml,
    /// k6's `--out json`: one JSON object a line.
    K6Json,
    /// k6's `--summary-export`: figures, no single calls (import only).
    K6Summary,
}

impl Format {
    /// The format a file starting with `bytes` is in; `None` while it holds
    /// nothing but blank space.
    pub fn sniff(bytes: &[u8]) -> Option<Format> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        match bytes.iter().find(|b| !b.is_ascii_whitespace())? {
            b'<' => Some(Format::JmeterXml),
            b'{' => Some(Format::K6Json),
            _ => Some(Format::JmeterCsv),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Format::JmeterCsv => "JMeter CSV",
            Format::JmeterXml => "JMeter XML",
            Format::K6Json => "k6 JSON",
            Format::K6Summary => "k6 summary export",
        }
    }
}

/// A result file's calls, whatever its format.
pub struct ResultCalls {
    with_names: bool,
    reader: Option<(Format, Box<dyn ReadCalls + Send>)>,
}

impl ResultCalls {
    /// A reader of the calls alone, for a chart.
    pub fn new() -> ResultCalls {
        ResultCalls {
            with_names: false,
            reader: None,
        }
    }

    /// A reader that also reads each call's label and response code, for a
    /// summary by label and by code.
    pub fn with_names() -> ResultCalls {
        ResultCalls {
            with_names: true,
            reader: None,
        }
    }

    /// The file's format, once its first bytes are read.
    pub fn format(&self) -> Option<Format> {
        self.reader.as_ref().map(|(f, _)| *f)
    }

    fn reader(&mut self, bytes: &[u8]) -> Option<&mut Box<dyn ReadCalls + Send>> {
        if self.reader.is_none() {
            let format = Format::sniff(bytes)?;
            let names = self.with_names;
            let reader: Box<dyn ReadCalls + Send> = match format {
                Format::JmeterCsv => Box::new(if names {
                    CsvCalls::with_names()
                } else {
                    CsvCalls::new()
                }),
                Format::JmeterXml => Box::new(XmlCalls::new(names)),
                // Never sniffed: a summary is told apart by the import.
                Format::K6Json | Format::K6Summary => Box::new(K6Calls::new(names)),
            };
            self.reader = Some((format, reader));
        }
        self.reader.as_mut().map(|(_, r)| r)
    }

    /// See `ReadCalls::feed`; nothing is read while `bytes` is blank.
    pub fn feed(&mut self, bytes: &[u8], mut call: impl FnMut(Call)) -> Result<usize, ResultError> {
        match self.reader(bytes) {
            Some(reader) => reader.feed(bytes, &mut call),
            None => Ok(0),
        }
    }

    /// See `ReadCalls::end`.
    pub fn end(
        &mut self,
        rest: &[u8],
        mut call: impl FnMut(Call),
    ) -> Result<Option<String>, ResultError> {
        match self.reader(rest) {
            Some(reader) => reader.end(rest, &mut call),
            None => Ok(None),
        }
    }

    pub fn skipped(&self) -> u64 {
        self.reader.as_ref().map_or(0, |(_, r)| r.skipped())
    }

    pub fn first_skip(&self) -> Option<&ResultError> {
        self.reader.as_ref().and_then(|(_, r)| r.first_skip())
    }

    pub fn names(&self) -> Option<(&Names, &Names)> {
        self.reader.as_ref().and_then(|(_, r)| r.names())
    }
}

impl Default for ResultCalls {
    fn default() -> ResultCalls {
        ResultCalls::new()
    }
}
