//! The colours each theme sets, every one of them, background included: the
//! screen is shared over video calls from terminals whose own palettes nobody
//! chose, so a theme owns every cell's pair and can promise its contrast.

use ratatui::style::Color;

/// The themes a seat can pick (`--theme`, the config file, `T` in the room).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
    HighContrast,
}

impl ThemeName {
    pub const ALL: [ThemeName; 3] = [ThemeName::Dark, ThemeName::Light, ThemeName::HighContrast];

    pub fn parse(name: &str) -> Option<ThemeName> {
        match name {
            "dark" => Some(ThemeName::Dark),
            "light" => Some(ThemeName::Light),
            "high-contrast" => Some(ThemeName::HighContrast),
            _ => None,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            ThemeName::Dark => "dark",
            ThemeName::Light => "light",
            ThemeName::HighContrast => "high-contrast",
        }
    }

    pub fn next(self) -> ThemeName {
        match self {
            ThemeName::Dark => ThemeName::Light,
            ThemeName::Light => ThemeName::HighContrast,
            ThemeName::HighContrast => ThemeName::Dark,
        }
    }

    /// The least contrast ratio any text of the theme has against its background.
    pub fn min_contrast(self) -> f64 {
        match self {
            ThemeName::HighContrast => 7.0,
            _ => 4.5,
        }
    }

    pub fn palette(self) -> &'static Palette {
        match self {
            ThemeName::Dark => &DARK,
            ThemeName::Light => &LIGHT,
            ThemeName::HighContrast => &HIGH_CONTRAST,
        }
    }
}

/// One colour per role the panes draw with. The panes name roles with the
/// terminal's colour names (red is crit, yellow warn…); `paint` puts these
/// in their place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Palette {
    pub background: Rgb,
    pub text: Rgb,
    pub dim: Rgb,
    pub accent: Rgb,
    pub ok: Rgb,
    pub warn: Rgb,
    pub crit: Rgb,
    pub high: Rgb,
    pub tag: Rgb,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn color(self) -> Color {
        Color::Rgb(self.0, self.1, self.2)
    }

    /// Relative luminance as WCAG 2 defines it.
    pub fn luminance(self) -> f64 {
        let channel = |c: u8| {
            let c = f64::from(c) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * channel(self.0) + 0.7152 * channel(self.1) + 0.0722 * channel(self.2)
    }

    /// The WCAG 2 contrast ratio of two colours, 1 to 21, either order.
    pub fn contrast(self, other: Rgb) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }
}

impl Palette {
    /// Every colour text is drawn in, with its role's name.
    pub fn inks(&self) -> [(&'static str, Rgb); 8] {
        [
            ("text", self.text),
            ("dim", self.dim),
            ("accent", self.accent),
            ("ok", self.ok),
            ("warn", self.warn),
            ("crit", self.crit),
            ("high", self.high),
            ("tag", self.tag),
        ]
    }
}

pub const DARK: Palette = Palette {
    background: Rgb(0x16, 0x18, 0x1c),
    text: Rgb(0xe6, 0xe6, 0xe6),
    dim: Rgb(0x9c, 0xa3, 0xaf),
    accent: Rgb(0x5f, 0xd0, 0xf0),
    ok: Rgb(0x5f, 0xd7, 0x87),
    warn: Rgb(0xf5, 0xc8, 0x4c),
    crit: Rgb(0xff, 0x6b, 0x6b),
    high: Rgb(0xff, 0x9f, 0x7a),
    tag: Rgb(0xd7, 0x8c, 0xff),
};

pub const LIGHT: Palette = Palette {
    background: Rgb(0xfb, 0xfb, 0xf8),
    text: Rgb(0x1a, 0x1a, 0x1a),
    dim: Rgb(0x5a, 0x5f, 0x66),
    accent: Rgb(0x00, 0x5f, 0x87),
    ok: Rgb(0x1b, 0x6e, 0x33),
    warn: Rgb(0x80, 0x55, 0x00),
    crit: Rgb(0xb0, 0x10, 0x20),
    high: Rgb(0xa0, 0x3a, 0x00),
    tag: Rgb(0x7a, 0x1f, 0xa8),
};

pub const HIGH_CONTRAST: Palette = Palette {
    background: Rgb(0x00, 0x00, 0x00),
    text: Rgb(0xff, 0xff, 0xff),
    dim: Rgb(0xc8, 0xc8, 0xc8),
    accent: Rgb(0x00, 0xff, 0xff),
    ok: Rgb(0x00, 0xff, 0x66),
    warn: Rgb(0xff, 0xff, 0x00),
    crit: Rgb(0xff, 0x70, 0x70),
    high: Rgb(0xff, 0xa8, 0x80),
    tag: Rgb(0xff, 0x8c, 0xff),
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn contrast_ratio_matches_wcag() {
        let black = Rgb(0, 0, 0);
        let white = Rgb(255, 255, 255);
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast(white) - 1.0).abs() < 1e-9);
        // xterm's red (205,0,0) under black text: the NO-GO tag that started this.
        let ratio = Rgb(205, 0, 0).contrast(black);
        assert!((ratio - 3.6).abs() < 0.05, "{ratio}");
    }

    #[test]
    fn every_ink_of_every_theme_reads_on_its_background() {
        for theme in ThemeName::ALL {
            let p = theme.palette();
            for (role, ink) in p.inks() {
                let ratio = ink.contrast(p.background);
                assert!(
                    ratio >= theme.min_contrast(),
                    "{} {role}: {ratio:.2} < {}",
                    theme.name(),
                    theme.min_contrast()
                );
            }
        }
    }

    #[test]
    fn themes_parse_by_name() {
        for theme in ThemeName::ALL {
            assert_eq!(ThemeName::parse(theme.name()), Some(theme));
        }
        assert_eq!(ThemeName::parse("solarized"), None);
        assert_eq!(ThemeName::Dark.next().next().next(), ThemeName::Dark);
    }
}
