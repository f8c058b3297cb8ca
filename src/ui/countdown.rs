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

/// Twice the size when the right column is roomy enough to show it.
fn scale_for_column(right: Rect) -> u16 {
    if right.height >= 50 && right.width >= big_digits::width("T-10:00:00", 2) + 4 {
        2
    } else {
        1
    }
}

fn height_at(scale: u16) -> u16 {
    2 + big_digits::HEIGHT * scale + 1 + INFO_LINES
}

/// Rows the pane wants in a right column of this size.
pub fn height(right: Rect) -> u16 {
    height_at(scale_for_column(right))
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

    let scale =
        if area.height >= height_at(2) && area.width >= big_digits::width("T-10:00:00", 2) + 4 {
            2
        } else {
            1
        };
    let digits_height = big_digits::HEIGHT * scale;
    let [digits_area, _, info_area] = Layout::vertical([
        Constraint::Length(digits_height),
        Constraint::Length(1),
        Constraint::Length(INFO_LINES),
    ])
    .areas(inner);
    if big_digits::width(&text, scale) <= digits_area.width && digits_area.height >= digits_height {
        big_digits::render(&text, scale, style, digits_area, buf);
    } else {
        Paragraph::new(Line::styled(text, style))
            .centered()
            .render(digits_area, buf);
    }

    let zone = schedule.zone;
    let local = state.local_zone;
    let deploy = schedule.deploy_at;
    let watch_until = schedule.watch_until();
    let status = match phase {
        Phase::BeforeDeploy => Span::styled(" before", THEME.dim),
        Phase::Watching => Span::styled(
            format!(" watch to {}", zone.at(watch_until).format("%H:%M")),
            Style::new().fg(Color::Green).add_modifier(Modifier::BOLD),
        ),
        Phase::AfterWatch => Span::styled(
            format!(" watched to {}", zone.at(watch_until).format("%H:%M")),
            THEME.dim,
        ),
    };
    // Narrow panes drop the date and the zone name rather than cut a line.
    let (date_format, zone_name) = if info_area.width >= 48 {
        let name = match zone {
            Zone::Named(_) => format!(" ({zone})"),
            Zone::Fixed(_) => String::new(),
        };
        ("%a %d %b %H:%M", name)
    } else {
        ("%a %H:%M", String::new())
    };
    let lines = vec![
        Line::from(vec![
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
        ]),
        Line::from(vec![
            Span::styled("local ", THEME.dim),
            Span::raw(format!(
                "{} {}",
                local.at(deploy).format(date_format),
                local.abbreviation(deploy)
            )),
            Span::styled(" ·", THEME.dim),
            status,
        ]),
    ];
    Paragraph::new(lines).centered().render(info_area, buf);
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
