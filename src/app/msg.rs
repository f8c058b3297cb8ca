//! Everything that can happen to the war room, as one message type: terminal
//! input (already mapped by the keymap), the clock, and the metric sources.

use chrono::{DateTime, Utc};

use crate::metrics::{Health, MetricId, Sample};

#[derive(Debug, Clone, PartialEq)]
pub enum Msg {
    /// The clock moved on to this time.
    Tick(DateTime<Utc>),
    /// The terminal changed size; everything is drawn again.
    Resize,
    FocusNext,
    FocusPrev,
    Focus(super::Pane),
    SelectNext,
    SelectPrev,
    SelectFirst,
    SelectLast,
    ToggleHelp,
    /// Esc: close whatever is open, or quit when nothing is.
    Back,
    Quit,
    Samples(MetricId, Vec<Sample>),
    Health(MetricId, Health),
}
