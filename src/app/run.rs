//! The loop: one channel of messages in, `update` on each, one draw per batch
//! that changed something. Input, clock, sources and signals are tasks that
//! only send.

use std::time::{Duration, Instant};

use anyhow::Context;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::sync::mpsc;

use super::{Effect, Msg, State, keymap, update};
use crate::clock::Clock;
use crate::domain::Zone;
use crate::plan::Plan;

pub struct RunOptions {
    pub clock: Clock,
    pub local_zone: Zone,
    pub demo: bool,
    /// When the process started, to log the time to the first frame.
    pub started: Instant,
}

pub async fn run(plan: Plan, options: RunOptions) -> anyhow::Result<()> {
    let (tx, mut rx) = mpsc::channel::<Msg>(1024);
    let mut state = State::new(plan, options.clock.now(), options.local_zone);
    state.demo = options.demo;

    let mut terminal = Screen::enter()?;
    terminal.draw(&state)?;
    tracing::info!(
        elapsed_ms = options.started.elapsed().as_secs_f64() * 1000.0,
        "first frame drawn"
    );

    let tasks = [
        tokio::spawn(read_terminal(tx.clone())),
        tokio::spawn(tick(options.clock, tx.clone())),
        tokio::spawn(watch_signals(tx.clone())),
    ];
    let sources = crate::sources::spawn_all(&state.plan, options.clock, &tx);
    drop(tx);

    while let Some(first) = rx.recv().await {
        let mut redraw = false;
        let mut quit = false;
        // Drain what queued up while we drew, then draw once.
        let mut next = Some(first);
        while let Some(msg) = next {
            for effect in update(&mut state, msg) {
                match effect {
                    Effect::Redraw => redraw = true,
                    Effect::Quit => quit = true,
                }
            }
            next = rx.try_recv().ok();
        }
        if quit {
            break;
        }
        if redraw {
            terminal.draw(&state)?;
        }
    }
    for task in tasks.iter().chain(&sources) {
        task.abort();
    }
    Ok(())
}

/// The terminal while the war room owns it; restored when dropped, whether the
/// loop ended normally or with an error. A panic is restored by ratatui's hook.
struct Screen {
    terminal: DefaultTerminal,
}

impl Screen {
    fn enter() -> anyhow::Result<Screen> {
        let terminal = ratatui::try_init().context("warroom needs an interactive terminal")?;
        Ok(Screen { terminal })
    }

    fn draw(&mut self, state: &State) -> anyhow::Result<()> {
        self.terminal
            .draw(|frame| crate::ui::render(state, frame))
            .context("cannot draw to the terminal")?;
        Ok(())
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

async fn read_terminal(tx: mpsc::Sender<Msg>) {
    let mut events = EventStream::new();
    while let Some(event) = events.next().await {
        let msg = match event {
            Ok(Event::Key(key)) => keymap::map_key(key),
            Ok(Event::Resize(..)) => Some(Msg::Resize),
            Ok(_) => None,
            Err(err) => {
                tracing::error!(%err, "terminal input failed");
                Some(Msg::Quit)
            }
        };
        if let Some(msg) = msg
            && tx.send(msg).await.is_err()
        {
            return;
        }
    }
}

/// One tick at each whole second of the clock, so the countdown turns over on
/// the second; no tick between, so an idle war room sleeps.
async fn tick(clock: Clock, tx: mpsc::Sender<Msg>) {
    loop {
        let now = clock.now();
        let into_second = u64::from(now.timestamp_subsec_millis());
        tokio::time::sleep(Duration::from_millis(1000 - into_second)).await;
        if tx.send(Msg::Tick(clock.now())).await.is_err() {
            return;
        }
    }
}

/// SIGTERM, SIGHUP and SIGINT end the loop like `q`, so the terminal is restored.
async fn watch_signals(tx: mpsc::Sender<Msg>) {
    use tokio::signal::unix::{SignalKind, signal};
    let kinds = [
        SignalKind::terminate(),
        SignalKind::hangup(),
        SignalKind::interrupt(),
    ];
    let mut streams = Vec::new();
    for kind in kinds {
        match signal(kind) {
            Ok(s) => streams.push(s),
            Err(err) => tracing::warn!(%err, "cannot watch a signal"),
        }
    }
    if streams.is_empty() {
        return;
    }
    futures::future::select_all(streams.iter_mut().map(|s| Box::pin(s.recv()))).await;
    let _ = tx.send(Msg::Quit).await;
}
