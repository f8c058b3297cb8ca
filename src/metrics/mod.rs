//! Time series of the live metrics, kept apart from the panes that draw them.

pub mod alert;
pub mod format;
mod limits;
mod series;
mod store;

pub use limits::{Level, Limits};
pub use series::{Bucket, CritStretch, Sample, Series, WindowStats, crit_stretch};
pub use store::{Health, MetricId, MetricStore};
