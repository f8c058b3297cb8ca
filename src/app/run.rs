//! The loop: one channel of messages in, `update` on each, one draw per batch
//! that changed something. Input, clock, sources and signals are tasks that
//! only send.

use std::io::IsTerminal;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::Context;
use crossterm::event::{Event, EventStream};
use futures::StreamExt;
use ratatui::DefaultTerminal;
use tokio::signal::unix::{Signal, SignalKind, signal};
use tokio::sync::mpsc;

use super::journal_link::JournalLink;
use super::{Effect, Msg, State, apply_journal, update};
use crate::clock::Clock;
use crate::domain::Zone;
use crate::journal::{self, Store};
use crate::plan::Plan;
use crate::sources::{Backfill, Reading};

/// After a message wakes the loop, how long to gather the others of the same
/// moment (the clock tick and every source wake on the whole second) so they
/// cost one frame, not six.
const SETTLE: Duration = Duration::from_millis(3);

/// After SIGTERM, how long a clean shutdown may take before the process
/// restores the terminal and leaves anyway.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(2);

/// Where the night is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Face {
    /// The war room, full screen.
    Screen,
    /// A line per event on stdout, for a host without a terminal.
    Lines,
}

pub struct RunOptions {
    pub face: Face,
    /// Print the chat's posts instead of posting them.
    pub chat_dry_run: bool,
    pub clock: Clock,
    pub local_zone: Zone,
    pub demo: bool,
    /// Who this seat acts as.
    pub actor: String,
    /// The journal to replay and append to.
    pub place: journal::Place,
    /// Where this seat records what it reads of the metrics.
    pub readings: std::path::PathBuf,
    /// When the process started, to log the time to the first frame.
    pub started: Instant,
    /// Shows everything, writes nothing to the journal (`--read-only`).
    pub read_only: bool,
    /// The theme, and whether `NO_COLOR` turns colour off.
    pub look: crate::ui::theme::Look,
    /// Opens in presenter mode (`--present`).
    pub present: bool,
    /// Presenter mode moves to the next pane this often (`--cycle`).
    pub cycle: Option<Duration>,
    /// A plan opened at another moment than now (`--at`), its marks kept apart.
    pub rehearsal: bool,
    /// This seat rings the terminal bell (the config's `bell`).
    pub bell: bool,
    /// Keys the config moved.
    pub keys: crate::config::KeyOverrides,
}

pub async fn run(plan: Plan, options: RunOptions) -> anyhow::Result<()> {
    // Signals are caught before the terminal is taken, so none can leave it raw.
    let signals = catch_signals();
    let (tx, mut rx) = mpsc::channel::<Msg>(1024);
    // Signals act from the first instant, even while the journal is read.
    let signal_watch = tokio::spawn(watch_signals(signals, tx.clone()));
    // A journal that cannot be read stops the start, before the terminal is
    // taken. Opened off the async workers: a database store blocks.
    let place = options.place.clone();
    let (store, replay) = tokio::task::spawn_blocking(move || {
        let store: Arc<dyn Store> = place.open()?;
        let replay = store.replay()?;
        Ok::<_, journal::JournalError>((store, replay))
    })
    .await
    .context("the journal could not be opened")??;
    let position = replay.position;
    let mut state = State::new(plan, options.clock.now(), options.local_zone);
    state.night.demo = options.demo;
    state.actor = options.actor;
    state.read_only = options.read_only;
    state.look = options.look;
    state.view.present = options.present;
    state.rehearsal = options.rehearsal;
    state.keys = options.keys;
    let ring = options.bell;
    state.seat = format!(
        "{}-{}",
        std::process::id(),
        chrono::Utc::now().timestamp_millis()
    );
    apply_journal(&mut state, replay);
    state.night.recall_readings(&options.readings);
    tracing::info!(journal = %store.name(), lines = position.lines, "journal replayed");

    // A rehearsal's events are not the night's: nothing reaches the team.
    let chat = if options.rehearsal {
        state.chat_off = Some("a rehearsal posts nothing to the team's chat".into());
        None
    } else {
        start_chat(&mut state, options.chat_dry_run, options.face, tx.clone())
    };
    let mut posted = state.night.ledger.log.len();
    let mut seen = posted;
    let mut verdict_was = crate::night::verdict(&state.night).go();
    let mut face = match options.face {
        Face::Screen => {
            let screen = Screen::enter()?;
            if let Ok(size) = screen.terminal.size() {
                state.view.screen = (size.width, size.height);
            }
            Output::Screen(screen)
        }
        Face::Lines => Output::Lines(super::event_lines::EventLines::start(&state)),
    };
    face.show(&state)?;
    tracing::info!(
        elapsed_ms = options.started.elapsed().as_secs_f64() * 1000.0,
        "first frame drawn"
    );

    let (readings, forward) = mpsc::channel::<Reading>(1024);
    let mut tasks = vec![
        tokio::spawn(wrap_readings(forward, tx.clone())),
        tokio::spawn(tick(options.clock, tx.clone())),
        signal_watch,
    ];
    if options.face == Face::Screen {
        tasks.push(tokio::spawn(read_terminal(tx.clone())));
        if let Some(every) = options.cycle {
            tasks.push(tokio::spawn(cycle(every, tx.clone())));
        }
    }
    let sources = crate::sources::spawn_all(
        &state.night.plan,
        options.clock,
        &backfill(&state.night.plan),
        &readings,
    );
    drop(readings);
    let readings = options.readings.clone();
    // Documents written from the room go beside the journal (this
    // machine's side of it).
    let journal_dir = options.readings.parent().map_or_else(
        || std::path::PathBuf::from("."),
        std::path::Path::to_path_buf,
    );
    let journal = JournalLink::start(store, position, tx.clone());
    // For what the loop starts off itself (a result file read), answering
    // with a message.
    let answers = tx;

    let mut quit = false;
    let read_only = options.read_only;
    while let Some(first) = rx.recv().await {
        let mut redraw = false;
        let mut bell = false;
        let mut apply = |msg: Msg, state: &mut State| {
            for effect in update(state, msg) {
                match effect {
                    Effect::Redraw => redraw = true,
                    // The alerts a read-only seat sees are written by the
                    // seats that may write.
                    Effect::Append(_) if read_only => {}
                    Effect::Append(entry) => journal.write(entry),
                    Effect::Bell => bell = true,
                    Effect::Record(metric, samples) => {
                        let path = readings.clone();
                        tokio::task::spawn_blocking(move || {
                            if let Err(e) = journal::readings::append(&path, &metric, &samples) {
                                tracing::warn!(%e, "readings not recorded");
                            }
                        });
                    }
                    Effect::ReadRun {
                        item,
                        file,
                        timeout,
                    } => {
                        let answers = answers.clone();
                        tokio::task::spawn_blocking(move || {
                            let read = crate::import::read_evidence(&item, &file, timeout)
                                .map(Box::new)
                                .map_err(|e| e.to_string());
                            let _ = answers.blocking_send(Msg::RunRead(read));
                        });
                    }
                    Effect::ReadDeployReport => {
                        let night = state.night.clone();
                        let (readings, answers) = (readings.clone(), answers.clone());
                        tokio::task::spawn_blocking(move || {
                            let text = crate::report::deploy_from_sources(&night, &readings);
                            let _ = answers.blocking_send(Msg::ReportRead(text));
                        });
                    }
                    Effect::WriteFile { name, text } => {
                        let dir = journal_dir.clone();
                        let answers = answers.clone();
                        tokio::task::spawn_blocking(move || {
                            let path = dir.join(&name);
                            let written = std::fs::write(&path, text)
                                .map(|()| path.display().to_string())
                                .map_err(|e| format!("{}: {e}", path.display()));
                            let _ = answers.blocking_send(Msg::Wrote(written));
                        });
                    }
                    Effect::Post(text) => match &chat {
                        Some((poster, _)) => poster.post_on_demand(text),
                        None => tracing::warn!("no chat to post the status to"),
                    },
                    Effect::PostLine(line) => {
                        if let Some((poster, spec)) = &chat {
                            post_line(state, poster, spec, line);
                        }
                    }
                    Effect::Quit => quit = true,
                }
            }
        };
        apply(first, &mut state);
        let settle = tokio::time::sleep(SETTLE);
        tokio::pin!(settle);
        loop {
            tokio::select! {
                msg = rx.recv() => match msg {
                    Some(msg) => apply(msg, &mut state),
                    None => break,
                },
                () = &mut settle => break,
            }
        }
        if quit {
            break;
        }
        if redraw || bell {
            face.show(&state)?;
        }
        // A turn of the verdict is journaled by the seat whose mark turned
        // it, where the plan's chat takes turns: a line, so any seat or
        // watcher with the webhook posts it, once.
        let verdict_posts = state
            .night
            .plan
            .chat
            .as_ref()
            .is_some_and(|c| c.events.contains(&crate::spec::ChatEvent::Verdict));
        if verdict_posts {
            let own = state
                .night
                .ledger
                .log
                .iter()
                .skip(seen)
                // A person's mark: a seat's claims and alerts turn nothing.
                .any(|l| {
                    l.entry.action.by_person()
                        && l.entry.seat.as_deref() == Some(state.seat.as_str())
                });
            let verdict = crate::night::verdict(&state.night);
            // After the deploy the verdict is production's health, and
            // alerts carry it: a turn then is not news of its own.
            let before = state.night.phase() == crate::domain::Phase::BeforeDeploy;
            if own && before && !read_only && verdict.go() != verdict_was {
                let turned = crate::report::chat::verdict_turned(&verdict);
                journal.write(super::actions::entry(&state, turned));
            }
            verdict_was = verdict.go();
        }
        seen = state.night.ledger.log.len();
        if let Some((poster, spec)) = &chat {
            // A dry run claims nothing: a seat posting for real may be running.
            let claims = match (read_only, options.chat_dry_run) {
                (true, _) => Claims::None,
                (false, true) => Claims::DryRun,
                (false, false) => Claims::Write(&journal),
            };
            posted = post_new(&state, poster, spec, claims, posted);
        }
        if bell && ring {
            face.bell()?;
        }
    }
    for task in tasks.iter().chain(&sources) {
        task.abort();
    }
    journal.finish(Duration::from_secs(2));
    if let Some((poster, spec)) = chat {
        // Claims the writer wrote as the loop ended are still this seat's
        // posts to make: nobody else will.
        while let Ok(msg) = rx.try_recv() {
            if let Msg::ChatClaimed(line) = msg {
                post_line(&state, &poster, &spec, line);
            }
        }
        poster.close(Duration::from_secs(5)).await;
    }
    Ok(())
}

/// Posts journal line `line`, whose claim this seat won.
fn post_line(state: &State, poster: &crate::chat::Poster, spec: &crate::spec::ChatSpec, line: u64) {
    let text = state
        .night
        .ledger
        .log
        .iter()
        .find(|l| l.entry.line == line)
        .and_then(|l| crate::report::chat::message(&state.night, l, spec));
    if let Some(text) = text {
        poster.post(text);
    }
}

/// The chat's poster, when the plan names a chat whose webhook is set.
fn start_chat(
    state: &mut State,
    dry_run: bool,
    face: Face,
    tx: mpsc::Sender<Msg>,
) -> Option<(crate::chat::Poster, crate::spec::ChatSpec)> {
    let spec = state.night.plan.chat.clone()?;
    match crate::chat::sink(&spec, dry_run) {
        Ok(sink) => {
            let told = move |outcome: crate::chat::Outcome| match face {
                // Printed, a warning would tear the screen: a notice.
                Face::Screen => {
                    let _ = tx.try_send(Msg::ChatPosted(outcome));
                }
                Face::Lines => {
                    if let Err(why) = outcome.result {
                        eprintln!("warning: {}", crate::outside::shown(&why));
                    }
                }
            };
            Some((crate::chat::Poster::start(sink, told), spec))
        }
        Err(why) => {
            tracing::warn!(%why, "no chat");
            state.chat_off = Some(why.clone());
            if face == Face::Lines {
                println!(
                    "warning: {}; nothing is posted",
                    crate::outside::shown(&why)
                );
            }
            None
        }
    }
}

/// How a seat takes its part of the chat's posts.
enum Claims<'a> {
    /// It writes claims to the journal and posts what it wins.
    Write(&'a JournalLink),
    /// It prints every line it would post (`--dry-run`), claiming none.
    DryRun,
    /// It posts nothing of the journal's (a read-only seat).
    None,
}

/// Claims the chat post of each line since `from` that the plan's chat
/// takes, whoever wrote it, and posts the lines whose claim this seat won.
/// A claim is written once (as an alert is), so each line is posted once
/// however many seats and watchers with a chat run, and even when the seat
/// that wrote it has none.
fn post_new(
    state: &State,
    poster: &crate::chat::Poster,
    spec: &crate::spec::ChatSpec,
    claims: Claims,
    from: usize,
) -> usize {
    let log = &state.night.ledger.log;
    for line in log.iter().skip(from) {
        match &line.entry.action {
            // Posted by the seat whose claim it is, as the claim was written.
            crate::domain::Action::ChatPosted { .. } => {}
            _ => match (
                &claims,
                crate::report::chat::message(&state.night, line, spec),
            ) {
                (Claims::Write(journal), Some(_)) => {
                    let claim = crate::domain::Action::ChatPosted {
                        line: line.entry.line,
                    };
                    journal.write(super::actions::entry(state, claim));
                }
                (Claims::DryRun, Some(text)) => poster.post(text),
                _ => {}
            },
        }
    }
    log.len()
}

/// The face the loop shows the night on.
enum Output {
    Screen(Screen),
    Lines(super::event_lines::EventLines),
}

impl Output {
    fn show(&mut self, state: &State) -> anyhow::Result<()> {
        match self {
            Output::Screen(screen) => screen.draw(state),
            Output::Lines(lines) => {
                lines.show(state);
                Ok(())
            }
        }
    }

    fn bell(&mut self) -> anyhow::Result<()> {
        match self {
            Output::Screen(screen) => screen.bell(),
            // The event itself was said as a line.
            Output::Lines(_) => Ok(()),
        }
    }
}

/// The terminal while the war room owns it; restored when dropped, whether the
/// loop ended normally or with an error. A panic is restored by ratatui's hook
/// (and the build aborts on panic, so nothing runs on afterwards).
struct Screen {
    terminal: DefaultTerminal,
}

impl Screen {
    fn enter() -> anyhow::Result<Screen> {
        if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "warroom needs an interactive terminal; for a pipeline, `warroom check` is the headless gate"
            );
        }
        match ratatui::try_init() {
            Ok(terminal) => {
                // Clicks and the wheel come as events; without capture the
                // terminal would scroll its own history instead.
                if let Err(err) =
                    crossterm::execute!(std::io::stdout(), crossterm::event::EnableMouseCapture)
                {
                    release_mouse();
                    ratatui::restore();
                    return Err(err).context("cannot take the mouse");
                }
                let previous = std::panic::take_hook();
                std::panic::set_hook(Box::new(move |info| {
                    release_mouse();
                    previous(info);
                }));
                Ok(Screen { terminal })
            }
            Err(err) => {
                // Raw mode may already be on when entering the alternate screen fails.
                ratatui::restore();
                Err(err).context("cannot take over the terminal")
            }
        }
    }

    fn draw(&mut self, state: &State) -> anyhow::Result<()> {
        self.terminal
            .draw(|frame| crate::ui::render(state, frame))
            .context("cannot draw to the terminal")?;
        Ok(())
    }

    /// BEL, written through the terminal's own writer so it never lands in the
    /// middle of a frame.
    fn bell(&mut self) -> anyhow::Result<()> {
        use std::io::Write;
        let out = self.terminal.backend_mut();
        out.write_all(b"\x07")
            .and_then(|()| out.flush())
            .context("cannot write to the terminal")
    }
}

impl Drop for Screen {
    fn drop(&mut self) {
        release_mouse();
        ratatui::restore();
    }
}

/// Gives the mouse back to the terminal, so the shell after warroom is not
/// fed mouse reports.
fn release_mouse() {
    let _ = crossterm::execute!(std::io::stdout(), crossterm::event::DisableMouseCapture);
}

/// What the sources fetch when they start: every span the charts zoom to,
/// and, at each source's own interval, the larger of the opening chart span
/// and the gate's window.
fn backfill(plan: &Plan) -> Backfill {
    let spans = super::ZOOMS
        .iter()
        .filter_map(|(span, _)| span.to_std().ok())
        .collect();
    let chart = super::CHART_WINDOW.to_std().unwrap_or_default();
    Backfill {
        spans,
        fine: chart.max(plan.gate.metrics_window),
    }
}

/// The sources' readings as the loop's messages.
async fn wrap_readings(mut readings: mpsc::Receiver<Reading>, tx: mpsc::Sender<Msg>) {
    while let Some(reading) = readings.recv().await {
        let msg = match reading {
            Reading::Samples(id, samples) => Msg::Samples(id, samples),
            Reading::Health(id, health) => Msg::Health(id, health),
        };
        if tx.send(msg).await.is_err() {
            return;
        }
    }
}

async fn read_terminal(tx: mpsc::Sender<Msg>) {
    let mut events = EventStream::new();
    while let Some(event) = events.next().await {
        let msg = match event {
            Ok(Event::Key(key)) => Some(Msg::Key(key)),
            Ok(Event::Resize(width, height)) => Some(Msg::Resize(width, height)),
            Ok(Event::Mouse(mouse)) => Some(Msg::Mouse(mouse, Instant::now())),
            Ok(_) => None,
            Err(err) => {
                tracing::error!(%err, "terminal input failed");
                let _ = tx.send(Msg::Quit).await;
                return;
            }
        };
        if let Some(msg) = msg
            && tx.send(msg).await.is_err()
        {
            return;
        }
    }
}

/// Presenter mode's next pane, every `every`; `update` ignores it outside
/// presenter mode.
async fn cycle(every: Duration, tx: mpsc::Sender<Msg>) {
    let mut interval = tokio::time::interval(every);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    interval.tick().await;
    loop {
        interval.tick().await;
        if tx.send(Msg::Cycle).await.is_err() {
            return;
        }
    }
}

/// One tick at each whole second of the clock, so the countdown turns over on
/// the second; no tick between, so an idle war room sleeps.
async fn tick(clock: Clock, tx: mpsc::Sender<Msg>) {
    loop {
        let now = clock.now();
        let into_second = u64::from(now.timestamp_subsec_millis()).min(999);
        tokio::time::sleep(Duration::from_millis(1000 - into_second)).await;
        if tx.send(Msg::Tick(clock.now())).await.is_err() {
            return;
        }
    }
}

/// The signals that end the war room, each with its number (for the exit
/// code a shell expects of a process a signal ended: 128 + the number).
fn catch_signals() -> Vec<(i32, Signal)> {
    [
        (15, SignalKind::terminate()),
        (1, SignalKind::hangup()),
        (2, SignalKind::interrupt()),
    ]
    .into_iter()
    .filter_map(|(number, kind)| {
        signal(kind)
            .inspect_err(|err| tracing::warn!(%err, "cannot watch a signal"))
            .ok()
            .map(|s| (number, s))
    })
    .collect()
}

/// SIGTERM, SIGHUP and SIGINT end the loop like `q`, so the terminal is
/// restored. Should the shutdown stall, a second signal or the grace period
/// restores the terminal and exits regardless.
async fn watch_signals(mut signals: Vec<(i32, Signal)>, tx: mpsc::Sender<Msg>) {
    if signals.is_empty() {
        return;
    }
    let (_, first, _) =
        futures::future::select_all(signals.iter_mut().map(|(_, s)| Box::pin(s.recv()))).await;
    let number = signals.get(first).map_or(15, |(n, _)| *n);
    tracing::info!(signal = number, "signal received; shutting down");
    let _ = tx.send(Msg::Quit).await;
    let second = futures::future::select_all(signals.iter_mut().map(|(_, s)| Box::pin(s.recv())));
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, second).await;
    tracing::error!("shutdown stalled; leaving without it");
    release_mouse();
    ratatui::restore();
    // Leaving without the terminal's drop: show the cursor it hid.
    let _ = crossterm::execute!(std::io::stdout(), crossterm::cursor::Show);
    // Not 1: that is NO-GO to a pipeline.
    std::process::exit(128 + number);
}
