//! One item whole (`Enter` in the items pane): what it is, its load-test
//! runs with their verdicts and a chart of the one picked, its notes, and
//! who changed what when. Reads the ledger only: the same on every seat.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::symbols::Marker;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Axis, Block, Chart, Dataset, GraphType, Paragraph, Widget};

use super::format::{fit, fit_line};
use super::popup;
use super::stamp;
use super::theme::{self, THEME};
use crate::app::State;
use crate::domain::evidence::{EvidenceRecord, PassCriteria};
use crate::domain::{Action, ReleaseItem};
use crate::metrics::Level;
use crate::metrics::format::number;

/// Rows of the run chart, its frame included.
const CHART_ROWS: u16 = 9;

pub fn render(state: &State, id: &str, scroll: usize, run: usize, area: Rect, buf: &mut Buffer) {
    let Some(item) = state.night.ledger.items.iter().find(|i| i.id == id) else {
        return;
    };
    let runs: Vec<&EvidenceRecord> = state
        .night
        .ledger
        .evidence
        .iter()
        .filter(|r| r.evidence.item == id)
        .collect();
    let width = area.width.saturating_sub(4).max(20);
    let height = area.height.saturating_sub(2).max(8);
    let title = format!("{} · {}", item.id, item.title);
    let title = fit(&title, usize::from(width.saturating_sub(6)));
    let hint = "j/k scroll · ← → run · Esc close";
    let inner = popup::open(area, width, height, &title, hint, buf);
    let picked = runs.len().checked_sub(run + 1).and_then(|i| runs.get(i));
    let chart_rows = match picked {
        Some(r) if !r.evidence.summary.timeline.is_empty() && inner.height >= CHART_ROWS + 6 => {
            CHART_ROWS
        }
        _ => 0,
    };
    let [text_area, chart_area] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(chart_rows)]).areas(inner);
    let lines = lines(
        state,
        item,
        &runs,
        picked.map(|r| r.line),
        usize::from(inner.width),
    );
    // Scrolled no further than a page from the end.
    let rows = usize::from(text_area.height);
    let top = scroll.min(lines.len().saturating_sub(rows));
    let shown: Vec<Line> = lines.into_iter().skip(top).take(rows).collect();
    Paragraph::new(shown).render(text_area, buf);
    if let (Some(r), true) = (picked, chart_rows > 0) {
        let nth = runs.iter().position(|x| x.line == r.line).unwrap_or(0) + 1;
        run_chart(r, nth, chart_area, buf);
    }
}

fn lines(
    state: &State,
    item: &ReleaseItem,
    runs: &[&EvidenceRecord],
    picked: Option<u64>,
    width: usize,
) -> Vec<Line<'static>> {
    let mut out = Vec::new();
    out.push(facts(item));
    out.push(Line::raw(""));
    let criteria = state.night.plan.criteria.get(&item.id).copied();
    out.push(Line::styled(
        format!("Load-test runs{}", criteria_text(criteria)),
        THEME.header,
    ));
    if runs.is_empty() {
        out.push(Line::styled(
            format!(
                "  none yet: i imports one, or warroom import PLAN --item {} RESULT-FILE",
                item.id
            ),
            THEME.dim,
        ));
    }
    for (n, r) in runs.iter().enumerate() {
        for line in run_lines(state, n + 1, r, criteria, Some(r.line) == picked) {
            out.push(fit_line(line, width));
        }
    }
    out.push(Line::raw(""));
    let notes: Vec<_> = state
        .night
        .ledger
        .notes
        .iter()
        .filter(|n| n.item.as_deref() == Some(item.id.as_str()) && !n.retracted)
        .collect();
    out.push(Line::styled(
        format!("Notes ({})", notes.len()),
        THEME.header,
    ));
    if notes.is_empty() {
        out.push(Line::styled("  none: N adds one", THEME.dim));
    }
    for note in notes {
        let line = Line::from(vec![
            Span::styled(
                format!("  {:<18} ", stamp::short(state, &note.stamp)),
                THEME.dim,
            ),
            Span::raw(super::format::bounded(&note.text, 4096)),
        ]);
        out.push(fit_line(line, width));
    }
    out.push(Line::raw(""));
    let history: Vec<_> = state
        .night
        .ledger
        .log
        .iter()
        .filter(|l| about(state, &l.entry.action, &item.id))
        .collect();
    out.push(Line::styled(
        format!("History ({})", history.len()),
        THEME.header,
    ));
    if history.is_empty() {
        out.push(Line::styled("  nothing changed yet", THEME.dim));
    }
    for l in history {
        let mut spans = vec![Span::styled(
            format!("  {:<18} ", stamp::short(state, &l.entry.stamp)),
            THEME.dim,
        )];
        if l.entry.undoes.is_some() {
            spans.push(Span::styled("undo: ", THEME.dim));
        }
        spans.extend(super::log::outcome_spans(l));
        out.push(fit_line(Line::from(spans), width));
    }
    out
}

/// Whether a journal entry is about the item: its own actions, and a note
/// on it taken back.
fn about(state: &State, action: &Action, id: &str) -> bool {
    match action {
        Action::RetractNote { line } => state
            .night
            .ledger
            .notes
            .iter()
            .any(|n| n.line == *line && n.item.as_deref() == Some(id)),
        other => other.item() == Some(id),
    }
}

fn facts(item: &ReleaseItem) -> Line<'static> {
    let mut spans = vec![
        Span::styled(
            item.priority.label().to_string(),
            theme::priority(item.priority),
        ),
        Span::styled(" · ", THEME.dim),
        Span::styled(
            format!("{} {}", item.status.symbol(), item.status.label()),
            theme::status(item.status),
        ),
        Span::styled(" · ", THEME.dim),
        Span::raw(format!(
            "owner {}",
            item.owner.as_deref().unwrap_or("nobody")
        )),
    ];
    spans.push(Span::styled(" · ", THEME.dim));
    spans.push(Span::raw(match &item.risk {
        Some(r) => format!(
            "risk {} (impact {} × likelihood {}), recovery {}",
            r.score(),
            r.impact,
            r.likelihood,
            humantime::format_duration(r.recovery)
        ),
        None => "risk not rated".to_string(),
    }));
    Line::from(spans)
}

fn criteria_text(criteria: Option<PassCriteria>) -> String {
    match criteria.filter(|c| !c.is_empty()) {
        Some(c) => format!(": pass with {}", c.describe()),
        None => " (the plan sets no pass criteria)".to_string(),
    }
}

/// A run in two lines: who imported which file and its verdict first, as
/// it is read across a call; then its figures.
fn run_lines(
    state: &State,
    nth: usize,
    r: &EvidenceRecord,
    criteria: Option<PassCriteria>,
    picked: bool,
) -> [Line<'static>; 2] {
    let s = &r.evidence.summary;
    let marker = if picked { "▶" } else { " " };
    let mut spans = vec![
        Span::styled(format!("{marker}{nth:>2}  "), THEME.key),
        Span::styled(format!("{}  ", stamp::short(state, &r.stamp)), THEME.dim),
        Span::raw(format!("{}  ", fit(&r.evidence.source(), 40))),
    ];
    match criteria.filter(|c| !c.is_empty()) {
        Some(c) => {
            let broken = c.broken(s);
            if broken.is_empty() {
                spans.push(Span::styled("✓ PASS", theme::level(Level::Ok)));
            } else {
                spans.push(Span::styled("✗ FAIL", theme::level(Level::Crit)));
                spans.push(Span::raw(format!(": {}", broken.join(", "))));
            }
        }
        None => spans.push(Span::styled("no criteria to pass", THEME.dim)),
    }
    let figures = format!(
        "      {} samples · {}% errors · {}p95 {} ms ({}) · max {} ms · TPS {}{} · {} s",
        s.samples,
        number(s.error_rate),
        s.timeouts
            .map_or(String::new(), |t| format!("{t} timeouts · ")),
        s.latency_ms.p95,
        // How it was taken, in a word: tools disagree here.
        s.percentiles.split(',').next().unwrap_or_default(),
        s.latency_ms.max,
        number(s.tps.avg),
        s.tps.peak.map_or(String::new(), |p| format!(" (peak {p})")),
        number(s.duration_s),
    );
    [Line::from(spans), Line::styled(figures, THEME.dim)]
}

/// The picked run's throughput and latency, side by side on one time axis.
fn run_chart(r: &EvidenceRecord, nth: usize, area: Rect, buf: &mut Buffer) {
    let timeline = &r.evidence.summary.timeline;
    let last = timeline.last().map_or(1.0, |p| p.s as f64).max(1.0);
    let tps: Vec<(f64, f64)> = timeline.iter().map(|p| (p.s as f64, p.tps)).collect();
    let avg: Vec<(f64, f64)> = timeline
        .iter()
        .filter_map(|p| p.avg_ms.map(|v| (p.s as f64, v)))
        .collect();
    let max: Vec<(f64, f64)> = timeline
        .iter()
        .filter_map(|p| p.max_ms.map(|v| (p.s as f64, v as f64)))
        .collect();
    let [left, right] =
        Layout::horizontal([Constraint::Percentage(50), Constraint::Percentage(50)]).areas(area);
    let top = |points: &[(f64, f64)]| {
        let m = points.iter().map(|p| p.1).fold(0.0, f64::max);
        if m > 0.0 { m * 1.1 } else { 1.0 }
    };
    let x_axis = || {
        Axis::default()
            .bounds([0.0, last])
            .labels(["0 s".to_string(), format!("{} s", number(last))])
            .style(THEME.dim)
    };
    let tps_top = top(&tps);
    Chart::new(vec![
        Dataset::default()
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(THEME.series_line)
            .data(&tps),
    ])
    .block(
        Block::bordered()
            .title(format!(" run {nth}: TPS "))
            .border_style(THEME.dim),
    )
    .x_axis(x_axis())
    .y_axis(
        Axis::default()
            .bounds([0.0, tps_top])
            .labels(["0".to_string(), number(tps_top)])
            .style(THEME.dim),
    )
    .render(left, buf);
    let ms_top = top(&max);
    Chart::new(vec![
        Dataset::default()
            .name("max")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(THEME.dim)
            .data(&max),
        Dataset::default()
            .name("avg")
            .marker(Marker::Braille)
            .graph_type(GraphType::Line)
            .style(THEME.series_line)
            .data(&avg),
    ])
    .block(
        Block::bordered()
            .title(format!(" run {nth}: latency ms, avg and max "))
            .border_style(THEME.dim),
    )
    .x_axis(x_axis())
    .y_axis(
        Axis::default()
            .bounds([0.0, ms_top])
            .labels(["0".to_string(), number(ms_top)])
            .style(THEME.dim),
    )
    .render(right, buf);
}
