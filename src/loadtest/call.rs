//! One sample of a load test, whatever file it was read from.

/// One sample of the test.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Call {
    /// When it started, in milliseconds since the epoch.
    pub start_ms: i64,
    pub elapsed_ms: u32,
    pub ok: bool,
    /// Its label and response code, as indices into the reader's names
    /// (0: not read; only a reader made `with_names` reads them).
    pub label: u32,
    pub code: u32,
}

impl Call {
    /// When it ended, and so when its line was written.
    pub fn end_ms(&self) -> i64 {
        self.start_ms.saturating_add(i64::from(self.elapsed_ms))
    }
}
