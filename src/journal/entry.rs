//! One line of the journal: a format version, when, who, and what.

use chrono::{DateTime, FixedOffset};
use serde::{Deserialize, Serialize};

use crate::domain::Action;

/// The journal format this build writes and reads.
pub const FORMAT_VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub v: u32,
    pub at: DateTime<FixedOffset>,
    pub actor: String,
    /// Which running warroom wrote it: undo takes back the seat's own last
    /// action, even when two seats share a login.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<String>,
    /// A person's action; absent on a recovery line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<Action>,
    /// The journal line this entry takes back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub undoes: Option<u64>,
    /// Recovery: the line before this one was cut off mid-write (a crash) and is
    /// skipped. Written by the seat that appends after it, so the journal itself
    /// says why that line does not count.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub torn_line: Option<u64>,
}

impl Entry {
    pub fn action(at: DateTime<FixedOffset>, actor: &str, action: Action) -> Entry {
        Entry {
            v: FORMAT_VERSION,
            at,
            actor: actor.to_string(),
            seat: None,
            action: Some(action),
            undoes: None,
            torn_line: None,
        }
    }

    /// One JSON line, without its newline.
    pub fn to_line(&self) -> String {
        // Strings, integers, enums and a date: nothing serde_json can refuse.
        serde_json::to_string(self).expect("a journal entry always serializes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::MarkState;

    #[test]
    fn entries_are_one_json_line_each() {
        let at = DateTime::parse_from_rfc3339("2026-11-27T22:41:05+09:00").unwrap();
        let entry = Entry::action(
            at,
            "mina",
            Action::Check {
                id: "rollback-plan".into(),
                mark: MarkState::Done,
                reason: None,
            },
        );
        let line = entry.to_line();
        assert_eq!(
            line,
            r#"{"v":1,"at":"2026-11-27T22:41:05+09:00","actor":"mina","action":{"kind":"check","id":"rollback-plan","mark":"done"}}"#
        );
        let back: Entry = serde_json::from_str(&line).unwrap();
        assert_eq!(back, entry);
    }
}
