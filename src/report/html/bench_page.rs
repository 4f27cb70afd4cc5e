//! The HTML page of a bench verdict: each benchmark's mean with its interval, the changes
//! against the baseline, the findings.

use std::io::{self, Write};

use super::charts;
use super::page::Page;
use crate::policy::Verdict;
use crate::policy::bench::BenchEvidence;
use crate::report::sentence::bench::{detail, subject};

pub fn render(
    verdict: &Verdict,
    benches: &BenchEvidence,
    exit_code: i32,
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut page = Page::new(
        "cargo-budget: benchmarks",
        &format!(
            "{} measured in the {} context (exit code {exit_code}){}",
            crate::text::count(benches.results.len(), "benchmark"),
            verdict.context.as_str(),
            benches
                .baseline
                .as_ref()
                .map(|b| format!(
                    "; baseline {}{}",
                    b.source,
                    b.commit
                        .as_deref()
                        .map(|c| format!(" at {}", &c[..c.len().min(10)]))
                        .unwrap_or_default()
                ))
                .unwrap_or_default()
        ),
    );
    let items: Vec<(String, f64, f64, f64)> = benches
        .results
        .iter()
        .map(|r| {
            let m = r.estimates.mean;
            (r.id.clone(), m.point, m.lower, m.upper)
        })
        .collect();
    page.heading("Benchmarks");
    page.chart(
        "The dot is criterion's mean per iteration, the line its 95% interval.",
        charts::intervals("Mean time per iteration", &items),
    );
    comparison(&mut page, benches);
    instructions(&mut page, benches);
    page.heading("Findings");
    let rows: Vec<Vec<String>> = verdict
        .findings
        .iter()
        .map(|f| {
            vec![
                f.severity.as_str().to_string(),
                f.kind().as_str().to_string(),
                subject(f).to_string(),
                detail(f),
            ]
        })
        .collect();
    if rows.is_empty() {
        page.paragraph("None.");
    }
    page.table(&["severity", "kind", "subject", "what"], &[], &rows);
    page.write(w)
}

fn pct(ratio: f64) -> String {
    format!("{:+.1}%", (ratio - 1.0) * 100.0)
}

/// The instruction counts, when benchmarks were counted.
fn instructions(page: &mut Page, benches: &BenchEvidence) {
    use crate::report::bench_counts as counts;
    let rows: Vec<Vec<String>> = counts::rows(benches)
        .into_iter()
        .map(|r| r.to_vec())
        .collect();
    if rows.is_empty() {
        return;
    }
    page.heading("Instructions");
    page.paragraph(&format!("{}.", counts::TITLE));
    page.table(&counts::HEADER, &[false, true, true, true, false], &rows);
}

/// The changes against the baseline, when there is one.
fn comparison(page: &mut Page, benches: &BenchEvidence) {
    let Some(c) = &benches.comparison else {
        return;
    };
    {
        page.heading("Against the baseline");
        let rows: Vec<Vec<String>> = c
            .deltas
            .iter()
            .map(|d| {
                vec![
                    d.id.clone(),
                    crate::text::time_ns(d.before.point),
                    crate::text::time_ns(d.after.point),
                    format!(
                        "{} [{}, {}]",
                        pct(d.ratio.point),
                        pct(d.ratio.lower),
                        pct(d.ratio.upper)
                    ),
                    d.call.as_str().to_string(),
                ]
            })
            .collect();
        page.table(
            &[
                "benchmark",
                "baseline",
                "current",
                "change (95% CI)",
                "verdict",
            ],
            &[false, true, true, true, false],
            &rows,
        );
    }
}
