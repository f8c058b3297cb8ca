use chrono::DateTime;

use super::*;
use crate::domain::{ItemStatus, Priority};
use crate::plan::demo;

fn ledger() -> Ledger {
    let plan = demo::plan();
    Ledger::new(plan.items, plan.checklist)
}

fn recorded(line: u64, actor: &str, action: Action) -> Recorded {
    Recorded {
        line,
        stamp: Stamp {
            actor: actor.into(),
            at: DateTime::parse_from_rfc3339("2026-11-27T22:41:00+09:00").unwrap(),
        },
        seat: None,
        role: None,
        action,
        undoes: None,
    }
}

fn check(id: &str, mark: MarkState) -> Action {
    Action::Check {
        id: id.into(),
        mark,
        reason: None,
    }
}

fn status(id: &str, status: ItemStatus) -> Action {
    Action::ItemStatus {
        id: id.into(),
        status,
    }
}

#[test]
fn marks_say_who_and_when() {
    let mut l = ledger();
    assert_eq!(
        l.apply(recorded(1, "mina", check("rollback-plan", MarkState::Done))),
        &Outcome::Applied
    );
    let i = l
        .checklist
        .iter()
        .position(|c| c.id == "rollback-plan")
        .unwrap();
    assert_eq!(l.mark_state(i), MarkState::Done);
    let mark = l.marks[i].as_ref().unwrap();
    assert_eq!(mark.stamp.actor, "mina");
    assert_eq!(mark.stamp.at.to_rfc3339(), "2026-11-27T22:41:00+09:00");
}

#[test]
fn unknown_ids_are_orphaned_not_fatal() {
    let mut l = ledger();
    let before = l.clone();
    assert_eq!(
        l.apply(recorded(1, "mina", check("gone", MarkState::Done))),
        &Outcome::Orphaned("no checklist entry \"gone\" in the plan".into())
    );
    assert_eq!(
        l.apply(recorded(2, "mina", status("GONE-1", ItemStatus::Passed))),
        &Outcome::Orphaned("no item \"GONE-1\" in the plan".into())
    );
    assert_eq!((&l.items, &l.marks), (&before.items, &before.marks));
    assert_eq!(l.log.len(), 2);
}

#[test]
fn values_the_plan_would_refuse_are_rejected() {
    let mut l = ledger();
    let edit = Action::ItemEdit {
        id: "API-TIMEOUT".into(),
        priority: Priority::Critical,
        owner: None,
        risk: Some(RiskFigures {
            impact: 11,
            likelihood: 6,
            recovery: "2h".into(),
        }),
    };
    assert_eq!(
        l.apply(recorded(1, "mina", edit)),
        &Outcome::Rejected("risk impact is 11; expected 1 to 10".into())
    );
    let na = Action::Check {
        id: "db-migration".into(),
        mark: MarkState::NotApplicable,
        reason: Some("  ".into()),
    };
    assert_eq!(
        l.apply(recorded(2, "mina", na)),
        &Outcome::Rejected("not applicable without a reason".into())
    );
    assert_eq!(l.items[0].risk_score(), Some(54));
}

#[test]
fn an_edit_changes_the_risk_and_the_order() {
    let mut l = ledger();
    let edit = Action::ItemEdit {
        id: "API-TIMEOUT".into(),
        priority: Priority::Critical,
        owner: Some("mina".into()),
        risk: Some(RiskFigures {
            impact: 9,
            likelihood: 1,
            recovery: "2h".into(),
        }),
    };
    l.apply(recorded(1, "mina", edit));
    let top = crate::domain::item::top_risk(&l.items).unwrap();
    assert_eq!(l.items[top].id, "SIGNUP-FLOW");
    assert_eq!(l.items[0].owner.as_deref(), Some("mina"));
}

#[test]
fn undo_takes_back_the_actors_latest_entry_first() {
    let mut l = ledger();
    l.apply(recorded(
        1,
        "mina",
        status("API-TIMEOUT", ItemStatus::InProgress),
    ));
    l.apply(recorded(
        2,
        "mina",
        status("API-TIMEOUT", ItemStatus::Passed),
    ));
    l.apply(recorded(3, "joon", check("rollback-plan", MarkState::Done)));
    let (line, inverse) = l.undo_for("mina", None).unwrap();
    assert_eq!(
        (line, inverse.clone()),
        (2, status("API-TIMEOUT", ItemStatus::InProgress))
    );
    let mut undo = recorded(4, "mina", inverse);
    undo.undoes = Some(2);
    l.apply(undo);
    assert!(l.log[1].undone);
    assert_eq!(
        l.undo_for("mina", None).unwrap(),
        (1, status("API-TIMEOUT", ItemStatus::Untested))
    );
    assert_eq!(
        l.undo_for("joon", None).unwrap(),
        (3, check("rollback-plan", MarkState::Open))
    );
    assert_eq!(l.undo_for("nobody", None), Err(UndoRefused::Nothing));
}

#[test]
fn undo_never_reverts_someone_elses_later_change() {
    let mut l = ledger();
    l.apply(recorded(1, "mina", status("PAY-PERF", ItemStatus::Passed)));
    l.apply(recorded(2, "joon", status("PAY-PERF", ItemStatus::Failed)));
    match l.undo_for("mina", None) {
        Err(UndoRefused::ChangedSince { target, by }) => {
            assert_eq!(target, "item PAY-PERF");
            assert_eq!(by.actor, "joon");
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
}

#[test]
fn a_note_is_undone_by_retracting_it() {
    let mut l = ledger();
    let note = Action::Note {
        item: Some("API-TIMEOUT".into()),
        text: "one staging error, fixed".into(),
    };
    l.apply(recorded(5, "mina", note));
    let (line, inverse) = l.undo_for("mina", None).unwrap();
    assert_eq!((line, &inverse), (5, &Action::RetractNote { line: 5 }));
    let mut undo = recorded(6, "mina", inverse);
    undo.undoes = Some(5);
    l.apply(undo);
    assert!(l.notes[0].retracted);
    assert_eq!(l.undo_for("mina", None), Err(UndoRefused::Nothing));
}

#[test]
fn not_applicable_keeps_its_reason_and_counts_as_done() {
    let mut l = ledger();
    let na = Action::Check {
        id: "db-migration".into(),
        mark: MarkState::NotApplicable,
        reason: Some("no schema change tonight".into()),
    };
    l.apply(recorded(1, "joon", na));
    let i = l
        .checklist
        .iter()
        .position(|c| c.id == "db-migration")
        .unwrap();
    assert_eq!(l.mark_state(i), MarkState::NotApplicable);
    assert_eq!(
        l.marks[i].as_ref().unwrap().reason.as_deref(),
        Some("no schema change tonight")
    );
    assert_eq!(
        l.undo_for("joon", None).unwrap().1,
        check("db-migration", MarkState::Open)
    );
}

#[test]
fn an_undo_is_judged_where_the_file_puts_it() {
    // Joon's change lands between mina's action and her undo (she pressed u
    // before her seat had read his line): every seat rejects the undo.
    let mut l = ledger();
    l.apply(recorded(1, "mina", status("PAY-PERF", ItemStatus::Passed)));
    l.apply(recorded(2, "joon", status("PAY-PERF", ItemStatus::Failed)));
    let mut undo = recorded(3, "mina", status("PAY-PERF", ItemStatus::Untested));
    undo.undoes = Some(1);
    assert_eq!(
        l.apply(undo),
        &Outcome::Rejected("cannot undo line 1: item PAY-PERF was changed since by joon".into())
    );
    let pay = l.items.iter().find(|i| i.id == "PAY-PERF").unwrap();
    assert_eq!(pay.status, ItemStatus::Failed);
    assert!(!l.log[0].undone);
}

#[test]
fn a_hand_written_undo_of_someone_else_is_rejected() {
    let mut l = ledger();
    l.apply(recorded(1, "mina", check("rollback-plan", MarkState::Done)));
    let mut forged = recorded(2, "joon", check("rollback-plan", MarkState::Open));
    forged.undoes = Some(1);
    assert_eq!(
        l.apply(forged),
        &Outcome::Rejected("line 1 is not this seat's to take back".into())
    );
    let mut wrong = recorded(3, "mina", Action::RetractNote { line: 1 });
    wrong.undoes = Some(1);
    assert_eq!(
        l.apply(wrong),
        &Outcome::Rejected("not the undo of line 1".into())
    );
    assert_eq!(l.mark_state(11), MarkState::Done);
}

#[test]
fn undo_belongs_to_the_seat_even_under_one_login() {
    let mut l = ledger();
    let mut a = recorded(1, "deploy", status("API-TIMEOUT", ItemStatus::InProgress));
    a.seat = Some("seat-a".into());
    let mut b = recorded(2, "deploy", check("rollback-plan", MarkState::Done));
    b.seat = Some("seat-b".into());
    l.apply(a);
    l.apply(b);
    assert_eq!(
        l.undo_for("deploy", Some("seat-a")).unwrap(),
        (1, status("API-TIMEOUT", ItemStatus::Untested))
    );
    assert_eq!(
        l.undo_for("deploy", Some("seat-b")).unwrap(),
        (2, check("rollback-plan", MarkState::Open))
    );
    assert_eq!(
        l.undo_for("deploy", Some("seat-c")),
        Err(UndoRefused::Nothing)
    );
}

#[test]
fn an_undo_that_puts_passed_back_is_not_a_new_pass() {
    let mut ledger = ledger();
    let i = ledger
        .items
        .iter()
        .position(|i| i.id == "API-TIMEOUT")
        .unwrap();
    let at = |line: u64, when: &str, status_: ItemStatus, undoes: Option<u64>| Recorded {
        stamp: Stamp {
            actor: "mina".into(),
            at: DateTime::parse_from_rfc3339(when).unwrap(),
        },
        undoes,
        ..recorded(line, "mina", status("API-TIMEOUT", status_))
    };
    ledger.apply(at(1, "2026-11-25T17:00:00+09:00", ItemStatus::Passed, None));
    let wednesday = ledger.passed_at(i);
    assert_eq!(
        wednesday.map(|t| t.to_rfc3339()),
        Some("2026-11-25T08:00:00+00:00".into())
    );
    ledger.apply(at(2, "2026-11-26T10:00:00+09:00", ItemStatus::Failed, None));
    assert_eq!(ledger.passed_at(i), None);
    ledger.apply(at(
        3,
        "2026-11-26T10:01:00+09:00",
        ItemStatus::Passed,
        Some(2),
    ));
    assert_eq!(
        ledger.passed_at(i),
        wednesday,
        "passed on Wednesday, as the journal says"
    );
}
