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
use rustls::RootCertStore;
use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::ServerCertVerifier;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use tokio_postgres_rustls::MakeRustlsConnect;

use super::conninfo::{is_uri, keep_password_pieces, key_values, uri_params};
use super::verifier::ChainOnly;

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

#[cfg(test)]
mod tests {
    use super::*;

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
