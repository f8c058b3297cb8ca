//! The journal on PostgreSQL, for seats on several machines: the same five
//! calls as the file. Each release's lines are one sequence. Appends to a
//! release are serialized by a transaction-scoped advisory lock, and each
//! takes the next number inside it: commits then happen in number order, so
//! a follower that reads "after the last number I have" reads a true prefix
//! (a plain `bigserial` would let a lower id commit after a higher one was
//! read, and be skipped for ever).

use std::sync::Mutex;
use std::time::{Duration, Instant};

mod backoff;
mod connection;
mod conninfo;
mod listen;
mod verifier;

pub use connection::{Connection, SslMode};

use postgres::Client;

use super::read::parse_line;
use super::store::{Follow, Ring, Store};
use super::{Batch, Entry, JournalError, Line, OpenAlerts, Position, Skipped};
use crate::journal::read::SkipReason;

/// The schema this build reads and writes.
const SCHEMA_VERSION: i32 = 1;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS warroom_schema (version integer NOT NULL);
CREATE TABLE IF NOT EXISTS warroom_journal (
    release text NOT NULL,
    seq bigint NOT NULL,
    line text NOT NULL,
    db_role text NOT NULL DEFAULT current_user,
    written_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (release, seq)
);
";

pub struct PgStore {
    connection: Connection,
    release: String,
    /// `None` only once dropped.
    client: Mutex<Option<Client>>,
}

impl PgStore {
    /// Connects, creating the schema when it is missing and refusing one
    /// newer than this build.
    pub fn connect(url: &str, release: &str) -> Result<PgStore, JournalError> {
        let connection = Connection::parse(url).map_err(|what| JournalError::Database {
            name: release.to_string(),
            what: format!("the connection string: {what}"),
        })?;
        let store = PgStore {
            client: Mutex::new(Some(connect(&connection, release)?)),
            connection,
            release: release.to_string(),
        };
        {
            let mut guard = store.client()?;
            let client = guard.as_mut().ok_or_else(|| store.gone())?;
            let mut tx = client.transaction().map_err(|e| store.error(&e))?;
            tx.batch_execute("SELECT pg_advisory_xact_lock(7283461)")
                .map_err(|e| store.error(&e))?;
            tx.batch_execute(SCHEMA).map_err(|e| store.error(&e))?;
            let version: Option<i32> = tx
                .query_opt("SELECT max(version) FROM warroom_schema", &[])
                .map_err(|e| store.error(&e))?
                .and_then(|row| row.get(0));
            match version {
                None => {
                    tx.execute(
                        "INSERT INTO warroom_schema (version) VALUES ($1)",
                        &[&SCHEMA_VERSION],
                    )
                    .map_err(|e| store.error(&e))?;
                }
                Some(v) if v > SCHEMA_VERSION => {
                    return Err(JournalError::Database {
                        name: release.to_string(),
                        what: format!(
                            "the schema is version {v}, newer than this warroom's {SCHEMA_VERSION}; upgrade warroom"
                        ),
                    });
                }
                Some(_) => {}
            }
            tx.commit().map_err(|e| store.error(&e))?;
        }
        Ok(store)
    }

    /// The connection, made again when the server closed it.
    fn client(&self) -> Result<std::sync::MutexGuard<'_, Option<Client>>, JournalError> {
        let mut guard = self
            .client
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if guard.as_ref().is_none_or(Client::is_closed) {
            if let Some(old) = guard.take() {
                drop_aside(old);
            }
            *guard = Some(connect(&self.connection, &self.release)?);
        }
        Ok(guard)
    }

    /// A new connection in place of one found dead.
    fn reconnect(&self, slot: &mut Option<Client>) -> Result<(), JournalError> {
        if let Some(old) = slot.take() {
            drop_aside(old);
        }
        *slot = Some(connect(&self.connection, &self.release)?);
        Ok(())
    }

    fn error(&self, e: &postgres::Error) -> JournalError {
        error(&self.release, e)
    }

    fn gone(&self) -> JournalError {
        JournalError::Database {
            name: self.release.clone(),
            what: "no connection".to_string(),
        }
    }

    /// Appends under the release's lock; `admit` sees the lines before it
    /// and may refuse. The number of the line written, or `None`.
    fn append_locked(
        &self,
        entry: &Entry,
        admit: impl FnOnce(&mut postgres::Transaction<'_>) -> Result<bool, JournalError>,
    ) -> Result<Option<u64>, JournalError> {
        let mut guard = self.client()?;
        // A connection the server dropped (a restart) is found dead only
        // when used: nothing is done yet at BEGIN, so once more on a new one.
        let alive = guard
            .as_mut()
            .is_some_and(|c| c.batch_execute("BEGIN; ROLLBACK").is_ok());
        if !alive {
            self.reconnect(&mut guard)?;
        }
        let client = guard.as_mut().ok_or_else(|| self.gone())?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&self.release],
        )
        .map_err(|e| self.error(&e))?;
        if !admit(&mut tx)? {
            return Ok(None);
        }
        let row = tx
            .query_one(
                "INSERT INTO warroom_journal (release, seq, line)
                 SELECT $1, coalesce(max(seq), 0) + 1, $2 FROM warroom_journal WHERE release = $1
                 RETURNING seq",
                &[&self.release, &entry.to_line()],
            )
            .map_err(|e| self.error(&e))?;
        let seq: i64 = row.get(0);
        tx.execute(
            "SELECT pg_notify($1, $2)",
            &[&listen::CHANNEL, &self.release],
        )
        .map_err(|e| self.error(&e))?;
        // Durable once committed: the server's own guarantee.
        tx.commit().map_err(|e| self.error(&e))?;
        Ok(Some(u64::try_from(seq).unwrap_or(0)))
    }
}

fn connect(connection: &Connection, release: &str) -> Result<Client, JournalError> {
    connection.connect().map_err(|what| JournalError::Database {
        name: release.to_string(),
        what,
    })
}

fn error(release: &str, e: &postgres::Error) -> JournalError {
    JournalError::Database {
        name: release.to_string(),
        what: crate::outside::masked(&e.to_string()),
    }
}

impl Store for PgStore {
    fn name(&self) -> String {
        format!("release \"{}\" on PostgreSQL", self.release)
    }

    fn replay(&self) -> Result<Batch, JournalError> {
        let mut guard = self.client()?;
        let client = guard.as_mut().ok_or_else(|| self.gone())?;
        match read_after(client, &self.release, Position::default()) {
            // Reading is safe to try again on a new connection.
            Err(_) => {
                self.reconnect(&mut guard)?;
                let client = guard.as_mut().ok_or_else(|| self.gone())?;
                read_after(client, &self.release, Position::default())
            }
            read => read,
        }
    }

    fn follow(&self, cursor: Position) -> Box<dyn Follow> {
        Box::new(PgFollower {
            connection: self.connection.clone(),
            release: self.release.clone(),
            client: None,
            position: cursor,
            backoff: backoff::Backoff::default(),
            last_error: None,
            listener: None,
        })
    }

    fn append(&self, entry: &Entry) -> Result<u64, JournalError> {
        self.append_locked(entry, |_| Ok(true))
            .map(|seq| seq.unwrap_or(0))
    }

    fn append_once(&self, entry: &Entry) -> Result<Option<u64>, JournalError> {
        let release = self.release.clone();
        self.append_locked(entry, |tx| {
            // The machine's lines so far, judged as the file store judges them.
            let rows = tx
                .query(
                    "SELECT line FROM warroom_journal WHERE release = $1
                     AND (line LIKE '%\"alert_%' OR line LIKE '%\"check_in_due\"%'
                          OR line LIKE '%\"chat_posted\"%' OR line LIKE '%\"check_in_missed\"%')
                     ORDER BY seq",
                    &[&release],
                )
                .map_err(|e| error(&release, &e))?;
            let mut open = OpenAlerts::default();
            for row in rows {
                let line: String = row.get(0);
                if let Ok(earlier) = serde_json::from_str::<Entry>(&line) {
                    open.note(&earlier);
                }
            }
            Ok(entry.action.as_ref().is_some_and(|a| open.admits(a)))
        })
    }
}

/// The lines of `release` after `from`, in order.
fn read_after(client: &mut Client, release: &str, from: Position) -> Result<Batch, JournalError> {
    let after = i64::try_from(from.offset).unwrap_or(i64::MAX);
    let rows = client
        .query(
            "SELECT seq, line, db_role FROM warroom_journal WHERE release = $1 AND seq > $2 ORDER BY seq",
            &[&release, &after],
        )
        .map_err(|e| error(release, &e))?;
    let mut batch = Batch {
        position: from,
        ..Batch::default()
    };
    for row in rows {
        let seq: i64 = row.get(0);
        let text: String = row.get(1);
        let role: String = row.get(2);
        let number = u64::try_from(seq).unwrap_or(0);
        match parse_line(text.as_bytes()) {
            Ok(entry) => batch.lines.push(Line {
                number,
                entry,
                // Empty for a line imported from a file: no role wrote it.
                role: Some(role).filter(|r| !r.is_empty()),
            }),
            Err(why) => batch.skipped.push(Skipped {
                line: number,
                why: SkipReason::NotAnEntry(why),
            }),
        }
        batch.position = Position {
            offset: number,
            lines: number,
        };
    }
    Ok(batch)
}

/// How often a seat reads when no notification came: the net under a lost
/// NOTIFY, not the way marks normally arrive.
const SLOW_POLL: Duration = Duration::from_secs(1);

/// Reads what any seat appends, on a connection of its own.
struct PgFollower {
    connection: Connection,
    release: String,
    client: Option<Client>,
    position: Position,
    /// When to try the server again after it was found away.
    backoff: backoff::Backoff,
    last_error: Option<String>,
    listener: Option<listen::Listener>,
}

impl PgFollower {
    fn read(&mut self) -> Result<Batch, JournalError> {
        if self.client.as_ref().is_none_or(Client::is_closed) {
            if let Some(old) = self.client.take() {
                drop_aside(old);
            }
            self.client = Some(connect(&self.connection, &self.release)?);
        }
        let Some(client) = self.client.as_mut() else {
            return Ok(Batch::default());
        };
        match read_after(client, &self.release, self.position) {
            Ok(batch) => Ok(batch),
            Err(e) => {
                // Connected again at the next try.
                if let Some(old) = self.client.take() {
                    drop_aside(old);
                }
                Err(e)
            }
        }
    }
}

impl Follow for PgFollower {
    fn read_new(&mut self) -> Result<Batch, JournalError> {
        let now = Instant::now();
        let back = self
            .listener
            .as_ref()
            .is_some_and(|l| l.reached.swap(false, std::sync::atomic::Ordering::Relaxed));
        if back {
            self.backoff.succeeded();
        }
        if !self.backoff.due(now) {
            // Not tried again yet: still away, for the reason last seen.
            return Err(JournalError::Database {
                name: self.release.clone(),
                what: self.last_error.clone().unwrap_or_default(),
            });
        }
        match self.read() {
            Ok(batch) => {
                self.backoff.succeeded();
                self.last_error = None;
                self.position = batch.position;
                Ok(batch)
            }
            Err(e) => {
                self.backoff.failed(now);
                if let JournalError::Database { what, .. } = &e {
                    self.last_error = Some(what.clone());
                }
                Err(e)
            }
        }
    }

    fn poll_every(&self) -> Duration {
        SLOW_POLL
    }

    fn on_news(&mut self, ring: Ring) {
        self.listener = Some(listen::Listener::start(
            self.connection.clone(),
            self.release.clone(),
            ring,
        ));
    }
}

/// A client carries a runtime of its own, which may not be dropped on an
/// async worker (the room's follower task ends on one): dropped on a thread
/// of its own instead.
fn drop_aside(client: Client) {
    let _ = std::thread::Builder::new()
        .name("journal-db-close".into())
        .spawn(move || drop(client));
}

impl Drop for PgFollower {
    fn drop(&mut self) {
        if let Some(client) = self.client.take() {
            drop_aside(client);
        }
    }
}

impl Drop for PgStore {
    fn drop(&mut self) {
        let inner = self
            .client
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(client) = inner.take() {
            drop_aside(client);
        }
    }
}

impl PgStore {
    /// Moves a file journal's lines into this release, numbered as they
    /// were in the file (an undo names its line by number), in one
    /// transaction. Only into an empty release: never two nights in one.
    pub fn import(&self, batch: &Batch) -> Result<usize, JournalError> {
        let mut guard = self.client()?;
        let client = guard.as_mut().ok_or_else(|| self.gone())?;
        let mut tx = client.transaction().map_err(|e| self.error(&e))?;
        tx.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&self.release],
        )
        .map_err(|e| self.error(&e))?;
        let held: i64 = tx
            .query_one(
                "SELECT count(*) FROM warroom_journal WHERE release = $1",
                &[&self.release],
            )
            .map_err(|e| self.error(&e))?
            .get(0);
        if held > 0 {
            return Err(JournalError::Database {
                name: self.release.clone(),
                what: format!(
                    "it already has {held} lines; a journal is imported into an empty release only"
                ),
            });
        }
        for line in &batch.lines {
            let seq = i64::try_from(line.number).unwrap_or(i64::MAX);
            tx.execute(
                "INSERT INTO warroom_journal (release, seq, line, db_role) VALUES ($1, $2, $3, '')",
                &[&self.release, &seq, &line.entry.to_line()],
            )
            .map_err(|e| self.error(&e))?;
        }
        tx.commit().map_err(|e| self.error(&e))?;
        Ok(batch.lines.len())
    }
}

/// A journal's lines as the file store writes them: a line a number, a
/// line cut off in the file it came from kept as a closed torn line, so
/// every number stays the line it was.
pub fn as_file(batch: &Batch) -> Vec<u8> {
    let mut out = Vec::new();
    let mut next = 1;
    for line in &batch.lines {
        while next < line.number {
            out.extend_from_slice(&[super::read::TORN, b'\n']);
            next += 1;
        }
        out.extend_from_slice(line.entry.to_line().as_bytes());
        out.push(b'\n');
        next = line.number + 1;
    }
    out
}
