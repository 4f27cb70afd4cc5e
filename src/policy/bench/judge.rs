//! The bench verdict: every benchmark measured, those that could not be, the comparison with
//! the baseline, and findings at the severity the phase and context give them.

use super::{BenchCall, BenchComparison};
use crate::config::{Config, Context};
use crate::model::{BenchResult, NotMeasured};
use crate::policy::enforce::severity;
use crate::policy::{FindingKind, Severity, Status};

/// Where the baseline came from and what it was measured on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaselineInfo {
    /// A path, or `REF:path` for one read from git.
    pub source: String,
    pub commit: Option<String>,
    pub created: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BenchFindingKind {
    /// `cargo bench` failed for a target.
    BenchFailed,
    /// Clearly slower beyond a threshold.
    BenchRegression,
    /// Over a threshold by the point estimate only.
    BenchInconclusive,
    /// The baseline was measured under another contract.
    BenchNotComparable,
    /// A bench target that yielded no readable results.
    BenchNotMeasured,
}

impl BenchFindingKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BenchFindingKind::BenchFailed => "bench-failed",
            BenchFindingKind::BenchRegression => "bench-regression",
            BenchFindingKind::BenchInconclusive => "bench-inconclusive",
            BenchFindingKind::BenchNotComparable => "bench-not-comparable",
            BenchFindingKind::BenchNotMeasured => "bench-not-measured",
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
    pub status: Status,
}

/// What a bench run measured, for [`judge`].
pub struct BenchInputs {
    pub results: Vec<BenchResult>,
    pub not_measured: Vec<NotMeasured>,
    pub failed: Vec<NotMeasured>,
    pub comparison: Option<BenchComparison>,
    pub baseline: Option<BaselineInfo>,
}

/// Judges a bench run: a fail-level regression is an error where regressions are enforced
/// (strict phase and context), a warn-level one or an inconclusive one a warning at most.
pub fn judge(config: &Config, context: Context, inputs: BenchInputs) -> BenchVerdict {
    let ceiling = severity(
        FindingKind::Regression,
        config.phase,
        config.enforce.for_context(context),
    );
    let mut findings = findings(&inputs, ceiling, config.regression.fail);
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
        status,
    }
}

/// One finding per failed target, per regression or inconclusive change, per target not
/// measured, and one when the baseline's contract differs; `ceiling` is a fail-level
/// regression's severity, `fail` the fail threshold (a fraction).
fn findings(inputs: &BenchInputs, ceiling: Severity, fail: f64) -> Vec<BenchFinding> {
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
                BenchCall::Inconclusive if d.ratio.point > 1.0 + fail => {
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
