//! Posting to the team's chat: the webhook's URL from the environment
//! variable the plan names (a secret, masked wherever it turns up), posts
//! in the background with retries so a screen never waits on them, and a
//! post that fails in the end is a warning, never an error.

use std::time::Duration;

use tokio::sync::mpsc;

use crate::spec::ChatSpec;

/// Tries per post, and the wait before the first retry (doubled each time).
const TRIES: u32 = 4;
const FIRST_WAIT: Duration = Duration::from_millis(500);
const TIMEOUT: Duration = Duration::from_secs(10);

/// Where posts go.
#[derive(Debug, Clone)]
pub enum Sink {
    /// The webhook.
    Webhook(String),
    /// Printed to stdout instead (`--dry-run`).
    DryRun,
}

/// The sink the plan's chat names, or why there is none.
pub fn sink(spec: &ChatSpec, dry_run: bool) -> Result<Sink, String> {
    if dry_run {
        return Ok(Sink::DryRun);
    }
    match std::env::var(&spec.webhook_env) {
        Ok(url) if !url.trim().is_empty() => {
            crate::outside::keep_secret(url.trim());
            Ok(Sink::Webhook(url.trim().to_string()))
        }
        _ => Err(format!(
            "the chat's webhook is not set: {} is empty or not set",
            spec.webhook_env
        )),
    }
}

/// Posts handed to it, in order, off the caller's thread.
#[derive(Clone)]
pub struct Poster {
    tx: mpsc::UnboundedSender<String>,
}

impl Poster {
    /// Starts the posting task on the current runtime.
    pub fn start(sink: Sink) -> Poster {
        let (tx, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(sink, rx));
        Poster { tx }
    }

    pub fn post(&self, text: String) {
        let _ = self.tx.send(text);
    }
}

async fn run(sink: Sink, mut rx: mpsc::UnboundedReceiver<String>) {
    let client = reqwest::Client::builder().timeout(TIMEOUT).build().ok();
    while let Some(text) = rx.recv().await {
        let body = crate::report::chat::payload(&text);
        match (&sink, &client) {
            (Sink::DryRun, _) => println!("chat (dry run): {body}"),
            (Sink::Webhook(url), Some(client)) => {
                if let Err(why) = deliver(client, url, &body).await {
                    tracing::warn!(%why, "chat post failed");
                    eprintln!("warning: {}", crate::outside::shown(&why));
                }
            }
            (Sink::Webhook(_), None) => tracing::warn!("no HTTP client for the chat"),
        }
    }
}

/// One post, tried again after a failure or a 5xx: the last failure said
/// without the URL.
pub async fn deliver(client: &reqwest::Client, url: &str, body: &str) -> Result<(), String> {
    let mut wait = FIRST_WAIT;
    let mut last = String::new();
    for attempt in 1..=TRIES {
        let sent = client
            .post(url)
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.to_string())
            .send()
            .await;
        match sent {
            Ok(r) if r.status().is_success() => return Ok(()),
            Ok(r) if r.status().is_client_error() => {
                // The webhook refuses it: trying again will not help.
                return Err(format!(
                    "the chat refused a post: HTTP {}",
                    r.status().as_u16()
                ));
            }
            Ok(r) => last = format!("HTTP {}", r.status().as_u16()),
            Err(e) => last = e.without_url().to_string(),
        }
        if attempt < TRIES {
            tokio::time::sleep(wait).await;
            wait *= 2;
        }
    }
    Err(format!("the chat post failed {TRIES} times, last: {last}"))
}

/// One post from a command that ends right after (`warroom check-in`).
pub fn post_now(sink: &Sink, text: &str) -> Result<(), String> {
    let body = crate::report::chat::payload(text);
    match sink {
        Sink::DryRun => {
            println!("chat (dry run): {body}");
            Ok(())
        }
        Sink::Webhook(url) => {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .map_err(|e| format!("cannot post: {e}"))?;
            let client = reqwest::Client::builder()
                .timeout(TIMEOUT)
                .build()
                .map_err(|e| format!("cannot post: {}", e.without_url()))?;
            runtime.block_on(deliver(&client, url, &body))
        }
    }
}
