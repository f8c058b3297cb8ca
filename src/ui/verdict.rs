//! The verdict in words, for the band at the top: GO or NO-GO with its
//! reasons and the approval with its age; after the deploy, production's
//! health with what to do about it.

use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};

use super::format;
use super::stamp;
use super::theme::{self, THEME};
use crate::app::State;
use crate::domain::gate::{Severity, Verdict};
use crate::metrics::Level;
use crate::night::health::Health;

/// The word the band draws large, in the colour of what it says.
pub fn word(state: &State, verdict: &Verdict) -> (&'static str, Style) {
    let bold = Style::new().add_modifier(Modifier::BOLD);
    match crate::night::health::health(&state.night) {
        Some(Health::Healthy) => ("HEALTHY", bold.fg(Color::Green)),
        Some(Health::Degraded { .. }) => ("DEGRADED", bold.fg(Color::Red)),
        Some(Health::Unknown { .. }) => ("UNKNOWN", bold.fg(Color::Yellow)),
        None if verdict.go() => ("GO", bold.fg(Color::Green)),
        None => ("NO-GO", bold.fg(Color::Red)),
    }
}

/// Up to `rows` lines of `width` cells: the tag and the first reason, the
/// next reasons while they fit, what is left as `+N more (g)`, and the
/// approval last.
pub fn lines(state: &State, verdict: &Verdict, width: usize, rows: usize) -> Vec<Line<'static>> {
    let mut lines = match crate::night::health::health(&state.night) {
        Some(health) => health_lines(state, &health, width),
        None => gate_lines(verdict, width, rows.saturating_sub(1)),
    };
    lines.truncate(rows.saturating_sub(1));
    lines.push(approval_line(state, verdict));
    lines
}

fn badge(text: &'static str, color: Color) -> Span<'static> {
    Span::styled(
        text,
        Style::new()
            .fg(color)
            .add_modifier(Modifier::BOLD | Modifier::REVERSED),
    )
}

fn gate_lines(verdict: &Verdict, width: usize, rows: usize) -> Vec<Line<'static>> {
    let tag = if verdict.go() {
        badge(" GO ✓ ", Color::Green)
    } else {
        badge(" NO-GO ✗ ", Color::Red)
    };
    let style = |severity: Severity| match severity {
        Severity::Block => theme::level(Level::Crit),
        _ => theme::level(Level::Warn),
    };
    let Some(first) = verdict.reasons.first() else {
        return vec![Line::from(vec![
            tag,
            Span::raw(" "),
            Span::styled("every rule of the gate holds", THEME.dim),
        ])];
    };
    let mut lines = first_lines(tag, &first.said(), style(first.severity), width, 2);
    let rest = &verdict.reasons[1..];
    for (i, reason) in rest.iter().enumerate() {
        let left = rest.len() - i;
        // The last row left for reasons says how many did not fit.
        if lines.len() + 1 == rows && left > 1 {
            lines.push(Line::styled(format!("+{left} more (g)"), THEME.dim));
            break;
        }
        if lines.len() >= rows {
            break;
        }
        lines.push(Line::styled(
            format::fit(&format!("· {}", reason.said()), width),
            style(reason.severity),
        ));
    }
    lines
}

/// The tag and the text after it, the text going on to at most `most`
/// lines in all, broken between words, before it is cut: the first reason is
/// the one the room needs whole.
fn first_lines(
    tag: Span<'static>,
    text: &str,
    style: Style,
    width: usize,
    most: usize,
) -> Vec<Line<'static>> {
    let indent = tag.width() + 1;
    let mut rows: Vec<String> = vec![String::new()];
    for word in text.split(' ') {
        let room = if rows.len() == 1 {
            width.saturating_sub(indent)
        } else {
            width
        };
        let row = rows.last_mut().expect("one row at least");
        let wanted = format::width(row) + usize::from(!row.is_empty()) + format::width(word);
        if wanted <= room || row.is_empty() {
            if !row.is_empty() {
                row.push(' ');
            }
            row.push_str(word);
        } else {
            rows.push(word.to_string());
        }
    }
    let cut = rows.len() > most;
    rows.truncate(most);
    if cut && let Some(last) = rows.last_mut() {
        last.push_str(" …");
    }
    let mut lines = Vec::new();
    for (i, row) in rows.into_iter().enumerate() {
        let room = if i == 0 {
            width.saturating_sub(indent)
        } else {
            width
        };
        let text = Span::styled(format::fit(&row, room), style);
        lines.push(if i == 0 {
            Line::from(vec![tag.clone(), Span::raw(" "), text])
        } else {
            Line::from(text)
        });
    }
    lines
}

/// `HEALTHY ✓ every metric under its crit limit`, or `DEGRADED ✗ API
/// latency p95 612 ms ≥ 500 ms since 23:20:04`, `roll back? recovery up to
/// 2h (API-TIMEOUT)`; then what is still open after the deploy.
fn health_lines(state: &State, health: &Health, width: usize) -> Vec<Line<'static>> {
    let zone = state.night.plan.release.schedule.zone;
    let mut lines = Vec::new();
    let (tag, text, style) = match health {
        Health::Healthy => (
            badge(" HEALTHY ✓ ", Color::Green),
            "every metric under its crit limit".to_string(),
            THEME.dim,
        ),
        Health::Degraded {
            metric,
            unit,
            crit,
            peak,
            since,
        } => (
            badge(" DEGRADED ✗ ", Color::Red),
            format!(
                "{metric} {} ≥ {} since {}",
                crate::metrics::format::value(*peak, unit),
                crate::metrics::format::value(*crit, unit),
                zone.at(*since).format("%H:%M:%S")
            ),
            theme::level(Level::Crit),
        ),
        Health::Unknown { metric, why } => (
            badge(" HEALTH UNKNOWN ? ", Color::Yellow),
            format!("{metric} not read: {why}"),
            theme::level(Level::Warn),
        ),
    };
    lines.extend(first_lines(tag, &text, style, width, 2));
    if matches!(health, Health::Degraded { .. }) {
        let text = crate::night::health::roll_back(&state.night);
        lines.push(Line::styled(
            format::fit(&text, width),
            theme::level(Level::Crit).add_modifier(Modifier::BOLD),
        ));
    }
    let night = &state.night;
    let after_open = (0..night.ledger.checklist.len())
        .filter(|&i| {
            let e = &night.ledger.checklist[i];
            e.after && e.required && night.mark(i) == crate::domain::MarkState::Open
        })
        .count();
    let mut open = Vec::new();
    if after_open > 0 {
        let noun = if after_open == 1 { "entry" } else { "entries" };
        open.push(format!("{after_open} after-deploy {noun} open"));
    }
    if let Some(missed) = night.check_ins().map(|c| c.missed).filter(|m| *m > 0) {
        let noun = if missed == 1 { "check-in" } else { "check-ins" };
        open.push(format!("{missed} {noun} missed"));
    }
    if !open.is_empty() {
        lines.push(Line::styled(
            format::fit(&open.join(" · "), width),
            theme::level(Level::Warn),
        ));
    }
    lines
}

/// `approved by mina 22:41 (12m ago)`, or why the approval no longer holds.
fn approval_line(state: &State, verdict: &Verdict) -> Line<'static> {
    let Some(approval) = state.night.ledger.approval() else {
        // After the deploy there is nothing left to approve: it is a fact
        // of the night, as the reports say it.
        if state.night.phase() != crate::domain::Phase::BeforeDeploy {
            return Line::styled("deployed without an approval", theme::level(Level::Warn));
        }
        return Line::from(vec![Span::styled("not approved (A)", THEME.dim)]);
    };
    let who = stamp::short(state, &approval.stamp);
    let age = format::age((state.night.now - approval.stamp.at.to_utc()).num_seconds());
    if let Some(subject) = state.night.ledger.approval_stale_because(verdict) {
        let style = theme::level(Level::Crit).add_modifier(Modifier::REVERSED);
        return Line::from(vec![
            Span::styled(" APPROVAL STALE ", style),
            Span::styled(format!(" {subject} since {who}"), THEME.dim),
        ]);
    }
    let (text, style) = match &approval.override_reason {
        None => (
            format!("approved by {who} ({age} ago)"),
            theme::level(Level::Ok),
        ),
        Some(_) => (
            format!("override approved by {who} ({age} ago)"),
            theme::level(Level::Warn),
        ),
    };
    Line::from(vec![Span::styled(text, style)])
}
