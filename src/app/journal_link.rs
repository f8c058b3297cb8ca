//! The loop's link to the journal: one writer thread, so this seat's actions
//! reach the file in the order they were made, and one follower task that
//! reads what any seat appended, this one included.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::{Notify, mpsc};

use super::Msg;
use crate::journal::{Entry, Follow, Position, Store};

pub struct JournalLink {
    writer: Option<std::sync::mpsc::Sender<Entry>>,
    thread: Option<std::thread::JoinHandle<()>>,
    follower: tokio::task::JoinHandle<()>,
}

impl JournalLink {
    /// Starts the writer and the follower, reading on from `position`.
    pub fn start(store: Arc<dyn Store>, position: Position, tx: mpsc::Sender<Msg>) -> JournalLink {
        let wake = Arc::new(Notify::new());
        let (writer, entries) = std::sync::mpsc::channel::<Entry>();
        let (saved_tx, wake_writer) = (tx.clone(), wake.clone());
        let mut follower = store.follow(position);
        let bell = wake.clone();
        follower.on_news(Arc::new(move || bell.notify_one()));
        let thread = std::thread::spawn(move || {
            for entry in entries {
                // An alert is the machine's, not a person's: it waits for no
                // read-back and, seen by two seats, is written once.
                if entry.action.as_ref().is_some_and(|a| !a.by_person()) {
                    let result = store.append_once(&entry);
                    wake_writer.notify_one();
                    // A claim written is this seat's post to make: at once,
                    // not when it is read back (the loop may be ending).
                    if let (Ok(Some(_)), Some(crate::domain::Action::ChatPosted { line })) =
                        (&result, &entry.action)
                        && saved_tx.blocking_send(Msg::ChatClaimed(*line)).is_err()
                    {
                        return;
                    }
                    if let Err(why) = result {
                        tracing::error!(%why, "journal append of an alert failed");
                        let why = format!("alert not recorded, retrying: {why}");
                        if saved_tx
                            .blocking_send(Msg::AlertNotSaved(entry, why))
                            .is_err()
                        {
                            return;
                        }
                    }
                    continue;
                }
                let result = store.append(&entry).map_err(|e| e.to_string());
                if let Err(why) = &result {
                    tracing::error!(%why, "journal append failed");
                }
                // Read our own line back at once rather than at the next poll.
                wake_writer.notify_one();
                if saved_tx.blocking_send(Msg::Saved(result)).is_err() {
                    return;
                }
            }
        });
        let follower = tokio::spawn(follow(follower, wake, tx));
        JournalLink {
            writer: Some(writer),
            thread: Some(thread),
            follower,
        }
    }

    pub fn write(&self, entry: Entry) {
        // The writer thread lives as long as the loop; a failed send means the
        // loop is ending anyway.
        if let Some(writer) = &self.writer {
            let _ = writer.send(entry);
        }
    }

    /// Lets the writer finish what it was given before the process leaves, so
    /// a mark made just before quitting is not cut off mid-write; waits at most
    /// `grace`.
    pub fn finish(mut self, grace: Duration) {
        drop(self.writer.take());
        let Some(thread) = self.thread.take() else {
            return;
        };
        let deadline = std::time::Instant::now() + grace;
        while !thread.is_finished() && std::time::Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(5));
        }
        if !thread.is_finished() {
            tracing::error!("journal writer did not finish within {grace:?}");
        }
    }
}

impl Drop for JournalLink {
    fn drop(&mut self) {
        self.follower.abort();
    }
}

async fn follow(mut follower: Box<dyn Follow>, wake: Arc<Notify>, tx: mpsc::Sender<Msg>) {
    let mut failing = false;
    let poll = follower.poll_every();
    loop {
        tokio::select! {
            () = wake.notified() => {}
            () = tokio::time::sleep(poll) => {}
        }
        // Reading waits on the file's lock: off the async workers, so a
        // lock held elsewhere never holds up the screen or a quit.
        let Ok((back, read)) = tokio::task::spawn_blocking(move || {
            let read = follower.read_new();
            (follower, read)
        })
        .await
        else {
            return;
        };
        follower = back;
        match read {
            Ok(batch) => {
                let back = std::mem::replace(&mut failing, false);
                if !(batch.lines.is_empty() && batch.skipped.is_empty())
                    && tx.send(Msg::Journal(batch)).await.is_err()
                {
                    return;
                }
                // Caught up first, then marks are taken again.
                if back && tx.send(Msg::JournalBack).await.is_err() {
                    return;
                }
            }
            // Said once, not every poll.
            Err(err) if !failing => {
                failing = true;
                let text = format!("{err}; other seats' marks may be missing");
                if tx.send(Msg::JournalError(text)).await.is_err() {
                    return;
                }
            }
            Err(_) => {}
        }
    }
}
