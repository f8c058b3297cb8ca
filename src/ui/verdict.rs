//! The verdict where the whole call sees it: GO or NO-GO on the header's
//! second line with its first reasons, and the approval with its age.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

use super::format;
use super::stamp;
use super::theme::{self, THEME};
use crate::app::State;
use crate::domain::gate::{Severity, Verdict};
use crate::metrics::Level;
use crate::night::health::Health;

pub fn render(state: &State, verdict: &Verdict, area: Rect, buf: &mut Buffer) {
    // After the deploy the question is production's health, not the gate.
    if let Some(health) = crate::night::health::health(&state.night) {
        return render_health(state, &health, area, buf);
    }
    let approval = approval_line(state, verdict);
    let room = usize::from(area.width).saturating_sub(approval.width() + 1);

    let (badge, style) = if verdict.go() {
        (" GO ✓ ", Style::new().fg(Color::Green))
    } else {
        (" NO-GO ✗ ", Style::new().fg(Color::Red))
    };
    let badge_style = style.add_modifier(Modifier::BOLD | Modifier::REVERSED);
    let mut spans = vec![
        Span::raw(" "),
        Span::styled(badge, badge_style),
        Span::raw(" "),
    ];
    let mut used: usize = spans.iter().map(Span::width).sum();
    let total = verdict.reasons.len();
    for (shown, reason) in verdict.reasons.iter().enumerate() {
        let more = format!(" +{} more (g)", total - shown);
        let sep = if shown == 0 { "" } else { " · " };
        let mut text = format!("{sep}{}", reason.said());
        let last = shown + 1 == total;
        let tail = if last { 0 } else { " +99 more (g)".len() };
        if used + format::width(&text) + tail > room {
            if shown > 0 {
                spans.push(Span::styled(more, THEME.dim));
                break;
            }
            // The first reason always shows, cut to fit: it is the one the room needs.
            text = format::fit(&text, room.saturating_sub(used + tail));
        }
        used += format::width(&text);
        let style = match reason.severity {
            Severity::Block => theme::level(Level::Crit),
            _ => theme::level(Level::Warn),
        };
        spans.push(Span::styled(text, style));
        if used + tail > room && !last {
            spans.push(Span::styled(
                format!(" +{} more (g)", total - shown - 1),
                THEME.dim,
            ));
            break;
        }
    }
    if total == 0 {
        spans.push(Span::styled("every rule of the gate holds", THEME.dim));
    }
    Line::from(spans).render(area, buf);
    approval.right_aligned().render(area, buf);
}

/// `HEALTHY ✓`, or `DEGRADED ✗ API latency p95 612 ms ≥ 500 ms since
/// 23:20 · roll back? up to 2h (API-TIMEOUT)`, with the check-ins missed.
fn render_health(state: &State, health: &Health, area: Rect, buf: &mut Buffer) {
    let zone = state.night.plan.release.schedule.zone;
    let (badge, style, text) = match health {
        Health::Healthy => (
            " HEALTHY ✓ ",
            Style::new().fg(Color::Green),
            "every metric under its crit limit".to_string(),
        ),
        Health::Degraded {
            metric,
            unit,
            crit,
            peak,
            since,
        } => {
            let mut text = format!(
                "{metric} {} ≥ {} since {}",
                crate::metrics::format::value(*peak, unit),
                crate::metrics::format::value(*crit, unit),
                zone.at(*since).format("%H:%M:%S")
            );
            text.push_str(" · roll back?");
            if let Some((item, d)) = crate::night::health::recovery(&state.night) {
                text.push_str(&format!(
                    " recovery up to {} ({item})",
                    humantime::format_duration(d)
                ));
            }
            (" DEGRADED ✗ ", Style::new().fg(Color::Red), text)
        }
        Health::Unknown { metric, why } => (
            " HEALTH UNKNOWN ? ",
            Style::new().fg(Color::Yellow),
            format!("{metric} not read: {why}"),
        ),
    };
    let badge_style = style.add_modifier(Modifier::BOLD | Modifier::REVERSED);
    let mut tail = String::new();
    let night = &state.night;
    let after_open = (0..night.ledger.checklist.len())
        .filter(|&i| {
            let e = &night.ledger.checklist[i];
            e.after && e.required && night.mark(i) == crate::domain::MarkState::Open
        })
        .count();
    if after_open > 0 {
        let noun = if after_open == 1 { "entry" } else { "entries" };
        tail.push_str(&format!(" · {after_open} after-deploy {noun} open"));
    }
    if let Some(missed) = state.night.check_ins().map(|c| c.missed).filter(|m| *m > 0) {
        let noun = if missed == 1 { "check-in" } else { "check-ins" };
        tail.push_str(&format!(" · {missed} {noun} missed"));
    }
    let room = usize::from(area.width).saturating_sub(badge.len() + 3 + format::width(&tail));
    let text_style = match health {
        Health::Healthy => THEME.dim,
        Health::Degraded { .. } => theme::level(Level::Crit),
        Health::Unknown { .. } => theme::level(Level::Warn),
    };
    Line::from(vec![
        Span::raw(" "),
        Span::styled(badge, badge_style),
        Span::raw(" "),
        Span::styled(format::fit(&text, room), text_style),
        Span::styled(tail, theme::level(Level::Warn)),
    ])
    .render(area, buf);
}

/// `approved by mina 22:41 (12m ago)`, or why the approval no longer holds.
fn approval_line(state: &State, verdict: &Verdict) -> Line<'static> {
    let Some(approval) = state.night.ledger.approval() else {
        return Line::from(vec![Span::styled("not approved (A) ", THEME.dim)]);
    };
    let who = stamp::short(state, &approval.stamp);
    let age = format::age((state.night.now - approval.stamp.at.to_utc()).num_seconds());
    if let Some(subject) = approval.stale_because(verdict) {
        let style = theme::level(Level::Crit).add_modifier(Modifier::REVERSED);
        return Line::from(vec![
            Span::styled(" APPROVAL STALE ", style),
            Span::styled(format!(" {subject} since {who} "), THEME.dim),
        ]);
    }
    let (text, style) = match &approval.override_reason {
        None => (
            format!("approved by {who} ({age} ago) "),
            theme::level(Level::Ok),
        ),
        Some(_) => (
            format!("override approved by {who} ({age} ago) "),
            theme::level(Level::Warn),
        ),
    };
    Line::from(vec![Span::styled(text, style)])
}
