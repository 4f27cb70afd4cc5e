//! `--format openmetrics` for a test verdict: per-test durations and budgets, peaks when
//! measured, instruction counts when counted, per-tier counts, findings by kind and tier, the
//! suite's wall time; for a Pushgateway or node_exporter's textfile collector.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::Meta;
use super::exposition::{Exposition, Sample};
use crate::model::Metric;
use crate::policy::{Judged, TierSummary, Verdict};

pub fn render(verdict: &Verdict, meta: &Meta, w: &mut dyn Write) -> io::Result<()> {
    let mut e = Exposition::new(w);
    let per_test = |value: &dyn Fn(&Judged) -> Option<f64>| per_test(verdict, value);
    e.gauge(
        "cargo_budget_test_duration_seconds",
        "Wall time of the test's judged attempt.",
        &per_test(&|t| t.duration.map(|d| d.as_secs_f64())),
    )?;
    e.gauge(
        "cargo_budget_test_budget_seconds",
        "The test's time budget (its tier's, or its exception's).",
        &per_test(&|t| Some(t.placement.budget.as_secs_f64())),
    )?;
    e.gauge(
        "cargo_budget_test_peak_memory_bytes",
        "Peak resident memory of the test's judged attempt (when measured).",
        &per_test(&|t| t.extra.get(Metric::Memory).map(|a| a.as_f64())),
    )?;
    e.gauge(
        "cargo_budget_test_memory_budget_bytes",
        "The test's memory budget (when it has one).",
        &per_test(&|t| t.placement.budget_for(Metric::Memory).map(|a| a.as_f64())),
    )?;
    e.gauge(
        "cargo_budget_test_instructions",
        "Instructions the test executed, counted under Valgrind (when counted).",
        &per_test(&|t| t.extra.get(Metric::Instructions).map(|a| a.as_f64())),
    )?;
    e.gauge(
        "cargo_budget_test_instructions_budget",
        "The test's instruction budget (when it has one).",
        &per_test(&|t| {
            t.placement
                .budget_for(Metric::Instructions)
                .map(|a| a.as_f64())
        }),
    )?;
    tiers(&mut e, verdict)?;
    findings(&mut e, verdict)?;
    e.gauge(
        "cargo_budget_suite_wall_seconds",
        "Wall time of the whole run.",
        &verdict
            .wall
            .map(|d| (vec![], d.as_secs_f64()))
            .into_iter()
            .collect::<Vec<_>>(),
    )?;
    e.gauge(
        "cargo_budget_suite_budget_seconds",
        "The suite's time budget.",
        &[(vec![], verdict.suite_budget.as_secs_f64())],
    )?;
    e.gauge(
        "cargo_budget_exit_code",
        "The exit code of the run (0 within budget, 3 budget violations, 4 tests failed).",
        &[(
            vec![
                ("context", verdict.context.as_str()),
                ("phase", verdict.phase.as_str()),
            ],
            f64::from(meta.exit_code),
        )],
    )?;
    e.finish()
}

/// A sample per test that has a `value`.
fn per_test<'v>(verdict: &'v Verdict, value: &dyn Fn(&Judged) -> Option<f64>) -> Vec<Sample<'v>> {
    verdict
        .tests
        .iter()
        .filter_map(|t| {
            let labels = vec![
                ("binary_id", t.id.binary_id.as_str()),
                ("test", t.id.name.as_str()),
                ("tier", t.placement.tier.as_str()),
            ];
            Some((labels, value(t)?))
        })
        .collect()
}

/// A sample per tier that has a `value`.
fn per_tier<'v>(
    verdict: &'v Verdict,
    value: &dyn Fn(&TierSummary) -> Option<f64>,
) -> Vec<Sample<'v>> {
    verdict
        .tiers
        .iter()
        .filter_map(|t| Some((vec![("tier", t.tier.as_str())], value(t)?)))
        .collect()
}

fn tiers(e: &mut Exposition<'_>, verdict: &Verdict) -> io::Result<()> {
    let per_tier = |value: &dyn Fn(&TierSummary) -> Option<f64>| per_tier(verdict, value);
    e.gauge(
        "cargo_budget_tier_budget_seconds",
        "The tier's time budget per test.",
        &per_tier(&|t| Some(t.budget.as_secs_f64())),
    )?;
    e.gauge(
        "cargo_budget_tier_tests",
        "Tests of the tier that ran.",
        &per_tier(&|t| Some(t.tests as f64)),
    )?;
    e.gauge(
        "cargo_budget_tier_violations",
        "Tests of the tier over budget or timed out.",
        &per_tier(&|t| Some(t.violations as f64)),
    )?;
    e.gauge(
        "cargo_budget_tier_failed",
        "Tests of the tier that failed for a reason other than the budget.",
        &per_tier(&|t| Some(t.failed as f64)),
    )?;
    e.gauge(
        "cargo_budget_tier_slowest_seconds",
        "The slowest passing test of the tier.",
        &per_tier(&|t| t.slowest.as_ref().map(|(_, d, _)| d.as_secs_f64())),
    )?;
    e.gauge(
        "cargo_budget_tier_peak_memory_bytes",
        "The largest peak memory among the tier's tests (when measured).",
        &per_tier(&|t| t.peak.as_ref().map(|(_, b)| *b as f64)),
    )
}

/// Findings counted by kind, severity and tier (every kind and severity seen, zero counts
/// left out: a series appears when its first finding does).
fn findings(e: &mut Exposition<'_>, verdict: &Verdict) -> io::Result<()> {
    let mut counts: BTreeMap<(&str, &str, &str), usize> = BTreeMap::new();
    for f in &verdict.findings {
        let key = (
            f.kind().as_str(),
            f.severity.as_str(),
            f.tier.as_deref().unwrap_or(""),
        );
        *counts.entry(key).or_default() += 1;
    }
    let samples: Vec<Sample<'_>> = counts
        .iter()
        .map(|((kind, severity, tier), n)| {
            let mut labels = vec![("kind", *kind), ("severity", *severity)];
            if !tier.is_empty() {
                labels.push(("tier", *tier));
            }
            (labels, *n as f64)
        })
        .collect();
    e.gauge(
        "cargo_budget_findings",
        "Findings of the run by kind, severity and tier.",
        &samples,
    )
}
