//! Everything that can happen to the war room, as one message type: terminal
//! input, the clock, the metric sources and the journal.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use super::form::FormKey;
use crate::journal;
use crate::metrics::{Health, MetricId, Sample};

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// A key, mapped to a message by the keymap for what is on screen.
    Key(KeyEvent),
    /// A click or the wheel, mapped by where it landed.
    /// When it came: two clicks on one place close together are a double click.
    Mouse(crossterm::event::MouseEvent, std::time::Instant),
    /// The clock moved on to this time.
    Tick(DateTime<Utc>),
    /// The terminal's size, at the start and whenever it changes; everything
    /// is drawn again.
    Resize(u16, u16),
    /// The focused pane fills the body, or gives it back: `f`.
    FullPane,
    /// Presenter mode on or off: `p`.
    Present,
    /// Presenter mode's next pane, on its interval (`--cycle`).
    Cycle,
    /// A page of the focused list down or up.
    PageDown,
    PageUp,
    FocusNext,
    FocusPrev,
    Focus(super::Pane),
    SelectNext,
    SelectPrev,
    SelectFirst,
    SelectLast,
    /// The focused pane's entry at this place in its list: a click.
    SelectAt(usize),
    ToggleHelp,
    ToggleLog,
    ToggleRiskMatrix,
    /// Every reason of the verdict.
    ToggleReasons,
    /// Opens the approval form for the verdict as it stands.
    Approve,
    CycleSort,
    /// The charts' next span: 5 min, 30 min, 6 h, 48 h.
    Zoom,
    /// The next theme: `T`.
    CycleTheme,
    /// Starts typing the items' filter: `/`.
    Filter,
    /// Space on a checklist entry: done, or open again.
    ToggleCheck,
    /// Opens the reason form for marking the selected entry not applicable.
    NotApplicable,
    /// Opens the status picker for the selected item: `s`.
    PickStatus,
    /// Sets the selected item's status directly, never passing through
    /// statuses it did not have.
    SetStatus(crate::domain::ItemStatus),
    /// Opens the edit form for the selected item.
    EditItem,
    /// Opens the selected item whole: `Enter` in the items pane.
    OpenItem,
    /// Opens the report preview: `r`.
    OpenReport,
    /// Writes the report previewed: `w`.
    WriteReport,
    /// A report written, or why it was not.
    Wrote(Result<String, String>),
    /// Posts the night's status to the team's chat: `S`.
    PostStatus,
    /// This seat's claim to post journal line N to the chat was written.
    ChatClaimed(u64),
    /// The deploy report read whole from the sources.
    ReportRead(String),
    /// A chat post failed, or the status asked for went through.
    ChatPosted(crate::chat::Outcome),
    /// Opens the form to import a load-test result on the selected item: `i`.
    ImportRun,
    /// A result file read for an import, or why it could not be.
    RunRead(Result<Box<crate::import::ReadEvidence>, String>),
    /// In an item's detail, the run before or after the one charted.
    EarlierRun,
    LaterRun,
    /// Opens the note form, on the selected item when the items pane has focus.
    AddNote,
    /// The deploy is done: `D`.
    DeployDone,
    /// Opens the check-in form: `c`.
    CheckIn,
    /// Takes back this seat's actor's last action.
    Undo,
    /// `y` when asked whether to undo an approval or the deploy mark.
    ConfirmUndo,
    /// A key for the open form.
    FormKey(FormKey),
    /// Enter in a form.
    Submit,
    /// Esc: close whatever is open, or quit when nothing is.
    Back,
    Quit,
    Samples(MetricId, Vec<Sample>),
    Health(MetricId, Health),
    /// Lines read from the journal: this seat's and every other's.
    Journal(journal::Batch),
    /// The journal writer's answer for one action: the journal's length once
    /// the line is on disk, or why it is not.
    Saved(Result<u64, String>),
    /// An alert's start or end could not be written to the journal: the
    /// entry, to try again, and why.
    AlertNotSaved(journal::Entry, String),
    /// The journal could not be followed.
    JournalError(String),
    /// The journal can be followed again, and this seat has caught up.
    JournalBack,
}
