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
/// The longest wait a chat's `Retry-After` is granted.
const LONGEST_WAIT: Duration = Duration::from_secs(30);

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

/// How a post went, told to whoever started the poster: every failure,
/// and the delivery of a post asked for on demand (`S`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub on_demand: bool,
    pub result: Result<(), String>,
}

/// Posts handed to it, in order, off the caller's thread.
pub struct Poster {
    tx: mpsc::UnboundedSender<(String, bool)>,
    task: tokio::task::JoinHandle<()>,
}

impl Poster {
    /// Starts the posting task on the current runtime; `told` hears the
    /// outcomes worth telling (a room shows them as notices: printed, they
    /// would tear its screen).
    pub fn start(sink: Sink, told: impl Fn(Outcome) + Send + 'static) -> Poster {
        let (tx, rx) = mpsc::unbounded_channel();
        let task = tokio::spawn(run(sink, rx, told));
        Poster { tx, task }
    }

    /// Posts an event of the night.
    pub fn post(&self, text: String) {
        let _ = self.tx.send((text, false));
    }

    /// Posts what someone asked for, and tells when it is through.
    pub fn post_on_demand(&self, text: String) {
        let _ = self.tx.send((text, true));
    }

    /// Lets the posts already handed over go out, for up to `within`: an
    /// alert's end posted just before SIGTERM still reaches the team.
    pub async fn close(self, within: Duration) {
        drop(self.tx);
        let mut task = self.task;
        if tokio::time::timeout(within, &mut task).await.is_err() {
            tracing::warn!("chat posts still pending at exit were dropped");
            task.abort();
        }
    }
}

async fn run(sink: Sink, mut rx: mpsc::UnboundedReceiver<(String, bool)>, told: impl Fn(Outcome)) {
    let client = reqwest::Client::builder().timeout(TIMEOUT).build().ok();
    while let Some((text, on_demand)) = rx.recv().await {
        let body = crate::report::chat::payload(&text);
        let result = match (&sink, &client) {
            (Sink::DryRun, _) => {
                println!("chat (dry run): {body}");
                Ok(())
            }
            (Sink::Webhook(url), Some(client)) => deliver(client, url, &body).await,
            (Sink::Webhook(_), None) => Err("no HTTP client for the chat".to_string()),
        };
        if let Err(why) = &result {
            tracing::warn!(%why, "chat post failed");
        }
        if on_demand || result.is_err() {
            told(Outcome { on_demand, result });
        }
    }
}

/// One post, tried again after a failure, a 5xx or a 429 (after the wait
/// the chat asks for, within reason): the last failure said without the
/// URL.
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
            Ok(r) if r.status() == reqwest::StatusCode::TOO_MANY_REQUESTS => {
                last = "HTTP 429 (too many requests)".to_string();
                if let Some(asked) = retry_after(&r) {
                    wait = asked.clamp(FIRST_WAIT, LONGEST_WAIT);
                }
            }
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
            wait = (wait * 2).min(LONGEST_WAIT);
        }
    }
    Err(format!("the chat post failed {TRIES} times, last: {last}"))
}

/// The wait a 429 asks for, in whole seconds (the form chats send).
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let seconds = response
        .headers()
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
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
