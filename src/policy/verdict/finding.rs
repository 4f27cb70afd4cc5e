//! A finding: what a rule found, with the numbers of its kind (its payload), the test,
//! benchmark or capability and place it concerns, and a stable fingerprint. Sentences are the
//! renderers' job.

use std::path::PathBuf;
use std::time::Duration;

use jiff::civil::Date;
use sha2::{Digest, Sha256};

use super::bench::{BenchCall, BenchSubject, ComplexityCall, CountFinding, Unjudgeable};
use super::{FindingKind, Severity};
use crate::model::{Amount, Complexity, Estimate, Metric, Outcome, TestId, TestsPeak};
use crate::policy::classify::Rule;
use crate::policy::compare::Delta;

/// The order reports list findings in, for a test run or a bench run alike: most severe first;
/// then by kind, the largest overage and change, and the test or benchmark.
pub fn sort(findings: &mut [Finding]) {
    let bench = |f: &Finding| f.bench.as_ref().map(|b| b.name().to_string());
    findings.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.kind().cmp(&b.kind()))
            .then(
                b.overage()
                    .unwrap_or(0.0)
                    .total_cmp(&a.overage().unwrap_or(0.0)),
            )
            .then(
                b.change()
                    .unwrap_or(0.0)
                    .total_cmp(&a.change().unwrap_or(0.0)),
            )
            .then(a.test.cmp(&b.test))
            .then_with(|| bench(a).cmp(&bench(b)))
    });
}

/// A time overage the passing re-runs alone cleared: the fastest of them was within the
/// budget; for a `killed` test, every one of them was (a kill may be an intermittent hang).
pub fn cleared(killed: bool, budget: Duration, alone: &[Duration]) -> bool {
    match killed {
        false => alone.iter().min().is_some_and(|fastest| *fastest <= budget),
        true => !alone.is_empty() && alone.iter().all(|took| *took <= budget),
    }
}

/// What a finding measured, per kind. `exception`: the budget is an `[[exception]]`'s, not the
/// tier's.
#[derive(Clone, Debug, PartialEq)]
pub enum Payload {
    /// A metric over its budget.
    OverBudget {
        metric: Metric,
        measured: Amount,
        budget: Amount,
        exception: bool,
        /// Wall times of the test re-run alone after the run (empty: not re-run).
        alone: Vec<Duration>,
    },
    /// Killed at the kill line (`kill_after` × the budget); `passed_before`: its baseline time,
    /// when it passed in the baseline.
    Timeout {
        after: Option<Duration>,
        budget: Duration,
        kill_after: u32,
        exception: bool,
        passed_before: Option<Duration>,
        /// Wall times of the passing re-runs alone after the run (empty: not re-run, or it
        /// did not pass one).
        alone: Vec<Duration>,
    },
    TestFailed {
        message: Option<String>,
        duration: Option<Duration>,
        budget: Duration,
    },
    /// Passed, but the report gives no duration for it.
    NoDuration {
        outcome: Outcome,
        budget: Duration,
        exception: bool,
    },
    SuiteOverBudget {
        wall: Duration,
        budget: Duration,
    },
    ExceptionExpired {
        line: usize,
        on: Date,
        budget: Option<Duration>,
    },
    ExceptionStale {
        line: usize,
        budget: Option<Duration>,
    },
    /// Slower than the baseline: the medians before and after, the change, and which of the
    /// verdict's comparison deltas says how it was judged (its call, runs and re-runs).
    Regression {
        metric: Metric,
        change: Change,
    },
    /// The typical test is slower by `ratio` (over `tests` tests).
    SuiteSlower {
        ratio: f64,
        tests: usize,
    },
    /// Peak memory grew beyond `[regression]`'s thresholds (and the floor in bytes).
    MemoryRegression {
        growth: crate::policy::compare::memory::Growth,
    },
    /// `tests` tests have a memory budget, but this run measured no memory, for `reason`.
    MemoryNotMeasured {
        reason: String,
        tests: usize,
    },
    /// The test's instruction count grew beyond `[regression] instructions`' thresholds.
    CountRegression {
        growth: crate::policy::compare::count::CountGrowth,
    },
    /// The test's counting runs (or the baseline's and now) counted from `low` to `high`
    /// instructions: nondeterministic, so its time judges it.
    CountNondeterministic {
        low: u64,
        high: u64,
    },
    /// `tests` tests (the finding's test, when 1) are asked to count, but got no count, for
    /// `reason`.
    CountNotMeasured {
        reason: String,
        tests: usize,
    },
    // Benchmarks and capabilities: the finding's `bench` names the benchmark, series, bench
    // target or capability.
    /// `cargo bench` failed for the bench target, for `reason` (the adapter's words).
    BenchFailed {
        reason: String,
    },
    /// The bench target yielded no readable results, for `reason` (the adapter's words).
    BenchNotMeasured {
        reason: String,
    },
    /// The benchmark's change cannot be judged (too few usable samples on a side).
    BenchUnjudged {
        why: Unjudgeable,
    },
    /// The baseline was measured under another contract: the fields that differ.
    BenchNotComparable {
        differences: Vec<String>,
    },
    /// The benchmark's change, called fail, warn or inconclusive: `delta` indexes the verdict's
    /// bench comparison (kept once there, as a test regression's does).
    BenchChange {
        delta: usize,
        call: BenchCall,
    },
    /// A benchmark's per-iteration p95 (ns, with its interval) over its capability's budget:
    /// by the whole interval (`clearly_over`), or by the point estimate only.
    CapabilityOverBudget {
        capability: String,
        p95: Estimate,
        budget: Duration,
        clearly_over: bool,
    },
    /// The capability's glob (at `budget.toml:line`) matched no benchmark measured; `across`:
    /// one it would match were its `*` to cross `/`.
    CapabilityUnmatched {
        line: usize,
        glob: String,
        across: Option<String>,
    },
    /// A capability's complexity claim on one series.
    Complexity {
        capability: String,
        claim: Complexity,
        call: ComplexityCall,
    },
    /// The capability's memory budget (bytes) and its tests' peak (`None`: its tests were not
    /// run).
    CapabilityMemory {
        budget: u64,
        peak: Option<TestsPeak>,
    },
    /// A benchmark's (or capability's) instruction count: grown, nondeterministic, not
    /// counted, over an instruction budget.
    BenchCount(CountFinding),
}

/// A compared test's change, and where its whole delta is in the verdict's comparison (kept
/// once there, not copied into every finding).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Change {
    pub before: Duration,
    pub after: Duration,
    /// (after − before) / before.
    pub change: f64,
    /// Index into `Verdict::comparison.deltas`.
    pub delta: usize,
}

impl Change {
    pub fn of(delta: &Delta, index: usize) -> Change {
        Change {
            before: delta.before.median,
            after: delta.after.median,
            change: delta.change,
            delta: index,
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Finding {
    pub severity: Severity,
    pub test: Option<TestId>,
    /// The benchmark, bench target or capability, for a bench run's findings.
    pub bench: Option<BenchSubject>,
    pub tier: Option<String>,
    pub rule: Option<Rule>,
    pub location: Option<(PathBuf, usize)>,
    pub payload: Payload,
}

impl Finding {
    /// A finding about nothing in particular yet: rules fill in test (or bench), tier, rule
    /// and location.
    pub fn new(severity: Severity, payload: Payload) -> Finding {
        Finding {
            severity,
            test: None,
            bench: None,
            tier: None,
            rule: None,
            location: None,
            payload,
        }
    }

    /// A finding of a bench run about `subject`.
    pub fn of_bench(severity: Severity, subject: BenchSubject, payload: Payload) -> Finding {
        Finding {
            bench: Some(subject),
            ..Finding::new(severity, payload)
        }
    }

    pub fn kind(&self) -> FindingKind {
        match &self.payload {
            Payload::OverBudget {
                metric: Metric::Memory,
                ..
            } => FindingKind::OverMemory,
            Payload::OverBudget {
                metric: Metric::Instructions,
                ..
            } => FindingKind::OverInstructions,
            Payload::CountNondeterministic { .. } => FindingKind::InstructionsNondeterministic,
            Payload::CountNotMeasured { .. } => FindingKind::InstructionsNotMeasured,
            Payload::OverBudget { .. } => FindingKind::OverBudget,
            Payload::MemoryNotMeasured { .. } => FindingKind::MemoryNotMeasured,
            Payload::Timeout { .. } => FindingKind::Timeout,
            Payload::TestFailed { .. } => FindingKind::TestFailed,
            Payload::NoDuration { .. } => FindingKind::NoDuration,
            Payload::SuiteOverBudget { .. } => FindingKind::SuiteOverBudget,
            Payload::ExceptionExpired { .. } => FindingKind::ExceptionExpired,
            Payload::ExceptionStale { .. } => FindingKind::ExceptionStale,
            Payload::Regression { .. }
            | Payload::MemoryRegression { .. }
            | Payload::CountRegression { .. } => FindingKind::Regression,
            Payload::SuiteSlower { .. } => FindingKind::SuiteSlower,
            Payload::BenchFailed { .. } => FindingKind::BenchFailed,
            Payload::BenchNotMeasured { .. } => FindingKind::BenchNotMeasured,
            Payload::BenchUnjudged { .. } => FindingKind::BenchUnjudged,
            Payload::BenchNotComparable { .. } => FindingKind::BenchNotComparable,
            Payload::BenchChange {
                call: BenchCall::Inconclusive,
                ..
            } => FindingKind::BenchInconclusive,
            Payload::BenchChange { .. } => FindingKind::BenchRegression,
            Payload::CapabilityOverBudget { clearly_over, .. } => match clearly_over {
                true => FindingKind::CapabilityOverBudget,
                false => FindingKind::CapabilityInconclusive,
            },
            Payload::CapabilityUnmatched { .. } => FindingKind::CapabilityUnmatched,
            Payload::Complexity { call, .. } => match call {
                ComplexityCall::Within(_) => FindingKind::ComplexityWithin,
                ComplexityCall::Exceeded(_) => FindingKind::ComplexityExceeded,
                ComplexityCall::Unfit { .. } => FindingKind::ComplexityUnfit,
            },
            Payload::CapabilityMemory { budget, peak } => match peak {
                Some(TestsPeak::Measured { bytes, .. }) if bytes > budget => {
                    FindingKind::CapabilityOverMemory
                }
                Some(TestsPeak::Measured { .. }) => FindingKind::CapabilityMemoryWithin,
                Some(TestsPeak::NotMeasured(_)) | None => FindingKind::CapabilityMemoryNotMeasured,
            },
            Payload::BenchCount(c) => match c {
                CountFinding::Grew { .. } => FindingKind::BenchInstructionsRegression,
                CountFinding::Nondeterministic { .. } => {
                    FindingKind::BenchInstructionsNondeterministic
                }
                CountFinding::NotCounted { .. } => FindingKind::BenchInstructionsNotMeasured,
                CountFinding::OverBudget { .. } => FindingKind::CapabilityOverInstructions,
                CountFinding::BudgetUncounted { .. } => {
                    FindingKind::CapabilityInstructionsNotMeasured
                }
            },
        }
    }

    /// The metric it is about, when it is about one.
    pub fn metric(&self) -> Option<Metric> {
        match &self.payload {
            Payload::OverBudget { metric, .. } | Payload::Regression { metric, .. } => {
                Some(*metric)
            }
            Payload::Timeout { .. }
            | Payload::SuiteOverBudget { .. }
            | Payload::SuiteSlower { .. } => Some(Metric::Wall),
            Payload::MemoryRegression { .. } => Some(Metric::Memory),
            Payload::BenchCount(_) => Some(Metric::Instructions),
            Payload::CountRegression { .. }
            | Payload::CountNondeterministic { .. }
            | Payload::CountNotMeasured { .. } => Some(Metric::Instructions),
            _ => None,
        }
    }

    /// The time measured: the test's (or the suite's) duration, the median now for a
    /// comparison.
    pub fn duration(&self) -> Option<Duration> {
        match &self.payload {
            Payload::OverBudget { measured, .. } => measured.as_duration(),
            Payload::Timeout { after, .. } => *after,
            Payload::TestFailed { duration, .. } => *duration,
            Payload::SuiteOverBudget { wall, .. } => Some(*wall),
            Payload::Regression { change, .. } => Some(change.after),
            _ => None,
        }
    }

    /// The time budget involved.
    pub fn budget(&self) -> Option<Duration> {
        match &self.payload {
            Payload::OverBudget { budget, .. } => budget.as_duration(),
            Payload::Timeout { budget, .. }
            | Payload::TestFailed { budget, .. }
            | Payload::NoDuration { budget, .. }
            | Payload::SuiteOverBudget { budget, .. } => Some(*budget),
            Payload::ExceptionExpired { budget, .. } | Payload::ExceptionStale { budget, .. } => {
                *budget
            }
            _ => None,
        }
    }

    /// (measured − budget) / budget, for what is over its budget.
    pub fn overage(&self) -> Option<f64> {
        match &self.payload {
            Payload::OverBudget {
                measured, budget, ..
            } => Some(measured.overage(*budget)),
            Payload::SuiteOverBudget { wall, budget } => {
                Some(Amount::Time(*wall).overage(Amount::Time(*budget)))
            }
            _ => None,
        }
    }

    /// The test's passing wall times re-run alone, for a test over its time budget or killed
    /// (empty when it was not re-run).
    pub fn alone(&self) -> &[Duration] {
        match &self.payload {
            Payload::OverBudget {
                metric: Metric::Wall,
                alone,
                ..
            }
            | Payload::Timeout { alone, .. } => alone,
            _ => &[],
        }
    }

    /// Over its time budget (or killed) in the run, within it in its fastest re-run alone: the
    /// suite's load, not the test.
    pub fn cleared_alone(&self) -> bool {
        let killed = self.kind() == FindingKind::Timeout;
        self.budget()
            .is_some_and(|budget| cleared(killed, budget, self.alone()))
    }

    /// Passed over its time budget in the run and within it in every re-run alone: only the
    /// suite's load, so a note rather than a warning (a test over it in some re-runs alone too
    /// is near its budget on this machine, which is worth acting on).
    pub fn load_only(&self) -> bool {
        self.kind() == FindingKind::OverBudget
            && !self.alone().is_empty()
            && self
                .budget()
                .is_some_and(|budget| self.alone().iter().all(|took| *took <= budget))
    }

    /// The baseline's time: for a comparison, and for a killed test that passed there.
    pub fn before(&self) -> Option<Duration> {
        match &self.payload {
            Payload::Timeout { passed_before, .. } => *passed_before,
            Payload::Regression { change, .. } => Some(change.before),
            _ => None,
        }
    }

    /// The change relative to the baseline (0.3 for 30 % slower).
    pub fn change(&self) -> Option<f64> {
        match &self.payload {
            Payload::Regression { change, .. } => Some(change.change),
            Payload::SuiteSlower { ratio, .. } => Some(ratio - 1.0),
            Payload::MemoryRegression { growth } => Some(growth.change),
            Payload::BenchCount(CountFinding::Grew { growth, .. }) => Some(growth.change),
            Payload::CountRegression { growth } => Some(growth.change),
            _ => None,
        }
    }

    /// A stable identity across runs: kind, metric and subject (the test, the exception's line,
    /// the benchmark or capability, or the suite), never the numbers. 16 hex digits of a SHA-256.
    pub fn fingerprint(&self) -> String {
        let subject = match (&self.payload, &self.test) {
            (
                Payload::ExceptionExpired { line, .. } | Payload::ExceptionStale { line, .. },
                test,
            ) => format!(
                "exception:{line}:{}",
                test.as_ref().map(|t| t.to_string()).unwrap_or_default()
            ),
            (_, Some(test)) => format!("test:{}\0{}", test.binary_id, test.name),
            (_, None) => match &self.bench {
                Some(bench) => format!("bench:{}", bench.name()),
                None => "suite".to_string(),
            },
        };
        let metric = self.metric().map_or("", |m| m.key());
        let digest = Sha256::digest(format!("{}|{metric}|{subject}", self.kind().as_str()));
        digest.iter().take(8).map(|b| format!("{b:02x}")).collect()
    }
}
