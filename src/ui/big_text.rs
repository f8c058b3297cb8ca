//! Words and digits five cells tall, legible across a video call: the
//! countdown, and the verdict beside it.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;

pub const HEIGHT: u16 = 5;

/// Each glyph as five rows; `#` is a filled cell.
fn glyph(c: char) -> Option<[&'static str; 5]> {
    Some(match c {
        '0' => ["###", "# #", "# #", "# #", "###"],
        '1' => ["  #", "  #", "  #", "  #", "  #"],
        '2' => ["###", "  #", "###", "#  ", "###"],
        '3' => ["###", "  #", "###", "  #", "###"],
        '4' => ["# #", "# #", "###", "  #", "  #"],
        '5' => ["###", "#  ", "###", "  #", "###"],
        '6' => ["###", "#  ", "###", "# #", "###"],
        '7' => ["###", "  #", "  #", "  #", "  #"],
        '8' => ["###", "# #", "###", "# #", "###"],
        '9' => ["###", "# #", "###", "  #", "###"],
        ':' => [" ", "#", " ", "#", " "],
        '-' => ["   ", "   ", "###", "   ", "   "],
        '+' => ["   ", " # ", "###", " # ", "   "],
        'T' => ["###", " # ", " # ", " # ", " # "],
        'A' => ["###", "# #", "###", "# #", "# #"],
        'D' => ["## ", "# #", "# #", "# #", "## "],
        'E' => ["###", "#  ", "## ", "#  ", "###"],
        'G' => ["###", "#  ", "# #", "# #", "###"],
        'H' => ["# #", "# #", "###", "# #", "# #"],
        'K' => ["# #", "# #", "## ", "# #", "# #"],
        'L' => ["#  ", "#  ", "#  ", "#  ", "###"],
        'N' => ["#  #", "## #", "# ##", "#  #", "#  #"],
        'O' => ["###", "# #", "# #", "# #", "###"],
        'R' => ["## ", "# #", "## ", "# #", "# #"],
        'U' => ["# #", "# #", "# #", "# #", "###"],
        'W' => ["#   #", "#   #", "# # #", "# # #", " # # "],
        'Y' => ["# #", "# #", "###", " # ", " # "],
        ' ' => ["  ", "  ", "  ", "  ", "  "],
        _ => return None,
    })
}

/// Cells wide `text` is at a horizontal `scale`, one blank column between glyphs.
pub fn width(text: &str, scale: u16) -> u16 {
    let glyphs: Vec<u16> = text
        .chars()
        .filter_map(glyph)
        .map(|g| g[0].len() as u16 * scale)
        .collect();
    let gaps = glyphs.len().saturating_sub(1) as u16 * scale;
    glyphs.iter().sum::<u16>() + gaps
}

/// Draws `text` centred in `area`, each pixel `scale` cells wide and tall;
/// characters without a glyph are skipped.
pub fn render(text: &str, scale: u16, style: Style, area: Rect, buf: &mut Buffer) {
    let total = width(text, scale);
    let mut x = area.x + area.width.saturating_sub(total) / 2;
    for g in text.chars().filter_map(glyph) {
        for (row, line) in g.iter().enumerate() {
            for dy in 0..scale {
                let y = area.y + row as u16 * scale + dy;
                if y >= area.bottom() {
                    break;
                }
                for (col, pixel) in line.chars().enumerate() {
                    if pixel != '#' {
                        continue;
                    }
                    for dx in 0..scale {
                        let cx = x + col as u16 * scale + dx;
                        if cx < area.right() {
                            buf[(cx, y)].set_symbol("█").set_style(style);
                        }
                    }
                }
            }
        }
        x += (g[0].len() as u16 + 1) * scale;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdown_fits_a_narrow_pane() {
        assert_eq!(width("T-6:20:00", 1), 31);
        assert_eq!(width("T-6:20:00", 2), 62);
    }

    #[test]
    fn scale_two_doubles_both_ways() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 6, 10));
        render("-", 2, Style::new(), buf.area, &mut buf);
        let filled: Vec<u16> = (0..10).filter(|&y| buf[(0, y)].symbol() == "█").collect();
        assert_eq!(filled, [4, 5]);
    }

    #[test]
    fn the_verdicts_have_every_letter() {
        for word in ["GO", "NO-GO", "HEALTHY", "DEGRADED", "UNKNOWN"] {
            assert!(word.chars().all(|c| glyph(c).is_some()), "{word}");
        }
        assert_eq!(width("NO-GO", 1), 20);
    }

    #[test]
    fn draws_blocks() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 7, 5));
        render("1-", 1, Style::new(), buf.area, &mut buf);
        assert_eq!(
            buf,
            Buffer::with_lines(["  █    ", "  █    ", "  █ ███", "  █    ", "  █    "])
        );
    }
}
