//! Load-test evidence on a release item: which file, its fingerprint, and
//! what it showed. Journaled by `warroom import`; a run says what it showed
//! and stays, so it is never undone.

use serde::{Deserialize, Serialize};

use super::ledger::Stamp;
use crate::loadtest::Summary;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// The item it proves.
    pub item: String,
    /// The result file's name (not its path: a path says nothing on another
    /// machine), size and SHA-256.
    pub file: String,
    pub bytes: u64,
    pub sha256: String,
    pub summary: Summary,
}

/// Evidence as the journal recorded it: which line, who, when.
#[derive(Debug, Clone, PartialEq)]
pub struct EvidenceRecord {
    pub line: u64,
    pub stamp: Stamp,
    pub evidence: Evidence,
}
