//! The HTML page of the trends: a chart of each test with a finding (or the one asked for),
//! its runs against its budget and its fitted trend, and the findings.

use std::io::{self, Write};

use super::charts;
use super::page::Page;
use crate::report::trend::TrendReport;

/// Tests charted, at most.
const CHARTS: usize = 30;

pub fn render(r: &TrendReport<'_>, w: &mut dyn Write) -> io::Result<()> {
    let mut page = Page::new(
        "cargo-budget: trends",
        &format!(
            "{} over {}, the last {} runs of each; {}",
            crate::text::count(r.trends.len(), "test"),
            crate::text::count(r.commits, "recorded commit"),
            r.window,
            crate::text::count(r.findings.len(), "finding")
        ),
    );
    page.heading("Findings");
    let rows: Vec<Vec<String>> = r
        .findings
        .iter()
        .map(|f| {
            vec![
                f.kind().as_str().to_string(),
                f.test.to_string(),
                f.tier.clone(),
                crate::report::trend::sentence(f),
            ]
        })
        .collect();
    if rows.is_empty() {
        page.paragraph("No drift, timing flakiness or tests near their budget.");
    }
    page.table(&["kind", "test", "tier", "what", "what to do"], &[], &rows);
    page.heading("Runs over time");
    for t in r
        .trends
        .iter()
        .filter(|t| r.focus || r.findings.iter().any(|f| f.test == t.test))
        .take(CHARTS)
    {
        let runs: Vec<f64> = t.points.iter().map(|p| p.ms).collect();
        let fitted = t.slope.map(|slope| {
            let first = t.points[0].commit as f64;
            let last = t.points[t.points.len() - 1].commit as f64;
            let xs: Vec<f64> = t
                .points
                .iter()
                .map(|p| p.ms - slope * p.commit as f64)
                .collect();
            let intercept = crate::policy::trend::stats::median(&xs);
            (intercept + slope * first, intercept + slope * last)
        });
        page.chart(
            &format!(
                "{} ({}): runs, budget, baseline (when recorded) and fitted trend",
                t.test, t.tier
            ),
            charts::trend(
                &t.test.to_string(),
                &runs,
                (t.budget_ms, r.baselines.get(&t.test).copied()),
                fitted,
            ),
        );
    }
    page.write(w)
}
