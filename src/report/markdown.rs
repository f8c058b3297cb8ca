//! Text from outside (a plan's titles, a journal's notes) made safe for a
//! Markdown document: nothing in it can end a table cell, start a heading
//! or reach a terminal as a control character.

/// `text` for a table cell or a line of prose.
pub fn cell(text: &str) -> String {
    let shown = crate::outside::shown(text);
    let mut out = String::with_capacity(shown.len());
    for c in shown.chars() {
        match c {
            // `_` inside a word is no emphasis: ids and rule names stay
            // readable as plain text.
            '|' | '\\' | '*' | '`' | '[' | ']' | '<' | '>' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nothing_outside_can_break_the_table_or_the_terminal() {
        assert_eq!(cell("a | b\n# c"), "a \\| b \\# c");
        assert_eq!(cell("`x` *y*"), "\\`x\\` \\*y\\*");
        assert!(!cell("bell\u{7} \u{202e}").contains(['\u{7}', '\u{202e}']));
    }
}
