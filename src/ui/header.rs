//! The top line: which release, whether it is the demo, the time now and the deploy time.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::THEME;
use crate::app::State;

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let schedule = &state.plan.release.schedule;
    let deploy = schedule.zone.at(schedule.deploy_at);

    // On a narrow screen the release name needs the room more than the app's.
    let mut left = if area.width >= 100 {
        vec![Span::styled(" warroom ", THEME.header), Span::raw("│ ")]
    } else {
        vec![Span::raw(" ")]
    };
    // The tag before the name, so a narrow screen cuts the name, not the tag.
    if state.demo {
        left.push(Span::styled(" DEMO ", THEME.demo_tag));
        left.push(Span::raw(" "));
    } else if state.plan.metrics.iter().any(|m| m.source.is_simulated()) {
        left.push(Span::styled(" SIMULATED METRICS ", THEME.demo_tag));
        left.push(Span::raw(" "));
    }
    if state.journal_offline.is_some() {
        left.push(Span::styled(
            " MARKS OFF ",
            crate::ui::theme::level(crate::metrics::Level::Crit)
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ));
        left.push(Span::raw(" "));
    }
    left.push(Span::styled(state.plan.release.name.clone(), THEME.header));
    // Whose marks this seat writes, where everyone on the call can see it.
    let mut right = vec![
        Span::styled("as ", THEME.dim),
        Span::styled(state.actor.clone(), THEME.header),
        Span::styled("  now ", THEME.dim),
        Span::styled(
            format!(
                "{} {}",
                schedule.zone.at(state.now).format("%a %H:%M:%S"),
                schedule.zone.abbreviation(state.now)
            ),
            THEME.header,
        ),
    ];
    // The room may span zones: the seat's own clock too, when it differs and fits.
    let wide = area.width >= 100;
    if wide && state.local_zone.at(state.now).offset() != schedule.zone.at(state.now).offset() {
        right.push(Span::styled(
            format!(
                " · {} {}",
                state.local_zone.at(state.now).format("%H:%M"),
                state.local_zone.abbreviation(state.now)
            ),
            THEME.dim,
        ));
    }
    right.extend([
        Span::styled("  deploy ", THEME.dim),
        Span::styled(
            format!(
                "{} {}",
                deploy.format("%a %H:%M"),
                schedule.zone.abbreviation(schedule.deploy_at)
            ),
            THEME.header,
        ),
        Span::raw(" "),
    ]);
    let right = Line::from(right).alignment(Alignment::Right);
    // Right side first: when the line is short of room, the clock wins over the name.
    let right_width = right.width() as u16;
    right.render(area, buf);
    let left_area = Rect {
        width: area.width.saturating_sub(right_width + 1),
        ..area
    };
    Line::from(left).render(left_area, buf);
}
