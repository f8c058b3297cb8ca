//! The top line: which release, whether it is the demo, the time now and the
//! deploy time. While an alert is on, the whole line turns red and says it in
//! place of the release name.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::theme::{self, THEME};
use crate::app::State;
use crate::metrics::Level;

/// The plan's policies this release breaks, on a line of their own: what the
/// retrospective asked the room to hear before anything else.
pub fn policies(reasons: &[String], area: Rect, buf: &mut Buffer) {
    let style = theme::level(Level::Warn);
    let mut spans = vec![Span::styled(" ⚠ policy: ", style)];
    let room = usize::from(area.width);
    let mut used = spans[0].width();
    for (i, reason) in reasons.iter().enumerate() {
        let sep = if i > 0 { " · " } else { "" };
        let more = format!(" +{} more (g)", reasons.len() - i);
        let tail = if i + 1 < reasons.len() { more.len() } else { 0 };
        let width = super::format::width(sep) + super::format::width(reason);
        // The first always shows, cut if it must be; the rest only whole.
        if i > 0 && used + width + tail > room {
            spans.push(Span::styled(more, THEME.dim));
            break;
        }
        used += width;
        spans.push(Span::styled(sep, THEME.dim));
        spans.push(Span::styled(reason.clone(), style));
    }
    Line::from(spans).render(area, buf);
}

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let schedule = &state.night.plan.release.schedule;
    let deploy = schedule.zone.at(schedule.deploy_at);

    let alerts = crate::app::current_alerts(state);
    let check_in = state.night.check_ins().filter(|c| c.due.is_some());
    // Extras give way to a banner's text: it is what the room must read.
    let wide = area.width >= 100 && alerts.is_empty() && check_in.is_none();
    // On a narrow screen the release name needs the room more than the app's.
    let mut left = if wide {
        vec![Span::styled(" warroom ", THEME.header), Span::raw("│ ")]
    } else {
        vec![Span::raw(" ")]
    };
    // The tag before the name, so a narrow screen cuts the name, not the tag.
    if state.night.demo {
        left.push(Span::styled(" DEMO ", THEME.demo_tag));
        left.push(Span::raw(" "));
    } else if state
        .night
        .plan
        .metrics
        .iter()
        .any(|m| m.source.is_simulated())
    {
        left.push(Span::styled(" SIMULATED METRICS ", THEME.demo_tag));
        left.push(Span::raw(" "));
    }
    if state.rehearsal {
        left.push(Span::styled(" REHEARSAL ", THEME.demo_tag));
        left.push(Span::raw(" "));
    }
    if state.view.present {
        left.push(Span::styled(" PRESENTING ", THEME.demo_tag));
        left.push(Span::raw(" "));
    }
    if state.read_only {
        left.push(Span::styled(" READ-ONLY ", THEME.demo_tag));
        left.push(Span::raw(" "));
    }
    if state.journal_offline.is_some() {
        left.push(Span::styled(
            " JOURNAL OFFLINE ",
            crate::ui::theme::level(crate::metrics::Level::Crit)
                .add_modifier(ratatui::style::Modifier::REVERSED),
        ));
        left.push(Span::raw(" "));
    }
    if let Some(c) = check_in.filter(|_| alerts.is_empty()) {
        buf.set_style(area, THEME.check_in_banner);
        let due = c
            .due
            .map(|t| schedule.zone.at(t).format("%H:%M").to_string());
        let press = if area.width >= 100 { "press c" } else { "c" };
        left.push(Span::raw(format!(
            "CHECK-IN DUE {} · {press}",
            due.unwrap_or_default()
        )));
        if c.missed > 0 {
            left.push(Span::raw(format!(" · {} missed", c.missed)));
        }
    } else if alerts.is_empty() {
        left.push(Span::styled(
            state.night.plan.release.name.clone(),
            THEME.header,
        ));
    } else {
        buf.set_style(area, THEME.alert_banner);
        left.push(Span::raw("ALERT "));
        let texts: Vec<String> = alerts.iter().map(ToString::to_string).collect();
        left.push(Span::raw(texts.join(" · ")));
    }
    // Whose marks this seat writes, where everyone on the call can see it.
    let mut right = vec![
        Span::styled("as ", THEME.dim),
        Span::styled(state.actor.clone(), THEME.header),
        Span::styled("  now ", THEME.dim),
        Span::styled(
            format!(
                "{} {}",
                schedule.zone.at(state.night.now).format("%a %H:%M:%S"),
                schedule.zone.abbreviation(state.night.now)
            ),
            THEME.header,
        ),
    ];
    // The room may span zones: the seat's own clock too, when it differs and fits.
    if wide
        && state.local_zone.at(state.night.now).offset()
            != schedule.zone.at(state.night.now).offset()
    {
        right.push(Span::styled(
            format!(
                " · {} {}",
                state.local_zone.at(state.night.now).format("%H:%M"),
                state.local_zone.abbreviation(state.night.now)
            ),
            THEME.dim,
        ));
    }
    let banner = !alerts.is_empty() || check_in.is_some();
    // On a narrow screen a banner needs the room more than the deploy time,
    // which the countdown pane shows anyway.
    if !banner || area.width >= 100 {
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
        ]);
    }
    right.push(Span::raw(" "));
    if banner {
        // Dim grey does not read on a banner.
        for span in &mut right {
            span.style = ratatui::style::Style::new();
        }
    }
    let right = Line::from(right).alignment(Alignment::Right);
    // Right side first: when the line is short of room, the clock wins over the name.
    let right_width = right.width() as u16;
    right.render(area, buf);
    let left_area = Rect {
        width: area.width.saturating_sub(right_width + 1),
        ..area
    };
    // Cut with a visible `…`: a release name that just stops reads as whole.
    super::format::fit_line(Line::from(left), usize::from(left_area.width)).render(left_area, buf);
}
