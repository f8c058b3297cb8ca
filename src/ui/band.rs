//! The band under the header: the verdict and the countdown side by side, both
//! large, so the call reads the most important fact as easily as the time
//! left; the verdict's reasons and the approval between them.
//!
//! ```text
//!  █  █ ███     ███ ███   NO-GO ✗ API-TIMEOUT: Critical…   ███     ███ ███
//!  ██ █ # #     #   # #   · 3 items added after the …      █   █   █ █ █ █
//!  …                      +6 more (g)                      …
//!                         not approved (A)
//! ```

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

use super::{big_text, countdown, verdict};
use crate::app::State;
use crate::domain::gate::Verdict;

/// The fewest cells the reasons keep between the two large figures; with
/// less, the countdown gives up its large digits (its pane shows it too).
const REASONS_AT_LEAST: u16 = 40;

/// Rows the band takes on a screen of this size: its letters twice as large
/// on a big screen, and in presenter mode wherever both figures fit so.
pub fn height(state: &State, screen: Rect) -> u16 {
    big_text::HEIGHT * scale(state, screen)
}

fn scale(state: &State, screen: Rect) -> u16 {
    let big = screen.height >= 60 && screen.width >= 200;
    let presenting = state.view.present && screen.height >= 36 && screen.width >= 160;
    if big || presenting { 2 } else { 1 }
}

pub fn render(state: &State, verdict: &Verdict, screen: Rect, area: Rect, buf: &mut Buffer) {
    let scale = scale(state, screen);
    let (word, style) = verdict::word(state, verdict);
    let word_width = big_text::width(word, scale);
    let word_area = Rect {
        x: area.x + 1,
        width: word_width.min(area.width.saturating_sub(1)),
        ..area
    };
    big_text::render(word, scale, style, word_area, buf);

    let left = word_width + 3;
    let digits = countdown::figure(state);
    let digits_width = big_text::width(&digits, scale);
    let large_countdown = area.width >= left + REASONS_AT_LEAST + digits_width + 3;
    let right = if large_countdown { digits_width + 3 } else { 1 };
    let text_area = Rect {
        x: area.x + left,
        width: area.width.saturating_sub(left + right),
        ..area
    };
    if large_countdown {
        let digits_area = Rect {
            x: area.right() - digits_width - 1,
            width: digits_width,
            ..area
        };
        big_text::render(&digits, scale, countdown::style(state), digits_area, buf);
    }
    let rows = usize::from(text_area.height) - usize::from(!large_countdown);
    let mut lines = verdict::lines(state, verdict, usize::from(text_area.width), rows);
    if !large_countdown {
        // The time left still reads in the band, as bold text above the approval.
        let at = lines.len().saturating_sub(1);
        lines.insert(
            at,
            Line::styled(digits, countdown::style(state)).right_aligned(),
        );
    }
    // Centred on the band's rows, as the large letters are.
    let blank = usize::from(text_area.height).saturating_sub(lines.len()) / 2;
    let mut padded = vec![Line::raw(""); blank];
    padded.extend(lines);
    Paragraph::new(padded).render(text_area, buf);
}
