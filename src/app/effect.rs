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
    Quit,
}
