//! The bench verdict: every benchmark measured, those that could not be, the comparison with
//! the baseline, and findings at the severity the phase and context give them.

use super::{BaselineInfo, BenchCall, BenchComparison, CapabilityBudgets};
use crate::config::{Config, Context};
use crate::model::{BenchResult, NotMeasured, TestsPeak};
use crate::policy::enforce::severity;
use crate::policy::{FindingKind, Severity, Status};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BenchFindingKind {
    /// `cargo bench` failed for a target.
    BenchFailed,
    /// A benchmark with too few usable samples to judge (now or in the baseline): it fails,
    /// never passes by leaving the comparison.
    BenchUnjudged,
    /// Clearly slower beyond a threshold.
    BenchRegression,
    /// Over a threshold by the point estimate only.
    BenchInconclusive,
    /// The baseline was measured under another contract.
    BenchNotComparable,
    /// A bench target that yielded no readable results.
    BenchNotMeasured,
    /// A capability's benchmark whose p95 is clearly over its budget.
    CapabilityOverBudget,
    /// Over a capability's p95 budget by the point estimate only.
    CapabilityInconclusive,
    /// A capability whose bench globs matched no benchmark measured.
    CapabilityUnmatched,
    /// A parametrized group grows faster than its capability claims.
    ComplexityExceeded,
    /// A complexity claim that the sizes measured cannot check.
    ComplexityUnfit,
    /// A parametrized group that keeps its claim (info: the fitted exponent, shown).
    ComplexityWithin,
    /// A capability's tests peaked above its memory budget.
    CapabilityOverMemory,
    /// A capability with a memory budget whose tests' peak is not known (with the reason).
    CapabilityMemoryNotMeasured,
    /// A capability's tests within its memory budget (info: the peak, shown).
    CapabilityMemoryWithin,
}

impl BenchFindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BenchFindingKind::BenchFailed => "bench-failed",
            BenchFindingKind::BenchUnjudged => "bench-unjudged",
            BenchFindingKind::BenchRegression => "bench-regression",
            BenchFindingKind::BenchInconclusive => "bench-inconclusive",
            BenchFindingKind::BenchNotComparable => "bench-not-comparable",
            BenchFindingKind::BenchNotMeasured => "bench-not-measured",
            BenchFindingKind::CapabilityOverBudget => "capability-over-budget",
            BenchFindingKind::CapabilityInconclusive => "capability-inconclusive",
            BenchFindingKind::CapabilityUnmatched => "capability-unmatched",
            BenchFindingKind::ComplexityExceeded => "complexity-exceeded",
            BenchFindingKind::ComplexityUnfit => "complexity-unfit",
            BenchFindingKind::ComplexityWithin => "complexity-within",
            BenchFindingKind::CapabilityOverMemory => "capability-over-memory",
            BenchFindingKind::CapabilityMemoryNotMeasured => "capability-memory-not-measured",
            BenchFindingKind::CapabilityMemoryWithin => "capability-memory-within",
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct BenchFinding {
    pub severity: Severity,
    pub kind: BenchFindingKind,
    /// The benchmark (full id) or the bench target it is about.
    pub subject: String,
    /// The bench target, for locating its source.
    pub target: Option<String>,
    /// Index into the comparison's deltas, for regression and inconclusive findings.
    pub delta: Option<usize>,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct BenchVerdict {
    pub context: Context,
    pub results: Vec<BenchResult>,
    pub not_measured: Vec<NotMeasured>,
    pub failed: Vec<NotMeasured>,
    pub comparison: Option<BenchComparison>,
    pub baseline: Option<BaselineInfo>,
    pub findings: Vec<BenchFinding>,
    /// Every capability's budgets and its tests' peak (for metrics out).
    pub capabilities: Vec<CapabilityBudgets>,
    pub status: Status,
}

/// What a bench run measured, for [`judge`].
pub struct BenchInputs {
    pub results: Vec<BenchResult>,
    pub not_measured: Vec<NotMeasured>,
    pub failed: Vec<NotMeasured>,
    pub comparison: Option<BenchComparison>,
    pub baseline: Option<BaselineInfo>,
    /// Each capability with a memory budget: its tests' peak, or why it is not known.
    pub peaks: Vec<(String, TestsPeak)>,
}

/// Judges a bench run: a fail-level regression is an error where regressions are enforced
/// (strict phase and context), a warn-level one or an inconclusive one a warning at most.
pub fn judge(config: &Config, context: Context, inputs: BenchInputs) -> BenchVerdict {
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
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind.cmp(&b.kind))
            .then(a.subject.cmp(&b.subject))
    });
    let status = if !inputs.failed.is_empty() {
        Status::TestsFailed
    } else if findings.iter().any(|f| f.severity == Severity::Error) {
        Status::Violations
    } else {
        Status::Pass
    };
    BenchVerdict {
        context,
        results: inputs.results,
        not_measured: inputs.not_measured,
        failed: inputs.failed,
        comparison: inputs.comparison,
        baseline: inputs.baseline,
        findings,
        capabilities: config
            .capabilities
            .iter()
            .map(|c| CapabilityBudgets {
                name: c.name.clone(),
                p95: c.p95,
                memory: c.memory,
                peak: inputs
                    .peaks
                    .iter()
                    .find(|(name, _)| name == &c.name)
                    .map(|(_, p)| p.clone()),
            })
            .collect(),
        status,
    }
}

/// Capability budgets: a benchmark clearly over its capability's p95 (`ceiling`: an
/// over-budget finding's severity), one over it by the point estimate only (a warning), a
/// capability that matched nothing (a warning: a renamed benchmark must not pass silently).
fn capability_findings(
    config: &Config,
    results: &[BenchResult],
    ceiling: Severity,
) -> Vec<BenchFinding> {
    let warning = ceiling.min(Severity::Warning);
    let (over, unmatched) = super::capability::check(&config.capabilities, results);
    let mut out: Vec<BenchFinding> = over
        .into_iter()
        .map(|c| {
            let time = crate::text::time_ns;
            let (severity, kind) = match c.clearly_over {
                true => (ceiling, BenchFindingKind::CapabilityOverBudget),
                false => (warning, BenchFindingKind::CapabilityInconclusive),
            };
            let budget_ns = c.budget.as_secs_f64() * 1e9;
            BenchFinding {
                severity,
                kind,
                subject: c.benchmark,
                target: c.target,
                delta: None,
                detail: format!(
                    "capability `{}`: p95 {} [{}, {}] per iteration, over its p95 budget of {} \
                     by {:.1}%{}",
                    c.capability,
                    time(c.p95.point),
                    time(c.p95.lower),
                    time(c.p95.upper),
                    time(budget_ns),
                    (c.p95.point / budget_ns - 1.0) * 100.0,
                    match c.clearly_over {
                        true => "",
                        false => " by its point estimate; the interval includes the budget",
                    }
                ),
            }
        })
        .collect();
    for u in unmatched {
        let c = u.capability;
        let hint = match &u.across {
            Some(id) => format!(
                "; `*` stays within one `/` segment, and a parametrized benchmark's id is \
                 group/function/value: with `**` it would match `{id}`"
            ),
            None => String::new(),
        };
        out.push(BenchFinding {
            severity: warning,
            kind: BenchFindingKind::CapabilityUnmatched,
            subject: c.name.clone(),
            target: None,
            delta: None,
            detail: format!(
                "capability `{}` (budget.toml:{}): its glob `{}` matches no benchmark \
                 measured{hint}",
                c.name, c.line, u.glob
            ),
        });
    }
    out
}

/// Complexity claims: a series that grows faster than claimed (`ceiling`), one the sizes
/// cannot check (a warning: never a silent pass).
fn complexity_findings(
    config: &Config,
    results: &[BenchResult],
    ceiling: Severity,
) -> Vec<BenchFinding> {
    use super::complexity::Verdict;
    let mut out = Vec::new();
    for (c, target, verdict) in super::capability::complexity(&config.capabilities, results) {
        let (capability, claim) = (&c.name, c.complexity.map_or("", |k| k.as_str()));
        let fitted = |fit: &super::complexity::Fit| {
            format!(
                "time grows as n^{:.2} [{:.2}, {:.2}] over sizes {} (best fit {})",
                fit.exponent.point,
                fit.exponent.lower,
                fit.exponent.upper,
                fit.sizes
                    .iter()
                    .map(|n| format!("{n}"))
                    .collect::<Vec<_>>()
                    .join(", "),
                fit.best.as_str()
            )
        };
        let (severity, kind, subject, detail) = match verdict {
            Verdict::Within(fit) => (
                Severity::Info,
                BenchFindingKind::ComplexityWithin,
                fit.series.clone(),
                format!("capability `{capability}` claims {claim}: {}", fitted(&fit)),
            ),
            Verdict::Exceeded(fit) => (
                ceiling,
                BenchFindingKind::ComplexityExceeded,
                fit.series.clone(),
                format!(
                    "capability `{capability}` claims {claim}, but {}",
                    fitted(&fit)
                ),
            ),
            Verdict::Unfit { series, reason } => (
                ceiling.min(Severity::Warning),
                BenchFindingKind::ComplexityUnfit,
                series,
                format!(
                    "capability `{capability}` claims {claim}, which cannot be checked: {reason}"
                ),
            ),
        };
        out.push(BenchFinding {
            severity,
            kind,
            subject,
            target,
            delta: None,
            detail,
        });
    }
    out
}

/// One finding per failed target, per regression or inconclusive change, per target not
/// measured, and one when the baseline's contract differs; `ceiling` is a fail-level
/// regression's severity.
fn findings(inputs: &BenchInputs, ceiling: Severity) -> Vec<BenchFinding> {
    let warning = ceiling.min(Severity::Warning);
    let mut out = Vec::new();
    let mut add = |severity, kind, subject: &str, target: Option<&String>, delta, detail| {
        out.push(BenchFinding {
            severity,
            kind,
            subject: subject.to_string(),
            target: target.cloned(),
            delta,
            detail,
        })
    };
    for f in &inputs.failed {
        let kind = BenchFindingKind::BenchFailed;
        add(
            Severity::Error,
            kind,
            &f.target,
            Some(&f.target),
            None,
            f.reason.clone(),
        );
    }
    if let Some(c) = &inputs.comparison {
        if !c.differences.is_empty() {
            let detail = format!(
                "the baseline was measured under another contract: {}; changes are shown, \
                 nothing fails",
                c.differences.join(", ")
            );
            let kind = BenchFindingKind::BenchNotComparable;
            add(warning, kind, "baseline", None, None, detail);
        }
        for (i, d) in c.deltas.iter().enumerate() {
            let (severity, kind) = match d.call {
                BenchCall::Fail => (ceiling, BenchFindingKind::BenchRegression),
                BenchCall::Warn => (warning, BenchFindingKind::BenchRegression),
                // Over fail by the point estimate: worth a look. Over warn only, with an
                // interval that reaches below it: noise as often as not, so recorded, not raised.
                BenchCall::Inconclusive if d.ratio.point > 1.0 + d.thresholds.fail => {
                    (warning, BenchFindingKind::BenchInconclusive)
                }
                BenchCall::Inconclusive => (
                    warning.min(Severity::Info),
                    BenchFindingKind::BenchInconclusive,
                ),
                BenchCall::Unchanged | BenchCall::Improved => continue,
            };
            let detail = d.call.as_str().to_string();
            add(severity, kind, &d.id, d.target.as_ref(), Some(i), detail);
        }
    }
    for u in unjudged(inputs) {
        let kind = BenchFindingKind::BenchUnjudged;
        add(
            Severity::Error,
            kind,
            &u.id,
            u.target.as_ref(),
            None,
            u.reason,
        );
    }
    for n in &inputs.not_measured {
        let kind = BenchFindingKind::BenchNotMeasured;
        add(
            warning,
            kind,
            &n.target,
            Some(&n.target),
            None,
            n.reason.clone(),
        );
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
        if let Some(why) = super::too_few(r.samples.len()) {
            out.push(super::Unjudged {
                id: r.id.clone(),
                target: r.target.clone(),
                reason: format!("measured with {why}"),
            });
        }
    }
    out
}
