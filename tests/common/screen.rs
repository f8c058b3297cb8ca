//! The room drawn into a test buffer, and read back as text.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use warroom::app::State;

/// One frame of `state` at this size.
pub fn draw(state: &State, width: u16, height: u16) -> Buffer {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test terminal");
    terminal
        .draw(|frame| warroom::ui::render(state, frame))
        .expect("draw");
    terminal.backend().buffer().clone()
}

/// The screen as text, a row a line, a wide character once.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    (0..area.height)
        .map(|y| {
            let mut line = String::new();
            let mut x = 0;
            while x < area.width {
                let cell = &buffer[(x, y)];
                line.push_str(cell.symbol());
                // A wide character covers the next cell too.
                x += unicode_width::UnicodeWidthStr::width(cell.symbol()).max(1) as u16;
            }
            line
        })
        .collect::<Vec<_>>()
        .join("\n")
}
