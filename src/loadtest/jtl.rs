//! The calls of a JMeter CSV result (JTL). JMeter writes a line when a
//! sample ends, stamped with when it started; the header names the columns
//! in whatever order and subset JMeter was set to save (without one,
//! JMeter's default order is assumed). The delimiter and the timestamp's
//! shape (epoch milliseconds or a date format) are JMeter settings too, so
//! both are read from the first line and call.

use csv::ByteRecord;

pub use super::call::Call;
use super::error::ResultError;
use super::names::Names;
use super::result_file::ReadCalls;
use super::stamp::Stamps;
use super::sub_results::SubResults;
use crate::domain::zone::Zone;

/// Where the columns warroom reads are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    time: usize,
    elapsed: usize,
    success: usize,
    label: Option<usize>,
    code: Option<usize>,
    thread: Option<usize>,
}

impl Columns {
    fn name(&self, index: usize) -> &'static str {
        if index == self.time {
            "timeStamp"
        } else if index == self.elapsed {
            "elapsed"
        } else {
            "success"
        }
    }
}

/// JMeter's default CSV order (2.13 and later alike): timeStamp, elapsed,
/// label, responseCode, responseMessage, threadName, dataType, success.
const DEFAULT_COLUMNS: Columns = Columns {
    time: 0,
    elapsed: 1,
    success: 7,
    label: Some(2),
    code: Some(3),
    thread: Some(5),
};

/// The delimiters JMeter can be set to write (`default_delimiter`).
const DELIMITERS: [u8; 4] = [b',', b'\t', b';', b'|'];

/// Reads calls from a result file, fed in chunks.
#[derive(Debug, Default)]
pub struct CsvCalls {
    layout: Option<(u8, Columns)>,
    record: ByteRecord,
    /// Lines read so far, the header included.
    lines: u64,
    skipped: u64,
    first_skip: Option<ResultError>,
    /// Labels and response codes, when asked for.
    names: Option<(Names, Names)>,
    stamps: Stamps,
    subs: SubResults,
}

impl CsvCalls {
    pub fn new() -> CsvCalls {
        CsvCalls::default()
    }

    /// A reader that also reads each call's label and response code, for a
    /// summary by label and by code.
    pub fn with_names() -> CsvCalls {
        CsvCalls {
            names: Some((Names::default(), Names::default())),
            ..CsvCalls::default()
        }
    }

    /// Reads formatted timestamps in `zone` (JMeter writes them in its own
    /// machine's zone, with no offset), rather than this machine's.
    pub fn in_zone(mut self, zone: Zone) -> CsvCalls {
        self.stamps = Stamps::in_zone(zone);
        self
    }

    /// The columns and delimiter, from the header or, where the first line
    /// is already a call, JMeter's default order. `line` is that first line.
    fn layout(&mut self, line: &[u8], number: u64) -> Result<(u8, Columns, bool), ResultError> {
        for delimiter in DELIMITERS {
            let fields: Vec<&[u8]> = line.split(|b| *b == delimiter).map(unquote).collect();
            let find = |name: &[u8]| fields.iter().position(|c| *c == name);
            let Some(time) = find(b"timeStamp") else {
                continue;
            };
            let missing: Vec<&str> = [("elapsed", find(b"elapsed")), ("success", find(b"success"))]
                .iter()
                .filter(|(_, at)| at.is_none())
                .map(|(name, _)| *name)
                .collect();
            if !missing.is_empty() {
                return Err(ResultError::new(
                    number,
                    1,
                    format!(
                        "the header has no {} column; expected timeStamp, elapsed and success \
                         (JMeter saves them with jmeter.save.saveservice.time and .successful)",
                        missing.join(" or ")
                    ),
                ));
            }
            let columns = Columns {
                time,
                elapsed: find(b"elapsed").unwrap_or_default(),
                success: find(b"success").unwrap_or_default(),
                label: find(b"label"),
                code: find(b"responseCode"),
                thread: find(b"threadName"),
            };
            return Ok((delimiter, columns, true));
        }
        for delimiter in DELIMITERS {
            let fields: Vec<&[u8]> = line.split(|b| *b == delimiter).map(unquote).collect();
            let success = fields.get(DEFAULT_COLUMNS.success).copied().unwrap_or(b"");
            let looks_like_a_call = fields.len() > DEFAULT_COLUMNS.success
                && self.stamps.clone().read(fields[0]).is_some()
                && (success.eq_ignore_ascii_case(b"true")
                    || success.eq_ignore_ascii_case(b"false"));
            if looks_like_a_call {
                return Ok((delimiter, DEFAULT_COLUMNS, false));
            }
        }
        Err(ResultError::new(
            number,
            1,
            "not a JMeter CSV result; expected a header with timeStamp, elapsed and success, \
             or a line in JMeter's default columns",
        ))
    }

    fn skip(&mut self, error: ResultError) {
        self.skipped += 1;
        if self.first_skip.is_none() {
            self.first_skip = Some(error);
        }
    }

    /// The call in `self.record`, read at file line `line`.
    fn take(&mut self, columns: Columns, line: u64, call: &mut dyn FnMut(Call)) {
        let field = |i: usize| self.record.get(i).map(trim);
        let bad = |i: usize, expected: &str| {
            let found = field(i).map_or("nothing".to_string(), |f| {
                format!("\"{}\"", String::from_utf8_lossy(&f[..f.len().min(40)]))
            });
            ResultError::new(
                line,
                i as u64 + 1,
                format!("expected {} as {expected}, found {found}", columns.name(i)),
            )
        };
        let Some(start_ms) = field(columns.time).and_then(|f| self.stamps.read(f)) else {
            let expected = self.stamps.expected();
            let error = bad(columns.time, expected);
            return self.skip(error);
        };
        let Some(elapsed_ms) = field(columns.elapsed).and_then(int::<u32>) else {
            let error = bad(columns.elapsed, "whole milliseconds");
            return self.skip(error);
        };
        let ok = match field(columns.success) {
            Some(f) if f.eq_ignore_ascii_case(b"true") => true,
            Some(f) if f.eq_ignore_ascii_case(b"false") => false,
            _ => {
                let error = bad(columns.success, "true or false");
                return self.skip(error);
            }
        };
        let label_raw = columns.label.and_then(|i| self.record.get(i)).map(trim);
        let (label, code) = match &mut self.names {
            Some((labels, codes)) => (
                label_raw.map_or(0, |l| labels.id(l)),
                columns
                    .code
                    .and_then(|i| self.record.get(i))
                    .map(trim)
                    .map_or(0, |c| codes.id(c)),
            ),
            None => (0, 0),
        };
        let found = Call {
            start_ms,
            elapsed_ms,
            ok,
            label,
            code,
        };
        let thread = columns.thread.and_then(|i| self.record.get(i)).map(trim);
        self.subs
            .take(found, label_raw.unwrap_or(b""), thread.unwrap_or(b""), call);
    }

    fn read_records(
        &mut self,
        bytes: &[u8],
        call: &mut dyn FnMut(Call),
    ) -> Result<(), ResultError> {
        let Some((delimiter, columns)) = self.layout else {
            return self.first_records(bytes, call);
        };
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter)
            .from_reader(bytes);
        let before = self.lines;
        loop {
            match reader.read_byte_record(&mut self.record) {
                Ok(false) => return Ok(()),
                Ok(true) => {}
                Err(e) => {
                    let line = before + e.position().map_or(1, csv::Position::line);
                    self.skip(ResultError::new(
                        line,
                        1,
                        format!("expected a CSV line: {e}"),
                    ));
                    continue;
                }
            }
            let line = before + self.record.position().map_or(1, csv::Position::line);
            if self.record.len() == 1 && self.record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            self.take(columns, line, call);
        }
    }

    /// Reads the first line for the layout, then the rest.
    fn first_records(
        &mut self,
        bytes: &[u8],
        call: &mut dyn FnMut(Call),
    ) -> Result<(), ResultError> {
        let mut offset = 0;
        while offset < bytes.len() {
            let end = record_end(&bytes[offset..]).map_or(bytes.len(), |e| offset + e);
            let line = bytes[offset..end].trim_ascii();
            if line.is_empty() {
                self.lines += 1;
                offset = end;
                continue;
            }
            let number = self.lines + 1;
            let (delimiter, columns, header) = self.layout(line, number)?;
            self.layout = Some((delimiter, columns));
            if header {
                self.lines += 1 + newlines(&bytes[offset..end]).saturating_sub(1);
                offset = end;
            }
            return self.read_records(&bytes[offset..], call);
        }
        Ok(())
    }
}

impl ReadCalls for CsvCalls {
    fn feed(&mut self, bytes: &[u8], call: &mut dyn FnMut(Call)) -> Result<usize, ResultError> {
        let (whole, lines) = whole_records(bytes);
        let before = self.lines;
        self.read_records(&bytes[..whole], call)?;
        // Counted from the bytes, not the records: blank lines and a header
        // count too, and a quoted field may span lines.
        self.lines = before + lines;
        Ok(whole)
    }

    fn end(
        &mut self,
        rest: &[u8],
        call: &mut dyn FnMut(Call),
    ) -> Result<Option<String>, ResultError> {
        let mut note = None;
        if !rest.trim_ascii().is_empty() {
            let mut last = rest.to_vec();
            last.push(b'\n');
            let skipped = self.skipped;
            let first_skip = self.first_skip.clone();
            self.read_records(&last, call)?;
            if self.skipped > skipped {
                // A line cut off by a run that was stopped mid-write is not
                // a malformed line: it is dropped, and said.
                self.skipped = skipped;
                self.first_skip = first_skip;
                note = Some(format!(
                    "the last line, {}, was cut off mid-write ({} bytes): not read",
                    self.lines + 1,
                    rest.len()
                ));
            }
        }
        self.subs.flush(call);
        Ok(note)
    }

    fn skipped(&self) -> u64 {
        self.skipped
    }

    fn first_skip(&self) -> Option<&ResultError> {
        self.first_skip.as_ref()
    }

    fn names(&self) -> Option<(&Names, &Names)> {
        self.names.as_ref().map(|(l, c)| (l, c))
    }
}

/// How far `bytes` holds whole records, and how many lines that is: up to
/// the last line end outside quotes (a quoted field may hold line ends, and
/// `""` inside quotes leaves the count even).
fn whole_records(bytes: &[u8]) -> (usize, u64) {
    let (mut quoted, mut whole, mut lines, mut lines_at_whole) = (false, 0, 0, 0);
    for i in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[i] == b'"' {
            quoted = !quoted;
        } else {
            lines += 1;
            if !quoted {
                whole = i + 1;
                lines_at_whole = lines;
            }
        }
    }
    (whole, lines_at_whole)
}

/// Where the first record of `bytes` ends, after its line end.
fn record_end(bytes: &[u8]) -> Option<usize> {
    let mut quoted = false;
    for i in memchr::memchr2_iter(b'"', b'\n', bytes) {
        if bytes[i] == b'"' {
            quoted = !quoted;
        } else if !quoted {
            return Some(i + 1);
        }
    }
    None
}

fn newlines(bytes: &[u8]) -> u64 {
    memchr::memchr_iter(b'\n', bytes).count() as u64
}

fn trim(field: &[u8]) -> &[u8] {
    field.trim_ascii()
}

fn unquote(field: &[u8]) -> &[u8] {
    let field = field.trim_ascii();
    field
        .strip_prefix(b"\"")
        .and_then(|f| f.strip_suffix(b"\""))
        .unwrap_or(field)
}

fn int<T: TryFrom<u64>>(field: &[u8]) -> Option<T> {
    super::stamp::digits(field).and_then(|n| T::try_from(n).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

    struct Read {
        calls: Vec<Call>,
        skipped: u64,
        first_skip: Option<String>,
        note: Option<String>,
        labels: Vec<String>,
        codes: Vec<String>,
    }

    fn read_with(mut csv: CsvCalls, text: &str) -> Result<Read, ResultError> {
        let mut calls = Vec::new();
        let bytes = text.as_bytes();
        let whole = csv.feed(bytes, &mut |c| calls.push(c))?;
        let note = csv.end(&bytes[whole..], &mut |c| calls.push(c))?;
        let (labels, codes) = match &csv.names {
            Some((l, c)) => (
                calls.iter().map(|x| l.name(x.label).to_string()).collect(),
                calls.iter().map(|x| c.name(x.code).to_string()).collect(),
            ),
            None => (Vec::new(), Vec::new()),
        };
        Ok(Read {
            skipped: csv.skipped,
            first_skip: csv.first_skip.as_ref().map(ToString::to_string),
            note,
            labels,
            codes,
            calls,
        })
    }

    fn read(text: &str) -> Result<Read, ResultError> {
        read_with(CsvCalls::with_names(), text)
    }

    fn times(read: &Read) -> Vec<(i64, u32, bool)> {
        read.calls
            .iter()
            .map(|c| (c.start_ms, c.elapsed_ms, c.ok))
            .collect()
    }

    #[test]
    fn reads_the_columns_by_the_header_with_quoted_commas_and_line_ends() {
        let text = format!(
            "{HEADER}1800000000123,212,API,200,OK,TG 1-1,text,true,,512,128,10,10,http://127.0.0.1/api,200,0,3\n\
             1800000000200,\"504\",API,504,\"Gateway, timeout\",TG 1-2,text,false,\"timed\nout, twice\",0,0,10,10,x,0,0,1\n\
             1800000000300,oops,API,200,OK,TG 1-3,text,true,,0,0,10,10,x,0,0,1\n"
        );
        let got = read(&text).unwrap();
        assert_eq!(
            times(&got),
            [
                (1_800_000_000_123, 212, true),
                (1_800_000_000_200, 504, false)
            ]
        );
        assert_eq!(got.codes, ["200", "504"]);
        assert_eq!(got.skipped, 1);
        // Line 5: the quoted line end counts as a line, as an editor shows it.
        assert_eq!(
            got.first_skip.as_deref(),
            Some("line 5, column 2: expected elapsed as whole milliseconds, found \"oops\"")
        );
    }

    #[test]
    fn any_column_order_and_subset() {
        let got = read("success;label;elapsed;timeStamp\ntrue;GET /a;15;1800000000000\n").unwrap();
        assert_eq!(times(&got), [(1_800_000_000_000, 15, true)]);
        assert_eq!(got.labels, ["GET /a"]);
        assert_eq!(got.codes, [""], "no responseCode column saved");
    }

    #[test]
    fn without_a_header_jmeter_s_default_order_is_read() {
        let got = read("1800000000000,90,API,200,OK,TG 1-1,text,true,512,10,10,85\n").unwrap();
        assert_eq!(times(&got), [(1_800_000_000_000, 90, true)]);
        assert_eq!(
            (got.labels[0].as_str(), got.codes[0].as_str()),
            ("API", "200")
        );
    }

    #[test]
    fn tab_delimited_with_formatted_timestamps() {
        let csv = CsvCalls::with_names().in_zone(Zone::Named(chrono_tz::Europe::Berlin));
        let text = "timeStamp\telapsed\tlabel\tresponseCode\tsuccess\n\
                    2026/12/04 19:30:00.250\t200\tAPI\t200\ttrue\n\
                    2026/12/04 19:30:01.000\t512\tAPI\tNon HTTP response code: java.net.SocketTimeoutException\tfalse\n";
        let got = read_with(csv, text).unwrap();
        assert_eq!(
            times(&got),
            [
                (1_796_409_000_250, 200, true),
                (1_796_409_001_000, 512, false)
            ]
        );
        assert_eq!(
            got.codes[1],
            "Non HTTP response code: java.net.SocketTimeoutException"
        );
    }

    #[test]
    fn sub_result_rows_are_one_request_with_their_parent() {
        let text = format!(
            "{HEADER}1800000000000,40,GET /login-0,302,Found,TG 1-1,text,true,,0,0,1,1,x,40,0,1\n\
             1800000000040,60,GET /login-1,200,OK,TG 1-1,text,true,,0,0,1,1,x,60,0,1\n\
             1800000000000,100,GET /login,200,OK,TG 1-1,text,true,,0,0,1,1,x,40,0,1\n\
             1800000000100,5,GET /next,200,OK,TG 1-1,text,true,,0,0,1,1,x,5,0,1\n"
        );
        let got = read(&text).unwrap();
        assert_eq!(got.labels, ["GET /login", "GET /next"]);
    }

    #[test]
    fn a_failed_assertion_on_a_200_is_an_error() {
        let text = format!(
            "{HEADER}1800000000000,40,API,200,OK,TG 1-1,text,false,Test failed: text expected to contain /ok/,0,0,1,1,x,40,0,1\n"
        );
        let got = read(&text).unwrap();
        assert_eq!(times(&got), [(1_800_000_000_000, 40, false)]);
        assert_eq!(got.codes, ["200"]);
    }

    #[test]
    fn two_runs_in_one_file_are_read_as_they_come() {
        let text = format!(
            "{HEADER}1800000000000,40,API,200,OK,T,text,true,,0,0,1,1,x,40,0,1\n\
             1800000600000,30,API,200,OK,T,text,true,,0,0,1,1,x,30,0,1\n"
        );
        assert_eq!(read(&text).unwrap().calls.len(), 2);
    }

    #[test]
    fn a_header_without_success_says_which_column_is_missing() {
        let err = read("timeStamp,elapsed,label\n1800000000000,1,x\n")
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "line 1, column 1: the header has no success column; expected timeStamp, elapsed and \
             success (JMeter saves them with jmeter.save.saveservice.time and .successful)"
        );
    }

    #[test]
    fn a_file_that_is_not_a_result_says_so() {
        let err = read("\n\na,b,c\n1,2,3\n").err().unwrap();
        assert_eq!(
            err.to_string(),
            "line 3, column 1: not a JMeter CSV result; expected a header with timeStamp, elapsed \
             and success, or a line in JMeter's default columns"
        );
    }

    #[test]
    fn a_last_line_cut_off_mid_write_is_dropped_and_said() {
        let text = format!(
            "{HEADER}1800000000000,40,API,200,OK,T,text,true,,0,0,1,1,x,40,0,1\n18000000001"
        );
        let got = read(&text).unwrap();
        assert_eq!(got.calls.len(), 1);
        assert_eq!(got.skipped, 0);
        assert_eq!(
            got.note.as_deref(),
            Some("the last line, 3, was cut off mid-write (11 bytes): not read")
        );
        // Whole but without its line end, it is read.
        let text = format!("{HEADER}1800000000000,40,API,200,OK,T,text,true,,0,0,1,1,x,40,0,1");
        let got = read(&text).unwrap();
        assert_eq!((got.calls.len(), got.note), (1, None));
    }

    #[test]
    fn fed_in_pieces_cut_anywhere_the_same_calls_and_lines() {
        let text = format!(
            "{HEADER}1800000000123,212,API,200,OK,TG 1-1,text,true,,512,128,10,10,x,200,0,3\n\
             1800000000200,504,API,504,\"Gateway, \"\"timeout\"\"\",TG 1-2,text,false,\"timed\nout\",0,0,10,10,x,0,0,1\n\
             1800000000300,x,API,200,OK,TG 1-3,text,true,,0,0,10,10,x,0,0,1\n\
             1800000000400,7,API,200,OK,TG 1-3,text,true,,0,0,10,10,x,0,0,1\n"
        );
        let whole = read(&text).unwrap();
        let bytes = text.as_bytes();
        for cut in 0..bytes.len() {
            let mut csv = CsvCalls::new();
            let mut calls = Vec::new();
            let mut pending = bytes[..cut].to_vec();
            let read = csv.feed(&pending, &mut |c| calls.push(c)).unwrap();
            pending.drain(..read);
            pending.extend_from_slice(&bytes[cut..]);
            let read = csv.feed(&pending, &mut |c| calls.push(c)).unwrap();
            csv.end(&pending[read..], &mut |c| calls.push(c)).unwrap();
            assert_eq!(calls.len(), whole.calls.len(), "cut at {cut}");
            assert_eq!(
                csv.first_skip.as_ref().map(ToString::to_string),
                whole.first_skip,
                "cut at {cut}"
            );
        }
    }
}
