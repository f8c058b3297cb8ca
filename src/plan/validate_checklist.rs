//! Validation of the checklist: ids, requirements on facts the plan has,
//! and which side of the deploy each group belongs to.

use std::collections::HashMap;

use toml::Spanned;

use super::{Checker, DEFAULT_GROUP, IdRegister};
use crate::domain::ChecklistEntry;
use crate::domain::requirement::Requirement;
use crate::plan::file::{ChecklistEntryFile, ChecklistGroupEntry};

/// A group's side of the deploy, and the line that said so.
#[derive(Clone, Copy)]
struct Side {
    after: bool,
    line: usize,
}

impl Checker<'_> {
    pub(super) fn checklist(
        &mut self,
        entries: Option<Spanned<Vec<ChecklistEntryFile>>>,
        groups: Vec<ChecklistGroupEntry>,
        items: Option<&[crate::domain::ReleaseItem]>,
    ) -> Option<Vec<ChecklistEntry>> {
        let span = entries.as_ref().map(Spanned::span);
        let Some(entries) = entries.filter(|e| !e.get_ref().is_empty()) else {
            self.problems.push(self.loc.problem(
                span,
                "the checklist is empty; expected at least one [[checklist]] entry",
            ));
            return None;
        };
        let entries = entries.into_inner();
        let (sides, mut ok) = self.group_sides(&entries, groups);
        let mut ids = IdRegister::ids("checklist");
        let mut out = Vec::new();
        for entry in entries {
            ok &= ids.register(&entry.id, self);
            let requires = match entry.requires {
                Some(text) => {
                    let span = text.span();
                    let parsed = Requirement::parse(text.get_ref());
                    let known = self.requirement_known(parsed, items);
                    let requirement = self.ok(span, known);
                    ok &= requirement.is_some();
                    requirement
                }
                None => None,
            };
            let group = group_name(entry.group);
            out.push(ChecklistEntry {
                id: entry.id.into_inner(),
                text: entry.text,
                after: sides.get(&group).is_some_and(|s| s.after),
                group,
                required: entry.required,
                requires,
            });
        }
        ok.then_some(out)
    }

    /// Which side of the deploy each group is on: as its
    /// `[[checklist_group]]` says, else as its entries' `phase` agree, else
    /// before. A group is done on one side: an entry that says otherwise is
    /// pointed at, not quietly moved.
    fn group_sides(
        &mut self,
        entries: &[ChecklistEntryFile],
        groups: Vec<ChecklistGroupEntry>,
    ) -> (HashMap<String, Side>, bool) {
        let mut ok = true;
        let mut declared: HashMap<String, Side> = HashMap::new();
        for group in groups {
            let name = group.name.get_ref().clone();
            let line = self.line(group.name.span());
            if name.trim().is_empty() {
                self.fail::<()>(
                    group.name.span(),
                    "checklist group name is empty; expected the group = \"…\" of its entries",
                );
                ok = false;
                continue;
            }
            let Some(after) = self.phase(&group.phase) else {
                ok = false;
                continue;
            };
            if let Some(first) = declared.get(&name) {
                let message = format!(
                    "checklist group \"{name}\" is declared again (first on line {}); \
                     expected one [[checklist_group]] per group",
                    first.line
                );
                self.fail::<()>(group.name.span(), message);
                ok = false;
                continue;
            }
            if !entries.iter().any(|e| group_name(e.group.clone()) == name) {
                let message = format!(
                    "checklist group \"{name}\" has no entries; expected a [[checklist]] entry \
                     with group = \"{name}\""
                );
                self.fail::<()>(group.name.span(), message);
                ok = false;
            }
            declared.insert(name, Side { after, line });
        }
        let mut sides = declared.clone();
        for entry in entries {
            let Some(phase) = &entry.phase else { continue };
            let Some(after) = self.phase(phase) else {
                ok = false;
                continue;
            };
            let name = group_name(entry.group.clone());
            let line = self.line(phase.span());
            let Some(side) = sides.get(&name).copied() else {
                sides.insert(name, Side { after, line });
                continue;
            };
            if side.after != after {
                let (said, other) = if after {
                    ("after", "before")
                } else {
                    ("before", "after")
                };
                let by = if declared.contains_key(&name) {
                    "its [[checklist_group]]"
                } else {
                    "an entry"
                };
                let message = format!(
                    "phase = \"{said}\" but group \"{name}\" is {other} the deploy ({by} on \
                     line {}); expected one phase per group",
                    side.line
                );
                self.fail::<()>(phase.span(), message);
                ok = false;
            }
        }
        (sides, ok)
    }

    fn phase(&mut self, text: &Spanned<String>) -> Option<bool> {
        match text.get_ref().as_str() {
            "before" => Some(false),
            "after" => Some(true),
            other => self.fail(
                text.span(),
                format!(
                    "phase = \"{other}\" is not a phase; expected \"before\" or \"after\" the deploy"
                ),
            ),
        }
    }

    fn line(&self, span: std::ops::Range<usize>) -> usize {
        self.loc.problem(Some(span), "").line
    }

    /// A requirement on facts the plan has: an item it names, pass
    /// criteria to prove.
    fn requirement_known(
        &self,
        parsed: Result<Requirement, String>,
        items: Option<&[crate::domain::ReleaseItem]>,
    ) -> Result<Requirement, String> {
        let requirement = parsed?;
        match &requirement {
            Requirement::EvidenceOn(id) => {
                if let Some(items) = items
                    && !items.iter().any(|i| &i.id == id)
                {
                    let known: Vec<&str> = items.iter().map(|i| i.id.as_str()).collect();
                    return Err(format!(
                        "requires evidence on \"{id}\", which is not a release item; expected one of {}",
                        known.join(", ")
                    ));
                }
            }
            Requirement::Evidence if self.criteria.values().all(|c| c.is_empty()) => {
                return Err("requires = \"evidence\" but no item has pass criteria \
                     (max_error_rate, max_timeouts or p95_under) to prove"
                    .to_string());
            }
            _ => {}
        }
        Ok(requirement)
    }
}

/// The group as written (the timeline names it so), `General` when blank.
fn group_name(group: Option<String>) -> String {
    group
        .filter(|g| !g.trim().is_empty())
        .unwrap_or_else(|| DEFAULT_GROUP.to_string())
}
