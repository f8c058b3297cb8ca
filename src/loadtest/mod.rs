//! Load-test results as JMeter and k6 write them: the calls of a result
//! file, whatever its format, and what each second of the test showed once
//! all its calls are in.

pub mod call;
pub mod connections;
pub mod error;
pub mod jtl;
pub mod k6;
pub mod k6_summary;
pub mod millisecond_counts;
pub mod names;
pub mod open_loop;
pub mod result_file;
pub mod seconds;
pub mod stamp;
pub mod sub_results;
pub mod summary;
pub mod xml;

pub use call::Call;
pub use error::ResultError;
pub use jtl::CsvCalls;
pub use k6::K6Calls;
pub use k6_summary::is_summary_export;
pub use names::Names;
pub use result_file::{Format, ReadCalls, ResultCalls};
pub use seconds::{SecondStats, SecondsBook};
pub use summary::{Summarizer, Summary};
pub use xml::XmlCalls;
