//! The HTML page of a test verdict: the slowest tests against their budgets, each tier's
//! durations, the findings (regressions against the baseline apart), the tests whose
//! instructions were counted, the tier table.

use std::io::{self, Write};

use super::charts;
use super::page::Page;
use crate::policy::{FindingKind, Verdict};
use crate::report::Meta;

/// Tests shown in the slowest-tests chart.
const SLOWEST: usize = 25;

pub fn render(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    let tests: usize = verdict.tiers.iter().map(|t| t.tests).sum();
    let mut page = Page::new(
        "cargo-budget: test budgets",
        &format!(
            "{} in the {} context, {} phase — {} (exit code {}){}",
            crate::text::count(tests, "test"),
            verdict.context,
            verdict.phase.as_str(),
            crate::report::headline(verdict),
            meta.exit_code,
            verdict
                .wall
                .map(|d| format!(
                    "; suite {:.1} s of {}",
                    d.as_secs_f64(),
                    crate::report::budget(verdict.suite_budget)
                ))
                .unwrap_or_default()
        ),
    );
    charts_of(&mut page, verdict);
    findings(&mut page, verdict);
    instructions(&mut page, verdict);
    tiers(&mut page, verdict);
    page.write(w)
}

/// The slowest tests against their budgets, and each tier's durations.
fn charts_of(page: &mut Page, verdict: &Verdict) {
    let mut timed: Vec<(String, f64, f64)> = verdict
        .tests
        .iter()
        .filter_map(|t| {
            let ms = t.duration?.as_secs_f64() * 1000.0;
            Some((
                t.id.to_string(),
                ms,
                t.placement.budget.as_secs_f64() * 1000.0,
            ))
        })
        .collect();
    timed.sort_by(|a, b| (b.1 / b.2).total_cmp(&(a.1 / a.2)).then(a.0.cmp(&b.0)));
    timed.truncate(SLOWEST);
    page.heading("Slowest tests against their budgets");
    page.chart(
        "Each bar is a test's time as a share of its budget; the dashed line is the budget. \
         The tests closest to or over their budgets first.",
        charts::bars_against_budgets("Slowest tests against their budgets", &timed),
    );
    page.heading("Durations per tier");
    let groups: Vec<(String, Vec<f64>, f64)> = verdict
        .tiers
        .iter()
        .map(|tier| {
            let ms: Vec<f64> = verdict
                .tests
                .iter()
                .filter(|t| t.placement.tier == tier.tier)
                .filter_map(|t| Some(t.duration?.as_secs_f64() * 1000.0))
                .collect();
            (tier.tier.clone(), ms, tier.budget.as_secs_f64() * 1000.0)
        })
        .collect();
    page.chart(
        "One point per test; the dashed mark is the tier's budget.",
        charts::distributions("Test durations by tier", &groups),
    );
}

/// The regressions against the baseline apart, then the other findings.
fn findings(page: &mut Page, verdict: &Verdict) {
    let rows = |regressions: bool| -> Vec<Vec<String>> {
        verdict
            .findings
            .iter()
            .filter(|f| (f.kind() == FindingKind::Regression) == regressions)
            .map(|f| {
                vec![
                    f.severity.as_str().to_string(),
                    f.kind().as_str().to_string(),
                    f.test.as_ref().map(|t| t.to_string()).unwrap_or_default(),
                    crate::report::sentence(f, verdict.comparison.as_ref()),
                ]
            })
            .collect()
    };
    let header = ["severity", "kind", "test", "what"];
    let regressions = rows(true);
    if !regressions.is_empty() {
        page.heading("Regressions against the baseline");
        page.table(&header, &[], &regressions);
    }
    page.heading("Findings");
    let others = rows(false);
    if others.is_empty() {
        page.paragraph("None: every test within its budget.");
    }
    page.table(&header, &[], &others);
}

/// The tests whose instructions were counted, when any was.
fn instructions(page: &mut Page, verdict: &Verdict) {
    use crate::model::grouped;
    let rows: Vec<Vec<String>> = crate::report::counted::rows(verdict)
        .into_iter()
        .map(|r| {
            vec![
                r.test.to_string(),
                r.tier.to_string(),
                grouped(r.count),
                r.budget.map(grouped).unwrap_or_default(),
                r.baseline.unwrap_or_default(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return;
    }
    page.heading("Instructions counted under Valgrind");
    page.table(
        &["test", "tier", "instructions", "budget", "baseline"],
        &[false, false, true, true, true],
        &rows,
    );
}

fn tiers(page: &mut Page, verdict: &Verdict) {
    page.heading("Tiers");
    let rows: Vec<Vec<String>> = verdict
        .tiers
        .iter()
        .map(|t| {
            vec![
                t.tier.clone(),
                crate::report::budget(t.budget),
                t.tests.to_string(),
                t.within.to_string(),
                t.violations.to_string(),
                t.failed.to_string(),
                crate::report::rate(t),
                t.slowest
                    .as_ref()
                    .map(|(id, d, _)| format!("{id} ({})", crate::report::secs(*d)))
                    .unwrap_or_default(),
            ]
        })
        .collect();
    page.table(
        &[
            "tier",
            "budget",
            "tests",
            "within",
            "violations",
            "failed",
            "rate",
            "slowest",
        ],
        &[false, true, true, true, true, true, true, false],
        &rows,
    );
}
