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
        Ok(Connection {
            config,
            mode,
            roots,
        })
    }

    /// A new session on the server.
    pub fn connect(&self) -> Result<Client, String> {
        let tls = self.tls()?;
        self.config
            .connect(tls)
            .map_err(|e| crate::outside::masked(&describe(&e)))
    }

    fn tls(&self) -> Result<MakeRustlsConnect, String> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = rustls::ClientConfig::builder_with_provider(provider.clone())
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("TLS: {e}"))?;
        let verifier: Arc<dyn ServerCertVerifier> = match self.mode {
            // As libpq: without a root certificate named, `require` encrypts
            // and trusts; with one, it checks the chain as `verify-ca` does.
            SslMode::Disable | SslMode::Prefer | SslMode::Require if self.roots.is_none() => {
                Arc::new(Unchecked(provider))
            }
            SslMode::VerifyFull => {
                WebPkiServerVerifier::builder_with_provider(Arc::new(self.trusted()?), provider)
                    .build()
                    .map_err(|e| format!("TLS: {e}"))?
            }
            _ => Arc::new(ChainOnly {
                roots: Arc::new(self.trusted()?),
                provider,
            }),
        };
        let config = builder
            .dangerous()
            .with_custom_certificate_verifier(verifier)
            .with_no_client_auth();
        Ok(MakeRustlsConnect::new(config))
    }

    /// The certificates `verify-ca` and `verify-full` trust.
    fn trusted(&self) -> Result<RootCertStore, String> {
        let home_root = std::env::var_os("HOME")
            .map(|h| PathBuf::from(h).join(".postgresql/root.crt"))
            .filter(|p| p.exists());
        let roots = match (&self.roots, home_root) {
            (Some(roots), _) => roots.clone(),
            (None, Some(path)) => Roots::File(path),
            (None, None) => Roots::System,
        };
        let mut store = RootCertStore::empty();
        match roots {
            Roots::File(path) => {
                let shown = path.display();
                let certs = CertificateDer::pem_file_iter(&path)
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
                        "no trusted certificates: name the server's CA with sslrootcert=PATH"
                            .to_string(),
                    );
                }
            }
        }
        Ok(store)
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
            return Err(format!(
                "expected key=value, found \"{}\" without =",
                crate::outside::shown(&key)
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

/// `sslmode=prefer` or `require` without a root certificate: encrypted,
/// the server not checked, as libpq does. The handshake's signatures are
/// still verified, so the session is at least with the certificate's holder.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
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
            &self.0.signature_verification_algorithms,
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
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `sslmode=verify-ca`: the chain must lead to a trusted root; the name in
/// the certificate is not compared with the host.
#[derive(Debug)]
struct ChainOnly {
    roots: Arc<RootCertStore>,
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
        let cert = rustls::server::ParsedCertificate::try_from(end_entity)?;
        verify_server_cert_signed_by_trust_anchor(
            &cert,
            &self.roots,
            intermediates,
            now,
            self.provider.signature_verification_algorithms.all,
        )?;
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
        assert!(!err.contains("hunter2"), "{err}");
        assert!(err.contains("frobnicate"), "{err}");
    }
}
