//! The calls of a JMeter XML result (`<testResults>`). JMeter writes a
//! sample's element once the sample has ended; what it nests inside (the
//! redirects and embedded resources of a request, the requests of a
//! transaction controller) is part of that one call, not a call of its own.

use quick_xml::encoding::EncodingError;
use quick_xml::errors::{Error as XmlError, SyntaxError};
use quick_xml::events::attributes::Attribute;
use quick_xml::events::{BytesStart, Event};
use quick_xml::{Reader, XmlVersion};

use super::Call;
use super::error::{Place, ResultError, offset_in, quoted};
use super::names::Names;
use super::result_file::ReadCalls;

const BOM: &[u8] = b"\xEF\xBB\xBF";
const ROOT: &str = "testResults";

/// A sample still open after this many bytes is not one being written but
/// a file whose tags do not close: waiting for its end would hold the whole
/// file. JMeter's largest samples, with a saved response body, stay far
/// below.
const LONGEST_SAMPLE: usize = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Before `<testResults>`: the XML declaration, comments.
    Prolog,
    /// Inside it, between samples.
    Root,
    /// After `</testResults>`: nothing more is read.
    Closed,
}

pub struct XmlCalls {
    names: Option<(Names, Names)>,
    skipped: u64,
    first_skip: Option<ResultError>,
    phase: Phase,
    /// Where the bytes read so far end.
    place: Place,
    /// Top-level samples read whole, and the line the last one ended on.
    samples: u64,
    last_sample_line: u64,
}

impl XmlCalls {
    pub fn new(with_names: bool) -> XmlCalls {
        XmlCalls {
            names: with_names.then(|| (Names::default(), Names::default())),
            skipped: 0,
            first_skip: None,
            phase: Phase::Prolog,
            place: Place::START,
            samples: 0,
            last_sample_line: 0,
        }
    }

    /// Reads the whole top-level records at the start of `body` (one without
    /// a byte-order mark); returns how many bytes they take.
    fn read(&mut self, body: &[u8], call: &mut dyn FnMut(Call)) -> Result<usize, ResultError> {
        let mut reader = Reader::from_reader(body);
        let config = reader.config_mut();
        // A chunk starts between two samples: the end tags it meets need
        // not match a start tag in it, and `</testResults>` matches none.
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        // Text is not read; a lone `&` in it is no reason to stop.
        config.allow_dangling_amp = true;

        let mut walk = Walk {
            bytes: body,
            offset: 0,
            place: self.place,
        };
        let mut read = 0;
        // Elements open inside the root, and the top-level sample among them.
        let mut depth = 0u64;
        let mut sample: Option<(BytesStart, usize)> = None;
        loop {
            let before = offset(reader.buffer_position());
            let event = match reader.read_event() {
                Ok(event) => event,
                Err(error) if unfinished(&error, body, offset(reader.error_position())) => {
                    if body.len().saturating_sub(read) > LONGEST_SAMPLE {
                        return Err(walk.to(read).error(format!(
                            "expected a sample to end within {} MiB, found one still open",
                            LONGEST_SAMPLE >> 20
                        )));
                    }
                    break;
                }
                Err(error) => {
                    return Err(walk
                        .to(offset(reader.error_position()))
                        .error(format!("expected well-formed JMeter XML, found {error}")));
                }
            };
            let after = offset(reader.buffer_position());
            match event {
                Event::Eof => break,
                Event::Start(start) if self.phase == Phase::Prolog => {
                    root(&start, walk.to(before))?;
                    self.phase = Phase::Root;
                    read = after;
                }
                Event::Empty(start) if self.phase == Phase::Prolog => {
                    root(&start, walk.to(before))?;
                    self.phase = Phase::Closed;
                    read = after;
                    break;
                }
                Event::Start(start) => {
                    if depth == 0 && is_sample(&start) {
                        sample = Some((start, before));
                    }
                    depth += 1;
                }
                Event::Empty(start) if depth == 0 => {
                    if is_sample(&start) {
                        self.take(&start, before, after, &mut walk, call);
                    }
                    read = after;
                }
                Event::End(end) if depth == 0 => {
                    let name = end.name();
                    let name = name.as_ref();
                    if self.phase == Phase::Root && name == ROOT {
                        self.phase = Phase::Closed;
                        read = after;
                        break;
                    }
                    let expected = if self.phase == Phase::Prolog {
                        "<testResults>"
                    } else {
                        "</testResults> or a sample"
                    };
                    return Err(walk
                        .to(before)
                        .error(format!("expected {expected}, found </{name}>")));
                }
                Event::End(_) => {
                    depth -= 1;
                    if depth == 0 {
                        if let Some((start, at)) = sample.take() {
                            self.take(&start, at, after, &mut walk, call);
                        }
                        read = after;
                    }
                }
                Event::Text(text)
                    if self.phase == Phase::Prolog && !text.as_ref().trim_ascii().is_empty() =>
                {
                    return Err(walk.to(before).error(
                        "expected a JMeter XML result (<testResults>), found text".to_string(),
                    ));
                }
                Event::CData(_) | Event::GeneralRef(_) if self.phase == Phase::Prolog => {
                    return Err(walk.to(before).error(
                        "expected a JMeter XML result (<testResults>), found text".to_string(),
                    ));
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_)
                    if depth == 0 =>
                {
                    read = after;
                }
                // Text between samples is not read, and may be cut anywhere:
                // taken as it comes, however long, it is never held.
                Event::Text(_) | Event::GeneralRef(_) | Event::CData(_)
                    if depth == 0 && self.phase == Phase::Root =>
                {
                    read = after;
                }
                _ => {}
            }
        }
        if self.phase == Phase::Closed {
            // Whatever follows the root is no result's.
            read = body.len();
        }
        let read = read.min(body.len());
        self.place = walk.to(read);
        Ok(read)
    }

    /// Hands on the call of a whole top-level sample, or counts it skipped.
    fn take(
        &mut self,
        sample: &BytesStart,
        at: usize,
        after: usize,
        walk: &mut Walk,
        call: &mut dyn FnMut(Call),
    ) {
        match self.call_of(sample, walk.bytes) {
            Ok(c) => call(c),
            Err((place, what)) => {
                self.skipped += 1;
                if self.first_skip.is_none() {
                    self.first_skip = Some(walk.to(place.unwrap_or(at)).error(what));
                }
            }
        }
        self.samples += 1;
        self.last_sample_line = walk.to(after).line;
    }

    /// The call of a sample's start tag; or where in `body` and why it is not one.
    fn call_of(&mut self, sample: &BytesStart, body: &[u8]) -> Result<Call, Skip> {
        let name = sample.name();
        let tag = name.as_ref();
        let (mut t, mut ts, mut s, mut lb, mut rc) = (None, None, None, None, None);
        for attribute in sample.attributes() {
            let attribute = attribute.map_err(|e| {
                (
                    None,
                    format!("expected attributes as name=\"value\" in <{tag}>, found {e}"),
                )
            })?;
            let slot = match attribute.key.as_ref() {
                "t" => &mut t,
                "ts" => &mut ts,
                "s" => &mut s,
                "lb" => &mut lb,
                "rc" => &mut rc,
                _ => continue,
            };
            *slot = Some(attribute);
        }
        let elapsed_ms = value(
            t.as_ref(),
            "t (elapsed ms)",
            "a whole number",
            tag,
            body,
            |v| v.parse().ok(),
        )?;
        let start_ms = value(
            ts.as_ref(),
            "ts (start, epoch ms)",
            "a whole number",
            tag,
            body,
            |v| v.parse().ok(),
        )?;
        let ok = value(
            s.as_ref(),
            "s (success)",
            "true or false",
            tag,
            body,
            |v| match v {
                _ if v.eq_ignore_ascii_case("true") => Some(true),
                _ if v.eq_ignore_ascii_case("false") => Some(false),
                _ => None,
            },
        )?;
        let (label, code) = match &mut self.names {
            Some((labels, codes)) => (
                lb.as_ref()
                    .map_or(0, |a| labels.id(unescaped(a).as_bytes())),
                rc.as_ref().map_or(0, |a| codes.id(unescaped(a).as_bytes())),
            ),
            None => (0, 0),
        };
        Ok(Call {
            start_ms,
            elapsed_ms,
            ok,
            label,
            code,
        })
    }
}

/// Where in the fed bytes a sample does not read (`None`: at its start),
/// and why.
type Skip = (Option<usize>, String);

/// An attribute's value, read by `parse`.
fn value<T>(
    attribute: Option<&Attribute>,
    what: &str,
    expected: &str,
    tag: &str,
    body: &[u8],
    parse: impl FnOnce(&str) -> Option<T>,
) -> Result<T, Skip> {
    let Some(attribute) = attribute else {
        return Err((
            None,
            format!("expected attribute {what} on <{tag}>, found none"),
        ));
    };
    parse(attribute.value.trim()).ok_or_else(|| {
        (
            offset_in(body, attribute.key.as_ref().as_bytes()),
            format!(
                "expected attribute {what} as {expected}, found {}",
                quoted(&attribute.value)
            ),
        )
    })
}

/// A label's or a code's text. One with an entity XML does not know is kept
/// as written: it names a call, and must not lose it, nor make a reader with
/// names count other calls than one without.
fn unescaped<'a>(attribute: &'a Attribute) -> std::borrow::Cow<'a, str> {
    attribute
        .normalized_value(XmlVersion::Implicit1_0)
        .unwrap_or_else(|_| attribute.value.clone())
}

fn is_sample(start: &BytesStart) -> bool {
    matches!(start.name().as_ref(), "httpSample" | "sample")
}

/// The document's root must be JMeter's.
fn root(start: &BytesStart, at: Place) -> Result<(), ResultError> {
    let name = start.name();
    if name.as_ref() == ROOT {
        return Ok(());
    }
    Err(at.error(format!(
        "expected the root <testResults> of a JMeter XML result, found <{}>",
        name.as_ref()
    )))
}

/// Whether quick-xml stopped only because the bytes end inside markup, which
/// the bytes still to be written will finish.
fn unfinished(error: &XmlError, body: &[u8], at: usize) -> bool {
    match error {
        // `<!` with nothing after it yet; anything else after it is no XML.
        XmlError::Syntax(SyntaxError::InvalidBangMarkup) => body.len() <= at.saturating_add(2),
        // The others all mean the input ended inside a tag, a comment, a
        // declaration or a quoted value.
        XmlError::Syntax(_) => true,
        // A character cut by the end of the bytes.
        XmlError::Encoding(EncodingError::Utf8(e)) => e.error_len().is_none(),
        _ => false,
    }
}

fn offset(position: u64) -> usize {
    usize::try_from(position).unwrap_or(usize::MAX)
}

/// Places in the bytes of one feed, asked for in increasing order, so the
/// bytes are scanned once however many are asked.
struct Walk<'a> {
    bytes: &'a [u8],
    offset: usize,
    place: Place,
}

impl Walk<'_> {
    fn to(&mut self, offset: usize) -> Place {
        if let Some(between) = self.bytes.get(self.offset..offset) {
            self.place = self.place.after(between);
            self.offset = offset;
        }
        self.place
    }
}

impl ReadCalls for XmlCalls {
    fn feed(&mut self, bytes: &[u8], call: &mut dyn FnMut(Call)) -> Result<usize, ResultError> {
        if self.phase == Phase::Closed {
            self.place = self.place.after(bytes);
            return Ok(bytes.len());
        }
        // quick-xml drops a byte-order mark without counting its bytes in
        // the positions it gives: drop it first.
        if BOM.starts_with(bytes) {
            return Ok(0);
        }
        let skip = if bytes.starts_with(BOM) { BOM.len() } else { 0 };
        Ok(skip + self.read(&bytes[skip..], call)?)
    }

    fn end(
        &mut self,
        rest: &[u8],
        call: &mut dyn FnMut(Call),
    ) -> Result<Option<String>, ResultError> {
        let read = self.feed(rest, call)?.min(rest.len());
        let dropped = rest[read..].trim_ascii().len();
        match self.phase {
            Phase::Closed => Ok(None),
            Phase::Prolog => Err(self.place.after(&rest[read..]).error(
                "expected the root <testResults> of a JMeter XML result, found the end of the file",
            )),
            Phase::Root => {
                let cut = "no closing </testResults> (the run was cut off)";
                let line = self.last_sample_line;
                let n = self.samples;
                Ok(Some(match (n, dropped) {
                    (0, 0) => format!("{cut}: no sample in it"),
                    (0, _) => format!("{cut}: no whole sample; dropped {dropped} bytes"),
                    (_, 0) => format!(
                        "{cut}: read up to the last whole sample, line {line} ({n} samples)"
                    ),
                    _ => format!(
                        "{cut}: read up to the last whole sample, line {line} ({n} samples); dropped {dropped} bytes after it"
                    ),
                }))
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

    const EXAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<testResults version="1.2">
<httpSample t="212" it="0" lt="200" ct="3" ts="1800000000123" s="true" lb="GET /api" rc="200" rm="OK" tn="TG 1-1" dt="text" by="512" sby="128" ng="10" na="10">
  <httpSample t="100" it="0" lt="90" ct="3" ts="1800000000123" s="true" lb="GET /api-0" rc="302" rm="Found" tn="TG 1-1" dt="text" by="0" sby="64" ng="10" na="10"/>
  <httpSample t="100" it="0" lt="95" ct="0" ts="1800000000230" s="true" lb="GET /api-1" rc="200" rm="OK" tn="TG 1-1" dt="text" by="512" sby="64" ng="10" na="10"/>
  <java.net.URL>http://127.0.0.1/api</java.net.URL>
</httpSample>
<sample t="5" lt="0" ts="1800000000300" s="false" lb="JSR223" rc="500" rm="x" tn="TG 1-2" dt="text" by="0" ng="1" na="1"/>
</testResults>
"#;

    /// What a reader made of a file.
    #[derive(Debug, PartialEq)]
    struct Read {
        calls: Vec<Call>,
        labels: Vec<String>,
        codes: Vec<String>,
        skipped: u64,
        first_skip: Option<ResultError>,
        note: Result<Option<String>, ResultError>,
    }

    /// Reads `file` as a follower does, given its bytes in `pieces`: what a
    /// feed leaves is fed again with the next piece.
    fn follow<'a>(pieces: impl IntoIterator<Item = &'a [u8]>) -> Read {
        let mut xml = XmlCalls::new(true);
        let mut calls = Vec::new();
        let mut pending = Vec::new();
        let mut note = None;
        for piece in pieces {
            pending.extend_from_slice(piece);
            match xml.feed(&pending, &mut |c| calls.push(c)) {
                Ok(n) => drop(pending.drain(..n)),
                Err(e) => {
                    note = Some(Err(e));
                    break;
                }
            }
        }
        let note = note.unwrap_or_else(|| xml.end(&pending, &mut |c| calls.push(c)));
        let (labels, codes) = xml.names().unwrap();
        Read {
            labels: calls
                .iter()
                .map(|c| labels.name(c.label).to_string())
                .collect(),
            codes: calls
                .iter()
                .map(|c| codes.name(c.code).to_string())
                .collect(),
            calls,
            skipped: xml.skipped(),
            first_skip: xml.first_skip().cloned(),
            note,
        }
    }

    fn read(file: &str) -> Read {
        follow([file.as_bytes()])
    }

    fn call(start_ms: i64, elapsed_ms: u32, ok: bool, label: u32, code: u32) -> Call {
        Call {
            start_ms,
            elapsed_ms,
            ok,
            label,
            code,
        }
    }

    #[test]
    fn top_level_samples_are_the_calls_and_nested_ones_part_of_them() {
        let got = read(EXAMPLE);
        assert_eq!(
            got.calls,
            [
                call(1_800_000_000_123, 212, true, 1, 1),
                call(1_800_000_000_300, 5, false, 2, 2),
            ]
        );
        assert_eq!(got.labels, ["GET /api", "JSR223"]);
        assert_eq!(got.codes, ["200", "500"]);
        assert_eq!((got.skipped, got.note), (0, Ok(None)));
    }

    #[test]
    fn without_names_no_label_or_code_is_read() {
        let mut xml = XmlCalls::new(false);
        let mut calls = Vec::new();
        let n = xml.feed(EXAMPLE.as_bytes(), &mut |c| calls.push(c));
        assert_eq!(n, Ok(EXAMPLE.len()));
        assert!(calls.iter().all(|c| (c.label, c.code) == (0, 0)));
        assert!(xml.names().is_none());
    }

    /// A file with a bit of everything a split can fall in: a byte-order
    /// mark, a comment, entities, a character of several bytes, a skipped
    /// sample, a sample over several lines.
    const MIXED: &str = "\u{FEFF}<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
        <!-- written by JMeter -->\n\
        <testResults version=\"1.2\">\n\
        <sample t=\"7\" ts=\"1800000000001\" s=\"true\" lb=\"caf\u{e9} &amp; &quot;bar&quot;\" rc=\"200\"/>\n\
        <httpSample t=\"x\" ts=\"1800000000002\" s=\"true\" lb=\"bad\" rc=\"200\"/>\n\
        <httpSample\n   t=\"30\" ts=\"1800000000003\"\n   s=\"false\" lb=\"&#233;t&#xE9;\" rc=\"503\">\n\
          <responseData class=\"java.lang.String\">a &lt; b &amp; \u{1F600}</responseData>\n\
          <assertionResult><name>ok</name><failure>true</failure></assertionResult>\n\
        </httpSample>\n\
        </testResults>\n";

    #[test]
    fn a_file_split_anywhere_reads_the_same() {
        let whole = read(MIXED);
        assert_eq!(
            whole.calls,
            [
                call(1_800_000_000_001, 7, true, 1, 1),
                call(1_800_000_000_003, 30, false, 2, 2),
            ]
        );
        assert_eq!(whole.labels, ["café & \"bar\"", "été"]);
        assert_eq!(whole.codes, ["200", "503"]);
        assert_eq!(whole.skipped, 1);
        assert_eq!(
            whole
                .first_skip
                .as_ref()
                .map(ToString::to_string)
                .as_deref(),
            Some(
                "line 5, column 13: expected attribute t (elapsed ms) as a whole number, found \"x\""
            )
        );
        assert_eq!(whole.note, Ok(None));

        let bytes = MIXED.as_bytes();
        for at in 0..=bytes.len() {
            let (a, b) = bytes.split_at(at);
            assert_eq!(follow([a, b]), whole, "split at byte {at}");
        }
        // A byte at a time, as a follower might see a slow writer.
        assert_eq!(follow(bytes.chunks(1)), whole);
    }

    #[test]
    fn a_cut_off_run_is_read_up_to_its_last_whole_sample() {
        let cut = EXAMPLE.find("<sample").unwrap() + 20;
        let got = read(&EXAMPLE[..cut]);
        assert_eq!(got.calls, [call(1_800_000_000_123, 212, true, 1, 1)]);
        assert_eq!(
            got.note,
            Ok(Some(
                "no closing </testResults> (the run was cut off): read up to the last whole \
                 sample, line 7 (1 samples); dropped 20 bytes after it"
                    .to_string()
            ))
        );
        // Cut between two samples, nothing is dropped.
        let cut = EXAMPLE.find("<sample").unwrap();
        assert_eq!(
            read(&EXAMPLE[..cut]).note,
            Ok(Some(
                "no closing </testResults> (the run was cut off): read up to the last whole \
                 sample, line 7 (1 samples)"
                    .to_string()
            ))
        );
        // Cut inside the first sample's nested ones.
        let cut = EXAMPLE.find("<java.net.URL>").unwrap();
        let got = read(&EXAMPLE[..cut]);
        assert_eq!(got.calls, []);
        let first = EXAMPLE.find("<httpSample").unwrap();
        let dropped = EXAMPLE[first..cut].trim_end().len();
        assert_eq!(
            got.note,
            Ok(Some(format!(
                "no closing </testResults> (the run was cut off): no whole sample; dropped {dropped} bytes"
            )))
        );
    }

    #[test]
    fn a_sample_that_does_not_read_is_skipped_and_placed() {
        let file = "<testResults>\n\
            <httpSample t=\"1\" ts=\"1800000000000\" s=\"true\"/>\n\
            <httpSample t=\"1\" s=\"true\" lb=\"no start\"/>\n\
            <httpSample t=\"-4\" ts=\"1800000000000\" s=\"true\"/>\n\
            <httpSample t=\"1\" ts=\"1800000000000\" s=\"maybe\"/>\n\
            <httpSample t=\"1\" t=\"2\" ts=\"1800000000000\" s=\"true\"/>\n\
            </testResults>";
        let got = read(file);
        assert_eq!(got.calls, [call(1_800_000_000_000, 1, true, 0, 0)]);
        assert_eq!(got.skipped, 4);
        assert_eq!(
            got.first_skip.unwrap().to_string(),
            "line 3, column 1: expected attribute ts (start, epoch ms) on <httpSample>, found none"
        );

        let got = read(&file.replace(" s=\"true\" lb=\"no start\"", " s=\"true\" ts=\"abc\""));
        assert_eq!(
            got.first_skip.unwrap().to_string(),
            "line 3, column 28: expected attribute ts (start, epoch ms) as a whole number, found \"abc\""
        );
    }

    #[test]
    fn a_file_that_is_not_jmeter_xml_says_so() {
        let error = |file: &str| read(file).note.unwrap_err().to_string();
        assert_eq!(
            error("<?xml version=\"1.0\"?>\n<html><body/></html>"),
            "line 2, column 1: expected the root <testResults> of a JMeter XML result, found <html>"
        );
        assert_eq!(
            error("<testResults>\n  <sample t=\"1\"/>\n</sample>"),
            "line 3, column 1: expected </testResults> or a sample, found </sample>"
        );
        assert!(
            error("<testResults>\n<!nonsense>").starts_with(
                "line 2, column 1: expected well-formed JMeter XML, found syntax error"
            )
        );
        assert_eq!(
            error("<?xml version=\"1.0\"?>\n"),
            "line 2, column 1: expected the root <testResults> of a JMeter XML result, found the end of the file"
        );
    }

    #[test]
    fn a_sample_that_never_ends_is_not_waited_for_forever() {
        let mut file = b"<testResults>\n<httpSample t=\"1\" lb=\"".to_vec();
        file.resize(file.len() + LONGEST_SAMPLE, b'x');
        let mut xml = XmlCalls::new(false);
        assert_eq!(
            xml.feed(&file, &mut |_| {}).unwrap_err().to_string(),
            "line 2, column 1: expected a sample to end within 64 MiB, found one still open"
        );
    }

    #[test]
    fn random_bytes_never_panic() {
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"<>/=\"' \n&;!?-[]abstlr0123456789\xC3\xA9testResults httpSample";
        for _ in 0..2000 {
            let len = (next() % 64) as usize;
            let bytes: Vec<u8> = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize])
                .collect();
            let cut = (next() as usize) % (bytes.len() + 1);
            let mut file = b"<testResults>".to_vec();
            file.extend_from_slice(&bytes);
            let _ = follow([&file[..cut], &file[cut..]]);
            let _ = follow([&bytes[..cut], &bytes[cut..]]);
        }
    }
}
