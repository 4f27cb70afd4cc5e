//! `--format openmetrics` for a bench verdict: each benchmark's mean (with its interval) and
//! per-iteration p95, its change against the baseline, each capability's budgets and its tests'
//! peak, findings by kind.

use std::collections::BTreeMap;
use std::io::{self, Write};

use crate::model::TestsPeak;
use crate::policy::Verdict;
use crate::policy::bench::{BenchEvidence, capability::p95};
use crate::report::Meta;
use crate::report::exposition::{Exposition, Sample};

const NS: f64 = 1e-9;

pub fn render(
    verdict: &Verdict,
    benches: &BenchEvidence,
    meta: &Meta,
    w: &mut dyn Write,
) -> io::Result<()> {
    let mut e = Exposition::new(w);
    let per_bench = |value: &dyn Fn(&crate::model::BenchResult) -> Option<f64>| -> Vec<Sample<'_>> {
        benches
            .results
            .iter()
            .filter_map(|r| Some((vec![("benchmark", r.id.as_str())], value(r)?)))
            .collect()
    };
    e.gauge(
        "cargo_budget_bench_mean_seconds",
        "Mean time per iteration (criterion's estimate).",
        &per_bench(&|r| Some(r.estimates.mean.point * NS)),
    )?;
    e.gauge(
        "cargo_budget_bench_mean_lower_seconds",
        "Lower end of the mean's 95% interval.",
        &per_bench(&|r| Some(r.estimates.mean.lower * NS)),
    )?;
    e.gauge(
        "cargo_budget_bench_mean_upper_seconds",
        "Upper end of the mean's 95% interval.",
        &per_bench(&|r| Some(r.estimates.mean.upper * NS)),
    )?;
    e.gauge(
        "cargo_budget_bench_p95_seconds",
        "95th percentile of the per-iteration times of the samples.",
        &per_bench(&|r| p95(&r.samples).map(|p| p.point * NS)),
    )?;
    instructions(&mut e, benches)?;
    let deltas: Vec<&crate::policy::bench::BenchDelta> =
        benches.comparison.iter().flat_map(|c| &c.deltas).collect();
    let per_delta = |value: &dyn Fn(&crate::policy::bench::BenchDelta) -> f64| -> Vec<Sample<'_>> {
        deltas
            .iter()
            .map(|d| (vec![("benchmark", d.id.as_str())], value(d)))
            .collect()
    };
    e.gauge(
        "cargo_budget_bench_change_ratio",
        "Time now over the baseline's (machine factor applied).",
        &per_delta(&|d| d.ratio.point),
    )?;
    e.gauge(
        "cargo_budget_bench_change_lower_ratio",
        "Lower end of the change's 95% interval.",
        &per_delta(&|d| d.ratio.lower),
    )?;
    e.gauge(
        "cargo_budget_bench_change_upper_ratio",
        "Upper end of the change's 95% interval.",
        &per_delta(&|d| d.ratio.upper),
    )?;
    capabilities(&mut e, benches)?;
    findings(&mut e, verdict)?;
    e.gauge(
        "cargo_budget_exit_code",
        "The exit code of the run (0 within budget, 3 budget violations, 4 benchmarks failed).",
        &[(
            vec![("context", verdict.context.as_str())],
            f64::from(meta.exit_code),
        )],
    )?;
    e.finish()
}

/// Each counted benchmark's instructions, and their change against the baseline's exact count.
fn instructions(e: &mut Exposition<'_>, benches: &BenchEvidence) -> io::Result<()> {
    let per_bench: Vec<Sample<'_>> = benches
        .results
        .iter()
        .filter_map(|r| {
            let highest = r.instructions.iter().max()?;
            Some((vec![("benchmark", r.id.as_str())], *highest as f64))
        })
        .collect();
    e.gauge(
        "cargo_budget_bench_instructions",
        "Instructions per run of the benchmark's routine, counted under Valgrind (the highest of its runs).",
        &per_bench,
    )?;
    let counts: Vec<Sample<'_>> = benches
        .comparison
        .iter()
        .flat_map(|c| &c.counts)
        .filter_map(|d| Some((vec![("benchmark", d.id.as_str())], 1.0 + d.change()?)))
        .collect();
    e.gauge(
        "cargo_budget_bench_instructions_change_ratio",
        "Instructions now over the baseline's (exact counts only).",
        &counts,
    )
}

fn capabilities(e: &mut Exposition<'_>, benches: &BenchEvidence) -> io::Result<()> {
    let per = |value: &dyn Fn(&crate::policy::bench::CapabilityBudgets) -> Option<f64>| -> Vec<Sample<'_>> {
        benches
            .capabilities
            .iter()
            .filter_map(|c| Some((vec![("capability", c.name.as_str())], value(c)?)))
            .collect()
    };
    e.gauge(
        "cargo_budget_capability_p95_budget_seconds",
        "The capability's per-iteration p95 budget.",
        &per(&|c| c.p95.map(|d| d.as_secs_f64())),
    )?;
    e.gauge(
        "cargo_budget_capability_instructions_budget",
        "The capability's instruction budget per run of each benchmark's routine.",
        &per(&|c| c.instructions.map(|n| n as f64)),
    )?;
    e.gauge(
        "cargo_budget_capability_memory_budget_bytes",
        "The capability's memory budget (the peak of its tests).",
        &per(&|c| c.memory.map(|b| b as f64)),
    )?;
    e.gauge(
        "cargo_budget_capability_peak_memory_bytes",
        "The highest peak RSS among the capability's tests (when measured).",
        &per(&|c| match &c.peak {
            Some(TestsPeak::Measured { bytes, .. }) => Some(*bytes as f64),
            _ => None,
        }),
    )
}

fn findings(e: &mut Exposition<'_>, verdict: &Verdict) -> io::Result<()> {
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for f in &verdict.findings {
        *counts
            .entry((f.kind().as_str(), f.severity.as_str()))
            .or_default() += 1;
    }
    let samples: Vec<Sample<'_>> = counts
        .iter()
        .map(|((kind, severity), n)| (vec![("kind", *kind), ("severity", *severity)], *n as f64))
        .collect();
    e.gauge(
        "cargo_budget_bench_findings",
        "Findings of the bench run by kind and severity.",
        &samples,
    )
}
