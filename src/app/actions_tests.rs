//! Actions from keys to journal entries, through `update` as the loop runs it.

use super::super::{Effect, Msg, Overlay, Pane, State, update};
use crate::domain::Zone;
use crate::plan::demo;

fn state() -> State {
    let plan = demo::plan();
    let now = demo::story_start(&plan);
    State::new(plan, now, Zone::utc())
}
use crate::domain::{Action, ItemStatus, MarkState};
use crate::journal::{Batch, Entry, Line};
use crossterm::event::{KeyCode, KeyEvent};

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::from(KeyCode::Char(c)))
}

fn seat(actor: &str) -> State {
    let mut s = state();
    s.actor = actor.into();
    s
}

/// The entries a message asks the loop to write.
fn appended(effects: &[Effect]) -> Vec<Entry> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Append(entry) => Some(entry.clone()),
            _ => None,
        })
        .collect()
}

/// What the loop would see once the writer has synced: the writer's
/// answer for each entry, then the follower reading the lines back.
fn read_back(s: &mut State, entries: Vec<Entry>, first_line: u64) {
    let end = (first_line + entries.len() as u64) * 100;
    for _ in &entries {
        update(s, Msg::Saved(Ok(end)));
    }
    let lines = entries
        .into_iter()
        .enumerate()
        .map(|(i, entry)| Line {
            number: first_line + i as u64,
            entry,
            role: None,
        })
        .collect();
    update(
        s,
        Msg::Journal(Batch {
            lines,
            position: crate::journal::Position {
                offset: end,
                lines: 0,
            },
            ..Batch::default()
        }),
    );
}

#[test]
fn nothing_shows_as_done_before_it_is_read_back_from_disk() {
    let mut s = seat("mina");
    update(&mut s, Msg::Focus(Pane::Checklist));
    update(&mut s, Msg::SelectNext);
    let effects = update(&mut s, Msg::ToggleCheck);
    let entries = appended(&effects);
    assert_eq!(entries.len(), 1);
    assert_eq!(
        entries[0].action,
        Some(Action::Check {
            id: "critical-staging".into(),
            mark: MarkState::Done,
            reason: None,
        })
    );
    assert_eq!(entries[0].actor, "mina");
    assert_eq!(s.saving, 1);
    assert_eq!(
        s.night.checklist_progress(),
        (0, 30),
        "not done until saved"
    );

    read_back(&mut s, entries, 1);
    assert_eq!((s.saving, s.night.checklist_progress()), (0, (1, 30)));
    let mark = s.night.ledger.marks[1].as_ref().expect("marked");
    assert_eq!(mark.stamp.actor, "mina");
}

#[test]
fn a_failed_save_is_shown_and_nothing_changes() {
    let mut s = seat("mina");
    update(&mut s, Msg::Focus(Pane::Checklist));
    update(&mut s, Msg::ToggleCheck);
    let why = "not saved: Read-only file system (os error 30) (journal j.jsonl)";
    update(&mut s, Msg::Saved(Err(why.into())));
    assert_eq!(s.saving, 0);
    assert_eq!(s.night.checklist_progress(), (0, 30));
    assert_eq!(
        s.view.notice.as_ref().map(|n| (n.error, n.text.as_str())),
        Some((true, why))
    );
}

#[test]
fn a_status_is_set_directly_through_the_picker() {
    let mut s = seat("mina");
    let selected = s.selected_item().expect("selected").id.clone();
    assert_eq!(
        s.selected_item().map(|i| i.status),
        Some(ItemStatus::Untested)
    );
    // `s`, then `f`: failed, and the journal never hears of a pass.
    update(&mut s, key('s'));
    assert_eq!(
        s.view.overlay,
        Overlay::StatusPicker {
            id: selected.clone()
        }
    );
    let entries = appended(&update(&mut s, key('f')));
    assert_eq!(s.view.overlay, Overlay::None);
    assert_eq!(
        entries.iter().map(|e| e.action.clone()).collect::<Vec<_>>(),
        [Some(Action::ItemStatus {
            id: selected.clone(),
            status: ItemStatus::Failed
        })]
    );
    read_back(&mut s, entries, 1);
    assert_eq!(
        s.selected_item().map(|i| i.status),
        Some(ItemStatus::Failed)
    );
    // The same status again writes nothing and says so; Esc leaves it.
    update(&mut s, key('s'));
    assert!(appended(&update(&mut s, key('f'))).is_empty());
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.clone()),
        Some(format!("{selected} is already failed"))
    );
    update(&mut s, key('s'));
    assert!(appended(&update(&mut s, Msg::Key(KeyEvent::from(KeyCode::Esc)))).is_empty());
    assert_eq!(s.view.overlay, Overlay::None);
}

#[test]
fn undo_appends_the_inverse_and_names_what_it_undoes() {
    let mut s = seat("mina");
    let entries = appended(&update(&mut s, Msg::SetStatus(ItemStatus::InProgress)));
    read_back(&mut s, entries, 1);
    let undo = appended(&update(&mut s, Msg::Undo));
    assert_eq!(undo.len(), 1);
    assert_eq!(undo[0].undoes, Some(1));
    assert_eq!(
        undo[0].action,
        Some(Action::ItemStatus {
            id: "API-TIMEOUT".into(),
            status: ItemStatus::Untested,
        })
    );
    read_back(&mut s, undo, 2);
    assert_eq!(update(&mut s, Msg::Undo).len(), 1, "only a redraw");
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.as_str()),
        Some("nothing of yours to undo")
    );
}

#[test]
fn not_applicable_opens_a_form_that_wants_a_reason() {
    let mut s = seat("joon");
    update(&mut s, Msg::Focus(Pane::Checklist));
    update(&mut s, Msg::NotApplicable);
    assert!(matches!(s.view.overlay, Overlay::Form(_)));
    assert!(appended(&update(&mut s, Msg::Submit)).is_empty());
    for c in "no schema change".chars() {
        update(&mut s, Msg::FormKey(crate::app::form::FormKey::Char(c)));
    }
    let entries = appended(&update(&mut s, Msg::Submit));
    assert_eq!(s.view.overlay, Overlay::None);
    assert_eq!(
        entries[0].action,
        Some(Action::Check {
            id: "tests-complete".into(),
            mark: MarkState::NotApplicable,
            reason: Some("no schema change".into()),
        })
    );
}

#[test]
fn keys_type_into_a_form_instead_of_acting() {
    use crossterm::event::KeyModifiers;
    let mut s = seat("mina");
    update(&mut s, Msg::AddNote);
    for c in ['q', 's', 'u'] {
        let effects = update(
            &mut s,
            Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE)),
        );
        assert!(!effects.contains(&Effect::Quit));
    }
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("the note form is open");
    };
    assert_eq!(form.fields[0].value, "qsu");
}

#[test]
fn actions_need_their_pane() {
    let mut s = seat("mina");
    update(&mut s, Msg::Focus(Pane::Metrics));
    for msg in [
        Msg::ToggleCheck,
        Msg::SetStatus(ItemStatus::InProgress),
        Msg::EditItem,
        Msg::NotApplicable,
    ] {
        let effects = update(&mut s, msg.clone());
        assert!(appended(&effects).is_empty(), "{msg:?}");
        assert_eq!(s.view.overlay, Overlay::None, "{msg:?}");
        assert!(s.view.notice.is_some(), "{msg:?} says why");
    }
}

#[test]
fn no_new_action_until_the_last_one_is_read_back() {
    let mut s = seat("mina");
    let first = appended(&update(&mut s, Msg::SetStatus(ItemStatus::InProgress)));
    assert_eq!(first.len(), 1);
    // Saved, but not yet read back: the ledger does not show it yet.
    update(&mut s, Msg::Saved(Ok(100)));
    for msg in [Msg::SetStatus(ItemStatus::InProgress), Msg::Undo] {
        assert!(appended(&update(&mut s, msg)).is_empty());
    }
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.as_str()),
        Some("saving your last mark; try again in a moment")
    );
    read_back(&mut s, first, 1);
    assert_eq!(
        appended(&update(&mut s, Msg::SetStatus(ItemStatus::Passed))).len(),
        1
    );
}

#[test]
fn an_offline_journal_takes_no_marks() {
    let mut s = seat("mina");
    let why = "journal j.jsonl shrank or was replaced while open; restart warroom to read it again";
    update(&mut s, Msg::JournalError(why.into()));
    update(&mut s, Msg::Back);
    assert!(appended(&update(&mut s, Msg::SetStatus(ItemStatus::InProgress))).is_empty());
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.clone()),
        Some(format!(
            "no mark is taken while the journal is offline: {why}"
        ))
    );
}

#[test]
fn an_edit_form_opened_before_someone_elses_change_does_not_overwrite_it() {
    use crate::app::form::FormKey;
    let mut s = seat("mina");
    update(&mut s, Msg::EditItem);
    // She gives the item to herself: the owner field, cleared and typed.
    update(&mut s, Msg::FormKey(FormKey::Next));
    for _ in 0..40 {
        update(&mut s, Msg::FormKey(FormKey::Backspace));
    }
    for c in "mina".chars() {
        update(&mut s, Msg::FormKey(FormKey::Char(c)));
    }
    let theirs = Entry::action(
        s.local_zone.at(s.night.now),
        "joon",
        Action::ItemStatus {
            id: "API-TIMEOUT".into(),
            status: ItemStatus::Passed,
        },
    );
    update(
        &mut s,
        Msg::Journal(Batch {
            lines: vec![Line {
                number: 1,
                entry: theirs,
                role: None,
            }],
            ..Batch::default()
        }),
    );
    assert!(appended(&update(&mut s, Msg::Submit)).is_empty());
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("the form stays open");
    };
    assert_eq!(
        form.fields[1].error.as_deref(),
        Some(
            "API-TIMEOUT was changed by joon while this form was open; what you typed is kept: Enter saves it over theirs, Esc leaves theirs"
        )
    );
    assert_eq!(form.fields[1].value, "mina", "what she typed is kept");
    // Told, she saves what she typed.
    let saved = appended(&update(&mut s, Msg::Submit));
    assert_eq!(saved.len(), 1);
    assert!(
        matches!(&saved[0].action, Some(Action::ItemEdit { owner: Some(o), .. }) if o == "mina"),
        "{:?}",
        saved[0].action
    );
}

#[test]
fn the_selection_follows_its_item_when_the_order_changes() {
    let mut s = seat("mina");
    update(&mut s, Msg::SelectNext);
    let before = s.selected_item().expect("selected").id.clone();
    update(&mut s, Msg::CycleSort);
    update(&mut s, Msg::CycleSort);
    assert_eq!(s.selected_item().expect("selected").id, before);
}

#[test]
fn approving_a_no_go_needs_an_override_reason_and_records_what_stood() {
    use crate::app::form::FormKey;
    let mut s = seat("mina");
    update(&mut s, Msg::Approve);
    let type_text = |s: &mut State, text: &str| {
        for c in text.chars() {
            update(s, Msg::FormKey(FormKey::Char(c)));
        }
    };
    type_text(&mut s, "Deploy tonight");
    assert!(appended(&update(&mut s, Msg::Submit)).is_empty());
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("the approval form stays open");
    };
    assert_eq!(
        form.fields[1].error.as_deref(),
        Some("approving a NO-GO needs the reason you accept it")
    );
    type_text(&mut s, "one staging error, fixed");
    let entries = appended(&update(&mut s, Msg::Submit));
    let Some(Action::Approve {
        statement,
        override_reason,
        go,
        reasons,
    }) = entries[0].action.clone()
    else {
        panic!("an approval: {entries:?}");
    };
    assert_eq!(statement, "Deploy tonight");
    assert_eq!(override_reason.as_deref(), Some("one staging error, fixed"));
    assert!(!go);
    assert_eq!(reasons[0].key, "item_not_passed:API-TIMEOUT");
    assert!(reasons[0].block);
    read_back(&mut s, entries, 1);
    let approval = s.night.ledger.approval().expect("recorded");
    assert_eq!(approval.stamp.actor, "mina");
    assert!(!approval.is_stale(&crate::night::verdict(&s.night)));
}

#[test]
fn an_approval_form_refuses_once_a_new_blocker_stands() {
    use crate::app::form::FormKey;
    let mut s = seat("mina");
    update(&mut s, Msg::Approve);
    for c in "Deploy".chars() {
        update(&mut s, Msg::FormKey(FormKey::Char(c)));
    }
    update(&mut s, Msg::FormKey(FormKey::Next));
    for c in "accepted".chars() {
        update(&mut s, Msg::FormKey(FormKey::Char(c)));
    }
    // While the form is open, someone marks the payment module failed.
    let failed = Entry::action(
        s.local_zone.at(s.night.now),
        "joon",
        Action::ItemStatus {
            id: "PAY-PERF".into(),
            status: ItemStatus::Failed,
        },
    );
    update(
        &mut s,
        Msg::Journal(Batch {
            lines: vec![Line {
                number: 1,
                entry: failed,
                role: None,
            }],
            ..Batch::default()
        }),
    );
    assert!(appended(&update(&mut s, Msg::Submit)).is_empty());
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("the form stays open");
    };
    assert_eq!(
        form.fields[form.focus].error.as_deref(),
        Some(
            "the verdict changed while this form was open: above is how it stands now, what you typed is kept; Enter approves it"
        )
    );
    // The form reads the verdict as it stands, the new blocker in it, and
    // keeps what she typed.
    assert!(
        form.context
            .iter()
            .any(|c| c.contains("PAY-PERF") && c.contains("failed")),
        "{:?}",
        form.context
    );
    assert_eq!(form.fields[0].value, "Deploy");
    assert_eq!(form.fields[1].value, "accepted");
    // Having read it, Enter approves what now stands.
    let entries = appended(&update(&mut s, Msg::Submit));
    assert_eq!(entries.len(), 1, "{:?}", s.view.overlay);
    let Some(Action::Approve { reasons, .. }) = &entries[0].action else {
        panic!("an approval");
    };
    assert!(reasons.iter().any(|r| r.text.contains("PAY-PERF")));
}

#[test]
fn d_marks_the_deploy_done_once_and_u_takes_it_back() {
    let mut s = seat("mina");
    s.night.now = s.night.plan.release.schedule.deploy_at + chrono::TimeDelta::minutes(5);
    assert_eq!(s.night.phase(), crate::domain::Phase::Deploying);
    let entries = appended(&update(&mut s, Msg::DeployDone));
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].action, Some(Action::DeployDone));
    read_back(&mut s, entries, 1);
    assert_eq!(s.night.phase(), crate::domain::Phase::Watching);
    // A second D says who did it, and writes nothing.
    assert!(appended(&update(&mut s, Msg::DeployDone)).is_empty());
    let notice = s.view.notice.clone().expect("a hint");
    assert_eq!(notice.text, "the deploy was marked done by mina at 23:05");
    // Undo asks first: the whole room relies on the deploy mark. Any key
    // but y keeps it.
    assert!(appended(&update(&mut s, Msg::Undo)).is_empty());
    assert_eq!(
        s.view.overlay,
        Overlay::ConfirmUndo {
            line: 1,
            what: "line 1, deploy done".into()
        }
    );
    assert!(appended(&update(&mut s, key('n'))).is_empty());
    assert_eq!(s.view.overlay, Overlay::None);
    assert_eq!(s.night.phase(), crate::domain::Phase::Watching, "kept");
    update(&mut s, Msg::Undo);
    let undo = appended(&update(&mut s, key('y')));
    assert_eq!(undo[0].action, Some(Action::WithdrawDeployDone { line: 1 }));
    assert_eq!(s.view.overlay, Overlay::None);
    read_back(&mut s, undo, 2);
    assert_eq!(s.night.phase(), crate::domain::Phase::Deploying);
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.as_str()),
        Some("undone: line 1, deploy done")
    );
    // A y with no question open does nothing.
    assert!(appended(&update(&mut s, Msg::ConfirmUndo)).is_empty());
}

#[test]
fn every_undo_says_what_it_undid_once_it_is_saved() {
    let mut s = seat("mina");
    let entries = appended(&update(&mut s, Msg::SetStatus(ItemStatus::InProgress)));
    read_back(&mut s, entries, 1);
    let undo = appended(&update(&mut s, Msg::Undo));
    assert_eq!(s.view.notice, None, "not before it is on disk");
    update(&mut s, Msg::Saved(Err("not saved: disk full".into())));
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.as_str()),
        Some("not saved: disk full")
    );
    let again = appended(&update(&mut s, Msg::Undo));
    assert_eq!(again, undo);
    read_back(&mut s, again, 2);
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.as_str()),
        Some("undone: line 1, API-TIMEOUT → testing")
    );
}

#[test]
fn c_checks_in_after_the_deploy_all_well_or_with_a_note() {
    let mut s = seat("mina");
    // Before the deploy there is nothing to check in on.
    assert!(appended(&update(&mut s, Msg::CheckIn)).is_empty());
    assert_eq!(s.view.overlay, Overlay::None);
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.as_str()),
        Some("check-ins start after the deploy")
    );
    s.night.now = s.night.plan.release.schedule.deploy_at + chrono::TimeDelta::minutes(55);
    update(&mut s, Msg::CheckIn);
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("the check-in form");
    };
    assert_eq!(form.context[0], "The check-in due 23:50 is open.");
    let entries = appended(&update(&mut s, Msg::Submit));
    assert_eq!(entries[0].action, Some(Action::CheckIn { note: None }));
    read_back(&mut s, entries, 1);
    assert_eq!(s.night.check_ins().and_then(|c| c.due), None);
    // With a note: what she saw.
    update(&mut s, Msg::CheckIn);
    for c in "p95 flat".chars() {
        update(&mut s, Msg::FormKey(super::super::form::FormKey::Char(c)));
    }
    let entries = appended(&update(&mut s, Msg::Submit));
    assert_eq!(
        entries[0].action,
        Some(Action::CheckIn {
            note: Some("p95 flat".into())
        })
    );
    read_back(&mut s, entries, 2);
    // Not a thing to undo: it says what was seen then; and undo does not
    // reach past it to something older.
    assert!(appended(&update(&mut s, Msg::Undo)).is_empty());
    assert_eq!(
        s.view.notice.as_ref().map(|n| n.text.as_str()),
        Some("your last action stays: checked in: p95 flat")
    );
}

fn read_run(item: &str, sha: &str, errors: u64) -> crate::import::ReadEvidence {
    let mut summarizer =
        crate::loadtest::Summarizer::new(Some(std::time::Duration::from_millis(500)));
    for n in 0..1000_u64 {
        summarizer.add(&crate::loadtest::Call {
            start_ms: 1_800_000_000_000 + n as i64,
            elapsed_ms: 100,
            ok: n >= errors,
            label: 0,
            code: 0,
        });
    }
    crate::import::ReadEvidence {
        runs: vec![crate::domain::evidence::Evidence {
            item: item.into(),
            file: "run.jtl".into(),
            bytes: 10,
            sha256: sha.into(),
            run: None,
            summary: summarizer.finish(None),
        }],
        format: crate::loadtest::Format::JmeterCsv,
        note: None,
    }
}

#[test]
fn i_reads_a_result_off_the_loop_and_journals_it_on_the_item() {
    let mut s = seat("mina");
    let api = s
        .view
        .item_order
        .iter()
        .position(|&i| s.night.ledger.items[i].id == "API-TIMEOUT")
        .unwrap();
    s.view.selected_item = api;
    update(&mut s, key('i'));
    let Overlay::Form(form) = &s.view.overlay else {
        panic!("no form: {:?}", s.view.overlay);
    };
    assert_eq!(form.title, "Import a load-test run on API-TIMEOUT");
    assert!(
        form.context.contains(
            &"It passes with errors at most 0.1%, timeouts at 500ms at most 0.".to_string()
        ),
        "{:?}",
        form.context
    );
    // Enter with no path: the form says what it needs and stays.
    assert!(
        update(&mut s, Msg::Submit)
            .iter()
            .all(|e| !matches!(e, Effect::ReadRun { .. }))
    );
    for c in "runs/a.jtl".chars() {
        update(&mut s, key(c));
    }
    let effects = update(&mut s, Msg::Submit);
    assert!(effects.contains(&Effect::ReadRun {
        item: "API-TIMEOUT".into(),
        file: "runs/a.jtl".into(),
        timeout: Some(std::time::Duration::from_millis(500)),
    }));
    assert_eq!(s.view.overlay, Overlay::None);

    // Read: journaled, and what it showed is said.
    let effects = update(
        &mut s,
        Msg::RunRead(Ok(Box::new(read_run("API-TIMEOUT", "aa", 3)))),
    );
    let entries = appended(&effects);
    assert_eq!(entries.len(), 1);
    assert!(matches!(&entries[0].action, Some(Action::Evidence(e)) if e.item == "API-TIMEOUT"));
    let notice = s.view.notice.clone().unwrap();
    assert_eq!(
        notice.text,
        "run.jtl on API-TIMEOUT: 1000 samples, 0.3% errors, p95 100 ms; FAILS: 0.3% errors (at most 0.1%)"
    );
    assert!(notice.error);
    read_back(&mut s, entries, 1);
    assert_eq!(s.night.ledger.evidence.len(), 1);

    // The same file again: said, nothing added.
    let effects = update(
        &mut s,
        Msg::RunRead(Ok(Box::new(read_run("API-TIMEOUT", "aa", 3)))),
    );
    assert!(appended(&effects).is_empty());
    assert_eq!(
        s.view.notice.clone().unwrap().text,
        "run.jtl was imported on API-TIMEOUT already (journal line 1, by mina): nothing added"
    );

    // A file that does not read: said, as an error.
    update(
        &mut s,
        Msg::RunRead(Err("runs/b.jtl: line 3, column 2: expected elapsed".into())),
    );
    let notice = s.view.notice.clone().unwrap();
    assert!(notice.error);
    assert_eq!(
        notice.text,
        "not imported: runs/b.jtl: line 3, column 2: expected elapsed"
    );
}

#[test]
fn i_on_a_file_of_two_runs_journals_each_and_says_the_last() {
    use crate::domain::evidence::FileRun;
    let mut s = seat("mina");
    let mut read = read_run("API-TIMEOUT", "bb", 3);
    let mut rerun = read_run("API-TIMEOUT", "bb", 0).runs.remove(0);
    read.runs[0].run = Some(FileRun { n: 1, of: 2 });
    rerun.run = Some(FileRun { n: 2, of: 2 });
    read.runs.push(rerun);
    let effects = update(&mut s, Msg::RunRead(Ok(Box::new(read.clone()))));
    let entries = appended(&effects);
    assert_eq!(entries.len(), 2, "a line each, in the file's order");
    let notice = s.view.notice.clone().unwrap();
    assert_eq!(
        notice.text,
        "run.jtl, run 2 of 2 on API-TIMEOUT: 1000 samples, 0% errors, p95 100 ms; passes (2 runs added)"
    );
    assert!(!notice.error);
    read_back(&mut s, entries, 1);
    assert_eq!(s.night.ledger.evidence.len(), 2);
    // Read again: both known, nothing added.
    let effects = update(&mut s, Msg::RunRead(Ok(Box::new(read))));
    assert!(appended(&effects).is_empty());
    assert_eq!(
        s.view.notice.clone().unwrap().text,
        "all 2 runs of the file were imported already: nothing added"
    );
}

#[test]
fn a_tick_the_facts_contradict_is_refused_and_n_still_applies() {
    let mut s = seat("mina");
    update(&mut s, Msg::Focus(Pane::Checklist));
    // "Tests complete for every release item", bound to the items.
    let effects = update(&mut s, Msg::ToggleCheck);
    assert!(appended(&effects).is_empty());
    let notice = s.view.notice.clone().unwrap();
    assert!(notice.error);
    assert_eq!(
        notice.text,
        "cannot tick \"Tests complete for every release item\": 4 of 12 items not passed: \
         API-TIMEOUT, PAY-PERF, SIGNUP-FLOW and 1 more"
    );
    // Not applicable tonight, with a reason: a person decides that.
    update(&mut s, key('n'));
    for c in "no release items tonight".chars() {
        update(&mut s, key(c));
    }
    let entries = appended(&update(&mut s, Msg::Submit));
    assert_eq!(entries.len(), 1);
    read_back(&mut s, entries, 1);
    assert_eq!(s.night.mark(0), MarkState::NotApplicable);
    // Space opens it again, and the facts decide once more.
    let entries = appended(&update(&mut s, Msg::ToggleCheck));
    assert_eq!(entries.len(), 1);
    read_back(&mut s, entries, 2);
    assert_eq!(s.night.mark(0), MarkState::Open);
}

#[test]
fn an_entry_bound_to_facts_is_done_when_they_hold() {
    let mut s = seat("mina");
    let open: Vec<String> = s
        .night
        .ledger
        .items
        .iter()
        .filter(|i| i.status != ItemStatus::Passed)
        .map(|i| i.id.clone())
        .collect();
    let entries: Vec<Entry> = open
        .into_iter()
        .map(|id| {
            super::entry(
                &s,
                Action::ItemStatus {
                    id,
                    status: ItemStatus::Passed,
                },
            )
        })
        .collect();
    read_back(&mut s, entries, 1);
    assert_eq!(s.night.mark(0), MarkState::Done);
    assert_eq!(s.night.checklist_progress(), (1, 30));
    update(&mut s, Msg::Focus(Pane::Checklist));
    assert!(appended(&update(&mut s, Msg::ToggleCheck)).is_empty());
    assert_eq!(
        s.view.notice.clone().unwrap().text,
        "done by the facts: all 12 items passed; n marks it not applicable"
    );
}

#[test]
fn s_posts_the_status_to_the_plan_s_chat() {
    let mut s = seat("mina");
    // The demo plan names no chat.
    assert!(
        update(&mut s, key('S'))
            .iter()
            .all(|e| !matches!(e, Effect::Post(_)))
    );
    assert_eq!(
        s.view.notice.clone().unwrap().text,
        "no [chat] in the plan: nothing to post to"
    );
    s.night.plan.chat = Some(crate::spec::ChatSpec {
        webhook_env: "TEAM_WEBHOOK".into(),
        events: crate::spec::ChatEvent::ALL.to_vec(),
    });
    let effects = update(&mut s, key('S'));
    let posted: Vec<&String> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Post(text) => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(posted.len(), 1);
    assert!(
        posted[0].starts_with(
            "2026-11-27 Friday release at Fri 16:40 KST (T-6:20:00), posted by mina: NO-GO: \
             API-TIMEOUT: Critical item not passed (untested);"
        ),
        "{}",
        posted[0]
    );
    assert!(
        posted[0].ends_with("Checklist 0/30, items 8/12 passed."),
        "{}",
        posted[0]
    );
    // A seat whose webhook is not set says so.
    s.chat_off = Some("the chat's webhook is not set: TEAM_WEBHOOK is empty or not set".into());
    assert!(
        update(&mut s, key('S'))
            .iter()
            .all(|e| !matches!(e, Effect::Post(_)))
    );
    assert!(s.view.notice.clone().unwrap().error);
}

#[test]
fn a_read_only_seat_takes_no_mark_and_says_why() {
    let mut s = seat("guest");
    s.read_only = true;
    for msg in [
        Msg::ToggleCheck,
        Msg::SetStatus(ItemStatus::Passed),
        Msg::AddNote,
        Msg::Approve,
        Msg::DeployDone,
        Msg::CheckIn,
        Msg::EditItem,
        Msg::Undo,
    ] {
        assert!(appended(&update(&mut s, msg)).is_empty());
        assert_eq!(s.view.overlay, Overlay::None, "no form opens");
        assert_eq!(
            s.view.notice.as_ref().map(|n| n.text.as_str()),
            Some("this seat is read-only: it shows everything and takes no marks")
        );
    }
    // Reading is what it is for.
    update(&mut s, Msg::ToggleLog);
    assert!(matches!(s.view.overlay, Overlay::Log { .. }));
}
