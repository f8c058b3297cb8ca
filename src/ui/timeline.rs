//! The night's milestones under the countdown: the plan's timeline, then the
//! deploy, the end of the watch and the check-ins, each at its time in the
//! plan's zone (and this seat's, when it is another). Passed ones are dim; a
//! milestone whose checklist group is still open after its time is overdue.

use chrono::{DateTime, Utc};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};

use super::theme::{self, THEME};
use crate::app::State;
use crate::metrics::Level;

struct Row {
    at: DateTime<Utc>,
    label: String,
    /// Required entries of the milestone's group still open.
    open: usize,
}

fn rows(state: &State) -> Vec<Row> {
    let schedule = &state.night.plan.release.schedule;
    let done = state.night.deploy_done();
    let open_in = |group: &str| {
        (0..state.night.ledger.checklist.len())
            .filter(|i| {
                let entry = &state.night.ledger.checklist[*i];
                entry.group == group
                    && entry.required
                    && state.night.mark(*i) == crate::domain::MarkState::Open
            })
            .count()
    };
    let mut rows: Vec<Row> = schedule
        .milestones
        .iter()
        .map(|m| Row {
            at: m.at,
            label: m.label.clone(),
            open: m.group.as_deref().map_or(0, open_in),
        })
        .collect();
    let start = schedule.deploy_start(done);
    // Who pressed D and when: the watch window runs from it, and the row's
    // own time is when the deploy counts from, not when it was marked.
    let deploy = match state.night.ledger.deploy.done() {
        Some(mark) => format!(
            "deploy done {} by {}",
            schedule.zone.at(mark.stamp.at.to_utc()).format("%H:%M"),
            crate::outside::shown(&mark.stamp.actor)
        ),
        None => "deploy".to_string(),
    };
    rows.push(Row {
        at: start,
        label: deploy,
        open: 0,
    });
    rows.push(Row {
        at: schedule.watch_until(done),
        label: "watch ends".into(),
        open: 0,
    });
    if let Some(every) = schedule.check_in_every {
        rows.push(Row {
            at: schedule.check_ins_until,
            label: format!("check-ins every {} end", humantime::format_duration(every)),
            open: 0,
        });
    }
    rows.sort_by_key(|r| r.at);
    rows
}

/// The lines to show, at most `room`: the last passed milestone for context,
/// then what comes next.
pub fn lines(state: &State, room: usize, width: usize) -> Vec<Line<'static>> {
    if room == 0 {
        return Vec::new();
    }
    let rows = rows(state);
    let next = rows
        .iter()
        .position(|r| r.at > state.night.now)
        .unwrap_or(rows.len());
    let overdue: Vec<usize> = (0..next).filter(|i| rows[*i].open > 0).collect();
    // Overdue ones first: they need doing; then one passed, then the rest,
    // and earlier ones, newest first, while there is room.
    let mut shown: Vec<usize> = overdue.clone();
    let from = next.saturating_sub(1);
    shown.extend((from..rows.len()).filter(|i| !overdue.contains(i)));
    shown.extend((0..from).rev().filter(|i| !overdue.contains(i)));
    shown.truncate(room);
    shown.sort();
    let zone = state.night.plan.release.schedule.zone;
    let local = state.local_zone;
    let deploy_day = zone.date_of(state.night.plan.release.schedule.deploy_at);
    // The deploy's own day needs no weekday; the weekend's rows do.
    let when = |t: DateTime<Utc>| match zone.date_of(t) == deploy_day {
        true => zone.at(t).format("%H:%M").to_string(),
        false => zone.at(t).format("%a %H:%M").to_string(),
    };
    shown
        .into_iter()
        .map(|i| {
            let r = &rows[i];
            let passed = i < next;
            let marker = if i == next { "▶ " } else { "  " };
            let label_style = if passed { THEME.dim } else { Style::new() };
            let mut tail = vec![Span::raw("  "), Span::styled(r.label.clone(), label_style)];
            if r.open > 0 && passed {
                let style = theme::level(Level::Crit).add_modifier(Modifier::BOLD);
                tail.push(Span::styled(format!("  overdue: {} open", r.open), style));
            } else if r.open > 0 {
                tail.push(Span::styled(format!(" ({} open)", r.open), THEME.dim));
            }
            let mut spans = vec![
                Span::styled(marker, THEME.key),
                Span::styled(when(r.at), THEME.header),
            ];
            // This seat's clock too, where the row has room for it.
            let local_time = format!(
                " · {} {}",
                local.at(r.at).format("%H:%M"),
                local.abbreviation(r.at)
            );
            let used: usize = spans.iter().chain(&tail).map(Span::width).sum();
            if local.at(r.at).offset() != zone.at(r.at).offset()
                && used + super::format::width(&local_time) <= width
            {
                spans.push(Span::styled(local_time, THEME.dim));
            }
            spans.extend(tail);
            Line::from(spans)
        })
        .collect()
}

/// How many lines `lines` would give with unlimited room.
pub fn count(state: &State) -> usize {
    rows(state).len()
}
