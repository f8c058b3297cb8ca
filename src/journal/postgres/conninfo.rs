//! libpq's connection strings, taken apart: a URI
//! (`postgresql://user:pw@host:5432/db?sslmode=verify-full`) or `key=value`
//! pairs, both into one list of pairs, and the pieces of a password kept
//! secret before anything is parsed.

/// Registers as secrets the likely pieces of a password before anything is
/// parsed, so an error about a malformed string cannot show one: what
/// follows `password=` up to the next space, and a URI's userinfo after
/// its first `:`, whole and cut at the characters that would split it.
pub(super) fn keep_password_pieces(text: &str) {
    let mut pieces = Vec::new();
    if is_uri(text) {
        let rest = text.split_once("://").map_or(text, |(_, r)| r);
        if let Some((userinfo, _)) = rest.rsplit_once('@')
            && let Some((_, password)) = userinfo.split_once(':')
        {
            pieces.push(password.to_string());
            pieces.extend(
                password
                    .split(['?', '&', '/', '=', '#'])
                    .map(str::to_string),
            );
        }
    } else {
        for (i, _) in text.match_indices("password") {
            let after = text[i + "password".len()..].trim_start();
            if let Some(value) = after.strip_prefix('=') {
                let value = value.trim_start().trim_start_matches('\'');
                pieces.extend(value.split_whitespace().map(str::to_string));
            }
        }
    }
    for piece in pieces {
        crate::outside::keep_secret(&piece);
        if let Ok(decoded) = decode(&piece) {
            crate::outside::keep_secret(&decoded);
        }
    }
}

pub(super) fn is_uri(text: &str) -> bool {
    text.starts_with("postgresql://") || text.starts_with("postgres://")
}

#[derive(Default)]
pub(super) struct Params {
    pub(super) pairs: Vec<(String, String)>,
}

impl Params {
    pub(super) fn take(&mut self, key: &str) -> Option<String> {
        // The last one counts, as in libpq.
        let mut found = None;
        self.pairs.retain(|(k, v)| {
            if k == key {
                found = Some(v.clone());
                false
            } else {
                true
            }
        });
        found
    }

    /// One value per key, the last given, as libpq reads a string that
    /// names one twice (the driver would add a second host).
    pub(super) fn keep_last(&mut self) {
        let mut seen = std::collections::HashSet::new();
        let mut kept: Vec<(String, String)> = self
            .pairs
            .drain(..)
            .rev()
            .filter(|(k, _)| seen.insert(k.clone()))
            .collect();
        kept.reverse();
        self.pairs = kept;
    }

    pub(super) fn to_key_values(&self) -> String {
        let mut out = String::new();
        for (key, value) in &self.pairs {
            if !out.is_empty() {
                out.push(' ');
            }
            out.push_str(key);
            out.push_str("='");
            for c in value.chars() {
                if c == '\'' || c == '\\' {
                    out.push('\\');
                }
                out.push(c);
            }
            out.push('\'');
        }
        out
    }
}

/// `key=value` pairs separated by spaces; a value may be single-quoted with
/// `\'` and `\\` inside.
pub(super) fn key_values(text: &str) -> Result<Params, String> {
    let mut params = Params::default();
    let mut chars = text.chars().peekable();
    loop {
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.peek().is_none() {
            return Ok(params);
        }
        let mut key = String::new();
        while let Some(c) = chars.next_if(|c| *c != '=' && !c.is_whitespace()) {
            key.push(c);
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        if chars.next() != Some('=') {
            // The word may be the rest of a password with a space in it.
            let after = params
                .pairs
                .last()
                .map_or(String::new(), |(k, _)| format!(" after {k}"));
            return Err(format!(
                "expected key=value{after}, found a word without = (quote a value with spaces: key='a b')"
            ));
        }
        while chars.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if_eq(&'\'').is_some() {
            loop {
                match chars.next() {
                    Some('\'') => break,
                    Some('\\') => value.extend(chars.next()),
                    Some(c) => value.push(c),
                    // The value may be the password: not quoted back.
                    None => return Err(format!("the value of {key} has no closing quote")),
                }
            }
        } else {
            while let Some(c) = chars.next_if(|c| !c.is_whitespace()) {
                if c == '\\' {
                    value.extend(chars.next());
                } else {
                    value.push(c);
                }
            }
        }
        params.pairs.push((key, value));
    }
}

/// `postgresql://user:password@host:port,host2/dbname?key=value&…`, turned
/// into pairs so one form reaches the driver.
pub(super) fn uri_params(text: &str) -> Result<Params, String> {
    let rest = text
        .split_once("://")
        .map_or(text, |(_, rest)| rest)
        .to_string();
    let (rest, query) = match rest.split_once('?') {
        Some((rest, query)) => (rest.to_string(), Some(query.to_string())),
        None => (rest, None),
    };
    let (authority, dbname) = match rest.split_once('/') {
        Some((a, d)) => (a.to_string(), Some(d.to_string())),
        None => (rest, None),
    };
    let mut params = Params::default();
    let hosts = match authority.rsplit_once('@') {
        Some((userinfo, hosts)) => {
            let (user, password) = match userinfo.split_once(':') {
                Some((u, p)) => (u, Some(p)),
                None => (userinfo, None),
            };
            if !user.is_empty() {
                params.pairs.push(("user".into(), decode(user)?));
            }
            if let Some(password) = password {
                params.pairs.push(("password".into(), decode(password)?));
            }
            hosts.to_string()
        }
        None => authority,
    };
    let mut host_list = Vec::new();
    let mut port_list = Vec::new();
    for spec in hosts.split(',').filter(|s| !s.is_empty()) {
        // `[::1]:5432`, `host:5432` or `host`.
        let (host, port) = if let Some(inner) = spec.strip_prefix('[') {
            match inner.split_once(']') {
                Some((h, tail)) => (h.to_string(), tail.strip_prefix(':').map(str::to_string)),
                None => return Err("an IPv6 host without its closing ]".to_string()),
            }
        } else {
            match spec.rsplit_once(':') {
                Some((h, p)) => (h.to_string(), Some(p.to_string())),
                None => (spec.to_string(), None),
            }
        };
        host_list.push(decode(&host)?);
        port_list.push(port.unwrap_or_default());
    }
    if !host_list.is_empty() {
        params.pairs.push(("host".into(), host_list.join(",")));
    }
    if port_list.iter().any(|p| !p.is_empty()) {
        params.pairs.push(("port".into(), port_list.join(",")));
    }
    if let Some(dbname) = dbname.filter(|d| !d.is_empty()) {
        params.pairs.push(("dbname".into(), decode(&dbname)?));
    }
    for pair in query.iter().flat_map(|q| q.split('&')) {
        if pair.is_empty() {
            continue;
        }
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        params.pairs.push((decode(key)?, decode(value)?));
    }
    Ok(params)
}

/// Percent-decoding, as URIs carry passwords and paths.
fn decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or("a % in the connection string is not followed by two hex digits")?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| "the connection string decodes to invalid UTF-8".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(text: &str) -> Vec<(String, String)> {
        let params = if is_uri(text) {
            uri_params(text)
        } else {
            key_values(text)
        };
        params.unwrap().pairs
    }

    fn p(k: &str, v: &str) -> (String, String) {
        (k.to_string(), v.to_string())
    }

    #[test]
    fn key_values_with_quotes_and_spaces_around_equals() {
        assert_eq!(
            pairs("host=db.internal port = 5432  dbname=x"),
            vec![
                p("host", "db.internal"),
                p("port", "5432"),
                p("dbname", "x")
            ]
        );
        assert_eq!(
            pairs(r"host=db password='a \'b\' c\\' sslmode=verify-full"),
            vec![
                p("host", "db"),
                p("password", r"a 'b' c\"),
                p("sslmode", "verify-full")
            ]
        );
    }

    #[test]
    fn a_uri_becomes_the_same_pairs() {
        assert_eq!(
            pairs(
                "postgresql://ops:p%40ss@db1:5433,db2/war%20room?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem"
            ),
            vec![
                p("user", "ops"),
                p("password", "p@ss"),
                p("host", "db1,db2"),
                p("port", "5433,"),
                p("dbname", "war room"),
                p("sslmode", "verify-full"),
                p("sslrootcert", "/etc/ca.pem"),
            ]
        );
        assert_eq!(
            pairs("postgres://[::1]:5432/"),
            vec![p("host", "::1"), p("port", "5432")]
        );
    }
}
