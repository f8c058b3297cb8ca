//! The pre-deploy checklist, walked item by item on the shared screen.

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChecklistEntry {
    pub id: String,
    pub text: String,
    pub group: String,
    pub required: bool,
    /// A fact that decides it, instead of a tick.
    pub requires: Option<super::requirement::Requirement>,
    /// Done after the deploy (a smoke test, alerts unmuted): it gates only
    /// once the deploy has happened.
    pub after: bool,
}

/// Consecutive runs of entries that share a group, in plan order, so the pane
/// can print one header per run without re-sorting what the plan author wrote.
pub fn groups(entries: &[ChecklistEntry]) -> Vec<(&str, std::ops::Range<usize>)> {
    let mut out: Vec<(&str, std::ops::Range<usize>)> = Vec::new();
    for (i, entry) in entries.iter().enumerate() {
        match out.last_mut() {
            Some((name, range)) if *name == entry.group => range.end = i + 1,
            _ => out.push((entry.group.as_str(), i..i + 1)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: &str, group: &str) -> ChecklistEntry {
        ChecklistEntry {
            id: id.into(),
            text: id.into(),
            group: group.into(),
            required: true,
            requires: None,
            after: false,
        }
    }

    #[test]
    fn groups_follow_plan_order() {
        let entries = [
            entry("a", "Tests"),
            entry("b", "Tests"),
            entry("c", "Risk"),
            entry("d", "Tests"),
        ];
        assert_eq!(
            groups(&entries),
            [("Tests", 0..2), ("Risk", 2..3), ("Tests", 3..4)]
        );
    }
}
