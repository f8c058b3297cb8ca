//! Pane 3: one chart per metric over the chart window, its warn and crit
//! lines drawn and the current value in its legend. When the pane is too short
//! for charts, one line per metric with a bar sparkline instead.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Paragraph, Widget};

use super::pane;
use super::theme::{self, THEME};
use crate::app::{Pane, State};
use crate::metrics::{Health, MetricId, Series};
use crate::plan::MetricSpec;

/// A legend line and at least three rows of plot.
const MIN_CHART_ROWS: u16 = 4;
const BARS: [&str; 8] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"];

pub fn render(state: &State, area: Rect, buf: &mut Buffer) {
    let block = pane::block(state, Pane::Metrics);
    let inner = block.inner(area);
    block.render(area, buf);
    let count = state.plan.metrics.len() as u16;
    if count == 0 {
        Paragraph::new(Line::styled("No metrics in the plan", THEME.dim)).render(inner, buf);
        return;
    }
    if inner.height / count >= MIN_CHART_ROWS {
        let areas = Layout::vertical((0..count).map(|_| Constraint::Fill(1))).split(inner);
        for (id, chart_area) in areas.iter().enumerate() {
            chart(state, id, *chart_area, buf);
        }
    } else {
        // Two lines a metric (legend, then bars) when they fit, else one.
        let per = (inner.height / count).clamp(1, 2);
        let rows = Layout::vertical((0..count).map(|_| Constraint::Length(per))).split(inner);
        for (id, row_area) in rows.iter().enumerate() {
            if per == 2 {
                let [legend_area, bars_area] =
                    Layout::vertical([Constraint::Length(1); 2]).areas(*row_area);
                legend(state, id, legend_area, buf);
                bars(state, id, bars_area, buf);
            } else {
                compact_row(state, id, *row_area, buf);
            }
        }
    }
}

fn chart(state: &State, id: MetricId, area: Rect, buf: &mut Buffer) {
    let spec = &state.plan.metrics[id];
    let [legend_area, plot_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1)]).areas(area);
    legend(state, id, legend_area, buf);
    let Some(series) = state.metrics.series(id) else {
        return;
    };
    let (from, to) = state.chart_window();
    let window_secs = (to - from).num_seconds() as f64;
    let top = y_top(spec, series, state);
    let labels = [
        format_number(0.0),
        format_number(top / 2.0),
        format_number(top),
    ];
    let label_width = labels.iter().map(|l| l.len()).max().unwrap_or(1) as u16;
    // Braille gives two dots per cell across.
    let columns = usize::from(plot_area.width.saturating_sub(label_width + 1)) * 2;
    let mut points = Vec::with_capacity(columns * 2);
    for (col, bucket) in series.decimate(from, to, columns).iter().enumerate() {
        if let Some(b) = bucket {
            let x = (col as f64 + 0.5) * window_secs / columns.max(1) as f64;
            points.push((x, b.min));
            points.push((x, b.max));
        }
    }
    let warn = spec.limits.warn.map(|w| [(0.0, w), (window_secs, w)]);
    let crit = spec.limits.crit.map(|c| [(0.0, c), (window_secs, c)]);
    let mut datasets = Vec::new();
    if let Some(line) = &warn {
        datasets.push(limit_dataset(line, THEME.warn_line));
    }
    if let Some(line) = &crit {
        datasets.push(limit_dataset(line, THEME.crit_line));
    }
    datasets.push(
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(THEME.series_line)
            .data(&points),
    );
    Chart::new(datasets)
        .x_axis(Axis::default().bounds([0.0, window_secs]))
        .y_axis(
            Axis::default()
                .bounds([0.0, top])
                .labels(labels)
                .style(THEME.dim),
        )
        .hidden_legend_constraints((Constraint::Length(0), Constraint::Length(0)))
        .render(plot_area, buf);
}

fn limit_dataset<'a>(line: &'a [(f64, f64)], style: Style) -> Dataset<'a> {
    Dataset::default()
        .marker(Marker::Braille)
        .graph_type(GraphType::Line)
        .style(style)
        .data(line)
}

/// The chart's ceiling: its highest limit and every value in view, with headroom.
fn y_top(spec: &MetricSpec, series: &Series, state: &State) -> f64 {
    let (from, to) = state.chart_window();
    let data_max = series.window(from, to).map(|s| s.value).fold(0.0, f64::max);
    let top = spec.limits.top().unwrap_or(0.0).max(data_max) * 1.05;
    if top > 0.0 { nice_ceiling(top) } else { 1.0 }
}

/// Rounds up to a round multiple of a power of ten, so axis labels stay short
/// without wasting much of the chart's height.
fn nice_ceiling(v: f64) -> f64 {
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * magnitude)
}

/// `API latency p95  212 ms   ┄ warn 400   ━ crit 500`, or why there is no value.
fn legend(state: &State, id: MetricId, area: Rect, buf: &mut Buffer) {
    let spec = &state.plan.metrics[id];
    let selected = state.focus == Pane::Metrics && state.selected_metric == id;
    let name_style = if selected {
        THEME.selected
    } else {
        THEME.header
    };
    let mut spans = vec![Span::styled(spec.name.clone(), name_style), Span::raw("  ")];
    spans.extend(current_value(state, id));
    let limits = |long: bool| {
        let mut out = Vec::new();
        let (warn, crit, gap) = if long {
            ("┄ warn ", "━ crit ", "   ")
        } else {
            ("┄", "━", " ")
        };
        if let Some(w) = spec.limits.warn {
            out.push(Span::styled(
                format!("{gap}{warn}{}", format_number(w)),
                THEME.warn_line,
            ));
        }
        if let Some(c) = spec.limits.crit {
            out.push(Span::styled(
                format!("{gap}{crit}{}", format_number(c)),
                THEME.crit_line,
            ));
        }
        out
    };
    let width = |spans: &[Span]| spans.iter().map(Span::width).sum::<usize>();
    let long = limits(true);
    if width(&spans) + width(&long) <= usize::from(area.width) {
        spans.extend(long);
    } else {
        spans.extend(limits(false));
    }
    Line::from(spans).render(area, buf);
}

fn current_value(state: &State, id: MetricId) -> Vec<Span<'static>> {
    let spec = &state.plan.metrics[id];
    match state.metrics.health(id) {
        Some(Health::Down(reason)) => vec![Span::styled(
            format!("down: {reason}"),
            theme::level(crate::metrics::Level::Crit),
        )],
        _ => match state.metrics.series(id).and_then(Series::latest) {
            Some(s) => vec![Span::styled(
                format_value(s.value, &spec.unit),
                theme::level(spec.limits.level(s.value)).add_modifier(Modifier::BOLD),
            )],
            None => vec![Span::styled("waiting for data", THEME.dim)],
        },
    }
}

/// `API latency p95   ▃▄▃▅▃▄▆▃▃▄  212 ms`
fn compact_row(state: &State, id: MetricId, area: Rect, buf: &mut Buffer) {
    let spec = &state.plan.metrics[id];
    let value: Vec<Span> = current_value(state, id);
    let value_width = value.iter().map(|s| s.width()).sum::<usize>() as u16 + 1;
    let longest = state
        .plan
        .metrics
        .iter()
        .map(|m| m.name.chars().count())
        .max()
        .unwrap_or(0) as u16;
    let name_width = longest.min(area.width * 45 / 100);
    let [name_area, bars_area, value_area] = Layout::horizontal([
        Constraint::Length(name_width),
        Constraint::Fill(1),
        Constraint::Length(value_width),
    ])
    .spacing(1)
    .areas(area);
    let selected = state.focus == Pane::Metrics && state.selected_metric == id;
    let name: String = spec.name.chars().take(usize::from(name_width)).collect();
    Span::styled(
        name,
        if selected {
            THEME.selected
        } else {
            THEME.header
        },
    )
    .render(name_area, buf);
    bars(state, id, bars_area, buf);
    Line::from(value).right_aligned().render(value_area, buf);
}

/// One bar per column over the chart window: the column's highest value,
/// coloured when it reached a limit.
fn bars(state: &State, id: MetricId, bars_area: Rect, buf: &mut Buffer) {
    let spec = &state.plan.metrics[id];
    if let Some(series) = state.metrics.series(id) {
        let (from, to) = state.chart_window();
        let top = y_top(spec, series, state);
        let buckets = series.decimate(from, to, usize::from(bars_area.width));
        for (x, bucket) in buckets.iter().enumerate() {
            let Some(b) = bucket else { continue };
            let level =
                ((b.max / top) * BARS.len() as f64).clamp(0.0, BARS.len() as f64 - 1.0) as usize;
            let style = match spec.limits.level(b.max) {
                crate::metrics::Level::Ok => THEME.text,
                l => theme::level(l),
            };
            buf[(bars_area.x + x as u16, bars_area.y)]
                .set_symbol(BARS[level])
                .set_style(style);
        }
    }
}

pub fn format_number(v: f64) -> String {
    let a = v.abs();
    if a >= 100.0 || a == 0.0 {
        format!("{v:.0}")
    } else if a >= 1.0 {
        format!("{v:.1}")
    } else {
        format!("{v:.3}")
    }
}

pub fn format_value(v: f64, unit: &str) -> String {
    match unit {
        "" => format_number(v),
        "%" => format!("{}%", format_number(v)),
        u => format!("{} {u}", format_number(v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_at_a_glance() {
        assert_eq!(format_value(212.4, "ms"), "212 ms");
        assert_eq!(format_value(0.0023, "%"), "0.002%");
        assert_eq!(format_value(1512.0, "TPS"), "1512 TPS");
        assert_eq!(format_value(12.34, ""), "12.3");
    }

    #[test]
    fn ceilings_are_round() {
        assert_eq!(nice_ceiling(525.0), 600.0);
        assert_eq!(nice_ceiling(440.0), 500.0);
        assert_eq!(nice_ceiling(0.33), 0.4);
        assert_eq!(nice_ceiling(3150.0), 4000.0);
    }
}
