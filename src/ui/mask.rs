//! What must not reach a shared screen, masked in the finished frame,
//! whichever pane drew it: always the credentials of a URL
//! (`https://user:pass@host`), and in presenter mode, which shares the
//! screen with people outside the team, the names the plan marks private,
//! the sources' hosts and every URL's host.

use ratatui::buffer::Buffer;

use crate::app::State;

const MASK: &str = "•";

/// Characters that end a URL's host part, as drawn.
fn ends_authority(c: char) -> bool {
    c.is_whitespace() || matches!(c, '/' | ')' | '(' | '"' | '\'' | '…' | '│' | ',' | ';')
}

/// Characters that end a URL's user and password: a password may hold
/// `)`, `'`, `;` or `,`, so only these, and the frame's own edges.
fn ends_credentials(c: char) -> bool {
    c.is_whitespace() || matches!(c, '/' | '?' | '#' | '│' | '…')
}

/// A cut word keeps this many characters at least before its `…` to be
/// taken for the start of a private one.
const CUT_PREFIX: usize = 3;

/// Always: a URL's user and password, up to its `@`. Every frame passes
/// here, so only the rows holding a `://` are read as text.
pub fn credentials(buf: &mut Buffer) {
    let area = buf.area;
    let rows: Vec<u16> = (area.top()..area.bottom())
        .filter(|&y| {
            let row = &buf.content[usize::from(y - area.y) * usize::from(area.width)..]
                [..usize::from(area.width)];
            row.windows(3)
                .any(|w| w[0].symbol() == ":" && w[1].symbol() == "/" && w[2].symbol() == "/")
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    each_row_of(buf, &rows, |chars, hide| {
        for start in authorities(chars) {
            let end = start
                + chars[start..]
                    .iter()
                    .take_while(|c| !ends_credentials(**c))
                    .count();
            if let Some(at) = chars[start..end].iter().rposition(|c| *c == '@') {
                hide[start..start + at].iter_mut().for_each(|h| *h = true);
            }
        }
    });
}

/// Presenter mode: the private words, and each URL's whole authority (who,
/// host and port); a URL keeps its scheme and path, so the room still sees
/// what kind of source it is.
pub fn private(state: &State, buf: &mut Buffer) {
    // In any case: `Dev-Lead` is the same person.
    let words: Vec<Vec<char>> = private_words(state)
        .iter()
        .map(|w| w.chars().map(lower_case).collect())
        .collect();
    // Each row read once: for its own words, and at the seams with the next.
    let area = buf.area;
    let rows: Vec<Row> = (area.top()..area.bottom())
        .map(|y| row_text(buf, y))
        .collect();
    let mut hidden: Vec<(u16, u16)> = Vec::new();
    for (y, row) in (area.top()..).zip(&rows) {
        let mut hide = vec![false; row.chars.len()];
        private_in_row(&row.chars, &words, &mut hide);
        hidden.extend(
            hide.iter()
                .enumerate()
                .filter(|(_, h)| **h)
                .map(|(i, _)| (row.cells[i], y)),
        );
    }
    seams(&rows, area.top(), &words, &mut hidden);
    for (x, y) in hidden {
        hide_cell(buf, x, y);
    }
}

/// Marks in one row the private words, whole or cut short, and each URL's
/// authority.
fn private_in_row(chars: &[char], words: &[Vec<char>], hide: &mut [bool]) {
    let folded: Vec<char> = chars.iter().copied().map(lower_case).collect();
    for word in words {
        for start in 0..(folded.len() + 1).saturating_sub(word.len()) {
            if folded[start..start + word.len()] == word[..] {
                hide[start..start + word.len()]
                    .iter_mut()
                    .for_each(|h| *h = true);
            }
        }
        // A column too narrow for it shows its start and a `…`.
        for (end, _) in folded.iter().enumerate().filter(|(_, c)| **c == '…') {
            for len in (CUT_PREFIX..word.len()).rev() {
                if end >= len && folded[end - len..end] == word[..len] {
                    hide[end - len..end].iter_mut().for_each(|h| *h = true);
                    break;
                }
            }
        }
    }
    for start in authorities(chars) {
        chars[start..]
            .iter()
            .take_while(|c| !ends_authority(**c))
            .zip(&mut hide[start..])
            .for_each(|(_, h)| *h = true);
    }
}

/// Lines that frame a column of text: a pane's sides, a divider.
fn frames(c: char) -> bool {
    matches!(c, '│' | '┃' | '║' | '▏' | '▕')
}

/// A private name that text wrapped onto the next row (`… Kim` / `Mina …`,
/// or `dev-` / `lead`): the end of each column of a row and the start of the
/// same column on the row below, read as one.
fn seams(rows: &[Row], top: u16, words: &[Vec<char>], hidden: &mut Vec<(u16, u16)>) {
    let longest = words.iter().map(Vec::len).max().unwrap_or(0);
    if longest == 0 {
        return;
    }
    for (y, pair) in (top..).zip(rows.windows(2)) {
        let (upper, lower) = (&pair[0], &pair[1]);
        let below = lower.columns();
        for column in upper.columns() {
            let Some(next) = below.iter().find(|c| c.x == column.x) else {
                continue;
            };
            let tail: Vec<usize> = {
                let text = &upper.chars[column.chars.clone()];
                let end = text
                    .iter()
                    .rposition(|c| !c.is_whitespace())
                    .map_or(0, |i| i + 1);
                (column.chars.start + end.saturating_sub(longest)..column.chars.start + end)
                    .collect()
            };
            let head: Vec<usize> = {
                let text = &lower.chars[next.chars.clone()];
                let start = text
                    .iter()
                    .position(|c| !c.is_whitespace())
                    .unwrap_or(text.len());
                (next.chars.start + start..next.chars.end.min(next.chars.start + start + longest))
                    .collect()
            };
            if tail.is_empty() || head.is_empty() {
                continue;
            }
            for space in [true, false] {
                let mut joined: Vec<char> =
                    tail.iter().map(|&i| lower_case(upper.chars[i])).collect();
                if space {
                    joined.push(' ');
                }
                let cut = joined.len();
                joined.extend(head.iter().map(|&i| lower_case(lower.chars[i])));
                for word in words {
                    for start in 0..(joined.len() + 1).saturating_sub(word.len()) {
                        let end = start + word.len();
                        // Only what crosses the seam: each row alone was read already.
                        if start >= tail.len() || end <= cut || joined[start..end] != word[..] {
                            continue;
                        }
                        hidden.extend(tail[start..].iter().map(|&i| (upper.cells[i], y)));
                        hidden.extend(head[..end - cut].iter().map(|&i| (lower.cells[i], y + 1)));
                    }
                }
            }
        }
    }
}

/// A row's text and, for each char, the cell it is drawn in.
struct Row {
    chars: Vec<char>,
    cells: Vec<u16>,
}

/// A run of a row between two frame lines: where it starts on screen, and
/// which of the row's chars it holds.
struct Column {
    x: u16,
    chars: std::ops::Range<usize>,
}

impl Row {
    fn columns(&self) -> Vec<Column> {
        let mut out = Vec::new();
        let mut start = 0;
        for (i, c) in self
            .chars
            .iter()
            .enumerate()
            .chain(std::iter::once((self.chars.len(), &'│')))
        {
            if frames(*c) {
                if i > start {
                    out.push(Column {
                        x: self.cells[start],
                        chars: start..i,
                    });
                }
                start = i + 1;
            }
        }
        out
    }
}

fn row_text(buf: &Buffer, y: u16) -> Row {
    let area = buf.area;
    let mut chars = Vec::new();
    let mut cells = Vec::new();
    let mut x = area.left();
    while x < area.right() {
        let symbol = buf[(x, y)].symbol();
        for c in symbol.chars() {
            chars.push(c);
            cells.push(x);
        }
        // A wide character's second cell holds nothing of the text.
        x += super::format::width(symbol).max(1) as u16;
    }
    Row { chars, cells }
}

/// Masks a cell, and a wide character's second cell too, so the row keeps
/// its width.
fn hide_cell(buf: &mut Buffer, x: u16, y: u16) {
    let wide = super::format::width(buf[(x, y)].symbol()) > 1;
    buf[(x, y)].set_symbol(MASK);
    if wide && x + 1 < buf.area.right() {
        buf[(x + 1, y)].set_symbol(MASK);
    }
}

/// A character in lower case, one for one, so places in the row still match.
fn lower_case(c: char) -> char {
    c.to_lowercase().next().unwrap_or(c)
}

/// The words to hide: the plan's private names and the hosts its sources read.
fn private_words(state: &State) -> Vec<String> {
    let plan = &state.night.plan;
    let mut words: Vec<String> = plan.private.clone();
    words.extend(plan.metrics.iter().filter_map(|m| m.source.host()));
    words.retain(|w| !w.is_empty());
    words.sort_by_key(|w| std::cmp::Reverse(w.len()));
    words.dedup();
    words
}

/// Where each URL's authority starts: just after a `://`.
fn authorities(chars: &[char]) -> Vec<usize> {
    (0..chars.len().saturating_sub(2))
        .filter(|&i| chars[i..i + 3] == [':', '/', '/'])
        .map(|i| i + 3)
        .collect()
}

/// Hands each of these rows' text to `mark`, which marks the characters to
/// hide, and masks their cells.
fn each_row_of(buf: &mut Buffer, rows: &[u16], mut mark: impl FnMut(&[char], &mut [bool])) {
    for &y in rows {
        let Row { chars, cells } = row_text(buf, y);
        let mut hide = vec![false; chars.len()];
        mark(&chars, &mut hide);
        for (i, hidden) in hide.iter().enumerate() {
            if *hidden {
                hide_cell(buf, cells[i], y);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::layout::Rect;
    use ratatui::style::Style;

    fn state() -> State {
        let mut plan = crate::plan::demo::plan();
        plan.private = vec!["dev-lead".into(), "결제팀".into()];
        State::new(plan, chrono::Utc::now(), crate::domain::Zone::utc())
    }

    fn drawn(text: &str, pass: impl Fn(&mut Buffer)) -> String {
        let mut buf = Buffer::empty(Rect::new(0, 0, 60, 1));
        buf.set_string(0, 0, text, Style::new());
        pass(&mut buf);
        (0..60)
            .map(|x| buf[(x, 0)].symbol().to_string())
            .collect::<String>()
            .trim_end()
            .to_string()
    }

    #[test]
    fn urls_keep_scheme_and_path_and_lose_their_host() {
        let state = state();
        assert_eq!(
            drawn("down: http://10.2.3.4:9090/api (refused)", |b| private(
                &state, b
            )),
            "down: http://•••••••••••••/api (refused)"
        );
    }

    #[test]
    fn private_names_are_masked_wide_ones_too() {
        let state = state();
        assert_eq!(
            drawn("owner dev-lead · 결제팀 ok", |b| private(&state, b)),
            "owner •••••••• · •••••• ok"
        );
    }

    #[test]
    fn private_names_in_any_case_or_cut_short_are_masked() {
        let state = state();
        assert_eq!(
            drawn("owner Dev-Lead · dev-le… · devops", |b| private(
                &state, b
            )),
            "owner •••••••• · ••••••… · devops"
        );
    }

    fn drawn_rows(rows: &[&str], pass: impl Fn(&mut Buffer)) -> Vec<String> {
        let mut buf = Buffer::empty(Rect::new(0, 0, 30, rows.len() as u16));
        for (y, text) in rows.iter().enumerate() {
            buf.set_string(0, y as u16, text, Style::new());
        }
        pass(&mut buf);
        (0..rows.len() as u16)
            .map(|y| {
                (0..30)
                    .map(|x| buf[(x, y)].symbol().to_string())
                    .collect::<String>()
                    .trim_end()
                    .to_string()
            })
            .collect()
    }

    /// A name wrapped onto the next row, at its space or inside it, in a
    /// pane beside another: each half alone means nothing, both are masked.
    #[test]
    fn a_private_name_wrapped_onto_the_next_row_is_masked() {
        let mut plan = crate::plan::demo::plan();
        plan.private = vec!["Kim Mina".into(), "dev-lead".into()];
        let state = State::new(plan, chrono::Utc::now(), crate::domain::Zone::utc());
        assert_eq!(
            drawn_rows(
                &[
                    "│called Kim  │ Kim is    │",
                    "│Mina at 22h │ fine dev- │",
                    "│ok          │ lead said │",
                ],
                |b| private(&state, b)
            ),
            [
                "│called •••  │ Kim is    │",
                "│•••• at 22h │ fine •••• │",
                "│ok          │ •••• said │",
            ]
        );
    }

    #[test]
    fn credentials_in_a_url_are_masked_everywhere() {
        assert_eq!(
            drawn("GET https://mina:pa55@db.local:8080/x failed", credentials),
            "GET https://•••••••••@db.local:8080/x failed"
        );
        // No `@`: nothing to hide.
        assert_eq!(
            drawn("see http://db.local/x", credentials),
            "see http://db.local/x"
        );
        assert_eq!(
            drawn("(https://svc:pa)s;s@db.local)", credentials),
            "(https://••••••••••@db.local)"
        );
    }
}
