//! What `update` asks the loop to do; the loop does the I/O.

#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Something visible changed: draw again.
    Redraw,
    /// Write this to the journal (and fsync) before it counts.
    Append(crate::journal::Entry),
    /// Ring the terminal bell once: an alert started.
    Bell,
    /// Keep these samples of a source without history beside the journal,
    /// for `check` to read what the room saw.
    Record(String, Vec<crate::metrics::Sample>),
    /// Read this result file as evidence on an item, off the loop: a
    /// large file takes seconds. The answer comes back as `Msg::RunRead`.
    ReadRun {
        item: String,
        file: std::path::PathBuf,
        timeout: Option<std::time::Duration>,
    },
    /// Write a document beside the journal, under this name.
    WriteFile {
        name: String,
        text: String,
    },
    /// Post this to the team's chat.
    Post(String),
    /// Post journal line N to the team's chat: this seat's claim on it was
    /// written.
    PostLine(u64),
    /// Read the deploy report's monitoring window from the sources (range
    /// queries at each source's interval), off the loop: the charts hold
    /// older hours only coarsely. The answer comes back as
    /// `Msg::ReportRead`.
    ReadDeployReport,
    Quit,
}
