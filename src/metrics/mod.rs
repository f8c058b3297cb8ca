//! Time series of the live metrics, kept apart from the panes that draw them.

pub mod alert;
pub mod format;
mod limits;
mod series;
mod store;

pub use alert::{CritStretch, crit_stretch};
pub use limits::{Level, Limits};
pub use series::{Bucket, Sample, Series, WindowStats, expected_samples};
pub use store::{Health, MetricId, MetricStore, RETENTION};
