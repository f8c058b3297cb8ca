//! A seat's ear on the database: a connection of its own that LISTENs for
//! the notification every append sends, and rings the follower when one
//! names this release. The follower still reads on a slow poll, in case a
//! notification is lost (they are, while the connection is down).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use postgres::fallible_iterator::FallibleIterator;

use super::backoff::Backoff;
use super::connection::Connection;
use crate::journal::Ring;

/// The channel every append notifies, with the release's key as payload.
pub const CHANNEL: &str = "warroom_journal";

/// How often the listening thread looks up from the connection to see
/// whether it is still wanted.
const LOOK_UP: Duration = Duration::from_millis(200);

pub struct Listener {
    stop: Arc<AtomicBool>,
    /// Set each time the listener (re)connects: the server is back, so the
    /// follower need not wait out its backoff.
    pub reached: Arc<AtomicBool>,
}

impl Listener {
    pub fn start(connection: Connection, release: String, ring: Ring) -> Listener {
        let stop = Arc::new(AtomicBool::new(false));
        let reached = Arc::new(AtomicBool::new(false));
        let (wanted, back) = (stop.clone(), reached.clone());
        let spawned = std::thread::Builder::new()
            .name("journal-listen".into())
            .spawn(move || listen(&connection, &release, &ring, &wanted, &back));
        if let Err(why) = spawned {
            // The slow poll still reads every line; only the wake-up is lost.
            tracing::warn!(%why, "journal listener not started");
        }
        Listener { stop, reached }
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

fn listen(
    connection: &Connection,
    release: &str,
    ring: &Ring,
    stop: &AtomicBool,
    reached: &AtomicBool,
) {
    let mut backoff = Backoff::default();
    while !stop.load(Ordering::Relaxed) {
        if !backoff.due(Instant::now()) {
            std::thread::sleep(LOOK_UP);
            continue;
        }
        let mut client = match connection.connect() {
            Ok(client) => client,
            Err(why) => {
                tracing::debug!(%why, "journal listener cannot connect");
                backoff.failed(Instant::now());
                continue;
            }
        };
        if let Err(why) = client.batch_execute(&format!("LISTEN {CHANNEL}")) {
            tracing::debug!(%why, "journal listener cannot LISTEN");
            backoff.failed(Instant::now());
            continue;
        }
        backoff.succeeded();
        reached.store(true, Ordering::Relaxed);
        // Whatever was appended while nobody listened.
        ring();
        while !stop.load(Ordering::Relaxed) && !client.is_closed() {
            let mut notes = client.notifications();
            let mut heard = notes.timeout_iter(LOOK_UP);
            match heard.next() {
                Ok(Some(note)) if note.payload() == release => ring(),
                Ok(_) => {}
                Err(why) => {
                    tracing::debug!(%why, "journal listener lost its connection");
                    backoff.failed(Instant::now());
                    break;
                }
            }
        }
    }
}
