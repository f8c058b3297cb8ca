//! Pane 3: one chart per metric over the chart window, its warn and crit
//! lines drawn and the current value in its legend. When the pane is too short
//! for charts: a legend line and a bar line per metric, or one line each.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::theme::{self, THEME};
use super::{chart, format, pane};
use crate::app::{Pane, State};
use crate::metrics::{Health, Level, MetricId, Series};

/// A legend line and at least three rows of plot.
const MIN_CHART_ROWS: u16 = 4;
const BARS: [&str; 8] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let block = pane::block(state, Pane::Metrics).title(
        Line::styled(format!(" last {} (z) ", state.zoom_label()), THEME.dim).right_aligned(),
    );
    let inner = block.inner(area);
    block.render(area, buf);
    let count = state.night.plan.metrics.len();
    if count == 0 {
        Paragraph::new(Line::styled("No metrics in the plan", THEME.dim)).render(inner, buf);
        return;
    }
    let summaries = chart::summaries(state);
    let rows_each = usize::from(inner.height) / count;
    if rows_each >= usize::from(MIN_CHART_ROWS) {
        let label_width = chart::label_width(&summaries);
        let areas = Layout::vertical((0..count).map(|_| Constraint::Fill(1))).split(inner);
        for (id, chart_area) in areas.iter().enumerate() {
            let [legend_area, plot_area] =
                Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(*chart_area);
            legend(state, id, summaries[id], legend_area, buf);
            chart::render(state, id, summaries[id], label_width, plot_area, buf);
        }
    } else if rows_each == 2 || rows_each == 3 {
        let rows = Layout::vertical((0..count).map(|_| Constraint::Length(2))).split(inner);
        for (id, row_area) in rows.iter().enumerate() {
            let [legend_area, bars_area] =
                Layout::vertical([Constraint::Length(1); 2]).areas(*row_area);
            legend(state, id, summaries[id], legend_area, buf);
            bars(state, id, summaries[id], bars_area, buf);
        }
    } else {
        one_line_each(state, &summaries, inner, buf);
    }
}

/// One line a metric; when even that does not fit, the last line says how many
/// are left out rather than letting them vanish.
fn one_line_each(state: &State, summaries: &[chart::Summary], inner: Rect, buf: &mut Buffer) {
    let count = state.night.plan.metrics.len();
    let rows = usize::from(inner.height);
    let shown = if count > rows {
        rows.saturating_sub(1)
    } else {
        count
    };
    // One value column for all, so every bar spans the same columns and a
    // moment of the night is at the same place on each.
    let value_width = (0..shown)
        .map(|id| {
            current_value(state, id)
                .iter()
                .map(Span::width)
                .sum::<usize>()
        })
        .max()
        .unwrap_or(0)
        .min(usize::from(inner.width) * 35 / 100) as u16;
    for (id, summary) in summaries.iter().enumerate().take(shown) {
        let row = Rect {
            y: inner.y + id as u16,
            height: 1,
            ..inner
        };
        compact_row(state, id, *summary, value_width, row, buf);
    }
    if shown < count && rows > 0 {
        let row = Rect {
            y: inner.y + shown as u16,
            height: 1,
            ..inner
        };
        Line::styled(
            format!("+{} more: enlarge the terminal", count - shown),
            THEME.dim,
        )
        .render(row, buf);
    }
}

/// `API latency p95  212 ms   ┄ warn 400 ms   ━ crit 500 ms`, or why there is no value.
fn legend(state: &State, id: MetricId, summary: chart::Summary, area: Rect, buf: &mut Buffer) {
    let spec = &state.night.plan.metrics[id];
    let simulated = !state.night.demo && spec.source.is_simulated();
    let text = if simulated {
        format!("{} (simulated)", spec.name)
    } else {
        spec.name.clone()
    };
    let mut spans = vec![name(state, id, text), Span::raw("  ")];
    spans.extend(current_value(state, id));
    // The most words that fit: "┄ warn 400 ms", then "┄400 ms", then "┄400".
    let limits = |long: bool, unit: &str| {
        let mut out = Vec::new();
        let (warn, crit, gap) = if long {
            ("┄ warn ", "━ crit ", "   ")
        } else {
            ("┄", "━", " ")
        };
        if let Some(w) = spec.limits.warn {
            let text = format::value(w, unit);
            out.push(Span::styled(format!("{gap}{warn}{text}"), THEME.warn_line));
        }
        if let Some(c) = spec.limits.crit {
            let text = format::value(c, unit);
            out.push(Span::styled(format!("{gap}{crit}{text}"), THEME.crit_line));
        }
        out
    };
    let width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    let room = usize::from(area.width).saturating_sub(width(&spans));
    let choice = [limits(true, &spec.unit), limits(false, &spec.unit)]
        .into_iter()
        .find(|l| width(l) <= room)
        .unwrap_or_else(|| limits(false, ""));
    let room = room.saturating_sub(width(&choice));
    // Average and highest over the span, where the line has room for them.
    if let Some(stats) = summary.stats {
        let max = format::value(stats.max, &spec.unit);
        let first = match stats.total {
            Some((total, true)) => format!("total {}", format::value(total, &spec.unit)),
            // Part of the span unseen (or filled at a coarser step).
            Some((total, false)) => format!("total ≥{}", format::value(total, &spec.unit)),
            None => format!("avg {}", format::value(stats.mean, &spec.unit)),
        };
        let text = format!("  {first} · max {max}");
        if format::width(&text) <= room {
            spans.push(Span::styled(text, THEME.dim));
        }
    }
    spans.extend(choice);
    Line::from(spans).render(area, buf);
}

/// The metric's name, highlighted when selected.
fn name(state: &State, id: MetricId, text: String) -> Span<'static> {
    let selected = state.view.focus == Pane::Metrics && state.view.selected_metric == id;
    Span::styled(
        text,
        if selected {
            THEME.selected
        } else {
            THEME.header
        },
    )
}

fn current_value(state: &State, id: MetricId) -> Vec<Span<'static>> {
    let spec = &state.night.plan.metrics[id];
    let latest = state.night.metrics.series(id).and_then(Series::latest);
    match (state.night.metrics.health(id), latest) {
        (Some(Health::Down(reason)), _) => vec![Span::styled(
            format!("down: {reason}"),
            theme::level(Level::Crit),
        )],
        (Some(Health::Reading { read, total }), _) => vec![Span::styled(
            format!("reading {}", format::progress(*read, *total)),
            theme::level(Level::Warn),
        )],
        // Stale first: where the line is cut, the value is what goes, never
        // the word that says it is old.
        (Some(Health::Stale), Some(s)) => vec![
            Span::styled(
                format!(
                    "stale: no sample for {}",
                    format::age((state.night.now - s.at).num_seconds())
                ),
                theme::level(Level::Warn),
            ),
            Span::styled(
                format!(" · last {}", format::value(s.value, &spec.unit)),
                THEME.dim,
            ),
        ],
        (_, Some(s)) => vec![Span::styled(
            format::value(s.value, &spec.unit),
            theme::level(spec.limits.level(s.value)).add_modifier(Modifier::BOLD),
        )],
        (_, None) => vec![Span::styled("waiting for data", THEME.dim)],
    }
}

/// `API latency p95   ▃▄▃▅▃▄▆▃▃▄  212 ms`
fn compact_row(
    state: &State,
    id: MetricId,
    summary: chart::Summary,
    value_width: u16,
    area: Rect,
    buf: &mut Buffer,
) {
    let spec = &state.night.plan.metrics[id];
    let value = format::fit_line(
        Line::from(current_value(state, id)),
        usize::from(value_width),
    );
    let longest = state
        .night
        .plan
        .metrics
        .iter()
        .map(|m| format::width(&m.name))
        .max()
        .unwrap_or(0);
    let name_width = longest.min(usize::from(area.width) * 45 / 100) as u16;
    let [name_area, bars_area, value_area] = Layout::horizontal([
        Constraint::Length(name_width),
        Constraint::Fill(1),
        Constraint::Length(value_width),
    ])
    .spacing(1)
    .areas(area);
    let short = format::fit(&spec.name, usize::from(name_width));
    name(state, id, short).render(name_area, buf);
    bars(state, id, summary, bars_area, buf);
    value.right_aligned().render(value_area, buf);
}

/// One bar per column over the chart window: the column's highest value on
/// the chart's scale, coloured when it reached a limit.
fn bars(state: &State, id: MetricId, summary: chart::Summary, area: Rect, buf: &mut Buffer) {
    let (Some(series), false) = (state.night.metrics.series(id), area.is_empty()) else {
        return;
    };
    let spec = &state.night.plan.metrics[id];
    let (from, to) = state.metric_window(id);
    let top = summary.top;
    let buckets = series.decimate(from, to, usize::from(area.width));
    for (x, bucket) in buckets.iter().enumerate() {
        let Some(b) = bucket else { continue };
        let level =
            ((b.max / top) * BARS.len() as f64).clamp(0.0, BARS.len() as f64 - 1.0) as usize;
        let style = match spec.limits.level(b.max) {
            Level::Ok => THEME.text,
            l => theme::level(l),
        };
        buf[(area.x + x as u16, area.y)]
            .set_symbol(BARS[level])
            .set_style(style);
    }
}
