//! Pane 4: the deploy time, where the night stands and its milestones; the
//! large countdown is in the band at the top.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::theme::{self, THEME};
use super::{pane, timeline};
use crate::app::{Pane, State};
use crate::domain::{Phase, Zone};
use crate::metrics::Level;

const INFO_LINES: u16 = 2;
/// Milestone lines the pane shows at most; a right column shorter than
/// `TIMELINE_FROM` rows keeps its room for the charts.
const TIMELINE_MAX: usize = 6;
const TIMELINE_FROM: u16 = 30;

/// Rows the pane asks of a right column of this size: the deploy time, and
/// the timeline when the column is tall enough for it as well. The large
/// digits are in the band at the top.
pub fn height(state: &State, right: Rect) -> u16 {
    let timeline = if right.height >= TIMELINE_FROM {
        timeline::count(state).min(TIMELINE_MAX) as u16
    } else {
        0
    };
    2 + INFO_LINES + timeline
}

/// The time to the deploy, or since it: `T-6:20:00`, `T+0:05:00`.
pub fn figure(state: &State) -> String {
    let schedule = &state.night.plan.release.schedule;
    schedule
        .countdown(state.night.now, state.night.deploy_done())
        .to_string()
}

/// Calm while hours remain; amber in the last hour, red in the last ten
/// minutes; amber while deploying, green while watching, dim afterwards.
pub fn style(state: &State) -> Style {
    let schedule = &state.night.plan.release.schedule;
    let left = schedule
        .countdown(state.night.now, state.night.deploy_done())
        .seconds_left;
    let bold = Style::new().add_modifier(Modifier::BOLD);
    // After the deploy the figure beside DEGRADED is red, whatever the phase.
    let degraded = matches!(
        crate::night::health::health(&state.night),
        Some(crate::night::health::Health::Degraded { .. })
    );
    match state.night.phase() {
        Phase::Deploying | Phase::Watching if degraded => bold.fg(Color::Red),
        Phase::BeforeDeploy if left <= 600 => bold.fg(Color::Red),
        Phase::BeforeDeploy if left <= 3600 => bold.fg(Color::Yellow),
        Phase::BeforeDeploy => bold,
        Phase::Deploying => bold.fg(Color::Yellow),
        // Green only while production is known to be well.
        Phase::Watching => match crate::night::health::health(&state.night) {
            Some(crate::night::health::Health::Healthy) => bold.fg(Color::Green),
            _ => bold.fg(Color::Yellow),
        },
        Phase::CheckIns | Phase::Done => THEME.dim,
    }
}

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    // The figure in plain text on the frame: readable in a capture, a
    // screen reader, any font, and wherever the band has no room for digits.
    let block = pane::block(state, Pane::Countdown)
        .title(Line::from(format!(" {} ", figure(state))).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);

    let phase = state.night.phase();
    let [info_area, timeline_area] =
        Layout::vertical([Constraint::Length(INFO_LINES), Constraint::Fill(1)]).areas(inner);
    info(state, phase, timeline_area.height > 0, info_area, buf);
    let lines = timeline::lines(
        state,
        usize::from(timeline_area.height),
        usize::from(timeline_area.width),
    );
    Paragraph::new(lines).render(timeline_area, buf);
}

/// The deploy time in the plan's zone, then in this seat's zone when it is
/// another, and where the night stands.
fn info(state: &State, phase: Phase, timeline_shown: bool, area: Rect, buf: &mut Buffer) {
    let schedule = &state.night.plan.release.schedule;
    let zone = schedule.zone;
    let local = state.local_zone;
    let deploy = schedule.deploy_at;
    // Narrow panes drop the date and the zone name rather than cut a line.
    let wide = area.width >= 48;
    let date_format = if wide { "%a %d %b %H:%M" } else { "%a %H:%M" };
    let zone_name = match zone {
        Zone::Named(_) if wide => format!(" ({zone})"),
        _ => String::new(),
    };
    let status = status(state, phase, wide, !timeline_shown);
    let deploy_line = Line::from(vec![
        Span::styled("deploy ", THEME.dim),
        Span::styled(
            format!(
                "{} {}",
                zone.at(deploy).format(date_format),
                zone.abbreviation(deploy)
            ),
            THEME.header,
        ),
        Span::styled(zone_name, THEME.dim),
    ]);
    let same_zone = local.at(deploy).offset() == zone.at(deploy).offset();
    // A narrow pane has room for one of them: the local deploy time until the
    // deploy, where the night stands after it.
    // The timeline's rows carry the local times, the deploy's too: with
    // them shown, the line is where the night stands when there is news.
    let status_only =
        (!wide && phase != Phase::BeforeDeploy) || (timeline_shown && !status.is_empty());
    let second_line = if same_zone || status_only {
        Line::from(status)
    } else {
        let mut spans = vec![
            Span::styled("local ", THEME.dim),
            Span::raw(format!(
                "{} {}",
                local.at(deploy).format(date_format),
                local.abbreviation(deploy)
            )),
        ];
        if !status.is_empty() {
            spans.push(Span::styled(" · ", THEME.dim));
            spans.extend(status);
        }
        Line::from(spans)
    };
    Paragraph::new(vec![deploy_line, second_line])
        .centered()
        .render(area, buf);
}

/// Where the night stands, in a few words; before the deploy, the next
/// milestone when the timeline under it does not already list it.
fn status(state: &State, phase: Phase, wide: bool, next: bool) -> Vec<Span<'static>> {
    let schedule = &state.night.plan.release.schedule;
    let zone = schedule.zone;
    let done = state.night.deploy_done();
    let hm = |t: chrono::DateTime<chrono::Utc>| zone.at(t).format("%H:%M").to_string();
    let watch_until = hm(schedule.watch_until(done));
    let left = (schedule.watch_until(done) - state.night.now)
        .num_seconds()
        .max(0);
    let left = format!("{}:{:02} left", left / 60, left % 60);
    let green = Style::new().fg(Color::Green).add_modifier(Modifier::BOLD);
    let amber = theme::level(Level::Warn).add_modifier(Modifier::BOLD);
    match phase {
        Phase::BeforeDeploy => match schedule.upcoming(state.night.now).next() {
            Some(m) if wide && next => vec![
                Span::styled("next ", THEME.dim),
                Span::raw(format!("{} {}", m.label, hm(m.at))),
            ],
            _ if wide && next => vec![Span::styled("before the deploy", THEME.dim)],
            _ => Vec::new(),
        },
        Phase::Deploying if wide => vec![
            Span::styled("deploying", amber),
            Span::styled(format!(" · watch to {watch_until} · "), THEME.dim),
            Span::styled("D", THEME.key),
            Span::styled(" when done", THEME.dim),
        ],
        Phase::Deploying => vec![
            Span::styled("deploying · ", amber),
            Span::styled("D", THEME.key),
            Span::styled(" when done", THEME.dim),
        ],
        Phase::Watching if wide => vec![Span::styled(
            format!("watching until {watch_until} · {left}"),
            green,
        )],
        Phase::Watching => vec![Span::styled(format!("watch to {watch_until}"), green)],
        Phase::CheckIns => check_in_status(state),
        Phase::Done => vec![Span::styled(
            format!("watch ended {watch_until}"),
            THEME.dim,
        )],
    }
}

/// `check-in due 00:20 · c`, or when the next one is due; and how many went by.
fn check_in_status(state: &State) -> Vec<Span<'static>> {
    let zone = state.night.plan.release.schedule.zone;
    let hm = |t: chrono::DateTime<chrono::Utc>| zone.at(t).format("%H:%M").to_string();
    let Some(c) = state.night.check_ins() else {
        return Vec::new();
    };
    let mut spans = match (c.due, c.next) {
        (Some(due), _) => vec![
            Span::styled(
                format!("check-in due {}", hm(due)),
                theme::level(Level::Crit).add_modifier(Modifier::BOLD),
            ),
            Span::styled(" · ", THEME.dim),
            Span::styled("c", THEME.key),
        ],
        (None, Some(next)) => vec![Span::styled(
            format!("checked in · next {}", hm(next)),
            theme::level(Level::Ok),
        )],
        (None, None) => vec![Span::styled("check-ins over", THEME.dim)],
    };
    if c.missed > 0 {
        spans.push(Span::styled(
            format!(" · {} missed", c.missed),
            theme::level(Level::Warn),
        ));
    }
    spans
}
