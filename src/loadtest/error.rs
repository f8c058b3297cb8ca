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
