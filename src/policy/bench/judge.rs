//! A bench run's verdict: every benchmark measured, those that could not be, the comparison
//! with the baseline, and findings at the severity the phase and context give them.

use std::collections::BTreeMap;
use std::path::PathBuf;

use super::{BaselineInfo, BenchCall, BenchComparison, CapabilityBudgets};
use crate::config::{Config, Context};
use crate::model::{BenchResult, NotCounted, NotMeasured, TestsPeak};
use crate::policy::enforce::severity;
use crate::policy::verdict::bench::{BenchEvidence, BenchSubject};
use crate::policy::{Finding, FindingKind, Payload, Severity, Status, Verdict};

/// What a bench run measured, for [`judge`].
pub struct BenchInputs {
    pub results: Vec<BenchResult>,
    pub not_measured: Vec<NotMeasured>,
    pub failed: Vec<NotMeasured>,
    /// Benchmarks (or targets) whose instructions were wanted but not counted.
    pub not_counted: Vec<NotCounted>,
    pub comparison: Option<BenchComparison>,
    pub baseline: Option<BaselineInfo>,
    /// Each capability with a memory budget: its tests' peak, or why it is not known.
    pub peaks: Vec<(String, TestsPeak)>,
    /// Where each benchmark is defined (file relative to the repository, line), when found.
    pub locations: BTreeMap<String, (PathBuf, usize)>,
}

/// Judges a bench run: a fail-level regression is an error where regressions are enforced
/// (strict phase and context), a warn-level one or an inconclusive one a warning at most.
pub fn judge(config: &Config, context: Context, inputs: BenchInputs) -> Verdict {
    let ceiling = severity(
        FindingKind::Regression,
        config.phase,
        config.enforce.for_context(context),
    );
    let mut findings = findings(&inputs, ceiling);
    let budget_ceiling = severity(
        FindingKind::OverBudget,
        config.phase,
        config.enforce.for_context(context),
    );
    findings.extend(capability_findings(config, &inputs.results, budget_ceiling));
    findings.extend(complexity_findings(config, &inputs.results, budget_ceiling));
    findings.extend(super::memory::findings(
        config,
        &inputs.peaks,
        budget_ceiling,
    ));
    findings.extend(count_findings(config, &inputs, ceiling, budget_ceiling));
    for f in &mut findings {
        let name = f.bench.as_ref().map_or("", |b| b.name());
        f.location = inputs.locations.get(name).cloned();
    }
    crate::policy::verdict::sort(&mut findings);
    let status = Status::of(&findings);
    let capabilities = capabilities(config, &inputs.peaks);
    Verdict {
        context,
        phase: config.phase,
        tests: Vec::new(),
        tiers: Vec::new(),
        findings,
        andon: Vec::new(),
        wall: None,
        suite_budget: config.suite_budget,
        status,
        comparison: None,
        benches: Some(BenchEvidence {
            results: inputs.results,
            not_measured: inputs.not_measured,
            failed: inputs.failed,
            not_counted: inputs.not_counted,
            comparison: inputs.comparison,
            baseline: inputs.baseline,
            capabilities,
            locations: inputs.locations,
        }),
    }
}

/// Every capability's budgets, with its tests' peak when it has a memory budget.
fn capabilities(config: &Config, peaks: &[(String, TestsPeak)]) -> Vec<CapabilityBudgets> {
    config
        .capabilities
        .iter()
        .map(|c| CapabilityBudgets {
            name: c.name.clone(),
            p95: c.p95,
            instructions: c.instructions,
            memory: c.memory,
            peak: peaks
                .iter()
                .find(|(name, _)| name == &c.name)
                .map(|(_, p)| p.clone()),
        })
        .collect()
}

/// Instruction counts: grown against the baseline (`ceiling`, a regression's), nondeterministic,
/// not counted, over a capability's instruction budget (`budget_ceiling`).
fn count_findings(
    config: &Config,
    inputs: &BenchInputs,
    ceiling: Severity,
    budget_ceiling: Severity,
) -> Vec<Finding> {
    let mut out = Vec::new();
    if let Some(c) = &inputs.comparison {
        let comparable = c.differences.is_empty();
        out.extend(super::counts::findings(&c.counts, comparable, ceiling));
    }
    out.extend(super::counts::not_counted(&inputs.not_counted, ceiling));
    out.extend(super::counts::budgets(
        &config.capabilities,
        &inputs.results,
        budget_ceiling,
    ));
    out
}

/// A benchmark (or series) as a finding's subject.
fn benchmark(id: &str, target: Option<&String>) -> BenchSubject {
    BenchSubject::Benchmark {
        id: id.to_string(),
        target: target.cloned(),
    }
}

/// Capability budgets: a benchmark clearly over its capability's p95 (`ceiling`: an
/// over-budget finding's severity), one over it by the point estimate only (a warning), a
/// capability that matched nothing (a warning: a renamed benchmark must not pass silently).
fn capability_findings(
    config: &Config,
    results: &[BenchResult],
    ceiling: Severity,
) -> Vec<Finding> {
    let warning = ceiling.min(Severity::Warning);
    let (over, unmatched) = super::capability::check(&config.capabilities, results);
    let mut out: Vec<Finding> = over
        .into_iter()
        .map(|c| {
            let severity = match c.clearly_over {
                true => ceiling,
                false => warning,
            };
            let payload = Payload::CapabilityOverBudget {
                capability: c.capability,
                p95: c.p95,
                budget: c.budget,
                clearly_over: c.clearly_over,
            };
            Finding::of_bench(
                severity,
                benchmark(&c.benchmark, c.target.as_ref()),
                payload,
            )
        })
        .collect();
    for u in unmatched {
        let payload = Payload::CapabilityUnmatched {
            line: u.capability.line,
            glob: u.glob.to_string(),
            across: u.across,
        };
        let subject = BenchSubject::Capability(u.capability.name.clone());
        out.push(Finding::of_bench(warning, subject, payload));
    }
    out
}

/// Complexity claims: a series that grows faster than claimed (`ceiling`), one the sizes
/// cannot check (a warning: never a silent pass).
fn complexity_findings(
    config: &Config,
    results: &[BenchResult],
    ceiling: Severity,
) -> Vec<Finding> {
    use super::complexity::{ComplexityCall, Unfit};
    let mut out = Vec::new();
    for (c, target, call) in super::capability::complexity(&config.capabilities, results) {
        let Some(claim) = c.complexity else { continue };
        let (severity, subject) = match &call {
            ComplexityCall::Within(fit) => {
                (Severity::Info, benchmark(&fit.series, target.as_ref()))
            }
            ComplexityCall::Exceeded(fit) => (ceiling, benchmark(&fit.series, target.as_ref())),
            // No sized benchmark at all: the claim is the capability's, not a series'.
            ComplexityCall::Unfit {
                why: Unfit::NoSizes,
                ..
            } => (
                ceiling.min(Severity::Warning),
                BenchSubject::Capability(c.name.clone()),
            ),
            ComplexityCall::Unfit { series, .. } => (
                ceiling.min(Severity::Warning),
                benchmark(series, target.as_ref()),
            ),
        };
        let payload = Payload::Complexity {
            capability: c.name.clone(),
            claim,
            call,
        };
        out.push(Finding::of_bench(severity, subject, payload));
    }
    out
}

/// One finding per failed target, per regression or inconclusive change, per target not
/// measured, and one when the baseline's contract differs; `ceiling` is a fail-level
/// regression's severity.
fn findings(inputs: &BenchInputs, ceiling: Severity) -> Vec<Finding> {
    let warning = ceiling.min(Severity::Warning);
    let mut out = Vec::new();
    for f in &inputs.failed {
        let payload = Payload::BenchFailed {
            reason: f.reason.clone(),
        };
        let subject = BenchSubject::Target(f.target.clone());
        out.push(Finding::of_bench(Severity::Error, subject, payload));
    }
    if let Some(c) = &inputs.comparison {
        if !c.differences.is_empty() {
            let payload = Payload::BenchNotComparable {
                differences: c.differences.clone(),
            };
            out.push(Finding::of_bench(warning, BenchSubject::Baseline, payload));
        }
        for (i, d) in c.deltas.iter().enumerate() {
            let severity = match d.call {
                BenchCall::Fail => ceiling,
                BenchCall::Warn => warning,
                // Over fail by the point estimate: worth a look. Over warn only, with an
                // interval that reaches below it: noise as often as not, so recorded, not raised.
                BenchCall::Inconclusive if d.ratio.point > 1.0 + d.thresholds.fail => warning,
                BenchCall::Inconclusive => warning.min(Severity::Info),
                BenchCall::Unchanged | BenchCall::Improved => continue,
            };
            let payload = Payload::BenchChange {
                delta: i,
                call: d.call,
            };
            out.push(Finding::of_bench(
                severity,
                benchmark(&d.id, d.target.as_ref()),
                payload,
            ));
        }
    }
    for u in unjudged(inputs) {
        let payload = Payload::BenchUnjudged { why: u.why };
        out.push(Finding::of_bench(
            Severity::Error,
            benchmark(&u.id, u.target.as_ref()),
            payload,
        ));
    }
    for n in &inputs.not_measured {
        let payload = Payload::BenchNotMeasured {
            reason: n.reason.clone(),
        };
        out.push(Finding::of_bench(
            warning,
            BenchSubject::Target(n.target.clone()),
            payload,
        ));
    }
    out
}

/// Every benchmark that cannot be judged: those the comparison could not compare, and those
/// measured with too few samples to judge at all (with no baseline, or new to it).
fn unjudged(inputs: &BenchInputs) -> Vec<super::Unjudged> {
    let mut out = inputs
        .comparison
        .as_ref()
        .map_or_else(Vec::new, |c| c.unjudged.clone());
    for r in &inputs.results {
        if out.iter().any(|u| u.id == r.id) {
            continue;
        }
        if super::too_few(r.samples.len()) {
            out.push(super::Unjudged {
                id: r.id.clone(),
                target: r.target.clone(),
                why: super::Unjudgeable::Few(r.samples.len()),
            });
        }
    }
    out
}
