//! The last pass over a frame: the roles the panes drew with become the
//! theme's colours, and every cell gets an explicit pair. Reversed cells are
//! turned into the pair they show, so what is measured is what is seen.

use ratatui::buffer::Buffer;
use ratatui::style::{Color, Modifier};

use super::palette::{Palette, Rgb, ThemeName};

/// How this seat colours the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Look {
    pub theme: ThemeName,
    /// `NO_COLOR` was set: no colour at all, only bold, underline and reverse.
    pub no_color: bool,
}

pub fn paint(look: Look, buf: &mut Buffer) {
    if look.no_color {
        for cell in &mut buf.content {
            cell.fg = Color::Reset;
            cell.bg = Color::Reset;
        }
        return;
    }
    let palette = look.theme.palette();
    for cell in &mut buf.content {
        let (fg, bg) = pair(palette, cell.fg, cell.bg, cell.modifier);
        cell.fg = fg.color();
        cell.bg = bg.color();
        cell.modifier.remove(Modifier::REVERSED);
    }
}

/// The colours a cell drawn with `fg` on `bg` shows in this palette.
pub fn pair(palette: &Palette, fg: Color, bg: Color, modifier: Modifier) -> (Rgb, Rgb) {
    let front = match fg {
        Color::Reset | Color::Black => palette.text,
        other => ink(palette, other),
    };
    let back = match bg {
        Color::Reset => palette.background,
        other => ink(palette, other),
    };
    let (front, back) = if modifier.contains(Modifier::REVERSED) {
        (back, front)
    } else {
        (front, back)
    };
    if back == palette.background {
        (front, back)
    } else {
        // On a coloured ground (a badge, a banner, a selected row) the text
        // takes the theme's background: the one pair every ink is tested with.
        (palette.background, back)
    }
}

/// The theme's colour for a role the panes name.
fn ink(palette: &Palette, color: Color) -> Rgb {
    match color {
        Color::Red => palette.crit,
        Color::LightRed => palette.high,
        Color::Yellow | Color::LightYellow => palette.warn,
        Color::Green | Color::LightGreen => palette.ok,
        Color::Cyan | Color::LightCyan | Color::Blue | Color::LightBlue => palette.accent,
        Color::Magenta | Color::LightMagenta => palette.tag,
        Color::DarkGray | Color::Gray => palette.dim,
        Color::Black => palette.background,
        Color::Rgb(r, g, b) => Rgb(r, g, b),
        _ => palette.text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    #[test]
    fn a_reversed_badge_is_background_on_its_colour() {
        let p = ThemeName::Dark.palette();
        let badge = pair(p, Color::Red, Color::Reset, Modifier::REVERSED);
        assert_eq!(badge, (p.background, p.crit));
        // A selected row: the text colour becomes the ground.
        let row = pair(p, Color::Reset, Color::Reset, Modifier::REVERSED);
        assert_eq!(row, (p.background, p.text));
        // The alert banner's white on red reads as the badge does.
        assert_eq!(
            pair(p, Color::White, Color::Red, Modifier::BOLD),
            (p.background, p.crit)
        );
    }

    #[test]
    fn no_color_keeps_only_the_modifiers() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 2, 1));
        buf.set_string(
            0,
            0,
            "x",
            Style::new().fg(Color::Red).add_modifier(Modifier::REVERSED),
        );
        let look = Look {
            theme: ThemeName::Light,
            no_color: true,
        };
        paint(look, &mut buf);
        assert_eq!(buf[(0, 0)].fg, Color::Reset);
        assert!(buf[(0, 0)].modifier.contains(Modifier::REVERSED));
    }
}
