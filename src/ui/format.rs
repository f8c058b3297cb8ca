//! Numbers and text as the room reads them: numbers short, with their
//! unit; text measured and cut in terminal columns, so Korean names and
//! emoji (two columns each) fit, and the `…` of a cut stays on screen.

use ratatui::text::{Line, Span};
use unicode_width::UnicodeWidthStr;

pub use crate::metrics::format::{number, progress, value};

/// How many columns the terminal gives `text`.
pub fn width(text: &str) -> usize {
    text.width()
}

/// `text` in at most `columns` columns, ending in `…` when cut.
pub fn fit(text: &str, columns: usize) -> String {
    if text.width() <= columns {
        return text.to_string();
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
    for c in text.chars() {
        out.push(c);
        if out.width() > columns {
            out.pop();
            break;
        }
    }
    out
}

/// A styled line cut to `columns` with a dim `…`, so a cut note or entry
/// says it was cut.
pub fn fit_line(line: Line<'static>, columns: usize) -> Line<'static> {
    if line.width() <= columns || columns == 0 {
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

/// `text` cut to fit `columns` and padded with spaces to exactly that many.
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
    }
}
