//! Load-test results as JMeter writes them: the calls of a CSV result file,
//! and what each second of the test showed once all its calls are in.

pub mod jtl;
pub mod seconds;
pub mod summary;

pub use jtl::{Call, CsvCalls, JtlError};
pub use seconds::{SecondStats, SecondsBook};
pub use summary::{Summarizer, Summary};
