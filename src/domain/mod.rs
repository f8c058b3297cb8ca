//! Pure rules of deploy night. Nothing here does I/O.

pub mod checklist;
pub mod item;
pub mod schedule;
pub mod zone;

pub use checklist::ChecklistEntry;
pub use item::{ItemStatus, Priority, ReleaseItem, Risk};
pub use schedule::{Countdown, Phase, Schedule};
pub use zone::Zone;
