//! The demo's journals: each demo run writes its own, so the story always
//! opens fresh; only the newest are kept, so rehearsals do not pile up.

use std::path::{Path, PathBuf};

/// How many demo journals stay on disk.
pub const KEPT: usize = 20;

pub fn is_demo_journal(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| n.starts_with("demo-") && n.ends_with(".journal.jsonl"))
}

/// Removes all but the `keep` newest demo journals in `dir` (by name, which
/// starts with the time of the run); returns the ones removed. Other files
/// are never touched.
pub fn prune(dir: &Path, keep: usize) -> std::io::Result<Vec<PathBuf>> {
    let mut runs: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| is_demo_journal(p))
        .collect();
    runs.sort();
    let old = runs.len().saturating_sub(keep);
    let mut removed = Vec::new();
    for path in runs.into_iter().take(old) {
        if std::fs::remove_file(&path).is_ok() {
            removed.push(path);
        }
    }
    Ok(removed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_demo_journals_stay_and_nothing_else_is_touched() {
        let dir = tempfile::tempdir().unwrap();
        let names = [
            "demo-20261125-101500-11.journal.jsonl",
            "demo-20261125-091500-10.journal.jsonl",
            "demo-20261126-080000-12.journal.jsonl",
            "tonight.journal.jsonl",
            "warroom.log",
        ];
        for n in names {
            std::fs::write(dir.path().join(n), "").unwrap();
        }
        let removed = prune(dir.path(), 2).unwrap();
        assert_eq!(
            removed,
            [dir.path().join("demo-20261125-091500-10.journal.jsonl")]
        );
        let mut left: Vec<String> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        left.sort();
        assert_eq!(
            left,
            [
                "demo-20261125-101500-11.journal.jsonl",
                "demo-20261126-080000-12.journal.jsonl",
                "tonight.journal.jsonl",
                "warroom.log",
            ]
        );
    }
}
