//! Load made on schedule (`warroom probe`): request `i` is due at
//! `start + i / rate`, and goes out then whether or not the ones before it
//! answered, so a slow server shows as slow answers, not as fewer requests.
//! Latency is timed from when a request was due. A request that cannot go
//! out on time is counted as late; one that finds every connection slot
//! taken is dropped and counted, never queued without bound.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant, SystemTime};

use tokio::sync::{Semaphore, mpsc};

/// How fast to send.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rate {
    /// Requests a second, on schedule.
    PerSecond(f64),
    /// As fast as the connection slots allow, each slot sending its next
    /// request when the last one answered: the most the server and this
    /// machine can do together (closed loop, for comparing with other tools).
    Max,
}

#[derive(Debug, Clone)]
pub struct Load {
    pub url: reqwest::Url,
    pub rate: Rate,
    pub duration: Duration,
    /// From when a request is due to its whole answer.
    pub timeout: Duration,
    /// Requests in flight at most.
    pub connections: usize,
    /// Stop after this many requests, even before `duration` is up.
    pub requests: Option<u64>,
}

/// A request later than this after it was due counts as late.
pub const LATE: Duration = Duration::from_millis(5);

/// What one request came to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// When it was due, in milliseconds since the epoch.
    pub due_ms: i64,
    /// From when it was due to its whole answer (or the timeout).
    pub elapsed: Duration,
    /// The HTTP status, or why there is none.
    pub outcome: Result<u16, Failure>,
    pub bytes: u64,
}

impl Answer {
    pub fn ok(&self) -> bool {
        matches!(self.outcome, Ok(status) if (200..400).contains(&status))
    }

    /// The response code as JMeter writes it: the status, or the reason
    /// there is none.
    pub fn code(&self) -> String {
        match &self.outcome {
            Ok(status) => status.to_string(),
            Err(failure) => format!("Non HTTP response code: {}", failure.words()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    Timeout,
    Refused,
    /// The connection broke, or the answer was cut off.
    Broken,
}

impl Failure {
    pub fn words(self) -> &'static str {
        match self {
            Failure::Timeout => "timeout",
            Failure::Refused => "connection refused",
            Failure::Broken => "connection broken",
        }
    }
}

/// Counts the progress bar reads while the load runs.
#[derive(Debug, Default)]
pub struct Counters {
    /// Requests due so far.
    pub due: AtomicU64,
    pub sent: AtomicU64,
    pub answered: AtomicU64,
    pub late: AtomicU64,
    pub dropped: AtomicU64,
}

impl Counters {
    pub fn in_flight(&self) -> u64 {
        self.sent
            .load(Ordering::Relaxed)
            .saturating_sub(self.answered.load(Ordering::Relaxed))
    }
}

/// How requests reach the server: hyper's own connections for `http://`,
/// a general client for `https://` (its TLS).
#[derive(Clone)]
pub enum Transport {
    Plain(Arc<super::connections::Connections>),
    Client(reqwest::Client, reqwest::Url),
}

impl Transport {
    pub async fn for_url(url: &reqwest::Url, connections: usize) -> Result<Transport, String> {
        if url.scheme() == "http" {
            let plain = super::connections::Connections::new(url).await?;
            return Ok(Transport::Plain(Arc::new(plain)));
        }
        Ok(Transport::Client(client(connections)?, url.clone()))
    }

    /// One GET: the status and the body's length.
    async fn get(&self) -> Result<(u16, u64), Failure> {
        match self {
            Transport::Plain(connections) => connections.get().await,
            Transport::Client(client, url) => {
                let mut response = client
                    .get(url.clone())
                    .send()
                    .await
                    .map_err(|e| failure(&e))?;
                let status = response.status().as_u16();
                let mut bytes = 0u64;
                while let Some(chunk) = response.chunk().await.map_err(|e| failure(&e))? {
                    bytes += chunk.len() as u64;
                }
                Ok((status, bytes))
            }
        }
    }
}

/// The HTTP client a load runs on over TLS: one connection a slot kept alive, no
/// redirects followed (a redirect is an answer), and nothing looked up per
/// request that a load test does not need (proxies, compression).
pub fn client(connections: usize) -> Result<reqwest::Client, String> {
    reqwest::Client::builder()
        .pool_max_idle_per_host(connections)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .no_gzip()
        .http1_only()
        .tcp_nodelay(true)
        .build()
        .map_err(|e| format!("cannot set up HTTP: {e}"))
}

/// Makes the load; every answer goes to `answers` as it comes. Returns,
/// once the last request has answered or timed out, how long the sending
/// took: from the start to the last request sent.
pub async fn run(
    load: Load,
    transport: Transport,
    counters: Arc<Counters>,
    answers: mpsc::UnboundedSender<Answer>,
) -> Duration {
    let start = Instant::now();
    let wall = SystemTime::now();
    let slots = Arc::new(Semaphore::new(load.connections.max(1)));
    let clock = Clock { start, wall };
    match load.rate {
        Rate::PerSecond(rate) => {
            on_schedule(&load, rate, clock, &transport, &counters, &slots, &answers).await;
        }
        Rate::Max => closed_loop(&load, clock, &transport, &counters, &answers).await,
    }
    let sending = start.elapsed();
    // Every slot back: every request answered or timed out.
    let _ = slots.acquire_many(load.connections.max(1) as u32).await;
    sending
}

#[derive(Debug, Clone, Copy)]
struct Clock {
    start: Instant,
    wall: SystemTime,
}

impl Clock {
    fn wall_ms(&self, at: Instant) -> i64 {
        let since = at.saturating_duration_since(self.start);
        let wall = self.wall + since;
        wall.duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
    }
}

async fn on_schedule(
    load: &Load,
    rate: f64,
    clock: Clock,
    transport: &Transport,
    counters: &Arc<Counters>,
    slots: &Arc<Semaphore>,
    answers: &mpsc::UnboundedSender<Answer>,
) {
    let mut total = (load.duration.as_secs_f64() * rate).round() as u64;
    if let Some(cap) = load.requests {
        total = total.min(cap);
    }
    let due_at = |i: u64| clock.start + Duration::from_secs_f64(i as f64 / rate);
    let mut i = 0;
    while i < total {
        let next = due_at(i);
        if next > Instant::now() {
            // The timer wakes once a millisecond at best: every request due
            // by then goes out in the same wake.
            tokio::time::sleep_until(next.into()).await;
        }
        let now = Instant::now();
        while i < total && due_at(i) <= now {
            let due = due_at(i);
            i += 1;
            counters.due.fetch_add(1, Ordering::Relaxed);
            let Ok(slot) = slots.clone().try_acquire_owned() else {
                counters.dropped.fetch_add(1, Ordering::Relaxed);
                continue;
            };
            if now.saturating_duration_since(due) > LATE {
                counters.late.fetch_add(1, Ordering::Relaxed);
            }
            counters.sent.fetch_add(1, Ordering::Relaxed);
            let (transport, counters, answers) =
                (transport.clone(), counters.clone(), answers.clone());
            let timeout = load.timeout;
            tokio::spawn(async move {
                let answer = request(&transport, due, timeout, clock).await;
                counters.answered.fetch_add(1, Ordering::Relaxed);
                drop(slot);
                let _ = answers.send(answer);
            });
        }
    }
}

async fn closed_loop(
    load: &Load,
    clock: Clock,
    transport: &Transport,
    counters: &Arc<Counters>,
    answers: &mpsc::UnboundedSender<Answer>,
) {
    let end = clock.start + load.duration;
    let cap = load.requests;
    let mut workers = tokio::task::JoinSet::new();
    for _ in 0..load.connections.max(1) {
        let (transport, counters, answers) = (transport.clone(), counters.clone(), answers.clone());
        let timeout = load.timeout;
        workers.spawn(async move {
            loop {
                let due = Instant::now();
                if due >= end {
                    return;
                }
                // One count for every worker: a cap is never overshot.
                let n = counters.due.fetch_add(1, Ordering::Relaxed);
                if cap.is_some_and(|cap| n >= cap) {
                    counters.due.fetch_sub(1, Ordering::Relaxed);
                    return;
                }
                counters.sent.fetch_add(1, Ordering::Relaxed);
                let answer = request(&transport, due, timeout, clock).await;
                counters.answered.fetch_add(1, Ordering::Relaxed);
                if answers.send(answer).is_err() {
                    return;
                }
            }
        });
    }
    while workers.join_next().await.is_some() {}
}

/// One request, timed from when it was due, its answer read whole so the
/// connection can carry the next.
async fn request(transport: &Transport, due: Instant, timeout: Duration, clock: Clock) -> Answer {
    let deadline = due + timeout;
    let result = tokio::time::timeout_at(deadline.into(), transport.get()).await;
    let elapsed = Instant::now().saturating_duration_since(due);
    let (outcome, bytes) = match result {
        Ok(Ok((status, bytes))) => (Ok(status), bytes),
        Ok(Err(failure)) => (Err(failure), 0),
        Err(_) => (Err(Failure::Timeout), 0),
    };
    Answer {
        due_ms: clock.wall_ms(due),
        elapsed,
        outcome,
        bytes,
    }
}

fn failure(e: &reqwest::Error) -> Failure {
    if e.is_timeout() {
        Failure::Timeout
    } else if e.is_connect() {
        Failure::Refused
    } else {
        Failure::Broken
    }
}
