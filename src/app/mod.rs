//! The war room's state, its messages, the pure `update`, and the loop that
//! carries out the effects.

mod actions;
mod alerts;
mod check_in_slots;
mod effect;
mod event_lines;
pub mod form;
mod journal_link;
pub mod keymap;
mod mouse;
mod msg;
mod navigate;
mod pane;
mod run;
mod state;
mod update;

pub use alerts::current as current_alerts;
pub use effect::Effect;
pub use msg::Msg;
pub use pane::Pane;
pub use run::{Face, RunOptions, run};
pub use state::{CHART_WINDOW, Notice, Overlay, State, ZOOMS};
pub use update::{apply_journal, key_mode, update};
