//! Why part of a result file does not read, and where.

/// A place in a result file that is not what its format promised. Lines and
/// columns count from 1; a CSV's column is its field, an XML's or a JSON
/// line's the character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}, column {column}: {what}")]
pub struct ResultError {
    pub line: u64,
    pub column: u64,
    /// What was expected there, and what was found.
    pub what: String,
}

impl ResultError {
    pub fn new(line: u64, column: u64, what: impl Into<String>) -> ResultError {
        ResultError {
            line,
            column,
            what: what.into(),
        }
    }
}

/// A value as an error shows it: quoted, and cut short, since a broken
/// record can hold a whole response body.
pub(crate) fn quoted(value: &str) -> String {
    const SHOWN: usize = 40;
    match value.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{:?}…", &value[..cut]),
        None => format!("{value:?}"),
    }
}

/// Where `inner`, a slice the parser borrowed from `outer`, starts in it;
/// `None` when it is a copy (a value that had to be unescaped).
pub(crate) fn offset_in(outer: &[u8], inner: &[u8]) -> Option<usize> {
    let start = inner.as_ptr().addr().checked_sub(outer.as_ptr().addr())?;
    (start.checked_add(inner.len())? <= outer.len()).then_some(start)
}

/// The characters in UTF-8 `bytes`, for a column: a continuation byte
/// starts none. Bytes that are not UTF-8 count one each.
pub(crate) fn chars(bytes: &[u8]) -> u64 {
    bytes.iter().filter(|b| (**b & 0xC0) != 0x80).count() as u64
}

/// A line and a column of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Place {
    pub line: u64,
    pub column: u64,
}

impl Place {
    pub const START: Place = Place { line: 1, column: 1 };

    /// The place after `bytes`, read from this one.
    pub fn after(self, bytes: &[u8]) -> Place {
        match bytes.iter().rposition(|b| *b == b'\n') {
            Some(last) => Place {
                line: self.line + bytes.iter().filter(|b| **b == b'\n').count() as u64,
                column: 1 + chars(&bytes[last + 1..]),
            },
            None => Place {
                line: self.line,
                column: self.column + chars(bytes),
            },
        }
    }

    pub fn error(self, what: impl Into<String>) -> ResultError {
        ResultError::new(self.line, self.column, what)
    }
}

/// serde_json's message without the " at line L column C" it ends with:
/// a `ResultError` says where itself.
pub(crate) fn json_message(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let place = format!(" at line {} column {}", error.line(), error.column());
    match message.strip_suffix(&place) {
        Some(bare) => bare.to_string(),
        None => message,
    }
}

/// Where a serde_json error is in the `json` it read: serde_json counts a
/// column in bytes, a `ResultError` in characters.
pub(crate) fn json_place(json: &[u8], error: &serde_json::Error) -> Place {
    let line = error.line().max(1);
    let text = json
        .split(|b| *b == b'\n')
        .nth(line - 1)
        .unwrap_or_default();
    let before = error.column().saturating_sub(1);
    Place {
        line: line as u64,
        column: chars(text.get(..before).unwrap_or(text)) + 1,
    }
}
