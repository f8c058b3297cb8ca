//! One metric's chart: its series as a Braille line over the chart window, and
//! its warn and crit levels as rows of `┄` and `━`, which read apart from the
//! data without colour.

use chrono::{DateTime, Utc};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::symbols::Marker;
use ratatui::widgets::{Axis, Chart, Dataset, GraphType, Widget};

use super::format;
use super::theme::THEME;
use crate::app::State;
use crate::metrics::{MetricId, Series};
use crate::plan::MetricSpec;

/// What a metric did in the chart's span, worked out once a frame: one pass
/// over the samples however many places show it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    /// The chart's ceiling: its highest limit and every value, with headroom.
    pub top: f64,
    /// What the span's samples say, when it has any.
    pub stats: Option<Stats>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub mean: f64,
    pub max: f64,
    /// For a metric that counts: the samples added up, and whether they
    /// cover the span (else the total is of what was seen: at least).
    pub total: Option<(f64, bool)>,
}

pub fn summaries(state: &State) -> Vec<Summary> {
    (0..state.night.plan.metrics.len())
        .map(|id| {
            let (from, to) = state.metric_window(id);
            let spec: &MetricSpec = &state.night.plan.metrics[id];
            let stats = state
                .night
                .metrics
                .series(id)
                .and_then(|series| series.stats(from, to))
                .map(|w| Stats {
                    mean: w.mean,
                    max: w.max,
                    total: spec
                        .counts
                        .then_some((w.total, w.covers(spec.sample_interval(), from, to))),
                });
            let data_max = stats.map_or(0.0, |s| s.max.max(0.0));
            let top = spec.limits.top().unwrap_or(0.0).max(data_max) * 1.05;
            Summary {
                top: if top > 0.0 { nice_ceiling(top) } else { 1.0 },
                stats,
            }
        })
        .collect()
}

/// Width of the y labels of every chart in the pane, so stacked charts share
/// one time axis.
pub fn label_width(summaries: &[Summary]) -> u16 {
    summaries
        .iter()
        .map(|s| labels(s.top).iter().map(String::len).max().unwrap_or(1))
        .max()
        .unwrap_or(1) as u16
}

fn labels(top: f64) -> [String; 3] {
    [
        format::number(0.0),
        format::number(top / 2.0),
        format::number(top),
    ]
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

pub fn render(
    state: &State,
    id: MetricId,
    summary: Summary,
    label_width: u16,
    area: Rect,
    buf: &mut Buffer,
) {
    let Some(series) = state.night.metrics.series(id) else {
        return;
    };
    let spec = &state.night.plan.metrics[id];
    let (from, to) = state.metric_window(id);
    let window_secs = (to - from).num_seconds() as f64;
    let top = summary.top;
    let width = usize::from(label_width);
    let labels = labels(top).map(|l| format!("{l:>width$}"));
    let graph = Rect {
        x: area.x + label_width + 1,
        width: area.width.saturating_sub(label_width + 1),
        ..area
    };
    // Braille gives two dots per cell across.
    let columns = usize::from(graph.width) * 2;
    let points = column_points(series, (from, to), columns, window_secs);
    Chart::new(vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(THEME.series_line)
            .data(&points),
    ])
    .x_axis(Axis::default().bounds([0.0, window_secs]))
    .y_axis(
        Axis::default()
            .bounds([0.0, top])
            .labels(labels)
            .style(THEME.dim),
    )
    .render(area, buf);
    // Crit first: when both limits fall in one row, the row shows crit.
    if let Some(c) = spec.limits.crit {
        limit_row(c, top, "━", THEME.crit_line, graph, buf);
    }
    if let Some(w) = spec.limits.warn {
        limit_row(w, top, "┄", THEME.warn_line, graph, buf);
    }
}

/// Two points per column, its min and its max, joined by the line: a spike
/// narrower than a column still shows.
fn column_points(
    series: &Series,
    (from, to): (DateTime<Utc>, DateTime<Utc>),
    columns: usize,
    window_secs: f64,
) -> Vec<(f64, f64)> {
    let mut points = Vec::with_capacity(columns * 2);
    for (col, bucket) in series.decimate(from, to, columns).iter().enumerate() {
        if let Some(b) = bucket {
            let x = (col as f64 + 0.5) * window_secs / columns.max(1) as f64;
            points.push((x, b.min));
            points.push((x, b.max));
        }
    }
    points
}

/// Draws a limit across the empty cells of the row its value falls in, the
/// row the Braille canvas would put it in, leaving the data's cells alone.
fn limit_row(value: f64, top: f64, symbol: &str, style: Style, graph: Rect, buf: &mut Buffer) {
    if graph.is_empty() || !(0.0..=top).contains(&value) {
        return;
    }
    let dots = f64::from(graph.height) * 4.0 - 1.0;
    let dot_from_top = ((top - value) / top * dots).round();
    let y = graph.y + (dot_from_top as u16 / 4).min(graph.height - 1);
    for x in graph.left()..graph.right() {
        let cell = &mut buf[(x, y)];
        if matches!(cell.symbol(), " " | "\u{2800}") {
            cell.set_symbol(symbol).set_style(style);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ceilings_are_round() {
        assert_eq!(nice_ceiling(525.0), 600.0);
        assert_eq!(nice_ceiling(440.0), 500.0);
        assert_eq!(nice_ceiling(0.33), 0.4);
        assert_eq!(nice_ceiling(3150.0), 4000.0);
    }

    #[test]
    fn limit_rows_leave_data_cells_alone() {
        let mut buf = Buffer::empty(Rect::new(0, 0, 4, 4));
        buf[(1, 0)].set_symbol("⣿");
        limit_row(600.0, 600.0, "━", Style::new(), buf.area, &mut buf);
        limit_row(0.0, 600.0, "┄", Style::new(), buf.area, &mut buf);
        assert_eq!(buf, Buffer::with_lines(["━⣿━━", "    ", "    ", "┄┄┄┄"]));
    }
}
