//! The calls of a k6 result written with `--out json`: one JSON object a
//! line, a `Metric` line the first time a metric is met, then a `Point` line
//! for each of its samples, as `{"metric":..,"type":"Point","data":{"time":..,
//! "value":..,"tags":{..}}}` (k6's JSON output, `internal/output/json`).
//!
//! A call is an `http_req_duration` Point. k6 stamps it when the request has
//! ended, not when it started: the tracer's `Done()` sets the trail's
//! `EndTime` to `time.Now()`, and `Trail.SaveSamples` gives every `http_req_*`
//! sample `Time: tr.EndTime` (`lib/netext/httpext/tracer.go`). So the call
//! started `value` milliseconds before its `time`. That value is sending +
//! waiting + receiving: unlike JMeter's elapsed it leaves out the time
//! blocked, connecting and in the TLS handshake, and so the start read here
//! is when the request began to be sent.

use std::borrow::Cow;

use chrono::DateTime;
use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::value::RawValue;

use super::Call;
use super::error::{ResultError, chars, json_message, json_place, offset_in, quoted};
use super::k6_summary::is_summary_export;
use super::names::Names;
use super::result_file::ReadCalls;

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A line still unfinished after this many bytes is not one being written
/// but a file without newlines: waiting for its end would hold the whole
/// file. k6's lines take a few hundred bytes.
const LONGEST_LINE: usize = 16 << 20;

/// A string of a line, borrowed unless it has escapes to undo.
#[derive(Deserialize)]
struct Text<'a>(#[serde(borrow)] Cow<'a, str>);

impl Text<'_> {
    fn as_str(&self) -> &str {
        &self.0
    }
}

/// A line: only the fields that tell whether it is a call are read; its
/// data is read only when it is one.
#[derive(Deserialize)]
struct Line<'a> {
    #[serde(rename = "type", borrow)]
    kind: Text<'a>,
    #[serde(borrow, default)]
    metric: Option<Text<'a>>,
    #[serde(borrow, default)]
    data: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct Point<'a> {
    #[serde(borrow)]
    time: Text<'a>,
    value: f64,
    #[serde(borrow, default)]
    tags: Option<Tags<'a>>,
}

#[derive(Deserialize, Default)]
struct Tags<'a> {
    #[serde(borrow, default)]
    expected_response: Option<Text<'a>>,
    #[serde(borrow, default)]
    status: Option<Text<'a>>,
    #[serde(borrow, default)]
    name: Option<Text<'a>>,
    #[serde(borrow, default)]
    url: Option<Text<'a>>,
}

/// The column of a line a call does not read at, and why.
type Skip = (u64, String);

pub struct K6Calls {
    names: Option<(Names, Names)>,
    skipped: u64,
    first_skip: Option<ResultError>,
    /// Lines read so far.
    lines: u64,
    /// Whether a line that is not blank has been read: the first one must
    /// be k6's.
    started: bool,
}

impl K6Calls {
    pub fn new(with_names: bool) -> K6Calls {
        K6Calls {
            names: with_names.then(|| (Names::default(), Names::default())),
            skipped: 0,
            first_skip: None,
            lines: 0,
            started: false,
        }
    }

    /// Reads one whole line, its newline cut off.
    fn line(&mut self, line: &[u8], call: &mut dyn FnMut(Call)) -> Result<(), ResultError> {
        self.lines += 1;
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        let line = line.strip_prefix(BOM).unwrap_or(line);
        if line.trim_ascii().is_empty() {
            return Ok(());
        }
        let parsed = serde_json::from_slice::<Line>(line);
        if !self.started {
            self.started = true;
            if let Err(e) = &parsed {
                return Err(ResultError::new(
                    self.lines,
                    json_place(line, e).column,
                    format!(
                        "expected k6 JSON (--out json: an object with \"type\" a line); {}",
                        json_message(e)
                    ),
                ));
            }
        }
        let read = match parsed {
            Ok(parsed) => self.call_of(&parsed, line),
            Err(e) => Err((
                json_place(line, &e).column,
                format!(
                    "expected a k6 JSON object with \"type\"; {}",
                    json_message(&e)
                ),
            )),
        };
        match read {
            Ok(Some(c)) => call(c),
            Ok(None) => {}
            Err((column, what)) => {
                self.skipped += 1;
                if self.first_skip.is_none() {
                    self.first_skip = Some(ResultError::new(self.lines, column, what));
                }
            }
        }
        Ok(())
    }

    /// The call of a line, if it is an `http_req_duration` Point.
    fn call_of(&mut self, parsed: &Line, line: &[u8]) -> Result<Option<Call>, Skip> {
        let metric = parsed.metric.as_ref().map(Text::as_str);
        if parsed.kind.as_str() != "Point" || metric != Some("http_req_duration") {
            return Ok(None);
        }
        let Some(data) = parsed.data else {
            return Err((
                column(line, line.len()),
                "expected data in an http_req_duration Point, found none".to_string(),
            ));
        };
        let data_at = offset_in(line, data.get().as_bytes()).unwrap_or(0);
        let point = serde_json::from_str::<Point>(data.get()).map_err(|e| {
            (
                column(line, data_at + e.column().saturating_sub(1)),
                format!(
                    "expected data with time and value in an http_req_duration Point; {}",
                    json_message(&e)
                ),
            )
        })?;
        let time = point.time.as_str();
        let time_at = offset_in(line, time.as_bytes()).unwrap_or(data_at);
        let bad_time = || {
            (
                column(line, time_at),
                format!(
                    "expected data.time as an RFC 3339 time, found {}",
                    quoted(time)
                ),
            )
        };
        let end = DateTime::parse_from_rfc3339(time).map_err(|_| bad_time())?;
        let elapsed = point.value.round();
        if !(0.0..=f64::from(u32::MAX)).contains(&elapsed) {
            return Err((
                column(line, data_at),
                format!(
                    "expected data.value (duration ms) as a number from 0 to {}, found {}",
                    u32::MAX,
                    point.value
                ),
            ));
        }
        // Exact to the nanosecond until the last step: a clock read in whole
        // milliseconds, as JMeter's, floors.
        let end_ns =
            i128::from(end.timestamp()) * 1_000_000_000 + i128::from(end.timestamp_subsec_nanos());
        let took_ns = (point.value * 1e6).round() as i128;
        let start_ms =
            i64::try_from((end_ns - took_ns).div_euclid(1_000_000)).map_err(|_| bad_time())?;

        let tags = point.tags.unwrap_or_default();
        let status = tags.status.as_ref().map(Text::as_str);
        let ok = match (&tags.expected_response, status) {
            (Some(expected), _) => expected.as_str() == "true",
            // Status 0: no response at all (refused, reset, timed out).
            (None, Some(status)) => status.parse::<u16>().is_ok_and(|s| (200..400).contains(&s)),
            // Neither kept (k6's `systemTags` can drop both): no way to tell
            // a failed request, and calling it either would be a guess.
            (None, None) => {
                return Err((
                    column(line, data_at),
                    "expected tag expected_response or status to tell a failed request, \
                     found neither (k6's systemTags must keep one)"
                        .to_string(),
                ));
            }
        };
        let (label, code) = match &mut self.names {
            Some((labels, codes)) => (
                tags.name
                    .as_ref()
                    .or(tags.url.as_ref())
                    .map_or(0, |l| labels.id(l.as_str().as_bytes())),
                status.map_or(0, |c| codes.id(c.as_bytes())),
            ),
            None => (0, 0),
        };
        Ok(Some(Call {
            start_ms,
            // In range: checked above.
            elapsed_ms: elapsed as u32,
            ok,
            label,
            code,
        }))
    }
}

/// The column, counted in characters from 1, of the byte at `at` in `line`.
fn column(line: &[u8], at: usize) -> u64 {
    chars(line.get(..at).unwrap_or(line)) + 1
}

impl ReadCalls for K6Calls {
    fn feed(&mut self, bytes: &[u8], call: &mut dyn FnMut(Call)) -> Result<usize, ResultError> {
        // It starts with `{` too, but is one document over many lines.
        if !self.started && is_summary_export(bytes) {
            return Err(ResultError::new(
                1,
                1,
                "expected k6 --out json lines, found k6's --summary-export document",
            ));
        }
        let whole = bytes.iter().rposition(|b| *b == b'\n').map_or(0, |i| i + 1);
        for line in bytes[..whole].split_inclusive(|b| *b == b'\n') {
            self.line(line.strip_suffix(b"\n").unwrap_or(line), call)?;
        }
        if bytes.len() - whole > LONGEST_LINE {
            return Err(ResultError::new(
                self.lines + 1,
                1,
                format!(
                    "expected a line to end within {} MiB, found none",
                    LONGEST_LINE >> 20
                ),
            ));
        }
        Ok(whole)
    }

    fn end(
        &mut self,
        rest: &[u8],
        call: &mut dyn FnMut(Call),
    ) -> Result<Option<String>, ResultError> {
        let read = self.feed(rest, call)?;
        let last = &rest[read..];
        if last.trim_ascii().is_empty() {
            return Ok(None);
        }
        // A last line without its newline is whole if it is whole JSON; one
        // cut in the middle is what a killed run leaves.
        match serde_json::from_slice::<IgnoredAny>(last.trim_ascii()) {
            Err(e) if e.is_eof() => Ok(Some(format!(
                "the last line, line {}, was cut off (no newline, not whole JSON): dropped {} bytes",
                self.lines + 1,
                last.len()
            ))),
            _ => {
                self.line(last, call)?;
                Ok(None)
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    const METRIC: &str = r#"{"type":"Metric","data":{"name":"http_req_duration","type":"trend","contains":"time","thresholds":[],"submetrics":null},"metric":"http_req_duration"}"#;

    /// A Point line as k6 writes it (field order as its encoder has it).
    fn point(metric: &str, time: &str, value: &str, tags: &str) -> String {
        format!(
            r#"{{"metric":"{metric}","type":"Point","data":{{"time":"{time}","value":{value},"tags":{{{tags}}}}}}}"#
        )
    }

    fn tags(expected: Option<&str>, status: &str) -> String {
        let expected = expected.map_or(String::new(), |e| format!(r#""expected_response":"{e}","#));
        format!(
            r#"{expected}"group":"","method":"GET","name":"http://test.k6.io/","proto":"HTTP/1.1","scenario":"default","status":"{status}","url":"http://test.k6.io/""#
        )
    }

    struct Read {
        calls: Vec<Call>,
        reader: K6Calls,
        note: Result<Option<String>, ResultError>,
    }

    /// Reads `pieces` as a follower does: what a feed leaves is fed again
    /// with the next piece.
    fn follow<'a>(pieces: impl IntoIterator<Item = &'a str>) -> Read {
        let mut reader = K6Calls::new(true);
        let mut calls = Vec::new();
        let mut pending = Vec::new();
        for piece in pieces {
            pending.extend_from_slice(piece.as_bytes());
            match reader.feed(&pending, &mut |c| calls.push(c)) {
                Ok(n) => drop(pending.drain(..n)),
                Err(e) => {
                    return Read {
                        calls,
                        reader,
                        note: Err(e),
                    };
                }
            }
        }
        let note = reader.end(&pending, &mut |c| calls.push(c));
        Read {
            calls,
            reader,
            note,
        }
    }

    #[test]
    fn a_call_is_an_http_req_duration_point_stamped_at_its_end() {
        let file = [
            METRIC.to_string(),
            point(
                "http_req_duration",
                "2017-05-09T14:34:45.625742514+02:00",
                "22.3",
                &tags(Some("true"), "200"),
            ),
            point(
                "http_reqs",
                "2017-05-09T14:34:45.625742514+02:00",
                "1",
                &tags(Some("true"), "200"),
            ),
            point(
                "http_req_duration",
                "2017-05-09T12:34:46Z",
                "1000.5",
                &tags(Some("false"), "200"),
            ),
            point(
                "http_req_duration",
                "2017-05-09T12:34:47.0005-00:30",
                "0.4",
                &tags(None, "0"),
            ),
            point(
                "http_req_duration",
                "2017-05-09T12:34:48.000000001Z",
                "99.9999",
                &tags(None, "302").replace("http://test.k6.io/\",\"proto", "home\",\"proto"),
            ),
        ]
        .join("\n")
            + "\n";
        let got = follow([file.as_str()]);
        // 14:34:45.625742514+02:00 is 12:34:45.625742514Z, 1494333285625 ms
        // and a bit; 22.3 ms before it is ...603.442514.
        let at = 1_494_333_285_000;
        assert_eq!(
            got.calls,
            [
                Call {
                    start_ms: at + 603,
                    elapsed_ms: 22,
                    ok: true,
                    label: 1,
                    code: 1,
                },
                // Expected response false: failed, whatever its status.
                Call {
                    start_ms: at + 1000 - 1001,
                    elapsed_ms: 1001,
                    ok: false,
                    label: 1,
                    code: 1,
                },
                // Status 0, no expected_response tag: no response, failed.
                // At 13:04:47.0005Z, 0.4 ms earlier: 13:04:47.000100.
                Call {
                    start_ms: at + 30 * 60_000 + 2000,
                    elapsed_ms: 0,
                    ok: false,
                    label: 1,
                    code: 2,
                },
                // 302 without the tag: a redirect is not a failure. Its
                // start, .000000001 − 99.9999 ms, floors to .900.
                Call {
                    start_ms: at + 3000 - 100,
                    elapsed_ms: 100,
                    ok: true,
                    label: 2,
                    code: 3,
                },
            ]
        );
        let (labels, codes) = got.reader.names().unwrap();
        assert_eq!(
            (labels.name(1), labels.name(2)),
            ("http://test.k6.io/", "home")
        );
        assert_eq!(
            (codes.name(1), codes.name(2), codes.name(3)),
            ("200", "0", "302")
        );
        assert_eq!((got.reader.skipped(), got.note), (0, Ok(None)));
    }

    #[test]
    fn the_label_falls_back_on_the_url_and_escapes_are_undone() {
        let line = point(
            "http_req_duration",
            "2024-01-01T00:00:00Z",
            "5",
            r#""status":"200","url":"http://x/\"q\"""#,
        );
        let got = follow([line.as_str(), "\n"]);
        assert_eq!(got.calls.len(), 1);
        let (labels, _) = got.reader.names().unwrap();
        assert_eq!(labels.name(got.calls[0].label), "http://x/\"q\"");
    }

    #[test]
    fn a_line_cut_across_feeds_is_read_once_whole() {
        let line = point(
            "http_req_duration",
            "2024-01-01T00:00:01Z",
            "250",
            &tags(Some("true"), "200"),
        );
        let file = format!("{METRIC}\n{line}\n{line}\n");
        let whole = follow([file.as_str()]).calls;
        assert_eq!(whole.len(), 2);
        for at in 0..=file.len() {
            let (a, b) = file.split_at(at);
            let got = follow([a, b]);
            assert_eq!(got.calls, whole, "split at byte {at}");
            assert_eq!(got.note, Ok(None));
        }
    }

    #[test]
    fn a_last_line_without_newline_is_read_if_whole_else_dropped() {
        let line = point(
            "http_req_duration",
            "2024-01-01T00:00:01Z",
            "250",
            &tags(Some("true"), "200"),
        );
        let got = follow([format!("{METRIC}\n{line}").as_str()]);
        assert_eq!((got.calls.len(), got.note), (1, Ok(None)));

        let cut = &line[..line.len() - 10];
        let got = follow([format!("{METRIC}\n{line}\n{cut}").as_str()]);
        assert_eq!(got.calls.len(), 1);
        assert_eq!(
            got.note,
            Ok(Some(format!(
                "the last line, line 3, was cut off (no newline, not whole JSON): dropped {} bytes",
                cut.len()
            )))
        );
    }

    #[test]
    fn a_line_that_does_not_read_is_skipped_and_placed() {
        let good = point(
            "http_req_duration",
            "2024-01-01T00:00:01Z",
            "250",
            &tags(Some("true"), "200"),
        );
        let bad_time = good.replace("2024-01-01T00:00:01Z", "yesterday");
        let file = format!("{METRIC}\n{good}\n<html>\n{bad_time}\n\n{good}\n");
        let got = follow([file.as_str()]);
        assert_eq!(got.calls.len(), 2);
        assert_eq!(got.reader.skipped(), 2);
        assert_eq!(
            got.reader.first_skip().unwrap().to_string(),
            "line 3, column 1: expected a k6 JSON object with \"type\"; expected value"
        );

        let file = format!("{METRIC}\n{bad_time}\n");
        let got = follow([file.as_str()]);
        let column = bad_time.find("yesterday").unwrap() + 1;
        assert_eq!(
            got.reader.first_skip().unwrap().to_string(),
            format!(
                "line 2, column {column}: expected data.time as an RFC 3339 time, found \"yesterday\""
            )
        );

        let no_value = good.replace(r#""value":250,"#, "");
        let got = follow([format!("{METRIC}\n{no_value}\n").as_str()]);
        assert_eq!(got.reader.skipped(), 1);
        assert!(
            got.reader
                .first_skip()
                .unwrap()
                .what
                .ends_with("missing field `value`")
        );
    }

    #[test]
    fn a_file_that_is_not_k6_json_says_so() {
        let got = follow(["{\"name\": \"x\"}\n"]);
        assert_eq!(
            got.note.unwrap_err().to_string(),
            "line 1, column 13: expected k6 JSON (--out json: an object with \"type\" a line); missing field `type`"
        );
        let got = follow(["{\n    \"root_group\": {\n"]);
        assert_eq!(
            got.note.unwrap_err().to_string(),
            "line 1, column 1: expected k6 --out json lines, found k6's --summary-export document"
        );
        let got = follow(["[1, 2]\n"]);
        assert!(got.note.is_err());
    }

    #[test]
    fn a_line_that_never_ends_is_not_waited_for_forever() {
        let mut file = format!("{METRIC}\n").into_bytes();
        file.resize(file.len() + LONGEST_LINE + 1, b' ');
        let mut reader = K6Calls::new(false);
        assert_eq!(
            reader.feed(&file, &mut |_| {}).unwrap_err().to_string(),
            "line 2, column 1: expected a line to end within 16 MiB, found none"
        );
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut state = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let good = point(
            "http_req_duration",
            "2024-01-01T00:00:01Z",
            "250",
            &tags(Some("true"), "200"),
        );
        let good = good.as_bytes();
        for _ in 0..2000 {
            let mut bytes = good.to_vec();
            for _ in 0..(next() % 4) {
                let at = (next() as usize) % bytes.len();
                bytes[at] = (next() % 256) as u8;
            }
            bytes.push(b'\n');
            let mut reader = K6Calls::new(true);
            let _ = reader.feed(METRIC.as_bytes(), &mut |_| {});
            let _ = reader.feed(b"\n", &mut |_| {});
            let _ = reader.end(&bytes, &mut |_| {});
        }
    }
}
