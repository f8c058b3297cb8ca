//! The connection string a seat finds in its environment, read as libpq
//! reads it, TLS included: `sslmode` `disable`, `prefer` (the default),
//! `require`, `verify-ca` and `verify-full`, with `sslrootcert` naming the
//! certificates to trust. The driver knows only the first three modes, so
//! the verifying ones are taken out of the string here and done by rustls.
//!
//! Neither the string nor its password ever reaches an error: both are
//! registered as secrets before anything can fail.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use postgres::Client;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::{WebPkiServerVerifier, verify_server_cert_signed_by_trust_anchor};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres_rustls::MakeRustlsConnect;

/// How long a connection may take before the server counts as unreachable,
/// unless the string says otherwise: a seat must say `JOURNAL OFFLINE`, not
/// hang, when the server's host stops answering.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// How long sent data may go unacknowledged, and a quiet connection go
/// unprobed, before the host counts as gone: a server that vanished without
/// a word (a pulled cable, a failover) is found within seconds, not the
/// system's two hours.
const TCP_USER_TIMEOUT: Duration = Duration::from_secs(10);
const KEEPALIVES_IDLE: Duration = Duration::from_secs(10);
const KEEPALIVES_INTERVAL: Duration = Duration::from_secs(5);
const KEEPALIVES_RETRIES: u32 = 2;

/// The options the driver reads, and ours: anything else is refused before
/// the driver sees it, without being named (a word the parser did not
/// expect may be a piece of a password).
const KNOWN: &[&str] = &[
    "user",
    "password",
    "dbname",
    "options",
    "application_name",
    "sslmode",
    "sslnegotiation",
    "sslrootcert",
    "host",
    "hostaddr",
    "port",
    "connect_timeout",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// libpq options this build does not carry out, named when refused.
const UNSUPPORTED: &[&str] = &[
    "sslcert",
    "sslkey",
    "sslpassword",
    "sslcrl",
    "sslcrldir",
    "passfile",
    "service",
    "gssencmode",
    "krbsrvname",
    "requiressl",
    "sslcompression",
    "ssl_min_protocol_version",
    "ssl_max_protocol_version",
    "fallback_application_name",
    "client_encoding",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// Where the certificates to trust come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Roots {
    /// `sslrootcert=PATH`, PEM.
    File(PathBuf),
    /// `sslrootcert=system`, or nothing named and no `~/.postgresql/root.crt`.
    System,
}

/// A connection string taken apart: what the driver reads, and the TLS it
/// cannot express.
#[derive(Clone)]
pub struct Connection {
    config: postgres::Config,
    pub mode: SslMode,
    roots: Option<Roots>,
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The config holds the password.
        f.debug_struct("Connection")
            .field("mode", &self.mode)
            .field("roots", &self.roots)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// Reads a connection string in either of libpq's forms, a URI
    /// (`postgresql://…?sslmode=verify-full`) or `key=value` pairs.
    pub fn parse(text: &str) -> Result<Connection, String> {
        crate::outside::keep_secret(text);
        keep_password_pieces(text);
        let mut params = if is_uri(text) {
            uri_params(text)?
        } else {
            key_values(text)?
        };
        for (key, value) in &params.pairs {
            if key == "password" {
                crate::outside::keep_secret(value);
            }
        }
        for (key, _) in &params.pairs {
            if UNSUPPORTED.contains(&key.as_str()) {
                return Err(format!("{key} is not supported by warroom"));
            }
            if !KNOWN.contains(&key.as_str()) {
                return Err("an option libpq does not know (not named here: it may be part of a password; in a URI, write ? & @ / in a password as %3F %26 %40 %2F)".to_string());
            }
        }
        params.keep_last();
        let mode = match params.take("sslmode").as_deref() {
            None | Some("prefer") => SslMode::Prefer,
            Some("disable") => SslMode::Disable,
            // libpq's `allow` tries without TLS first; without is what it
            // settles on against a server that accepts both.
            Some("allow") => SslMode::Disable,
            Some("require") => SslMode::Require,
            Some("verify-ca") => SslMode::VerifyCa,
            Some("verify-full") => SslMode::VerifyFull,
            Some(other) => {
                return Err(format!(
                    "sslmode \"{}\" is not one of disable, allow, prefer, require, verify-ca, verify-full",
                    crate::outside::shown(other)
                ));
            }
        };
        let roots = match params.take("sslrootcert").as_deref() {
            Some("system") => Some(Roots::System),
            Some(path) => Some(Roots::File(PathBuf::from(path))),
            None => None,
        };
        let driver_mode = match mode {
            SslMode::Disable => "disable",
            SslMode::Prefer => "prefer",
            _ => "require",
        };
        params.pairs.push(("sslmode".into(), driver_mode.into()));
        let mut config: postgres::Config = params
            .to_key_values()
            .parse()
            .map_err(|e: postgres::Error| crate::outside::masked(&describe(&e)))?;
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        let given = |key: &str| params.pairs.iter().any(|(k, _)| k == key);
        if !given("tcp_user_timeout") {
            config.tcp_user_timeout(TCP_USER_TIMEOUT);
        }
        if !given("keepalives_idle") {
            config.keepalives_idle(KEEPALIVES_IDLE);
        }
        if !given("keepalives_interval") {
            config.keepalives_interval(KEEPALIVES_INTERVAL);
        }
        if !given("keepalives_retries") {
            config.keepalives_retries(KEEPALIVES_RETRIES);
        }
        Ok(Connection {
            config,
            mode,
            roots,
        })
    }

    /// A new session on the server. The driver's timeout covers reaching
    /// the host only; a host that takes the connection and then says
    /// nothing would hold the TLS handshake and the login for ever, so the
    /// whole of it is bounded here, the late connection left to close on
    /// its own thread.
    pub fn connect(&self) -> Result<Client, String> {
        let tls = self.tls()?;
        let config = self.config.clone();
        let limit = config
            .get_connect_timeout()
            .copied()
            .unwrap_or(CONNECT_TIMEOUT)
            .saturating_mul(2);
        let (done, outcome) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("journal-db-connect".into())
            .spawn(move || {
                let connected = config
                    .connect(tls)
                    .map_err(|e| crate::outside::masked(&describe(&e)));
                // Nobody waits any more when it came too late: closed here.
                let _ = done.send(connected);
            })
            .map_err(|e| format!("cannot start a connection: {e}"))?;
        outcome.recv_timeout(limit).unwrap_or_else(|_| {
            Err(format!(
                "the server took the connection but did not finish the handshake within {} s",
                limit.as_secs()
            ))
        })
    }

    fn tls(&self) -> Result<MakeRustlsConnect, String> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?;
        let verifier: Arc<dyn ServerCertVerifier> = match (self.mode, self.roots()) {
            // The system's CAs vouch for anyone's own name: trusting them
            // without comparing the name would let any site's certificate
            // through, so only verify-full may use them (as libpq).
            (SslMode::VerifyFull, roots) => WebPkiServerVerifier::builder_with_provider(
                Arc::new(trusted(&roots.unwrap_or(Roots::System))?),
                provider,
            )
            .build()
            .map_err(|e| format!("TLS: {e}"))?,
            (_, Some(Roots::System)) => {
                return Err(
                    "sslrootcert=system needs sslmode=verify-full: the system's CAs sign certificates for anyone's name"
                        .to_string(),
                );
            }
            (SslMode::VerifyCa, None) => {
                return Err(
                    "sslmode=verify-ca needs the CA to trust: sslrootcert=PATH or ~/.postgresql/root.crt"
                        .to_string(),
                );
            }
            // As libpq: `require` checks the chain when a root certificate
            // is there to check it with.
            (SslMode::VerifyCa | SslMode::Require, Some(roots)) => Arc::new(ChainOnly {
                roots: Some(Arc::new(trusted(&roots)?)),
                provider,
            }),
            (SslMode::Disable | SslMode::Prefer | SslMode::Require, _) => Arc::new(ChainOnly {
                roots: None,
                provider,
            }),
        };
        let config = builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(MakeRustlsConnect::new(config))
    }

    /// The certificates named: `sslrootcert`, else `~/.postgresql/root.crt`
    /// when it exists.
    fn roots(&self) -> Option<Roots> {
        self.roots.clone().or_else(|| {
            std::env::var_os("HOME")
                .map(|h| PathBuf::from(h).join(".postgresql/root.crt"))
                .filter(|p| p.exists())
                .map(Roots::File)
        })
    }
}

/// The certificates to trust, read.
fn trusted(roots: &Roots) -> Result<RootCertStore, String> {
    let mut store = RootCertStore::empty();
    match roots {
        Roots::File(path) => {
            let shown = path.display();
            let certs = CertificateDer::pem_file_iter(path)
                .map_err(|e| format!("sslrootcert {shown}: {e}"))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("sslrootcert {shown}: {e}"))?;
                store
                    .add(cert)
                    .map_err(|e| format!("sslrootcert {shown}: {e}"))?;
            }
            if store.is_empty() {
                return Err(format!("sslrootcert {shown}: no PEM certificate in it"));
            }
        }
        Roots::System => {
            let found = rustls_native_certs::load_native_certs();
            for cert in found.certs {
                let _ = store.add(cert);
            }
            if store.is_empty() {
                return Err(
                    "no trusted certificates on this system: name the server's CA with sslrootcert=PATH"
                        .to_string(),
                );
            }
        }
    }
    Ok(store)
}

/// Registers as secrets the likely pieces of a password before anything is
/// parsed, so an error about a malformed string cannot show one: what
/// follows `password=` up to the next space, and a URI's userinfo after
/// its first `:`, whole and cut at the characters that would split it.
fn keep_password_pieces(text: &str) {
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

/// The driver's error with what caused it: "error connecting to server"
/// alone does not tell a refused port from an untrusted certificate.
fn describe(e: &postgres::Error) -> String {
    let mut text = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        let said = cause.to_string();
        if !text.contains(&said) {
            text.push_str(": ");
            text.push_str(&said);
        }
        source = cause.source();
    }
    if text.ends_with("UnknownIssuer") {
        text.push_str(" (no CA that sslrootcert trusts signed the server's certificate)");
    }
    text
}

fn is_uri(text: &str) -> bool {
    text.starts_with("postgresql://") || text.starts_with("postgres://")
}

#[derive(Default)]
struct Params {
    pairs: Vec<(String, String)>,
}

impl Params {
    fn take(&mut self, key: &str) -> Option<String> {
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
    fn keep_last(&mut self) {
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

    fn to_key_values(&self) -> String {
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
fn key_values(text: &str) -> Result<Params, String> {
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
fn uri_params(text: &str) -> Result<Params, String> {
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

/// The verifier for every mode but verify-full: with `roots`, the chain
/// must lead to one of them and the name in the certificate is not compared
/// (`verify-ca`, or `require` with a root file); without, the certificate is
/// not checked (`prefer`, `require`), as libpq. The handshake's signatures
/// are verified either way, so the session is with the certificate's holder.
#[derive(Debug)]
struct ChainOnly {
    roots: Option<Arc<RootCertStore>>,
    provider: Arc<CryptoProvider>,
}

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        if let Some(roots) = &self.roots {
            let cert = rustls::server::ParsedCertificate::try_from(end_entity)?;
            verify_server_cert_signed_by_trust_anchor(
                &cert,
                roots,
                intermediates,
                now,
                self.provider.signature_verification_algorithms.all,
            )?;
        }
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
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

    #[test]
    fn modes_are_read_and_the_driver_gets_what_it_knows() {
        let c = Connection::parse("host=h sslmode=verify-full sslrootcert=/ca.pem").unwrap();
        assert_eq!(c.mode, SslMode::VerifyFull);
        assert_eq!(c.roots, Some(Roots::File("/ca.pem".into())));
        assert_eq!(c.config.get_ssl_mode(), postgres::config::SslMode::Require);
        assert_eq!(c.config.get_connect_timeout(), Some(&CONNECT_TIMEOUT));
        let c = Connection::parse("postgresql://h/db?sslmode=verify-ca&connect_timeout=2").unwrap();
        assert_eq!(c.mode, SslMode::VerifyCa);
        assert_eq!(
            c.config.get_connect_timeout(),
            Some(&Duration::from_secs(2))
        );
        let c = Connection::parse("host=h").unwrap();
        assert_eq!(c.mode, SslMode::Prefer);
        assert_eq!(c.config.get_ssl_mode(), postgres::config::SslMode::Prefer);
    }

    #[test]
    fn bad_strings_are_said_without_the_password() {
        let err = Connection::parse("host=h sslmode=verify-everything").unwrap_err();
        assert_eq!(
            err,
            "sslmode \"verify-everything\" is not one of disable, allow, prefer, require, verify-ca, verify-full"
        );
        let err = Connection::parse("host=h password='unclosed-s3cret-pw").unwrap_err();
        assert_eq!(err, "the value of password has no closing quote");
        let err = Connection::parse("postgresql://u:hunter2-s3cret@h/db?frobnicate=1").unwrap_err();
        assert!(
            err.starts_with("an option libpq does not know (not named here"),
            "{err}"
        );
        let err = Connection::parse("host=h sslcert=/me.pem").unwrap_err();
        assert_eq!(err, "sslcert is not supported by warroom");
    }

    #[test]
    fn no_piece_of_a_password_is_ever_named() {
        // A space in an unquoted password leaves a word without =.
        let err = Connection::parse("host=h password=first-half second-half-pw").unwrap_err();
        assert_eq!(
            err,
            "expected key=value after password, found a word without = (quote a value with spaces: key='a b')"
        );
        // An unencoded ? in a URI's password starts the query early.
        let err = Connection::parse("postgresql://u:pw-start?pw-end-secret@h/db").unwrap_err();
        assert!(!err.contains("pw-end-secret"), "{err}");
        assert!(!err.contains("pw-start"), "{err}");
        assert!(crate::outside::masked("pw-end-secret").contains(crate::outside::MASK));
    }

    #[test]
    fn a_key_given_twice_counts_once_the_last() {
        let c = Connection::parse("host=first host=second port=1 port=2").unwrap();
        assert_eq!(
            c.config.get_hosts(),
            [postgres::config::Host::Tcp("second".into())]
        );
        assert_eq!(c.config.get_ports(), [2]);
        let c = Connection::parse("postgresql://first:1/db?host=second&port=2").unwrap();
        assert_eq!(
            c.config.get_hosts(),
            [postgres::config::Host::Tcp("second".into())]
        );
    }

    #[test]
    fn the_systems_cas_are_trusted_only_with_the_name_checked() {
        let tls = |text: &str| Connection::parse(text).unwrap().tls().err();
        assert_eq!(
            tls("host=h sslmode=require sslrootcert=system").as_deref(),
            Some(
                "sslrootcert=system needs sslmode=verify-full: the system's CAs sign certificates for anyone's name"
            )
        );
        assert_eq!(
            tls("host=h sslmode=verify-ca sslrootcert=system").as_deref(),
            tls("host=h sslmode=require sslrootcert=system").as_deref()
        );
        if Connection::parse("host=h").unwrap().roots().is_none() {
            assert_eq!(
                tls("host=h sslmode=verify-ca").as_deref(),
                Some(
                    "sslmode=verify-ca needs the CA to trust: sslrootcert=PATH or ~/.postgresql/root.crt"
                )
            );
        }
    }
}
