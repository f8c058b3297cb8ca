//! The calls of a JMeter CSV result (JTL). JMeter writes a line when a
//! sample ends, stamped with when it started; the header names the columns
//! (without one, JMeter's default order is assumed).

use csv::ByteRecord;

pub use super::call::Call;
use super::names::Names;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum JtlError {
    #[error(
        "line {line}: not a JMeter CSV result; expected a header with timeStamp, elapsed and success"
    )]
    NotJtl { line: u64 },
}

/// Where the three columns warroom reads are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Columns {
    time: usize,
    elapsed: usize,
    success: usize,
    label: Option<usize>,
    code: Option<usize>,
}

/// JMeter's default CSV order (2.13 and later alike): timeStamp, elapsed,
/// label, responseCode, responseMessage, threadName, dataType, success.
const DEFAULT_COLUMNS: Columns = Columns {
    time: 0,
    elapsed: 1,
    success: 7,
    label: Some(2),
    code: Some(3),
};

/// Reads calls from whole lines of a result file, fed in chunks.
#[derive(Debug, Default)]
pub struct CsvCalls {
    columns: Option<Columns>,
    record: ByteRecord,
    /// Lines read so far, the header included.
    lines: u64,
    /// Lines that are not a call (cut short, a number that does not read).
    pub skipped: u64,
    /// Labels and response codes, when asked for.
    names: Option<(Names, Names)>,
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

    /// The labels and the response codes met, when read.
    pub fn names(&self) -> Option<(&Names, &Names)> {
        self.names.as_ref().map(|(l, c)| (l, c))
    }

    /// Reads `bytes`, which must end at the end of a line, and hands each
    /// call to `call`. A line that does not read is counted and skipped: one
    /// odd line must not stop the chart.
    pub fn feed(&mut self, bytes: &[u8], mut call: impl FnMut(Call)) -> Result<(), JtlError> {
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .from_reader(bytes);
        loop {
            match reader.read_byte_record(&mut self.record) {
                Ok(false) => return Ok(()),
                Ok(true) => {}
                Err(_) => {
                    self.lines += 1;
                    self.skipped += 1;
                    continue;
                }
            }
            self.lines += 1;
            if self.record.len() == 1 && self.record[0].iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let columns = match self.columns {
                Some(columns) => columns,
                None => {
                    let columns = self.first_line()?;
                    self.columns = Some(columns);
                    if self.record_is_header() {
                        continue;
                    }
                    columns
                }
            };
            self.take(columns, &mut call);
        }
    }

    fn record_is_header(&self) -> bool {
        self.record.iter().any(|f| trim(f) == b"timeStamp")
    }

    /// The columns, from the header or, where the first line is already a
    /// call, JMeter's default order.
    fn first_line(&self) -> Result<Columns, JtlError> {
        let find = |name: &[u8]| self.record.iter().position(|c| trim(c) == name);
        if let (Some(time), Some(elapsed), Some(success)) =
            (find(b"timeStamp"), find(b"elapsed"), find(b"success"))
        {
            return Ok(Columns {
                time,
                elapsed,
                success,
                label: find(b"label"),
                code: find(b"responseCode"),
            });
        }
        let numeric = self
            .record
            .get(0)
            .and_then(|f| std::str::from_utf8(trim(f)).ok())
            .is_some_and(|f| f.parse::<i64>().is_ok());
        if numeric && self.record.len() > DEFAULT_COLUMNS.success {
            return Ok(DEFAULT_COLUMNS);
        }
        Err(JtlError::NotJtl { line: self.lines })
    }

    fn take(&mut self, columns: Columns, call: &mut impl FnMut(Call)) {
        let field = |i: usize| self.record.get(i).map(trim);
        let start = field(columns.time).and_then(int::<i64>);
        let elapsed = field(columns.elapsed).and_then(int::<u32>);
        let success = field(columns.success);
        let (label, code) = match &mut self.names {
            Some((labels, codes)) => {
                let field = |i: Option<usize>| i.and_then(|i| self.record.get(i)).map(trim);
                (
                    field(columns.label).map_or(0, |l| labels.id(l)),
                    field(columns.code).map_or(0, |c| codes.id(c)),
                )
            }
            None => (0, 0),
        };
        match (start, elapsed, success) {
            (Some(start_ms), Some(elapsed_ms), Some(ok)) => call(Call {
                start_ms,
                elapsed_ms,
                ok: ok.eq_ignore_ascii_case(b"true"),
                label,
                code,
            }),
            _ => self.skipped += 1,
        }
    }
}

impl super::ReadCalls for CsvCalls {
    fn feed(
        &mut self,
        bytes: &[u8],
        call: &mut dyn FnMut(Call),
    ) -> Result<usize, super::ResultError> {
        let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        CsvCalls::feed(self, &bytes[..whole], call).map_err(|JtlError::NotJtl { line }| {
            super::ResultError::new(line, 1, "not JMeter CSV")
        })?;
        Ok(whole)
    }

    fn end(
        &mut self,
        _rest: &[u8],
        _call: &mut dyn FnMut(Call),
    ) -> Result<Option<String>, super::ResultError> {
        Ok(None)
    }

    fn skipped(&self) -> u64 {
        self.skipped
    }

    fn first_skip(&self) -> Option<&super::ResultError> {
        None
    }

    fn names(&self) -> Option<(&Names, &Names)> {
        CsvCalls::names(self)
    }
}

fn trim(field: &[u8]) -> &[u8] {
    field.trim_ascii()
}

fn int<T: std::str::FromStr>(field: &[u8]) -> Option<T> {
    std::str::from_utf8(field).ok()?.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const HEADER: &str = "timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect\n";

    fn calls(text: &str) -> (Result<Vec<Call>, JtlError>, u64) {
        let mut csv = CsvCalls::new();
        let mut out = Vec::new();
        let result = csv.feed(text.as_bytes(), |c| out.push(c)).map(|()| out);
        (result, csv.skipped)
    }

    #[test]
    fn reads_the_three_columns_by_the_header() {
        let text = format!(
            "{HEADER}1800000000123,212,API,200,OK,TG 1-1,text,true,,512,128,10,10,http://127.0.0.1/api,200,0,3\n\
             1800000000200,\"504\",API,504,\"Gateway, timeout\",TG 1-2,text,false,\"timed out\",0,0,10,10,x,0,0,1\n"
        );
        let (got, skipped) = calls(&text);
        assert_eq!(
            got.unwrap(),
            [
                Call {
                    start_ms: 1_800_000_000_123,
                    elapsed_ms: 212,
                    ok: true,
                    label: 0,
                    code: 0,
                },
                Call {
                    start_ms: 1_800_000_000_200,
                    elapsed_ms: 504,
                    ok: false,
                    label: 0,
                    code: 0,
                },
            ]
        );
        assert_eq!(skipped, 0);
    }

    #[test]
    fn without_a_header_jmeter_s_default_order_is_read() {
        let (got, _) = calls("1800000000000,90,API,200,OK,TG 1-1,text,true,512,10,10,85\n");
        assert_eq!(
            got.unwrap(),
            [Call {
                start_ms: 1_800_000_000_000,
                elapsed_ms: 90,
                ok: true,
                label: 0,
                code: 0,
            }]
        );
    }

    #[test]
    fn odd_lines_are_counted_and_skipped() {
        let text = format!("{HEADER}abc,1,x\n1800000000000,-5,API,200,OK,T,text,true\n\n");
        let (got, skipped) = calls(&text);
        assert_eq!(got.unwrap(), []);
        assert_eq!(skipped, 2);
    }

    #[test]
    fn a_file_that_is_not_a_result_says_so() {
        let (got, _) = calls("a,b,c\n1,2,3\n");
        assert_eq!(
            got.unwrap_err().to_string(),
            "line 1: not a JMeter CSV result; expected a header with timeStamp, elapsed and success"
        );
    }
}
