//! The journal's database over TLS, against a real PostgreSQL that takes
//! TLS connections only: `require` encrypts, `verify-full` checks the chain
//! and the host name, `verify-ca` the chain alone, and each refusal says
//! why without the connection string or its password.

mod common;

use chrono::DateTime;
use common::postgres::PgCluster;
use warroom::domain::Action;
use warroom::journal::postgres::PgStore;
use warroom::journal::{Entry, Store};

const PASSWORD: &str = "hunter2-s3cret-pw";

fn url(pg: &PgCluster, host: &str, tls: &str) -> String {
    format!(
        "host={host} port={} user=warroom password={PASSWORD} dbname=postgres {tls}",
        pg.port
    )
}

fn mark() -> Entry {
    Entry::action(
        DateTime::parse_from_rfc3339("2026-11-27T22:40:00+09:00").expect("time"),
        "mina",
        Action::DeployDone,
    )
}

fn refused(url: &str) -> String {
    let err = PgStore::connect(url, "friday")
        .err()
        .expect("refused")
        .to_string();
    assert!(!err.contains(PASSWORD), "{err}");
    assert!(!err.contains("user=warroom"), "{err}");
    eprintln!("refused: {err}");
    err
}

#[test]
fn require_encrypts_and_a_plain_connection_is_refused() {
    let Some(pg) = PgCluster::start_tls() else {
        return;
    };
    let store = PgStore::connect(&url(&pg, "127.0.0.1", "sslmode=require"), "friday")
        .expect("connects over TLS");
    store.append(&mark()).expect("append");
    assert_eq!(store.replay().expect("replay").lines.len(), 1);
    // The default, prefer, takes the TLS the server offers.
    let preferring = PgStore::connect(&url(&pg, "127.0.0.1", ""), "friday").expect("prefer");
    assert_eq!(preferring.replay().expect("replay").lines.len(), 1);

    let err = refused(&url(&pg, "127.0.0.1", "sslmode=disable"));
    assert!(err.starts_with("journal database friday: "), "{err}");
    assert!(err.contains("no encryption"), "{err}");
}

#[test]
fn verify_full_checks_the_chain_and_the_host_name() {
    let Some(pg) = PgCluster::start_tls() else {
        return;
    };
    let ca = pg.ca_file().display().to_string();
    let trusted = format!("sslmode=verify-full sslrootcert={ca}");
    let store = PgStore::connect(&url(&pg, "localhost", &trusted), "friday")
        .expect("the certificate is for localhost, signed by the CA named");
    store.append(&mark()).expect("append");

    // The same certificate reached by address is not the host it names.
    let err = refused(&url(&pg, "127.0.0.1", &trusted));
    assert!(err.contains("not valid for name"), "{err}");

    // Signed by a CA nobody named.
    let stranger = format!(
        "sslmode=verify-full sslrootcert={}",
        pg.stranger_ca_file().display()
    );
    let err = refused(&url(&pg, "localhost", &stranger));
    assert!(err.contains("UnknownIssuer"), "{err}");

    let err = refused(&url(
        &pg,
        "localhost",
        "sslmode=verify-full sslrootcert=/nonexistent/root.crt",
    ));
    assert!(err.contains("sslrootcert /nonexistent/root.crt: "), "{err}");
}

#[test]
fn verify_ca_checks_the_chain_only_and_a_uri_says_the_same() {
    let Some(pg) = PgCluster::start_tls() else {
        return;
    };
    let ca = pg.ca_file().display().to_string();
    let by_address = format!("sslmode=verify-ca sslrootcert={ca}");
    PgStore::connect(&url(&pg, "127.0.0.1", &by_address), "friday")
        .expect("the chain is trusted; the name is not compared");
    let stranger = format!(
        "sslmode=verify-ca sslrootcert={}",
        pg.stranger_ca_file().display()
    );
    let err = refused(&url(&pg, "127.0.0.1", &stranger));
    assert!(err.contains("UnknownIssuer"), "{err}");

    let uri = format!(
        "postgresql://warroom:{PASSWORD}@localhost:{}/postgres?sslmode=verify-full&sslrootcert={}",
        pg.port,
        ca.replace('/', "%2F")
    );
    let store = PgStore::connect(&uri, "friday").expect("the URI form");
    store.append(&mark()).expect("append");
}
