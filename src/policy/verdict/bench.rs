//! The bench part of a verdict: each benchmark against its baseline (the call, the interval,
//! the thresholds), what could not be judged, where the baseline came from, each
//! capability's budgets, and what bench findings are about. Data only: `policy::bench`
//! computes it.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::config::CountThresholds;
use crate::model::{BenchResult, Complexity, Estimate, NotCounted, NotMeasured, TestsPeak};
use crate::policy::compare::count::Counted;

/// The bench part of a verdict: what a bench run measured and how it compares.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BenchEvidence {
    pub results: Vec<BenchResult>,
    /// Bench targets that yielded no readable results.
    pub not_measured: Vec<NotMeasured>,
    /// Bench targets whose `cargo bench` failed.
    pub failed: Vec<NotMeasured>,
    /// Benchmarks (or targets) whose instructions were wanted but not counted.
    pub not_counted: Vec<NotCounted>,
    pub comparison: Option<BenchComparison>,
    pub baseline: Option<BaselineInfo>,
    /// Every capability's budgets and its tests' peak (for metrics out).
    pub capabilities: Vec<CapabilityBudgets>,
    /// Where each benchmark is defined (file relative to the repository, line), when found.
    pub locations: BTreeMap<String, (PathBuf, usize)>,
}

/// The verdict on one benchmark's change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum BenchCall {
    /// Clearly slower beyond the fail threshold.
    Fail,
    /// Clearly slower beyond the warn threshold.
    Warn,
    /// Over a threshold by its point estimate, but the interval includes the threshold.
    Inconclusive,
    Unchanged,
    /// Clearly faster beyond the warn threshold: shown, never flagged.
    Improved,
}

impl BenchCall {
    pub fn as_str(self) -> &'static str {
        match self {
            BenchCall::Fail => "fail",
            BenchCall::Warn => "warn",
            BenchCall::Inconclusive => "inconclusive",
            BenchCall::Unchanged => "unchanged",
            BenchCall::Improved => "improved",
        }
    }
}

/// Thresholds as fractions (0.10 for +10 %).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BenchThresholds {
    pub warn: f64,
    pub fail: f64,
}

/// One benchmark compared with its baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct BenchDelta {
    pub id: String,
    pub target: Option<String>,
    /// Mean ns per iteration, with criterion's interval.
    pub before: Estimate,
    pub after: Estimate,
    /// now ÷ before (geometric means of the samples, divided by the machine factor), with its
    /// 95 % interval.
    pub ratio: Estimate,
    pub call: BenchCall,
    /// The thresholds it was called by (a capability's own, or `[regression]`).
    pub thresholds: BenchThresholds,
    pub samples: (usize, usize),
}

/// Every benchmark of a run against the baseline.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct BenchComparison {
    /// Sorted: calls in order (fail first), then id.
    pub deltas: Vec<BenchDelta>,
    pub new: Vec<String>,
    /// In the baseline, not measured now.
    pub missing: Vec<String>,
    /// The machine factor applied (`None`: too few benchmarks).
    pub factor: Option<f64>,
    /// Contract fields that differ: the results are then not comparable, and nothing fails.
    pub differences: Vec<String>,
    /// How far benchmarks moved between the baseline's runs (recorded with `--runs N`), which
    /// widened every interval; `None` for a baseline of one run.
    pub spread: Option<RunSpread>,
    /// In the baseline and measured now, but with no change to judge (too few samples on a
    /// side): each a finding that fails, never left out.
    pub unjudged: Vec<Unjudged>,
    /// Each counted benchmark's instructions against the baseline's count. Sorted: calls in
    /// order (fail first), then id.
    pub counts: Vec<CountDelta>,
}

/// One benchmark's instruction count against its baseline count.
#[derive(Clone, Debug, PartialEq)]
pub struct CountDelta {
    pub id: String,
    pub target: Option<String>,
    /// The baseline's counts (`None`: it has none for this benchmark).
    pub before: Option<Counted>,
    pub after: Counted,
    pub call: CountCall,
    pub thresholds: CountThresholds,
}

impl CountDelta {
    /// (after − before) / before, for two exact counts.
    pub fn change(&self) -> Option<f64> {
        match (self.before, self.after) {
            (Some(Counted::Exact(b)), Counted::Exact(a)) if b > 0 => {
                Some((a as f64 - b as f64) / b as f64)
            }
            _ => None,
        }
    }
}

/// The verdict on one benchmark's instruction count.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum CountCall {
    /// Grew by at least the fail threshold.
    Fail,
    /// Grew by at least the warn threshold.
    Warn,
    /// Its runs counted differently (now or in the baseline): judged by time alone.
    Nondeterministic,
    /// Within the thresholds.
    Unchanged,
    /// Fell by at least the warn threshold: shown, never flagged.
    Improved,
    /// The baseline has no count of it.
    New,
}

impl CountCall {
    pub fn as_str(self) -> &'static str {
        match self {
            CountCall::Fail => "fail",
            CountCall::Warn => "warn",
            CountCall::Nondeterministic => "nondeterministic",
            CountCall::Unchanged => "unchanged",
            CountCall::Improved => "improved",
            CountCall::New => "new",
        }
    }
}

/// A benchmark whose change could not be judged, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct Unjudged {
    pub id: String,
    pub target: Option<String>,
    pub why: Unjudgeable,
}

/// Why a benchmark's change cannot be judged: too few usable samples (fewer than
/// `policy::bench::MIN_SAMPLES`) on a side, or times too far apart to divide.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unjudgeable {
    /// Measured now with this many usable samples.
    FewNow(usize),
    /// Recorded in the baseline with this many usable samples.
    FewInBaseline(usize),
    /// Measured with this many usable samples, with no baseline to compare with (or new to it).
    Few(usize),
    /// now ÷ before is not a positive, finite number.
    NotFinite,
}

/// How far benchmarks move between runs: the pooled variance of each benchmark's log run
/// means around its own mean, after each run's machine factor (the median over benchmarks,
/// with at least `min_for_factor` of them) is divided out; with its degrees of freedom.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunSpread {
    pub variance: f64,
    pub df: f64,
}

/// Where the baseline came from and what it was measured on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BaselineInfo {
    /// A path, or `REF:path` for one read from git.
    pub source: String,
    pub commit: Option<String>,
    pub created: String,
}

/// What a finding about instruction counts found.
#[derive(Clone, Debug, PartialEq)]
pub enum CountFinding {
    /// The count grew beyond a threshold: `count` indexes the comparison's `counts`.
    Grew {
        count: usize,
        growth: crate::policy::compare::count::CountGrowth,
        /// The threshold it reached (fail's, else warn's), as a fraction.
        threshold: f64,
    },
    /// Its runs counted differently (`in_baseline`: the baseline's runs): not judged by count.
    Nondeterministic {
        low: u64,
        high: u64,
        in_baseline: bool,
    },
    /// Wanted but not counted, for `reason` (the adapter's words).
    NotCounted { reason: String },
    /// A capability's benchmark over its instruction budget (by the highest count of its runs).
    OverBudget {
        capability: String,
        instructions: u64,
        budget: u64,
    },
    /// A capability with an instruction budget none of whose benchmarks was counted.
    BudgetUncounted { budget: u64 },
}

/// A capability's budgets as the verdict reports them.
#[derive(Clone, Debug, PartialEq)]
pub struct CapabilityBudgets {
    pub name: String,
    pub p95: Option<std::time::Duration>,
    /// Instructions per benchmark.
    pub instructions: Option<u64>,
    pub memory: Option<u64>,
    /// Its tests' peak, when it has a memory budget.
    pub peak: Option<TestsPeak>,
}

/// What a benchmark or capability finding is about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum BenchSubject {
    /// A benchmark (its full id) or a parametrized series (`group/function`), with its bench
    /// target when known.
    Benchmark { id: String, target: Option<String> },
    /// A bench target (`pkg::bench/name`).
    Target(String),
    /// A `[[capability]]` of budget.toml, by name.
    Capability(String),
    /// The baseline as a whole.
    Baseline,
}

impl BenchSubject {
    /// The name reports show for it (and findings are ordered by).
    pub fn name(&self) -> &str {
        match self {
            BenchSubject::Benchmark { id, .. } => id,
            BenchSubject::Target(target) => target,
            BenchSubject::Capability(name) => name,
            BenchSubject::Baseline => "baseline",
        }
    }

    /// The bench target, for locating its source.
    pub fn target(&self) -> Option<&str> {
        match self {
            BenchSubject::Benchmark { target, .. } => target.as_deref(),
            BenchSubject::Target(target) => Some(target),
            BenchSubject::Capability(_) | BenchSubject::Baseline => None,
        }
    }
}

/// One parametrized function's fit.
#[derive(Clone, Debug, PartialEq)]
pub struct Fit {
    /// `group/function` (the full id without the size).
    pub series: String,
    /// The sizes used, ascending.
    pub sizes: Vec<f64>,
    pub exponent: Estimate,
    pub best: Complexity,
}

/// What a complexity claim comes to for one series.
#[derive(Clone, Debug, PartialEq)]
pub enum ComplexityCall {
    Within(Fit),
    Exceeded(Fit),
    /// The sizes measured cannot check it; why.
    Unfit {
        series: String,
        why: Unfit,
    },
}

/// Why a complexity claim cannot be checked.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Unfit {
    /// None of the capability's benchmarks has a numeric size.
    NoSizes,
    /// Too few sizes, or sizes spanning too narrow a range (`span`: largest ÷ smallest).
    TooFew { sizes: usize, span: f64 },
    /// The times do not fit a line on log-log axes.
    NoLine,
}
