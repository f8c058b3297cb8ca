//! Pane 4: the countdown to the deploy in big digits, then the watch window.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::big_digits;
use super::pane;
use super::theme::THEME;
use crate::app::{Pane, State};
use crate::domain::{Phase, Zone};

const INFO_LINES: u16 = 2;
/// The widest countdown the pane plans for.
const WIDEST: &str = "T-10:00:00";

/// Rows the pane takes at a digit scale: borders, digits, a gap, the info lines.
fn height_at(scale: u16) -> u16 {
    2 + big_digits::HEIGHT * scale + 1 + INFO_LINES
}

/// Digits twice the size when `area` has the room for them.
fn scale_for(area: Rect) -> u16 {
    let wide = area.width >= big_digits::width(WIDEST, 2) + 4;
    if wide && area.height >= height_at(2) {
        2
    } else {
        1
    }
}

/// Rows the pane asks of a right column of this size: the large digits only
/// in a tall column, where the metrics below keep room enough.
pub fn height(right: Rect) -> u16 {
    const TALL: u16 = 50;
    let scale = if right.height >= TALL {
        scale_for(Rect {
            height: height_at(2),
            ..right
        })
    } else {
        1
    };
    height_at(scale)
}

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let schedule = &state.plan.release.schedule;
    let countdown = schedule.countdown(state.now);
    let text = countdown.to_string();
    // The same figure in plain text: readable in a capture, a screen reader, any font.
    let block =
        pane::block(state, Pane::Countdown).title(Line::from(format!(" {text} ")).right_aligned());
    let inner = block.inner(area);
    block.render(area, buf);

    let phase = schedule.phase(state.now);
    let style = digits_style(phase, countdown.seconds_left);
    let scale = scale_for(area);
    let digits_height = big_digits::HEIGHT * scale;
    let [digits_area, _, info_area] = Layout::vertical([
        Constraint::Length(digits_height),
        Constraint::Length(1),
        Constraint::Length(INFO_LINES),
    ])
    .areas(inner);
    digits(&text, scale, style, digits_area, buf);
    info(state, phase, info_area, buf);
}

/// The big figure; without its `T` when that is what it takes to fit (the
/// title still has it), as plain text when even that does not.
fn digits(text: &str, scale: u16, style: Style, area: Rect, buf: &mut Buffer) {
    let short = text.trim_start_matches('T');
    let fits = |t: &str| {
        big_digits::width(t, scale) <= area.width && area.height >= big_digits::HEIGHT * scale
    };
    if fits(text) {
        big_digits::render(text, scale, style, area, buf);
    } else if fits(short) {
        big_digits::render(short, scale, style, area, buf);
    } else {
        Paragraph::new(Line::styled(text.to_string(), style))
            .centered()
            .render(area, buf);
    }
}

/// The deploy time in the plan's zone, then in this seat's zone when it is
/// another, and where the night stands.
fn info(state: &State, phase: Phase, area: Rect, buf: &mut Buffer) {
    let schedule = &state.plan.release.schedule;
    let zone = schedule.zone;
    let local = state.local_zone;
    let deploy = schedule.deploy_at;
    let watch_until = zone.at(schedule.watch_until()).format("%H:%M");
    // Narrow panes drop the date and the zone name rather than cut a line.
    let wide = area.width >= 48;
    let date_format = if wide { "%a %d %b %H:%M" } else { "%a %H:%M" };
    let zone_name = match zone {
        Zone::Named(_) if wide => format!(" ({zone})"),
        _ => String::new(),
    };
    let watching = Style::new().fg(Color::Green).add_modifier(Modifier::BOLD);
    let status = match (phase, wide) {
        (Phase::BeforeDeploy, true) => Span::styled("before the deploy", THEME.dim),
        (Phase::BeforeDeploy, false) => Span::raw(""),
        (Phase::Watching, true) => Span::styled(format!("watching until {watch_until}"), watching),
        (Phase::Watching, false) => Span::styled(format!("watch to {watch_until}"), watching),
        (Phase::AfterWatch, _) => Span::styled(format!("watch ended {watch_until}"), THEME.dim),
    };
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
    let status_only = !wide && phase != Phase::BeforeDeploy;
    let second_line = if same_zone || status_only {
        Line::from(status)
    } else {
        Line::from(vec![
            Span::styled("local ", THEME.dim),
            Span::raw(format!(
                "{} {}",
                local.at(deploy).format(date_format),
                local.abbreviation(deploy)
            )),
            Span::styled(if status.width() > 0 { " · " } else { "" }, THEME.dim),
            status,
        ])
    };
    Paragraph::new(vec![deploy_line, second_line])
        .centered()
        .render(area, buf);
}

/// Calm while hours remain; amber in the last hour, red in the last ten
/// minutes; green while watching after the deploy.
fn digits_style(phase: Phase, seconds_left: i64) -> Style {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    match phase {
        Phase::BeforeDeploy if seconds_left <= 600 => bold.fg(Color::Red),
        Phase::BeforeDeploy if seconds_left <= 3600 => bold.fg(Color::Yellow),
        Phase::BeforeDeploy => bold,
        Phase::Watching => bold.fg(Color::Green),
        Phase::AfterWatch => THEME.dim,
    }
}
