//! The deploy report as Markdown: Monday's mail, pasted into a wiki or sent.

use super::{ChecklistLine, DeployReport, MetricNote};
use crate::metrics::format::{number, value};
use crate::report::markdown::cell;

/// `## Title: 28/30 done` and the entries, when there are any.
fn checklist_section(out: &mut String, title: &str, entries: &[ChecklistLine]) {
    if entries.is_empty() {
        return;
    }
    let done = entries.iter().filter(|c| c.state != "open").count();
    out.push_str(&format!("\n## {title}: {done}/{} done\n\n", entries.len()));
    for c in entries {
        let mark = match c.state.as_str() {
            "done" => "[x]",
            "not applicable" => "[-]",
            _ => "[ ]",
        };
        let mut line = format!("- {mark} {}", cell(&c.text));
        if let Some(by) = &c.by {
            line.push_str(&format!(" · {}", cell(by)));
        }
        if let Some(reason) = &c.reason {
            line.push_str(&format!(" · n/a: {}", cell(reason)));
        }
        out.push_str(&line);
        out.push('\n');
    }
}

/// The report as Markdown: Monday's mail.
pub fn markdown(r: &DeployReport) -> String {
    let mut out = format!("# Deploy report: {}\n\n", cell(&r.release));
    out.push_str(&format!("Deploy planned {} ({}). ", r.deploy_at, r.zone));
    match &r.deploy_done {
        Some(d) => out.push_str(&format!("Marked done {} by {}.\n", d.at, cell(&d.by))),
        None => out.push_str("Not marked done.\n"),
    }
    out.push_str(&format!(
        "Monitoring window: {} to {}.\n\n",
        r.window_from, r.window_to
    ));

    out.push_str("## Approval\n\n");
    match &r.approval {
        Some(a) => {
            let verdict = if a.approved_go {
                "GO"
            } else {
                "NO-GO, overridden"
            };
            out.push_str(&format!(
                "Approved by {} at {} ({verdict}): {}\n",
                cell(&a.by),
                a.at,
                cell(&a.statement)
            ));
            if let Some(why) = &a.override_reason {
                out.push_str(&format!("\nRisk accepted: {}\n", cell(why)));
            }
            for reason in &a.accepted {
                out.push_str(&format!("- stood then: {}\n", cell(reason)));
            }
        }
        None => out.push_str("Not approved.\n"),
    }

    checklist_section(&mut out, "Checklist at approval", &r.checklist_at_approval);
    checklist_section(&mut out, "After the deploy", &r.checklist_after_deploy);

    out.push_str("\n## Load tests\n\n");
    if r.load_tests.is_empty() {
        out.push_str("None imported.\n");
    }
    for t in &r.load_tests {
        let verdict = match t.passed {
            Some(true) => " — passes",
            Some(false) => " — fails",
            None => "",
        };
        out.push_str(&format!(
            "- {}: {} ({} samples, {}% errors{}, p95 {} ms), by {} at {}{verdict}\n",
            cell(&t.item),
            cell(&t.file),
            t.samples,
            number(t.error_rate),
            t.timeouts
                .map_or(String::new(), |n| format!(", {n} timeouts")),
            t.p95_ms,
            cell(&t.by),
            t.at
        ));
    }

    out.push_str("\n## Monitoring\n\n");
    out.push_str("| Metric | Average | p95 | Max | at | Samples | Unseen |\n");
    out.push_str("|---|--:|--:|--:|---|--:|--:|\n");
    for m in &r.monitoring {
        let v = |x: Option<f64>| x.map_or("–".to_string(), |x| value(x, &m.unit));
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} |\n",
            cell(&m.name),
            v(m.average),
            v(m.p95),
            v(m.max),
            m.max_at.as_deref().unwrap_or("–"),
            m.samples,
            crate::metrics::format::held(m.unseen_s),
        ));
    }
    let counted: Vec<&MetricNote> = r.monitoring.iter().filter(|m| m.total.is_some()).collect();
    if !counted.is_empty() {
        out.push_str("\nCounted over the window:\n\n");
        for m in counted {
            let unseen = match m.unseen_s {
                0 => String::new(),
                s => format!(
                    ", in what was seen ({} unseen)",
                    crate::metrics::format::held(s)
                ),
            };
            out.push_str(&format!(
                "- {}: {}{unseen}\n",
                cell(&m.name),
                value(m.total.unwrap_or_default(), &m.unit)
            ));
        }
    }
    let not_read: Vec<&MetricNote> = r
        .monitoring
        .iter()
        .filter(|m| m.not_read.is_some())
        .collect();
    if !not_read.is_empty() {
        out.push_str(
            "\nNot read from the source (the figures above are only what the seats recorded):\n\n",
        );
        for m in not_read {
            out.push_str(&format!(
                "- {}: {}\n",
                cell(&m.name),
                cell(m.not_read.as_deref().unwrap_or_default())
            ));
        }
    }
    let unseen: Vec<&MetricNote> = r
        .monitoring
        .iter()
        .filter(|m| !m.unseen.is_empty())
        .collect();
    if !unseen.is_empty() {
        out.push_str("\nNobody saw:\n\n");
        for m in unseen {
            let spans: Vec<String> = m
                .unseen
                .iter()
                .take(5)
                .map(|s| format!("{} to {}", s.from, s.to))
                .collect();
            let more = match m.unseen.len() {
                n if n > 5 => format!(" and {} more", n - 5),
                _ => String::new(),
            };
            let recorded = if m.not_read.is_some() {
                " (not read from the source: unseen by the seats that recorded it)"
            } else {
                ""
            };
            out.push_str(&format!(
                "- {}{recorded}: {}{more}\n",
                cell(&m.name),
                spans.join("; ")
            ));
        }
    }
    out.push_str("\np95 is the nearest rank over the window's samples.\n");

    out.push_str("\n## Alerts\n\n");
    if r.alerts.is_empty() {
        out.push_str("None.\n");
    }
    for a in &r.alerts {
        let end = a
            .ended
            .as_ref()
            .map_or("still open".to_string(), |e| format!("until {e}"));
        out.push_str(&format!(
            "- {} at or above {} from {} {end}, peak {}\n",
            cell(&a.metric),
            a.limit,
            a.started,
            a.peak
        ));
    }

    out.push_str(&format!(
        "\n## Check-ins: {} made, {} missed\n\n",
        r.check_ins.len(),
        r.check_ins_missed
    ));
    for c in &r.check_ins {
        let note = c.note.as_deref().map_or("all well".to_string(), cell);
        out.push_str(&format!("- {} by {}: {note}\n", c.at, cell(&c.by)));
    }

    out.push_str("\n## Timeline\n\n| # | When | Who | What |\n|--:|---|---|---|\n");
    for l in &r.timeline {
        let became = l
            .became
            .as_deref()
            .map_or(String::new(), |b| format!(" ({})", cell(b)));
        out.push_str(&format!(
            "| {} | {} | {} | {}{became} |\n",
            l.line,
            l.at,
            cell(&l.by),
            cell(&l.what)
        ));
    }
    out
}
