//! Outside text is hostile. Whatever came from a plan, a journal, a server or
//! a result file passes `shown` before it reaches a terminal or a file:
//! control characters and bidi controls are escaped (`\u{202e}`), so no text
//! can move the cursor, retitle a window, write the clipboard or reorder what
//! the room reads, and every secret the plan names is masked, even when a
//! server echoes it back.

use std::sync::RwLock;

/// What a masked secret reads as.
pub const MASK: &str = "••••";

/// Secrets shorter than this are not masked: masking every `a` would make
/// all text unreadable, and a secret that short protects nothing anyway.
const SHORTEST_SECRET: usize = 4;

static SECRETS: RwLock<Vec<String>> = RwLock::new(Vec::new());

/// Remembers a secret read from the environment, so it is masked wherever
/// it turns up.
pub fn keep_secret(value: &str) {
    if value.chars().count() < SHORTEST_SECRET {
        return;
    }
    let mut secrets = SECRETS
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !secrets.iter().any(|s| s == value) {
        secrets.push(value.to_string());
        // Longest first, so a secret that contains another is masked whole.
        secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
    }
}

/// A basic-auth pair as a server may echo it: the password, and the
/// base64 of `user:password` that goes in the header.
pub fn keep_basic_auth(user: &str, password: &str) {
    use base64::Engine;
    keep_secret(password);
    let pair = format!("{user}:{password}");
    keep_secret(&base64::engine::general_purpose::STANDARD.encode(pair));
}

/// Whether a character must never reach a terminal as it is: C0 and C1
/// controls, DEL, and the bidi controls that reorder text.
pub fn is_hostile(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}'
        )
}

/// `text` safe to show: secrets masked, control and bidi characters escaped.
/// Line breaks stay, so a multi-line report stays one.
pub fn shown(text: &str) -> String {
    let masked = masked(text);
    let mut out = String::with_capacity(masked.len());
    for c in masked.chars() {
        if c != '\n' && is_hostile(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

/// Every string in a JSON value made safe to show, before it is written:
/// escaping the written text instead would break the JSON.
pub fn shown_json(value: &mut serde_json::Value) {
    match value {
        serde_json::Value::String(s) => *s = shown(s),
        serde_json::Value::Array(items) => items.iter_mut().for_each(shown_json),
        serde_json::Value::Object(fields) => fields.values_mut().for_each(shown_json),
        _ => {}
    }
}

/// `text` with every remembered secret replaced by `MASK`, and the user and
/// password of every URL in it (`https://user:pass@host`): a server's error
/// may quote a URL with credentials nobody registered as a secret.
pub fn masked(text: &str) -> String {
    let secrets = SECRETS
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let mut out = without_credentials(text);
    for secret in secrets.iter() {
        if out.contains(secret.as_str()) {
            out = out.replace(secret.as_str(), MASK);
        }
    }
    out
}

/// Each `scheme://user:pass@host` as `scheme://••••@host`.
fn without_credentials(text: &str) -> String {
    if !text.contains("://") {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("://") {
        let (before, after) = rest.split_at(at + 3);
        out.push_str(before);
        let authority = after
            // A password may hold any of `)`, `'`, `;`, `,`: only these end
            // the authority, and the user and password end at its last `@`.
            .find(|c: char| c.is_whitespace() || matches!(c, '/' | '?' | '#'))
            .unwrap_or(after.len());
        match after[..authority].rfind('@') {
            Some(user_end) => {
                out.push_str(MASK);
                rest = &after[user_end..];
            }
            None => rest = after,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_and_bidi_are_escaped_and_line_breaks_kept() {
        assert_eq!(
            shown("A\u{1b}]52;c;aGk=\u{7}B\u{202e}C\u{9b}D\u{7f}\r\nE"),
            "A\\u{1b}]52;c;aGk=\\u{7}B\\u{202e}C\\u{9b}D\\u{7f}\\u{d}\nE"
        );
        assert_eq!(shown("배포 승인 😀"), "배포 승인 😀");
    }

    #[test]
    fn credentials_in_urls_are_masked() {
        assert_eq!(
            masked("GET https://ops:pa55@db.local:8080/x and http://plain/y, ftp://a@b"),
            "GET https://••••@db.local:8080/x and http://plain/y, ftp://••••@b"
        );
        assert_eq!(masked("no url: a@b"), "no url: a@b");
        assert_eq!(
            masked("(https://svc:pa)s;s,'@db.local/x)"),
            "(https://••••@db.local/x)"
        );
    }

    #[test]
    fn secrets_are_masked_with_their_basic_auth_form() {
        keep_secret("s3cr3t-token-for-tests");
        keep_basic_auth("mina", "pa55-for-tests");
        keep_secret("abc");
        let echoed = "401: bad Authorization: Bearer s3cr3t-token-for-tests, Basic bWluYTpwYTU1LWZvci10ZXN0cw== (pa55-for-tests) abc";
        assert_eq!(
            shown(echoed),
            "401: bad Authorization: Bearer ••••, Basic •••• (••••) abc"
        );
    }
}
