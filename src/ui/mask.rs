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
        .map(|w| w.chars().map(lower).collect())
        .collect();
    each_row(buf, |chars, hide| {
        let folded: Vec<char> = chars.iter().copied().map(lower).collect();
        for word in &words {
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
    });
}

/// A character in lower case, one for one, so places in the row still match.
fn lower(c: char) -> char {
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

/// Hands each row's text to `mark`, which marks the characters to hide, and
/// masks their cells.
fn each_row(buf: &mut Buffer, mark: impl FnMut(&[char], &mut [bool])) {
    let rows: Vec<u16> = (buf.area.top()..buf.area.bottom()).collect();
    each_row_of(buf, &rows, mark);
}

/// `each_row` over these rows only.
fn each_row_of(buf: &mut Buffer, rows: &[u16], mut mark: impl FnMut(&[char], &mut [bool])) {
    let area = buf.area;
    for &y in rows {
        // The row's text and, for each char, the cell it is drawn in.
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
        let mut hide = vec![false; chars.len()];
        mark(&chars, &mut hide);
        for (i, hidden) in hide.iter().enumerate() {
            if !*hidden {
                continue;
            }
            let x = cells[i];
            // A wide character's second cell too, so the row keeps its width.
            let wide = super::format::width(buf[(x, y)].symbol()) > 1;
            buf[(x, y)].set_symbol(MASK);
            if wide && x + 1 < area.right() {
                buf[(x + 1, y)].set_symbol(MASK);
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
