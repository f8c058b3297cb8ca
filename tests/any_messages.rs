//! Whatever arrives, the war room neither panics in `update` nor in drawing
//! what it then holds.
//!
//! From the demo night at 16:40, sequences of up to 60 steps go through
//! `warroom::app::update`: keys (letters, digits, space, Tab, Enter, Esc,
//! arrows, Home, End, Backspace, non-ASCII characters, now and then with a
//! modifier or as a release), the navigation and action messages themselves
//! (every one but `Quit`), long pastes into forms, the clock moved forward and
//! back by seconds and hours (and now and then to 1970 or years off), samples
//! for metric ids in and out of the plan with NaN, infinities, negatives, zero
//! and huge values at times near now, long ago, far ahead and at the ends of
//! the calendar, runs of samples long enough to start and end alerts, every
//! health including a backlog read past its end and of zero bytes, resizes,
//! and draws midway at any size. The state is then drawn at 80x24, 120x40,
//! 200x60 and at a too-small 10x5.
//!
//! `any_message_sequence_keeps_the_room_up` drops the effects `update`
//! returns, as a seat whose journal never answers, and mixes in answers for
//! lines never sent (`Saved` at any offset, or an error) and the journal
//! going offline. The second property plays the loop's journal link instead:
//! what the seat appends is written (or refused) and read back when the
//! sequence says, so the ledger moves, undo has something to take back and
//! alert lines that failed are retried.
//!
//! Cargo builds test targets with `panic = "unwind"` whatever the profile
//! says, so a panic is caught, shrunk, and reported with the messages as
//! applied (times resolved), the panic's message and its location. Were the
//! tests built to abort, the panic hook prints the messages before the abort.

#[path = "common/mod.rs"]
mod common;

use std::cell::RefCell;
use std::fmt::Write as _;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{LazyLock, Once};

use chrono::{DateTime, TimeDelta, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyEventState, KeyModifiers};
use proptest::prelude::*;
use proptest::test_runner::TestCaseError;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use warroom::app::form::FormKey;
use warroom::app::{Effect, Msg, Pane, State, update};
use warroom::domain::ItemStatus;
use warroom::journal::{Batch, Entry, Line, Position};
use warroom::metrics::{Health, MetricId, Sample};

/// The demo plan has five metrics: 5 to 7 are not in it.
const METRIC_IDS: std::ops::Range<MetricId> = 0..8;
const MAX_STEPS: usize = 60;
const SIZES: [(u16, u16); 4] = [(80, 24), (120, 40), (200, 60), (10, 5)];

/// Built once; every case starts from a clone.
static DEMO: LazyLock<State> = LazyLock::new(common::demo_state);

fn start() -> DateTime<Utc> {
    DEMO.night.now
}

/// A moment relative to the demo's 16:40 or to the clock as it stands.
#[derive(Debug, Clone)]
enum When {
    /// Milliseconds from the state's clock when the step is applied.
    FromNow(i64),
    /// Milliseconds from the demo's 16:40.
    FromStart(i64),
    /// 1970-01-01.
    Epoch,
    MinUtc,
    MaxUtc,
}

impl When {
    fn resolve(&self, now: DateTime<Utc>) -> DateTime<Utc> {
        match self {
            // Past the ends of the calendar, its end.
            When::FromNow(ms) => now
                .checked_add_signed(TimeDelta::milliseconds(*ms))
                .unwrap_or(if *ms < 0 {
                    DateTime::<Utc>::MIN_UTC
                } else {
                    DateTime::<Utc>::MAX_UTC
                }),
            When::FromStart(ms) => start() + TimeDelta::milliseconds(*ms),
            When::Epoch => DateTime::UNIX_EPOCH,
            When::MinUtc => DateTime::<Utc>::MIN_UTC,
            When::MaxUtc => DateTime::<Utc>::MAX_UTC,
        }
    }
}

/// What the loop's journal link does, in the second property.
#[derive(Debug, Clone, Copy)]
enum Journal {
    /// The writer appends what the seat sent and answers `Saved(Ok(end))`
    /// for each of a person's lines (alert lines get no answer).
    Write,
    /// The writer fails: `Saved(Err)` for a person's line,
    /// `AlertNotSaved` for an alert's.
    Refuse,
    /// The follower reads every line written since it last read.
    Read,
    /// `Write`, then `Read`: the usual way.
    WriteAndRead,
}

#[derive(Debug, Clone)]
enum Step {
    /// A message as it is.
    Msg(Msg),
    /// `Msg::Tick` to this moment.
    Tick(When),
    /// `Msg::Samples` at these moments.
    Samples(MetricId, Vec<(When, f64)>),
    /// One `Msg::Samples` of samples `every_ms` apart from `from`, each
    /// stretch a value that many times.
    Run {
        id: MetricId,
        from: When,
        every_ms: i64,
        stretches: Vec<(f64, usize)>,
    },
    /// Typed text: one key press a character.
    Paste(String),
    Journal(Journal),
    /// The screen drawn at this size, midway.
    Draw(u16, u16),
}

// --- strategies -----------------------------------------------------------

fn character() -> impl Strategy<Value = char> {
    prop_oneof![
        8 => prop::char::range('a', 'z'),
        4 => prop::char::range('A', 'Z'),
        4 => prop::char::range('0', '9'),
        2 => prop::sample::select(vec![' ', '?', '-', '.', ',', '/', '\t', '\n', '\u{7f}']),
        2 => prop::sample::select(vec!['한', '😀', 'é', '\u{301}', '\u{200b}', 'ｗ', '\u{feff}']),
    ]
}

fn key_code() -> impl Strategy<Value = KeyCode> {
    prop_oneof![
        6 => character().prop_map(KeyCode::Char),
        4 => prop::sample::select(vec![
            KeyCode::Tab,
            KeyCode::BackTab,
            KeyCode::Enter,
            KeyCode::Esc,
            KeyCode::Up,
            KeyCode::Down,
            KeyCode::Left,
            KeyCode::Right,
            KeyCode::Home,
            KeyCode::End,
            KeyCode::Backspace,
            KeyCode::Delete,
            KeyCode::PageUp,
            KeyCode::F(1),
        ]),
    ]
}

fn key() -> impl Strategy<Value = KeyEvent> {
    let modifiers = prop_oneof![
        12 => Just(KeyModifiers::NONE),
        3 => Just(KeyModifiers::SHIFT),
        1 => Just(KeyModifiers::ALT),
        1 => Just(KeyModifiers::CONTROL),
    ];
    let kind = prop_oneof![
        12 => Just(KeyEventKind::Press),
        1 => Just(KeyEventKind::Repeat),
        1 => Just(KeyEventKind::Release),
    ];
    (key_code(), modifiers, kind)
        .prop_map(|(code, modifiers, kind)| KeyEvent::new_with_kind(code, modifiers, kind))
}

fn mouse_kind() -> impl Strategy<Value = crossterm::event::MouseEventKind> {
    use crossterm::event::{MouseButton, MouseEventKind};
    prop::sample::select(vec![
        MouseEventKind::Down(MouseButton::Left),
        MouseEventKind::Down(MouseButton::Right),
        MouseEventKind::Up(MouseButton::Left),
        MouseEventKind::Drag(MouseButton::Left),
        MouseEventKind::Moved,
        MouseEventKind::ScrollDown,
        MouseEventKind::ScrollUp,
    ])
}

/// Every message a person or the keymap can send, `Quit` aside.
fn plain_message() -> impl Strategy<Value = Msg> {
    let form_key = prop_oneof![
        character().prop_map(FormKey::Char),
        Just(FormKey::Backspace),
        Just(FormKey::Next),
        Just(FormKey::Prev),
    ];
    prop_oneof![
        2 => (0..300u16, 0..100u16).prop_map(|(w, h)| Msg::Resize(w, h)),
        4 => (mouse_kind(), 0..260u16, 0..80u16).prop_map(|(kind, column, row)| Msg::Mouse(
            crossterm::event::MouseEvent {
                kind,
                column,
                row,
                modifiers: KeyModifiers::NONE,
            },
            std::time::Instant::now(),
        )),
        2 => (0..40usize).prop_map(Msg::SelectAt),
        3 => prop::sample::select(vec![
            Msg::FullPane,
            Msg::Present,
            Msg::Cycle,
            Msg::PageDown,
            Msg::PageUp,
            Msg::CycleTheme,
        ]),
        6 => prop::sample::select(vec![
            Msg::FocusNext,
            Msg::FocusPrev,
            Msg::SelectNext,
            Msg::SelectPrev,
            Msg::SelectFirst,
            Msg::SelectLast,
            Msg::CycleSort,
            Msg::Zoom,
        ]),
        3 => prop::sample::select(vec![
            Msg::ToggleHelp,
            Msg::ToggleLog,
            Msg::ToggleRiskMatrix,
            Msg::ToggleReasons,
        ]),
        8 => prop::sample::select(vec![
            Msg::ToggleCheck,
            Msg::NotApplicable,
            Msg::PickStatus,
            Msg::EditItem,
            Msg::AddNote,
            Msg::DeployDone,
            Msg::CheckIn,
            Msg::Undo,
            Msg::Approve,
        ]),
        4 => Just(Msg::Submit),
        2 => Just(Msg::Back),
        3 => prop::sample::select(Pane::ALL.to_vec()).prop_map(Msg::Focus),
        3 => prop::sample::select(vec![
            ItemStatus::Untested,
            ItemStatus::InProgress,
            ItemStatus::Passed,
            ItemStatus::Failed,
        ])
        .prop_map(Msg::SetStatus),
        4 => form_key.prop_map(Msg::FormKey),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        prop::collection::vec(character(), 1..40).prop_map(|c| c.into_iter().collect()),
        Just("x".repeat(2_000)),
        Just("한😀\n\t\u{1b}[31m".to_string()),
    ]
}

fn health() -> impl Strategy<Value = Health> {
    let bytes = prop_oneof![
        Just(0),
        Just(1),
        Just(u64::MAX),
        Just(u64::MAX - 1),
        any::<u64>(),
        0..10_000u64
    ];
    prop_oneof![
        Just(Health::Starting),
        Just(Health::Ok),
        Just(Health::Stale),
        text().prop_map(Health::Down),
        (bytes.clone(), bytes.clone()).prop_map(|(read, total)| Health::Reading { read, total }),
        // Past the end and of nothing.
        (bytes.clone(), 0..3u64).prop_map(|(read, total)| Health::Reading { read, total }),
        (1..u64::MAX, bytes).prop_map(|(extra, total)| Health::Reading {
            read: total.saturating_add(extra),
            total,
        }),
    ]
}

fn value() -> impl Strategy<Value = f64> {
    prop_oneof![
        6 => -100.0..5_000.0f64,
        1 => prop::sample::select(vec![
            f64::NAN,
            -f64::NAN,
            f64::INFINITY,
            f64::NEG_INFINITY,
            0.0,
            -0.0,
            -1.0,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            f64::EPSILON,
            1e300,
            -1e300,
            1e-300,
            5e-324,
            9_007_199_254_740_993.0,
        ]),
        1 => any::<f64>(),
    ]
}

fn sample_time() -> impl Strategy<Value = When> {
    const HOUR: i64 = 3_600_000;
    prop_oneof![
        12 => (-10 * 60_000..60_000i64).prop_map(When::FromNow),
        6 => (-48 * HOUR..HOUR).prop_map(When::FromNow),
        3 => (-6 * HOUR..14 * HOUR).prop_map(When::FromStart),
        1 => (-100_000 * HOUR..100_000 * HOUR).prop_map(When::FromNow),
        1 => Just(When::Epoch),
        1 => Just(When::MinUtc),
        1 => Just(When::MaxUtc),
    ]
}

fn tick_time() -> impl Strategy<Value = When> {
    const HOUR: i64 = 3_600_000;
    prop_oneof![
        // The clock as it goes: a second on, or a little back.
        6 => (-2_000..2_000i64).prop_map(When::FromNow),
        4 => (-3 * HOUR..3 * HOUR).prop_map(When::FromNow),
        // Anywhere in the night: before the room opens, through the deploy
        // at 23:00, the watch window and its check-ins.
        4 => (-4 * HOUR..14 * HOUR).prop_map(When::FromStart),
        // A machine's clock set wrong: 1970, or years off.
        1 => Just(When::Epoch),
        1 => (-100_000 * HOUR..100_000 * HOUR).prop_map(When::FromNow),
    ]
}

/// A run of samples a fixed interval apart, in stretches of one value each:
/// long enough above crit to start an alert, then back below to end it.
fn run_of_samples() -> impl Strategy<Value = Step> {
    let start = prop_oneof![
        4 => (-40 * 60_000..0i64).prop_map(When::FromNow),
        1 => sample_time(),
    ];
    let stretches = prop::collection::vec((value(), 1..120usize), 1..4);
    (METRIC_IDS, start, 200..5_000i64, stretches).prop_map(|(id, from, every_ms, stretches)| {
        Step::Run {
            id,
            from,
            every_ms,
            stretches,
        }
    })
}

/// A terminal's size: most of them big enough, some too small, some at the
/// edges the layout changes at.
fn size() -> impl Strategy<Value = (u16, u16)> {
    prop_oneof![
        4 => (80..=260u16, 24..=90u16),
        1 => (0..=100u16, 0..=30u16),
        1 => prop::sample::select(vec![(80, 24), (79, 24), (80, 23), (80, 29), (80, 30), (1, 1), (0, 0)]),
    ]
}

/// Messages from the terminal, the clock and the sources.
fn message_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        24 => key().prop_map(|k| Step::Msg(Msg::Key(k))),
        20 => plain_message().prop_map(Step::Msg),
        6 => tick_time().prop_map(Step::Tick),
        5 => (METRIC_IDS, prop::collection::vec((sample_time(), value()), 0..16))
            .prop_map(|(id, samples)| Step::Samples(id, samples)),
        2 => run_of_samples(),
        3 => (METRIC_IDS, health()).prop_map(|(id, h)| Step::Msg(Msg::Health(id, h))),
        2 => prop::collection::vec(character(), 0..700)
            .prop_map(|c| Step::Paste(c.into_iter().collect())),
        2 => size().prop_map(|(w, h)| Step::Draw(w, h)),
        1 => Just(Step::Msg(Msg::Key(KeyEvent {
            code: KeyCode::Char('x'),
            modifiers: KeyModifiers::all(),
            kind: KeyEventKind::Press,
            state: KeyEventState::all(),
        }))),
    ]
}

/// The journal's messages, made up: answers for lines never sent, at any
/// offset, and the journal going offline.
fn journal_noise() -> impl Strategy<Value = Step> {
    let saved = prop_oneof![
        prop_oneof![Just(0), Just(1), Just(u64::MAX), 0..100_000u64].prop_map(Ok),
        text().prop_map(Err),
    ];
    prop_oneof![
        2 => saved.prop_map(|s| Step::Msg(Msg::Saved(s))),
        1 => text().prop_map(|t| Step::Msg(Msg::JournalError(t))),
    ]
}

fn journal_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => Just(Step::Journal(Journal::WriteAndRead)),
        2 => Just(Step::Journal(Journal::Write)),
        1 => Just(Step::Journal(Journal::Refuse)),
        2 => Just(Step::Journal(Journal::Read)),
    ]
}

fn messages() -> impl Strategy<Value = Vec<Step>> {
    let step = prop_oneof![20 => message_step(), 1 => journal_noise()];
    prop::collection::vec(step, 0..=MAX_STEPS)
}

/// Going offline is rarer here: it stops every action for the rest of the case.
fn messages_and_journal() -> impl Strategy<Value = Vec<Step>> {
    let offline = text().prop_map(|t| Step::Msg(Msg::JournalError(t)));
    let step = prop_oneof![200 => message_step(), 80 => journal_step(), 1 => offline];
    prop::collection::vec(step, 0..=MAX_STEPS)
}

// --- the run --------------------------------------------------------------

/// The journal as the loop's link would keep it.
#[derive(Default)]
struct JournalFile {
    /// Sent by the seat, not yet written.
    queued: Vec<Entry>,
    lines: Vec<Entry>,
    end: u64,
    /// Lines the follower has read.
    read: usize,
}

thread_local! {
    /// The messages applied so far in this case, as `{:?}`, and where.
    static APPLIED: RefCell<Vec<String>> = const { RefCell::new(Vec::new()) };
    /// The last panic on this thread: its message and location.
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
    /// Whether a case is running: its panics are reported by `run`, others
    /// (proptest's own report) as usual.
    static IN_CASE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Keeps each panic's message and location for the failure report; where
/// a panic aborts the process, prints the messages that led to it first.
fn install_panic_hook() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let default = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_CASE.get() {
                return default(info);
            }
            PANIC.with(|p| *p.borrow_mut() = Some(info.to_string()));
            if cfg!(panic = "abort") {
                eprintln!("{}", applied_report());
                default(info);
            }
        }));
    });
}

fn applied_report() -> String {
    APPLIED.with(|applied| {
        let applied = applied.borrow();
        let mut report = format!("{} messages applied to the demo at 16:40:\n", applied.len());
        for (i, msg) in applied.iter().enumerate() {
            let _ = writeln!(report, "{i:>3}: {msg}");
        }
        report
    })
}

fn apply(state: &mut State, msg: Msg, journal: &mut JournalFile) {
    APPLIED.with(|a| a.borrow_mut().push(format!("{msg:?}")));
    for effect in update(state, msg) {
        if let Effect::Append(entry) = effect {
            journal.queued.push(entry);
        }
    }
}

fn step(state: &mut State, step: &Step, journal: &mut JournalFile) {
    match step {
        Step::Msg(msg) => apply(state, msg.clone(), journal),
        Step::Tick(when) => {
            let at = when.resolve(state.night.now);
            apply(state, Msg::Tick(at), journal);
        }
        Step::Samples(id, samples) => {
            let now = state.night.now;
            let samples = samples
                .iter()
                .map(|(when, value)| Sample {
                    at: when.resolve(now),
                    value: *value,
                })
                .collect();
            apply(state, Msg::Samples(*id, samples), journal);
        }
        Step::Run {
            id,
            from,
            every_ms,
            stretches,
        } => {
            let from = from.resolve(state.night.now);
            let samples = stretches
                .iter()
                .flat_map(|&(value, times)| std::iter::repeat_n(value, times))
                .enumerate()
                .filter_map(|(i, value)| {
                    let at =
                        from.checked_add_signed(TimeDelta::milliseconds(i as i64 * every_ms))?;
                    Some(Sample { at, value })
                })
                .collect();
            apply(state, Msg::Samples(*id, samples), journal);
        }
        Step::Draw(width, height) => draw(state, (*width, *height)),
        Step::Paste(text) => {
            for c in text.chars() {
                apply(state, Msg::Key(KeyEvent::from(KeyCode::Char(c))), journal);
            }
        }
        Step::Journal(Journal::WriteAndRead) => {
            self::step(state, &Step::Journal(Journal::Write), journal);
            self::step(state, &Step::Journal(Journal::Read), journal);
        }
        Step::Journal(Journal::Write) => {
            for entry in std::mem::take(&mut journal.queued) {
                journal.end += entry.to_line().len() as u64 + 1;
                let person = entry.action.as_ref().is_none_or(|a| a.by_person());
                journal.lines.push(entry);
                if person {
                    apply(state, Msg::Saved(Ok(journal.end)), journal);
                }
            }
        }
        Step::Journal(Journal::Refuse) => {
            for entry in std::mem::take(&mut journal.queued) {
                let why = "No space left on device (os error 28)".to_string();
                let person = entry.action.as_ref().is_none_or(|a| a.by_person());
                let msg = if person {
                    Msg::Saved(Err(why))
                } else {
                    Msg::AlertNotSaved(entry, format!("alert not recorded, retrying: {why}"))
                };
                apply(state, msg, journal);
            }
        }
        Step::Journal(Journal::Read) => {
            if journal.read == journal.lines.len() {
                return;
            }
            let lines = journal.lines[journal.read..]
                .iter()
                .enumerate()
                .map(|(i, entry)| Line {
                    number: (journal.read + i + 1) as u64,
                    entry: entry.clone(),
                    role: None,
                })
                .collect();
            journal.read = journal.lines.len();
            let batch = Batch {
                lines,
                position: Position {
                    offset: journal.end,
                    lines: journal.lines.len() as u64,
                },
                ..Batch::default()
            };
            apply(state, Msg::Journal(batch), journal);
        }
    }
}

fn draw(state: &State, (width, height): (u16, u16)) {
    APPLIED.with(|a| a.borrow_mut().push(format!("(drawn at {width}x{height})")));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| warroom::ui::render(state, frame))
        .expect("draw");
    APPLIED.with(|a| a.borrow_mut().pop());
}

/// Applies `steps` to the demo and draws the result; a panic becomes a
/// failure naming the messages, the panic and where it happened.
fn run(steps: &[Step]) -> Result<(), TestCaseError> {
    install_panic_hook();
    APPLIED.with(|a| a.borrow_mut().clear());
    PANIC.with(|p| p.borrow_mut().take());
    IN_CASE.set(true);
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let mut state = DEMO.clone();
        let mut journal = JournalFile::default();
        for s in steps {
            step(&mut state, s, &mut journal);
        }
        for size in SIZES {
            draw(&state, size);
        }
    }));
    IN_CASE.set(false);
    match outcome {
        Ok(()) => Ok(()),
        Err(_) => {
            let panic = PANIC
                .with(|p| p.borrow_mut().take())
                .unwrap_or_else(|| "a panic without a message".to_string());
            Err(TestCaseError::fail(format!(
                "{panic}\n(the last message, or the drawing, panicked)\n{}",
                applied_report()
            )))
        }
    }
}

/// 64 cases each, a few seconds on two cores in a debug build;
/// `PROPTEST_CASES` asks for more.
fn config() -> ProptestConfig {
    let defaults = ProptestConfig::default();
    ProptestConfig {
        cases: match std::env::var_os("PROPTEST_CASES") {
            Some(_) => defaults.cases,
            None => 64,
        },
        // A failure prints its minimal case; nothing is written beside the tests.
        failure_persistence: None,
        ..defaults
    }
}

proptest! {
    #![proptest_config(config())]

    /// The effects are dropped: nothing the seat sends is ever saved.
    #[test]
    fn any_message_sequence_keeps_the_room_up(steps in messages()) {
        run(&steps)?;
    }

    /// The journal answers: actions are written, refused and read back.
    #[test]
    fn any_message_sequence_with_the_journal_answering_keeps_the_room_up(
        steps in messages_and_journal()
    ) {
        run(&steps)?;
    }
}
