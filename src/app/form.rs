//! The small forms of the war room: editing an item, a reason for "not
//! applicable", a note. Pure text editing and the same validation as the plan,
//! so a form never accepts what the plan would reject.

use crate::domain::action::StoodReason;
use crate::domain::gate::{Severity, Verdict};
use crate::domain::ledger::{figures_from_risk, risk_from_figures};
use crate::domain::{Action, ChecklistEntry, MarkState, Priority, ReleaseItem, RiskFigures, Stamp};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: String,
    pub error: Option<String>,
}

impl Field {
    fn new(label: &'static str, value: impl Into<String>) -> Field {
        Field {
            label,
            value: value.into(),
            error: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormKind {
    /// `base` is the item's last change when the form opened.
    EditItem {
        id: String,
        base: Option<Stamp>,
    },
    NotApplicable {
        id: String,
    },
    Note {
        item: Option<String>,
    },
    /// A check-in after the deploy: empty says all is well.
    CheckIn,
    /// A load-test result to read as evidence on an item.
    Import {
        item: String,
    },
    /// The verdict as it stood when the form opened.
    Approve {
        go: bool,
        reasons: Vec<StoodReason>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    pub kind: FormKind,
    pub title: String,
    /// Lines shown above the fields: what is being decided on.
    pub context: Vec<String>,
    pub fields: Vec<Field>,
    pub focus: usize,
}

/// Keys a form understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormKey {
    Char(char),
    Backspace,
    Next,
    Prev,
}

const MAX_TEXT: usize = 500;

impl Form {
    pub fn edit_item(item: &ReleaseItem, base: Option<Stamp>) -> Form {
        let figures = item.risk.as_ref().map(figures_from_risk);
        let figure = |f: fn(&RiskFigures) -> String| figures.as_ref().map(f).unwrap_or_default();
        Form {
            kind: FormKind::EditItem {
                id: item.id.clone(),
                base,
            },
            title: format!("Edit {}", item.id),
            context: Vec::new(),
            fields: vec![
                Field::new("Priority", item.priority.to_string()),
                Field::new("Owner", item.owner.clone().unwrap_or_default()),
                Field::new("Impact 1-10", figure(|f| f.impact.to_string())),
                Field::new("Likelihood 1-10", figure(|f| f.likelihood.to_string())),
                Field::new("Recovery", figure(|f| f.recovery.clone())),
            ],
            focus: 0,
        }
    }

    pub fn not_applicable(entry: &ChecklistEntry) -> Form {
        Form {
            kind: FormKind::NotApplicable {
                id: entry.id.clone(),
            },
            title: format!("Not applicable: {}", entry.text),
            context: Vec::new(),
            fields: vec![Field::new("Reason", "")],
            focus: 0,
        }
    }

    pub fn note(item: Option<&ReleaseItem>) -> Form {
        Form {
            kind: FormKind::Note {
                item: item.map(|i| i.id.clone()),
            },
            context: Vec::new(),
            title: match item {
                Some(i) => format!("Note on {}", i.id),
                None => "Note on the release".to_string(),
            },
            fields: vec![Field::new("Note", "")],
            focus: 0,
        }
    }

    /// Enter on its own records "all well"; anything typed is what she saw.
    /// `since_deploy` says what each metric did since the deploy.
    pub fn check_in(due: Option<String>, since_deploy: Vec<String>) -> Form {
        let mut context =
            vec![due.unwrap_or_else(|| "No check-in is due; recording one anyway.".into())];
        context.extend(since_deploy);
        context.push("Enter on an empty note: checked, all well.".into());
        Form {
            kind: FormKind::CheckIn,
            title: "Check in".to_string(),
            context,
            fields: vec![Field::new("Note", "")],
            focus: 0,
        }
    }

    pub fn import(item: &ReleaseItem, criteria: Option<String>) -> Form {
        let mut context = vec![
            "A JMeter result (CSV or XML) or a k6 result (JSON lines or summary export);".into(),
            "a path from where warroom was started.".into(),
        ];
        context.extend(criteria);
        Form {
            kind: FormKind::Import {
                item: item.id.clone(),
            },
            title: format!("Import a load-test run on {}", item.id),
            context,
            fields: vec![Field::new("Result file", "")],
            focus: 0,
        }
    }

    pub fn approve(verdict: &Verdict) -> Form {
        let go = verdict.go();
        let mut fields = vec![Field::new("Statement", "")];
        if !go {
            fields.push(Field::new("Override reason", ""));
        }
        Form {
            kind: FormKind::Approve {
                go,
                reasons: verdict.reasons.iter().map(|r| r.stood()).collect(),
            },
            title: if go {
                "Approve: GO".to_string()
            } else {
                "Approve despite NO-GO: name the risk you accept".to_string()
            },
            // She approves what she reads here: every reason that stands.
            context: verdict
                .reasons
                .iter()
                .map(|r| {
                    let mark = if r.severity == Severity::Block {
                        "✗"
                    } else {
                        "!"
                    };
                    format!("{mark} {}", r.said())
                })
                .collect(),
            fields,
            focus: 0,
        }
    }

    pub fn key(&mut self, key: FormKey) {
        let count = self.fields.len();
        match key {
            FormKey::Next => self.focus = (self.focus + 1) % count,
            FormKey::Prev => self.focus = (self.focus + count - 1) % count,
            FormKey::Char(c) if !c.is_control() => {
                let field = &mut self.fields[self.focus];
                if field.value.chars().count() < MAX_TEXT {
                    field.value.push(c);
                    field.error = None;
                }
            }
            FormKey::Char(_) => {}
            FormKey::Backspace => {
                let field = &mut self.fields[self.focus];
                field.value.pop();
                field.error = None;
            }
        }
    }

    /// The action the form stands for, or `None` with every field's error set.
    pub fn submit(&mut self) -> Option<Action> {
        for f in &mut self.fields {
            f.error = None;
        }
        let action = match self.kind.clone() {
            FormKind::EditItem { id, .. } => self.edit_action(id),
            FormKind::NotApplicable { id } => {
                let reason = self.required_text(0, "a reason is required");
                reason.map(|reason| Action::Check {
                    id,
                    mark: MarkState::NotApplicable,
                    reason: Some(reason),
                })
            }
            FormKind::Note { item } => {
                let text = self.required_text(0, "the note is empty");
                text.map(|text| Action::Note { item, text })
            }
            // Read off the loop first; `actions` starts it.
            FormKind::Import { .. } => None,
            FormKind::CheckIn => {
                let note = self.fields[0].value.trim();
                Some(Action::CheckIn {
                    note: (!note.is_empty()).then(|| note.to_string()),
                })
            }
            FormKind::Approve { go, reasons } => {
                let statement = self.required_text(0, "say what you approve");
                let override_reason = if go {
                    Some(None)
                } else {
                    self.required_text(1, "approving a NO-GO needs the reason you accept it")
                        .map(Some)
                };
                match (statement, override_reason) {
                    (Some(statement), Some(override_reason)) => Some(Action::Approve {
                        statement,
                        override_reason,
                        go,
                        reasons,
                    }),
                    _ => None,
                }
            }
        };
        // A field error anywhere refuses the whole form.
        action.filter(|_| self.fields.iter().all(|f| f.error.is_none()))
    }

    fn required_text(&mut self, i: usize, error: &str) -> Option<String> {
        let text = self.fields[i].value.trim().to_string();
        if text.is_empty() {
            self.fields[i].error = Some(error.to_string());
            self.focus = i;
            return None;
        }
        Some(text)
    }

    fn edit_action(&mut self, id: String) -> Option<Action> {
        let values: Vec<String> = self
            .fields
            .iter()
            .map(|f| f.value.trim().to_string())
            .collect();
        let value = |i: usize| values[i].clone();
        let priority = match value(0).to_lowercase().as_str() {
            "critical" | "crit" => Some(Priority::Critical),
            "high" => Some(Priority::High),
            "medium" | "med" => Some(Priority::Medium),
            "low" => Some(Priority::Low),
            _ => {
                self.fields[0].error = Some("expected critical, high, medium or low".into());
                None
            }
        };
        let owner = Some(value(1)).filter(|o| !o.is_empty());
        let (impact, likelihood, recovery) = (value(2), value(3), value(4));
        let risk = if impact.is_empty() && likelihood.is_empty() && recovery.is_empty() {
            Some(None)
        } else {
            let figure = |text: &str| text.parse::<u8>().ok().filter(|v| (1..=10).contains(v));
            let (i, l) = (figure(&impact), figure(&likelihood));
            if i.is_none() {
                self.fields[2].error = Some("expected a whole number from 1 to 10".into());
            }
            if l.is_none() {
                self.fields[3].error = Some("expected a whole number from 1 to 10".into());
            }
            match (i, l) {
                (Some(impact), Some(likelihood)) => {
                    let figures = RiskFigures {
                        impact,
                        likelihood,
                        recovery,
                    };
                    match risk_from_figures(&figures) {
                        Ok(_) => Some(Some(figures)),
                        Err(why) => {
                            self.fields[4].error = Some(why);
                            None
                        }
                    }
                }
                _ => None,
            }
        };
        if let Some(first) = self.fields.iter().position(|f| f.error.is_some()) {
            self.focus = first;
        }
        Some(Action::ItemEdit {
            id,
            priority: priority?,
            owner,
            risk: risk?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::demo;

    fn api_timeout() -> ReleaseItem {
        demo::plan()
            .items
            .into_iter()
            .find(|i| i.id == "API-TIMEOUT")
            .expect("demo item")
    }

    fn type_into(form: &mut Form, field: usize, text: &str) {
        form.focus = field;
        while !form.fields[field].value.is_empty() {
            form.key(FormKey::Backspace);
        }
        for c in text.chars() {
            form.key(FormKey::Char(c));
        }
    }

    #[test]
    fn edit_form_starts_from_the_item() {
        let form = Form::edit_item(&api_timeout(), None);
        let values: Vec<&str> = form.fields.iter().map(|f| f.value.as_str()).collect();
        assert_eq!(values, ["critical", "dev-lead", "9", "6", "2h"]);
    }

    #[test]
    fn edit_form_refuses_what_the_plan_refuses() {
        let mut form = Form::edit_item(&api_timeout(), None);
        type_into(&mut form, 0, "urgent");
        type_into(&mut form, 2, "11");
        type_into(&mut form, 4, "40d");
        assert_eq!(form.submit(), None);
        let errors: Vec<Option<&str>> = form.fields.iter().map(|f| f.error.as_deref()).collect();
        assert_eq!(
            errors,
            [
                Some("expected critical, high, medium or low"),
                None,
                Some("expected a whole number from 1 to 10"),
                None,
                None,
            ]
        );
        assert_eq!(form.focus, 0);
        type_into(&mut form, 0, "high");
        type_into(&mut form, 2, "8");
        assert_eq!(form.submit(), None);
        assert_eq!(
            form.fields[4].error.as_deref(),
            Some("recovery \"40d\" is not a duration up to 30d, like \"2h\"")
        );
        type_into(&mut form, 4, "90m");
        assert_eq!(
            form.submit(),
            Some(Action::ItemEdit {
                id: "API-TIMEOUT".into(),
                priority: Priority::High,
                owner: Some("dev-lead".into()),
                risk: Some(RiskFigures {
                    impact: 8,
                    likelihood: 6,
                    recovery: "90m".into(),
                }),
            })
        );
    }

    #[test]
    fn clearing_all_risk_fields_removes_the_risk() {
        let mut form = Form::edit_item(&api_timeout(), None);
        for field in 2..=4 {
            type_into(&mut form, field, "");
        }
        type_into(&mut form, 1, "");
        assert_eq!(
            form.submit(),
            Some(Action::ItemEdit {
                id: "API-TIMEOUT".into(),
                priority: Priority::Critical,
                owner: None,
                risk: None,
            })
        );
    }

    #[test]
    fn not_applicable_needs_a_reason() {
        let entry = demo::plan().checklist[9].clone();
        let mut form = Form::not_applicable(&entry);
        assert_eq!(form.submit(), None);
        assert_eq!(
            form.fields[0].error.as_deref(),
            Some("a reason is required")
        );
        type_into(&mut form, 0, "no schema change tonight");
        assert_eq!(
            form.submit(),
            Some(Action::Check {
                id: entry.id.clone(),
                mark: MarkState::NotApplicable,
                reason: Some("no schema change tonight".into()),
            })
        );
    }

    #[test]
    fn focus_wraps_and_control_characters_are_not_typed() {
        let mut form = Form::edit_item(&api_timeout(), None);
        form.key(FormKey::Prev);
        assert_eq!(form.focus, 4);
        form.key(FormKey::Next);
        assert_eq!(form.focus, 0);
        form.key(FormKey::Char('\u{1b}'));
        assert_eq!(form.fields[0].value, "critical");
    }
}
