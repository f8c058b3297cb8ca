//! Pure rules of deploy night. Nothing here does I/O.

pub mod action;
pub mod alert_log;
pub mod checklist;
pub mod deploy_log;
pub mod evidence;
pub mod gate;
pub mod item;
pub mod ledger;
pub mod policy;
pub mod requirement;
pub mod schedule;
mod undo;
pub mod wall_time;
pub mod zone;

pub use action::{Action, MarkState, RiskFigures};
pub use checklist::ChecklistEntry;
pub use item::{ItemStatus, Priority, ReleaseItem, Risk};
pub use ledger::{Ledger, Stamp};
pub use schedule::{Countdown, Phase, Schedule};
pub use zone::Zone;
