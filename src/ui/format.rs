//! Numbers and text as the room reads them: numbers short, with their
//! unit; text measured and cut in terminal columns, so Korean names and
//! emoji (two columns each) fit, and the `…` of a cut stays on screen.

use ratatui::text::{Line, Span};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

pub use crate::metrics::format::{number, progress, value};

/// How many columns the terminal gives `text`.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` in at most `columns` columns, ending in `…` when cut. Reads no
/// further into `text` than the columns need: a note of 100 MB costs what a
/// short one does.
pub fn fit(text: &str, columns: usize) -> String {
    let head = take(text, columns);
    if head.len() == text.len() {
        return head;
    }
    if columns == 0 {
        return String::new();
    }
    let mut out = take(text, columns - 1);
    out.push('…');
    out
}

/// The first characters of `text` that fill at most `columns` columns,
/// with no mark of the cut. Measured as the whole string grows, not char by
/// char: a variation selector can widen the character before it (❤️).
pub fn take(text: &str, columns: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        out.push(c);
        // Most characters add their own width; one that adds none alone
        // (a variation selector, a joiner) may change its neighbour's, so
        // the string is measured again then.
        used = match c.width() {
            Some(w) if w > 0 => used + w,
            _ if matches!(c, '\u{FE00}'..='\u{FE0F}' | '\u{200D}') => out.width(),
            _ => used,
        };
        if used > columns {
            out.pop();
            break;
        }
        // However many marks a text stacks on one letter, no line needs
        // more than this of it.
        if out.len() > columns.saturating_mul(16).saturating_add(64) {
            break;
        }
    }
    out
}

/// A styled line cut to `columns` with a dim `…`, so a cut note or entry
/// says it was cut.
pub fn fit_line(line: Line<'static>, columns: usize) -> Line<'static> {
    if columns == 0 || fits(&line, columns) {
        return line;
    }
    let mut left = columns - 1;
    let mut spans = Vec::new();
    for span in line.spans {
        if left == 0 {
            break;
        }
        let text = take(&span.content, left);
        left = left.saturating_sub(width(&text));
        spans.push(Span::styled(text, span.style));
    }
    spans.push(Span::styled("…", super::theme::THEME.dim));
    Line::from(spans)
}

/// At most the first `max` bytes of `value` as text: formatting stops there,
/// so a journal note of 100 MB is never copied to draw one line of it.
pub fn bounded(value: &impl std::fmt::Display, max: usize) -> String {
    struct Capped {
        out: String,
        max: usize,
    }
    impl std::fmt::Write for Capped {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            let room = self.max - self.out.len();
            if s.len() <= room {
                self.out.push_str(s);
                return Ok(());
            }
            let mut end = room;
            while !s.is_char_boundary(end) {
                end -= 1;
            }
            self.out.push_str(&s[..end]);
            // Enough: stop the formatting here.
            Err(std::fmt::Error)
        }
    }
    let mut capped = Capped {
        out: String::new(),
        max,
    };
    let _ = std::fmt::Write::write_fmt(&mut capped, format_args!("{value}"));
    capped.out
}

/// Whether the line fits in `columns`, read no further than that.
fn fits(line: &Line<'_>, columns: usize) -> bool {
    let mut left = columns;
    for span in &line.spans {
        let head = take(&span.content, left);
        if head.len() < span.content.len() {
            return false;
        }
        left = left.saturating_sub(width(&head));
    }
    true
}

/// `text` cut to fit `columns` and padded with spaces to exactly that many.
/// `text` broken between words into lines of at most `columns`; a word
/// longer than a line is cut to it.
pub fn wrap(text: &str, columns: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split(' ') {
        let line = lines.last_mut().expect("one line at least");
        let wanted = width(line) + usize::from(!line.is_empty()) + width(word);
        if wanted <= columns || line.is_empty() {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        } else {
            lines.push(word.to_string());
        }
    }
    lines.iter().map(|l| fit(l, columns)).collect()
}

pub fn pad(text: &str, columns: usize) -> String {
    let cut = take(text, columns);
    let fill = columns.saturating_sub(cut.width());
    format!("{cut}{}", " ".repeat(fill))
}

/// `45s`, `3m`, `2h`: how long ago, coarsely.
pub fn age(seconds: i64) -> String {
    match seconds.max(0) {
        s @ 0..=119 => format!("{s}s"),
        s @ 120..=7199 => format!("{}m", s / 60),
        s => format!("{}h", s / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(age(45), "45s");
        assert_eq!(age(600), "10m");
        assert_eq!(age(7200), "2h");
        assert_eq!(age(-3), "0s");
    }

    #[test]
    fn text_is_cut_by_columns_and_the_mark_stays() {
        assert_eq!(width("배포 승인"), 9);
        assert_eq!(fit("배포 승인", 9), "배포 승인");
        assert_eq!(fit("배포 승인", 8), "배포 승…");
        assert_eq!(
            fit("배포 승인", 4),
            "배…",
            "a wide char never splits the mark off"
        );
        assert_eq!(
            fit("결제 모듈 성능 개선 😀", 7),
            "결제 …",
            "6 columns: 모 would not fit"
        );
        assert_eq!(fit("API timeout", 5), "API …");
        assert_eq!(fit("abc", 0), "");
        assert_eq!(pad("김민아", 7), "김민아 ");
        assert_eq!(pad("김민아", 5), "김민 ");
        assert_eq!(take("😀😀", 3), "😀");
        assert_eq!(fit("❤️❤️", 3), "❤️…");
        assert_eq!(width(&fit("❤️❤️", 3)), 3);
        let line = Line::from(vec![Span::raw("ab"), Span::raw("❤️"), Span::raw("cdef")]);
        assert_eq!(fit_line(line, 4).width(), 4);
        let fits = Line::from(vec![Span::raw("ab"), Span::raw("배포")]);
        assert_eq!(fit_line(fits.clone(), 6), fits);
        let huge = "x".repeat(50_000_000);
        assert_eq!(bounded(&format_args!("note: {huge}"), 9), "note: xxx");
        assert_eq!(bounded(&"배포 승인", 4), "배");
        let marks = format!("a{}", "\u{301}".repeat(10_000_000));
        assert!(fit(&marks, 10).len() < 300);
        assert_eq!(fit(&huge, 5), "xxxx…");
        assert_eq!(fit_line(Line::raw(huge), 5).width(), 5);
    }
}
